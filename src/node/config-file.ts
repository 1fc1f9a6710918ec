// Finding and reading the project config file from disk, for the CLI, the ESLint plugin and the editor:
// the nearest `.kubeconn.yaml` (or kubeconn.config.{yaml,yml,json}) in the start folder or above it, up to
// the repository root (a folder with .git) or the file system root.
import { CONFIG_FILE_NAMES, type ConfigProblem, configToOptions, type KubeconnOptions, parseConfigFile } from '../api.js';
import fs from 'node:fs';
import path from 'node:path';

export interface ProjectConfig {
  /** The config file found, if any. */
  file?: string;
  options: Partial<KubeconnOptions>;
  problems: ConfigProblem[];
}

export function findConfigFile(startDir: string): string | undefined {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
    }
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return undefined;
  }
}

/** Read the config file at `file` (or found from `startDir`); a missing file is an empty config. */
export function loadProjectConfig(startDir: string, ruleIds: readonly string[], file = findConfigFile(startDir)): ProjectConfig {
  if (!file) return { options: {}, problems: [] };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return {
      file,
      options: {},
      problems: [{ source: file, line: 1, column: 1, key: '', message: `cannot read the config: ${(error as Error).message}` }],
    };
  }
  const { config, problems } = parseConfigFile(file, text, ruleIds);
  const dir = path.dirname(file);
  return { file, options: configToOptions(config, (p) => path.resolve(dir, p)), problems };
}

/** `file:line:column: message (key)` for terminals and logs. */
export function formatConfigProblem(problem: ConfigProblem, cwd = process.cwd()): string {
  const where = path.isAbsolute(problem.source) ? path.relative(cwd, problem.source) || problem.source : problem.source;
  return `${where}:${problem.line}:${problem.column}: ${problem.message}`;
}
