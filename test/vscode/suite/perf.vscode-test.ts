/// <reference types="mocha" />
// Performance, printed (not asserted): edit-to-diagnostics on a 5,000-line manifest (timed by the language
// server), and a full scan of a generated corpus of 5,000 Deployment+Service pairs, with the longest stall
// of the extension host's event loop during that scan (the analysis runs in the server's process; the host
// only receives diagnostics).
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { closeAll, kubeconn, waitFor, waitForKnown, workspaceRoot } from './helpers.js';

function pair(i: number, ns: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
  namespace: ${ns}
spec:
  selector:
    app: app-${i}
  ports:
    - name: grpc
      port: 9090
      targetPort: grpc
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: ${ns}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: app-${i}
  template:
    metadata:
      labels:
        app: app-${i}
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: app
          image: registry.example/app-${i}:1.0.${i}
          ports:
            - name: grpc
              containerPort: 9090
          readinessProbe:
            grpc:
              port: 9090
          lifecycle:
            preStop:
              sleep:
                seconds: ${i % 7 === 0 ? 28 : 5}
          env:
            - name: PEER_ADDR
              value: svc-${i + 1}.${ns}.svc.cluster.local:9090
`;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

const ms = (v: number): string => `${v.toFixed(1)} ms`;

suite('performance (printed)', () => {
  suiteTeardown(closeAll);

  test('edit-to-diagnostics on a 5,000-line manifest', async () => {
    const api = await kubeconn();
    const dir = path.join(workspaceRoot(), 'perf');
    mkdirSync(dir, { recursive: true });
    const docs: string[] = [];
    for (let i = 0; i < 110; i++) docs.push(pair(i, 'perf-big'));
    const file = path.join(dir, 'big.yaml');
    writeFileSync(file, docs.join('---\n'));
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    assert.ok(doc.lineCount >= 5000, `${doc.lineCount} lines`);
    const editor = await vscode.window.showTextDocument(doc);
    await waitFor('big.yaml analysed', () => vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'kubeconn'));
    const before = await api.idle();
    const lines = doc
      .getText()
      .split('\n')
      .flatMap((l, i) => (l === '  replicas: 2' ? [i] : []));
    const rounds = 40;
    const analysis: number[] = [];
    const latency: number[] = [];
    let seen = before.analyses;
    for (let k = 0; k < rounds; k++) {
      const line = doc.lineAt(lines[k % lines.length]!);
      await editor.edit((b) => b.replace(line.range, `  replicas: ${k + 3}`));
      const status = await waitFor('re-analysis', async () => {
        const s = await api.serverStatus();
        return s.analyses > seen ? s : undefined;
      });
      seen = status.analyses;
      analysis.push(status.stats.analysisMs.at(-1)!);
      latency.push(status.stats.editToResultMs.at(-1)!);
    }
    console.log(
      `    [perf] 5,000-line manifest (${doc.lineCount} lines, ${before.files} files in the workspace): server analysis p50 ${ms(quantile(analysis, 0.5))}, p95 ${ms(quantile(analysis, 0.95))}, max ${ms(Math.max(...analysis))} over ${analysis.length} edits; edit→diagnostics in the server incl. 150 ms debounce p95 ${ms(quantile(latency, 0.95))}`,
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    rmSync(dir, { recursive: true, force: true });
    await waitForKnown([file], false, 'big.yaml forgotten');
  });

  test('full scan of 5,000 Deployment+Service pairs', async function () {
    this.timeout(300_000);
    const api = await kubeconn();
    const config = vscode.workspace.getConfiguration('kubeconn');
    // Write the corpus while it is excluded, so that the scan measured below reads it cold.
    await config.update('exclude', ['**/node_modules/**', 'corpus/**'], vscode.ConfigurationTarget.Workspace);
    await api.idle();
    const dir = path.join(workspaceRoot(), 'corpus');
    const perFile = 10;
    for (let f = 0; f < 5000 / perFile; f++) {
      const docs: string[] = [];
      for (let i = f * perFile; i < (f + 1) * perFile; i++) docs.push(pair(i, `team-${f % 20}`));
      mkdirSync(path.join(dir, `team-${f % 20}`), { recursive: true });
      writeFileSync(path.join(dir, `team-${f % 20}`, `pairs-${f}.yaml`), docs.join('---\n'));
    }
    const probe = path.join(dir, 'team-0', 'pairs-0.yaml');
    const last = path.join(dir, `team-${(5000 / perFile - 1) % 20}`, `pairs-${5000 / perFile - 1}.yaml`);
    let maxStall = 0;
    let tick = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      maxStall = Math.max(maxStall, now - tick - 10);
      tick = now;
    }, 10);
    const started = performance.now();
    let sawProgress = false;
    try {
      await config.update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
      await waitFor(
        'the corpus scanned',
        async () => {
          if (/kubeconn \d+\/\d+/.test(api.status.item.text)) sawProgress = true;
          return (await api.serverStatus({ files: [vscode.Uri.file(probe).toString()] })).known![0] || undefined;
        },
        180_000,
      );
      await api.idle();
      await waitFor(
        "the last file's diagnostics",
        () => vscode.languages.getDiagnostics(vscode.Uri.file(last)).length > 0 || undefined,
        120_000,
      );
    } finally {
      clearInterval(ticker);
    }
    const wall = performance.now() - started;
    const { stats, counts, files } = await api.serverStatus();
    console.log(
      `    [perf] full scan: ${stats.scannedFiles} files (5,000 pairs in ${5000 / perFile} files + the rest of the workspace) in ${ms(stats.scanMs)} in the server, of which the final analysis ${ms(stats.scanAnalysisMs)}; ${counts.errors + counts.warnings + counts.infos} problems; setting → last diagnostics in VS Code ${ms(wall)}; longest event-loop stall of the extension host during the scan ${ms(maxStall)}; status bar showed scan progress: ${sawProgress}`,
    );
    const catalogStart = performance.now();
    const catalog = (await api.catalog())!;
    console.log(
      `    [perf] catalog of ${catalog.components.length} components fetched from the server in ${ms(performance.now() - catalogStart)}`,
    );
    assert.ok(files >= 500);
    assert.ok(catalog.components.length >= 5000);
    rmSync(dir, { recursive: true, force: true });
    await waitForKnown([probe], false, 'the corpus forgotten', 120_000);
  });
});
