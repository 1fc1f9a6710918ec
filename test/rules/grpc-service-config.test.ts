import rule from '../../rules/grpc-service-config.js';
import { runRuleTests } from '../helpers/rule-tester.js';
import { spanOf } from './grpc-k8s.js';

const go = (config: string) =>
  `package main\n\nimport "google.golang.org/grpc"\n\nfunc main() { grpc.NewClient("orders:50051", grpc.WithDefaultServiceConfig(${config})) }\n`;
const py = (value: string) =>
  `import grpc\n\nchannel = grpc.insecure_channel("orders:50051", options=[("grpc.service_config", ${value})])\n`;
const js = (options: string) =>
  `import * as grpc from '@grpc/grpc-js';\n\nconst c = new OrdersClient('orders:50051', grpc.credentials.createInsecure(), { ${options} });\n`;

const goBad = go('`{"loadBalancingConfig":[{"round_robin":{}}]`');
const goLegacy = go('`{"loadBalancingPolicy":"round_robin"}`');
const pyUnknown = py(`'{"loadBalancingConfig":[{"roundrobin":{}}]}'`);
const pyDumps = py('json.dumps({"loadBalancingPolicy": "round_robin"})');
const jsName = js(`'grpc.lb_policy_name': 'round_robin'`);
const jsLegacy = js(`'grpc.service_config': '{"loadBalancingPolicy":"round_robin"}'`);

runRuleTests(rule, {
  valid: [
    { name: 'go: valid round_robin config', files: { 'main.go': go('`{"loadBalancingConfig":[{"round_robin":{}}]}`') } },
    { name: 'go: config from a variable is not read', files: { 'main.go': go('cfg') } },
    {
      name: 'python: lb_policy_name is supported by grpcio',
      files: {
        'client.py': `import grpc\n\nchannel = grpc.insecure_channel("orders:50051", options=[("grpc.lb_policy_name", "round_robin")])\n`,
      },
    },
    {
      name: 'python: json.dumps of a valid config',
      files: { 'client.py': py('json.dumps({"loadBalancingConfig": [{"round_robin": {}}]})') },
    },
    {
      name: 'js: grpc.service_config with loadBalancingConfig',
      files: { 'client.ts': js(`'grpc.service_config': '{"loadBalancingConfig":[{"round_robin":{}}]}'`) },
    },
    {
      name: 'js: an unknown first policy followed by a known one',
      files: { 'client.ts': js(`'grpc.service_config': '{"loadBalancingConfig":[{"custom_lb":{}},{"round_robin":{}}]}'`) },
    },
  ],
  invalid: [
    {
      name: 'js: unknown policy: grpc-js falls back to pick_first silently (measured: runtime-grpc-service-config.md), a warning',
      files: { 'client.ts': js(`'grpc.service_config': '{"loadBalancingConfig":[{"round_robbin":{}}]}'`) },
      errors: [
        {
          messageId: 'unknownPolicy',
          ...spanOf(
            js(`'grpc.service_config': '{"loadBalancingConfig":[{"round_robbin":{}}]}'`),
            `'{"loadBalancingConfig":[{"round_robbin":{}}]}'`,
          ),
          severity: 'warning',
          message:
            "The service config names the unknown balancing policy 'round_robbin'. grpc-js skips it silently and falls back to pick_first: every call goes to one backend (measured).",
        },
      ],
    },
    {
      name: 'js: invalid JSON: the grpc-js constructor throws (measured)',
      files: { 'client.ts': js(`'grpc.service_config': '{"loadBalancingConfig":[{"round_robin":{}}'`) },
      errors: [
        {
          messageId: 'invalidJson',
          ...spanOf(
            js(`'grpc.service_config': '{"loadBalancingConfig":[{"round_robin":{}}'`),
            `'{"loadBalancingConfig":[{"round_robin":{}}'`,
          ),
          severity: 'error',
        },
      ],
    },
    {
      name: 'go: unknown policy: NewClient returns an error (grpc-go service_config.go; not measured here)',
      files: { 'main.go': go('`{"loadBalancingConfig":[{"round_robbin":{}}]}`') },
      errors: [
        {
          messageId: 'unknownPolicy',
          ...spanOf(go('`{"loadBalancingConfig":[{"round_robbin":{}}]}`'), '`{"loadBalancingConfig":[{"round_robbin":{}}]}`'),
          severity: 'error',
        },
      ],
    },
    {
      name: 'go: invalid JSON',
      files: { 'main.go': goBad },
      errors: [
        {
          messageId: 'invalidJson',
          ...spanOf(goBad, '`{"loadBalancingConfig":[{"round_robin":{}}]`'),
          severity: 'error',
          message:
            "The service config passed to WithDefaultServiceConfig is not valid JSON. grpc.NewClient returns an error ('the provided default service config is invalid'): the client never connects. JSON.parse says: Expected ',' or '}' after property value in JSON at position 43.",
        },
      ],
      output: null,
    },
    {
      name: 'go: legacy loadBalancingPolicy is rewritten',
      files: { 'main.go': goLegacy },
      errors: [{ messageId: 'legacyPolicy', ...spanOf(goLegacy, '`{"loadBalancingPolicy":"round_robin"}`') }],
      output: { 'main.go': go('`{"loadBalancingConfig":[{"round_robin":{}}]}`') },
    },
    {
      name: 'python: unknown policy name',
      files: { 'client.py': pyUnknown },
      errors: [
        {
          messageId: 'unknownPolicy',
          ...spanOf(pyUnknown, `'{"loadBalancingConfig":[{"roundrobin":{}}]}'`),
          severity: 'error',
          message:
            "The service config names the unknown balancing policy 'roundrobin'. C-core rejects the whole config: every RPC fails with INVALID_ARGUMENT (measured with grpcio).",
        },
      ],
    },
    {
      name: 'python: json.dumps with the legacy field (no literal to rewrite)',
      files: { 'client.py': pyDumps },
      errors: [{ messageId: 'legacyPolicy', ...spanOf(pyDumps, 'json.dumps({"loadBalancingPolicy": "round_robin"})') }],
      output: null,
    },
    {
      name: 'js: grpc.lb_policy_name is ignored by grpc-js; the fix writes a service config',
      files: { 'client.ts': jsName },
      errors: [{ messageId: 'lbPolicyNameIgnored', ...spanOf(jsName, `'grpc.lb_policy_name'`) }],
      output: { 'client.ts': js(`'grpc.service_config': '{"loadBalancingConfig":[{"round_robin":{}}]}'`) },
    },
    {
      name: 'js: grpc-js never reads loadBalancingPolicy',
      files: { 'client.ts': jsLegacy },
      errors: [{ messageId: 'legacyIgnored', ...spanOf(jsLegacy, `'{"loadBalancingPolicy":"round_robin"}'`) }],
      output: { 'client.ts': js(`'grpc.service_config': '{"loadBalancingConfig":[{"round_robin":{}}]}'`) },
    },
  ],
});
