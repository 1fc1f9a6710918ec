#!/usr/bin/env node
// Runs the extension's tests in a real VS Code, self-contained (after scripts/setup-code-server.sh):
//   (default)   bundle the extension and the mocha suite, copy examples/shop into a temp workspace and
//               test/fixtures/vscode next to it, and run the suite inside code-server's extension host
//               (test/vscode/runInCodeServer.ts, Route A);
//   --ui        black-box UI smoke tests of the packaged .vsix (test/vscode/uiTests.ts, Route B);
//   --desktop   the same mocha suite in desktop VS Code through @vscode/test-electron (needs to download
//               VS Code from update.code.visualstudio.com, so it cannot run offline).
// Env: KUBECONN_SUITE_GREP=<pattern> runs only matching tests; KUBECONN_KEEP=1 keeps the temp workspace.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv.includes('--ui') ? 'ui' : process.argv.includes('--desktop') ? 'desktop' : 'suite';
const started = Date.now();

/** Compile one of the Node-side test drivers (TypeScript) to an ES module next to the bundle. */
async function driver(name) {
  const outfile = path.join(root, 'dist-vscode', 'runner', `${name}.mjs`);
  await build({
    entryPoints: [path.join(root, 'test', 'vscode', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}

function prepareWorkspace() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kubeconn-vscode-'));
  const workspace = path.join(tmp, 'workspace');
  mkdirSync(workspace);
  cpSync(path.join(root, 'examples', 'shop'), path.join(workspace, 'shop'), { recursive: true });
  const fixtures = path.join(tmp, 'fixtures');
  cpSync(path.join(root, 'test', 'fixtures', 'vscode'), fixtures, { recursive: true });
  return { tmp, workspace, fixtures };
}

let exitCode = 1;
if (mode === 'ui') {
  const { runUiTests } = await driver('uiTests');
  exitCode = await runUiTests({ root });
} else {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'bundle-vscode.mjs'), '--tests'], { stdio: 'inherit' });
  const { tmp, workspace, fixtures } = prepareWorkspace();
  const extensionTestsPath = path.join(root, 'dist-vscode', 'test', 'suite', 'index.cjs');
  const env = {
    KUBECONN_FIXTURES: fixtures,
    ...(process.env.KUBECONN_SUITE_GREP ? { KUBECONN_SUITE_GREP: process.env.KUBECONN_SUITE_GREP } : {}),
  };
  try {
    if (mode === 'desktop') {
      const { runTests } = await import('@vscode/test-electron');
      Object.assign(process.env, env);
      exitCode = await runTests({
        extensionDevelopmentPath: root,
        extensionTestsPath,
        launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
        extensionTestsEnv: env,
      }).then(
        () => 0,
        (error) => (console.error(String(error)), 1),
      );
    } else {
      const { runTestsInCodeServer } = await driver('runInCodeServer');
      const result = await runTestsInCodeServer({
        extensionDevelopmentPath: root,
        extensionTestsPath,
        workspaceFolder: workspace,
        env,
        timeoutMs: 600_000,
      });
      exitCode = result.exitCode;
    }
  } finally {
    if (process.env.KUBECONN_KEEP === '1') console.log(`workspace kept at ${workspace}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}
console.log(`test-vscode (${mode}): exit ${exitCode} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(exitCode);
