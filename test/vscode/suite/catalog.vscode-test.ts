/// <reference types="mocha" />
// The catalog (through its TreeDataProvider), scorecards read from findings by rule category, the
// entity page's HTML (strict CSP, SVG graph with imbalanced edges) and the hovers.
import * as assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import type { CatalogNode } from '../../../src/vscode/catalog/tree.js';
import type { Catalog, Component } from '../../../src/api.js';
import { renderEntityPage } from '../../../src/vscode/catalog/page.js';
import { closeAll, kubeconn, scratch, waitFor, wsUri } from './helpers.js';

async function components(): Promise<Map<string, { node: CatalogNode; item: vscode.TreeItem; component: Component }>> {
  const api = await kubeconn();
  await api.engine.idle();
  const tree = api.catalogTree;
  const out = new Map<string, { node: CatalogNode; item: vscode.TreeItem; component: Component }>();
  const visit = (nodes: CatalogNode[]): void => {
    for (const node of nodes) {
      if (node.type === 'group') visit(tree.getChildren(node));
      if (node.type === 'component') out.set(`${node.component.namespace}/${node.component.name}`, { node, item: tree.getTreeItem(node), component: node.component });
    }
  };
  visit(tree.getChildren());
  return out;
}

function status(component: Component): Record<string, string> {
  return Object.fromEntries(component.checks.map((c) => [c.id, c.status]));
}

suite('catalog', () => {
  teardown(closeAll);

  test('lists the shop Services grouped by namespace, each with a scorecard from the findings', async () => {
    const api = await kubeconn();
    const roots = api.catalogTree.getChildren();
    const shopGroup = roots.find((n) => n.type === 'group' && n.group.name === 'shop');
    assert.ok(shopGroup, roots.map((n) => api.catalogTree.getTreeItem(n).label).join(', '));
    assert.equal(api.catalogTree.getTreeItem(shopGroup).description, 'namespace');
    const all = await components();
    for (const name of ['orders', 'payments', 'catalog', 'frontend']) assert.ok(all.has(`shop/${name}`), `no component shop/${name}`);
    const orders = all.get('shop/orders')!;
    assert.equal(orders.component.kind, 'Service');
    assert.equal(status(orders.component).balanced, 'fail');
    assert.ok(orders.component.checks.find((c) => c.id === 'balanced')!.findings.some((f) => f.ruleId === 'grpc-clusterip-imbalance'));
    assert.deepEqual(orders.component.workloads.map((w) => w.label), ['Deployment orders']);
    assert.deepEqual(orders.component.images.map((i) => i.image), ['ghcr.io/example/shop/orders:1.4.2']);
    assert.equal(status(all.get('shop/payments')!.component).grace, 'fail');
    assert.match(String(orders.item.description), /^\d\/4 checks pass$/);
    assert.equal(orders.item.contextValue, 'component');
  });

  test('callers, images and who-dials-whom come from the core graph (dial sites, Dockerfiles)', async () => {
    const api = await kubeconn();
    const all = await components();
    const orders = all.get('shop/orders')!.component;
    assert.ok(orders.callers.some((c) => c.file.endsWith('server.js') && /OrdersClient/.test(c.label)), JSON.stringify(orders.callers));
    assert.ok(orders.images[0]!.links.some((l) => l.file.endsWith(['services', 'orders', 'Dockerfile'].join(path.sep))), JSON.stringify(orders.images));
    const edge = api.catalog()!.edges.find((e) => e.from === 'shop/Service/frontend' && e.to === 'shop/Service/orders');
    assert.ok(edge, JSON.stringify(api.catalog()!.edges.map((e) => `${e.from}→${e.to}`)));
    assert.equal(edge.imbalanced, true);
    const html = api.entityPageHtml(orders.id, 'n')!;
    assert.match(html, /data-from="shop\/Service\/frontend" data-to="shop\/Service\/orders"><title>[^<]*<\/title><path class="edge imbalanced"/);
    // The Callers section of the tree lists the dial site and opens it.
    const callers = api.catalogTree.getChildren(all.get('shop/orders')!.node).find((n) => n.type === 'section' && n.label === 'Callers')!;
    const [site] = api.catalogTree.getChildren(callers);
    assert.equal(api.catalogTree.getTreeItem(site!).command?.command, 'kubeconn.open');
  });

  test('a hover on a dial site names the Service it reaches', async () => {
    await kubeconn();
    const uri = wsUri('shop', 'services', 'frontend', 'server.js');
    const doc = await vscode.workspace.openTextDocument(uri);
    const offset = doc.getText().indexOf('new OrdersClient');
    assert.ok(offset >= 0);
    const target = doc.getText().indexOf('(', offset) + 2;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, doc.positionAt(target));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Dials \*\*Service orders\*\*/);
  });

  test('Backstage: a catalog-info.yaml Component groups its workload under its System', async () => {
    const api = await kubeconn();
    const s = await scratch('backstage');
    await api.engine.idle();
    const roots = api.catalogTree.getChildren();
    const checkout = roots.find((n) => n.type === 'group' && n.group.name === 'checkout');
    assert.ok(checkout, roots.map((n) => String(api.catalogTree.getTreeItem(n).label)).join(', '));
    assert.equal(api.catalogTree.getTreeItem(checkout).description, 'System');
    const [cart] = api.catalogTree.getChildren(checkout);
    assert.ok(cart?.type === 'component' && cart.component.name === 'cart' && cart.component.namespace === s.ns);
    assert.equal(cart.component.system, 'checkout');
    assert.equal(cart.component.entity?.file, s.uri('catalog-info.yaml').fsPath);
    // Removing the entity falls back to namespaces.
    await vscode.workspace.fs.delete(s.uri('catalog-info.yaml'));
    await waitFor('namespace groups again', async () => {
      await api.engine.idle();
      return api.catalogTree.getChildren().some((n) => n.type === 'group' && n.group.kind === 'namespace' && n.group.name === 'shop') || undefined;
    });
  });

  test('a fixture scorecard: only the grace check fails, and its finding opens at the right place', async () => {
    const api = await kubeconn();
    const s = await scratch('grace');
    const billing = (await components()).get(`${s.ns}/billing`);
    assert.ok(billing);
    assert.equal(billing.component.kind, 'Deployment');
    assert.deepEqual(status(billing.component), { balanced: 'pass', drains: 'pass', grace: 'fail', sigterm: 'pass' });
    const checks = api.catalogTree.getChildren(billing.node).filter((n) => n.type === 'check');
    assert.deepEqual(checks.map((n) => api.catalogTree.getTreeItem(n).label), ['Balanced', 'Drains (preStop)', 'Fits the grace period', 'SIGTERM reaches the app']);
    const grace = checks[2]!;
    const graceItem = api.catalogTree.getTreeItem(grace);
    assert.equal(graceItem.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal(graceItem.description, '1 finding');
    assert.equal(api.catalogTree.getTreeItem(checks[0]!).collapsibleState, vscode.TreeItemCollapsibleState.None);
    const [finding] = api.catalogTree.getChildren(grace);
    const findingItem = api.catalogTree.getTreeItem(finding!);
    assert.equal(findingItem.description, 'kubeconn/grace-period-budget');
    assert.equal(findingItem.command?.command, 'kubeconn.open');
    await vscode.commands.executeCommand(findingItem.command!.command, ...findingItem.command!.arguments!);
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
    await api.engine.idle();
    assert.equal(status((await components()).get(`${s.ns}/billing`)!.component).grace, 'pass');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the entity page: scorecard, SVG graph, strict CSP and nothing loaded from the network', async () => {
    const api = await kubeconn();
    const orders = (await components()).get('shop/orders')!.component;
    const html = api.entityPageHtml(orders.id, 'TESTNONCE');
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
    assert.match(html, /<g class="node self[^"]*" data-id="shop\/Service\/orders">/);
    const panel = api.openEntityPage(orders.id);
    assert.ok(panel);
    assert.match(panel.webview.html, new RegExp(`img-src ${panel.webview.cspSource.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} data:`));
    assert.equal(panel.webview.options.enableScripts, true);
    panel.dispose();
  });

  test('the graph marks imbalanced edges (caller → callee whose balancing check fails)', async () => {
    const api = await kubeconn();
    const catalog = api.catalog()!;
    const orders = catalog.components.find((c) => c.id === 'shop/Service/orders')!;
    const frontend = catalog.components.find((c) => c.id === 'shop/Service/frontend')!;
    const withEdges: Catalog = { ...catalog, edges: [{ from: frontend.id, to: orders.id, imbalanced: true, evidence: [] }] };
    const html = renderEntityPage(orders, withEdges, { nonce: 'n', cspSource: 'vscode-resource:' });
    assert.match(html, /<g class="edge-group" data-from="shop\/Service\/frontend" data-to="shop\/Service\/orders"><title>[^<]*imbalanced[^<]*<\/title><path class="edge imbalanced"/);
    assert.match(html, /<text class="edge-label"[^>]*>imbalanced<\/text>/);
    // The caller sits in the column left of the callee.
    const x = (id: string): number => Number(new RegExp(`data-id="${id.replace(/\//g, '\\/')}"><title>[^<]*</title><rect x="(\\d+)"`).exec(html)![1]);
    assert.ok(x(frontend.id) < x(orders.id));
  });

  test('hovers: a Service name lists its workloads; an image lists who runs it', async () => {
    await kubeconn();
    const uri = wsUri('shop', 'k8s', 'orders.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const nameLine = doc.getText().split('\n').findIndex((l) => l === '  name: orders');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(nameLine, 10));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*Service orders\*\*/);
    assert.match(text, /Selects \[Deployment orders\]\(file:\/\/[^)]*orders\.yaml#L20\)/);
    const imageLine = doc.getText().split('\n').findIndex((l) => l.includes('image: ghcr.io/example/shop/orders'));
    const imageHovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(imageLine, 20));
    const imageText = imageHovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(imageText, /\*\*Image\*\* `ghcr\.io\/example\/shop\/orders:1\.4\.2`/);
    assert.match(imageText, /Run by \[Deployment orders\]/);
  });
});
