// The entity page: a webview with a component's scorecard, its findings, what it runs and who calls it,
// and a who-dials-whom graph of its group drawn as inline SVG (imbalanced edges marked). The page loads
// nothing: no network, no external files; a strict Content-Security-Policy allows only its own nonce'd
// style and script, which posts "open this place" messages back to the extension.
import type { Catalog, Component, Edge, Place } from '../../api.js';

export interface PageContext {
  nonce: string;
  /** webview.cspSource (only used for img-src; the page embeds no images today). */
  cspSource: string;
}

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const openAttrs = (p: { file: string; start: number; end: number }): string =>
  p.file ? ` href="#" data-open="${esc(p.file)}" data-start="${p.start}" data-end="${p.end}"` : '';

export function contentSecurityPolicy(ctx: PageContext): string {
  return `default-src 'none'; img-src ${ctx.cspSource} data:; style-src 'nonce-${ctx.nonce}'; script-src 'nonce-${ctx.nonce}'; base-uri 'none'; form-action 'none'`;
}

export function renderEntityPage(component: Component, catalog: Catalog, ctx: PageContext): string {
  const checks = component.checks
    .map((check) => {
      const mark = check.status === 'pass' ? '✓' : check.status === 'fail' ? '✗' : '–';
      const items = check.findings
        .map((f) => `<li><a${openAttrs(f)}>${esc(f.message)}</a> <code>kubeconn/${esc(f.ruleId)}</code></li>`)
        .join('');
      return `<tr class="${check.status}"><td class="mark">${mark}</td><td>${esc(check.label)}</td><td>${check.status === 'fail' ? `<ul>${items}</ul>` : check.status === 'off' ? 'rules switched off' : 'pass'}</td></tr>`;
    })
    .join('');
  const list = (title: string, places: Place[]): string =>
    `<h2>${esc(title)}</h2>${places.length === 0 ? '<p class="none">none known</p>' : `<ul>${places.map((p) => `<li><a${openAttrs(p)}>${esc(p.label)}</a>${p.detail ? ` <span class="detail">${esc(p.detail)}</span>` : ''}</li>`).join('')}</ul>`}`;
  const images = component.images.map((i): Place => ({ label: i.image, detail: i.links.map((l) => l.label).join(', ') || undefined, file: i.links[0]?.file ?? '', start: i.links[0]?.start ?? 0, end: i.links[0]?.end ?? 0 }));
  const title = `${component.name} — kubeconn`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(ctx)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style nonce="${ctx.nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1.5em 2em; }
a { color: var(--vscode-textLink-foreground); cursor: pointer; text-decoration: none; }
table { border-collapse: collapse; } td { padding: .3em .8em; vertical-align: top; border-bottom: 1px solid var(--vscode-panel-border); }
tr.pass .mark { color: var(--vscode-testing-iconPassed); } tr.fail .mark { color: var(--vscode-testing-iconFailed); }
.mark { font-weight: bold; } ul { margin: 0; padding-left: 1.2em; } .detail, .none, .meta { opacity: .75; }
svg .node rect { fill: var(--vscode-editorWidget-background); stroke: var(--vscode-foreground); stroke-opacity: .5; }
svg .node.self rect { stroke: var(--vscode-focusBorder); stroke-width: 2; stroke-opacity: 1; }
svg .node.failing rect { stroke: var(--vscode-testing-iconFailed); stroke-opacity: 1; }
svg text { fill: var(--vscode-foreground); font-size: 12px; }
svg .edge { stroke: var(--vscode-foreground); stroke-opacity: .6; fill: none; }
svg .edge.imbalanced { stroke: var(--vscode-testing-iconFailed); stroke-dasharray: 5 3; stroke-opacity: 1; }
svg .edge-label { fill: var(--vscode-testing-iconFailed); font-size: 10px; }
</style>
</head>
<body>
<h1>${esc(component.name)}</h1>
<p class="meta">${esc(component.kind)}${component.namespace ? ` · namespace ${esc(component.namespace)}` : ''}${component.system ? ` · System ${esc(component.system)}` : ''}${component.service ? ` · <a${openAttrs(component.service)}>open manifest</a>` : ''}</p>
<h2>Scorecard</h2>
<table id="scorecard">${checks}</table>
<h2>Who dials whom</h2>
${renderGraph(component, catalog)}
${list('Workloads', component.workloads)}
${list('Images', images)}
${list('Callers', component.callers)}
<script nonce="${ctx.nonce}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const a = event.target.closest('[data-open]');
  if (!a) return;
  event.preventDefault();
  vscode.postMessage({ type: 'open', file: a.dataset.open, start: Number(a.dataset.start), end: Number(a.dataset.end) });
});
</script>
</body>
</html>`;
}

const NODE_W = 170;
const NODE_H = 34;
const COL = 240;
const ROW = 56;

/**
 * The component's group (its namespace or System) plus anything it calls or is called by, laid out in
 * columns by call depth (callers left of callees); cycles are cut where they are met.
 */
export function renderGraph(component: Component, catalog: Catalog): string {
  const groupOf = (c: Component): string | undefined => (catalog.groupBy === 'system' ? c.system : c.namespace);
  const neighbours = new Set(catalog.edges.flatMap((e) => (e.from === component.id ? [e.to] : e.to === component.id ? [e.from] : [])));
  const nodes = catalog.components.filter((c) => c === component || neighbours.has(c.id) || groupOf(c) === groupOf(component)).slice(0, 60);
  const ids = new Set(nodes.map((n) => n.id));
  const edges = catalog.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const d = Math.max(0, ...edges.filter((e) => e.to === id).map((e) => depthOf(e.from) + 1));
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  const columns: Component[][] = [];
  for (const n of nodes) (columns[depthOf(n.id)] ??= []).push(n);
  const pos = new Map<string, { x: number; y: number }>();
  columns.forEach((col, i) => col.forEach((n, j) => pos.set(n.id, { x: 10 + i * COL, y: 10 + j * ROW })));
  const width = 20 + Math.max(1, columns.length) * COL;
  const height = 20 + Math.max(1, ...columns.map((c) => c?.length ?? 0)) * ROW;
  const edgeSvg = edges.map((e) => drawEdge(e, pos.get(e.from)!, pos.get(e.to)!)).join('\n');
  const nodeSvg = nodes
    .map((n) => {
      const p = pos.get(n.id)!;
      const failing = n.checks.some((c) => c.status === 'fail');
      const cls = ['node', n === component ? 'self' : '', failing ? 'failing' : ''].filter(Boolean).join(' ');
      return `<g class="${cls}" data-id="${esc(n.id)}"><title>${esc(n.name)} (${esc(n.kind)})</title><rect x="${p.x}" y="${p.y}" width="${NODE_W}" height="${NODE_H}" rx="4"/><text x="${p.x + 10}" y="${p.y + 21}">${esc(truncate(n.name, 22))}</text></g>`;
    })
    .join('\n');
  const none = edges.length === 0 ? '<p class="none">No calls between these components are known (dial sites and address env vars appear here once the code is in the workspace).</p>' : '';
  return `${none}<svg id="graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="who dials whom">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="currentColor"/></marker></defs>
${edgeSvg}
${nodeSvg}
</svg>`;
}

function drawEdge(edge: Edge, from: { x: number; y: number }, to: { x: number; y: number }): string {
  const x1 = from.x + NODE_W;
  const y1 = from.y + NODE_H / 2;
  const x2 = to.x;
  const y2 = to.y + NODE_H / 2;
  const bend = x2 > x1 ? (x2 - x1) / 2 : 60;
  const path = `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`;
  const cls = edge.imbalanced ? 'edge imbalanced' : 'edge';
  const label = edge.imbalanced ? `<text class="edge-label" x="${(x1 + x2) / 2 - 30}" y="${(y1 + y2) / 2 - 4}">imbalanced</text>` : '';
  return `<g class="edge-group" data-from="${esc(edge.from)}" data-to="${esc(edge.to)}"><title>${esc(edge.from)} → ${esc(edge.to)}${edge.imbalanced ? ' (imbalanced: one connection pins every call to one pod)' : ''}</title><path class="${cls}" d="${path}" marker-end="url(#arrow)"/>${label}</g>`;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
