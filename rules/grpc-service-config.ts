// A service config is JSON read at run time, and each gRPC implementation treats a bad one its own way
// (facts A1/A2; grpc-js and C-core measured in docs/evidence/runtime-grpc-service-config.md, grpc-go from
// clientconn.go / service_config.go): invalid JSON is loud everywhere (grpc-go NewClient returns an error, the
// grpc-js constructor throws, C-core fails every RPC with INVALID_ARGUMENT); an unknown policy name falls back
// silently only in grpc-js (pick_first: one backend) and fails loudly in grpc-go and C-core. grpc-js ignores the
// deprecated `loadBalancingPolicy` field and the `grpc.lb_policy_name` option; grpc-go and C-core honour both.
import {
  codeEditBuilder,
  defineRule,
  type FixDescriptor,
  readServiceConfig,
  serviceConfigSelecting,
  type ServiceConfigLiteral,
} from '../src/core/rule-api.js';
import { codeEdits, codeSpan } from './lib/grpc.js';

export default defineRule({
  id: 'grpc-service-config',
  meta: {
    type: 'problem',
    category: 'balancing',
    description: 'Require gRPC service configs and balancing options that the client actually applies',
    remediation:
      'Write valid JSON with "loadBalancingConfig":[{"round_robin":{}}]; in grpc-js use grpc.service_config, not grpc.lb_policy_name.',
    severity: 'error',
    fixable: true,
    messages: {
      invalidJson: 'The service config passed to {{option}} is not valid JSON. {{effect}} JSON.parse says: {{error}}.',
      unknownPolicy: "The service config names the unknown balancing policy '{{policy}}'. {{effect}}",
      legacyPolicy:
        'The service config uses the deprecated "loadBalancingPolicy": "{{policy}}". {{client}} still honours it, grpc-js does not; write "loadBalancingConfig": [{"{{policy}}": {}}].',
      legacyIgnored:
        'grpc-js ignores the deprecated "loadBalancingPolicy": "{{policy}}" (it reads only loadBalancingConfig): this channel still uses pick_first.',
      lbPolicyNameIgnored: "grpc-js ignores 'grpc.lb_policy_name' (not a supported channel option): this channel still uses pick_first.",
      useLoadBalancingConfig: 'Rewrite as loadBalancingConfig',
      useServiceConfig: "Replace with 'grpc.service_config' selecting {{policy}}",
    },
  },
  check({ model, report, each }) {
    each(model.dials.dials, (dial) => {
      const { file, site } = dial;
      const text = model.textOf(file);
      for (const config of site.serviceConfigs) {
        const reading = readServiceConfig(config.json);
        const at = codeSpan(file, config.at);
        if (reading.error?.kind === 'json') {
          report({
            messageId: 'invalidJson',
            data: { option: config.option, error: reading.error.message, effect: INVALID_JSON[site.language] ?? INVALID_JSON.python },
            at,
          });
        } else if (reading.error?.kind === 'unknownPolicy') {
          // Only grpc-js keeps working (on pick_first): a warning there, an error where every call fails.
          report({
            messageId: 'unknownPolicy',
            data: { policy: reading.error.policy, effect: UNKNOWN_POLICY[site.language] ?? UNKNOWN_POLICY.python },
            severity: site.language === 'js' ? 'warning' : 'error',
            at,
          });
        } else if (reading.error?.kind === 'legacy') {
          const js = site.language === 'js';
          report({
            messageId: js ? 'legacyIgnored' : 'legacyPolicy',
            data: { policy: reading.error.policy, client: site.language === 'go' ? 'grpc-go' : 'C-core (grpcio)' },
            severity: js ? 'error' : 'warning',
            at,
            fix: legacyFix(file, text, config, reading.error.policy, site.language),
          });
        }
      }
      const option = site.lbPolicyNameOption;
      if (site.language === 'js' && option) {
        const policy = option.value ?? 'round_robin';
        const fix: FixDescriptor | undefined =
          site.serviceConfigs.length === 0 && option.value && /^[a-z_]+$/.test(option.value)
            ? {
                messageId: 'useServiceConfig',
                data: { policy },
                edits: codeEdits(file, codeEditBuilder('js').replaceWithChannelSetting(option.pair, { kind: 'lbPolicy', policy }) ?? []),
              }
            : undefined;
        report({ messageId: 'lbPolicyNameIgnored', at: codeSpan(file, option.at), fix });
      }
    });
  },
});

/** What an invalid JSON service config does, per language (facts A1). */
const INVALID_JSON: Record<string, string> = {
  go: "grpc.NewClient returns an error ('the provided default service config is invalid'): the client never connects.",
  js: 'The grpc-js client constructor throws (JSON.parse, measured): the client is never created.',
  python: 'C-core makes a lame channel: every RPC fails with INVALID_ARGUMENT (measured with grpcio).',
};

/** What a config whose loadBalancingConfig names no known policy does, per language (facts A2). */
const UNKNOWN_POLICY: Record<string, string> = {
  go: 'grpc.NewClient returns an error (no supported policy in loadBalancingConfig): the client never connects.',
  js: 'grpc-js skips it silently and falls back to pick_first: every call goes to one backend (measured).',
  python: 'C-core rejects the whole config: every RPC fails with INVALID_ARGUMENT (measured with grpcio).',
};

/** Replace a config that only says `loadBalancingPolicy` with the list form, keeping the literal's quoting. */
function legacyFix(file: string, text: string, config: ServiceConfigLiteral, policy: string, language: string): FixDescriptor | undefined {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(config.json) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (Object.keys(parsed).length !== 1 || !/^[a-z_]+$/.test(policy)) return undefined;
  const quote = text[config.at[0]];
  if (quote !== '`' && quote !== "'" && quote !== '"') return undefined;
  const json = serviceConfigSelecting(policy);
  const literal = quote === '`' ? `\`${json}\`` : quote === "'" ? `'${json}'` : language === 'go' ? `\`${json}\`` : `'${json}'`;
  return { messageId: 'useLoadBalancingConfig', edits: [{ file, start: config.at[0], end: config.at[1], text: literal }] };
}
