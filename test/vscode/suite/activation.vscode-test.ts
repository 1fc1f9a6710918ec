/// <reference types="mocha" />
// The extension activates in the real VS Code as a language client, starts kubeconn's language server in a
// process of its own, declares untrusted-workspace support and publishes the first scan.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, internalErrors, kubeconn, kubeconnDiagnostics, waitFor, wsUri } from './helpers.js';

suite('activation', () => {
  test('runs in VS Code 1.100, activates with a test API and starts the language server', async () => {
    assert.match(vscode.version, /^1\.100\./);
    const api = await kubeconn();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)!.isActive);
    assert.ok(api.timings.activateMs >= 0 && api.timings.firstScanMs! > 0);
    assert.ok(api.client.isRunning());
    assert.equal(api.client.initializeResult?.serverInfo?.name, 'kubeconn');
    const { stats, files } = await api.idle();
    console.log(
      `    [perf] activate() ${api.timings.activateMs.toFixed(1)} ms; first scan published ${api.timings.firstScanMs!.toFixed(0)} ms after activation (${files} files, server scan ${stats.scanMs.toFixed(0)} ms)`,
    );
    assert.deepEqual(await internalErrors(), []);
  });

  test('no analysis runs in the extension host: the client bundle holds no rule, the server bundle does', () => {
    const dir = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    const client = readFileSync(path.join(dir, 'dist-vscode', 'extension.cjs'), 'utf8');
    const server = readFileSync(path.join(dir, 'dist-vscode', 'server.cjs'), 'utf8');
    for (const id of ['grpc-clusterip-imbalance', 'prestop-sleep', 'dockerfile-exec-form']) {
      assert.ok(!client.includes(`'${id}'`) && !client.includes(`"${id}"`), `${id} in the client bundle`);
      assert.ok(server.includes(id), `${id} not in the server bundle`);
    }
  });

  test('declares full support for untrusted workspaces and a kubeconn activity-bar view', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      main: string;
      capabilities: { untrustedWorkspaces: { supported: boolean } };
      contributes: {
        views: Record<string, { id: string }[]>;
        viewsContainers: { activitybar: { id: string }[] };
        commands: { command: string; title: string }[];
      };
    };
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
    assert.equal(pkg.main, './dist-vscode/extension.cjs');
    assert.ok(pkg.contributes.viewsContainers.activitybar.some((c) => c.id === 'kubeconn'));
    assert.deepEqual(
      pkg.contributes.views.kubeconn!.map((v) => v.id),
      ['kubeconn.catalog'],
    );
    assert.equal(pkg.contributes.commands.find((c) => c.command === 'kubeconn.rescan')?.title, 'Rescan');
  });

  test('the background scan published diagnostics for files that were never opened', async () => {
    await kubeconn();
    const orders = wsUri('shop', 'k8s', 'orders.yaml');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === orders.toString()), 'orders.yaml must not be open');
    await waitFor('orders.yaml diagnostics', () => kubeconnDiagnostics(orders, 'grpc-clusterip-imbalance').length > 0);
  });

  test('the status bar counts the workspace problems; the Rescan command rescans', async () => {
    const api = await kubeconn();
    const { counts } = await api.idle();
    assert.ok(counts.errors + counts.warnings > 0);
    await waitFor('the status bar counts', () =>
      new RegExp(`\\$\\(error\\) ${counts.errors} \\$\\(warning\\) ${counts.warnings}`).test(api.status.item.text),
    );
    const before = (await api.serverStatus()).analyses;
    await vscode.commands.executeCommand('kubeconn.rescan');
    const after = await api.idle();
    assert.ok(after.analyses >= before);
    assert.deepEqual(after.counts, counts);
    assert.equal(after.stats.scannedFiles, after.files);
  });
});
