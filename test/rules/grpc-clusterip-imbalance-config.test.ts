// grpc-clusterip-imbalance, evidence from configuration (real-repository trial): a `host:port` env value is a
// gRPC dial of the VIP only when the port says gRPC (its name, appProtocol, a well-known gRPC port) or the value
// has a gRPC scheme; `REDIS_ADDR=redis-cart:6379` is any TCP client. A `kubernetes:///` or `xds:///` value is a
// watching resolver (facts §3.1), never VIP evidence, and it keeps the port-name info quiet too.
import rule from '../../rules/grpc-clusterip-imbalance.js';
import { runRuleTests } from '../helpers/rule-tester.js';
import { app } from './grpc-k8s.js';

const redis = app({ name: 'redis-cart', portName: 'tcp-redis', port: 6379, namespace: 'shop' });
const orders = app({ name: 'orders', portName: 'grpc', namespace: 'shop' });
const cache = app({ name: 'cache', portName: 'tcp', port: 7000, namespace: 'shop' });
const frontend = (env: Record<string, string>) => app({ name: 'frontend', namespace: 'shop', port: 80, env });
const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: frontend-config\n  namespace: shop\ndata:\n  config.yaml: |\n${data}`;

runRuleTests(rule, {
  valid: [
    { name: 'a Redis address in env on a port that says nothing about gRPC', files: { 'k8s/redis.yaml': redis, 'k8s/frontend.yaml': frontend({ REDIS_ADDR: 'redis-cart:6379' }) } },
    { name: 'a kuberesolver target in env: the client watches the endpoints', files: { 'k8s/orders.yaml': orders, 'k8s/frontend.yaml': frontend({ ORDERS_ADDR: 'kubernetes:///orders.shop:grpc' }) } },
    { name: 'a proxyless xDS target in a ConfigMap', files: { 'k8s/orders.yaml': orders, 'k8s/cm.yaml': configMap('    orders: xds:///orders.shop:50051\n') } },
    { name: 'an http URL to a plain port', files: { 'k8s/cache.yaml': cache, 'k8s/frontend.yaml': frontend({ CACHE_URL: 'http://cache.shop:7000' }) } },
  ],
  invalid: [
    {
      name: 'a dns:/// target in env names a port without gRPC name: the scheme is the evidence',
      files: { 'k8s/cache.yaml': cache, 'k8s/frontend.yaml': frontend({ CACHE_ADDR: 'dns:///cache.shop:7000' }) },
      errors: [
        {
          file: 'k8s/cache.yaml',
          messageId: 'pinned',
          line: 10,
          column: 7,
          endLine: 10,
          endColumn: 16,
          severity: 'warning',
          related: ['k8s/cache.yaml:16:9', 'k8s/frontend.yaml:36:22'],
        },
      ],
    },
    {
      name: 'a ConfigMap names a grpc-named port without scheme, next to an unrelated kuberesolver line',
      files: { 'k8s/orders.yaml': orders, 'k8s/cm.yaml': configMap('    a: kubernetes:///orders.shop:grpc\n    b: orders.shop:50051\n') },
      errors: [{ file: 'k8s/orders.yaml', messageId: 'pinned', line: 10, column: 7, endLine: 10, endColumn: 17, severity: 'warning' }],
    },
  ],
});
