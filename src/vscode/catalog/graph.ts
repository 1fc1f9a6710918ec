// The entity page's who-dials-whom graph: the component's group (its namespace or System) and everything it
// calls or is called by, laid out by ELK's layered algorithm (elkjs) left to right: a box per workload, its
// Services as ports on its left side, one edge per call from the calling workload to the called Service.
// Colour only where a finding is: edges carrying a balancing finding are red and labelled (ELK places the
// labels, so they never overlap nodes or each other), workloads with failing checks carry a red count.
// Sizes are estimated from character counts, generously, so that text stays inside the boxes ELK spaces.
import elk from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { WireCatalog, WireComponent, WireEdge } from '../../lsp/protocol.js';

/** Components drawn at most (the rest of a very large group is left out, with a note). */
export const MAX_NODES = 80;
const NAME_CHAR = 8.2; // 13px semi-bold
const TEXT_CHAR = 7.4; // 12px
const LABEL_CHAR = 6.9; // 11px
const HEADER = 44;
const PORT_ROW = 20;
const PAD = 12;

export interface GraphScope {
  nodes: WireComponent[];
  edges: WireEdge[];
  omitted: number;
}

const groupOf = (catalog: WireCatalog, c: WireComponent): string | undefined => (catalog.groupBy === 'system' ? c.system : c.namespace);

/** The component, its group, and its callers and callees elsewhere. */
export function graphScope(component: WireComponent, catalog: WireCatalog): GraphScope {
  const neighbours = new Set(catalog.edges.flatMap((e) => (e.from === component.id ? [e.to] : e.to === component.id ? [e.from] : [])));
  const all = catalog.components.filter(
    (c) => c === component || neighbours.has(c.id) || groupOf(catalog, c) === groupOf(catalog, component),
  );
  // Keep the component and its neighbours first when the group is too large.
  const ranked = [...all].sort((a, b) => Number(b === component || neighbours.has(b.id)) - Number(a === component || neighbours.has(a.id)));
  const nodes = ranked.slice(0, MAX_NODES);
  const ids = new Set(nodes.map((n) => n.id));
  return { nodes, edges: catalog.edges.filter((e) => ids.has(e.from) && ids.has(e.to)), omitted: all.length - nodes.length };
}

export const failedChecks = (c: WireComponent): number => c.checks.filter((k) => k.status === 'fail').length;
const serviceName = (label: string): string => label.replace(/^Service /, '');
const portLabel = (c: WireComponent, i: number): string =>
  `${serviceName(c.services[i]!.label)}${c.services[i]!.detail === 'headless' ? ' (headless)' : ''}`;
const kindLine = (c: WireComponent): string => {
  const failed = failedChecks(c);
  return `${c.kind}${c.replicas !== undefined ? ` ×${c.replicas}` : ''}${failed ? ` · ✗ ${failed} check${failed === 1 ? '' : 's'}` : ''}`;
};
/** Short, because many calls may carry one: the rules and messages are in the edge's tooltip. */
export const edgeLabel = (e: WireEdge): string | undefined => (e.findings.length === 0 ? undefined : 'imbalanced');
const portId = (component: string, service: string): string => `port\u0000${component}\u0000${service}`;

export interface LaidOut {
  width: number;
  height: number;
  nodes: {
    component: WireComponent;
    x: number;
    y: number;
    width: number;
    height: number;
    ports: { label: string; x: number; y: number }[];
  }[];
  edges: {
    edge: WireEdge;
    points: { x: number; y: number }[];
    label?: { text: string; x: number; y: number; width: number; height: number };
  }[];
}

export async function layout(scope: GraphScope): Promise<LaidOut> {
  const children: ElkNode[] = scope.nodes.map((c) => {
    const ports = c.services.map((_, i) => portLabel(c, i));
    const width = Math.ceil(
      Math.max(140, c.name.length * NAME_CHAR, kindLine(c).length * TEXT_CHAR, ...ports.map((p) => p.length * TEXT_CHAR + 22)) + 2 * PAD,
    );
    const height = HEADER + ports.length * PORT_ROW + (ports.length ? 6 : 0);
    return {
      id: c.id,
      width,
      height,
      layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
      ports: c.serviceIds.map((s, i) => ({
        id: portId(c.id, s),
        x: -4,
        y: HEADER + i * PORT_ROW + PORT_ROW / 2 - 4,
        width: 8,
        height: 8,
        layoutOptions: { 'elk.port.side': 'WEST' },
      })),
    };
  });
  const known = new Set(scope.nodes.flatMap((c) => c.serviceIds.map((s) => portId(c.id, s))));
  const edges: ElkExtendedEdge[] = scope.edges.flatMap((e, i) => {
    const target = portId(e.to, e.service);
    if (!known.has(target)) return [];
    const text = edgeLabel(e);
    return [
      {
        id: `e${i}`,
        sources: [e.from],
        targets: [target],
        ...(text ? { labels: [{ text, width: Math.ceil(text.length * LABEL_CHAR) + 8, height: 16 }] } : {}),
      },
    ];
  });
  // A CommonJS module whose typings say `default`; at run time it is both the module and its `default`.
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
      'elk.layered.spacing.edgeNodeBetweenLayers': '20',
      'elk.layered.spacing.edgeEdgeBetweenLayers': '12',
      'elk.spacing.nodeNode': '28',
      'elk.spacing.edgeEdge': '12',
      'elk.spacing.edgeNode': '16',
      'elk.spacing.edgeLabel': '6',
      'elk.spacing.componentComponent': '40',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.padding': '[top=16,left=24,bottom=16,right=24]',
    },
    children,
    edges,
  };
  const graph = await new elk.default().layout(root);
  const byId = new Map(scope.nodes.map((c) => [c.id, c]));
  // Edge ids are their index in scope.edges (some were left out above).
  const edgeById = new Map(edges.map((e) => [e.id, scope.edges[Number(e.id.slice(1))]!]));
  return {
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    nodes: (graph.children ?? []).map((n) => {
      const component = byId.get(n.id)!;
      return {
        component,
        x: n.x ?? 0,
        y: n.y ?? 0,
        width: n.width ?? 0,
        height: n.height ?? 0,
        ports: (n.ports ?? []).map((p, i) => ({
          label: portLabel(component, i),
          x: (n.x ?? 0) + (p.x ?? 0) + 4,
          y: (n.y ?? 0) + (p.y ?? 0) + 4,
        })),
      };
    }),
    edges: (graph.edges ?? []).map((e) => {
      const section = e.sections?.[0];
      const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
      const l = e.labels?.[0];
      return {
        edge: edgeById.get(e.id)!,
        points,
        ...(l ? { label: { text: l.text ?? '', x: l.x ?? 0, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 } } : {}),
      };
    }),
  };
}

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** An orthogonal path with slightly rounded corners. */
function pathOf(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const r = 6;
  let d = `M ${points[0]!.x} ${points[0]!.y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, b, c] = [points[i - 1]!, points[i]!, points[i + 1]!];
    const len1 = Math.hypot(b.x - a.x, b.y - a.y);
    const len2 = Math.hypot(c.x - b.x, c.y - b.y);
    const k = Math.min(r, len1 / 2, len2 / 2);
    const p1 = { x: b.x - ((b.x - a.x) / (len1 || 1)) * k, y: b.y - ((b.y - a.y) / (len1 || 1)) * k };
    const p2 = { x: b.x + ((c.x - b.x) / (len2 || 1)) * k, y: b.y + ((c.y - b.y) / (len2 || 1)) * k };
    d += ` L ${p1.x} ${p1.y} Q ${b.x} ${b.y} ${p2.x} ${p2.y}`;
  }
  const last = points[points.length - 1]!;
  return `${d} L ${last.x} ${last.y}`;
}

/** The graph as inline SVG (no external resources), with `data-*` attributes the page script and the tests read. */
export async function renderGraphSvg(component: WireComponent, catalog: WireCatalog): Promise<string> {
  const scope = graphScope(component, catalog);
  const g = await layout(scope);
  const nameOf = new Map(scope.nodes.map((n) => [n.id, n.name]));
  const edgeSvg = g.edges
    .map(({ edge, points, label }) => {
      const finding = edge.findings.length > 0;
      const title = `${nameOf.get(edge.from)} → Service ${edge.service.split('/').pop()}${finding ? `: ${[...new Set(edge.findings.map((f) => `kubeconn/${f.ruleId}: ${f.message}`))].join('\n')}` : ''}`;
      const text = label
        ? `<rect class="edge-label-bg" x="${label.x}" y="${label.y}" width="${label.width}" height="${label.height}" rx="3"/><text class="edge-label" x="${label.x + 4}" y="${label.y + label.height - 4}">${esc(label.text)}</text>`
        : '';
      return `<g class="edge${finding ? ' finding' : ''}" data-from="${esc(edge.from)}" data-to="${esc(edge.to)}" data-service="${esc(edge.service)}"><title>${esc(title)}</title><path d="${pathOf(points)}" marker-end="url(#${finding ? 'arrow-finding' : 'arrow'})"/>${text}</g>`;
    })
    .join('\n');
  const nodeSvg = g.nodes
    .map(({ component: n, x, y, width, height, ports }) => {
      const failing = failedChecks(n) > 0;
      const cls = ['node', n.id === component.id ? 'self' : '', failing ? 'failing' : ''].filter(Boolean).join(' ');
      const portSvg = ports
        .map(
          (p) =>
            `<circle class="port" cx="${p.x}" cy="${p.y}" r="4"/><text class="port-label" x="${p.x + 12}" y="${p.y + 4}">${esc(p.label)}</text>`,
        )
        .join('');
      const kind = kindLine(n);
      const cut = kind.indexOf(' · ✗');
      const kindSvg = cut < 0 ? esc(kind) : `${esc(kind.slice(0, cut))} · <tspan class="failed">${esc(kind.slice(cut + 3))}</tspan>`;
      return `<g class="${cls}" data-id="${esc(n.id)}" data-entity="${esc(n.id)}"><title>${esc(`${n.kind} ${n.name}${n.namespace ? ` (namespace ${n.namespace})` : ''}`)}</title><rect x="${x}" y="${y}" width="${width}" height="${height}" rx="5"/><text class="name" x="${x + PAD}" y="${y + 18}">${esc(n.name)}</text><text class="kind" x="${x + PAD}" y="${y + 35}">${kindSvg}</text>${portSvg}</g>`;
    })
    .join('\n');
  const note = scope.omitted > 0 ? `<p class="none">${scope.omitted} more components of this group are not drawn.</p>` : '';
  const none =
    scope.edges.length === 0
      ? '<p class="none">No calls between these components are known (dial sites and address env vars appear here once the code is in the workspace).</p>'
      : '';
  return `${none}${note}<svg id="graph" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}" role="img" aria-label="who dials whom">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M 0 0 L 10 5 L 0 10 z"/></marker><marker id="arrow-finding" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow finding" d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>
${edgeSvg}
${nodeSvg}
</svg>`;
}
