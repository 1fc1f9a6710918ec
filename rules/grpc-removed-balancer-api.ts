// grpc-go removed its first balancer API: `grpc.WithBalancer` / `grpc.RoundRobin` in v1.30.0 (PR #3431, 2020-04)
// and `grpc.WithBalancerName` in v1.46.0 (PR #5232). Code that still uses them does not compile against newer
// grpc-go (loud, so a warning); against the version go.mod pins below that it works but is deprecated (info).
// The policy is now chosen with a service config.
import path from 'node:path';
import { type AnalysisModel, codeEditBuilder, defineRule, type RemovedApi, type ReportDescriptor } from '../src/core/rule-api.js';
import { codeEdits, codeSpan } from './lib/grpc.js';

const REMOVED_IN: Record<RemovedApi['api'], { version: string; minor: number; pr: string }> = {
  WithBalancer: { version: 'v1.30.0', minor: 30, pr: 'PR #3431' },
  RoundRobin: { version: 'v1.30.0', minor: 30, pr: 'PR #3431' },
  WithBalancerName: { version: 'v1.46.0', minor: 46, pr: 'PR #5232' },
};

export default defineRule({
  id: 'grpc-removed-balancer-api',
  meta: {
    type: 'problem',
    category: 'balancing',
    description: 'Disallow the balancer APIs removed from grpc-go (WithBalancerName, WithBalancer, RoundRobin)',
    remediation: 'Choose the policy with grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`).',
    severity: 'warning',
    fixable: true,
    hasSuggestions: true,
    messages: {
      removed:
        'grpc.{{api}} does not exist in grpc-go {{version}} (go.mod), so this does not compile. It was removed in {{removedIn}} ({{pr}}); choose the policy with a service config.',
      deprecated:
        'grpc.{{api}} is deprecated and gone from grpc-go {{removedIn}} ({{pr}}). It still works with {{version}} (go.mod), but upgrading breaks the build; choose the policy with a service config.',
      unknownVersion:
        'grpc.{{api}} does not compile with grpc-go {{removedIn}} or newer ({{pr}} removed it). Choose the policy with a service config.',
      useServiceConfig: 'Replace with grpc.WithDefaultServiceConfig selecting {{policy}}',
    },
  },
  check({ model, report, each }) {
    each(model.files.values(), (facts) => {
      const apis = facts.grpc?.removedApis ?? [];
      if (apis.length === 0) return;
      const version = grpcGoVersion(model, facts.file);
      for (const api of apis) {
        // grpc.RoundRobin inside grpc.WithBalancer(...) is reported with its caller.
        if (api.api === 'RoundRobin' && apis.some((o) => o.api === 'WithBalancer' && o.at[0] <= api.at[0] && api.at[1] <= o.at[1]))
          continue;
        const removed = REMOVED_IN[api.api];
        const minor = version ? /^v1\.(\d+)\./.exec(version)?.[1] : undefined;
        const state = minor === undefined ? 'unknownVersion' : Number(minor) >= removed.minor ? 'removed' : 'deprecated';
        const descriptor: ReportDescriptor = {
          messageId: state,
          data: { api: api.api, version: version ?? '', removedIn: removed.version, pr: removed.pr },
          severity: state === 'deprecated' ? 'info' : 'warning',
          at: codeSpan(facts.file, api.at),
        };
        const rewrite = rewriteOf(api);
        const edits = rewrite && codeEditBuilder('go').replaceWithChannelSetting(api.at, { kind: 'lbPolicy', policy: rewrite.policy });
        if (rewrite && edits) {
          const fix = { messageId: 'useServiceConfig', data: { policy: rewrite.policy }, edits: codeEdits(facts.file, edits) };
          // Before v1.30 go.mod may predate WithDefaultServiceConfig's stable form: only suggest there.
          if (rewrite.safe && !(minor !== undefined && Number(minor) < 30)) descriptor.fix = fix;
          else descriptor.suggest = [fix];
        }
        report(descriptor);
      }
    });
  },
});

/** The google.golang.org/grpc version the nearest go.mod above the file requires. */
function grpcGoVersion(model: AnalysisModel, file: string): string | undefined {
  for (let dir = path.posix.dirname(file); ; dir = path.posix.dirname(dir)) {
    const mod = model.files.get(dir === '.' ? 'go.mod' : `${dir}/go.mod`)?.goMod;
    if (mod) return mod.requires['google.golang.org/grpc']?.version;
    if (dir === '.' || dir === '/' || dir === '') return undefined;
  }
}

/** The service-config policy that replaces a removed API, and whether the swap keeps behaviour (else: a suggestion). */
function rewriteOf(api: RemovedApi): { policy: string; safe: boolean } | undefined {
  if (api.api === 'WithBalancerName') return api.policy && /^[a-z_]+$/.test(api.policy) ? { policy: api.policy, safe: true } : undefined;
  // grpc.WithBalancer(grpc.RoundRobin(r)) carried its own naming.Resolver: the rewrite drops it, so it is only suggested.
  if (api.api === 'WithBalancer') return { policy: 'round_robin', safe: false };
  return undefined;
}
