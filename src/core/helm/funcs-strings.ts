// String template functions (Go's print family, Sprig's string functions). Those that only cut, pad or
// wrap a string keep its source map (quote, indent, nindent, trim*, trunc, printf %s…); unknown values
// inside strings stay as placeholders where the text around them is still right.

import { def, firstUnknown, keepsUnknowns, strFn, strval, toInt, tstr, unknown, unknownIn, type CallCtx, type FnTable } from './call.js';
import { fmtV, goQuote } from './gofmt.js';
import { sprintf } from './sprintf.js';
import { build, concatT, indentT, sliceT, tstrOf, tval, type Piece, type TStr } from './tracked.js';
import { Unknown, type Val } from './value.js';

const WS = /[\s\x85]/u;

/** A string argument cut to [a,b): unknown if the cut damages a placeholder. */
function cut(c: CallCtx, s: TStr, a: number, b: number): Val {
  const out = sliceT(s, a, b);
  return keepsUnknowns(c.name, s.text, out.text) ?? tval(out);
}

/** fmt.Sprint's operands: a space between two operands when neither is a string. */
function sprint(c: CallCtx, args: Val[], ln: boolean): Val {
  const pieces: (TStr | string)[] = [];
  args.forEach((a, i) => {
    const isStr = (x: Val): boolean => typeof x.v === 'string' || x.v instanceof Unknown;
    if (i > 0 && (ln || (!isStr(args[i - 1]!) && !isStr(a)))) pieces.push(' ');
    pieces.push(tstrOf(a, fmtV(a.v, c.ph, a.float)));
  });
  if (ln) pieces.push('\n');
  return tval(concatT(pieces));
}

function quoteOne(c: CallCtx, x: Val, q: string): TStr {
  const s = tstr(c, x);
  const quoted = q === '"' ? goQuote(s.text) : `'${s.text}'`;
  if (quoted.length === s.text.length + 2) return concatT([q, s, q]);
  return x.src ? { text: quoted, tr: { segs: [{ start: 0, end: quoted.length, origin: x.src }], unc: [] } } : { text: quoted };
}

function quoteAll(c: CallCtx, args: Val[], q: string): Val {
  const parts: (TStr | string)[] = [];
  for (const a of args) {
    if (a.v === null || a.v === undefined) continue;
    if (parts.length) parts.push(' ');
    parts.push(quoteOne(c, a, q));
  }
  return tval(concatT(parts));
}

/** Sprig's strslice: a list's non-nil elements as strings, nil as no element, a scalar as one. */
export function strslice(c: CallCtx, x: Val): string[] {
  const v = x.v;
  if (Array.isArray(v)) return v.filter((e) => e !== null && e !== undefined).map((e) => strval(c, { v: e }));
  if (v === null || v === undefined) return [];
  return [strval(c, x)];
}

const title = (s: string): string => s.replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, p: string, l: string) => p + l.toUpperCase());
const words = (s: string): string[] =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);

function goSplit(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const chars = Array.from(s);
    return n > 0 && chars.length > n ? [...chars.slice(0, n - 1), chars.slice(n - 1).join('')] : chars;
  }
  const parts = s.split(sep);
  return n > 0 && parts.length > n ? [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)] : parts;
}

const splitMap = (parts: string[]): Record<string, string> => Object.fromEntries(parts.map((p, i) => [`_${i}`, p]));

export const stringFuncs: FnTable = {
  print: def(0, Infinity, (c, args) => sprint(c, args, false)),
  println: def(0, Infinity, (c, args) => sprint(c, args, true)),
  printf: def(1, Infinity, (c, [f, ...args]) => {
    const { text, spans } = sprintf(strval(c, f!), args, c.ph);
    if (!spans.some((s) => args[s.arg]!.src || args[s.arg]!.tr)) return { v: text };
    const pieces: Piece[] = [];
    let pos = 0;
    for (const s of spans) {
      pieces.push(text.slice(pos, s.start), { from: tstrOf(args[s.arg]!, text.slice(s.start, s.end)), start: 0, end: s.end - s.start });
      pos = s.end;
    }
    pieces.push(text.slice(pos));
    return tval(build(pieces));
  }),
  cat: def(0, Infinity, (c, args) => {
    const parts: (TStr | string)[] = [];
    for (const a of args) {
      if (a.v === null || a.v === undefined) continue;
      if (parts.length) parts.push(' ');
      parts.push(tstr(c, a));
    }
    return tval(concatT(parts));
  }),
  quote: def(0, Infinity, (c, args) => quoteAll(c, args, '"')),
  squote: def(0, Infinity, (c, args) => quoteAll(c, args, "'")),
  toString: def(1, 1, (c, [x]) => (typeof x!.v === 'string' ? x! : { v: strval(c, x!), ...(x!.src ? { src: x!.src } : {}) })),
  toStrings: def(1, 1, (c, [x]) => (x!.v instanceof Unknown ? x! : { v: strslice(c, x!) })),
  indent: def(2, 2, (c, [n, s]) => tval(indentT(tstr(c, s!), toInt(n!.v), false))),
  nindent: def(2, 2, (c, [n, s]) => tval(indentT(tstr(c, s!), toInt(n!.v), true))),
  trim: def(1, 1, (c, [s]) => {
    const t = tstr(c, s!);
    let a = 0;
    let b = t.text.length;
    while (a < b && WS.test(t.text[a]!)) a++;
    while (b > a && WS.test(t.text[b - 1]!)) b--;
    return cut(c, t, a, b);
  }),
  trimAll: def(2, 2, (c, [set, s]) => {
    const t = tstr(c, s!);
    const cs = strval(c, set!);
    let a = 0;
    let b = t.text.length;
    while (a < b && cs.includes(t.text[a]!)) a++;
    while (b > a && cs.includes(t.text[b - 1]!)) b--;
    return cut(c, t, a, b);
  }),
  trimPrefix: def(2, 2, (c, [p, s]) => {
    const t = tstr(c, s!);
    const pre = strval(c, p!);
    return pre && t.text.startsWith(pre) ? cut(c, t, pre.length, t.text.length) : tval(t);
  }),
  trimSuffix: def(2, 2, (c, [p, s]) => {
    const t = tstr(c, s!);
    const suf = strval(c, p!);
    return suf && t.text.endsWith(suf) ? cut(c, t, 0, t.text.length - suf.length) : tval(t);
  }),
  trunc: def(2, 2, (c, [n, s]) => {
    const t = tstr(c, s!);
    const k = toInt(n!.v);
    const len = t.text.length;
    if (k < 0 && len + k > 0) return cut(c, t, len + k, len);
    if (k >= 0 && len > k) return cut(c, t, 0, k);
    return tval(t);
  }),
  lower: def(1, 1, (c, [s]) => {
    const t = tstr(c, s!);
    const out = t.text.toLowerCase();
    return keepsUnknowns('lower', t.text, out) ?? (out.length === t.text.length && t.tr ? { v: out, tr: t.tr } : { v: out });
  }),
  upper: strFn(1, 1, (s) => (s as string).toUpperCase()),
  title: strFn(1, 1, (s) => title(s as string)),
  untitle: strFn(1, 1, (s) => (s as string).replace(/^\p{L}/u, (l) => l.toLowerCase())),
  replace: strFn(3, 3, (o, n, s) => (s as string).replaceAll(String(o), String(n))),
  repeat: def(2, 2, (c, [n, s]) => {
    const k = Math.max(0, toInt(n!.v));
    const str = strval(c, s!);
    if (k * str.length > 5 * 1024 * 1024) return unknown('repeat: result too large');
    return { v: str.repeat(k) };
  }),
  substr: strFn(3, 3, (a, b, s) => {
    const str = s as string;
    const start = toInt(a);
    const end = toInt(b);
    if (start < 0) return str.slice(0, Math.max(0, end));
    if (end < 0 || end > str.length) return str.slice(start);
    return str.slice(start, end);
  }),
  nospace: strFn(1, 1, (s) => (s as string).replace(/\s+/gu, '')),
  abbrev: strFn(2, 2, (w, s) => {
    const width = toInt(w);
    const str = s as string;
    return width < 4 || str.length <= width ? str : str.slice(0, width - 3) + '...';
  }),
  initials: strFn(1, 1, (s) =>
    (s as string)
      .split(/\s+/)
      .filter(Boolean)
      .map((x) => x[0])
      .join(''),
  ),
  plural: def(3, 3, (_c, [one, many, n]) => (toInt(n!.v) === 1 ? one! : many!)),
  snakecase: strFn(1, 1, (s) =>
    words(s as string)
      .map((w) => w.toLowerCase())
      .join('_'),
  ),
  kebabcase: strFn(1, 1, (s) =>
    words(s as string)
      .map((w) => w.toLowerCase())
      .join('-'),
  ),
  camelcase: strFn(1, 1, (s) =>
    (s as string)
      .split(/[_\s-]+/)
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(''),
  ),
  contains: def(2, 2, (c, [sub, s]) => unknownIn(c, [sub!, s!]) ?? { v: strval(c, s!).includes(strval(c, sub!)) }),
  hasPrefix: def(2, 2, (c, [p, s]) => unknownIn(c, [p!, s!]) ?? { v: strval(c, s!).startsWith(strval(c, p!)) }),
  hasSuffix: def(2, 2, (c, [p, s]) => unknownIn(c, [p!, s!]) ?? { v: strval(c, s!).endsWith(strval(c, p!)) }),
  join: def(2, 2, (c, [sep, list]) => {
    const u = firstUnknown([list!]);
    if (u) return unknown(`join of an unknown list (${u.reason})`);
    return { v: strslice(c, list!).join(strval(c, sep!)) };
  }),
  split: def(2, 2, (c, [sep, s]) => unknownIn(c, [s!]) ?? { v: splitMap(goSplit(strval(c, s!), strval(c, sep!))) }),
  splitList: def(2, 2, (c, [sep, s]) => unknownIn(c, [s!]) ?? { v: goSplit(strval(c, s!), strval(c, sep!)) }),
  splitn: def(3, 3, (c, [sep, n, s]) => unknownIn(c, [s!]) ?? { v: splitMap(goSplit(strval(c, s!), strval(c, sep!), toInt(n!.v))) }),
  urlquery: def(0, Infinity, (c, args) => ({
    v: encodeURIComponent(args.map((a) => fmtV(a.v, c.ph, a.float)).join('')).replace(/%20/g, '+'),
  })),
  html: def(0, Infinity, (c, args) => ({
    v: args
      .map((a) => fmtV(a.v, c.ph, a.float))
      .join('')
      .replace(/[&'<>"\0]/g, (ch) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[ch]!),
  })),
  js: def(0, Infinity, (c, args) => ({
    v: JSON.stringify(args.map((a) => fmtV(a.v, c.ph, a.float)).join(''))
      .slice(1, -1)
      .replace(/'/g, "\\'"),
  })),
};
