// facts §5.1: keep-alive idle-timeout inversion. A backend that closes idle keep-alive connections BEFORE the
// reverse proxy/LB in front of it stops reusing them gets a steady trickle of ECONNRESET → 502: the proxy writes a
// request on a pooled connection at the moment the backend closes it.
//
// Set-up (all 127.0.0.1, each run bounded):
//   client ──(new connection per request)──► proxy ──(pooled keep-alive, like ingress-nginx upstream keepalive
//   60 s)──► 5 ms delay relay ("the network") ──► backend (own process, fixtures/http-backend.cjs)
// The proxy is Node: http.Agent({ keepAlive: true, timeout: 60 s, maxSockets: 1 }), and — like nginx, Envoy or an
// ALB — it IGNORES the backend's `Keep-Alive: timeout=N` response header (Node's own Agent honours it since it
// shortens its idle timeout to N − 1 s; measured separately below).
// Backend "before": keepAliveTimeout 1000 ms (a scaled-down Node default of 5 s). Node 20 closes an idle socket at
// keepAliveTimeout + 1 s (HTTP_SERVER_KEEP_ALIVE_TIMEOUT_BUFFER), so it closes at ≈ 2 s; requests come after
// pauses of 1990–1999 ms, inside the ~one-RTT window around that close. "After" (the fix): keepAliveTimeout
// 65 000 > the proxy's 60 s idle time, headersTimeout 66 000 > keepAliveTimeout. On bare loopback the RTT is µs and
// the window is too thin to hit reliably, hence the 5 ms relay; the bare-loopback count is recorded, not asserted.
//
// Run: npm run build && node --test dist/test/evidence/keepalive-inversion.test.js
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths.js';
import { killAll, sleep, spawnBounded, topicResults, waitFor } from './lib.js';

const ATTEMPTS = 10;
const GAPS_MS = [1990, 1991, 1992, 1993, 1994, 1995, 1996, 1997, 1998, 1999];
const RELAY_DELAY_MS = 5;
const PROXY_IDLE_MS = 60_000;
const backendScript = path.join(repoRoot, 'test', 'evidence', 'fixtures', 'http-backend.cjs');
const results = topicResults('keepalive-inversion', {});

async function startBackend(keepAliveTimeout: string, headersTimeout: string) {
  const p = spawnBounded(process.execPath, [backendScript, keepAliveTimeout, headersTimeout, '0'], { timeoutMs: 50_000 });
  await waitFor(() => /^ready /m.test(p.stdout()) || p.child.exitCode !== null, 10_000, 'the backend');
  const m = /^ready (\d+) (.*)$/m.exec(p.stdout());
  assert.ok(m, p.output());
  return { port: Number(m[1]), settings: m[2]!, stop: () => p.kill() };
}

/** A TCP relay adding `delayMs` each way, forwarding FIN (half-close) and RST like a network path would. */
async function startDelayRelay(upPort: number, delayMs: number) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (down) => {
    const up = net.connect({ port: upPort, host: '127.0.0.1', allowHalfOpen: true });
    for (const s of [down, up]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    const later = (f: () => void) => setTimeout(f, delayMs);
    down.on('data', (b: Buffer) => later(() => up.destroyed || up.write(b)));
    up.on('data', (b: Buffer) => later(() => down.destroyed || down.write(b)));
    down.on('end', () => later(() => up.destroyed || up.end()));
    up.on('end', () => later(() => down.destroyed || down.end()));
    up.on('error', () => later(() => down.destroyed || down.resetAndDestroy()));
    down.on('error', () => later(() => up.destroyed || up.resetAndDestroy()));
    up.on('close', () => later(() => down.destroyed || down.end()));
    down.on('close', () => later(() => up.destroy()));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The reverse proxy: one pooled upstream connection, 60 s idle, 502 on an upstream error. */
async function startProxy(upPort: number, honourKeepAliveHint: boolean) {
  const agent = new http.Agent({ keepAlive: true, timeout: PROXY_IDLE_MS, maxSockets: 1 });
  const upstreamErrors: Record<string, number> = {};
  let reused = 0;
  let fresh = 0;
  const server = http.createServer((req, res) => {
    const up = http.request(
      { host: '127.0.0.1', port: upPort, path: req.url, method: req.method, headers: { host: 'backend' }, agent },
      (ur) => {
        if (!honourKeepAliveHint) delete ur.headers['keep-alive'];
        res.writeHead(ur.statusCode ?? 502, { 'content-type': 'text/plain' });
        ur.pipe(res);
      },
    );
    up.on('socket', () => ((up as http.ClientRequest & { reusedSocket: boolean }).reusedSocket ? reused++ : fresh++));
    up.on('error', (e: NodeJS.ErrnoException) => {
      const k = e.code ?? e.message;
      upstreamErrors[k] = (upstreamErrors[k] ?? 0) + 1;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway\n');
    });
    req.pipe(up);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    upstreamErrors,
    counts: () => ({ reused, fresh }),
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function get(port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const q = http.get({ host: '127.0.0.1', port, agent: false, timeout: 5000 }, (s) => {
      s.resume();
      s.on('end', () => resolve(s.statusCode ?? 0));
    });
    q.on('timeout', () => q.destroy(new Error('client timeout')));
    q.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

interface Run {
  backend: string;
  relayDelayMs: number;
  proxyHonoursKeepAliveHint: boolean;
  attempts: number;
  gapsMs: number[];
  statuses: Record<string, number>;
  upstreamErrors: Record<string, number>;
  upstreamConnections: { reused: number; fresh: number };
  failedAfterGapMs: number[];
}

async function run(name: string, keepAlive: string, headers: string, relayDelayMs: number, honour = false): Promise<Run> {
  const backend = await startBackend(keepAlive, headers);
  const relay = relayDelayMs > 0 ? await startDelayRelay(backend.port, relayDelayMs) : null;
  const proxy = await startProxy(relay?.port ?? backend.port, honour);
  const statuses: Record<string, number> = {};
  const failedAfterGapMs: number[] = [];
  try {
    let prevGap = 0;
    for (let i = 0; i <= ATTEMPTS; i++) {
      const st = String(await get(proxy.port));
      if (i > 0) {
        // attempt 0 only opens the pooled connection
        statuses[st] = (statuses[st] ?? 0) + 1;
        if (st !== '200') failedAfterGapMs.push(prevGap);
      }
      if (i === ATTEMPTS) break;
      prevGap = GAPS_MS[i % GAPS_MS.length]!;
      await sleep(prevGap);
    }
    const r: Run = {
      backend: backend.settings,
      relayDelayMs,
      proxyHonoursKeepAliveHint: honour,
      attempts: ATTEMPTS,
      gapsMs: GAPS_MS,
      statuses,
      upstreamErrors: { ...proxy.upstreamErrors },
      upstreamConnections: proxy.counts(),
      failedAfterGapMs,
    };
    results.record(name, r);
    return r;
  } finally {
    await proxy.close();
    await relay?.close();
    backend.stop();
  }
}

describe('keep-alive idle-timeout inversion behind a pooling proxy (facts §5.1)', () => {
  const runs: Partial<Record<string, Run>> = {};
  before(async () => {
    Object.assign(results.data.environment, {
      proxy: `Node http.Agent keepAlive, timeout ${PROXY_IDLE_MS} ms, maxSockets 1, ignores Keep-Alive hints`,
      relayDelayMs: String(RELAY_DELAY_MS),
      attempts: String(ATTEMPTS),
    });
    // All four runs at once (independent processes and ports): the file stays ~25 s.
    const [inverted, fixed, bare, hinted] = await Promise.all([
      run('inverted', '1000', 'default', RELAY_DELAY_MS),
      run('fixed', '65000', '66000', RELAY_DELAY_MS),
      run('inverted-bare-loopback', '1000', 'default', 0),
      run('inverted-node-agent-honours-hint', '1000', 'default', RELAY_DELAY_MS, true),
    ]);
    Object.assign(runs, { inverted, fixed, bare, hinted });
  });
  after(async () => {
    await killAll();
    results.write();
  });

  it(
    'backend keepAliveTimeout 1 s (closes at ≈ 2 s) < proxy idle 60 s: some reused connections are reset → 502',
    { timeout: 60_000 },
    () => {
      const r = runs.inverted!;
      const bad = ATTEMPTS - (r.statuses['200'] ?? 0);
      assert.ok(bad > 0, `expected > 0 failed requests: ${JSON.stringify(r)}`);
      assert.equal(r.statuses['502'], bad, `every failure is a 502 from the proxy: ${JSON.stringify(r)}`);
      assert.ok((r.upstreamErrors.ECONNRESET ?? 0) + (r.upstreamErrors['socket hang up'] ?? 0) === bad, JSON.stringify(r));
    },
  );

  it(
    'fix: backend keepAliveTimeout 65 s > proxy idle, headersTimeout 66 s > keepAliveTimeout → zero failures, one connection',
    { timeout: 60_000 },
    () => {
      const r = runs.fixed!;
      assert.deepEqual(r.statuses, { '200': ATTEMPTS }, JSON.stringify(r));
      assert.deepEqual(r.upstreamErrors, {});
      assert.equal(r.upstreamConnections.fresh, 1, JSON.stringify(r));
    },
  );

  it('a proxy that honours Keep-Alive: timeout=1 (Node’s own Agent) never reuses the socket: zero failures', { timeout: 60_000 }, () => {
    const r = runs.hinted!;
    assert.deepEqual(r.statuses, { '200': ATTEMPTS }, JSON.stringify(r));
    assert.equal(r.upstreamConnections.reused, 0, JSON.stringify(r));
  });

  it('bare loopback (µs RTT): recorded, not asserted (the race window is about one RTT wide)', () => {
    assert.ok(runs.bare);
  });
});
