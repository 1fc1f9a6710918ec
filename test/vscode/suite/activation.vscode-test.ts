/// <reference types="mocha" />
// The extension activates in the real VS Code, declares untrusted-workspace support and scans on start.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, kubeconn, kubeconnDiagnostics, wsUri } from './helpers.js';

suite('activation', () => {
  test('runs in VS Code 1.100 and activates with a test API', async () => {
    assert.match(vscode.version, /^1\.100\./);
    const api = await kubeconn();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)!.isActive);
    assert.ok(api.timings.activateMs >= 0 && api.timings.firstScanMs! > 0);
    console.log(`    [perf] activate() ${api.timings.activateMs.toFixed(1)} ms; first scan published ${api.timings.firstScanMs!.toFixed(0)} ms after activation (${api.engine.stats.scannedFiles} files, scan ${api.engine.stats.scanMs.toFixed(0)} ms)`);
    assert.deepEqual(api.log.errors, []);
  });

  test('declares full support for untrusted workspaces and a kubeconn activity-bar view', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      main: string;
      capabilities: { untrustedWorkspaces: { supported: boolean } };
      contributes: { views: Record<string, { id: string }[]>; viewsContainers: { activitybar: { id: string }[] } };
    };
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
    assert.equal(pkg.main, './dist-vscode/extension.cjs');
    assert.ok(pkg.contributes.viewsContainers.activitybar.some((c) => c.id === 'kubeconn'));
    assert.deepEqual(pkg.contributes.views.kubeconn!.map((v) => v.id), ['kubeconn.catalog']);
  });

  test('the background scan published diagnostics for files that were never opened', async () => {
    await kubeconn();
    const orders = wsUri('shop', 'k8s', 'orders.yaml');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === orders.toString()), 'orders.yaml must not be open');
    assert.ok(kubeconnDiagnostics(orders, 'grpc-clusterip-imbalance').length > 0);
  });

  test('the status bar counts the workspace problems', async () => {
    const api = await kubeconn();
    await api.engine.idle();
    const { errors, warnings } = api.status.counts;
    assert.ok(errors + warnings > 0);
    assert.match(api.status.item.text, new RegExp(`\\$\\(error\\) ${errors} \\$\\(warning\\) ${warnings}`));
  });
});
