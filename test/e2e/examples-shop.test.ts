// The CLI's JSON on examples/shop, pinned byte for byte (with the checkout's path replaced by <root>): every
// message, position, fix and suggestion of the demo project. Refactors of facts, rules or edits must leave it
// alone; KUBECONN_UPDATE_FIXTURES=1 rewrites the expectation when a change is meant (review the diff!).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fixturesDir, repoRoot } from '../helpers/paths.js';
import { kubeconn } from './project.js';

const expectationFile = path.join(fixturesDir, 'examples', 'shop.json');

describe('examples/shop', () => {
  it('`kubeconn check examples/shop --format json` gives the pinned output', () => {
    const run = kubeconn(repoRoot, ['check', 'examples/shop', '--format', 'json']);
    assert.equal(run.status, 1, `exit code (errors are expected); stderr: ${run.stderr}`);
    // The JSON names files by absolute path; the checkout's place is not part of the output under test.
    const output = run.stdout.split(JSON.stringify(repoRoot).slice(1, -1)).join('<root>');
    if (process.env.KUBECONN_UPDATE_FIXTURES === '1') fs.writeFileSync(expectationFile, output);
    assert.equal(output, fs.readFileSync(expectationFile, 'utf8'));
  });
});
