// Bad input never crashes, hangs or loses the rest: malformed documents, Helm templates, alias bombs,
// binary and oversized files, YAML that is not Kubernetes, CRLF files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../src/core/edit.js';
import { initKubeconn } from '../../src/core/init.js';
import { createWorkspace } from '../../src/api.js';
import { yaml } from '../helpers/rule-tester.js';

async function analyse(files: Record<string, string>, options = {}) {
  await initKubeconn();
  const ws = createWorkspace(options);
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  return { ws, result: ws.analyze() };
}

const grpcService = yaml`
  apiVersion: v1
  kind: Service
  metadata: {name: orders}
  spec:
    ports:
      - name: grpc
        port: 50051
`;

describe('bad input', () => {
  it('a broken document is reported with its line; the other documents and files are still analysed', async () => {
    const { result } = await analyse({
      'a.yaml': `${grpcService}---\nkind: Service\napiVersion: v1\nmetadata:\n  name: [oops\n---\n${grpcService.replace('orders', 'after')}`,
      'b.yaml': grpcService.replace('orders', 'other'),
    });
    assert.deepEqual(
      result.problems.map((p) => [p.file, p.line, p.kind, p.fatal]),
      [['a.yaml', 13, 'syntax', false]],
    );
    assert.match(result.problems[0]!.message, /^YAML syntax error in document 2: /);
    const services = result.findings.filter((f) => f.ruleId === 'grpc-clusterip-imbalance').map((f) => `${f.file}:${f.line}`);
    assert.deepEqual(services, ['a.yaml:6', 'a.yaml:19', 'b.yaml:6']);
  });

  it('Helm templates are masked: lines stay true, fixes become suggestions', async () => {
    const chart = yaml`
      apiVersion: v1
      kind: Service
      metadata:
        name: {{ include "orders.fullname" . }}
        labels: {{- include "orders.labels" . | nindent 4 }}
      spec:
        type: {{ .Values.service.type }}
        ports:
          - name: grpc
            port: {{ .Values.service.port }}
      {{- if .Values.metrics.enabled }}
          - name: metrics
            port: 9090
      {{- end }}
    `;
    // service-app-protocol speaks only for ports an HTTPRoute targets (facts A15): the route names the port.
    const route =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: orders}\nspec:\n  rules:\n    - backendRefs: [{name: orders}]\n';
    const { result } = await analyse({
      'templates/service.yaml': chart.replace('{{ include "orders.fullname" . }}', 'orders'),
      'route.yaml': route,
    });
    assert.deepEqual(result.problems, []);
    const appProtocol = result.findings.find((f) => f.ruleId === 'service-app-protocol')!;
    assert.equal(appProtocol.line, 9);
    assert.equal(appProtocol.fix, undefined, 'no unattended edit of a template');
    // The suggestion goes through the Helm engine's source mapping: one line in the template, under the port.
    const [edit] = appProtocol.suggestions.flatMap((s) => s.edits);
    assert.equal(appProtocol.suggestions.length, 1);
    const source = chart.replace('{{ include "orders.fullname" . }}', 'orders');
    const applied = source.slice(0, edit!.start) + edit!.text + source.slice(edit!.end);
    assert.match(applied, /port: \{\{ \.Values\.service\.port \}\}\n {6}appProtocol: kubernetes\.io\/h2c\n\{\{- if/);
  });

  it('an alias bomb neither hangs nor crashes, and its aliases are never expanded', async () => {
    const bomb = [
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: bomb}',
      'x: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `x${i}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(',')}]`,
      ),
      'spec:',
      '  ports:',
      '    - &port {name: grpc, port: 1, extra: *m}',
      '',
    ].join('\n');
    const started = Date.now();
    const { result } = await analyse({ 'bomb.yaml': bomb });
    assert.ok(Date.now() - started < 5000);
    const finding = result.findings.find((f) => f.ruleId === 'grpc-clusterip-imbalance')!;
    // The sibling Service would copy the aliased port: not offered. Making it headless still is.
    assert.deepEqual(
      finding.suggestions.map((s) => s.messageId),
      ['makeHeadless'],
    );
  });

  it('binary and oversized files are skipped with a message', async () => {
    const { result } = await analyse(
      { 'bin.yaml': 'kind: Pod\u0000\u0001\u0002', 'big.yaml': `kind: ConfigMap\n${'# padding\n'.repeat(200)}` },
      { maxFileBytes: 1024 },
    );
    assert.deepEqual(
      result.problems.map((p) => [p.file, p.kind, p.message]),
      [
        ['big.yaml', 'skipped', 'Skipped: the file is 0.0 MB, over the 0.0 MB limit (setting maxFileBytes).'],
        ['bin.yaml', 'skipped', 'Skipped: the file looks binary (it contains NUL bytes).'],
      ],
    );
  });

  it('YAML that is not Kubernetes is ignored', async () => {
    const { result } = await analyse({
      '.github/workflows/ci.yml': 'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{run: npm test}]\n',
      'openapi.yaml':
        'openapi: 3.0.0\ninfo: {title: x, version: "1"}\ncomponents:\n  schemas:\n    Pet: {properties: {kind: {type: string}}}\n',
      'values.yaml': 'kind: notreally\nreplicaCount: 3\n',
      'empty.yaml': '',
      'comments.yaml': '# nothing\n---\n---\n',
    });
    assert.deepEqual([...result.findings, ...result.problems], []);
  });

  it('a fix keeps the CRLF line endings of a CRLF file', async () => {
    // A Deployment behind a Service: prestop-sleep judges only containers that receive traffic.
    const svc = 'apiVersion: v1\r\nkind: Service\r\nmetadata: {name: p}\r\nspec: {selector: {app: p}, ports: [{port: 80}]}\r\n';
    const crlf =
      'apiVersion: apps/v1\r\nkind: Deployment\r\nmetadata: {name: p}\r\nspec:\r\n  template:\r\n    metadata: {labels: {app: p}}\r\n    spec:\r\n      containers:\r\n        - name: c\r\n          ports: [{containerPort: 80}]\r\n';
    const { result } = await analyse({ 'pod.yaml': crlf, 'svc.yaml': svc });
    const finding = result.findings.find((f) => f.ruleId === 'prestop-sleep')!;
    assert.equal(finding.line, 9);
    const fixed = applyEdits(crlf, finding.fix!.edits);
    assert.equal(fixed, `${crlf}          lifecycle:\r\n            preStop:\r\n              sleep:\r\n                seconds: 5\r\n`);
    const again = await analyse({ 'pod.yaml': fixed, 'svc.yaml': svc });
    assert.equal(again.result.findings.filter((f) => f.ruleId === 'prestop-sleep').length, 0);
  });

  it('a YAML error at the end of the input is a problem inside the file, never one past it', async () => {
    // An unclosed `[` makes the yaml library report [length, length + 1): every reader of YAML clamps it.
    const files = {
      'k8s/app.yaml': 'apiVersion: v1\nkind: Service\nmetadata: [',
      'deploy/kustomization.yaml': '[',
      'skaffold.yaml': 'apiVersion: skaffold/v4beta6\nkind: Config\nbuild: [',
      'src/main/resources/application.yml': 'grpc:\n  client: [',
      'appsettings.json': '{"GrpcClient": "\\u12',
      'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
      'chart/values.yaml': 'port: [',
      'chart/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.port }}\n',
    };
    const { result } = await analyse(files);
    const texts: Record<string, string> = files;
    const outside = result.problems.filter((p) => p.start < 0 || p.end < p.start || p.end > texts[p.file]!.length);
    assert.deepEqual(
      outside.map((p) => `${p.file} [${p.start}, ${p.end}) ${p.message}`),
      [],
    );
    for (const file of [
      'k8s/app.yaml',
      'deploy/kustomization.yaml',
      'skaffold.yaml',
      'src/main/resources/application.yml',
      'appsettings.json',
      'chart/values.yaml',
    ])
      assert.ok(
        result.problems.some((p) => p.file === file),
        `${file} has its syntax problem`,
      );
  });
});

describe('incremental workspace', () => {
  it('a collection used as a map key prints no Node warning (yaml warns through process.emitWarning when converting it)', async () => {
    const warnings: string[] = [];
    const listen = (w: Error) => warnings.push(w.message);
    process.on('warning', listen);
    try {
      const { result } = await analyse({
        'k8s/svc.yaml':
          'apiVersion: v1\nkind: Service\nmetadata: {name: orders}\nspec:\n  selector: {app: orders}\n  ports: [{name: grpc, port: 50051, {a: 1}: x}]\n---\n' +
          'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: orders}\nspec:\n  template:\n    metadata: {labels: {app: orders}}\n' +
          '    spec: {containers: [{name: a, image: orders:1, ports: [{containerPort: 50051}]}]}\n',
        'client.py': 'import grpc\nchannel = grpc.insecure_channel("orders:50051")\n',
      });
      assert.ok(
        result.findings.some((f) => f.ruleId === 'grpc-clusterip-imbalance'),
        'the Service port (its map holding the odd key) was read and converted',
      );
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      assert.deepEqual(warnings, []);
    } finally {
      process.off('warning', listen);
    }
  });

  it('re-extracts only the file that changed and reuses the result until something changes', async () => {
    const { ws } = await analyse({ 'svc.yaml': grpcService, 'other.yaml': grpcService.replace('orders', 'other') });
    const first = ws.analyze();
    assert.equal(ws.analyze(), first, 'cached');
    const otherFacts = ws.factsOf('other.yaml');
    assert.equal(ws.setFile('svc.yaml', grpcService), false, 'same text: nothing to do');
    assert.equal(ws.analyze(), first);
    ws.setFile('svc.yaml', grpcService.replace('name: grpc', 'name: http'));
    const second = ws.analyze();
    assert.notEqual(second, first);
    assert.equal(ws.factsOf('other.yaml'), otherFacts, 'the unchanged file was not re-extracted');
    // grpc-clusterip-imbalance (service-app-protocol speaks only for ports an HTTPRoute targets).
    assert.deepEqual(
      second.findings.map((f) => f.file),
      ['other.yaml'],
    );
    ws.removeFile('other.yaml');
    assert.deepEqual(ws.analyze().findings, []);
  });
});
