// The real `eslint` with the plugin in a temporary project: the same findings as the CLI, the same fixes,
// directive comments, parse errors, SARIF through Microsoft's formatter; and ESLint's own RuleTester.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { RuleTester } from 'eslint';
import plugin from '../../src/eslint/index.js';
import { repoRoot } from '../helpers/paths.js';
import { yaml } from '../helpers/rule-tester.js';
import { eslint, kubeconn, makeProject, summarize, type Result } from './project.js';

const ALL_CONFIG = "import kubeconn from 'kubeconn';\nexport default [...kubeconn.configs.all];\n";

describe('ESLint plugin', () => {
  const projects: { cleanup(): void }[] = [];
  after(() => projects.forEach((p) => p.cleanup()));

  it('`eslint .` and `kubeconn check` agree finding for finding on examples/shop', () => {
    const p = makeProject({}, path.join(repoRoot, 'examples', 'shop'));
    projects.push(p);
    p.write('eslint.config.js', ALL_CONFIG);
    const viaEslint = eslint(p.dir, ['--format', 'json', '.']);
    assert.equal(viaEslint.stderr, '');
    const viaCli = kubeconn(p.dir, ['check', '--format', 'json']);
    const ours = summarize(JSON.parse(viaCli.stdout) as Result[], p.dir);
    const theirs = summarize(JSON.parse(viaEslint.stdout) as Result[], p.dir);
    assert.ok(ours.length >= 8, `expected the shop's mistakes, got ${ours.length}`);
    assert.deepEqual(theirs, ours);
    // The same JSON shape, key for key (ESLint 10's JSON formatter).
    const keys = (results: Result[]) => [...new Set(results.flatMap((r) => r.messages.map((m) => Object.keys(m).sort().join(','))))].sort();
    assert.deepEqual(keys(JSON.parse(viaCli.stdout) as Result[]), keys(JSON.parse(viaEslint.stdout) as Result[]));
    assert.equal(viaEslint.status, viaCli.status, 'same exit status (1: errors found)');
  });

  it('`eslint --fix .` writes the same files as `kubeconn check --fix`', () => {
    const a = makeProject({}, path.join(repoRoot, 'examples', 'shop'));
    const b = makeProject({}, path.join(repoRoot, 'examples', 'shop'));
    projects.push(a, b);
    a.write('eslint.config.js', ALL_CONFIG);
    b.write('eslint.config.js', ALL_CONFIG);
    eslint(a.dir, ['--fix', '.']);
    kubeconn(b.dir, ['check', '--fix']);
    const files = (dir: string) =>
      (fs.readdirSync(dir, { recursive: true }) as string[])
        .filter((f) => !f.startsWith('node_modules') && fs.statSync(path.join(dir, f)).isFile())
        .sort();
    assert.deepEqual(files(a.dir), files(b.dir));
    let changed = 0;
    for (const f of files(a.dir)) {
      assert.equal(a.read(f), b.read(f), f);
      const original = path.join(repoRoot, 'examples', 'shop', f);
      if (fs.existsSync(original) && a.read(f) !== fs.readFileSync(original, 'utf8')) changed++;
    }
    assert.ok(changed > 0, 'some file was fixed');
    // After fixing, nothing fixable is left and everything still parses.
    const again = JSON.parse(eslint(a.dir, ['--format', 'json', '.']).stdout) as Result[];
    assert.deepEqual(
      again.flatMap((r) => r.messages.filter((m) => m.fix || m.fatal)),
      [],
    );
  });

  it('honours eslint-disable comments in YAML and reports parse errors as fatal', () => {
    const p = makeProject({
      'pod.yaml': yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: p}
        spec:
          template:
            metadata: {labels: {app: p}}
            spec:
              containers:
                # eslint-disable-next-line kubeconn/prestop-sleep, kubeconn/readiness-probe -- a debug deployment
                - {name: c, ports: [{containerPort: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: p}
        spec: {selector: {app: p}, ports: [{port: 80}]}
      `,
      'broken.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: x\n',
    });
    projects.push(p);
    const results = JSON.parse(eslint(p.dir, ['--format', 'json', '.']).stdout) as Result[];
    const byFile = Object.fromEntries(results.map((r) => [path.basename(r.filePath), r]));
    assert.deepEqual(byFile['pod.yaml']!.messages, []);
    const [fatal] = byFile['broken.yaml']!.messages;
    assert.equal(fatal!.fatal, true);
    assert.equal(fatal!.line, 4);
    assert.match(fatal!.message, /Parsing error: YAML syntax error/);
  });

  it('TypeScript under configs.all: parsed without a TS parser, comments honoured, same findings as the CLI', () => {
    const p = makeProject({
      'k8s/orders.yaml':
        'apiVersion: v1\nkind: Service\nmetadata: {name: orders, namespace: shop}\nspec:\n  selector: {app: orders}\n  ports: [{name: grpc, port: 50051, appProtocol: kubernetes.io/h2c}]\n',
      'src/client.ts': [
        "import * as grpc from '@grpc/grpc-js';",
        "import { OrdersClient } from './gen/orders_grpc_pb';",
        'interface Options { deadlineMs: number }',
        'export const opts: Options = { deadlineMs: 500 };',
        "const client = new OrdersClient('orders.shop.svc.cluster.local:50051', grpc.credentials.createInsecure());",
        '// eslint-disable-next-line kubeconn/grpc-client-load-balancing -- one replica, measured',
        "const other = new OrdersClient('orders.shop:50051', grpc.credentials.createInsecure());",
        'export { client, other };',
        '',
      ].join('\n'),
    });
    projects.push(p);
    p.write('eslint.config.js', ALL_CONFIG);
    const viaEslint = JSON.parse(eslint(p.dir, ['--format', 'json', '.']).stdout) as Result[];
    const viaCli = JSON.parse(kubeconn(p.dir, ['check', '--format', 'json']).stdout) as Result[];
    const ours = summarize(viaCli, p.dir);
    assert.deepEqual(summarize(viaEslint, p.dir), ours);
    assert.deepEqual(
      ours.map((l) => l.split(' ').slice(0, 2).join(' ')),
      ['k8s/orders.yaml:6:12-6:22 kubeconn/grpc-clusterip-imbalance', 'src/client.ts:5:33-5:70 kubeconn/grpc-client-load-balancing'],
    );
  });

  it('produces SARIF through @microsoft/eslint-formatter-sarif', () => {
    const p = makeProject({ 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{name: grpc, port: 1}]\n' });
    projects.push(p);
    const r = eslint(p.dir, ['--format', '@microsoft/eslint-formatter-sarif', '.']);
    const sarif = JSON.parse(r.stdout) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[] }[] }[];
    };
    const results = sarif.runs[0]!.results;
    // service-app-protocol speaks only behind an HTTPRoute (facts A15); the port-name-only imbalance is an info.
    assert.deepEqual(results.map((x) => x.ruleId).sort(), ['kubeconn/grpc-clusterip-imbalance']);
    assert.deepEqual(results[0]!.locations[0]!.physicalLocation.region, { startLine: 5, startColumn: 12, endLine: 5, endColumn: 22 });
  });
});

// Let RuleTester report each case as a node:test test.
Object.assign(RuleTester, { describe, it, itOnly: it.only });

describe('ESLint RuleTester on the generated rules', () => {
  const tester = new RuleTester({ plugins: { kubeconn: plugin }, language: 'kubeconn/yaml' } as never);
  // A Deployment and the Service that selects it (one file): prestop-sleep and readiness-probe judge served pods only.
  const head =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: p}\nspec:\n  template:\n    metadata: {labels: {app: p}}\n    spec:\n      containers:\n        - name: c\n          ports: [{containerPort: 80}]\n';
  const tail = '---\napiVersion: v1\nkind: Service\nmetadata: {name: p}\nspec: {selector: {app: p}, ports: [{port: 80}]}\n';
  const pod = head + tail;
  tester.run('kubeconn/prestop-sleep', plugin.rules['prestop-sleep'] as never, {
    valid: [
      {
        filename: 'pod.yaml',
        code: pod.replace('ports: [{containerPort', 'lifecycle: {preStop: {sleep: {seconds: 3}}}\n          ports: [{containerPort'),
      },
    ],
    invalid: [
      {
        filename: 'pod.yaml',
        code: pod,
        errors: [
          {
            message:
              "Container 'c' of Deployment 'p' receives traffic but has no preStop hook. It gets SIGTERM while load balancers still send it new connections, which are refused.",
            line: 9,
            column: 11,
            endLine: 9,
            endColumn: 18,
          },
        ],
        output: `${head}          lifecycle:\n            preStop:\n              sleep:\n                seconds: 5\n${tail}`,
      },
    ],
  });
  tester.run('kubeconn/readiness-probe', plugin.rules['readiness-probe'] as never, {
    valid: [],
    invalid: [
      {
        filename: 'pod.yaml',
        code: pod,
        errors: [
          {
            message:
              "Container 'c' of Deployment 'p' receives traffic but has no readinessProbe. New pods get connections before they can serve them.",
            line: 9,
            column: 11,
            suggestions: [
              {
                desc: 'Add a tcpSocket readinessProbe on port 80',
                output: `${head}          readinessProbe:\n            tcpSocket:\n              port: 80\n            periodSeconds: 5\n${tail}`,
              },
            ],
          },
        ],
      },
    ],
  });
});
