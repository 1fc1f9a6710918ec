// The CLI's analysis over worker threads (src/node/parallel.ts) gives what the single-threaded analysis gives:
// the same findings (positions, messages, related locations, verified fixes and suggestions) and problems.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createWorkspace } from '../../src/api.js';
import { initKubeconn } from '../../src/core/init.js';
import { resolveOptions } from '../../src/core/options.js';
import { collectFiles, readForAnalysis } from '../../src/node/files.js';
import { analyzeInParallel, type FileInput } from '../../src/node/parallel.js';
import { writeK8sCorpus } from '../../bench/gen-k8s.js';
import { fixturesDir, repoRoot } from '../helpers/paths.js';

const shape = (findings: readonly object[], problems: readonly object[]): string[] => [
  ...findings.map((f) => JSON.stringify(f)),
  ...problems.map((p) => JSON.stringify(p)),
];

async function compare(dir: string, jobs: number): Promise<number> {
  await initKubeconn();
  const files: FileInput[] = collectFiles([dir]).map((file) => {
    const read = readForAnalysis(file, 5_000_000);
    return read.skipped !== undefined ? { file, skipped: read.skipped } : { file, text: read.text };
  });
  const ws = createWorkspace();
  for (const f of files) {
    if (f.text !== undefined) ws.setFile(f.file, f.text);
    else ws.setSkipped(f.file, f.skipped!);
  }
  const single = ws.analyze();
  const parallel = await analyzeInParallel(files, resolveOptions({}), jobs, true);
  assert.deepEqual(shape(parallel.findings, parallel.problems), shape(single.findings, single.problems));
  return single.findings.length;
}

describe('the analysis over worker threads', () => {
  it('equals the single-threaded analysis on a generated bench corpus (150 pairs, 2 and 3 threads)', async () => {
    const corpus = writeK8sCorpus(fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconn-parallel-')), 150, 7);
    assert.ok((await compare(corpus.k8sDir, 2)) > 50);
    await compare(corpus.k8sDir, 3);
  });

  for (const [name, dir] of [
    ['examples/shop', path.join(repoRoot, 'examples', 'shop')],
    ['the test fixtures (charts, code, manifests)', fixturesDir],
  ] as const) {
    it(`equals the single-threaded analysis: ${name}`, async () => {
      assert.ok((await compare(dir, 2)) > 0);
    });
  }

  it('kubeconn check --jobs 2 prints the JSON report --jobs 1 prints', () => {
    const run = (jobs: string): string =>
      execFileSync(process.execPath, [path.join(repoRoot, 'bin', 'kubeconn.js'), 'check', 'shop', '--format', 'json', '--jobs', jobs], {
        cwd: path.join(repoRoot, 'examples'),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
    const one = (() => {
      try {
        return run('1');
      } catch (e) {
        return (e as { stdout: string }).stdout;
      }
    })();
    const two = (() => {
      try {
        return run('2');
      } catch (e) {
        return (e as { stdout: string }).stdout;
      }
    })();
    assert.ok(one.length > 100);
    assert.equal(two, one);
  });
});
