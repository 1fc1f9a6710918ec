// Incremental analysis over islands (src/core/islands.ts): an edit re-analyses only the files that can
// change each other's findings, and the result is what a fresh analysis of the same texts gives.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createWorkspace } from '../../src/api.js';
import { initKubeconn } from '../../src/core/init.js';
import { assertIncrementalMatches, type Files } from '../helpers/incremental.js';
import { fixturesDir, repoRoot } from '../helpers/paths.js';

function readTree(dir: string): Files {
  const out: Files = {};
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out[path.relative(dir, full).split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

const pair = (name: string, labels: string, extra = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 2
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}, ${labels}}
    spec:
      containers:
        - name: app
          image: registry.example.com/${name}:1.0
          ports: [{name: grpc, containerPort: 50051}]${extra}
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: {app: ${name}}
  ports: [{name: grpc, port: 50051}]
`;

describe('incremental analysis over islands', () => {
  const workspaces: [string, string][] = [
    ['examples/shop', path.join(repoRoot, 'examples', 'shop')],
    ['boutique (code, Dockerfiles, manifests)', path.join(fixturesDir, 'boutique')],
    ['a Helm chart', path.join(fixturesDir, 'helm')],
    ['manifests (a chart and a platform folder)', path.join(fixturesDir, 'manifests')],
    ['editor fixtures', path.join(fixturesDir, 'vscode')],
  ];
  for (const [name, dir] of workspaces) {
    it(`equals a fresh analysis after edits and undos: ${name}`, async () => {
      await initKubeconn();
      const compared = assertIncrementalMatches(readTree(dir), {}, 3, 60);
      assert.ok(compared > 0);
    });
  }

  it('re-analyses only the edited file’s island, and joins islands when an edit links them', async () => {
    await initKubeconn();
    const ws = createWorkspace();
    const files: Files = {};
    for (let i = 0; i < 40; i++) files[`k8s/svc-${i}.yaml`] = pair(`svc-${i}`, 'team: shop');
    files['k8s/hpa.yaml'] = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: svc-3
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: svc-3}
  minReplicas: 2
  maxReplicas: 9
`;
    for (const [file, text] of Object.entries(files)) ws.setFile(file, text);
    ws.analyze({ verifyFixes: false });
    // A value edit: the file's island is itself.
    ws.setFile('k8s/svc-7.yaml', files['k8s/svc-7.yaml']!.replace('replicas: 2', 'replicas: 3'));
    ws.analyze({ verifyFixes: false });
    assert.deepEqual(ws.incrementalCounters, { full: 1, incremental: 1, files: 1, rounds: 1, regrouped: 0, fallbacks: {} });
    // The HPA and its Deployment are one island.
    ws.setFile('k8s/hpa.yaml', files['k8s/hpa.yaml'].replace('maxReplicas: 9', 'maxReplicas: 10'));
    ws.analyze({ verifyFixes: false });
    assert.equal(ws.incrementalCounters.files, 1 + 2);
    // The HPA now targets svc-8: a second round pulls svc-8's island in.
    const retargeted = files['k8s/hpa.yaml'].replace('name: svc-3}', 'name: svc-8}');
    ws.setFile('k8s/hpa.yaml', retargeted);
    const result = ws.analyze({ verifyFixes: false });
    assert.equal(ws.incrementalCounters.incremental, 3);
    assert.equal(ws.incrementalCounters.rounds, 1 + 1 + 2);
    assert.equal(ws.incrementalCounters.files, 1 + 2 + 3);
    const fresh = createWorkspace();
    for (const [file, text] of Object.entries({ ...files, 'k8s/hpa.yaml': retargeted })) fresh.setFile(file, text);
    const show = (r: typeof result) => r.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`);
    assert.deepEqual(show(result), show(fresh.analyze({ verifyFixes: false })));
    // The next edit of the HPA re-analyses svc-8 with it, no longer svc-3.
    ws.setFile('k8s/hpa.yaml', retargeted.replace('minReplicas: 2', 'minReplicas: 3'));
    ws.analyze({ verifyFixes: false });
    assert.equal(ws.incrementalCounters.files, 1 + 2 + 3 + 2);
  });

  it('analyses the whole workspace when a file is added, or when changed identities regroup folder variants', async () => {
    await initKubeconn();
    const ws = createWorkspace();
    ws.incrementalShare = 1;
    for (let i = 0; i < 4; i++) ws.setFile(`k8s/dev/svc-${i}.yaml`, pair(`svc-${i}`, 'team: shop'));
    ws.setFile('k8s/prod/other.yaml', pair('other', 'team: shop'));
    ws.analyze({ verifyFixes: false });
    // A new file: a whole analysis.
    ws.setFile('k8s/dev/svc-9.yaml', pair('svc-9', 'team: shop'));
    ws.analyze({ verifyFixes: false });
    assert.deepEqual([ws.incrementalCounters.full, ws.incrementalCounters.incremental], [2, 0]);
    // A rename that leaves the folder units as they are: incremental.
    ws.setFile('k8s/dev/svc-9.yaml', pair('svc-10', 'team: shop'));
    const renamed = ws.analyze({ verifyFixes: false });
    assert.deepEqual([ws.incrementalCounters.full, ws.incrementalCounters.incremental, ws.incrementalCounters.regrouped], [2, 1, 1]);
    // prod/ now defines what dev/ defines: dev/ and prod/ become variants (units of their own), a whole analysis.
    ws.setFile('k8s/prod/other.yaml', pair('svc-1', 'team: shop'));
    const split = ws.analyze({ verifyFixes: false });
    assert.deepEqual(ws.incrementalCounters.fallbacks, { identities: 1 });
    for (const [result, files] of [
      [renamed, { 'k8s/dev/svc-9.yaml': pair('svc-10', 'team: shop'), 'k8s/prod/other.yaml': pair('other', 'team: shop') }],
      [split, { 'k8s/dev/svc-9.yaml': pair('svc-10', 'team: shop'), 'k8s/prod/other.yaml': pair('svc-1', 'team: shop') }],
    ] as const) {
      const fresh = createWorkspace();
      for (let i = 0; i < 4; i++) fresh.setFile(`k8s/dev/svc-${i}.yaml`, pair(`svc-${i}`, 'team: shop'));
      for (const [file, text] of Object.entries(files)) fresh.setFile(file, text);
      const show = (r: typeof result) => r.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`);
      assert.deepEqual(show(result), show(fresh.analyze({ verifyFixes: false })));
    }
  });
});
