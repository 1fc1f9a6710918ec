// The code side of the model. Joins gRPC code to the manifests: dial site → target text (literals, constants, env vars resolved through
// the `env` of the containers that run the code) → Service and port → selected workloads → the gRPC
// servers in their code. Code → containers goes through the image index (nearest Dockerfile's build context →
// image → containers); without Dockerfiles, an image whose last path segment names a folder of the code file.
//
// An env var that the running containers do not set still resolves when every container in the workspace
// that sets it agrees on one value (the Online Boutique `*_SERVICE_ADDR` pattern). Application config keys
// and flags resolve through model/app-config.ts (the module's config files, env overrides; the client
// container's args). An `http(s)://` target is no gRPC channel except for the APIs that take one (.NET).
// Addresses in configuration (model/grpc-evidence.ts) are linked too, as weaker evidence (`configLinks`).
import path from 'node:path';
import type { FileFacts } from '../facts/index.js';
import type { DialSite, GrpcFacts, ServerSite } from '../facts/grpc/index.js';
import { parseTarget, type ParsedTarget } from '../facts/grpc/target.js';
import { renderParts, type Alt } from '../facts/grpc/value.js';
import type { Container, EnvVar, Service, ServicePort, Workload } from '../facts/k8s.js';
import type { DeploymentUnit } from '../facts/manifests.js';
import type { AppConfigIndex, ConfigUse } from './app-config.js';
import { collectConfigAddresses, type ConfigAddress } from './grpc-evidence.js';
import type { ImageIndex } from './images.js';
import { sameNamespace, type KubernetesIndex } from './kubernetes.js';
import type { MeshEvidence, MeshIndex } from './mesh.js';
import { pushTo } from '../multimap.js';

export interface CodeSite<T> {
  file: string;
  site: T;
  facts: GrpcFacts;
}

export interface DialLink {
  /** A dial site in code (config addresses are `ConfigLink`s). */
  evidence: 'dial';
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
  /** Application config keys that fed the target (file values, env overrides, the code's defaults). */
  config: ConfigUse[];
  /** A policy set in application config (grpc-spring-boot-starter `default-load-balancing-policy`). */
  configPolicy?: { policy: string; use: ConfigUse };
  service?: Service;
  /** Other Services the target could name just as well (same name, no unit or folder tells them apart). */
  alternatives?: Service[];
  port?: ServicePort;
  /** Namespace the target is resolved in (written, or the client's). */
  namespace?: string;
}

/** An address in configuration that only a gRPC client would use, linked like a dial target: weaker evidence. */
export interface ConfigLink extends ConfigAddress {
  evidence: 'config';
  service?: Service;
  port?: ServicePort;
  namespace?: string;
}

export interface ServerLink extends CodeSite<ServerSite> {
  containers: Container[];
}

export class DialIndex {
  readonly dials: CodeSite<DialSite>[] = [];
  readonly servers: ServerLink[] = [];
  readonly links: DialLink[] = [];
  /** Addresses in configuration (app config, env values, ConfigMaps, nginx) that say gRPC, linked to Services. */
  readonly configLinks: ConfigLink[] = [];
  /** Schemes registered for kuberesolver anywhere in the workspace (`kubernetes` and custom ones). */
  readonly kuberesolverSchemes = new Set<string>();
  private readonly byService = new Map<Service, DialLink[]>();
  private readonly configByService = new Map<Service, ConfigLink[]>();
  private readonly containersCache = new Map<string, Container[]>();
  private readonly envValues = new Map<string, EnvVar[]>();

  constructor(
    files: ReadonlyMap<string, FileFacts>,
    private readonly k8s: KubernetesIndex,
    private readonly images: ImageIndex,
    private readonly mesh: MeshIndex,
    private readonly appConfig: AppConfigIndex,
  ) {
    this.files = files;
    for (const facts of files.values()) {
      const grpc = facts.grpc;
      if (!grpc) continue;
      for (const site of grpc.dials) this.dials.push({ file: facts.file, site, facts: grpc });
      for (const site of grpc.servers)
        this.servers.push({ file: facts.file, site, facts: grpc, containers: this.containersRunning(facts.file) });
      for (const r of grpc.kuberesolver?.registers ?? []) this.kuberesolverSchemes.add(r.scheme);
    }
    for (const w of k8s.workloads) {
      for (const c of w.containers) for (const e of c.env) if (e.value !== undefined) pushTo(this.envValues, e.name, e);
    }
    for (const svc of k8s.services) pushTo(this.servicesByName, svc.name, svc);
    for (const dial of this.dials) this.linkDial(dial);
    for (const address of collectConfigAddresses(files, appConfig, k8s.objects, k8s.workloads)) this.linkConfig(address);
  }

  private readonly files: ReadonlyMap<string, FileFacts>;
  private readonly servicesByName = new Map<string, Service[]>();

  /** Containers whose image is built from the code file's folder. */
  containersRunning(file: string): Container[] {
    let cached = this.containersCache.get(file);
    if (cached) return cached;
    // Test sources are compiled into test binaries, never into the image's program (dapr's `proxy_test.go` serving
    // gRPC was taken for the scheduler's server in the real-repository trial).
    if (TEST_SOURCE.test(file)) cached = [];
    else {
      // Test-harness folders are judged below the build context (or the folder the image is named after), never in
      // the path the repository itself sits under.
      cached = this.images.containersForSourceFile(file, TEST_FOLDER).filter((c) => !c.init);
      if (cached.length === 0) cached = this.byFolderName(file);
    }
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
          const repo = c.image
            .split('@')[0]!
            .replace(/:[^/:]*$/, '')
            .toLowerCase();
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
      if (hit) return TEST_FOLDER.test(`${folders.slice(depth + 1).join('/')}/`) ? [] : hit;
    }
    return [];
  }

  private byImageName: Map<string, Container[]> | undefined;

  linksTo(service: Service): DialLink[] {
    return this.byService.get(service) ?? [];
  }

  /** Config addresses that name a Service (weaker evidence than a dial site). */
  configLinksTo(service: Service): ConfigLink[] {
    return this.configByService.get(service) ?? [];
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

  /** The best Service for a target among those named alike, then any tied with it. */
  private closest(
    services: Service[],
    client: Container | undefined,
    file: string,
    namespace: string | undefined,
    unit?: DeploymentUnit,
  ): [Service, ...Service[]] {
    const ranked = rankServices(services, client, file, namespace, unit);
    return ranked as [Service, ...Service[]];
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
      for (const link of candidates.flatMap((l) => this.perAddress(l))) {
        const key = `${link.text}|${link.target?.host ?? ''}|${link.client?.workload.namespace ?? ''}|${link.client?.workload.object.unit?.id ?? ''}|${link.service ? `${link.service.object.file}:${link.service.object.nameSpan[0]}` : ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        this.links.push(link);
        if (link.service) pushTo(this.byService, link.service, link);
      }
    }
  }

  private resolve(dial: CodeSite<DialSite>, alt: Alt, client: Container | undefined): DialLink {
    const used: EnvVar[] = [];
    const env = (name: string) => {
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
    };
    // Config keys and flags (model/app-config.ts) read the same env.
    const flow = this.appConfig.valuesFor(dial.file, client, env, () => this.envValues.keys());
    const text = renderParts(alt.parts, flow.values);
    const fromClient = flow.fromArgs() || used.some((e) => client?.env.includes(e));
    const link: DialLink = {
      evidence: 'dial',
      file: dial.file,
      site: dial.site,
      alt,
      client: fromClient ? client : undefined,
      text,
      env: used,
      config: flow.config,
    };
    const configPolicy = dial.site.policyKeys && flow.policy(dial.site.policyKeys);
    if (configPolicy) link.configPolicy = configPolicy;
    if (text === undefined) return link;
    const schemes = new Set(['kubernetes', ...this.kuberesolverSchemes]);
    const target = parseTarget(text, schemes);
    link.target = target;
    // grpc-go, grpc-java, grpc-js and grpcio have no http resolver: such a channel never works, and is no gRPC evidence.
    if ((target?.scheme === 'http' || target?.scheme === 'https') && !dial.site.httpTargets) return link;
    this.attachService(link, target, (client ?? this.containersRunning(dial.file)[0])?.workload.namespace, client, dial.file);
    return link;
  }

  /** A `static://a:1,b:2` list: one link per address (each is dialed, and pinned, on its own). */
  private perAddress(link: DialLink): DialLink[] {
    const addresses = link.target?.addresses;
    if (!addresses || addresses.length < 2) return [link];
    return addresses.map((a) => {
      const one: DialLink = { ...link, target: { ...link.target!, ...a }, service: undefined, alternatives: undefined, port: undefined };
      this.attachService(
        one,
        one.target,
        link.namespace ?? link.client?.workload.namespace ?? this.containersRunning(link.file)[0]?.workload.namespace,
        link.client,
        link.file,
      );
      return one;
    });
  }

  /** The Service (and port) a parsed target names, in the target's namespace or the client's. */
  private attachService(
    link: { service?: Service; alternatives?: Service[]; port?: ServicePort; namespace?: string },
    target: ParsedTarget | undefined,
    clientNs: string | undefined,
    client: Container | undefined,
    file: string,
    /** The unit of the object that holds the address (a ConfigMap), when no client container gives one. */
    unit?: DeploymentUnit,
  ): void {
    if (!target?.service || target.literalAddress || target.scheme === 'unix' || target.scheme === 'xds' || target.scheme === 'other')
      return;
    const ns = target.namespace ?? clientNs;
    link.namespace = ns;
    const services = (this.servicesByName.get(target.service) ?? []).filter((s) => sameNamespace(ns, s.namespace));
    if (services.length === 0) return;
    const [service, ...tied] = this.closest(services, client ?? this.containersRunning(file)[0], file, ns, unit);
    link.service = service;
    if (tied.length > 0) link.alternatives = tied;
    link.port = portFor(service, target);
  }

  private linkConfig(address: ConfigAddress): void {
    const link: ConfigLink = { ...address, evidence: 'config' };
    const ns =
      address.workload?.namespace ??
      address.object?.namespace ??
      (address.at ? this.containersRunning(address.file)[0]?.workload.namespace : undefined);
    // A ConfigMap's copy in each unit that builds it names that unit's Service.
    this.attachService(
      link,
      address.target,
      ns,
      address.workload?.containers[0] ?? this.containersRunning(address.file)[0],
      address.file,
      address.object?.unit,
    );
    this.configLinks.push(link);
    if (link.service) pushTo(this.configByService, link.service, link);
  }
}

/**
 * Services named alike, best first, with those tied for first after it: the client's own deployment unit
 * first, then a unit that includes the client's or is included by it, then the nearest by folder; an
 * explicit namespace match breaks a tie.
 */
function rankServices(
  services: Service[],
  client: Container | undefined,
  file: string,
  namespace: string | undefined,
  holder?: DeploymentUnit,
): Service[] {
  const unit = client?.workload.object.unit ?? holder;
  const score = (s: Service): number => {
    const u = s.object.unit;
    if (unit && u === unit) return 0;
    if (unit && u && (unit.includes.includes(u) || u.includes.includes(unit))) return 1;
    return (
      2 +
      folderDistance(path.posix.dirname(client?.workload.object.file ?? file), path.posix.dirname(s.object.file)) -
      (s.namespace === namespace && namespace !== undefined ? 0.5 : 0)
    );
  };
  const scored = services.map((s) => ({ s, score: score(s) })).sort((a, b) => a.score - b.score);
  const best = scored[0]!.score;
  return scored
    .filter((x) => x.score === best)
    .map((x) => x.s)
    .concat(scored.filter((x) => x.score !== best).map((x) => x.s))
    .slice(0, scored.filter((x) => x.score === best).length);
}

/** Steps between two folders through their common ancestor. */
function folderDistance(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  let common = 0;
  while (common < pa.length && common < pb.length && pa[common] === pb[common]) common++;
  return pa.length - common + (pb.length - common);
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

/**
 * Go `_test.go`, JS/TS `*.test.*`/`*.spec.*`, Python `test_*.py`/`*_test.py`, Java/C# `*Test(s).java|cs`, and
 * test doubles: Go packages named `fake`/`fakes`/`mock(s)`/`testutil(s)` (client-go's convention), `__mocks__`.
 */
const TEST_SOURCE =
  /(?:_test\.go|\.(?:test|spec)\.[cm]?[jt]sx?|(?:^|\/)test_[^/]*\.py|_test\.py|Tests?\.(?:java|cs|kt)|(?:^|\/)(?:fakes?|mocks?|testutils?)\/[^/]+\.go|(?:^|\/)__mocks__\/[^/]+)$/;

/**
 * Folders of test harnesses and doubles in any language, named so by convention: `mock-backend/`, `api-mocks/`,
 * `e2e/`, `integration-tests/`, `ui-smoke-test/`, `test-server/`, `__tests__/`. Their servers are started by tests
 * and dev scripts, not by the image's program, even when a build stage copies the whole tree (kubeflow/pipelines'
 * frontend stage copies `frontend/`, whose `mock-backend/` and `scripts/ui-smoke-test/` servers were taken for
 * the UI's).
 */
const TEST_FOLDER = /(?:^|\/)(?:mocks?|mock[-_][^/]*|[^/]*[-_]mocks?|__tests__|e2e|[^/]*[-_]e2e|[^/]*[-_]tests?|tests?[-_][^/]*)\//i;
