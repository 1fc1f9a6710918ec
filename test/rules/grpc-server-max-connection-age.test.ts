import rule from '../../rules/grpc-server-max-connection-age.js';
import { code, runRuleTests } from '../helpers/rule-tester.js';
import { app, spanOf } from './grpc-k8s.js';

const orders = app({ name: 'orders', portName: 'grpc' });
const meshed = app({ name: 'orders', portName: 'grpc', podAnnotations: { 'sidecar.istio.io/inject': 'true' } });
const http = app({ name: 'orders', portName: 'http', port: 8080 });

const go = code`
  package main

  import (
  	"net"

  	"google.golang.org/grpc"
  )

  func main() {
  	lis, _ := net.Listen("tcp", ":50051")
  	s := grpc.NewServer()
  	s.Serve(lis)
  }
`;
const goFixed = code`
  package main

  import (
  	"net"

  	"google.golang.org/grpc"
  	"google.golang.org/grpc/keepalive"
  	"time"
  )

  func main() {
  	lis, _ := net.Listen("tcp", ":50051")
  	s := grpc.NewServer(grpc.KeepaliveParams(keepalive.ServerParameters{MaxConnectionAge: 5 * time.Minute, MaxConnectionAgeGrace: 10 * time.Second}))
  	s.Serve(lis)
  }
`;
const goExistingParams = code`
  package main

  import (
  	"time"

  	"google.golang.org/grpc"
  	"google.golang.org/grpc/keepalive"
  )

  var kasp = keepalive.ServerParameters{Time: 2 * time.Hour}

  func main() { grpc.NewServer(grpc.KeepaliveParams(kasp)) }
`;
const python = code`
  import grpc
  from concurrent import futures

  server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))
  server.add_insecure_port("[::]:50051")
`;
const js = code`
  import * as grpc from '@grpc/grpc-js';

  const server = new grpc.Server();
  server.bindAsync('0.0.0.0:50051', grpc.ServerCredentials.createInsecure(), () => {});
`;
const java = code`
  import io.grpc.netty.NettyServerBuilder;

  class Main {
    void run() {
      var server = NettyServerBuilder.forPort(50051).addService(new OrdersImpl()).build();
    }
  }
`;

const headless = app({ name: 'orders', portName: 'grpc', headless: true });
const tcpPort = app({ name: 'orders', portName: 'tcp' });
/** An Envoy bootstrap with one HTTP/2 cluster of `type` on orders.default.svc.cluster.local:50051. */
const envoy = (type: string, indent = '') =>
  `admin:
  address: {socket_address: {address: 127.0.0.1, port_value: 9901}}
static_resources:
  clusters:
  - name: orders
    connect_timeout: 0.5s
    type: ${type}
    lb_policy: ROUND_ROBIN
    http2_protocol_options: {}
    load_assignment:
      cluster_name: orders
      endpoints:
      - lb_endpoints:
        - endpoint:
            address:
              socket_address:
                address: orders.default.svc.cluster.local
                port_value: 50051
`.replace(/^/gm, indent);
const envoyConfigMap = (type: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: envoy\ndata:\n  envoy.yaml: |\n${envoy(type, '    ')}`;

runRuleTests(rule, {
  valid: [
    {
      name: 'go: a headless Service whose only client is an Envoy STRICT_DNS cluster (re-resolved every 5 s)',
      files: { 'k8s/orders.yaml': headless, 'orders/main.go': go, 'envoy/envoy.yaml': envoy('STRICT_DNS') },
    },
    {
      name: "go: the bootstrap ConfigMap in a Kustomize base: each overlay's copy names that overlay's Service",
      files: {
        'deploy/base/orders.yaml': headless,
        'deploy/base/envoy.yaml': envoyConfigMap('STRICT_DNS'),
        'deploy/base/kustomization.yaml': 'resources: [orders.yaml, envoy.yaml]\n',
        'deploy/overlays/staging/kustomization.yaml': 'resources: [../../base]\nreplicas: [{name: orders, count: 1}]\n',
        'deploy/overlays/prod/kustomization.yaml': 'resources: [../../base]\nreplicas: [{name: orders, count: 5}]\n',
        'orders/main.go': go,
      },
    },
    {
      name: 'go: the same, the bootstrap inside a ConfigMap',
      files: { 'k8s/orders.yaml': headless, 'orders/main.go': go, 'envoy/k8s/config.yaml': envoyConfigMap('STRICT_DNS') },
    },
    {
      name: 'go: MaxConnectionAge set',
      files: {
        'k8s/orders.yaml': orders,
        'orders/main.go': go.replace(
          'grpc.NewServer()',
          'grpc.NewServer(grpc.KeepaliveParams(keepalive.ServerParameters{MaxConnectionAge: time.Minute}))',
        ),
      },
    },
    {
      name: 'python: grpc.max_connection_age_ms set',
      files: {
        'k8s/orders.yaml': orders,
        'orders/server.py': python.replace('max_workers=10)', 'max_workers=10), options=[("grpc.max_connection_age_ms", 60000)]'),
      },
    },
    {
      name: 'js: grpc.max_connection_age_ms set',
      files: {
        'k8s/orders.yaml': orders,
        'orders/server.ts': js.replace('new grpc.Server()', "new grpc.Server({ 'grpc.max_connection_age_ms': 60000 })"),
      },
    },
    {
      name: 'java: maxConnectionAge set',
      files: {
        'k8s/orders.yaml': orders,
        'orders/Main.java': java.replace('.forPort(50051)', '.forPort(50051).maxConnectionAge(5, TimeUnit.MINUTES)'),
      },
    },
    {
      name: 'csharp: ASP.NET Core has no max connection age setting',
      files: {
        'k8s/orders.yaml': orders,
        'orders/Program.cs': 'var app = builder.Build();\napp.MapGrpcService<OrdersService>();\n// Grpc.AspNetCore\n',
      },
    },
    { name: 'go: meshed workload', files: { 'k8s/orders.yaml': meshed, 'orders/main.go': go } },
    { name: 'go: the Service does not carry gRPC and nobody dials it', files: { 'k8s/orders.yaml': http, 'orders/main.go': go } },
    {
      name: 'go: every client watches the endpoints through kuberesolver',
      files: {
        'k8s/orders.yaml': orders,
        'orders/main.go': go,
        'frontend/main.go':
          'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() { grpc.NewClient("kubernetes:///orders:grpc") }\n',
      },
    },
    { name: 'go: code of no workload', files: { 'k8s/orders.yaml': orders, 'tools/main.go': go } },
    {
      name: 'go: options from a parameter (cannot tell)',
      files: {
        'k8s/orders.yaml': orders,
        'orders/main.go':
          'package main\n\nimport "google.golang.org/grpc"\n\nfunc serve(opts []grpc.ServerOption) { grpc.NewServer(opts...) }\n',
      },
    },
  ],
  invalid: [
    {
      name: 'go: an Envoy STRICT_DNS cluster on a ClusterIP name resolves the VIP alone: its connections stay pinned',
      files: { 'orders/main.go': go, 'k8s/orders.yaml': tcpPort, 'envoy/envoy.yaml': envoy('STRICT_DNS') },
      errors: [{ messageId: 'noAge', ...spanOf(go, 'grpc.NewServer()'), related: ['k8s/orders.yaml:4:9'] }],
      output: null,
    },
    {
      name: 'go: a headless Service behind an Envoy LOGICAL_DNS cluster (it connects to the first address only)',
      files: { 'orders/main.go': go, 'k8s/orders.yaml': headless, 'envoy/k8s/config.yaml': envoyConfigMap('LOGICAL_DNS') },
      errors: [{ messageId: 'noAge', ...spanOf(go, 'grpc.NewServer()'), related: ['k8s/orders.yaml:4:9'] }],
      output: null,
    },
    {
      name: 'go: no keepalive; the fix adds KeepaliveParams and the imports',
      files: { 'orders/main.go': go, 'k8s/orders.yaml': orders },
      errors: [
        {
          messageId: 'noAge',
          ...spanOf(go, 'grpc.NewServer()'),
          related: ['k8s/orders.yaml:4:9'],
          suggestions: [{ messageId: 'addAge', output: { 'orders/main.go': goFixed } }],
        },
      ],
      output: null,
    },
    {
      name: 'go: ServerParameters without MaxConnectionAge gets the fields',
      files: { 'orders/main.go': goExistingParams, 'k8s/orders.yaml': orders },
      errors: [
        {
          messageId: 'noAge',
          ...spanOf(goExistingParams, 'grpc.NewServer(grpc.KeepaliveParams(kasp))'),
          suggestions: [
            {
              messageId: 'addAge',
              output: {
                'orders/main.go': goExistingParams.replace(
                  'Time: 2 * time.Hour',
                  'Time: 2 * time.Hour, MaxConnectionAge: 5 * time.Minute, MaxConnectionAgeGrace: 10 * time.Second',
                ),
              },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'python: grpc.server without options',
      files: { 'orders/server.py': python, 'k8s/orders.yaml': orders },
      errors: [
        {
          messageId: 'noAge',
          ...spanOf(python, 'grpc.server(futures.ThreadPoolExecutor(max_workers=10))'),
          suggestions: [
            {
              messageId: 'addAge',
              output: {
                'orders/server.py': python.replace(
                  'max_workers=10))',
                  'max_workers=10), options=[("grpc.max_connection_age_ms", 300000), ("grpc.max_connection_age_grace_ms", 10000)])',
                ),
              },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'js: new grpc.Server() with a client dialing the Service (port named tcp)',
      files: {
        'orders/server.ts': js,
        'k8s/orders.yaml': app({ name: 'orders' }),
        'frontend/client.go': 'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() { grpc.NewClient("orders:50051") }\n',
      },
      errors: [
        {
          messageId: 'noAge',
          ...spanOf(js, 'new grpc.Server()'),
          suggestions: [
            {
              messageId: 'addAge',
              output: {
                'orders/server.ts': js.replace(
                  'new grpc.Server()',
                  "new grpc.Server({ 'grpc.max_connection_age_ms': 300000, 'grpc.max_connection_age_grace_ms': 10000 })",
                ),
              },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'java: NettyServerBuilder without maxConnectionAge; the fix adds it and the TimeUnit import',
      files: { 'orders/Main.java': java, 'k8s/orders.yaml': orders },
      errors: [
        {
          messageId: 'noAge',
          ...spanOf(java, 'NettyServerBuilder.forPort(50051)'),
          suggestions: [
            {
              messageId: 'addAge',
              output: {
                'orders/Main.java': java
                  .replace(
                    '.forPort(50051)',
                    '.forPort(50051).maxConnectionAge(300, TimeUnit.SECONDS).maxConnectionAgeGrace(10, TimeUnit.SECONDS)',
                  )
                  .replace('NettyServerBuilder;', 'NettyServerBuilder;\nimport java.util.concurrent.TimeUnit;'),
              },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'drainSeconds sets the grace',
      files: { 'orders/server.py': python, 'k8s/orders.yaml': orders },
      options: { drainSeconds: 20 },
      errors: [
        {
          messageId: 'noAge',
          ...spanOf(python, 'grpc.server(futures.ThreadPoolExecutor(max_workers=10))'),
          suggestions: [
            {
              messageId: 'addAge',
              output: {
                'orders/server.py': python.replace(
                  'max_workers=10))',
                  'max_workers=10), options=[("grpc.max_connection_age_ms", 300000), ("grpc.max_connection_age_grace_ms", 20000)])',
                ),
              },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'go: the protos next to the server stream: no grace limit, so no stream is cut (facts §3.2)',
      files: {
        'orders/main.go': go,
        'k8s/orders.yaml': orders,
        'orders/proto/orders.proto':
          'syntax = "proto3";\npackage shop;\nservice Orders {\n  rpc Get (GetRequest) returns (Order);\n  rpc Watch (WatchRequest) returns (stream Order);\n}\n',
      },
      errors: [
        {
          messageId: 'noAge',
          ...spanOf(go, 'grpc.NewServer()'),
          message:
            "grpc.NewServer serves Deployment 'orders' behind Service 'orders' without MaxConnectionAge. Busy client connections are never recycled: they stay on the pods they first reached, and pods added later get traffic only when connections end (idleness, errors, restarts).",
          suggestions: [
            { messageId: 'addAge', output: { 'orders/main.go': goFixed.replace(', MaxConnectionAgeGrace: 10 * time.Second', '') } },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'python: unary-only protos keep the drain grace',
      files: {
        'orders/server.py': python,
        'k8s/orders.yaml': orders,
        'orders/orders.proto': 'service Orders {\n  // rpc Watch (W) returns (stream O);\n  rpc Get (G) returns (O);\n}\n',
      },
      errors: [{ messageId: 'noAge', ...spanOf(python, 'grpc.server(futures.ThreadPoolExecutor(max_workers=10))') }],
      output: null,
    },
  ],
});
