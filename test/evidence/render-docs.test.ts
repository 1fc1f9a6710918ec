// The runtime-evidence documents are rendered from the committed figures of a real run, never edited by hand.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { committedJsonDir, renderAll, TOPICS } from './render-docs.js';

describe('docs/evidence/runtime*.md match docs/evidence/runtime/*.json (node dist/test/evidence/render-docs.js)', () => {
  it('every topic has committed figures', () => {
    for (const t of TOPICS) assert.ok(fs.existsSync(path.join(committedJsonDir, `${t}.json`)), t);
  });
  for (const [file, text] of renderAll(committedJsonDir)) {
    it(path.basename(file), () => {
      assert.ok(fs.existsSync(file), `${file} missing`);
      assert.equal(fs.readFileSync(file, 'utf8'), text);
    });
  }
});
