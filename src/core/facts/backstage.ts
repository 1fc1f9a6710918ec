// Backstage catalog entities (catalog-info.yaml): Components, APIs (`spec.type: grpc`), Systems, with
// `providesApis` / `consumesApis` and the `backstage.io/kubernetes-id` / `kubernetes-label-selector`
// annotations that tie a Component to its workloads. Read from the YAML objects the manifest extractor
// already parsed, so every entity keeps exact spans.
import type { Extractor, FileFacts } from './index.js';
import type { K8sObject } from './manifests.js';
import { asSeq, get, getIn, str, type YNode } from './yaml-util.js';

export interface EntityRef {
  kind?: string;
  namespace: string;
  name: string;
  /** Where the reference is written (for related locations). */
  node?: YNode;
}

export interface BackstageEntity {
  object: K8sObject;
  kind: string;
  name: string;
  namespace: string;
  title?: string;
  /** `spec.type`: `service`, `website` for Components; `grpc`, `openapi`… for APIs. */
  type?: string;
  owner?: string;
  lifecycle?: string;
  system?: string;
  providesApis: EntityRef[];
  consumesApis: EntityRef[];
  dependsOn: EntityRef[];
  /** `backstage.io/kubernetes-id`: workloads labelled `backstage.io/kubernetes-id: <id>` belong to it. */
  kubernetesId?: string;
  /** `backstage.io/kubernetes-label-selector`: `app=orders,tier=api`. */
  kubernetesLabelSelector?: Record<string, string>;
  kubernetesNamespace?: string;
}

export interface BackstageFacts {
  entities: BackstageEntity[];
}

export const KUBERNETES_ID = 'backstage.io/kubernetes-id';

export function mayHoldBackstage(text: string): boolean {
  return text.includes('backstage.io/');
}

export const backstageExtractor: Extractor = {
  name: 'backstage',
  claims: (file) => /\.ya?ml$/i.test(file),
  mayMatter: mayHoldBackstage,
  extract(facts: FileFacts) {
    // Runs after the manifest extractor, whose objects include the catalog's entities.
    const entities = (facts.manifests?.objects ?? []).filter((o) => o.apiVersion.startsWith('backstage.io/')).map(toEntity);
    if (entities.length > 0) facts.backstage = { entities };
  },
};

function toEntity(object: K8sObject): BackstageEntity {
  const { doc, root } = object;
  const spec = get(root, 'spec', doc);
  const namespace = object.namespace ?? 'default';
  const refs = (key: string, defaultKind: string): EntityRef[] =>
    (asSeq(spec && get(spec, key, doc), doc)?.items ?? []).flatMap((item) => {
      const text = str(item, doc);
      return text ? [{ ...parseEntityRef(text, defaultKind, namespace), node: item }] : [];
    });
  const selector = object.annotations['backstage.io/kubernetes-label-selector'];
  return {
    object,
    kind: object.kind,
    name: object.name,
    namespace,
    title: str(getIn(root, ['metadata', 'title'], doc), doc),
    type: spec ? str(get(spec, 'type', doc), doc) : undefined,
    owner: spec ? str(get(spec, 'owner', doc), doc) : undefined,
    lifecycle: spec ? str(get(spec, 'lifecycle', doc), doc) : undefined,
    system: spec ? str(get(spec, 'system', doc), doc) : undefined,
    providesApis: refs('providesApis', 'api'),
    consumesApis: refs('consumesApis', 'api'),
    dependsOn: refs('dependsOn', 'component'),
    kubernetesId: object.annotations[KUBERNETES_ID] ?? object.labels[KUBERNETES_ID],
    kubernetesLabelSelector: selector ? parseSelector(selector) : undefined,
    kubernetesNamespace: object.annotations['backstage.io/kubernetes-namespace'],
  };
}

/** `[kind:][namespace/]name` (https://backstage.io/docs/features/software-catalog/references). */
export function parseEntityRef(text: string, defaultKind: string, defaultNamespace: string): EntityRef {
  const m = /^(?:([^:/]+):)?(?:([^/]+)\/)?(.+)$/.exec(text.trim())!;
  return { kind: (m[1] ?? defaultKind).toLowerCase(), namespace: m[2] ?? defaultNamespace, name: m[3]! };
}

function parseSelector(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const term of text.split(',')) {
    const m = /^\s*([^=!\s]+)\s*==?\s*([^\s]*)\s*$/.exec(term);
    if (!m) return undefined; // set-based selectors are not matched
    out[m[1]!] = m[2]!;
  }
  return out;
}
