// Which pods "receive traffic" (the preStop and readiness rules judge only those): a workload is served when a
// Service selects it through a port that is not only a metrics scrape, and its served containers are the ones
// such a port resolves to. Declaring a containerPort is not traffic (metrics-only workers, debug ports), and
// neither are sidecars the app talks to over localhost (DB proxies, mesh proxies, exporters, log shippers),
// unless a Service port targets them by name or number. One-shot pods never are: Jobs, CronJobs, bare Pods,
// pods with restartPolicy Never/OnFailure, Helm hooks (`helm.sh/hook`) and chart tests (`templates/tests/`).
import { BATCH_KINDS, type Container, type Service, type ServicePort, type Workload } from '../facts/k8s.js';
import type { PortTarget } from './kubernetes.js';

export interface ServedQueries {
  servicesSelecting(workload: Workload): Service[];
}

/** The containers (and their declared port) of one workload that a Service port selecting it sends traffic to. */
export function targetsIn(port: ServicePort, workload: Workload): PortTarget[] {
  const target = port.targetPort ?? port.port;
  const out: PortTarget[] = [];
  for (const container of workload.containers) {
    const containerPort = container.ports.find((p) => (typeof target === 'string' ? p.name === target : p.containerPort === target));
    if (containerPort) out.push({ workload, container, containerPort });
  }
  // Undeclared numeric ports still receive traffic: with a single container, that is the one.
  if (typeof target === 'number' && out.length === 0 && workload.containers.length === 1)
    out.push({ workload, container: workload.containers[0]! });
  return out;
}

/** Pods that run once or are never replaced (bare Pods too): no rollout, no endpoints to drain. */
export function isOneShot(workload: Workload): boolean {
  return workload.kind === 'Pod' || runsOnce(workload);
}

/** Pods meant to run to completion: Jobs, restartPolicy Never/OnFailure, Helm hooks and chart tests. */
export function runsOnce(workload: Workload): boolean {
  if (BATCH_KINDS.has(workload.kind)) return true;
  if (workload.restartPolicy === 'Never' || workload.restartPolicy === 'OnFailure') return true;
  if (workload.object.annotations['helm.sh/hook'] !== undefined || workload.podAnnotations['helm.sh/hook'] !== undefined) return true;
  return /(^|\/)templates\/tests\//.test(workload.object.file.replace(/\\/g, '/'));
}

/** A port that only Prometheus scrapes (`metrics`, `http-metrics`, `prometheus`, `monitoring`): not traffic. */
export function isScrapePort(name: string | number | undefined): boolean {
  return typeof name === 'string' && /(^|[-_])(metrics|prometheus|monitoring)$/i.test(name);
}

/** Images and names of sidecars that serve the app over localhost, not the Service's clients. */
const SIDECAR =
  /(cloud-sql-proxy|cloudsql-docker\/gce-proxy|alloydb-auth-proxy|istio\/proxyv2|istio-proxy|linkerd[/-]proxy|envoyproxy\/envoy|opentelemetry-collector|otel-collector|fluent-bit|fluentbit|fluentd|timberio\/vector|promtail|[-_/]exporter|exporter[-_:]|^docker:[^/]*dind|\/dind|vault-agent|consul-template)/i;

export function isSidecar(container: Container): boolean {
  return (
    SIDECAR.test(container.image ?? '') ||
    SIDECAR.test(container.name) ||
    /^(istio-proxy|linkerd-proxy|envoy|cloud-sql-proxy|cloudsql-proxy|dind)$/i.test(container.name)
  );
}

/** The pause image (registry.k8s.io/pause, gcr.io/google_containers/pause-amd64, rancher/mirrored-pause …). */
export function isPause(container: Container): boolean {
  if (container.image === undefined || container.image.includes('<templated>')) return /^pause$/i.test(container.name);
  return /(^|\/)(mirrored-)?pause(-[a-z0-9]+)?(:|@|$)/i.test(container.image);
}

/** A DB proxy that must outlive the app (cloud-sql-proxy, alloydb-auth-proxy), by image or name. */
export function isDbProxy(container: Container): boolean {
  return /(cloud-sql-proxy|cloudsql-proxy|cloudsql-docker\/gce-proxy|alloydb-auth-proxy)/i.test(
    `${container.image ?? ''} ${container.name}`,
  );
}

/**
 * Service ports that carry traffic to the workload, with the containers they resolve to: only this workload's
 * targets of each port (all of a port's targets, for every workload it selects, would make n overlapping
 * Services over n workloads cubic), each shape of port once (a port written like one already seen adds the same
 * targets again).
 */
function trafficTargets(q: ServedQueries, workload: Workload): PortTarget[] {
  const out: PortTarget[] = [];
  // Ports written alike resolve alike: n Services of one selector over n workloads look at each shape once.
  const seen = new Set<string>();
  for (const service of q.servicesSelecting(workload)) {
    for (const port of service.ports) {
      const shape = shapeOf(port);
      if (seen.has(shape)) continue;
      seen.add(shape);
      if (isScrapePort(port.name) || isScrapePort(port.targetPort)) continue;
      for (const t of targetsIn(port, workload)) if (!isScrapePort(t.containerPort?.name)) out.push(t);
    }
  }
  return out;
}

export function isServed(q: ServedQueries, workload: Workload): boolean {
  if (isOneShot(workload)) return false;
  return q.servicesSelecting(workload).some(carriesTraffic);
}

/**
 * Served through endpoints that follow readiness and termination. A Service with `publishNotReadyAddresses` keeps a
 * pod in its endpoints while it starts and while it terminates (EndpointConditions: `ready` stays true for
 * terminating endpoints when the Service overrides readiness; the endpoints controller keeps terminating pods only
 * then): a peer-discovery or gossip-ring Service. Neither a readiness probe nor a preStop delay changes what its
 * clients see, so only the other Services count here.
 */
export function isServedThroughReadyEndpoints(q: ServedQueries, workload: Workload): boolean {
  if (isOneShot(workload)) return false;
  return q.servicesSelecting(workload).some((s) => !s.publishNotReady && carriesTraffic(s));
}

/** A Service with a port that is not only a metrics scrape. */
function carriesTraffic(service: Service): boolean {
  return service.ports.some((p) => !isScrapePort(p.name) && !isScrapePort(p.targetPort));
}

/**
 * The containers of a served workload that take traffic: those a Service port resolves to by a declared port
 * (sidecars included: the Service names them); else the containers that are not localhost sidecars, preferring
 * those that declare ports. Init containers never are.
 */
const shapes = new WeakMap<ServicePort, string>();

/** What a port's traffic targets depend on (its name, target port and port), as a key; made once per port. */
function shapeOf(port: ServicePort): string {
  let shape = shapes.get(port);
  if (shape === undefined) {
    shape = `${typeof port.name}:${port.name}\0${typeof port.targetPort}:${port.targetPort}\0${typeof port.port}:${port.port}`;
    shapes.set(port, shape);
  }
  return shape;
}

export function servedContainers(q: ServedQueries, workload: Workload): Container[] {
  if (!isServed(q, workload)) return [];
  const targets = trafficTargets(q, workload);
  const declared = new Set(targets.filter((t) => t.containerPort).map((t) => t.container));
  if (declared.size > 0) return workload.containers.filter((c) => declared.has(c));
  // A pause container only holds the pod open (a mesh gateway's injected proxy serves its ports): never the server.
  const apps = workload.containers.filter((c) => !isSidecar(c) && !isPause(c));
  const withPorts = apps.filter((c) => c.ports.some((p) => !isScrapePort(p.name)));
  return withPorts.length > 0 ? withPorts : apps;
}
