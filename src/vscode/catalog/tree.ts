// The catalog view: groups (namespace or Backstage System) → components with a scorecard → the failed
// checks' findings, and the component's workloads, images and callers. Every leaf opens what it names.
import type { Finding } from '../../api.js';
import * as vscode from 'vscode';
import type { Catalog, Check, Component, Group, Place } from '../../api.js';

export const OPEN_COMMAND = 'kubeconn.open';
export const ENTITY_PAGE_COMMAND = 'kubeconn.openEntityPage';

export type CatalogNode =
  | { type: 'group'; group: Group }
  | { type: 'component'; component: Component }
  | { type: 'check'; component: Component; check: Check }
  | { type: 'finding'; finding: Finding }
  | { type: 'section'; component: Component; label: string; icon: string; places: Place[] }
  | { type: 'place'; place: Place; icon: string };

const ICONS = {
  pass: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  fail: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  off: new vscode.ThemeIcon('circle-slash'),
};

export function scoreSummary(component: Component): string {
  const passed = component.checks.filter((c) => c.status === 'pass').length;
  const counted = component.checks.filter((c) => c.status !== 'off').length;
  return `${passed}/${counted} checks pass`;
}

export class CatalogTree implements vscode.TreeDataProvider<CatalogNode> {
  private readonly emitter = new vscode.EventEmitter<CatalogNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  /** The catalog is built lazily by `source` (only when the view asks), after each analysis. */
  constructor(private readonly source: () => Catalog | undefined) {}

  refresh(): void {
    this.emitter.fire(undefined);
  }

  getChildren(node?: CatalogNode): CatalogNode[] {
    if (!node) {
      const catalog = this.source();
      if (!catalog) return [];
      // One group only: list its components at the top level.
      if (catalog.groups.length === 1) return catalog.groups[0]!.components.map((component) => ({ type: 'component', component }));
      return catalog.groups.map((group) => ({ type: 'group', group }));
    }
    switch (node.type) {
      case 'group':
        return node.group.components.map((component) => ({ type: 'component', component }));
      case 'component': {
        const c = node.component;
        const out: CatalogNode[] = c.checks.map((check) => ({ type: 'check', component: c, check }));
        if (c.service) out.push({ type: 'place', place: c.service, icon: 'symbol-interface' });
        if (c.workloads.length) out.push({ type: 'section', component: c, label: 'Workloads', icon: 'server-process', places: c.workloads });
        const images = c.images.map((i): Place => i.links[0] ? { ...i.links[0], label: i.image, detail: i.links.map((l) => l.label).join(', ') } : { label: i.image, file: '', start: 0, end: 0 });
        if (images.length) out.push({ type: 'section', component: c, label: 'Images', icon: 'package', places: images });
        out.push({ type: 'section', component: c, label: 'Callers', icon: 'call-incoming', places: c.callers });
        return out;
      }
      case 'check':
        return node.check.findings.map((finding) => ({ type: 'finding', finding }));
      case 'section':
        return node.places.map((place) => ({ type: 'place', place, icon: node.icon }));
      default:
        return [];
    }
  }

  getTreeItem(node: CatalogNode): vscode.TreeItem {
    const { Collapsed, Expanded, None } = vscode.TreeItemCollapsibleState;
    switch (node.type) {
      case 'group': {
        const item = new vscode.TreeItem(node.group.name, Expanded);
        item.description = node.group.kind === 'system' ? 'System' : 'namespace';
        item.iconPath = new vscode.ThemeIcon(node.group.kind === 'system' ? 'organization' : 'symbol-namespace');
        item.id = `group:${node.group.kind}:${node.group.name}`;
        return item;
      }
      case 'component': {
        const c = node.component;
        const failed = c.checks.some((k) => k.status === 'fail');
        const item = new vscode.TreeItem(c.name, Collapsed);
        item.id = `component:${c.id}`;
        item.description = `${c.kind === 'Service' ? '' : `${c.kind} · `}${scoreSummary(c)}`;
        item.iconPath = failed ? ICONS.fail : ICONS.pass;
        item.contextValue = 'component';
        item.tooltip = new vscode.MarkdownString(
          [`**${c.name}** (${c.kind}${c.namespace ? `, namespace ${c.namespace}` : ''})`, '', ...c.checks.map((k) => `- ${k.status === 'pass' ? '✓' : k.status === 'fail' ? '✗' : '–'} ${k.label}${k.findings.length ? ` (${k.findings.length})` : ''}`)].join('\n'),
        );
        item.command = { title: 'Open entity page', command: ENTITY_PAGE_COMMAND, arguments: [c.id] };
        return item;
      }
      case 'check': {
        const { check } = node;
        const item = new vscode.TreeItem(check.label, check.findings.length > 0 ? Collapsed : None);
        item.id = `check:${node.component.id}:${check.id}`;
        item.description = check.status === 'fail' ? `${check.findings.length} finding${check.findings.length === 1 ? '' : 's'}` : check.status === 'off' ? 'rules off' : 'pass';
        item.iconPath = ICONS[check.status];
        item.contextValue = `check-${check.status}`;
        return item;
      }
      case 'finding': {
        const f = node.finding;
        const item = new vscode.TreeItem(f.message, None);
        item.description = `kubeconn/${f.ruleId}`;
        item.tooltip = `${f.message}\n${f.file}:${f.line}:${f.column}`;
        item.iconPath = new vscode.ThemeIcon(f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info');
        item.command = { title: 'Open', command: OPEN_COMMAND, arguments: [f.file, f.start, f.end] };
        return item;
      }
      case 'section': {
        const item = new vscode.TreeItem(node.label, node.places.length > 0 ? Collapsed : None);
        item.description = node.places.length === 0 ? 'none known' : String(node.places.length);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
      case 'place': {
        const p = node.place;
        const item = new vscode.TreeItem(p.label, None);
        item.description = p.detail;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        if (p.file) item.command = { title: 'Open', command: OPEN_COMMAND, arguments: [p.file, p.start, p.end] };
        return item;
      }
    }
  }
}
