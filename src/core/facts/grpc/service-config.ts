// gRPC service config JSON (https://github.com/grpc/grpc/blob/master/doc/service_config.md): which load
// balancing policy it selects, and what is wrong with it. `loadBalancingConfig` is a list of one-key
// objects, the first policy the client knows wins; `loadBalancingPolicy` is the deprecated string form.

/** The service config that selects one policy, written the way kubeconn's fixes write it. */
export function serviceConfigSelecting(policy: string): string {
  return `{"loadBalancingConfig":[{"${policy}":{}}]}`;
}

/** Policies shipped by the gRPC implementations (grpc-go, grpc-java, C-core, grpc-js, .NET). */
export const KNOWN_POLICIES = new Set([
  'pick_first',
  'round_robin',
  'grpclb',
  'weighted_round_robin',
  'least_request_experimental',
  'ring_hash_experimental',
  'ring_hash',
  'rls_experimental',
  'outlier_detection_experimental',
  'priority_experimental',
  'weighted_target_experimental',
  'xds_cluster_manager_experimental',
  'xds_cluster_impl_experimental',
  'xds_wrr_locality_experimental',
  'xds_override_host_experimental',
  'cds_experimental',
]);

export interface ServiceConfigReading {
  /** The policy the client will use (first known entry), if the config names one. */
  policy?: string;
  /** Offset of that policy's name inside the JSON text. */
  policyOffset?: number;
  error?: { kind: 'json'; message: string } | { kind: 'unknownPolicy'; policy: string } | { kind: 'legacy'; policy: string };
}

export function readServiceConfig(json: string): ServiceConfigReading {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { error: { kind: 'json', message: (error as Error).message } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: { kind: 'json', message: 'a service config must be a JSON object' } };
  }
  const config = value as Record<string, unknown>;
  const list = config.loadBalancingConfig;
  if (Array.isArray(list)) {
    const names = list.flatMap((entry: unknown) => (typeof entry === 'object' && entry !== null ? Object.keys(entry) : []));
    const known = names.find((n) => KNOWN_POLICIES.has(n));
    if (known) return { policy: known, policyOffset: json.indexOf(`"${known}"`) + 1 };
    if (names[0]) return { error: { kind: 'unknownPolicy', policy: names[0] } };
  }
  if (typeof config.loadBalancingPolicy === 'string') {
    const policy = config.loadBalancingPolicy.toLowerCase();
    return { policy, policyOffset: json.indexOf(config.loadBalancingPolicy), error: { kind: 'legacy', policy } };
  }
  return {};
}
