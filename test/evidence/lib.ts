// Shared helpers for the runtime-evidence tests (test/evidence/*.test.ts): tool resolution that fails loudly,
// versions of everything measured, bounded child processes, loopback ports, and the JSON each test writes to
// test-results/evidence/<topic>.json (rendered to docs/evidence/runtime-*.md by render-docs.ts).
//
// Nothing here dials or listens outside 127.0.0.0/8.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { repoRoot } from '../helpers/paths.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------
// npm packages the evidence needs (package managers under test). Resolved from the repo's node_modules (once they
// are devDependencies), else from $KUBECONN_EVIDENCE_DEPS (an `npm i --prefix` folder), else /tmp/evidence-deps.
// Missing = the test FAILS with the install command; it never skips.

export const EVIDENCE_DEPS_ENV = 'KUBECONN_EVIDENCE_DEPS';
const FALLBACK_DEPS = '/tmp/evidence-deps';

/** name → the exact spec to install (`npm i -E --prefix DIR <spec>`). */
export const EVIDENCE_NPM_PACKAGES = {
  yarn: 'yarn@1.22.22',
  '@yarnpkg/cli-dist': '@yarnpkg/cli-dist@4.18.1',
  pnpm10: 'pnpm10@npm:pnpm@10.34.9',
  pnpm: 'pnpm@12.4.2',
} as const;
export type EvidencePackage = keyof typeof EVIDENCE_NPM_PACKAGES;

export class MissingToolError extends Error {
  override name = 'MissingToolError';
}

/** Absolute path of `file` inside npm package `pkg`, from the first place that has it. */
export function resolvePackageFile(pkg: EvidencePackage, file: string): string {
  const roots = [
    path.join(repoRoot, 'node_modules'),
    ...(process.env[EVIDENCE_DEPS_ENV] ? [path.join(process.env[EVIDENCE_DEPS_ENV], 'node_modules')] : []),
    path.join(FALLBACK_DEPS, 'node_modules'),
  ];
  for (const root of roots) {
    const p = path.join(root, pkg, file);
    if (fs.existsSync(p)) return p;
  }
  const specs = Object.values(EVIDENCE_NPM_PACKAGES).join(' ');
  throw new MissingToolError(
    `evidence: npm package ${pkg} (${EVIDENCE_NPM_PACKAGES[pkg]}) not found in ${roots.join(', ')}. ` +
      `Install: npm i -E --prefix ${FALLBACK_DEPS} ${specs}  (or set ${EVIDENCE_DEPS_ENV}). These tests must not be skipped.`,
  );
}

/** Version field of an installed evidence package. */
export function packageVersion(pkg: EvidencePackage): string {
  const manifest = JSON.parse(fs.readFileSync(resolvePackageFile(pkg, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/** Absolute path of a system command, or a MissingToolError naming the Debian package. */
export function requireCommand(cmd: string, debPackage: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  let p = r.stdout.trim();
  // Daemons such as nginx live in /usr/sbin, which a non-login PATH may lack.
  if ((r.status !== 0 || !p) && !cmd.includes('/') && fs.existsSync(`/usr/sbin/${cmd}`)) p = `/usr/sbin/${cmd}`;
  else if (r.status !== 0) p = '';
  if (!p) {
    throw new MissingToolError(
      `evidence: \`${cmd}\` not found (Debian package ${debPackage}; scripts/install-test-deps.sh installs it). These tests must not be skipped.`,
    );
  }
  return p;
}

// ---------------------------------------------------------------------------------------------------------------
// Versions of what was measured.

export function debVersion(pkg: string): string {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'not installed (dpkg)';
}

export function commandVersion(cmd: string, args: string[], re = /(\d+\.\d+(?:\.\d+)?)/): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
  const m = re.exec(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  return m ? m[1]! : 'unknown';
}

export function grpcJsVersion(): string {
  const require = createRequire(path.join(repoRoot, 'package.json'));
  return (require('@grpc/grpc-js/package.json') as { version: string }).version;
}

export function baseEnvironment(): Record<string, string> {
  return {
    kernel: `${os.type()} ${os.release()}`,
    cpus: String(os.cpus().length),
    node: process.version,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Results: every test file records what it measured; after() writes test-results/evidence/<topic>.json.

export const resultsDir = path.join(repoRoot, 'test-results', 'evidence');

export interface TopicResults {
  topic: string;
  generatedAt: string;
  environment: Record<string, string>;
  /** Free-form measured data, keyed by scenario. */
  scenarios: Record<string, unknown>;
  /** Wall time of the whole file, ms (filled in by write()). */
  fileMs?: number;
}

export function topicResults(topic: string, environment: Record<string, string>) {
  const started = Date.now();
  const data: TopicResults = {
    topic,
    generatedAt: new Date().toISOString(),
    environment: { ...baseEnvironment(), ...environment },
    scenarios: {},
  };
  return {
    data,
    record(name: string, value: unknown) {
      data.scenarios[name] = value;
    },
    write() {
      data.fileMs = Date.now() - started;
      fs.mkdirSync(resultsDir, { recursive: true });
      fs.writeFileSync(path.join(resultsDir, `${topic}.json`), JSON.stringify(data, null, 2) + '\n');
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Bounded child processes: every spawned process is tracked and SIGKILLed (its whole process group) by killAll(),
// which every test file calls in after(); each one also gets its own hard timeout.

const live = new Set<ChildProcess>();

export interface Bounded {
  child: ChildProcess;
  /** stdout+stderr so far. */
  output(): string;
  /** stdout alone so far. */
  stdout(): string;
  /** Resolves when the process has exited (code/signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** SIGKILL the process group. */
  kill(): void;
}

export function spawnBounded(cmd: string, args: string[], opts: SpawnOptions & { timeoutMs: number }): Bounded {
  const { timeoutMs, ...spawnOpts } = opts;
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...spawnOpts });
  live.add(child);
  let out = '';
  let stdout = '';
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
    stdout += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const kill = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  const timer = setTimeout(kill, timeoutMs);
  timer.unref();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.on('error', (err) => {
      out += `spawn error: ${err.message}\n`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, at: Date.now() });
    });
  });
  return { child, output: () => out, stdout: () => stdout, exited, kill };
}

export async function killAll(): Promise<void> {
  const waits: Promise<unknown>[] = [];
  for (const c of live) {
    if (c.pid !== undefined) {
      try {
        process.kill(-c.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    waits.push(once(c, 'close').catch(() => undefined));
  }
  await Promise.race([Promise.all(waits), sleep(3000)]);
}

/** Wait until `pred()` is true, polling; throws after `timeoutMs` with `what`. */
export async function waitFor(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Loopback.

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const s = net.createServer();
  s.listen(0, host);
  await once(s, 'listening');
  const port = (s.address() as net.AddressInfo).port;
  s.close();
  await once(s, 'close');
  return port;
}

/** Refuse anything that is not loopback (a guard for helpers taking a host). */
export function assertLoopback(host: string): void {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) && host !== '::1' && host !== 'localhost') {
    throw new Error(`evidence tests only use 127.0.0.0/8, not ${host}`);
  }
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `kubeconn-evidence-${prefix}-`));
}
