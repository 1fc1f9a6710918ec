/**
 * Route B: black-box UI smoke helpers. They install a packaged .vsix into a fresh code-server, open a
 * folder in its workbench (headless chromium), and drive it like a person: Ctrl+P to open a file,
 * Ctrl+Shift+M for the Problems panel, Ctrl+. + Enter for a quick fix, screenshots.
 *
 * The CSS selectors belong to VS Code 1.100's DOM, not to an API: keep UI checks to a few smoke
 * tests and do the real assertions in Route A (runInCodeServer.ts).
 *
 * CLI (after `tsc -p .`), exit 0 when every requested expectation held:
 *   node dist/test/vscode/uiSmoke.js --vsix X.vsix --folder DIR --file deploy.yaml \
 *     [--expect-problem "mutable"] [--quick-fix "Pin image tag to 1.0.0"] [--expect-text "nginx:1.0.0"] \
 *     [--screenshot-dir test-results] [--timeout 120000]
 * The folder is copied to a temp dir first (a quick fix edits files; --in-place to skip the copy).
 */
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { findRepoRoot, launchChromium, runCodeServerCli, startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer.js';

// The page functions below run in the browser; tsconfig has no DOM lib, so declare the little we use.
interface DomEl {
  textContent: string | null;
  innerText: string;
  getAttribute(name: string): string | null;
}
declare const document: { querySelector(sel: string): DomEl | null; querySelectorAll(sel: string): Iterable<DomEl> };

export const SELECTORS = {
  workbench: '.monaco-workbench',
  explorer: '.explorer-folders-view',
  quickInput: '.quick-input-widget',
  editorLines: '.editor-instance .view-lines',
  problemsPanel: '.markers-panel',
  problemRow: '.markers-panel .monaco-list-row',
  actionWidgetRow: '.action-widget .monaco-list-row',
  actionWidgetFocusedRow: '.action-widget .monaco-list-row.focused',
} as const;

/** `--install-extension <vsix>` into `extensionsDir` (offline). Resolves with code-server's message. */
export async function installVsix(vsixPath: string, extensionsDir: string): Promise<string> {
  const { stdout, stderr } = await runCodeServerCli(['--install-extension', path.resolve(vsixPath)], { extensionsDir });
  const out = `${stdout}${stderr}`;
  if (!/successfully installed/i.test(out)) throw new Error(`installing ${vsixPath} failed:\n${out}`);
  return out.trim();
}

export interface UiSession {
  server: CodeServer;
  browser: Browser;
  page: Page;
  /** The folder the workbench has open. */
  folder: string;
  close(): Promise<void>;
}

export interface OpenFolderOptions {
  /** Folder to open (absolute server path). */
  folder: string;
  /** .vsix files installed into the session's extensions dir before the server starts. */
  vsix?: string[];
  /** Extensions dir (default: code-server's temp one). */
  extensionsDir?: string;
  settings?: CodeServerOptions['settings'];
  env?: CodeServerOptions['env'];
  /** How long to wait for the workbench (default 60 s). */
  timeoutMs?: number;
  viewport?: { width: number; height: number };
}

/** Start code-server (with the given .vsix installed), open `folder` in headless chromium and wait for the workbench. */
export async function openFolder(opts: OpenFolderOptions): Promise<UiSession> {
  const tmp = opts.extensionsDir ? undefined : mkdtempSync(path.join(os.tmpdir(), 'kubeconn-ui-ext-'));
  const extensionsDir = opts.extensionsDir ?? tmp!;
  for (const vsix of opts.vsix ?? []) await installVsix(vsix, extensionsDir);
  const server = await startCodeServer({ extensionsDir, settings: opts.settings, env: opts.env });
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => {});
    await server.stop().catch(() => {});
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  };
  try {
    browser = await launchChromium();
    const page = await (await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } })).newPage();
    const timeout = opts.timeoutMs ?? 60_000;
    await page.goto(server.workbenchUrl(opts.folder), { waitUntil: 'domcontentloaded', timeout });
    await page.waitForSelector(SELECTORS.workbench, { timeout });
    await page.waitForSelector(SELECTORS.explorer, { timeout });
    return { server, browser, page, folder: path.resolve(opts.folder), close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Text with VS Code's non-breaking spaces turned into plain spaces. */
const norm = (s: string) => s.replace(/\u00a0/g, ' ');

/** Quick Open (Ctrl+P) `name`, Enter, and wait until an editor shows it. */
export async function openFile(page: Page, name: string, opts: { expectText?: string; timeoutMs?: number } = {}): Promise<void> {
  const timeout = opts.timeoutMs ?? 30_000;
  await page.keyboard.press('Control+P');
  await page.waitForSelector(`${SELECTORS.quickInput} input`, { state: 'visible', timeout });
  await page.keyboard.type(name);
  // wait for the file search to list it, then take the first pick
  await page.waitForFunction(
    (n) => [...document.querySelectorAll('.quick-input-widget .monaco-list-row')].some((r) => (r.textContent ?? '').includes(n)),
    path.basename(name),
    { timeout },
  );
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    (n) =>
      [...document.querySelectorAll('.tabs-container .tab')].some((t) => (t.getAttribute('aria-label') ?? t.textContent ?? '').includes(n)),
    path.basename(name),
    { timeout },
  );
  if (opts.expectText) await waitForEditorText(page, opts.expectText, timeout);
}

/** The visible text of the active editor (rendered lines only). */
export async function editorText(page: Page): Promise<string> {
  const el = await page.$(SELECTORS.editorLines);
  return el ? norm(await el.innerText()) : '';
}

/**
 * Run one wait and, when it fails, say which wait it was: a bare "page.waitForFunction: Timeout 30000ms exceeded"
 * from a check with several waits does not tell which of them raced.
 */
export async function step<T>(label: string, wait: () => Promise<T>): Promise<T> {
  try {
    return await wait();
  } catch (error) {
    throw new Error(`${label}: ${(error as Error).message}`);
  }
}

/** Wait until the active editor shows `text` (or stops showing it with `{ absent: true }`). */
export async function waitForEditorText(page: Page, text: string, timeoutMs = 30_000, opts: { absent?: boolean } = {}): Promise<void> {
  await step(`the editor ${opts.absent ? 'still shows' : 'never showed'} ${JSON.stringify(text)}`, () =>
    page.waitForFunction(
      ([sel, t, absent]) => {
        const el = document.querySelector(sel);
        const has = !!el && el.innerText.replace(/\u00a0/g, ' ').includes(t);
        return absent ? !has : has;
      },
      [SELECTORS.editorLines, text, !!opts.absent] as const,
      { timeout: timeoutMs },
    ),
  );
}

/** Show the Problems panel (Ctrl+Shift+M toggles it, so only press when it is not visible). */
export async function openProblems(page: Page, timeoutMs = 30_000): Promise<void> {
  if (!(await page.isVisible(SELECTORS.problemsPanel))) await page.keyboard.press('Control+Shift+M');
  await page.waitForSelector(SELECTORS.problemsPanel, { state: 'visible', timeout: timeoutMs });
}

/** The rows of the Problems panel (file rows and marker rows), as displayed text. */
export async function readProblemRows(page: Page): Promise<string[]> {
  return page.$$eval(SELECTORS.problemRow, (rows) =>
    rows.map((r) =>
      (r as DomEl).innerText
        .replace(/\u00a0/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

/** Wait until a Problems row contains `text`; resolves with that row's text. */
export async function waitForProblem(page: Page, text: string, timeoutMs = 30_000): Promise<string> {
  const handle = await step(`no Problems row ever showed ${JSON.stringify(text)}`, () =>
    page.waitForFunction(
      ([sel, t]) => {
        const row = [...document.querySelectorAll(sel)].find((r) => r.innerText.includes(t));
        return row
          ? row.innerText
              .replace(/\u00a0/g, ' ')
              .replace(/\s+/g, ' ')
              .trim()
          : false;
      },
      [SELECTORS.problemRow, text] as const,
      { timeout: timeoutMs },
    ),
  );
  return (await handle.jsonValue()) as string;
}

/** Wait until no Problems row contains `text`. */
export async function waitForProblemGone(page: Page, text: string, timeoutMs = 30_000): Promise<void> {
  await step(`a Problems row still shows ${JSON.stringify(text)}`, () =>
    page.waitForFunction(
      ([sel, t]) => ![...document.querySelectorAll(sel)].some((r) => r.innerText.includes(t)),
      [SELECTORS.problemRow, text] as const,
      { timeout: timeoutMs },
    ),
  );
}

/**
 * Put the cursor on the first problem of the active editor (click, Ctrl+Home, F8, Escape) and open the quick-fix
 * menu with Ctrl+. until it lists `title`. On a loaded machine the markers of a just-opened file can arrive after
 * F8 (which then goes nowhere and the menu lists only refactorings), and an Escape pressed before the marker peek
 * widget shows leaves it open: so wait for the squiggle first and retry the whole gesture a few times.
 */
export async function openQuickFixMenu(page: Page, title: string, opts: { attempts?: number; timeoutMs?: number } = {}): Promise<void> {
  const attempts = opts.attempts ?? 4;
  const perAttempt = Math.max(5_000, Math.floor((opts.timeoutMs ?? 40_000) / attempts));
  await step('the active editor never showed a warning squiggle', () =>
    page.waitForSelector('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error, .monaco-editor .squiggly-info', {
      timeout: opts.timeoutMs ?? 30_000,
    }),
  );
  let rows: (string | null)[] = [];
  for (let attempt = 0; attempt < attempts; attempt++) {
    await page.keyboard.press('Escape');
    await page.click(SELECTORS.editorLines);
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('F8');
    await page.waitForSelector('.zone-widget .marker-widget, .monaco-editor .peekview-widget', { timeout: 3_000 }).catch(() => undefined);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+.');
    const shown = await page
      .waitForFunction(
        ([sel, t]) => [...document.querySelectorAll(sel)].some((r) => (r.textContent ?? '').includes(t)),
        [SELECTORS.actionWidgetRow, title] as const,
        { timeout: perAttempt },
      )
      .then(
        () => true,
        () => false,
      );
    if (shown) return;
    rows = await page.$$eval(SELECTORS.actionWidgetRow, (rs) => rs.map((r) => r.textContent));
  }
  throw new Error(`the quick-fix menu never offered ${JSON.stringify(title)} in ${attempts} attempts; last rows: ${JSON.stringify(rows)}`);
}

/**
 * Run the action titled `title` of the open quick-fix menu with the keyboard (arrow keys + Enter: a mouse click on
 * the menu times out, `.context-view-pointerBlock` intercepts pointer events).
 */
export async function pickQuickFix(page: Page, title: string): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const focused = await page.$(SELECTORS.actionWidgetFocusedRow);
    if (focused && ((await focused.textContent()) ?? '').includes(title)) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(
    `quick fix "${title}" never got the keyboard focus; rows: ${JSON.stringify(await page.$$eval(SELECTORS.actionWidgetRow, (rs) => rs.map((r) => r.textContent)))}`,
  );
}

/** Open the quick-fix menu on the first problem of the active editor and run the action titled `title`. */
export async function applyQuickFix(page: Page, title: string, timeoutMs = 40_000): Promise<void> {
  await openQuickFixMenu(page, title, { timeoutMs });
  await pickQuickFix(page, title);
}

/** Full-page screenshot to `file` (folders created). Resolves with the path. */
export async function screenshot(page: Page, file: string): Promise<string> {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  await page.screenshot({ path: path.resolve(file), timeout: 15_000 });
  return path.resolve(file);
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      vsix: { type: 'string', multiple: true },
      folder: { type: 'string' },
      file: { type: 'string' },
      'expect-problem': { type: 'string' },
      'quick-fix': { type: 'string' },
      'expect-text': { type: 'string' },
      'screenshot-dir': { type: 'string' },
      timeout: { type: 'string' },
      'in-place': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help || !values.folder) {
    console.log(
      'usage: node dist/test/vscode/uiSmoke.js --folder DIR [--vsix X.vsix]... [--file NAME] [--expect-problem TEXT] [--quick-fix TITLE] [--expect-text TEXT] [--screenshot-dir DIR] [--timeout MS] [--in-place]',
    );
    return values.help ? 0 : 2;
  }
  let root: string;
  try {
    root = findRepoRoot();
  } catch {
    root = process.cwd();
  }
  const shots = path.resolve(values['screenshot-dir'] ?? path.join(root, 'test-results'));
  const timeoutMs = values.timeout ? Number(values.timeout) : 120_000;
  const started = Date.now();
  const copy = values['in-place'] ? undefined : mkdtempSync(path.join(os.tmpdir(), 'kubeconn-ui-ws-'));
  const folder = copy ? path.join(copy, path.basename(path.resolve(values.folder))) : path.resolve(values.folder);
  if (copy) cpSync(path.resolve(values.folder), folder, { recursive: true });

  let session: UiSession | undefined;
  const step = (msg: string) => console.log(`[ui ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
  const hardTimer = setTimeout(() => {
    console.error(`uiSmoke: hard timeout ${timeoutMs} ms`);
    process.exit(1);
  }, timeoutMs + 30_000);
  hardTimer.unref();
  try {
    session = await openFolder({ folder, vsix: values.vsix, timeoutMs });
    step(`workbench open (VS Code ${session.server.versions.vscode}) on ${folder}`);
    const { page } = session;
    if (values.file) {
      await openFile(page, values.file, { timeoutMs });
      step(`opened ${values.file}`);
    }
    if (values['expect-problem']) {
      await openProblems(page, timeoutMs);
      const row = await waitForProblem(page, values['expect-problem'], timeoutMs);
      step(`problem: ${row}`);
    }
    if (values['quick-fix']) {
      await applyQuickFix(page, values['quick-fix'], timeoutMs);
      step(`applied quick fix "${values['quick-fix']}"`);
    }
    if (values['expect-text']) {
      await waitForEditorText(page, values['expect-text'], timeoutMs);
      step(`editor shows "${values['expect-text']}"`);
    }
    if (values['quick-fix'] && values['expect-problem']) {
      await waitForProblemGone(page, values['expect-problem'], timeoutMs);
      step('problem gone');
    }
    const file = await screenshot(page, path.join(shots, 'ui-smoke-pass.png'));
    step(`PASS; screenshot ${file}`);
    return 0;
  } catch (e) {
    console.error(`uiSmoke FAILED: ${e instanceof Error ? e.message : String(e)}`);
    if (session) {
      console.error(`problem rows: ${JSON.stringify(await readProblemRows(session.page).catch(() => []))}`);
      const file = await screenshot(session.page, path.join(shots, `ui-smoke-failure-${Date.now()}.png`)).catch(() => undefined);
      if (file) console.error(`screenshot: ${file}`);
    }
    return 1;
  } finally {
    await session?.close();
    if (copy) rmSync(copy, { recursive: true, force: true });
  }
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
      console.error(`uiSmoke: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exit(2);
    },
  );
}
