// DNS + round_robin over a headless Service balances over the pods that existed at the last lookup. gRPC's DNS
// resolvers re-resolve only when a connection breaks (never on a timer; grpc-go waits at least 30 s), so
// pods added by a scale-up stay idle until the server ends connections (MaxConnectionAge) or the client
// polls (.NET's DnsResolverFactory refreshInterval).
import { defineRule, type FixDescriptor } from '../src/core/rule-api.js';
import { codeSpan, describeService, effectivePolicy, effectiveScheme, envRelated, podPortNumber, rewriteTarget } from './lib/grpc.js';
import { MAX_CONNECTION_AGE_SECONDS, maxConnectionAgeEdits } from './grpc-server-max-connection-age.js';

export default defineRule({
  id: 'grpc-client-stale-endpoints',
  meta: {
    type: 'problem',
    category: 'balancing',
    description: 'Disallow DNS round_robin clients whose endpoint list only refreshes when a connection breaks',
    remediation: 'Set MaxConnectionAge on the server, poll DNS (.NET refreshInterval), or use a watching resolver such as kuberesolver (Go).',
    severity: 'warning',
    hasSuggestions: true,
    messages: {
      stale:
        "{{api}} balances over headless Service '{{service}}' by DNS, but no server behind it sets a max connection age and the client never re-resolves on its own: pods added by a scale-up get no traffic until a connection breaks.",
      addServerAge: "Set MaxConnectionAge on the server in {{file}} ({{age}}s, {{grace}}s grace)",
      useKuberesolver: "Dial '{{target}}' through kuberesolver, which watches the Service's endpoints",
    },
  },
  check({ model, options, report, each }) {
    each(model.dials.links, (link) => {
      const { service, site } = link;
      if (!service?.headless || !link.target || site.lbUnknown || site.refreshInterval) return;
      if (effectiveScheme(link) !== 'dns' || effectivePolicy(link) === 'pick_first') return;
      if (model.dials.meshOfClient(link) || model.meshOfService(service)) return;
      const servers = model.dials.serversBehind(service);
      // Without the server's code we cannot tell; a server that ends connections makes clients re-resolve.
      if (servers.length === 0 || servers.some((s) => s.site.maxConnectionAge || s.site.ageUnknown)) return;
      const suggest: FixDescriptor[] = [];
      for (const server of servers) {
        const edits = maxConnectionAgeEdits(server, options.drainSeconds);
        if (edits?.length) suggest.push({ messageId: 'addServerAge', data: { file: server.file, age: MAX_CONNECTION_AGE_SECONDS, grace: options.drainSeconds }, edits });
      }
      if (site.language === 'go' && link.port) {
        const ns = service.namespace ?? link.namespace;
        const target = `kubernetes:///${service.name}${ns ? `.${ns}` : ''}:${link.port.name ?? podPortNumber(model, link.port)}`;
        const rewrite = rewriteTarget(model, link, target);
        if (rewrite) suggest.push({ messageId: 'useKuberesolver', data: { target }, edits: rewrite });
      }
      report({
        messageId: 'stale',
        data: { api: site.api, service: describeService(service) },
        at: codeSpan(link.file, site.targetAt),
        related: [...envRelated(model, link), ...servers.map((s) => ({ at: codeSpan(s.file, s.site.call), message: 'server without a max connection age' }))],
        suggest,
      });
    });
  },
});
