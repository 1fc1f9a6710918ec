// A realistic chart (test/fixtures/helm/orders: helm-create-style helpers, a gRPC Deployment and Service,
// a PDB, a ConfigMap, a hook Job, a test Pod and a `cache` subchart) rendered as `helm template shop .`
// would print it, with and without a production values file, and the source map of chosen characters.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { originAt, renderChart, type ChartRender, type RenderedTemplate } from '../../src/core/helm/index.js';
import { assertCoverage, assertYaml, dedent, loadFixture } from './helpers.js';

const { root, files } = loadFixture('orders');
const file = (rel: string): string => path.join(root, rel);
const text = (rel: string): string => files.get(file(rel))!;
const render = (valuesFiles?: string[], releaseNamespace?: string): ChartRender =>
  renderChart(
    { root, files },
    { releaseName: 'shop', ...(valuesFiles ? { valuesFiles } : {}), ...(releaseNamespace ? { releaseNamespace } : {}) },
  );
const tmpl = (r: ChartRender, name: string): RenderedTemplate => {
  const t = r.templates.find((x) => x.name === name);
  assert.ok(t, `${name} rendered`);
  return t;
};
/** Offset of `needle` in `hay`, after `after` when given; asserts it is there. */
function at(hay: string, needle: string, after = ''): number {
  const base = after ? hay.indexOf(after) + after.length : 0;
  const i = hay.indexOf(needle, base);
  assert.ok(i >= 0 && (!after || hay.indexOf(after) >= 0), `${JSON.stringify(needle)} found`);
  return i;
}

describe('helm chart: default values', () => {
  const r = render();

  it('renders every manifest template, subchart included, partials and NOTES.txt skipped', () => {
    assert.deepEqual(
      r.templates.map((t) => [t.name, t.hooks]),
      [
        ['orders/charts/cache/templates/deployment.yaml', false],
        ['orders/templates/configmap.yaml', false],
        ['orders/templates/deployment.yaml', false],
        ['orders/templates/migrate-job.yaml', true],
        ['orders/templates/pdb.yaml', false],
        ['orders/templates/service.yaml', false],
        ['orders/templates/tests/test-connection.yaml', true],
      ],
    );
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.chart, { name: 'orders', version: '1.4.2', root });
    for (const t of r.templates) {
      assertYaml(t.text, t.name);
      assertCoverage(t);
      assert.equal(t.template, file(t.name.replace(/^orders\//, '')));
    }
  });

  it('the Deployment is what helm template prints: helpers, toYaml, range, with, if/else if/else', () => {
    assert.equal(
      tmpl(r, 'orders/templates/deployment.yaml').text,
      dedent(`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: shop-orders
          labels:
            helm.sh/chart: orders-1.4.2
            app.kubernetes.io/name: orders
            app.kubernetes.io/instance: shop
            app.kubernetes.io/version: "2.3.0"
            app.kubernetes.io/managed-by: Helm
        spec:
          replicas: 2
          selector:
            matchLabels:
              app.kubernetes.io/name: orders
              app.kubernetes.io/instance: shop
          template:
            metadata:
              labels:
                app.kubernetes.io/name: orders
                app.kubernetes.io/instance: shop
            spec:
              terminationGracePeriodSeconds: 45
              containers:
                - name: orders
                  image: "registry.example.com/shop/orders:2.3.0"
                  imagePullPolicy: IfNotPresent
                  ports:
                    - name: grpc
                      containerPort: 50051
                      protocol: TCP
                    - name: metrics
                      containerPort: 9090
                      protocol: TCP
                  env:
                    - name: FEATURE_FLAGS
                      value: "on"
                    - name: LOG_LEVEL
                      value: "info"
                    - name: ENVIRONMENT
                      value: "dev"
                  readinessProbe:
                    grpc:
                      port: 50051
                  resources:
                    limits:
                      cpu: 500m
                      memory: 256Mi
                    requests:
                      cpu: 100m
                      memory: 128Mi
      `) + '\n',
    );
  });

  it('the Service takes its type from values and ranges over the ports', () => {
    assert.equal(
      tmpl(r, 'orders/templates/service.yaml').text,
      dedent(`
        apiVersion: v1
        kind: Service
        metadata:
          name: shop-orders
          labels:
            helm.sh/chart: orders-1.4.2
            app.kubernetes.io/name: orders
            app.kubernetes.io/instance: shop
            app.kubernetes.io/version: "2.3.0"
            app.kubernetes.io/managed-by: Helm
        spec:
          type: ClusterIP
          ports:
            - name: grpc
              port: 50051
              targetPort: grpc
              appProtocol: grpc
            - name: metrics
              port: 9090
              targetPort: metrics
          selector:
            app.kubernetes.io/name: orders
            app.kubernetes.io/instance: shop
      `) + '\n',
    );
  });

  it('the subchart gets its section of the parent values, the parent globals, and the parent defines', () => {
    assert.equal(
      tmpl(r, 'orders/charts/cache/templates/deployment.yaml').text,
      dedent(`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: shop-cache
          labels:
            app.kubernetes.io/name: cache
            environment: dev
            team: platform
        spec:
          template:
            spec:
              containers:
                - name: cache
                  image: registry.example.com/shop/cache:7.2
                  args: ["--maxmemory", "64mb"]
                  ports:
                    - containerPort: 6379
      `) + '\n',
    );
    const v = r.values as { cache: { maxMemory: string; port: number; global: unknown } };
    assert.deepEqual([v.cache.maxMemory, v.cache.port, v.cache.global], ['64mb', 6379, { environment: 'dev', team: 'platform' }]);
  });

  it('hooks: the annotated Job and the test Pod', () => {
    const test = tmpl(r, 'orders/templates/tests/test-connection.yaml');
    assert.match(test.text, /name: "shop-orders-test-connection"/);
    assert.match(test.text, /args: \['-addr=shop-orders:50051'\]/);
    assert.match(tmpl(r, 'orders/templates/migrate-job.yaml').text, /"helm.sh\/hook": pre-install,pre-upgrade/);
  });
});

describe('helm chart: a production values file over values.yaml', () => {
  const r = render(['values-prod.yaml'], 'checkout');

  it('opt-in mesh annotations appear, podAnnotations render with toYaml, else-if takes the tcp probe, cache is disabled', () => {
    const dep = tmpl(r, 'orders/templates/deployment.yaml').text;
    assert.ok(
      dep.includes(
        dedent(`
      |    metadata:
      |      annotations:
      |        prometheus.io/port: "9090"
      |        prometheus.io/scrape: "true"
      |        linkerd.io/inject: enabled
      |        config.linkerd.io/proxy-await: "enabled"
      |      labels:
    `).replace(/^\|/gm, ''),
      ),
    );
    assert.ok(dep.includes('  replicas: 4\n'));
    assert.ok(dep.includes('      terminationGracePeriodSeconds: 60\n'));
    assert.ok(dep.includes('          readinessProbe:\n            tcpSocket:\n              port: grpc\n'));
    assert.ok(!r.templates.some((t) => t.chart === 'cache'), 'cache.enabled: false removes the subchart');
    const svc = tmpl(r, 'orders/templates/service.yaml').text;
    assert.ok(svc.includes('spec:\n  type: LoadBalancer\n  loadBalancerIP: 10.0.0.10\n  ports:\n'));
    for (const t of r.templates) assertYaml(t.text, t.name);
  });

  it('the values origins point into the file that set them', () => {
    const dep = tmpl(r, 'orders/templates/deployment.yaml');
    const prod = text('values-prod.yaml');
    assert.deepEqual(originAt(dep, at(dep.text, '60')), { file: file('values-prod.yaml'), offset: at(prod, '60'), kind: 'value' });
    const scrape = at(dep.text, '"true"');
    assert.deepEqual(originAt(dep, scrape + 1), { file: file('values-prod.yaml'), offset: at(prod, '"true"') + 1, kind: 'value' });
    assert.deepEqual(originAt(dep, at(dep.text, '500m')), {
      file: file('values.yaml'),
      offset: at(text('values.yaml'), '500m'),
      kind: 'value',
    });
    const svc = tmpl(r, 'orders/templates/service.yaml');
    assert.deepEqual(originAt(svc, at(svc.text, 'LoadBalancer')), {
      file: file('values-prod.yaml'),
      offset: at(prod, 'LoadBalancer'),
      kind: 'value',
    });
  });
});

describe('helm chart: source map', () => {
  const r = render();
  const dep = tmpl(r, 'orders/templates/deployment.yaml');
  const helpers = text('templates/_helpers.tpl');
  const values = text('values.yaml');

  it('a label from _helpers.tpl maps into _helpers.tpl; its indentation to the include | nindent action', () => {
    const label = at(dep.text, 'app.kubernetes.io/name: orders');
    assert.deepEqual(originAt(dep, label), {
      file: file('templates/_helpers.tpl'),
      offset: at(helpers, 'app.kubernetes.io/name: '),
      kind: 'template',
    });
    assert.deepEqual(originAt(dep, label + 5), {
      file: file('templates/_helpers.tpl'),
      offset: at(helpers, 'app.kubernetes.io/name: ') + 5,
      kind: 'template',
    });
    const include = at(text('templates/deployment.yaml'), '{{- include "orders.labels" . | nindent 4 }}');
    assert.deepEqual(originAt(dep, label - 2), { file: file('templates/deployment.yaml'), offset: include, kind: 'expression' });
    const instance = at(dep.text, 'shop', 'app.kubernetes.io/instance: ');
    assert.deepEqual(originAt(dep, instance), {
      file: file('templates/_helpers.tpl'),
      offset: at(helpers, '{{ .Release.Name }}'),
      kind: 'expression',
    });
  });

  it('the grace period maps to its values.yaml node, with its path', () => {
    const grace = at(dep.text, '45');
    assert.deepEqual(originAt(dep, grace), { file: file('values.yaml'), offset: at(values, '45'), kind: 'value' });
    const seg = dep.segments.find((s) => s.start === grace)!;
    assert.deepEqual(seg.origin, {
      kind: 'value',
      file: file('values.yaml'),
      start: at(values, '45'),
      end: at(values, '45') + 2,
      path: ['terminationGracePeriodSeconds'],
    });
  });

  it('literal template text maps 1:1; toYaml structure maps to its action, its scalars to their nodes', () => {
    assert.deepEqual(originAt(dep, at(dep.text, 'kind: Deployment') + 6), {
      file: file('templates/deployment.yaml'),
      offset: at(text('templates/deployment.yaml'), 'kind: Deployment') + 6,
      kind: 'template',
    });
    const toYaml = at(text('templates/deployment.yaml'), '{{- toYaml .Values.resources | nindent 12 }}');
    assert.deepEqual(originAt(dep, at(dep.text, 'limits:')), {
      file: file('templates/deployment.yaml'),
      offset: toYaml,
      kind: 'expression',
    });
    const cpu = at(dep.text, '100m');
    assert.deepEqual(dep.segments.find((s) => s.start === cpu)!.origin, {
      kind: 'value',
      file: file('values.yaml'),
      start: at(values, '100m'),
      end: at(values, '100m') + 4,
      path: ['resources', 'requests', 'cpu'],
    });
  });

  it('range items and quoted values map to their nodes, the quotes to the action', () => {
    const port = at(dep.text, '9090', 'containerPort: 50051');
    assert.equal(dep.segments.find((s) => s.start === port)!.origin.kind, 'value');
    assert.deepEqual((dep.segments.find((s) => s.start === port)!.origin as { path: unknown }).path, ['service', 'ports', 1, 'port']);
    const on = at(dep.text, '"on"');
    assert.equal(originAt(dep, on)!.kind, 'expression');
    assert.deepEqual(originAt(dep, on + 1), { file: file('values.yaml'), offset: at(values, '"on"'), kind: 'value' });
  });

  it('in the subchart, overridden and global values map to the parent values.yaml, defaults to the subchart file', () => {
    const cache = tmpl(r, 'orders/charts/cache/templates/deployment.yaml');
    const mem = at(cache.text, '64mb');
    assert.deepEqual(cache.segments.find((s) => s.start === mem)!.origin, {
      kind: 'value',
      file: file('values.yaml'),
      start: at(values, '64mb'),
      end: at(values, '64mb') + 4,
      path: ['cache', 'maxMemory'],
    });
    assert.deepEqual(originAt(cache, at(cache.text, 'dev')), {
      file: file('values.yaml'),
      offset: at(values, 'dev', 'environment: '),
      kind: 'value',
    });
    assert.deepEqual(originAt(cache, at(cache.text, 'platform')), {
      file: file('charts/cache/values.yaml'),
      offset: at(text('charts/cache/values.yaml'), 'platform'),
      kind: 'value',
    });
    assert.deepEqual(originAt(cache, at(cache.text, 'team: ')), {
      file: file('templates/_helpers.tpl'),
      offset: at(helpers, 'team: '),
      kind: 'template',
    });
  });
});

describe('helm chart: unknowns', () => {
  const r = render();

  it('.Release.Namespace and lookup are unknown placeholders; a branch on an unknown is uncertain', () => {
    const cm = tmpl(r, 'orders/templates/configmap.yaml');
    assert.equal(
      cm.text,
      dedent(`
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: shop-orders-config
        data:
          endpoint: "shop-orders.__kc_unknown_1__.svc:50051"
          token: __kc_unknown_2__
          settings.json: "{\\"keepalive\\":{\\"permitWithoutStream\\":true,\\"time\\":\\"20s\\"},\\"maxConnectionAge\\":\\"30s\\"}"
          cache.yaml: |
            host: shop-cache
            port: 6379
      `) + '\n    \n',
    );
    const ns = at(cm.text, '__kc_unknown_1__');
    const token = at(cm.text, '__kc_unknown_2__');
    assert.deepEqual(cm.unknowns, [
      { start: ns, end: ns + 16, reason: '.Release.Namespace is not known (set releaseNamespace)' },
      { start: token, end: token + 16, reason: 'lookup: lookup reads the cluster' },
    ]);
    assert.deepEqual(cm.uncertain, [
      { start: token, end: token + 16, reason: '{{if}} on an unknown value: lookup: lookup reads the cluster' },
    ]);
  });

  it('an unknown API version renders the first branch and marks it uncertain', () => {
    const pdb = tmpl(r, 'orders/templates/pdb.yaml');
    assert.ok(pdb.text.startsWith('\napiVersion: policy/v1\nkind: PodDisruptionBudget\n'));
    assert.deepEqual(pdb.uncertain, [
      {
        start: 0,
        end: 22,
        reason: '{{if}} on an unknown value: .Capabilities.APIVersions.Has "policy/v1": the cluster\'s API versions are not known',
      },
    ]);
    assert.ok(pdb.text.includes('  minAvailable: 1\n'));
  });

  it('a given namespace is known', () => {
    const cm = tmpl(render(undefined, 'checkout'), 'orders/templates/configmap.yaml');
    assert.ok(cm.text.includes('endpoint: "shop-orders.checkout.svc:50051"'));
    assert.equal(cm.unknowns.length, 1);
  });
});
