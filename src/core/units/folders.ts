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
  // Each object's folder, once ('/'-separated as commonFolder reads it): split() descends one level at a time.
  const dirs = new Map(objects.map((o) => [o, posix.dirname(o.file.replace(/\\/g, '/'))]));
  split(commonFolder(objects.map((o) => o.file)), [...objects], dirs, out);
  return out;
}

function split(
  dir: string,
  objects: K8sObject[],
  dirs: ReadonlyMap<K8sObject, string>,
  out: { unit: DeploymentUnit; objects: K8sObject[] }[],
): void {
  const groups = new Map<string, K8sObject[]>();
  for (const o of objects) pushTo(groups, firstFolder(dir, dirs.get(o)!), o);
  const childGroups = [...groups].filter(([name]) => name !== '.');
  if (childGroups.length >= 2 && definedTwice(childGroups.map(([, list]) => list))) {
    // Variants: each sub-folder on its own; files directly in `dir` form a unit of their own.
    const direct = groups.get('.');
    if (direct) out.push({ unit: unitOf(dir), objects: direct });
    for (const [name, list] of childGroups) split(posix.join(dir, name), list, dirs, out);
    return;
  }
  out.push({ unit: unitOf(dir), objects });
}

/** The first folder of `sub` below `dir` ('.' for `dir` itself); `dir` holds `sub` (commonFolder made it so). */
function firstFolder(dir: string, sub: string): string {
  if (sub === dir) return '.';
  const prefix = dir === '/' ? '/' : dir === '.' ? '' : `${dir}/`;
  if (!sub.startsWith(prefix)) {
    // Not below dir (relative paths around '.'): what posix.relative would name.
    const rel = posix.relative(dir, sub);
    return rel === '' ? '.' : rel.split('/')[0]!;
  }
  const rest = sub.slice(prefix.length);
  const slash = rest.indexOf('/');
  return slash === -1 ? rest : rest.slice(0, slash);
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
