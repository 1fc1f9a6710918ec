// Helm's toYaml: sigs.k8s.io/yaml (JSON round trip, then gopkg.in/yaml.v2's emitter). Keys sorted the way
// yaml.v2 sorts them, 2-space indent, sequences not indented under their key, strings quoted when they would
// read back as something else, long lines folded at 80 columns, no trailing newline. Each scalar read from a
// values file maps to its values node.

import { formatFloat, type Ph } from './gofmt.js';
import { resolvesNonString } from './yaml-resolve.js';
import { analyze, BEST_WIDTH, ESCAPES, isBreak, isPrintable, sortKeys } from './yaml-scalar.js';
import type { TStr } from './tracked.js';
import type { Segment, ValueOrigin } from './types.js';
import { childProv, isMap, STRINGER, Unknown, type Val } from './value.js';

type Style = 'plain' | 'double' | 'literal';
interface Ctx {
  mapping?: boolean;
  simpleKey?: boolean;
}

class Emitter {
  private readonly buf: string[] = [];
  len = 0;
  private col = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private ws = true;
  private ind = true;
  readonly segs: Segment[] = [];

  constructor(
    private readonly ph: Ph,
    private readonly limit: number,
  ) {}

  private w(s: string): void {
    this.buf.push(s);
    this.len += s.length;
    this.col++;
    if (this.len > this.limit) throw new RangeError('toYaml output too large');
  }
  private brk(): void {
    this.buf.push('\n');
    this.len++;
    this.col = 0;
  }
  private inc(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? 2 : 0;
    else if (!indentless) this.indent += 2;
  }
  private pop(): void {
    this.indent = this.indents.pop()!;
  }
  writeIndent(): void {
    const i = Math.max(this.indent, 0);
    if (!this.ind || this.col > i || (this.col === i && !this.ws)) this.brk();
    while (this.col < i) this.w(' ');
    this.ws = true;
    this.ind = true;
  }
  private indicator(s: string, needWs: boolean, isWs: boolean, isInd: boolean): void {
    if (needWs && !this.ws) this.w(' ');
    for (const ch of s) this.w(ch);
    this.ws = isWs;
    this.ind = this.ind && isInd;
  }

  text(): string {
    const t = this.buf.join('');
    return t.endsWith('\n') ? t.slice(0, -1) : t;
  }

  node(v: unknown, src: ValueOrigin | undefined, ctx: Ctx, depth: number): void {
    if (depth > 1000) throw new RangeError('toYaml: value nested too deeply (a cycle?)');
    if (Array.isArray(v)) {
      if (v.length === 0) {
        this.emptyFlow('[', ']');
        return;
      }
      this.inc(false, !!ctx.mapping && !this.ind);
      v.forEach((item, i) => {
        this.writeIndent();
        this.indicator('-', true, false, true);
        this.node(item, childProv(v, i), {}, depth + 1);
      });
      this.pop();
      return;
    }
    if (isMap(v) && typeof (v as Record<symbol, unknown>)[STRINGER] !== 'string') {
      const keys = sortKeys(v);
      if (keys.length === 0) {
        this.emptyFlow('{', '}');
        return;
      }
      this.inc(false, false);
      for (const k of keys) {
        this.writeIndent();
        const a = analyze(k);
        if (!a.multiline && Buffer.byteLength(k) <= 128) {
          this.scalar(k, resolvesNonString(k) ? 'double' : 'plain', { mapping: true, simpleKey: true }, undefined);
          this.indicator(':', false, false, false);
        } else {
          this.indicator('?', true, false, true);
          this.scalar(k, k.includes('\n') ? 'literal' : resolvesNonString(k) ? 'double' : 'plain', { mapping: true }, undefined);
          this.writeIndent();
          this.indicator(':', true, false, true);
        }
        this.node(v[k], childProv(v, k), { mapping: true }, depth + 1);
      }
      this.pop();
      return;
    }
    const [text, style] = scalarOf(v, this.ph);
    this.scalar(text, style, ctx, src);
  }

  private emptyFlow(open: string, close: string): void {
    this.indicator(open, true, true, false);
    this.indicator(close, false, false, false);
  }

  private scalar(s: string, requested: Style, ctx: Ctx, src: ValueOrigin | undefined): void {
    const a = analyze(s);
    let style: Style | 'single' = requested;
    if (ctx.simpleKey && a.multiline) style = 'double';
    if (style === 'plain' && (!a.blockPlain || (s.length === 0 && ctx.simpleKey))) style = 'single';
    if (style === 'single' && !a.single) style = 'double';
    if (style === 'literal' && (!a.block || ctx.simpleKey)) style = 'double';
    this.inc(true, false);
    const start = this.len + (this.ws ? 0 : 1);
    const breaks = !ctx.simpleKey;
    if (style === 'plain') this.plain(s, breaks);
    else if (style === 'single') this.single(s, breaks);
    else if (style === 'double') this.double(s, breaks);
    else this.literal(s);
    this.pop();
    if (src && this.len > start) this.segs.push({ start, end: this.len, origin: src });
  }

  private plain(s: string, allowBreaks: boolean): void {
    if (!this.ws) this.w(' ');
    let spaces = false;
    for (let i = 0; i < s.length; i++) {
      const ch = s[i]!;
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.col > BEST_WIDTH && s[i + 1] !== ' ') this.writeIndent();
        else this.w(' ');
        spaces = true;
      } else {
        this.wchar(s, i);
        if (ch.charCodeAt(0) >= 0xd800 && ch.charCodeAt(0) < 0xdc00) i++;
        this.ind = false;
        spaces = false;
      }
    }
    this.ws = false;
    this.ind = false;
  }

  /** Write the code point at s[i] (one column). */
  private wchar(s: string, i: number): void {
    const c = s.codePointAt(i)!;
    this.w(String.fromCodePoint(c));
  }

  private single(s: string, allowBreaks: boolean): void {
    this.indicator("'", true, false, false);
    let spaces = false;
    for (let i = 0; i < s.length; i++) {
      const ch = s[i]!;
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.col > BEST_WIDTH && i > 0 && i < s.length - 1 && s[i + 1] !== ' ') this.writeIndent();
        else this.w(' ');
        spaces = true;
      } else {
        if (ch === "'") this.w("'");
        this.wchar(s, i);
        if (ch.charCodeAt(0) >= 0xd800 && ch.charCodeAt(0) < 0xdc00) i++;
        this.ind = false;
        spaces = false;
      }
    }
    this.indicator("'", false, false, false);
    this.ws = false;
    this.ind = false;
  }

  private double(s: string, allowBreaks: boolean): void {
    this.indicator('"', true, false, false);
    let spaces = false;
    for (let i = 0; i < s.length; i++) {
      const c = s.codePointAt(i)!;
      const wide = c > 0xffff;
      if (!isPrintable(c) || c === 0xfeff || isBreak(c) || c === 0x22 || c === 0x5c) {
        let e = ESCAPES[c];
        if (e === undefined) {
          const hex = c.toString(16).toUpperCase();
          e = c <= 0xff ? 'x' + hex.padStart(2, '0') : c <= 0xffff ? 'u' + hex.padStart(4, '0') : 'U' + hex.padStart(8, '0');
        }
        this.w('\\');
        for (const x of e) this.w(x);
        spaces = false;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.col > BEST_WIDTH && i > 0 && i < s.length - 1) {
          this.writeIndent();
          if (s[i + 1] === ' ') this.w('\\');
        } else this.w(' ');
        spaces = true;
      } else {
        this.w(String.fromCodePoint(c));
        spaces = false;
      }
      if (wide) i++;
    }
    this.indicator('"', false, false, false);
    this.ws = false;
    this.ind = false;
  }

  private literal(s: string): void {
    this.indicator('|', true, false, false);
    const first = s.codePointAt(0);
    if (first === 0x20 || (first !== undefined && isBreak(first))) this.indicator('2', false, false, false);
    const cps = Array.from(s, (ch) => ch.codePointAt(0)!);
    const n = cps.length;
    let chomp = '';
    if (n === 0 || !isBreak(cps[n - 1]!)) chomp = '-';
    else if (n === 1 || isBreak(cps[n - 2]!)) chomp = '+';
    if (chomp) this.indicator(chomp, false, false, false);
    this.brk();
    this.ind = true;
    this.ws = true;
    let breaks = true;
    for (const c of cps) {
      if (isBreak(c)) {
        if (c === 0x0a) this.brk();
        else {
          this.w(String.fromCodePoint(c));
          this.col = 0;
        }
        this.ind = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.w(String.fromCodePoint(c));
        this.ind = false;
        breaks = false;
      }
    }
  }
}

/** A non-collection value as yaml.v2 writes it after the JSON round trip: text and requested style. */
function scalarOf(v: unknown, ph: Ph): [string, Style] {
  if (v === null || v === undefined || typeof v === 'function') return ['null', 'plain'];
  if (typeof v === 'boolean') return [v ? 'true' : 'false', 'plain'];
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return [v.toFixed(0), 'plain'];
    const f = formatFloat(v, 'g');
    return [f === '+Inf' ? '.inf' : f === '-Inf' ? '-.inf' : f === 'NaN' ? '.nan' : f, 'plain'];
  }
  let s: string;
  if (v instanceof Unknown) s = ph(v);
  else if (typeof v === 'string') s = v;
  else {
    const stringer = (v as Record<symbol, unknown>)[STRINGER];
    s =
      typeof stringer === 'string'
        ? stringer
        : typeof v === 'bigint' || typeof v === 'symbol'
          ? String(v)
          : Object.prototype.toString.call(v);
  }
  if (s.includes('\n')) return [s, 'literal'];
  return [s, resolvesNonString(s) ? 'double' : 'plain'];
}

/** toYaml of a value; values-file scalars inside keep their nodes as origins. Throws RangeError past `limit`. */
export function toYaml(x: Val, ph: Ph, limit: number): TStr {
  const e = new Emitter(ph, limit);
  e.node(x.v, x.src, {}, 0);
  e.writeIndent();
  const text = e.text();
  const segs = e.segs.filter((s) => s.end <= text.length);
  return segs.length ? { text, tr: { segs, unc: [] } } : { text };
}
