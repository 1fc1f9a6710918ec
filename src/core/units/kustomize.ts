// Kustomize overlays as deployment units. Every kustomization that no other one builds on is a unit: its
// objects are those of its resources (files, or folders with their own kustomization, built first), its
// generated ConfigMaps and Secrets, with its components and patches (strategic merge and JSON 6902) applied,
// then namespace, namePrefix/nameSuffix (with the ConfigMap and Secret references kustomize renames),
// labels, annotations, images and replicas. The objects are new trees whose nodes remember the base or
// patch file they come from (units/kustomize-tree.ts), so findings point at the line that defines a value.
import path from 'node:path';
import { Document, isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { FileFacts } from '../facts/index.js';
import type { KustomizationFacts, KPatch } from '../facts/kustomization.js';
import type { DeploymentUnit, K8sObject } from '../facts/manifests.js';
import { get as getNode, str, stringMap, type YDoc } from '../facts/yaml-util.js';
import type { ParseProblem } from '../finding.js';
import {
  applyJson6902,
  cloneNode,
  computedMap,
  computedPair,
  computedScalar,
  documentOf,
  KustomizeSource,
  provenanceOf,
  replacedScalar,
  strategicMerge,
  type Provenance,
} from './kustomize-tree.js';

const posix = path.posix;

export interface KustomizeUnits {
  units: { unit: DeploymentUnit; objects: K8sObject[] }[];
  /** Manifest files some kustomization builds on: not analysed again as plain files. */
  consumed: Set<string>;
  problems: ParseProblem[];
  debug: string[];
}

/** One object while it is being built: its tree, and the kustomization entries that renamed it. */
interface Draft {
  root: YAMLMap;
  original: K8sObject;
  doc: YDoc;
  renamed: boolean;
}

export function kustomizeUnits(files: ReadonlyMap<string, FileFacts>): KustomizeUnits {
  const out: KustomizeUnits = { units: [], consumed: new Set(), problems: [], debug: [] };
  const byDir = new Map<string, { file: string; facts: KustomizationFacts }>();
  for (const f of files.values()) if (f.kustomization) byDir.set(posix.dirname(f.file), { file: f.file, facts: f.kustomization });
  if (byDir.size === 0) return out;
  // Folders some kustomization builds on (as a resource, base or component) are not units of their own.
  const referenced = new Set<string>();
  for (const [dir, k] of byDir) {
    for (const r of [...k.facts.resources, ...k.facts.components]) {
      const target = posix.normalize(posix.join(dir, r.value));
      if (byDir.has(target)) referenced.add(target);
      else if (files.has(target)) out.consumed.add(target);
    }
    for (const p of k.facts.patches) if (p.path) out.consumed.add(posix.normalize(posix.join(dir, p.path)));
  }
  const built = new Map<string, { unit: DeploymentUnit; drafts: Draft[] }>();
  const build = (dir: string, stack: string[]): { unit: DeploymentUnit; drafts: Draft[] } | undefined => {
    const cached = built.get(dir);
    if (cached) return cached;
    const k = byDir.get(dir);
    if (!k || stack.includes(dir) || stack.length > 32) return undefined;
    const result = buildOne(dir, k.file, k.facts, files, (sub) => build(sub, [...stack, dir]), out);
    built.set(dir, result);
    return result;
  };
  for (const dir of [...byDir.keys()].sort()) {
    // A Component is applied into the kustomizations that list it, never deployed on its own.
    if (referenced.has(dir) || byDir.get(dir)!.facts.component) continue;
    const result = build(dir, []);
    if (!result) continue;
    out.units.push({ unit: result.unit, objects: result.drafts.map((d) => toObject(d, result.unit)) });
  }
  return out;
}

function buildOne(
  dir: string,
  file: string,
  k: KustomizationFacts,
  files: ReadonlyMap<string, FileFacts>,
  build: (dir: string) => { unit: DeploymentUnit; drafts: Draft[] } | undefined,
  out: KustomizeUnits,
): { unit: DeploymentUnit; drafts: Draft[] } {
  const text = files.get(file)!.text;
  const here: Provenance = { file, text, editable: false };
  const unit: DeploymentUnit = { id: `kustomize:${dir}`, kind: 'kustomize', root: dir, includes: [] };
  let drafts: Draft[] = [];
  const resource = (entry: { value: string; at: { start: number; end: number } }): Draft[] => {
    if (/^[a-z][a-z0-9+.-]*:\/\/|^github\.com\/|\?ref=/.test(entry.value)) {
      out.debug.push(`${file}: resource ${entry.value} is remote: not analysed`);
      return [];
    }
    const target = posix.normalize(posix.join(dir, entry.value));
    const sub = build(target);
    if (sub) {
      unit.includes.push(sub.unit);
      return sub.drafts.map((d) => ({ ...d, root: cloneNode(d.root, here) }));
    }
    const facts = files.get(target);
    if (!facts) {
      out.debug.push(`${file}: resource ${entry.value} is not among the analysed files`);
      return [];
    }
    // A CustomResourceDefinition is a schema (often megabytes of it), read by no rule: copying it into every
    // overlay that builds on it made argo-workflows' 40 kustomizations hold its 11 MB of CRDs dozens of times.
    return (facts.manifests?.objects ?? []).filter(isBuilt).map((o) => ({
      original: o,
      doc: o.doc,
      root: cloneNode(o.root, { file: o.file, text: facts.text, editable: !o.helm }),
      renamed: false,
    }));
  };
  for (const r of k.resources) drafts.push(...resource(r));
  for (const g of k.generators) drafts.push(generated(g, here, files, dir));
  for (const c of k.components) {
    const component = build(posix.normalize(posix.join(dir, c.value)));
    if (!component) continue;
    unit.includes.push(component.unit);
    drafts.push(...component.drafts.map((d) => ({ ...d, root: cloneNode(d.root, here) })));
    const cFacts = files.get(posix.join(posix.normalize(posix.join(dir, c.value)), 'kustomization.yaml'))?.kustomization;
    if (cFacts) drafts = applyPatches(drafts, cFacts.patches, posix.normalize(posix.join(dir, c.value)), files, out, here);
  }
  drafts = applyPatches(drafts, k.patches, dir, files, out, here);
  transform(drafts, k, here);
  return { unit, drafts };
}

function applyPatches(
  drafts: Draft[],
  patches: KPatch[],
  dir: string,
  files: ReadonlyMap<string, FileFacts>,
  out: KustomizeUnits,
  here: Provenance,
): Draft[] {
  for (const patch of patches) {
    let docs: { doc: YDoc; where: Provenance }[] = [];
    if (patch.inline) docs = [{ doc: patch.inline, where: { ...here, editable: false, entry: patch.at } }];
    else if (patch.path) {
      const target = posix.normalize(posix.join(dir, patch.path));
      const facts = files.get(target);
      if (!facts) {
        out.debug.push(`${here.file}: patch ${patch.path} is not among the analysed files`);
        continue;
      }
      const where: Provenance = { file: target, text: facts.text, editable: true };
      // A patch file's documents: the manifest extractor parsed those with kind/apiVersion; JSON 6902 lists need their own parse.
      const parsed = facts.manifests?.objects.map((o) => o.doc) ?? [];
      docs = parsed.length > 0 ? parsed.map((doc) => ({ doc, where })) : parseList(facts.text).map((doc) => ({ doc, where }));
    }
    for (const { doc, where } of docs) {
      const contents = doc.contents as Node | null;
      if (patch.json6902 || isSeq(contents)) {
        if (!isSeq(contents)) continue;
        for (const d of drafts) if (matches(d, patch.target)) applyJson6902(d.root, contents, where);
      } else if (isMap(contents)) {
        const kind = str(getNode(contents, 'kind', doc), doc);
        const name = str(getNode(getNode(contents, 'metadata', doc), 'name', doc), doc);
        for (const d of drafts) {
          const byTarget = patch.target ? matches(d, patch.target) : d.original.kind === kind && d.original.name === name;
          if (byTarget) strategicMerge(d.root, contents, where);
        }
      }
    }
  }
  return drafts;
}

/** JSON 6902 patch files hold a bare list (no kind), so the manifest extractor did not parse them. */
function parseList(text: string): YDoc[] {
  const doc = parseDocument(text, { prettyErrors: false, logLevel: 'error' }) as YDoc;
  return doc.errors.length === 0 ? [doc] : [];
}

function matches(d: Draft, target: KPatch['target']): boolean {
  if (!target) return true;
  const o = d.original;
  const name = (n: string | undefined, pattern: string | undefined) =>
    pattern === undefined || new RegExp(`^(?:${pattern})$`).test(n ?? '');
  if (target.kind && !name(o.kind, target.kind)) return false;
  if (!name(o.name, target.name)) return false;
  if (target.namespace && o.namespace !== target.namespace) return false;
  if (target.labelSelector) {
    for (const term of target.labelSelector.split(',')) {
      const [k, v] = term.split('=').map((x) => x.trim());
      if (k && (v === undefined ? !(k in o.labels) : o.labels[k] !== v)) return false;
    }
  }
  return true;
}

/** Objects a Kustomize build carries into its unit (everything but schemas). */
function isBuilt(o: K8sObject): boolean {
  return o.kind !== 'CustomResourceDefinition';
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
]);

/** namespace, namePrefix/nameSuffix, labels, annotations, images, replicas — in kustomize's order. */
function transform(drafts: Draft[], k: KustomizationFacts, here: Provenance): void {
  const renamedConfig = new Map<string, string>();
  for (const d of drafts) {
    const metadata = mapAt(d.root, 'metadata', here, d);
    if (k.namespace && !CLUSTER_SCOPED.has(d.original.kind)) {
      setScalar(metadata, 'namespace', k.namespace.value, here, k.namespace.at);
      d.renamed = true;
    }
    if ((k.namePrefix || k.nameSuffix) && d.original.kind !== 'Namespace') {
      const namePair = metadata.items.find((p) => isScalar(p.key) && p.key.value === 'name');
      const current = isScalar(namePair?.value) ? String(namePair.value.value) : d.original.name;
      const renamed = `${k.namePrefix?.value ?? ''}${current}${k.nameSuffix?.value ?? ''}`;
      if (d.original.kind === 'ConfigMap' || d.original.kind === 'Secret') renamedConfig.set(`${d.original.kind}/${current}`, renamed);
      const entry = (k.namePrefix ?? k.nameSuffix)!.at;
      if (namePair) namePair.value = replacedScalar(renamed, namePair.value as Node, here, entry);
      d.renamed = true;
    }
    for (const l of k.labels) {
      for (const [key, value] of Object.entries(l.pairs)) {
        setScalar(mapAt(metadata, 'labels', here, d, l.at), key, value, here, l.at);
        const spec = isMap(d.root.items.find((p) => isScalar(p.key) && p.key.value === 'spec')?.value)
          ? (d.root.items.find((p) => isScalar(p.key) && p.key.value === 'spec')!.value as YAMLMap)
          : undefined;
        if (!spec) continue;
        if (l.selectors) {
          if (d.original.kind === 'Service') setScalar(mapAt(spec, 'selector', here, d, l.at), key, value, here, l.at);
          else if (spec.items.some((p) => isScalar(p.key) && p.key.value === 'selector'))
            setScalar(mapAt(mapAt(spec, 'selector', here, d, l.at), 'matchLabels', here, d, l.at), key, value, here, l.at);
        }
        const template = spec.items.find((p) => isScalar(p.key) && p.key.value === 'template')?.value;
        if (l.templates && isMap(template))
          setScalar(mapAt(mapAt(template, 'metadata', here, d, l.at), 'labels', here, d, l.at), key, value, here, l.at);
      }
    }
    for (const [key, value] of Object.entries(k.annotations))
      setScalar(mapAt(metadata, 'annotations', here, d), key, value, here, { start: 0, end: 0 });
    for (const container of containersOf(d.root)) {
      const imagePair = container.items.find((p) => isScalar(p.key) && p.key.value === 'image');
      if (!isScalar(imagePair?.value)) continue;
      const image = String(imagePair.value.value);
      const rule = k.images.find((i) => imageName(image) === i.name);
      if (!rule) continue;
      const name = rule.newName ?? imageName(image);
      const tag = rule.digest ? `@${rule.digest}` : rule.newTag ? `:${rule.newTag}` : image.slice(imageName(image).length);
      imagePair.value = replacedScalar(`${name}${tag}`, imagePair.value as Node, here, rule.at);
    }
    const replicas = k.replicas.find((r) => r.name === d.original.name);
    if (replicas) setScalar(mapAt(d.root, 'spec', here, d), 'replicas', replicas.count, here, replicas.at);
  }
  // kustomize renames references to the ConfigMaps and Secrets it renamed.
  if (renamedConfig.size > 0) for (const d of drafts) renameReferences(d.root, renamedConfig, here);
}

function renameReferences(node: Node | null | undefined, renamed: Map<string, string>, here: Provenance): void {
  if (isSeq(node)) for (const i of node.items) renameReferences(i as Node, renamed, here);
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    const kind = /^configMap(KeyRef|Ref)?$/.test(key) ? 'ConfigMap' : /^secret(KeyRef|Ref)?$/.test(key) ? 'Secret' : undefined;
    if (kind && isMap(value)) {
      const nameKey = key === 'secret' ? 'secretName' : 'name';
      const namePair = value.items.find((p) => isScalar(p.key) && p.key.value === nameKey);
      const to = isScalar(namePair?.value) ? renamed.get(`${kind}/${String(namePair.value.value)}`) : undefined;
      if (to && namePair) namePair.value = replacedScalar(to, namePair.value as Node, here, { start: 0, end: 0 });
    }
    renameReferences(value, renamed, here);
  }
}

function containersOf(root: YAMLMap): YAMLMap[] {
  const out: YAMLMap[] = [];
  const visit = (node: Node | null | undefined, depth: number): void => {
    if (depth > 8) return;
    if (isMap(node)) {
      for (const p of node.items) {
        const key = isScalar(p.key) ? String(p.key.value) : '';
        if ((key === 'containers' || key === 'initContainers') && isSeq(p.value)) out.push(...p.value.items.filter<YAMLMap>(isMap));
        else visit(p.value as Node, depth + 1);
      }
    }
  };
  visit(root, 0);
  return out;
}

function imageName(image: string): string {
  const at = image.split('@')[0]!;
  const slash = at.lastIndexOf('/');
  const colon = at.lastIndexOf(':');
  return colon > slash ? at.slice(0, colon) : at;
}

/** The map under `key` of `parent`, made (as an overlay-made node) when absent. */
function mapAt(parent: YAMLMap, key: string, here: Provenance, _draft?: Draft, entry = { start: 0, end: 0 }): YAMLMap {
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
  if (pair && isMap(pair.value)) return pair.value;
  const map = computedMap(here, entry);
  if (pair) pair.value = map;
  else parent.items.push(computedPair(key, map, here, entry));
  return map;
}

function setScalar(map: YAMLMap, key: string, value: string | number, here: Provenance, entry: { start: number; end: number }): void {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  if (pair) pair.value = replacedScalar(value, pair.value as Node, here, entry);
  else map.items.push(computedPair(key, computedScalar(value, here, entry), here, entry));
}

/** A ConfigMap or Secret of a generator, as a built object (its values as `data`). */
function generated(
  g: KustomizationFacts['generators'][number],
  here: Provenance,
  files: ReadonlyMap<string, FileFacts>,
  dir: string,
): Draft {
  const root = computedMap(here, g.at);
  const entries: [string, string][] = [];
  for (const l of g.literals) {
    const eq = l.value.indexOf('=');
    if (eq > 0) entries.push([l.value.slice(0, eq), l.value.slice(eq + 1)]);
  }
  for (const envFile of g.envs) {
    const text = files.get(posix.normalize(posix.join(dir, envFile)))?.text;
    for (const line of text?.split(/\r?\n/) ?? []) {
      const m = /^\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/.exec(line);
      if (m && !line.trimStart().startsWith('#')) entries.push([m[1]!, m[2]!.replace(/^(['"])(.*)\1$/, '$2')]);
    }
  }
  for (const f of g.files) {
    const text = files.get(posix.normalize(posix.join(dir, f.path)))?.text;
    if (text !== undefined) entries.push([f.key, text]);
  }
  setScalar(root, 'apiVersion', 'v1', here, g.at);
  setScalar(root, 'kind', g.kind, here, g.at);
  const metadata = mapAt(root, 'metadata', here, undefined, g.at);
  setScalar(metadata, 'name', g.name, here, g.at);
  if (g.namespace) setScalar(metadata, 'namespace', g.namespace, here, g.at);
  const data = mapAt(root, g.kind === 'Secret' ? 'stringData' : 'data', here, undefined, g.at);
  for (const [key, value] of entries) setScalar(data, key, value, here, g.at);
  const doc = documentOf(root, new Document() as unknown as YDoc);
  const original: K8sObject = {
    file: here.file,
    index: 0,
    kind: g.kind,
    apiVersion: 'v1',
    name: g.name,
    namespace: g.namespace,
    labels: {},
    annotations: {},
    doc,
    root: root as K8sObject['root'],
    span: [g.at.start, g.at.end],
    nameSpan: [g.at.start, g.at.end],
    helm: false,
    source: new KustomizeSource({ ...here, entry: g.at }, true),
  };
  return { root, original, doc, renamed: true };
}

/** The built tree as a K8sObject of the unit: metadata read from the tree, spans in the files that wrote it. */
function toObject(d: Draft, unit: DeploymentUnit): K8sObject {
  const doc = documentOf(d.root, d.doc);
  const fallback = provenanceOf(d.root) ?? { file: d.original.file, text: '', editable: false };
  const source = new KustomizeSource(fallback, d.renamed);
  const metadata = getNode(d.root, 'metadata', doc);
  const nameNode = getNode(metadata, 'name', doc);
  const rootSpan = source.span(d.root);
  const file = rootSpan?.file ?? d.original.file;
  // The object is placed where its document is written; a name written elsewhere (an overlay's computed one) is shown there too.
  const named = nameNode && source.span(nameNode);
  const nameSpan = named && named.file === file ? named : { start: d.original.nameSpan[0], end: d.original.nameSpan[1] };
  return {
    ...d.original,
    name: str(nameNode, doc) ?? d.original.name,
    namespace: str(getNode(metadata, 'namespace', doc), doc) ?? d.original.namespace,
    labels: stringMap(getNode(metadata, 'labels', doc), doc),
    annotations: stringMap(getNode(metadata, 'annotations', doc), doc),
    doc,
    root: d.root as K8sObject['root'],
    file,
    span: rootSpan ? [rootSpan.start, rootSpan.end] : d.original.span,
    nameSpan: [nameSpan.start, nameSpan.end],
    source,
    unit,
  };
}
