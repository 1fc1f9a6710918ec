/**
 * Start a pinned code-server (a real VS Code 1.100.3 server + web workbench, installed into
 * vscode-runtime/ by scripts/setup-code-server.sh) on a free 127.0.0.1 port, and launch Debian's
 * chromium headless through playwright-core to drive its workbench.
 *
 * Used by runInCodeServer.ts (Route A: mocha tests inside the extension host) and uiSmoke.ts
 * (Route B: black-box UI smoke checks of an installed .vsix).
 *
 * Environment overrides:
 *   CODE_SERVER_DIR   folder of the code-server npm package (default <repo>/vscode-runtime/node_modules/code-server)
 *   CODE_SERVER_NODE  node binary used to run code-server (default: this process's node)
 *   CHROMIUM_PATH     chromium executable (default /usr/bin/chromium)
 *   KUBECONN_VSCODE_DEBUG=1  echo code-server's own output
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The repository root: the nearest ancestor of this file that has vscode-runtime/package.json. */
export function findRepoRoot(start: string = here): string {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, 'vscode-runtime', 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root (a folder with vscode-runtime/package.json) above ${start}`);
    dir = parent;
  }
}

/** Folder of the installed code-server package. Throws with the setup command when it is missing. */
export function resolveCodeServerDir(): string {
  const dir = process.env.CODE_SERVER_DIR || path.join(findRepoRoot(), 'vscode-runtime', 'node_modules', 'code-server');
  if (!existsSync(path.join(dir, 'out', 'node', 'entry.js'))) {
    throw new Error(`code-server is not installed at ${dir}; run: npm run test:vscode:setup`);
  }
  return dir;
}

/** VS Code version (lib/vscode/product.json) and code-server version of the installed runtime. */
export function codeServerVersions(dir: string = resolveCodeServerDir()): { codeServer: string; vscode: string; commit: string } {
  const require = createRequire(import.meta.url);
  const pkg = require(path.join(dir, 'package.json')) as { version: string };
  const product = require(path.join(dir, 'lib', 'vscode', 'product.json')) as { version: string; commit: string };
  return { codeServer: pkg.version, vscode: product.version, commit: product.commit };
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function getFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Environment for code-server: drop variables that make it talk to an enclosing VS Code / code-server. */
function serverEnv(extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k === 'PASSWORD' || k === 'HASHED_PASSWORD')
      Reflect.deleteProperty(env, k);
  }
  return { ...env, ...extra };
}

export const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'files.autoSave': 'off',
};

export interface CodeServerOptions {
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** Extensions dir (default: a new temp dir, removed by stop()). */
  extensionsDir?: string;
  /** User data dir (default: a new temp dir, removed by stop()). */
  userDataDir?: string;
  /** Extra user settings merged over DEFAULT_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and so for the extension host. */
  env?: NodeJS.ProcessEnv;
  /** Extra command-line arguments for code-server. */
  extraArgs?: string[];
  /** Startup timeout (default 60 s). */
  startTimeoutMs?: number;
  /** Receives code-server's output lines (default: printed only with KUBECONN_VSCODE_DEBUG=1). */
  onOutput?: (line: string) => void;
  /** Keep the temp dir after stop() (for debugging). */
  keepTempDir?: boolean;
}

export interface CodeServer {
  readonly host: string;
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly tempDir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly process: ChildProcess;
  readonly versions: { codeServer: string; vscode: string; commit: string };
  /** vscode-remote://127.0.0.1:PORT/abs/path: how the workbench addresses a server-side path. */
  remoteUri(absPath: string): string;
  /** Workbench URL that opens `folder` (absolute server path), with an optional `payload` (extension dev/test). */
  workbenchUrl(folder?: string, payload?: [string, string][]): string;
  /** The last lines code-server printed (for failure reports). */
  recentOutput(): string;
  /** Kill code-server's whole process group and remove the temp dirs it created. */
  stop(): Promise<void>;
}

/** Common code-server arguments (no telemetry/update check/trust prompt, private config file). */
function baseArgs(dir: string, tempDir: string, userDataDir: string, extensionsDir: string): string[] {
  const args = [
    path.join(dir, 'out', 'node', 'entry.js'),
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--config',
    path.join(tempDir, 'config.yaml'),
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
  // Newer VS Code builds (found with 1.139) honour the workbench's `payload` only with the smoke-test
  // driver on; 4.100.3 has no --vscode-option and rejects unknown flags, so only add it when known.
  const require = createRequire(import.meta.url);
  const cli = require(path.join(dir, 'out', 'node', 'cli.js')) as { options?: Record<string, unknown> };
  if (cli.options && 'vscode-option' in cli.options) args.push('--vscode-option', 'enable-smoke-test-driver');
  return args;
}

function makeDirs(opts: { extensionsDir?: string; userDataDir?: string }, settings: Record<string, unknown>) {
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'kubeconn-code-server-'));
  const userDataDir = opts.userDataDir ?? path.join(tempDir, 'user');
  const extensionsDir = opts.extensionsDir ?? path.join(tempDir, 'extensions');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  if (!existsSync(settingsFile)) writeFileSync(settingsFile, JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2));
  writeFileSync(path.join(tempDir, 'config.yaml'), 'auth: none\ncert: false\n');
  return { tempDir, userDataDir, extensionsDir };
}

/** Kill a detached child's process group: SIGTERM, then SIGKILL after `graceMs`. */
async function killGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      try {
        child.kill(sig);
      } catch {
        /* gone */
      }
    }
  };
  signal('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    signal('SIGKILL');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  } else {
    signal('SIGKILL'); // stragglers in the group (extension host, pty host, file watcher)
  }
}

/** Start code-server on 127.0.0.1 and resolve once it listens. */
export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  const dir = resolveCodeServerDir();
  const versions = codeServerVersions(dir);
  const { tempDir, userDataDir, extensionsDir } = makeDirs(opts, opts.settings ?? {});
  const host = '127.0.0.1';
  const debug = process.env.KUBECONN_VSCODE_DEBUG === '1';
  const onOutput = opts.onOutput ?? (debug ? (l: string) => console.error(`[code-server] ${l}`) : () => {});
  const recent: string[] = [];

  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = opts.port ?? (await getFreePort(host));
    const args = [...baseArgs(dir, tempDir, userDataDir, extensionsDir), '--bind-addr', `${host}:${port}`, ...(opts.extraArgs ?? [])];
    const child = spawn(process.env.CODE_SERVER_NODE || process.execPath, args, {
      cwd: tempDir,
      env: serverEnv(opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group, so stop() reaches the extension host and helpers too
    });
    const started = Date.now();
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`code-server did not start within ${opts.startTimeoutMs ?? 60000} ms`)),
          opts.startTimeoutMs ?? 60000,
        );
        const onLine = (buf: Buffer) => {
          for (const line of buf.toString().split(/\r?\n/)) {
            if (!line) continue;
            recent.push(line);
            if (recent.length > 200) recent.shift();
            onOutput(line);
            if (line.includes('HTTP server listening on')) {
              clearTimeout(timer);
              resolve();
            }
            if (/EADDRINUSE/.test(line)) {
              clearTimeout(timer);
              reject(Object.assign(new Error(line), { code: 'EADDRINUSE' }));
            }
          }
        };
        child.stdout.on('data', onLine);
        child.stderr.on('data', onLine);
        child.once('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        child.once('exit', (code, sig) => {
          clearTimeout(timer);
          reject(new Error(`code-server exited (${code ?? sig}) during startup:\n${recent.slice(-30).join('\n')}`));
        });
      });
    } catch (e) {
      await killGroup(child);
      lastError = e as Error;
      if ((e as { code?: string }).code === 'EADDRINUSE' && opts.port === undefined) continue;
      if (!opts.keepTempDir) rmSync(tempDir, { recursive: true, force: true });
      throw e;
    }
    if (debug) console.error(`[code-server] up on ${host}:${port} after ${Date.now() - started} ms`);
    const url = `http://${host}:${port}`;
    const remoteUri = (p: string) => `vscode-remote://${host}:${port}${path.resolve(p).split(path.sep).map(encodeURIComponent).join('/')}`;
    return {
      host,
      port,
      url,
      tempDir,
      userDataDir,
      extensionsDir,
      process: child,
      versions,
      remoteUri,
      workbenchUrl(folder?: string, payload?: [string, string][]) {
        const q: string[] = [];
        if (folder) q.push(`folder=${encodeURIComponent(path.resolve(folder))}`);
        if (payload) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
        return `${url}/${q.length ? `?${q.join('&')}` : ''}`;
      },
      recentOutput: () => recent.join('\n'),
      async stop() {
        await killGroup(child);
        if (!opts.keepTempDir) rmSync(tempDir, { recursive: true, force: true });
      },
    };
  }
  if (!opts.keepTempDir) rmSync(tempDir, { recursive: true, force: true });
  throw lastError ?? new Error('code-server did not start');
}

/**
 * Run code-server's own CLI once (e.g. `--install-extension x.vsix`, `--list-extensions`) against
 * `extensionsDir`, without starting the server. Resolves with its output; rejects on a non-zero exit.
 */
export async function runCodeServerCli(
  cliArgs: string[],
  opts: { extensionsDir: string; userDataDir?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<{ stdout: string; stderr: string }> {
  const dir = resolveCodeServerDir();
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'kubeconn-code-server-cli-'));
  const userDataDir = opts.userDataDir ?? path.join(tempDir, 'user');
  mkdirSync(opts.extensionsDir, { recursive: true });
  writeFileSync(path.join(tempDir, 'config.yaml'), 'auth: none\ncert: false\n');
  const args = [
    path.join(dir, 'out', 'node', 'entry.js'),
    '--config',
    path.join(tempDir, 'config.yaml'),
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    opts.extensionsDir,
    ...cliArgs,
  ];
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(process.env.CODE_SERVER_NODE || process.execPath, args, {
        cwd: tempDir,
        env: serverEnv(opts.env),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => {
        stdout += b.toString();
      });
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
      });
      const timer = setTimeout(() => {
        void killGroup(child);
        reject(new Error(`code-server ${cliArgs.join(' ')} timed out\n${stdout}${stderr}`));
      }, opts.timeoutMs ?? 120000);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve({ stdout, stderr });
        else reject(new Error(`code-server ${cliArgs.join(' ')} exited with ${code}\n${stdout}${stderr}`));
      });
    });
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Launch Debian's chromium (no playwright browser download) headless. */
export async function launchChromium(opts: { headless?: boolean; executablePath?: string; args?: string[] } = {}): Promise<Browser> {
  const executablePath = opts.executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`chromium not found at ${executablePath}; run as root: npm run test:vscode:setup (apt-get install chromium)`);
  }
  return chromium.launch({ executablePath, headless: opts.headless ?? true, args: [...CHROMIUM_ARGS, ...(opts.args ?? [])] });
}
