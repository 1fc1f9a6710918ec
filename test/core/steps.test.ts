// analyzeSteps() is analyze() in pieces: the same result, and a result computed while the workspace changed
// underneath is returned for its snapshot but never cached.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initKubeconn } from '../../src/core/init.js';
import { createWorkspace } from '../../src/api.js';
import { yaml } from '../helpers/rule-tester.js';

const svc = yaml`
  apiVersion: v1
  kind: Service
  metadata: {name: orders}
  spec:
    ports: [{name: grpc, port: 50051}]
`;

describe('stepped analysis', () => {
  it('yields after linking and after each rule, and gives what analyze() gives', async () => {
    await initKubeconn();
    const a = createWorkspace();
    const b = createWorkspace();
    a.setFile('svc.yaml', svc);
    b.setFile('svc.yaml', svc);
    const steps = a.analyzeSteps();
    const names: string[] = [];
    let step = steps.next();
    while (!step.done) {
      names.push(step.value);
      step = steps.next();
    }
    assert.equal(names[0], 'model');
    assert.deepEqual(
      names.slice(1),
      a.rules.map((r) => r.id),
    );
    assert.equal(JSON.stringify(step.value.findings), JSON.stringify(b.analyze().findings));
    assert.equal(a.analyze(), step.value, 'cached');
  });

  it('a change during the steps: the stale result is not cached', async () => {
    await initKubeconn();
    const ws = createWorkspace();
    ws.setFile('svc.yaml', svc);
    const steps = ws.analyzeSteps();
    steps.next();
    ws.setFile('svc.yaml', svc.replace('grpc', 'http'));
    let step = steps.next();
    while (!step.done) step = steps.next();
    // grpc-clusterip-imbalance (port name only: an info); service-app-protocol speaks only behind an HTTPRoute.
    assert.equal(step.value.findings.length, 1, 'the snapshot had the gRPC port');
    assert.deepEqual(ws.analyze().findings, [], 'the new text is analysed afresh');
  });
});
