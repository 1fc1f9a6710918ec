// `kubeconn.*` settings → engine options. Each setting is validated on its own with the core's
// resolveOptions, so one bad value falls back to its default (with a message naming it) and the
// others still apply.
import { type KubeconnOptions, OptionsError, resolveOptions, type RuleLevel } from '../api.js';
import path from 'node:path';
import * as vscode from 'vscode';

export interface EditorSettings {
  options: Partial<KubeconnOptions>;
  /** Globs (relative to a workspace folder) of files never analysed. */
  exclude: string[];
  /** One message per invalid setting, for the user. */
  errors: string[];
}

export const DEFAULT_EXCLUDE = ['**/node_modules/**', '**/.git/**'];

const LEVELS: Record<string, RuleLevel> = { off: 'off', info: 'info', warn: 'warn', warning: 'warn', error: 'error' };

export function readSettings(config: vscode.WorkspaceConfiguration = vscode.workspace.getConfiguration('kubeconn')): EditorSettings {
  const errors: string[] = [];
  const options: Partial<KubeconnOptions> = { applyDirectiveComments: true };
  const accept = <K extends keyof KubeconnOptions>(key: K, setting: string, value: KubeconnOptions[K] | undefined): void => {
    if (value === undefined) return;
    try {
      resolveOptions({ [key]: value });
      options[key] = value;
    } catch (error) {
      if (!(error instanceof OptionsError)) throw error;
      errors.push(`kubeconn.${setting}: ${error.message}; using the default.`);
    }
  };

  accept('kubernetesVersion', 'kubernetesVersion', config.get<string>('kubernetesVersion'));
  accept('preStopSeconds', 'preStopSeconds', config.get<number>('preStopSeconds'));
  accept('drainSeconds', 'drainSeconds', config.get<number>('drainSeconds'));

  const rules: Record<string, RuleLevel> = {};
  for (const [id, level] of Object.entries(config.get<Record<string, unknown>>('rules') ?? {})) {
    const normalized = typeof level === 'string' ? LEVELS[level] : undefined;
    if (normalized) rules[id.replace(/^kubeconn\//, '')] = normalized;
    else errors.push(`kubeconn.rules: the level of ${id} must be off, info, warn or error, got ${JSON.stringify(level)}; the rule keeps its default.`);
  }
  options.rules = rules;

  const imageMap: Record<string, string> = {};
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  for (const [image, dockerfile] of Object.entries(config.get<Record<string, unknown>>('imageMap') ?? {})) {
    if (typeof dockerfile !== 'string' || dockerfile === '') {
      errors.push(`kubeconn.imageMap: the Dockerfile of ${image} must be a path, got ${JSON.stringify(dockerfile)}; ignored.`);
      continue;
    }
    // The engine keys files by absolute path; settings are written relative to the workspace.
    imageMap[image] = root && !path.isAbsolute(dockerfile) ? path.join(root, dockerfile) : dockerfile;
  }
  options.imageMap = imageMap;

  const exclude = config.get<unknown>('exclude');
  let globs = DEFAULT_EXCLUDE;
  if (Array.isArray(exclude) && exclude.every((g) => typeof g === 'string')) globs = exclude as string[];
  else if (exclude !== undefined) errors.push('kubeconn.exclude: must be a list of glob patterns; using the default.');
  return { options, exclude: globs, errors };
}

/**
 * A glob as a RegExp over '/'-separated relative paths: `**` any number of segments, `*` and `?` within
 * one segment, `{a,b}` alternatives. (VS Code's own matcher is not exposed for plain paths.)
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') (out += '(?:'), depth++;
    else if (c === '}' && depth > 0) (out += ')'), depth--;
    else if (c === ',' && depth > 0) out += '|';
    else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
