// grace-period-budget with the drain the app is configured for (model/drains.ts): Go Shutdown(ctx) deadlines and
// GracefulStop timers, grpcio stop(grace), grpc-java awaitTermination, a Node exit timer, .NET ShutdownTimeout,
// gunicorn/uvicorn flags, Spring's timeout-per-shutdown-phase — and never an unrelated timeout (facts §3.2) or
// MaxConnectionAgeGrace (A8). Raising the budget for a code setting is a suggestion; the manifest fix uses it.
import rule from '../../rules/grace-period-budget.js';
import { code, runRuleTests, yaml } from '../helpers/rule-tester.js';
import { spanOf } from './grpc-k8s.js';

const deployment = (extra = '') => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: orders
  spec:
    selector:
      matchLabels: {app: orders}
    template:
      metadata:
        labels: {app: orders}
      spec:
        containers:
          - name: orders
            image: example/orders:1${extra}
            ports:
              - containerPort: 50051
            lifecycle:
              preStop:
                sleep:
                  seconds: 5
`;
const raised = (seconds: number, extra = '') => `${deployment(extra)}      terminationGracePeriodSeconds: ${seconds}\n`;
const goTimer = (seconds: number) => code`
  package main

  import (
  	"time"

  	"google.golang.org/grpc"
  )

  func main() {
  	s := grpc.NewServer()
  	<-stop
  	done := make(chan struct{})
  	go func() { s.GracefulStop(); close(done) }()
  	select {
  	case <-done:
  	case <-time.After(${seconds} * time.Second):
  		s.Stop()
  	}
  }
`;
const goShutdown = code`
  package main

  import (
  	"context"
  	"net/http"
  	"time"
  )

  func main() {
  	srv := &http.Server{Addr: ":8080"}
  	db, cancelDB := context.WithTimeout(context.Background(), 2*time.Minute)
  	defer cancelDB()
  	migrate(db)
  	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
  	defer cancel()
  	srv.Shutdown(ctx)
  }
`;
// The 2-minute database timeout of a file that also shuts a server down: not a drain (facts §3.2).
const goUnrelated = goShutdown
  .replace('ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)', 'ctx := context.Background()')
  .replace('\tdefer cancel()\n', '');
const pyStop = 'import signal\nimport grpc\n\nserver = grpc.server(pool)\nsignal.signal(signal.SIGTERM, lambda *_: server.stop(40))\n';
const pyAgeGrace =
  'import grpc\n\nserver = grpc.server(pool, options=[("grpc.max_connection_age_ms", 300000), ("grpc.max_connection_age_grace_ms", 40000)])\n';
const javaAwait =
  'import io.grpc.ServerBuilder;\n\nclass Main {\n  void stop() throws Exception {\n    server.shutdown();\n    server.awaitTermination(40, TimeUnit.SECONDS);\n  }\n}\n';
const nodeTimer = "process.on('SIGTERM', () => {\n  setTimeout(() => process.exit(1), 45000).unref();\n  server.close();\n});\n";
const dotnet =
  'var builder = WebApplication.CreateBuilder(args);\nbuilder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));\n';
const pom =
  '<project>\n  <parent>\n    <artifactId>spring-boot-starter-parent</artifactId>\n    <version>3.4.2</version>\n  </parent>\n</project>\n';
const gunicorn = (flags: string) => `FROM python:3.12-slim\nCMD ["gunicorn", ${flags}"app:app"]\n`;

runRuleTests(rule, {
  valid: [
    { name: 'GracefulStop timer fits: 5 + 20 <= 30', files: { 'k8s/orders.yaml': deployment(), 'orders/main.go': goTimer(20) } },
    { name: 'code of another image', files: { 'k8s/orders.yaml': deployment(), 'billing/main.go': goTimer(60) } },
    {
      name: 'an unrelated 2-minute timeout next to Shutdown is not a drain',
      files: { 'k8s/orders.yaml': deployment(), 'orders/main.go': goUnrelated },
    },
    {
      name: 'a timer in a select that stops a ticker, not the server, is not a drain',
      files: { 'k8s/orders.yaml': deployment(), 'orders/main.go': goTimer(45).replace('\t\ts.Stop()', '\t\tticker.Stop()') },
    },
    {
      name: 'MaxConnectionAgeGrace is not shutdown drain time',
      files: { 'k8s/orders.yaml': deployment(), 'orders/server.py': pyAgeGrace },
    },
    {
      name: "gunicorn's default graceful timeout is not counted",
      files: { 'k8s/orders.yaml': deployment(), 'orders/Dockerfile': gunicorn('') },
    },
    {
      name: 'timeout-per-shutdown-phase does not bound an immediate shutdown',
      files: {
        'k8s/orders.yaml': deployment(),
        'orders/pom.xml': pom,
        'orders/src/main/resources/application.yml':
          'server:\n  shutdown: immediate\nspring:\n  lifecycle:\n    timeout-per-shutdown-phase: 50s\n',
      },
    },
  ],
  invalid: [
    {
      name: 'go: GracefulStop raced by a 45 s timer needs 50 s (a suggestion: the timer is the author’s)',
      files: { 'k8s/orders.yaml': deployment(), 'orders/main.go': goTimer(45) },
      errors: [
        {
          messageId: 'codeDrain',
          severity: 'warning',
          line: 4,
          column: 9,
          endLine: 4,
          endColumn: 15,
          related: [`orders/main.go:${spanOf(goTimer(45), '45 * time.Second').line}:${spanOf(goTimer(45), '45 * time.Second').column}`],
          message:
            "Deployment 'orders' has terminationGracePeriodSeconds 30 (the default), but the app needs 50s (preStop 5s plus the 45s GracefulStop timer): it is SIGKILLed mid-drain.",
          suggestions: [{ messageId: 'raiseGrace', output: { 'k8s/orders.yaml': raised(50) } }],
        },
      ],
      output: null,
    },
    {
      name: "go: the deadline of Shutdown's context",
      files: { 'k8s/orders.yaml': deployment(), 'orders/main.go': goShutdown },
      errors: [
        {
          messageId: 'codeDrain',
          line: 4,
          column: 9,
          endLine: 4,
          endColumn: 15,
          related: [`orders/main.go:${spanOf(goShutdown, '40*time.Second').line}:${spanOf(goShutdown, '40*time.Second').column}`],
          suggestions: [{ messageId: 'raiseGrace', output: { 'k8s/orders.yaml': raised(45) } }],
        },
      ],
    },
    {
      name: 'grpcio: stop(40) on SIGTERM',
      files: { 'k8s/orders.yaml': deployment(), 'orders/server.py': pyStop },
      errors: [{ messageId: 'codeDrain', line: 4, column: 9, endLine: 4, endColumn: 15, related: ['orders/server.py:5:54'] }],
    },
    {
      name: 'grpc-java: awaitTermination(40, SECONDS) after shutdown()',
      files: { 'k8s/orders.yaml': deployment(), 'orders/Main.java': javaAwait },
      errors: [{ messageId: 'codeDrain', line: 4, column: 9, endLine: 4, endColumn: 15, related: ['orders/Main.java:6:29'] }],
    },
    {
      name: 'node: a 45 s forced-exit timer in the SIGTERM handler',
      files: { 'k8s/orders.yaml': deployment(), 'orders/server.js': nodeTimer },
      errors: [{ messageId: 'codeDrain', line: 4, column: 9, endLine: 4, endColumn: 15, related: ['orders/server.js:2:37'] }],
    },
    {
      name: '.NET: HostOptions.ShutdownTimeout of 60 s',
      files: { 'k8s/orders.yaml': deployment(), 'orders/Program.cs': dotnet },
      errors: [
        {
          messageId: 'codeDrain',
          line: 4,
          column: 9,
          endLine: 4,
          endColumn: 15,
          related: ['orders/Program.cs:2:66'],
          suggestions: [{ messageId: 'raiseGrace', output: { 'k8s/orders.yaml': raised(65) } }],
        },
      ],
    },
    {
      name: 'gunicorn --graceful-timeout 60 in the Dockerfile CMD',
      files: { 'k8s/orders.yaml': deployment(), 'orders/Dockerfile': gunicorn('"--graceful-timeout", "60", ') },
      errors: [{ messageId: 'codeDrain', line: 4, column: 9, endLine: 4, endColumn: 15, related: ['orders/Dockerfile:2:41'] }],
    },
    {
      name: 'uvicorn --timeout-graceful-shutdown in the pod command',
      files: { 'k8s/orders.yaml': deployment('\n            command: ["uvicorn", "main:app", "--timeout-graceful-shutdown", "45"]') },
      errors: [{ messageId: 'codeDrain', line: 4, column: 9, endLine: 4, endColumn: 15, related: ['k8s/orders.yaml:15:76'] }],
    },
    {
      name: 'Spring Boot 3.4 (graceful by default) with a 50 s timeout per shutdown phase',
      files: {
        'k8s/orders.yaml': deployment(),
        'orders/pom.xml': pom,
        'orders/src/main/resources/application.yml': 'spring:\n  lifecycle:\n    timeout-per-shutdown-phase: 50s\n',
      },
      errors: [
        {
          messageId: 'codeDrain',
          line: 4,
          column: 9,
          endLine: 4,
          endColumn: 15,
          related: ['orders/src/main/resources/application.yml:3:33'],
        },
      ],
    },
    {
      name: 'the preStop fix (a rejected 25 s sleep) leaves room for the configured drain, not the default 10 s',
      files: {
        'k8s/orders.yaml': deployment()
          .replace('seconds: 5', 'seconds: 25')
          .replace('      containers:', '      terminationGracePeriodSeconds: 20\n      containers:'),
        'orders/Dockerfile': gunicorn('"--graceful-timeout", "40", '),
      },
      errors: [{ messageId: 'rejected', line: 21, column: 26, endLine: 21, endColumn: 28 }],
      output: {
        'k8s/orders.yaml': deployment()
          .replace('seconds: 5', 'seconds: 25')
          .replace('      containers:', '      terminationGracePeriodSeconds: 65\n      containers:'),
      },
    },
  ],
});
