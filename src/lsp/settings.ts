// The editor's `kubeconn.*` settings (as `workspace/configuration` returns them, or as a client without it
// sends them) → options, layered over the project's `.kubeconn.yaml`: a setting the user set in the editor
// wins, one left unset keeps the config file's value. Each setting is validated on its own with the core's
// resolveOptions, so one bad value falls back (with a message naming it) and the others still apply.
import { type KubeconnOptions, mergeOptions, OptionsError, resolveOptions, type RuleLevel } from '../api.js';
import path from 'node:path';
import { globProblem } from '../node/files.js';

export interface EditorSettings {
  options: Partial<KubeconnOptions>;
  groupBy: 'auto' | 'namespace' | 'system';
  /** One message per invalid setting, for the user. */
  errors: string[];
}

const LEVELS: Record<string, RuleLevel> = { off: 'off', info: 'info', warn: 'warn', warning: 'warn', error: 'error' };

/** `settings` is the `kubeconn` section; `root` resolves relative paths (imageMap). Unknown keys are ignored. */
export function readSettings(settings: unknown, root: string | undefined): EditorSettings {
  const errors: string[] = [];
  const options: Partial<KubeconnOptions> = {};
  const config = settings !== null && typeof settings === 'object' && !Array.isArray(settings) ? (settings as Record<string, unknown>) : {};
  if (settings !== undefined && settings !== null && config !== settings)
    errors.push('kubeconn: the settings must be an object of kubeconn.* keys; ignored.');
  const accept = (key: keyof KubeconnOptions, value: unknown): void => {
    if (value === undefined || value === null) return;
    try {
      resolveOptions({ [key]: value });
      (options as Record<string, unknown>)[key] = value;
    } catch (error) {
      // Settings come from the workspace: whatever the value, a warning and the default, never a failed server.
      errors.push(
        `kubeconn.${key}: ${error instanceof OptionsError ? error.message : `invalid value ${JSON.stringify(value)}`}; using the default.`,
      );
    }
  };
  accept('kubernetesVersion', config.kubernetesVersion);
  accept('preStopSeconds', config.preStopSeconds);
  accept('drainSeconds', config.drainSeconds);
  accept('appProtocol', config.appProtocol);

  if (config.rules !== undefined && config.rules !== null) {
    const rules: Record<string, RuleLevel> = {};
    const entries = typeof config.rules === 'object' && !Array.isArray(config.rules) ? Object.entries(config.rules) : undefined;
    if (!entries) errors.push('kubeconn.rules: must map rule ids to off, info, warn or error; ignored.');
    for (const [id, level] of entries ?? []) {
      const normalized = typeof level === 'string' ? LEVELS[level] : undefined;
      if (normalized) rules[id.replace(/^kubeconn\//, '')] = normalized;
      else
        errors.push(
          `kubeconn.rules: the level of ${id} must be off, info, warn or error, got ${JSON.stringify(level)}; the rule keeps its default.`,
        );
    }
    options.rules = rules;
  }

  if (config.imageMap !== undefined && config.imageMap !== null) {
    const imageMap: Record<string, string> = {};
    if (typeof config.imageMap !== 'object' || Array.isArray(config.imageMap))
      errors.push('kubeconn.imageMap: must map image names to Dockerfile paths; ignored.');
    for (const [image, dockerfile] of Object.entries(
      typeof config.imageMap === 'object' && !Array.isArray(config.imageMap) ? config.imageMap : {},
    )) {
      if (typeof dockerfile !== 'string' || dockerfile === '') {
        errors.push(`kubeconn.imageMap: the Dockerfile of ${image} must be a path, got ${JSON.stringify(dockerfile)}; ignored.`);
        continue;
      }
      // The engine keys files by absolute path; settings are written relative to the workspace.
      imageMap[image] = root && !path.isAbsolute(dockerfile) ? path.join(root, dockerfile) : dockerfile;
    }
    options.imageMap = imageMap;
  }

  if (config.exclude !== undefined && config.exclude !== null) {
    const problems = Array.isArray(config.exclude)
      ? config.exclude.flatMap((g) => globProblem(g) ?? [])
      : ['must be a list of glob patterns'];
    if (problems.length === 0) options.exclude = config.exclude as string[];
    else errors.push(`kubeconn.exclude: ${problems.join('; ')}; using the default.`);
  }

  const catalog = config.catalog !== null && typeof config.catalog === 'object' ? (config.catalog as Record<string, unknown>) : {};
  const groupBy = catalog.groupBy ?? config['catalog.groupBy'];
  let group: EditorSettings['groupBy'] = 'auto';
  if (groupBy === 'auto' || groupBy === 'namespace' || groupBy === 'system') group = groupBy;
  else if (groupBy !== undefined)
    errors.push(`kubeconn.catalog.groupBy: must be auto, namespace or system, got ${JSON.stringify(groupBy)}; using auto.`);
  return { options, groupBy: group, errors };
}

/** The options an analysis runs with: the config file, then the editor's settings (editor wins key by key). */
export function effectiveOptions(project: Partial<KubeconnOptions>, editor: Partial<KubeconnOptions>): Partial<KubeconnOptions> {
  return { ...mergeOptions(project, editor), applyDirectiveComments: true };
}
