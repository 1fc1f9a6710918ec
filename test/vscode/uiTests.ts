/**
 * Route B for kubeconn: black-box UI smoke tests of the packaged .vsix in code-server, driven like a
 * person (helpers in uiSmoke.ts). Installs kubeconn-<version>.vsix, opens a copy of examples/shop, and
 * checks the Problems panel, a quick fix applied with Ctrl+., the status bar and the catalog view.
 * Screenshots for the docs go to docs/images/ (problems-panel.png, quick-fix.png, catalog.png).
 * Run: npm run test:ui (packages first). Exit code 0 when every check held.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { applyQuickFix, openFile, openFolder, openProblems, screenshot, SELECTORS, waitForEditorText, waitForProblem, waitForProblemGone } from './uiSmoke.js';

// The page functions run in the browser; tsconfig has no DOM lib, so declare the little we use.
declare const document: { querySelectorAll(sel: string): Iterable<{ textContent: string | null }> };

interface Check {
  name: string;
  run(page: Page): Promise<void>;
}

const IMBALANCE = "Service 'orders' port 50051 carries gRPC/HTTP2";
const APP_PROTOCOL = "Service 'orders' port 50051 looks like gRPC";

export async function runUiTests({ root }: { root: string }): Promise<number> {
  const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const vsix = path.join(root, `kubeconn-${version}.vsix`);
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package first`);
  const images = path.join(root, 'docs', 'images');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kubeconn-ui-'));
  const folder = path.join(tmp, 'shop');
  cpSync(path.join(root, 'examples', 'shop'), folder, { recursive: true });

  const checks: Check[] = [
    {
      name: 'the Problems panel lists kubeconn diagnostics of a file never opened, with rule id and position',
      async run(page) {
        await openProblems(page, 60_000);
        // The list is virtualised: filter it down to the orders Service so its rows are rendered.
        const filter = page.locator('.part.panel input[placeholder^="Filter"]').first();
        await filter.click();
        await filter.fill("Service 'orders'");
        const row = await waitForProblem(page, IMBALANCE, 60_000);
        if (!/kubeconn/.test(row) || !/grpc-clusterip-imbalance/.test(row) || !/Ln 13, Col 7/.test(row)) throw new Error(`unexpected row: ${row}`);
        await openFile(page, 'orders.yaml', { expectText: 'kind: Service' });
        await screenshot(page, path.join(images, 'problems-panel.png'));
      },
    },
    {
      name: 'the status bar shows the counts',
      async run(page) {
        await page.waitForFunction(() => [...document.querySelectorAll('.statusbar-item')].some((e) => /kubeconn/.test(e.textContent ?? '')), undefined, { timeout: 30_000 });
      },
    },
    {
      name: 'Ctrl+. offers the fix and the suggestions; Enter applies "Add appProtocol" and the problem goes',
      async run(page) {
        // Open the menu once for the screenshot, then let applyQuickFix pick the action with the keyboard.
        await page.click(SELECTORS.editorLines);
        await page.keyboard.press('Control+Home');
        await page.keyboard.press('F8');
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+.');
        await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].some((r) => (r.textContent ?? '').includes('Make \'orders\' headless')), SELECTORS.actionWidgetRow, { timeout: 30_000 });
        await screenshot(page, path.join(images, 'quick-fix.png'));
        await page.keyboard.press('Escape');
        await applyQuickFix(page, 'Add appProtocol: kubernetes.io/h2c');
        await waitForEditorText(page, 'appProtocol: kubernetes.io/h2c');
        await waitForProblemGone(page, APP_PROTOCOL);
        await waitForProblem(page, IMBALANCE);
      },
    },
    {
      name: 'the catalog view lists the shop components with their scorecards, and opens an entity page',
      async run(page) {
        await page.keyboard.press('Control+Shift+P');
        await page.waitForSelector(`${SELECTORS.quickInput} input`, { state: 'visible' });
        await page.keyboard.type('kubeconn: Focus on Catalog View');
        await page.waitForFunction(() => [...document.querySelectorAll('.quick-input-widget .monaco-list-row')].some((r) => /Catalog/.test(r.textContent ?? '')), undefined, { timeout: 30_000 });
        await page.keyboard.press('Enter');
        const row = (name: string) => page.locator('.part.sidebar .pane-body .monaco-list-row', { hasText: new RegExp(`^\\s*${name}`) }).first();
        await row('payments').waitFor({ timeout: 30_000 });
        const text = await row('payments').innerText();
        if (!/checks pass/.test(text)) throw new Error(`no scorecard on the payments row: ${text}`);
        await row('payments').locator('.monaco-tl-twistie').click();
        await row('Fits the grace period').waitFor({ timeout: 30_000 });
        await row('orders').click(); // opens the entity page
        await page.locator('.webview, iframe.webview').first().waitFor({ timeout: 30_000 });
        await page.waitForTimeout(1500);
        await screenshot(page, path.join(images, 'catalog.png'));
      },
    },
  ];

  const session = await openFolder({ folder, vsix: [vsix], settings: { 'workbench.colorTheme': 'Default Dark Modern' }, timeoutMs: 90_000 });
  let failed = 0;
  try {
    for (const check of checks) {
      const started = Date.now();
      try {
        await check.run(session.page);
        console.log(`  ✔ ${check.name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed++;
        console.log(`  ✖ ${check.name}\n    ${(error as Error).message.split('\n').join('\n    ')}`);
        await screenshot(session.page, path.join(root, 'test-results', `ui-failure-${failed}.png`)).catch(() => undefined);
      }
    }
  } finally {
    await session.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${checks.length - failed} passing, ${failed} failing`);
  return failed === 0 ? 0 : 1;
}
