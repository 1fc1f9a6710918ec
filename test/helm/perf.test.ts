// Rendering is fast: a chart of 50 templates (the orders Deployment and Service 25 times each, with their
// helpers) renders in well under 100 ms once warm.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { renderChart } from '../../src/core/helm/index.js';
import { loadFixture } from './helpers.js';

describe('helm renderer performance', () => {
  it('renders 50 templates in under 100 ms', () => {
    const { root, files } = loadFixture('orders');
    const big = new Map<string, string>();
    for (const [k, v] of files) if (!k.includes(`${path.sep}templates${path.sep}`) || k.endsWith('_helpers.tpl')) big.set(k, v);
    const dep = files.get(path.join(root, 'templates/deployment.yaml'))!;
    const svc = files.get(path.join(root, 'templates/service.yaml'))!;
    for (let i = 0; i < 25; i++) {
      big.set(path.join(root, `templates/deployment-${i}.yaml`), dep.replace('name: {{ include "orders.fullname" . }}', `name: {{ include "orders.fullname" . }}-${i}`));
      big.set(path.join(root, `templates/service-${i}.yaml`), svc.replace('name: {{ include "orders.fullname" . }}', `name: {{ include "orders.fullname" . }}-${i}`));
    }
    const input = { root, files: big };
    const options = { releaseName: 'shop', valuesFiles: ['values-prod.yaml'] };
    renderChart(input, options);
    const times: number[] = [];
    let r = renderChart(input, options);
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      r = renderChart(input, options);
      times.push(performance.now() - t0);
    }
    assert.equal(r.templates.length, 50);
    assert.deepEqual(r.diagnostics, []);
    // Test files run in parallel: the fastest run is the renderer's own cost.
    const fastest = Math.min(...times);
    assert.ok(fastest < 100, `fastest of 5: ${fastest.toFixed(1)} ms (all: ${times.map((t) => t.toFixed(0)).join(', ')})`);
  });
});
