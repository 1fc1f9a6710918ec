// Typed views over the Kubernetes objects the rules reason about: Services and their ports, workloads
// with their pod template and containers, HPAs and Namespaces. Views keep the yaml nodes, so a rule can
// both read a value and point at (or edit) the exact text that holds it.
import type { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { TEMPLATED, type K8sObject } from './manifests.js';
import {
  asMap,
  asScalar,
  asSeq,
  get,
  getIn,
  num,
  pairOf,
  scalarText,
  str,
  stringList,
  stringMap,
  type YDoc,
  type YNode,
} from './yaml-util.js';

export interface ServicePort {
  service: Service;
  node: YAMLMap<Scalar, YNode>;
  name?: string;
  port?: number;
  /** A number, a container port name, or undefined (then it equals `port`). */
  targetPort?: number | string;
  appProtocol?: string;
  protocol: string;
}

export interface Service {
  object: K8sObject;
  name: string;
  namespace?: string;
  spec?: YAMLMap<Scalar, YNode>;
  type: string;
  /** `spec.clusterIP` as written ("None" for headless). */
  clusterIP?: string;
  clusterIPPair?: Pair<Scalar, YNode>;
  headless: boolean;
  /** `spec.publishNotReadyAddresses: true`: not-ready pods are endpoints too (readiness gates nothing). */
  publishNotReady: boolean;
  /** undefined when the Service has no selector (endpoints managed by hand). */
  selector?: Record<string, string>;
  ports: ServicePort[];
}

export type HookType = 'sleep' | 'exec' | 'httpGet' | 'tcpSocket' | 'unknown';

export interface Hook {
  node: YAMLMap<Scalar, YNode>;
  type: HookType;
  /** Seconds the hook holds the container before SIGTERM, when it can be read (sleep action or `sleep N`). */
  delaySeconds?: number;
  /** The node holding that delay (`seconds: 5`, or the exec command). */
  delayNode?: YNode;
  /** exec hooks: the command as a list of strings. */
  command?: string[];
  commandNode?: YNode;
  /** sleep action: the `sleep` map. */
  sleepNode?: YAMLMap<Scalar, YNode>;
}

export interface ContainerPort {
  name?: string;
  containerPort?: number;
  node: YAMLMap<Scalar, YNode>;
}

export interface EnvVar {
  name: string;
  value?: string;
  node: YAMLMap<Scalar, YNode>;
  valueNode?: YNode;
  /** `valueFrom.configMapKeyRef` / `secretKeyRef`: where the value is looked up (resolved by the model). */
  ref?: { kind: 'ConfigMap' | 'Secret'; name: string; key: string };
  /** The object whose node holds the value, when it is not the container's own workload (a ConfigMap). */
  from?: K8sObject;
}

/** `envFrom` of a container: every key of a ConfigMap or Secret, optionally prefixed. */
export interface EnvSource {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  prefix: string;
}

export interface Container {
  workload: Workload;
  node: YAMLMap<Scalar, YNode>;
  name: string;
  init: boolean;
  image?: string;
  imageNode?: YNode;
  ports: ContainerPort[];
  lifecycle?: YAMLMap<Scalar, YNode>;
  preStop?: Hook;
  postStart?: Hook;
  readinessProbe?: YNode;
  command?: string[];
  commandNode?: YNode;
  args?: string[];
  argsNode?: YNode;
  /** The env as written in the pod spec. */
  declaredEnv: EnvVar[];
  envFrom: EnvSource[];
  /** The env the container runs with: declaredEnv with values looked up in ConfigMaps and Secrets, plus envFrom (set by the model). */
  env: EnvVar[];
}

export interface Workload {
  object: K8sObject;
  kind: string;
  name: string;
  namespace?: string;
  /** spec.replicas as written (undefined: 1 for Deployments, or managed by an HPA). */
  replicas?: number;
  template?: YAMLMap<Scalar, YNode>;
  podSpec?: YAMLMap<Scalar, YNode>;
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  terminationGracePeriodSeconds?: number;
  gracePair?: Pair<Scalar, YNode>;
  serviceAccountName?: string;
  /** spec.restartPolicy of the pod template (Always when unset). */
  restartPolicy?: string;
  containers: Container[];
  initContainers: Container[];
}

export interface HorizontalPodAutoscaler {
  object: K8sObject;
  targetKind?: string;
  targetName?: string;
  minReplicas?: number;
  maxReplicas?: number;
}

/** Pod-template path per workload kind; batch kinds are kept (their pods exist) but never "served". */
const TEMPLATE_PATHS: Record<string, readonly string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Rollout: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  Pod: [],
};

export const BATCH_KINDS = new Set(['Job', 'CronJob']);

export function isWorkloadKind(kind: string): boolean {
  return kind in TEMPLATE_PATHS;
}

export function toService(object: K8sObject): Service {
  const { doc, root } = object;
  const spec = asMap(get(root, 'spec', doc), doc);
  const clusterIPPair = spec ? pairOf(spec, 'clusterIP', doc) : undefined;
  const clusterIP = clusterIPPair ? str(clusterIPPair.value, doc) : undefined;
  const selectorNode = spec ? get(spec, 'selector', doc) : undefined;
  const service: Service = {
    object,
    name: object.name,
    namespace: object.namespace,
    spec,
    type: (spec && str(get(spec, 'type', doc), doc)) || 'ClusterIP',
    clusterIP,
    clusterIPPair,
    headless: clusterIP === 'None',
    publishNotReady: spec !== undefined && asScalar(get(spec, 'publishNotReadyAddresses', doc), doc)?.value === true,
    selector: selectorNode && asMap(selectorNode, doc) ? stringMap(selectorNode, doc) : undefined,
    ports: [],
  };
  for (const item of asSeq(spec && get(spec, 'ports', doc), doc)?.items ?? []) {
    const node = asMap(item, doc);
    if (!node) continue;
    const target = asScalar(get(node, 'targetPort', doc), doc);
    service.ports.push({
      service,
      node,
      name: str(get(node, 'name', doc), doc),
      port: num(get(node, 'port', doc), doc),
      targetPort: target?.value == null ? undefined : typeof target.value === 'number' ? target.value : portValue(scalarText(target)),
      appProtocol: str(get(node, 'appProtocol', doc), doc),
      protocol: str(get(node, 'protocol', doc), doc) ?? 'TCP',
    });
  }
  return service;
}

function portValue(value: string): number | string {
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function toWorkload(object: K8sObject): Workload {
  const { doc, root } = object;
  const path = TEMPLATE_PATHS[object.kind] ?? ['spec', 'template'];
  const template = path.length === 0 ? root : asMap(getIn(root, path, doc), doc);
  const podSpec = template ? asMap(get(template, 'spec', doc), doc) : undefined;
  const podMeta = template ? get(template, 'metadata', doc) : undefined;
  const gracePair = podSpec ? pairOf(podSpec, 'terminationGracePeriodSeconds', doc) : undefined;
  const workload: Workload = {
    object,
    kind: object.kind,
    name: object.name,
    namespace: object.namespace,
    replicas: object.kind === 'Pod' ? 1 : num(getIn(root, ['spec', 'replicas'], doc), doc),
    template,
    podSpec,
    podLabels: stringMap(podMeta && get(podMeta, 'labels', doc), doc),
    podAnnotations: stringMap(podMeta && get(podMeta, 'annotations', doc), doc),
    terminationGracePeriodSeconds: gracePair ? num(gracePair.value, doc) : undefined,
    gracePair,
    serviceAccountName: podSpec ? str(get(podSpec, 'serviceAccountName', doc), doc) : undefined,
    restartPolicy: podSpec ? str(get(podSpec, 'restartPolicy', doc), doc) : undefined,
    containers: [],
    initContainers: [],
  };
  workload.containers = containersOf(workload, 'containers', false);
  workload.initContainers = containersOf(workload, 'initContainers', true);
  for (const c of [...workload.containers, ...workload.initContainers]) c.env = c.declaredEnv;
  return workload;
}

function containersOf(workload: Workload, key: string, init: boolean): Container[] {
  const { doc } = workload.object;
  const out: Container[] = [];
  for (const item of asSeq(workload.podSpec && get(workload.podSpec, key, doc), doc)?.items ?? []) {
    const node = asMap(item, doc);
    if (!node) continue;
    const lifecycle = asMap(get(node, 'lifecycle', doc), doc);
    const commandNode = get(node, 'command', doc);
    const argsNode = get(node, 'args', doc);
    const imageNode = get(node, 'image', doc);
    out.push({
      workload,
      node,
      name: str(get(node, 'name', doc), doc) || (workload.object.helm ? TEMPLATED : '<unnamed>'),
      init,
      image: str(imageNode, doc),
      imageNode,
      ports: (asSeq(get(node, 'ports', doc), doc)?.items ?? []).flatMap((p) => {
        const portNode = asMap(p, doc);
        return portNode
          ? [{ node: portNode, name: str(get(portNode, 'name', doc), doc), containerPort: num(get(portNode, 'containerPort', doc), doc) }]
          : [];
      }),
      lifecycle,
      preStop: hookOf(lifecycle && get(lifecycle, 'preStop', doc), doc),
      postStart: hookOf(lifecycle && get(lifecycle, 'postStart', doc), doc),
      readinessProbe: get(node, 'readinessProbe', doc),
      command: stringList(commandNode, doc),
      commandNode,
      args: stringList(argsNode, doc),
      argsNode,
      declaredEnv: (asSeq(get(node, 'env', doc), doc)?.items ?? []).flatMap((e): EnvVar[] => {
        const envNode = asMap(e, doc);
        const name = envNode && str(get(envNode, 'name', doc), doc);
        if (!envNode || !name) return [];
        const valueNode = get(envNode, 'value', doc);
        const valueFrom = get(envNode, 'valueFrom', doc);
        const cm = get(valueFrom, 'configMapKeyRef', doc);
        const secret = get(valueFrom, 'secretKeyRef', doc);
        const refNode = cm ?? secret;
        const refName = refNode && str(get(refNode, 'name', doc), doc);
        const refKey = refNode && str(get(refNode, 'key', doc), doc);
        const ref = refName && refKey ? { kind: cm ? ('ConfigMap' as const) : ('Secret' as const), name: refName, key: refKey } : undefined;
        return [{ name, node: envNode, valueNode, value: str(valueNode, doc), ref }];
      }),
      envFrom: (asSeq(get(node, 'envFrom', doc), doc)?.items ?? []).flatMap((e): EnvSource[] => {
        const cm = get(e, 'configMapRef', doc);
        const secret = get(e, 'secretRef', doc);
        const name = str(get(cm ?? secret, 'name', doc), doc);
        return name ? [{ kind: cm ? 'ConfigMap' : 'Secret', name, prefix: str(get(e, 'prefix', doc), doc) ?? '' }] : [];
      }),
      env: [],
    });
  }
  return out;
}

function hookOf(node: YNode | undefined, doc: YDoc): Hook | undefined {
  const map = asMap(node, doc);
  if (!map) return undefined;
  const sleep = asMap(get(map, 'sleep', doc), doc);
  if (sleep) {
    const secondsNode = get(sleep, 'seconds', doc);
    return { node: map, type: 'sleep', sleepNode: sleep, delaySeconds: num(secondsNode, doc), delayNode: secondsNode ?? sleep };
  }
  const exec = asMap(get(map, 'exec', doc), doc);
  if (exec) {
    const commandNode = get(exec, 'command', doc);
    const command = stringList(commandNode, doc);
    return { node: map, type: 'exec', command, commandNode, delaySeconds: command && sleepSecondsOf(command), delayNode: commandNode };
  }
  if (get(map, 'httpGet', doc)) return { node: map, type: 'httpGet' };
  if (get(map, 'tcpSocket', doc)) return { node: map, type: 'tcpSocket' };
  return { node: map, type: 'unknown' };
}

/**
 * The delay an exec hook's command holds the container: `sleep 5`, `/bin/sleep 5`, and in `sh -c` code the sum of
 * every `sleep N[s|m|h]` it runs (`pkill -USR1 app; sleep 60`, `nginx -s quit; sleep 40`, `sleep 5 && …`).
 * Code without a literal sleep is unknown (undefined).
 */
export function sleepSecondsOf(command: readonly string[]): number | undefined {
  const [bin, ...rest] = command;
  if (!bin) return undefined;
  const base = bin.split('/').pop()!;
  if (base === 'sleep') return duration(rest.join(' '));
  if (['sh', 'bash', 'ash', 'dash', 'busybox'].includes(base)) {
    const script = rest[rest.indexOf('-c') + 1] ?? (base === 'busybox' && rest[0] === 'sleep' ? rest.join(' ') : undefined);
    if (base === 'busybox' && rest[0] === 'sleep') return duration(rest.slice(1).join(' '));
    if (script === undefined || !rest.includes('-c')) return undefined;
    let total: number | undefined;
    for (const m of script.matchAll(
      /(?:^|[;&|\n(]|\b(?:then|else|do))\s*(?:exec\s+)?(?:\/[\w/]*\/)?sleep\s+([0-9.]+[smh]?)\s*(?=$|[;&|\n)])/g,
    )) {
      const seconds = duration(m[1]!);
      if (seconds !== undefined) total = (total ?? 0) + seconds;
    }
    return total;
  }
  return undefined;
}

function duration(value: string): number | undefined {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)([smh]?)\s*$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'm' ? n * 60 : m[2] === 'h' ? n * 3600 : n;
}

export function toHpa(object: K8sObject): HorizontalPodAutoscaler {
  const { doc, root } = object;
  const ref = getIn(root, ['spec', 'scaleTargetRef'], doc);
  return {
    object,
    targetKind: str(get(ref, 'kind', doc), doc),
    targetName: str(get(ref, 'name', doc), doc),
    minReplicas: num(getIn(root, ['spec', 'minReplicas'], doc), doc),
    maxReplicas: num(getIn(root, ['spec', 'maxReplicas'], doc), doc),
  };
}

export type { Pair, YAMLSeq };
