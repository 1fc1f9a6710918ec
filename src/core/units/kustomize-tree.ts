// The yaml trees of Kustomize-built objects: clones of base and patch nodes that remember where each node is
// written (its file and text), strategic-merge and JSON 6902 patching on those trees, and the ObjectSource
// that reports and edits through that provenance. A node an overlay computed (a prefixed name, an injected
// namespace or label) points at the kustomization entry that made it and is never edited.
import { Document, isAlias, isMap, isPair, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { EditContext, ObjectSource } from '../facts/source.js';
import { pairRange, range, scalarText as scalarTextOf, type YDoc } from '../facts/yaml-util.js';
import type { Span, TextRange } from '../finding.js';

/** Where a node of a built object is written. */
export interface Provenance {
  file: string;
  text: string;
  /** false: made by the overlay (prefix, namespace, label…): reported at the kustomization entry, not edited. */
  editable: boolean;
  /** For computed nodes: the kustomization entry that made them. */
  entry?: TextRange;
}

const provenance = new WeakMap<object, Provenance>();

export function provenanceOf(node: unknown): Provenance | undefined {
  return node && typeof node === 'object' ? provenance.get(node) : undefined;
}

/** Deep-copy a node, recording for every copied node the provenance of its original (or `where`). */
export function cloneNode<T extends Node | Pair | null | undefined>(node: T, where: Provenance): T {
  if (node === null || node === undefined) return node;
  const from = provenance.get(node) ?? where;
  let copy: Node | Pair;
  if (isPair(node)) copy = new Pair(cloneNode(node.key as Node, from), cloneNode(node.value as Node, from));
  else if (isMap(node)) {
    const map = new YAMLMap();
    map.flow = node.flow;
    map.items = node.items.map((p) => cloneNode<YAMLMap['items'][number]>(p, from));
    copy = map;
  } else if (isSeq(node)) {
    const seq = new YAMLSeq();
    seq.flow = node.flow;
    seq.items = node.items.map((i) => cloneNode(i as Node, from));
    copy = seq;
  } else if (isScalar(node)) {
    const scalar = new Scalar(node.value);
    scalar.type = node.type;
    scalar.source = node.source;
    copy = scalar;
  } else if (isAlias(node)) {
    return node; // resolved against its own document by the typed views
  } else return node;
  if ('range' in node && node.range) (copy as Node).range = [...node.range];
  provenance.set(copy, from);
  return copy as T;
}

/** A node the overlay computed: a scalar written by the kustomization entry `entry`. */
export function computedScalar(value: string | number, kustomization: Provenance, entry: TextRange): Scalar {
  const scalar = new Scalar(value);
  scalar.range = [entry.start, entry.end, entry.end];
  provenance.set(scalar, { ...kustomization, editable: false, entry });
  return scalar;
}

/**
 * The overlay's new value for a node the base wrote (a prefixed name, a renamed reference, a new image or
 * count): reported where the base wrote it — the line the user looks for — and never edited there.
 */
export function replacedScalar(value: string | number, like: Node, kustomization: Provenance, entry: TextRange): Scalar {
  const where = provenance.get(like);
  if (!where || !like.range) return computedScalar(value, kustomization, entry);
  const scalar = new Scalar(value);
  scalar.range = [...like.range];
  provenance.set(scalar, { ...where, editable: false });
  return scalar;
}

export function computedPair(key: string, value: Node, kustomization: Provenance, entry: TextRange): Pair<Scalar, Node> {
  const pair = new Pair(computedScalar(key, kustomization, entry), value);
  provenance.set(pair, { ...kustomization, editable: false, entry });
  return pair;
}

export function computedMap(kustomization: Provenance, entry: TextRange): YAMLMap {
  const map = new YAMLMap();
  map.range = [entry.start, entry.end, entry.end];
  provenance.set(map, { ...kustomization, editable: false, entry });
  return map;
}

/** A Document around a built root, so the typed views can resolve aliases as usual. */
export function documentOf(root: YAMLMap, original: YDoc): YDoc {
  const doc = new Document() as unknown as YDoc;
  doc.contents = root as YDoc['contents'];
  doc.range = original.range;
  return doc;
}

// --- patches ---------------------------------------------------------------------------------------------

/** Keys by which Kubernetes merges lists of maps (the strategic-merge `patchMergeKey`s patches meet most). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  envFrom: 'configMapRef',
  volumes: 'name',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
  ports: 'containerPort',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
};

const keyOf = (p: unknown): string | undefined => (isPair(p) && isScalar(p.key) ? String(p.key.value) : undefined);
const get = (map: YAMLMap, key: string): Pair | undefined => map.items.find<Pair>((p): p is Pair => keyOf(p) === key);

/** Strategic merge of `patch` into `target` (both maps of the built tree), in place. */
export function strategicMerge(target: YAMLMap, patch: YAMLMap, where: Provenance, path: string[] = []): void {
  for (const item of patch.items) {
    const key = keyOf(item);
    if (key === undefined || key === '$patch' || key.startsWith('$setElementOrder')) continue;
    const value = item.value as Node | null;
    const existing = get(target, key);
    if (value === null || (isScalar(value) && value.value === null)) {
      if (existing) target.items.splice(target.items.indexOf(existing), 1);
      continue;
    }
    if (!existing) {
      target.items.push(cloneNode(item, where));
      continue;
    }
    const current = existing.value as Node | null;
    // A patch restating a value (its `metadata.name`, the container's `name`) leaves the base's node in place.
    if (isScalar(value) && isScalar(current) && value.value === current.value) continue;
    if (isMap(value) && isMap(current) && directive(value) !== 'replace') strategicMerge(current, value, where, [...path, key]);
    else if (isSeq(value) && isSeq(current) && MERGE_KEYS[key] && value.items.every(isMap))
      mergeList(current, value, key, where, [...path, key]);
    else existing.value = cloneNode(value, where);
  }
}

function directive(map: YAMLMap): string | undefined {
  const d = get(map, '$patch')?.value;
  return isScalar(d) ? String(d.value) : undefined;
}

function mergeList(target: YAMLSeq, patch: YAMLSeq, field: string, where: Provenance, path: string[]): void {
  // Service ports merge by `port`, container ports by `containerPort`.
  const mergeKey = field === 'ports' && path.length <= 2 ? 'port' : MERGE_KEYS[field]!;
  for (const item of patch.items as YAMLMap[]) {
    const id = scalarText(get(item, mergeKey)?.value) ?? scalarText(get(item, 'port')?.value);
    const match = target.items.find(
      (t) => isMap(t) && id !== undefined && scalarText(get(t, mergeKey)?.value ?? get(t, 'port')?.value) === id,
    ) as YAMLMap | undefined;
    const d = directive(item);
    if (d === 'delete') {
      if (match) target.items.splice(target.items.indexOf(match), 1);
    } else if (match && d !== 'replace') strategicMerge(match, item, where, path);
    else if (match) target.items[target.items.indexOf(match)] = cloneNode(item, where);
    else target.items.push(cloneNode(item, where));
  }
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value != null ? scalarTextOf(node) : undefined;
}

/** Apply JSON 6902 operations (add, replace, remove, copy, move) to the built root. Unknown paths are skipped. */
export function applyJson6902(root: YAMLMap, ops: YAMLSeq, where: Provenance): void {
  for (const op of ops.items) {
    if (!isMap(op)) continue;
    const kind = scalarText(get(op, 'op')?.value);
    const path = pointer(scalarText(get(op, 'path')?.value));
    if (!kind || !path) continue;
    const value = get(op, 'value')?.value as Node | undefined;
    if (kind === 'add' || kind === 'replace') {
      if (value !== undefined) setAt(root, path, cloneNode(value, where), kind === 'add');
    } else if (kind === 'remove') removeAt(root, path);
    else if (kind === 'copy' || kind === 'move') {
      const from = pointer(scalarText(get(op, 'from')?.value));
      const found = from && nodeAt(root, from);
      if (!found) continue;
      if (kind === 'move') removeAt(root, from);
      setAt(root, path, kind === 'copy' ? cloneNode(found, where) : found, true);
    }
  }
}

function pointer(text: string | undefined): string[] | undefined {
  if (!text?.startsWith('/')) return undefined;
  return text
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function nodeAt(root: Node, path: string[]): Node | undefined {
  let node: Node | undefined = root;
  for (const part of path) {
    if (isMap(node)) node = get(node, part)?.value as Node | undefined;
    else if (isSeq(node)) node = node.items[Number(part)] as Node | undefined;
    else return undefined;
  }
  return node;
}

function setAt(root: YAMLMap, path: string[], value: Node, add: boolean): void {
  const parent = nodeAt(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (isMap(parent)) {
    const pair = get(parent, last);
    if (pair) pair.value = value;
    else parent.items.push(new Pair(new Scalar(last), value));
  } else if (isSeq(parent)) {
    if (last === '-') parent.items.push(value);
    else if (/^\d+$/.test(last)) {
      const i = Number(last);
      if (add) parent.items.splice(i, 0, value);
      else if (i < parent.items.length) parent.items[i] = value;
    }
  }
}

function removeAt(root: YAMLMap, path: string[]): void {
  const parent = nodeAt(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (isMap(parent)) {
    const pair = get(parent, last);
    if (pair) parent.items.splice(parent.items.indexOf(pair), 1);
  } else if (isSeq(parent) && /^\d+$/.test(last)) parent.items.splice(Number(last), 1);
}

// --- source -----------------------------------------------------------------------------------------------

export class KustomizeSource implements ObjectSource {
  /** `renamed`: the overlay changed the object's name or namespace, so a new document next to it would not match. */
  constructor(
    private readonly fallback: Provenance,
    private readonly renamed: boolean,
  ) {}

  private where(node: unknown): Provenance {
    return provenanceOf(node) ?? this.fallback;
  }

  textOf(node: Node): string {
    return this.where(node).text;
  }

  rangeSpan(node: Node, start: number, end: number): Span | undefined {
    const p = this.where(node);
    if (!p.editable && p.entry) return { file: p.file, start: p.entry.start, end: p.entry.end };
    return { file: p.file, start, end };
  }

  span(node: Node): Span | undefined {
    const p = this.where(node);
    if (!p.editable && p.entry) return { file: p.file, start: p.entry.start, end: p.entry.end };
    if (!node.range) return undefined;
    const [start, end] = range(node, p.text);
    return { file: p.file, start, end };
  }

  pairSpan(pair: Pair): Span | undefined {
    const p = this.where(pair.key);
    if (!p.editable && p.entry) return { file: p.file, start: p.entry.start, end: p.entry.end };
    const [start, end] = pairRange(pair as Parameters<typeof pairRange>[0], p.text);
    return { file: p.file, start, end };
  }

  /**
   * Edits are computed in the file that wrote the node; a collection whose items come from several files (a
   * base map a patch added keys to) or that the overlay made cannot be edited safely.
   */
  editContext(node: Node): EditContext | undefined {
    const p = this.where(node);
    if (!p.editable) return undefined;
    if (isMap(node) || isSeq(node)) {
      const items = node.items as unknown[];
      if (items.some((i) => this.where(isPair(i) ? i.key : i).file !== p.file || !this.where(isPair(i) ? i.key : i).editable))
        return undefined;
    }
    const renamed = this.renamed;
    return {
      file: p.file,
      text: p.text,
      toRepository: (edit) =>
        renamed && edit.start === edit.end && edit.text.includes('\n---') ? undefined : { ...edit, viaSource: true },
    };
  }
}
