// grpc-go removed its first balancer API: `grpc.WithBalancer` / `grpc.RoundRobin` (PR #3431) and later
// `grpc.WithBalancerName` (PR #5232, ~v1.46). Code that still uses them does not build against current
// grpc-go; the policy is now chosen with a service config.
import { codeEditBuilder, defineRule, type RemovedApi, type ReportDescriptor } from '../src/core/rule-api.js';
import { codeEdits, codeSpan } from './lib/grpc.js';

export default defineRule({
  id: 'grpc-removed-balancer-api',
  meta: {
    type: 'problem',
    category: 'balancing',
    description: 'Disallow the balancer APIs removed from grpc-go (WithBalancerName, WithBalancer, RoundRobin)',
    remediation: 'Choose the policy with grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`).',
    severity: 'error',
    fixable: true,
    hasSuggestions: true,
    messages: {
      removed: 'grpc.{{api}} was removed from grpc-go ({{when}}); choose the balancing policy with a service config.',
      useServiceConfig: 'Replace with grpc.WithDefaultServiceConfig selecting {{policy}}',
    },
  },
  check({ model, report, each }) {
    each(model.files.values(), (facts) => {
      const apis = facts.grpc?.removedApis ?? [];
      for (const api of apis) {
        // grpc.RoundRobin inside grpc.WithBalancer(...) is reported with its caller.
        if (api.api === 'RoundRobin' && apis.some((o) => o.api === 'WithBalancer' && o.at[0] <= api.at[0] && api.at[1] <= o.at[1])) continue;
        const descriptor: ReportDescriptor = {
          messageId: 'removed',
          data: { api: api.api, when: api.api === 'WithBalancerName' ? 'v1.46, PR #5232' : 'PR #3431' },
          at: codeSpan(facts.file, api.at),
        };
        const rewrite = rewriteOf(api);
        const edits = rewrite && codeEditBuilder('go').replaceWithChannelSetting(api.at, { kind: 'lbPolicy', policy: rewrite.policy });
        if (rewrite && edits) {
          const fix = { messageId: 'useServiceConfig', data: { policy: rewrite.policy }, edits: codeEdits(facts.file, edits) };
          if (rewrite.safe) descriptor.fix = fix;
          else descriptor.suggest = [fix];
        }
        report(descriptor);
      }
    });
  },
});

/** The service-config policy that replaces a removed API, and whether the swap keeps behaviour (else: a suggestion). */
function rewriteOf(api: RemovedApi): { policy: string; safe: boolean } | undefined {
  if (api.api === 'WithBalancerName') return api.policy && /^[a-z_]+$/.test(api.policy) ? { policy: api.policy, safe: true } : undefined;
  // grpc.WithBalancer(grpc.RoundRobin(r)) carried its own naming.Resolver: the rewrite drops it, so it is only suggested.
  if (api.api === 'WithBalancer') return { policy: 'round_robin', safe: false };
  return undefined;
}
