// grpc-clusterip-imbalance, evidence from configuration (real-repository trial): a `host:port` env value is a
// gRPC dial of the VIP only when the port says gRPC (its name, appProtocol, a well-known gRPC port) or the value
// has a gRPC scheme; `REDIS_ADDR=redis-cart:6379` is any TCP client. A `kubernetes:///` or `xds:///` value is a
// watching resolver (facts §3.1), never VIP evidence, and it keeps the port-name info quiet too. gRPC server
// code linked behind the Service makes its address a gRPC one (Argo CD's repo-server port is named `server`); a
// config value naming the headless sibling (Linkerd's proxies dial `linkerd-dst-headless`) keeps the VIP quiet.
import rule from '../../rules/grpc-clusterip-imbalance.js';
import { runRuleTests } from '../helpers/rule-tester.js';
import { app } from './grpc-k8s.js';

const redis = app({ name: 'redis-cart', portName: 'tcp-redis', port: 6379, namespace: 'shop' });
const orders = app({ name: 'orders', portName: 'grpc', namespace: 'shop' });
const cache = app({ name: 'cache', portName: 'tcp', port: 7000, namespace: 'shop' });
const frontend = (env: Record<string, string>) => app({ name: 'frontend', namespace: 'shop', port: 80, env });
const repo = app({ name: 'repo', portName: 'server', port: 8081, namespace: 'shop' });
const goServer =
  'package main\n\nimport (\n\t"net"\n\n\t"google.golang.org/grpc"\n)\n\nfunc main() {\n\tlis, _ := net.Listen("tcp", ":8081")\n\ts := grpc.NewServer()\n\ts.Serve(lis)\n}\n';
const database = app({ name: 'database', portName: 'db', port: 3306, namespace: 'shop' });
const grpcOnOtherPort = goServer.replace(':8081', ':9999');
const ordersHeadless =
  'apiVersion: v1\nkind: Service\nmetadata: {name: orders-headless, namespace: shop}\nspec: {clusterIP: None, selector: {app: orders}, ports: [{name: grpc, port: 50051}]}\n';
const configMap = (data: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: frontend-config\n  namespace: shop\ndata:\n  config.yaml: |\n${data}`;

runRuleTests(rule, {
  valid: [
    {
      name: 'a Redis address in env on a port that says nothing about gRPC',
      files: { 'k8s/redis.yaml': redis, 'k8s/frontend.yaml': frontend({ REDIS_ADDR: 'redis-cart:6379' }) },
    },
    {
      name: 'a kuberesolver target in env: the client watches the endpoints',
      files: { 'k8s/orders.yaml': orders, 'k8s/frontend.yaml': frontend({ ORDERS_ADDR: 'kubernetes:///orders.shop:grpc' }) },
    },
    {
      name: 'a proxyless xDS target in a ConfigMap',
      files: { 'k8s/orders.yaml': orders, 'k8s/cm.yaml': configMap('    orders: xds:///orders.shop:50051\n') },
    },
    {
      name: 'a plain port named in env, server code not gRPC-linked: quiet',
      files: { 'k8s/repo.yaml': repo, 'k8s/frontend.yaml': frontend({ REPO_ADDR: 'repo.shop:8081' }) },
    },
    {
      name: 'the clients are configured with the headless sibling (trailing-dot FQDN)',
      files: {
        'k8s/orders.yaml': orders,
        'k8s/orders-headless.yaml': ordersHeadless,
        'k8s/frontend.yaml': frontend({ ORDERS_ADDR: 'orders-headless.shop.svc.cluster.local.:50051' }),
      },
    },
    {
      name: 'an address followed by a URL path (a health check in a script) is HTTP, though gRPC server code runs behind',
      files: {
        'k8s/database.yaml': database,
        'database/main.go': grpcOnOtherPort,
        'k8s/cm.yaml': configMap('    check.sh: podcli check http database.shop:3306/readyz\n'),
      },
    },
    {
      name: 'an http URL to a plain port',
      files: { 'k8s/cache.yaml': cache, 'k8s/frontend.yaml': frontend({ CACHE_URL: 'http://cache.shop:7000' }) },
    },
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
      name: 'a plain-named port whose workload runs gRPC server code, named by a client env value',
      files: { 'k8s/repo.yaml': repo, 'repo/main.go': goServer, 'k8s/frontend.yaml': frontend({ REPO_ADDR: 'repo.shop:8081' }) },
      errors: [{ file: 'k8s/repo.yaml', messageId: 'pinned', line: 10, column: 7, endLine: 10, endColumn: 19, severity: 'warning' }],
    },
    {
      name: 'a ConfigMap names a grpc-named port without scheme, next to an unrelated kuberesolver line',
      files: { 'k8s/orders.yaml': orders, 'k8s/cm.yaml': configMap('    a: kubernetes:///orders.shop:grpc\n    b: orders.shop:50051\n') },
      errors: [{ file: 'k8s/orders.yaml', messageId: 'pinned', line: 10, column: 7, endLine: 10, endColumn: 17, severity: 'warning' }],
    },
  ],
});
