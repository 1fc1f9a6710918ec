// Realistic fixture folders (test/fixtures/manifests/<case>/input): the findings must equal findings.txt,
// and applying every safe fix (as --fix does) must give exactly the files in output/, which parse as well as
// the input did and leave nothing fixable. KUBECONN_UPDATE_FIXTURES=1 rewrites the expectations (review them!).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { applyFixes } from '../../src/cli/main.js';
import { initKubeconn } from '../../src/core/init.js';
import { createWorkspace } from '../../src/api.js';
import { collectFiles, readText } from '../../src/node/files.js';
import { fixturesDir } from '../helpers/paths.js';

const root = path.join(fixturesDir, 'manifests');
const update = process.env.KUBECONN_UPDATE_FIXTURES === '1';

describe('fixture folders', () => {
  for (const name of fs.readdirSync(root)) {
    it(name, async () => {
      await initKubeconn();
      const input = path.join(root, name, 'input');
      const ws = createWorkspace();
      for (const file of collectFiles([input])) ws.setFile(file, readText(file));
      const before = ws.analyze();
      const rel = (f: string) => path.relative(input, f).split(path.sep).join('/');
      const lines = [
        ...before.problems.map((p) => `${rel(p.file)}:${p.line}:${p.column} parse-error ${p.message}`),
        ...before.findings.map((f) => `${rel(f.file)}:${f.line}:${f.column} ${f.ruleId} ${f.severity}${f.fix ? ' fixable' : ''}`),
      ];
      const findingsFile = path.join(root, name, 'findings.txt');
      const outputDir = path.join(root, name, 'output');
      const changed = applyFixes(ws, false);
      if (update) {
        fs.writeFileSync(findingsFile, `${lines.join('\n')}\n`);
        fs.rmSync(outputDir, { recursive: true, force: true });
        for (const file of changed) {
          fs.mkdirSync(path.dirname(path.join(outputDir, rel(file))), { recursive: true });
          fs.writeFileSync(path.join(outputDir, rel(file)), ws.text(file)!);
        }
      }
      assert.deepEqual(lines, fs.readFileSync(findingsFile, 'utf8').trimEnd().split('\n'));
      const expected = fs.existsSync(outputDir)
        ? collectFiles([outputDir]).map((f) => path.relative(outputDir, f).split(path.sep).join('/'))
        : [];
      assert.deepEqual([...changed].map(rel).sort(), expected.sort(), 'files changed by the fixes');
      for (const file of changed) assert.equal(ws.text(file), readText(path.join(outputDir, rel(file))), rel(file));
      const after = ws.analyze();
      assert.deepEqual(
        after.problems.map((p) => p.message),
        before.problems.map((p) => p.message),
        'fixes broke parsing',
      );
      assert.deepEqual(
        after.findings.filter((f) => f.fix).map((f) => f.message),
        [],
        'still fixable after fixing',
      );
    });
  }
});
