// Shared helpers of the extension-host suite: the activated extension's API (a language client: what the
// server knows is asked over LSP), scratch copies of the fixtures (each in a namespace of its own so
// fixtures never select each other's pods), and polling.
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { KubeconnApi } from '../../../src/vscode/extension.js';

export const EXTENSION_ID = 'kubeconn.kubeconn';

let api: KubeconnApi | undefined;

export async function kubeconn(): Promise<KubeconnApi> {
  if (api) return api;
  const ext = vscode.extensions.getExtension<KubeconnApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  api = await ext.activate();
  await api.ready;
  return api;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window has no workspace folder');
  return folder.uri.fsPath;
}

export function wsUri(...parts: string[]): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), ...parts));
}

/** test/fixtures/vscode, copied next to the workspace by scripts/test-vscode.mjs. */
export function fixturesDir(): string {
  const dir = process.env.KUBECONN_FIXTURES;
  assert.ok(dir, 'KUBECONN_FIXTURES is not set (run the suite through scripts/test-vscode.mjs)');
  return dir;
}

let scratchCount = 0;

/**
 * Copy a fixture folder into <workspace>/scratch/<name>-<n>/, with `namespace: fixture` renamed to a
 * namespace of its own; wait until the extension has analysed the copy. Returns the folder and namespace.
 */
export async function scratch(
  fixture: string,
  extra: Record<string, string> = {},
): Promise<{ dir: string; ns: string; uri(file: string): vscode.Uri }> {
  const k = await kubeconn();
  const n = ++scratchCount;
  const ns = `${fixture.replace(/[^a-z0-9]/g, '')}-${n}`;
  const dir = path.join(workspaceRoot(), 'scratch', `${fixture}-${n}`);
  const source = path.join(fixturesDir(), fixture);
  const files: Record<string, string> = {};
  for (const name of readdirSync(source)) files[name] = readFileSync(path.join(source, name), 'utf8');
  Object.assign(files, extra);
  for (const [name, text] of Object.entries(files)) {
    await vscode.workspace.fs.writeFile(
      vscode.Uri.file(path.join(dir, name)),
      new TextEncoder().encode(text.replaceAll('namespace: fixture', `namespace: ${ns}`)),
    );
  }
  await waitForKnown(
    Object.keys(files).map((name) => path.join(dir, name)),
    true,
    `the server to read ${fixture}-${n}`,
  );
  await k.idle();
  return { dir, ns, uri: (file: string) => vscode.Uri.file(path.join(dir, file)) };
}

/** Wait until the server analyses (known = true) or has dropped (false) every one of these files. */
export async function waitForKnown(
  files: string[],
  known: boolean,
  what = `${files.length} files ${known ? 'read' : 'forgotten'}`,
  timeoutMs?: number,
): Promise<void> {
  const k = await kubeconn();
  await waitFor(
    what,
    async () => {
      const status = await k.serverStatus({ files: files.map((f) => vscode.Uri.file(f).toString()) });
      return status.known!.every((x) => x === known) || undefined;
    },
    timeoutMs,
  );
}

/** Internal errors of the client and the server (tests assert there are none). */
export async function internalErrors(): Promise<string[]> {
  const k = await kubeconn();
  return [...k.log.errors.map((e) => e.message), ...(await k.serverStatus()).internalErrors];
}

export function kubeconnDiagnostics(uri: vscode.Uri, code?: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kubeconn' && (code === undefined || codeOf(d) === code));
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  return code === undefined ? undefined : typeof code === 'object' ? String(code.value) : String(code);
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const log = api ? `\n      kubeconn client log:\n      ${api.log.recent.slice(-25).join('\n      ')}` : '';
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last instanceof Error ? String(last) : JSON.stringify(last)}` : ''}${log}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Wait for exactly `count` kubeconn diagnostics with `code` on `uri`. */
export function waitForDiagnostics(uri: vscode.Uri, code: string, count: number, timeoutMs?: number): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `${count} × ${code} on ${path.basename(uri.fsPath)} (have ${kubeconnDiagnostics(uri, code).length})`,
    () => {
      const list = kubeconnDiagnostics(uri, code);
      return list.length === count ? list : undefined;
    },
    timeoutMs,
  );
}

export async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  // The command needs the document's text model in the workbench, i.e. an opened document.
  await vscode.workspace.openTextDocument(uri);
  // Resolved as the workbench resolves an entry when it is picked (the fix-all entry comes without its edit).
  return (
    (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind?.value, 1000)) ?? []
  );
}

export function rangeText(r: vscode.Range): string {
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Revert every dirty document (edits applied by tests to files not shown in an editor included). */
export async function revertAll(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty) continue;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await closeAll();
}
