// Backstage catalog entities of the workspace (catalog-info.yaml) joined to the workloads they describe:
// evidence that a Service speaks gRPC (a Component providing an API of type grpc), and the grouping of the
// component catalog (model/catalog.ts).
import type { BackstageEntity } from '../facts/backstage.js';
import type { FileFacts } from '../facts/index.js';
import type { Service, Workload } from '../facts/k8s.js';
import type { KubernetesIndex } from './kubernetes.js';

/** Backstage: Components that own a workload (`backstage.io/kubernetes-id` label or the label selector). */
export class BackstageIndex {
  readonly entities: BackstageEntity[] = [];

  constructor(
    files: ReadonlyMap<string, FileFacts>,
    private readonly k8s: KubernetesIndex,
  ) {
    for (const f of files.values()) this.entities.push(...(f.backstage?.entities ?? []));
  }

  get components(): BackstageEntity[] {
    return this.entities.filter((e) => e.kind === 'Component');
  }

  get apis(): BackstageEntity[] {
    return this.entities.filter((e) => e.kind === 'API');
  }

  get systems(): BackstageEntity[] {
    return this.entities.filter((e) => e.kind === 'System');
  }

  /** Workloads a Component runs as. */
  workloadsOf(component: BackstageEntity): Workload[] {
    return this.k8s.workloads.filter((w) => {
      if (component.kubernetesNamespace && w.namespace && w.namespace !== component.kubernetesNamespace) return false;
      const labels = { ...w.object.labels, ...w.podLabels };
      if (component.kubernetesId && labels['backstage.io/kubernetes-id'] === component.kubernetesId) return true;
      const sel = component.kubernetesLabelSelector;
      return sel !== undefined && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
    });
  }

  componentsOf(workload: Workload): BackstageEntity[] {
    return this.components.filter((c) => this.workloadsOf(c).includes(workload));
  }

  /** The API entity a ref names. */
  api(ref: { namespace: string; name: string }): BackstageEntity | undefined {
    return this.apis.find((a) => a.name === ref.name && a.namespace === ref.namespace);
  }

  /** gRPC APIs (spec.type grpc) the Components behind a Service provide: catalog evidence that it speaks gRPC. */
  grpcApisBehind(service: Service): { component: BackstageEntity; api: BackstageEntity }[] {
    const out: { component: BackstageEntity; api: BackstageEntity }[] = [];
    for (const w of this.k8s.workloadsSelectedBy(service)) {
      for (const component of this.componentsOf(w)) {
        for (const ref of component.providesApis) {
          const api = this.api(ref);
          if (api?.type?.toLowerCase() === 'grpc' && !out.some((o) => o.api === api)) out.push({ component, api });
        }
      }
    }
    return out;
  }

  /** Components that consume an API. */
  consumersOf(api: BackstageEntity): BackstageEntity[] {
    return this.components.filter((c) => c.consumesApis.some((r) => r.name === api.name && r.namespace === api.namespace));
  }

  /** Entities of a System (Components, APIs, Resources with spec.system). */
  inSystem(system: string): BackstageEntity[] {
    return this.entities.filter((e) => e.system === system);
  }
}
