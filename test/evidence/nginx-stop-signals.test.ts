// Issue item 3 / facts §5.8: nginx's stop signals. SIGTERM (and SIGINT) = fast shutdown: in-flight requests are
// cut. SIGQUIT = graceful shutdown: in-flight requests complete, then nginx exits. That is why the official image
// sets `STOPSIGNAL SIGQUIT` (nginxinc/docker-nginx, e.g. mainline/debian/Dockerfile) and why a `sh -c` wrapper or a
// custom image that loses it turns every rollout into cut requests. (No Docker here: that STOPSIGNAL is cited from
// the Dockerfile, not measured.)
//
// Debian's nginx runs in the foreground (`daemon off;`) from a temp prefix, listening on 127.0.0.1:<free port>,
// `proxy_pass` to a Node backend (fixtures/http-backend.cjs) that answers after 2000 ms. SIGTERM/SIGQUIT is sent to
// the master 300 ms after the request started.
//
// Run: npm run build && node --test dist/test/evidence/nginx-stop-signals.test.js   (needs the nginx package)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths.js';
import {
  commandVersion,
  debVersion,
  freePort,
  killAll,
  requireCommand,
  sleep,
  spawnBounded,
  tmpDir,
  topicResults,
  waitFor,
} from './lib.js';

const SLOW_MS = 2000;
const SIGNAL_AFTER_MS = 300;
const backendScript = path.join(repoRoot, 'test', 'evidence', 'fixtures', 'http-backend.cjs');
const results = topicResults('nginx-stop-signals', { backendDelayMs: String(SLOW_MS), signalAfterMs: String(SIGNAL_AFTER_MS) });
let nginx = '';

function get(port: number): Promise<{ status: number | null; body: string; error: string | null; at: number }> {
  return new Promise((resolve) => {
    let body = '';
    const q = http.get({ host: '127.0.0.1', port, agent: false, timeout: 8000 }, (s) => {
      s.on('data', (b: Buffer) => (body += b.toString()));
      s.on('end', () => resolve({ status: s.statusCode ?? null, body, error: null, at: Date.now() }));
      s.on('error', (e: NodeJS.ErrnoException) =>
        resolve({ status: s.statusCode ?? null, body, error: `${e.code ?? ''} ${e.message}`.trim(), at: Date.now() }),
      );
    });
    q.on('timeout', () => q.destroy(new Error('client timeout')));
    q.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ status: null, body, error: `${e.code ?? ''} ${e.message}`.trim(), at: Date.now() }),
    );
  });
}

async function scenario(signal: 'SIGTERM' | 'SIGQUIT') {
  const backend = spawnBounded(process.execPath, [backendScript, 'default', 'default', String(SLOW_MS)], { timeoutMs: 20_000 });
  await waitFor(() => /^ready /m.test(backend.stdout()), 10_000, 'the backend');
  const backendPort = Number(/^ready (\d+)/m.exec(backend.stdout())![1]);
  const prefix = tmpDir(`nginx-${signal}`);
  const port = await freePort();
  const conf = `daemon off;
master_process on;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log notice;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass http://127.0.0.1:${backendPort}; proxy_read_timeout 10s; }
  }
}
`;
  fs.writeFileSync(path.join(prefix, 'nginx.conf'), conf);
  const ng = spawnBounded(nginx, ['-p', prefix, '-e', path.join(prefix, 'error.log'), '-c', path.join(prefix, 'nginx.conf')], {
    timeoutMs: 20_000,
  });
  try {
    await waitFor(() => fs.existsSync(path.join(prefix, 'nginx.pid')) || ng.child.exitCode !== null, 10_000, 'nginx to start');
    // Ready = it answers (a quick request would take SLOW_MS; just wait for the port to accept).
    await waitFor(
      () => fs.readFileSync(path.join(prefix, 'error.log'), 'utf8').includes('start worker process'),
      10_000,
      'the nginx worker',
    );
    const t0 = Date.now();
    const inflight = get(port);
    await sleep(SIGNAL_AFTER_MS);
    const sigAt = Date.now();
    ng.child.kill(signal);
    const [req, exit] = await Promise.all([inflight, ng.exited]);
    const log = fs
      .readFileSync(path.join(prefix, 'error.log'), 'utf8')
      .split('\n')
      .filter((l) => /signal|exiting|exit|shutting down|gracefully/.test(l))
      .map((l) => l.replace(/^\S+ \S+ /, ''));
    const r = {
      signal,
      inflight: {
        status: req.status,
        body: req.body.trim().replace(/\d+$/, '<pid>'),
        error: req.error,
        endedAfterSignalMs: req.at - sigAt,
        endedAfterStartMs: req.at - t0,
      },
      master: { code: exit.code, signal: exit.signal, exitedAfterSignalMs: exit.at - sigAt },
      errorLog: log,
    };
    results.record(signal, r);
    return r;
  } finally {
    ng.kill();
    backend.kill();
    fs.rmSync(prefix, { recursive: true, force: true });
  }
}

describe('nginx stop signals (facts §5.8)', () => {
  // A missing tool fails every test (with the install command), it never skips them.
  let setupError: unknown = null;
  before(() => {
    try {
      nginx = requireCommand('nginx', 'nginx');
      Object.assign(results.data.environment, {
        nginx: commandVersion(nginx, ['-v'], /nginx\/(\S+)/),
        nginxPackage: debVersion('nginx'),
      });
    } catch (e) {
      setupError = e;
    }
  });
  after(async () => {
    await killAll();
    results.write();
  });

  it('SIGTERM: fast shutdown, the in-flight proxied request is cut', { timeout: 25_000 }, async () => {
    if (setupError) throw setupError instanceof Error ? setupError : new Error('setup failed', { cause: setupError });
    const r = await scenario('SIGTERM');
    assert.equal(r.inflight.status, null, JSON.stringify(r));
    assert.match(r.inflight.error ?? '', /ECONNRESET|socket hang up/, JSON.stringify(r));
    assert.ok(r.master.exitedAfterSignalMs < 1000, JSON.stringify(r));
    assert.equal(r.master.code, 0, JSON.stringify(r));
  });

  it('SIGQUIT: graceful shutdown, the in-flight request completes (200), then nginx exits', { timeout: 25_000 }, async () => {
    if (setupError) throw setupError instanceof Error ? setupError : new Error('setup failed', { cause: setupError });
    const r = await scenario('SIGQUIT');
    assert.equal(r.inflight.status, 200, JSON.stringify(r));
    assert.equal(r.inflight.error, null, JSON.stringify(r));
    assert.match(r.inflight.body, /^ok /, JSON.stringify(r));
    assert.ok(r.master.exitedAfterSignalMs >= SLOW_MS - SIGNAL_AFTER_MS - 100, JSON.stringify(r));
    assert.equal(r.master.code, 0, JSON.stringify(r));
  });
});
