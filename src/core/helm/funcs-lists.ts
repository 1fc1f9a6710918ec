// List and dict template functions (Go's index/len/slice, Sprig's list and dict functions). Values read out
// of a values container keep their values node; dicts built or merged from values keep their nodes too.

import { def, firstUnknown, strval, toInt, TplError, unknown, type CallCtx, type Fn, type FnDef, type FnTable } from './call.js';
import { strslice } from './funcs-strings.js';
import { copyValue } from './values.js';
import {
  child,
  childProv,
  deepEqual,
  getKey,
  hasKey,
  isMap,
  markValuesContainer,
  setChildProv,
  setKey,
  sortedKeys,
  truth,
  Unknown,
  type GoMap,
  type Val,
} from './value.js';

const MAX_LIST = 100_000;

/** Thrown by argument checks to return a value (an unknown) from the function at once. */
class Bail extends Error {
  constructor(readonly val: Val) {
    super('bail');
  }
}

/** A function whose argument checks may bail out with an unknown. */
const lfn = (min: number, max: number, fn: Fn): FnDef =>
  def(min, max, (c, args) => {
    try {
      return fn(c, args);
    } catch (e) {
      if (e instanceof Bail) return e.val;
      throw e;
    }
  });

function list(c: CallCtx, x: Val): unknown[] {
  const v = x.v;
  if (v instanceof Unknown) throw new Bail(unknown(`${c.name} of an unknown list (${v.reason})`));
  if (Array.isArray(v)) return v;
  if (v === null || v === undefined) return [];
  throw new TplError(`${c.name}: expected a list, got ${typeof v}`);
}

function dictArg(c: CallCtx, x: Val): GoMap {
  const v = x.v;
  if (v instanceof Unknown) throw new Bail(unknown(`${c.name} of an unknown dict (${v.reason})`));
  if (isMap(v)) return v;
  throw new TplError(`${c.name}: expected a dict, got ${v === null ? 'nil' : typeof v}`);
}

/** A new list of Vals, keeping values nodes of the elements. */
function makeList(items: Val[]): Val {
  const out = items.map((i) => i.v);
  items.forEach((item, i) => {
    if (item.src) setChildProv(out, i, item.src);
  });
  return { v: out };
}

function elems(arr: unknown[]): Val[] {
  return arr.map((_, i) => child(arr, i));
}

/** mergo.Merge (overwrite=false: fill missing/empty keys) / WithOverride, as Sprig's merge and mergeOverwrite. */
function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean, depth = 0): void {
  if (depth > 100) return;
  for (const k of Object.keys(src)) {
    const sv = src[k];
    const dv = getKey(dst, k);
    if (isMap(sv) && isMap(dv)) {
      mergeInto(dv, sv, overwrite, depth + 1);
      continue;
    }
    if (sv === null || sv === undefined) {
      if (overwrite) setKey(dst, k, null);
      continue;
    }
    const dstEmpty = dv === undefined || truth(dv) === false;
    if (overwrite ? !(isMap(sv) && !dstEmpty) : dstEmpty) {
      setKey(dst, k, sv);
      setChildProv(dst, k, childProv(src, k));
    }
  }
}

export const listFuncs: FnTable = {
  list: lfn(0, Infinity, (_c, args) => makeList(args)),
  tuple: lfn(0, Infinity, (_c, args) => makeList(args)),
  append: lfn(2, 2, (c, [l, x]) => {
    const a = list(c, l!);
    return makeList([...elems(a), x!]);
  }),
  prepend: lfn(2, 2, (c, [l, x]) => {
    const a = list(c, l!);
    return makeList([x!, ...elems(a)]);
  }),
  concat: lfn(0, Infinity, (c, args) => {
    const out: Val[] = [];
    for (const l of args) {
      const a = list(c, l);
      out.push(...elems(a));
    }
    return makeList(out);
  }),
  first: lfn(1, 1, (c, [l]) => {
    const a = list(c, l!);
    return a.length ? child(a, 0) : { v: null };
  }),
  last: lfn(1, 1, (c, [l]) => {
    const a = list(c, l!);
    return a.length ? child(a, a.length - 1) : { v: null };
  }),
  rest: lfn(1, 1, (c, [l]) => {
    const a = list(c, l!);
    return makeList(elems(a).slice(1));
  }),
  initial: lfn(1, 1, (c, [l]) => {
    const a = list(c, l!);
    return makeList(elems(a).slice(0, -1));
  }),
  reverse: lfn(1, 1, (c, [l]) => {
    const a = list(c, l!);
    return makeList(elems(a).reverse());
  }),
  has: lfn(2, 2, (c, [needle, l]) => {
    if (needle!.v instanceof Unknown) return unknown('has of an unknown value');
    const a = list(c, l!);
    return a.some((x) => x instanceof Unknown) ? unknown('has in a list holding unknowns') : { v: a.some((x) => deepEqual(x, needle!.v)) };
  }),
  without: lfn(1, Infinity, (c, [l, ...omit]) => {
    const a = list(c, l!);
    return makeList(elems(a).filter((e) => !omit.some((o) => deepEqual(o.v, e.v))));
  }),
  uniq: lfn(1, 1, (c, [l]) => {
    const a = list(c, l!);
    const out: Val[] = [];
    for (const e of elems(a)) if (!out.some((o) => deepEqual(o.v, e.v))) out.push(e);
    return makeList(out);
  }),
  compact: lfn(1, 1, (c, [l]) => {
    const a = list(c, l!);
    return makeList(elems(a).filter((e) => truth(e.v) !== false));
  }),
  sortAlpha: lfn(1, 1, (c, [l]) => (l!.v instanceof Unknown ? l! : { v: strslice(c, l!).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)) })),
  slice: lfn(1, 3, (c, [l, i, j]) => {
    if (typeof l!.v === 'string') return { v: l!.v.slice(i ? toInt(i.v) : 0, j ? toInt(j.v) : undefined) };
    const a = list(c, l!);
    return makeList(elems(a).slice(i ? toInt(i.v) : 0, j ? toInt(j.v) : undefined));
  }),
  until: lfn(1, 1, (_c, [n]) => range(0, toInt(n!.v), toInt(n!.v) >= 0 ? 1 : -1)),
  untilStep: lfn(3, 3, (_c, [a, b, s]) => range(toInt(a!.v), toInt(b!.v), toInt(s!.v))),
  seq: lfn(0, 3, (_c, args) => {
    const n = args.map((a) => toInt(a.v));
    const [start, stop, step] =
      n.length === 1
        ? [1, n[0]!, n[0]! >= 1 ? 1 : -1]
        : n.length === 2
          ? [n[0]!, n[1]!, n[1]! >= n[0]! ? 1 : -1]
          : n.length === 3
            ? [n[0]!, n[2]!, n[1]!]
            : [0, -1, 1];
    const out: number[] = [];
    if (step === 0 || (stop - start) / step > MAX_LIST) return { v: '' };
    for (let x = start; step > 0 ? x <= stop : x >= stop; x += step) out.push(x);
    return { v: out.join(' ') };
  }),
  dict: lfn(0, Infinity, (c, args) => {
    const d: GoMap = {};
    for (let i = 0; i < args.length; i += 2) {
      const k = strval(c, args[i]!);
      const v = args[i + 1];
      setKey(d, k, v ? v.v : '');
      if (v?.src) setChildProv(d, k, v.src);
    }
    return { v: d };
  }),
  get: lfn(2, 2, (c, [d, k]) => {
    const m = dictArg(c, d!);
    const key = strval(c, k!);
    return hasKey(m, key) ? child(m, key) : { v: '' };
  }),
  set: lfn(3, 3, (c, [d, k, v]) => {
    const m = dictArg(c, d!);
    const key = strval(c, k!);
    setKey(m, key, v!.v);
    setChildProv(m, key, v!.src);
    return d!;
  }),
  unset: lfn(2, 2, (c, [d, k]) => {
    const m = dictArg(c, d!);
    Reflect.deleteProperty(m, strval(c, k!));
    return d!;
  }),
  hasKey: lfn(2, 2, (c, [d, k]) => {
    const m = dictArg(c, d!);
    return { v: hasKey(m, strval(c, k!)) };
  }),
  keys: lfn(0, Infinity, (c, ds) => {
    const out = new Set<string>();
    for (const d of ds) {
      const m = dictArg(c, d);
      for (const k of Object.keys(m)) out.add(k);
    }
    return { v: [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
  }),
  values: lfn(1, 1, (c, [d]) => {
    const m = dictArg(c, d!);
    return makeList(sortedKeys(m).map((k) => child(m, k)));
  }),
  pluck: lfn(1, Infinity, (c, [k, ...ds]) => {
    const key = strval(c, k!);
    const out: Val[] = [];
    for (const d of ds) {
      const m = dictArg(c, d);
      if (hasKey(m, key)) out.push(child(m, key));
    }
    return makeList(out);
  }),
  pick: lfn(1, Infinity, (c, [d, ...ks]) => {
    const m = dictArg(c, d!);
    const out: GoMap = {};
    for (const k of ks.map((x) => strval(c, x)))
      if (hasKey(m, k)) {
        setKey(out, k, m[k]);
        setChildProv(out, k, childProv(m, k));
      }
    return { v: out };
  }),
  omit: lfn(1, Infinity, (c, [d, ...ks]) => {
    const m = dictArg(c, d!);
    const drop = new Set(ks.map((x) => strval(c, x)));
    const out: GoMap = {};
    for (const k of Object.keys(m))
      if (!drop.has(k)) {
        setKey(out, k, m[k]);
        setChildProv(out, k, childProv(m, k));
      }
    return { v: out };
  }),
  dig: lfn(3, Infinity, (c, args) => {
    const d = args[args.length - 1]!;
    const dflt = args[args.length - 2]!;
    let cur: Val = d;
    for (const k of args.slice(0, -2)) {
      if (cur.v instanceof Unknown) return cur;
      if (!isMap(cur.v) || !hasKey(cur.v, strval(c, k))) return dflt;
      cur = child(cur.v, strval(c, k));
    }
    return cur;
  }),
  merge: lfn(1, Infinity, (c, [dst, ...srcs]) => mergeVals(c, dst!, srcs, false)),
  mergeOverwrite: lfn(1, Infinity, (c, [dst, ...srcs]) => mergeVals(c, dst!, srcs, true)),
  deepCopy: lfn(1, 1, (_c, [x]) => ({ v: copyValue(x!.v) })),
  index: lfn(1, Infinity, (c, [coll, ...keys]) => {
    let cur: Val = coll!;
    for (const k of keys) {
      if (cur.v instanceof Unknown) return cur;
      if (k.v instanceof Unknown) return unknown(`index by an unknown key (${k.v.reason})`);
      if (cur.v === null || cur.v === undefined) return { v: null };
      if (Array.isArray(cur.v)) {
        const i = typeof k.v === 'number' ? Math.trunc(k.v) : NaN;
        if (!(i >= 0 && i < cur.v.length)) throw new TplError(`index out of range: ${String(k.v)}`);
        cur = child(cur.v, i);
      } else if (isMap(cur.v)) cur = child(cur.v, strval(c, k));
      else throw new TplError(`can't index item of type ${typeof cur.v}`);
    }
    return cur;
  }),
  len: lfn(1, 1, (_c, [x]) => {
    const v = x!.v;
    if (v instanceof Unknown) return unknown(`len of an unknown value (${v.reason})`);
    if (typeof v === 'string') return { v: Buffer.byteLength(v) };
    if (Array.isArray(v)) return { v: v.length };
    if (isMap(v)) return { v: Object.keys(v).length };
    throw new TplError(`len of ${v === null || v === undefined ? 'nil' : `type ${typeof v}`}`);
  }),
};

function range(start: number, stop: number, step: number): Val {
  if (step === 0 || (stop - start) / step > MAX_LIST) throw new TplError(`list of more than ${MAX_LIST} items`);
  const out: number[] = [];
  for (let x = start; step > 0 ? x < stop : x > stop; x += step) out.push(x);
  return { v: out };
}

function mergeVals(c: CallCtx, dst: Val, srcs: Val[], overwrite: boolean): Val {
  const u = firstUnknown([dst, ...srcs]);
  if (u) return unknown(`${c.name} of an unknown dict (${u.reason})`);
  if (!isMap(dst.v)) throw new TplError(`${c.name}: expected a dict`);
  for (const s of srcs) if (isMap(s.v)) mergeInto(dst.v, s.v, overwrite);
  if (srcs.some((s) => isMap(s.v) && Object.keys(s.v).some((k) => childProv(s.v as object, k)))) markValuesContainer(dst.v);
  return dst;
}
