import rule from '../../rules/grpc-client-stale-endpoints.js';
import { runRuleTests, type InvalidCase } from '../helpers/rule-tester.js';
import { app, client, LANGS, quoted, spanOf } from './grpc-k8s.js';

const headless = app({ name: 'orders', headless: true, portName: 'grpc' });
const server = 'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() { grpc.NewServer() }\n';
const agedServer = server.replace(
  'grpc.NewServer()',
  'grpc.NewServer(grpc.KeepaliveParams(keepalive.ServerParameters{MaxConnectionAge: time.Minute}))',
);
const target = 'dns:///orders:50051';

const perLanguage: InvalidCase[] = LANGS.map((lang) => {
  const c = client(lang, target, { rr: true });
  return {
    name: `${lang}: DNS round_robin to a headless Service whose server never ends connections`,
    files: { [c.file]: c.text, 'k8s/orders.yaml': headless, 'orders/main.go': server },
    errors: [{ messageId: 'stale', ...spanOf(c.text, quoted(lang, target)), related: ['orders/main.go:5:15'] }],
  };
});

const go = client('go', target, { rr: true });

runRuleTests(rule, {
  valid: [
    { name: 'server sets MaxConnectionAge', files: { [go.file]: go.text, 'k8s/orders.yaml': headless, 'orders/main.go': agedServer } },
    { name: 'server code not in the workspace', files: { [go.file]: go.text, 'k8s/orders.yaml': headless } },
    {
      name: 'pick_first client (grpc-client-load-balancing reports it)',
      files: { 'frontend/main.go': client('go', target).text, 'k8s/orders.yaml': headless, 'orders/main.go': server },
    },
    {
      name: 'csharp: DnsResolverFactory polls with a refreshInterval',
      files: {
        'frontend/Client.cs': `${client('csharp', target, { rr: true }).text}services.AddSingleton<ResolverFactory>(new DnsResolverFactory(refreshInterval: TimeSpan.FromSeconds(30)));\n`,
        'k8s/orders.yaml': headless,
        'orders/main.go': server,
      },
    },
    {
      name: 'kuberesolver watches endpoints',
      files: {
        'frontend/main.go': client('go', 'kubernetes:///orders:grpc', { rr: true }).text,
        'k8s/orders.yaml': headless,
        'orders/main.go': server,
      },
    },
    {
      name: 'meshed server',
      files: {
        [go.file]: go.text,
        'k8s/orders.yaml': app({ name: 'orders', headless: true, podAnnotations: { 'linkerd.io/inject': 'enabled' } }),
        'orders/main.go': server,
      },
    },
  ],
  invalid: [
    ...perLanguage,
    {
      name: 'go: the suggestion sets the server age (no .proto: the title says what the grace cuts)',
      files: { [go.file]: go.text, 'k8s/orders.yaml': headless, 'orders/main.go': server },
      errors: [
        {
          messageId: 'stale',
          ...spanOf(go.text, `"${target}"`),
          suggestions: [
            {
              messageId: 'addServerAge',
              output: {
                'orders/main.go':
                  'package main\n\nimport "google.golang.org/grpc"\n\nimport (\n\t"google.golang.org/grpc/keepalive"\n\t"time"\n)\n\nfunc main() { grpc.NewServer(grpc.KeepaliveParams(keepalive.ServerParameters{MaxConnectionAge: 5 * time.Minute, MaxConnectionAgeGrace: 10 * time.Second})) }\n',
              },
            },
            // No kuberesolver suggestion: no workload in the repository runs this client, so there is no
            // ServiceAccount to grant the EndpointSlice RBAC to (test/rules/kuberesolver-suggestion.test.ts).
          ],
        },
      ],
    },
  ],
});
