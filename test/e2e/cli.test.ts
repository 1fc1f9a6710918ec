// The real `kubeconn` binary in a temporary project: exit codes, formats, --fix, parse errors, file walking.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { yaml } from '../helpers/rule-tester.js';
import { kubeconn, makeProject, type Result } from './project.js';

const service = yaml`
  apiVersion: v1
  kind: Service
  metadata: {name: orders}
  spec:
    selector: {app: orders}
    ports:
      - name: grpc
        port: 50051
`;
// service-app-protocol speaks only for ports an HTTPRoute or a cloud load balancer's Ingress targets (facts A15).
const route =
  'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: orders, annotations: {kubernetes.io/ingress.class: gce}}\nspec: {defaultBackend: {service: {name: orders, port: {number: 50051}}}}\n';
/** A served workload without preStop/readinessProbe: a Deployment and the Service that selects it. */
const bad =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: p}\nspec:\n  template:\n    metadata: {labels: {app: p}}\n    spec:\n      containers: [{name: c, ports: [{containerPort: 80}]}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: p}\nspec: {selector: {app: p}, ports: [{port: 80}]}\n';
const deployment = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: orders}
  spec:
    template:
      metadata: {labels: {app: orders}}
      spec:
        terminationGracePeriodSeconds: 10 # short
        containers:
          - name: orders
            ports: [{name: grpc, containerPort: 50051}]
            readinessProbe: {grpc: {port: 50051}}
            lifecycle:
              preStop:
                exec: {command: [sleep, "10"]}
`;

describe('kubeconn CLI', () => {
  const projects: { cleanup(): void }[] = [];
  after(() => projects.forEach((p) => p.cleanup()));

  it('exits 0 with no output on a clean project, and lists its rules', () => {
    const p = makeProject({ 'k8s/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', 'ci.yml': 'on: push\njobs: {}\n' });
    projects.push(p);
    const r = kubeconn(p.dir, ['check']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, '');
    assert.equal(r.status, 0);
    const rules = kubeconn(p.dir, ['rules']);
    assert.match(rules.stdout, /^grpc-clusterip-imbalance\s+warning\s+Disallow gRPC/m);
  });

  it('reports in ESLint JSON shape across files, exits 1 on errors', () => {
    const p = makeProject({ 'k8s/svc.yaml': service, 'k8s/route.yaml': route, 'k8s/deploy.yaml': deployment });
    projects.push(p);
    const r = kubeconn(p.dir, ['check', 'k8s', '--format', 'json']);
    assert.equal(r.status, 1, r.stderr);
    const results = (JSON.parse(r.stdout) as Result[]).filter((x) => x.messages.length > 0);
    assert.deepEqual(
      results.map((x) => path.relative(p.dir, x.filePath)),
      ['k8s/deploy.yaml', 'k8s/svc.yaml'],
    );
    const deploy = results[0]!;
    assert.deepEqual(Object.keys(deploy).sort(), [
      'errorCount',
      'fatalErrorCount',
      'filePath',
      'fixableErrorCount',
      'fixableWarningCount',
      'messages',
      'source',
      'suppressedMessages',
      'usedDeprecatedRules',
      'warningCount',
    ]);
    const grace = deploy.messages.find((m) => m.ruleId === 'kubeconn/grace-period-budget')!;
    assert.deepEqual(
      { line: grace.line, column: grace.column, endLine: grace.endLine, endColumn: grace.endColumn, severity: grace.severity },
      { line: 15, column: 31, endLine: 15, endColumn: 44, severity: 2 },
    );
    const at = deployment.indexOf('10 # short');
    assert.deepEqual(grace.fix, { range: [at, at + 2], text: '20' });
    const svc = results[1]!;
    assert.deepEqual(
      svc.messages.map((m) => m.ruleId),
      ['kubeconn/grpc-clusterip-imbalance', 'kubeconn/service-app-protocol'],
    );
    assert.equal(svc.messages[0]!.suggestions!.length, 2);
  });

  it('--fix writes the safe fixes and leaves comments and other lines alone', () => {
    const p = makeProject({ 'k8s/svc.yaml': service, 'k8s/route.yaml': route, 'k8s/deploy.yaml': deployment });
    projects.push(p);
    const r = kubeconn(p.dir, ['check', '--fix', '--format', 'json']);
    assert.equal(r.status, 0, r.stdout);
    assert.equal(
      p.read('k8s/deploy.yaml'),
      deployment.replace('terminationGracePeriodSeconds: 10 # short', 'terminationGracePeriodSeconds: 20 # short'),
    );
    // appProtocol is a suggestion (facts A16): the Service is left alone.
    assert.equal(p.read('k8s/svc.yaml'), service);
    const again = JSON.parse(kubeconn(p.dir, ['check', '--format', 'json']).stdout) as Result[];
    // What is left has no fix: the topology change and appProtocol are suggestions.
    assert.deepEqual(
      again.flatMap((x) => x.messages.map((m) => m.ruleId)),
      ['kubeconn/grpc-clusterip-imbalance', 'kubeconn/service-app-protocol'],
    );
  });

  it('reports a syntax error as a fatal message with its line, and still analyses the other documents', () => {
    const broken = `${service}---\napiVersion: v1\nkind: Service\nmetadata: {name: bad\nspec: {}\n`;
    const p = makeProject({ 'k8s/svc.yaml': broken });
    projects.push(p);
    const r = kubeconn(p.dir, ['check', '--format', 'json']);
    assert.equal(r.status, 1);
    const result = (JSON.parse(r.stdout) as Result[]).find((x) => x.filePath.endsWith('svc.yaml'));
    const fatal = result!.messages.find((m) => m.fatal)!;
    assert.equal(fatal.ruleId, null);
    assert.equal(fatal.line, 13);
    assert.match(fatal.message, /^Parsing error: YAML syntax error in document 2/);
    assert.ok(
      result!.messages.some((m) => m.ruleId === 'kubeconn/grpc-clusterip-imbalance'),
      'document 1 is still analysed',
    );
  });

  it('--rule, --quiet and --max-warnings', () => {
    const p = makeProject({ 'k8s/svc.yaml': service, 'k8s/route.yaml': route });
    projects.push(p);
    assert.equal(kubeconn(p.dir, ['check']).status, 0);
    // Both findings are infos (no client dials the port; appProtocol matters only behind the route).
    assert.equal(kubeconn(p.dir, ['check', '--max-warnings', '0']).status, 0);
    assert.equal(kubeconn(p.dir, ['check', '--rule', 'grpc-clusterip-imbalance=warn', '--max-warnings', '0']).status, 1);
    const off = kubeconn(p.dir, ['check', '--rule', 'grpc-clusterip-imbalance=off', '--rule', 'kubeconn/service-app-protocol=off']);
    assert.equal(off.stdout, '');
    const err = kubeconn(p.dir, ['check', '--rule', 'service-app-protocol=error', '--quiet']);
    assert.equal(err.status, 1);
    assert.match(err.stdout, /error {2}Service 'orders' port 50051 looks like gRPC/);
    assert.doesNotMatch(err.stdout, /grpc-clusterip-imbalance/);
  });

  it('exits 2 with a clear message on usage errors', () => {
    const p = makeProject();
    projects.push(p);
    for (const [args, message] of [
      [['check', '--format', 'xml'], /--format must be stylish, json or sarif/],
      [['check', 'nope/'], /No such file or directory: nope\//],
      [['check', '--rule', 'made-up=off'], /unknown rule 'made-up'/],
      [['check', '--kubernetes-version', 'latest'], /kubernetesVersion must look like "1.30"/],
      [['check', '--bogus'], /Unknown option '--bogus'/],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ] as const) {
      const r = kubeconn(p.dir, [...args]);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
  });

  it("walks folders but skips node_modules, vendor and .gitignore'd paths", () => {
    const p = makeProject({
      'deploy/pod.yaml': bad,
      'vendor/lib/pod.yaml': bad,
      'generated/pod.yaml': bad,
      'deploy/.gitignore': 'ignored.yaml\n',
      'deploy/ignored.yaml': bad,
      '.gitignore': 'generated/\n',
    });
    projects.push(p);
    p.write('node_modules/dep/pod.yaml', bad);
    const results = JSON.parse(kubeconn(p.dir, ['check', '--format', 'json']).stdout) as Result[];
    const yamlFiles = results.map((x) => path.relative(p.dir, x.filePath)).filter((f) => f.endsWith('.yaml'));
    assert.deepEqual(yamlFiles, ['deploy/pod.yaml']);
  });

  it("prints SARIF 2.1.0 with one result per finding and the rules' docs", () => {
    const p = makeProject({ 'k8s/svc.yaml': service, 'k8s/route.yaml': route });
    projects.push(p);
    const r = kubeconn(p.dir, ['check', '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string; helpUri?: string }[] } }; results: { ruleId: string }[] }[];
    };
    assert.equal(sarif.version, '2.1.0');
    assert.deepEqual(sarif.runs[0]!.results.map((x) => x.ruleId).sort(), [
      'kubeconn/grpc-clusterip-imbalance',
      'kubeconn/service-app-protocol',
    ]);
    const rule = sarif.runs[0]!.tool.driver.rules.find((x) => x.id === 'kubeconn/service-app-protocol')!;
    assert.match(rule.helpUri ?? '', /docs\/rules\/service-app-protocol\.md$/);
  });

  it('--stdin lints the piped text as the named file, with the rest of the project as evidence', () => {
    const p = makeProject({ 'k8s/svc.yaml': service });
    projects.push(p);
    const r = kubeconn(p.dir, ['check', '--stdin', '--stdin-filename', 'k8s/deploy.yaml', '--format', 'json'], deployment);
    assert.equal(r.stderr, '');
    const results = JSON.parse(r.stdout) as Result[];
    assert.deepEqual(
      results.map((x) => path.relative(p.dir, x.filePath)),
      ['k8s/deploy.yaml'],
    );
    // The budget finding needs nothing else; the preStop one needs the Service of the other file to know it is served.
    assert.ok(
      results[0]!.messages.some((m) => m.ruleId === 'kubeconn/grace-period-budget'),
      JSON.stringify(results[0]!.messages),
    );
    const usage = kubeconn(p.dir, ['check', '--stdin', '--fix']);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--fix cannot write to stdin/);
  });

  it('--project analyses the whole folder but reports only the paths given (pre-commit on staged files)', () => {
    const p = makeProject({
      'k8s/svc.yaml': service,
      'k8s/deploy.yaml': deployment,
      'cmd/main.go': 'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() { grpc.NewClient("orders:50051") }\n',
    });
    projects.push(p);
    const r = kubeconn(p.dir, ['check', '--project', '.', 'cmd/main.go', '--format', 'json']);
    const results = JSON.parse(r.stdout) as Result[];
    assert.deepEqual(
      results.map((x) => path.relative(p.dir, x.filePath)),
      ['cmd/main.go'],
    );
    assert.deepEqual(
      results[0]!.messages.map((m) => m.ruleId),
      ['kubeconn/grpc-client-load-balancing'],
      'the client is linked to the Service in k8s/',
    );
  });

  it('reads .kubeconn.yaml from the project and stops with file:line:column on a config mistake', () => {
    const p = makeProject({ 'k8s/svc.yaml': service, 'k8s/route.yaml': route, '.kubeconn.yaml': 'rules:\n  service-app-protocol: off\n' });
    projects.push(p);
    const clean = JSON.parse(kubeconn(p.dir, ['check', '--format', 'json']).stdout) as Result[];
    assert.deepEqual(
      clean.flatMap((x) => x.messages.map((m) => m.ruleId)),
      ['kubeconn/grpc-clusterip-imbalance'],
    );
    // A flag wins over the file.
    const flagged = JSON.parse(kubeconn(p.dir, ['check', '--format', 'json', '--rule', 'service-app-protocol=error']).stdout) as Result[];
    assert.equal(flagged.flatMap((x) => x.messages).length, 2);
    p.write('.kubeconn.yaml', 'rules:\n  service-app-protocl: off\n');
    const bad = kubeconn(p.dir, ['check']);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr, "kubeconn: .kubeconn.yaml:2:3: unknown rule 'service-app-protocl' (did you mean 'service-app-protocol'?)\n");
    assert.equal(kubeconn(p.dir, ['check', '--no-config', '--format', 'json']).status, 0);
  });

  it('an unusable exclude pattern (flag or config) is a warning naming where it came from; the other patterns and the defaults apply', () => {
    const p = makeProject({ 'deploy/pod.yaml': bad, 'generated/pod.yaml': bad, 'pkg/testdata/pod.yaml': bad });
    projects.push(p);
    const files = (r: { stdout: string }) =>
      (JSON.parse(r.stdout) as Result[]).filter((x) => x.messages.length > 0).map((x) => path.relative(p.dir, x.filePath));
    const flag = kubeconn(p.dir, ['check', '--format', 'json', '--exclude', '**/*.{yaml', '--exclude', 'generated/']);
    assert.equal(
      flag.stderr,
      'kubeconn: warning: --exclude: "**/*.{yaml" uses braces, which gitignore patterns do not support (list each pattern on its own); the pattern is ignored\n',
    );
    assert.equal(flag.status, 0, 'a warning does not stop the run (exit 2 is for mistakes)');
    assert.deepEqual(files(flag), ['deploy/pod.yaml']);
    p.write('.kubeconn.yaml', 'exclude:\n  - "**/*.{yaml"\n  - generated/\n');
    const config = kubeconn(p.dir, ['check', '--format', 'json']);
    assert.equal(
      config.stderr,
      'kubeconn: warning: .kubeconn.yaml:2:5: exclude: "**/*.{yaml" uses braces, which gitignore patterns do not support (list each pattern on its own); the pattern is ignored\n',
    );
    assert.deepEqual(files(config), ['deploy/pod.yaml']);
  });

  it('reads the files a kustomization generates ConfigMaps from, whatever their extension, as evidence', () => {
    const p = makeProject({
      'config/kustomization.yaml':
        'configMapGenerator:\n  - name: cfg\n    files: [frontend.jsonnet, remote=https://example.invalid/x.conf]\n',
      'config/frontend.jsonnet': "{ scheduler: { address: 'scheduler:8982' } }\n",
      'notes/other.jsonnet': "{ scheduler: { address: 'scheduler:8982' } }\n",
      'kustomization.yaml': 'resources: [config/, k8s.yaml]\n',
      'k8s.yaml':
        'apiVersion: v1\nkind: Service\nmetadata: {name: scheduler}\nspec: {selector: {app: scheduler}, ports: [{name: grpc, port: 8982}]}\n' +
        '---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: scheduler}\nspec:\n  replicas: 2\n  template:\n    metadata: {labels: {app: scheduler}}\n' +
        '    spec:\n      containers: [{name: s, ports: [{containerPort: 8982}], readinessProbe: {tcpSocket: {port: 8982}}, lifecycle: {preStop: {sleep: {seconds: 5}}}}]\n',
    });
    projects.push(p);
    const results = JSON.parse(kubeconn(p.dir, ['check', '--format', 'json']).stdout) as Result[];
    const analysed = results.map((x) => path.relative(p.dir, x.filePath).split(path.sep).join('/'));
    assert.ok(analysed.includes('config/frontend.jsonnet'), analysed.join(', '));
    assert.ok(!analysed.includes('notes/other.jsonnet'), 'only the files a generator names are read');
    const messages = results.flatMap((x) => x.messages.map((m) => ({ file: path.relative(p.dir, x.filePath), ...m })));
    assert.deepEqual(
      messages.map((m) => [m.file, m.ruleId, m.line, m.column, m.severity]),
      [['k8s.yaml', 'kubeconn/grpc-clusterip-imbalance', 4, 45, 1]],
    );
    assert.match(messages[0]!.message, /named by ConfigMap 'cfg' key frontend\.jsonnet/);
  });

  it('skips test data folders unless the config includes them', () => {
    const p = makeProject({
      'deploy/pod.yaml': bad,
      'pkg/testdata/pod.yaml': bad,
      'test/fixtures/pod.yaml': bad,
      'test/fixtures/prod/pod.yaml': bad,
      'tests/apps/echo/pod.yaml': bad,
      'services/api/test/integration/pod.yaml': bad,
      'contest/pod.yaml': bad,
      'kustomize/tests/all-components/kustomization.yaml': 'resources: [../../../deploy/]\n',
    });
    projects.push(p);
    const files = (r: Result[]) => r.filter((x) => x.messages.length > 0).map((x) => path.relative(p.dir, x.filePath));
    assert.deepEqual(files(JSON.parse(kubeconn(p.dir, ['check', '--format', 'json']).stdout) as Result[]), [
      'contest/pod.yaml',
      'deploy/pod.yaml',
    ]);
    const analysed = (JSON.parse(kubeconn(p.dir, ['check', '--format', 'json']).stdout) as Result[]).map((x) =>
      path.relative(p.dir, x.filePath),
    );
    assert.ok(analysed.includes('kustomize/tests/all-components/kustomization.yaml'), 'a kustomization in a test folder is a variant');
    assert.ok(!analysed.some((f) => f.startsWith('tests/') || f.startsWith('test/')), analysed.join(', '));
    // An include reaches below an excluded folder (test/ and fixtures/ both are), unlike a gitignore negation.
    p.write('.kubeconn.yaml', 'include: [pkg/testdata/, test/fixtures/prod/]\n');
    assert.deepEqual(files(JSON.parse(kubeconn(p.dir, ['check', '--format', 'json']).stdout) as Result[]), [
      'contest/pod.yaml',
      'deploy/pod.yaml',
      'pkg/testdata/pod.yaml',
      'test/fixtures/prod/pod.yaml',
    ]);
  });
});
