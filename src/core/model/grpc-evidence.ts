// gRPC evidence weaker than a dial site: addresses written in configuration that only gRPC clients use — a gRPC
// scheme (`dns:///orders:9090`, `static://orders:9090`, nginx `grpc_pass grpc://orders:50051`) or a well-known
// gRPC port (`collector:4317`) — in application config files, container env values and ConfigMap data; the
// endpoints of Envoy's HTTP/2 clusters (a bootstrap file, or one inside a ConfigMap), with how Envoy resolves
// them; and port names that say gRPC without following Istio's `<protocol>[-suffix]` convention (`otlp-grpc`,
// `tcp-grpc`).
// Collected here as places; the code index (model/code.ts) links them to Services. The rules decide how much
// they weigh.
import type { Node as YNode } from 'yaml';
import { isMap, isScalar } from 'yaml';
import { mayBeEnvoyBootstrap, readEnvoy, type ConfigEntry, type EnvoyCluster } from '../facts/app-config.js';
import type { FileFacts } from '../facts/index.js';
import type { K8sObject } from '../facts/manifests.js';
import type { Workload } from '../facts/k8s.js';
import { parseTarget, type ParsedTarget } from '../facts/grpc/target.js';
import type { Range } from '../facts/grpc/value.js';
import type { AppConfigIndex } from './app-config.js';

/** Ports that gRPC owns by convention: OTLP/gRPC, Jaeger's gRPC collector, gRPC's own examples. */
export const WELL_KNOWN_GRPC_PORTS: Readonly<Record<number, string>> = {
  4317: 'OTLP/gRPC',
  14250: 'Jaeger gRPC',
  50051: "gRPC's conventional port",
};

export interface ConfigAddress {
  source: 'app-config' | 'nginx' | 'envoy' | 'env' | 'configmap';
  /** The config key, env var or ConfigMap data key that holds the address. */
  key: string;
  /** The address as written. */
  text: string;
  reason: 'scheme' | 'port' | 'grpc_pass' | 'envoy-http2';
  /** An Envoy cluster's endpoint (its HTTP/2 clusters only): how Envoy resolves and balances it. */
  envoy?: EnvoyCluster;
  target: ParsedTarget;
  file: string;
  /** The address's place in a config file. */
  at?: Range;
  /** In a manifest: the object and the scalar that holds the address (an env value, a ConfigMap data value). */
  object?: K8sObject;
  node?: YNode;
  /** The workload whose env holds it (its namespace is the one the name resolves in). */
  workload?: Workload;
}

const ADDRESS =
  /(?:\b(dns|static|grpcs?|https?):\/\/\/?)?\b([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*):(\d{2,5})\b/gi;

/** The gRPC-looking addresses in one value, with their offsets in it. */
export function grpcAddressesIn(value: string): { text: string; offset: number; reason: 'scheme' | 'port'; target: ParsedTarget }[] {
  const out: { text: string; offset: number; reason: 'scheme' | 'port'; target: ParsedTarget }[] = [];
  for (const m of value.matchAll(ADDRESS)) {
    const scheme = m[1]?.toLowerCase();
    if (scheme === 'static') {
      // The whole list, as grpc-spring-boot-starter reads it.
      const list = /^static:\/\/\/?[^\s"',;]*(?:,[^\s"',;]+)*/i.exec(value.slice(m.index))![0];
      const target = parseTarget(list);
      if (target) out.push({ text: list, offset: m.index, reason: 'scheme', target });
      continue;
    }
    const grpcScheme = scheme === 'dns' || scheme === 'grpc' || scheme === 'grpcs';
    const port = Number(m[3]);
    if (!grpcScheme && !Object.hasOwn(WELL_KNOWN_GRPC_PORTS, port)) continue;
    const target = parseTarget(grpcScheme && scheme === 'dns' ? m[0] : `${m[2]}:${m[3]}`);
    if (target) out.push({ text: m[0], offset: m.index, reason: grpcScheme ? 'scheme' : 'port', target });
  }
  return out;
}

/** A ConfigMap value's Envoy bootstrap, read once per parsed value (an unchanged document keeps its nodes). */
const envoyOfValue = new WeakMap<YNode, ConfigEntry[]>();
function envoyIn(node: YNode, text: string): ConfigEntry[] {
  let entries = envoyOfValue.get(node);
  if (!entries) envoyOfValue.set(node, (entries = readEnvoy(text)));
  return entries;
}

/** Every gRPC-looking address in the workspace's config: app config files, nginx, container env, ConfigMaps. */
export function collectConfigAddresses(
  files: ReadonlyMap<string, FileFacts>,
  appConfig: AppConfigIndex,
  objects: readonly K8sObject[],
  workloads: readonly Workload[],
): ConfigAddress[] {
  const out: ConfigAddress[] = [];
  const fromEntry = (file: string, entry: ConfigEntry, source: ConfigAddress['source']) => {
    if (source === 'nginx') {
      const target = parseTarget(entry.value.replace(/^grpcs?:\/\//, ''));
      if (target) out.push({ source, key: entry.key, text: entry.value, reason: 'grpc_pass', target, file, at: entry.at });
      return;
    }
    const base = entry.content?.[0];
    for (const a of grpcAddressesIn(entry.value)) {
      const at: Range = base === undefined ? entry.at : [base + a.offset, base + a.offset + a.text.length];
      out.push({ source, key: entry.key, text: a.text, reason: a.reason, target: a.target, file, at });
    }
  };
  for (const f of appConfig.files) for (const e of f.facts.entries) fromEntry(f.file, e, 'app-config');
  /** An HTTP/2 cluster's endpoint of an Envoy bootstrap (a file, or a ConfigMap value: then at that value). */
  const fromEnvoy = (file: string, entry: ConfigEntry, inObject?: { object: K8sObject; node: YNode }) => {
    const target = entry.envoy?.http2 ? parseTarget(entry.value) : undefined;
    if (!target) return;
    const at = inObject ? {} : { at: entry.at };
    out.push({
      source: 'envoy',
      key: entry.key,
      text: entry.value,
      reason: 'envoy-http2',
      target,
      file,
      envoy: entry.envoy,
      ...at,
      ...inObject,
    });
  };
  for (const facts of files.values()) {
    if (facts.appConfig?.format === 'nginx') for (const e of facts.appConfig.entries) fromEntry(facts.file, e, 'nginx');
    for (const e of facts.envoy?.entries ?? []) fromEnvoy(facts.file, e);
  }
  for (const w of workloads) {
    for (const c of [...w.containers, ...w.initContainers]) {
      for (const e of c.env) {
        if (e.value === undefined) continue;
        for (const a of grpcAddressesIn(e.value))
          out.push({
            source: 'env',
            key: e.name,
            text: a.text,
            reason: a.reason,
            target: a.target,
            file: w.object.file,
            object: w.object,
            node: e.valueNode ?? e.node,
            workload: w,
          });
      }
    }
  }
  for (const object of objects) {
    if (object.kind !== 'ConfigMap') continue;
    const data = object.root.get('data', true);
    if (!isMap(data)) continue;
    for (const pair of data.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const value = pair.value;
      if (key === undefined || !isScalar(value) || typeof value.value !== 'string') continue;
      if (mayBeEnvoyBootstrap(value.value)) for (const e of envoyIn(value, value.value)) fromEnvoy(object.file, e, { object, node: value });
      for (const a of grpcAddressesIn(value.value))
        out.push({ source: 'configmap', key, text: a.text, reason: a.reason, target: a.target, file: object.file, object, node: value });
    }
  }
  return out;
}
