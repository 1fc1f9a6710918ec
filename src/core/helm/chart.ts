// Chart loading from a map of files: Chart.yaml as Helm's .Chart (Name, Version, AppVersion…), values.yaml,
// templates, and subcharts under charts/<dir>/ (recursively), with Chart.yaml dependencies (alias,
// condition, tags) deciding which subcharts are enabled.

import type { ChartInput, Diagnostic } from './types.js';
import { parseValues, pathValue } from './values.js';
import { getKey, isMap, setKey, type GoMap } from './value.js';

export interface ChartFile {
  /** The key in ChartInput.files. */
  key: string;
  text: string;
}

/** The chart's files by path relative to the root ('templates/x.yaml', 'charts/redis/values.yaml'). */
export type ChartFiles = Map<string, ChartFile>;

export interface Dependency {
  name: string;
  alias?: string;
  condition?: string;
  tags: string[];
}

export interface LoadedChart {
  /** Chart name (a dependency's alias when it has one). */
  name: string;
  /** Folder relative to the root: '' for the top chart, 'charts/redis/' for a subchart. */
  dir: string;
  /** Helm's full path, the prefix of template names: 'shop' or 'shop/charts/redis'. */
  fullPath: string;
  /** `.Chart`. */
  metadata: GoMap;
  defaults: GoMap;
  templates: ChartFile[];
  /** Template files relative to the chart ('templates/x.yaml'), parallel to `templates`. */
  rels: string[];
  subcharts: LoadedChart[];
  deps: Dependency[];
  /** charts/ folder names of the subcharts, parallel to `subcharts`. */
  subDirs: string[];
}

/** Index files by their path relative to the chart root; files outside it are ignored. */
export function indexFiles(input: ChartInput): ChartFiles {
  const root = input.root.replace(/\\/g, '/').replace(/\/+$/, '');
  const out: ChartFiles = new Map();
  for (const [key, text] of input.files) {
    const p = key.replace(/\\/g, '/');
    let rel: string;
    if (p.startsWith(root + '/')) rel = p.slice(root.length + 1);
    else if (p.startsWith('/') || /^[A-Za-z]:\//.test(p)) continue;
    else rel = p.replace(/^(\.\/)+/, '');
    out.set(rel, { key, text });
  }
  return out;
}

const FIELDS: Record<string, string> = {
  name: 'Name',
  home: 'Home',
  sources: 'Sources',
  version: 'Version',
  description: 'Description',
  keywords: 'Keywords',
  maintainers: 'Maintainers',
  icon: 'Icon',
  apiVersion: 'APIVersion',
  condition: 'Condition',
  tags: 'Tags',
  appVersion: 'AppVersion',
  deprecated: 'Deprecated',
  annotations: 'Annotations',
  kubeVersion: 'KubeVersion',
  dependencies: 'Dependencies',
  type: 'Type',
};
const SUB_FIELDS: Record<string, string> = {
  name: 'Name',
  email: 'Email',
  url: 'URL',
  version: 'Version',
  repository: 'Repository',
  condition: 'Condition',
  tags: 'Tags',
  enabled: 'Enabled',
  'import-values': 'ImportValues',
  alias: 'Alias',
};
const STRING_FIELDS = [
  'Name',
  'Home',
  'Version',
  'Description',
  'Icon',
  'APIVersion',
  'Condition',
  'Tags',
  'AppVersion',
  'KubeVersion',
  'Type',
];

const own = (names: Record<string, string>, k: string): string => (Object.prototype.hasOwnProperty.call(names, k) ? names[k]! : k);

function rename(m: unknown, names: Record<string, string>): unknown {
  if (!isMap(m)) return m;
  const out: GoMap = {};
  for (const [k, v] of Object.entries(m)) setKey(out, own(names, k), v);
  return out;
}

/** Chart.yaml as `.Chart`: Go field names, strings for version fields even when YAML reads a number. */
function metadataOf(raw: GoMap, text: string, dirName: string): GoMap {
  const md: GoMap = {};
  for (const f of STRING_FIELDS) md[f] = '';
  md['Deprecated'] = false;
  for (const [k, v] of Object.entries(raw)) setKey(md, own(FIELDS, k), v);
  for (const [field, key] of [
    ['Version', 'version'],
    ['AppVersion', 'appVersion'],
  ] as const) {
    if (typeof md[field] === 'number') {
      const m = new RegExp(`^${key}:\\s*["']?([^"'\\s#]+)`, 'm').exec(text);
      md[field] = m ? m[1]! : String(md[field]);
    }
  }
  for (const f of ['Maintainers', 'Dependencies']) if (Array.isArray(md[f])) md[f] = (md[f] as unknown[]).map((x) => rename(x, SUB_FIELDS));
  if (!md['Name']) md['Name'] = dirName;
  return md;
}

/** A Chart.yaml scalar as text: '' when missing or not a scalar. */
function scalarText(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

function dependencies(md: GoMap): Dependency[] {
  const deps = md['Dependencies'];
  if (!Array.isArray(deps)) return [];
  return deps.filter(isMap).map((d) => ({
    name: scalarText(getKey(d, 'Name')),
    alias: typeof getKey(d, 'Alias') === 'string' && getKey(d, 'Alias') ? String(getKey(d, 'Alias')) : undefined,
    condition: typeof getKey(d, 'Condition') === 'string' ? String(getKey(d, 'Condition')) : undefined,
    tags: Array.isArray(getKey(d, 'Tags')) ? (getKey(d, 'Tags') as unknown[]).map(String) : [],
  }));
}

/** Load the chart in `dir` ('' or 'charts/x/') and its subcharts. */
export function loadChart(
  files: ChartFiles,
  root: string,
  dir: string,
  parentPath: string | undefined,
  diags: Diagnostic[],
  depth = 0,
): LoadedChart {
  const chartFile = files.get(`${dir}Chart.yaml`);
  const dirName = (dir ? dir.replace(/\/$/, '') : root.replace(/\\/g, '/').replace(/\/+$/, '')).split('/').pop() || 'chart';
  let md: GoMap;
  if (chartFile) md = metadataOf(parseValues(chartFile.key, chartFile.text, diags, false), chartFile.text, dirName);
  else {
    diags.push({
      file: `${root.replace(/[\\/]+$/, '')}/${dir}Chart.yaml`,
      start: 0,
      end: 0,
      message: 'Chart.yaml is missing',
      kind: 'chart',
    });
    md = metadataOf({}, '', dirName);
  }
  const name = String(md['Name']);
  const valuesFile = files.get(`${dir}values.yaml`) ?? files.get(`${dir}values.yml`);
  const defaults = valuesFile ? parseValues(valuesFile.key, valuesFile.text, diags) : {};
  const fullPath = parentPath === undefined ? name : `${parentPath}/charts/${name}`;
  const templates: ChartFile[] = [];
  const rels: string[] = [];
  const subDirs = new Set<string>();
  for (const [rel, f] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!rel.startsWith(dir)) continue;
    const r = rel.slice(dir.length);
    if (r.startsWith('templates/')) {
      templates.push(f);
      rels.push(r);
    }
    const m = /^charts\/([^/]+)\/Chart\.yaml$/.exec(r);
    if (m) subDirs.add(m[1]!);
    if (/^charts\/[^/]+\.tgz$/.test(r))
      diags.push({ file: f.key, start: 0, end: 0, message: `packaged subchart ${r} is not read; unpack it to render it`, kind: 'chart' });
  }
  const chart: LoadedChart = {
    name,
    dir,
    fullPath,
    metadata: md,
    defaults,
    templates,
    rels,
    subcharts: [],
    deps: dependencies(md),
    subDirs: [],
  };
  if (depth > 20) return chart;
  const loaded = [...subDirs].map((d) => ({ d, c: loadChart(files, root, `${dir}charts/${d}/`, fullPath, diags, depth + 1) }));
  const used = new Set<LoadedChart>();
  for (const dep of chart.deps) {
    const hit = loaded.find((l) => l.c.name === dep.name) ?? loaded.find((l) => l.d === dep.name);
    if (!hit) continue;
    used.add(hit.c);
    const c = dep.alias ? loadChart(files, root, hit.c.dir, undefined, [], depth + 1) : hit.c;
    if (dep.alias) renameChart(c, dep.alias, fullPath);
    chart.subcharts.push(c);
    chart.subDirs.push(hit.d);
  }
  for (const l of loaded) {
    if (used.has(l.c)) continue;
    chart.subcharts.push(l.c);
    chart.subDirs.push(l.d);
  }
  return chart;
}

function renameChart(c: LoadedChart, alias: string, parentPath: string): void {
  c.name = alias;
  c.metadata['Name'] = alias;
  const old = c.fullPath;
  c.fullPath = `${parentPath}/charts/${alias}`;
  const fix = (s: LoadedChart): void => {
    s.fullPath = c.fullPath + s.fullPath.slice(old.length);
    s.subcharts.forEach(fix);
  };
  c.subcharts.forEach(fix);
}

/** Helm's processDependencyEnabled for one chart: tags, then conditions (first path holding a bool). */
export function isEnabled(parent: LoadedChart, sub: LoadedChart, parentVals: GoMap, topVals: GoMap): boolean {
  const dep = parent.deps.find((d) => (d.alias ?? d.name) === sub.name);
  if (!dep) return true;
  let enabled = true;
  const tags = getKey(topVals, 'tags');
  if (dep.tags.length && isMap(tags)) {
    const vs = dep.tags.map((t) => getKey(tags, t)).filter((v) => typeof v === 'boolean');
    if (vs.includes(true)) enabled = true;
    else if (vs.includes(false)) enabled = false;
  }
  for (const path of (dep.condition ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const v = pathValue(parentVals, path);
    if (typeof v === 'boolean') {
      enabled = v;
      break;
    }
  }
  return enabled;
}
