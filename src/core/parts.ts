// The analysis of a workspace in parts, for front ends that spread it over threads (src/node/parallel.ts): each
// part's files are extracted where they are read, the islands (islands.ts) are formed from every part's keys,
// and each island is analysed — model, rules, fix verification — in one part. Everything that crosses between
// parts is plain data (file names, keys, identities, findings), never a parsed document.
import { checkModel, problemsOf, type RuleNotice } from './engine.js';
import type { FileFacts } from './facts/index.js';
import type { DeploymentUnit } from './facts/manifests.js';
import type { Finding, ParseProblem } from './finding.js';
import { VerifyCache, verifyFixes, type VerifyCounters } from './fix-verify.js';
import { keysOfModel, type Structure } from './islands.js';
import { AnalysisModel, type FileNames } from './model/index.js';
import type { KubeconnOptions } from './options.js';
import type { Rule } from './rule.js';
import { resolveEnv } from './model/env.js';
import { KubernetesIndex } from './model/kubernetes.js';
import { buildUnits } from './units/index.js';

/** What a part tells about its files: their keys, and the plain manifests' identities (for folder units). */
export interface PartKeys {
  keys: [file: string, provides: string[], uses: string[]][];
  /** Objects of plain manifests (what units/folders.ts groups): file, kind, namespace, name. */
  plain: [file: string, kind: string, namespace: string | undefined, name: string][];
}

/** The keys of a part's files. The part holds whole charts and kustomizations, so their objects render here. */
export function partKeys(files: ReadonlyMap<string, FileFacts>, options: KubeconnOptions, structure: Structure): PartKeys {
  // Only what keys read: the units (charts render, overlays build), the objects' typed views, the env they resolve.
  const units = buildUnits(files, options);
  const k8s = new KubernetesIndex(files, units.objects);
  resolveEnv(k8s);
  const keys = keysOfModel({ files, k8s, options }, structure);
  return {
    keys: [...keys].map(([file, k]) => [file, [...k.provides], [...k.uses]]),
    plain: units.objects.filter((o) => o.unit?.kind === 'folder').map((o) => [o.file, o.kind, o.namespace, o.name]),
  };
}

export interface PartResult {
  findings: Finding[];
  problems: ParseProblem[];
  notices: RuleNotice[];
  counters: VerifyCounters;
}

/**
 * Analyse some islands (`files`: every file of them): what the whole-workspace analysis gives for these files.
 * `folders` are the folder units of the whole workspace, `workspace` every file name (what exists).
 */
export function analyzePart(
  files: ReadonlyMap<string, FileFacts>,
  options: KubeconnOptions,
  rules: readonly Rule[],
  folders: ReadonlyMap<string, DeploymentUnit>,
  workspace: FileNames,
  verify: { fixes: boolean; suggestions: boolean },
): PartResult {
  const model = new AnalysisModel(files, options, folders, workspace);
  const checked = checkModel(model, rules, options);
  const notices: RuleNotice[] = [...model.notices.map((n) => ({ ruleId: '', step: n.step, message: n.message })), ...checked.notices];
  const finished = checked.findings;
  const offered = verify.suggestions ? finished : finished.map((f) => (f.suggestions.length > 0 ? { ...f, suggestions: [] } : f));
  const counters: VerifyCounters = { reanalyses: 0, reparses: 0, dropped: 0, ms: 0 };
  const reanalyse = (edited: Map<string, FileFacts>, ruleIds: ReadonlySet<string>): Finding[] =>
    checkModel(new AnalysisModel(edited, options, folders, workspace), rules, options, ruleIds).findings;
  const findings = verify.fixes ? verifyFixes(files, offered, options, reanalyse, counters, new VerifyCache()) : finished;
  return { findings, problems: problemsOf(model, notices), notices, counters };
}
