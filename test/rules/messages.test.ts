// Messages readable where users read them (issue 11 item 10): the first sentence says what is wrong and where and
// fits the Problems panel (≤ 110 characters), and no message or related-location text carries an absolute path.
// Checked on every rule's docs Incorrect examples and on examples/shop, analysed under an absolute root as the
// editor does.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { allRules } from '../../rules/index.js';
import { Workspace } from '../../src/api.js';
import { initKubeconn } from '../../src/core/init.js';
import { collectFiles, readText } from '../../src/node/files.js';
import { repoRoot } from '../helpers/paths.js';

const ROOT = '/abs/project/';
const MAX_FIRST_SENTENCE = 110;

/** Up to the first sentence end: a period, `!` or `?` followed by a space (file names keep their dots). */
export function firstSentence(message: string): string {
  const m = /[.!?](?=\s)/.exec(message);
  return m ? message.slice(0, m.index + 1) : message;
}

function incorrectExamples(ruleId: string): Record<string, string> {
  const markdown = fs.readFileSync(path.join(repoRoot, 'docs', 'rules', `${ruleId}.md`), 'utf8');
  const start = markdown.indexOf('\n## Incorrect\n');
  const rest = markdown.slice(start + 14);
  const section = rest.slice(0, rest.search(/\n## /));
  const files: Record<string, string> = {};
  for (const m of section.matchAll(/```[\w-]*\s+file=(\S+)\n([\s\S]*?)```/g)) files[m[1]!] = m[2]!;
  return files;
}

async function findings(files: Record<string, string>): Promise<{ ruleId: string; message: string; related: string[] }[]> {
  await initKubeconn();
  const ws = new Workspace({}, allRules);
  for (const [file, text] of Object.entries(files)) ws.setFile(file, text);
  return ws.analyze().findings.map((f) => ({ ruleId: f.ruleId, message: f.message, related: f.related.map((r) => r.message) }));
}

/** Owned by the grace-arithmetic work (issue 11 item 4, issue 12), whose messages are rewritten there. */
const ELSEWHERE = new Set(['grace-period-budget']);

function check(list: { ruleId: string; message: string; related: string[] }[]): void {
  for (const f of list) {
    if (ELSEWHERE.has(f.ruleId)) continue;
    const first = firstSentence(f.message);
    assert.ok(first.length <= MAX_FIRST_SENTENCE, `${f.ruleId}: first sentence is ${first.length} characters: ${first}`);
    for (const text of [f.message, ...f.related]) assert.ok(!text.includes('/abs/'), `${f.ruleId}: absolute path in "${text}"`);
  }
}

describe('messages', () => {
  for (const rule of allRules) {
    it(`${rule.id}: the docs' Incorrect example, under an absolute root`, async () => {
      const files = Object.fromEntries(Object.entries(incorrectExamples(rule.id)).map(([f, t]) => [ROOT + f, t]));
      const list = await findings(files);
      assert.ok(
        list.some((f) => f.ruleId === rule.id),
        'the example is reported',
      );
      check(list);
    });
  }

  it('examples/shop, under an absolute root', async () => {
    const dir = path.join(repoRoot, 'examples', 'shop');
    const files = Object.fromEntries(collectFiles([dir]).map((f) => [ROOT + path.relative(dir, f).split(path.sep).join('/'), readText(f)]));
    const list = await findings(files);
    assert.ok(list.length > 0);
    check(list);
  });

  it('firstSentence keeps file names whole', () => {
    assert.equal(firstSentence("CMD runs 'node server.js' under `sh -c`. Then more."), "CMD runs 'node server.js' under `sh -c`.");
  });
});
