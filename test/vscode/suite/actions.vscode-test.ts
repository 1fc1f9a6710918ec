/// <reference types="mocha" />
// Code actions straight from the findings (over LSP): the fix (preferred), each suggestion, fix-all across
// files (one WorkspaceEdit), disable for the line / the object, the docs, and source.fixAll.kubeconn; and on
// a shared dial helper, one diagnostic and one action per distinct fix instead of one per finding.
import * as assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { codeActions, internalErrors, kubeconnDiagnostics, revertAll, scratch, waitFor, waitForDiagnostics } from './helpers.js';

async function actionsFor(uri: vscode.Uri, code: string): Promise<{ diagnostic: vscode.Diagnostic; actions: vscode.CodeAction[] }> {
  const [diagnostic] = await waitForDiagnostics(uri, code, 1);
  // The actions for this diagnostic's range; others at the same place (another rule) are in the list too.
  const actions = await codeActions(uri, diagnostic!.range, vscode.CodeActionKind.QuickFix);
  return { diagnostic: diagnostic!, actions };
}

async function apply(action: vscode.CodeAction | undefined, titles: string[]): Promise<void> {
  assert.ok(action, `action not offered; have: ${titles.join(' | ')}`);
  assert.ok(action.edit, `${action.title} has no edit`);
  assert.ok(await vscode.workspace.applyEdit(action.edit));
}

async function text(uri: vscode.Uri): Promise<string> {
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

// service-app-protocol speaks only for ports an HTTPRoute or cloud Ingress targets (a scratch copy gets one).
const ROUTE =
  'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: ledger\n  namespace: fixture\nspec:\n  rules:\n    - backendRefs: [{name: ledger, port: 9090}]\n';
// A served Deployment with neither preStop nor readinessProbe: two rules on one line.
const API =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: fixture\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers:\n        - name: api\n          image: example/api:1.0\n          ports: [{containerPort: 8080}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: fixture\nspec:\n  selector: {app: api}\n  ports: [{port: 80, targetPort: 8080}]\n';

suite('code actions', () => {
  teardown(revertAll);

  test('the fix is offered as the preferred action and removes the diagnostic (prestop-sleep)', async () => {
    const s = await scratch('imbalance');
    const uri = s.uri('deployment.yaml');
    const { actions } = await actionsFor(uri, 'prestop-sleep');
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.isPreferred);
    assert.equal(fix?.title, 'Add lifecycle.preStop.sleep.seconds: 5', titles.join(' | '));
    assert.equal(actions.filter((a) => a.isPreferred).length, 1);
    assert.ok(titles.includes('Disable kubeconn/prestop-sleep for this line'));
    assert.ok(titles.includes("Disable kubeconn/prestop-sleep for Deployment 'ledger' (kubeconn.io/ignore)"));
    assert.ok(titles.includes('Show documentation for kubeconn/prestop-sleep'));
    await apply(fix, titles);
    assert.match(await text(uri), /\n {10}lifecycle:\n {12}preStop:\n {14}sleep:\n {16}seconds: 5\n/);
    await waitForDiagnostics(uri, 'prestop-sleep', 0);
  });

  test('the grace-period fix sizes terminationGracePeriodSeconds (preStop 25 s + drain 10 s)', async () => {
    const s = await scratch('grace');
    const uri = s.uri('deployment.yaml');
    const { actions } = await actionsFor(uri, 'grace-period-budget');
    await apply(
      actions.find((a) => a.isPreferred),
      actions.map((a) => a.title),
    );
    assert.match(await text(uri), /terminationGracePeriodSeconds: 35\n/);
    await waitForDiagnostics(uri, 'grace-period-budget', 0);
  });

  test('each suggestion applies: make the Service headless (diagnostic gone), add a headless sibling', async () => {
    const a = await scratch('imbalance');
    const first = await actionsFor(a.uri('service.yaml'), 'grpc-clusterip-imbalance');
    const titles = first.actions.map((x) => x.title);
    const makeHeadless = first.actions.find((x) => x.title.startsWith("Make 'ledger' headless"));
    assert.equal(makeHeadless?.isPreferred, false, 'a suggestion is never preferred');
    await apply(makeHeadless, titles);
    assert.match(await text(a.uri('service.yaml')), /\n {2}clusterIP: None\n/);
    await waitForDiagnostics(a.uri('service.yaml'), 'grpc-clusterip-imbalance', 0);

    const b = await scratch('imbalance');
    const second = await actionsFor(b.uri('service.yaml'), 'grpc-clusterip-imbalance');
    const sibling = second.actions.find((x) => x.title.startsWith("Add a headless Service 'ledger-headless'"));
    await apply(
      sibling,
      second.actions.map((x) => x.title),
    );
    assert.match(await text(b.uri('service.yaml')), /\n---\napiVersion: v1\nkind: Service\nmetadata:\n {2}name: ledger-headless\n/);
    // The sibling now exists, so the suggestion is no longer offered.
    await waitFor('the sibling suggestion to go', async () => {
      const again = await actionsFor(b.uri('service.yaml'), 'grpc-clusterip-imbalance');
      return !again.actions.some((x) => x.title.startsWith('Add a headless Service')) || undefined;
    });
  });

  test('behind an HTTPRoute, the appProtocol suggestion removes service-app-protocol', async () => {
    const s = await scratch('imbalance', { 'route.yaml': ROUTE });
    const uri = s.uri('service.yaml');
    const { actions } = await actionsFor(uri, 'service-app-protocol');
    const add = actions.find((a) => a.title.startsWith('Add appProtocol: kubernetes.io/h2c'));
    assert.equal(add?.isPreferred, false, 'a suggestion, never preferred');
    await apply(
      add,
      actions.map((a) => a.title),
    );
    await waitForDiagnostics(uri, 'service-app-protocol', 0);
    assert.match(await text(uri), /appProtocol: kubernetes\.io\/h2c/);
  });

  test('fix all prestop-sleep problems: one WorkspaceEdit across two files', async () => {
    const s = await scratch('multi');
    await waitForDiagnostics(s.uri('b.yaml'), 'prestop-sleep', 1);
    const { actions } = await actionsFor(s.uri('a.yaml'), 'prestop-sleep');
    const all = actions.find((a) => a.title === 'Fix all kubeconn/prestop-sleep problems');
    assert.ok(all?.edit, actions.map((a) => a.title).join(' | '));
    const files = all.edit.entries().map(([uri]) => uri.fsPath);
    assert.ok(files.includes(s.uri('a.yaml').fsPath) && files.includes(s.uri('b.yaml').fsPath), files.join(', '));
    await apply(all, []);
    await waitForDiagnostics(s.uri('a.yaml'), 'prestop-sleep', 0);
    await waitForDiagnostics(s.uri('b.yaml'), 'prestop-sleep', 0);
  });

  test('disable for this line: a directive comment, then a second rule joins the same directive', async () => {
    const s = await scratch('imbalance', { 'api.yaml': API });
    const uri = s.uri('api.yaml');
    const first = await actionsFor(uri, 'prestop-sleep');
    await apply(
      first.actions.find((a) => a.title === 'Disable kubeconn/prestop-sleep for this line'),
      first.actions.map((a) => a.title),
    );
    await waitForDiagnostics(uri, 'prestop-sleep', 0);
    assert.match(await text(uri), /\n {8}# eslint-disable-next-line kubeconn\/prestop-sleep\n {8}- name: api\n/);
    const second = await actionsFor(uri, 'readiness-probe');
    await apply(
      second.actions.find((a) => a.title === 'Disable kubeconn/readiness-probe for this line'),
      second.actions.map((a) => a.title),
    );
    await waitForDiagnostics(uri, 'readiness-probe', 0);
    assert.match(await text(uri), /# eslint-disable-next-line kubeconn\/prestop-sleep, kubeconn\/readiness-probe\n/);
  });

  test('disable for this object: the kubeconn.io/ignore annotation', async () => {
    const s = await scratch('imbalance');
    const uri = s.uri('deployment.yaml');
    const { actions } = await actionsFor(uri, 'prestop-sleep');
    await apply(
      actions.find((a) => a.title.startsWith('Disable kubeconn/prestop-sleep for Deployment')),
      actions.map((a) => a.title),
    );
    await waitForDiagnostics(uri, 'prestop-sleep', 0);
    assert.match(await text(uri), /\n {2}namespace: [\w-]+\n {2}annotations:\n {4}kubeconn\.io\/ignore: prestop-sleep\n/);
  });

  test('show documentation runs a command with the rule id', async () => {
    const s = await scratch('imbalance');
    const { actions } = await actionsFor(s.uri('service.yaml'), 'grpc-clusterip-imbalance');
    const docs = actions.find((a) => a.title === 'Show documentation for kubeconn/grpc-clusterip-imbalance');
    assert.equal(docs?.command?.command, 'kubeconn.showDocumentation');
    const [ruleId, href] = docs.command.arguments as [string, string];
    assert.equal(ruleId, 'grpc-clusterip-imbalance');
    assert.equal(
      vscode.Uri.parse(href).fsPath,
      path.join(vscode.extensions.getExtension('kubeconn.kubeconn')!.extensionPath, 'docs', 'rules', 'grpc-clusterip-imbalance.md'),
    );
  });

  test('source.fixAll.kubeconn applies every safe fix of the document, and runs on save', async () => {
    const s = await scratch('imbalance');
    const uri = s.uri('deployment.yaml');
    await waitForDiagnostics(uri, 'prestop-sleep', 1);
    const [fixAll] = await codeActions(uri, new vscode.Range(0, 0, 0, 0), vscode.CodeActionKind.SourceFixAll.append('kubeconn'));
    assert.equal(fixAll?.kind?.value, 'source.fixAll.kubeconn');
    assert.deepEqual(
      fixAll.edit!.entries().map(([u]) => u.fsPath),
      [uri.fsPath],
    );

    // Fix on save, through the editor's own codeActionsOnSave.
    const service = s.uri('service.yaml');
    await waitForDiagnostics(service, 'grpc-clusterip-imbalance', 1);
    const config = vscode.workspace.getConfiguration('editor', { languageId: 'yaml' });
    await config.update('codeActionsOnSave', { 'source.fixAll.kubeconn': 'explicit' }, vscode.ConfigurationTarget.Workspace, true);
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc);
      // The workbench may take a moment to see the new codeActionsOnSave setting: save again until it does
      // (a fix-all that never comes still fails after the third save).
      for (let attempt = 1; ; attempt++) {
        await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# saved with fix-on-save\n'));
        await doc.save();
        try {
          await waitFor('the preStop fix on save', () => /preStop:\n {14}sleep:/.test(doc.getText()) || undefined, 5000);
          break;
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
      await waitForDiagnostics(uri, 'prestop-sleep', 0);
      assert.equal(kubeconnDiagnostics(service, 'grpc-clusterip-imbalance').length, 1, 'suggestions are never applied on save');
      assert.doesNotMatch(await text(service), /clusterIP: None/);
    } finally {
      await config.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace, true);
    }
    assert.deepEqual(await internalErrors(), []);
  });

  test('a shared dial helper run by seven Deployments: one diagnostic, one action per distinct fix', async () => {
    const s = await scratch('helper');
    const dial = s.uri('dial.go');
    const [d] = await waitForDiagnostics(dial, 'grpc-client-load-balancing', 1);
    assert.match(
      d!.message,
      new RegExp(
        `^grpc\\.NewClient dials ClusterIP Service 'orders\\.${s.ns}' and 6 more \\(pick_first\\), so every call goes to one pod\\. `,
      ),
    );
    assert.match(
      d!.message,
      new RegExp(
        `Services: ${['orders', 'payments', 'catalog', 'cart', 'users', 'search', 'shipping'].map((n) => `${n}\\.${s.ns}`).join(', ')}\\.$`,
      ),
    );
    assert.equal(d!.relatedInformation?.length, 7);
    assert.ok(
      d!.relatedInformation.every((r) => r.message.startsWith(`scratch/${s.dir.split('/').pop()}/k8s.yaml: UPSTREAM_ADDR=`)),
      JSON.stringify(d!.relatedInformation.map((r) => r.message)),
    );
    const actions = await codeActions(dial, d!.range, vscode.CodeActionKind.QuickFix);
    const titles = actions.map((a) => a.title);
    console.log(
      `    [scale] shared dial helper: ${kubeconnDiagnostics(dial).length} diagnostic, ${actions.length} quick-fix entries: ${titles.join(' | ')}`,
    );
    assert.deepEqual(titles, [
      'Dial the headless Service with round_robin for 7 Services',
      "Dial through kuberesolver with round_robin (adds RegisterInCluster and a Role for 'default') for 7 Services",
      'Disable kubeconn/grpc-client-load-balancing for this line',
      'Show documentation for kubeconn/grpc-client-load-balancing',
    ]);
    // The merged suggestion is every copy at once: seven targets rewritten, seven headless siblings, the channel's round_robin once.
    await apply(actions[0], titles);
    await waitForDiagnostics(dial, 'grpc-client-load-balancing', 0);
    const manifests = await text(s.uri('k8s.yaml'));
    assert.equal(manifests.match(/name: [a-z]+-headless\n/g)?.length, 7);
    assert.equal((await text(dial)).match(/round_robin/g)?.length, 1);
    assert.deepEqual(await internalErrors(), []);
  });
});
