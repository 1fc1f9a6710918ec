/// <reference types="mocha" />
// Diagnostics: codes with docs links, exact ranges, severities, related locations across files, and
// their updates on edits (in another file), created/deleted/renamed files and broken YAML.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import {
  closeAll,
  codeOf,
  internalErrors,
  kubeconn,
  kubeconnDiagnostics,
  rangeText,
  revertAll,
  scratch,
  waitFor,
  waitForDiagnostics,
  wsUri,
} from './helpers.js';

suite('diagnostics', () => {
  teardown(revertAll);

  test('examples/shop: imbalance on orders with the Deployment as related evidence and a docs link', async () => {
    await kubeconn();
    const orders = wsUri('shop', 'k8s', 'orders.yaml');
    const [d] = await waitForDiagnostics(orders, 'grpc-clusterip-imbalance', 1);
    assert.equal(rangeText(d!.range), '13:7-13:17');
    assert.equal(d!.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d!.source, 'kubeconn');
    const code = d!.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, 'grpc-clusterip-imbalance');
    assert.equal(code.target.scheme, 'file');
    assert.equal(
      code.target.fsPath,
      path.join(vscode.extensions.getExtension('kubeconn.kubeconn')!.extensionPath, 'docs', 'rules', 'grpc-clusterip-imbalance.md'),
    );
    assert.match(d!.message, /Service 'orders' port 50051/);
    const related = d!.relatedInformation ?? [];
    assert.ok(
      related.some(
        (r) =>
          r.location.uri.fsPath === orders.fsPath && rangeText(r.location.range) === '20:9-20:15' && /^Deployment 'orders'/.test(r.message),
      ),
      JSON.stringify(related.map((r) => [rangeText(r.location.range), r.message])),
    );
    // Evidence in another file is named by its workspace-relative path (VS Code itself shows only the base name).
    assert.ok(
      related.some((r) => r.message === 'shop/services/frontend/server.js: gRPC channel dialed here (new OrdersClient)'),
      JSON.stringify(related.map((r) => r.message)),
    );
    assert.deepEqual(await internalErrors(), []);
  });

  test('examples/shop: the grace-period error on payments, with the grace period as related location', async () => {
    const payments = wsUri('shop', 'k8s', 'payments.yaml');
    const [d] = await waitForDiagnostics(payments, 'grace-period-budget', 1);
    assert.equal(d!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d!.range.start.line + 1, 42);
    assert.equal(d!.relatedInformation?.[0]?.location.range.start.line, 29);
  });

  test('fixture: exact ranges and a related location in another file', async () => {
    const s = await scratch('imbalance');
    const [imbalance] = await waitForDiagnostics(s.uri('service.yaml'), 'grpc-clusterip-imbalance', 1);
    assert.equal(rangeText(imbalance!.range), '11:7-11:17');
    const [related] = imbalance!.relatedInformation!;
    assert.equal(related!.location.uri.fsPath, s.uri('deployment.yaml').fsPath);
    assert.equal(rangeText(related!.location.range), '5:9-5:15');
    assert.equal(related!.message, `${path.relative(wsUri().fsPath, s.dir)}/deployment.yaml: Deployment 'ledger' receives this traffic`);
    const [prestop] = await waitForDiagnostics(s.uri('deployment.yaml'), 'prestop-sleep', 1);
    assert.equal(rangeText(prestop!.range), '18:11-18:23');
  });

  test('an unsaved edit in the Deployment updates the Service diagnostic in another file', async () => {
    const s = await scratch('imbalance');
    const service = s.uri('service.yaml');
    await waitFor('related workload', () => kubeconnDiagnostics(service, 'grpc-clusterip-imbalance')[0]?.relatedInformation?.length === 1);
    const doc = await vscode.workspace.openTextDocument(s.uri('deployment.yaml'));
    const editor = await vscode.window.showTextDocument(doc);
    const labelLine = doc.lineAt(14);
    assert.equal(labelLine.text.trim(), 'app: ledger');
    await editor.edit((b) => b.replace(labelLine.range, '        tier: backend'));
    await waitFor('the related workload to go', () => {
      const [d] = kubeconnDiagnostics(service, 'grpc-clusterip-imbalance');
      return (d && (d.relatedInformation ?? []).length === 0) || undefined;
    });
    // Closing without saving: the file on disk counts again.
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor(
      'the related workload to come back',
      () => kubeconnDiagnostics(service, 'grpc-clusterip-imbalance')[0]?.relatedInformation?.length === 1,
    );
  });

  test('a new Namespace with istio-injection clears the imbalance; deleting it brings it back', async () => {
    const s = await scratch('imbalance');
    const service = s.uri('service.yaml');
    await waitForDiagnostics(service, 'grpc-clusterip-imbalance', 1);
    const ns = s.uri('namespace.yaml');
    await vscode.workspace.fs.writeFile(
      ns,
      new TextEncoder().encode(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${s.ns}\n  labels:\n    istio-injection: enabled\n`),
    );
    await waitForDiagnostics(service, 'grpc-clusterip-imbalance', 0);
    await vscode.workspace.fs.delete(ns);
    await waitForDiagnostics(service, 'grpc-clusterip-imbalance', 1);
  });

  test('renaming a file moves its diagnostics', async () => {
    const s = await scratch('imbalance');
    const from = s.uri('service.yaml');
    const to = s.uri('svc.yaml');
    await waitForDiagnostics(from, 'grpc-clusterip-imbalance', 1);
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(from, to);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(to, 'grpc-clusterip-imbalance', 1);
    await waitForDiagnostics(from, 'grpc-clusterip-imbalance', 0);
  });

  test('broken YAML: a parse diagnostic, and the rest of the file and workspace keep working', async () => {
    await kubeconn();
    const s = await scratch('broken');
    const broken = s.uri('broken.yaml');
    const [parse] = await waitForDiagnostics(broken, 'parse-error', 1);
    assert.equal(parse!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(parse!.range.start.line + 1, 19);
    assert.match(parse!.message, /YAML/);
    // The first document still counts, and so do other files.
    await waitForDiagnostics(broken, 'grpc-clusterip-imbalance', 1);
    assert.ok(kubeconnDiagnostics(wsUri('shop', 'k8s', 'orders.yaml'), 'grpc-clusterip-imbalance').length > 0);
    // Typing a fix makes the parse diagnostic go away.
    const doc = await vscode.workspace.openTextDocument(broken);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((b) => b.replace(doc.lineAt(doc.lineCount - 2).range, '  labels: [app, tally]'));
    await waitForDiagnostics(broken, 'parse-error', 0);
    assert.deepEqual(await internalErrors(), []);
    await closeAll();
  });

  test('every kubeconn diagnostic in the workspace has a rule code with a docs target, or is a parse error', async () => {
    await kubeconn();
    const all = vscode.languages.getDiagnostics().flatMap(([, list]) => list.filter((d) => d.source === 'kubeconn'));
    assert.ok(all.length > 5);
    for (const d of all) {
      if (['parse-error', 'skipped', 'internal-error'].includes(codeOf(d)!)) continue;
      const code = d.code as { value: string; target: vscode.Uri };
      assert.equal(path.basename(code.target.fsPath), `${code.value}.md`);
      assert.ok(existsSync(code.target.fsPath), `the docs page ${code.target.fsPath} is missing`);
    }
  });
});
