// The code side of the model. Joins gRPC code to the manifests: dial site → target text (literals, constants, env vars resolved through
// the `env` of the containers that run the code) → Service and port → selected workloads → the gRPC
// servers in their code. Code → containers goes through the image index (nearest Dockerfile's build context →
// image → containers); without Dockerfiles, an image whose last path segment names a folder of the code file.
//
// An env var that the running containers do not set still resolves when every container in the workspace
// that sets it agrees on one value (the Online Boutique `*_SERVICE_ADDR` pattern).
import path from 'node:path';
import type { FileFacts } from '../facts/index.js';
import type { DialSite, GrpcFacts, ServerSite } from '../facts/grpc/index.js';
import { parseTarget, type ParsedTarget } from '../facts/grpc/target.js';
import { renderParts, type Alt } from '../facts/grpc/value.js';
import type { Container, EnvVar, Service, ServicePort, Workload } from '../facts/k8s.js';
import type { ImageIndex } from './images.js';
import { sameNamespace, type KubernetesIndex } from './kubernetes.js';
import type { MeshEvidence, MeshIndex } from './mesh.js';

export interface CodeSite<T> {
  file: string;
  site: T;
  facts: GrpcFacts;
}

export interface DialLink {
  file: string;
  site: DialSite;
  alt: Alt;
  /** The container that runs this code and whose env decided the target (undefined: literal or workspace-wide). */
  client?: Container;
  /** The target text after substitution, or undefined when some part is unknown. */
  text?: string;
  target?: ParsedTarget;
  /** Env vars (with the manifest node) that fed the target. */
  env: EnvVar[];
  service?: Service;
  port?: ServicePort;
  /** Namespace the target is resolved in (written, or the client's). */
  namespace?: string;
}

export interface ServerLink extends CodeSite<ServerSite> {
  containers: Container[];
}

export class DialIndex {
  readonly dials: CodeSite<DialSite>[] = [];
  readonly servers: ServerLink[] = [];
  readonly links: DialLink[] = [];
  /** Schemes registered for kuberesolver anywhere in the workspace (`kubernetes` and custom ones). */
  readonly kuberesolverSchemes = new Set<string>();
  private readonly byService = new Map<Service, DialLink[]>();
  private readonly containersCache = new Map<string, Container[]>();
  private readonly envValues = new Map<string, EnvVar[]>();

  constructor(
    files: ReadonlyMap<string, FileFacts>,
    private readonly k8s: KubernetesIndex,
    private readonly images: ImageIndex,
    private readonly mesh: MeshIndex,
  ) {
    this.files = files;
    for (const facts of files.values()) {
      const grpc = facts.grpc;
      if (!grpc) continue;
      for (const site of grpc.dials) this.dials.push({ file: facts.file, site, facts: grpc });
      for (const site of grpc.servers) this.servers.push({ file: facts.file, site, facts: grpc, containers: this.containersRunning(facts.file) });
      for (const r of grpc.kuberesolver?.registers ?? []) this.kuberesolverSchemes.add(r.scheme);
    }
    for (const w of k8s.workloads) {
      for (const c of w.containers) for (const e of c.env) if (e.value !== undefined) this.envValues.set(e.name, [...(this.envValues.get(e.name) ?? []), e]);
    }
    for (const svc of k8s.services) this.servicesByName.set(svc.name, [...(this.servicesByName.get(svc.name) ?? []), svc]);
    for (const dial of this.dials) this.linkDial(dial);
  }

  private readonly files: ReadonlyMap<string, FileFacts>;
  private readonly servicesByName = new Map<string, Service[]>();

  /** Containers whose image is built from the code file's folder. */
  containersRunning(file: string): Container[] {
    let cached = this.containersCache.get(file);
    if (cached) return cached;
    cached = this.images.containersForSourceFile(file).filter((c) => !c.init);
    if (cached.length === 0) cached = this.byFolderName(file);
    this.containersCache.set(file, cached);
    return cached;
  }

  /** Fallback code → containers: an image whose repository's last segment names a folder on the file's path (the deepest wins). */
  private byFolderName(file: string): Container[] {
    if (!this.byImageName) {
      this.byImageName = new Map();
      for (const w of this.k8s.workloads) {
        for (const c of w.containers) {
          if (!c.image) continue;
          const repo = c.image.split('@')[0]!.replace(/:[^/:]*$/, '').toLowerCase();
          const name = repo.slice(repo.lastIndexOf('/') + 1);
          const list = this.byImageName.get(name);
          if (list) list.push(c);
          else this.byImageName.set(name, [c]);
        }
      }
    }
    const folders = path.posix.dirname(file.replace(/\\/g, '/')).toLowerCase().split('/');
    for (let depth = folders.length - 1; depth >= 0; depth--) {
      const hit = this.byImageName.get(folders[depth]!);
      if (hit) return hit;
    }
    return [];
  }

  private byImageName: Map<string, Container[]> | undefined;

  linksTo(service: Service): DialLink[] {
    return this.byService.get(service) ?? [];
  }

  /** Server sites in the code of a workload's containers. */
  serversOf(workload: Workload): ServerLink[] {
    return this.servers.filter((s) => s.containers.some((c) => c.workload === workload));
  }

  /** Servers behind a Service: in the code of the workloads it selects. */
  serversBehind(service: Service): ServerLink[] {
    const workloads = new Set(this.k8s.workloadsSelectedBy(service));
    return this.servers.filter((s) => s.containers.some((c) => workloads.has(c.workload)));
  }

  meshOfClient(link: DialLink): MeshEvidence | undefined {
    const clients = link.client ? [link.client] : this.containersRunning(link.file);
    for (const c of clients) {
      const mesh = this.mesh.meshOf(c.workload);
      if (mesh) return mesh;
    }
    return undefined;
  }

  private linkDial(dial: CodeSite<DialSite>): void {
    const containers = this.containersRunning(dial.file);
    for (const alt of dial.site.targets) {
      const seen = new Set<string>();
      const perContainer = containers.map((c) => this.resolve(dial, alt, c));
      const resolved = perContainer.filter((l) => l.text !== undefined);
      const candidates = resolved.length > 0 ? resolved : [this.resolve(dial, alt, undefined)];
      for (const link of candidates) {
        const key = `${link.text}|${link.client?.workload.namespace ?? ''}|${link.service?.name ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        this.links.push(link);
        if (link.service) this.byService.set(link.service, [...(this.byService.get(link.service) ?? []), link]);
      }
    }
  }

  private resolve(dial: CodeSite<DialSite>, alt: Alt, client: Container | undefined): DialLink {
    const used: EnvVar[] = [];
    const text = renderParts(alt.parts, (name) => {
      const own = client?.env.find((e) => e.name === name);
      if (own) {
        if (own.value === undefined) return undefined;
        used.push(own);
        return own.value;
      }
      const all = this.envValues.get(name) ?? [];
      if (all.length > 0 && all.every((e) => e.value === all[0]!.value)) {
        used.push(all[0]!);
        return all[0]!.value;
      }
      return undefined;
    });
    const link: DialLink = { file: dial.file, site: dial.site, alt, client: used.some((e) => client?.env.includes(e)) ? client : undefined, text, env: used };
    if (text === undefined) return link;
    const schemes = new Set(['kubernetes', ...this.kuberesolverSchemes]);
    const target = parseTarget(text, schemes);
    link.target = target;
    if (!target?.service || target.literalAddress || target.scheme === 'unix' || target.scheme === 'xds' || target.scheme === 'other') return link;
    const clientNs = (client ?? this.containersRunning(dial.file)[0])?.workload.namespace;
    const ns = target.namespace ?? clientNs;
    link.namespace = ns;
    const services = (this.servicesByName.get(target.service) ?? []).filter((s) => sameNamespace(ns, s.namespace));
    if (services.length !== 1 && !(services.length > 1 && ns)) return link;
    const service = services.find((s) => s.namespace === ns) ?? services[0]!;
    link.service = service;
    link.port = portFor(service, target);
    return link;
  }
}

/** The Service port a target's port means: by number (`port`, or for pod-direct dials the target port) or by name. */
function portFor(service: Service, target: ParsedTarget): ServicePort | undefined {
  const p = target.port;
  if (p === undefined) return target.scheme === 'kubernetes' || service.ports.length === 1 ? service.ports[0] : undefined;
  if (/^\d+$/.test(p)) {
    const n = Number(p);
    return service.ports.find((sp) => sp.port === n) ?? service.ports.find((sp) => sp.targetPort === n);
  }
  return service.ports.find((sp) => sp.name === p);
}

