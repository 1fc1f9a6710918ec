// Sprig's regex functions over Go RE2 syntax translated to JS RegExp ((?i) flags, (?P<name>), \A \z,
// POSIX classes) and Go's $1 / ${name} replacement expansion.

import { def, strval, toInt, TplError, unknownIn, type CallCtx, type FnDef, type FnTable } from './call.js';
import type { Val } from './value.js';

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp>();

/** A Go regexp as a global JS RegExp; throws TplError when it does not compile. */
export function goRegex(src: string): RegExp {
  const hit = cache.get(src);
  if (hit) return new RegExp(hit.source, hit.flags);
  let flags = 'gu';
  let s = src;
  const m = /^\(\?([imsU]+)\)/.exec(s);
  if (m) {
    for (const f of m[1]!) if (f !== 'U' && !flags.includes(f)) flags += f;
    s = s.slice(m[0].length);
  }
  s = s
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])')
    .replace(/\[:(\^?)([a-z]+):\]/g, (all, neg: string, name: string) =>
      Object.prototype.hasOwnProperty.call(POSIX, name) ? (neg ? `^${POSIX[name]}` : POSIX[name]!) : all,
    );
  try {
    const re = new RegExp(s, flags);
    if (cache.size > 500) cache.clear();
    cache.set(src, re);
    return new RegExp(re.source, re.flags);
  } catch (e) {
    throw new TplError(`error parsing regexp: ${(e as Error).message}`);
  }
}

/** Go's Regexp.Expand of a replacement template for one match. */
function expand(tpl: string, match: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < tpl.length; i++) {
    const ch = tpl[i]!;
    if (ch !== '$') {
      out += ch;
      continue;
    }
    if (tpl[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    let end: number;
    if (tpl[i + 1] === '{') {
      const close = tpl.indexOf('}', i + 2);
      if (close < 0) {
        out += ch;
        continue;
      }
      name = tpl.slice(i + 2, close);
      end = close;
    } else {
      const w = /^[A-Za-z0-9_]+/.exec(tpl.slice(i + 1));
      if (!w) {
        out += ch;
        continue;
      }
      name = w[0];
      end = i + w[0].length;
    }
    const g = /^\d+$/.test(name) ? match[Number(name)] : match.groups?.[name];
    out += g ?? '';
    i = end;
  }
  return out;
}

function replaceAll(re: RegExp, s: string, f: (m: RegExpExecArray) => string): string {
  let out = '';
  let pos = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out += s.slice(pos, m.index) + f(m);
    pos = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  return out + s.slice(pos);
}

function findAll(re: RegExp, s: string, n: number): string[] {
  const out: string[] = [];
  for (let m = re.exec(s); m && (n < 0 || out.length < n); m = re.exec(s)) {
    out.push(m[0]);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

type RegexOp = (c: CallCtx, re: RegExp, a: Val[]) => unknown;

/** A regex function (regex first); `safe` variants answer false/"" instead of failing on a bad regex. */
function rx(n: number, op: RegexOp, fallback?: unknown): FnDef {
  return def(n, n, (c, args) => {
    const u = unknownIn(c, args);
    if (u) return u;
    let re: RegExp;
    try {
      re = goRegex(strval(c, args[0]!));
    } catch (e) {
      if (fallback !== undefined) return { v: fallback };
      throw e;
    }
    return { v: op(c, re, args.slice(1)) };
  });
}

const match: RegexOp = (c, re, [s]) => re.test(strval(c, s!));
const find: RegexOp = (c, re, [s]) => re.exec(strval(c, s!))?.[0] ?? '';
const findAllOp: RegexOp = (c, re, [s, n]) => findAll(re, strval(c, s!), toInt(n!.v));
const repl: RegexOp = (c, re, [s, r]) => replaceAll(re, strval(c, s!), (m) => expand(strval(c, r!), m));
const replLit: RegexOp = (c, re, [s, r]) => replaceAll(re, strval(c, s!), () => strval(c, r!));
const split: RegexOp = (c, re, [s, n]) => {
  const str = strval(c, s!);
  const k = toInt(n!.v);
  if (k === 0) return [];
  const out: string[] = [];
  let pos = 0;
  for (let m = re.exec(str); m && (k < 0 || out.length < k - 1); m = re.exec(str)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      if (m.index === 0 || m.index >= str.length) continue;
    }
    out.push(str.slice(pos, m.index));
    pos = m.index + m[0].length;
  }
  out.push(str.slice(pos));
  return out;
};

export const regexFuncs: FnTable = {
  regexMatch: rx(2, match, false),
  mustRegexMatch: rx(2, match),
  regexFind: rx(2, find, ''),
  mustRegexFind: rx(2, find),
  regexFindAll: rx(3, findAllOp, []),
  mustRegexFindAll: rx(3, findAllOp),
  regexReplaceAll: rx(3, repl),
  mustRegexReplaceAll: rx(3, repl),
  regexReplaceAllLiteral: rx(3, replLit),
  mustRegexReplaceAllLiteral: rx(3, replLit),
  regexSplit: rx(3, split),
  mustRegexSplit: rx(3, split),
  regexQuoteMeta: def(1, 1, (c, [s]) => ({ v: strval(c, s!).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&') })),
};
