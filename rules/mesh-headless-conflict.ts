// A mesh balances per request only for traffic to a Service's virtual IP. A client that dials a headless
// Service connects to pod IPs directly: Linkerd cannot retrieve endpoints for headless Services and does not
// balance them, and the client's own policy pins or spreads connections as if there were no mesh. With
// pick_first every call goes to one pod; a round_robin client still spreads its calls and loses only the mesh's
// L7 features (facts A21), an info.
import { defineRule, type FixDescriptor } from '../src/core/rule-api.js';
import { clusterIpSibling, codeSpan, describeService, effectivePolicy, envRelated, fqdn, rewriteTarget } from './lib/grpc.js';

export default defineRule({
  id: 'mesh-headless-conflict',
  meta: {
    type: 'suggestion',
    category: 'balancing',
    description: 'Disallow meshed gRPC clients and servers dialing each other through a headless Service',
    remediation: 'Inside a mesh, dial the ClusterIP Service and let the proxy balance each request.',
    severity: 'warning',
    hasSuggestions: true,
    messages: {
      headlessInMesh:
        "{{api}} dials headless Service '{{service}}' with pick_first inside the {{mesh}} mesh. {{side}} is meshed, but the proxy sees one pod IP, not a Service, so every call goes to that pod.",
      headlessRoundRobin:
        "{{api}} dials headless Service '{{service}}' inside the {{mesh}} mesh, bypassing its L7 balancing. {{side}} is meshed; round_robin still spreads the calls over the pods, and only the mesh's L7 features (least-request balancing, retries, outlier detection, traffic splits) are lost.",
      useClusterIp: "Dial the ClusterIP Service '{{target}}'",
    },
  },
  check({ model, report, each }) {
    each(model.dials.links, (link) => {
      const { service, site } = link;
      if (!service?.headless || !link.target) return;
      const client = model.dials.meshOfClient(link);
      const server = model.meshOfService(service);
      const mesh = client ?? server;
      if (!mesh) return;
      const suggest: FixDescriptor[] = [];
      const sibling = clusterIpSibling(model, service);
      const port = sibling?.ports.find((p) => p.name === link.port?.name) ?? sibling?.ports[0];
      if (sibling && port?.port !== undefined) {
        const target = `${fqdn(sibling.name, sibling.namespace ?? link.namespace)}:${port.port}`;
        const edits = rewriteTarget(model, link, target);
        if (edits) suggest.push({ messageId: 'useClusterIp', data: { target }, edits });
      }
      const roundRobin = effectivePolicy(link) !== 'pick_first';
      report({
        messageId: roundRobin ? 'headlessRoundRobin' : 'headlessInMesh',
        severity: roundRobin ? 'info' : 'warning',
        data: {
          side: client ? 'The client' : `Service '${describeService(service)}'`,
          mesh: mesh.mesh,
          api: site.api,
          service: describeService(service),
        },
        at: codeSpan(link.file, site.targetAt),
        related: envRelated(model, link),
        suggest,
      });
    });
  },
});
