// The CI integrations as far as they run here: the GitHub Action's step script (action.yml) in a temporary
// project with GitHub's environment simulated, and the pre-commit hook's entry on the staged files of a
// temporary git repository (pre-commit itself is not installed: its `files` regex and `entry` are applied
// exactly as pre-commit applies them).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/paths.js';
import { makeProject, type Project } from './project.js';

// A served workload without preStop/readinessProbe (Deployment + the Service that selects it).
const BAD_POD =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: p}\nspec:\n  template:\n    metadata: {labels: {app: p}}\n    spec:\n      containers: [{name: c, ports: [{containerPort: 80}]}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: p}\nspec: {selector: {app: p}, ports: [{port: 80}]}\n';
const SERVICE =
  'apiVersion: v1\nkind: Service\nmetadata: {name: orders}\nspec:\n  selector: {app: orders}\n  ports: [{name: grpc, port: 50051}]\n';
const KUBECONN = path.join(repoRoot, 'bin', 'kubeconn.js');

describe('GitHub Action', () => {
  const projects: Project[] = [];
  after(() => projects.forEach((p) => p.cleanup()));

  it('action.yml runs the step script, uploads its SARIF and fails on errors only when asked', () => {
    const action = parse(fs.readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as {
      runs: { using: string; steps: { id?: string; run?: string; uses?: string; with?: Record<string, string>; if?: string }[] };
    };
    assert.equal(action.runs.using, 'composite');
    const [check, upload, fail] = action.runs.steps;
    assert.match(check!.run!, /scripts\/github-action\.sh/);
    assert.ok(fs.existsSync(path.join(repoRoot, 'scripts/github-action.sh')));
    assert.equal(upload!.uses, 'github/codeql-action/upload-sarif@v3');
    assert.equal(upload!.with!.sarif_file, '${{ steps.check.outputs.sarif-file }}');
    assert.match(fail!.if!, /exit-code == '1'/);
  });

  it('the step script writes the SARIF, prints the findings and reports the exit code as an output', () => {
    const p = makeProject({ 'deploy/pod.yaml': BAD_POD, 'deploy/svc.yaml': SERVICE });
    projects.push(p);
    const output = path.join(p.dir, 'github-output');
    const run = (env: Record<string, string>) =>
      spawnSync('bash', [path.join(repoRoot, 'scripts/github-action.sh')], {
        cwd: p.dir,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, GITHUB_OUTPUT: output, GITHUB_ACTION_PATH: repoRoot, KUBECONN_BIN: KUBECONN, ...env },
      });
    const r = run({ INPUT_PATHS: 'deploy', INPUT_ARGS: '--rule readiness-probe=off', INPUT_SARIF_FILE: 'out/k.sarif' });
    assert.equal(r.status, 0, r.stderr); // findings do not fail the step; the last step decides
    assert.match(r.stdout, /deploy\/pod\.yaml/);
    assert.doesNotMatch(r.stdout, /readiness-probe/, 'extra args reach kubeconn');
    const outputs = Object.fromEntries(
      fs
        .readFileSync(output, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split('=') as [string, string]),
    );
    assert.deepEqual(outputs, { 'sarif-file': 'out/k.sarif', 'exit-code': '0' });
    const sarif = JSON.parse(fs.readFileSync(path.join(p.dir, 'out/k.sarif'), 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    assert.ok(sarif.runs[0]!.results.some((x) => x.ruleId === 'kubeconn/prestop-sleep'));
    fs.rmSync(output);
    const usage = run({ INPUT_PATHS: 'no-such-folder', INPUT_SARIF_FILE: 'k.sarif' });
    assert.equal(usage.status, 2, 'a usage error fails the step at once');
    assert.match(fs.readFileSync(output, 'utf8'), /exit-code=2/);
  });
});

describe('pre-commit hook', () => {
  const projects: Project[] = [];
  after(() => projects.forEach((p) => p.cleanup()));
  const hooks = parse(fs.readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as {
    id: string;
    entry: string;
    files: string;
    language: string;
  }[];
  const hook = hooks.find((h) => h.id === 'kubeconn')!;

  /** What pre-commit runs: entry + the staged files matching `files` (no match, no run). */
  function runHook(dir: string): { ran: boolean; status: number | null; stdout: string; files: string[] } {
    const staged = spawnSync('git', ['diff', '--cached', '--name-only', '--diff-filter=ACMR'], { cwd: dir, encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean);
    const files = staged.filter((f) => new RegExp(hook.files).test(f));
    if (files.length === 0) return { ran: false, status: 0, stdout: '', files };
    const [bin, ...args] = hook.entry.split(' ');
    assert.equal(bin, 'kubeconn');
    const r = spawnSync(process.execPath, [KUBECONN, ...args, ...files], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    return { ran: true, status: r.status, stdout: r.stdout, files };
  }

  it('lints the staged files with the repository as evidence, and passes when they are clean', () => {
    const p = makeProject({
      'k8s/svc.yaml': SERVICE,
      'k8s/deploy.yaml': BAD_POD.replace('name: p', 'name: orders').replace('kind: Deployment', 'kind: Deployment\n# staged later'),
      'cmd/main.go': 'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() { grpc.NewClient("orders:50051") }\n',
      'README.md': '# app\n',
    });
    projects.push(p);
    const git = (...args: string[]) =>
      assert.equal(spawnSync('git', args, { cwd: p.dir, encoding: 'utf8' }).status, 0, `git ${args.join(' ')}`);
    git('init', '-q');
    git('add', 'README.md');
    assert.equal(runHook(p.dir).ran, false, 'README.md does not match `files`');
    git('add', 'cmd/main.go');
    const r = runHook(p.dir);
    assert.deepEqual(r.files, ['cmd/main.go']);
    assert.equal(r.status, 0, 'warnings do not fail the commit');
    assert.match(
      r.stdout,
      /cmd\/main\.go[\s\S]*grpc-client-load-balancing/,
      'the staged client is linked to the Service that is not staged',
    );
    assert.doesNotMatch(r.stdout, /k8s\//, 'only staged files are reported');
    p.write('k8s/pod.yaml', BAD_POD.replace('      containers:', '      terminationGracePeriodSeconds: 0\n      containers:'));
    git('add', 'k8s/pod.yaml');
    assert.equal(runHook(p.dir).status, 1, 'an error blocks the commit');
    assert.equal(hook.language, 'node');
  });
});
