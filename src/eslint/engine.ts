// One core Workspace per project (ESLint's cwd) and settings: filled from disk on first use, so a file is
// linted with the evidence of every other file (the Service sees the client that dials it), then kept in
// step with the text ESLint lints (its --fix passes included). Results are cached per workspace version.
//
// Options: the project's .kubeconn.yaml, then `settings.kubeconn` over it (ESLint settings win). Mistakes in
// either are reported as lint messages on the file being linted, never thrown (a throw in a rule would be
// printed by ESLint as a crash of that rule); the valid keys still apply.
import {
  allRules,
  type ConfigProblem,
  configToOptions,
  type Finding,
  mergeOptions,
  OptionsError,
  validateConfig,
  Workspace,
} from '../api.js';
import path from 'node:path';
import { loadProjectConfig } from '../node/config-file.js';
import { collectFiles, excludedBySettings, readForAnalysis } from '../node/files.js';

interface Project {
  ws: Workspace;
  problems: ConfigProblem[];
}

const projects = new Map<string, Project>();
const RULE_IDS = allRules.map((r) => r.id);

function projectFor(cwd: string, settings: unknown): Project {
  const key = `${cwd}\0${JSON.stringify(settings ?? {})}`;
  let project = projects.get(key);
  if (project) return project;
  const fromFile = loadProjectConfig(cwd, RULE_IDS);
  const fromSettings = validateConfig(settings, RULE_IDS, 'settings.kubeconn in the ESLint config');
  const problems = [...fromFile.problems, ...fromSettings.problems];
  // ESLint reads directive comments itself; the engine must not drop those findings first.
  const fromEslint = configToOptions(fromSettings.config, (p) => path.resolve(cwd, p));
  const options = mergeOptions(fromFile.options, fromEslint, { applyDirectiveComments: false });
  let ws: Workspace;
  try {
    ws = new Workspace(options, allRules);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    problems.push({ source: 'kubeconn options', line: 1, column: 1, key: '', message: error.message });
    ws = new Workspace({ applyDirectiveComments: false }, allRules);
  }
  for (const file of collectFiles([cwd], { exclude: ws.options.exclude, include: ws.options.include })) {
    // Unreadable or oversized files are skipped (stat before reading); ESLint reports them when it lints them.
    const read = readForAnalysis(file, ws.options.maxFileBytes);
    if (read.skipped !== undefined) ws.setSkipped(file, read.skipped);
    else ws.setFile(file, read.text);
  }
  project = { ws, problems };
  projects.set(key, project);
  return project;
}

export interface FileAnalysis {
  findings: Finding[];
  /** Rules that failed on an entity of this file, or anywhere (no `file`): reported as messages of that rule. */
  notices: { ruleId: string; message: string; line: number; column: number; inFile: boolean }[];
  /** Config mistakes, to report once on this file. */
  configProblems: ConfigProblem[];
}

/** Findings for the file ESLint is linting, with `text` as ESLint sees it. */
export function analyseForEslint(cwd: string, filename: string, text: string, settings: unknown): FileAnalysis {
  const inProject = path.isAbsolute(filename) && !path.relative(cwd, filename).startsWith('..');
  if (!inProject) return { ...standaloneAnalysis(filename, text, settings), configProblems: [] };
  const { ws, problems } = projectFor(cwd, settings);
  // A file kubeconn's settings exclude (test data, `exclude:`) gets no findings, as in the CLI.
  if (excludedBySettings(path.relative(cwd, filename), ws.options)) return { findings: [], notices: [], configProblems: problems };
  ws.setFile(filename, text);
  return { ...analysisOf(ws, filename), configProblems: problems };
}

/**
 * A file outside the project (stdin, RuleTester) is analysed on its own. Every kubeconn rule asks for the
 * same file in turn, so its workspace is kept (a few at most) and analysed once per text, not once per rule.
 */
const standalone = new Map<string, Workspace>();
const STANDALONE_KEPT = 16;
function standaloneAnalysis(filename: string, text: string, settings: unknown): Omit<FileAnalysis, 'configProblems'> {
  const key = `${filename}\0${JSON.stringify(settings ?? {})}`;
  let ws = standalone.get(key);
  if (ws) standalone.delete(key);
  else
    ws = new Workspace(
      mergeOptions(configToOptions(validateConfig(settings, RULE_IDS, 'settings.kubeconn').config), { applyDirectiveComments: false }),
      allRules,
    );
  standalone.set(key, ws);
  if (standalone.size > STANDALONE_KEPT) standalone.delete(standalone.keys().next().value!);
  ws.setFile(filename, text);
  return analysisOf(ws, filename);
}

function analysisOf(ws: Workspace, filename: string): Omit<FileAnalysis, 'configProblems'> {
  const result = ws.analyze();
  const notices = result.notices
    .filter((n) => !n.at || n.at.file === filename)
    .map((n) => ({
      ruleId: n.ruleId,
      message: n.message,
      line: n.at?.file === filename ? n.at.line : 1,
      column: n.at?.file === filename ? n.at.column : 1,
      inFile: n.at?.file === filename,
    }));
  return { findings: result.byFile.get(filename) ?? [], notices };
}
