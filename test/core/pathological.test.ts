// The hostile inputs of issue 14: each once took the whole run down or ran for seconds to minutes. Every
// one must now end as findings or a problem naming the file, with every other file's findings intact, in
// the engine, the CLI (JSON) and ESLint. Time bounds here are generous hang catchers, not benchmarks
// (bench/pathological.ts measures).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { initKubeconn, Workspace, allRules, createWorkspace, extractFacts, resolveOptions } from '../../src/api.js';
import { checkParseBudget, parse, ParseBudgetExceeded, withParseBudget } from '../../src/core/facts/treesitter.js';
import { maskHelm } from '../../src/core/facts/manifests.js';
import { readForAnalysis, readForAnalysisAsync } from '../../src/node/files.js';
import { globToRegExp } from '../../src/core/model/images.js';
import { eslint, kubeconn, makeProject, type Result } from '../e2e/project.js';

// A served Deployment (its Service selects it): prestop-sleep reports on it, so "the other findings" exist.
const POD = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers: [{name: c, image: ${name}, ports: [{containerPort: 80}]}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {selector: {app: ${name}}, ports: [{port: 80}]}\n`;

async function analyse(files: Record<string, string>) {
  await initKubeconn();
  const ws = createWorkspace({});
  for (const [f, t] of Object.entries(files)) ws.setFile(`/w/${f}`, t);
  return ws.analyze();
}

const prestop = (r: { findings: { ruleId: string; file: string }[] }) =>
  r.findings.filter((f) => f.ruleId === 'prestop-sleep').map((f) => path.basename(f.file));

function timed<T>(limitMs: number, run: () => T): T {
  const started = Date.now();
  const out = run();
  assert.ok(Date.now() - started < limitMs, `took ${Date.now() - started} ms`);
  return out;
}

function withEnv<T>(env: Record<string, string>, run: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return run();
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = v;
  }
}

describe('pathological input: no whole-run crash', () => {
  it('a COPY source with an unclosed `[` matches nothing instead of throwing out of analyze()', async () => {
    const result = await analyse({ Dockerfile: 'FROM alpine\nCOPY run[.sh /app/\nCMD /app/run.sh\n', 'a.yaml': POD('a') });
    assert.deepEqual(result.notices, []);
    assert.deepEqual(prestop(result), ['a.yaml']);
  });

  it('COPY globs follow Go filepath.Match: classes, ranges, negation, escapes; malformed ones match nothing', () => {
    const m = (glob: string, name: string) => globToRegExp(glob).test(name);
    assert.equal(m('run[.sh', 'run[.sh'), false);
    assert.equal(m('run[0-9].sh', 'run1.sh'), true);
    assert.equal(m('run[^0-9].sh', 'run1.sh'), false);
    assert.equal(m('run[^0-9].sh', 'runx.sh'), true);
    assert.equal(m('*.sh', 'a.b.sh'), true);
    assert.equal(m('*.sh', 'dir/a.sh'), false);
    assert.equal(m('a\\*b', 'a*b'), true);
    assert.equal(m('a\\*b', 'axb'), false);
    assert.equal(m('(a|b)+', '(a|b)+'), true);
    assert.equal(m('[z-a]', 'q'), false);
  });

  it('a Service aliasing an enclosing node (`spec: &s … x: *s`) gets its finding; the sibling is not offered', async () => {
    const service =
      'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: &s\n  ports:\n    - name: grpc\n      port: 50051\n      x: *s\n';
    const result = await analyse({ 's.yaml': service, 'a.yaml': POD('a') });
    assert.deepEqual(result.notices, []);
    const finding = result.findings.find((f) => f.ruleId === 'grpc-clusterip-imbalance');
    assert.ok(finding, 'the finding is reported');
    assert.deepEqual(
      finding.suggestions.map((s) => s.messageId),
      ['makeHeadless'],
    );
    assert.deepEqual(prestop(result), ['a.yaml']);
  });
});

describe('pathological input: isolation', () => {
  it('an extractor that throws is a problem naming the file and the extractor; other files still report', async () => {
    await initKubeconn();
    const result = withEnv({ KUBECONN_TEST_FAIL_EXTRACTOR: 'shell' }, () => {
      const ws = new Workspace({}, allRules);
      ws.setFile('/w/run.sh', '#!/bin/sh\nnode server.js\n');
      ws.setFile('/w/a.yaml', POD('a'));
      return ws.analyze();
    });
    assert.deepEqual(
      result.problems.map((p) => [path.basename(p.file), p.kind, p.message]),
      [['run.sh', 'internal', 'kubeconn could not analyse run.sh (shell): simulated failure (KUBECONN_TEST_FAIL_EXTRACTOR)']],
    );
    assert.deepEqual(prestop(result), ['a.yaml']);
  });

  it('a model step that throws is a notice naming the step; the model goes on and every rule runs', async () => {
    await initKubeconn();
    const result = withEnv({ KUBECONN_TEST_FAIL_STEP: 'mesh' }, () => {
      const ws = new Workspace({}, allRules);
      ws.setFile('/w/a.yaml', POD('a'));
      return ws.analyze();
    });
    assert.deepEqual(
      result.notices.map((n) => [n.ruleId, n.step, n.message]),
      [
        [
          '',
          'mesh',
          'kubeconn internal error while linking mesh: simulated failure (KUBECONN_TEST_FAIL_STEP); findings that depend on it are missing',
        ],
      ],
    );
    assert.deepEqual(prestop(result), ['a.yaml']);
  });
});

describe('pathological input: files on disk', () => {
  const projects: { cleanup(): void }[] = [];
  after(() => projects.forEach((p) => p.cleanup()));

  it('unreadable, oversized, looping and special files are per-file problems; the JSON never embeds their source', () => {
    const p = makeProject({ 'a.yaml': POD('a'), 'big.yaml': '', 'sub/x.yaml': POD('x') });
    projects.push(p);
    // 1 GB by stat (sparse: nothing is written, and nothing must be read).
    fs.truncateSync(path.join(p.dir, 'big.yaml'), 1024 ** 3);
    fs.symlinkSync('loop.yaml', path.join(p.dir, 'loop.yaml'));
    // A FIFO with no writer: opening it to read would block for ever unless it is opened without blocking.
    execFileSync('mkfifo', [path.join(p.dir, 'pipe.yaml')]);
    // An unreadable .gitignore above the root (a folder of that name: reading it fails even as root).
    fs.mkdirSync(path.join(p.dir, '.git'));
    fs.mkdirSync(path.join(p.dir, '.gitignore'));
    const r = timed(30_000, () =>
      kubeconn(p.dir, ['check', '--no-config', '--format', 'json', 'sub', 'a.yaml', 'big.yaml', 'loop.yaml', 'pipe.yaml']),
    );
    assert.equal(r.status, 0, r.stderr); // warnings only: no file made the run fail
    const results = JSON.parse(r.stdout) as (Result & { source?: string })[];
    const byName = new Map(results.map((x) => [path.relative(p.dir, x.filePath), x]));
    assert.deepEqual(
      byName.get('big.yaml')?.messages.map((m) => m.message),
      ['Skipped: the file is 1024.0 MB, over the 5.0 MB limit (setting maxFileBytes).'],
    );
    assert.deepEqual(
      byName.get('loop.yaml')?.messages.map((m) => m.message),
      ['Skipped: cannot read the file (a symbolic link loop).'],
    );
    assert.deepEqual(
      byName.get('pipe.yaml')?.messages.map((m) => m.message),
      ['Skipped: not a regular file (a pipe, socket or device).'],
    );
    assert.equal(byName.get('big.yaml')?.source, undefined);
    assert.equal(byName.get('loop.yaml')?.source, undefined);
    assert.ok(byName.get('a.yaml')?.messages.some((m) => m.ruleId === 'kubeconn/prestop-sleep'));
    assert.ok(byName.get('sub/x.yaml')?.messages.some((m) => m.ruleId === 'kubeconn/prestop-sleep'));
  });

  it("the editor's asynchronous read says the same as the CLI's for every kind of file, and a FIFO does not block it", async () => {
    const p = makeProject({ 'a.yaml': POD('a'), 'big.yaml': '', 'latin1.yaml': '' });
    projects.push(p);
    const at = (name: string) => path.join(p.dir, name);
    fs.truncateSync(at('big.yaml'), 1024 ** 3);
    fs.writeFileSync(at('latin1.yaml'), Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x3a, 0x20, 0xe9, 0x0a]));
    fs.symlinkSync('loop.yaml', at('loop.yaml'));
    execFileSync('mkfifo', [at('pipe.yaml')]);
    fs.mkdirSync(at('folder.yaml'));
    const names = ['a.yaml', 'big.yaml', 'latin1.yaml', 'loop.yaml', 'pipe.yaml', 'folder.yaml', 'gone.yaml'];
    const limit = 5 * 1024 * 1024;
    const started = performance.now();
    const reads = await Promise.all(names.map((n) => readForAnalysisAsync(at(n), limit)));
    assert.ok(performance.now() - started < 5_000, 'no read waited for a writer');
    assert.deepEqual(
      reads,
      names.map((n) => readForAnalysis(at(n), limit)),
    );
    assert.equal(reads[0]!.text, POD('a'));
    assert.equal(reads[1]!.skipped, 'Skipped: the file is 1024.0 MB, over the 5.0 MB limit (setting maxFileBytes).');
    assert.equal(reads[2]!.text, '\ufeffa: \ufffd\n');
    assert.equal(reads[3]!.skipped, 'Skipped: cannot read the file (a symbolic link loop).');
    assert.equal(reads[4]!.skipped, 'Skipped: not a regular file (a pipe, socket or device).');
    assert.equal(reads[5]!.skipped, 'Skipped: this is a folder, not a file.');
    assert.equal(reads[6]!.skipped, 'Skipped: cannot read the file (it no longer exists).');
  });

  it('a file over the limit that is read anyway (an editor buffer) is skipped, and the JSON does not embed it', () => {
    const p = makeProject({ 'a.yaml': POD('a'), 'b.yaml': `${POD('b')}${'# pad\n'.repeat(400)}` });
    projects.push(p);
    const r = kubeconn(p.dir, ['check', '--no-config', '--format', 'json', '--max-file-size', '1024', '.']);
    const results = JSON.parse(r.stdout) as (Result & { source?: string })[];
    const b = results.find((x) => x.filePath.endsWith('b.yaml'))!;
    assert.match(b.messages[0]!.message, /^Skipped: the file is 0\.0 MB, over the 0\.0 MB limit/);
    assert.equal(b.source, undefined);
  });

  it('a failed model step: the CLI prints the other findings and exits 2; ESLint reports it as a message', () => {
    const p = makeProject({ 'a.yaml': POD('a') });
    projects.push(p);
    const r = withEnv({ KUBECONN_TEST_FAIL_STEP: 'images' }, () => kubeconn(p.dir, ['check', '--no-config', '--format', 'json']));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /kubeconn: kubeconn internal error while linking images: simulated failure/);
    assert.ok((JSON.parse(r.stdout) as Result[]).some((x) => x.messages.some((m) => m.ruleId === 'kubeconn/prestop-sleep')));
    const e = withEnv({ KUBECONN_TEST_FAIL_STEP: 'images' }, () => eslint(p.dir, ['--format', 'json', '.']));
    assert.equal(e.stderr, '');
    const messages = (JSON.parse(e.stdout) as Result[]).flatMap((x) => x.messages.map((m) => m.message));
    assert.ok(
      messages.some((m) => m.startsWith('kubeconn internal error while linking images')),
      messages.join('\n'),
    );
  });
});

describe('pathological input: linear time', () => {
  it('Helm masking with a `{{` that never closes is linear and masks only closed actions', async () => {
    assert.equal(maskHelm('a: {{ .b }}\nc: {{ .d\ne: }} {{ f'), 'a:         \nc:      \n      {{ f');
    assert.equal(maskHelm('no actions'), 'no actions');
    const text = `apiVersion: v1\nkind: Service\nmetadata: {name: s}\n${'  x: {{ .Values.a\n'.repeat(30_000)}`;
    timed(10_000, () => maskHelm(text));
    await timed(10_000, () => analyse({ 'templates/s.yaml': text }));
  });

  it('a 107 KB line of `{` in a shell script', async () => {
    await initKubeconn();
    const result = timed(10_000, () => {
      const ws = createWorkspace({});
      ws.setFile('/w/run.sh', `#!/bin/sh\n${'{'.repeat(107_000)}\nexec /app/server\n`);
      ws.setFile('/w/a.yaml', POD('a'));
      return ws.analyze();
    });
    assert.deepEqual(prestop(result), ['a.yaml']);
  });

  it('400 identical Service/Deployment pairs selecting each other', async () => {
    const pair = (i: number) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d${i}}\nspec:\n  template:\n    metadata: {labels: {app: same}}\n    spec:\n      containers: [{name: c, ports: [{containerPort: 80}]}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s${i}}\nspec: {selector: {app: same}, ports: [{port: 80}]}\n---\n`;
    await initKubeconn();
    const result = timed(30_000, () => {
      const ws = createWorkspace({});
      ws.setFile('/w/pairs.yaml', Array.from({ length: 400 }, (_, i) => pair(i)).join(''));
      return ws.analyze();
    });
    assert.equal(result.model.workloadsSelectedBy(result.model.services[0]!).length, 400);
    assert.equal(prestop(result).length, 400);
  });

  it('a minified bundle and 1 MB of Python statements', async () => {
    let js = 'const grpc=require("@grpc/grpc-js");';
    for (let i = 0; js.length < 300_000; i++) js += `var a${i}=b${i % 97}(${i}),c${i}=a${i}+"x";function f${i}(p){return p?a${i}:c${i}}`;
    let py = 'import grpc\n';
    for (let i = 0; py.length < 500_000; i++) py += `a${i} = b${i % 97}(${i})\nc${i} = a${i} + "x"\n`;
    const result = await timed(60_000, () => analyse({ 'bundle.js': js, 'app.py': py, 'a.yaml': POD('a') }));
    assert.deepEqual(prestop(result), ['a.yaml']);
  });
});

describe('pathological input: the per-file time budget (the last resort)', () => {
  const projects: { cleanup(): void }[] = [];
  after(() => projects.forEach((p) => p.cleanup()));
  // 1.1 MB of `if true; then`: tree-sitter-bash needs several seconds for it (superlinear error recovery).
  const slowScript = `#!/bin/sh\n${'if true; then\n'.repeat(80_000)}`;

  it('the budget is CPU time: waiting (a loaded machine) does not use it, work does', () => {
    const idle = new Int32Array(new SharedArrayBuffer(4));
    withParseBudget(50, () => {
      Atomics.wait(idle, 0, 0, 200); // 200 ms of wall time, next to no CPU
      for (let i = 0; i < 64; i++) checkParseBudget(); // the clock is read on every 64th check
    });
    assert.throws(
      () =>
        withParseBudget(50, () => {
          const start = process.cpuUsage();
          while (process.cpuUsage(start).user < 100_000); // 100 ms of CPU, however long that takes on this machine
          for (let i = 0; i < 64; i++) checkParseBudget();
        }),
      ParseBudgetExceeded,
    );
  });

  it('a tree-sitter parse past the deadline is cancelled, and the next parse starts afresh', async () => {
    await initKubeconn();
    parse('bash', 'echo warm\n').delete(); // the grammar's first parse compiles its wasm: not the file's time
    assert.throws(
      () => withParseBudget(1, () => parse('bash', slowScript)),
      (error) => error instanceof ParseBudgetExceeded && error.budgetMs === 1,
    );
    // A cancelled parser resumes where it stopped unless it is reset: the next script must get its own tree.
    const tree = withParseBudget(1000, () => parse('bash', 'exec /app/server\n'));
    try {
      assert.equal(tree.rootNode.text, 'exec /app/server\n');
      assert.equal(tree.rootNode.hasError, false);
    } finally {
      tree.delete();
    }
  });

  it('long extractor loops check the same deadline: 4,000 YAML documents with a 1 ms budget are skipped', async () => {
    await initKubeconn();
    const many = Array.from({ length: 2000 }, (_, i) => POD(`p${i}`)).join('---\n');
    const facts = extractFacts('/w/many.yaml', many, resolveOptions({ maxParseMs: 1 }));
    assert.deepEqual(
      facts.problems.map((p) => [p.kind, p.message]),
      [['skipped', 'Skipped: parsing many.yaml took longer than 1 ms, so nothing in it is analysed (setting maxParseMs).']],
    );
    assert.equal(facts.manifests, undefined);
  });

  it('the CLI skips the slow file with a notice naming it; every other file, scripts included, still reports', () => {
    const p = makeProject({
      'a-slow.sh': slowScript,
      'a.yaml': POD('a'),
      'svc/Dockerfile': 'FROM debian:12\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
      'svc/entrypoint.sh': '#!/bin/sh\nset -e\n/app/server --listen :8080\n',
    });
    projects.push(p);
    // 1 s, not 1 ms: the first file of each kind in a fresh process pays for JIT and wasm compilation (~100 ms
    // on a loaded machine), which a tiny budget would count against it. a-slow.sh sorts first, so the bash
    // parser is cancelled before entrypoint.sh is parsed with it.
    const r = timed(60_000, () => kubeconn(p.dir, ['check', '--no-config', '--format', 'json', '--max-parse-ms', '1000']));
    const results = JSON.parse(r.stdout) as Result[];
    const messages = (file: string) =>
      results.find((x) => path.relative(p.dir, x.filePath) === file)?.messages.map((m) => `${m.ruleId ?? ''} ${m.line}`) ?? [];
    assert.deepEqual(
      results.find((x) => x.filePath.endsWith('a-slow.sh'))?.messages.map((m) => m.message),
      ['Skipped: parsing a-slow.sh took longer than 1 s, so nothing in it is analysed (setting maxParseMs).'],
    );
    assert.deepEqual(messages('a.yaml'), ['kubeconn/prestop-sleep 8', 'kubeconn/readiness-probe 8']);
    assert.deepEqual(messages('svc/entrypoint.sh'), ['kubeconn/entrypoint-script-exec 3']);
    assert.equal(r.status, 1, r.stderr);
  });
});
