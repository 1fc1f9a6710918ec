// Three-valued logic: what cannot be known offline is an Unknown, rendered as a unique placeholder that is a
// plain YAML scalar, recorded in `unknowns`; branches taken on unknown conditions are `uncertain`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUnknownText } from '../../src/core/helm/index.js';
import { assertYaml, renderOne } from './helpers.js';

const LOOKUP = '(lookup "v1" "Secret" "ns" "name")';

describe('helm unknowns: placeholders', () => {
  it('each occurrence gets its own placeholder, recorded with its reason', () => {
    const { t } = renderOne('a: {{ .Release.Namespace }}\nb: {{ .Release.Namespace }}\n');
    assert.equal(t.text, 'a: __kc_unknown_1__\nb: __kc_unknown_2__\n');
    assert.deepEqual(
      t.unknowns.map((u) => [t.text.slice(u.start, u.end), u.reason]),
      [
        ['__kc_unknown_1__', '.Release.Namespace is not known (set releaseNamespace)'],
        ['__kc_unknown_2__', '.Release.Namespace is not known (set releaseNamespace)'],
      ],
    );
    assert.ok(
      isUnknownText('__kc_unknown_1__') &&
        isUnknownText('x.__kc_unknown_12__.svc') &&
        !isUnknownText('plain') &&
        !isUnknownText('__kc_unknown___'),
    );
  });

  it('placeholders stay inside strings built around them, and are valid plain scalars', () => {
    const { t } = renderOne(
      'a: {{ printf "%s.svc" .Release.Namespace }}\nb: {{ .Release.Namespace | quote }}\nc: {{ list .Release.Namespace | toJson }}\n',
    );
    assert.equal(t.text, 'a: __kc_unknown_1__.svc\nb: "__kc_unknown_2__"\nc: ["__kc_unknown_3__"]\n');
    assert.equal(t.unknowns.length, 3);
    assertYaml(t.text, 'placeholders');
  });

  it('functions that would damage a placeholder give a fresh unknown; comparisons are unknown', () => {
    const { t } = renderOne(
      '{{ upper .Release.Namespace }} {{ eq .Release.Namespace "prod" }} {{ default "x" .Release.Namespace }} {{ len .Release.Namespace }}',
    );
    assert.equal(t.text, '__kc_unknown_1__ __kc_unknown_2__ __kc_unknown_3__ __kc_unknown_4__');
    assert.deepEqual(
      t.unknowns.map((u) => u.reason),
      [
        'upper of an unknown value (.Release.Namespace is not known (set releaseNamespace))',
        'eq of an unknown value',
        '.Release.Namespace is not known (set releaseNamespace)',
        'len of an unknown value (.Release.Namespace is not known (set releaseNamespace))',
      ],
    );
  });

  it('random, time and cluster functions are unknown; a given namespace is not', () => {
    const { t } = renderOne(`{{ randAlphaNum 8 }} {{ now | date "2006" }} {{ uuidv4 }} {{ ${LOOKUP} }} {{ .Release.Namespace }}`, {
      options: { releaseNamespace: 'shop' },
    });
    assert.equal(t.text, '__kc_unknown_1__ __kc_unknown_2__ __kc_unknown_3__ __kc_unknown_4__ shop');
  });

  it('required on a missing value is a diagnostic and an unknown; fail likewise', () => {
    const { t, r } = renderOne(
      'image: {{ required "image.tag is required" .Values.image.tag }}\n{{- if not .Values.ok }}{{ fail "set ok" }}{{ end }}\n',
    );
    assert.equal(t.text, 'image: __kc_unknown_1____kc_unknown_2__\n');
    assert.deepEqual(
      r.diagnostics.map((d) => [d.kind, d.message]),
      [
        ['required', 'required: image.tag is required'],
        ['fail', 'fail: set ok'],
      ],
    );
  });
});

describe('helm unknowns: three-valued logic', () => {
  it('if on an unknown renders the first branch and marks it uncertain', () => {
    const { t } = renderOne('{{ if eq .Release.Namespace "prod" }}P{{ else }}Q{{ end }}');
    assert.equal(t.text, 'P');
    assert.deepEqual(t.uncertain, [{ start: 0, end: 1, reason: '{{if}} on an unknown value: eq of an unknown value' }]);
  });

  it('and false Unknown is false, or true Unknown is true: no uncertainty', () => {
    const { t } = renderOne(
      `{{ and false ${LOOKUP} }} {{ or true ${LOOKUP} }}{{ if and false ${LOOKUP} }}A{{ end }}{{ if or ${LOOKUP} true }}B{{ end }}{{ if and ${LOOKUP} false }}C{{ else }}D{{ end }}`,
    );
    assert.equal(t.text, 'false trueBD');
    assert.deepEqual(t.uncertain, []);
  });

  it('and/or/not whose result depends on the unknown stay unknown', () => {
    const { t } = renderOne(`{{ if and true ${LOOKUP} }}A{{ end }}{{ if not ${LOOKUP} }}B{{ end }}`);
    assert.equal(t.text, 'AB');
    assert.deepEqual(
      t.uncertain.map((u) => [u.start, u.end]),
      [
        [0, 1],
        [1, 2],
      ],
    );
  });

  it('with on an unknown sets dot to it; range over an unknown renders nothing, marked by an empty region', () => {
    const { t } = renderOne(
      `a: {{ with ${LOOKUP} }}{{ .data.token }}{{ end }}\nb: [{{ range (lookup "v1" "Pod" "" "").items }}x{{ end }}]\n`,
    );
    assert.equal(t.text, 'a: __kc_unknown_1__\nb: []\n');
    assert.deepEqual(
      t.uncertain.map((u) => [u.start, u.end, u.reason]),
      [
        [3, 19, '{{with}} on an unknown value: lookup: lookup reads the cluster'],
        [24, 24, '{{range}} over an unknown value: lookup: lookup reads the cluster'],
      ],
    );
  });

  it('an absent or false values path is simply false, not unknown', () => {
    const { t } = renderOne('{{ if .Values.mesh.enabled }}mesh{{ end }}{{ if .Values.other.enabled }}other{{ end }}', {
      values: 'mesh:\n  enabled: false\n',
    });
    assert.equal(t.text, '');
    assert.deepEqual([t.uncertain, t.unknowns], [[], []]);
  });

  it('uncertain regions inside an include follow the included text', () => {
    const files = {
      'templates/_h.tpl': '{{- define "h" -}}\nx: 1\n{{- if .Capabilities.APIVersions.Has "v1/Foo" }}\ny: 2\n{{- end }}\n{{- end }}',
    };
    const { t } = renderOne('m:\n  {{- include "h" . | nindent 2 }}\n', { files });
    assert.equal(t.text, 'm:\n  x: 1\n  y: 2\n');
    assert.deepEqual(
      t.uncertain.map((u) => t.text.slice(u.start, u.end)),
      ['\n  y: 2'],
    );
  });
});
