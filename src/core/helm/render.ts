// renderChart: load the chart tree, coalesce values the way Helm does (user files over values.yaml,
// subchart sections and globals, dependency conditions), collect every define of the enabled charts in
// Helm's parse order, and render each manifest template with a source map, unknowns and uncertain regions.

import type { Define } from './ast.js';
import { indexFiles, isEnabled, loadChart, type ChartFiles, type LoadedChart } from './chart.js';
import { Engine, type EngineEnv } from './eval.js';
import { Abort, Out } from './output.js';
import { parseCached } from './parse-cache.js';
import { rootData } from './root.js';
import type { ChartInput, ChartRender, Diagnostic, RenderedTemplate, RenderOptions } from './types.js';
import { coalesceChartValues, coalesceGlobals, copyValue, mergeValues, parseValues } from './values.js';
import { getKey, isMap, markValuesContainer, PLACEHOLDER_RE, setKey, type GoMap } from './value.js';

/** The user's values: the given files merged in order. */
function userValues(files: ChartFiles, input: ChartInput, options: RenderOptions, diags: Diagnostic[]): GoMap {
  let vals: GoMap = {};
  markValuesContainer(vals);
  for (const name of options.valuesFiles ?? []) {
    const extra = options.extraValues?.get(name);
    const rel = name.replace(/\\/g, '/').startsWith(input.root.replace(/\\/g, '/').replace(/\/+$/, '') + '/')
      ? name.replace(/\\/g, '/').slice(input.root.replace(/\\/g, '/').replace(/\/+$/, '').length + 1)
      : name;
    const f =
      extra !== undefined
        ? { key: name, text: extra }
        : (files.get(rel) ?? (input.files.has(name) ? { key: name, text: input.files.get(name)! } : undefined));
    if (!f) {
      diags.push({ file: name, start: 0, end: 0, message: `values file ${name} not found`, kind: 'values' });
      continue;
    }
    vals = mergeValues(vals, parseValues(f.key, f.text, diags));
  }
  return vals;
}

/**
 * Helm's coalesce(): chart defaults under `vals` (mutated), then each subchart's section, with globals.
 * `enabled` filters subcharts; `record` receives each chart's final values.
 */
function coalesceTree(chart: LoadedChart, vals: GoMap, enabled: (c: LoadedChart) => boolean, record?: Map<LoadedChart, GoMap>): void {
  const subs = chart.subcharts.filter(enabled);
  const keys = new Set(subs.map((s) => s.name));
  coalesceChartValues(vals, chart.defaults, (k) => keys.has(k), false);
  record?.set(chart, vals);
  for (const sub of subs) {
    let sv = getKey(vals, sub.name);
    if (!isMap(sv)) {
      sv = {};
      markValuesContainer(sv as GoMap);
      setKey(vals, sub.name, sv);
    }
    coalesceGlobals(sv as GoMap, vals);
    coalesceTree(sub, sv as GoMap, enabled, record);
  }
}

/** The charts Helm keeps: dependency conditions and tags evaluated on the fully coalesced values. */
function enabledCharts(top: LoadedChart, user: GoMap): Set<LoadedChart> {
  const all = copyValue(user) as GoMap;
  const vals = new Map<LoadedChart, GoMap>();
  coalesceTree(top, all, () => true, vals);
  const on = new Set<LoadedChart>([top]);
  const walk = (c: LoadedChart): void => {
    for (const s of c.subcharts) {
      if (isEnabled(c, s, vals.get(c) ?? {}, all)) {
        on.add(s);
        walk(s);
      }
    }
  };
  walk(top);
  return on;
}

/** Helm's template order: deeper paths first, then reverse-alphabetical; later defines win. */
function helmOrder(a: { name: string; depth: number }, b: { name: string; depth: number }): number {
  if (a.depth !== b.depth) return b.depth - a.depth;
  return a.name < b.name ? 1 : a.name > b.name ? -1 : 0;
}

const RENDERED = /\.(ya?ml|tpl)$/;
const HOOK = /^[ \t]*(["']?)helm\.sh\/hook\1[ \t]*:/m;

/**
 * Render every manifest template of a chart and its enabled subcharts. Never throws on bad charts:
 * problems are `diagnostics`; a template that hit a limit is returned with `complete: false`.
 */
export function renderChart(input: ChartInput, options: RenderOptions = {}): ChartRender {
  const diags: Diagnostic[] = [];
  const files = indexFiles(input);
  const top = loadChart(files, input.root, '', undefined, diags);
  const user = userValues(files, input, options, diags);
  const on = enabledCharts(top, user);
  const values = copyValue(user) as GoMap;
  const perChart = new Map<LoadedChart, GoMap>();
  coalesceTree(top, values, (c) => on.has(c), perChart);

  // Every template file of every enabled chart, parsed once; defines are global.
  const entries: { chart: LoadedChart; key: string; rel: string; name: string; depth: number; text: string }[] = [];
  for (const chart of on) {
    chart.templates.forEach((f, i) => {
      const name = `${chart.fullPath}/${chart.rels[i]}`;
      entries.push({ chart, key: f.key, rel: chart.rels[i]!, name, depth: name.split('/').length, text: f.text });
    });
  }
  entries.sort(helmOrder);
  const defines = new Map<string, Define>();
  for (const e of entries) {
    const parsed = parseCached(e.key, e.text);
    for (const err of parsed.errors) diags.push({ file: e.key, start: err.start, end: err.end, message: err.message, kind: 'syntax' });
    for (const d of parsed.defines) defines.set(d.name, d);
  }

  const env: EngineEnv = { defines, diags, reasons: new Map(), counter: { n: 0 }, seen: new Set() };
  const templates: RenderedTemplate[] = [];
  for (const e of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const base = e.rel.split('/').pop()!;
    if (base.startsWith('_') || !RENDERED.test(base)) continue;
    const engine = new Engine(env, e.name);
    const out = new Out(engine.budget);
    const dot = rootData(e.chart, e.rel, perChart.get(e.chart) ?? {}, files, options);
    let complete = true;
    try {
      engine.render(parseCached(e.key, e.text).nodes, e.key, dot, out);
    } catch (err) {
      complete = false;
      if (err instanceof Abort)
        diags.push({ file: err.file || e.key, start: err.start, end: err.end, message: err.message, kind: 'limit' });
      else
        diags.push({
          file: e.key,
          start: 0,
          end: 0,
          message: `rendering stopped: ${(err as Error)?.message ?? String(err)}`,
          kind: 'eval',
        });
    }
    const text = out.text();
    if (base.endsWith('.tpl') && !text.trim()) continue;
    const unknowns: RenderedTemplate['unknowns'] = [];
    for (const m of text.matchAll(PLACEHOLDER_RE)) {
      const reason = env.reasons.get(Number(m[1]));
      if (reason !== undefined) unknowns.push({ start: m.index, end: m.index + m[0].length, reason });
    }
    templates.push({
      template: e.key,
      name: e.name,
      chart: e.chart.name,
      text,
      segments: out.segs,
      unknowns,
      uncertain: out.unc,
      hooks: e.rel.startsWith('templates/tests/') || HOOK.test(text),
      complete,
    });
  }
  const version = top.metadata['Version'];
  return {
    chart: {
      name: top.name,
      ...((typeof version === 'string' || typeof version === 'number') && version ? { version: String(version) } : {}),
      root: input.root,
    },
    templates,
    values: perChart.get(top) ?? values,
    diagnostics: diags,
  };
}
