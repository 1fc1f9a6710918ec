// facts §5.5: a gRPC client whose keepalive is more aggressive than the server's enforcement policy gets
// GOAWAY ENHANCE_YOUR_CALM "too_many_pings" and its connection is closed. Measured on loopback with a grpc-js 1.14.7
// client (`grpc.keepalive_time_ms: 1000`, `grpc.keepalive_timeout_ms: 1000`, `grpc.keepalive_permit_without_calls: 1`,
// idle after one call) against:
//   1. a grpc-js server with default options — grpc-js 1.14.7's server has NO ping enforcement (no
//      `grpc.http2.min_ping_interval_without_data_ms`, no ping strikes): pings are ACKed forever, no GOAWAY;
//   2. a C-core server (Debian's python3-grpcio 1.51.1) with defaults — 5 min minimum interval without data,
//      2 h without calls unless permitted, 2 strikes: GOAWAY too_many_pings within seconds;
//   3. the same C-core server with `grpc.keepalive_permit_without_calls: 1` and
//      `grpc.http2.min_ping_interval_without_data_ms: 500` → no GOAWAY.
// The frames are seen by an HTTP/2-parsing relay between the two (h2-sniffer.ts) and, on the client side, by the
// channel's connectivity state and grpc-js's own log (GRPC_TRACE=keepalive,transport,subchannel GRPC_VERBOSITY=DEBUG).
// grpc-js has no minimum client keepalive time (it only clamps the maximum); after too_many_pings it doubles it.
//
// Run: npm run build && node --test dist/test/evidence/grpc-keepalive.test.js
import './grpc-trace-env.js';
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as GrpcJs from '@grpc/grpc-js';
import { repoRoot } from '../helpers/paths.js';
import { grpc, LAB_SERVICE, startBackend } from '../integration/grpc-lab.js';
import { startH2Sniffer, type H2Event } from './h2-sniffer.js';
import { debVersion, freePort, grpcJsVersion, killAll, requireCommand, sleep, spawnBounded, topicResults, waitFor } from './lib.js';

const CLIENT_OPTIONS = {
  'grpc.keepalive_time_ms': 1000,
  'grpc.keepalive_timeout_ms': 1000,
  'grpc.keepalive_permit_without_calls': 1,
} as const;
const PERMISSIVE_SERVER = {
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 500,
} as const;
/** How long an idle client is watched when no GOAWAY is expected (≥ 4 keepalive intervals). */
const QUIET_WINDOW_MS = 4500;
/** Upper bound for the GOAWAY to arrive under C-core's default policy. */
const GOAWAY_WINDOW_MS = 9000;

const logLines: { at: number; line: string }[] = [];
const results = topicResults('grpc-keepalive', {});
const LabCtor = grpc.makeGenericClientConstructor(LAB_SERVICE, 'Lab');

interface Observation {
  server: string;
  serverOptions: Record<string, unknown>;
  events: (Omit<H2Event, 'at'> & { afterMs: number })[];
  pingsSent: number;
  pingAcks: number;
  /** GOAWAY frames the SERVER sent (the client also sends GOAWAY NO_ERROR when it closes the dead connection). */
  goaways: { afterMs: number; errorCode: number; debug: string }[];
  connections: number;
  states: { afterMs: number; state: string }[];
  callAfterWindow: string;
  log: string[];
}

async function observe(
  server: string,
  serverOptions: Record<string, unknown>,
  start: () => Promise<{ port: number; stop: () => Promise<void> }>,
  windowMs: number,
  stopOnGoaway: boolean,
): Promise<Observation> {
  const backend = await start();
  const sniffer = await startH2Sniffer('127.0.0.1', backend.port);
  const client = new LabCtor(`ipv4:127.0.0.1:${sniffer.port}`, grpc.credentials.createInsecure(), { ...CLIENT_OPTIONS });
  const channel = client.getChannel();
  const t0 = Date.now();
  const states: { afterMs: number; state: string }[] = [];
  let watching = true;
  const watch = (last: GrpcJs.connectivityState) => {
    if (!watching) return;
    channel.watchConnectivityState(last, Date.now() + 60_000, () => {
      const now = channel.getConnectivityState(false);
      states.push({ afterMs: Date.now() - t0, state: grpc.connectivityState[now] });
      watch(now);
    });
  };
  watch(channel.getConnectivityState(false));
  const call = () =>
    new Promise<string>((resolve) =>
      (
        client as unknown as { who: (b: Buffer, o: GrpcJs.CallOptions, cb: (e: GrpcJs.ServiceError | null, r?: Buffer) => void) => void }
      ).who(Buffer.alloc(0), { deadline: Date.now() + 3000 }, (e, r) => resolve(e ? `!${grpc.status[e.code]}: ${e.details}` : String(r))),
    );
  const logFrom = logLines.length;
  try {
    const first = await call();
    assert.doesNotMatch(first, /^!/, `first call to ${server} failed: ${first}`);
    const end = Date.now() + windowMs;
    while (Date.now() < end) {
      if (stopOnGoaway && sniffer.events.some((e) => e.type === 'GOAWAY' && e.dir === 's2c')) {
        await sleep(300); // let the client react
        break;
      }
      await sleep(50);
    }
    const callAfterWindow = await call();
    const rel = (at: number) => at - t0;
    return {
      server,
      serverOptions,
      events: sniffer.events.map(({ at, ...e }) => ({ ...e, afterMs: rel(at) })),
      pingsSent: sniffer.events.filter((e) => e.type === 'PING' && e.dir === 'c2s').length,
      pingAcks: sniffer.events.filter((e) => e.type === 'PING_ACK' && e.dir === 's2c').length,
      goaways: sniffer.events
        .filter((e) => e.type === 'GOAWAY' && e.dir === 's2c')
        .map((e) => ({ afterMs: rel(e.at), errorCode: e.errorCode!, debug: e.debug! })),
      connections: sniffer.connections(),
      states,
      callAfterWindow,
      log: logLines
        .slice(logFrom)
        .map((l) => l.line)
        .filter((l) => /GOAWAY|excess pings|Sending ping|Received ping response|keepalive|IDLE/.test(l))
        .map((l) => l.replace(/^\S+ \| v[\d.]+ \d+ \| /, '')),
    };
  } finally {
    watching = false;
    client.close();
    await sniffer.close();
    await backend.stop();
  }
}

async function startGrpcJs(options: GrpcJs.ServerOptions) {
  const port = await freePort();
  const b = await startBackend('127.0.0.1', port, options);
  return { port, stop: () => b.close() };
}

async function startCCore(options: Record<string, unknown>) {
  const python = requireCommand('/usr/bin/python3', 'python3');
  const port = await freePort();
  const script = path.join(repoRoot, 'test', 'evidence', 'fixtures', 'ccore_server.py');
  const p = spawnBounded(python, [script, String(port), JSON.stringify(options)], {
    timeoutMs: 30_000,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  await waitFor(() => /^ready /m.test(p.stdout()) || p.child.exitCode !== null, 10_000, 'the C-core server');
  assert.match(p.stdout(), /^ready /m, p.output());
  results.data.environment.grpcioRuntime = /grpcio (\S+)/.exec(p.stdout())?.[1] ?? 'unknown';
  return {
    port,
    stop: async () => {
      p.child.stdin?.end();
      await Promise.race([p.exited, sleep(2000)]);
      p.kill();
    },
  };
}

describe('gRPC keepalive enforcement (facts §5.5)', () => {
  before(() => {
    grpc.setLogger({ error: (...a: unknown[]) => logLines.push({ at: Date.now(), line: a.map(String).join(' ') }) });
    grpc.setLogVerbosity(grpc.logVerbosity.DEBUG);
    Object.assign(results.data.environment, {
      grpcJs: grpcJsVersion(),
      python3Grpcio: debVersion('python3-grpcio'),
      clientOptions: JSON.stringify(CLIENT_OPTIONS),
      GRPC_TRACE: process.env.GRPC_TRACE ?? '',
    });
  });
  after(async () => {
    await killAll();
    results.write();
  });

  it(
    'grpc-js server, default options: pings ACKed, no GOAWAY (grpc-js servers do not enforce a ping policy)',
    { timeout: 20_000 },
    async () => {
      const o = await observe('grpc-js', {}, () => startGrpcJs({}), QUIET_WINDOW_MS, false);
      results.record('grpc-js-server-default', o);
      assert.equal(o.goaways.length, 0, JSON.stringify(o));
      assert.ok(o.pingsSent >= 3, `expected ≥ 3 keepalive pings in ${QUIET_WINDOW_MS} ms: ${JSON.stringify(o)}`);
      assert.equal(o.pingAcks, o.pingsSent, JSON.stringify(o));
      assert.equal(o.connections, 1, JSON.stringify(o));
      assert.doesNotMatch(o.callAfterWindow, /^!/);
    },
  );

  it(
    'C-core server, default policy: GOAWAY ENHANCE_YOUR_CALM "too_many_pings", connection closed, client backs off',
    { timeout: 25_000 },
    async () => {
      const o = await observe('c-core', {}, () => startCCore({}), GOAWAY_WINDOW_MS, true);
      results.record('c-core-server-default', o);
      assert.equal(o.goaways.length, 1, JSON.stringify(o));
      assert.equal(o.goaways[0]!.errorCode, 11, 'ENHANCE_YOUR_CALM'); // RFC 9113 §7: 0xb
      assert.equal(o.goaways[0]!.debug, 'too_many_pings');
      // The client saw it: its channel left READY, grpc-js logged the GOAWAY and doubled its keepalive time.
      assert.ok(
        o.states.some((s) => s.state === 'IDLE'),
        `channel states: ${JSON.stringify(o.states)}`,
      );
      assert.ok(
        o.log.some((l) => /connection closed by GOAWAY with code 11 and data too_many_pings/.test(l)),
        o.log.join('\n'),
      );
      assert.ok(
        o.log.some((l) => /excess pings\. Increasing ping interval to 2000 ms/.test(l)),
        o.log.join('\n'),
      );
      // Not a hard failure: the next call opens a new connection.
      assert.doesNotMatch(o.callAfterWindow, /^!/);
      assert.equal(o.connections, 2, JSON.stringify(o));
    },
  );

  it(
    'C-core server permitting it (permit_without_calls 1, min_ping_interval_without_data_ms 500): no GOAWAY',
    { timeout: 20_000 },
    async () => {
      const o = await observe('c-core', PERMISSIVE_SERVER, () => startCCore(PERMISSIVE_SERVER), QUIET_WINDOW_MS, false);
      results.record('c-core-server-permissive', o);
      assert.equal(o.goaways.length, 0, JSON.stringify(o));
      assert.ok(o.pingsSent >= 3, JSON.stringify(o));
      assert.equal(o.connections, 1, JSON.stringify(o));
    },
  );
});
