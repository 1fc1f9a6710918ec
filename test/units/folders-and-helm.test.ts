// Variant folders and Helm charts as deployment units, on layouts written for the test. Three sibling
// folders hold the same system set up three ways (one right, two wrong): each is analysed on its own, and a
// client resolves to the Service of its own variant. A Helm chart renders with its values: names and labels
// from _helpers.tpl, an opt-in mesh block absent by default and present with a values file, a Service type
// and a grace period from values — reported on the template lines that write them.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createWorkspace, initKubeconn, type AnalysisResult } from '../../src/api.js';
import { yaml } from '../helpers/rule-tester.js';

const service = (name: string, headless: boolean) => yaml`
  apiVersion: v1
  kind: Service
  metadata: {name: ${name}}
  spec:
    ${headless ? 'clusterIP: None' : 'type: ClusterIP'}
    selector: {app: ${name}}
    ports: [{name: grpc, port: 50051, appProtocol: grpc}]
`;
const deployment = (name: string, env: string) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: ${name}}
  spec:
    template:
      metadata: {labels: {app: ${name}}}
      spec:
        containers:
          - name: ${name}
            image: shop/${name}:1
            ports: [{name: grpc, containerPort: 50051}]
            readinessProbe: {grpc: {port: 50051}}
            lifecycle: {preStop: {sleep: {seconds: 5}}}
            env: [{name: PAYMENTS_ADDR, value: "${env}"}]
`;

describe('variant folders', () => {
  let result: AnalysisResult;
  before(async () => {
    await initKubeconn();
    const ws = createWorkspace();
    // right: a headless payments Service; the two others dial a ClusterIP VIP.
    for (const [variant, headless] of [
      ['right', true],
      ['wrong-a', false],
      ['wrong-b', false],
    ] as const) {
      ws.setFile(`/repo/setups/${variant}/payments.yaml`, `${service('payments', headless)}---\n${deployment('payments', '')}`);
      ws.setFile(`/repo/setups/${variant}/checkout.yaml`, deployment('checkout', 'payments:50051'));
    }
    result = ws.analyze();
  });

  it('splits sibling folders that define the same objects into units of their own', () => {
    assert.deepEqual(result.model.units.units.map((u) => u.id).sort(), [
      'folder:/repo/setups/right',
      'folder:/repo/setups/wrong-a',
      'folder:/repo/setups/wrong-b',
    ]);
    for (const s of result.model.services) {
      const selected = result.model.workloadsSelectedBy(s);
      assert.equal(selected.length, 1);
      assert.equal(selected[0]!.object.unit, s.object.unit, 'a Service selects its own variant');
    }
  });

  it('reports the ClusterIP Service of each wrong variant, and not the right one', () => {
    const imbalance = result.findings.filter((f) => f.ruleId === 'grpc-clusterip-imbalance').map((f) => f.file);
    assert.deepEqual(imbalance.sort(), ['/repo/setups/wrong-a/payments.yaml', '/repo/setups/wrong-b/payments.yaml']);
  });
});

const CHART: Record<string, string> = {
  '/repo/charts/shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.2.0\nappVersion: "3.1"\n',
  '/repo/charts/shop/values.yaml': yaml`
    replicaCount: 2
    terminationGracePeriodSeconds: 8
    mesh:
      enabled: false
    service:
      type: ClusterIP
      port: 50051
  `,
  '/repo/charts/shop/values-mesh.yaml': 'mesh:\n  enabled: true\n',
  '/repo/charts/shop/templates/_helpers.tpl': [
    '{{- define "shop.fullname" -}}',
    '{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}',
    '{{- end }}',
    '{{- define "shop.selectorLabels" -}}',
    'app.kubernetes.io/name: {{ .Chart.Name }}',
    'app.kubernetes.io/instance: {{ .Release.Name }}',
    '{{- end }}',
    '',
  ].join('\n'),
  '/repo/charts/shop/templates/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ include "shop.fullname" . }}',
    'spec:',
    '  replicas: {{ .Values.replicaCount }}',
    '  selector:',
    '    matchLabels:',
    '      {{- include "shop.selectorLabels" . | nindent 6 }}',
    '  template:',
    '    metadata:',
    '      {{- if .Values.mesh.enabled }}',
    '      annotations:',
    '        linkerd.io/inject: enabled',
    '      {{- end }}',
    '      labels:',
    '        {{- include "shop.selectorLabels" . | nindent 8 }}',
    '    spec:',
    '      terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}',
    '      containers:',
    '        - name: {{ .Chart.Name }}',
    '          image: "shop/api:{{ .Chart.AppVersion }}"',
    '          ports:',
    '            - name: grpc',
    '              containerPort: {{ .Values.service.port }}',
    '          readinessProbe: {grpc: {port: 50051}}',
    '',
  ].join('\n'),
  '/repo/charts/shop/templates/service.yaml': [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: {{ include "shop.fullname" . }}',
    'spec:',
    '  type: {{ .Values.service.type }}',
    '  selector:',
    '    {{- include "shop.selectorLabels" . | nindent 4 }}',
    '  ports:',
    '    - name: grpc',
    '      port: {{ .Values.service.port }}',
    '      appProtocol: grpc',
    '',
  ].join('\n'),
};

describe('Helm charts', () => {
  const analyse = async (options: Parameters<typeof createWorkspace>[0] = {}): Promise<AnalysisResult> => {
    await initKubeconn();
    const ws = createWorkspace(options);
    for (const [file, text] of Object.entries(CHART)) ws.setFile(file, text);
    return ws.analyze();
  };

  it('renders the chart with its values: names from _helpers.tpl, the Service type, selection by rendered labels', async () => {
    const result = await analyse();
    assert.deepEqual(result.problems, []);
    const [svc] = result.model.services;
    assert.equal(svc!.name, 'release-shop');
    assert.equal(svc!.type, 'ClusterIP');
    assert.deepEqual(
      result.model.workloadsSelectedBy(svc!).map((w) => w.name),
      ['release-shop'],
    );
    const w = result.model.workloads[0]!;
    assert.equal(w.replicas, 2);
    assert.equal(w.terminationGracePeriodSeconds, 8);
    assert.equal(w.object.unit?.id, 'helm:/repo/charts/shop');
  });

  it('an opt-in mesh block is absent by default and present with the values file that enables it', async () => {
    const plain = await analyse();
    assert.equal(plain.model.meshOf(plain.model.workloads[0]!), undefined);
    assert.equal(plain.findings.filter((f) => f.ruleId === 'grpc-clusterip-imbalance').length, 1, 'no mesh: the VIP is reported');
    const meshed = await analyse({ helm: { valuesFiles: ['/repo/charts/shop/values-mesh.yaml'] } });
    assert.equal(meshed.model.meshOf(meshed.model.workloads[0]!)?.mesh, 'linkerd');
    assert.equal(meshed.findings.filter((f) => f.ruleId === 'grpc-clusterip-imbalance').length, 0, 'meshed: balanced per request');
  });

  it('reports on the template lines, and a value from values.yaml maps to values.yaml', async () => {
    const result = await analyse();
    const imbalance = result.findings.find((f) => f.ruleId === 'grpc-clusterip-imbalance')!;
    assert.deepEqual([imbalance.file, imbalance.line, imbalance.column], ['/repo/charts/shop/templates/service.yaml', 10, 7]);
    assert.equal(imbalance.related[0]!.file, '/repo/charts/shop/templates/deployment.yaml');
    const w = result.model.workloads[0]!;
    // terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }} → the values node, for edits.
    const ctx = w.object.source.editContext(w.gracePair!.value!)!;
    const edit = ctx.toRepository({ file: ctx.file, start: w.gracePair!.value!.range![0], end: w.gracePair!.value!.range![1], text: '30' });
    assert.equal(edit?.file, '/repo/charts/shop/values.yaml');
    assert.equal(CHART['/repo/charts/shop/values.yaml']!.slice(edit.start, edit.end), '8');
    // The template line, for reports.
    const span = w.object.source.span(w.gracePair!.value!)!;
    assert.equal(span.file, '/repo/charts/shop/templates/deployment.yaml');
  });

  it('never offers an edit inside {{ }}, and offers one in literal template text', async () => {
    const result = await analyse();
    const w = result.model.workloads[0]!;
    const container = w.containers[0]!;
    const nameNode = container.node.items.find((p) => String((p.key as { value: unknown }).value) === 'name')!.value!;
    const ctx = container.workload.object.source.editContext(nameNode)!;
    assert.equal(
      ctx.toRepository({ file: ctx.file, start: nameNode.range![0], end: nameNode.range![1], text: 'x' }),
      undefined,
      'the name is computed by {{ .Chart.Name }}',
    );
    const mapCtx = w.object.source.editContext(container.node)!;
    const end = container.node.range![1];
    const insertion = mapCtx.toRepository({ file: mapCtx.file, start: end, end, text: '          lifecycle: {}\n' });
    assert.equal(insertion?.file, '/repo/charts/shop/templates/deployment.yaml');
  });
});
