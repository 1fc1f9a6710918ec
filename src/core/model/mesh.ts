// Service mesh membership: a workload whose traffic a mesh proxy carries and balances per request (L7). From
// its pod template's labels and annotations (linkerd.io/inject, sidecar.istio.io/inject, istio.io/rev) or its
// Namespace's, unless the pod opts out; from mesh resources in the repository that name the host or namespace
// (Istio DestinationRule / VirtualService / PeerAuthentication / Sidecar, Linkerd ServiceProfile / Server); and
// from the repository's scripts (`kubectl label ns shop istio-injection=enabled`).
// Istio ambient (`istio.io/dataplane-mode: ambient`) counts only with a waypoint (`istio.io/use-waypoint` on the
// pod, Service or Namespace): without one ztunnel is L4 only and balances per connection, like kube-proxy
// (https://istio.io/latest/docs/ambient/architecture/data-plane).
import type { FileFacts } from '../facts/index.js';
import type { Service, Workload } from '../facts/k8s.js';
import type { K8sObject } from '../facts/manifests.js';
import type { ShellScript, ShStatement } from '../facts/shell.js';
import type { KubernetesIndex } from './kubernetes.js';

export type Mesh = 'linkerd' | 'istio';

export interface MeshEvidence {
  mesh: Mesh;
  /** The object whose label, annotation or spec says so (the workload, its Namespace, a mesh resource). */
  object?: K8sObject;
  /** A script that labels the namespace: its file. */
  file?: string;
  key: string;
}

/** Istio and Linkerd resources whose presence for a host or namespace says the mesh carries its traffic. */
const ISTIO_HOSTED = new Set(['DestinationRule', 'VirtualService']);
const NAMESPACED = new Map<string, Mesh>([
  ['PeerAuthentication', 'istio'],
  ['Sidecar', 'istio'],
  ['Server', 'linkerd'],
]);

export class MeshIndex {
  private readonly namespaces: ReadonlyMap<string, K8sObject>;
  /** Service host (`orders`, `orders.shop`) → mesh resource naming it. */
  private readonly hosts = new Map<string, MeshEvidence>();
  /** Namespace → evidence from namespaced mesh resources and scripts. */
  private readonly meshedNamespaces = new Map<string, MeshEvidence>();
  /** Namespaces that scripts label for ambient or a waypoint. */
  private readonly scriptLabels = new Map<string, Record<string, string>>();
  /** meshOf per workload: every Service selecting a workload asks again (n Services over n workloads). */
  private readonly byWorkload = new Map<Workload, MeshEvidence | undefined>();

  constructor(
    private readonly k8s: KubernetesIndex,
    files: ReadonlyMap<string, FileFacts> = new Map(),
  ) {
    this.namespaces = k8s.namespaces;
    for (const o of k8s.objects) this.readResource(o);
    for (const facts of files.values()) if (facts.script) this.readScript(facts.file, facts.script.script);
  }

  /** Is this workload's traffic handled per request by a service mesh (sidecar, or ambient with a waypoint)? */
  meshOf(workload: Workload): MeshEvidence | undefined {
    if (this.byWorkload.has(workload)) return this.byWorkload.get(workload);
    const mesh = this.podMesh(workload);
    this.byWorkload.set(workload, mesh);
    return mesh;
  }

  private podMesh(workload: Workload): MeshEvidence | undefined {
    const pod = { ...workload.podLabels, ...workload.podAnnotations };
    const object = workload.object;
    const linkerd = pod['linkerd.io/inject'];
    const istio = pod['sidecar.istio.io/inject'];
    const ambient = pod['istio.io/dataplane-mode'];
    if (linkerd === 'enabled' || linkerd === 'ingress') return { mesh: 'linkerd', object, key: 'linkerd.io/inject' };
    if (istio === 'true') return { mesh: 'istio', object, key: 'sidecar.istio.io/inject' };
    if (pod['istio.io/rev']) return { mesh: 'istio', object, key: 'istio.io/rev' };
    if (ambient === 'ambient' && this.waypoint(workload.namespace, pod)) return { mesh: 'istio', object, key: 'istio.io/use-waypoint' };
    return this.meshOfNamespace(workload.namespace, { linkerd, istio, ambient }, pod);
  }

  /** Mesh evidence for a Service: a mesh resource naming it, any workload it selects, else its Namespace. */
  meshOfService(service: Service): MeshEvidence | undefined {
    const host = this.hosts.get(service.name) ?? (service.namespace ? this.hosts.get(`${service.name}.${service.namespace}`) : undefined);
    if (host) return host;
    for (const w of this.k8s.workloadsSelectedBy(service)) {
      const mesh = this.meshOf(w);
      if (mesh) return mesh;
    }
    return this.meshOfNamespace(service.namespace, {}, service.object.labels);
  }

  /** Namespace-wide injection, unless the pod opts out (`linkerd.io/inject: disabled`, `sidecar.istio.io/inject: "false"`, ambient `none`). */
  private meshOfNamespace(
    name: string | undefined,
    pod: { linkerd?: string; istio?: string; ambient?: string },
    own: Record<string, string>,
  ): MeshEvidence | undefined {
    const ns = name ? this.namespaces.get(name) : undefined;
    const labels = { ...(ns?.labels ?? {}), ...(name ? this.scriptLabels.get(name) : {}) };
    const annotations = { ...(ns?.annotations ?? {}), ...(name ? this.scriptLabels.get(name) : {}) };
    const from = (key: string): Pick<MeshEvidence, 'object' | 'file' | 'key'> =>
      ns && (ns.labels[key] !== undefined || ns.annotations[key] !== undefined)
        ? { object: ns, key }
        : { file: this.scriptFiles.get(`${name}\0${key}`), key };
    if (annotations['linkerd.io/inject'] === 'enabled' && pod.linkerd !== 'disabled')
      return { mesh: 'linkerd', ...from('linkerd.io/inject') };
    if (pod.istio !== 'false') {
      if (labels['istio-injection'] === 'enabled') return { mesh: 'istio', ...from('istio-injection') };
      if (labels['istio.io/rev']) return { mesh: 'istio', ...from('istio.io/rev') };
    }
    if (labels['istio.io/dataplane-mode'] === 'ambient' && pod.ambient !== 'none' && this.waypoint(name, own))
      return { mesh: 'istio', ...from('istio.io/dataplane-mode') };
    return name ? this.meshedNamespaces.get(name) : undefined;
  }

  /** `istio.io/use-waypoint` on the pod/Service or its Namespace (a value of `none` opts out). */
  private waypoint(namespace: string | undefined, own: Record<string, string>): boolean {
    const value =
      own['istio.io/use-waypoint'] ??
      (namespace
        ? (this.namespaces.get(namespace)?.labels['istio.io/use-waypoint'] ?? this.scriptLabels.get(namespace)?.['istio.io/use-waypoint'])
        : undefined);
    return value !== undefined && value !== 'none';
  }

  private readResource(o: K8sObject): void {
    const group = o.apiVersion.split('/')[0] ?? '';
    const istio = group.endsWith('istio.io');
    const linkerd = group.endsWith('linkerd.io');
    if (!istio && !linkerd) return;
    const spec = (o.root.toJSON() as { spec?: Record<string, unknown> } | null)?.spec ?? {};
    if (istio && ISTIO_HOSTED.has(o.kind)) {
      const hosts = o.kind === 'DestinationRule' ? [spec.host] : Array.isArray(spec.hosts) ? spec.hosts : [];
      for (const h of hosts) if (typeof h === 'string') this.addHost(h, o.namespace, { mesh: 'istio', object: o, key: o.kind });
    } else if (linkerd && o.kind === 'ServiceProfile') {
      this.addHost(o.name, o.namespace, { mesh: 'linkerd', object: o, key: 'ServiceProfile' });
    } else {
      const mesh = NAMESPACED.get(o.kind);
      if (mesh && o.namespace && (mesh === 'istio') === istio) this.meshedNamespaces.set(o.namespace, { mesh, object: o, key: o.kind });
    }
  }

  /** `orders`, `orders.shop`, `orders.shop.svc.cluster.local` → the short names it stands for. */
  private addHost(host: string, namespace: string | undefined, evidence: MeshEvidence): void {
    const [svc, ns] = host.toLowerCase().split('.');
    if (!svc || svc === '*') return;
    this.hosts.set(svc, evidence);
    if (ns ?? namespace) this.hosts.set(`${svc}.${ns ?? namespace}`, evidence);
  }

  private readonly scriptFiles = new Map<string, string>();

  /** `kubectl label ns|namespace <names…> key=value` and `kubectl annotate …` anywhere in a script. */
  private readScript(file: string, script: ShellScript): void {
    const visit = (list: readonly ShStatement[], depth: number): void => {
      if (depth > 6) return;
      for (const s of list) {
        if (s.kind === 'command') {
          const words = [s.name?.value, ...s.args.map((a) => a.value)];
          if (words[0] !== 'kubectl' && words[0] !== 'oc') continue;
          const verb = words.findIndex((w) => w === 'label' || w === 'annotate');
          if (verb === -1 || !['ns', 'namespace', 'namespaces'].includes(words[verb + 1] ?? '')) continue;
          const rest = words.slice(verb + 2).filter((w): w is string => w !== undefined && !w.startsWith('-'));
          const names = rest.filter((w) => !w.includes('='));
          for (const pair of rest.filter((w) => w.includes('='))) {
            const [key, value] = pair.split('=') as [string, string];
            for (const ns of names) {
              this.scriptLabels.set(ns, { ...(this.scriptLabels.get(ns) ?? {}), [key]: value });
              this.scriptFiles.set(`${ns}\0${key}`, file);
            }
          }
        } else if (s.kind === 'list') visit(s.items, depth + 1);
        else if (s.kind === 'group') visit(s.body, depth + 1);
        else if (s.kind === 'branches') for (const b of s.branches) visit(b, depth + 1);
        else if (s.body) visit(s.body, depth + 1);
      }
    };
    visit(script.statements, 0);
    for (const fn of script.functions.values()) visit(fn.body, 1);
  }
}
