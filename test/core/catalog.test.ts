// buildCatalog on small inline workspaces: workloads are the components and Services their faces (a
// Deployment behind two Services is listed once), a Service without a workload stands alone, checks that
// cannot concern a component are "n/a", findings go to the component that owns their place (a shared
// client library to the Deployment its evidence names), edges run from the calling workload to the called
// Service and carry the balancing findings on that call, labels use the display path, rule levels "off".
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import {
  allRules,
  buildCatalog,
  type Catalog,
  type Component,
  createWorkspace,
  initKubeconn,
  type KubeconnOptions,
} from '../../src/api.js';
import { checkOf } from '../../src/core/index.js';
import { code, yaml } from '../helpers/rule-tester.js';

const root = '/ws';

async function catalogOf(
  files: Record<string, string>,
  options: Partial<KubeconnOptions> = {},
  groupBy: 'namespace' | 'system' = 'namespace',
): Promise<Catalog> {
  await initKubeconn();
  const ws = createWorkspace(options);
  for (const [file, text] of Object.entries(files)) ws.setFile(path.join(root, file), text);
  return buildCatalog(ws.analyze(), allRules, { ruleLevels: options.rules, groupBy, displayPath: (f) => path.relative(root, f) });
}

const statuses = (c: Component): Record<string, string> => Object.fromEntries(c.checks.map((k) => [k.id, k.status]));
const byId = (catalog: Catalog, id: string): Component => {
  const c = catalog.components.find((x) => x.id === id);
  assert.ok(c, `no component ${id}; have ${catalog.components.map((x) => x.id).join(', ')}`);
  return c;
};

const deployment = (name: string, extra = '') => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: ${name}, namespace: shop}
  spec:
    replicas: 2
    selector: {matchLabels: {app: ${name}}}
    template:
      metadata: {labels: {app: ${name}}}
      spec:
        containers:
          - name: ${name}
            image: ghcr.io/example/${name}:1.0
            ports: [{name: grpc, containerPort: 50051}]
            readinessProbe: {grpc: {port: 50051}}
            lifecycle: {preStop: {sleep: {seconds: 5}}}
${extra}`;
const service = (name: string, selector = name, extra = '') => yaml`
  apiVersion: v1
  kind: Service
  metadata: {name: ${name}, namespace: shop}
  spec:
    selector: {app: ${selector}}
    ports:
      - name: grpc
        port: 50051
        appProtocol: kubernetes.io/h2c
${extra}`;

describe('buildCatalog', () => {
  before(() => initKubeconn());

  it('makes workloads the components and Services their faces: a Deployment behind two Services is one component', async () => {
    const catalog = await catalogOf({
      'k8s/orders.yaml': [deployment('orders'), service('orders'), service('orders-admin', 'orders')].join('---\n'),
      'k8s/lonely.yaml': service('lonely'),
    });
    assert.deepEqual(
      catalog.components.map((c) => c.id),
      ['shop/Service/lonely', 'shop/Deployment/orders'],
    );
    const orders = byId(catalog, 'shop/Deployment/orders');
    assert.deepEqual(
      orders.services.map((s) => s.label),
      ['Service orders', 'Service orders-admin'],
    );
    assert.deepEqual(orders.serviceIds, ['shop/orders', 'shop/orders-admin']);
    assert.deepEqual([orders.manifest.label, orders.manifest.detail, orders.replicas], ['Deployment orders', '2 replicas', 2]);
    assert.deepEqual(
      orders.images.map((i) => i.image),
      ['ghcr.io/example/orders:1.0'],
    );
    // A Service that selects no workload in the workspace stands alone, and only balancing can concern it.
    const lonely = byId(catalog, 'shop/Service/lonely');
    assert.deepEqual(
      lonely.services.map((s) => s.label),
      ['Service lonely'],
    );
    assert.deepEqual(statuses(lonely), { balanced: 'fail', drains: 'na', grace: 'na', sigterm: 'na' });
    assert.deepEqual(
      catalog.groups.map((g) => [g.kind, g.name, g.components.length]),
      [['namespace', 'shop', 2]],
    );
  });

  it('shows n/a for checks that cannot concern a component: a CronJob no Service selects neither balances nor drains', async () => {
    const catalog = await catalogOf({
      'k8s/export.yaml': yaml`
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: export, namespace: shop}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers:
                    - name: export
                      image: ghcr.io/example/export:1.0
      `,
    });
    const job = byId(catalog, 'shop/CronJob/export');
    assert.deepEqual(statuses(job), { balanced: 'na', drains: 'na', grace: 'pass', sigterm: 'pass' });
  });

  it('puts a finding on the component owning its place; a failing check lists it; all rules off shows "off"', async () => {
    const files = { 'k8s/orders.yaml': [deployment('orders').replace(/\n *lifecycle: .*\n/, '\n'), service('orders')].join('---\n') };
    const catalog = await catalogOf(files);
    const orders = byId(catalog, 'shop/Deployment/orders');
    const drains = orders.checks.find((c) => c.id === 'drains')!;
    assert.equal(drains.status, 'fail');
    assert.deepEqual(
      drains.findings.map((f) => f.ruleId),
      ['prestop-sleep'],
    );
    assert.ok(orders.findings.includes(drains.findings[0]!));
    const shutdownOff = Object.fromEntries(allRules.filter((r) => checkOf(r) === 'drains').map((r) => [r.id, 'off' as const]));
    const quiet = await catalogOf(files, { rules: shutdownOff });
    assert.equal(byId(quiet, 'shop/Deployment/orders').checks.find((c) => c.id === 'drains')!.status, 'off');
  });

  it('draws calls from the workload running the dial site to the called Service, with the balancing findings on that call', async () => {
    const catalog = await catalogOf({
      'k8s/orders.yaml': [deployment('orders'), service('orders')].join('---\n'),
      'k8s/payments.yaml': [deployment('payments'), service('payments', 'payments', '    clusterIP: None\n')].join('---\n'),
      'k8s/frontend.yaml': deployment(
        'frontend',
        '            env:\n              - {name: ORDERS_ADDR, value: "orders.shop.svc.cluster.local:50051"}\n              - {name: PAYMENTS_ADDR, value: "dns:///payments.shop.svc.cluster.local:50051"}\n',
      ),
      'services/frontend/Dockerfile': 'FROM golang:1.22\nCOPY . /src\nENTRYPOINT ["/src/frontend"]\n',
      'services/frontend/main.go': code`
        package main

        import (
        	"os"

        	"google.golang.org/grpc"
        )

        func main() {
        	orders, _ := grpc.NewClient(os.Getenv("ORDERS_ADDR"))
        	payments, _ := grpc.NewClient(os.Getenv("PAYMENTS_ADDR"), grpc.WithDefaultServiceConfig(\`{"loadBalancingConfig":[{"round_robin":{}}]}\`))
        	_, _ = orders, payments
        }
      `,
    });
    const frontend = byId(catalog, 'shop/Deployment/frontend');
    assert.deepEqual(
      frontend.calls.map((c) => c.label),
      ['grpc.NewClient in services/frontend/main.go', 'grpc.NewClient in services/frontend/main.go'],
    );
    const edges = new Map(catalog.edges.map((e) => [`${e.from}>${e.service}`, e]));
    const toOrders = edges.get('shop/Deployment/frontend>shop/orders');
    const toPayments = edges.get('shop/Deployment/frontend>shop/payments');
    assert.equal(toOrders?.to, 'shop/Deployment/orders');
    assert.equal(toPayments?.to, 'shop/Deployment/payments');
    // Colour only where a finding is: pick_first through a ClusterIP name is one; round_robin over a headless name is none.
    assert.ok(toOrders.imbalanced);
    assert.ok(toOrders.findings.some((f) => f.ruleId === 'grpc-client-load-balancing' && f.file.endsWith('main.go')));
    assert.ok(
      toOrders.findings.some((f) => f.ruleId === 'grpc-clusterip-imbalance'),
      'the called Service carries gRPC behind a ClusterIP',
    );
    assert.deepEqual(
      toPayments.findings.filter((f) => f.ruleId === 'grpc-client-load-balancing'),
      [],
    );
    assert.deepEqual(
      byId(catalog, 'shop/Deployment/orders').callers.map((c) => c.label),
      ['grpc.NewClient in services/frontend/main.go'],
    );
    // The dial-site finding counts for the caller that runs the code.
    assert.equal(frontend.checks.find((c) => c.id === 'balanced')!.status, 'fail');
  });

  it("gives a shared client library's findings to the Deployments its evidence names, one each", async () => {
    const clients = ['orders', 'payments'].map(
      (s) =>
        yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: ${s}-client, namespace: shop}
        spec:
          replicas: 2
          selector: {matchLabels: {app: ${s}-client}}
          template:
            metadata: {labels: {app: ${s}-client}}
            spec:
              containers:
                - name: client
                  image: ghcr.io/example/client:1.0
                  env: [{name: UPSTREAM_ADDR, value: "${s}:50051"}]
      `,
    );
    const catalog = await catalogOf({
      'k8s/all.yaml': [deployment('orders'), service('orders'), deployment('payments'), service('payments'), ...clients].join('---\n'),
      'lib/client.Dockerfile': 'FROM golang:1.22\nCOPY . /src\nENTRYPOINT ["/src/client"]\n',
      'lib/dial.go': code`
        package client

        import (
        	"os"

        	"google.golang.org/grpc"
        )

        func Dial() (*grpc.ClientConn, error) {
        	return grpc.NewClient(os.Getenv("UPSTREAM_ADDR"))
        }
      `,
    });
    const dialFindings = (id: string) =>
      byId(catalog, id)
        .findings.filter((f) => f.file.endsWith('dial.go'))
        .map((f) => f.message);
    assert.deepEqual(dialFindings('shop/Deployment/orders-client').length, 1);
    assert.match(dialFindings('shop/Deployment/orders-client')[0]!, /'orders\.shop'/);
    assert.match(dialFindings('shop/Deployment/payments-client')[0]!, /'payments\.shop'/);
    assert.deepEqual(
      catalog.edges
        .filter((e) => e.from.endsWith('-client'))
        .map((e) => `${e.from} → ${e.service}`)
        .sort(),
      ['shop/Deployment/orders-client → shop/orders', 'shop/Deployment/payments-client → shop/payments'],
    );
  });

  it('groups by Backstage System when asked and entities claim the workloads', async () => {
    const catalog = await catalogOf(
      {
        'k8s/orders.yaml': [deployment('orders'), service('orders')].join('---\n'),
        'catalog-info.yaml': yaml`
          apiVersion: backstage.io/v1alpha1
          kind: Component
          metadata:
            name: orders
            annotations: {backstage.io/kubernetes-label-selector: "app=orders"}
          spec: {type: service, owner: team-a, system: checkout}
        `,
      },
      {},
      'system',
    );
    assert.equal(catalog.groupBy, 'system');
    assert.deepEqual(
      catalog.groups.map((g) => g.name),
      ['checkout'],
    );
    const orders = byId(catalog, 'shop/Deployment/orders');
    assert.equal(orders.system, 'checkout');
    assert.equal(orders.entity?.label, 'Component orders');
  });
});
