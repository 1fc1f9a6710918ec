// Fix verification judges a suggestion on a plain manifest from the YAML chunks its edit changed
// (editedManifestParsesCleanly). Whatever the edit, that verdict must be the one a full re-extraction gives:
// the edited file has no problem exactly when the shortcut says it parses cleanly, also when chunks are known
// clean from earlier verdicts (CleanChunks).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { initKubeconn } from '../../src/core/init.js';
import { editedManifestParsesCleanly, extractFacts } from '../../src/core/facts/index.js';
import { resolveOptions } from '../../src/core/options.js';
import { CleanChunks } from '../../src/core/facts/manifests.js';

const options = resolveOptions({});

function doc(i: number): string {
  return [
    '---',
    'apiVersion: v1',
    'kind: Service',
    `metadata: {name: svc-${i}}`,
    'spec:',
    `  selector: {app: app-${i}}`,
    '  ports:',
    `    - name: grpc  # port ${i}`,
    `      port: ${5000 + i}`,
    '',
  ].join('\n');
}

/** Text a random edit inserts: YAML's structural characters, markers and key shapes. */
const piece = fc.constantFrom(
  '\n---\n',
  '\n...\n',
  '%YAML 1.2\n',
  ': ',
  '\n  x: 1',
  '\nkind: Pod',
  '"',
  "'",
  '{',
  '}',
  '[',
  '- ',
  '\t',
  ' &a ',
  ' *a',
  '#',
  '\n  selector: {app: b}',
  'port: 1\n',
  '|\n',
  '\n',
  ' ',
  '{{ .Values.x }}',
  'backstage.io/kubernetes-id: x\n',
);

const edit = fc.record({ at: fc.nat(), remove: fc.nat(12), insert: fc.array(piece, { maxLength: 3 }).map((p) => p.join('')) });

function apply(text: string, e: { at: number; remove: number; insert: string }): string {
  const at = e.at % (text.length + 1);
  return text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
}

describe('the chunk verdict of an edited manifest', () => {
  it('agrees with a full re-extraction on random edits of a clean multi-document file', async () => {
    await initKubeconn();
    let decided = 0;
    // Shared by every run, as a workspace's fix verification shares it across analyses: a chunk it holds as
    // clean must never turn a broken edit's verdict.
    const shared = new CleanChunks();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(edit, { minLength: 1, maxLength: 3 }), (docs, edits) => {
        const file = '/w/k8s/services.yaml';
        const text = Array.from({ length: docs }, (_, i) => doc(i)).join('');
        const facts = extractFacts(file, text, options);
        assert.equal(facts.problems.length, 0, 'the starting file is clean');
        const edited = edits.reduce(apply, text);
        const quick = editedManifestParsesCleanly(facts, edited, options);
        if (quick === undefined) return;
        decided++;
        const full = extractFacts(file, edited, options);
        assert.equal(
          quick,
          full.problems.length === 0,
          `quick ${quick}, full problems: ${full.problems.map((p) => p.message).join('; ')}\n${edited}`,
        );
        // Twice: what the first verdict leaves in the cache must not change the second.
        for (let i = 0; i < 2; i++)
          assert.equal(editedManifestParsesCleanly(facts, edited, options, shared), quick, `with known clean chunks\n${edited}`);
      }),
      { numRuns: 600, seed: 20261201 },
    );
    assert.ok(decided > 300, `the shortcut decided ${decided} of 600 edits`);
  });

  it('stays out where other problems could appear: Helm templates, files with problems, other readers', async () => {
    await initKubeconn();
    const clean = doc(1) + doc(2);
    const facts = extractFacts('/w/k8s/a.yaml', clean, options);
    assert.equal(editedManifestParsesCleanly(facts, clean.replace('svc-1', '{{ .Values.name }}'), options), undefined);
    const broken = extractFacts('/w/k8s/b.yaml', `${clean}bad: [\n`, options);
    assert.ok(broken.problems.length > 0);
    assert.equal(editedManifestParsesCleanly(broken, `${clean}bad: []\n`, options), undefined);
    const kustomization = extractFacts('/w/k8s/kustomization.yaml', 'kind: Kustomization\nresources: [a.yaml]\n', options);
    assert.equal(editedManifestParsesCleanly(kustomization, 'kind: Kustomization\nresources: [b.yaml]\n', options), undefined);
    assert.equal(editedManifestParsesCleanly(facts, clean.replace('port: 5001', 'port: 5001\n      port: 1'), options), false);
    assert.equal(editedManifestParsesCleanly(facts, clean.replace('port: 5001', 'port: 5002'), options), true);
  });
});
