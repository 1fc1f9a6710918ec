// The Kubernetes side of the model: every object, the typed views rules read (Services, workloads, HPAs,
// Namespaces), and the joins between them — Service → workloads it selects (same namespace, selector ⊆ pod
// labels), Service port → container ports (targetPort by number or name), workload → HPA. A manifest without
// `metadata.namespace` gets its namespace at apply time (kubectl -n, Kustomize), so it joins with objects of
// any namespace; two explicit namespaces must be equal.
import type { FileFacts } from '../facts/index.js';
import {
  isWorkloadKind,
  toHpa,
  toService,
  toWorkload,
  type Container,
  type HorizontalPodAutoscaler,
  type Service,
  type ServicePort,
  type Workload,
} from '../facts/k8s.js';
import type { K8sObject } from '../facts/manifests.js';
import { sameUnit } from '../units/index.js';
import { isServed, isServedThroughReadyEndpoints, servedContainers, targetsIn } from './served.js';

export interface PortTarget {
  workload: Workload;
  container: Container;
  /** The container port the Service port resolves to, when declared. */
  containerPort?: Container['ports'][number];
}

export class KubernetesIndex {
  readonly objects: K8sObject[] = [];
  readonly services: Service[] = [];
  readonly workloads: Workload[] = [];
  readonly hpas: HorizontalPodAutoscaler[] = [];
  readonly namespaces = new Map<string, K8sObject>();
  private readonly selectedBy = new Map<Workload, Service[]>();
  private readonly selects = new Map<Service, Workload[]>();
  /** servedContainers per workload: several rules ask for each workload, and each answer walks its Services. */
  private readonly served = new Map<Workload, Container[]>();

  /** `objects`: every object of every deployment unit (src/core/units/), each with its unit. */
  constructor(
    readonly files: ReadonlyMap<string, FileFacts>,
    objects: readonly K8sObject[],
  ) {
    for (const object of objects) {
      this.objects.push(object);
      if (object.kind === 'Service' && object.apiVersion === 'v1') this.services.push(cached(object, toService));
      else if (isWorkloadKind(object.kind)) this.workloads.push(cached(object, toWorkload));
      else if (object.kind === 'HorizontalPodAutoscaler') this.hpas.push(cached(object, toHpa));
      else if (object.kind === 'Namespace') this.namespaces.set(object.name, object);
    }
    this.linkSelectors();
  }

  private linkSelectors(): void {
    // Index pod-label pairs once so each Service looks at candidate workloads only, not all of them.
    const byLabel = new Map<string, Workload[]>();
    for (const w of this.workloads) {
      for (const [k, v] of Object.entries(w.podLabels)) {
        const key = `${k}=${v}`;
        const list = byLabel.get(key);
        if (list) list.push(w);
        else byLabel.set(key, [w]);
      }
    }
    for (const service of this.services) {
      const selector = service.selector;
      const entries = selector ? Object.entries(selector) : [];
      if (entries.length === 0) {
        this.selects.set(service, []);
        continue;
      }
      const candidates = byLabel.get(`${entries[0]![0]}=${entries[0]![1]}`) ?? [];
      // A Service selects the pods of its own deployment unit (an overlay's bases included), never another variant's.
      const matched = candidates.filter(
        (w) =>
          sameUnit(service.object, w.object) &&
          sameNamespace(service.namespace, w.namespace) &&
          entries.every(([k, v]) => w.podLabels[k] === v),
      );
      this.selects.set(service, matched);
      for (const w of matched) {
        const list = this.selectedBy.get(w);
        if (list) list.push(service);
        else this.selectedBy.set(w, [service]);
      }
    }
  }

  workloadsSelectedBy(service: Service): Workload[] {
    return this.selects.get(service) ?? [];
  }

  servicesSelecting(workload: Workload): Service[] {
    return this.selectedBy.get(workload) ?? [];
  }

  /** Containers (and their declared port) that a Service port sends traffic to. */
  targetsOf(port: ServicePort): PortTarget[] {
    return this.workloadsSelectedBy(port.service).flatMap((workload) => targetsIn(port, workload));
  }

  hpaFor(workload: Workload): HorizontalPodAutoscaler | undefined {
    return this.hpas.find(
      (h) =>
        h.targetKind === workload.kind &&
        h.targetName === workload.name &&
        sameNamespace(h.object.namespace, workload.namespace) &&
        sameUnit(h.object, workload.object),
    );
  }

  /** A workload whose pods receive traffic: selected by a Service through a port that is not a metrics scrape; never a one-shot pod (served.ts). */
  isServed(workload: Workload): boolean {
    return isServed(this, workload);
  }

  /** Served by a Service whose endpoints follow readiness and termination (not `publishNotReadyAddresses`; served.ts). */
  isServedThroughReadyEndpoints(workload: Workload): boolean {
    return isServedThroughReadyEndpoints(this, workload);
  }

  /** The containers of a served workload that take traffic (served.ts): never sidecars the Service does not target, never init containers. */
  servedContainers(workload: Workload): Container[] {
    let containers = this.served.get(workload);
    if (!containers) this.served.set(workload, (containers = servedContainers(this, workload)));
    return containers;
  }

  textOf(file: string): string {
    const facts = this.files.get(file);
    if (!facts) throw new Error(`kubeconn: no facts for ${file}`);
    return facts.text;
  }
}

/**
 * Typed views are pure functions of an object, and an unchanged file keeps its objects between analyses:
 * build each view once, so an edit re-links the graph without re-reading 10,000 untouched objects.
 */
const views = new WeakMap<K8sObject, unknown>();
function cached<T>(object: K8sObject, build: (o: K8sObject) => T): T {
  let view = views.get(object) as T | undefined;
  if (view === undefined) {
    view = build(object);
    views.set(object, view);
  }
  return view;
}

export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

const GRPC_APP_PROTOCOLS = new Set(['grpc', 'h2c', 'http2', 'kubernetes.io/h2c']);

/** Port names that say HTTP/2: `grpc`, `grpc-*`, `h2c*`, `http2*` (Istio's `<protocol>[-suffix]` convention). */
export function isGrpcPortName(name: string | undefined): boolean {
  if (!name) return false;
  const n = name.toLowerCase();
  return n === 'grpc' || n.startsWith('grpc-') || n.startsWith('h2c') || n.startsWith('http2');
}

/** `otlp-grpc`, `tcp-grpc`, `client-grpc`, `grpcs`…: names that suggest gRPC, beyond Istio's `grpc`/`grpc-*`. */
export function grpcPortNameHint(name: string | undefined): boolean {
  if (!name) return false;
  const n = name.toLowerCase();
  return isGrpcPortName(n) || n.endsWith('-grpc') || n.startsWith('grpc');
}

export function isGrpcAppProtocol(appProtocol: string | undefined): boolean {
  return appProtocol !== undefined && GRPC_APP_PROTOCOLS.has(appProtocol.toLowerCase());
}

export interface GrpcPortEvidence {
  reason: 'appProtocol' | 'name' | 'containerPortName';
  /** For containerPortName: the container port that is so named. */
  target?: PortTarget;
}

/**
 * Why a Service port is taken to carry gRPC/HTTP2 from the manifests alone, or undefined. Names beyond Istio's
 * convention count (`otlp-grpc`, `client-grpc`, `grpcs`: grpcPortNameHint), as real charts name their gRPC ports so.
 */
export function grpcPortEvidence(graph: Pick<KubernetesIndex, 'targetsOf'>, port: ServicePort): GrpcPortEvidence | undefined {
  if (isGrpcAppProtocol(port.appProtocol)) return { reason: 'appProtocol' };
  if (port.appProtocol) return undefined; // declared as something else (http, tcp, kubernetes.io/ws…)
  if (grpcPortNameHint(port.name)) return { reason: 'name' };
  const target = graph.targetsOf(port).find((t) => grpcPortNameHint(t.containerPort?.name));
  return target ? { reason: 'containerPortName', target } : undefined;
}
