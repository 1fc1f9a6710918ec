// graceful-shutdown: Node handlers (in the file or elsewhere in the image), Nest's hooks, Go signal handling and
// Shutdown/GracefulStop, grpcio stop(grace), grpc-java shutdown hooks, grpc-js tryShutdown, and Spring Boot's
// server.shutdown by Boot version; exact positions, the Spring fix and the Node handler suggestion.
import rule from '../../rules/graceful-shutdown.js';
import { code, runRuleTests } from '../helpers/rule-tester.js';
import { spanOf } from './grpc-k8s.js';
import { web } from './servers-k8s.js';

const express = code`
  const express = require('express');
  const app = express();
  const server = app.listen(8080);
`;
const drainedExpress = `${express}process.on('SIGTERM', () => server.close(() => process.exit(0)));\n`;
const goDrained = code`
  package main

  import (
  	"context"
  	"net/http"
  	"os/signal"
  	"syscall"
  	"time"
  )

  func main() {
  	go http.ListenAndServe(":9090", metrics)
  	srv := &http.Server{Addr: ":8080"}
  	go srv.ListenAndServe()
  	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
  	defer stop()
  	<-ctx.Done()
  	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
  	defer cancel()
  	srv.Shutdown(shutdown)
  }
`;
const goListen = 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8080", mux)\n}\n';
const goInterrupt = goDrained.replace('syscall.SIGTERM', 'os.Interrupt');
// podinfo's pkg/signals: the signals in a package variable, spread into signal.Notify.
const goSignalsVar = (list: string) =>
  goDrained
    .replace(
      'ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)\n\tdefer stop()\n\t<-ctx.Done()',
      'c := make(chan os.Signal, 2)\n\tsignal.Notify(c, shutdownSignals...)\n\t<-c',
    )
    .replace('func main() {', `var shutdownSignals = []os.Signal{${list}}\n\nfunc main() {`)
    .replace('"net/http"', '"net/http"\n\t"os"');
const goSignalsParam = goSignalsVar('os.Interrupt').replace('signal.Notify(c, shutdownSignals...)', 'signal.Notify(c, config.Signals...)');
const goGrpc = code`
  package main

  import (
  	"context"
  	"os/signal"
  	"syscall"

  	"google.golang.org/grpc"
  )

  func main() {
  	s := grpc.NewServer()
  	go s.Serve(lis)
  	ctx, _ := signal.NotifyContext(context.Background(), syscall.SIGTERM)
  	<-ctx.Done()
  	s.Stop()
  }
`;
/** A gRPC server stopped gracefully when a library's signal context ends (the library calls signal.Notify). */
const goHelper = (importLine: string, call: string) => code`
  package main

  import (
  	${importLine}
  	"google.golang.org/grpc"
  )

  func main() {
  	ctx := ${call}
  	s := grpc.NewServer()
  	go s.Serve(lis)
  	<-ctx.Done()
  	s.GracefulStop()
  }
`;
const goLookalike = goHelper('signals "example.com/acme/signals"', 'signals.Context()');
const pyServer = code`
  import grpc

  def serve():
      server = grpc.server(pool)
      server.add_insecure_port("[::]:8080")
      server.start()
      server.wait_for_termination()
`;
const pyDrained = code`
  import signal
  import grpc

  def serve():
      server = grpc.server(pool)
      server.start()
      signal.signal(signal.SIGTERM, lambda *_: server.stop(30))
      server.wait_for_termination()
`;
const javaServer = code`
  import io.grpc.ServerBuilder;

  class Main {
    public static void main(String[] args) throws Exception {
      var server = ServerBuilder.forPort(8080).addService(new Orders()).build().start();
      server.awaitTermination();
    }
  }
`;
const javaHooked = javaServer.replace(
  '    server.awaitTermination();',
  '    Runtime.getRuntime().addShutdownHook(new Thread(() -> {\n      server.shutdown();\n    }));\n    server.awaitTermination();',
);
const pom = (version: string) =>
  `<project>\n  <parent>\n    <groupId>org.springframework.boot</groupId>\n    <artifactId>spring-boot-starter-parent</artifactId>\n    <version>${version}</version>\n  </parent>\n</project>\n`;
const appYaml = 'server:\n  port: 8080\nspring:\n  application:\n    name: web\n';
const nodeDockerfile = 'FROM node:20-slim\nCOPY . .\nCMD ["node", "server.js"]\n';

runRuleTests(rule, {
  valid: [
    {
      name: 'Go: SIGTERM in a package variable spread into signal.Notify (podinfo)',
      files: { 'web/main.go': goSignalsVar('os.Interrupt, syscall.SIGTERM, syscall.SIGINT'), 'k8s/web.yaml': web() },
    },
    {
      name: 'Go: signals from a variable the file does not define may include SIGTERM',
      files: { 'web/main.go': goSignalsParam, 'k8s/web.yaml': web() },
    },
    { name: 'Express closed on SIGTERM', files: { 'k8s/web.yaml': web(), 'web/server.js': drainedExpress } },
    {
      name: 'the SIGTERM handler lives in another file of the image',
      files: {
        'k8s/web.yaml': web(),
        'web/server.js': express,
        'web/shutdown.js':
          "const { server } = require('./server');\n['SIGINT', 'SIGTERM'].forEach((s) => process.once(s, stop));\nfunction stop() { server.close(); }\n",
      },
    },
    {
      name: 'a SIGTERM handler that calls code out of sight may drain: quiet',
      files: {
        'k8s/web.yaml': web(),
        'web/server.js': `${express}const { shutdown } = require('./lifecycle');\nprocess.on('SIGTERM', () => shutdown(server));\n`,
      },
    },
    {
      name: "Nest's enableShutdownHooks",
      files: {
        'k8s/web.yaml': web(),
        'web/main.ts': 'const app = await NestFactory.create(AppModule);\napp.enableShutdownHooks();\nawait app.listen(8080);\n',
      },
    },
    {
      name: "Go: controller-runtime's SetupSignalHandler under the usual ctrl alias catches SIGTERM",
      files: { 'k8s/web.yaml': web(), 'web/main.go': goHelper('ctrl "sigs.k8s.io/controller-runtime"', 'ctrl.SetupSignalHandler()') },
    },
    {
      name: "Go: dapr/kit's signals.Context() catches SIGTERM",
      files: { 'k8s/web.yaml': web(), 'web/main.go': goHelper('"github.com/dapr/kit/signals"', 'signals.Context()') },
    },
    {
      name: 'Go: knative signals.NewContext()',
      files: { 'k8s/web.yaml': web(), 'web/main.go': goHelper('"knative.dev/pkg/signals"', 'signals.NewContext()') },
    },
    {
      name: 'Go: NotifyContext(SIGTERM) then Shutdown; the metrics server in a goroutine is left alone',
      files: { 'k8s/web.yaml': web(), 'web/main.go': goDrained },
    },
    { name: 'grpcio: stop(grace) on SIGTERM', files: { 'k8s/web.yaml': web(), 'web/server.py': pyDrained } },
    { name: 'grpc-java: a shutdown hook calls shutdown()', files: { 'k8s/web.yaml': web(), 'web/Main.java': javaHooked } },
    {
      name: 'grpc-js: tryShutdown on SIGTERM',
      files: {
        'k8s/web.yaml': web(),
        'web/server.js':
          "const grpc = require('@grpc/grpc-js');\nconst server = new grpc.Server();\nprocess.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));\n",
      },
    },
    {
      name: 'Spring Boot 3.4 drains by default',
      files: { 'k8s/web.yaml': web(), 'web/pom.xml': pom('3.4.1'), 'web/src/main/resources/application.yml': appYaml },
    },
    {
      name: 'Spring Boot 3.2 with server.shutdown: graceful',
      files: {
        'k8s/web.yaml': web(),
        'web/pom.xml': pom('3.2.0'),
        'web/src/main/resources/application.yml': 'server:\n  shutdown: graceful\n',
      },
    },
    {
      name: 'Spring Boot 3.3 with SERVER_SHUTDOWN in the env',
      files: {
        'k8s/web.yaml': web({ env: { SERVER_SHUTDOWN: 'graceful' } }),
        'web/build.gradle': "plugins {\n  id 'org.springframework.boot' version '3.3.2'\n}\n",
      },
    },
    {
      name: 'a Job is not served',
      files: {
        'k8s/job.yaml':
          'apiVersion: batch/v1\nkind: Job\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: web, image: example/web:1}]\n',
        'web/server.js': express,
      },
    },
  ],
  invalid: [
    {
      name: 'Express without a SIGTERM handler: a handler is suggested',
      files: { 'web/server.js': express, 'k8s/web.yaml': web() },
      errors: [
        {
          messageId: 'node',
          ...spanOf(express, 'app.listen(8080)'),
          message:
            "app.listen of Deployment 'web' never drains: no SIGTERM handler closes it. Node exits at once on SIGTERM and cuts the requests in flight. Close it from process.on('SIGTERM').",
          suggestions: [
            {
              messageId: 'addHandler',
              output: {
                'web/server.js': `${express.replace(/\n$/, '')}\nprocess.on('SIGTERM', () => {\n  server.close(() => process.exit(0));\n  server.closeIdleConnections?.();\n});\n`,
              },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'Node as PID 1 with only a SIGINT handler ignores SIGTERM until SIGKILL',
      files: {
        'web/server.js': `${express}process.on('SIGINT', () => server.close());\n`,
        'k8s/web.yaml': web(),
        'web/Dockerfile': nodeDockerfile,
      },
      errors: [
        {
          messageId: 'node',
          ...spanOf(express, 'app.listen(8080)'),
          message:
            "app.listen of Deployment 'web' never drains: no SIGTERM handler closes it. As PID 1 Node ignores SIGTERM: it serves until SIGKILL ends the grace period and cuts the requests then in flight. Close it from process.on('SIGTERM').",
        },
      ],
    },
    {
      name: 'a SIGTERM handler that only logs and exits',
      files: {
        'web/server.js': `${express}process.on('SIGTERM', () => { console.log('bye'); process.exit(0); });\n`,
        'k8s/web.yaml': web(),
      },
      errors: [{ messageId: 'node', ...spanOf(express, 'app.listen(8080)') }],
    },
    {
      name: 'Go http.ListenAndServe cannot be shut down',
      files: { 'web/main.go': goListen, 'k8s/web.yaml': web() },
      errors: [
        {
          messageId: 'goHttp',
          ...spanOf(goListen, 'http.ListenAndServe(":8080", mux)'),
          message:
            "http.ListenAndServe of Deployment 'web' never drains on SIGTERM: http.ListenAndServe cannot be shut down. Go exits at once on SIGTERM and cuts the requests in flight; catch it with signal.NotifyContext and call Shutdown(ctx).",
        },
      ],
      output: null,
    },
    {
      name: 'Go: a package variable that lists only os.Interrupt, spread into signal.Notify',
      files: { 'web/main.go': goSignalsVar('os.Interrupt, syscall.SIGINT'), 'k8s/web.yaml': web() },
      errors: [{ messageId: 'goHttp', ...spanOf(goSignalsVar('os.Interrupt, syscall.SIGINT'), 'srv.ListenAndServe()') }],
    },
    {
      name: 'Go catches only os.Interrupt (SIGINT)',
      files: { 'web/main.go': goInterrupt, 'k8s/web.yaml': web() },
      errors: [{ messageId: 'goHttp', ...spanOf(goInterrupt, 'srv.ListenAndServe()') }],
    },
    {
      name: 'Go: a signals.Context() of a package not known to catch SIGTERM is not a handler',
      files: { 'web/main.go': goLookalike, 'k8s/web.yaml': web() },
      errors: [{ messageId: 'grpc', ...spanOf(goLookalike, 's.Serve(lis)') }],
    },
    {
      name: 'Go gRPC server stopped with Stop(), never GracefulStop()',
      files: { 'web/main.go': goGrpc, 'k8s/web.yaml': web() },
      errors: [
        {
          messageId: 'grpc',
          ...spanOf(goGrpc, 's.Serve(lis)'),
          message:
            "gRPC server s.Serve of Deployment 'web' never drains on SIGTERM: nothing calls GracefulStop(). The RPCs in flight are cut; call GracefulStop() when SIGTERM arrives.",
        },
      ],
    },
    {
      name: 'grpcio server with no SIGTERM handler',
      files: { 'web/server.py': pyServer, 'k8s/web.yaml': web() },
      errors: [
        {
          messageId: 'grpc',
          ...spanOf(pyServer, 'grpc.server(pool)'),
          message:
            "gRPC server grpc.server of Deployment 'web' never drains on SIGTERM: nothing handles SIGTERM. The RPCs in flight are cut; call server.stop(grace) when SIGTERM arrives.",
        },
      ],
    },
    {
      name: 'grpc-java server without a shutdown hook',
      files: { 'web/Main.java': javaServer, 'k8s/web.yaml': web() },
      errors: [{ messageId: 'grpc', ...spanOf(javaServer, 'ServerBuilder.forPort(8080)') }],
    },
    {
      name: 'Spring Boot 3.3 without server.shutdown: the property goes into the server map of application.yml',
      files: { 'web/src/main/resources/application.yml': appYaml, 'k8s/web.yaml': web(), 'web/pom.xml': pom('3.3.5') },
      errors: [
        {
          messageId: 'springDefault',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 7,
          related: [`web/pom.xml:${spanOf(pom('3.3.5'), '3.3.5').line}:${spanOf(pom('3.3.5'), '3.3.5').column}`],
          message:
            "Spring Boot 3.3.5 shuts the web server of Deployment 'web' down immediately: set server.shutdown=graceful. Graceful shutdown is the default only from Spring Boot 3.4; before, requests in flight fail on SIGTERM.",
        },
      ],
      output: {
        'web/src/main/resources/application.yml': 'server:\n  shutdown: graceful\n  port: 8080\nspring:\n  application:\n    name: web\n',
      },
    },
    {
      name: 'Spring Boot 3.1 without a config file: reported at the version, no fix',
      files: { 'web/pom.xml': pom('3.1.0'), 'k8s/web.yaml': web() },
      errors: [{ messageId: 'springDefault', ...spanOf(pom('3.1.0'), '3.1.0') }],
      output: null,
    },
    {
      name: 'server.shutdown=immediate in application.properties (Gradle, Boot 3.4)',
      files: {
        'web/src/main/resources/application.properties': 'server.port=8080\nserver.shutdown=immediate\n',
        'k8s/web.yaml': web(),
        'web/build.gradle.kts': 'plugins {\n  id("org.springframework.boot") version "3.4.0"\n}\n',
      },
      errors: [{ messageId: 'springImmediate', line: 2, column: 17, endLine: 2, endColumn: 26 }],
      output: { 'web/src/main/resources/application.properties': 'server.port=8080\nserver.shutdown=graceful\n' },
    },
    {
      name: 'Spring Boot 2.2 cannot drain (reported at the version, as there is no config to fix)',
      files: { 'web/pom.xml': pom('2.2.13.RELEASE'), 'k8s/web.yaml': web() },
      errors: [{ messageId: 'springTooOld', ...spanOf(pom('2.2.13.RELEASE'), '2.2.13.RELEASE') }],
      output: null,
    },
  ],
});
