// kuberesolver (sercand/kuberesolver) watches a Service's endpoints and hands grpc-go every ready pod. Its
// target is read differently from DNS: a numeric port is dialed literally on the pods (no Service port →
// targetPort translation), a port name that matches no port silently falls back to the first EndpointSlice
// port (builder.go), the scheme works only once registered (else grpc.NewClient still succeeds and every RPC
// fails: the DNS resolver cannot parse the target), and a missing namespace means the client pod's own.
import { defineRule, type ReportDescriptor } from '../src/core/rule-api.js';
import { nodeSpan } from './lib/common.js';
import { codeSpan, envRelated, rewriteTarget } from './lib/grpc.js';

export default defineRule({
  id: 'kuberesolver-target',
  meta: {
    type: 'problem',
    category: 'balancing',
    description: 'Require kuberesolver targets to name a registered scheme, the pod port and the Service namespace',
    remediation:
      'Register kuberesolver (RegisterInCluster), dial the port by name or targetPort, and write the namespace: kubernetes:///svc.ns:portname.',
    severity: 'error',
    fixable: true,
    messages: {
      servicePort:
        "kuberesolver dials port {{port}} on the pods of '{{service}}', but that is the Service port: the pods listen on {{targetPort}}.",
      unregistered:
        "Scheme '{{scheme}}:' is never registered (kuberesolver.RegisterInCluster or grpc.WithResolvers), so every RPC fails. grpc.NewClient still succeeds: grpc-go falls back to its default resolver, which cannot resolve the whole target.",
      unknownPortName:
        "kuberesolver target port '{{port}}' names no port of Service '{{service}}'. kuberesolver then silently dials the first EndpointSlice port ({{first}}), which may be another protocol.",
      namespaceOmitted:
        "The target omits the namespace, so kuberesolver looks for '{{service}}' in the client's namespace '{{clientNamespace}}', but it lives in '{{namespace}}'.",
      usePort: "Dial port '{{port}}'",
      addNamespace: "Write the namespace: '{{target}}'",
    },
  },
  check({ model, report, each }) {
    const registered = model.dials.kuberesolverSchemes;
    each(model.dials.links, (link) => {
      const { target, site } = link;
      if (site.language !== 'go' || target?.scheme !== 'kubernetes') return;
      const at = codeSpan(link.file, site.targetAt);
      const related = envRelated(model, link);
      if (!registered.has(target.schemeText ?? 'kubernetes') && !site.withResolvers) {
        report({ messageId: 'unregistered', data: { scheme: target.schemeText }, at, related });
      }
      const clientNs = link.client?.workload.namespace ?? model.dials.containersRunning(link.file)[0]?.workload.namespace;
      if (!link.service && !target.namespace && clientNs && target.service) {
        const elsewhere = model.services.filter((s) => s.name === target.service && s.namespace && s.namespace !== clientNs);
        if (elsewhere.length === 1) {
          const ns = elsewhere[0]!.namespace!;
          const hostAt = link.text!.indexOf(target.host!, link.text!.indexOf(':') + 1);
          const end = hostAt + target.host!.length;
          const fixed = hostAt === -1 ? link.text! : `${link.text!.slice(0, end)}.${ns}${link.text!.slice(end)}`;
          const edits = fixed !== link.text ? rewriteTarget(model, link, fixed) : undefined;
          report({
            messageId: 'namespaceOmitted',
            data: { service: target.service, clientNamespace: clientNs, namespace: ns },
            at,
            related: [
              ...related,
              {
                at: nodeSpan(elsewhere[0]!.object, elsewhere[0]!.object.root),
                message: `Service '${target.service}' in namespace '${ns}'`,
              },
            ],
            fix: edits ? { messageId: 'addNamespace', data: { target: fixed }, edits } : undefined,
          });
        }
      }
      if (link.service && target.port && !/^\d+$/.test(target.port) && !link.service.ports.some((p) => p.name === target.port)) {
        const first = link.service.ports[0];
        report({
          messageId: 'unknownPortName',
          data: {
            port: target.port,
            service: link.service.name,
            first: first ? (first.name ? `'${first.name}'` : `port ${first.targetPort ?? first.port}`) : 'none',
          },
          at,
          related: [
            ...related,
            {
              at: nodeSpan(link.service.object, link.service.object.root),
              message: `ports of Service '${link.service.name}': ${link.service.ports.map((p) => p.name ?? p.port).join(', ')}`,
            },
          ],
        });
        return;
      }
      const port = link.port;
      if (!port || !target.port || !/^\d+$/.test(target.port) || port.port !== Number(target.port)) return;
      const targetPort = port.targetPort;
      if (targetPort === undefined || targetPort === port.port) return;
      const replacement = port.name ?? (typeof targetPort === 'number' ? String(targetPort) : undefined);
      const descriptor: ReportDescriptor = {
        messageId: 'servicePort',
        data: { port: target.port, service: link.service!.name, targetPort },
        at,
        related: [...related, { at: nodeSpan(port.service.object, port.node), message: `port ${port.port} → targetPort ${targetPort}` }],
      };
      const idx = link.text!.lastIndexOf(`:${target.port}`);
      if (replacement && idx !== -1) {
        const fixed = `${link.text!.slice(0, idx)}:${replacement}${link.text!.slice(idx + target.port.length + 1)}`;
        const edits = rewriteTarget(model, link, fixed);
        if (edits) descriptor.fix = { messageId: 'usePort', data: { port: replacement }, edits };
      }
      report(descriptor);
    });
  },
});
