/**
 * Route A runner: run an extension's mocha tests inside the real VS Code extension host of code-server.
 *
 * It does what @vscode/test-electron's runTests() does for desktop VS Code, without Electron: it opens
 * code-server's workbench in headless chromium with the `payload` query parameter
 *   [["extensionDevelopmentPath", vscode-remote://…/ext], ["extensionTestsPath", vscode-remote://…/index.cjs]]
 * The server-side Node extension host loads the extension from extensionDevelopmentPath, `require`s
 * extensionTestsPath and calls its exported `run(): Promise<void>`. The workbench then calls
 * window.codeAutomationExit(0 | 1) and forwards its log (including the extension host's console, so
 * the mocha reporter) to window.codeAutomationLog(type, args). See test/vscode/suite/README.md.
 *
 * CLI (after `tsc -p .`):
 *   node dist/test/vscode/runInCodeServer.js \
 *     [--extensionDevelopmentPath <dir>]   default: repo root
 *     [--extensionTestsPath <file.cjs>]    default: <dev path>/dist-vscode/test/suite/index.cjs
 *     [--workspace <dir>]                  default: a new empty temp folder
 *     [--timeout <ms>]                     default: 240000
 *     [--screenshot-dir <dir>]             default: <repo>/test-results
 *     [--verbose]                          also print the workbench's own log lines
 * Exit code: the tests' exit code (0 passed, 1 failed); 1 on timeout; 2 when the runner itself failed.
 */
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { findRepoRoot, launchChromium, startCodeServer, type CodeServer } from './codeServer.js';

export const DEFAULT_TIMEOUT_MS = 240_000;

export interface RunTestsOptions {
  /** Folder with the extension's package.json (its `main` is what the extension host activates). */
  extensionDevelopmentPath: string;
  /** CommonJS file exporting `run(): Promise<void>` (e.g. dist-vscode/test/suite/index.cjs). */
  extensionTestsPath: string;
  /** Folder opened as the workspace (default: a new empty temp folder). */
  workspaceFolder?: string;
  /** Hard timeout for the whole run, startup included (default 240 s). */
  timeoutMs?: number;
  /** Where the failure/timeout screenshot goes (default <repo>/test-results). */
  screenshotDir?: string;
  /** Extra environment for code-server, which the extension host inherits. */
  env?: NodeJS.ProcessEnv;
  /** Extra user settings for the test window. */
  settings?: Record<string, unknown>;
  /** Print the workbench's own log lines too, not only the extension host console (default false). */
  verbose?: boolean;
  /** Receives each output line (default: console.log). */
  log?: (line: string) => void;
}

export interface RunTestsResult {
  /** 0 = run() resolved, 1 = run() rejected, or 1 on timeout. */
  exitCode: number;
  timedOut: boolean;
  durationMs: number;
  /** e.g. 1.100.3 */
  vscodeVersion: string;
  /** Set when a screenshot was written (failure or timeout). */
  screenshot?: string;
}

/** Workbench log lines that are expected offline and say nothing about the tests (always dropped). */
const NOISE: readonly RegExp[] = [
  /vsda/i,
  /open-vsx\.org|marketplace|gallery/i,
  /ENOTFOUND/,
  /Failed to load resource/i,
  /a socket was left hanging/i,
];

/**
 * The workbench's own bookkeeping lines (dropped unless verbose). Everything else that reaches
 * codeAutomationLog is the extension host's console, i.e. the mocha reporter and the tests' output.
 */
const WORKBENCH_CHATTER: readonly RegExp[] = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore/,
  /^\[driver\]/,
  /^Creation of workbench contribution/,
];

/** Turn one codeAutomationLog call into printable text. */
function formatLogArgs(args: unknown): string {
  if (Array.isArray(args)) return format(...(args as unknown[]));
  return typeof args === 'string' ? args : format(args);
}

async function takeScreenshot(page: Page | undefined, dir: string, reason: string): Promise<string | undefined> {
  if (!page || page.isClosed()) return undefined;
  try {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `code-server-${reason}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`);
    await page.screenshot({ path: file, timeout: 15_000 });
    return file;
  } catch {
    return undefined;
  }
}

/** Run the tests once. Never throws for test failures; throws only when the infrastructure fails to start. */
export async function runTestsInCodeServer(opts: RunTestsOptions): Promise<RunTestsResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = Date.now();
  const deadline = started + timeoutMs;
  const extDir = realpathSync(path.resolve(opts.extensionDevelopmentPath));
  const testsPath = path.resolve(opts.extensionTestsPath);
  if (!existsSync(path.join(extDir, 'package.json'))) throw new Error(`no package.json in extensionDevelopmentPath ${extDir}`);
  if (!existsSync(testsPath) || !statSync(testsPath).isFile())
    throw new Error(`extensionTestsPath ${testsPath} does not exist (build the suite first)`);
  const screenshotDir = opts.screenshotDir ?? path.join(safeRepoRoot() ?? process.cwd(), 'test-results');

  let tempWorkspace: string | undefined;
  const workspace = opts.workspaceFolder
    ? path.resolve(opts.workspaceFolder)
    : (tempWorkspace = mkdtempSync(path.join(os.tmpdir(), 'kubeconn-vscode-ws-')));

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const work = (async () => {
      server = await startCodeServer({ env: opts.env, settings: opts.settings });
      log(
        `code-server ${server.versions.codeServer} (VS Code ${server.versions.vscode}) on ${server.url} after ${Date.now() - started} ms`,
      );
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
      let resolveExit!: (code: number) => void;
      const exit = new Promise<number>((resolve) => {
        resolveExit = resolve;
      });
      await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
        const text = formatLogArgs(args);
        if (NOISE.some((re) => re.test(text))) return;
        if (opts.verbose) log(`[${type}] ${text}`);
        else if (!WORKBENCH_CHATTER.some((re) => re.test(text))) log(text);
      });
      await page.exposeFunction('codeAutomationExit', (code: unknown) => resolveExit(Number(code)));
      if (opts.verbose) page.on('pageerror', (e) => log(`[pageerror] ${e.message}`));
      const url = server.workbenchUrl(workspace, [
        ['extensionDevelopmentPath', server.remoteUri(extDir)],
        ['extensionTestsPath', server.remoteUri(testsPath)],
      ]);
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: Math.max(1000, deadline - Date.now()) });
      return exit;
    })();
    work.catch(() => {}); // surfaced below via the race
    const outcome = await Promise.race([work, timeout]);
    const durationMs = Date.now() - started;
    const vscodeVersion = server?.versions.vscode ?? 'unknown';
    if (outcome === 'timeout') {
      const screenshot = await takeScreenshot(page, screenshotDir, 'timeout');
      log(`extension tests TIMED OUT after ${durationMs} ms${screenshot ? `; screenshot: ${screenshot}` : ''}`);
      if (server) log(`code-server output (last lines):\n${server.recentOutput().split('\n').slice(-20).join('\n')}`);
      return { exitCode: 1, timedOut: true, durationMs, vscodeVersion, screenshot };
    }
    const exitCode = outcome;
    const screenshot = exitCode !== 0 ? await takeScreenshot(page, screenshotDir, 'failure') : undefined;
    log(`extension tests finished with exit code ${exitCode} in ${durationMs} ms${screenshot ? `; screenshot: ${screenshot}` : ''}`);
    return { exitCode, timedOut: false, durationMs, vscodeVersion, screenshot };
  } catch (e) {
    const screenshot = await takeScreenshot(page, screenshotDir, 'error');
    if (screenshot) log(`screenshot: ${screenshot}`);
    throw e;
  } finally {
    if (timer) clearTimeout(timer);
    await browser?.close().catch(() => {});
    await server?.stop().catch(() => {});
    if (tempWorkspace) rmSync(tempWorkspace, { recursive: true, force: true });
  }
}

function safeRepoRoot(): string | undefined {
  try {
    return findRepoRoot();
  } catch {
    return undefined;
  }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      extensionDevelopmentPath: { type: 'string' },
      extensionTestsPath: { type: 'string' },
      workspace: { type: 'string' },
      timeout: { type: 'string' },
      'screenshot-dir': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      'usage: node dist/test/vscode/runInCodeServer.js [--extensionDevelopmentPath DIR] [--extensionTestsPath FILE.cjs] [--workspace DIR] [--timeout MS] [--screenshot-dir DIR] [--verbose]',
    );
    return 0;
  }
  const root = safeRepoRoot() ?? process.cwd();
  const extensionDevelopmentPath = path.resolve(values.extensionDevelopmentPath ?? root);
  const extensionTestsPath = path.resolve(
    values.extensionTestsPath ?? path.join(extensionDevelopmentPath, 'dist-vscode', 'test', 'suite', 'index.cjs'),
  );
  const result = await runTestsInCodeServer({
    extensionDevelopmentPath,
    extensionTestsPath,
    workspaceFolder: values.workspace,
    timeoutMs: values.timeout ? Number(values.timeout) : undefined,
    screenshotDir: values['screenshot-dir'],
    verbose: values.verbose,
  });
  return result.exitCode;
}

const isMain = (() => {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`runInCodeServer: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exit(2);
    },
  );
}
