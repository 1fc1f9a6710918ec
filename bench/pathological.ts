// `npm run bench:pathological [-- --quick]`: the input shapes of issue 14 that were quadratic, each generated
// here, analysed once in-process, and timed against a baseline measured in the same run on the same bytes
// (a plain `yaml` parse for YAML, a tree-sitter parse for code). Target: each ≤ 1 s; 100,000 tiny files
// through the CLI (a spawned process) ≤ 10 s and ≤ 1 GB peak RSS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { initKubeconn } from '../src/core/init.js';
import { createWorkspace, type AnalyzeOptions } from '../src/api.js';
import { parse, type GrammarName } from '../src/core/facts/treesitter.js';
import { fmtMb, fmtMs, fmtRatio, table, timeChild } from './measure.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'tiny-files': { type: 'string', default: '100000' },
    dir: { type: 'string', default: path.join(os.tmpdir(), 'kubeconn-bench-pathological') },
  },
});
const tinyFiles = values.quick ? 10_000 : Number(values['tiny-files']);
const log = (s = ''): void => void process.stdout.write(`${s}\n`);
const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');

interface Shape {
  name: string;
  files: Record<string, string>;
  baseline: { label: string; run: () => void };
  /** How the front end analyses it (default: the library's and ESLint's analyze(), suggestions verified). */
  options?: AnalyzeOptions;
}

const yamlBaseline = (files: Record<string, string>, label = 'yaml parse', options: { uniqueKeys?: boolean } = {}) => ({
  label,
  run: () => {
    Object.values(files).forEach((t) => parseAllDocuments(t, options));
  },
});
const treeBaseline = (grammar: GrammarName, text: string) => ({
  label: `tree-sitter ${grammar}`,
  run: () => {
    parse(grammar, text).delete();
  },
});

function pair(i: number): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: {name: orders-${i}}`,
    'spec:',
    '  selector: {matchLabels: {app: orders}}',
    '  template:',
    '    metadata: {labels: {app: orders, tier: backend}}',
    '    spec:',
    '      containers: [{name: app, image: orders:1, ports: [{name: grpc, containerPort: 50051}]}]',
    '---',
    'apiVersion: v1',
    'kind: Service',
    `metadata: {name: orders-${i}}`,
    'spec: {selector: {app: orders}, ports: [{name: grpc, port: 50051}]}',
    '---',
    '',
  ].join('\n');
}

function shapes(): Shape[] {
  // A minified bundle (567 KB in the report): one line of thousands of declarations around a gRPC client.
  let js = 'const grpc=require("@grpc/grpc-js");';
  for (let i = 0; js.length < 580_000; i++) js += `var a${i}=b${i % 97}(${i}),c${i}=a${i}+"x";function f${i}(p){return p?a${i}:c${i}}`;
  js += 'const client=new grpc.Client("orders:50051",grpc.credentials.createInsecure());\n';
  let py = 'import grpc\n';
  for (let i = 0; py.length < 1_000_000; i++) py += `a${i} = b${i % 97}(${i})\nc${i} = a${i} + "x"\n`;
  py += 'channel = grpc.insecure_channel("orders:50051")\n';
  const shell = `#!/bin/sh\n${'{'.repeat(107_000)}\nexec /app/server\n`;
  const helm = `apiVersion: v1\nkind: Service\nmetadata:\n  name: orders\n${'  x: {{ .Values.a\n'.repeat(500_000 / 18)}`;
  const pairs = Array.from({ length: 400 }, (_, i) => pair(i)).join('');
  const chart = {
    'chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 1.0.0\n',
    'chart/values.yaml': 'a: 1\n',
    'chart/templates/svc.yaml': helm,
  };
  // Overlays over a base with a large CRD (argo-workflows: 40 kustomizations over 11 MB of CRDs took minutes).
  let schema = '';
  for (let i = 0; schema.length < 100_000; i++) schema += `          f${i}: {type: object, description: "field ${i} of the schema"}\n`;
  const crd = `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: orders.acme.io}\nspec:\n  group: acme.io\n  versions:\n    - name: v1\n      schema:\n        openAPIV3Schema:\n          properties:\n${schema.replace(/^ {10}/gm, '            ')}`;
  const overlays: Record<string, string> = {
    'base/crd.yaml': crd,
    'base/app.yaml': pair(0),
    'base/kustomization.yaml': 'resources: [crd.yaml, app.yaml]\n',
  };
  for (let i = 0; i < 20; i++) overlays[`overlays/o${i}/kustomization.yaml`] = `namePrefix: o${i}-\nresources: [../../base]\n`;
  // One map of 50,000 keys: yaml's own duplicate-key check compares every pair (about 19 s here).
  let keys = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flags}\ndata:\n';
  for (let i = 0; i < 50_000; i++) keys += `  flag-${i}: "on"\n`;
  // 2,000 argo-workflows-style documents whose quoted scripts close at the key's indentation (quoted-lines.ts).
  let workflows = '';
  for (let i = 0; i < 2_000; i++) {
    workflows += `---\napiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w${i}}\nspec:\n  templates:\n  - name: main\n    container:\n      image: golang:1.22\n      command: [sh, -c]\n      args: ["\n        cd /src &&\n        go build ./...\n      "]\n`;
  }
  return [
    { name: 'minified JS bundle (580 KB, one line)', files: { 'bundle.js': js }, baseline: treeBaseline('javascript', js) },
    { name: 'Python, 1 MB of statements', files: { 'app.py': py }, baseline: treeBaseline('python', py) },
    { name: 'shell, a 107 KB line of `{`', files: { 'entrypoint.sh': shell }, baseline: treeBaseline('bash', shell) },
    // Nothing closes, so nothing is masked: kubeconn parses these very bytes as YAML (flow collections).
    { name: 'Helm template, 500 KB of `{{` never closed', files: { 'templates/svc.yaml': helm }, baseline: yamlBaseline({ helm }) },
    { name: 'the same inside a chart', files: chart, baseline: yamlBaseline({ helm }) },
    { name: '400 identical Service/Deployment pairs', files: { 'pairs.yaml': pairs }, baseline: yamlBaseline({ pairs }) },
    // The CLI's stylish and SARIF reports and --fix show no suggestions, so they are not verified there.
    {
      name: 'the same as `kubeconn check` reports them',
      files: { 'pairs.yaml': pairs },
      baseline: yamlBaseline({ pairs }),
      options: { suggestions: false },
    },
    { name: '20 Kustomize overlays of a base with a 100 KB CRD', files: overlays, baseline: yamlBaseline(overlays) },
    {
      name: 'a ConfigMap of 50,000 keys',
      files: { 'flags.yaml': keys },
      baseline: yamlBaseline({ keys }, 'yaml parse, no key check', { uniqueKeys: false }),
    },
    {
      name: 'a Spring application.yml of 50,000 keys',
      files: { 'src/main/resources/application.yml': keys.replace(/^[^ ].*\n/gm, '').replace(/^ {2}/gm, 'feature.') },
      baseline: yamlBaseline({ keys }, 'yaml parse, no key check', { uniqueKeys: false }),
    },
    {
      name: '2,000 documents with short-indented quoted lines',
      files: { 'workflows.yaml': workflows },
      baseline: yamlBaseline({ workflows }, 'yaml parse, no key check', { uniqueKeys: false }),
    },
  ];
}

function analyse(files: Record<string, string>, options?: AnalyzeOptions): number {
  const ws = createWorkspace({});
  for (const [f, t] of Object.entries(files)) ws.setFile(path.join('/bench', f), t);
  const result = ws.analyze(options);
  return result.findings.length + result.problems.length;
}

function time(run: () => unknown): number {
  const t = performance.now();
  run();
  return performance.now() - t;
}

async function main(): Promise<void> {
  log(
    `kubeconn pathological bench: node ${process.version}, ${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  await initKubeconn();
  analyse({ 'warm.yaml': pair(0), 'warm.sh': '#!/bin/sh\nexec x\n', 'warm.js': 'const grpc=require("@grpc/grpc-js");' });
  const rows = [['shape', 'baseline', 'baseline ms', 'kubeconn', 'ratio', 'target', 'result']];
  for (const shape of shapes()) {
    const base = time(shape.baseline.run);
    let out = 0;
    const ms = time(() => (out = analyse(shape.files, shape.options)));
    rows.push([
      shape.name,
      shape.baseline.label,
      fmtMs(base),
      fmtMs(ms),
      fmtRatio(ms / Math.max(base, 0.01)),
      '≤ 1 s',
      verdict(ms <= 1000),
    ]);
    log(`   ${shape.name}: ${fmtMs(ms)} (${out} findings and problems)`);
  }

  // Many tiny files through the CLI: the walk, reading, facts and report for each, in a spawned process.
  const dir = path.join(values.dir, `tiny-${tinyFiles}`);
  if (!fs.existsSync(path.join(dir, '.done'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    for (let i = 0; i < tinyFiles; i++) {
      const sub = path.join(dir, `d${Math.floor(i / 1000)}`);
      if (i % 1000 === 0) fs.mkdirSync(sub, { recursive: true });
      fs.writeFileSync(path.join(sub, `f${i}.yaml`), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\ndata: {k: v}\n`);
    }
    fs.writeFileSync(path.join(dir, '.done'), '');
  }
  const bytes = tinyFiles * 70;
  const parseBase = time(() => {
    for (let i = 0; i < tinyFiles; i++)
      parseAllDocuments(fs.readFileSync(path.join(dir, `d${Math.floor(i / 1000)}`, `f${i}.yaml`), 'utf8'));
  });
  const cli = await timeChild(
    process.execPath,
    [path.join(repo, 'bin', 'kubeconn.js'), 'check', '--no-config', '--format', 'json', dir],
    os.tmpdir(),
  );
  if (cli.code !== 0 && cli.code !== 1) log(`   kubeconn exited ${cli.code}: ${cli.stderr.slice(0, 500)}`);
  const rss = cli.peakRss === undefined ? '-' : fmtMb(cli.peakRss);
  rows.push([
    `${tinyFiles} tiny files (CLI, ~${fmtMb(bytes)})`,
    'read + yaml parse',
    fmtMs(parseBase),
    fmtMs(cli.ms),
    fmtRatio(cli.ms / parseBase),
    '≤ 10 s',
    verdict(cli.ms <= 10_000),
  ]);
  rows.push([
    `${tinyFiles} tiny files: peak RSS`,
    '',
    '',
    rss,
    '',
    '≤ 1 GB',
    cli.peakRss === undefined ? '-' : verdict(cli.peakRss <= 1024 ** 3),
  ]);
  log('');
  log(table(rows));
}

await main();
