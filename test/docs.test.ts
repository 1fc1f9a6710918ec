// The docs cannot drift: one page per rule whose quote is the rule's description, every section present,
// every "Incorrect" example reported by its rule and every "Correct" example clean.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { allRules } from '../rules/index.js';
import { repoRoot } from './helpers/paths.js';
import { lint } from './helpers/rule-tester.js';

const docsDir = path.join(repoRoot, 'docs', 'rules');
const SECTIONS = [
  '## Incorrect',
  '## Correct',
  '## Fix',
  '## Options',
  '## Confidence and when it stays quiet',
  '## When not to use it',
  '## Sources',
];

/** Fenced blocks of one section: ```lang file=path … ``` → {path: text}. */
function examples(markdown: string, heading: string): Record<string, string>[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start === -1) return [];
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(/\n## /);
  const section = end === -1 ? rest : rest.slice(0, end);
  const files: Record<string, string> = {};
  for (const m of section.matchAll(/```[\w-]*\s+file=(\S+)\n([\s\S]*?)```/g)) files[m[1]!] = m[2]!;
  return Object.keys(files).length ? [files] : [];
}

describe('rule docs', () => {
  it('every docs page belongs to a rule', () => {
    const ids = new Set(allRules.map((r) => r.id));
    for (const file of fs.readdirSync(docsDir)) assert.ok(ids.has(file.replace(/\.md$/, '')), `${file} documents no rule`);
  });

  for (const rule of allRules) {
    describe(rule.id, () => {
      const file = path.join(docsDir, `${rule.id}.md`);
      const markdown = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';

      it('has a page whose title and quote match the metadata', () => {
        assert.ok(markdown, `docs/rules/${rule.id}.md is missing`);
        const lines = markdown.split('\n');
        assert.equal(lines[0], `# kubeconn/${rule.id}`);
        assert.equal(lines[2], `> ${rule.meta.description}`);
        for (const s of SECTIONS) assert.ok(markdown.includes(`\n${s}\n`), `section "${s}" missing`);
      });

      it('is reported on every Incorrect example', async () => {
        const sets = examples(markdown, '## Incorrect');
        assert.ok(sets.length > 0, 'no Incorrect example with file=…');
        for (const files of sets) {
          const findings = await lint(rule, files);
          assert.ok(
            findings.some((f) => f.ruleId === rule.id),
            `no ${rule.id} finding on the Incorrect example`,
          );
        }
      });

      it('is silent on every Correct example', async () => {
        const sets = examples(markdown, '## Correct');
        assert.ok(sets.length > 0, 'no Correct example with file=…');
        for (const files of sets) {
          const findings = await lint(rule, files);
          assert.deepEqual(
            findings.map((f) => `${f.file}:${f.line} ${f.message}`),
            [],
          );
        }
      });
    });
  }
});
