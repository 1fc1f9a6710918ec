// Every failure the fuzzer found, kept as a regression test: test/fuzz/crashers/*.json holds the seed project,
// the mutated file and its text (minimised), and the failure it caused. A crasher whose cause lies in an area
// another change owns carries `owner` and runs as a todo until that change lands (then remove the owner and
// the harness OWNED entry; the test must pass).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { initKubeconn } from '../../src/api.js';
import { repoRoot } from '../helpers/paths.js';
import { check, crasherProject, failures } from './harness.js';

interface Crasher {
  failure: string;
  owner: string | null;
  seed: string;
  file: string;
  text: string;
}

const dir = path.join(repoRoot, 'test', 'fuzz', 'crashers');
const crashers = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f, JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Crasher] as const);

describe('fuzz crashers', () => {
  before(() => initKubeconn());

  it('the crasher files are there', () => assert.ok(crashers.length > 0));

  for (const [name, c] of crashers) {
    it(`${name}: ${c.failure.split('\n')[0]}`, c.owner ? { todo: `owned by ${c.owner}` } : {}, () => {
      assert.deepEqual(failures(check(crasherProject(c.seed, c.file, c.text))), []);
    });
  }
});
