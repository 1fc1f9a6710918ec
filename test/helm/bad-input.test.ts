// Bad input never throws, never hangs and never loses the rest of the chart: syntax errors, unknown
// functions, recursion, fail, huge ranges and runaway output become diagnostics with file and offset.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderChart } from '../../src/core/helm/index.js';
import { ROOT, renderOne } from './helpers.js';

const good = 'kind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n';

/** A chart with a broken template next to a good one. */
function withGood(broken: string, helpers = '') {
  const files = new Map([
    [`${ROOT}/Chart.yaml`, 'apiVersion: v2\nname: demo\nversion: 0.1.0\n'],
    [`${ROOT}/values.yaml`, 'x: 1\nbig: "' + 'x'.repeat(1024) + '"\n'],
    [`${ROOT}/templates/_helpers.tpl`, helpers],
    [`${ROOT}/templates/broken.yaml`, broken],
    [`${ROOT}/templates/good.yaml`, good],
  ]);
  const r = renderChart({ root: ROOT, files });
  const goodOut = r.templates.find((t) => t.template.endsWith('good.yaml'));
  assert.equal(goodOut?.text, 'kind: ConfigMap\nmetadata:\n  name: release\n', 'the other template still renders');
  return {
    r,
    broken: r.templates.find((t) => t.template.endsWith('broken.yaml'))!,
    diags: r.diagnostics.map((d) => [d.file.replace(ROOT + '/', ''), d.start, d.end, d.kind, d.message]),
  };
}

describe('helm bad input', () => {
  it('an unclosed action is reported at its {{; the text before it renders', () => {
    const src = 'a: 1\nb: {{ .Values.x\nc: 3\n';
    const { diags, broken } = withGood(src);
    assert.deepEqual(diags, [['templates/broken.yaml', src.indexOf('c:') + 1, src.indexOf('c:') + 2, 'syntax', 'expected :=']]);
    assert.equal(broken.text, 'a: 1\nb: __kc_unknown_1__');
    const eof = withGood('a: {{ .Values.x');
    assert.deepEqual(eof.diags, [['templates/broken.yaml', 3, 15, 'syntax', 'unclosed action']]);
  });

  it('an unknown function is a diagnostic at its name; its result is unknown', () => {
    const src = 'a: {{ frobnicate .Values.x }}\nb: 2\n';
    const { diags, broken } = withGood(src);
    assert.deepEqual(diags, [['templates/broken.yaml', 6, 16, 'function', 'function "frobnicate" not defined']]);
    assert.equal(broken.text, 'a: __kc_unknown_1__\nb: 2\n');
  });

  it('a recursive include stops at the depth limit, reported in the helper; the template is marked incomplete', () => {
    const helpers = '{{- define "loop" -}}x{{ include "loop" . }}{{- end }}';
    const t0 = performance.now();
    const { diags, broken } = withGood('a: {{ include "loop" . }}\n', helpers);
    assert.ok(performance.now() - t0 < 2000);
    assert.equal(diags.length, 1);
    assert.deepEqual(diags[0]!.slice(0, 4), [
      'templates/_helpers.tpl',
      helpers.indexOf('{{ include'),
      helpers.indexOf('{{ include') + '{{ include "loop" . }}'.length,
      'limit',
    ]);
    assert.match(String(diags[0]![4]), /nested more than 100 deep \(recursive include\?\) while rendering demo\/templates\/broken.yaml/);
    assert.equal(broken.complete, false);
  });

  it('fail is a diagnostic with its message, and rendering goes on', () => {
    const src = '{{- if not .Values.y }}{{ fail "y must be set" }}{{ end }}\nrest: ok\n';
    const { diags, broken } = withGood(src);
    assert.deepEqual(diags, [
      [
        'templates/broken.yaml',
        src.indexOf('fail "'),
        src.indexOf('fail "') + 'fail "y must be set"'.length,
        'fail',
        'fail: y must be set',
      ],
    ]);
    assert.equal(broken.text, '__kc_unknown_1__\nrest: ok\n');
  });

  it('structural errors: a stray end, a missing end, else twice, bad tokens', () => {
    assert.deepEqual(withGood('a{{ end }}b').diags, [['templates/broken.yaml', 1, 10, 'syntax', 'unexpected {{end}}']]);
    assert.deepEqual(withGood('{{ if .Values.x }}yes').diags, [
      ['templates/broken.yaml', 0, 18, 'syntax', 'unexpected EOF: {{if}} has no {{end}}'],
    ]);
    assert.equal(withGood('{{ if .Values.x }}yes').broken.text, 'yes');
    assert.deepEqual(
      withGood('{{ if 1 }}a{{ else }}b{{ else }}c{{ end }}').diags.map((d) => d[4]),
      ['expected {{end}}; found {{else}}'],
    );
    assert.deepEqual(
      withGood('{{ .Values.x | }}').diags.map((d) => d[4]),
      ['missing command after |'],
    );
    assert.deepEqual(
      withGood('{{ "unterminated }}').diags.map((d) => d[4]),
      ['unterminated quoted string'],
    );
    assert.deepEqual(
      withGood('{{ .Values.x @ }}').diags.map((d) => d[4]),
      ['unrecognized character in action: "@"'],
    );
    assert.deepEqual(
      withGood('{{ /* comment */ }}').diags.map((d) => d[4]),
      ['unrecognized character in action: "/"'],
    );
  });

  it('evaluation errors Helm would stop at are reported and the action is unknown', () => {
    const { diags, broken } = withGood(
      'a: {{ index (list 1) 5 }}\nb: {{ include "nope" . }}\nc: {{ .Values.x.y.z }}\nd: {{ "s".Values }}\n',
    );
    // Syntax errors are found when the chart is parsed, before anything is evaluated.
    assert.deepEqual(
      diags.map((d) => d[4]),
      [
        'unexpected . after term "string"',
        'index out of range: 5',
        'no template "nope" associated with template',
        "can't evaluate field y in type float64",
      ],
    );
    assert.equal(broken.text, 'a: __kc_unknown_1__\nb: __kc_unknown_2__\nc: __kc_unknown_3__\nd: __kc_unknown_4__\n');
  });

  it('huge ranges are capped at 10,000 iterations', () => {
    const { diags, broken } = withGood('{{ range until 20000 }}x{{ end }}');
    assert.deepEqual(
      diags.map((d) => [d[3], d[4]]),
      [['limit', 'range stopped after 10000 iterations']],
    );
    assert.equal(broken.text.length, 10000);
  });

  it('runaway output stops at 5 MB and runaway work at the step budget', () => {
    const big = withGood('{{ range until 9000 }}{{ $.Values.big }}{{ end }}');
    assert.deepEqual(
      big.diags.map((d) => [d[3], d[4]]),
      [['limit', 'output is larger than 5242880 characters']],
    );
    assert.equal(big.broken.complete, false);
    assert.ok(big.broken.text.length <= 5 * 1024 * 1024);
    const t0 = performance.now();
    const work = withGood('{{ range until 5000 }}{{ range until 5000 }}{{ end }}{{ end }}');
    assert.deepEqual(
      work.diags.map((d) => [d[3], d[4]]),
      [['limit', 'rendering took more than 2000000 steps']],
    );
    assert.ok(performance.now() - t0 < 5000);
  });

  it('broken values files and a missing Chart.yaml are diagnostics', () => {
    const files = new Map([
      [`${ROOT}/values.yaml`, 'a: [1, 2\n'],
      [`${ROOT}/templates/t.yaml`, 'v: {{ .Chart.Name }}\n'],
    ]);
    const r = renderChart({ root: ROOT, files });
    assert.deepEqual(
      r.diagnostics.map((d) => d.kind),
      ['chart', 'values'],
    );
    assert.equal(r.templates[0]!.text, 'v: demo\n');
  });

  it('pathological input: deep nesting, bad code points, cyclic dicts, alias bombs', () => {
    const parens = withGood('a: {{ ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + ' }}');
    assert.deepEqual(
      parens.diags.map((d) => d[4]),
      ['parentheses nested more than 200 deep; the rest of the file is ignored'],
    );
    const ifs = withGood('a: 1\n' + '{{ if true }}'.repeat(5000) + 'x' + '{{ end }}'.repeat(5000));
    assert.deepEqual(
      [ifs.broken.text, ifs.diags.map((d) => d[4])],
      ['a: 1\n', ['blocks nested more than 200 deep; the rest of the file is ignored']],
    );
    assert.deepEqual(
      withGood('{{ "\\U0011FFFF" }}').diags.map((d) => d[4]),
      ['escape sequence is invalid Unicode code point'],
    );
    const cycle = withGood('{{ $d := dict }}{{ $_ := set $d "me" $d }}{{ toJson $d | len }} {{ toYaml $d | len }}');
    assert.equal(cycle.broken.text, '0 0');
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [n, p] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
    ])
      bomb.push(
        `${n}: &${n} [${Array(10)
          .fill('*' + p!)
          .join(', ')}]`,
      );
    const t0 = performance.now();
    const r = renderOne('n: {{ len .Values.a }}\n', { values: bomb.join('\n') });
    assert.ok(performance.now() - t0 < 5000);
    assert.deepEqual(
      r.r.diagnostics.map((d) => d.message),
      ['values file expands to too many nodes (alias bomb?); truncated'],
    );
    assert.equal(r.text, 'n: 10\n');
  });

  it('never throws on random template text', () => {
    let seed = 42;
    const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const parts = [
      '{{',
      '}}',
      '{{-',
      '-}}',
      ' ',
      '\n',
      '.Values.x',
      '$v',
      ':=',
      '|',
      '(',
      ')',
      '"s"',
      '`r`',
      'if',
      'range',
      'end',
      'else',
      'define',
      'include',
      'tpl',
      'default',
      'toYaml',
      '/*',
      '*/',
      '1',
      'nil',
      ',',
      'with',
      'template',
      'break',
    ];
    for (let i = 0; i < 300; i++) {
      let src = '';
      for (let j = rand(40); j > 0; j--) src += parts[rand(parts.length)]!;
      assert.doesNotThrow(() => renderOne(src, { values: 'x: 1' }), src);
    }
  });
});

describe('helm diagnostics', () => {
  it('a problem in a helper used by many templates is reported once', () => {
    const files = new Map([
      [`${ROOT}/Chart.yaml`, 'apiVersion: v2\nname: demo\nversion: 0.1.0\n'],
      [`${ROOT}/templates/_helpers.tpl`, '{{- define "demo.bad" -}}{{ nosuchfn }}{{- end }}'],
      [`${ROOT}/templates/a.yaml`, 'a: {{ include "demo.bad" . }}'],
      [`${ROOT}/templates/b.yaml`, 'b: {{ include "demo.bad" . }}'],
    ]);
    const r = renderChart({ root: ROOT, files });
    assert.deepEqual(
      r.diagnostics.map((d) => [d.file, d.start, d.kind]),
      [[`${ROOT}/templates/_helpers.tpl`, 28, 'function']],
    );
    assert.deepEqual(
      r.templates.map((t) => t.text),
      ['a: __kc_unknown_1__', 'b: __kc_unknown_2__'],
    );
  });
});
