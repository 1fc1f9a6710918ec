// Issue item 2 / facts §5.2: a Node HTTP server without a SIGTERM handler dies on SIGTERM at once and cuts the
// requests in flight; with a handler that calls server.close() (and closeIdleConnections()) and exits when it
// returns, the in-flight request completes and the process exits 0. The server (fixtures/http-backend.cjs) runs in
// its own process on 127.0.0.1 (not as PID 1: a PID 1 without a handler would ignore SIGTERM instead, see
// test/pid1); each request takes 1500 ms, SIGTERM is sent 300 ms after the request started.
//
// Run: npm run build && node --test dist/test/evidence/sigterm-drain.test.js
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths.js';
import { killAll, sleep, spawnBounded, topicResults, waitFor } from './lib.js';

const SLOW_MS = 1500;
const TERM_AFTER_MS = 300;
const backendScript = path.join(repoRoot, 'test', 'evidence', 'fixtures', 'http-backend.cjs');
const results = topicResults('sigterm-drain', { requestMs: String(SLOW_MS), sigtermAfterMs: String(TERM_AFTER_MS) });

function get(port: number): Promise<{ status: number | null; error: string | null; at: number }> {
  return new Promise((resolve) => {
    const q = http.get({ host: '127.0.0.1', port, agent: false, timeout: 5000 }, (s) => {
      s.resume();
      s.on('end', () => resolve({ status: s.statusCode ?? null, error: null, at: Date.now() }));
      s.on('error', (e: NodeJS.ErrnoException) =>
        resolve({ status: s.statusCode ?? null, error: `${e.code ?? ''} ${e.message}`.trim(), at: Date.now() }),
      );
    });
    q.on('timeout', () => q.destroy(new Error('client timeout')));
    q.on('error', (e: NodeJS.ErrnoException) => resolve({ status: null, error: `${e.code ?? ''} ${e.message}`.trim(), at: Date.now() }));
  });
}

async function scenario(handler: 'none' | 'close') {
  const p = spawnBounded(process.execPath, [backendScript, 'default', 'default', String(SLOW_MS), handler], { timeoutMs: 15_000 });
  await waitFor(() => /^ready /m.test(p.stdout()) || p.child.exitCode !== null, 10_000, 'the server');
  const port = Number(/^ready (\d+)/m.exec(p.stdout())![1]);
  const t0 = Date.now();
  const inflight = get(port);
  await sleep(TERM_AFTER_MS);
  const termAt = Date.now();
  p.child.kill('SIGTERM');
  await sleep(100);
  const newConnection = await get(port); // after SIGTERM: refused in both cases
  const [req, exit] = await Promise.all([inflight, p.exited]);
  const r = {
    handler,
    inflight: { status: req.status, error: req.error, endedAfterStartMs: req.at - t0, endedAfterTermMs: req.at - termAt },
    newConnectionAfterTerm: newConnection.error ?? String(newConnection.status),
    process: { code: exit.code, signal: exit.signal, exitedAfterTermMs: exit.at - termAt },
  };
  results.record(handler === 'none' ? 'no-handler' : 'close-handler', r);
  return r;
}

describe('Node HTTP server and SIGTERM (issue item 2)', () => {
  after(async () => {
    await killAll();
    results.write();
  });

  it('no SIGTERM handler: the process dies at once, the in-flight request is cut (ECONNRESET)', { timeout: 20_000 }, async () => {
    const r = await scenario('none');
    assert.equal(r.process.signal, 'SIGTERM', JSON.stringify(r));
    assert.ok(r.process.exitedAfterTermMs < 200, JSON.stringify(r));
    assert.equal(r.inflight.status, null, JSON.stringify(r));
    assert.match(r.inflight.error ?? '', /ECONNRESET|socket hang up/, JSON.stringify(r));
    assert.ok(r.inflight.endedAfterTermMs < 200, JSON.stringify(r));
  });

  it('handler with server.close(): the in-flight request completes (200), then the process exits 0', { timeout: 20_000 }, async () => {
    const r = await scenario('close');
    assert.equal(r.inflight.status, 200, JSON.stringify(r));
    assert.equal(r.inflight.error, null, JSON.stringify(r));
    assert.ok(r.inflight.endedAfterStartMs >= SLOW_MS, JSON.stringify(r));
    assert.equal(r.process.code, 0, JSON.stringify(r));
    assert.ok(r.process.exitedAfterTermMs >= SLOW_MS - TERM_AFTER_MS - 50, JSON.stringify(r));
    assert.match(r.newConnectionAfterTerm, /ECONNREFUSED/, JSON.stringify(r));
  });
});
