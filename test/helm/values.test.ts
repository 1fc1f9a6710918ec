// Values the way Helm computes them: values files merged in order, null deleting a default, subchart
// sections and globals, dependency aliases, conditions and tags, and extra values given as text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { originAt, renderChart, type RenderOptions } from '../../src/core/helm/index.js';
import { ROOT } from './helpers.js';

function chart(files: Record<string, string>, options?: RenderOptions) {
  const map = new Map(Object.entries(files).map(([k, v]) => [`${ROOT}/${k}`, v]));
  const r = renderChart({ root: ROOT, files: map }, options);
  const texts = Object.fromEntries(r.templates.map((t) => [t.name, t.text]));
  return { r, texts };
}

const parent = 'apiVersion: v2\nname: shop\nversion: 1.0.0\n';

describe('helm values', () => {
  it('values files merge in order; a null removes a default', () => {
    const { texts } = chart(
      {
        'Chart.yaml': parent,
        'values.yaml': 'a: 1\nres:\n  cpu: 1\n  mem: 2\nkeep: yes-it-is\n',
        'prod.yaml': 'a: 2\nres:\n  cpu: 4\n',
        'fix.yaml': 'res:\n  mem: null\n',
        'templates/t.yaml': '{{ .Values.a }} {{ toJson .Values.res }} {{ .Values.keep }}',
      },
      { valuesFiles: ['prod.yaml', 'fix.yaml'] },
    );
    assert.equal(texts['shop/templates/t.yaml'], '2 {"cpu":4} yes-it-is');
  });

  it('extra values given as text are merged and named in origins', () => {
    const { r } = chart(
      { 'Chart.yaml': parent, 'values.yaml': 'replicas: 1\n', 'templates/t.yaml': 'replicas: {{ .Values.replicas }}\n' },
      { valuesFiles: ['env/staging.yaml'], extraValues: new Map([['env/staging.yaml', '# staging\nreplicas: 3\n']]) },
    );
    const t = r.templates[0]!;
    assert.equal(t.text, 'replicas: 3\n');
    assert.deepEqual(originAt(t, 10), { file: 'env/staging.yaml', offset: '# staging\nreplicas: '.length, kind: 'value' });
    const missing = chart({ 'Chart.yaml': parent, 'templates/t.yaml': 'x' }, { valuesFiles: ['nope.yaml'] });
    assert.deepEqual(
      missing.r.diagnostics.map((d) => d.message),
      ['values file nope.yaml not found'],
    );
  });

  it('a subchart sees its section over its own defaults, and the parent globals over its own', () => {
    const { texts } = chart({
      'Chart.yaml': parent,
      'values.yaml': 'global:\n  region: eu\nredis:\n  size: 2Gi\n',
      'charts/redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 0.1.0\n',
      'charts/redis/values.yaml': 'size: 1Gi\nport: 6379\nglobal:\n  region: us\n  tier: cache\n',
      'charts/redis/templates/t.yaml':
        '{{ .Values.size }} {{ .Values.port }} {{ .Values.global.region }} {{ .Values.global.tier }} {{ .Chart.Name }} {{ .Template.BasePath }}',
      'templates/p.yaml': '{{ .Values.redis.port }} {{ .Values.redis.size }}',
    });
    assert.equal(texts['shop/charts/redis/templates/t.yaml'], '2Gi 6379 eu cache redis shop/charts/redis/templates');
    assert.equal(texts['shop/templates/p.yaml'], '6379 2Gi', 'the parent sees the merged subchart section');
  });

  it('dependency aliases, conditions and tags decide which subcharts render', () => {
    const files = {
      'Chart.yaml':
        parent +
        'dependencies:\n  - name: redis\n    alias: sessions\n    condition: sessions.enabled\n  - name: redis\n    alias: queue\n    tags: [async]\n  - name: metrics\n    condition: metrics.enabled,global.metrics\n',
      'values.yaml': 'sessions:\n  enabled: true\n  size: 5Gi\ntags:\n  async: false\nglobal:\n  metrics: true\n',
      'charts/redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 0.1.0\n',
      'charts/redis/values.yaml': 'size: 1Gi\n',
      'charts/redis/templates/t.yaml': '{{ .Chart.Name }}: {{ .Values.size }}',
      'charts/metrics/Chart.yaml': 'apiVersion: v2\nname: metrics\nversion: 0.1.0\n',
      'charts/metrics/templates/t.yaml': 'metrics',
    };
    assert.deepEqual(chart(files).texts, {
      'shop/charts/metrics/templates/t.yaml': 'metrics',
      'shop/charts/sessions/templates/t.yaml': 'sessions: 5Gi',
    });
    const flipped = chart(files, {
      valuesFiles: ['f.yaml'],
      extraValues: new Map([['f.yaml', 'sessions: {enabled: false}\ntags: {async: true}\nmetrics: {enabled: false}\n']]),
    });
    assert.deepEqual(flipped.texts, { 'shop/charts/queue/templates/t.yaml': 'queue: 1Gi' });
  });

  it("defines are global: the parent's win over a subchart's of the same name, and each sees the other's", () => {
    const { texts } = chart({
      'Chart.yaml': parent,
      'templates/_h.tpl': '{{- define "common.name" -}}parent{{- end }}',
      'templates/p.yaml': '{{ include "common.name" . }} {{ include "sub.only" . }}',
      'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
      'charts/sub/templates/_h.tpl': '{{- define "common.name" -}}sub{{- end }}{{- define "sub.only" -}}from-sub{{- end }}',
      'charts/sub/templates/s.yaml': '{{ include "common.name" . }}',
    });
    assert.deepEqual(texts, { 'shop/charts/sub/templates/s.yaml': 'parent', 'shop/templates/p.yaml': 'parent from-sub' });
  });

  it('a packaged subchart is reported, not read', () => {
    const { r } = chart({ 'Chart.yaml': parent, 'charts/redis-1.0.0.tgz': 'binary', 'templates/t.yaml': 'x' });
    assert.deepEqual(
      r.diagnostics.map((d) => [d.kind, d.message]),
      [['chart', 'packaged subchart charts/redis-1.0.0.tgz is not read; unpack it to render it']],
    );
  });

  it('.Files.Get returns a chart file it was given, and is unknown otherwise', () => {
    const { r } = chart({
      'Chart.yaml': parent,
      'files/app.conf': 'x=1',
      'templates/t.yaml': '{{ .Files.Get "files/app.conf" }} {{ .Files.Get "nope" }} {{ .Files.Glob "*.conf" }}',
    });
    assert.equal(r.templates[0]!.text, 'x=1 __kc_unknown_1__ __kc_unknown_2__');
  });
});
