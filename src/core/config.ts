// The project configuration every front end shares: `.kubeconn.yaml` (or kubeconn.config.{yaml,yml,json})
// at the project root, validated against one JSON schema (published as schema/kubeconn.schema.json for
// editors). A mistake is a ConfigProblem with the file, line, column and key; it never throws, and the keys
// that are valid still apply. Where the file comes from (disk, an editor buffer) is the front end's business.
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { globProblem } from './glob-pattern.js';
import type { KubeconnOptions, RuleLevel } from './options.js';

/** File names searched for, in this order, in each folder from the project root upward. */
export const CONFIG_FILE_NAMES = ['.kubeconn.yaml', '.kubeconn.yml', 'kubeconn.config.yaml', 'kubeconn.config.yml', 'kubeconn.config.json'];

/** What a user can write in the config file (and in `settings.kubeconn`, VS Code `kubeconn.*`, CLI flags). */
export interface UserConfig {
  kubernetesVersion?: string;
  rules?: Record<string, RuleLevel>;
  exclude?: string[];
  include?: string[];
  preStopSeconds?: number;
  drainSeconds?: number;
  appProtocol?: 'kubernetes.io/h2c' | 'grpc';
  imageMap?: Record<string, string>;
  helm?: { valuesFiles?: string[]; releaseName?: string; releaseNamespace?: string };
  maxFileBytes?: number;
  maxParseMs?: number;
}

export interface ConfigProblem {
  /** The config file, or a description of the source ("settings.kubeconn"). */
  source: string;
  line: number;
  column: number;
  /** Dotted key path (`rules.prestop-slep`), '' for the whole file. */
  key: string;
  message: string;
  /** 'warning': the value is left out and the run goes on (an unusable exclude pattern); otherwise an error. */
  severity?: 'warning';
}

/** The JSON schema of the config, for a set of rule ids (rule names are checked too). */
export function configSchema(ruleIds: readonly string[]): Record<string, unknown> {
  const seconds = (what: string) => ({ type: 'integer', minimum: 1, maximum: 3600, description: what });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/kubeconn/kubeconn/raw/main/schema/kubeconn.schema.json',
    title: 'kubeconn project configuration (.kubeconn.yaml)',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      kubernetesVersion: {
        type: 'string',
        pattern: '^v?1\\.[0-9]+(\\.[0-9]+)?$',
        description: 'The oldest Kubernetes minor the manifests must work on, e.g. "1.30" (decides the sleep action, stopSignal…).',
      },
      rules: {
        type: 'object',
        description: 'Level per rule id: off, info, warn or error. Rules not named keep their own severity.',
        propertyNames: { enum: [...ruleIds] },
        additionalProperties: { enum: ['off', 'info', 'warn', 'error'] },
      },
      exclude: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'gitignore-style patterns of files never analysed.' },
      include: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description:
          'Patterns analysed although excluded by default (test/, tests/, testdata/, fixtures/ …), also below an excluded folder.',
      },
      preStopSeconds: seconds('Seconds of preStop sleep that fixes insert (default 5).'),
      drainSeconds: seconds('Seconds the app gets to drain after SIGTERM when a fix sizes terminationGracePeriodSeconds (default 10).'),
      appProtocol: {
        enum: ['kubernetes.io/h2c', 'grpc'],
        description: 'appProtocol that fixes write on gRPC ports (default kubernetes.io/h2c).',
      },
      imageMap: {
        type: 'object',
        additionalProperties: { type: 'string', minLength: 1 },
        description: 'Image name (without tag) → Dockerfile path relative to this file, for images kubeconn cannot place by itself.',
      },
      helm: {
        type: 'object',
        additionalProperties: false,
        properties: {
          valuesFiles: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            description: "Values files merged over each chart's values.yaml, in order (relative to this file).",
          },
          releaseName: { type: 'string', minLength: 1 },
          releaseNamespace: { type: 'string', minLength: 1 },
        },
      },
      maxFileBytes: { type: 'integer', minimum: 1, description: 'Files larger than this are skipped with a message (default 5 MB).' },
      maxParseMs: {
        type: 'integer',
        minimum: 1,
        description:
          'Milliseconds of CPU time one file may take to parse and extract; a slower file is skipped with a message (default 10000).',
      },
    },
  };
}

const validators = new Map<string, (data: unknown) => boolean>();
function validatorFor(ruleIds: readonly string[]): ((data: unknown) => boolean) & { errors?: ErrorObject[] | null } {
  const key = ruleIds.join(',');
  let validate = validators.get(key);
  if (!validate) {
    validate = new Ajv({ allErrors: true, strict: true }).compile(configSchema(ruleIds));
    validators.set(key, validate);
  }
  return validate;
}

type Locate = (path: (string | number)[], keyOnly: boolean) => { line: number; column: number };

/** Validate a config value (already parsed). Returns the valid subset and one problem per mistake. */
export function validateConfig(
  value: unknown,
  ruleIds: readonly string[],
  source: string,
  locate: Locate = () => ({ line: 1, column: 1 }),
): { config: UserConfig; problems: ConfigProblem[] } {
  if (value === undefined || value === null) return { config: {}, problems: [] };
  const { config, problems } = validateSchema(value, ruleIds, source, locate);
  const patterns = checkPatterns(config, source, locate);
  return {
    config: patterns.config,
    problems: [...problems, ...patterns.problems].sort((a, b) => a.line - b.line || a.column - b.column),
  };
}

/**
 * Patterns the schema accepts but gitignore cannot use as written (`*.{yaml,yml}` matches a literal brace):
 * a warning each, and the pattern is left out; the other patterns and the default excludes still apply.
 */
function checkPatterns(config: UserConfig, source: string, locate: Locate): { config: UserConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  let out = config;
  for (const key of ['exclude', 'include'] as const) {
    const list = config[key];
    if (!list) continue;
    const kept = list.filter((pattern, i) => {
      const problem = globProblem(pattern);
      if (problem)
        problems.push({
          source,
          ...locate([key, i], false),
          key: `${key}.${i}`,
          message: `${key}: ${problem}; the pattern is ignored`,
          severity: 'warning',
        });
      return problem === undefined;
    });
    if (kept.length !== list.length) out = { ...out, [key]: kept };
  }
  return { config: out, problems };
}

function validateSchema(
  value: object,
  ruleIds: readonly string[],
  source: string,
  locate: Locate,
): { config: UserConfig; problems: ConfigProblem[] } {
  const validate = validatorFor(ruleIds);
  if (validate(value)) return { config: value, problems: [] };
  const problems: ConfigProblem[] = [];
  const bad = new Set<string>();
  for (const error of validate.errors ?? []) {
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    let keyOnly = false;
    let message: string;
    if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(schemaAt(configSchema(ruleIds), path)?.properties ?? {});
      path.push(extra);
      keyOnly = true;
      message = `unknown key '${extra}'${didYouMean(extra, known)}`;
    } else if (error.keyword === 'propertyNames') {
      const name = (error.params as { propertyName: string }).propertyName;
      path.push(name);
      keyOnly = true;
      message = `unknown rule '${name}'${didYouMean(name, ruleIds)}`;
    } else if (error.schemaPath.includes('/propertyNames/')) {
      continue; // reported by the propertyNames error of the same key
    } else {
      message = `${path.join('.') || 'the config'} ${error.message ?? 'is invalid'}${error.keyword === 'enum' ? `: ${(error.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')}` : ''}`;
    }
    const key = path.join('.');
    if (bad.has(`${key}\0${message}`)) continue;
    bad.add(`${key}\0${message}`);
    problems.push({ source, ...locate(path, keyOnly), key, message });
  }
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return {
    config: dropInvalid(
      value as Record<string, unknown>,
      problems.map((p) => p.key),
      ruleIds,
    ),
    problems,
  };
}

/** The config without the keys that have problems (the rest still applies). */
function dropInvalid(value: Record<string, unknown>, badKeys: string[], ruleIds: readonly string[]): UserConfig {
  if (typeof value !== 'object' || Array.isArray(value)) return {};
  const copy = structuredClone(value);
  for (const key of badKeys) {
    const parts = key.split('.');
    // A bad rule level or an unknown rule drops that rule; a bad list item drops the list.
    const top = parts[0]!;
    if ((top === 'rules' || top === 'imageMap') && parts.length === 2)
      delete (copy[top] as Record<string, unknown> | undefined)?.[parts[1]!];
    else if (top === 'helm' && parts.length >= 2) delete (copy.helm as Record<string, unknown> | undefined)?.[parts[1]!];
    else Reflect.deleteProperty(copy, top);
  }
  const validate = validatorFor(ruleIds);
  return validate(copy) ? copy : {};
}

function schemaAt(schema: Record<string, unknown>, path: string[]): { properties?: Record<string, unknown> } | undefined {
  let node: Record<string, unknown> | undefined = schema;
  for (const part of path) node = (node?.properties as Record<string, Record<string, unknown>> | undefined)?.[part];
  return node;
}

function didYouMean(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? ` (did you mean '${best}'?)` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

/** Parse and validate the text of a config file (YAML or JSON). */
export function parseConfigFile(file: string, text: string, ruleIds: readonly string[]): { config: UserConfig; problems: ConfigProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const at = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    return {
      config: {},
      problems: [{ source: file, ...at(error.pos[0]), key: '', message: `YAML syntax error: ${error.message.split('\n')[0]}` }],
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    return { config: {}, problems: [{ source: file, line: 1, column: 1, key: '', message: (error as Error).message }] };
  }
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
    return {
      config: {},
      problems: [
        { source: file, line: 1, column: 1, key: '', message: 'the config must be a mapping of settings (kubernetesVersion, rules, …)' },
      ],
    };
  }
  const locate = (path: (string | number)[], keyOnly: boolean) => {
    const node = nodeAt(doc.contents, path, keyOnly);
    return node?.range ? at(node.range[0]) : { line: 1, column: 1 };
  };
  return validateConfig(value, ruleIds, file, locate);
}

/** The node at a path; with keyOnly, the key node of the last segment (for unknown keys). */
function nodeAt(root: YamlNode | null, path: (string | number)[], keyOnly: boolean): YamlNode | undefined {
  let node: YamlNode | null | undefined = root;
  let lastKey: YamlNode | undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part));
      if (!pair) return node;
      lastKey = pair.key as YamlNode;
      node = pair.value as YamlNode | null;
    } else if (isSeq(node)) {
      node = node.items[Number(part)] as YamlNode | undefined;
      lastKey = undefined;
    } else break;
  }
  return keyOnly && lastKey ? lastKey : (node ?? lastKey);
}

/** A user config as engine options (paths made absolute against the config's folder by `resolvePath`). */
export function configToOptions(config: UserConfig, resolvePath: (p: string) => string = (p) => p): Partial<KubeconnOptions> {
  const out: Partial<KubeconnOptions> = {};
  if (config.kubernetesVersion !== undefined) out.kubernetesVersion = config.kubernetesVersion;
  if (config.rules) out.rules = { ...config.rules };
  if (config.preStopSeconds !== undefined) out.preStopSeconds = config.preStopSeconds;
  if (config.drainSeconds !== undefined) out.drainSeconds = config.drainSeconds;
  if (config.appProtocol !== undefined) out.appProtocol = config.appProtocol;
  if (config.maxFileBytes !== undefined) out.maxFileBytes = config.maxFileBytes;
  if (config.maxParseMs !== undefined) out.maxParseMs = config.maxParseMs;
  if (config.imageMap)
    out.imageMap = Object.fromEntries(Object.entries(config.imageMap).map(([image, file]) => [image, resolvePath(file)]));
  if (config.exclude) out.exclude = [...config.exclude];
  if (config.include) out.include = [...config.include];
  if (config.helm) {
    out.helm = {
      valuesFiles: (config.helm.valuesFiles ?? []).map(resolvePath),
      releaseName: config.helm.releaseName,
      releaseNamespace: config.helm.releaseNamespace,
    };
  }
  return out;
}

/** Layer option sets: later layers win; `rules` and `imageMap` merge key by key, `exclude`/`include` add up. */
export function mergeOptions(...layers: (Partial<KubeconnOptions> | undefined)[]): Partial<KubeconnOptions> {
  const out: Partial<KubeconnOptions> = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer) as [keyof KubeconnOptions, unknown][]) {
      if (value === undefined) continue;
      if (key === 'rules' || key === 'imageMap')
        (out as Record<string, unknown>)[key] = { ...(out[key] as object | undefined), ...(value as object) };
      else if (key === 'exclude' || key === 'include') out[key] = [...(out[key] ?? []), ...(value as string[])];
      else (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}
