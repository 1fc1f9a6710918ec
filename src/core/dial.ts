// Joins gRPC code to the manifests: dial site → target text (literals, constants, env vars resolved through
// the `env` of the containers that run the code) → Service and port → selected workloads → the gRPC
// servers in their code. Code → containers goes through the image index (nearest Dockerfile's build context →
// image → containers); without Dockerfiles, an image whose last path segment names a folder of the code file.
//
// An env var that the running containers do not set still resolves when every container in the workspace
// that sets it agrees on one value (the Online Boutique `*_SERVICE_ADDR` pattern).
import path from 'node:path';
import type { BackstageEntity } from './facts/backstage.js';
import type { DialSite, GrpcFacts, ServerSite } from './facts/grpc/index.js';
import { parseTarget, type ParsedTarget } from './facts/grpc/target.js';
import { renderParts, type Alt } from './facts/grpc/value.js';
import type { Container, EnvVar, Service, ServicePort, Workload } from './facts/k8s.js';
import { sameNamespace, type Graph, type MeshEvidence } from './graph.js';

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

export interface Drain {
  seconds: number;
  file: string;
  at: [number, number];
  what: string;
}

export interface ServerLink extends CodeSite<ServerSite> {
  containers: Container[];
}

/** The part of the image index (src/core/images.ts) the linker needs. */
interface SourceContainers {
  containersForSourceFile(file: string): Container[];
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

  constructor(private readonly graph: Graph) {
    for (const facts of graph.files.values()) {
      const grpc = facts.grpc;
      if (!grpc) continue;
      for (const site of grpc.dials) this.dials.push({ file: facts.file, site, facts: grpc });
      for (const site of grpc.servers) this.servers.push({ file: facts.file, site, facts: grpc, containers: this.containersRunning(facts.file) });
      for (const r of grpc.kuberesolver?.registers ?? []) this.kuberesolverSchemes.add(r.scheme);
    }
    for (const w of graph.workloads) {
      for (const c of w.containers) for (const e of c.env) if (e.value !== undefined) this.envValues.set(e.name, [...(this.envValues.get(e.name) ?? []), e]);
    }
    for (const dial of this.dials) this.linkDial(dial);
  }

  /** Containers whose image is built from the code file's folder. */
  containersRunning(file: string): Container[] {
    let cached = this.containersCache.get(file);
    if (cached) return cached;
    const images: SourceContainers = this.graph.images;
    cached = images.containersForSourceFile(file).filter((c) => !c.init);
    if (cached.length === 0) cached = this.byFolderName(file);
    this.containersCache.set(file, cached);
    return cached;
  }

  /** Fallback code → containers: an image whose repository's last segment names a folder on the file's path (the deepest wins). */
  private byFolderName(file: string): Container[] {
    if (!this.byImageName) {
      this.byImageName = new Map();
      for (const w of this.graph.workloads) {
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
    const workloads = new Set(this.graph.workloadsSelectedBy(service));
    return this.servers.filter((s) => s.containers.some((c) => workloads.has(c.workload)));
  }

  /**
   * The longest drain the code of a workload asks for after SIGTERM: a visible shutdown timeout (Go
   * `Shutdown(ctx)` under `context.WithTimeout`, `GracefulStop` raced by a timer) or the server's
   * MaxConnectionAgeGrace (how long in-flight RPCs on a closing connection are allowed to run).
   */
  drainOf(workload: Workload): Drain | undefined {
    if (!this.drains) {
      // One pass over the code files, not one per workload: 5,000 workloads × thousands of files add up.
      const drains = new Map<Workload, Drain>();
      for (const facts of this.graph.files.values()) {
        const grpc = facts.grpc;
        if (!grpc) continue;
        const candidates: Drain[] = [];
        for (const t of grpc.shutdownTimeouts) candidates.push({ seconds: t.seconds!, file: facts.file, at: t.at, what: 'shutdown timeout' });
        for (const srv of grpc.servers) {
          const grace = srv.maxConnectionAgeGrace;
          if (grace?.ms !== undefined) candidates.push({ seconds: grace.ms / 1000, file: facts.file, at: grace.at, what: 'MaxConnectionAgeGrace' });
        }
        const useful = candidates.filter((c) => c.seconds !== undefined && c.seconds > 0);
        if (useful.length === 0) continue;
        for (const container of this.containersRunning(facts.file)) {
          for (const c of useful) {
            const best = drains.get(container.workload);
            if (!best || c.seconds > best.seconds) drains.set(container.workload, c);
          }
        }
      }
      this.drains = drains;
    }
    return this.drains.get(workload);
  }

  private drains: Map<Workload, Drain> | undefined;
  private servicesByName: Map<string, Service[]> | undefined;

  meshOfClient(link: DialLink): MeshEvidence | undefined {
    const clients = link.client ? [link.client] : this.containersRunning(link.file);
    for (const c of clients) {
      const mesh = this.graph.meshOf(c.workload);
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
    if (!this.servicesByName) {
      this.servicesByName = new Map();
      for (const svc of this.graph.services) this.servicesByName.set(svc.name, [...(this.servicesByName.get(svc.name) ?? []), svc]);
    }
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

/** Backstage: Components that own a workload (`backstage.io/kubernetes-id` label or the label selector). */
export class Catalog {
  readonly entities: BackstageEntity[] = [];

  constructor(private readonly graph: Graph) {
    for (const f of graph.files.values()) this.entities.push(...(f.backstage?.entities ?? []));
  }

  get components(): BackstageEntity[] {
    return this.entities.filter((e) => e.kind === 'Component');
  }

  get apis(): BackstageEntity[] {
    return this.entities.filter((e) => e.kind === 'API');
  }

  get systems(): BackstageEntity[] {
    return this.entities.filter((e) => e.kind === 'System');
  }

  /** Workloads a Component runs as. */
  workloadsOf(component: BackstageEntity): Workload[] {
    return this.graph.workloads.filter((w) => {
      if (component.kubernetesNamespace && w.namespace && w.namespace !== component.kubernetesNamespace) return false;
      const labels = { ...w.object.labels, ...w.podLabels };
      if (component.kubernetesId && labels['backstage.io/kubernetes-id'] === component.kubernetesId) return true;
      const sel = component.kubernetesLabelSelector;
      return sel !== undefined && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
    });
  }

  componentsOf(workload: Workload): BackstageEntity[] {
    return this.components.filter((c) => this.workloadsOf(c).includes(workload));
  }

  /** The API entity a ref names. */
  api(ref: { namespace: string; name: string }): BackstageEntity | undefined {
    return this.apis.find((a) => a.name === ref.name && a.namespace === ref.namespace);
  }

  /** gRPC APIs (spec.type grpc) the Components behind a Service provide: catalog evidence that it speaks gRPC. */
  grpcApisBehind(service: Service): { component: BackstageEntity; api: BackstageEntity }[] {
    const out: { component: BackstageEntity; api: BackstageEntity }[] = [];
    for (const w of this.graph.workloadsSelectedBy(service)) {
      for (const component of this.componentsOf(w)) {
        for (const ref of component.providesApis) {
          const api = this.api(ref);
          if (api?.type?.toLowerCase() === 'grpc' && !out.some((o) => o.api === api)) out.push({ component, api });
        }
      }
    }
    return out;
  }

  /** Components that consume an API. */
  consumersOf(api: BackstageEntity): BackstageEntity[] {
    return this.components.filter((c) => c.consumesApis.some((r) => r.name === api.name && r.namespace === api.namespace));
  }

  /** Entities of a System (Components, APIs, Resources with spec.system). */
  inSystem(system: string): BackstageEntity[] {
    return this.entities.filter((e) => e.system === system);
  }
}
