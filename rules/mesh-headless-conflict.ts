// A mesh balances per request only for traffic to a Service's virtual IP. A client that dials a headless
// Service connects to pod IPs directly: Linkerd cannot retrieve endpoints for headless Services and does not
// balance them, and the client's own policy pins or spreads connections as if there were no mesh.
import { defineRule, type FixDescriptor } from '../src/core/rule-api.js';
import { clusterIpSibling, codeSpan, describeService, envRelated, fqdn, rewriteTarget } from './lib/grpc.js';

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
        "{{side}} is in the {{mesh}} mesh, but {{api}} dials headless Service '{{service}}': the proxy sees pod IPs, not a Service, and cannot balance requests.",
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
      report({
        messageId: 'headlessInMesh',
        data: { side: client ? 'The client' : `Service '${describeService(service)}'`, mesh: mesh.mesh, api: site.api, service: describeService(service) },
        at: codeSpan(link.file, site.targetAt),
        related: envRelated(model, link),
        suggest,
      });
    });
  },
});
