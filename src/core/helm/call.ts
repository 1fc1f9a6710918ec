// What template functions see (CallCtx) and the small conversions they share: Sprig's strval, cast's
// ToInt64/ToFloat64, and wrappers that make a function return Unknown when an argument is unknown.

import { fmtV, type Ph } from './gofmt.js';
import { tstrOf, type TStr } from './tracked.js';
import type { DiagnosticKind } from './types.js';
import { hasUnknown, isUnknownText, STRINGER, Unknown, type Val } from './value.js';

/** An action fails the way it fails in Helm (wrong type, missing template…): reported, the action becomes unknown. */
export class TplError extends Error {}

export interface CallCtx {
  /** The function's name as called. */
  readonly name: string;
  /** Placeholder text for an Unknown (a fresh one per call). */
  readonly ph: Ph;
  diag(message: string, kind: DiagnosticKind): void;
  include(name: Val, data: Val): Val;
  tpl(text: Val, data: Val): Val;
}

export type Fn = (c: CallCtx, args: Val[]) => Val;
export interface FnDef {
  min: number;
  max: number;
  fn: Fn;
}
export type FnTable = Record<string, FnDef>;

export const unknown = (reason: string, truth?: boolean): Val => ({ v: new Unknown(reason, truth) });

export function firstUnknown(args: Val[]): Unknown | undefined {
  for (const a of args) if (a.v instanceof Unknown) return a.v;
  return undefined;
}

/** A function of plain values; any Unknown argument makes the result unknown. */
export function pure(min: number, max: number, f: (...vs: unknown[]) => unknown): FnDef {
  return {
    min,
    max,
    fn: (c, args) => {
      const u = firstUnknown(args);
      if (u) return unknown(`${c.name} of an unknown value (${u.reason})`, undefined);
      return { v: f(...args.map((a) => a.v)) };
    },
  };
}

/** A function that handles Vals itself. */
export const def = (min: number, max: number, fn: Fn): FnDef => ({ min, max, fn });

/** Sprig's strval: strings as they are, everything else as %v; Unknown as a placeholder. */
export function strval(c: CallCtx, x: Val): string {
  const v = x.v;
  if (typeof v === 'string') return v;
  const stringer = typeof v === 'object' && v !== null ? (v as Record<symbol, unknown>)[STRINGER] : undefined;
  if (typeof stringer === 'string') return stringer;
  return fmtV(v, c.ph, x.float);
}

/** A string argument with its track (placeholders for unknowns). */
export function tstr(c: CallCtx, x: Val): TStr {
  return tstrOf(x, strval(c, x));
}

/** Result of a string transformation: unknown if it damaged a placeholder of the input. */
export function keepsUnknowns(name: string, input: string, output: string): Val | undefined {
  if (!isUnknownText(input)) return undefined;
  const ids = input.match(/__kc_unknown_\d+__/g) ?? [];
  return ids.every((id) => output.includes(id)) ? undefined : unknown(`${name} of a string holding an unknown value`);
}

/** A string → string function that keeps placeholders intact or becomes unknown. */
export function strFn(min: number, max: number, f: (...vs: unknown[]) => string, strArg = max - 1): FnDef {
  return {
    min,
    max,
    fn: (c, args) => {
      const u = firstUnknown(args);
      if (u) return unknown(`${c.name} of an unknown value (${u.reason})`);
      const vs = args.map((a, i) => (i === strArg ? strval(c, a) : a.v));
      const out = f(...vs);
      return keepsUnknowns(c.name, (vs[strArg] as string | undefined) ?? '', out) ?? { v: out };
    },
  };
}

/** cast.ToInt64 as Sprig uses it (errors give 0). */
export function toInt(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    let s = v.trim();
    if (/^[-+]?\d+\.0*$/.test(s)) s = s.replace(/\.0*$/, '');
    const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)$/.exec(s.replace(/_/g, ''));
    if (!m) return 0;
    const body = m[2]!;
    const n = /^0[xX]/.test(body)
      ? parseInt(body.slice(2), 16)
      : /^0[bB]/.test(body)
        ? parseInt(body.slice(2), 2)
        : /^0[oO]?[0-7]+$/.test(body)
          ? parseInt(body.replace(/^0[oO]?/, ''), 8)
          : parseInt(body, 10);
    return m[1] === '-' ? -n : n;
  }
  return 0;
}

/** cast.ToFloat64 (errors give 0). */
export function toFloat(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.trim();
    return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? parseFloat(s) : 0;
  }
  return 0;
}

/** Unknown if any argument holds an unknown anywhere (comparisons, predicates). */
export function unknownIn(c: CallCtx, args: Val[]): Val | undefined {
  for (const a of args) if (hasUnknown(a.v)) return unknown(`${c.name} of an unknown value`);
  return undefined;
}
