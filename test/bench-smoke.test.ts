// The benchmark corpus generator keeps its promises (behaviour, not time): every file parses, files hold
// 1–4 documents, each Deployment+Service pair is 30–60 lines with comments, the advertised variety exists,
// and the same seed gives the same bytes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { generateBigManifest, generatePairs, writeK8sCorpus } from '../bench/gen-k8s.js';
import { maskHelm } from '../src/core/facts/manifests.js';

const N = 20;
const { files, texts } = generatePairs(N, 42);

/** Documents of a text as [kind, line count] (separator lines excluded). */
function documents(text: string): { kind: string; lines: string[] }[] {
  return text
    .split(/^---\n/m)
    .map((doc) => doc.split('\n').filter((l, i, all) => i < all.length - 1 || l !== ''))
    .map((lines) => ({ kind: /^kind: (\w+)/m.exec(lines.join('\n'))?.[1] ?? '', lines }));
}

test('every generated file parses and holds the documents it claims', () => {
  for (const f of files) {
    const text = texts.get(f.path)!;
    const docs = parseAllDocuments(f.helm ? maskHelm(text) : text);
    assert.ok(Array.isArray(docs));
    assert.equal(docs.length, f.docs, f.path);
    assert.ok(f.docs >= 1 && f.docs <= 4, f.path);
    for (const doc of docs) assert.deepEqual(doc.errors, [], f.path);
  }
  const shapes = new Set(files.map((f) => f.docs));
  assert.deepEqual([...shapes].sort(), [1, 2, 3, 4]);
  assert.ok(files.some((f) => f.helm && texts.get(f.path)!.includes('{{ .Values.')));
});

test(`${N} pairs: one Deployment and one Service each, 30–60 lines per pair, with comments`, () => {
  const all = files.flatMap((f) => documents(texts.get(f.path)!));
  assert.equal(all.filter((d) => d.kind === 'Deployment').length, N);
  assert.equal(all.filter((d) => d.kind === 'Service').length, N);
  const pairs = all.filter((d) => d.kind === 'Deployment' || d.kind === 'Service');
  for (let i = 0; i < pairs.length; i += 2) {
    const [dep, svc] = [pairs[i]!, pairs[i + 1]!];
    assert.equal(dep.kind, 'Deployment');
    assert.equal(svc.kind, 'Service');
    const lines = dep.lines.length + 1 + svc.lines.length;
    assert.ok(lines >= 30 && lines <= 60, `pair ${i / 2} has ${lines} lines`);
    assert.ok(
      [...dep.lines, ...svc.lines].some((l) => /^\s*#/.test(l) || / # /.test(l)),
      `pair ${i / 2} has no comment`,
    );
  }
});

test('the corpus has the variety the benchmark is about', () => {
  const { texts: many } = generatePairs(200, 42);
  const corpus = [...many.values()].join('\n---\n');
  for (const needle of [
    /- name: grpc/,
    /appProtocol: /,
    /clusterIP: None/,
    /: &\w+/,
    /: \*\w+/,
    /: \{\w+: /,
    /preStop:\n\s+sleep:/,
    /preStop:\n\s+exec:/,
    /- name: metrics-sidecar|log-shipper|cloud-sql-proxy/,
  ]) {
    assert.match(corpus, needle);
  }
});

test('generation is deterministic and reused from disk', () => {
  assert.deepEqual(generatePairs(N, 42).texts, texts);
  assert.notDeepEqual(generatePairs(N, 43).texts, texts);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconn-bench-smoke-'));
  try {
    const first = writeK8sCorpus(root, N, 42);
    assert.equal(first.reused, false);
    assert.equal(fs.readFileSync(path.join(first.k8sDir, files[0]!.path), 'utf8'), texts.get(files[0]!.path));
    assert.equal(writeK8sCorpus(root, N, 42).reused, true);
    assert.equal(writeK8sCorpus(root, N + 1, 42).reused, false);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the big manifest is one ~5,000-line multi-document file that parses', () => {
  const big = generateBigManifest(5000, 42);
  const lines = big.split('\n').length;
  assert.ok(lines >= 5000 && lines < 5100, `${lines} lines`);
  const docs = parseAllDocuments(big);
  assert.ok(Array.isArray(docs) && docs.length > 100);
  for (const doc of docs) assert.deepEqual(doc.errors, []);
});
