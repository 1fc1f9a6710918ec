// Go's fmt.Sprintf with the verbs charts use (%s %d %v %q %x %f %e %g %t %c %T, flags, width, precision,
// argument indexes), including Go's %!verb(type=value) complaints; it also tells where each argument's
// own text landed, so printf keeps source maps.

import { fmtV, formatFloat, goQuote, type Ph } from './gofmt.js';
import { goType, isMap, isValuesContainer, sortedKeys, STRINGER, Unknown, type Val } from './value.js';

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
  const len = Array.from(s).length;
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
    case 'v':
    case 'd':
      body = a.toFixed(0);
      break;
    case 'b':
      body = a.toString(2);
      break;
    case 'o':
      body = (sp.sharp ? '0' : '') + a.toString(8);
      break;
    case 'O':
      body = '0o' + a.toString(8);
      break;
    case 'x':
      body = (sp.sharp ? '0x' : '') + a.toString(16);
      break;
    case 'X':
      body = (sp.sharp ? '0X' : '') + a.toString(16).toUpperCase();
      break;
    case 'c':
      return a <= 0x10ffff ? String.fromCodePoint(a) : '\ufffd';
    case 'q':
      return goQuote(a <= 0x10ffff ? String.fromCodePoint(a) : '\ufffd', "'");
    case 'U':
      return 'U+' + a.toString(16).toUpperCase().padStart(4, '0');
    default:
      return undefined;
  }
  if (sp.prec >= 0) body = body.padStart(sp.prec, '0');
  return (neg ? '-' : sp.plus ? '+' : sp.space ? ' ' : '') + body;
}

function fmtFloatVerb(x: number, verb: string, sp: Spec): string | undefined {
  if (!'beEfFgGvxX'.includes(verb) || verb === 'b' || verb === 'x' || verb === 'X') return undefined;
  const s =
    verb === 'v'
      ? formatFloat(x, 'g', sp.prec)
      : formatFloat(x, verb === 'F' ? 'f' : verb, sp.prec >= 0 ? sp.prec : 'eEfF'.includes(verb) ? 6 : -1);
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
  else if (typeof v === 'object' && typeof (v as Record<symbol, unknown>)[STRINGER] === 'string')
    s = (v as Record<symbol, string>)[STRINGER];
  if (s !== undefined) {
    if (verb === 's') return sp.prec >= 0 ? Array.from(s).slice(0, sp.prec).join('') : s;
    if (verb === 'q') return goQuote(s);
    if (verb === 'x' || verb === 'X') {
      const h = Buffer.from(s, 'utf8').toString('hex');
      return verb === 'X' ? h.toUpperCase() : h;
    }
    return undefined;
  }
  if (depth > 20) return undefined;
  const f = isValuesContainer(v);
  const el = (y: unknown): string => {
    const e: Val = { v: y, float: f && typeof y === 'number' };
    return fmtArg(e, verb, sp, ph, depth + 1) ?? `%!${verb}(${goType(y, e.float)}=${fmtV(y, ph, e.float)})`;
  };
  if (Array.isArray(v)) return `[${v.map(el).join(' ')}]`;
  if (isMap(v))
    return `map[${sortedKeys(v)
      .map((k) => `${k}:${el(v[k])}`)
      .join(' ')}]`;
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
      else if (w < 0) {
        sp.minus = true;
        sp.width = -w;
      } else sp.width = w;
    } else {
      const m = /^\d+/.exec(format.slice(i, i + 10));
      if (m) {
        sp.width = Number(m[0]);
        i += m[0].length;
      }
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
    out += `%!(EXTRA ${args
      .slice(argNum)
      .map((a) => `${goType(a.v, a.float)}=${fmtV(a.v, ph, a.float)}`)
      .join(', ')})`;
  }
  return { text: out, spans };
}
