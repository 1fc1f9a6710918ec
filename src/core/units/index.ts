// The units stage, between the facts and the model: which objects a repository deploys together. Helm
// charts are rendered (units/helm.ts), Kustomize overlays built (units/kustomize.ts), and the remaining
// plain manifests grouped by folder, with variant folders apart (units/folders.ts). Every object gets its
// unit; the model selects and links inside a unit first.
import type { FileFacts } from '../facts/index.js';
import type { DeploymentUnit, K8sObject } from '../facts/manifests.js';
import type { ParseProblem } from '../finding.js';
import type { KubeconnOptions } from '../options.js';
import { folderUnits } from './folders.js';
import { helmUnits } from './helm.js';
import { kustomizeUnits } from './kustomize.js';

export interface Units {
  units: DeploymentUnit[];
  /** Every object of every unit, in file order. */
  objects: K8sObject[];
  /** Problems found while rendering or building (template syntax, documents that do not render to YAML). */
  problems: ParseProblem[];
  /** What could not be known and why (for `kubeconn check --debug`). */
  debug: string[];
}

/**
 * `folders`: the folder unit of every plain manifest, from an analysis of the whole workspace (an incremental
 * analysis builds the units of part of the workspace, where folder variants cannot be told apart: their
 * folders are kept as the whole workspace's analysis found them). A plain manifest missing from it is an error.
 */
export function buildUnits(
  files: ReadonlyMap<string, FileFacts>,
  options: KubeconnOptions,
  folders?: ReadonlyMap<string, DeploymentUnit>,
): Units {
  const helm = helmUnits(files, options);
  const kustomize = kustomizeUnits(files);
  const plain: K8sObject[] = [];
  for (const facts of files.values()) {
    if (helm.rendered.has(facts.file) || kustomize.consumed.has(facts.file) || facts.kustomization) continue;
    plain.push(...(facts.manifests?.objects ?? []));
  }
  const all = [...helm.units, ...kustomize.units, ...(folders ? keptFolderUnits(plain, folders) : folderUnits(plain))];
  const objects: K8sObject[] = [];
  for (const { unit, objects: list } of all) {
    for (const o of list) {
      o.unit = unit;
      objects.push(o);
    }
  }
  objects.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.index - b.index));
  return {
    units: all.map((u) => u.unit),
    objects,
    problems: [...helm.problems, ...kustomize.problems],
    debug: [...helm.debug, ...kustomize.debug],
  };
}

function keptFolderUnits(
  objects: readonly K8sObject[],
  folders: ReadonlyMap<string, DeploymentUnit>,
): { unit: DeploymentUnit; objects: K8sObject[] }[] {
  const byUnit = new Map<DeploymentUnit, K8sObject[]>();
  for (const o of objects) {
    const unit = folders.get(o.file);
    if (!unit) throw new Error(`no folder unit is known for ${o.file}`);
    const list = byUnit.get(unit);
    if (list) list.push(o);
    else byUnit.set(unit, [o]);
  }
  return [...byUnit].map(([unit, list]) => ({ unit, objects: list }));
}

/** Do two objects deploy together (the same unit, or one unit includes the other's)? */
export function sameUnit(a: K8sObject, b: K8sObject): boolean {
  if (!a.unit || !b.unit || a.unit === b.unit) return true;
  return includes(a.unit, b.unit) || includes(b.unit, a.unit);
}

function includes(outer: DeploymentUnit, inner: DeploymentUnit, depth = 0): boolean {
  return depth < 16 && outer.includes.some((u) => u === inner || includes(u, inner, depth + 1));
}
