// A chart of 50 templates (the orders Deployment and Service 25 times each, with their helpers) renders
// completely and repeatably. How fast is the benchmarks' business (bench/), not a test's.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { renderChart } from '../../src/core/helm/index.js';
import { loadFixture } from './helpers.js';

describe('helm renderer performance', () => {
  it('renders 50 templates, the same each time, without diagnostics', () => {
    const { root, files } = loadFixture('orders');
    const big = new Map<string, string>();
    for (const [k, v] of files) if (!k.includes(`${path.sep}templates${path.sep}`) || k.endsWith('_helpers.tpl')) big.set(k, v);
    const dep = files.get(path.join(root, 'templates/deployment.yaml'))!;
    const svc = files.get(path.join(root, 'templates/service.yaml'))!;
    for (let i = 0; i < 25; i++) {
      big.set(
        path.join(root, `templates/deployment-${i}.yaml`),
        dep.replace('name: {{ include "orders.fullname" . }}', `name: {{ include "orders.fullname" . }}-${i}`),
      );
      big.set(
        path.join(root, `templates/service-${i}.yaml`),
        svc.replace('name: {{ include "orders.fullname" . }}', `name: {{ include "orders.fullname" . }}-${i}`),
      );
    }
    const input = { root, files: big };
    const options = { releaseName: 'shop', valuesFiles: ['values-prod.yaml'] };
    const first = renderChart(input, options);
    const again = renderChart(input, options);
    assert.equal(first.templates.length, 50);
    assert.deepEqual(first.diagnostics, []);
    assert.deepEqual(
      again.templates.map((t) => t.text),
      first.templates.map((t) => t.text),
      'cached templates render the same',
    );
  });
});
