// Helpers for the Helm renderer tests: a one-template chart, fixture charts read from disk, dedent.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { renderChart, type ChartRender, type RenderedTemplate, type RenderOptions } from '../../src/core/helm/index.js';
import { fixturesDir } from '../helpers/paths.js';

export const ROOT = '/charts/demo';

/** Strip the common indentation and the first newline of a template literal. */
export function dedent(s: string): string {
  const lines = s.replace(/^\n/, '').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines
    .map((l) => l.slice(cut))
    .join('\n')
    .replace(/\s+$/, '');
}

export interface OneResult {
  t: RenderedTemplate;
  r: ChartRender;
  text: string;
}

/** Render one template (templates/t.yaml) of a small chart named demo. */
export function renderOne(
  template: string,
  opts: { values?: string; files?: Record<string, string>; options?: RenderOptions } = {},
): OneResult {
  const files = new Map<string, string>([
    [`${ROOT}/Chart.yaml`, 'apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: "1.0"\n'],
    [`${ROOT}/values.yaml`, opts.values ?? ''],
    [`${ROOT}/templates/t.yaml`, template],
  ]);
  for (const [k, v] of Object.entries(opts.files ?? {})) files.set(`${ROOT}/${k}`, v);
  const r = renderChart({ root: ROOT, files }, opts.options);
  const t = r.templates.find((x) => x.template === `${ROOT}/templates/t.yaml`);
  assert.ok(t, 'templates/t.yaml was rendered');
  return { t, r, text: t.text };
}

/** Rendered text of a one-template chart. */
export const out = (template: string, values?: string, options?: RenderOptions): string => renderOne(template, { values, options }).text;

/** Every file of a fixture chart (absolute paths). */
export function loadFixture(name: string): { root: string; files: Map<string, string> } {
  const root = path.join(fixturesDir, 'helm', name);
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.set(p, fs.readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return { root, files };
}

/** The rendered text parses as YAML documents without errors. */
export function assertYaml(text: string, what: string): void {
  for (const doc of parseAllDocuments(text)) {
    assert.deepEqual(
      doc.errors.map((e) => e.message),
      [],
      `${what} is valid YAML`,
    );
  }
}

/** Segments are sorted, contiguous and cover the whole text. */
export function assertCoverage(t: RenderedTemplate): void {
  let pos = 0;
  for (const s of t.segments) {
    assert.equal(s.start, pos, `${t.name}: segment starts where the previous ended`);
    assert.ok(s.end > s.start, `${t.name}: segment is not empty`);
    pos = s.end;
  }
  assert.equal(pos, t.text.length, `${t.name}: segments cover the text`);
}
