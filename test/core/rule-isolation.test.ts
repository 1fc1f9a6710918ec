// A rule that throws never takes the analysis down: the exception becomes a notice naming the rule and the
// entity it was examining, the same rule still checks the other entities, and every other rule reports —
// in the engine, the CLI (exit 2, findings still printed) and ESLint (a message, not a crash).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { allRules, initKubeconn, Workspace } from '../../src/api.js';
import { defineRule } from '../../src/core/rule.js';
import { eslint, kubeconn, makeProject, type Result } from '../e2e/project.js';

// A served workload (a Deployment its Service selects): prestop-sleep and readiness-probe judge only those.
const POD = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers: [{name: c, ports: [{containerPort: 80}]}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {selector: {app: ${name}}, ports: [{port: 80}]}\n`;

describe('rule isolation', () => {
  const projects: { cleanup(): void }[] = [];
  after(() => projects.forEach((p) => p.cleanup()));

  it('a throw on one entity is a notice on that entity; the rule goes on with the others', async () => {
    await initKubeconn();
    const fragile = defineRule({
      id: 'fragile',
      meta: {
        type: 'problem',
        category: 'shutdown',
        description: 'Test rule',
        remediation: 'None.',
        severity: 'warning',
        messages: { seen: 'Saw {{name}}' },
      },
      // eslint-disable-next-line @typescript-eslint/unbound-method -- the rule context's members are closures (as for rules/)
      check({ model, each, report }) {
        each(model.workloads, (w) => {
          if (w.name === 'bad') throw new TypeError("Cannot read properties of undefined (reading 'x')");
          report({
            messageId: 'seen',
            data: { name: w.name },
            at: { file: w.object.file, start: w.object.nameSpan[0], end: w.object.nameSpan[1] },
          });
        });
      },
    });
    const broken = defineRule({
      ...fragile,
      id: 'broken',
      check: () => {
        throw new Error('boom');
      },
    });
    const ws = new Workspace({}, [broken, fragile, ...allRules.filter((r) => r.id === 'prestop-sleep')]);
    ws.setFile('/w/a.yaml', POD('good'));
    ws.setFile('/w/b.yaml', POD('bad'));
    const result = ws.analyze();
    assert.deepEqual(result.findings.map((f) => `${f.ruleId} ${path.basename(f.file)}`).sort(), [
      'fragile a.yaml',
      'prestop-sleep a.yaml',
      'prestop-sleep b.yaml',
    ]);
    assert.deepEqual(
      result.notices.map((n) => [n.ruleId, n.message, n.at?.file, n.at?.line]),
      [
        ['broken', 'kubeconn internal error in rule broken: boom', undefined, undefined],
        [
          'fragile',
          "kubeconn internal error in rule fragile on Deployment 'bad': Cannot read properties of undefined (reading 'x')",
          '/w/b.yaml',
          3,
        ],
      ],
    );
    assert.deepEqual(
      result.problemsByFile.get('/w/b.yaml')?.map((p) => [p.kind, p.ruleId, p.line]),
      [['internal', 'fragile', 3]],
    );
  });

  it('the CLI prints every other finding, names the failed rule and exits 2', () => {
    const p = makeProject({ 'a.yaml': POD('a'), 'b.yaml': POD('b') });
    projects.push(p);
    const env = { KUBECONN_TEST_FAIL_RULE: 'readiness-probe' };
    const r = withEnv(env, () => kubeconn(p.dir, ['check', '--format', 'json']));
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /kubeconn: kubeconn internal error in rule readiness-probe on Deployment 'a': simulated failure \(KUBECONN_TEST_FAIL_RULE\) \(a\.yaml:3:/,
    );
    const messages = (JSON.parse(r.stdout) as Result[]).flatMap((x) => x.messages.map((m) => m.ruleId));
    assert.equal(messages.filter((m) => m === 'kubeconn/prestop-sleep').length, 2, 'the other rules still report');
  });

  it('ESLint reports the failure as a message of that rule, and the other rules still report', () => {
    const p = makeProject({ 'a.yaml': POD('a') });
    projects.push(p);
    const r = withEnv({ KUBECONN_TEST_FAIL_RULE: 'readiness-probe' }, () => eslint(p.dir, ['--format', 'json', '.']));
    assert.equal(r.stderr, '');
    const messages = (JSON.parse(r.stdout) as Result[]).flatMap((x) => x.messages.map((m) => `${m.ruleId}: ${m.message}`));
    assert.ok(
      messages.includes(
        "kubeconn/readiness-probe: kubeconn internal error in rule readiness-probe on Deployment 'a': simulated failure (KUBECONN_TEST_FAIL_RULE)",
      ),
      messages.join('\n'),
    );
    assert.ok(messages.some((m) => m.startsWith('kubeconn/prestop-sleep:')));
  });
});

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
