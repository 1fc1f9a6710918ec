// What sits in front of a workload and keeps idle connections to its pods open for reuse — the "front" whose
// idle timeout a backend's keep-alive timeout must exceed (docs/evidence/runtime-keepalive-inversion.md):
//   - ingress-nginx: `upstream-keepalive-timeout` of the controller ConfigMap (60 s by default; it is a ConfigMap
//     key only, not an Ingress annotation; `upstream-keepalive-connections: "0"` turns pooling off);
//   - AWS ALB (aws-load-balancer-controller): `alb.ingress.kubernetes.io/load-balancer-attributes:
//     idle_timeout.timeout_seconds=N` on the Ingress or its IngressGroup (60 s by default);
//   - GCE Ingress (Google's external Application Load Balancer): a fixed 600 s backend keep-alive;
//   - a classic AWS ELB from a LoadBalancer Service with an HTTP(S) backend protocol:
//     `service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout` (60 s by default);
//   - an Istio sidecar in the pod: Envoy pools its connections to the app for 1 h by default.
// L4 load balancers (NLB, Azure and GCP LoadBalancer Services) pass the client's connection through and pool
// nothing, so their idle timeouts do not invert this way. Ingresses join Services by name in the same namespace.
import type { Node as YamlNode } from 'yaml';
import type { Span } from '../finding.js';
import type { Service, Workload } from '../facts/k8s.js';
import type { K8sObject } from '../facts/manifests.js';
import { asMap, asSeq, get, getIn, pairOf, str } from '../facts/yaml-util.js';
import { sameNamespace, type KubernetesIndex } from './kubernetes.js';
import type { MeshIndex } from './mesh.js';

export type FrontKind = 'ingress-nginx' | 'alb' | 'gce' | 'elb' | 'istio';

export interface Front {
  kind: FrontKind;
  /** How long the front keeps an idle connection to a pod open for reuse. */
  idleSeconds: number;
  /** The product's default: nothing in the workspace sets it. */
  defaulted: boolean;
  /** Where the idle timeout is set, or the object that makes this the front. */
  at: Span;
  object: K8sObject;
  /** The Service the front sends traffic through (absent for a sidecar). */
  service?: Service;
  /** `ingress-nginx (Ingress 'web')`, `the istio-proxy sidecar`. */
  describe: string;
}

const ISTIO_IDLE_SECONDS = 3600;
const GCE_IDLE_SECONDS = 600;
const DEFAULT_IDLE_SECONDS = 60;

export class FrontIndex {
  private readonly byService = new Map<Service, Front[]>();
  private readonly classes = new Map<string, string>();
  private readonly nginxConfig: { object: K8sObject; idle?: YamlNode; off: boolean } | undefined;

  constructor(
    private readonly k8s: KubernetesIndex,
    private readonly mesh: MeshIndex,
  ) {
    for (const o of k8s.objects) {
      if (o.kind === 'IngressClass') this.classes.set(o.name, str(getIn(o.root, ['spec', 'controller'], o.doc), o.doc) ?? '');
    }
    this.nginxConfig = this.findNginxConfig();
    const ingresses = k8s.objects.filter((o) => o.kind === 'Ingress');
    for (const ingress of ingresses) {
      const front = this.ingressFront(ingress, ingresses);
      if (!front) continue;
      for (const name of backendNames(ingress)) {
        for (const service of k8s.services.filter((s) => s.name === name && sameNamespace(s.namespace, ingress.namespace))) {
          push(this.byService, service, { ...front, service });
        }
      }
    }
    for (const service of k8s.services) {
      const front = elbFront(service);
      if (front) push(this.byService, service, front);
    }
  }

  /** The fronts that pool connections to a workload's pods: its sidecar, else what reaches its Services. */
  frontsOf(workload: Workload): Front[] {
    const mesh = this.mesh.meshOf(workload);
    if (mesh?.mesh === 'istio' && mesh.key !== 'istio.io/dataplane-mode' && !nativeSidecar(workload)) {
      const object = mesh.object ?? workload.object; // a script labels the namespace: point at the workload
      const at = meshSpan(object, mesh.key, object === workload.object ? templateMeta(workload) : ['metadata']);
      return [{ kind: 'istio', idleSeconds: ISTIO_IDLE_SECONDS, defaulted: true, at, object, describe: 'the istio-proxy sidecar' }];
    }
    // Behind a sidecar (Linkerd, Istio ambient), fronts talk to the proxy, not to the app.
    if (mesh) return [];
    return this.k8s.servicesSelecting(workload).flatMap((s) => this.byService.get(s) ?? []);
  }

  private ingressFront(ingress: K8sObject, all: K8sObject[]): Omit<Front, 'service'> | undefined {
    const kind = this.controllerOf(ingress);
    const a = ingress.annotations;
    if (kind === 'ingress-nginx') {
      const config = this.nginxConfig;
      if (config?.off) return undefined;
      const seconds = config?.idle ? seconds_(str(config.idle, config.object.doc)) : undefined;
      if (config?.idle && seconds !== undefined) {
        return {
          kind,
          idleSeconds: seconds,
          defaulted: false,
          at: config.object.source.span(config.idle) ?? nameSpan(config.object),
          object: config.object,
          describe: `ingress-nginx (Ingress '${ingress.name}')`,
        };
      }
      return {
        kind,
        idleSeconds: DEFAULT_IDLE_SECONDS,
        defaulted: true,
        at: nameSpan(ingress),
        object: ingress,
        describe: `ingress-nginx (Ingress '${ingress.name}')`,
      };
    }
    if (kind === 'alb') {
      // An IngressGroup shares one ALB: its attributes may be set on any member.
      const group = a['alb.ingress.kubernetes.io/group.name'];
      const members = group ? all.filter((o) => o.annotations['alb.ingress.kubernetes.io/group.name'] === group) : [ingress];
      for (const member of [ingress, ...members.filter((m) => m !== ingress)]) {
        const attributes = member.annotations['alb.ingress.kubernetes.io/load-balancer-attributes'];
        const m = attributes ? /idle_timeout\.timeout_seconds\s*=\s*(\d+)/.exec(attributes) : null;
        if (m)
          return {
            kind,
            idleSeconds: Number(m[1]),
            defaulted: false,
            at: annotationSpan(member, 'alb.ingress.kubernetes.io/load-balancer-attributes'),
            object: member,
            describe: `the AWS ALB of Ingress '${ingress.name}'`,
          };
      }
      return {
        kind,
        idleSeconds: DEFAULT_IDLE_SECONDS,
        defaulted: true,
        at: nameSpan(ingress),
        object: ingress,
        describe: `the AWS ALB of Ingress '${ingress.name}'`,
      };
    }
    if (kind === 'gce')
      return {
        kind,
        idleSeconds: GCE_IDLE_SECONDS,
        defaulted: true,
        at: nameSpan(ingress),
        object: ingress,
        describe: `the Google Cloud load balancer of Ingress '${ingress.name}'`,
      };
    return undefined;
  }

  /** The Ingress's controller, from its class (an IngressClass in the workspace, or the class name) and annotations. */
  private controllerOf(ingress: K8sObject): 'ingress-nginx' | 'alb' | 'gce' | undefined {
    const { doc, root } = ingress;
    const a = ingress.annotations;
    const className = str(getIn(root, ['spec', 'ingressClassName'], doc), doc) ?? a['kubernetes.io/ingress.class'];
    const controller = className !== undefined ? this.classes.get(className) : undefined;
    const keys = Object.keys(a);
    if (controller === 'k8s.io/ingress-nginx') return 'ingress-nginx';
    if (controller === 'ingress.k8s.aws/alb') return 'alb';
    if (controller !== undefined && controller !== '') return undefined; // another controller (NGINX Inc's nginx.org, Traefik…)
    if (className === 'alb' || keys.some((k) => k.startsWith('alb.ingress.kubernetes.io/'))) return 'alb';
    if (
      className === 'gce' ||
      className === 'gce-internal' ||
      keys.some((k) => k === 'kubernetes.io/ingress.global-static-ip-name' || k.startsWith('networking.gke.io/'))
    )
      return 'gce';
    // NGINX Inc's controller also answers to class `nginx`, and pools no upstream connections by default.
    if (keys.some((k) => k.startsWith('nginx.org/'))) return undefined;
    if ((className !== undefined && /^nginx/.test(className)) || keys.some((k) => k.startsWith('nginx.ingress.kubernetes.io/')))
      return 'ingress-nginx';
    return undefined;
  }

  private findNginxConfig(): { object: K8sObject; idle?: YamlNode; off: boolean } | undefined {
    const configs = this.k8s.objects.filter((o) => o.kind === 'ConfigMap' && asMap(get(o.root, 'data', o.doc), o.doc));
    const data = (o: K8sObject) => asMap(get(o.root, 'data', o.doc), o.doc)!;
    const chosen =
      configs.find(
        (o) => pairOf(data(o), 'upstream-keepalive-timeout', o.doc) || pairOf(data(o), 'upstream-keepalive-connections', o.doc),
      ) ?? configs.find((o) => /^(ingress-nginx-controller|nginx-configuration)$/.test(o.name));
    if (!chosen) return undefined;
    const idle = pairOf(data(chosen), 'upstream-keepalive-timeout', chosen.doc)?.value as YamlNode | undefined;
    const connections = str(get(data(chosen), 'upstream-keepalive-connections', chosen.doc), chosen.doc);
    return { object: chosen, idle: idle ?? undefined, off: connections !== undefined && Number(connections) === 0 };
  }
}

/** A classic ELB speaks HTTP to the pods (and pools connections) only with an http/https backend protocol. */
function elbFront(service: Service): Front | undefined {
  const a = service.object.annotations;
  const protocol = a['service.beta.kubernetes.io/aws-load-balancer-backend-protocol'];
  const type = a['service.beta.kubernetes.io/aws-load-balancer-type'];
  if (
    service.type !== 'LoadBalancer' ||
    !protocol ||
    !/^https?$/.test(protocol) ||
    (type !== undefined && type !== 'clb' && type !== 'elb')
  )
    return undefined;
  const key = 'service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout';
  const written = a[key] !== undefined ? Number(a[key]) : undefined;
  const describe = `the AWS ELB of Service '${service.name}'`;
  if (written !== undefined && Number.isFinite(written))
    return {
      kind: 'elb',
      idleSeconds: written,
      defaulted: false,
      at: annotationSpan(service.object, key),
      object: service.object,
      service,
      describe,
    };
  return {
    kind: 'elb',
    idleSeconds: DEFAULT_IDLE_SECONDS,
    defaulted: true,
    at: nameSpan(service.object),
    object: service.object,
    service,
    describe,
  };
}

/** Istio native sidecars (an istio-proxy init container with restartPolicy Always, or the pod annotation) outlive the app. */
export function nativeSidecar(workload: Workload): boolean {
  if (workload.podAnnotations['sidecar.istio.io/nativeSidecar'] === 'true') return true;
  const { doc } = workload.object;
  return (asSeq(workload.podSpec && get(workload.podSpec, 'initContainers', doc), doc)?.items ?? []).some(
    (c) => str(get(c, 'name', doc), doc) === 'istio-proxy' && str(get(c, 'restartPolicy', doc), doc) === 'Always',
  );
}

function backendNames(ingress: K8sObject): string[] {
  const { doc, root } = ingress;
  const spec = get(root, 'spec', doc);
  const names: string[] = [];
  const add = (backend: unknown) => {
    const name = str(getIn(backend, ['service', 'name'], doc), doc) ?? str(get(backend, 'serviceName', doc), doc);
    if (name && !names.includes(name)) names.push(name);
  };
  add(get(spec, 'defaultBackend', doc));
  add(get(spec, 'backend', doc));
  for (const rule of asSeq(get(spec, 'rules', doc), doc)?.items ?? []) {
    for (const p of asSeq(getIn(rule, ['http', 'paths'], doc), doc)?.items ?? []) add(get(p, 'backend', doc));
  }
  return names;
}

function templateMeta(workload: Workload): string[] {
  return workload.kind === 'Pod'
    ? ['metadata']
    : workload.kind === 'CronJob'
      ? ['spec', 'jobTemplate', 'spec', 'template', 'metadata']
      : ['spec', 'template', 'metadata'];
}

/** The label or annotation that puts a workload (or its namespace) in the mesh. */
function meshSpan(object: K8sObject, key: string, meta: string[]): Span {
  for (const where of ['annotations', 'labels']) {
    const value = pairOf(getIn(object.root, [...meta, where], object.doc), key, object.doc)?.value as YamlNode | undefined;
    const span = value && object.source.span(value);
    if (span) return span;
  }
  return nameSpan(object);
}

function annotationSpan(object: K8sObject, key: string): Span {
  const value = pairOf(getIn(object.root, ['metadata', 'annotations'], object.doc), key, object.doc)?.value as YamlNode | undefined;
  return (value && object.source.span(value)) ?? nameSpan(object);
}

function nameSpan(object: K8sObject): Span {
  return { file: object.file, start: object.nameSpan[0], end: object.nameSpan[1] };
}

function seconds_(value: string | undefined): number | undefined {
  const m = value ? /^\s*(\d+)\s*(s)?\s*$/.exec(value) : null;
  return m ? Number(m[1]) : value && /^\s*(\d+)m\s*$/.test(value) ? Number(/\d+/.exec(value)![0]) * 60 : undefined;
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}
