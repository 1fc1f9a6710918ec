// Service mesh membership: a workload whose traffic a mesh proxy carries (and balances per request), from its
// pod template's labels and annotations (linkerd.io/inject, sidecar.istio.io/inject, istio.io/rev, ambient
// istio.io/dataplane-mode) or its Namespace's, unless the pod opts out.
import type { Service, Workload } from '../facts/k8s.js';
import type { K8sObject } from '../facts/manifests.js';
import type { KubernetesIndex } from './kubernetes.js';

export type Mesh = 'linkerd' | 'istio';

export interface MeshEvidence {
  mesh: Mesh;
  /** The object whose label or annotation says so (the workload or its Namespace). */
  object: K8sObject;
  key: string;
}

export class MeshIndex {
  private readonly namespaces: ReadonlyMap<string, K8sObject>;

  constructor(private readonly k8s: KubernetesIndex) {
    this.namespaces = k8s.namespaces;
  }

  /** Is this workload's traffic handled by a service mesh (sidecar or ambient)? */
  meshOf(workload: Workload): MeshEvidence | undefined {
    const pod = { ...workload.podLabels, ...workload.podAnnotations };
    const object = workload.object;
    const linkerd = pod['linkerd.io/inject'];
    const istio = pod['sidecar.istio.io/inject'];
    const ambient = pod['istio.io/dataplane-mode'];
    if (linkerd === 'enabled' || linkerd === 'ingress') return { mesh: 'linkerd', object, key: 'linkerd.io/inject' };
    if (istio === 'true') return { mesh: 'istio', object, key: 'sidecar.istio.io/inject' };
    if (pod['istio.io/rev']) return { mesh: 'istio', object, key: 'istio.io/rev' };
    if (ambient === 'ambient') return { mesh: 'istio', object, key: 'istio.io/dataplane-mode' };
    return this.meshOfNamespace(workload.namespace, { linkerd, istio, ambient });
  }

  /** Mesh evidence for a Service: from any workload it selects, else from its Namespace. */
  meshOfService(service: Service): MeshEvidence | undefined {
    for (const w of this.k8s.workloadsSelectedBy(service)) {
      const mesh = this.meshOf(w);
      if (mesh) return mesh;
    }
    return this.meshOfNamespace(service.namespace, {});
  }

  /** Namespace-wide injection, unless the pod opts out (`linkerd.io/inject: disabled`, `sidecar.istio.io/inject: "false"`, ambient `none`). */
  private meshOfNamespace(name: string | undefined, pod: { linkerd?: string; istio?: string; ambient?: string }): MeshEvidence | undefined {
    const ns = name ? this.namespaces.get(name) : undefined;
    if (!ns) return undefined;
    if (ns.annotations['linkerd.io/inject'] === 'enabled' && pod.linkerd !== 'disabled') return { mesh: 'linkerd', object: ns, key: 'linkerd.io/inject' };
    if (pod.istio !== 'false') {
      if (ns.labels['istio-injection'] === 'enabled') return { mesh: 'istio', object: ns, key: 'istio-injection' };
      if (ns.labels['istio.io/rev']) return { mesh: 'istio', object: ns, key: 'istio.io/rev' };
    }
    if (ns.labels['istio.io/dataplane-mode'] === 'ambient' && pod.ambient !== 'none') return { mesh: 'istio', object: ns, key: 'istio.io/dataplane-mode' };
    return undefined;
  }

}
