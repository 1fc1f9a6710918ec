// Ingress and Gateway API routes → the Services they send traffic to. An L7 proxy in front (ingress-nginx with
// `backend-protocol: GRPC`, a GRPCRoute or HTTPRoute implementation such as Envoy Gateway, Contour, Istio)
// balances each request over the Service's endpoints, so a Service reached only that way is not pinned by
// kube-proxy; HTTPRoute backends and cloud load balancers (GKE, ALB) are also where `appProtocol` decides
// whether the proxy speaks HTTP/2 to the pods.
import type { Service } from '../facts/k8s.js';
import type { K8sObject } from '../facts/manifests.js';
import type { KubernetesIndex } from './kubernetes.js';
import { sameNamespace } from './kubernetes.js';
import { pushTo } from '../multimap.js';

export interface RouteBackend {
  route: K8sObject;
  kind: 'Ingress' | 'GRPCRoute' | 'HTTPRoute';
  /** The port the route names: a number or (Ingress) a port name; undefined when not written. */
  port?: number | string;
  /** The proxy speaks gRPC/HTTP2 to the backend and balances per request (GRPCRoute, an Ingress annotated for gRPC). */
  grpc: boolean;
  /** A cloud load balancer's Ingress (GKE `gce`, AWS `alb`): HTTP/2 to pods only when the Service port says so. */
  cloud: boolean;
}

/** Ingress annotations that make the controller speak gRPC to the backend. */
const GRPC_INGRESS: [key: string, value: RegExp][] = [
  ['nginx.ingress.kubernetes.io/backend-protocol', /^grpcs?$/i],
  ['alb.ingress.kubernetes.io/backend-protocol-version', /^grpc$/i],
  ['konghq.com/protocol', /^grpcs?$/i],
  ['haproxy.org/server-proto', /^h2$/i],
  ['ingress.kubernetes.io/protocol', /^h2c?$/i],
];

type Plain = Record<string, unknown>;

export class RouteIndex {
  private readonly byService = new Map<Service, RouteBackend[]>();

  constructor(k8s: KubernetesIndex) {
    const byName = new Map<string, Service[]>();
    for (const s of k8s.services) pushTo(byName, s.name, s);
    for (const o of k8s.objects) {
      const backends = this.backendsOf(o);
      for (const b of backends) {
        const candidates = (byName.get(b.name) ?? []).filter((s) => sameNamespace(b.namespace ?? o.namespace, s.namespace));
        for (const service of candidates) pushTo(this.byService, service, b.backend);
      }
    }
  }

  /** Routes whose backend is this Service. */
  routesTo(service: Service): RouteBackend[] {
    return this.byService.get(service) ?? [];
  }

  private backendsOf(o: K8sObject): { name: string; namespace?: string; backend: RouteBackend }[] {
    // Only routes are read as plain data (toJSON of every object of a large workspace is most of a model build).
    if (o.kind !== 'Ingress' && o.kind !== 'GRPCRoute' && o.kind !== 'HTTPRoute') return [];
    const root = (o.root.toJSON() ?? {}) as Plain;
    const spec = (root.spec ?? {}) as Plain;
    const out: { name: string; namespace?: string; backend: RouteBackend }[] = [];
    if (o.kind === 'Ingress' && o.apiVersion.startsWith('networking.k8s.io/')) {
      const grpc = GRPC_INGRESS.some(([k, v]) => v.test(o.annotations[k] ?? ''));
      const className = spec.ingressClassName;
      const cls = typeof className === 'string' ? className : className == null ? (o.annotations['kubernetes.io/ingress.class'] ?? '') : '';
      const cloud = /^(gce|gce-internal|alb)$/.test(cls);
      const add = (backend: unknown): void => {
        const svc = ((backend ?? {}) as Plain).service as Plain | undefined;
        if (!svc || typeof svc.name !== 'string') return;
        const port = (svc.port ?? {}) as Plain;
        const p = typeof port.number === 'number' ? port.number : typeof port.name === 'string' ? port.name : undefined;
        out.push({ name: svc.name, backend: { route: o, kind: 'Ingress', port: p, grpc, cloud } });
      };
      add(spec.defaultBackend);
      for (const rule of asList(spec.rules))
        for (const path of asList(((rule as Plain).http as Plain | undefined)?.paths)) add((path as Plain).backend);
    } else if ((o.kind === 'GRPCRoute' || o.kind === 'HTTPRoute') && o.apiVersion.startsWith('gateway.networking.k8s.io/')) {
      for (const rule of asList(spec.rules)) {
        for (const ref of asList((rule as Plain).backendRefs)) {
          const r = ref as Plain;
          if (typeof r.name !== 'string' || (r.kind !== undefined && r.kind !== 'Service') || (r.group !== undefined && r.group !== ''))
            continue;
          out.push({
            name: r.name,
            namespace: typeof r.namespace === 'string' ? r.namespace : undefined,
            backend: {
              route: o,
              kind: o.kind,
              port: typeof r.port === 'number' ? r.port : undefined,
              grpc: o.kind === 'GRPCRoute',
              cloud: false,
            },
          });
        }
      }
    }
    return out;
  }
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
