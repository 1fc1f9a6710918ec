// The catalog view, fed by the language server's `kubeconn/catalog` request: groups (namespace or Backstage
// System) → components (workloads, with their Services as faces) with a scorecard → the failed checks'
// findings, the Services, images, calls and callers. Every leaf opens what it names.
import * as vscode from 'vscode';
import type { WireCatalog, WireCheck, WireComponent, WireFinding, WirePlace } from '../../lsp/protocol.js';

export const OPEN_COMMAND = 'kubeconn.open';
export const ENTITY_PAGE_COMMAND = 'kubeconn.openEntityPage';

export type CatalogNode =
  | { type: 'group'; name: string; kind: 'namespace' | 'system'; components: WireComponent[] }
  | { type: 'component'; component: WireComponent }
  | { type: 'check'; component: WireComponent; check: WireCheck }
  | { type: 'finding'; finding: WireFinding }
  | { type: 'section'; component: WireComponent; label: string; icon: string; places: WirePlace[] }
  | { type: 'place'; place: WirePlace; icon: string };

const ICONS = {
  pass: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  fail: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  off: new vscode.ThemeIcon('circle-slash'),
  na: new vscode.ThemeIcon('dash'),
};
const DESCRIPTION = { pass: 'pass', off: 'rules off', na: 'n/a' } as const;

export function scoreSummary(component: WireComponent): string {
  const counted = component.checks.filter((c) => c.status === 'pass' || c.status === 'fail');
  return `${counted.filter((c) => c.status === 'pass').length}/${counted.length} checks pass`;
}

/** The arguments of OPEN_COMMAND for a place. */
export const openArgs = (p: { uri: string; range: WirePlace['range'] }): unknown[] => [p.uri, p.range];

export class CatalogTree implements vscode.TreeDataProvider<CatalogNode> {
  private readonly emitter = new vscode.EventEmitter<CatalogNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  /** `source` fetches the catalog (from the server) when the view asks after a change. */
  constructor(private readonly source: () => Promise<WireCatalog | undefined>) {}

  refresh(): void {
    this.emitter.fire(undefined);
  }

  async getChildren(node?: CatalogNode): Promise<CatalogNode[]> {
    if (!node) {
      const catalog = await this.source();
      if (!catalog) return [];
      const byId = new Map(catalog.components.map((c) => [c.id, c]));
      const groups = catalog.groups.map((g): CatalogNode => ({
        type: 'group',
        name: g.name,
        kind: g.kind,
        components: g.componentIds.map((id) => byId.get(id)!).filter(Boolean),
      }));
      // One group only: list its components at the top level.
      if (groups.length === 1 && groups[0]!.type === 'group')
        return groups[0]!.components.map((component) => ({ type: 'component', component }));
      return groups;
    }
    switch (node.type) {
      case 'group':
        return node.components.map((component) => ({ type: 'component', component }));
      case 'component': {
        const c = node.component;
        const out: CatalogNode[] = c.checks.map((check) => ({ type: 'check', component: c, check }));
        out.push({ type: 'place', place: c.manifest, icon: 'server-process' });
        if (c.services.length) out.push({ type: 'section', component: c, label: 'Services', icon: 'symbol-interface', places: c.services });
        const images = c.images.map((i): WirePlace =>
          i.links[0]
            ? { ...i.links[0], label: i.image, detail: i.links.map((l) => l.label).join(', ') }
            : { label: i.image, uri: '', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
        );
        if (images.length) out.push({ type: 'section', component: c, label: 'Images', icon: 'package', places: images });
        if (c.calls.length) out.push({ type: 'section', component: c, label: 'Calls', icon: 'call-outgoing', places: c.calls });
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
        const item = new vscode.TreeItem(node.name, Expanded);
        item.description = node.kind === 'system' ? 'System' : 'namespace';
        item.iconPath = new vscode.ThemeIcon(node.kind === 'system' ? 'organization' : 'symbol-namespace');
        item.id = `group:${node.kind}:${node.name}`;
        return item;
      }
      case 'component': {
        const c = node.component;
        const failed = c.checks.some((k) => k.status === 'fail');
        const item = new vscode.TreeItem(c.name, Collapsed);
        item.id = `component:${c.id}`;
        const faces = c.services.map((s) => s.label.replace(/^Service /, '')).filter((s) => s !== c.name);
        item.description = `${c.kind}${faces.length ? ` (${faces.join(', ')})` : ''} · ${scoreSummary(c)}`;
        item.iconPath = failed ? ICONS.fail : ICONS.pass;
        item.contextValue = 'component';
        const mark = { pass: '✓', fail: '✗', off: '–', na: 'n/a' } as const;
        // Names, namespaces and labels come from the workspace: appended as text (VS Code escapes them), so a
        // name never becomes markup or a link, and the tooltip is not trusted (no command: links run).
        const tooltip = new vscode.MarkdownString();
        tooltip.isTrusted = false;
        tooltip.supportHtml = false;
        tooltip
          .appendMarkdown('**')
          .appendText(c.name)
          .appendMarkdown('** ')
          .appendText(`(${c.kind}${c.namespace ? `, namespace ${c.namespace}` : ''})`)
          .appendMarkdown('\n\n');
        if (c.services.length) tooltip.appendText(`Services: ${c.services.map((s) => s.label.replace(/^Service /, '')).join(', ')}`);
        else tooltip.appendText('No Service selects it.');
        tooltip.appendMarkdown('\n\n');
        for (const k of c.checks)
          tooltip
            .appendMarkdown('- ')
            .appendText(`${mark[k.status]} ${k.label}${k.findings.length ? ` (${k.findings.length})` : ''}`)
            .appendMarkdown('\n');
        item.tooltip = tooltip;
        item.command = { title: 'Open entity page', command: ENTITY_PAGE_COMMAND, arguments: [c.id] };
        return item;
      }
      case 'check': {
        const { check } = node;
        const item = new vscode.TreeItem(check.label, check.findings.length > 0 ? Collapsed : None);
        item.id = `check:${node.component.id}:${check.id}`;
        item.description =
          check.status === 'fail' ? `${check.findings.length} finding${check.findings.length === 1 ? '' : 's'}` : DESCRIPTION[check.status];
        item.iconPath = ICONS[check.status];
        item.contextValue = `check-${check.status}`;
        return item;
      }
      case 'finding': {
        const f = node.finding;
        const item = new vscode.TreeItem(f.message, None);
        item.description = `kubeconn/${f.ruleId}`;
        item.tooltip = `${f.message}\n${vscode.Uri.parse(f.uri).fsPath}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
        item.iconPath = new vscode.ThemeIcon(f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info');
        item.command = { title: 'Open', command: OPEN_COMMAND, arguments: openArgs(f) };
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
        if (p.uri) item.command = { title: 'Open', command: OPEN_COMMAND, arguments: openArgs(p) };
        return item;
      }
    }
  }
}
