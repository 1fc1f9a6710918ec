// Helm charts as deployment units: every chart of the workspace (a folder with Chart.yaml that is not a
// subchart under another chart's charts/) is rendered with its values.yaml and the configured values files
// (src/core/helm), and the rendered documents become the chart's objects. They are reported in the template
// that produced them (units/helm-source.ts maps every node back). A template that does not render to YAML,
// or renders partly unknown, is still analysed where it can be and says why in the debug notes.
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { FileFacts } from '../facts/index.js';
import { objectFromDocument, type DeploymentUnit, type K8sObject } from '../facts/manifests.js';
import type { ParseProblem } from '../finding.js';
import { problemAt } from '../facts/problem.js';
import { isUnknownText, originAt, renderChart, type RenderedTemplate } from '../helm/index.js';
import type { KubeconnOptions } from '../options.js';
import { LineIndex } from '../text.js';
import { HelmSource } from './helm-source.js';

const posix = path.posix;

export interface HelmUnits {
  units: { unit: DeploymentUnit; objects: K8sObject[] }[];
  /** Template files rendered by a chart: their masked fallback objects are not used. */
  rendered: Set<string>;
  problems: ParseProblem[];
  /** What could not be known, per template, for `--debug`. */
  debug: string[];
}

interface CacheEntry {
  key: string;
  result: { unit: DeploymentUnit; objects: K8sObject[]; problems: ParseProblem[]; debug: string[]; templates: string[] };
}

/** Renders are pure functions of the chart's texts and the options: an unchanged chart keeps its objects. */
const cache = new Map<string, CacheEntry>();

export function helmUnits(files: ReadonlyMap<string, FileFacts>, options: KubeconnOptions): HelmUnits {
  const out: HelmUnits = { units: [], rendered: new Set(), problems: [], debug: [] };
  const roots = chartRoots(files);
  for (const root of roots) {
    const chartFiles = new Map<string, string>();
    for (const [file, facts] of files) if (file.startsWith(`${root}/`)) chartFiles.set(file, facts.text);
    // Dependencies on charts of the same repository (`repository: file://../partials`, library charts) are
    // what `helm dependency build` would copy into charts/: read them from where they are.
    for (const dep of localDependencies(files.get(`${root}/Chart.yaml`)?.text ?? files.get(`${root}/Chart.yml`)?.text ?? '', root)) {
      if ([...chartFiles.keys()].some((f) => f.startsWith(`${root}/charts/${dep.name}/`))) continue;
      for (const [file, facts] of files) {
        if (file.startsWith(`${dep.dir}/`)) chartFiles.set(`${root}/charts/${dep.name}/${file.slice(dep.dir.length + 1)}`, facts.text);
      }
    }
    const extraValues = new Map<string, string>();
    for (const v of options.helm.valuesFiles) {
      const text = files.get(v)?.text;
      if (text !== undefined && !chartFiles.has(v)) extraValues.set(v, text);
    }
    const valuesFiles = options.helm.valuesFiles.filter((v) => chartFiles.has(v) || extraValues.has(v));
    const renderOptions = {
      valuesFiles,
      extraValues,
      releaseName: options.helm.releaseName,
      releaseNamespace: options.helm.releaseNamespace,
      kubeVersion: `${options.kubernetesVersion}.0`,
    };
    const key = JSON.stringify([[...chartFiles].sort(), [...extraValues].sort(), renderOptions]);
    let entry = cache.get(root);
    if (!entry || entry.key !== key) {
      entry = { key, result: renderUnit(root, chartFiles, renderOptions, files) };
      cache.set(root, entry);
      if (cache.size > 256) cache.delete(cache.keys().next().value!);
    }
    out.units.push({ unit: entry.result.unit, objects: entry.result.objects });
    out.problems.push(...entry.result.problems);
    out.debug.push(...entry.result.debug);
    for (const t of entry.result.templates) out.rendered.add(t);
  }
  return out;
}

/** `dependencies` of a Chart.yaml with a `file://` repository: their names and folders. */
function localDependencies(chartYaml: string, root: string): { name: string; dir: string }[] {
  let doc: unknown;
  try {
    doc = parseAllDocuments(chartYaml, { logLevel: 'error' })[0]?.toJS({ maxAliasCount: 20 });
  } catch {
    return [];
  }
  const deps = (doc as { dependencies?: unknown } | undefined)?.dependencies;
  if (!Array.isArray(deps)) return [];
  return deps.flatMap((d: { name?: unknown; repository?: unknown }) =>
    typeof d?.name === 'string' && typeof d.repository === 'string' && d.repository.startsWith('file://')
      ? [{ name: d.name, dir: posix.normalize(posix.join(root, d.repository.slice('file://'.length))) }]
      : [],
  );
}

/** Folders with Chart.yaml, except subcharts (rendered by their parent). */
function chartRoots(files: ReadonlyMap<string, FileFacts>): string[] {
  const roots = [...files.keys()].filter((f) => /^Chart\.ya?ml$/.test(posix.basename(f))).map((f) => posix.dirname(f));
  return roots.filter((r) => !roots.some((other) => other !== r && r.startsWith(`${other}/charts/`))).sort();
}

function renderUnit(
  root: string,
  chartFiles: Map<string, string>,
  renderOptions: Parameters<typeof renderChart>[1],
  files: ReadonlyMap<string, FileFacts>,
): CacheEntry['result'] {
  const render = renderChart({ root, files: chartFiles }, renderOptions);
  const unit: DeploymentUnit = { id: `helm:${root}`, kind: 'helm', root, includes: [] };
  const problems: ParseProblem[] = [];
  const debug: string[] = [];
  const objects: K8sObject[] = [];
  // A yaml error at the end of a values file or rendered document sits one past it: problemAt keeps it inside the file.
  const problemIn = (file: string, offset: number, message: string, kind: ParseProblem['kind']): ParseProblem =>
    problemAt({ file, lines: files.get(file)?.lines ?? new LineIndex('') }, offset, offset, { kind, message });
  for (const d of render.diagnostics) {
    // Syntax errors and limits make Helm itself fail; other evaluation problems are what a chart does without its real values.
    if (d.kind === 'syntax' || d.kind === 'limit' || d.kind === 'values' || d.kind === 'chart') {
      if (files.has(d.file)) problems.push(problemIn(d.file, d.start, `Helm: ${d.message}`, d.kind === 'syntax' ? 'syntax' : 'skipped'));
    } else debug.push(`${d.file}:${files.get(d.file)?.lines.position(d.start).line ?? 1}: ${d.kind}: ${d.message}`);
  }
  const textOf = (file: string) => chartFiles.get(file) ?? renderOptions?.extraValues?.get(file);
  for (const t of render.templates) {
    if (!files.has(t.template)) continue;
    const where = (offset: number): string => {
      const o = originAt(t, offset);
      const line = o ? files.get(o.file)?.lines.position(o.offset).line : undefined;
      return o && line ? `${o.file}:${line}` : t.template;
    };
    for (const u of t.unknowns) debug.push(`${where(u.start)}: unknown (${u.reason})`);
    for (const u of t.uncertain) debug.push(`${where(u.start)}: depends on an unknown condition (${u.reason})`);
    objects.push(...objectsOf(t, textOf, files, problems, problemIn));
  }
  return { unit, objects, problems, debug, templates: render.templates.map((t) => t.template) };
}

/**
 * A whole block the renderer could not know (an include from a library chart that is not vendored, a toYaml
 * of an unknown) renders as a placeholder alone on its line, which is no YAML mapping entry: it is read as a
 * comment of the same length (offsets stay true), so the rest of the document is still analysed.
 */
function blockUnknownsAsComments(text: string): string {
  return text.replace(/^([ \t]*)_(_kc_unknown_\d+__[ \t]*)$/gm, '$1#$2');
}

function objectsOf(
  t: RenderedTemplate,
  textOf: (file: string) => string | undefined,
  files: ReadonlyMap<string, FileFacts>,
  problems: ParseProblem[],
  problemIn: (file: string, start: number, message: string, kind: ParseProblem['kind']) => ParseProblem,
): K8sObject[] {
  const source = new HelmSource(t, textOf);
  const templateLength = files.get(t.template)!.text.length;
  // The object's spans are in its template (HelmSource maps included and values text to the template line).
  const place = (start: number, end: number): [number, number] => {
    const span = source.rangeSpan(undefined, start, end);
    return span && span.file === t.template ? [span.start, span.end] : [0, Math.min(templateLength, 1)];
  };
  const out: K8sObject[] = [];
  const docs = parseAllDocuments(blockUnknownsAsComments(t.text), { prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  (Array.isArray(docs) ? docs : []).forEach((doc, index) => {
    if (doc.errors.length > 0) {
      const err = doc.errors[0]!;
      const at = source.rangeSpan(undefined, err.pos[0], err.pos[1]);
      const where = at && at.file === t.template ? at.start : 0;
      problems.push(
        problemIn(
          t.template,
          where,
          `The rendered document ${index + 1} of this template is not valid YAML, so it is not analysed: ${err.message.split('\n')[0]}`,
          'skipped',
        ),
      );
      return;
    }
    const object = objectFromDocument({ file: t.template, index, doc: doc, text: t.text, helm: true, source, place });
    if (!object) return;
    // `namespace: {{ .Release.Namespace }}` is whatever namespace the chart is installed in: any, like an unset one.
    if (object.namespace !== undefined && isUnknownText(object.namespace)) object.namespace = undefined;
    out.push(object);
  });
  return out;
}
