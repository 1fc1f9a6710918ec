// The component catalog (shown by the editor's tree and entity page, the language server's catalog request
// and the CLI): the system's components (each Service with the workloads it selects, their images and
// who calls it; workloads no Service selects stand alone), grouped by namespace or by Backstage System,
// each with a scorecard. The scorecard is read off the core's findings by rule category, nothing is
// analysed here: a check fails when a finding of its category lies inside one of the component's
// objects (or in a file the graph links to it, such as its Dockerfile).
import type { Service, Workload } from '../facts/k8s.js';
import type { K8sObject } from '../facts/manifests.js';
import type { Finding } from '../finding.js';
import type { Rule } from '../rule.js';
import type { AnalysisResult } from '../workspace.js';
import { graphLinks, type Link } from './links.js';

export type CheckId = 'balanced' | 'drains' | 'grace' | 'sigterm';
export type CheckStatus = 'pass' | 'fail' | 'off';

export interface Check {
  id: CheckId;
  label: string;
  status: CheckStatus;
  findings: Finding[];
}

/** Something in a file the tree and the entity page can open. */
export interface Place {
  label: string;
  detail?: string;
  file: string;
  start: number;
  end: number;
  /** 1-based line of `start`, when known. */
  line?: number;
}

export interface Component {
  /** Stable id: `<namespace>/<kind>/<name>`. */
  id: string;
  name: string;
  namespace?: string;
  /** 'Service', or the workload kind when no Service selects it. */
  kind: string;
  /** Backstage System / Component names when a catalog-info.yaml entity claims this component. */
  system?: string;
  entity?: Place;
  service?: Place;
  workloads: Place[];
  images: { image: string; links: Place[] }[];
  /** Code or objects that dial this component. */
  callers: Place[];
  checks: Check[];
  findings: Finding[];
}

export interface Edge {
  from: string;
  to: string;
  /** A balancing finding on the callee or on the dial site marks the edge. */
  imbalanced: boolean;
  evidence: Place[];
}

export interface Group {
  kind: 'namespace' | 'system';
  name: string;
  components: Component[];
}

export interface Catalog {
  groupBy: 'namespace' | 'system';
  groups: Group[];
  components: Component[];
  edges: Edge[];
}

export const CHECKS: readonly { id: CheckId; label: string }[] = [
  { id: 'balanced', label: 'Balanced' },
  { id: 'drains', label: 'Drains (preStop)' },
  { id: 'grace', label: 'Fits the grace period' },
  { id: 'sigterm', label: 'SIGTERM reaches the app' },
];

const GRACE_RULE = 'grace-period-budget';

/** Which scorecard check a rule feeds, from its category (grace-period-budget has a check of its own). */
export function checkOf(rule: Rule): CheckId {
  if (rule.id === GRACE_RULE) return 'grace';
  switch (rule.meta.category) {
    case 'balancing':
      return 'balanced';
    case 'shutdown':
      return 'drains';
    case 'signals':
      return 'sigterm';
    case 'keepalive':
      // Idle-timeout inversions break connections between a front and a pod, as a pod that does not drain does.
      return 'drains';
  }
}

interface Owned {
  component: Component;
  file: string;
  start: number;
  end: number;
}

export function buildCatalog(
  result: AnalysisResult,
  rules: readonly Rule[],
  ruleLevels: Record<string, string>,
  groupBy: 'namespace' | 'system' = 'namespace',
): Catalog {
  const graph = result.model;
  const links = graphLinks(graph);
  const components: Component[] = [];
  const owned = new OwnedIndex();
  const byService = new Map<Service, Component>();
  const byWorkload = new Map<Workload, Component>();
  const place = (object: K8sObject, detail?: string): Place => ({
    label: `${object.kind} ${object.name}`,
    detail,
    file: object.file,
    start: object.nameSpan[0],
    end: object.nameSpan[1],
  });
  const own = (component: Component, object: K8sObject): void => {
    owned.add({ component, file: object.file, start: object.span[0], end: object.span[1] });
  };
  const newComponent = (kind: string, name: string, namespace: string | undefined): Component => ({
    id: `${namespace ?? ''}/${kind}/${name}`,
    name,
    namespace,
    kind,
    workloads: [],
    images: [],
    callers: [],
    checks: [],
    findings: [],
  });
  const addWorkload = (component: Component, w: Workload): void => {
    if (component.workloads.some((p) => p.file === w.object.file && p.start === w.object.nameSpan[0])) return;
    component.workloads.push(place(w.object, w.replicas !== undefined ? `${w.replicas} replicas` : undefined));
    own(component, w.object);
    byWorkload.set(w, component);
    for (const c of w.containers) {
      if (!c.image) continue;
      let entry = component.images.find((i) => i.image === c.image);
      if (!entry) component.images.push((entry = { image: c.image, links: [] }));
      for (const link of links.imageLinks(c.image, w)) {
        if (!entry.links.some((l) => l.file === link.place.file && l.start === link.place.start)) entry.links.push(link.place);
        owned.add({ component, file: link.place.file, start: 0, end: Number.MAX_SAFE_INTEGER });
      }
    }
  };

  for (const service of graph.services) {
    const component = newComponent('Service', service.name, service.namespace);
    component.service = place(service.object, service.headless ? 'headless' : service.type);
    own(component, service.object);
    for (const w of graph.workloadsSelectedBy(service)) addWorkload(component, w);
    byService.set(service, component);
    components.push(component);
  }
  for (const w of graph.workloads) {
    if (graph.servicesSelecting(w).length > 0) continue;
    const component = newComponent(w.kind, w.name, w.namespace);
    addWorkload(component, w);
    components.push(component);
  }

  const ruleById = new Map(rules.map((r) => [r.id, r]));
  // Who calls whom, as far as the graph knows (dial sites, env-var targets).
  const edges: Edge[] = [];
  for (const call of links.calls()) {
    const callee = byService.get(call.service);
    if (!callee) continue;
    if (!callee.callers.some((c) => c.file === call.site.file && c.start === call.site.start)) callee.callers.push(call.site);
    const caller = call.fromWorkload ? byWorkload.get(call.fromWorkload) : owned.find(call.site.file, call.site.start);
    if (!caller || caller === callee) continue;
    let edge = edges.find((e) => e.from === caller.id && e.to === callee.id);
    if (!edge) edges.push((edge = { from: caller.id, to: callee.id, imbalanced: false, evidence: [] }));
    edge.evidence.push(call.site);
  }

  // Backstage Components claim workloads (kubernetes-id or label selector); their System names the group.
  for (const [workload, component] of byWorkload) {
    const entity = links.entityOf(workload);
    if (!entity || component.entity) continue;
    component.system = entity.system;
    component.entity = entity.place;
    owned.add({ component, file: entity.place.file, start: entity.span[0], end: entity.span[1] });
  }

  // Findings → components → checks.
  // A finding in a file no object spans (code, entrypoint scripts) belongs to the workload whose image
  // the core says is built from that file.
  const runner = new Map<string, Component | undefined>();
  const ownerOfSource = (file: string): Component | undefined => {
    if (!runner.has(file)) {
      const container = graph.images.containersForSourceFile(file).find((c) => byWorkload.has(c.workload));
      runner.set(file, container && byWorkload.get(container.workload));
    }
    return runner.get(file);
  };
  const balancingAt = new Set<string>();
  for (const finding of result.findings) {
    const owner = owned.find(finding.file, finding.start) ?? ownerOfSource(finding.file);
    const rule = ruleById.get(finding.ruleId);
    if (rule && checkOf(rule) === 'balanced') balancingAt.add(`${finding.file}:${finding.line}`);
    if (owner && !owner.findings.includes(finding)) owner.findings.push(finding);
    for (const r of finding.related) {
      // A finding at a dial site (client code) that names a Service as evidence also counts for that Service.
      const other = owned.find(r.file, r.start);
      if (other && other !== owner && owner === undefined && !other.findings.includes(finding)) other.findings.push(finding);
    }
  }
  for (const component of components) {
    component.checks = CHECKS.map(({ id, label }) => {
      const relevant = rules.filter((r) => checkOf(r) === id);
      const findings = component.findings.filter((f) => {
        const rule = ruleById.get(f.ruleId);
        return rule !== undefined && checkOf(rule) === id;
      });
      const allOff = relevant.length > 0 && relevant.every((r) => ruleLevels[r.id] === 'off');
      return { id, label, findings, status: findings.length > 0 ? 'fail' : allOff ? 'off' : 'pass' };
    });
  }
  // An edge is imbalanced when the callee fails its balancing check or a balancing finding sits on a dial site of the edge.
  const byId = new Map(components.map((c) => [c.id, c]));
  for (const edge of edges) {
    const callee = byId.get(edge.to)!;
    edge.imbalanced =
      callee.checks.find((c) => c.id === 'balanced')!.status === 'fail' ||
      edge.evidence.some((p) => balancingAt.has(`${p.file}:${p.line ?? -1}`));
  }

  components.sort((a, b) => (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind));
  const useSystems = groupBy === 'system' && components.some((c) => c.system);
  const groups = new Map<string, Group>();
  for (const component of components) {
    const name = useSystems ? (component.system ?? '(no system)') : (component.namespace ?? '(no namespace)');
    let group = groups.get(name);
    if (!group) groups.set(name, (group = { kind: useSystems ? 'system' : 'namespace', name, components: [] }));
    group.components.push(component);
  }
  return {
    groupBy: useSystems ? 'system' : 'namespace',
    groups: [...groups.values()].sort((a, b) => a.name.localeCompare(b.name)),
    components,
    edges,
  };
}

/** Which component owns an offset of a file: spans indexed by file; the innermost span wins. */
class OwnedIndex {
  private readonly byFile = new Map<string, Owned[]>();

  add(o: Owned): void {
    const list = this.byFile.get(o.file);
    if (list) list.push(o);
    else this.byFile.set(o.file, [o]);
  }

  find(file: string, offset: number): Component | undefined {
    let best: Owned | undefined;
    for (const o of this.byFile.get(file) ?? []) {
      if (offset < o.start || offset > o.end) continue;
      if (!best || o.end - o.start < best.end - best.start) best = o;
    }
    return best?.component;
  }
}

export type { Link };
