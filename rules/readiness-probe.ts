// Without a readinessProbe a new pod is added to the Service's endpoints as soon as its containers start,
// before the app listens: the first connections of every rollout and scale-up are refused. For gRPC the
// harm lasts: a channel that connects then stays pinned to that pod. Only containers a Service sends traffic to
// are judged (model/served.ts): not metrics-only workers, sidecars, bare or one-shot pods.
import { defineRule, type FixDescriptor, insertIntoMap, isGrpcPortName, type YamlValue } from '../src/core/rule-api.js';
import { containerSpan, describeWorkload } from './lib/common.js';

export default defineRule({
  id: 'readiness-probe',
  meta: {
    type: 'problem',
    category: 'shutdown',
    description: 'Require a readinessProbe on containers that receive traffic',
    remediation: 'Add a readinessProbe (grpc, httpGet or tcpSocket) so pods get traffic only once they can serve it.',
    severity: 'warning',
    hasSuggestions: true,
    messages: {
      missing:
        "Container '{{container}}' of {{workload}} receives traffic but has no readinessProbe. New pods get connections before they can serve them.",
      addTcp: 'Add a tcpSocket readinessProbe on port {{port}}',
      addGrpc: 'Add a grpc readinessProbe on port {{port}} (the server must implement grpc.health.v1)',
    },
  },
  check({ model, report, each }) {
    each(model.workloads, (workload) => {
      // Services that publish not-ready addresses (a StatefulSet's peer discovery, a gossip ring) send traffic before
      // readiness anyway: a probe gates only the other Services.
      if (!model.isServedThroughReadyEndpoints(workload)) return;
      for (const container of model.servedContainers(workload)) {
        if (container.readinessProbe) continue;
        const text = model.textOf(workload.object.file);
        const file = workload.object.file;
        const suggest: FixDescriptor[] = [];
        const port = container.ports[0];
        const add = (probe: Record<string, YamlValue>, messageId: string, shown: string | number): void => {
          suggest.push({ messageId, data: { port: shown }, edits: [insertIntoMap(file, text, container.node, { readinessProbe: probe })] });
        };
        // gRPC probes need a port number (named ports are rejected for grpc probes).
        if (port && isGrpcPortName(port.name) && port.containerPort)
          add({ grpc: { port: port.containerPort } }, 'addGrpc', port.containerPort);
        if (port && (port.name || port.containerPort)) {
          const ref = port.name ?? port.containerPort!;
          add({ tcpSocket: { port: ref }, periodSeconds: 5 }, 'addTcp', ref);
        }
        report({
          messageId: 'missing',
          data: { container: container.name, workload: describeWorkload(workload) },
          at: containerSpan(container),
          suggest,
        });
      }
    });
  },
});
