// grpc-clusterip-imbalance with client evidence: a ClusterIP Service dialed by gRPC code is flagged even when
// nothing in the manifests says gRPC (port named tcp), and the dial sites are related locations.
import rule from '../../rules/grpc-clusterip-imbalance.js';
import { runRuleTests } from '../helpers/rule-tester.js';
import { app, client, LANGS } from './grpc-k8s.js';

const tcp = app({ name: 'orders' });

runRuleTests(rule, {
  valid: [
    { name: 'no client dials it', files: { 'k8s/orders.yaml': tcp } },
    {
      name: 'the only client is meshed',
      files: {
        'k8s/orders.yaml': tcp,
        'k8s/frontend.yaml': app({ name: 'frontend', port: 80, podAnnotations: { 'linkerd.io/inject': 'enabled' } }),
        'frontend/main.go': client('go', 'orders:50051').text,
      },
    },
    {
      name: 'clients dial an external host',
      files: { 'k8s/orders.yaml': tcp, 'frontend/main.go': client('go', 'orders.example.com:50051').text },
    },
  ],
  invalid: LANGS.map((lang) => {
    const c = client(lang, lang === 'csharp' ? 'http://orders:50051' : 'orders:50051');
    const line = c.text.split('\n').findIndex((l) => l.includes('orders:50051')) + 1;
    const column = c.text.split('\n')[line - 1]!.indexOf(lang === 'js' ? "'" : '"') + 1;
    return {
      name: `${lang}: port named tcp, dialed by a gRPC client`,
      files: { 'k8s/orders.yaml': tcp, [c.file]: c.text },
      errors: [
        {
          messageId: 'pinned',
          line: 9,
          column: 7,
          endLine: 9,
          endColumn: 16,
          related: ['k8s/orders.yaml:15:9', `${c.file}:${line}:${column}`],
        },
      ],
    };
  }),
});
