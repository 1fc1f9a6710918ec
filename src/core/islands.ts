// Islands: the sets of files that can change each other's findings. The model joins files by name (a Service
// and the workloads its selector picks, an HPA and its target, env references and ConfigMaps, routes and
// mesh resources and the Services they name, a Namespace and the workloads in it), by deployment unit (a
// Helm chart renders all its files together, a kustomization reads its resources, patches and generator
// inputs), and through the code side (code, Dockerfiles, scripts and build files link to containers in many
// ways). Each file gets *keys*: strings it provides (a Service provides `svc:orders`) or uses (an Ingress to
// `orders` uses it). Files that hold a key which someone provides are in one island; a key nobody provides
// joins nothing (two workloads labelled `team=x` with no Service selecting `team=x` do not affect each
// other). The keys over-approximate the joins: two files in different islands never read each other.
//
// The workspace uses islands to analyse an edit incrementally: it re-extracts the edited file, builds the
// model over the edited file's island only, re-runs the rules there, and keeps every other file's findings.
// The keys of the island are then computed again from the new model: a key that now joins a file outside the
// island pulls that file's island in, and the analysis repeats until no key crosses the border (closure).
// test/core/incremental-islands.test.ts holds incremental results to fresh analyses after random edits.
import path from 'node:path';
import { mayBeEnvoyBootstrap, readEnvoy } from './facts/app-config.js';
import type { FileFacts } from './facts/index.js';
import { parseTarget } from './facts/grpc/target.js';
import type { K8sObject } from './facts/manifests.js';
import type { AnalysisModel } from './model/index.js';
import { grpcAddressesIn } from './model/grpc-evidence.js';
import { imageRepository } from './model/image-shells.js';
import { VARIABLE_WORD, variableName } from './facts/build-config.js';
import type { KubeconnOptions } from './options.js';

const posix = path.posix;

export interface FileKeys {
  provides: Set<string>;
  uses: Set<string>;
}

/**
 * The code side (code, Dockerfiles, scripts, build and app config files) is one island of its own: its files
 * link to each other in many ways (build contexts, COPY sources, modules, protos). It joins the manifests
 * through what its files name and what links them to containers:
 * - `image:<name>`: a container whose image's last path segment (or whose name) is `<name>` is built by a
 *   Dockerfile in a folder so named or named `Dockerfile.<name>` / `<name>.Dockerfile`…, or declared by a build
 *   configuration, and runs code in a folder so named (model/images.ts, model/code.ts);
 * - `image-var:<VAR>`: an image written as a variable, and the builds tagged with it;
 * - `svc:<name>`: a host a dial target, config address or env value can name;
 * - `env:<NAME>`: a variable code reads, and the workloads that set it (an env var every container agrees on
 *   resolves workspace-wide); `env:*` for Spring and .NET config, which bind env vars by relaxed names;
 * - `namespace:<ns>`: a namespace a script labels for a mesh;
 * - `label:<k>=<v>`: the workloads a Backstage entity claims.
 * RBAC objects (read for kuberesolver clients) and, with the `imageMap` setting, every workload use `code`.
 */
const CODE = 'code';
const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ServiceAccount']);
const QUOTED_HOST = /["'`]([a-z0-9][a-z0-9-]*)/g;
const SCHEME_HOST = /:\/\/\/?([a-z0-9][a-z0-9-]*)/g;
const ENV_NAME = /\b[A-Z][A-Z0-9_]{2,}\b/g;
const DOCKERFILE_NAME = /^(?:(?:dockerfile|containerfile)[.\-_](.+)|(.+)\.dockerfile)$/;

/** The keys by which a code-side file joins manifests (see CODE). */
function codeKeys(facts: FileFacts, k: FileKeys): void {
  both(k, CODE);
  const file = norm(facts.file).toLowerCase();
  const folders = posix.dirname(file).split('/');
  if (facts.dockerfile) {
    const base = posix.basename(file);
    const m = DOCKERFILE_NAME.exec(base);
    if (m) k.provides.add(`image:${m[1] ?? m[2]}`);
    k.provides.add(`image:${folders[folders.length - 1]}`);
  }
  for (const decl of facts.buildConfig?.decls ?? []) {
    if (decl.image) k.provides.add(`image:${lastSegment(imageRepository(decl.image))}`);
    if (decl.service) k.provides.add(`image:${decl.service.toLowerCase()}`);
    if (decl.imageVar) k.provides.add(`image-var:${decl.imageVar}`);
  }
  // Code → containers without a Dockerfile claiming it: an image named after a folder on the path (model/code.ts).
  if (facts.grpc || facts.servers || facts.serverConfig) for (const f of folders) if (f) k.provides.add(`image:${f}`);
  if (facts.grpc || facts.appConfig || facts.envoy || facts.serverConfig || facts.optionsBindings || facts.servers) {
    const text = facts.text;
    hostsIn(text, k.uses);
    for (const m of text.matchAll(QUOTED_HOST)) k.uses.add(`svc:${m[1]!}`);
    for (const m of text.matchAll(SCHEME_HOST)) k.uses.add(`svc:${m[1]!}`);
    for (const m of text.matchAll(ENV_NAME)) k.uses.add(`env:${m[0]}`);
    for (const e of facts.appConfig?.entries ?? [])
      for (const m of e.value.toLowerCase().matchAll(/[a-z0-9][a-z0-9-]*/g)) k.uses.add(`svc:${m[0]}`);
    if (facts.appConfig || facts.optionsBindings) k.uses.add('env:*');
  }
  if (facts.script) {
    // `kubectl label|annotate ns <names…> key=value` (model/mesh.ts): every word of such a line may be a namespace.
    for (const line of facts.text.split('\n')) {
      if (!/\b(?:kubectl|oc)\b/.test(line) || !/\b(?:label|annotate)\b/.test(line)) continue;
      for (const m of line.matchAll(/[A-Za-z0-9][A-Za-z0-9.-]*/g)) both(k, `namespace:${m[0]}`);
    }
  }
  for (const entity of facts.backstage?.entities ?? []) {
    if (entity.kubernetesId) k.uses.add(`label:backstage.io/kubernetes-id=${entity.kubernetesId}`);
    for (const [key, value] of Object.entries(entity.kubernetesLabelSelector ?? {})) k.uses.add(`label:${key}=${value}`);
  }
}

function lastSegment(repo: string): string {
  return repo.slice(repo.lastIndexOf('/') + 1);
}

/** Does a file hold facts of the code side (anything but manifests and kustomizations)? */
function codeSide(facts: FileFacts): boolean {
  return (
    facts.dockerfile !== undefined ||
    facts.script !== undefined ||
    facts.packageJson !== undefined ||
    facts.grpc !== undefined ||
    facts.backstage !== undefined ||
    facts.buildConfig !== undefined ||
    facts.appConfig !== undefined ||
    facts.envoy !== undefined ||
    facts.optionsBindings !== undefined ||
    facts.servers !== undefined ||
    facts.serverConfig !== undefined ||
    facts.proto !== undefined ||
    facts.goMod !== undefined
  );
}

const norm = (file: string): string => file.replace(/\\/g, '/');
const under = (file: string, dir: string): boolean => dir === '.' || dir === '' || file.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

/**
 * The structure of the workspace that decides deployment units, from paths and kustomization files: chart
 * roots (folders with Chart.yaml), kustomizations with the paths they read. Changing it (adding or removing a
 * file, editing a kustomization) re-analyses everything.
 */
export interface Structure {
  charts: string[];
  kustomizations: { file: string; reads: string[] }[];
  valuesFiles: string[];
}

export function structureOf(files: ReadonlyMap<string, FileFacts>, options: KubeconnOptions): Structure {
  const charts: string[] = [];
  const kustomizations: Structure['kustomizations'] = [];
  for (const facts of files.values()) {
    const file = norm(facts.file);
    if (posix.basename(file) === 'Chart.yaml' || posix.basename(file) === 'Chart.yml') charts.push(posix.dirname(file));
    const k = facts.kustomization;
    if (!k) continue;
    const dir = posix.dirname(file);
    const written = [
      ...k.resources.map((r) => r.value),
      ...k.components.map((c) => c.value),
      ...k.patches.flatMap((p) => (p.path ? [p.path] : [])),
      ...k.generators.flatMap((g) => [...g.envs, ...g.files.map((f) => f.path)]),
    ];
    kustomizations.push({
      file,
      reads: [dir, ...written.filter((w) => !/^[a-z]+:\/\//i.test(w)).map((w) => posix.normalize(posix.join(dir, w)))],
    });
  }
  return { charts, kustomizations, valuesFiles: options.helm.valuesFiles.map(norm) };
}

/** The unit keys of a file: the charts it is in, the kustomizations that read it. */
export function unitKeys(file: string, structure: Structure, out: Set<string>): void {
  const f = norm(file);
  for (const root of structure.charts) if (under(f, root)) out.add(`chart:${root}`);
  if (structure.valuesFiles.includes(f)) for (const root of structure.charts) out.add(`chart:${root}`);
  for (const k of structure.kustomizations) {
    if (f === k.file || k.reads.some((r) => f === r || under(f, r))) out.add(`kustomize:${k.file}`);
  }
}

const HOST_PORT = /(?:^|[\s"'=/,])([a-z0-9][a-z0-9-]*)(?:\.[a-z0-9.-]+)?:[A-Za-z0-9-]/g;

/** Every Service name an address-like value could name (as the model's and the rules' readers find them). */
function hostsIn(value: string, out: Set<string>): void {
  for (const m of value.matchAll(HOST_PORT)) out.add(`svc:${m[1]!}`);
  for (const a of grpcAddressesIn(value)) if (a.target.service) out.add(`svc:${a.target.service}`);
  if (mayBeEnvoyBootstrap(value)) {
    for (const e of readEnvoy(value)) {
      const service = parseTarget(e.value)?.service;
      if (service) out.add(`svc:${service}`);
    }
  }
}

/** Every word of a short value (an env value, an argument) that could be a Service name: hosts come without ports too. */
function wordsIn(value: string, out: Set<string>): void {
  for (const m of value.toLowerCase().matchAll(/[a-z0-9][a-z0-9-]*/g)) out.add(`svc:${m[0]}`);
  hostsIn(value, out);
}

const stem = (name: string): string => name.replace(/-\d+$/, '');

/** A key read both ways: the holders affect each other (order decides, or they are compared). */
function both(k: FileKeys, key: string): void {
  k.provides.add(key);
  k.uses.add(key);
}

type Plain = Record<string, unknown>;
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The keys of every file of a model (the files it was built from). `codeWorld`: whether the workspace holds
 * any code-side file (then every object uses the code key; without one the key joins nothing anyway).
 */
export function keysOfModel(model: Pick<AnalysisModel, 'files' | 'k8s' | 'options'>, structure: Structure): Map<string, FileKeys> {
  const out = new Map<string, FileKeys>();
  const of = (file: string): FileKeys => {
    let k = out.get(file);
    if (!k) out.set(file, (k = { provides: new Set(), uses: new Set() }));
    return k;
  };
  for (const facts of model.files.values()) {
    const k = of(facts.file);
    const units = new Set<string>();
    unitKeys(facts.file, structure, units);
    for (const key of units) both(k, key);
    if (codeSide(facts)) codeKeys(facts, k);
  }
  const imageMap = Object.keys(model.options.imageMap).length > 0;
  const k8s = model.k8s;
  for (const o of k8s.objects) objectKeys(o, of(o.file));
  for (const s of k8s.services) {
    const k = of(s.object.file);
    const entries = s.selector ? Object.entries(s.selector) : [];
    if (entries.length > 0) {
      k.uses.add(`label:${entries[0]![0]}=${entries[0]![1]}`);
      both(k, `selector:${s.namespace ?? ''}:${JSON.stringify(entries.sort())}`);
    }
    if (s.namespace) k.uses.add(`namespace:${s.namespace}`);
    k.uses.add(`name:Service:${s.name}-headless`);
  }
  for (const w of k8s.workloads) {
    const k = of(w.object.file);
    for (const [key, value] of Object.entries(w.podLabels)) k.provides.add(`label:${key}=${value}`);
    // Backstage entities match the workload's own labels too (model/backstage.ts).
    for (const [key, value] of Object.entries(w.object.labels)) k.provides.add(`label:${key}=${value}`);
    if (imageMap) k.uses.add(CODE);
    k.provides.add(`workload:${w.kind}/${w.name}`);
    if (w.namespace) k.uses.add(`namespace:${w.namespace}`);
    k.uses.add('istio-mesh-config');
    k.uses.add(`name:Role:${w.name}-kuberesolver`);
    k.uses.add(`name:RoleBinding:${w.name}-kuberesolver`);
    for (const c of [...w.containers, ...w.initContainers]) {
      for (const source of c.envFrom) k.uses.add(`store:${source.kind}/${source.name}`);
      for (const e of c.declaredEnv) if (e.ref) k.uses.add(`store:${e.ref.kind}/${e.ref.name}`);
      for (const e of c.env) {
        k.provides.add(`env:${e.name}`);
        k.provides.add('env:*');
        if (e.value !== undefined) wordsIn(e.value, k.uses);
      }
      for (const word of [...(c.command ?? []), ...(c.args ?? [])]) wordsIn(word, k.uses);
      k.uses.add(`image:${c.name.toLowerCase()}`);
      if (c.image) {
        k.uses.add(`image:${lastSegment(imageRepository(c.image))}`);
        const variable = variableName(VARIABLE_WORD.exec(c.image.trim()));
        if (variable !== undefined) k.uses.add(`image-var:${variable}`);
      }
    }
  }
  for (const h of k8s.hpas) if (h.targetKind && h.targetName) of(h.object.file).uses.add(`workload:${h.targetKind}/${h.targetName}`);
  return out;
}

/** Keys of an object by kind (the typed views add theirs in keysOfModel). */
function objectKeys(o: K8sObject, k: FileKeys): void {
  if (RBAC_KINDS.has(o.kind)) k.uses.add(CODE);
  k.provides.add(`name:${o.kind}:${stem(o.name)}`);
  const group = o.apiVersion.split('/')[0] ?? '';
  switch (o.kind) {
    case 'Service':
      both(k, `svc:${o.name}`);
      return;
    case 'Namespace':
      both(k, `namespace:${o.name}`);
      return;
    case 'ConfigMap':
    case 'Secret': {
      both(k, `store:${o.kind}/${o.name}`);
      const root = (o.root.toJSON() ?? {}) as Plain;
      for (const field of ['data', 'stringData', 'binaryData']) {
        const data = root[field];
        if (!data || typeof data !== 'object') continue;
        for (const [key, value] of Object.entries(data as Plain)) {
          if (typeof value !== 'string') continue;
          hostsIn(value, k.uses);
          if (o.kind === 'Secret' && field === 'data') hostsIn(Buffer.from(value.replace(/\s+/g, ''), 'base64').toString('utf8'), k.uses);
          if (key.startsWith('upstream-keepalive')) both(k, 'nginx-config');
        }
      }
      if (/^(ingress-nginx-controller|nginx-configuration)$/.test(o.name)) both(k, 'nginx-config');
      if (o.kind === 'ConfigMap' && o.name === 'istio') both(k, 'istio-mesh-config');
      return;
    }
    case 'IngressClass':
      both(k, `ingress-class:${o.name}`);
      return;
    case 'Ingress': {
      const spec = (((o.root.toJSON() ?? {}) as Plain).spec ?? {}) as Plain;
      const backend = (b: unknown): void => {
        const name = (((b ?? {}) as Plain).service as Plain | undefined)?.name;
        if (typeof name === 'string') k.uses.add(`svc:${name}`);
        const legacy = ((b ?? {}) as Plain).serviceName;
        if (typeof legacy === 'string') k.uses.add(`svc:${legacy}`);
      };
      backend(spec.defaultBackend);
      backend(spec.backend);
      for (const rule of asList(spec.rules))
        for (const p of asList(((rule as Plain).http as Plain | undefined)?.paths)) backend((p as Plain).backend);
      const cls = typeof spec.ingressClassName === 'string' ? spec.ingressClassName : o.annotations['kubernetes.io/ingress.class'];
      if (cls) k.uses.add(`ingress-class:${cls}`);
      k.uses.add('nginx-config');
      const albGroup = o.annotations['alb.ingress.kubernetes.io/group.name'];
      if (albGroup) both(k, `alb-group:${albGroup}`);
      return;
    }
    case 'GRPCRoute':
    case 'HTTPRoute': {
      const spec = (((o.root.toJSON() ?? {}) as Plain).spec ?? {}) as Plain;
      for (const rule of asList(spec.rules))
        for (const ref of asList((rule as Plain).backendRefs)) {
          const name = (ref as Plain).name;
          if (typeof name === 'string') k.uses.add(`svc:${name}`);
        }
      return;
    }
  }
  if (group.endsWith('istio.io') || group.endsWith('linkerd.io')) {
    const spec = (((o.root.toJSON() ?? {}) as Plain).spec ?? {}) as Plain;
    const hosts = [spec.host, ...asList(spec.hosts), o.kind === 'ServiceProfile' ? o.name : undefined];
    for (const h of hosts) if (typeof h === 'string') k.uses.add(`svc:${h.toLowerCase().split('.')[0]}`);
    if (o.namespace) both(k, `namespace:${o.namespace}`);
  }
}

interface Holders {
  files: Set<string>;
  providers: number;
  users: number;
}

/** Union-find over file names (and keys, for the worker-thread driver's parts). */
export class Components {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root)) root = p;
    for (let y = x, p = this.parent.get(y); p !== undefined && p !== root; p = this.parent.get(y)) {
      this.parent.set(y, root);
      y = p;
    }
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

/** The islands of a workspace, kept up to date file set by file set. */
export class Islands {
  private readonly keys = new Map<string, FileKeys>();
  /** key → files holding it, and how many of them provide and use it. */
  private readonly holders = new Map<string, Holders>();
  private readonly islandOf = new Map<string, readonly string[]>();

  constructor(
    keys: ReadonlyMap<string, FileKeys>,
    readonly structure: Structure,
  ) {
    this.replace([...keys.keys()], keys);
  }

  /** The island of a file (itself when it holds no live key). */
  island(file: string): readonly string[] {
    return this.islandOf.get(file) ?? [file];
  }

  /**
   * Files outside `inside` that `keys` (the new keys of the files inside) would join with: holders of a key
   * that, with the new keys, someone provides and someone uses.
   */
  outsiders(keys: ReadonlyMap<string, FileKeys>, inside: ReadonlySet<string>): Set<string> {
    const out = new Set<string>();
    const here = new Map<string, { provides: boolean; uses: boolean }>();
    for (const k of keys.values()) {
      for (const key of k.provides) here.set(key, { provides: true, uses: here.get(key)?.uses ?? false });
      for (const key of k.uses) here.set(key, { provides: here.get(key)?.provides ?? false, uses: true });
    }
    // What the files inside held before, per key: the holders' counts minus these are the outside's.
    const before = new Map<string, { files: number; providers: number; users: number }>();
    for (const file of inside) {
      const k = this.keys.get(file);
      if (!k) continue;
      for (const key of k.provides) {
        const b = before.get(key) ?? { files: 0, providers: 0, users: 0 };
        b.files++;
        b.providers++;
        before.set(key, b);
      }
      for (const key of k.uses) {
        const b = before.get(key) ?? { files: 0, providers: 0, users: 0 };
        if (!k.provides.has(key)) b.files++;
        b.users++;
        before.set(key, b);
      }
    }
    for (const [key, mine] of here) {
      const h = this.holders.get(key);
      if (!h) continue;
      const b = before.get(key);
      if (h.files.size - (b?.files ?? 0) === 0) continue;
      const provides = mine.provides || h.providers - (b?.providers ?? 0) > 0;
      const uses = mine.uses || h.users - (b?.users ?? 0) > 0;
      if (!provides || !uses) continue;
      for (const file of h.files) if (!inside.has(file)) out.add(file);
    }
    return out;
  }

  /** Replace the keys of `files` (all of one closed set: no live key of theirs is held outside) and re-form their islands. */
  replace(files: readonly string[], keys: ReadonlyMap<string, FileKeys>): void {
    for (const file of files) {
      const old = this.keys.get(file);
      const k = keys.get(file);
      if (old && k && sameKeys(old, k)) continue;
      if (old) for (const key of new Set([...old.provides, ...old.uses])) this.drop(key, file, old);
      if (!k) {
        this.keys.delete(file);
        continue;
      }
      this.keys.set(file, k);
      for (const key of new Set([...k.provides, ...k.uses])) this.hold(key, file, k);
    }
    const components = new Components();
    const seen = new Set<string>();
    for (const file of files) {
      const k = this.keys.get(file);
      if (!k) continue;
      for (const key of [...k.provides, ...k.uses]) {
        if (seen.has(key)) continue;
        seen.add(key);
        const h = this.holders.get(key)!;
        if (h.providers === 0 || h.users === 0) continue;
        let first: string | undefined;
        for (const other of h.files) {
          if (first === undefined) first = other;
          else components.union(first, other);
        }
      }
    }
    const groups = new Map<string, string[]>();
    for (const file of files) {
      const root = components.find(file);
      let list = groups.get(root);
      if (!list) groups.set(root, (list = []));
      list.push(file);
    }
    for (const list of groups.values()) for (const file of list) this.islandOf.set(file, list);
  }

  forget(file: string): void {
    this.replace([file], new Map());
    this.islandOf.delete(file);
  }

  private hold(key: string, file: string, k: FileKeys): void {
    let h = this.holders.get(key);
    if (!h) this.holders.set(key, (h = { files: new Set(), providers: 0, users: 0 }));
    h.files.add(file);
    if (k.provides.has(key)) h.providers++;
    if (k.uses.has(key)) h.users++;
  }

  private drop(key: string, file: string, k: FileKeys): void {
    const h = this.holders.get(key);
    if (!h) return;
    h.files.delete(file);
    if (k.provides.has(key)) h.providers--;
    if (k.uses.has(key)) h.users--;
    if (h.files.size === 0) this.holders.delete(key);
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function sameKeys(a: FileKeys, b: FileKeys): boolean {
  return sameSet(a.provides, b.provides) && sameSet(a.uses, b.uses);
}

/** Same structure (charts, kustomizations and what they read, values files)? */
export function sameStructure(a: Structure, b: Structure): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The identities that decide folder units (units/folders.ts): a change of them re-analyses everything. */
export function folderSignature(facts: FileFacts | undefined): string {
  const objects = facts?.manifests?.objects ?? [];
  if (objects.length === 0) return '';
  return `${facts?.manifests?.helm ? 'helm' : 'plain'}|${objects.map((o) => `${o.kind}/${o.namespace ?? ''}/${o.name}`).join('|')}`;
}
