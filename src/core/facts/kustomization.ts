// kustomization.yaml files (Kustomize): what an overlay is built from and what it changes. Plain records
// with the span of every entry; patches written inline keep their parsed document, so the units stage
// (units/kustomize.ts) can merge their nodes — with the patch file's positions — into the objects.
import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import type { TextRange } from '../finding.js';
import type { Extractor, FileFacts } from './index.js';
import { scalarText, yamlErrorSpan, type YDoc } from './yaml-util.js';
import { problemAt } from './problem.js';

export interface KEntry<T> {
  value: T;
  at: TextRange;
}

export interface KPatch {
  /** A patch file (relative to the kustomization), or inline. */
  path?: string;
  /** Inline patch document (strategic merge or JSON 6902), parsed with this file's positions. */
  inline?: YDoc;
  /** `target:` selector (patches, patchesJson6902); strategic-merge patches without it match by their own kind and name. */
  target?: { kind?: string; name?: string; namespace?: string; labelSelector?: string };
  /** JSON 6902 patch (a list of operations) rather than a strategic merge patch. */
  json6902: boolean;
  at: TextRange;
}

export interface KGenerator {
  name: string;
  kind: 'ConfigMap' | 'Secret';
  literals: KEntry<string>[];
  /** `.env`-style files (KEY=value lines) and plain files (the key is the file name), relative paths. */
  envs: string[];
  files: { key: string; path: string }[];
  namespace?: string;
  at: TextRange;
}

export interface KustomizationFacts {
  /** Files and folders this kustomization builds on (`resources`, `bases`), relative paths as written. */
  resources: KEntry<string>[];
  components: KEntry<string>[];
  patches: KPatch[];
  namespace?: KEntry<string>;
  namePrefix?: KEntry<string>;
  nameSuffix?: KEntry<string>;
  /** `commonLabels` (also selectors and templates), and `labels` with their include flags. */
  labels: { pairs: Record<string, string>; selectors: boolean; templates: boolean; at: TextRange }[];
  annotations: Record<string, string>;
  images: { name: string; newName?: string; newTag?: string; digest?: string; at: TextRange }[];
  replicas: { name: string; count: number; at: TextRange }[];
  generators: KGenerator[];
  /** `kind: Component` (applied into the kustomization that lists it). */
  component: boolean;
}

const NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export function isKustomizationFile(file: string): boolean {
  return NAMES.has(path.posix.basename(file.replace(/\\/g, '/')));
}

/**
 * The files a kustomization's generators read (`files:`, `envs:`, `env:`), relative to its folder as written: the
 * front ends read them whatever their extension (`frontend.jsonnet`, `app.properties`, `.env`), since no extractor
 * claims them and a generated ConfigMap's data is often where a client's address is.
 */
export function generatorInputs(text: string): string[] {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false, logLevel: 'error' }) as YDoc;
  if (doc.errors.length > 0 || !isMap(doc.contents)) return [];
  return read(doc.contents, doc).generators.flatMap((g) => [...g.envs, ...g.files.map((f) => f.path)]);
}

export const kustomizationExtractor: Extractor = {
  name: 'kustomization',
  claims: isKustomizationFile,
  mayMatter: () => true,
  extract(facts: FileFacts) {
    const doc = parseDocument(facts.text, { prettyErrors: false, uniqueKeys: false, logLevel: 'error' }) as YDoc;
    if (doc.errors.length > 0) {
      // The manifest extractor reports syntax errors of files with `kind:`; say it once.
      const err = doc.errors[0]!;
      if (!facts.problems.some((p) => p.kind === 'syntax')) {
        const { start, end } = yamlErrorSpan(err, facts.text.length);
        facts.problems.push(
          problemAt(facts, start, end, {
            kind: 'syntax',
            fatal: true,
            message: `kustomization does not parse, so the overlay is not built: ${err.message.split('\n')[0]}`,
          }),
        );
      }
      return;
    }
    if (isMap(doc.contents)) facts.kustomization = read(doc.contents, doc);
  },
};

function read(root: YAMLMap, doc: YDoc): KustomizationFacts {
  const pair = (key: string): Pair | undefined => root.items.find((p) => isScalar(p.key) && p.key.value === key);
  const value = (key: string): Node | undefined => pair(key)?.value as Node | undefined;
  const at = (node: unknown): TextRange => {
    const r = (node as Node | undefined)?.range;
    return r ? { start: r[0], end: r[1] } : { start: 0, end: 0 };
  };
  const strings = (key: string): KEntry<string>[] => {
    const seq = value(key);
    return isSeq(seq) ? seq.items.filter(isScalar).map((s) => ({ value: String(s.value), at: at(s) })) : [];
  };
  const scalar = (key: string): KEntry<string> | undefined => {
    const v = value(key);
    return isScalar(v) && v.value != null ? { value: scalarText(v), at: at(v) } : undefined;
  };
  const plain = (node: unknown): unknown => (node && typeof (node as Node).toJSON === 'function' ? (node as Node).toJSON(doc) : undefined);
  const record = (node: unknown): Record<string, string> => {
    const v = plain(node);
    return v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {};
  };

  const patches: KPatch[] = [];
  const patchEntry = (node: Node, json6902: boolean): void => {
    if (isScalar(node)) {
      // patchesStrategicMerge lists paths, or (rarely) whole patch documents as strings.
      const text = String(node.value);
      if (text.includes('\n')) {
        const inline = inlineDocument(text);
        if (inline) patches.push({ inline, json6902: isSeq(inline.contents), at: at(node) });
      } else patches.push({ path: text, json6902: false, at: at(node) });
      return;
    }
    if (!isMap(node)) return;
    const get = (k: string) => node.items.find((p) => isScalar(p.key) && p.key.value === k)?.value as Node | undefined;
    const target = record(get('target'));
    const pathNode = get('path');
    const inlineNode = get('patch');
    const entry: KPatch = { json6902, at: at(node), target: Object.keys(target).length ? target : undefined };
    if (isScalar(pathNode)) entry.path = String(pathNode.value);
    // An inline patch is a YAML string: its nodes are reported at the patch entry (their offsets are the string's).
    if (isScalar(inlineNode) && typeof inlineNode.value === 'string') entry.inline = inlineDocument(inlineNode.value);
    if (!entry.json6902 && entry.inline && isSeq(entry.inline.contents)) entry.json6902 = true;
    if (entry.path || entry.inline) patches.push(entry);
  };
  for (const key of ['patches', 'patchesStrategicMerge', 'patchesJson6902']) {
    const seq = value(key);
    if (!isSeq(seq)) continue;
    for (const item of seq.items) patchEntry(item as Node, key === 'patchesJson6902');
  }

  const labels: KustomizationFacts['labels'] = [];
  const common = value('commonLabels');
  if (isMap(common)) labels.push({ pairs: record(common), selectors: true, templates: true, at: at(common) });
  const labelList = value('labels');
  if (isSeq(labelList)) {
    for (const item of labelList.items) {
      const v = plain(item) as { pairs?: Record<string, unknown>; includeSelectors?: boolean; includeTemplates?: boolean } | undefined;
      if (!v?.pairs) continue;
      labels.push({
        pairs: Object.fromEntries(Object.entries(v.pairs).map(([k, x]) => [k, String(x)])),
        selectors: v.includeSelectors === true,
        templates: v.includeTemplates === true || v.includeSelectors === true,
        at: at(item),
      });
    }
  }

  const images: KustomizationFacts['images'] = [];
  const imageList = value('images');
  if (isSeq(imageList)) {
    for (const item of imageList.items) {
      const v = plain(item) as { name?: unknown; newName?: unknown; newTag?: unknown; digest?: unknown } | undefined;
      if (typeof v?.name === 'string') {
        images.push({ name: v.name, newName: str(v.newName), newTag: str(v.newTag), digest: str(v.digest), at: at(item) });
      }
    }
  }
  const replicas: KustomizationFacts['replicas'] = [];
  const replicaList = value('replicas');
  if (isSeq(replicaList)) {
    for (const item of replicaList.items) {
      const v = plain(item) as { name?: unknown; count?: unknown } | undefined;
      if (typeof v?.name === 'string' && Number.isFinite(Number(v.count)))
        replicas.push({ name: v.name, count: Number(v.count), at: at(item) });
    }
  }
  const generators: KGenerator[] = [];
  for (const [key, kind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    const list = value(key);
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      if (!isMap(item)) continue;
      const get = (k: string) => item.items.find((p) => isScalar(p.key) && p.key.value === k)?.value as Node | undefined;
      const name = get('name');
      if (!isScalar(name)) continue;
      const literalSeq = get('literals');
      const envSeq = get('envs');
      const envOne = get('env');
      const fileSeq = get('files');
      generators.push({
        name: String(name.value),
        kind,
        literals: isSeq(literalSeq) ? literalSeq.items.filter(isScalar).map((s) => ({ value: String(s.value), at: at(s) })) : [],
        envs: [
          ...(isSeq(envSeq) ? envSeq.items.filter(isScalar).map((s) => String(s.value)) : []),
          ...(isScalar(envOne) ? [String(envOne.value)] : []),
        ],
        files: isSeq(fileSeq)
          ? fileSeq.items.filter(isScalar).map((s) => {
              const spec = String(s.value);
              const eq = spec.indexOf('=');
              return eq > 0 ? { key: spec.slice(0, eq), path: spec.slice(eq + 1) } : { key: path.posix.basename(spec), path: spec };
            })
          : [],
        namespace: isScalar(get('namespace')) ? String((get('namespace') as { value: unknown }).value) : undefined,
        at: at(item),
      });
    }
  }
  const kind = scalar('kind');
  return {
    resources: [...strings('resources'), ...strings('bases')],
    components: strings('components'),
    patches,
    namespace: scalar('namespace'),
    namePrefix: scalar('namePrefix'),
    nameSuffix: scalar('nameSuffix'),
    labels,
    annotations: record(value('commonAnnotations')),
    images,
    replicas,
    generators,
    component: kind?.value === 'Component',
  };
}

function inlineDocument(text: string): YDoc | undefined {
  const doc = parseDocument(text, { prettyErrors: false, logLevel: 'error' }) as YDoc;
  return doc.errors.length === 0 ? doc : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}
