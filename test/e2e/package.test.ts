// The package a user installs: `npm pack` of this checkout installed into a brand-new project (from the local
// npm cache where it can), then used exactly as the README says: ESLint with an ESM and a CommonJS config,
// `npx kubeconn check` in all three formats, `require`/`import` of the API. Findings must equal the CLI's,
// `npm ls` must be clean with one ESLint in the tree, and kubeconn may add at most 30 MB.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths.js';
import { summarize, type Result } from './project.js';

const MB = 1024 * 1024;

function run(cmd: string, args: string[], cwd: string, timeout = 240_000) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function duBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

const eslintVersion = (
  JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
).devDependencies.eslint!;

describe('the npm package, installed into a new project', () => {
  let work: string;
  let app: string;
  let tarball: string;
  const timings: string[] = [];
  const time = <T>(label: string, f: () => T): T => {
    const t = Date.now();
    const out = f();
    timings.push(`${label} ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return out;
  };

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconn-pack-'));
    app = path.join(work, 'app');
    fs.mkdirSync(app);
    // The checkout is built by `npm test` before this runs; pack it as it is (prepack would build again).
    const packed = time('npm pack', () => run('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--json'], repoRoot));
    assert.equal(packed.status, 0, packed.stderr);
    tarball = path.join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
    assert.equal(run('npm', ['init', '-y'], app).status, 0);
  });
  after(() => {
    console.log(`  packaging test timings: ${timings.join(', ')}`);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('ships the build, the grammars, the rule docs, the schema and types, and nothing of the tests', () => {
    const list = run('tar', ['tzf', tarball], work)
      .stdout.split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    for (const needed of [
      'bin/kubeconn.js',
      'dist/src/eslint/index.js',
      'dist/src/eslint/index.d.ts',
      'dist/src/eslint/cjs.cjs',
      'dist/src/core/index.d.ts',
      'dist/grammars/tree-sitter-go.wasm',
      'docs/rules/prestop-sleep.md',
      'schema/kubeconn.schema.json',
      'README.md',
      'LICENSE',
    ]) {
      assert.ok(list.includes(needed), `${needed} is in the tarball`);
    }
    assert.deepEqual(
      list.filter((f) => /^dist\/(test|bench)\/|\.map$|^src\/|^test\//.test(f)),
      [],
    );
  });

  it('installs with one ESLint, a clean `npm ls`, and adds at most 30 MB', () => {
    const withEslint = time('npm i -D eslint', () =>
      run('npm', ['install', '--prefer-offline', '--save-dev', `eslint@${eslintVersion}`], app),
    );
    assert.equal(withEslint.status, 0, withEslint.stderr);
    const before = duBytes(path.join(app, 'node_modules'));
    const installed = time('npm i -D kubeconn.tgz', () => run('npm', ['install', '--prefer-offline', '--save-dev', tarball], app));
    assert.equal(installed.status, 0, installed.stderr);
    assert.doesNotMatch(installed.stderr, /EBADENGINE|ERESOLVE|deprecated/);
    const added = duBytes(path.join(app, 'node_modules')) - before;
    console.log(`  installed size: ESLint alone ${(before / MB).toFixed(1)} MB, kubeconn adds ${(added / MB).toFixed(1)} MB`);
    assert.ok(added <= 30 * MB, `kubeconn adds ${(added / MB).toFixed(1)} MB`);
    const ls = run('npm', ['ls', '--all', '--json'], app);
    assert.equal(ls.status, 0, ls.stderr);
    const versions = new Set<string>();
    const walk = (deps: Record<string, { version?: string; dependencies?: object }> | undefined): void => {
      for (const [name, dep] of Object.entries(deps ?? {})) {
        if (name === 'eslint' && dep.version) versions.add(dep.version);
        walk(dep.dependencies as Record<string, { version?: string }> | undefined);
      }
    };
    walk((JSON.parse(ls.stdout) as { dependencies: Record<string, { version?: string }> }).dependencies);
    assert.deepEqual([...versions], [eslintVersion]);
    assert.ok(!fs.existsSync(path.join(app, 'node_modules', 'tree-sitter-go')), 'no grammar package with install scripts');
  });

  it('works as the README shows: ESLint ESM and CJS configs, the CLI in three formats, the API from require and import', () => {
    fs.cpSync(path.join(repoRoot, 'examples', 'shop'), path.join(app, 'shop'), { recursive: true });
    const npx = (args: string[]) => run(path.join(app, 'node_modules', '.bin', args[0]!), args.slice(1), app);
    const cli = time('kubeconn check (json)', () => npx(['kubeconn', 'check', 'shop', '--format', 'json']));
    assert.equal(cli.status, 1, cli.stderr); // the shop has errors on purpose
    const expected = summarize(JSON.parse(cli.stdout) as Result[], app);
    assert.ok(expected.length >= 10, `${expected.length} findings`);
    // The same as this checkout's own CLI.
    const local = run(process.execPath, [path.join(repoRoot, 'bin', 'kubeconn.js'), 'check', 'shop', '--format', 'json'], app);
    assert.deepEqual(summarize(JSON.parse(local.stdout) as Result[], app), expected);

    const stylish = npx(['kubeconn', 'check', 'shop']);
    assert.match(stylish.stdout, /^shop\/k8s\//m, 'stylish paths are relative');
    const sarif = npx(['kubeconn', 'check', 'shop', '--format', 'sarif']);
    assert.equal((JSON.parse(sarif.stdout) as { runs: { tool: { driver: { name: string } } }[] }).runs[0]!.tool.driver.name, 'kubeconn');

    fs.writeFileSync(
      path.join(app, 'eslint.config.mjs'),
      "import kubeconn from 'kubeconn';\n\nexport default [...kubeconn.configs.recommended];\n",
    );
    const esm = time('eslint (ESM config)', () => npx(['eslint', '--format', 'json', 'shop']));
    assert.equal(esm.stderr, '');
    assert.deepEqual(summarize(JSON.parse(esm.stdout) as Result[], app), expected);
    fs.rmSync(path.join(app, 'eslint.config.mjs'));
    fs.writeFileSync(
      path.join(app, 'eslint.config.cjs'),
      "const kubeconn = require('kubeconn');\n\nmodule.exports = [...kubeconn.configs.recommended];\n",
    );
    const cjs = time('eslint (CJS config)', () => npx(['eslint', '--format', 'json', 'shop']));
    assert.equal(cjs.stderr, '');
    assert.deepEqual(summarize(JSON.parse(cjs.stdout) as Result[], app), expected);

    const api = [
      "const plugin = require('kubeconn');",
      "if (!plugin.rules['prestop-sleep'] || !Array.isArray(plugin.configs.recommended)) process.exit(3);",
      "import('kubeconn/core').then(async (core) => {",
      '  await core.initKubeconn();',
      '  const ws = core.createWorkspace();',
      "  ws.setFile('/x/pod.yaml', 'apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: p}\\nspec:\\n  template:\\n    metadata: {labels: {app: p}}\\n    spec:\\n      containers: [{name: c, ports: [{containerPort: 80}]}]\\n---\\napiVersion: v1\\nkind: Service\\nmetadata: {name: p}\\nspec: {selector: {app: p}, ports: [{port: 80}]}\\n');",
      '  console.log(ws.analyze().findings.map((f) => f.ruleId).sort().join(","));',
      '});',
    ].join('\n');
    fs.writeFileSync(path.join(app, 'api.cjs'), api);
    const viaApi = run(process.execPath, ['api.cjs'], app);
    assert.equal(viaApi.status, 0, viaApi.stderr);
    assert.equal(viaApi.stdout.trim(), 'prestop-sleep,readiness-probe');
  });
});
