// Values: values files parsed with `yaml` (YAML 1.1 like Helm's yaml.v2) into plain JS that remembers each
// node's file, range and path; merging of -f files; and Helm's coalescing of chart defaults, user values,
// subchart sections and globals (user null deletes a default).

import { isAlias, isMap as isYamlMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { Diagnostic } from './types.js';
import { childProv, getKey, hasKey, isMap, markValuesContainer, setChildProv, setKey, type GoMap } from './value.js';

const NODE_BUDGET = 200_000;

const cache = new Map<string, { text: string; withProv: boolean; value: unknown; diags: Diagnostic[] }>();

/**
 * Parse one YAML document into plain JS (YAML 1.1 as Helm reads it); errors become diagnostics.
 * Results are cached by file and text: callers copy before they change anything (copyValue keeps provenance).
 */
export function parseYaml(file: string, text: string, diags: Diagnostic[], withProv: boolean): unknown {
  const key = `${withProv ? 'p' : 'n'}${file}`;
  const hit = cache.get(key);
  if (hit && hit.text === text) {
    diags.push(...hit.diags);
    return hit.value;
  }
  const mine: Diagnostic[] = [];
  const value = parseYamlUncached(file, text, mine, withProv);
  if (cache.size > 500) cache.clear();
  cache.set(key, { text, withProv, value, diags: mine });
  diags.push(...mine);
  return value;
}

function parseYamlUncached(file: string, text: string, diags: Diagnostic[], withProv: boolean): unknown {
  let doc: Document;
  try {
    doc = parseDocument(text, { version: '1.1', uniqueKeys: false, prettyErrors: false, merge: true, logLevel: 'error' });
  } catch (e) {
    diags.push({ file, start: 0, end: 0, message: `cannot parse: ${(e as Error).message}`, kind: 'values' });
    return null;
  }
  for (const err of doc.errors) {
    diags.push({ file, start: err.pos[0], end: err.pos[1], message: err.message.split('\n')[0]!, kind: 'values' });
  }
  const st = { budget: NODE_BUDGET, file, doc, withProv };
  const v = toJS(doc.contents, [], st, 0);
  if (st.budget < 0)
    diags.push({ file, start: 0, end: 0, message: 'values file expands to too many nodes (alias bomb?); truncated', kind: 'values' });
  return v;
}

/** Parse a values file (or Chart.yaml): a map; errors become diagnostics and what parsed is kept. */
export function parseValues(file: string, text: string, diags: Diagnostic[], withProv = true): GoMap {
  const v = parseYaml(file, text, diags, withProv);
  if (isMap(v)) return v;
  if (v !== null) diags.push({ file, start: 0, end: text.length, message: 'values file is not a map', kind: 'values' });
  const empty = {};
  if (withProv) markValuesContainer(empty);
  return empty;
}

interface St {
  budget: number;
  file: string;
  doc: Document;
  withProv: boolean;
  aliases?: Map<YamlNode, YamlNode | undefined>;
}

/** An alias's target, resolved once per alias (yaml's resolve walks the document). */
function resolveAlias(node: YamlNode, st: St): YamlNode | undefined {
  st.aliases ??= new Map();
  if (!st.aliases.has(node)) st.aliases.set(node, (node as unknown as { resolve(d: Document): YamlNode | undefined }).resolve(st.doc));
  return st.aliases.get(node);
}

function scalarValue(node: YamlNode & { value?: unknown; source?: string; format?: string }): unknown {
  const v = node.value;
  // yaml.v2 reads timestamps and base-60 numbers back as the strings they are.
  if (v instanceof Date || node.format === 'TIME') return String(node.source ?? v);
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint8Array) return node.source ?? '';
  if (typeof v === 'symbol') return '<<';
  return v === undefined ? null : v;
}

function toJS(node: YamlNode | null, path: (string | number)[], st: St, depth: number): unknown {
  if (--st.budget < 0 || depth > 500 || !node) return null;
  if (isAlias(node)) {
    const target = resolveAlias(node, st);
    return target ? toJS(target, path, st, depth + 1) : null;
  }
  if (isScalar(node)) return scalarValue(node);
  const prov = (n: YamlNode | null | undefined, p: (string | number)[]) => {
    const target = n && isAlias(n) ? resolveAlias(n, st) : n;
    const r = target?.range;
    return st.withProv && r ? { kind: 'value' as const, file: st.file, start: r[0], end: r[1], path: p } : undefined;
  };
  if (isSeq(node)) {
    const out: unknown[] = [];
    if (st.withProv) markValuesContainer(out);
    node.items.forEach((item, i) => {
      const p = [...path, i];
      out.push(toJS(item as YamlNode, p, st, depth + 1));
      if (st.withProv) setChildProv(out, i, prov(item as YamlNode, p));
    });
    return out;
  }
  if (isYamlMap(node)) {
    const out: GoMap = {};
    if (st.withProv) markValuesContainer(out);
    const merges: GoMap[] = [];
    for (const pair of node.items) {
      const k = pair.key as YamlNode | null;
      const kv = k && isScalar(k) ? k.value : k ? toJS(k, path, st, depth + 1) : null;
      if (typeof kv === 'symbol' || kv === '<<') {
        const src = toJS(pair.value as YamlNode, path, st, depth + 1);
        for (const m of Array.isArray(src) ? src : [src]) if (isMap(m)) merges.push(m);
        continue;
      }
      const key =
        typeof kv === 'string'
          ? kv
          : typeof kv === 'number' || typeof kv === 'boolean' || typeof kv === 'bigint'
            ? String(kv)
            : typeof kv === 'object' && kv !== null
              ? JSON.stringify(kv)
              : 'null';
      const p = [...path, key];
      setKey(out, key, toJS(pair.value as YamlNode, p, st, depth + 1));
      if (st.withProv) setChildProv(out, key, prov((pair.value as YamlNode) ?? k, p));
    }
    for (const m of merges) {
      for (const key of Object.keys(m)) {
        if (hasKey(out, key)) continue;
        setKey(out, key, m[key]);
        if (st.withProv) setChildProv(out, key, childProv(m, key));
      }
    }
    return out;
  }
  return null;
}

/** A deep copy that keeps provenance. */
export function copyValue(v: unknown, depth = 0): unknown {
  if (depth > 500 || typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = v.map((x) => copyValue(x, depth + 1));
    copyProv(
      v,
      out,
      v.map((_, i) => i),
    );
    return out;
  }
  if (!isMap(v)) return v;
  const out: GoMap = {};
  for (const k of Object.keys(v)) setKey(out, k, copyValue(v[k], depth + 1));
  copyProv(v, out, Object.keys(v));
  return out;
}

function copyProv(from: object, to: object, keys: (string | number)[]): void {
  const anyProv = keys.some((k) => childProv(from, k));
  if (anyProv) markValuesContainer(to);
  for (const k of keys) {
    const p = childProv(from, k);
    if (p) setChildProv(to, k, p);
  }
}

function put(dst: GoMap, k: string, from: GoMap, v: unknown): void {
  setKey(dst, k, v);
  setChildProv(dst, k, childProv(from, k));
}

/** Merge values files the way `helm -f a -f b` does: later maps merged into earlier ones, others replace. */
export function mergeValues(base: GoMap, over: GoMap): GoMap {
  const out = copyValue(base) as GoMap;
  markValuesContainer(out);
  for (const k of Object.keys(over)) {
    const a = getKey(out, k);
    const b = over[k];
    if (isMap(a) && isMap(b)) {
      setKey(out, k, mergeValues(a, b));
      setChildProv(out, k, childProv(over, k) ?? childProv(out, k));
    } else put(out, k, over, copyValue(b));
  }
  return out;
}

/** Helm's coalesceTablesFullKey: src's keys fill dst; dst (higher precedence) wins; dst null deletes unless merging. */
export function coalesceTables(dst: GoMap, src: GoMap, merge: boolean): GoMap {
  for (const k of Object.keys(src)) {
    const sv = src[k];
    if (hasKey(dst, k)) {
      const dv = dst[k];
      if (dv === null && !merge) Reflect.deleteProperty(dst, k);
      else if (isMap(sv) && isMap(dv)) coalesceTables(dv, sv, merge);
    } else put(dst, k, src, copyValue(sv));
  }
  return dst;
}

/** Helm's coalesceValues for one chart: `vals` (user's, mutated) over the chart's defaults. */
export function coalesceChartValues(vals: GoMap, defaults: GoMap, isSubchartKey: (k: string) => boolean, merge: boolean): void {
  for (const k of Object.keys(defaults)) {
    const dv = defaults[k];
    if (hasKey(vals, k)) {
      const v = vals[k];
      if (v === null && !merge) Reflect.deleteProperty(vals, k);
      else if (isMap(v) && isMap(dv)) coalesceTables(v, dv, merge || isSubchartKey(k));
    } else put(vals, k, defaults, copyValue(dv));
  }
}

/** Helm's coalesceGlobals: the parent's globals win over the subchart's. */
export function coalesceGlobals(dest: GoMap, parent: GoMap): void {
  const dg0 = getKey(dest, 'global');
  const sg0 = getKey(parent, 'global');
  const dg: GoMap = isMap(dg0) ? dg0 : {};
  if (dg0 !== undefined && dg0 !== null && !isMap(dg0)) return;
  const sg: GoMap = isMap(sg0) ? sg0 : {};
  markValuesContainer(dg);
  for (const k of Object.keys(sg)) {
    const v = sg[k];
    if (isMap(v)) {
      const vv = copyValue(v) as GoMap;
      const d = getKey(dg, k);
      if (d === undefined) put(dg, k, sg, vv);
      else if (isMap(d)) {
        coalesceTables(vv, d, true);
        put(dg, k, sg, vv);
      }
    } else if (!isMap(getKey(dg, k))) put(dg, k, sg, v);
  }
  setKey(dest, 'global', dg);
  if (!childProv(dest, 'global')) setChildProv(dest, 'global', childProv(parent, 'global'));
}

/** The value at a dotted path (Helm conditions like "redis.enabled"). */
export function pathValue(vals: GoMap, path: string): unknown {
  let cur: unknown = vals;
  for (const part of path.split('.')) {
    if (!isMap(cur)) return undefined;
    cur = getKey(cur, part);
  }
  return cur;
}
