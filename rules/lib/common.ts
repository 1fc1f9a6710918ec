// Small helpers rules share: where to report on a Kubernetes object's nodes (through the object's source,
// so a report on a rendered or patched object lands in the file that defines the value), how to name
// objects in messages, and the version gates of the sleep action.
import type { Node, Pair, Scalar, YAMLMap } from 'yaml';
import { compareMinor, headRange, type Container, type K8sObject, type Span, type Workload } from '../../src/core/rule-api.js';

/** Where a node is written; the object's name when the node exists only after a transformation. */
export function nodeSpan(object: K8sObject, node: Node): Span {
  return object.source.span(node) ?? nameSpan(object);
}

export function pairSpan(object: K8sObject, pair: Pair<Scalar, Node>): Span {
  return object.source.pairSpan(pair) ?? nameSpan(object);
}

/** The first line of a map: where a report on a whole port or container is shown. */
export function headSpan(object: K8sObject, map: YAMLMap<Scalar, Node>): Span {
  const [start, end] = headRange(map, object.source.textOf(map));
  return object.source.rangeSpan(map, start, end) ?? nameSpan(object);
}

export function nameSpan(object: K8sObject): Span {
  return { file: object.file, start: object.nameSpan[0], end: object.nameSpan[1] };
}

/** Where to report on a container: its `name:` line (or its first line). */
export function containerSpan(container: Container): Span {
  return headSpan(container.workload.object, container.node);
}

export function describeWorkload(w: Workload): string {
  return `${w.kind} '${w.name}'`;
}

/** The native `sleep` lifecycle action: alpha in 1.29 (gate off: the API server drops it silently), beta on by default from 1.30, GA in 1.34. */
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
