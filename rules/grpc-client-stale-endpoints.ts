// DNS + round_robin over a headless Service balances over the pods that existed at the last lookup. gRPC's DNS
// resolvers re-resolve only when a connection breaks (never on a timer; grpc-go waits at least 30 s), so
// pods added by a scale-up stay idle until the server ends connections (MaxConnectionAge) or the client
// polls (.NET's DnsResolverFactory refreshInterval).
import { defineRule, type FixDescriptor } from '../src/core/rule-api.js';
import path from 'node:path';
import { codeSpan, describeService, effectivePolicy, effectiveScheme, envRelated, podPortNumber } from './lib/grpc.js';
import { kuberesolverSwitch } from './lib/kuberesolver.js';
import { MAX_CONNECTION_AGE_SECONDS, maxConnectionAgeChoice, maxConnectionAgeEdits } from './grpc-server-max-connection-age.js';

export default defineRule({
  id: 'grpc-client-stale-endpoints',
  meta: {
    type: 'problem',
    category: 'balancing',
    description: 'Disallow DNS round_robin clients whose endpoint list only refreshes when a connection breaks',
    remediation:
      'Set MaxConnectionAge on the server, poll DNS (.NET refreshInterval), or use a watching resolver such as kuberesolver (Go).',
    severity: 'warning',
    hasSuggestions: true,
    messages: {
      stale:
        "{{api}} balances over headless Service '{{service}}' but misses new pods while connections last. It re-resolves DNS only when a connection ends, and no server behind it sets a max connection age, so pods added by a scale-up get no traffic until then.",
      addServerAge: 'Set MaxConnectionAge on the server in {{file}} ({{age}}s, {{grace}}){{streams}}',
      useKuberesolver: "Dial '{{target}}' through kuberesolver, which watches the Service's endpoints (adds RegisterInCluster and a Role)",
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
        const age = maxConnectionAgeChoice(model, server, options.drainSeconds);
        const edits = maxConnectionAgeEdits(server, age.graceSeconds);
        const file = path.posix.relative(path.posix.dirname(link.file), server.file) || path.posix.basename(server.file);
        if (edits?.length)
          suggest.push({
            messageId: 'addServerAge',
            data: { file, age: MAX_CONNECTION_AGE_SECONDS, grace: age.graceText, streams: age.note },
            edits,
          });
      }
      if (site.language === 'go' && link.port) {
        const ns = service.namespace ?? link.namespace;
        const target = `kubernetes:///${service.name}${ns ? `.${ns}` : ''}:${link.port.name ?? podPortNumber(model, link.port)}`;
        const edits = kuberesolverSwitch(model, link, target, []);
        if (edits) suggest.push({ messageId: 'useKuberesolver', data: { target }, edits });
      }
      report({
        messageId: 'stale',
        data: { api: site.api, service: describeService(service) },
        at: codeSpan(link.file, site.targetAt),
        related: [
          ...envRelated(model, link),
          ...servers.map((s) => ({ at: codeSpan(s.file, s.site.call), message: 'server without a max connection age' })),
        ],
        suggest,
      });
    });
  },
});
