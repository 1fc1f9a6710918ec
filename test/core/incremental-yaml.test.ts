// Large multi-document files are parsed in chunks and re-parsed chunk by chunk on edits. Whatever the edit,
// the result must be exactly what a fresh parse of the new text gives.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments, visit } from 'yaml';
import { initKubeconn } from '../../src/core/init.js';
import { createWorkspace, Workspace } from '../../src/api.js';

function pair(i: number): string {
  return [
    `# service ${i}`,
    '---',
    'apiVersion: v1',
    'kind: Service',
    `metadata: {name: svc-${i}, namespace: shop}`,
    'spec:',
    `  selector: {app: app-${i}}`,
    '  ports:',
    `    - name: ${i % 2 ? 'grpc' : 'http'}`,
    `      port: ${5000 + i}`,
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: {name: app-${i}, namespace: shop}`,
    'spec:',
    '  template:',
    `    metadata: {labels: {app: app-${i}}}`,
    '    spec:',
    `      terminationGracePeriodSeconds: ${i % 3 ? 30 : 6}`,
    '      containers:',
    `        - name: app-${i}`,
    `          ports: [{containerPort: ${5000 + i}}]`,
    '          lifecycle:',
    '            preStop:',
    `              sleep: {seconds: ${i % 3 ? 5 : 4}}`,
  ].join('\n');
}

const big = Array.from({ length: 20 }, (_, i) => pair(i)).join('\n') + '\n';

function snapshot(ws: Workspace): string {
  const r = ws.analyze();
  return JSON.stringify({ findings: r.findings, problems: r.problems });
}

function fresh(text: string): Promise<string> {
  const ws = createWorkspace();
  ws.setFile('big.yaml', text);
  return Promise.resolve(snapshot(ws));
}

/** Every node's kind, range and value, in order: two parses agree when these agree. */
function nodes(docs: { contents: unknown }[]): string[] {
  const out: string[] = [];
  for (const doc of docs) {
    if (!doc.contents) continue;
    visit(doc as never, {
      Node: (_, n) => void out.push(`${n.constructor.name} ${String(n.range)} ${'value' in n ? String(n.value) : ''}`),
    });
  }
  return out;
}

describe('chunked re-parsing of a large manifest', () => {
  it('chunks give the same nodes and ranges as parsing the whole file at once', async () => {
    await initKubeconn();
    const ws = createWorkspace();
    const text = big
      .replace('port: 5003', 'port: [5003')
      .replace(
        '\n---\napiVersion: v1\nkind: Service\nmetadata: {name: svc-4',
        '\n--- # a comment\napiVersion: v1\nkind: Service\nmetadata: {name: svc-4',
      );
    ws.setFile('big.yaml', text);
    const chunked = ws.factsOf('big.yaml')!.manifests!.chunks!.flatMap((c) => c.docs);
    const whole = parseAllDocuments(text, { prettyErrors: false });
    assert.deepEqual(nodes(chunked), nodes(whole));
    assert.deepEqual(
      chunked.flatMap((d) => d.errors.map((e) => e.pos)),
      whole.flatMap((d) => d.errors.map((e) => e.pos)),
    );
  });

  it('every edit gives the same findings, problems and fixes as a fresh parse', async () => {
    await initKubeconn();
    const ws = createWorkspace();
    ws.setFile('big.yaml', big);
    assert.ok((ws.factsOf('big.yaml')!.manifests!.chunks?.length ?? 0) > 16, 'the file is parsed in chunks');
    assert.equal(snapshot(ws), await fresh(big));

    const edits: [string, (t: string) => string][] = [
      ['insert a line inside a late document', (t) => t.replace('      port: 5015', '      port: 5015\n      appProtocol: grpc')],
      ['grow a number early (shifts every later document)', (t) => t.replace('port: 5001', 'port: 50001')],
      ['break one document', (t) => t.replace('metadata: {name: app-7, namespace: shop}', 'metadata: {name: app-7, namespace: shop')],
      ['repair it', (t) => t.replace('metadata: {name: app-7, namespace: shop\n', 'metadata: {name: app-7, namespace: shop}\n')],
      ['delete a whole pair', (t) => t.replace(`${pair(12)}\n`, '')],
      ['duplicate a pair (two identical chunks)', (t) => t.replace(`${pair(3)}\n`, `${pair(3)}\n${pair(3)}\n`)],
      ['comment at the top of the file', (t) => `# header\n${t}`],
      [
        'append a document without a final newline',
        (t) => `${t}---\napiVersion: v1\nkind: Pod\nmetadata: {name: tail}\nspec: {containers: [{name: c, ports: [{containerPort: 1}]}]}`,
      ],
    ];
    let text = big;
    for (const [what, edit] of edits) {
      const before = ws.factsOf('big.yaml')!.manifests!.chunks!;
      text = edit(text);
      ws.setFile('big.yaml', text);
      assert.equal(snapshot(ws), await fresh(text), what);
      const after = ws.factsOf('big.yaml')!.manifests!.chunks!;
      const reused = after.filter((c) => before.some((b) => b.docs === c.docs && b.docs.length > 0)).length;
      assert.ok(reused >= after.length - 3, `${what}: most chunks reused (${reused} of ${after.length})`);
    }
  });
  it('every `---` line starts its own chunk (the first sixteen documents are not lumped together)', async () => {
    await initKubeconn();
    const ws = createWorkspace();
    ws.setFile('big.yaml', big);
    const chunks = ws.factsOf('big.yaml')!.manifests!.chunks!;
    // 40 documents, each after a `---` line, and the comment line before the first one: 41 chunks.
    assert.equal(chunks.length, 41);
    assert.ok(chunks.every((c, i) => i === 0 || c.text.startsWith('---')));
  });

  it('chunks are not reused across a Helm flip (duplicate keys are errors only outside Helm)', async () => {
    await initKubeconn();
    const ws = createWorkspace();
    // A duplicate key in document 3: a syntax problem in plain YAML, tolerated in a Helm template.
    const plain = big.replace(
      'metadata: {name: svc-1, namespace: shop}',
      'metadata: {name: svc-1, namespace: shop}\nmetadata: {name: svc-1b}',
    );
    const helm = plain.replace('# service 19', '# service 19 {{ .Values.x }}');
    let text = plain;
    ws.setFile('big.yaml', text);
    assert.equal(snapshot(ws), await fresh(text));
    assert.ok(
      ws.analyze().problems.some((p) => /duplicate|unique/i.test(p.message)),
      'the duplicate key is reported in plain YAML',
    );
    for (const next of [helm, plain, helm]) {
      text = next;
      ws.setFile('big.yaml', text);
      assert.equal(snapshot(ws), await fresh(text), text === helm ? 'plain → Helm' : 'Helm → plain');
    }
  });
});
