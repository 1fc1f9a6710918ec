import rule from '../../rules/grpc-removed-balancer-api.js';
import { runRuleTests } from '../helpers/rule-tester.js';
import { spanOf } from './grpc-k8s.js';

const withName =
  'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() {\n\tgrpc.Dial("dns:///orders:50051", grpc.WithInsecure(), grpc.WithBalancerName("round_robin"))\n}\n';
const withBalancer =
  'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() {\n\tgrpc.Dial("orders", grpc.WithBalancer(grpc.RoundRobin(r)))\n}\n';
const constant =
  'package main\n\nimport "google.golang.org/grpc"\n\nconst policy = "pick_first"\n\nvar opt = grpc.WithBalancerName(policy)\n';

runRuleTests(rule, {
  valid: [
    {
      name: 'service config',
      files: {
        'main.go': withName.replace(
          'grpc.WithBalancerName("round_robin")',
          'grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`)',
        ),
      },
    },
    {
      name: 'a method of another package with the same name',
      files: { 'main.go': 'package main\n\n// grpc\nfunc main() { lb.WithBalancerName("x") }\n' },
    },
    { name: 'not Go', files: { 'client.py': 'import grpc\ngrpc.WithBalancerName("round_robin")\n' } },
  ],
  invalid: [
    {
      name: 'WithBalancerName, no go.mod: removed in v1.46.0, a warning; rewritten to a service config',
      files: { 'main.go': withName },
      errors: [
        {
          messageId: 'unknownVersion',
          ...spanOf(withName, 'grpc.WithBalancerName("round_robin")'),
          severity: 'warning',
          message:
            'grpc.WithBalancerName does not compile with grpc-go v1.46.0 or newer (PR #5232 removed it). Choose the policy with a service config.',
        },
      ],
      output: {
        'main.go': withName.replace(
          'grpc.WithBalancerName("round_robin")',
          'grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`)',
        ),
      },
    },
    {
      name: 'WithBalancerName against grpc-go v1.62.0 from go.mod: does not compile (facts A20)',
      files: {
        'main.go': constant,
        'go.mod':
          'module example.com/app\n\ngo 1.22\n\nrequire (\n\tgoogle.golang.org/grpc v1.62.0\n\tgoogle.golang.org/protobuf v1.33.0\n)\n',
      },
      errors: [
        {
          messageId: 'removed',
          ...spanOf(constant, 'grpc.WithBalancerName(policy)'),
          severity: 'warning',
          message:
            'grpc.WithBalancerName does not exist in grpc-go v1.62.0 (go.mod), so this does not compile. It was removed in v1.46.0 (PR #5232); choose the policy with a service config.',
        },
      ],
      output: {
        'main.go': constant.replace(
          'grpc.WithBalancerName(policy)',
          'grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"pick_first":{}}]}`)',
        ),
      },
    },
    {
      name: 'WithBalancer(grpc.RoundRobin(r)): one report, the rewrite is only a suggestion',
      files: { 'main.go': withBalancer },
      errors: [
        {
          messageId: 'unknownVersion',
          ...spanOf(withBalancer, 'grpc.WithBalancer(grpc.RoundRobin(r))'),
          suggestions: [
            {
              messageId: 'useServiceConfig',
              output: {
                'main.go': withBalancer.replace(
                  'grpc.WithBalancer(grpc.RoundRobin(r))',
                  'grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`)',
                ),
              },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'WithBalancerName against grpc-go v1.40.0 from go.mod: still works, deprecated (an info)',
      files: { 'svc/main.go': withName, 'go.mod': 'module example.com/app\n\nrequire google.golang.org/grpc v1.40.0\n' },
      errors: [{ messageId: 'deprecated', ...spanOf(withName, 'grpc.WithBalancerName("round_robin")'), severity: 'info' }],
      output: {
        'svc/main.go': withName.replace(
          'grpc.WithBalancerName("round_robin")',
          'grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`)',
        ),
      },
    },
  ],
});
