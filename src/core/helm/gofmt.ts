// Go's fmt for template values: %v printing (what an action writes), float formatting as strconv does it,
// strconv.Quote, and Sprintf with the verbs charts use (%s %d %v %q %x %f %e %g %t %c %T, flags, width,
// precision, argument indexes) including Go's %!verb(type=value) complaints.

import { goType, isMap, isValuesContainer, sortedKeys, STRINGER, Unknown, type Val } from './value.js';

/** Turns an Unknown into its placeholder text. */
export type Ph = (u: Unknown) => string;

/** Decimal digits of |x| and the decimal point position: |x| = 0.d1d2… × 10^dp. sig: round to that many digits. */
function digitsOf(x: number, sig?: number): { digits: string; dp: number } {
  if (x === 0) return { digits: '0', dp: 1 };
  const [m, e] = Math.abs(x).toExponential(sig === undefined ? undefined : Math.max(0, Math.min(100, sig - 1))).split('e');
  const digits = m!.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, dp: Number(e) + 1 };
}

function fmtE(neg: boolean, d: { digits: string; dp: number }, prec: number, ch: string): string {
  let s = (neg ? '-' : '') + d.digits[0];
  if (prec > 0) s += '.' + d.digits.slice(1, prec + 1).padEnd(prec, '0');
  const exp = d.digits === '0' ? 0 : d.dp - 1;
  return `${s}${ch}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function fmtF(neg: boolean, d: { digits: string; dp: number }, prec: number): string {
  let s = neg ? '-' : '';
  s += d.dp > 0 ? d.digits.slice(0, d.dp).padEnd(d.dp, '0') : '0';
  if (prec > 0) {
    let frac = '';
    for (let i = 0; i < prec; i++) {
      const k = d.dp + i;
      frac += k >= 0 && k < d.digits.length ? d.digits[k] : '0';
    }
    s += '.' + frac;
  }
  return s;
}

/** strconv.FormatFloat(x, fmt, prec, 64) for fmt in e E f g G; prec -1 = shortest. */
export function formatFloat(x: number, fmt: string, prec = -1): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const lower = fmt.toLowerCase();
  if (lower === 'f') {
    if (prec < 0) {
      const d = digitsOf(x);
      return fmtF(neg, d, Math.max(d.digits.length - d.dp, 0));
    }
    const s = Math.abs(x).toFixed(Math.min(prec, 100));
    return (neg ? '-' : '') + (s.includes('e') ? fmtF(false, digitsOf(x), prec) : s);
  }
  if (lower === 'e') {
    const d = prec < 0 ? digitsOf(x) : digitsOf(x, prec + 1);
    return fmtE(neg, d, prec < 0 ? d.digits.length - 1 : prec, fmt === 'E' ? 'E' : 'e');
  }
  // %g
  const shortest = prec < 0;
  const d = shortest ? digitsOf(x) : digitsOf(x, prec === 0 ? 1 : prec);
  let p = shortest ? d.digits.length : prec === 0 ? 1 : prec;
  let eprec = p;
  if (eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length;
  if (shortest) eprec = 6;
  const exp = d.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (p > d.digits.length) p = d.digits.length;
    return fmtE(neg, d, p - 1, fmt === 'G' ? 'E' : 'e');
  }
  if (p > d.dp) p = d.digits.length;
  return fmtF(neg, d, Math.max(p - d.dp, 0));
}

/** fmt's %v of a number: ints in decimal, float64 shortest with Go's exponent rule (1e+06). */
export function formatNumber(n: number, float: boolean | undefined): string {
  if (!float && Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return formatFloat(n, 'g');
}

/** fmt.Sprint of one value (%v). Numbers inside values containers are float64. */
export function fmtV(v: unknown, ph: Ph, float = false, depth = 0): string {
  if (v === null || v === undefined) return '<nil>';
  if (v instanceof Unknown) return ph(v);
  switch (typeof v) {
    case 'string': return v;
    case 'boolean': return v ? 'true' : 'false';
    case 'number': return formatNumber(v, float);
    case 'function': return '<func>';
  }
  if (depth > 50) return '...';
  const f = isValuesContainer(v as object);
  if (Array.isArray(v)) return `[${v.map((x) => fmtV(x, ph, f, depth + 1)).join(' ')}]`;
  const s = (v as Record<symbol, unknown>)[STRINGER];
  if (typeof s === 'string') return s;
  if (isMap(v)) return `map[${sortedKeys(v).map((k) => `${k}:${fmtV(v[k], ph, f, depth + 1)}`).join(' ')}]`;
  return String(v);
}

/** What an action writes for a value: like %v, but nil is empty (Helm drops "<no value>"). */
export function printValue(x: Val, ph: Ph): string {
  return x.v === null || x.v === undefined ? '' : fmtV(x.v, ph, x.float);
}

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;

/** strconv.Quote. */
export function goQuote(s: string, q = '"'): string {
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === '\\') out += '\\' + ch;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x80) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (PRINTABLE.test(ch)) out += ch;
    else if (c <= 0xffff) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return out + q;
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  zero: boolean;
  space: boolean;
  width: number;
  prec: number;
}

function pad(s: string, sp: Spec, numeric: boolean): string {
  const len = [...s].length;
  if (sp.width <= len) return s;
  const n = sp.width - len;
  if (sp.minus) return s + ' '.repeat(n);
  if (sp.zero && numeric) {
    const sign = s[0] === '-' || s[0] === '+' || s[0] === ' ' ? s[0] : '';
    return sign + '0'.repeat(n) + s.slice(sign.length);
  }
  return ' '.repeat(n) + s;
}

function fmtInt(n: number, verb: string, sp: Spec): string | undefined {
  const neg = n < 0;
  const a = Math.abs(Math.trunc(n));
  let body: string;
  switch (verb) {
    case 'v': case 'd': body = a.toFixed(0); break;
    case 'b': body = a.toString(2); break;
    case 'o': body = (sp.sharp ? '0' : '') + a.toString(8); break;
    case 'O': body = '0o' + a.toString(8); break;
    case 'x': body = (sp.sharp ? '0x' : '') + a.toString(16); break;
    case 'X': body = (sp.sharp ? '0X' : '') + a.toString(16).toUpperCase(); break;
    case 'c': return a <= 0x10ffff ? String.fromCodePoint(a) : '\ufffd';
    case 'q': return goQuote(a <= 0x10ffff ? String.fromCodePoint(a) : '\ufffd', "'");
    case 'U': return 'U+' + a.toString(16).toUpperCase().padStart(4, '0');
    default: return undefined;
  }
  if (sp.prec >= 0) body = body.padStart(sp.prec, '0');
  return (neg ? '-' : sp.plus ? '+' : sp.space ? ' ' : '') + body;
}

function fmtFloatVerb(x: number, verb: string, sp: Spec): string | undefined {
  if (!'beEfFgGvxX'.includes(verb) || verb === 'b' || verb === 'x' || verb === 'X') return undefined;
  const s = verb === 'v' ? formatFloat(x, 'g', sp.prec) : formatFloat(x, verb === 'F' ? 'f' : verb, sp.prec >= 0 ? sp.prec : 'eEfF'.includes(verb) ? 6 : -1);
  return s[0] !== '-' && (sp.plus || sp.space) ? (sp.plus ? '+' : ' ') + s : s;
}

/** Format one argument; undefined when the verb does not apply to its type. */
function fmtArg(x: Val, verb: string, sp: Spec, ph: Ph, depth = 0): string | undefined {
  const v = x.v;
  if (verb === 'v' && typeof v !== 'number') return fmtV(v, ph, x.float);
  if (v === null || v === undefined) return undefined;
  if (v instanceof Unknown) return ph(v);
  if (typeof v === 'boolean') return verb === 't' ? String(v) : undefined;
  if (typeof v === 'number') {
    if (x.float || !Number.isInteger(v)) return fmtFloatVerb(v, verb, sp);
    return fmtInt(v, verb, sp);
  }
  let s: string | undefined;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'object' && typeof (v as Record<symbol, unknown>)[STRINGER] === 'string') s = (v as Record<symbol, string>)[STRINGER];
  if (s !== undefined) {
    if (verb === 's') return sp.prec >= 0 ? [...s].slice(0, sp.prec).join('') : s;
    if (verb === 'q') return goQuote(s);
    if (verb === 'x' || verb === 'X') {
      const h = Buffer.from(s, 'utf8').toString('hex');
      return verb === 'X' ? h.toUpperCase() : h;
    }
    return undefined;
  }
  if (depth > 20) return undefined;
  const f = isValuesContainer(v as object);
  const el = (y: unknown): string => {
    const e: Val = { v: y, float: f && typeof y === 'number' };
    return fmtArg(e, verb, sp, ph, depth + 1) ?? `%!${verb}(${goType(y, e.float)}=${fmtV(y, ph, e.float)})`;
  };
  if (Array.isArray(v)) return `[${v.map(el).join(' ')}]`;
  if (isMap(v)) return `map[${sortedKeys(v).map((k) => `${k}:${el(v[k])}`).join(' ')}]`;
  return undefined;
}

/** Where an argument's own text was inserted verbatim into the output (for source maps). */
export interface ArgSpan {
  start: number;
  end: number;
  arg: number;
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: Val[], ph: Ph): { text: string; spans: ArgSpan[] } {
  let out = '';
  const spans: ArgSpan[] = [];
  let argNum = 0;
  let reordered = false;
  const n = format.length;
  let i = 0;
  const intArg = (): number | undefined => {
    const a = args[argNum];
    if (a && typeof a.v === 'number' && Number.isInteger(a.v) && !a.float) {
      argNum++;
      return a.v;
    }
    argNum++;
    return undefined;
  };
  const argIndex = (): void => {
    if (format[i] !== '[') return;
    const close = format.indexOf(']', i);
    const k = close > i ? Number(format.slice(i + 1, close)) : NaN;
    reordered = true;
    if (Number.isInteger(k) && k >= 1) argNum = k - 1;
    i = close > i ? close + 1 : n;
  };
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const sp: Spec = { minus: false, plus: false, sharp: false, zero: false, space: false, width: 0, prec: -1 };
    for (; i < n; i++) {
      const c = format[i];
      if (c === '-') sp.minus = true;
      else if (c === '+') sp.plus = true;
      else if (c === '#') sp.sharp = true;
      else if (c === '0') sp.zero = !sp.minus;
      else if (c === ' ') sp.space = true;
      else break;
    }
    argIndex();
    if (format[i] === '*') {
      i++;
      const w = intArg();
      if (w === undefined) out += '%!(BADWIDTH)';
      else if (w < 0) { sp.minus = true; sp.width = -w; } else sp.width = w;
    } else {
      const m = /^\d+/.exec(format.slice(i, i + 10));
      if (m) { sp.width = Number(m[0]); i += m[0].length; }
    }
    if (format[i] === '.') {
      i++;
      argIndex();
      if (format[i] === '*') {
        i++;
        const p = intArg();
        if (p === undefined) out += '%!(BADPREC)';
        else sp.prec = p < 0 ? -1 : p;
      } else {
        const m = /^\d+/.exec(format.slice(i, i + 10));
        sp.prec = m ? Number(m[0]) : 0;
        if (m) i += m[0].length;
      }
    }
    argIndex();
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = args[argNum]!;
    const k = argNum++;
    if (verb === 'T') {
      out += pad(goType(a.v, a.float), sp, false);
      continue;
    }
    const s = fmtArg(a, verb, sp, ph);
    if (s === undefined) {
      out += a.v === null || a.v === undefined ? `%!${verb}(<nil>)` : `%!${verb}(${goType(a.v, a.float)}=${fmtV(a.v, ph, a.float)})`;
      continue;
    }
    const padded = pad(s, sp, typeof a.v === 'number');
    if (padded === s && (typeof a.v === 'string' || typeof a.v === 'number') && s === fmtV(a.v, ph, a.float)) {
      spans.push({ start: out.length, end: out.length + s.length, arg: k });
    }
    out += padded;
  }
  if (!reordered && argNum < args.length) {
    out += `%!(EXTRA ${args.slice(argNum).map((a) => `${goType(a.v, a.float)}=${fmtV(a.v, ph, a.float)}`).join(', ')})`;
  }
  return { text: out, spans };
}
