// Kustomize overlays as deployment units, on a realistic layout written for the test: a base with a
// Deployment, a Service and a generated ConfigMap; a prod overlay that prefixes names, sets a namespace,
// patches replicas and adds a preStop hook; a staging overlay that only prefixes and bumps the image. The
// overlay sees its bases with its own transformations applied, findings land on the line that defines the
// value (base file or patch), and the two overlays never see each other.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createWorkspace, initKubeconn, type AnalysisResult } from '../../src/api.js';
import { yaml } from '../helpers/rule-tester.js';

const FILES: Record<string, string> = {
  '/repo/deploy/base/deployment.yaml': yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: orders
    spec:
      replicas: 1
      selector:
        matchLabels: {app: orders}
      template:
        metadata:
          labels: {app: orders}
        spec:
          containers:
            - name: orders
              image: ghcr.io/acme/orders:1.0
              ports: [{name: grpc, containerPort: 50051}]
              readinessProbe: {grpc: {port: 50051}}
              env:
                - name: PAYMENTS_ADDR
                  valueFrom: {configMapKeyRef: {name: orders-config, key: payments}}
  `,
  '/repo/deploy/base/service.yaml': yaml`
    apiVersion: v1
    kind: Service
    metadata:
      name: orders
    spec:
      selector: {app: orders}
      ports: [{name: grpc, port: 50051, appProtocol: grpc}]
  `,
  '/repo/deploy/base/crd.yaml': yaml`
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: orders.acme.io
    spec:
      group: acme.io
      names: {kind: Order, plural: orders}
      scope: Namespaced
      versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
  `,
  '/repo/deploy/base/kustomization.yaml': yaml`
    resources:
      - crd.yaml
      - deployment.yaml
      - service.yaml
    configMapGenerator:
      - name: orders-config
        literals:
          - payments=payments:50051
  `,
  '/repo/deploy/overlays/prod/kustomization.yaml': yaml`
    apiVersion: kustomize.config.k8s.io/v1beta1
    kind: Kustomization
    namespace: shop-prod
    namePrefix: prod-
    resources:
      - ../../base
    replicas:
      - name: orders
        count: 3
    patches:
      - path: drain.yaml
  `,
  '/repo/deploy/overlays/prod/drain.yaml': yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: orders
    spec:
      template:
        spec:
          terminationGracePeriodSeconds: 45
          containers:
            - name: orders
              lifecycle:
                preStop:
                  sleep: {seconds: 10}
  `,
  '/repo/deploy/overlays/staging/kustomization.yaml': yaml`
    namePrefix: staging-
    resources:
      - ../../base
    images:
      - name: ghcr.io/acme/orders
        newTag: "2.0"
  `,
};

describe('Kustomize units', () => {
  let result: AnalysisResult;
  before(async () => {
    await initKubeconn();
    const ws = createWorkspace();
    for (const [file, text] of Object.entries(FILES)) ws.setFile(file, text);
    result = ws.analyze();
  });

  it('builds one unit per overlay, not the base on its own, with names, namespace, replicas and images applied', () => {
    const units = result.model.units.units.filter((u) => u.kind === 'kustomize').map((u) => u.id);
    assert.deepEqual(units.sort(), ['kustomize:/repo/deploy/overlays/prod', 'kustomize:/repo/deploy/overlays/staging']);
    const workloads = result.model.workloads
      .map((w) => `${w.name}@${w.namespace ?? '-'} replicas=${w.replicas} image=${w.containers[0]!.image}`)
      .sort();
    assert.deepEqual(workloads, [
      'prod-orders@shop-prod replicas=3 image=ghcr.io/acme/orders:1.0',
      'staging-orders@- replicas=1 image=ghcr.io/acme/orders:2.0',
    ]);
  });

  it('selects the workload of its own overlay only, and resolves env through the generated (renamed) ConfigMap', () => {
    for (const service of result.model.services) {
      const selected = result.model.workloadsSelectedBy(service).map((w) => w.name);
      assert.deepEqual(selected, [service.name], `${service.name} selects its own overlay's Deployment`);
    }
    const prod = result.model.workloads.find((w) => w.name === 'prod-orders')!;
    const env = prod.containers[0]!.env.find((e) => e.name === 'PAYMENTS_ADDR')!;
    assert.equal(env.value, 'payments:50051');
    assert.equal(env.from?.name, 'prod-orders-config');
  });

  it('the patch applies: prod has the preStop and grace of drain.yaml; staging has neither', () => {
    const prod = result.model.workloads.find((w) => w.name === 'prod-orders')!;
    const staging = result.model.workloads.find((w) => w.name === 'staging-orders')!;
    assert.equal(prod.containers[0]!.preStop?.delaySeconds, 10);
    assert.equal(prod.terminationGracePeriodSeconds, 45);
    assert.equal(staging.containers[0]!.preStop, undefined);
    // The hook is written in the patch: a report on it points into drain.yaml.
    const hookSpan = prod.object.source.span(prod.containers[0]!.preStop.node);
    assert.equal(hookSpan?.file, '/repo/deploy/overlays/prod/drain.yaml');
  });

  it('reports on the line of the base that defines the container, once, for the overlay that lacks the hook', () => {
    const prestop = result.findings.filter((f) => f.ruleId === 'prestop-sleep');
    assert.deepEqual(
      prestop.map((f) => `${f.file}:${f.line}:${f.column} ${f.message.split('. ')[0]}`),
      [
        "/repo/deploy/base/deployment.yaml:14:11 Container 'orders' of Deployment 'staging-orders' receives traffic but has no preStop hook",
      ],
    );
    // Its fix edits the base container (the overlay did not rename the container map).
    const fix = prestop[0]!.fix!;
    assert.equal(fix.edits[0]!.file, '/repo/deploy/base/deployment.yaml');
  });

  it('carries no CustomResourceDefinition into its overlays: a schema no rule reads, often megabytes of it', () => {
    const kinds = new Set(result.model.objects.filter((o) => o.unit?.kind === 'kustomize').map((o) => o.kind));
    assert.deepEqual([...kinds].sort(), ['ConfigMap', 'Deployment', 'Service']);
    assert.ok(!result.model.objects.some((o) => o.kind === 'CustomResourceDefinition'));
  });
});

describe('Kustomize overlays sharing a base line to fix', () => {
  it('verify the one fix the overlays share once: one re-analysis for twelve findings, each keeping the fix', async () => {
    await initKubeconn();
    const ws = createWorkspace();
    ws.setFile('/r/base/app.yaml', FILES['/repo/deploy/base/deployment.yaml']!);
    ws.setFile('/r/base/svc.yaml', FILES['/repo/deploy/base/service.yaml']!);
    ws.setFile('/r/base/kustomization.yaml', 'resources: [app.yaml, svc.yaml]\n');
    for (let i = 0; i < 12; i++) ws.setFile(`/r/overlays/o${i}/kustomization.yaml`, `namePrefix: o${i}-\nresources: [../../base]\n`);
    const prestop = ws.analyze().findings.filter((f) => f.ruleId === 'prestop-sleep');
    assert.equal(prestop.length, 12);
    assert.equal(new Set(prestop.map((f) => JSON.stringify(f.fix?.edits))).size, 1, 'one edit of the base, twelve times');
    assert.equal(ws.verifyCounters.reanalyses, 1);
    assert.equal(ws.verifyCounters.reanalysedFixes, 12);
    assert.equal(ws.verifyCounters.dropped, 0);
  });
});
