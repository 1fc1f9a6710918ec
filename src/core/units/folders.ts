// Plain manifests as deployment units by folder. A repository often holds alternative setups of one system
// side by side — `deploy/dev/` and `deploy/prod/`, a `release/` bundle next to the per-service manifests —
// with the same Service names. Joining them as one graph lets a Service select the other variant's
// Deployment and a client link to the wrong Service. So a folder whose sub-folders define the same object
// (kind, namespace, name) more than once is split: each such sub-folder is a unit of its own (and split
// again the same way); otherwise the folder and everything under it is one unit.
import path from 'node:path';
import type { DeploymentUnit, K8sObject } from '../facts/manifests.js';
import { pushTo } from '../multimap.js';

const posix = path.posix;
const IDENTITY_KINDS = new Set([
  'Service',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Pod',
  'Job',
  'CronJob',
  'Rollout',
  'ConfigMap',
]);

export function folderUnits(objects: readonly K8sObject[]): { unit: DeploymentUnit; objects: K8sObject[] }[] {
  if (objects.length === 0) return [];
  const out: { unit: DeploymentUnit; objects: K8sObject[] }[] = [];
  split(commonFolder(objects.map((o) => o.file)), [...objects], out);
  return out;
}

function split(dir: string, objects: K8sObject[], out: { unit: DeploymentUnit; objects: K8sObject[] }[]): void {
  const groups = new Map<string, K8sObject[]>();
  for (const o of objects) {
    const rel = posix.relative(dir, posix.dirname(o.file));
    const first = rel === '' ? '.' : rel.split('/')[0]!;
    pushTo(groups, first, o);
  }
  const childGroups = [...groups].filter(([name]) => name !== '.');
  if (childGroups.length >= 2 && definedTwice(childGroups.map(([, list]) => list))) {
    // Variants: each sub-folder on its own; files directly in `dir` form a unit of their own.
    const direct = groups.get('.');
    if (direct) out.push({ unit: unitOf(dir), objects: direct });
    for (const [name, list] of childGroups) split(posix.join(dir, name), list, out);
    return;
  }
  out.push({ unit: unitOf(dir), objects });
}

/** Does an identity (kind, namespace, name) occur in more than one of the groups? */
function definedTwice(groups: K8sObject[][]): boolean {
  const seen = new Map<string, number>();
  for (const [i, list] of groups.entries()) {
    for (const o of list) {
      if (!IDENTITY_KINDS.has(o.kind) || !o.name) continue;
      const key = `${o.kind}/${o.namespace ?? ''}/${o.name}`;
      const first = seen.get(key);
      if (first !== undefined && first !== i) return true;
      if (first === undefined) seen.set(key, i);
    }
  }
  return false;
}

function unitOf(dir: string): DeploymentUnit {
  return { id: `folder:${dir}`, kind: 'folder', root: dir, includes: [] };
}

/** The deepest folder holding every file ('/'-separated paths). */
export function commonFolder(files: readonly string[]): string {
  if (files.length === 0) return '.';
  let prefix = posix.dirname(files[0]!.replace(/\\/g, '/'));
  for (const f of files) {
    const dir = posix.dirname(f.replace(/\\/g, '/'));
    while (prefix !== '/' && prefix !== '.' && dir !== prefix && !dir.startsWith(`${prefix}/`)) prefix = posix.dirname(prefix);
  }
  return prefix;
}
