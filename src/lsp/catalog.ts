// The catalog for the `kubeconn/catalog` request: the core's buildCatalog with places as URIs and LSP ranges
// (offsets are the server's business) and findings reduced to what a tree or a page shows.
import type { Catalog, Component, Finding, Place } from '../api.js';
import { rangeOf, type Naming } from './diagnostics.js';
import type { WireCatalog, WireFinding, WirePlace } from './protocol.js';

export function toWireCatalog(
  catalog: Catalog,
  naming: Naming,
  positionOf: (file: string, offset: number) => { line: number; column: number } | undefined,
): WireCatalog {
  const place = (p: Place): WirePlace => {
    const start = positionOf(p.file, p.start) ?? { line: 1, column: 1 };
    const end = positionOf(p.file, p.end) ?? start;
    return {
      label: naming.clean(p.label),
      ...(p.detail !== undefined ? { detail: naming.clean(p.detail) } : {}),
      uri: p.file ? naming.uriOf(p.file) : '',
      range: { start: { line: start.line - 1, character: start.column - 1 }, end: { line: end.line - 1, character: end.column - 1 } },
    };
  };
  const finding = (f: Finding): WireFinding => ({
    ruleId: f.ruleId,
    message: naming.clean(f.message),
    severity: f.severity,
    uri: naming.uriOf(f.file),
    range: rangeOf(f),
  });
  const component = (c: Component) => ({
    id: c.id,
    name: c.name,
    ...(c.namespace !== undefined ? { namespace: c.namespace } : {}),
    kind: c.kind,
    ...(c.system !== undefined ? { system: c.system } : {}),
    ...(c.entity ? { entity: place(c.entity) } : {}),
    manifest: place(c.manifest),
    services: c.services.map(place),
    serviceIds: c.serviceIds,
    ...(c.replicas !== undefined ? { replicas: c.replicas } : {}),
    images: c.images.map((i) => ({ image: i.image, links: i.links.map(place) })),
    callers: c.callers.map(place),
    calls: c.calls.map(place),
    checks: c.checks.map((k) => ({ id: k.id, label: k.label, status: k.status, findings: k.findings.map(finding) })),
  });
  return {
    groupBy: catalog.groupBy,
    groups: catalog.groups.map((g) => ({ kind: g.kind, name: g.name, componentIds: g.components.map((c) => c.id) })),
    components: catalog.components.map(component),
    edges: catalog.edges.map((e) => ({
      from: e.from,
      to: e.to,
      service: e.service,
      findings: e.findings.map(finding),
      evidence: e.evidence.map(place),
    })),
  };
}
