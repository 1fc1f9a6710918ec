// kube-proxy balances per TCP connection; an HTTP/2 channel is one connection, so every call of a gRPC
// client behind a ClusterIP Service goes to the one pod picked when it connected, and pods added by a
// scale-up get nothing until clients reconnect.
import { block, defineRule, type FixDescriptor, grpcPortEvidence, insertDocumentAfter, insertIntoMap, replaceScalar, type Service, type YamlValue } from '../src/core/rule-api.js';
import { describeWorkload, headSpan, nameSpan, nodeSpan } from './lib/common.js';
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
        "Service '{{service}}' port {{port}} carries gRPC/HTTP2 ({{why}}) but kube-proxy balances per connection: each client channel sticks to one pod, and new pods get no traffic.",
      addHeadlessSibling: "Add a headless Service '{{name}}' with the same selector and ports (for round_robin clients)",
      makeHeadless: "Make '{{service}}' headless (clusterIP: None; the Service must be deleted and recreated)",
    },
  },
  check({ model, report, each }) {
    const serviceKeys = new Set(model.services.map((s) => `${s.namespace ?? ''}/${s.name}`));
    each(model.services, (service) => {
      if (service.headless || service.type === 'ExternalName') return;
      if (model.meshOfService(service)) return;
      for (const port of service.ports) {
        // Client evidence: a gRPC dial site in the workspace reaches this port (whatever the port is named).
        // A meshed client's proxy balances per request, so it is no evidence of pinning.
        const dialers = model.dials
          .linksTo(service)
          .filter((l) => (l.port === port || (l.port === undefined && service.ports.length === 1)) && !model.dials.meshOfClient(l));
        const evidence = grpcPortEvidence(model, port) ?? (dialers.length > 0 ? { reason: 'client' as const, target: undefined } : undefined);
        if (!evidence) continue;
        const why =
          evidence.reason === 'client'
            ? `dialed by ${dialers[0]!.site.api} in ${dialers[0]!.file}`
            : evidence.reason === 'appProtocol'
            ? `appProtocol ${port.appProtocol}`
            : evidence.reason === 'name'
              ? `port name '${port.name}'`
              : `target port '${evidence.target!.containerPort!.name}'`;
        const related = model.workloadsSelectedBy(service).map((w) => ({
          at: nameSpan(w.object),
          message: `${describeWorkload(w)} receives this traffic`,
        }));
        if (evidence.target?.containerPort) {
          related.push({
            at: nodeSpan(evidence.target.workload.object, evidence.target.containerPort.node),
            message: `container port named '${evidence.target.containerPort.name}'`,
          });
        }
        for (const d of dialers) related.push({ at: { file: d.file, start: d.site.targetAt[0], end: d.site.targetAt[1] }, message: `gRPC channel dialed here (${d.site.api})` });
        report({
          messageId: 'pinned',
          data: { service: service.name, port: port.port ?? port.name ?? '?', why },
          at: headSpan(service.object, port.node),
          related,
          suggest: suggestions(model.textOf(service.object.file), service, serviceKeys),
        });
      }
    });
  },
});

function suggestions(text: string, service: Service, serviceKeys: ReadonlySet<string>): FixDescriptor[] {
  const out: FixDescriptor[] = [];
  const { object } = service;
  const siblingName = `${service.name}-headless`;
  const exists = serviceKeys.has(`${service.namespace ?? ''}/${siblingName}`);
  const ports = portsAsValues(service);
  if (!exists && service.spec && ports) {
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
    out.push({
      messageId: 'addHeadlessSibling',
      data: { name: siblingName },
      edits: [insertDocumentAfter(object.file, text, object.span[1], doc)],
    });
  }
  // Only a ClusterIP-type Service can be headless; NodePort/LoadBalancer keep their VIP.
  if (service.type === 'ClusterIP' && service.spec) {
    const edit = service.clusterIPPair?.value
      ? replaceScalar(object.file, text, service.clusterIPPair.value, 'None')
      : insertIntoMap(object.file, text, service.spec, { clusterIP: 'None' });
    out.push({ messageId: 'makeHeadless', data: { service: service.name }, edits: [edit] });
  }
  return out;
}

/** The ports as plain values for the sibling; undefined when aliases make them unsafe to copy (alias bombs). */
function portsAsValues(service: Service): YamlValue[] | undefined {
  try {
    return service.ports.map((p) => p.node.toJS(service.object.doc, { maxAliasCount: 20 }) as YamlValue);
  } catch {
    return undefined;
  }
}

function stripNodePort(port: YamlValue): YamlValue {
  if (typeof port !== 'object' || port === null || Array.isArray(port)) return port;
  const { nodePort: _nodePort, ...rest } = port;
  return rest;
}
