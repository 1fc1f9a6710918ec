// Go's fmt for template values: %v printing (what an action writes), float formatting as strconv does it,
// and strconv.Quote. Sprintf is in sprintf.ts.

import { isMap, isValuesContainer, sortedKeys, STRINGER, Unknown, type Val } from './value.js';

/** Turns an Unknown into its placeholder text. */
export type Ph = (u: Unknown) => string;

/** Decimal digits of |x| and the decimal point position: |x| = 0.d1d2… × 10^dp. sig: round to that many digits. */
function digitsOf(x: number, sig?: number): { digits: string; dp: number } {
  if (x === 0) return { digits: '0', dp: 1 };
  const [m, e] = Math.abs(x)
    .toExponential(sig === undefined ? undefined : Math.max(0, Math.min(100, sig - 1)))
    .split('e');
  const digits = m!.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, dp: Number(e) + 1 };
}

function fmtE(neg: boolean, d: { digits: string; dp: number }, prec: number, ch: string): string {
  let s = (neg ? '-' : '') + d.digits[0]!;
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
      frac += k >= 0 && k < d.digits.length ? d.digits[k]! : '0';
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
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return formatNumber(v, float);
    case 'function':
      return '<func>';
    case 'bigint':
    case 'symbol':
      return String(v);
  }
  if (depth > 50) return '...';
  const f = isValuesContainer(v);
  if (Array.isArray(v)) return `[${v.map((x) => fmtV(x, ph, f, depth + 1)).join(' ')}]`;
  const s = (v as Record<symbol, unknown>)[STRINGER];
  if (typeof s === 'string') return s;
  if (isMap(v))
    return `map[${sortedKeys(v)
      .map((k) => `${k}:${fmtV(v[k], ph, f, depth + 1)}`)
      .join(' ')}]`;
  // Any other object prints as String() prints one (Go has no counterpart kind).
  return Object.prototype.toString.call(v);
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
