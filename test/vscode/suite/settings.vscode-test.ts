/// <reference types="mocha" />
// Settings apply live (the client sends what the user set; the server re-reads them): rule levels, fix
// parameters, the Kubernetes version, excludes; an invalid value gets a clear message and its default; a
// `.kubeconn.yaml` applies where the editor's settings are unset, and the editor's win where they are set.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeActions, internalErrors, kubeconn, kubeconnDiagnostics, scratch, waitFor, waitForDiagnostics, wsUri } from './helpers.js';

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('kubeconn');
const set = (key: string, value: unknown): Thenable<void> => config().update(key, value, vscode.ConfigurationTarget.Workspace);

async function preferredFixTitle(uri: vscode.Uri, code: string): Promise<string | undefined> {
  const [d] = await waitForDiagnostics(uri, code, 1);
  return (await codeActions(uri, d!.range, vscode.CodeActionKind.QuickFix)).find((a) => a.isPreferred)?.title;
}

suite('settings', () => {
  teardown(async () => {
    for (const key of ['rules', 'preStopSeconds', 'kubernetesVersion', 'exclude']) await set(key, undefined);
    await (await kubeconn()).idle();
  });

  test('kubeconn.rules switches a rule off and raises another to error', async () => {
    const s = await scratch('imbalance');
    const deployment = s.uri('deployment.yaml');
    const service = s.uri('service.yaml');
    await waitForDiagnostics(deployment, 'prestop-sleep', 1);
    await set('rules', { 'prestop-sleep': 'off', 'kubeconn/grpc-clusterip-imbalance': 'error' });
    await waitForDiagnostics(deployment, 'prestop-sleep', 0);
    await waitFor(
      'grpc-clusterip-imbalance as an error',
      () => kubeconnDiagnostics(service, 'grpc-clusterip-imbalance')[0]?.severity === vscode.DiagnosticSeverity.Error || undefined,
    );
    await set('rules', undefined);
    await waitForDiagnostics(deployment, 'prestop-sleep', 1);
  });

  test('kubeconn.preStopSeconds and kubeconn.kubernetesVersion change the fix that is offered', async () => {
    const s = await scratch('imbalance');
    const uri = s.uri('deployment.yaml');
    assert.equal(await preferredFixTitle(uri, 'prestop-sleep'), 'Add lifecycle.preStop.sleep.seconds: 5');
    await set('preStopSeconds', 12);
    await waitFor(
      '12 s fix',
      async () => (await preferredFixTitle(uri, 'prestop-sleep')) === 'Add lifecycle.preStop.sleep.seconds: 12' || undefined,
    );
    await set('kubernetesVersion', '1.28');
    await waitFor(
      'exec sleep fix',
      async () =>
        (await preferredFixTitle(uri, 'prestop-sleep'))?.startsWith('Add lifecycle.preStop.exec.command: ["sleep", "12"]') || undefined,
    );
  });

  test('an invalid value gets a clear message and the default is used', async () => {
    const api = await kubeconn();
    const s = await scratch('imbalance');
    const uri = s.uri('deployment.yaml');
    await set('preStopSeconds', 0);
    await set('kubernetesVersion', 'latest');
    const errors = await waitFor('the settings errors', async () => {
      const list = (await api.serverStatus()).settingsErrors;
      return list.length === 2 ? list.join('\n') : undefined;
    });
    assert.match(
      errors,
      /kubeconn\.preStopSeconds: preStopSeconds must be a whole number of seconds from 1 to 3600, got 0; using the default\./,
    );
    assert.match(errors, /kubeconn\.kubernetesVersion: kubernetesVersion must look like "1\.30", got "latest"; using the default\./);
    assert.equal(await preferredFixTitle(uri, 'prestop-sleep'), 'Add lifecycle.preStop.sleep.seconds: 5');
    assert.deepEqual(await internalErrors(), []);
  });

  test('kubeconn.exclude drops matching files and brings them back when removed', async () => {
    const s = await scratch('imbalance');
    const uri = s.uri('service.yaml');
    await waitForDiagnostics(uri, 'grpc-clusterip-imbalance', 1);
    await set('exclude', ['**/node_modules/**', `scratch/imbalance-*/service.yaml`]);
    await waitForDiagnostics(uri, 'grpc-clusterip-imbalance', 0);
    await set('exclude', undefined);
    await waitForDiagnostics(uri, 'grpc-clusterip-imbalance', 1);
  });

  test('.kubeconn.yaml applies under unset editor settings; an editor setting wins; a bad key is a diagnostic', async () => {
    const api = await kubeconn();
    const s = await scratch('imbalance');
    const uri = s.uri('deployment.yaml');
    const config = wsUri('.kubeconn.yaml');
    await vscode.workspace.fs.writeFile(config, new TextEncoder().encode('preStopSeconds: 12\nrules:\n  readiness-probe: off\n'));
    try {
      await waitFor(
        'the config file to apply',
        async () => (await preferredFixTitle(uri, 'prestop-sleep')) === 'Add lifecycle.preStop.sleep.seconds: 12' || undefined,
      );
      await set('preStopSeconds', 7);
      await waitFor(
        'the editor setting to win',
        async () => (await preferredFixTitle(uri, 'prestop-sleep')) === 'Add lifecycle.preStop.sleep.seconds: 7' || undefined,
      );
      await vscode.workspace.fs.writeFile(config, new TextEncoder().encode('preStopSeconds: 12\nprestopSeconds: 3\n'));
      const [problem] = await waitForDiagnostics(config, 'config-error', 1);
      assert.match(problem!.message, /unknown key 'prestopSeconds'/);
      assert.deepEqual(await internalErrors(), []);
    } finally {
      await vscode.workspace.fs.delete(config);
      await waitForDiagnostics(config, 'config-error', 0);
      await api.idle();
    }
  });
});
