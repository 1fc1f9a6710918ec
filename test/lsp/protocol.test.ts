// The language server over its real transport: `kubeconn lsp --stdio` spawned and driven with vscode-jsonrpc
// (test/lsp/client.ts), on a copy of examples/shop plus a shared dial helper run by seven Deployments.
// initialize, the first scan with progress, publishDiagnostics, didOpen/didChange/didClose, code actions
// (merged at scale), hovers, the catalog and status requests, settings over `.kubeconn.yaml`, watched files,
// and shutdown/exit.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, Hover } from 'vscode-languageserver-protocol';
import type { WireCatalog } from '../../src/lsp/protocol.js';
import { fixturesDir, repoRoot } from '../helpers/paths.js';
import { applyTextEdits, TestClient, uriOf } from './client.js';

const settings: { current: Record<string, unknown> } = { current: {} };

describe('kubeconn lsp --stdio', () => {
  let dir: string;
  let client: TestClient;
  const shop = (...p: string[]) => path.join(dir, 'shop', ...p);
  const helper = (...p: string[]) => path.join(dir, 'helper', ...p);
  const actionsAt = (file: string, d: Diagnostic, only?: string[]) =>
    client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uriOf(file) },
      range: d.range,
      context: { diagnostics: [d], ...(only ? { only } : {}) },
    });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconn-lsp-'));
    fs.cpSync(path.join(repoRoot, 'examples', 'shop'), shop(), { recursive: true });
    fs.cpSync(path.join(fixturesDir, 'vscode', 'helper'), helper(), { recursive: true });
    client = await TestClient.start({ folders: [dir], settings: () => settings.current, dynamic: true, workDoneProgress: true });
  });
  after(() => {
    if (client.child.exitCode === null) client.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('initialize: says what it serves', () => {
    const caps = client.initializeResult!.capabilities;
    assert.deepEqual(client.initializeResult!.serverInfo?.name, 'kubeconn');
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.kubeconn'] });
    assert.equal(caps.hoverProvider, true);
    assert.deepEqual(caps.executeCommandProvider?.commands, ['kubeconn.showDocumentation']);
  });

  it('scans the folder with progress, registers its watchers and publishes diagnostics with codes, docs links and related information', async () => {
    const status = await client.idle();
    assert.equal(status.state, 'idle');
    assert.ok(status.files >= 17, `${status.files} files`);
    assert.deepEqual(status.internalErrors, []);
    const kinds = client.progress.map((p) => (p as { value: { kind: string } }).value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds.at(-1), 'end');
    assert.ok(client.progress.some((p) => /^\d+\/\d+ files$/.test(String((p as { value: { message?: string } }).value.message))));
    assert.deepEqual(client.registrations.map((r) => r.method).sort(), [
      'workspace/didChangeConfiguration',
      'workspace/didChangeWatchedFiles',
    ]);

    const [imbalance] = client.diagnosticsOf(shop('k8s', 'orders.yaml'), 'grpc-clusterip-imbalance');
    assert.ok(imbalance);
    assert.deepEqual(imbalance.range, { start: { line: 12, character: 6 }, end: { line: 12, character: 16 } });
    assert.equal(imbalance.severity, 2);
    assert.equal(imbalance.source, 'kubeconn');
    assert.equal(imbalance.codeDescription?.href, 'https://github.com/kubeconn/kubeconn/blob/main/docs/rules/grpc-clusterip-imbalance.md');
    assert.deepEqual(
      imbalance.relatedInformation?.map((r) => r.message),
      ["Deployment 'orders' receives this traffic", 'shop/services/frontend/server.js: gRPC channel dialed here (new OrdersClient)'],
    );
    assert.equal(imbalance.relatedInformation[1]!.location.uri, uriOf(shop('services', 'frontend', 'server.js')));
    // Never an absolute path in a message.
    for (const list of client.diagnostics.values())
      for (const d of list)
        for (const text of [
          typeof d.message === 'string' ? d.message : d.message.value,
          ...(d.relatedInformation ?? []).map((r) => r.message),
        ])
          assert.ok(!text.includes(dir), text);
  });

  it('didOpen overlays the file on disk, didChange re-analyses, didClose falls back to disk', async () => {
    const file = shop('k8s', 'orders.yaml');
    const disk = fs.readFileSync(file, 'utf8');
    assert.equal(client.diagnosticsOf(file, 'prestop-sleep').length, 1);
    client.open(file, disk);
    const withHook = disk.replace(
      /(\n {10}image: ghcr\.io\/example\/shop\/orders:1\.4\.2\n)/,
      '$1          lifecycle: {preStop: {sleep: {seconds: 5}}}\n',
    );
    assert.notEqual(withHook, disk);
    client.change(file, withHook);
    await client.waitFor('prestop-sleep to go', () => client.diagnosticsOf(file, 'prestop-sleep').length === 0);
    assert.equal(client.diagnosticsOf(file, 'grpc-clusterip-imbalance').length, 1);
    client.close(file);
    await client.waitFor('prestop-sleep back', () => client.diagnosticsOf(file, 'prestop-sleep').length === 1);
  });

  it('codeAction: the preferred fix, applied through didChange, removes its diagnostic', async () => {
    const file = shop('k8s', 'orders.yaml');
    const [d] = client.diagnosticsOf(file, 'prestop-sleep');
    assert.ok(d);
    const actions = await actionsAt(file, d);
    const titles = actions.map((a) => a.title);
    assert.deepEqual(
      actions.filter((a) => a.isPreferred).map((a) => a.title),
      ['Add lifecycle.preStop.sleep.seconds: 5'],
    );
    assert.ok(titles.includes('Disable kubeconn/prestop-sleep for this line'), titles.join(' | '));
    assert.ok(titles.includes("Disable kubeconn/prestop-sleep for Deployment 'orders' (kubeconn.io/ignore)"), titles.join(' | '));
    const docs = actions.find((a) => a.title === 'Show documentation for kubeconn/prestop-sleep');
    assert.deepEqual(docs?.command?.arguments, [
      'prestop-sleep',
      'https://github.com/kubeconn/kubeconn/blob/main/docs/rules/prestop-sleep.md',
    ]);
    const fix = actions.find((a) => a.isPreferred)!;
    const text = fs.readFileSync(file, 'utf8');
    const fixed = applyTextEdits(text, fix.edit!.changes![uriOf(file)]!);
    assert.match(fixed, /\n {10}lifecycle:\n {12}preStop:\n {14}sleep:\n {16}seconds: 5\n/);
    client.open(file, text);
    client.change(file, fixed);
    await client.waitFor('prestop-sleep to go', () => client.diagnosticsOf(file, 'prestop-sleep').length === 0);
    client.close(file);
    await client.waitFor('prestop-sleep back', () => client.diagnosticsOf(file, 'prestop-sleep').length === 1);
  });

  it('codeAction: fixes are verified when asked for, not on each edit; one verification drops is not offered', async () => {
    // The diagnostics of an edit come from an analysis that verifies no fix (the status request counts them); the
    // code action verifies its findings' fixes: with a syntax error in the dial's function, the fix is dropped.
    const file = shop('services', 'payments', 'server.py');
    const text = fs.readFileSync(file, 'utf8');
    const broken = text.replace('grpc.insecure_channel(CATALOG_ADDR))\n', 'grpc.insecure_channel(CATALOG_ADDR)) +\n');
    assert.notEqual(broken, text);
    const verified = async () =>
      (await client.request<{ stats?: { fixVerification?: { reparses: number } } }>('kubeconn/status', { waitForIdle: true })).stats;
    const before = (await verified())?.fixVerification?.reparses;
    client.open(file, broken);
    await client.waitFor('the edited file analysed', () => client.diagnosticsOf(file, 'grpc-client-load-balancing').length === 1);
    assert.equal((await verified())?.fixVerification?.reparses, before, 'the edit verified no fix');
    const [d] = client.diagnosticsOf(file, 'grpc-client-load-balancing');
    const actions = await actionsAt(file, d!);
    assert.deepEqual(
      actions.filter((a) => a.edit && !a.title.startsWith('Disable')).map((a) => a.title),
      [],
      'no fix, no suggestion on the broken function',
    );
    client.change(file, text);
    await client.waitFor('the fixed file analysed', () => client.diagnosticsOf(file, 'grpc-client-load-balancing').length === 1);
    const [again] = client.diagnosticsOf(file, 'grpc-client-load-balancing');
    const fixes = (await actionsAt(file, again!)).filter((a) => a.isPreferred);
    assert.equal(fixes.length, 1, 'the clean file gets its fix');
    client.close(file);
  });

  it('at scale: seven findings on a shared dial helper are one diagnostic with one action per distinct fix', async () => {
    const file = helper('dial.go');
    const list = client.diagnosticsOf(file, 'grpc-client-load-balancing');
    assert.equal(list.length, 1);
    const [d] = list;
    assert.equal(
      d!.message,
      "grpc.NewClient dials ClusterIP Service 'orders.fixture' and 6 more (pick_first), so every call goes to one pod. kube-proxy balances per connection and the channel has one; " +
        'nothing recycles it while it is busy, so pods added later get none of its calls. ' +
        'Services: orders.fixture, payments.fixture, catalog.fixture, cart.fixture, users.fixture, search.fixture, shipping.fixture.',
    );
    assert.equal(d!.relatedInformation?.length, 7);
    assert.ok(d!.relatedInformation.every((r) => r.message.startsWith('helper/k8s.yaml: UPSTREAM_ADDR=')));
    const actions = await actionsAt(file, d!);
    assert.deepEqual(
      actions.map((a) => a.title),
      [
        'Dial the headless Service with round_robin for 7 Services',
        "Dial through kuberesolver with round_robin (adds RegisterInCluster and a Role for 'default') for 7 Services",
        'Disable kubeconn/grpc-client-load-balancing for this line',
        'Show documentation for kubeconn/grpc-client-load-balancing',
      ],
    );
    // The merged suggestion: the round_robin option once, seven targets, seven headless siblings.
    const changes = actions[0]!.edit!.changes!;
    assert.equal(changes[uriOf(file)]!.length, 1);
    const manifests = applyTextEdits(fs.readFileSync(helper('k8s.yaml'), 'utf8'), changes[uriOf(helper('k8s.yaml'))]!);
    assert.equal(manifests.match(/^ {2}name: [a-z]+-headless$/gm)?.length, 7);
    assert.equal(manifests.match(/value: "?dns:\/\/\/[a-z]+-headless\.fixture\.svc\.cluster\.local:50051/g)?.length, 7);
  });

  it('source.fixAll.kubeconn: every safe fix of the file, nothing else', async () => {
    const file = shop('k8s', 'orders.yaml');
    const [d] = client.diagnosticsOf(file, 'prestop-sleep');
    const [all, ...rest] = await actionsAt(file, d!, ['source.fixAll.kubeconn']);
    assert.equal(rest.length, 0);
    assert.equal(all?.kind, 'source.fixAll.kubeconn');
    assert.deepEqual(Object.keys(all.edit!.changes!), [uriOf(file)]);
    const fixed = applyTextEdits(fs.readFileSync(file, 'utf8'), all.edit!.changes![uriOf(file)]!);
    assert.match(fixed, /preStop:\n {14}sleep:/);
    assert.doesNotMatch(fixed, /clusterIP: None/, 'suggestions are never applied');
    assert.doesNotMatch(fixed, /terminationGracePeriodSeconds/, 'the grace-period suggestion is not applied either');
  });

  it('hover: what a Service links to, and the findings at a dial site grouped by rule', async () => {
    const orders = shop('k8s', 'orders.yaml');
    const line = fs.readFileSync(orders, 'utf8').split('\n').indexOf('  name: orders');
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: uriOf(orders) },
      position: { line, character: 9 },
    });
    const text = (hover.contents as { value: string }).value;
    assert.match(text, /^\*\*Service orders\*\*/);
    assert.ok(text.includes(`Selects [Deployment orders](${uriOf(orders)}#L20) (3 replicas)`), text);
    assert.match(text, /Called from \[new OrdersClient in shop\/services\/frontend\/server\.js\]\(file:\/\/[^)]*server\.js#L10\)/);
    const dial = helper('dial.go');
    const [d] = client.diagnosticsOf(dial, 'grpc-client-load-balancing');
    const at = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: uriOf(dial) },
      position: { line: d!.range.start.line, character: d!.range.start.character + 2 },
    });
    const paragraphs = (at.contents as { value: string }).value.split('\n\n');
    assert.match(paragraphs[0]!, /^Dials \*\*7 Services\*\*, depending on the workload that runs it: \[Service orders\]/);
    const rules = paragraphs.filter((p) => p.startsWith('**[kubeconn/'));
    assert.equal(rules.length, 1, paragraphs.join('\n---\n'));
    assert.match(
      rules[0]!,
      /^\*\*\[kubeconn\/grpc-client-load-balancing\]\([^)]+\)\*\* \(7 findings\): grpc\.NewClient dials ClusterIP Service 'orders\.fixture' and 6 more/,
    );
  });

  it("hover after an edit: read from the edited file's island (an incremental analysis)", async () => {
    const orders = shop('k8s', 'orders.yaml');
    const disk = fs.readFileSync(orders, 'utf8');
    const edited = disk.replace(/replicas: 3\b/, 'replicas: 4');
    assert.notEqual(edited, disk);
    client.open(orders, disk);
    client.change(orders, edited);
    await client.idle([orders]);
    const line = edited.split('\n').indexOf('  name: orders');
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: uriOf(orders) },
      position: { line, character: 9 },
    });
    const text = (hover.contents as { value: string }).value;
    assert.ok(text.includes('(4 replicas)'), text);
    assert.match(text, /Called from \[new OrdersClient in shop\/services\/frontend\/server\.js\]/);
    client.close(orders);
    await client.idle([orders]);
  });

  it('when idle after incremental analyses, a whole analysis checks them and finds no difference', async () => {
    // Ten independent Deployment+Service pairs: an edit of one re-analyses its own island only.
    const pairs = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconn-lsp-islands-'));
    const pair = (name: string): string =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: ${name}}\n` +
      `  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: app\n          image: example/${name}:1\n` +
      `          ports: [{name: grpc, containerPort: 50051}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n` +
      `  selector: {app: ${name}}\n  ports: [{name: grpc, port: 50051}]\n`;
    for (let i = 0; i < 10; i++) fs.writeFileSync(path.join(pairs, `svc-${i}.yaml`), pair(`svc-${i}`));
    process.env.KUBECONN_RECONCILE_MS = '200';
    const other = await TestClient.start({ folders: [pairs] }).finally(() => delete process.env.KUBECONN_RECONCILE_MS);
    try {
      await other.idle();
      const file = path.join(pairs, 'svc-4.yaml');
      const disk = fs.readFileSync(file, 'utf8');
      other.open(file, disk);
      other.change(file, disk.replace('replicas: 3', 'replicas: 5'));
      let status = await other.idle([file]);
      for (let i = 0; i < 100 && status.stats.reconciled === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = await other.idle();
      }
      assert.equal(status.stats.reconciled, 1);
      assert.equal(status.stats.reconcileDiffered, 0);
      assert.deepEqual(status.internalErrors, []);
    } finally {
      await other.stop();
      fs.rmSync(pairs, { recursive: true, force: true });
    }
  });

  it('kubeconn/catalog: workloads with their Services as faces, n/a checks, calls from workload to Service', async () => {
    const catalog = await client.request<WireCatalog>('kubeconn/catalog', {});
    const byId = new Map(catalog.components.map((c) => [c.id, c]));
    const orders = byId.get('shop/Deployment/orders')!;
    assert.deepEqual(
      orders.services.map((s) => s.label),
      ['Service orders'],
    );
    assert.deepEqual(orders.serviceIds, ['shop/orders']);
    assert.equal(orders.manifest.uri, uriOf(shop('k8s', 'orders.yaml')));
    assert.deepEqual(orders.manifest.range.start, { line: 19, character: 8 });
    assert.ok(!byId.has('shop/Service/orders'), 'a Service with a workload is not a component of its own');
    const job = byId.get('shop/CronJob/export-orders')!;
    assert.deepEqual(Object.fromEntries(job.checks.map((c) => [c.id, c.status])), {
      balanced: 'na',
      drains: 'na',
      grace: 'pass',
      sigterm: 'pass',
    });
    const edge = catalog.edges.find((e) => e.from === 'shop/Deployment/frontend' && e.service === 'shop/orders');
    assert.equal(edge?.to, 'shop/Deployment/orders');
    assert.ok(edge.findings.some((f) => f.ruleId === 'grpc-client-load-balancing'));
    assert.ok(edge.evidence[0]!.label === 'new OrdersClient in shop/services/frontend/server.js');
    // Seven client Deployments of one helper, each calling its own Service (with no workload behind it).
    const fromHelper = catalog.edges.filter((e) => e.from.startsWith('fixture/Deployment/') && e.from.endsWith('-client'));
    assert.equal(fromHelper.length, 7);
    assert.ok(fromHelper.every((e) => e.to === `fixture/Service/${e.from.split('/')[2]!.replace(/-client$/, '')}`));
  });

  it('settings: workspace/configuration over .kubeconn.yaml, the editor wins, invalid values are reported', async () => {
    const deployment = shop('k8s', 'orders.yaml');
    const preferred = async (): Promise<string | undefined> => {
      const [d] = client.diagnosticsOf(deployment, 'prestop-sleep');
      return d && (await actionsAt(deployment, d)).find((a) => a.isPreferred)?.title;
    };
    fs.writeFileSync(path.join(dir, '.kubeconn.yaml'), 'preStopSeconds: 12\nrules:\n  readiness-probe: off\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(dir, '.kubeconn.yaml')), type: 1 }] });
    await client.idle();
    assert.equal(await preferred(), 'Add lifecycle.preStop.sleep.seconds: 12');
    assert.equal(client.diagnosticsOf(shop('k8s', 'frontend.yaml'), 'readiness-probe').length, 0);

    settings.current = { preStopSeconds: 7, rules: { 'kubeconn/readiness-probe': 'warn' }, kubernetesVersion: 'latest' };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const status = await client.idle();
    assert.equal(await preferred(), 'Add lifecycle.preStop.sleep.seconds: 7');
    assert.equal(client.diagnosticsOf(shop('k8s', 'frontend.yaml'), 'readiness-probe').length, 1);
    assert.deepEqual(status.settingsErrors, [
      'kubeconn.kubernetesVersion: kubernetesVersion must look like "1.30", got "latest"; using the default.',
    ]);
    await client.waitFor('the warning', () => client.messages.some((m) => m.type === 2 && m.message === status.settingsErrors[0]));

    // A bad key in the config file is a diagnostic on it (the rest of the file still applies).
    fs.writeFileSync(path.join(dir, '.kubeconn.yaml'), 'preStopSeconds: 12\nprestopSeconds: 3\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(dir, '.kubeconn.yaml')), type: 2 }] });
    await client.idle();
    const [problem] = client.diagnosticsOf(path.join(dir, '.kubeconn.yaml'), 'config-error');
    assert.match(typeof problem!.message === 'string' ? problem!.message : problem!.message.value, /unknown key 'prestopSeconds'/);
    assert.deepEqual(problem!.range.start, { line: 1, character: 0 });

    settings.current = {};
    fs.rmSync(path.join(dir, '.kubeconn.yaml'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(dir, '.kubeconn.yaml')), type: 3 }] });
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.idle();
    await client.waitFor('the config diagnostics to clear', () => client.diagnosticsOf(path.join(dir, '.kubeconn.yaml')).length === 0);
    assert.equal(await preferred(), 'Add lifecycle.preStop.sleep.seconds: 5');
  });

  it('watched files: a created file is analysed, a deleted folder forgotten', async () => {
    const file = path.join(dir, 'extra', 'svc.yaml');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(
      file,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: extra\nspec:\n  selector: {matchLabels: {app: extra}}\n  template:\n    metadata: {labels: {app: extra}}\n    spec:\n      containers:\n        - {name: extra, image: example/extra:1, ports: [{containerPort: 9090}]}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: extra\nspec:\n  selector: {app: extra}\n  ports:\n    - name: grpc\n      port: 9090\n',
    );
    // A client that reports only the folder (as some do) still gets the files inside read.
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.dirname(file)), type: 1 }] });
    await client.waitFor('diagnostics of the new file', () => client.diagnosticsOf(file, 'prestop-sleep').length === 1);
    assert.deepEqual((await client.idle([file])).known, [true]);
    fs.rmSync(path.dirname(file), { recursive: true });
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.dirname(file)), type: 3 }] });
    await client.waitFor('its diagnostics to clear', () => client.diagnosticsOf(file).length === 0);
    assert.deepEqual((await client.idle([file])).known, [false]);
  });

  it("watched files: a kustomization generator's input of any extension is read, and its edits re-analysed", async () => {
    const folder = path.join(dir, 'gen');
    const input = path.join(folder, 'config', 'frontend.jsonnet');
    const manifest = path.join(folder, 'k8s.yaml');
    fs.mkdirSync(path.dirname(input), { recursive: true });
    fs.writeFileSync(
      path.join(folder, 'config', 'kustomization.yaml'),
      'configMapGenerator:\n  - name: cfg\n    files: [frontend.jsonnet]\n',
    );
    fs.writeFileSync(input, "{ scheduler: { address: 'scheduler:8982' } }\n");
    fs.writeFileSync(path.join(folder, 'kustomization.yaml'), 'resources: [config/, k8s.yaml]\n');
    fs.writeFileSync(
      manifest,
      'apiVersion: v1\nkind: Service\nmetadata: {name: scheduler}\nspec: {selector: {app: scheduler}, ports: [{name: grpc, port: 8982}]}\n' +
        '---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: scheduler}\nspec:\n  replicas: 2\n  template:\n    metadata: {labels: {app: scheduler}}\n' +
        '    spec:\n      containers: [{name: s, ports: [{containerPort: 8982}], readinessProbe: {tcpSocket: {port: 8982}}, lifecycle: {preStop: {sleep: {seconds: 5}}}}]\n',
    );
    const imbalance = () => client.diagnosticsOf(manifest, 'grpc-clusterip-imbalance');
    const textOf = (m: string | { value: string }) => (typeof m === 'string' ? m : m.value);
    try {
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(folder), type: 1 }] });
      await client.waitFor('the ConfigMap evidence', () =>
        imbalance().some((d) => /named by ConfigMap 'cfg' key frontend\.jsonnet/.test(textOf(d.message))),
      );
      assert.deepEqual((await client.idle([input])).known, [true]);
      // The input changes on disk: the address is gone, and the finding falls back to the hedged port-name info.
      fs.writeFileSync(input, "{ scheduler: { address: 'elsewhere:1' } }\n");
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(input), type: 2 }] });
      await client.waitFor('the hedged info', () =>
        imbalance().some((d) => /no client in the repository dials it/.test(textOf(d.message))),
      );
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(folder), type: 3 }] });
      await client.waitFor('its diagnostics to clear', () => client.diagnosticsOf(manifest).length === 0);
    }
  });

  it('workspace folders: an added folder is scanned, a removed one dropped', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconn-lsp-folder-'));
    try {
      const file = path.join(other, 'svc.yaml');
      fs.writeFileSync(
        file,
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\nspec:\n  selector: {matchLabels: {app: other}}\n  template:\n    metadata: {labels: {app: other}}\n    spec:\n      containers:\n        - {name: other, image: example/other:1, ports: [{containerPort: 9090}]}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  selector: {app: other}\n  ports:\n    - name: grpc\n      port: 9090\n',
      );
      const folder = { uri: uriOf(other), name: 'other' };
      client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [folder], removed: [] } });
      await client.waitFor('the added folder', () => client.diagnosticsOf(file, 'prestop-sleep').length === 1);
      client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder] } });
      await client.waitFor('the removed folder', () => client.diagnosticsOf(file).length === 0);
      assert.ok(client.diagnosticsOf(shop('k8s', 'orders.yaml')).length > 0);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('shutdown and exit: the server exits with 0', async () => {
    assert.equal(await client.stop(), 0);
    assert.equal(client.stderr.join(''), '');
  });
});

describe('kubeconn lsp for clients without workspace/configuration', () => {
  it('takes its settings from initializationOptions and runs its docs command with window/showDocument', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconn-lsp-'));
    fs.cpSync(path.join(repoRoot, 'examples', 'shop'), dir, { recursive: true });
    const client = await TestClient.start({ folders: [dir], initializationOptions: { settings: { rules: { 'prestop-sleep': 'off' } } } });
    try {
      const shown: unknown[] = [];
      client.connection.onRequest('window/showDocument', (p: unknown) => (shown.push(p), { success: true }));
      await client.idle();
      assert.equal(client.diagnosticsOf(path.join(dir, 'k8s', 'orders.yaml'), 'prestop-sleep').length, 0);
      assert.equal(client.diagnosticsOf(path.join(dir, 'k8s', 'orders.yaml'), 'grpc-clusterip-imbalance').length, 1);
      await client.request('workspace/executeCommand', {
        command: 'kubeconn.showDocumentation',
        arguments: ['prestop-sleep', 'https://github.com/kubeconn/kubeconn/blob/main/docs/rules/prestop-sleep.md'],
      });
      assert.deepEqual(shown, [{ uri: 'https://github.com/kubeconn/kubeconn/blob/main/docs/rules/prestop-sleep.md', external: true }]);
      assert.equal(await client.stop(), 0);
    } finally {
      if (client.child.exitCode === null) client.child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kubeconn lsp --stdio, with a client that resolves code actions', () => {
  let dir: string;
  let lazy: TestClient;
  let eager: TestClient;
  const k8s = () => path.join(dir, 'k8s', 'services.yaml');
  const served = (name: string) =>
    [
      'apiVersion: v1',
      'kind: Service',
      `metadata: {name: ${name}}`,
      `spec: {selector: {app: ${name}}, ports: [{name: http, port: 8080}]}`,
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      `metadata: {name: ${name}}`,
      'spec:',
      `  selector: {matchLabels: {app: ${name}}}`,
      '  template:',
      `    metadata: {labels: {app: ${name}}}`,
      '    spec:',
      '      containers:',
      `        - name: ${name}`,
      `          image: ghcr.io/example/${name}:1.0`,
      '          ports: [{containerPort: 8080}]',
      '          readinessProbe: {httpGet: {path: /ready, port: 8080}}',
      '',
    ].join('\n');
  type Status = { stats?: { fixVerification?: { reanalysedFixes: number } } };
  const reanalysed = async (c: TestClient) =>
    (await c.request<Status>('kubeconn/status', { waitForIdle: true })).stats?.fixVerification?.reanalysedFixes ?? 0;
  const fixAllIn = async (c: TestClient) => {
    const [d] = c.diagnosticsOf(k8s(), 'prestop-sleep');
    assert.ok(d, 'a prestop-sleep diagnostic');
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uriOf(k8s()) },
      range: d.range,
      context: { diagnostics: [d] },
    });
    return actions.find((a) => a.title === 'Fix all kubeconn/prestop-sleep problems');
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconn-lsp-resolve-'));
    fs.mkdirSync(path.join(dir, 'k8s'));
    fs.writeFileSync(k8s(), ['orders', 'payments', 'catalog'].map(served).join('---\n'));
    fs.writeFileSync(path.join(dir, 'k8s', 'search.yaml'), served('search'));
    lazy = await TestClient.start({ folders: [dir], resolveEdits: true });
    eager = await TestClient.start({ folders: [dir] });
    await Promise.all([lazy.idle(), eager.idle()]);
  });
  after(() => {
    for (const c of [lazy, eager]) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says it resolves code actions only to a client that does', () => {
    assert.deepEqual(lazy.initializeResult!.capabilities.codeActionProvider, {
      codeActionKinds: ['quickfix', 'source.fixAll.kubeconn'],
      resolveProvider: true,
    });
    assert.equal((eager.initializeResult!.capabilities.codeActionProvider as { resolveProvider?: boolean }).resolveProvider, undefined);
  });

  it('offers "Fix all <rule> problems" without its edit, and verifies the rule’s fixes only when it is resolved', async () => {
    const offered = await fixAllIn(lazy);
    assert.ok(offered, 'the fix-all entry is offered');
    assert.equal(offered.edit, undefined);
    assert.deepEqual(offered.data, { fixAllOfRule: 'prestop-sleep' });
    // The menu verified the fixes of the line's findings, not the rule's four.
    const menu = await reanalysed(lazy);
    assert.equal(menu, 1, 'the menu re-analysed the one fix of its line');
    const resolved = await lazy.request<CodeAction>('codeAction/resolve', offered);
    // The menu's verdict is kept: resolving re-analysed the other three.
    assert.equal((await reanalysed(lazy)) - menu, 3, 'resolving verified the rule’s other fixes');
    // The same edit as the client that gets it eagerly.
    const eagerAll = await fixAllIn(eager);
    assert.deepEqual(resolved.edit, eagerAll?.edit);
    assert.deepEqual(Object.keys(resolved.edit!.changes!).sort(), [uriOf(path.join(dir, 'k8s', 'search.yaml')), uriOf(k8s())].sort());
    const fixed = applyTextEdits(fs.readFileSync(k8s(), 'utf8'), resolved.edit!.changes![uriOf(k8s())]!);
    assert.equal(fixed.match(/preStop:/g)?.length, 3);
  });

  it('resolves an entry it does not know to itself, and a fix-all whose rule has no fix left to an empty edit', async () => {
    const other = { title: 'x', kind: 'quickfix', data: { something: 1 } };
    assert.deepEqual(await lazy.request<CodeAction>('codeAction/resolve', other), other);
    const none = await lazy.request<CodeAction>('codeAction/resolve', {
      title: 'Fix all kubeconn/nope problems',
      data: { fixAllOfRule: 'nope' },
    });
    assert.deepEqual(none.edit, { changes: {} });
  });
});
