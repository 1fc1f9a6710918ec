// Quoted scalars whose continuation lines are indented less than YAML 1.2 asks (argo-workflows' examples write
// `args: ["` … `"]` this way): kubectl's go-yaml, a port of libyaml, reads them, so kubeconn must too. The values
// are checked against PyYAML, another port of libyaml's scanner, run for real (Debian's python3-yaml).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { createWorkspace } from '../../src/api.js';
import { extractManifests } from '../../src/core/facts/manifests.js';
import { initKubeconn } from '../../src/core/init.js';
import { LineIndex } from '../../src/core/text.js';
import { eslint, kubeconn, makeProject, summarize, type Result } from '../e2e/project.js';
import { applyTextEdits, TestClient, uriOf } from '../lsp/client.js';

/** A Deployment whose `sh -c` script is a double-quoted scalar closed on a line indented like its key. */
const DEPLOYMENT = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: orders',
  'spec:',
  '  selector:',
  '    matchLabels: {app: orders}',
  '  template:',
  '    metadata:',
  '      labels: {app: orders}',
  '    spec:',
  '      containers:',
  '      - name: orders',
  '        image: example/orders:1.0',
  '        command: ["/bin/sh", "-c"]',
  '        args: ["',
  '          ./migrate &&',
  '          exec /app/orders',
  '        "]',
  '        ports:',
  '        - containerPort: 8080',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: orders',
  'spec:',
  '  selector: {app: orders}',
  '  ports:',
  '  - port: 80',
  '    targetPort: 8080',
  '',
].join('\n');

const SHAPES: Record<string, string> = {
  'flow sequence in a block sequence':
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    args: ["sh", "-c", "echo a\n    && echo b"]\n',
  'block map value': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: "one\n two"\n  b: x\n',
  "single quotes with ''": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: ['it''s\n  here', x]\n",
  'CRLF, a blank line, escaped quotes, two scalars':
    'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: c}\r\ndata:\r\n  a: ["say \\"hi\\"\r\n\r\n  now", "and\r\n  then"]\r\n',
  'the argo-workflows shape, then a document it swallowed': DEPLOYMENT,
};

function extract(text: string) {
  const problems: { message: string; line: number; column: number }[] = [];
  const facts = extractManifests('m.yaml', text, new LineIndex(text), problems as never);
  return { facts, problems };
}

/** What PyYAML (libyaml's scanner in Python) reads from `text`. */
function libyaml(text: string): unknown {
  const script = 'import sys, json, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin.buffer))))';
  return JSON.parse(
    execFileSync('/usr/bin/python3', ['-c', script], {
      input: text,
      encoding: 'utf8',
      timeout: 20_000,
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
}

describe('quoted scalars with short-indented continuation lines', () => {
  it('are read with the values libyaml gives them, and no syntax error', async () => {
    await initKubeconn();
    for (const [name, text] of Object.entries(SHAPES)) {
      const { facts, problems } = extract(text);
      assert.deepEqual(problems, [], name);
      assert.equal(facts.joinedQuotes, true, `${name}: the yaml library alone rejects it`);
      assert.deepEqual(
        facts.objects.map((o) => o.doc.toJS()),
        libyaml(text),
        name,
      );
    }
    const values = (text: string) => extract(text).facts.objects.map((o) => o.doc.toJS() as { data?: unknown });
    assert.deepEqual(values(SHAPES['CRLF, a blank line, escaped quotes, two scalars']!)[0]!.data, { a: ['say "hi"\nnow', 'and then'] });
    assert.deepEqual(values(SHAPES["single quotes with ''"]!)[0]!.data, { a: ["it's here", 'x'] });
  });

  it('a quote that never closes is still the syntax error it was, at the same place', async () => {
    await initKubeconn();
    const text = SHAPES['flow sequence in a block sequence']!.replace('echo b"]', 'echo b]');
    const { facts, problems } = extract(text);
    assert.equal(facts.joinedQuotes, undefined);
    assert.deepEqual(
      problems.map((p) => [p.line, p.column, p.message]),
      [[9, 1, 'YAML syntax error in document 1: Missing closing "quote']],
    );
  });

  it('edits that would touch a joined line break are refused; the others land in the file', async () => {
    await initKubeconn();
    const { facts } = extract(DEPLOYMENT);
    const object = facts.objects[0]!;
    const context = object.source.editContext(object.root)!;
    const joinedBreak = DEPLOYMENT.indexOf('["\n') + 2;
    assert.equal(context.text[joinedBreak], ' ');
    assert.equal(context.toRepository({ file: 'm.yaml', start: joinedBreak, end: joinedBreak + 1, text: '' }), undefined);
    const ports = DEPLOYMENT.indexOf('        ports:');
    assert.deepEqual(context.toRepository({ file: 'm.yaml', start: ports, end: ports, text: 'x' }), {
      file: 'm.yaml',
      start: ports,
      end: ports,
      text: 'x',
      viaSource: true,
    });
  });

  it('a workspace analyses the document and the one the cut scalar swallowed', async () => {
    await initKubeconn();
    const ws = createWorkspace({});
    ws.setFile('k8s/orders.yaml', DEPLOYMENT);
    const result = ws.analyze();
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.findings.map((f) => `${f.ruleId} ${f.line}:${f.column}-${f.endLine}:${f.endColumn}`),
      ['prestop-sleep 13:9-13:21', 'readiness-probe 13:9-13:21'],
    );
  });

  describe('in every front end', () => {
    const projects: { cleanup(): void }[] = [];
    after(() => projects.forEach((p) => p.cleanup()));

    it('the language server publishes the findings, and its fix keeps the joined lines', async () => {
      const p = makeProject({ 'k8s/orders.yaml': DEPLOYMENT });
      projects.push(p);
      const file = path.join(p.dir, 'k8s', 'orders.yaml');
      const client = await TestClient.start({ folders: [p.dir] });
      try {
        await client.idle();
        const at = (d: Diagnostic) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1}`;
        assert.deepEqual(client.diagnosticsOf(file).map(at).sort(), ['prestop-sleep 13:9', 'readiness-probe 13:9']);
        const [d] = client.diagnosticsOf(file, 'prestop-sleep');
        const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
          textDocument: { uri: uriOf(file) },
          range: d!.range,
          context: { diagnostics: [d] },
        });
        const fix = actions.find((a) => a.isPreferred)!;
        const fixed = applyTextEdits(DEPLOYMENT, fix.edit!.changes![uriOf(file)]!);
        assert.ok(fixed.includes('        args: ["\n          ./migrate &&\n          exec /app/orders\n        "]\n'), fixed);
        client.open(file, DEPLOYMENT);
        client.change(file, fixed);
        await client.waitFor('prestop-sleep to go', () => client.diagnosticsOf(file, 'prestop-sleep').length === 0);
        assert.deepEqual(client.diagnosticsOf(file).map(at), ['readiness-probe 13:9']);
      } finally {
        client.child.kill('SIGKILL');
      }
    });

    it('the CLI and ESLint report the same findings, and --fix keeps the joined lines as written', () => {
      const p = makeProject({ 'k8s/orders.yaml': DEPLOYMENT });
      projects.push(p);
      const viaCli = kubeconn(p.dir, ['check', '--format', 'json']);
      const viaEslint = eslint(p.dir, ['--format', 'json', '.']);
      const ours = summarize(JSON.parse(viaCli.stdout) as Result[], p.dir);
      assert.deepEqual(
        ours.map((l) => l.split(' ').slice(0, 2).join(' ')),
        ['k8s/orders.yaml:13:9-13:21 kubeconn/prestop-sleep', 'k8s/orders.yaml:13:9-13:21 kubeconn/readiness-probe'],
      );
      assert.deepEqual(summarize(JSON.parse(viaEslint.stdout) as Result[], p.dir), ours);

      kubeconn(p.dir, ['check', '--fix']);
      const fixed = p.read('k8s/orders.yaml');
      assert.ok(fixed.includes('        args: ["\n          ./migrate &&\n          exec /app/orders\n        "]\n'), fixed);
      assert.match(fixed, /preStop:\n {12}sleep:\n {14}seconds: 5\n/);
      const again = JSON.parse(kubeconn(p.dir, ['check', '--format', 'json']).stdout) as Result[];
      assert.deepEqual(
        again.flatMap((r) => r.messages.filter((m) => m.fatal || m.fix)),
        [],
      );
    });
  });
});

// A test of this file's own helper: PyYAML really is the tolerant reader (if it rejected these shapes, the test
// above would compare against nothing meaningful).
describe('libyaml reference', () => {
  it('PyYAML reads every shape above, and rejects a quote that never closes', () => {
    for (const text of Object.values(SHAPES)) assert.ok(Array.isArray(libyaml(text)));
    assert.throws(() => libyaml('a: "never closed\n'), /while scanning a quoted scalar/);
  });
});
