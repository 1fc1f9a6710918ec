// The component catalog (the editor's tree and entity page, through the language server's catalog request):
// the system's components are its workloads — a Deployment, StatefulSet, DaemonSet, CronJob, Job or Pod —
// and the Services that select a workload are its faces, so a Deployment behind two Services is one
// component, listed once. A Service that selects no workload in the workspace stands alone. Components are
// grouped by namespace or by Backstage System, each with a scorecard read off the core's findings by rule
// category (nothing is analysed here): a check fails when a finding of its category lies in one of the
// component's objects or in a file the model links to it (its Dockerfile, the code its image is built from);
// a check that cannot concern the component (preStop draining for a CronJob no Service selects) is "n/a".
import type { Service, Workload } from '../facts/k8s.js';
import type { K8sObject } from '../facts/manifests.js';
import type { Finding } from '../finding.js';
import type { Rule } from '../rule.js';
import type { AnalysisResult } from '../workspace.js';
import { graphLinks, type Link } from './links.js';
import { pushTo } from '../multimap.js';

export type CheckId = 'balanced' | 'drains' | 'grace' | 'sigterm';
/** na: the check does not concern this component (no traffic to drain, no pods to stop). */
export type CheckStatus = 'pass' | 'fail' | 'off' | 'na';

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
  /** The workload kind, or 'Service' for a Service that selects no workload in the workspace. */
  kind: string;
  /** Backstage System name when a catalog-info.yaml Component claims this workload. */
  system?: string;
  entity?: Place;
  /** The workload's manifest (at its name); for a lone Service, the Service's. */
  manifest: Place;
  /** The Services that select the workload: its faces (id `<namespace>/<name>` in `serviceIds`, same order). */
  services: Place[];
  serviceIds: string[];
  /** spec.replicas as written. */
  replicas?: number;
  images: { image: string; links: Place[] }[];
  /** Dial sites that reach one of its Services. */
  callers: Place[];
  /** Dial sites in the code it runs. */
  calls: Place[];
  checks: Check[];
  findings: Finding[];
}

/** A call from the workload running a dial site to a Service (a face of `to`). */
export interface Edge {
  from: string;
  to: string;
  /** The Service called: `<namespace>/<name>`, one of `to`'s serviceIds. */
  service: string;
  /** Balancing findings on this call: at one of its dial sites, or on the called Service itself. */
  findings: Finding[];
  /** findings.length > 0. */
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

export interface CatalogOptions {
  /** Per-rule levels (the `rules` option): a check whose rules are all off shows "off". */
  ruleLevels?: Record<string, string>;
  groupBy?: 'namespace' | 'system';
  /** How a file is named in labels (workspace-relative in editors); default: the path as given. */
  displayPath?: (file: string) => string;
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

/**
 * Whether a check can concern a component at all. Balancing needs traffic in or out (a Service face, a dial
 * site); draining needs a Service sending traffic to pods; the grace period and SIGTERM need pods.
 */
function applies(id: CheckId, c: Component, hasPods: boolean): boolean {
  switch (id) {
    case 'balanced':
      return c.services.length > 0 || c.calls.length > 0 || c.callers.length > 0;
    case 'drains':
      return hasPods && c.services.length > 0;
    case 'grace':
    case 'sigterm':
      return hasPods;
  }
}

export const serviceId = (s: Service): string => `${s.namespace ?? ''}/${s.name}`;

export function buildCatalog(
  result: Pick<AnalysisResult, 'model' | 'findings'>,
  rules: readonly Rule[],
  options: CatalogOptions = {},
): Catalog {
  const graph = result.model;
  const ruleLevels = options.ruleLevels ?? {};
  const links = graphLinks(graph, options.displayPath);
  const components: Component[] = [];
  const owned = new OwnedIndex();
  const byWorkload = new Map<Workload, Component>();
  const facesOf = new Map<Service, Component[]>();
  const withPods = new Set<Component>();
  const place = (object: K8sObject, detail?: string): Place => ({
    label: `${object.kind} ${object.name}`,
    detail,
    file: object.file,
    start: object.nameSpan[0],
    end: object.nameSpan[1],
  });
  const newComponent = (object: K8sObject, kind: string, name: string, namespace: string | undefined, detail?: string): Component => ({
    id: `${namespace ?? ''}/${kind}/${name}`,
    name,
    namespace,
    kind,
    manifest: place(object, detail),
    services: [],
    serviceIds: [],
    images: [],
    callers: [],
    calls: [],
    checks: [],
    findings: [],
  });
  const addFace = (component: Component, service: Service): void => {
    component.services.push(place(service.object, service.headless ? 'headless' : service.type));
    component.serviceIds.push(serviceId(service));
    owned.add(component, service.object.file, service.object.span);
    pushTo(facesOf, service, component);
  };

  for (const w of graph.workloads) {
    const component = newComponent(w.object, w.kind, w.name, w.namespace, w.replicas !== undefined ? `${w.replicas} replicas` : undefined);
    component.replicas = w.replicas;
    owned.add(component, w.object.file, w.object.span);
    byWorkload.set(w, component);
    withPods.add(component);
    for (const c of [...w.containers, ...w.initContainers]) {
      if (!c.image) continue;
      let entry = component.images.find((i) => i.image === c.image);
      if (!entry) component.images.push((entry = { image: c.image, links: [] }));
      for (const link of links.imageLinks(c.image, w)) {
        if (!entry.links.some((l) => l.file === link.place.file && l.start === link.place.start)) entry.links.push(link.place);
        owned.add(component, link.place.file, [0, Number.MAX_SAFE_INTEGER]);
      }
    }
    for (const s of graph.servicesSelecting(w)) addFace(component, s);
    components.push(component);
  }
  for (const s of graph.services) {
    if (facesOf.has(s)) continue;
    const component = newComponent(s.object, 'Service', s.name, s.namespace, s.headless ? 'headless' : s.type);
    addFace(component, s);
    components.push(component);
  }

  // Who calls whom, as far as the model knows (dial sites, env-var targets): from the workload that runs the
  // dial site to every component the called Service is a face of.
  const edges = new Map<string, Edge>();
  for (const call of links.calls()) {
    const callees = facesOf.get(call.service) ?? [];
    for (const callee of callees)
      if (!callee.callers.some((c) => c.file === call.site.file && c.start === call.site.start)) callee.callers.push(call.site);
    const caller = call.fromWorkload ? byWorkload.get(call.fromWorkload) : owned.find(call.site.file, call.site.start)[0];
    if (!caller) continue;
    if (!caller.calls.some((c) => c.file === call.site.file && c.start === call.site.start)) caller.calls.push(call.site);
    for (const callee of callees) {
      if (callee === caller) continue;
      const key = `${caller.id}\0${callee.id}\0${serviceId(call.service)}`;
      let edge = edges.get(key);
      if (!edge)
        edges.set(
          key,
          (edge = { from: caller.id, to: callee.id, service: serviceId(call.service), findings: [], imbalanced: false, evidence: [] }),
        );
      edge.evidence.push(call.site);
    }
  }

  // Backstage Components claim workloads (kubernetes-id or label selector); their System names the group.
  for (const [workload, component] of byWorkload) {
    const entity = links.entityOf(workload);
    if (!entity) continue;
    component.system = entity.system;
    component.entity = entity.place;
    owned.add(component, entity.place.file, entity.span);
  }

  // Findings → components. A finding in a file no object spans (code, entrypoint scripts) belongs to the
  // workloads whose image is built from that file; when several run it (a shared client library), to those
  // its evidence points at (the Deployment whose env var set the dialled address).
  const runners = new Map<string, Component[]>();
  const runnersOf = (file: string): Component[] => {
    let list = runners.get(file);
    if (!list) {
      list = [];
      for (const c of graph.images.containersForSourceFile(file)) {
        const component = byWorkload.get(c.workload);
        if (component && !list.includes(component)) list.push(component);
      }
      runners.set(file, list);
    }
    return list;
  };
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  for (const finding of result.findings) {
    let owners = owned.find(finding.file, finding.start);
    if (owners.length === 0) owners = runnersOf(finding.file);
    const evidence = new Set(finding.related.flatMap((r) => owned.find(r.file, r.start)));
    if (owners.length > 1) {
      const pointed = owners.filter((o) => evidence.has(o));
      if (pointed.length > 0) owners = pointed;
    }
    // A finding at a dial site no workload runs, naming a Service as evidence, counts for that Service.
    if (owners.length === 0) owners = [...evidence];
    for (const owner of owners) if (!owner.findings.includes(finding)) owner.findings.push(finding);
  }
  for (const component of components) {
    const hasPods = withPods.has(component);
    component.checks = CHECKS.map(({ id, label }) => {
      const relevant = rules.filter((r) => checkOf(r) === id);
      const findings = component.findings.filter((f) => {
        const rule = ruleById.get(f.ruleId);
        return rule !== undefined && checkOf(rule) === id;
      });
      const allOff = relevant.length > 0 && relevant.every((r) => ruleLevels[r.id] === 'off');
      const status: CheckStatus = findings.length > 0 ? 'fail' : !applies(id, component, hasPods) ? 'na' : allOff ? 'off' : 'pass';
      return { id, label, findings, status };
    });
  }

  // An edge is marked where a balancing finding is: on one of its dial sites (same line), or on the called
  // Service's own object (a ClusterIP Service carrying gRPC concerns every caller).
  const balancing = result.findings.filter((f) => {
    const rule = ruleById.get(f.ruleId);
    return rule !== undefined && checkOf(rule) === 'balanced';
  });
  const services = new Map(graph.services.map((s) => [serviceId(s), s]));
  for (const edge of edges.values()) {
    const service = services.get(edge.service)!;
    const o = service.object;
    edge.findings = balancing.filter(
      (f) =>
        (f.file === o.file && f.start >= o.span[0] && f.start <= o.span[1]) ||
        edge.evidence.some((p) => p.file === f.file && (p.line === undefined ? p.start === f.start : p.line === f.line)),
    );
    edge.imbalanced = edge.findings.length > 0;
  }

  components.sort(
    (a, b) => (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind),
  );
  const useSystems = options.groupBy === 'system' && components.some((c) => c.system);
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
    edges: [...edges.values()],
  };
}

/** Which components own an offset of a file: spans indexed by file; the innermost span wins (ties: all of them). */
class OwnedIndex {
  private readonly byFile = new Map<string, { component: Component; start: number; end: number }[]>();

  add(component: Component, file: string, [start, end]: readonly [number, number]): void {
    const list = this.byFile.get(file);
    const entry = { component, start, end };
    if (list) list.push(entry);
    else this.byFile.set(file, [entry]);
  }

  find(file: string, offset: number): Component[] {
    let best: Component[] = [];
    let size = Infinity;
    for (const o of this.byFile.get(file) ?? []) {
      if (offset < o.start || offset > o.end) continue;
      const s = o.end - o.start;
      if (s < size) {
        size = s;
        best = [o.component];
      } else if (s === size && !best.includes(o.component)) best.push(o.component);
    }
    return best;
  }
}

export type { Link };
