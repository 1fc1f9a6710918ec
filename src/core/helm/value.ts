// The evaluator's value model: Go values as JS values (nil = null, maps = plain objects, slices = arrays),
// Unknown, and Val — a value plus where it came from (a values node, or a tracked rendered string).

import type { Region, Segment, ValueOrigin } from './types.js';

/** A value that cannot be known when rendering offline. `truth` is set when only its truthiness is known. */
export class Unknown {
  constructor(
    readonly reason: string,
    readonly truth?: boolean,
  ) {}
}

/** Objects with this key print as its value (Go Stringers such as .Capabilities.KubeVersion). */
export const STRINGER: unique symbol = Symbol('kubeconn.helm.stringer');

export type GoMap = Record<string, unknown>;

/** Rendered-text provenance of a string value, relative to the string. Gaps belong to whoever writes it. */
export interface Track {
  segs: Segment[];
  unc: Region[];
}

export interface Val {
  v: unknown;
  /** The value is this values-file node (passed through unchanged, or converted like `int`, `quote`). */
  src?: ValueOrigin;
  /** v is a string whose characters have these origins (include output, toYaml, nindent…). */
  tr?: Track;
  /** A number that Go holds as float64 (every number read from values; float literals). */
  float?: boolean;
}

export const NIL: Val = Object.freeze({ v: null });
export const val = (v: unknown): Val => ({ v });

export function isMap(v: unknown): v is GoMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
}

/** Set a key without ever touching the prototype ("__proto__" is an ordinary key here). */
export function setKey(m: GoMap, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
  else m[k] = v;
}

export function getKey(m: GoMap, k: string): unknown {
  return Object.prototype.hasOwnProperty.call(m, k) ? m[k] : undefined;
}

export function hasKey(m: GoMap, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, k);
}

/** Go's truthiness; undefined when the value is unknown. */
export function truth(v: unknown): boolean | undefined {
  if (v === null || v === undefined) return false;
  if (v instanceof Unknown) return v.truth;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'string':
      return v.length > 0;
    case 'function':
      return true;
  }
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && (v as Record<symbol, unknown>)[STRINGER] !== undefined) return true;
  return Object.keys(v).length > 0;
}

// ---- provenance of values containers -------------------------------------------------------------

const provTable = new WeakMap<object, Map<string | number, ValueOrigin>>();

/** Record that container[key] came from a values node. */
export function setChildProv(container: object, key: string | number, origin: ValueOrigin | undefined): void {
  let m = provTable.get(container);
  if (!origin) {
    m?.delete(key);
    return;
  }
  if (!m) provTable.set(container, (m = new Map<string | number, ValueOrigin>()));
  m.set(key, origin);
}

export function childProv(container: object, key: string | number): ValueOrigin | undefined {
  return provTable.get(container)?.get(key);
}

/** Whether a container came from a values file (its numbers are float64, as Helm's JSON round trip makes them). */
export function isValuesContainer(container: object): boolean {
  return provTable.has(container);
}

/** Mark a container as coming from values even when none of its keys has a node (e.g. a merged map). */
export function markValuesContainer(container: object): void {
  if (!provTable.has(container)) provTable.set(container, new Map());
}

/** container[key] as a Val, with the child's values node and float64-ness. */
export function child(container: unknown, key: string | number): Val {
  let v: unknown;
  if (Array.isArray(container)) v = typeof key === 'number' ? container[key] : undefined;
  else if (isMap(container)) v = getKey(container, String(key));
  else return NIL;
  if (v === undefined) v = null;
  const c = container as object;
  const src = childProv(c, key);
  const out: Val = { v };
  if (src) out.src = src;
  if (typeof v === 'number' && isValuesContainer(c)) out.float = true;
  return out;
}

// ---- unknown placeholders -------------------------------------------------------------------------

export const PLACEHOLDER_PREFIX = '__kc_unknown_';
export const PLACEHOLDER_RE = /__kc_unknown_(\d+)__/g;

/** Does a rendered scalar contain an unknown placeholder. */
export function isUnknownText(text: string): boolean {
  return text.includes(PLACEHOLDER_PREFIX) && /__kc_unknown_\d+__/.test(text);
}

/** Does a value contain an unknown anywhere (an Unknown, or a string holding a placeholder). */
export function hasUnknown(v: unknown, depth = 0): boolean {
  if (v instanceof Unknown) return true;
  if (typeof v === 'string') return isUnknownText(v);
  if (depth > 50 || typeof v !== 'object' || v === null) return false;
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (hasUnknown(x, depth + 1)) return true;
  return false;
}

/** Go type name of a value, as %T / typeOf print it. */
export function goType(v: unknown, float = false): string {
  if (v === null || v === undefined) return '<nil>';
  if (v instanceof Unknown) return 'string';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return float || !Number.isInteger(v) ? 'float64' : 'int';
    case 'function':
      return 'func';
  }
  if (Array.isArray(v)) return '[]interface {}';
  if ((v as Record<symbol, unknown>)[STRINGER] !== undefined) return 'struct';
  return 'map[string]interface {}';
}

/** Go reflect.Kind name (kindOf / kindIs). */
export function goKind(v: unknown, float = false): string {
  const t = goType(v, float);
  if (t === '<nil>') return 'invalid';
  if (t.startsWith('[]')) return 'slice';
  if (t.startsWith('map')) return 'map';
  return t;
}

/** Sorted keys of a Go map (Go's range and fmt order: byte-wise). */
export function sortedKeys(m: GoMap): string[] {
  return Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Structural equality (reflect.DeepEqual on values from templates and values files). */
export function deepEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (depth > 100 || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Unknown || b instanceof Unknown) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i], depth + 1));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => hasKey(b as GoMap, k) && deepEqual((a as GoMap)[k], (b as GoMap)[k], depth + 1));
}
