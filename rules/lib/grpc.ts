// Helpers the gRPC rules share: spans of code ranges, rewriting a dial target where its value is written
// (the code literal, or the `env` value in the manifest that feeds it), the headless sibling of a Service.
import {
  block,
  codeEditBuilder,
  escapeRegExp,
  pushTo,
  insertDocumentAfterObject,
  replaceObjectScalar,
  scalarString,
  type AnalysisModel,
  type CodeEdit,
  type DialLink,
  renderParts,
  type ServerLink,
  type Range,
  type Service,
  type ServicePort,
  type Span,
  type K8sObject,
  type TextEdit,
  type Workload,
  type YamlValue,
  WELL_KNOWN_GRPC_PORTS,
} from '../../src/core/rule-api.js';
import { nameSpan, nodeSpan } from './common.js';
import { allKnown, freeName } from './names.js';

export function codeSpan(file: string, range: Range): Span {
  return { file, start: range[0], end: range[1] };
}

export function codeEdits(file: string, edits: readonly CodeEdit[]): TextEdit[] {
  return edits.map((e) => ({ file, ...e }));
}

/** Related locations for a link: the env vars and config file values that set the target. */
export function envRelated(model: AnalysisModel, link: DialLink): { at: Span; message: string }[] {
  const env = link.env.map((e) => ({
    at: nodeSpan(findOwner(model, e), e.valueNode ?? e.node),
    message: `${e.name}=${e.value} set here`,
  }));
  const config = link.config.flatMap((u) =>
    u.file && u.entry ? [{ at: codeSpan(u.file, u.entry.at), message: `${u.key}=${u.value} set here` }] : [],
  );
  return [...env, ...config];
}

/** The object whose node holds an env value: the ConfigMap it came from, or the container's workload. */
function findOwner(model: AnalysisModel, env: DialLink['env'][number]): Service['object'] {
  if (env.from) return env.from;
  for (const w of model.workloads) for (const c of w.containers) if (c.env.includes(env)) return w.object;
  throw new Error('kubeconn: env var without a workload');
}

/**
 * Edits that make the link's target read `newText`: the code literal when the target is one, or the manifest
 * env value when the target is exactly one env var. Undefined when the value is assembled from pieces.
 */
export function rewriteTarget(model: AnalysisModel, link: DialLink, newText: string): TextEdit[] | undefined {
  const parts = link.alt.parts;
  if (!parts || parts.length !== 1) return undefined;
  const part = parts[0]!;
  if (part.kind === 'lit') {
    const edits = codeEditBuilder(link.site.language).replaceStringContent(part.at, newText);
    return edits && codeEdits(link.file, edits);
  }
  if (part.kind === 'config') return rewriteConfigValue(model, link, newText);
  if (part.kind !== 'env') return undefined;
  const env = link.env.find((e) => e.name === part.name);
  if (!env?.valueNode) return undefined;
  const owner = findOwner(model, env);
  const edit = replaceObjectScalar(owner, env.valueNode, scalarString(newText));
  return edit && [edit];
}

/**
 * The config value the code's key resolved to: in its file when written there plainly; in a Spring value that is
 * one placeholder (`${ORDERS_ADDR:dns:///orders:9090}`), the env var that set it or the default; else the env var
 * that overrode the key.
 */
function rewriteConfigValue(model: AnalysisModel, link: DialLink, newText: string): TextEdit[] | undefined {
  const top = link.config.filter((u) => u.top);
  const use = top[0];
  if (!use || top.length !== 1) return undefined;
  const content =
    use.from === 'file' && use.entry?.content && use.entry.value === model.textOf(use.file!).slice(...use.entry.content)
      ? use.entry.content
      : undefined;
  if (content && !use.entry!.value.includes('${')) return replaceStringContentIn(use.file!, content, newText);
  const inner = link.config.filter((u) => !u.top);
  const placeholder = content && /^\$\{([^:}]+)(?::(.*))?\}$/s.exec(use.entry!.value);
  if (placeholder && inner.length === 1 && inner[0]!.key === placeholder[1]) {
    if (inner[0]!.from === 'env') return rewriteEnv(model, link, inner[0]!.env!, newText);
    // The default after the first ':', when it is plain text.
    if (inner[0]!.from === 'default' && placeholder[2] !== undefined && !placeholder[2].includes('${')) {
      const start = content[0] + 2 + placeholder[1].length + 1;
      return replaceStringContentIn(use.file!, [start, start + placeholder[2].length], newText);
    }
    return undefined;
  }
  return use.from === 'env' ? rewriteEnv(model, link, use.env!, newText) : undefined;
}

function rewriteEnv(model: AnalysisModel, link: DialLink, name: string, newText: string): TextEdit[] | undefined {
  const env = link.env.find((e) => e.name === name);
  if (!env?.valueNode) return undefined;
  const owner = findOwner(model, env);
  const edit = replaceObjectScalar(owner, env.valueNode, scalarString(newText));
  return edit && [edit];
}

/** Text a config value holds as is, in YAML, properties and JSON alike. */
function replaceStringContentIn(file: string, at: Range, text: string): TextEdit[] | undefined {
  return /^[A-Za-z0-9/._\-[\]@%+~]+(:[A-Za-z0-9/._\-[\]@%+~]+)*$/.test(text) && !/^[-?:[\]]/.test(text)
    ? [{ file, start: at[0], end: at[1], text }]
    : undefined;
}

/** The pod port a Service port forwards to, as a number (named target ports resolved through the containers). */
export function podPortNumber(model: AnalysisModel, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  return model.targetsOf(port).find((t) => t.containerPort?.containerPort !== undefined)?.containerPort?.containerPort;
}

/**
 * gRPC server code behind a Service port: a server linked to a workload the Service selects that listens on the
 * port's pod port (a listen address written in the code, its defaults included), or, when no server's listen
 * address can be read, behind a workload with one way in: this one-port Service is the only one selecting it and
 * its containers declare at most one port. Undefined otherwise: a server whose port is known to be another one,
 * or an unknown one where other ports exist (metrics, admin, webhooks), says nothing — a large image links the
 * gRPC servers of all of its packages to every binary built from it.
 */
export function grpcServerBehind(model: AnalysisModel, service: Service, port: ServicePort): ServerLink | undefined {
  const servers = model.dials.serversBehind(service);
  if (servers.length === 0) return undefined;
  const pod = podPortNumber(model, port);
  const known = servers.map((server) => ({
    server,
    ports: server.site.listens.flatMap((alt) => {
      const m = /(?:^|:)(\d{1,5})$/.exec(renderParts(alt.parts, () => undefined) ?? '');
      return m ? [Number(m[1])] : [];
    }),
  }));
  const listening = known.find((k) => pod !== undefined && k.ports.includes(pod));
  if (listening) return listening.server;
  if (service.ports.length !== 1 || known.some((k) => k.ports.length > 0)) return undefined;
  const oneWayIn = model
    .workloadsSelectedBy(service)
    .every((w) => model.servicesSelecting(w).length === 1 && w.containers.flatMap((c) => c.ports).length <= 1);
  return oneWayIn ? servers[0] : undefined;
}

/** Services by namespace and selector, built once per model (a scan over every Service per lookup is quadratic). */
const bySelector = new WeakMap<AnalysisModel, Map<string, Service[]>>();
/** Keys already made, per Service view; reused while its namespace and selector are the same values. */
const keys = new WeakMap<Service, { namespace: string | undefined; selector: Service['selector']; key: string | undefined }>();
function selectorKey(service: Service): string | undefined {
  const known = keys.get(service);
  if (known && known.namespace === service.namespace && known.selector === service.selector) return known.key;
  const key =
    service.selector === undefined ? undefined : JSON.stringify([service.namespace ?? '', Object.entries(service.selector).sort()]);
  keys.set(service, { namespace: service.namespace, selector: service.selector, key });
  return key;
}
function sameSelector(model: AnalysisModel, service: Service): Service[] {
  let index = bySelector.get(model);
  if (!index) {
    index = new Map();
    for (const s of model.services) {
      const key = selectorKey(s);
      if (key !== undefined) pushTo(index, key, s);
    }
    bySelector.set(model, index);
  }
  const key = selectorKey(service);
  return key === undefined ? [] : (index.get(key) ?? []).filter((s) => s !== service);
}

/** An existing headless Service with the same selector in the same namespace. */
export function headlessSibling(model: AnalysisModel, service: Service): Service | undefined {
  if (service.headless) return service;
  return sameSelector(model, service).find((s) => s.headless);
}

/** A ClusterIP Service with the same selector (for meshed clients that should not dial pods directly). */
export function clusterIpSibling(model: AnalysisModel, service: Service): Service | undefined {
  return sameSelector(model, service).find((s) => !s.headless && s.type !== 'ExternalName');
}

/** Edit adding `<name>-headless` (clusterIP: None, same selector and ports) after the Service's document. */
export function addHeadlessSiblingEdit(model: AnalysisModel, service: Service): { name: string; edit: TextEdit | undefined } {
  const name = freeName(model, ['Service'], service.namespace, `${service.name}-headless`);
  const metadata: Record<string, YamlValue> = { name };
  if (service.namespace) metadata.namespace = service.namespace;
  const spec: Record<string, YamlValue> = { clusterIP: 'None' };
  if (service.selector) spec.selector = service.selector;
  spec.ports = service.ports.map((p) => {
    const out: Record<string, YamlValue> = {};
    if (p.name) out.name = p.name;
    if (p.port !== undefined) out.port = p.port;
    if (p.targetPort !== undefined) out.targetPort = p.targetPort;
    if (p.appProtocol) out.appProtocol = p.appProtocol;
    return out;
  });
  // A chart rendered without its values leaves `<templated>` names, `app: ""`, `port: null`: no sibling then.
  if (!allKnown({ metadata, spec })) return { name, edit: undefined };
  const doc = block({ apiVersion: 'v1', kind: 'Service', metadata, spec }, 0).join('\n');
  const { object } = service;
  return { name, edit: insertDocumentAfterObject(object, doc) };
}

/** `svc.ns.svc.cluster.local` when the namespace is known, else the bare name. */
export function fqdn(service: string, namespace: string | undefined): string {
  return namespace ? `${service}.${namespace}.svc.cluster.local` : service;
}

/** The balancing policy a dial site ends up with (gRPC's default is pick_first everywhere). */
export function effectivePolicy(link: DialLink): string {
  if (link.configPolicy) return link.configPolicy.policy;
  const lb = link.site.lb.find((l) => l.via !== 'withBalancerName') ?? link.site.lb[0];
  return lb?.policy ?? 'pick_first';
}

/** The resolver a target ends up with: its scheme, or the dial API's default. */
export function effectiveScheme(link: DialLink): string {
  const t = link.target;
  if (!t) return 'unknown';
  return t.explicitScheme ? t.scheme : link.site.defaultScheme;
}

export function describeService(service: Service): string {
  return service.namespace ? `${service.name}.${service.namespace}` : service.name;
}

/** In-repo gRPC clients (not meshed) that reach a Service port through its virtual IP: DNS/passthrough names, not kuberesolver. */
export function vipDialers(model: AnalysisModel, service: Service, port: ServicePort): DialLink[] {
  return model.dials
    .linksTo(service)
    .filter(
      (l) =>
        (l.port === port || (l.port === undefined && service.ports.length === 1)) &&
        !model.dials.meshOfClient(l) &&
        effectiveScheme(l) !== 'kubernetes',
    );
}

/** Clients that balance over the Service's pods themselves: kuberesolver (`kubernetes:///`) and proxyless xDS (`xds:///host`). */
export function selfBalancingDialers(model: AnalysisModel, service: Service): DialLink[] {
  return model.dials.links.filter((l) => {
    if (l.service === service && effectiveScheme(l) === 'kubernetes') return true;
    const xds = l.target?.scheme === 'xds' && l.text ? /^xds:(?:\/\/[^/]*)?\/+([a-z0-9-]+)(?:\.([a-z0-9-]+))?/i.exec(l.text) : null;
    return (
      xds !== null && xds[1] === service.name && (xds[2] === undefined || service.namespace === undefined || xds[2] === service.namespace)
    );
  });
}

export interface ConfigTarget {
  /** `vip`: a gRPC client configured to dial the VIP; `self`: a watching resolver (kuberesolver, xDS) naming the Service. */
  kind: 'vip' | 'self';
  at: Span;
  message: string;
  why: string;
}

const NOT_VIP_SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'kubernetes', 'xds']);
const GRPC_SCHEMES = new Set(['dns', 'static', 'grpc', 'grpcs']);

/**
 * The names a value can call the Service by, as a pattern: `orders`, `orders.shop`, `orders.shop.svc` and
 * `orders.shop.svc.cluster.local` (any namespace when the Service's is not written). Names come from the workspace
 * (a YAML name may hold any character): they are matched literally, never as a pattern.
 */
function serviceHost(service: Service): string {
  const namespace = service.namespace !== undefined ? escapeRegExp(service.namespace) : '[a-z0-9-]+';
  return `${escapeRegExp(service.name)}(?:\\.${namespace}(?:\\.svc(?:\\.[a-z0-9.-]+)?)?)?`;
}

/**
 * Env values and ConfigMap data that name the Service's VIP and port (`orders:50051`, `dns:///orders.shop:50051`,
 * `static://orders:50051`), and Envoy HTTP/2 clusters whose endpoint it is: a client configured from them dials the
 * VIP even when its code is not in the repository.
 * A bare `host:port` says gRPC only when the port already does (`grpcPort`: its name or appProtocol) or is a
 * well-known gRPC port (4317…); otherwise it is any TCP client (`REDIS_ADDR=redis-cart:6379`). Values with a
 * watching resolver (`kubernetes:///`, `xds:///`), an HTTP URL, or a path after the port (`check http
 * database:3306/readyz`: gRPC targets have no path) are not VIP dials.
 */
export function configTargetsNaming(model: AnalysisModel, service: Service, port: ServicePort, grpcPort: boolean): ConfigTarget[] {
  const ports = [port.port, port.name].filter((p) => p !== undefined).map((p) => escapeRegExp(String(p)));
  if (ports.length === 0) return [];
  const global = new RegExp(`(?:^|[\\s"'=/,])${serviceHost(service)}:(?:${ports.join('|')})(?![\\w.])`, 'g');
  const wellKnown = port.port !== undefined && Object.hasOwn(WELL_KNOWN_GRPC_PORTS, port.port);
  /** 'vip' for a gRPC dial of the VIP, 'self' for a watching resolver naming the Service, else undefined. */
  const says = (value: string): 'vip' | 'self' | undefined => {
    let verdict: 'vip' | 'self' | undefined;
    for (const m of value.matchAll(global)) {
      // A path after the port (`orders:8080/readyz`) makes it a URL: gRPC targets have none.
      if (value[m.index + m[0].length] === '/') continue;
      const scheme = /([a-z][a-z0-9+.-]*):\/*$/i.exec(value.slice(0, m.index + 1))?.[1]?.toLowerCase();
      if (scheme === 'kubernetes' || scheme === 'xds') verdict ??= 'self';
      else if (scheme && NOT_VIP_SCHEMES.has(scheme)) continue;
      else if (grpcPort || wellKnown || (scheme !== undefined && GRPC_SCHEMES.has(scheme))) return 'vip';
    }
    return verdict;
  };
  const out: ConfigTarget[] = [];
  // Only the values whose hosts can name this Service (indexed once per model: a scan per Service is quadratic).
  const { env, configMaps } = addressIndex(model).get(service.name) ?? { env: [], configMaps: [] };
  for (const { workload: w, env: e } of env) {
    const kind = e.value === undefined ? undefined : says(e.value);
    if (!kind) continue;
    out.push({
      kind,
      at: nodeSpan(w.object, e.valueNode ?? e.node),
      message: `${e.name}=${e.value} names the Service's address`,
      why: `named by ${e.name}=${e.value} in ${w.kind} '${w.name}'`,
    });
  }
  let current: K8sObject | undefined;
  for (const { object: o, key, value } of configMaps) {
    if (o !== current && out.length > 4) break; // a few ConfigMaps are evidence enough
    current = o;
    const kind = says(value);
    if (kind)
      out.push({
        kind,
        at: nameSpan(o),
        message: `ConfigMap '${o.name}' key ${key} names the Service's address`,
        why: `named by ConfigMap '${o.name}' key ${key}`,
      });
  }
  // Envoy's HTTP/2 clusters on the Service's name: whatever their discovery type, a ClusterIP name resolves to the
  // VIP alone, so Envoy holds a few connections (per worker thread) that stay on the pods kube-proxy picked.
  for (const l of model.dials.configLinksTo(service)) {
    if (!l.envoy || l.port !== port) continue;
    const at = l.at ? { file: l.file, start: l.at[0], end: l.at[1] } : l.object && l.node ? nodeSpan(l.object, l.node) : undefined;
    if (!at) continue;
    out.push({
      kind: 'vip',
      at,
      message: `Envoy cluster '${l.envoy.name}' (${l.envoy.type}) sends HTTP/2 to the Service's address`,
      why: `the upstream of Envoy cluster '${l.envoy.name}' (${l.envoy.type}): the name resolves to the ClusterIP alone, so Envoy's few connections stay on the pods kube-proxy picked`,
    });
  }
  return out;
}

type EnvEntry = Workload['containers'][number]['env'][number];
interface AddressUses {
  env: { workload: Workload; env: EnvEntry }[];
  configMaps: { object: K8sObject; key: string; value: string }[];
}
/**
 * Env values and ConfigMap values that hold `host:port`, indexed by the host's first DNS label, once per model:
 * configTargetsNaming then looks only at the values that can name a given Service.
 */
const addresses = new WeakMap<AnalysisModel, Map<string, AddressUses>>();
const HOST_PORT = /(?:^|[\s"'=/,])([a-z0-9][a-z0-9-]*)(?:\.[a-z0-9.-]+)?:[A-Za-z0-9-]/g;
function addressIndex(model: AnalysisModel): Map<string, AddressUses> {
  let index = addresses.get(model);
  if (index) return index;
  const built = new Map<string, AddressUses>();
  const usesOf = (name: string): AddressUses => {
    let uses = built.get(name);
    if (!uses) built.set(name, (uses = { env: [], configMaps: [] }));
    return uses;
  };
  const hosts = (value: string): Set<string> => new Set([...value.matchAll(HOST_PORT)].map((m) => m[1]!));
  for (const workload of model.workloads) {
    for (const c of workload.containers)
      for (const env of c.env) if (env.value !== undefined) for (const h of hosts(env.value)) usesOf(h).env.push({ workload, env });
  }
  for (const object of model.objects) {
    if (object.kind !== 'ConfigMap') continue;
    const data = (object.root.toJSON() as { data?: Record<string, unknown> } | null)?.data ?? {};
    for (const [key, value] of Object.entries(data))
      if (typeof value === 'string') for (const h of hosts(value)) usesOf(h).configMaps.push({ object, key, value });
  }
  addresses.set(model, (index = built));
  return index;
}

/** " With one replica …" when every workload behind the Service runs one pod and no HPA scales it (facts §3.3: not exempt). */
export function scaleNote(model: AnalysisModel, service: Service): string {
  const workloads = model.workloadsSelectedBy(service);
  const single = workloads.length > 0 && workloads.every((w) => (w.replicas ?? 1) === 1 && !model.hpaFor(w));
  return single ? ' With one replica today this bites once there is more than one pod.' : '';
}
