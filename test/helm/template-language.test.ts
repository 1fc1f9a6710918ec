// The Go text/template language as Helm runs it: trim markers, comments, pipelines, variables and scopes,
// control structures, named templates, literals, missing keys — each output written out as Go prints it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTemplate } from '../../src/core/helm/index.js';
import { out, renderOne } from './helpers.js';

const renderOneText = (template: string, values: string, files: Record<string, string>): string =>
  renderOne(template, { values, files }).text;

describe('helm template language: whitespace', () => {
  it('trim markers remove adjacent spaces and newlines, exactly as Go does', () => {
    assert.equal(out('a  {{- "b" -}}  c'), 'abc');
    assert.equal(out('a \n\t {{- "b" }} \n c'), 'ab \n c');
    assert.equal(out('line1\n{{- if true }}\nline2\n{{- end }}\nline3\n'), 'line1\nline2\nline3\n');
    assert.equal(out('x:\n  {{- if false }}\n  y: 1\n  {{- end }}\nz: 2'), 'x:\nz: 2');
  });

  it('a minus that is not followed by a space is a number, not a trim marker', () => {
    assert.equal(out('a {{-3}} b'), 'a -3 b');
    assert.equal(out('a {{ 3 -}} b'), 'a 3b');
  });

  it('comments render nothing and may trim', () => {
    assert.equal(out('a {{/* a comment */}} b'), 'a  b');
    assert.equal(out('a {{- /* trimmed */ -}} b'), 'ab');
    assert.equal(out('{{/*\nmulti\nline\n*/}}x'), 'x');
  });

  it('actions may span lines', () => {
    assert.equal(out('{{ printf "%s-%s"\n  "a"\n  "b" }}'), 'a-b');
  });
});

describe('helm template language: pipelines and variables', () => {
  it('pipes pass the value as the last argument', () => {
    assert.equal(out('{{ "x" | printf "%s-%s" "a" }}'), 'a-x');
    assert.equal(out('{{ "abc" | upper | repeat 2 }}'), 'ABCABC');
  });

  it('declares, assigns and scopes variables like Go', () => {
    assert.equal(out('{{ $x := 1 }}{{ $x = add $x 1 }}{{ $x }}'), '2');
    assert.equal(out('{{ $v := "outer" }}{{ if true }}{{ $v := "inner" }}{{ $v }}{{ end }} {{ $v }}'), 'inner outer');
    assert.equal(out('{{ $v := "a" }}{{ if true }}{{ $v = "b" }}{{ end }}{{ $v }}'), 'b');
    assert.equal(out('{{ range list 1 2 }}{{ $.Chart.Name }}{{ end }}'), 'demodemo');
  });

  it('parenthesised pipelines, field chains on their results, and method-like fields', () => {
    assert.equal(out('{{ (dict "a" (dict "b" "c")).a.b }}'), 'c');
    assert.equal(out('{{ $d := dict "k" (list 1 2) }}{{ len $d.k }}'), '2');
    assert.equal(out('{{ .Capabilities.KubeVersion.Minor }} {{ .Capabilities.KubeVersion }}'), '30 v1.30.0');
    assert.equal(out('{{ .Capabilities.KubeVersion.GitVersion }}', undefined, { kubeVersion: 'v1.29.3' }), 'v1.29.3');
  });

  it('literals: interpreted and raw strings, numbers, booleans, nil', () => {
    assert.equal(out('{{ "a\\tb" }}|{{ `a\\nb` }}'), 'a\tb|a\\nb');
    assert.equal(out("{{ 1.5 }} {{ 0x1F }} {{ 1e3 }} {{ true }} {{ 'a' }}"), '1.5 31 1000 true 97');
    assert.equal(out('[{{ nil | default "x" }}]'), '[x]');
  });

  it('and/or return one of their operands; eq takes several', () => {
    assert.equal(out('{{ or "" "b" }}|{{ and "a" "b" }}|{{ and 0 "b" }}|{{ or 0 "" }}'), 'b|b|0|');
    assert.equal(out('{{ eq "b" "a" "b" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ ge "b" "a" }}'), 'true true true true');
  });

  it('a missing key is nil, not an error, and prints as nothing', () => {
    assert.equal(out('[{{ .Values.nope }}][{{ .Values.nope.deeper }}][{{ if .Values.mesh.enabled }}x{{ end }}]'), '[][][]');
    assert.equal(out('[{{ if .Values.mesh.enabled }}x{{ end }}]', 'mesh:\n  enabled: false\n'), '[]');
    assert.equal(out('[{{ .Values.empty }}]', 'empty:\n'), '[]');
  });

  it('values are read as YAML 1.1, like Helm: y/yes/on are booleans, numbers are float64', () => {
    assert.equal(
      out('{{ .Values.a }} {{ .Values.b }} {{ .Values.c }} {{ typeOf .Values.d }}', 'a: y\nb: "y"\nc: on\nd: 3'),
      'true y true float64',
    );
  });
});

describe('helm template language: control structures', () => {
  it('if / else if / else', () => {
    const t = '{{ if eq .Values.m "a" }}A{{ else if eq .Values.m "b" }}B{{ else }}C{{ end }}';
    assert.equal(out(t, 'm: a'), 'A');
    assert.equal(out(t, 'm: b'), 'B');
    assert.equal(out(t, 'm: z'), 'C');
  });

  it('truthiness: nil, false, 0, "", empty list and map are false', () => {
    const t = '{{ range list nil false 0 "" (list) (dict) "x" 1 (list 0) (dict "a" 1) }}{{ if . }}T{{ else }}F{{ end }}{{ end }}';
    assert.equal(out(t), 'FFFFFFTTTT');
  });

  it('with / else with / else', () => {
    const t = '{{ with .Values.a }}A={{ . }}{{ else with .Values.b }}B={{ . }}{{ else }}none{{ end }}';
    assert.equal(out(t, 'a: 1'), 'A=1');
    assert.equal(out(t, 'b: 2'), 'B=2');
    assert.equal(out(t, ''), 'none');
  });

  it('range over lists, maps (sorted keys), integers, with else, break and continue', () => {
    assert.equal(out('{{ range $i, $e := list "a" "b" }}{{ $i }}={{ $e }};{{ end }}'), '0=a;1=b;');
    assert.equal(out('{{ range $k, $v := .Values.m }}{{ $k }}{{ $v }},{{ end }}', 'm: {b: 2, a: 1, C: 3}'), 'C3,a1,b2,');
    assert.equal(out('{{ range 3 }}{{ . }}{{ end }}'), '012');
    assert.equal(out('{{ range .Values.none }}x{{ else }}empty{{ end }}'), 'empty');
    assert.equal(
      out('{{ range $i := until 10 }}{{ if eq $i 2 }}{{ continue }}{{ end }}{{ if eq $i 4 }}{{ break }}{{ end }}{{ $i }}{{ end }}'),
      '013',
    );
  });

  it('define, template and block; include returns a string that pipes on', () => {
    assert.equal(out('{{ define "x" }}[{{ . }}]{{ end }}{{ template "x" "hi" }}'), '[hi]');
    assert.equal(out('{{ block "y" "d" }}<{{ . }}>{{ end }}'), '<d>');
    assert.equal(out('{{ define "n" }}  name  {{ end }}{{ include "n" . | trim | upper }}'), 'NAME');
    const files = { 'templates/_helpers.tpl': '{{- define "demo.x" -}}from helpers {{ .Values.v }}{{- end }}' };
    assert.equal(renderOneText('{{ include "demo.x" . }}', 'v: 7', files), 'from helpers 7');
  });

  it('tpl renders a string against the given scope', () => {
    assert.equal(out('{{ tpl .Values.t . }}', 't: "{{ .Release.Name }}-{{ .Values.x }}"\nx: z'), 'release-z');
    assert.equal(out('{{ tpl "plain" . }}'), 'plain');
  });
});

describe('helm template language: parse tree offsets', () => {
  it('keeps exact offsets of text, actions and arguments', () => {
    const src = 'a: {{ .Values.x | quote }}\n{{- if .y }}b{{ end }}';
    const p = parseTemplate('t.yaml', src);
    assert.deepEqual(p.errors, []);
    const [text, action, iff] = p.nodes;
    assert.deepEqual([text!.start, text!.end], [0, 3]);
    assert.deepEqual([action!.start, action!.end], [3, 26]);
    assert.equal(src.slice(action!.start, action!.end), '{{ .Values.x | quote }}');
    assert.equal(iff!.t, 'if');
    if (action!.t === 'action') {
      const arg = action!.pipe.cmds[0]!.args[0]!;
      assert.equal(src.slice(arg.start, arg.end), '.Values.x');
    }
  });
});

describe('helm template language: built-in objects', () => {
  it('.Release, .Chart, .Template, .Capabilities', () => {
    assert.equal(
      out(
        '{{ .Release.Name }} {{ .Release.Service }} {{ .Release.IsInstall }} {{ .Release.IsUpgrade }} {{ .Release.Revision }} {{ .Chart.Name }} {{ .Chart.Version }} {{ .Chart.AppVersion }} {{ .Template.Name }} {{ .Template.BasePath }} {{ .Capabilities.KubeVersion.Major }}',
        undefined,
        { releaseName: 'r1' },
      ),
      'r1 Helm true false 1 demo 0.1.0 1.0 demo/templates/t.yaml demo/templates 1',
    );
  });

  it('numbers a template builds are ints; numbers read from values are float64', () => {
    assert.equal(
      out('{{ $d := dict "n" 1000000 }}{{ $d.n }} {{ $_ := set $d "m" 2000000 }}{{ $d.m }} {{ .Values.num }}', 'num: 1000000'),
      '1000000 2000000 1e+06',
    );
  });
});
