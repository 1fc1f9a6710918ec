// The env a container runs with. Addresses often reach code through ConfigMaps rather than literal `env`
// entries: `valueFrom.configMapKeyRef`/`secretKeyRef` look a key up, `envFrom` brings every key of a
// ConfigMap or Secret (optionally prefixed; explicit `env` entries win). Looked up in the container's own
// deployment unit and namespace (generated ConfigMaps of a kustomization included); a value found this way
// points at the ConfigMap line that holds it, so evidence and fixes land there.
import { isMap, isScalar, type Pair } from 'yaml';
import type { Container, EnvVar } from '../facts/k8s.js';
import type { K8sObject } from '../facts/manifests.js';
import { get, scalarText, type YNode } from '../facts/yaml-util.js';
import { sameUnit } from '../units/index.js';
import { sameNamespace, type KubernetesIndex } from './kubernetes.js';
import { pushTo } from '../multimap.js';

interface Entry {
  value: string;
  node: YNode;
  pair: Pair;
}

/** Give every container of the index its resolved env (a new list each analysis; the views stay as written). */
export function resolveEnv(k8s: KubernetesIndex): void {
  const stores = new Map<string, K8sObject[]>();
  for (const o of k8s.objects) {
    if (o.kind !== 'ConfigMap' && o.kind !== 'Secret') continue;
    const key = `${o.kind}/${o.name}`;
    pushTo(stores, key, o);
  }
  const dataOf = new Map<K8sObject, Map<string, Entry>>();
  const lookup = (
    container: Container,
    kind: 'ConfigMap' | 'Secret',
    name: string,
  ): { object: K8sObject; data: Map<string, Entry> } | undefined => {
    const owner = container.workload.object;
    const candidates = (stores.get(`${kind}/${name}`) ?? []).filter(
      (o) => sameUnit(o, owner) && sameNamespace(o.namespace, owner.namespace),
    );
    const object = candidates.find((o) => o.unit === owner.unit) ?? candidates[0];
    if (!object) return undefined;
    let data = dataOf.get(object);
    if (!data) dataOf.set(object, (data = entries(object)));
    return { object, data };
  };
  for (const w of k8s.workloads) {
    for (const c of [...w.containers, ...w.initContainers]) {
      if (c.envFrom.length === 0 && !c.declaredEnv.some((e) => e.ref)) {
        c.env = c.declaredEnv;
        continue;
      }
      const env: EnvVar[] = [];
      for (const source of c.envFrom) {
        const found = lookup(c, source.kind, source.name);
        for (const [key, e] of found?.data ?? []) {
          env.push({ name: `${source.prefix}${key}`, value: e.value, node: e.pair as never, valueNode: e.node, from: found!.object });
        }
      }
      for (const declared of c.declaredEnv) {
        const at = env.findIndex((e) => e.name === declared.name);
        if (at !== -1) env.splice(at, 1); // explicit env wins over envFrom
        if (declared.ref && declared.value === undefined) {
          const found = lookup(c, declared.ref.kind, declared.ref.name);
          const e = found?.data.get(declared.ref.key);
          env.push(e ? { ...declared, value: e.value, valueNode: e.node, from: found!.object } : declared);
        } else env.push(declared);
      }
      c.env = env;
    }
  }
}

/** A ConfigMap's `data` (and a Secret's `stringData`, or base64 `data` decoded) with the nodes holding each value. */
function entries(object: K8sObject): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const read = (key: string, decode: boolean): void => {
    const map = get(object.root, key, object.doc);
    if (!isMap(map)) return;
    for (const pair of map.items) {
      if (!isScalar(pair.key) || !isScalar(pair.value) || pair.value.value == null) continue;
      const raw = scalarText(pair.value);
      const value = decode ? decodeBase64(raw) : raw;
      if (value !== undefined) out.set(String(pair.key.value), { value, node: pair.value as YNode, pair: pair });
    }
  };
  if (object.kind === 'Secret') {
    read('data', true);
    read('stringData', false);
  } else read('data', false);
  return out;
}

function decodeBase64(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/=\s]*$/.test(value)) return undefined;
  const text = Buffer.from(value.replace(/\s+/g, ''), 'base64').toString('utf8');
  return /^[\x20-\x7e]*$/.test(text) ? text : undefined;
}
