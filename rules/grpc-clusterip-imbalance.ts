// kube-proxy balances per TCP connection; an HTTP/2 channel is one connection, so every call of a gRPC
// client behind a ClusterIP Service goes to the pod picked when it connected, until the connection is recycled
// (server MaxConnectionAge, idleness, errors). Judged per port, by who reaches it:
//   - a linked in-repo client dials the VIP (or an env/ConfigMap value names it on a gRPC port or with a gRPC
//     scheme): a warning;
//   - only self-balancing clients (kuberesolver, xds — in code or in config values), clients of a headless sibling, or an L7 proxy
//     (Ingress with backend-protocol GRPC, GRPCRoute, HTTPRoute) reach it: quiet;
//   - only the manifests say gRPC (port name, appProtocol), or gRPC server code linked behind the port (listening
//     on it, or behind a one-port Service): info, hedged — peers that dial pods directly (gossip rings, quorum
//     ports) are not pinned, and the clients may all be outside the repository.
import path from 'node:path';
import {
  type AnalysisModel,
  block,
  defineRule,
  type FixDescriptor,
  grpcPortEvidence,
  insertDocumentAfterObject,
  insertIntoObjectMap,
  replaceObjectScalar,
  type Service,
  type ServicePort,
  type Span,
  type Workload,
  type YamlValue,
} from '../src/core/rule-api.js';
import { describeWorkload, headSpan, nameSpan, nodeSpan } from './lib/common.js';
import { allKnown, freeName } from './lib/names.js';
import { configTargetsNaming, grpcServerBehind, headlessSibling, scaleNote, selfBalancingDialers, vipDialers } from './lib/grpc.js';
import type { V1Service, V1ServicePort } from '@kubernetes/client-node';

export default defineRule({
  id: 'grpc-clusterip-imbalance',
  meta: {
    type: 'problem',
    category: 'balancing',
    description: 'Disallow gRPC/HTTP2 ports on a ClusterIP Service without client-side balancing or a mesh',
    remediation:
      'Add a headless sibling Service and dial it with round_robin (or a watching resolver), or put the workloads in a service mesh.',
    severity: 'warning',
    hasSuggestions: true,
    messages: {
      pinned:
        "Service '{{service}}' port {{port}} carries gRPC, but kube-proxy balances it per connection. It is {{why}}. {{recycling}}{{scale}}",
      pinnedByName:
        "Service '{{service}}' port {{port}} may carry gRPC ({{why}}), but no client in the repository dials it. If clients reach it through its ClusterIP, kube-proxy pins each channel to one pod; peers that dial pods directly (gossip, quorum ports) are not affected.",
      addHeadlessSibling: "Add a headless Service '{{name}}' with the same selector and ports (for round_robin clients)",
      makeHeadless: "Make '{{service}}' headless (clusterIP: None; the Service must be deleted and recreated)",
    },
  },
  check({ model, report, each }) {
    const serviceKeys = new Set(model.services.map((s) => `${s.namespace ?? ''}/${s.name}`));
    each(model.services, (service) => {
      if (service.headless || service.type === 'ExternalName') return;
      if (model.meshOfService(service)) return;
      const sibling = headlessSibling(model, service);
      const serversBehind = model.dials.serversBehind(service).length > 0;
      let made: FixDescriptor[] | undefined;
      for (const port of service.ports) {
        const dialers = vipDialers(model, service, port);
        const manifest = grpcPortEvidence(model, port);
        // gRPC server code linked behind the port says it carries gRPC, as a port name would.
        const server = manifest ? undefined : grpcServerBehind(model, service, port);
        const grpcPort = manifest !== undefined || serversBehind;
        const named = dialers.length === 0 ? configTargetsNaming(model, service, port, grpcPort) : [];
        const configured = named.filter((c) => c.kind === 'vip');
        if (dialers.length === 0 && configured.length === 0 && !manifest && !server) continue;
        const related = trafficRelated(model.workloadsSelectedBy(service));
        if (manifest?.target?.containerPort) {
          related.push({
            at: nodeSpan(manifest.target.workload.object, manifest.target.containerPort.node),
            message: `container port named '${manifest.target.containerPort.name}'`,
          });
        }
        if (server && dialers.length === 0 && configured.length === 0)
          related.push({
            at: { file: server.file, start: server.site.call[0], end: server.site.call[1] },
            message: `gRPC server (${server.site.api})`,
          });
        for (const d of dialers)
          related.push({
            at: { file: d.file, start: d.site.targetAt[0], end: d.site.targetAt[1] },
            message: `gRPC channel dialed here (${d.site.api})`,
          });
        for (const c of configured) related.push({ at: c.at, message: c.message });
        const from = path.posix.dirname(service.object.file);
        // Made once per Service, and only for a port that is reported.
        const suggest = (): FixDescriptor[] => (made ??= service.object.helm ? [] : suggestions(model, service, serviceKeys));
        const portText = port.port ?? port.name ?? '?';
        if (dialers.length > 0 || configured.length > 0) {
          const why =
            dialers.length > 0 ? `dialed by ${dialers[0]!.site.api} in ${path.posix.relative(from, dialers[0]!.file)}` : configured[0]!.why;
          report({
            messageId: 'pinned',
            data: { service: service.name, port: portText, why, recycling: recycling(model, service), scale: scaleNote(model, service) },
            at: headSpan(service.object, port.node),
            related,
            suggest: suggest(),
          });
          continue;
        }
        // Only the manifests say gRPC: quiet when the known clients balance themselves or an L7 proxy fronts it.
        if (selfBalancingDialers(model, service).length > 0 || named.length > 0) continue;
        // A headless sibling already offers per-pod discovery (peers and balancing clients use it). Clients that use
        // only the Service's other ports do not quiet it: this port's clients are often outside the repository.
        if (sibling) continue;
        if (routedOnly(model, service, port)) continue;
        const why = !manifest
          ? `gRPC server code behind it: ${server!.site.api} in ${path.posix.relative(from, server!.file)}`
          : manifest.reason === 'appProtocol'
            ? `appProtocol ${port.appProtocol}`
            : manifest.reason === 'name'
              ? `port name '${port.name}'`
              : `target port '${manifest.target!.containerPort!.name}'`;
        report({
          messageId: 'pinnedByName',
          severity: 'info',
          data: { service: service.name, port: portText, why },
          at: headSpan(service.object, port.node),
          related,
          suggest: suggest(),
        });
      }
    });
  },
});

/** Workloads listed by name in a finding; past it, the next one stands for the rest (overlapping selectors). */
export const MAX_WORKLOADS_LISTED = 10;

/**
 * The related locations for the workloads behind the Service: each one, up to MAX_WORKLOADS_LISTED, then one
 * entry for the rest. 400 Services with one selector listed 400 workloads each: 160,000 related locations.
 */
function trafficRelated(workloads: readonly Workload[]): { at: Span; message: string }[] {
  const listed = workloads.length > MAX_WORKLOADS_LISTED + 1 ? workloads.slice(0, MAX_WORKLOADS_LISTED) : workloads;
  const related = listed.map((w) => ({ at: nameSpan(w.object), message: `${describeWorkload(w)} receives this traffic` }));
  const next = workloads[listed.length];
  const rest = workloads.length - listed.length - 1;
  if (next)
    related.push({
      at: nameSpan(next.object),
      message: `${describeWorkload(next)} and ${rest} more ${rest === 1 ? 'workload' : 'workloads'} receive this traffic`,
    });
  return related;
}

/** What ends pinned connections: a server max connection age (then the load is uneven between reconnects), or nothing while busy. */
function recycling(model: AnalysisModel, service: Service): string {
  const servers = model.dials.serversBehind(service);
  if (servers.some((s) => s.site.maxConnectionAge)) {
    return "Each client channel sticks to one pod until the server's MaxConnectionAge recycles it: the load is uneven between reconnects.";
  }
  return 'Each client channel sticks to the pod it first reached, and nothing recycles busy connections: pods added later get none of that traffic.';
}

/** Reached by an L7 proxy route (Ingress for gRPC, GRPCRoute, HTTPRoute) that balances each request. */
function routedOnly(model: AnalysisModel, service: Service, port: ServicePort): boolean {
  return model.routes
    .routesTo(service)
    .some((r) => (r.grpc || r.kind === 'HTTPRoute') && (r.port === undefined || r.port === port.port || r.port === port.name));
}

// Edits go through the object's source (a Kustomize overlay's merged nodes have no text of their own: no edit).
function suggestions(model: AnalysisModel, service: Service, serviceKeys: ReadonlySet<string>): FixDescriptor[] {
  const out: FixDescriptor[] = [];
  const { object } = service;
  const base = `${service.name}-headless`;
  const siblingName = serviceKeys.has(`${service.namespace ?? ''}/${base}`) ? freeName(model, ['Service'], service.namespace, base) : base;
  const ports = portsAsValues(service);
  // A headless Service with the same selector is already there: nothing to add (a name taken by another Service
  // only moves the new one to a free name).
  if (!headlessSibling(model, service) && service.spec && ports) {
    // Typed against the Kubernetes API (type-only import), so the generated manifest is a valid Service.
    const sibling: V1Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: siblingName,
        ...(service.namespace ? { namespace: service.namespace } : {}),
        ...(Object.keys(object.labels).length > 0 ? { labels: object.labels } : {}),
      },
      spec: {
        clusterIP: 'None',
        ...(service.selector ? { selector: service.selector } : {}),
        ports: ports.map((p) => stripNodePort(p)) as unknown as V1ServicePort[],
      },
    };
    const doc = block(sibling as unknown as Record<string, YamlValue>, 0).join('\n');
    // A chart's Service rendered without its values: `<templated>-headless`, `app: ""`, `port: null` are
    // not a manifest anyone should apply. Only a sibling whose every value is known is suggested.
    const edit = allKnown(sibling) ? insertDocumentAfterObject(object, doc) : undefined;
    if (edit) out.push({ messageId: 'addHeadlessSibling', data: { name: siblingName }, edits: [edit] });
  }
  // Only a ClusterIP-type Service can be headless; NodePort/LoadBalancer keep their VIP.
  if (service.type === 'ClusterIP' && service.spec) {
    const edit = service.clusterIPPair?.value
      ? replaceObjectScalar(object, service.clusterIPPair.value, 'None')
      : insertIntoObjectMap(object, service.spec, { clusterIP: 'None' });
    if (edit) out.push({ messageId: 'makeHeadless', data: { service: service.name }, edits: [edit] });
  }
  return out;
}

/**
 * The ports as plain values for the sibling; undefined when aliases make them unsafe to copy: alias bombs
 * (yaml throws) and an alias to an enclosing node (`spec: &s … x: *s`), which toJS turns into a cycle.
 */
function portsAsValues(service: Service): YamlValue[] | undefined {
  try {
    const ports = service.ports.map((p) => p.node.toJS(service.object.doc, { maxAliasCount: 20 }) as YamlValue);
    return ports.some((p) => cyclic(p, new Set())) ? undefined : ports;
  } catch {
    return undefined;
  }
}

function cyclic(value: unknown, ancestors: Set<unknown>): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (ancestors.has(value)) return true;
  ancestors.add(value);
  const found = Object.values(value).some((v) => cyclic(v, ancestors));
  ancestors.delete(value);
  return found;
}

function stripNodePort(port: YamlValue): YamlValue {
  if (typeof port !== 'object' || port === null || Array.isArray(port)) return port;
  return Object.fromEntries(Object.entries(port).filter(([key]) => key !== 'nodePort'));
}
