// Template functions with Helm's exact output: toYaml (sigs.k8s.io/yaml formatting), toJson, printf and Go's
// number printing, default/empty/coalesce, strings, lists, dicts, regexes, semverCompare.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dedent, out } from './helpers.js';

describe('helm functions: toYaml', () => {
  const values = dedent(`
    cfg:
      name: orders
      port: 8080
      enabled: true
      ratio: 0.5
      empty: ""
      answer: "yes"
      version: "1.10"
      when: "2024-01-02"
      star: "*"
      colon: "a: b"
      hash: "a #b"
      lead: " x"
      multi: "line1\\nline2\\n"
      args: [--port, "8080", -v]
      nested: {b: 1, a: {c: []}, "10": x, "9": y2}
      nullv: null
  `);

  it('sorts keys, indents by two, keeps lists under their key, quotes what would read back as non-strings', () => {
    assert.equal(
      out('{{ toYaml .Values.cfg }}', values),
      dedent(`
        answer: "yes"
        args:
        - --port
        - "8080"
        - -v
        colon: 'a: b'
        empty: ""
        enabled: true
        hash: 'a #b'
        lead: ' x'
        multi: |
          line1
          line2
        name: orders
        nested:
          "9": y2
          "10": x
          a:
            c: []
          b: 1
        nullv: null
        port: 8080
        ratio: 0.5
        star: '*'
        version: "1.10"
        when: "2024-01-02"
      `),
    );
  });

  it('nindent places a toYaml block under a key', () => {
    const t = 'resources:\n  {{- toYaml .Values.r | nindent 2 }}\n';
    assert.equal(out(t, 'r:\n  limits: {cpu: 1, memory: 1Gi}\n'), 'resources:\n  limits:\n    cpu: 1\n    memory: 1Gi\n');
  });

  it('lists of maps, scalars, empty and nil values', () => {
    assert.equal(out('{{ toYaml (list "a" (dict "k" "v" "j" 2) (list 1 2)) }}'), '- a\n- j: 2\n  k: v\n- - 1\n  - 2');
    assert.equal(
      out('{{ toYaml "hello" }}|{{ toYaml nil }}|{{ toYaml (dict) }}|{{ toYaml (list) }}|{{ toYaml "" }}'),
      'hello|null|{}|[]|""',
    );
    assert.equal(out('{{ toYaml .Values.t }}', 't:\n- key: a\n  ops: [Exists]\n'), '- key: a\n  ops:\n  - Exists');
  });

  it('folds long strings at 80 columns like yaml.v2', () => {
    const long = 'gRPC clients keep one HTTP/2 connection open for hours, so new pods behind a ClusterIP service receive no traffic at all';
    assert.equal(
      out('{{ toYaml (dict "description" .Values.d) }}', `d: "${long}"`),
      'description: gRPC clients keep one HTTP/2 connection open for hours, so new pods behind\n  a ClusterIP service receive no traffic at all',
    );
  });

  it('numbers from values are float64 when printed directly (1e+06) but integers in toYaml and after int', () => {
    const v = 'big: 1000000\nsmall: 30\nfrac: 0.25';
    assert.equal(
      out(
        '{{ .Values.big }} {{ .Values.big | int }} {{ add .Values.big 1 }} {{ toYaml .Values.big }} {{ .Values.small }} {{ .Values.frac }}',
        v,
      ),
      '1e+06 1000000 1000001 1000000 30 0.25',
    );
    assert.equal(out('{{ .Values.big | quote }} {{ .Values.big | toString }}', v), '"1e+06" 1e+06');
  });
});

describe('helm functions: printf and print', () => {
  it('common verbs, flags, width and precision', () => {
    assert.equal(
      out('{{ printf "%s|%d|%v|%q|%5.2f|%x|%t|%05d|%-4s|%%" "s" 42 true "q" 3.14159 255 false 7 "ab" }}'),
      's|42|true|"q"| 3.14|ff|false|00007|ab  |%',
    );
  });

  it("Go's complaints: wrong type (a values number is float64), missing and extra arguments", () => {
    assert.equal(out('{{ printf "%d" .Values.port }} {{ printf "%d" (int .Values.port) }}', 'port: 8080'), '%!d(float64=8080) 8080');
    assert.equal(out('{{ printf "%s %s" "a" }}|{{ printf "%s" "a" "b" }}'), 'a %!s(MISSING)|a%!(EXTRA string=b)');
    assert.equal(out('{{ printf "%v %s" (list 1 "a") (dict "k" "v") }}'), '[1 a] map[k:v]');
  });

  it('print adds spaces only between non-strings; println always', () => {
    assert.equal(out('{{ print 1 2 "a" 3 }}|{{ println "a" 1 }}|{{ cat "a" nil "b" }}'), '1 2a3|a 1\n|a b');
  });
});

describe('helm functions: defaults and emptiness', () => {
  it('default treats every empty value as missing', () => {
    assert.equal(
      out(
        '{{ default "x" "" }} {{ default "x" .Values.nope }} {{ default 5 0 }} {{ default "x" false }} {{ default "x" (list) }} {{ .Values.s | default "x" }}',
        's: set',
      ),
      'x x 5 x x set',
    );
  });

  it('empty, coalesce, ternary, required with a value', () => {
    assert.equal(
      out(
        '{{ empty (list) }} {{ empty 0 }} {{ empty "a" }} {{ coalesce "" nil "x" "y" }} {{ ternary "y" "n" true }} {{ required "msg" .Values.a }}',
        'a: 1',
      ),
      'true true false x y 1',
    );
  });

  it('quote and squote; quote of nil is empty (Sprig skips nil)', () => {
    assert.equal(out('{{ quote "a\\"b" }} {{ squote "a" }} [{{ quote .Values.nope }}] {{ quote 1 "b" }}'), '"a\\"b" \'a\' [] "1" "b"');
  });
});

describe('helm functions: strings', () => {
  it('trim, trunc, trimSuffix, indent, nindent, case, replace, contains', () => {
    assert.equal(
      out(
        '[{{ trim "  a \\n" }}] {{ "abcdefghij" | trunc 5 }} {{ trunc -3 "abcdef" }} {{ "a-b-" | trimSuffix "-" }} {{ trimPrefix "v" "v1.2" }}',
      ),
      '[a] abcde def a-b 1.2',
    );
    assert.equal(out('{{ "a\\nb" | indent 2 }}|{{ "a\\nb" | nindent 2 }}'), '  a\n  b|\n  a\n  b');
    assert.equal(
      out(
        '{{ lower "ABC" }} {{ upper "abc" }} {{ title "hello world" }} {{ replace "." "-" "a.b.c" }} {{ contains "b" "abc" }} {{ hasPrefix "a" "abc" }} {{ hasSuffix "c" "abc" }}',
      ),
      'abc ABC Hello World a-b-c true true true',
    );
  });

  it('split, splitList, join, toJson of the result', () => {
    assert.equal(
      out('{{ split "," "a,b" | toJson }} {{ splitList "," "a,b" | toJson }} {{ list "a" nil 1 | join "-" }}'),
      '{"_0":"a","_1":"b"} ["a","b"] a-1',
    );
  });

  it('regexMatch, regexReplaceAll with Go expansion, regexFindAll', () => {
    assert.equal(
      out(
        '{{ regexMatch "^[a-z]+$" "abc" }} {{ regexReplaceAll "([a-z]+)-(\\\\d+)" "pod-12 job-3" "${2}:$1" }} {{ regexFindAll "[0-9]+" "a1b22c333" 2 | toJson }}',
      ),
      'true 12:pod 3:job ["1","22"]',
    );
  });

  it('encodings and hashes', () => {
    assert.equal(out('{{ b64enc "hi" }} {{ b64dec "aGk=" }} {{ sha256sum "abc" | trunc 8 }} {{ len "héllo" }}'), 'aGk= hi ba7816bf 6');
  });
});

describe('helm functions: lists and dicts', () => {
  it('list helpers', () => {
    assert.equal(
      out(
        '{{ list 1 2 3 | last }} {{ first (list "a" "b") }} {{ has 2 (list 1 2) }} {{ rest (list 1 2 3) | toJson }} {{ uniq (list 1 1 2) | toJson }} {{ append (list 1) 2 | toJson }} {{ until 3 | toJson }}',
      ),
      '3 a true [2,3] [1,2] [1,2] [0,1,2]',
    );
  });

  it('dict helpers: set, unset, hasKey, keys, pluck, get, dig', () => {
    assert.equal(
      out(
        '{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ keys $d | join "," }} {{ hasKey $d "b" }} {{ $_ := unset $d "a" }}{{ keys $d | join "," }} {{ get $d "zz" | quote }} {{ pluck "a" (dict "a" 1) (dict "a" 2) | toJson }} {{ dig "x" "y" "dflt" (dict "x" (dict "y" "found")) }}',
      ),
      'a,b true b "" [1,2] found',
    );
  });

  it('merge fills missing keys, mergeOverwrite replaces them; deep', () => {
    assert.equal(
      out('{{ merge (dict "a" 1 "n" (dict "x" 1)) (dict "a" 2 "b" 3 "n" (dict "x" 2 "y" 2)) | toJson }}'),
      '{"a":1,"b":3,"n":{"x":1,"y":2}}',
    );
    assert.equal(out('{{ mergeOverwrite (dict "a" 1 "k" true) (dict "a" 2 "b" 3 "k" false) | toJson }}'), '{"a":2,"b":3,"k":false}');
  });

  it('index into values, types, conversions', () => {
    assert.equal(
      out(
        '{{ index .Values.ports 1 }} {{ index .Values "my-key" }} {{ typeOf .Values.ports }} {{ kindIs "slice" .Values.ports }} {{ typeOf 3 }} {{ atoi "42" }} {{ int "7" }} {{ float64 "1.5" }}',
        'ports: [80, 443]\nmy-key: v',
      ),
      '443 v []interface {} true int 42 7 1.5',
    );
  });

  it('toJson: sorted keys, HTML-safe escapes, fromYaml round trip', () => {
    assert.equal(
      out('{{ toJson (dict "b" 1 "a" (list "x" "<y>")) }} {{ fromYaml "a: 1\\nb: [x]" | toJson }}'),
      '{"a":["x","\\u003cy\\u003e"],"b":1} {"a":1,"b":["x"]}',
    );
  });
});

describe('helm functions: semverCompare', () => {
  it('constraints, and the prerelease rule that makes charts write -0', () => {
    const t =
      '{{ semverCompare ">=1.21-0" .Capabilities.KubeVersion.GitVersion }} {{ semverCompare "<1.25" "1.30.0" }} {{ semverCompare ">=1.21" "1.29.3-eks-123" }} {{ semverCompare ">=1.21-0" "1.29.3-eks-123" }} {{ semverCompare "~1.30" "1.30.4" }} {{ semverCompare "^1.2.3" "1.9.0" }} {{ semverCompare "^1.2.3" "2.0.0" }} {{ semverCompare "1.2 - 1.4" "1.3.9" }} {{ semverCompare ">1.2, <1.5 || =2.0.0" "2.0.0" }}';
    assert.equal(out(t), 'true false false true true true false true true');
  });
});
