// The mesh proxy of a workload's pods and how long it stays up after SIGTERM. Every container of a pod gets SIGTERM
// at once (each after its own preStop); a classic sidecar does not wait for the app:
//   - Istio's pilot-agent drains for `terminationDrainDuration` (5 s by default; `proxy.istio.io/config` on the pod,
//     or `defaultConfig` in the mesh config of the `istio` ConfigMap) and exits — unless
//     EXIT_ON_ZERO_ACTIVE_CONNECTIONS makes it wait for the connections to end;
//   - linkerd-proxy refuses new requests as soon as it gets SIGTERM, unless
//     `config.alpha.linkerd.io/proxy-wait-before-exit-seconds` gives it a preStop delay.
// Native sidecars (an init container with restartPolicy Always: Istio's `sidecar.istio.io/nativeSidecar`, Linkerd's
// `config.beta.linkerd.io/proxy-enable-native-sidecar`) are stopped after the app and never cut it off.
import { parse as parseYaml, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { Workload } from '../facts/k8s.js';
import { asMap, get, getIn, pairOf, str } from '../facts/yaml-util.js';
import type { KubernetesIndex } from './kubernetes.js';
import { nativeSidecar } from './fronts.js';
import type { MeshEvidence, MeshIndex } from './mesh.js';

export const ISTIO_DRAIN_SECONDS = 5;

export interface Sidecar {
  mesh: 'istio' | 'linkerd';
  /** Seconds the proxy keeps serving the app after it gets SIGTERM. */
  seconds: number;
  defaulted: boolean;
  /** Istio: the proxy waits for zero active connections instead. */
  exitOnZero: boolean;
  /** The pod annotation that sets it (`proxy.istio.io/config`, `…/proxy-wait-before-exit-seconds`), when present. */
  annotation?: Pair<Scalar, Node>;
  /** The pod template's metadata and annotations maps, where an annotation is added. */
  metadata?: YAMLMap<Scalar, Node>;
  annotations?: YAMLMap<Scalar, Node>;
  /** Where the mesh membership is said. */
  evidence: MeshEvidence;
}

const LINKERD_WAIT = 'config.alpha.linkerd.io/proxy-wait-before-exit-seconds';
const ISTIO_CONFIG = 'proxy.istio.io/config';

export class SidecarIndex {
  private readonly meshDefaults: { seconds?: number; exitOnZero: boolean };

  constructor(
    k8s: KubernetesIndex,
    private readonly mesh: MeshIndex,
  ) {
    const istio = k8s.objects.find((o) => o.kind === 'ConfigMap' && o.name === 'istio' && get(get(o.root, 'data', o.doc), 'mesh', o.doc));
    const parsed = istio ? parseSafely(str(getIn(istio.root, ['data', 'mesh'], istio.doc), istio.doc)) : undefined;
    const defaults =
      typeof parsed === 'object' && parsed !== null ? proxyConfig((parsed as Record<string, unknown>).defaultConfig) : undefined;
    this.meshDefaults = { seconds: defaults?.seconds, exitOnZero: defaults?.exitOnZero ?? false };
  }

  /** The classic (non-native) proxy sidecar of a workload's pods, or undefined. */
  sidecarOf(workload: Workload): Sidecar | undefined {
    const evidence = this.mesh.meshOf(workload);
    if (!evidence || evidence.key === 'istio.io/dataplane-mode') return undefined; // ambient: no sidecar
    const { doc } = workload.object;
    const metadata = workload.template ? asMap(get(workload.template, 'metadata', doc), doc) : undefined;
    const annotations = metadata ? asMap(get(metadata, 'annotations', doc), doc) : undefined;
    const ns = evidence.object && evidence.object !== workload.object ? evidence.object.annotations : {};
    const pod = workload.podAnnotations;
    if (evidence.mesh === 'linkerd') {
      const native = [pod, ns].some(
        (a) =>
          a['config.beta.linkerd.io/proxy-enable-native-sidecar'] === 'true' ||
          a['config.alpha.linkerd.io/proxy-enable-native-sidecar'] === 'true',
      );
      if (native) return undefined;
      const annotation = annotations ? pairOf(annotations, LINKERD_WAIT, doc) : undefined;
      const value = pod[LINKERD_WAIT] ?? ns[LINKERD_WAIT];
      const seconds = value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : 0;
      return { mesh: 'linkerd', seconds, defaulted: value === undefined, exitOnZero: false, annotation, metadata, annotations, evidence };
    }
    if (nativeSidecar(workload)) return undefined;
    const annotation = annotations ? pairOf(annotations, ISTIO_CONFIG, doc) : undefined;
    const own = pod[ISTIO_CONFIG] !== undefined ? proxyConfig(parseSafely(pod[ISTIO_CONFIG])) : undefined;
    const seconds = own?.seconds ?? this.meshDefaults.seconds;
    return {
      mesh: 'istio',
      seconds: seconds ?? ISTIO_DRAIN_SECONDS,
      defaulted: seconds === undefined,
      exitOnZero: own?.exitOnZero ?? this.meshDefaults.exitOnZero,
      annotation,
      metadata,
      annotations,
      evidence,
    };
  }
}

/** terminationDrainDuration and EXIT_ON_ZERO_ACTIVE_CONNECTIONS of a ProxyConfig (YAML or JSON). */
function proxyConfig(config: unknown): { seconds?: number; exitOnZero: boolean } | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  const c = config as Record<string, unknown>;
  const metadata = (c.proxyMetadata ?? {}) as Record<string, unknown>;
  const duration = typeof c.terminationDrainDuration === 'string' ? durationSeconds(c.terminationDrainDuration) : undefined;
  const exitOnZero = metadata.EXIT_ON_ZERO_ACTIVE_CONNECTIONS;
  return { seconds: duration, exitOnZero: exitOnZero === true || (typeof exitOnZero === 'string' && exitOnZero.toLowerCase() === 'true') };
}

/** A protobuf Duration as Istio writes it: `5s`, `1m30s`, `1.5s`, `500ms`. */
export function durationSeconds(value: string): number | undefined {
  let total = 0;
  let matched = '';
  for (const m of value.trim().matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as 'ms'];
    matched += m[0];
  }
  return matched.length > 0 && matched === value.trim() ? total : undefined;
}

function parseSafely(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return parseYaml(text);
  } catch {
    return undefined;
  }
}
