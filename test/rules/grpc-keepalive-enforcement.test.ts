// grpc-keepalive-enforcement: client keepalive (grpc-go, grpc-js, grpcio, grpc-java) against the enforcement
// policy of the server behind the Service it dials (grpc-go, C-core, grpc-java; grpc-js enforces nothing), with
// exact positions, the client-interval fix and the server-policy suggestion.
import rule from '../../rules/grpc-keepalive-enforcement.js';
import { code, runRuleTests } from '../helpers/rule-tester.js';
import { app, spanOf } from './grpc-k8s.js';

const manifests = `${app({ name: 'orders', port: 50051 })}---\n${app({ name: 'frontend', port: 8080 })}`;
const goClient = (params: string) => code`
  package main

  import (
  	"time"

  	"google.golang.org/grpc"
  	"google.golang.org/grpc/keepalive"
  )

  func main() {
  	conn, _ := grpc.NewClient("orders:50051", grpc.WithKeepaliveParams(keepalive.ClientParameters{${params}}))
  	defer conn.Close()
  }
`;
const goServer = (policy = '') => code`
  package main

  import (
  	"time"

  	"google.golang.org/grpc"
  	"google.golang.org/grpc/keepalive"
  )

  func main() {
  	s := grpc.NewServer(${policy})
  	s.Serve(lis)
  }
`;
const jsClient =
  "const client = new OrdersClient('orders:50051', grpc.credentials.createInsecure(), { 'grpc.keepalive_time_ms': 10000 });\n";
const pyServer = (options = '') => `import grpc\n\nserver = grpc.server(pool${options})\n`;
const pyClient = (options: string) => `import grpc\n\nchannel = grpc.insecure_channel("orders:50051", options=[${options}])\n`;
const javaClient =
  'import io.grpc.ManagedChannelBuilder;\n\nclass C {\n  void run() {\n    var ch = ManagedChannelBuilder.forTarget("orders:50051").keepAliveTime(30, TimeUnit.SECONDS).usePlaintext().build();\n  }\n}\n';
const javaServer =
  'import io.grpc.netty.NettyServerBuilder;\n\nclass S {\n  void run() {\n    var s = NettyServerBuilder.forPort(50051).permitKeepAliveTime(1, TimeUnit.MINUTES).build();\n  }\n}\n';

runRuleTests(rule, {
  valid: [
    {
      name: 'a 10-minute client interval against the 5-minute default',
      files: { 'k8s/app.yaml': manifests, 'frontend/main.go': goClient('Time: 10 * time.Minute'), 'orders/main.go': goServer() },
    },
    {
      name: 'the server permits what the client does',
      files: {
        'k8s/app.yaml': manifests,
        'frontend/main.go': goClient('Time: 30 * time.Second, PermitWithoutStream: true'),
        'orders/main.go': goServer(
          'grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: 20 * time.Second, PermitWithoutStream: true})',
        ),
      },
    },
    {
      name: 'grpc-js servers enforce no policy',
      files: {
        'k8s/app.yaml': manifests,
        'frontend/client.js': jsClient,
        'orders/server.js':
          "const server = new grpc.Server();\nserver.bindAsync('0.0.0.0:50051', grpc.ServerCredentials.createInsecure(), () => {});\n",
      },
    },
    {
      name: 'a C-core client sends at most 2 pings between data frames',
      files: {
        'k8s/app.yaml': manifests,
        'frontend/client.py': pyClient('("grpc.keepalive_time_ms", 10000)'),
        'orders/main.go': goServer(),
      },
    },
    {
      name: 'C-core server with unlimited ping strikes',
      files: {
        'k8s/app.yaml': manifests,
        'frontend/client.js': jsClient,
        'orders/server.py': pyServer(', options=[("grpc.http2.max_ping_strikes", 0)]'),
      },
    },
    {
      name: 'no client keepalive',
      files: { 'k8s/app.yaml': manifests, 'frontend/main.go': goClient('Timeout: 20 * time.Second'), 'orders/main.go': goServer() },
    },
  ],
  invalid: [
    {
      name: 'grpc-go client every 10 s against a grpc-go server with the default policy',
      files: { 'frontend/main.go': goClient('Time: 10 * time.Second'), 'k8s/app.yaml': manifests, 'orders/main.go': goServer() },
      errors: [
        {
          messageId: 'tooOften',
          ...spanOf(goClient('Time: 10 * time.Second'), '10 * time.Second'),
          related: ['orders/main.go:11:7'],
          message:
            "gRPC client grpc.NewClient pings every 10s, more often than its server allows: GOAWAY too_many_pings. Its server, the grpc-go server of Deployment 'orders', accepts one ping per 300s, its default. It counts each early ping as a strike and, after two, sends GOAWAY ENHANCE_YOUR_CALM and closes the connection: streams in flight fail and the client reconnects.",
        },
      ],
      output: { 'frontend/main.go': goClient('Time: 5 * time.Minute') },
    },
    {
      name: 'grpc-js client every 10 s against a grpcio (C-core) server',
      files: { 'frontend/client.js': jsClient, 'k8s/app.yaml': manifests, 'orders/server.py': pyServer() },
      errors: [{ messageId: 'tooOften', ...spanOf(jsClient, '10000') }],
      output: { 'frontend/client.js': jsClient.replace('10000', '300000') },
    },
    {
      name: 'grpc-java client every 30 s against permitKeepAliveTime of 1 minute; relaxing the server is a suggestion',
      files: { 'frontend/C.java': javaClient, 'k8s/app.yaml': manifests, 'orders/S.java': javaServer },
      errors: [
        {
          messageId: 'tooOften',
          ...spanOf(javaClient, '30, TimeUnit.SECONDS'),
          suggestions: [
            { messageId: 'relaxServer', output: { 'orders/S.java': javaServer.replace('1, TimeUnit.MINUTES', '30, TimeUnit.SECONDS') } },
          ],
        },
      ],
      output: { 'frontend/C.java': javaClient.replace('30, TimeUnit.SECONDS', '1, TimeUnit.MINUTES') },
    },
    {
      name: 'pings on idle connections that the server does not permit',
      files: {
        'frontend/main.go': goClient('Time: 10 * time.Minute, PermitWithoutStream: true'),
        'k8s/app.yaml': manifests,
        'orders/main.go': goServer(),
      },
      errors: [
        {
          messageId: 'idlePings',
          ...spanOf(goClient('Time: 10 * time.Minute, PermitWithoutStream: true'), 'true'),
          suggestions: [
            { messageId: 'noIdlePings', output: { 'frontend/main.go': goClient('Time: 10 * time.Minute, PermitWithoutStream: false') } },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'a C-core client without a cap on pings against a grpc-go server',
      files: {
        'frontend/client.py': pyClient('("grpc.keepalive_time_ms", 10000), ("grpc.http2.max_pings_without_data", 0)'),
        'k8s/app.yaml': manifests,
        'orders/main.go': goServer(),
      },
      errors: [
        {
          messageId: 'tooOften',
          ...spanOf(pyClient('("grpc.keepalive_time_ms", 10000), ("grpc.http2.max_pings_without_data", 0)'), '10000'),
        },
      ],
      output: { 'frontend/client.py': pyClient('("grpc.keepalive_time_ms", 300000), ("grpc.http2.max_pings_without_data", 0)') },
    },
    {
      name: 'the server is not in the workspace: it depends (info)',
      files: { 'frontend/main.go': goClient('Time: 10 * time.Second'), 'k8s/app.yaml': manifests },
      errors: [{ messageId: 'unknownServer', severity: 'info', ...spanOf(goClient('Time: 10 * time.Second'), '10 * time.Second') }],
      output: null,
    },
  ],
});
