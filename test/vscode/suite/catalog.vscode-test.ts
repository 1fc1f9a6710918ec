/// <reference types="mocha" />
// The catalog (through its TreeDataProvider, fed by the server's kubeconn/catalog request): workloads as
// components with their Services as faces, scorecards read from findings by rule category ("n/a" where a
// check does not apply), the entity page's HTML (strict CSP, the ELK-laid-out SVG graph), and the hovers.
import * as assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import type { CatalogNode } from '../../../src/vscode/catalog/tree.js';
import type { WireCatalog, WireComponent } from '../../../src/lsp/protocol.js';
import { renderEntityPage } from '../../../src/vscode/catalog/page.js';
import { closeAll, kubeconn, scratch, waitFor, wsUri } from './helpers.js';

/** A tree item's label as text (a TreeItemLabel carries it in `label`). */
const labelText = (label: string | vscode.TreeItemLabel | undefined): string => (typeof label === 'object' ? label.label : (label ?? ''));

type Entry = { node: CatalogNode; item: vscode.TreeItem; component: WireComponent };

async function components(): Promise<Map<string, Entry>> {
  const api = await kubeconn();
  await api.idle();
  const tree = api.catalogTree;
  const out = new Map<string, Entry>();
  const visit = async (nodes: CatalogNode[]): Promise<void> => {
    for (const node of nodes) {
      if (node.type === 'group') await visit(await tree.getChildren(node));
      if (node.type === 'component') {
        const key = `${node.component.namespace}/${node.component.name}`;
        assert.ok(!out.has(key), `${key} is listed twice`);
        out.set(key, { node, item: tree.getTreeItem(node), component: node.component });
      }
    }
  };
  await visit(await tree.getChildren());
  return out;
}

function status(component: WireComponent): Record<string, string> {
  return Object.fromEntries(component.checks.map((c) => [c.id, c.status]));
}

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
}

suite('catalog', () => {
  teardown(closeAll);

  test('lists the shop workloads grouped by namespace, their Services as faces, each with a scorecard', async () => {
    const api = await kubeconn();
    await scratch('grace'); // a second namespace, so that the tree shows groups (one group is flattened)
    const roots = await api.catalogTree.getChildren();
    const shopGroup = roots.find((n) => n.type === 'group' && n.name === 'shop');
    assert.ok(shopGroup, roots.map((n) => labelText(api.catalogTree.getTreeItem(n).label)).join(', '));
    assert.equal(api.catalogTree.getTreeItem(shopGroup).description, 'namespace');
    const all = await components();
    for (const name of ['orders', 'payments', 'catalog', 'frontend'])
      assert.equal(all.get(`shop/${name}`)?.component.kind, 'Deployment', `no Deployment shop/${name}`);
    const orders = all.get('shop/orders')!;
    assert.deepEqual(
      orders.component.services.map((s) => s.label),
      ['Service orders'],
    );
    assert.equal(status(orders.component).balanced, 'fail');
    assert.ok(orders.component.checks.find((c) => c.id === 'balanced')!.findings.some((f) => f.ruleId === 'grpc-clusterip-imbalance'));
    assert.equal(orders.component.manifest.label, 'Deployment orders');
    assert.deepEqual(
      orders.component.images.map((i) => i.image),
      ['ghcr.io/example/shop/orders:1.4.2'],
    );
    assert.equal(status(all.get('shop/payments')!.component).grace, 'fail');
    assert.match(String(orders.item.description), /^Deployment · \d\/4 checks pass$/);
    assert.equal(orders.item.contextValue, 'component');
  });

  test('checks that do not apply show n/a: a CronJob no Service selects neither balances nor drains', async () => {
    const api = await kubeconn();
    const job = (await components()).get('shop/export-orders');
    assert.ok(job);
    assert.equal(job.component.kind, 'CronJob');
    assert.equal(status(job.component).balanced, 'na');
    assert.equal(status(job.component).drains, 'na');
    assert.match(String(job.item.description), /^CronJob · \d\/2 checks pass$/);
    const checks = (await api.catalogTree.getChildren(job.node)).filter((n) => n.type === 'check');
    assert.equal(api.catalogTree.getTreeItem(checks.find((n) => n.type === 'check' && n.check.id === 'drains')!).description, 'n/a');
  });

  test('a Deployment selected by two Services is one component with two faces', async () => {
    const s = await scratch('imbalance', {
      'service-admin.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: ledger-admin\n  namespace: fixture\nspec:\n  selector:\n    app: ledger\n  ports:\n    - name: http\n      port: 8080\n',
    });
    const all = await components();
    const ledger = all.get(`${s.ns}/ledger`);
    assert.ok(ledger, [...all.keys()].join(', '));
    assert.deepEqual(ledger.component.services.map((x) => x.label).sort(), ['Service ledger', 'Service ledger-admin']);
    assert.ok(!all.has(`${s.ns}/ledger-admin`));
    assert.match(String(ledger.item.description), /^Deployment \(ledger-admin\) · /);
  });

  test('callers, images and who-dials-whom come from the server (dial sites, Dockerfiles)', async () => {
    const api = await kubeconn();
    const all = await components();
    const orders = all.get('shop/orders')!.component;
    assert.ok(
      orders.callers.some((c) => c.uri.endsWith('/server.js') && c.label === 'new OrdersClient in shop/services/frontend/server.js'),
      JSON.stringify(orders.callers),
    );
    assert.ok(
      orders.images[0]!.links.some((l) => vscode.Uri.parse(l.uri).fsPath.endsWith(['services', 'orders', 'Dockerfile'].join(path.sep))),
      JSON.stringify(orders.images),
    );
    const catalog = (await api.catalog())!;
    const edge = catalog.edges.find((e) => e.from === 'shop/Deployment/frontend' && e.to === 'shop/Deployment/orders');
    assert.ok(edge, JSON.stringify(catalog.edges.map((e) => `${e.from}→${e.to}`)));
    assert.equal(edge.service, 'shop/orders');
    assert.ok(edge.findings.some((f) => f.ruleId === 'grpc-clusterip-imbalance'));
    const html = (await api.entityPageHtml(orders.id, 'n'))!;
    assert.match(
      html,
      /<g class="edge finding" data-from="shop\/Deployment\/frontend" data-to="shop\/Deployment\/orders" data-service="shop\/orders">/,
    );
    // The Callers section of the tree lists the dial site and opens it.
    const callers = (await api.catalogTree.getChildren(all.get('shop/orders')!.node)).find(
      (n) => n.type === 'section' && n.label === 'Callers',
    )!;
    const [site] = await api.catalogTree.getChildren(callers);
    assert.equal(api.catalogTree.getTreeItem(site!).command?.command, 'kubeconn.open');
  });

  test('a hover on a dial site names the Service it reaches', async () => {
    await kubeconn();
    const uri = wsUri('shop', 'services', 'frontend', 'server.js');
    const doc = await vscode.workspace.openTextDocument(uri);
    const offset = doc.getText().indexOf('new OrdersClient');
    assert.ok(offset >= 0);
    const target = doc.getText().indexOf('(', offset) + 2;
    assert.match(await hoverText(uri, doc.positionAt(target)), /Dials \*\*Service orders\*\*/);
  });

  test('Backstage: a catalog-info.yaml Component groups its workload under its System', async () => {
    const api = await kubeconn();
    const s = await scratch('backstage');
    const roots = await api.catalogTree.getChildren();
    const checkout = roots.find((n) => n.type === 'group' && n.name === 'checkout');
    assert.ok(checkout, roots.map((n) => labelText(api.catalogTree.getTreeItem(n).label)).join(', '));
    assert.equal(api.catalogTree.getTreeItem(checkout).description, 'System');
    const [cart] = await api.catalogTree.getChildren(checkout);
    assert.ok(cart?.type === 'component' && cart.component.name === 'cart' && cart.component.namespace === s.ns);
    assert.equal(cart.component.system, 'checkout');
    assert.equal(vscode.Uri.parse(cart.component.entity!.uri).fsPath, s.uri('catalog-info.yaml').fsPath);
    // Removing the entity falls back to namespaces.
    await vscode.workspace.fs.delete(s.uri('catalog-info.yaml'));
    await waitFor('namespace groups again', async () => {
      await api.idle();
      return (
        (await api.catalogTree.getChildren()).some((n) => n.type === 'group' && n.kind === 'namespace' && n.name === 'shop') || undefined
      );
    });
  });

  test('a fixture scorecard: only the grace check fails, and its finding opens at the right place', async () => {
    const api = await kubeconn();
    const s = await scratch('grace');
    const billing = (await components()).get(`${s.ns}/billing`);
    assert.ok(billing);
    assert.equal(billing.component.kind, 'Deployment');
    // No Service selects billing and it dials nothing: balancing and draining do not apply.
    assert.deepEqual(status(billing.component), { balanced: 'na', drains: 'na', grace: 'fail', sigterm: 'pass' });
    const checks = (await api.catalogTree.getChildren(billing.node)).filter((n) => n.type === 'check');
    assert.deepEqual(
      checks.map((n) => api.catalogTree.getTreeItem(n).label),
      ['Balanced', 'Drains (preStop)', 'Fits the grace period', 'SIGTERM reaches the app'],
    );
    const grace = checks[2]!;
    const graceItem = api.catalogTree.getTreeItem(grace);
    assert.equal(graceItem.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal(graceItem.description, '1 finding');
    assert.equal(api.catalogTree.getTreeItem(checks[0]!).collapsibleState, vscode.TreeItemCollapsibleState.None);
    const [finding] = await api.catalogTree.getChildren(grace);
    const findingItem = api.catalogTree.getTreeItem(finding!);
    assert.equal(findingItem.description, 'kubeconn/grace-period-budget');
    assert.equal(findingItem.command?.command, 'kubeconn.open');
    await vscode.commands.executeCommand(findingItem.command.command, ...findingItem.command.arguments!);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, s.uri('deployment.yaml').fsPath);
    assert.equal(editor?.selection.start.line, 28);
    assert.equal(editor?.document.getText(editor.selection), '25');
  });

  test('the catalog follows edits: fixing the grace period turns its check green', async () => {
    const api = await kubeconn();
    const s = await scratch('grace');
    const doc = await vscode.workspace.openTextDocument(s.uri('deployment.yaml'));
    const editor = await vscode.window.showTextDocument(doc);
    const line = doc.lineAt(15);
    assert.equal(line.text.trim(), 'terminationGracePeriodSeconds: 20');
    await editor.edit((b) => b.replace(line.range, '      terminationGracePeriodSeconds: 40'));
    await api.idle();
    await waitFor(
      'the grace check to pass',
      async () => status((await components()).get(`${s.ns}/billing`)!.component).grace === 'pass' || undefined,
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the entity page: scorecard, SVG graph, strict CSP and nothing loaded from the network', async () => {
    const api = await kubeconn();
    const orders = (await components()).get('shop/orders')!.component;
    const html = await api.entityPageHtml(orders.id, 'TESTNONCE');
    assert.ok(html);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp?.startsWith("default-src 'none';"), csp);
    assert.match(csp!, /script-src 'nonce-TESTNONCE'/);
    assert.match(csp!, /style-src 'nonce-TESTNONCE'/);
    assert.doesNotMatch(html, /https?:\/\//, 'no URL the page could fetch');
    assert.doesNotMatch(html, /<script(?![^>]*nonce="TESTNONCE")/);
    assert.match(html, /<table id="scorecard">/);
    assert.match(html, /<tr class="fail"><td class="mark">✗<\/td><td>Balanced<\/td>/);
    assert.match(html, /<svg id="graph"[^>]*>/);
    assert.match(html, /<g class="node self[^"]*" data-id="shop\/Deployment\/orders"/);
    const panel = await api.openEntityPage(orders.id);
    assert.ok(panel);
    assert.match(panel.webview.html, new RegExp(`img-src ${panel.webview.cspSource.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} data:`));
    assert.equal(panel.webview.options.enableScripts, true);
    panel.dispose();
  });

  test('the graph: an edge from the calling workload to the called Service, coloured only where a finding is', async () => {
    const api = await kubeconn();
    const catalog = (await api.catalog())!;
    const orders = catalog.components.find((c) => c.id === 'shop/Deployment/orders')!;
    const frontend = catalog.components.find((c) => c.id === 'shop/Deployment/frontend')!;
    const finding = orders.checks.find((c) => c.id === 'balanced')!.findings[0]!;
    const two: WireCatalog = {
      ...catalog,
      components: [frontend, orders],
      edges: [
        { from: frontend.id, to: orders.id, service: 'shop/orders', findings: [finding], evidence: [] },
        { from: orders.id, to: frontend.id, service: 'shop/frontend', findings: [], evidence: [] },
      ],
    };
    const html = await renderEntityPage(orders, two, { nonce: 'n', cspSource: 'vscode-resource:' });
    assert.match(
      html,
      /<g class="edge finding" data-from="shop\/Deployment\/frontend" data-to="shop\/Deployment\/orders" data-service="shop\/orders"><title>[^<]*<\/title><path [^>]*marker-end="url\(#arrow-finding\)"\/><rect class="edge-label-bg"[^>]*\/><text class="edge-label"[^>]*>imbalanced<\/text>/,
    );
    // The label is short; the tooltip says which rules and what they found.
    assert.match(html, /<title>frontend → Service orders: kubeconn\/grpc-clusterip-imbalance: Service &#39;orders&#39; port 50051/);
    assert.match(
      html,
      /<g class="edge" data-from="shop\/Deployment\/orders" data-to="shop\/Deployment\/frontend" data-service="shop\/frontend"><title>[^<]*<\/title><path [^>]*marker-end="url\(#arrow\)"\/><\/g>/,
    );
    // The Service is a port on its workload's left side, where the edge ends.
    assert.match(html, /<circle class="port"[^>]*\/><text class="port-label"[^>]*>orders<\/text>/);
  });

  test('hovers: a Service name lists its workloads; an image lists who runs it', async () => {
    await kubeconn();
    const uri = wsUri('shop', 'k8s', 'orders.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const nameLine = doc
      .getText()
      .split('\n')
      .findIndex((l) => l === '  name: orders');
    const text = await hoverText(uri, new vscode.Position(nameLine, 10));
    assert.match(text, /\*\*Service orders\*\*/);
    assert.match(text, /Selects \[Deployment orders\]\(file:\/\/[^)]*orders\.yaml#L20\)/);
    const imageLine = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('image: ghcr.io/example/shop/orders'));
    const imageText = await hoverText(uri, new vscode.Position(imageLine, 20));
    assert.match(imageText, /\*\*Image\*\* `ghcr\.io\/example\/shop\/orders:1\.4\.2`/);
    assert.match(imageText, /Run by \[Deployment orders\]/);
  });
});
