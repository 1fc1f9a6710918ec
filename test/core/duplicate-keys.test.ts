// Duplicate keys are found by kubeconn in linear time (flagDuplicateKeys) instead of by yaml's `uniqueKeys`,
// which compares each key of a map with every key before it. The errors must be yaml's: same code, same offset,
// on any document, including ones with other syntax errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { extractManifests } from '../../src/core/facts/manifests.js';
import { flagDuplicateKeys, type YDoc } from '../../src/core/facts/yaml-util.js';
import { initKubeconn } from '../../src/core/init.js';
import { LineIndex } from '../../src/core/text.js';

const errorsOf = (docs: YDoc[]) => docs.map((d) => d.errors.map((e) => `${e.code}@${e.pos[0]}`).sort());

function ours(text: string): string[][] {
  const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, logLevel: 'error' }) as YDoc[];
  for (const doc of docs) flagDuplicateKeys(doc);
  return errorsOf(docs);
}

function yamls(text: string): string[][] {
  return errorsOf(parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false, logLevel: 'error' }) as YDoc[]);
}

/** Small YAML texts with many repeated keys: block and flow maps, nesting, anchors, tags, quoted and typed keys. */
const key = fc.constantFrom('a', 'b', '"a"', "'b'", '1', '"1"', '~', 'null', 'true', '.nan', '&k a', '!!str 1');
const scalar = fc.constantFrom('x', '1', '"q"', '*k', '[]', '{}', '{a: 1, a: 2}', '[a: 1, a: 2]', '"broken', '- nope');
const block: fc.Arbitrary<string> = fc.letrec<{ map: string }>((tie) => ({
  map: fc
    .array(
      fc.tuple(
        key,
        fc.oneof(
          { depthSize: 'small' },
          scalar,
          tie('map').map((m) => `\n${m}`),
        ),
      ),
      { minLength: 1, maxLength: 6 },
    )
    // A nested map (marked by its leading line break) goes on the lines below its key, indented.
    .map((pairs) => pairs.map(([k, v]) => (v.startsWith('\n') ? `${k}:${v.replace(/\n/g, '\n  ')}` : `${k}: ${v}`)).join('\n')),
})).map;
const flow = fc.array(fc.tuple(key, scalar), { maxLength: 6 }).map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`);
const text = fc
  .array(
    fc.oneof(
      block,
      flow.map((f) => `m: ${f}`),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((docs) => docs.join('\n---\n'));

describe('duplicate keys', () => {
  it('are the errors yaml reports, code and offset, on random documents', () => {
    fc.assert(
      fc.property(text, (t) => {
        assert.deepEqual(ours(t), yamls(t), t);
      }),
      { numRuns: 3_000, seed: 20261203 },
    );
  });

  it('explicit `? key` entries: the same errors, placed on the key rather than where yaml ends its indicator', () => {
    const t = '? a:\n  a: x\na: x\n';
    const codes = (errors: string[][]) => errors.map((d) => d.map((e) => e.split('@')[0]));
    assert.deepEqual(codes(ours(t)), codes(yamls(t)));
    assert.deepEqual(ours(t), [[`DUPLICATE_KEY@${t.indexOf('  a: x') + 2}`]]);
  });

  it('in a manifest: the first error is reported as before, on the line of the second key', async () => {
    await initKubeconn();
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  name: d\ndata: {k: v, k: w}\n';
    const problems: { line: number; column: number; message: string }[] = [];
    extractManifests('c.yaml', manifest, new LineIndex(manifest), problems as never);
    assert.deepEqual(
      problems.map((p) => [p.line, p.column, p.message]),
      [[5, 3, 'YAML syntax error in document 1: Map keys must be unique']],
    );
  });

  it('a map of 20,000 keys: the one repeated key is found (the time it takes is bench/pathological.ts)', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `k${i}: v`).join('\n') + '\nk7: again\n';
    const docs = parseAllDocuments(many, { uniqueKeys: false, prettyErrors: false, logLevel: 'error' }) as YDoc[];
    flagDuplicateKeys(docs[0]!);
    assert.deepEqual(
      docs[0]!.errors.map((e) => [e.code, e.pos[0]]),
      [['DUPLICATE_KEY', many.lastIndexOf('k7: again')]],
    );
  });
});
