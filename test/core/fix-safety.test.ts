// Fixes that cannot damage (issue 14 item 3): every fix and suggestion is checked before a front end offers
// it — line endings and BOM kept, no comment or broken spot touched, re-parsed, a fix re-analysed — and
// the edit builders that damaged files (exec form dropping env assignments, duplicate empty keys, CR CR LF)
// write what they mean.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { applyFixes, writeFixed } from '../../src/cli/main.js';
import { allRules, applyEdits, initKubeconn, selectFixes, Workspace } from '../../src/api.js';
import type { Finding } from '../../src/core/finding.js';
import { defineRule, type Rule, type RuleMeta } from '../../src/core/rule.js';
import { app } from '../rules/grpc-k8s.js';
import { repoRoot } from '../helpers/paths.js';

const lint = (files: Record<string, string>, rules: readonly Rule[] = allRules): Finding[] => {
  const ws = new Workspace({}, rules);
  for (const [file, text] of Object.entries(files)) ws.setFile(`/p/${file}`, text);
  return ws.analyze().findings;
};
const of = (findings: Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);
const fixed = (text: string, f: Finding) => applyEdits(text, f.fix!.edits);

const served = (container: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: api:1
${container}        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
  - port: 80
    targetPort: 8080
`;

describe('fix safety', () => {
  before(async () => {
    await initKubeconn();
  });

  it('applyEdits: edits from the end, insertions at one offset last-first, overlaps applied one by one', () => {
    const oneByOne = (text: string, edits: { start: number; end: number; text: string }[]) =>
      [...edits].sort((a, b) => b.start - a.start || b.end - a.end).reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);
    const cases: { start: number; end: number; text: string }[][] = [
      [],
      [{ start: 0, end: 0, text: '>' }],
      [
        { start: 3, end: 3, text: 'a' },
        { start: 3, end: 3, text: 'b' },
        { start: 9, end: 10, text: '' },
      ],
      [
        { start: 2, end: 2, text: 'i' },
        { start: 2, end: 5, text: 'R' },
        { start: 0, end: 1, text: 'x' },
      ],
      [
        { start: 1, end: 6, text: 'X' },
        { start: 4, end: 8, text: 'Y' },
      ],
      [
        { start: 10, end: 10, text: '!' },
        { start: 5, end: 10, text: '' },
        { start: 7, end: 9, text: 'z' },
      ],
    ];
    for (const edits of cases) assert.equal(applyEdits('0123456789', edits), oneByOne('0123456789', edits), JSON.stringify(edits));
  });

  it('exec form keeps env assignments: CMD LANG=C.UTF-8 TZ=UTC /app/server → env as PID 1', () => {
    const text = 'FROM debian:12\nCMD LANG=C.UTF-8 TZ=UTC /app/server\n';
    const [f] = of(lint({ Dockerfile: text }), 'dockerfile-exec-form');
    assert.ok(f?.fix);
    assert.equal(fixed(text, f), 'FROM debian:12\nCMD ["env", "LANG=C.UTF-8", "TZ=UTC", "/app/server"]\n');
  });

  it('exec form with a quoted assignment inserts exec after it instead of dropping it', () => {
    const text = 'FROM debian:12\nCMD LANG="C UTF" /app/server\n';
    const [f] = of(lint({ Dockerfile: text }), 'dockerfile-exec-form');
    assert.equal(fixed(text, f!), 'FROM debian:12\nCMD LANG="C UTF" exec /app/server\n');
  });

  it('a CR CR LF line ending does not move the exec-form finding and fix onto a later comment', () => {
    const text = 'FROM debian:12\r\r\nCMD /app/server\r\r\n# a comment\r\r\n';
    const [f] = of(lint({ Dockerfile: text }), 'dockerfile-exec-form');
    assert.equal(f?.line, 2);
    assert.equal(fixed(text, f), 'FROM debian:12\r\r\nCMD ["/app/server"]\r\r\n# a comment\r\r\n');
  });

  it('a key with an empty value is replaced, not written twice: preStop: null', () => {
    const text = served('        lifecycle:\n          preStop: null\n');
    const [f] = of(lint({ 'k.yaml': text }), 'prestop-sleep');
    assert.ok(f?.fix, 'the fix is offered');
    const out = fixed(text, f);
    assert.equal(out.match(/preStop:/g)?.length, 1);
    assert.match(out, /lifecycle:\n {10}preStop:\n {12}sleep:\n {14}seconds: 5\n {8}ports:/);
  });

  it('a key with an empty value is replaced, not written twice: appProtocol: ""', () => {
    const svc =
      'apiVersion: v1\nkind: Service\nmetadata: {name: orders}\nspec:\n  selector: {app: orders}\n  ports:\n    - name: grpc\n      port: 50051\n      appProtocol: ""\n';
    const route =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: orders}\nspec:\n  parentRefs: [{name: gw}]\n  rules:\n    - backendRefs: [{name: orders, port: 50051}]\n';
    const findings = of(lint({ 'svc.yaml': svc, 'route.yaml': route }), 'service-app-protocol');
    for (const s of findings.flatMap((f) => f.suggestions)) {
      const out = applyEdits(svc, s.edits);
      assert.equal(out.match(/appProtocol:/g)?.length, 1, out);
    }
    assert.ok(
      findings.some((f) => f.suggestions.length > 0),
      'the suggestion is still offered',
    );
  });

  it('no fix on code with a syntax error in the edited call or its function (it would be re-inserted every pass)', () => {
    const ok =
      'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() {\n\tconn, _ := grpc.NewClient("orders.shop:50051", grpc.WithTransportCredentials(insecure.NewCredentials()))\n\tdefer conn.Close()\n}\n';
    const k8s = app({ name: 'orders', namespace: 'shop', headless: true, portName: 'grpc' });
    const fixesOf = (go: string) =>
      of(lint({ 'frontend/main.go': go, 'k8s/app.yaml': k8s }), 'grpc-client-load-balancing').filter((f) => f.fix);
    assert.equal(fixesOf(ok).length, 1, 'the clean file gets the fix');
    for (const broken of [
      ok.replace('conn.Close()', 'conn.Close('),
      ok.replace('grpc.WithTransportCredentials(', 'grpc.WithTransportCredentials(,'),
    ]) {
      assert.deepEqual(fixesOf(broken), [], broken);
    }
  });

  it('CRLF files get CRLF edits only (every fix and suggestion on examples/shop written with CRLF)', () => {
    const root = path.join(repoRoot, 'examples/shop');
    const walk = (d: string): string[] =>
      fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    const ws = new Workspace({}, allRules);
    for (const f of walk(root)) ws.setFile(f, fs.readFileSync(f, 'utf8').replace(/\r?\n/g, '\r\n'));
    const edits = ws
      .analyze()
      .findings.flatMap((f) => [...(f.fix ? [f.fix] : []), ...f.suggestions])
      .flatMap((x) => x.edits);
    assert.ok(edits.length > 10, 'examples/shop has fixes');
    const lf = edits.filter((e) => ws.text(e.file) !== undefined && /(^|[^\r])\n/.test(e.text));
    assert.deepEqual(
      lf.map((e) => `${path.relative(root, e.file)}: ${JSON.stringify(e.text.slice(0, 60))}`),
      [],
    );
  });

  it('a leading BOM hides no finding: package.json scripts are still read', () => {
    const files = (bom: string) => ({
      Dockerfile: 'FROM node:20-bookworm\nCOPY . /app\nWORKDIR /app\nCMD ["npm", "start"]\n',
      'package.json': `${bom}{"name": "x", "scripts": {"start": "node server.js && echo done"}}\n`,
    });
    const show = (findings: Finding[]) => findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.message}`);
    assert.deepEqual(show(lint(files('\ufeff'))), show(lint(files(''))));
  });

  it('a leading BOM hides no finding of examples/shop and survives every fix', () => {
    const root = path.join(repoRoot, 'examples/shop');
    const walk = (d: string): string[] =>
      fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    const load = (bom: boolean) => {
      const ws = new Workspace({}, allRules);
      for (const f of walk(root)) ws.setFile(f, (bom ? '\ufeff' : '') + fs.readFileSync(f, 'utf8'));
      return ws;
    };
    const show = (list: Finding[]) => list.map((f) => `${f.ruleId} ${path.relative(root, f.file)}:${f.line} ${f.message}`).sort();
    const bom = load(true);
    const findings = bom.analyze().findings;
    assert.deepEqual(show(findings), show(load(false).analyze().findings));
    const byFile = new Map<string, Finding[]>();
    for (const f of findings) if (f.fix) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    assert.ok(byFile.size > 0);
    for (const [file, list] of byFile)
      assert.equal(applyEdits(bom.text(file)!, selectFixes(list.map((f) => f.fix!))).charCodeAt(0), 0xfeff, file);
  });

  describe('the central check drops what a rule gets wrong', () => {
    const DOC = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg # keep me\ndata:\n  a: "1"\n';
    const edit = (start: number, end: number, text: string) => ({ file: '/p/c.yaml', start, end, text });
    // The test rules below: one finding per id, each with its fix.
    const FAKE_META = {
      type: 'problem',
      category: 'shutdown',
      description: 'Test rule',
      remediation: 'None.',
      severity: 'warning',
      messages: { m: 'finding {{id}}', f: 'fix {{id}}' },
    } satisfies RuleMeta;
    const fake = (fixes: Record<string, { start: number; end: number; text: string }>) =>
      defineRule({
        id: 'fake',
        meta: FAKE_META,
        // eslint-disable-next-line @typescript-eslint/unbound-method -- the rule context's members are closures
        check({ model, report }) {
          const facts = model.files.get('/p/c.yaml')!;
          // The finding stays while `a: "1"` is in the file, so only a fix that removes it is effective.
          if (!facts.text.includes('a: "1"')) return;
          for (const [id, e] of Object.entries(fixes)) {
            report({
              messageId: 'm',
              data: { id },
              at: { file: '/p/c.yaml', start: 0, end: 10 },
              fix: { messageId: 'f', data: { id }, edits: [edit(e.start, e.end, e.text)] },
              suggest: [{ messageId: 'f', data: { id }, edits: [edit(e.start, e.end, e.text)] }],
            });
          }
        },
      });
    const at = DOC.indexOf('a: "1"');
    /** A fix that works, one that does nothing, and one that duplicates a key (each also offered as a suggestion). */
    const threeFixes = {
      good: { start: at, end: at + 6, text: 'a: "2"' },
      idle: { start: DOC.length, end: DOC.length, text: '  b: "2"\n' },
      dup: { start: at, end: at + 6, text: 'a: "2"\n  a: "3"' },
    };
    /** Per finding: its message, how many edits its fix has (0: none), how many suggestions it keeps. */
    const shape = (fs: Finding[]) => fs.map((f) => [f.message, f.fix?.edits.length ?? 0, f.suggestions.length]);

    it('keeps a fix that parses and removes its finding', () => {
      const [f] = lint({ 'c.yaml': DOC }, [fake({ good: { start: at, end: at + 6, text: 'a: "2"' } })]);
      assert.ok(f?.fix);
      assert.equal(f.suggestions.length, 1);
    });

    it('drops a fix that leaves its finding in place (a suggestion may stay)', () => {
      const [f] = lint({ 'c.yaml': DOC }, [fake({ idle: { start: DOC.length, end: DOC.length, text: '  b: "2"\n' } })]);
      assert.equal(f?.fix, undefined);
      assert.equal(f?.suggestions.length, 1);
    });

    it('drops an idle fix whose finding another fix of the same re-analysis round removes', () => {
      // Finding A (first document) cites the second document; its fix only adds a key to the first, and does
      // nothing for A. Finding B's fix edits the second document, which removes B and A. Re-analysed in one
      // round, A's count drops as if its own fix had worked.
      const TWO = `${DOC}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n  b: "1"\n`;
      const second = TWO.indexOf('b: "1"');
      const file = '/p/c.yaml';
      const rule = defineRule({
        id: 'fake-cited',
        meta: FAKE_META,
        // eslint-disable-next-line @typescript-eslint/unbound-method -- the rule context's members are closures
        check({ model, report }) {
          const text = model.files.get(file)!.text;
          if (!text.includes('b: "1"')) return;
          const b = text.indexOf('b: "1"');
          const end = text.indexOf('\n---');
          report({
            messageId: 'm',
            data: { id: 'A' },
            at: { file, start: 0, end: 10 },
            related: [{ at: { file, start: b, end: b + 6 }, message: 'the value A reads' }],
            fix: { messageId: 'f', data: { id: 'A' }, edits: [{ file, start: end, end, text: '\n  c: "1"' }] },
          });
          report({
            messageId: 'm',
            data: { id: 'B' },
            at: { file, start: b, end: b + 6 },
            fix: { messageId: 'f', data: { id: 'B' }, edits: [{ file, start: b, end: b + 6, text: 'b: "2"' }] },
          });
        },
      });
      const ws = new Workspace({}, [rule]);
      ws.setFile(file, TWO);
      const findings = ws.analyze().findings;
      assert.deepEqual(
        findings.map((f) => [f.message, f.start, f.fix !== undefined]),
        [
          ['finding A', 0, false],
          ['finding B', second, true],
        ],
      );
      assert.equal(ws.verifyCounters.reanalyses, 2, 'two rounds: A alone, then B');
    });

    it('drops a fix and a suggestion whose result does not parse (a duplicate key)', () => {
      const [f] = lint({ 'c.yaml': DOC }, [fake({ dup: { start: at, end: at + 6, text: 'a: "2"\n  a: "3"' } })]);
      assert.equal(f?.fix, undefined);
      assert.deepEqual(f?.suggestions, []);
    });

    it('keeps a BOM in front of an edit at the start of the file', () => {
      const text = `\ufeff${DOC}`;
      const [f] = lint({ 'c.yaml': text }, [fake({ top: { start: 0, end: 0, text: '# new\n' } })]);
      const out = applyEdits(text, f!.suggestions[0]!.edits);
      assert.equal(out.charCodeAt(0), 0xfeff);
      assert.equal(out.slice(1, 7), '# new\n');
    });

    it('drops a fix and a suggestion inside a tree-sitter ERROR of a shell script, even one that removes its finding', () => {
      // tree-sitter reads a broken script without failing: `)$(#!/bin/sh` is an ERROR node, and `exec ` put there
      // (the entrypoint-script-exec fix on a fuzzed script) came back on every --fix pass.
      const execFix = (at: (text: string) => number) =>
        defineRule({
          id: 'fake-exec',
          meta: {
            type: 'problem',
            category: 'signals',
            description: 'Test rule',
            remediation: 'None.',
            severity: 'warning',
            messages: { m: 'not exec', f: 'insert exec' },
          },
          // eslint-disable-next-line @typescript-eslint/unbound-method -- the rule context's members are closures
          check({ model, report }) {
            const text = model.files.get('/p/run.sh')!.text;
            if (text.includes('exec ')) return;
            const edits = [{ file: '/p/run.sh', start: at(text), end: at(text), text: 'exec ' }];
            report({
              messageId: 'm',
              at: { file: '/p/run.sh', start: 0, end: 3 },
              fix: { messageId: 'f', edits },
              suggest: [{ messageId: 'f', edits }],
            });
          },
        });
      const clean = '#!/bin/sh\nset -e\n/app/server --listen :50051\n';
      const [ok] = lint({ 'run.sh': clean }, [execFix((t) => t.indexOf('/app/server'))]);
      assert.ok(ok?.fix, 'a clean script keeps its fix');
      const [broken] = lint({ 'run.sh': `)$(${clean}` }, [execFix(() => 1)]);
      assert.equal(broken?.fix, undefined);
      assert.deepEqual(broken?.suggestions, []);
    });

    it('verifies on demand what an analysis without verification left (the editor path), each finding alone', () => {
      const ws = new Workspace({}, [fake(threeFixes)]);
      ws.setFile('/p/c.yaml', DOC);
      const result = ws.analyze({ verifyFixes: false });
      assert.equal(result.fixesVerified, false);
      assert.equal(ws.verifyCounters.reparses, 0, 'the analysis verified nothing');
      assert.deepEqual(shape(result.findings), [
        ['finding good', 1, 1],
        ['finding idle', 1, 1],
        ['finding dup', 1, 1],
      ]);
      // One finding at a time, as a code action asks: as the checks above have it with that fix alone.
      const [good, idle, dup] = result.findings;
      assert.deepEqual(shape(ws.verifyFindings(result, [idle!, dup!])), [
        ['finding idle', 0, 1],
        ['finding dup', 0, 0],
      ]);
      assert.deepEqual(shape(ws.verifyFindings(result, [good!])), [['finding good', 1, 1]]);
      const reparses = ws.verifyCounters.reparses;
      ws.verifyFindings(result, result.findings);
      assert.equal(ws.verifyCounters.reparses, reparses, 'a finding is verified once per result');
      assert.equal(ws.analyze({ verifyFixes: false }), result, 'the unverified result is kept until the workspace changes');
      assert.equal(ws.analyze().fixesVerified, true, 'and a verified analysis is still there to be had');
    });

    it('leaves suggestions out, unverified, for a caller that shows none (the CLI: stylish, SARIF, --fix)', () => {
      const ws = new Workspace({}, [fake(threeFixes)]);
      ws.setFile('/p/c.yaml', DOC);
      const result = ws.analyze({ suggestions: false });
      assert.equal(result.fixesVerified, true);
      // The fixes verified as in a full analysis (the idle and the duplicating ones dropped), no suggestion at all.
      assert.deepEqual(shape(result.findings), [
        ['finding good', 1, 0],
        ['finding idle', 0, 0],
        ['finding dup', 0, 0],
      ]);
      // The fixes only: good and idle in one round, dup (overlapping good) alone.
      assert.equal(ws.verifyCounters.reparses, 2);
      assert.equal(ws.analyze({ suggestions: false }), result, 'kept until the workspace changes');
      const full = ws.analyze();
      assert.notEqual(full, result);
      assert.deepEqual(shape(full.findings), [
        ['finding good', 1, 1],
        ['finding idle', 0, 1],
        ['finding dup', 0, 0],
      ]);
      assert.equal(ws.analyze({ suggestions: false }), full, 'a full analysis serves a caller that wants less');
      // kubeconn's rules on a Deployment and its gRPC Service: the same findings and fixes, fewer re-parses.
      const pair = [
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: orders}\nspec:\n  selector: {matchLabels: {app: orders}}',
        '  template:\n    metadata: {labels: {app: orders}}\n    spec:',
        '      containers: [{name: app, image: orders:1, ports: [{name: grpc, containerPort: 50051}]}]',
        '---\napiVersion: v1\nkind: Service\nmetadata: {name: orders}',
        'spec: {selector: {app: orders}, ports: [{name: grpc, port: 50051}]}\n',
      ].join('\n');
      const run = (options: { suggestions?: boolean }) => {
        const w = new Workspace({}, allRules);
        w.setFile('/p/app.yaml', pair);
        const findings = w.analyze(options).findings;
        return { findings, reparses: w.verifyCounters.reparses!, suggestions: findings.flatMap((f) => f.suggestions).length };
      };
      const [all, fixesOnly] = [run({}), run({ suggestions: false })];
      assert.ok(all.suggestions > 0 && fixesOnly.suggestions === 0, `${all.suggestions} suggestions, then none`);
      const fixesOf = (fs: Finding[]) => fs.map((f) => [f.ruleId, f.message, f.fix?.edits]);
      assert.deepEqual(fixesOf(fixesOnly.findings), fixesOf(all.findings));
      assert.ok(fixesOnly.reparses < all.reparses, `${fixesOnly.reparses} re-parses instead of ${all.reparses}`);
    });

    it('drops a fix that touches a comment', () => {
      const c = DOC.indexOf('# keep me');
      const [f] = lint({ 'c.yaml': DOC.replace('a: "1"', 'a: "1" # x') }, [fake({ comment: { start: c, end: c + 9, text: '' } })]);
      assert.equal(f?.fix, undefined);
      assert.deepEqual(f?.suggestions, []);
    });
  });
});

describe('--fix writes safely', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconn-fix-'));
  const DOCKERFILE = 'FROM debian:12\nCMD /app/server\n';

  it('writes through a temporary file renamed over the target, keeping the mode', () => {
    const dir = tmp();
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, DOCKERFILE, { mode: 0o640 });
    assert.equal(writeFixed(file, DOCKERFILE, 'FROM debian:12\nCMD ["/app/server"]\n', [dir]), undefined);
    assert.equal(fs.readFileSync(file, 'utf8'), 'FROM debian:12\nCMD ["/app/server"]\n');
    assert.equal(fs.statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(fs.readdirSync(dir), ['Dockerfile'], 'no temporary file left behind');
    fs.rmSync(dir, { recursive: true });
  });

  it('does not overwrite a file edited since it was read', () => {
    const dir = tmp();
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, `${DOCKERFILE}# edited meanwhile\n`);
    assert.match(writeFixed(file, DOCKERFILE, 'FROM debian:12\nCMD ["/app/server"]\n', [dir]) ?? '', /changed since kubeconn read it/);
    assert.equal(fs.readFileSync(file, 'utf8'), `${DOCKERFILE}# edited meanwhile\n`);
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses to write through a symlink to a file outside the project; a link inside it is followed', () => {
    const outside = tmp();
    const project = tmp();
    fs.writeFileSync(path.join(outside, 'Dockerfile'), DOCKERFILE);
    fs.symlinkSync(path.join(outside, 'Dockerfile'), path.join(project, 'Dockerfile'));
    assert.match(writeFixed(path.join(project, 'Dockerfile'), DOCKERFILE, 'x', [project]) ?? '', /symlink to a file outside the project/);
    assert.equal(fs.readFileSync(path.join(outside, 'Dockerfile'), 'utf8'), DOCKERFILE);
    fs.writeFileSync(path.join(project, 'real.Dockerfile'), DOCKERFILE);
    fs.symlinkSync(path.join(project, 'real.Dockerfile'), path.join(project, 'link.Dockerfile'));
    assert.equal(writeFixed(path.join(project, 'link.Dockerfile'), DOCKERFILE, 'y', [project]), undefined);
    assert.equal(fs.readFileSync(path.join(project, 'real.Dockerfile'), 'utf8'), 'y');
    assert.ok(fs.lstatSync(path.join(project, 'link.Dockerfile')).isSymbolicLink(), 'the link stays a link');
    fs.rmSync(outside, { recursive: true });
    fs.rmSync(project, { recursive: true });
  });

  it('never rewrites Latin-1 bytes as U+FFFD: the fix is refused and the bytes stay', async () => {
    await initKubeconn();
    const dir = tmp();
    const file = path.join(dir, 'Dockerfile');
    const bytes = Buffer.concat([Buffer.from('FROM debian:12\n# caf'), Buffer.from([0xe9]), Buffer.from('\nCMD /app/server\n')]);
    fs.writeFileSync(file, bytes);
    const ws = new Workspace({}, allRules);
    ws.setFile(file, fs.readFileSync(file, 'utf8'));
    // eslint-disable-next-line @typescript-eslint/unbound-method -- restored onto process.stderr below
    const stderr = process.stderr.write;
    let said = '';
    process.stderr.write = (chunk: string) => ((said += chunk), true);
    try {
      assert.deepEqual([...applyFixes(ws, true, undefined, [dir])], []);
    } finally {
      process.stderr.write = stderr;
    }
    assert.match(said, /not fixed: .*Dockerfile: it is not valid UTF-8/);
    assert.ok(fs.readFileSync(file).equals(bytes));
    fs.rmSync(dir, { recursive: true });
  });
});

describe('generated names never collide', () => {
  before(async () => {
    await initKubeconn();
  });
  const goClient = `package main\n\nimport (\n\t"github.com/sercand/kuberesolver/v6"\n\t"google.golang.org/grpc"\n)\n\nfunc main() {\n\tkuberesolver.RegisterInCluster()\n\tgrpc.NewClient("kubernetes:///orders.shop:grpc")\n}\n`;
  const names = (text: string, kind: string) =>
    [...text.matchAll(new RegExp(`kind: ${kind}\\nmetadata:\\n  name: (\\S+)`, 'g'))].map((m) => m[1]);

  it('the kuberesolver RBAC suggestion does not reuse the name of an existing Role', () => {
    const taken =
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: frontend-kuberesolver\n  namespace: shop\nrules:\n  - apiGroups: [""]\n    resources: [configmaps]\n    verbs: [get]\n';
    const files = {
      'frontend/main.go': goClient,
      'k8s/orders.yaml': app({ name: 'orders', namespace: 'shop', portName: 'grpc' }),
      'k8s/frontend.yaml': app({ name: 'frontend', namespace: 'shop', port: 8080, serviceAccountName: 'frontend' }),
      'k8s/rbac.yaml': taken,
    };
    const [f] = of(lint(files), 'kuberesolver-rbac');
    const added = f!.suggestions[0]!.edits.map((e) => e.text).join('');
    assert.deepEqual(names(added, 'Role'), ['frontend-kuberesolver-2']);
    assert.deepEqual(names(added, 'RoleBinding'), ['frontend-kuberesolver-2']);
    assert.match(added, /roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: frontend-kuberesolver-2/);
  });

  it('the headless-sibling suggestion picks a free name when <name>-headless is taken', () => {
    const orders = app({ name: 'orders', namespace: 'shop', portName: 'grpc' });
    const other =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: orders-headless\n  namespace: shop\nspec:\n  selector:\n    app: something-else\n  ports:\n  - port: 80\n';
    const files = {
      'frontend/client.py': 'import grpc\n\nchannel = grpc.insecure_channel("orders.shop:50051")\n',
      'k8s/orders.yaml': orders,
      'k8s/other.yaml': other,
    };
    const texts = lint(files)
      .flatMap((f) => f.suggestions)
      .flatMap((s) => s.edits)
      .map((e) => e.text)
      .filter((t) => t.includes('kind: Service'));
    assert.ok(texts.length > 0, 'a sibling is suggested');
    for (const t of texts) assert.deepEqual(names(t, 'Service'), ['orders-headless-2']);
  });

  it('a chart Service whose values are unknown gets no headless sibling (no <templated>-headless, app: "", port: null)', () => {
    const chart = {
      'chart/Chart.yaml': 'apiVersion: v2\nname: orders\nversion: 1.0.0\n',
      'chart/values.yaml': 'port: 50051\n',
      'chart/templates/svc.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "orders.fullname" . }}\nspec:\n  selector:\n    app: {{ .Values.app }}\n  ports:\n  - name: grpc\n    port: {{ .Values.missingPort }}\n    targetPort: grpc\n',
      'chart/templates/deploy.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  selector:\n    matchLabels:\n      app: {{ .Values.app }}\n  template:\n    metadata:\n      labels:\n        app: {{ .Values.app }}\n    spec:\n      containers:\n      - name: orders\n        image: orders:1\n        ports:\n        - name: grpc\n          containerPort: 50051\n',
      'frontend/client.py': 'import grpc\n\nchannel = grpc.insecure_channel("orders:50051")\n',
    };
    const texts = lint(chart)
      .flatMap((f) => [...(f.fix ? [f.fix] : []), ...f.suggestions])
      .flatMap((s) => s.edits)
      .map((e) => e.text);
    for (const t of texts) {
      assert.doesNotMatch(t, /<templated>|app: ""|port: null/, t);
    }
  });

  it('an edit re-parses only the edited file’s fixes: verdicts of unchanged files are kept across analyses', () => {
    const ws = new Workspace({}, allRules);
    const named = (name: string) => served('').replaceAll(': api', `: ${name}`);
    for (const name of ['a', 'b', 'c']) ws.setFile(`/p/${name}.yaml`, named(name));
    const first = ws.analyze();
    const fixable = (f: Finding) => f.fix !== undefined || f.suggestions.length > 0;
    assert.ok(first.findings.filter(fixable).length >= 3, 'each file has fixes to verify');
    const afterFirst = ws.verifyCounters.reparses!;
    assert.ok(afterFirst > 0);
    ws.setFile('/p/b.yaml', `${named('b')}# edited\n`);
    const second = ws.analyze();
    const perFile = (r: typeof first) =>
      r.findings.filter((f) => f.file === '/p/a.yaml').map((f) => [f.ruleId, !!f.fix, f.suggestions.length]);
    assert.deepEqual(perFile(second), perFile(first), 'the unchanged files keep their fixes');
    const again = ws.verifyCounters.reparses! - afterFirst;
    assert.ok(again > 0, 'the edited file is re-verified');
    assert.ok(again * 2 < afterFirst, `only b.yaml re-parsed: ${again} of ${afterFirst}`);
  });

  const fresh = (ws: Workspace): Workspace => {
    const copy = new Workspace({}, allRules);
    for (const file of ws.files()) copy.setFile(file, ws.text(file)!);
    return copy;
  };

  it('an edit of one document of a manifest re-analyses only that document’s fixes, and agrees with a fresh workspace', () => {
    const ws = new Workspace({}, allRules);
    const named = (name: string) => served('').replaceAll(': api', `: ${name}`);
    ws.setFile('/p/all.yaml', ['a', 'b', 'c'].map((n) => `---\n${named(n)}`).join(''));
    const first = ws.analyze();
    const all = first.findings.filter((f) => f.fix).length;
    const count = () => ws.verifyCounters.reanalysedFixes ?? 0;
    assert.equal(count(), all);
    // The fixes inside b's Deployment document (the one the edit changes; b's Service is a document of its own).
    const text = ws.text('/p/all.yaml')!;
    const from = text.indexOf('kind: Deployment\nmetadata:\n  name: b');
    const to = text.indexOf('\n---\n', from);
    const inB = first.findings.filter((f) => f.fix && f.start >= from && f.start < to).length;
    assert.ok(inB > 0 && inB < all, `fixes in b's Deployment: ${inB} of ${all}`);
    ws.setFile('/p/all.yaml', ws.text('/p/all.yaml')!.replace('image: b:1', 'image: b:2'));
    const second = ws.analyze();
    assert.equal(count() - all, inB, 'only the edited document’s fixes are re-analysed');
    const same = (r: typeof first) => r.findings.map((f) => [f.ruleId, f.start, f.message, f.fix?.edits]);
    assert.deepEqual(same(second), same(fresh(ws).analyze()));
  });

  it('an edit re-analyses only the edited file’s fixes; a file added or removed re-analyses every fix', () => {
    const ws = new Workspace({}, allRules);
    const named = (name: string) => served('').replaceAll(': api', `: ${name}`);
    for (const name of ['a', 'b', 'c']) ws.setFile(`/p/${name}.yaml`, named(name));
    const fixesIn = (r: ReturnType<Workspace['analyze']>, file?: string) =>
      r.findings.filter((f) => f.fix !== undefined && (file === undefined || f.file === file)).length;
    const first = ws.analyze();
    const all = fixesIn(first);
    assert.ok(fixesIn(first, '/p/b.yaml') > 0 && all > fixesIn(first, '/p/b.yaml'), 'fixes in b.yaml and elsewhere');
    const count = () => ws.verifyCounters.reanalysedFixes ?? 0;
    assert.equal(count(), all, 'each fix re-analysed once');
    ws.setFile('/p/b.yaml', named('b').replace('image: b:1', 'image: b:2'));
    const second = ws.analyze();
    assert.equal(count() - all, fixesIn(second, '/p/b.yaml'), 'only b.yaml’s fixes are re-analysed');
    assert.deepEqual(
      second.findings.map((f) => [f.file, f.ruleId, !!f.fix]),
      fresh(ws)
        .analyze()
        .findings.map((f) => [f.file, f.ruleId, !!f.fix]),
      'the same fixes as a fresh workspace',
    );
    const before = count();
    ws.setFile('/p/d.yaml', named('d'));
    const third = ws.analyze();
    assert.equal(count() - before, fixesIn(third), 'a new file: every fix is re-analysed');
  });
});
