// Small helpers rules share: spans of yaml nodes, the version gates of the sleep action.
import type { Node, Pair, Scalar, YAMLMap } from 'yaml';
import type { Span } from './finding.js';
import type { Container, Workload } from './facts/k8s.js';
import type { K8sObject } from './facts/manifests.js';
import { headRange, pairRange, range } from './facts/yaml-util.js';
import type { Graph } from './graph.js';
import { compareMinor } from './options.js';

export function nodeSpan(graph: Graph, object: K8sObject, node: Node): Span {
  const [start, end] = range(node, graph.textOf(object.file));
  return { file: object.file, start, end };
}

export function pairSpan(graph: Graph, object: K8sObject, pair: Pair<Scalar, Node>): Span {
  const [start, end] = pairRange(pair, graph.textOf(object.file));
  return { file: object.file, start, end };
}

/** The first line of a map: where a report on a whole port or container is shown. */
export function headSpan(graph: Graph, object: K8sObject, map: YAMLMap<Scalar, Node>): Span {
  const [start, end] = headRange(map, graph.textOf(object.file));
  return { file: object.file, start, end };
}

export function nameSpan(object: K8sObject): Span {
  return { file: object.file, start: object.nameSpan[0], end: object.nameSpan[1] };
}

/** Where to report on a container: its `name:` line (or its first line). */
export function containerSpan(graph: Graph, container: Container): Span {
  return headSpan(graph, container.workload.object, container.node);
}

export function describeWorkload(w: Workload): string {
  return `${w.kind} '${w.name}'`;
}

/** The native `sleep` lifecycle action: alpha in 1.29 (gate off), beta on by default from 1.30, GA in 1.34. */
export function sleepActionSupported(kubernetesVersion: string): boolean {
  return compareMinor(kubernetesVersion, 30) >= 0;
}

/** `sleep: {seconds: 0}` needs PodLifecycleSleepActionAllowZero: alpha 1.32, beta (on) 1.33, GA 1.34. */
export function zeroSleepSupported(kubernetesVersion: string): boolean {
  return compareMinor(kubernetesVersion, 33) >= 0;
}

/** Kubernetes' default terminationGracePeriodSeconds. */
export const DEFAULT_GRACE_SECONDS = 30;
/** Below this many seconds between the preStop delay and SIGKILL, an app cannot drain real requests. */
export const MIN_DRAIN_SECONDS = 5;
