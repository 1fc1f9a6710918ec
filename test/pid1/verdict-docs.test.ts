// The verdict tables in the signal rules' docs are the measured evidence, not hand-written claims.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { docsWithVerdicts, readEvidence, render } from './verdict-docs.js';

describe('measured PID 1 verdicts in the rule docs', () => {
  const evidence = readEvidence();
  for (const file of docsWithVerdicts) {
    it(`${file.split('/').pop()} matches docs/evidence/pid1-verdicts.json (node dist/test/pid1/verdict-docs.js)`, () => {
      const markdown = fs.readFileSync(file, 'utf8');
      assert.match(markdown, /<!-- pid1-verdicts:begin /);
      assert.equal(markdown, render(markdown, evidence));
    });
  }
  it('the evidence agrees with its own expectations', () => {
    for (const c of evidence.cases as unknown as { id: string; matches: boolean }[]) assert.ok(c.matches, c.id);
  });
});
