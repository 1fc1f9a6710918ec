// The source map through the functions that keep it: quote, default, printf, trim, nindent, toYaml, include,
// and where it stops (computed text maps to the action).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { originAt, type RenderedTemplate } from '../../src/core/helm/index.js';
import { assertCoverage, ROOT, renderOne } from './helpers.js';

const T = `${ROOT}/templates/t.yaml`;
const V = `${ROOT}/values.yaml`;

/** The origins of the characters of `needle` in the output, as runs [kind, file, first offset] (template runs are 1:1). */
function originsOf(t: RenderedTemplate, needle: string): [string, string, number][] {
  const at = t.text.indexOf(needle);
  assert.ok(at >= 0, `${needle} rendered`);
  const out: [string, string, number][] = [];
  let prev = -2;
  for (let i = at; i < at + needle.length; i++) {
    const o = originAt(t, i)!;
    const file = o.file.replace(ROOT + '/', '');
    const last = out[out.length - 1];
    const continues = last && last[0] === o.kind && last[1] === file && (o.kind !== 'template' || o.offset === prev + 1);
    if (!continues) out.push([o.kind, file, o.offset]);
    prev = o.offset;
  }
  return out;
}

describe('helm source map', () => {
  const values = 'host: db.internal\nport: 5432\nname: "  orders  "\nempty: ""\nlist:\n  - a: 1\n    b: two\n';
  const offset = (s: string): number => values.indexOf(s);

  it('quote maps the inner text to the value and the quotes to the action', () => {
    const { t } = renderOne('h: {{ .Values.host | quote }}\n', { values });
    assert.deepEqual(originsOf(t, '"db.internal"'), [
      ['expression', 'templates/t.yaml', 3],
      ['value', 'values.yaml', offset('db.internal')],
      ['expression', 'templates/t.yaml', 3],
    ]);
    assertCoverage(t);
  });

  it('default maps to the value when the value is used, to the action when the default is', () => {
    const { t } = renderOne('a: {{ .Values.host | default "x" }}\nb: {{ .Values.empty | default "fallback" }}\n', { values });
    assert.deepEqual(originsOf(t, 'db.internal'), [['value', 'values.yaml', offset('db.internal')]]);
    assert.deepEqual(originsOf(t, 'fallback'), [['expression', 'templates/t.yaml', 'a: {{ .Values.host | default "x" }}\nb: '.length]]);
  });

  it('printf keeps the origin of %s and %d arguments; int keeps the node', () => {
    const { t } = renderOne('url: {{ printf "%s:%d" .Values.host (int .Values.port) }}\n', { values });
    assert.deepEqual(originsOf(t, 'db.internal:5432'), [
      ['value', 'values.yaml', offset('db.internal')],
      ['expression', 'templates/t.yaml', 5],
      ['value', 'values.yaml', offset('5432')],
    ]);
  });

  it('trim keeps the origin of what is left (mapped to the node start: the node is longer)', () => {
    const { t } = renderOne('n: {{ .Values.name | trim }}\n', { values });
    assert.equal(t.text, 'n: orders\n');
    assert.deepEqual(originsOf(t, 'orders'), [['value', 'values.yaml', offset('"  orders  "')]]);
  });

  it('toYaml of a list of maps maps each scalar; nindent padding maps to the action', () => {
    const { t } = renderOne('items:\n  {{- toYaml .Values.list | nindent 2 }}\n', { values });
    assert.equal(t.text, 'items:\n  - a: 1\n    b: two\n');
    assert.deepEqual(originsOf(t, 'two'), [['value', 'values.yaml', offset('two')]]);
    assert.deepEqual(originsOf(t, '1'), [['value', 'values.yaml', offset('1\n')]]);
    assert.deepEqual(originsOf(t, '  - a: '), [['expression', 'templates/t.yaml', 'items:\n  '.length]]);
    assertCoverage(t);
  });

  it('nested includes map to the innermost define; the template action to its own span', () => {
    const helpers =
      '{{- define "inner" -}}inner-text {{ .Values.host }}{{- end }}\n{{- define "outer" -}}outer: {{ include "inner" . }}{{- end }}\n';
    const { t } = renderOne('x: {{ template "outer" . }}\n', { values, files: { 'templates/_helpers.tpl': helpers } });
    assert.equal(t.text, 'x: outer: inner-text db.internal\n');
    assert.deepEqual(originsOf(t, 'outer: inner-text db.internal'), [
      ['template', 'templates/_helpers.tpl', helpers.indexOf('outer: ')],
      ['template', 'templates/_helpers.tpl', helpers.indexOf('inner-text')],
      ['value', 'values.yaml', offset('db.internal')],
    ]);
    assert.equal(
      t.segments.every((s) => s.origin.file === T || s.origin.file === V || s.origin.file.endsWith('_helpers.tpl')),
      true,
    );
  });

  it('computed text maps to the action', () => {
    const { t } = renderOne('n: {{ add .Values.port 1 }}\nu: {{ upper .Values.host }}\n', { values });
    assert.deepEqual(originsOf(t, '5433'), [['expression', 'templates/t.yaml', 3]]);
    assert.deepEqual(originsOf(t, 'DB.INTERNAL'), [['expression', 'templates/t.yaml', 'n: {{ add .Values.port 1 }}\nu: '.length]]);
  });
});
