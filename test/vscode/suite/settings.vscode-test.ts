/// <reference types="mocha" />
// Settings apply live: rule levels, fix parameters, the Kubernetes version, excludes; an invalid value
// gets a clear message and its default.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeActions, kubeconn, kubeconnDiagnostics, scratch, waitFor, waitForDiagnostics } from './helpers.js';

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('kubeconn');
const set = (key: string, value: unknown): Thenable<void> => config().update(key, value, vscode.ConfigurationTarget.Workspace);

async function preferredFixTitle(uri: vscode.Uri, code: string): Promise<string | undefined> {
  const [d] = await waitForDiagnostics(uri, code, 1);
  return (await codeActions(uri, d!.range, vscode.CodeActionKind.QuickFix)).find((a) => a.isPreferred)?.title;
}

suite('settings', () => {
  teardown(async () => {
    for (const key of ['rules', 'preStopSeconds', 'kubernetesVersion', 'exclude']) await set(key, undefined);
    await (await kubeconn()).engine.idle();
  });

  test('kubeconn.rules switches a rule off and raises another to error', async () => {
    const s = await scratch('imbalance');
    const deployment = s.uri('deployment.yaml');
    const service = s.uri('service.yaml');
    await waitForDiagnostics(deployment, 'prestop-sleep', 1);
    await set('rules', { 'prestop-sleep': 'off', 'kubeconn/service-app-protocol': 'error' });
    await waitForDiagnostics(deployment, 'prestop-sleep', 0);
    await waitFor('service-app-protocol as an error', () => kubeconnDiagnostics(service, 'service-app-protocol')[0]?.severity === vscode.DiagnosticSeverity.Error || undefined);
    await set('rules', undefined);
    await waitForDiagnostics(deployment, 'prestop-sleep', 1);
  });

  test('kubeconn.preStopSeconds and kubeconn.kubernetesVersion change the fix that is offered', async () => {
    const s = await scratch('imbalance');
    const uri = s.uri('deployment.yaml');
    assert.equal(await preferredFixTitle(uri, 'prestop-sleep'), 'Add lifecycle.preStop.sleep.seconds: 5');
    await set('preStopSeconds', 12);
    await waitFor('12 s fix', async () => (await preferredFixTitle(uri, 'prestop-sleep')) === 'Add lifecycle.preStop.sleep.seconds: 12' || undefined);
    await set('kubernetesVersion', '1.28');
    await waitFor('exec sleep fix', async () => (await preferredFixTitle(uri, 'prestop-sleep'))?.startsWith('Add lifecycle.preStop.exec.command: ["sleep", "12"]') || undefined);
  });

  test('an invalid value gets a clear message and the default is used', async () => {
    const api = await kubeconn();
    const s = await scratch('imbalance');
    const uri = s.uri('deployment.yaml');
    await set('preStopSeconds', 0);
    await set('kubernetesVersion', 'latest');
    await waitFor('the settings errors', () => api.settingsErrors().length === 2 || undefined);
    assert.match(api.settingsErrors().join('\n'), /kubeconn\.preStopSeconds: preStopSeconds must be a whole number of seconds from 1 to 3600, got 0; using the default\./);
    assert.match(api.settingsErrors().join('\n'), /kubeconn\.kubernetesVersion: kubernetesVersion must look like "1\.30", got "latest"; using the default\./);
    assert.equal(await preferredFixTitle(uri, 'prestop-sleep'), 'Add lifecycle.preStop.sleep.seconds: 5');
    assert.deepEqual(api.log.errors, []);
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
});
