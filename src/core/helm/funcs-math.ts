// Comparison (Go's eq ne lt le gt ge), arithmetic and number conversions (Sprig: int64 arithmetic, the
// ...f float variants, int/int64/float64/atoi). A comparison involving an unknown value is unknown.

import { def, strval, toFloat, toInt, TplError, unknownIn, type CallCtx, type FnTable } from './call.js';
import { goType, Unknown, type Val } from './value.js';

type Kind = 'nil' | 'bool' | 'number' | 'string' | 'other';

function kind(v: unknown): Kind {
  if (v === null || v === undefined) return 'nil';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
  }
  return 'other';
}

/** Go's eq for two values; Go refuses some comparisons, which are reported and answered as Go's types allow. */
function eq2(c: CallCtx, a: Val, b: Val): boolean {
  const ka = kind(a.v);
  const kb = kind(b.v);
  if (ka === 'nil' || kb === 'nil') return ka === kb;
  if (ka !== kb) {
    c.diag(`${c.name}: incompatible types for comparison (${goType(a.v, a.float)} and ${goType(b.v, b.float)})`, 'eval');
    return false;
  }
  if (ka === 'number') numberKinds(c, a, b);
  if (ka === 'other') throw new TplError(`${c.name}: non-comparable type ${goType(a.v)}`);
  return a.v === b.v;
}

/** Go refuses to compare an int with a float64 (and every number from values is a float64): report it. */
function numberKinds(c: CallCtx, a: Val, b: Val): void {
  if (goType(a.v, a.float) !== goType(b.v, b.float)) {
    c.diag(
      `${c.name}: incompatible types for comparison (${goType(a.v, a.float)} and ${goType(b.v, b.float)}); Helm reads numbers from values as float64`,
      'eval',
    );
  }
}

function order(c: CallCtx, a: Val, b: Val): number {
  const ka = kind(a.v);
  const kb = kind(b.v);
  if (ka !== kb || (ka !== 'number' && ka !== 'string')) {
    throw new TplError(`${c.name}: incompatible types for comparison (${goType(a.v, a.float)} and ${goType(b.v, b.float)})`);
  }
  if (ka === 'number') numberKinds(c, a, b);
  return (a.v as number) < (b.v as number) ? -1 : (a.v as number) > (b.v as number) ? 1 : 0;
}

const cmp = (test: (n: number) => boolean) => def(2, 2, (c, [a, b]) => unknownIn(c, [a!, b!]) ?? { v: test(order(c, a!, b!)) });

/** int64 arithmetic on any number of arguments; unknown in, unknown out. */
function intOp(min: number, max: number, f: (ns: number[]) => number) {
  return def(min, max, (c, args) => {
    for (const a of args) if (a.v instanceof Unknown) return { v: new Unknown(`${c.name} of an unknown value (${a.v.reason})`) };
    return { v: f(args.map((a) => toInt(a.v))) };
  });
}

function floatOp(min: number, max: number, f: (ns: number[]) => number) {
  return def(min, max, (c, args) => {
    for (const a of args) if (a.v instanceof Unknown) return { v: new Unknown(`${c.name} of an unknown value (${a.v.reason})`) };
    return { v: f(args.map((a) => toFloat(a.v))), float: true };
  });
}

const idiv = (a: number, b: number): number => {
  if (b === 0) throw new TplError('integer divide by zero');
  return Math.trunc(a / b);
};

/** A conversion that keeps the values node (the rendered number is still that node). */
function conv(f: (v: unknown) => number, float: boolean) {
  return def(1, 1, (_c, [x]) => {
    if (x!.v instanceof Unknown) return x!;
    const out: Val = { v: f(x!.v) };
    if (float) out.float = true;
    if (x!.src) out.src = x!.src;
    return out;
  });
}

export const mathFuncs: FnTable = {
  eq: def(2, Infinity, (c, [a, ...bs]) => unknownIn(c, [a!, ...bs]) ?? { v: bs.some((b) => eq2(c, a!, b)) }),
  ne: def(2, 2, (c, [a, b]) => unknownIn(c, [a!, b!]) ?? { v: !eq2(c, a!, b!) }),
  lt: cmp((n) => n < 0),
  le: cmp((n) => n <= 0),
  gt: cmp((n) => n > 0),
  ge: cmp((n) => n >= 0),
  add: intOp(0, Infinity, (ns) => ns.reduce((s, n) => s + n, 0)),
  add1: intOp(1, 1, ([n]) => n! + 1),
  sub: intOp(2, 2, ([a, b]) => a! - b!),
  mul: intOp(1, Infinity, (ns) => ns.reduce((s, n) => s * n, 1)),
  div: intOp(2, 2, ([a, b]) => idiv(a!, b!)),
  mod: intOp(2, 2, ([a, b]) => {
    if (b === 0) throw new TplError('integer divide by zero');
    return a! % b!;
  }),
  max: intOp(1, Infinity, (ns) => Math.max(...ns)),
  biggest: intOp(1, Infinity, (ns) => Math.max(...ns)),
  min: intOp(1, Infinity, (ns) => Math.min(...ns)),
  addf: floatOp(0, Infinity, (ns) => ns.reduce((s, n) => s + n, 0)),
  add1f: floatOp(1, 1, ([n]) => n! + 1),
  subf: floatOp(1, Infinity, ([a, ...r]) => r.reduce((s, n) => s - n, a!)),
  mulf: floatOp(1, Infinity, (ns) => ns.reduce((s, n) => s * n, 1)),
  divf: floatOp(1, Infinity, ([a, ...r]) => r.reduce((s, n) => s / n, a!)),
  maxf: floatOp(1, Infinity, (ns) => Math.max(...ns)),
  minf: floatOp(1, Infinity, (ns) => Math.min(...ns)),
  floor: floatOp(1, 1, ([n]) => Math.floor(n!)),
  ceil: floatOp(1, 1, ([n]) => Math.ceil(n!)),
  round: floatOp(2, 3, ([n, p, on]) => {
    const pow = 10 ** p!;
    const d = n! * pow;
    const f = Math.floor(d);
    return (d - f >= (on ?? 0.5) ? f + 1 : f) / pow;
  }),
  int: conv(toInt, false),
  int64: conv(toInt, false),
  float64: conv(toFloat, true),
  atoi: def(1, 1, (c, [x]) => {
    if (x!.v instanceof Unknown) return x!;
    const s = strval(c, x!).trim();
    return { v: /^[-+]?\d+$/.test(s) ? parseInt(s, 10) : 0, ...(x!.src ? { src: x!.src } : {}) };
  }),
};
