// The entity page: a webview with a component's scorecard, its findings, its Services, what it runs, whom it
// calls and who calls it, and the who-dials-whom graph of its group (graph.ts). The page loads nothing: no
// network, no external files; a strict Content-Security-Policy allows only its own nonce'd style and script,
// which posts "open this place" and "open that entity" messages back to the extension.
import type { WireCatalog, WireComponent, WirePlace } from '../../lsp/protocol.js';
import { renderGraphSvg } from './graph.js';

export interface PageContext {
  nonce: string;
  /** webview.cspSource (only used for img-src; the page embeds no images today). */
  cspSource: string;
}

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const openAttrs = (p: { uri: string; range: WirePlace['range'] }): string =>
  p.uri ? ` href="#" data-open="${esc(p.uri)}" data-range="${esc(JSON.stringify(p.range))}"` : '';

export function contentSecurityPolicy(ctx: PageContext): string {
  return `default-src 'none'; img-src ${ctx.cspSource} data:; style-src 'nonce-${ctx.nonce}'; script-src 'nonce-${ctx.nonce}'; base-uri 'none'; form-action 'none'`;
}

const MARK = { pass: '✓', fail: '✗', off: '–', na: 'n/a' } as const;
const STATUS_TEXT = { pass: 'pass', off: 'rules switched off', na: 'n/a: does not apply to this component' } as const;

export async function renderEntityPage(component: WireComponent, catalog: WireCatalog, ctx: PageContext): Promise<string> {
  const checks = component.checks
    .map((check) => {
      const items = check.findings
        .map((f) => `<li><a${openAttrs(f)}>${esc(f.message)}</a> <code>kubeconn/${esc(f.ruleId)}</code></li>`)
        .join('');
      return `<tr class="${check.status}"><td class="mark">${MARK[check.status]}</td><td>${esc(check.label)}</td><td>${check.status === 'fail' ? `<ul>${items}</ul>` : STATUS_TEXT[check.status]}</td></tr>`;
    })
    .join('');
  const list = (title: string, places: WirePlace[]): string =>
    `<h2>${esc(title)}</h2>${places.length === 0 ? '<p class="none">none known</p>' : `<ul>${places.map((p) => `<li><a${openAttrs(p)}>${esc(p.label)}</a>${p.detail ? ` <span class="detail">${esc(p.detail)}</span>` : ''}</li>`).join('')}</ul>`}`;
  const images = component.images.map((i): WirePlace => ({
    label: i.image,
    detail: i.links.map((l) => l.label).join(', ') || undefined,
    uri: i.links[0]?.uri ?? '',
    range: i.links[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  }));
  const title = `${component.name} — kubeconn`;
  const graph = await renderGraphSvg(component, catalog);
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
tr.na, tr.off { opacity: .7; }
.mark { font-weight: bold; white-space: nowrap; } ul { margin: 0; padding-left: 1.2em; } .detail, .none, .meta { opacity: .75; }
.columns { display: flex; flex-wrap: wrap; gap: 0 3em; } .columns > div { min-width: 16em; }
#graph-box { overflow: auto; max-width: 100%; border: 1px solid var(--vscode-panel-border); border-radius: 4px; }
svg { font-family: var(--vscode-font-family); }
svg .node rect { fill: var(--vscode-editorWidget-background); stroke: var(--vscode-foreground); stroke-opacity: .35; }
svg .node.self rect { stroke-opacity: 1; stroke-width: 2.5; }
svg .node { cursor: pointer; }
svg text { fill: var(--vscode-foreground); font-size: 12px; }
svg text.name { font-size: 13px; font-weight: 600; }
svg text.kind { opacity: .75; }
svg tspan.failed { fill: var(--vscode-testing-iconFailed); font-weight: 600; }
svg .port { fill: var(--vscode-editorWidget-background); stroke: var(--vscode-foreground); stroke-opacity: .6; }
svg .edge path { stroke: var(--vscode-foreground); stroke-opacity: .35; stroke-width: 1.2; fill: none; }
svg .edge.finding path { stroke: var(--vscode-testing-iconFailed); stroke-opacity: 1; stroke-width: 1.8; }
svg .arrow { fill: var(--vscode-foreground); fill-opacity: .5; } svg .arrow.finding { fill: var(--vscode-testing-iconFailed); fill-opacity: 1; }
svg .edge-label-bg { fill: var(--vscode-editor-background); stroke: var(--vscode-testing-iconFailed); stroke-width: .8; }
svg .edge-label { fill: var(--vscode-testing-iconFailed); font-size: 11px; }
</style>
</head>
<body>
<h1>${esc(component.name)}</h1>
<p class="meta">${esc(component.kind)}${component.namespace ? ` · namespace ${esc(component.namespace)}` : ''}${component.system ? ` · System ${esc(component.system)}` : ''} · <a${openAttrs(component.manifest)}>open manifest</a></p>
<h2>Scorecard</h2>
<table id="scorecard">${checks}</table>
<h2>Who dials whom</h2>
<div id="graph-box">${graph}</div>
<div class="columns">
<div>${list('Services', component.services)}</div>
<div>${list('Images', images)}</div>
<div>${list('Calls', component.calls)}</div>
<div>${list('Callers', component.callers)}</div>
</div>
<script nonce="${ctx.nonce}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const a = event.target.closest('[data-open]');
  if (a) {
    event.preventDefault();
    vscode.postMessage({ type: 'open', uri: a.dataset.open, range: JSON.parse(a.dataset.range) });
    return;
  }
  const node = event.target.closest('[data-entity]');
  if (node) vscode.postMessage({ type: 'entity', id: node.dataset.entity });
});
</script>
</body>
</html>`;
}
