// The server facts readers on the shapes that are easy to get wrong: Go keyed fields inside literal_element,
// Node settings assigned after the server or given as options, signals named around a forEach, drains that count
// only next to a shutdown, command-line flags, Spring/Maven/Gradle config, and the duration formats.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractFacts } from '../../src/core/facts/index.js';
import { readServerCommand, gunicornKeepsAlive, springSeconds, type CommandWord } from '../../src/core/facts/servers/index.js';
import { initKubeconn } from '../../src/core/init.js';
import { defaultOptions } from '../../src/core/options.js';
import { durationSeconds } from '../../src/core/model/sidecars.js';

async function facts(file: string, text: string) {
  await initKubeconn();
  return extractFacts(file, text, defaultOptions);
}

function words(line: string): CommandWord[] {
  const out: CommandWord[] = [];
  for (const m of line.matchAll(/\S+/g)) out.push({ value: m[0], at: { file: 'Dockerfile', start: m.index, end: m.index + m[0].length } });
  return out;
}

describe('server facts', () => {
  it('Go: http.Server fields and assignments, Shutdown deadlines that reach the call only', async () => {
    const f = await facts(
      'main.go',
      'package main\n\nfunc main() {\n\tsrv := &http.Server{Addr: ":8080", ReadTimeout: 5 * time.Second}\n\tsrv.IdleTimeout = 2 * time.Minute\n\tdb, _ := context.WithTimeout(ctx, 2*time.Minute)\n\tuse(db)\n\tsctx, _ := context.WithTimeout(ctx, 15*time.Second)\n\tsrv.Shutdown(sctx)\n}\n',
    );
    const s = f.servers!;
    assert.equal(s.http[0]!.readTimeout?.ms, 5000);
    assert.equal(s.http[0]!.idle?.ms, 120_000);
    assert.equal(s.http[0]!.variable, 'srv');
    assert.deepEqual(
      s.drainTimeouts.map((t) => [t.seconds, t.what]),
      [[15, 'Shutdown deadline']],
    );
  });

  it('Go: signals caught, and what os.Interrupt means', async () => {
    const f = await facts(
      'main.go',
      'package main\n\nfunc main() {\n\tsignal.Notify(c, os.Interrupt)\n\tsignal.Notify(all)\n\tsignal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT)\n}\n',
    );
    assert.deepEqual(
      f.servers!.signals.map((h) => h.signals),
      [['SIGINT'], ['*'], ['SIGTERM', 'SIGINT']],
    );
  });

  it('Node: options, assignments to the server variable, a forEach of signals, a library that drains', async () => {
    const f = await facts(
      'server.js',
      "const http = require('http');\nconst server = http.createServer({ headersTimeout: 70000 }, app);\nserver.keepAliveTimeout = 65 * 1000;\n['SIGINT', 'SIGTERM'].forEach((s) => process.on(s, stop));\nfunction stop() { server.close(); }\nconst { createTerminus } = require('@godaddy/terminus');\n",
    );
    const s = f.servers!;
    assert.equal(s.http[0]!.idle?.ms, 65_000);
    assert.equal(s.http[0]!.headersTimeout?.ms, 70_000);
    assert.deepEqual(
      s.signals.map((h) => [h.signals, h.drains]),
      [[['SIGINT', 'SIGTERM'], ['close']]],
    );
    assert.equal(s.managed?.what, '@godaddy/terminus');
  });

  it('Node: an `app.listen` counts only for an Express/Koa/Nest app, not for any object', async () => {
    const f = await facts('server.js', 'const queue = connectQueue();\nqueue.listen(5672);\n');
    assert.equal(f.servers, undefined);
  });

  it('Python: stop(grace) of a grpc server is a drain; stop() of anything else is not', async () => {
    const f = await facts(
      'server.py',
      'import grpc\nserver = grpc.server(pool)\ntimer.stop(5)\nsignal.signal(signal.SIGTERM, lambda *_: server.stop(20))\n',
    );
    assert.deepEqual(
      f.servers!.drainTimeouts.map((t) => t.seconds),
      [20],
    );
    assert.deepEqual(f.servers!.signals[0]!.drains, ['stop']);
  });

  it('command lines: gunicorn flags written either way, python -m, and which workers keep connections alive', () => {
    const g = readServerCommand(words('python -m gunicorn --keep-alive=75 -k gthread --graceful-timeout 40 app:app'))!;
    assert.equal(g.server, 'gunicorn');
    assert.equal(g.keepAlive?.seconds, 75);
    assert.equal(g.gracefulTimeout?.seconds, 40);
    assert.equal(g.workerClass, 'gthread');
    const u = readServerCommand(words('uvicorn main:app --timeout-keep-alive 30 --keep-alive 9'))!;
    assert.equal(u.keepAlive?.seconds, 30, "uvicorn's flag, not gunicorn's");
    assert.equal(gunicornKeepsAlive(undefined, undefined), false);
    assert.equal(gunicornKeepsAlive('sync', 4), true, 'threads > 1 switch sync to gthread');
    assert.equal(gunicornKeepsAlive('uvicorn.workers.UvicornWorker', undefined), true);
  });

  it('Spring: nested and dotted YAML keys, properties, a Maven property version, a Gradle Kotlin plugin', async () => {
    const yaml = await facts(
      'src/main/resources/application.yml',
      'server.shutdown: graceful\nspring:\n  lifecycle:\n    timeout-per-shutdown-phase: 1m\n',
    );
    const c = yaml.serverConfig as { shutdown?: { value: string }; phaseTimeout?: { seconds?: number } };
    assert.equal(c.shutdown?.value, 'graceful');
    assert.equal(c.phaseTimeout?.seconds, 60);
    const pom = await facts(
      'pom.xml',
      '<project><properties><spring-boot.version>3.2.4</spring-boot.version></properties><dependencyManagement><dependencies><dependency><artifactId>spring-boot-dependencies</artifactId><version>${spring-boot.version}</version></dependency></dependencies></dependencyManagement></project>',
    );
    assert.equal((pom.serverConfig as { version?: string }).version, '3.2.4');
    const kts = await facts('build.gradle.kts', 'plugins {\n  id("org.springframework.boot") version "3.3.1"\n}\n');
    assert.equal((kts.serverConfig as { version?: string }).version, '3.3.1');
  });

  it('durations: Spring (a bare number is milliseconds), Istio protobuf durations', () => {
    assert.equal(springSeconds('30s'), 30);
    assert.equal(springSeconds('PT1M30S'), 90);
    assert.equal(springSeconds('500'), 0.5);
    assert.equal(durationSeconds('1m30s'), 90);
    assert.equal(durationSeconds('500ms'), 0.5);
    assert.equal(durationSeconds('soon'), undefined);
  });
});
