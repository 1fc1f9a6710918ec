// A service config is JSON read at run time: a typo, an unknown policy name or the deprecated
// `loadBalancingPolicy` string fail silently or fall back to pick_first. grpc-js does not support the
// `grpc.lb_policy_name` channel option at all (absent from its options list and source): it is ignored.
import { codeEditBuilder, defineRule, type FixDescriptor, readServiceConfig, serviceConfigSelecting, type ServiceConfigLiteral } from '../src/core/rule-api.js';
import { codeEdits, codeSpan } from './lib/grpc.js';

export default defineRule({
  id: 'grpc-service-config',
  meta: {
    type: 'problem',
    category: 'balancing',
    description: 'Require gRPC service configs and balancing options that the client actually applies',
    remediation: 'Write valid JSON with "loadBalancingConfig":[{"round_robin":{}}]; in grpc-js use grpc.service_config, not grpc.lb_policy_name.',
    severity: 'error',
    fixable: true,
    messages: {
      invalidJson: 'The service config passed to {{option}} is not valid JSON ({{error}}): the channel rejects it and keeps pick_first.',
      unknownPolicy: "The service config names the unknown balancing policy '{{policy}}': no gRPC client ships it, so the channel falls back.",
      legacyPolicy: "The service config uses the deprecated \"loadBalancingPolicy\": \"{{policy}}\"; write \"loadBalancingConfig\": [{\"{{policy}}\": {}}].",
      legacyIgnored: "grpc-js ignores the deprecated \"loadBalancingPolicy\": \"{{policy}}\" (it reads only loadBalancingConfig): this channel still uses pick_first.",
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
        if (reading.error?.kind === 'json') report({ messageId: 'invalidJson', data: { option: config.option, error: reading.error.message }, at });
        else if (reading.error?.kind === 'unknownPolicy') report({ messageId: 'unknownPolicy', data: { policy: reading.error.policy }, at });
        else if (reading.error?.kind === 'legacy') {
          report({ messageId: site.language === 'js' ? 'legacyIgnored' : 'legacyPolicy', data: { policy: reading.error.policy }, at, fix: legacyFix(file, text, config, reading.error.policy, site.language) });
        }
      }
      const option = site.lbPolicyNameOption;
      if (site.language === 'js' && option) {
        const policy = option.value ?? 'round_robin';
        const fix: FixDescriptor | undefined =
          site.serviceConfigs.length === 0 && option.value && /^[a-z_]+$/.test(option.value)
            ? { messageId: 'useServiceConfig', data: { policy }, edits: codeEdits(file, codeEditBuilder('js').replaceWithChannelSetting(option.pair, { kind: 'lbPolicy', policy }) ?? []) }
            : undefined;
        report({ messageId: 'lbPolicyNameIgnored', at: codeSpan(file, option.at), fix });
      }
    });
  },
});

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
