import rule from '../../rules/grpc-removed-balancer-api.js';
import { runRuleTests } from '../helpers/rule-tester.js';
import { spanOf } from './grpc-k8s.js';

const withName = 'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() {\n\tgrpc.Dial("dns:///orders:50051", grpc.WithInsecure(), grpc.WithBalancerName("round_robin"))\n}\n';
const withBalancer = 'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() {\n\tgrpc.Dial("orders", grpc.WithBalancer(grpc.RoundRobin(r)))\n}\n';
const constant = 'package main\n\nimport "google.golang.org/grpc"\n\nconst policy = "pick_first"\n\nvar opt = grpc.WithBalancerName(policy)\n';

runRuleTests(rule, {
  valid: [
    { name: 'service config', files: { 'main.go': withName.replace('grpc.WithBalancerName("round_robin")', 'grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`)') } },
    { name: 'a method of another package with the same name', files: { 'main.go': 'package main\n\n// grpc\nfunc main() { lb.WithBalancerName("x") }\n' } },
    { name: 'not Go', files: { 'client.py': 'import grpc\ngrpc.WithBalancerName("round_robin")\n' } },
  ],
  invalid: [
    {
      name: 'WithBalancerName: rewritten to a service config',
      files: { 'main.go': withName },
      errors: [{ messageId: 'removed', ...spanOf(withName, 'grpc.WithBalancerName("round_robin")') }],
      output: { 'main.go': withName.replace('grpc.WithBalancerName("round_robin")', 'grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`)') },
    },
    {
      name: 'WithBalancerName with a constant policy',
      files: { 'main.go': constant },
      errors: [{ messageId: 'removed', ...spanOf(constant, 'grpc.WithBalancerName(policy)') }],
      output: { 'main.go': constant.replace('grpc.WithBalancerName(policy)', 'grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"pick_first":{}}]}`)') },
    },
    {
      name: 'WithBalancer(grpc.RoundRobin(r)): one report, the rewrite is only a suggestion',
      files: { 'main.go': withBalancer },
      errors: [
        {
          messageId: 'removed',
          ...spanOf(withBalancer, 'grpc.WithBalancer(grpc.RoundRobin(r))'),
          suggestions: [
            { messageId: 'useServiceConfig', output: { 'main.go': withBalancer.replace('grpc.WithBalancer(grpc.RoundRobin(r))', 'grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`)') } },
          ],
        },
      ],
      output: null,
    },
  ],
});
