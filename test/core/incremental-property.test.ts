// Incremental = from scratch: random edit sequences (Helm flips, `---` lines, duplicate keys, broken YAML,
// files created and deleted) applied to one Workspace must give, after every edit, exactly the findings and
// problems a fresh Workspace gives for the same files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { initKubeconn } from '../../src/core/init.js';
import { createWorkspace, type Workspace } from '../../src/api.js';

function pair(i: number): string {
  return [
    '---',
    'apiVersion: v1',
    'kind: Service',
    `metadata: {name: svc-${i}}`,
    'spec:',
    `  selector: {app: app-${i % 7}}`,
    `  ports: [{name: ${i % 2 ? 'grpc' : 'http'}, port: ${5000 + i}}]`,
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: {name: app-${i}}`,
    'spec:',
    '  template:',
    `    metadata: {labels: {app: app-${i % 7}}}`,
    '    spec:',
    `      terminationGracePeriodSeconds: ${i % 3 ? 30 : 6}`,
    '      containers:',
    `        - name: app-${i}`,
    `          image: shop/app-${i % 4}:1`,
    `          ports: [{containerPort: ${5000 + i}}]`,
  ].join('\n');
}

const initial: Record<string, string> = {
  // ≥ 16 `---` lines: parsed in chunks, the reuse path under test; a duplicate key in a late document (a
  // syntax problem in plain YAML, tolerated once the file turns into a Helm template).
  'k8s/big.yaml':
    Array.from({ length: 10 }, (_, i) => pair(i))
      .join('\n')
      .replace('metadata: {name: app-8}', 'metadata: {name: app-8}\nkind: Pod') + '\n',
  'k8s/small.yaml': pair(20) + '\n',
  'app-1/Dockerfile': 'FROM alpine:3.19\nCOPY run.sh /run.sh\nCMD /run.sh\n',
  'app-1/run.sh': '#!/bin/sh\nexec /app/server\n',
};

/** Files an edit may create (and later delete). */
const extraFiles: [string, string][] = [
  ['k8s/extra.yaml', Array.from({ length: 9 }, (_, i) => pair(30 + i)).join('\n') + '\n'],
  ['charts/c/Chart.yaml', 'apiVersion: v2\nname: c\nversion: 0.1.0\n'],
  ['charts/c/values.yaml', 'port: 7000\n'],
  [
    'charts/c/templates/svc.yaml',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-c\nspec:\n  selector: {app: app-1}\n  ports: [{name: grpc, port: {{ .Values.port }}}]\n',
  ],
  ['app-2/Dockerfile', 'FROM debian:12\nENTRYPOINT ["/bin/sh", "-c", "/app/server"]\n'],
];

type Edit =
  | { op: 'helmOn'; file: number; line: number; variant: number }
  | { op: 'helmOff'; file: number }
  | { op: 'addMarker'; file: number; line: number }
  | { op: 'removeMarker'; file: number; which: number }
  | { op: 'duplicateKey'; file: number; which: number; key: number }
  | { op: 'number'; file: number; which: number; value: number }
  | { op: 'typo'; file: number; at: number; text: string }
  | { op: 'cutQuote'; file: number; which: number; closed: boolean }
  | { op: 'create'; which: number }
  | { op: 'delete'; which: number };

// Weighted towards the edits that change how a file parses (the divergences found before were all Helm flips).
const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('helmOn' as const), file: fc.nat(), line: fc.nat(), variant: fc.nat(3) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('helmOff' as const), file: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('addMarker' as const), file: fc.nat(), line: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('removeMarker' as const), file: fc.nat(), which: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('duplicateKey' as const), file: fc.nat(), which: fc.nat(), key: fc.nat(2) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('number' as const),
      file: fc.nat(),
      which: fc.nat(),
      value: fc.integer({ min: 1, max: 99999 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('typo' as const),
      file: fc.nat(),
      at: fc.nat(),
      text: fc.constantFrom('', '{', '"', ':', ' ', '\n', '#', '- ', '\t'),
    }),
  },
  // A quoted script closed at its key's indentation (read joined, quoted-lines.ts), or never closed (it swallows the
  // documents after it).
  { weight: 3, arbitrary: fc.record({ op: fc.constant('cutQuote' as const), file: fc.nat(), which: fc.nat(), closed: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('create' as const), which: fc.nat(extraFiles.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), which: fc.nat() }) },
);

const HELM_LINES = ['# {{ .Values.note }}', 'x-{{ .Release.Name }}: 1', '{{- if .Values.on }}', '{{ include "x" . }}'];

function lines(text: string): string[] {
  return text.split('\n');
}

/** Apply one edit to the file set (in place); returns the file changed, or undefined when the edit is a no-op. */
function apply(files: Map<string, string>, e: Edit): { file: string; removed?: boolean } | undefined {
  if (e.op === 'create') {
    const [file, text] = extraFiles[e.which]!;
    files.set(file, text);
    return { file };
  }
  const names = [...files.keys()].sort();
  if (names.length === 0) return undefined;
  if (e.op === 'delete') {
    const file = names[e.which % names.length]!;
    files.delete(file);
    return { file, removed: true };
  }
  // YAML edits go to YAML files (mostly the large chunked one); numbers and typos to any file.
  const yaml = names.filter((n) => n.endsWith('.yaml'));
  const pool =
    e.op === 'number' || e.op === 'typo' || yaml.length === 0
      ? names
      : [...yaml, ...yaml.filter((n) => n === 'k8s/big.yaml'), 'k8s/big.yaml'].filter((n) => files.has(n));
  const file = pool[e.file % pool.length]!;
  const text = files.get(file)!;
  const ls = lines(text);
  let next = text;
  switch (e.op) {
    case 'helmOn':
      ls.splice(e.line % (ls.length + 1), 0, HELM_LINES[e.variant]!);
      next = ls.join('\n');
      break;
    case 'helmOff':
      next = text.replace(/\{\{[^\n]*?\}\}/g, '');
      break;
    case 'addMarker':
      ls.splice(e.line % (ls.length + 1), 0, '---');
      next = ls.join('\n');
      break;
    case 'removeMarker': {
      const at = ls.flatMap((l, i) => (l === '---' ? [i] : []));
      if (at.length === 0) return undefined;
      ls.splice(at[e.which % at.length]!, 1);
      next = ls.join('\n');
      break;
    }
    case 'duplicateKey': {
      // A second top-level key of a name the document already has: an error in YAML, tolerated under Helm.
      const at = ls.flatMap((l, i) => (l.startsWith('apiVersion:') ? [i] : []));
      if (at.length === 0) return undefined;
      ls.splice(at[e.which % at.length]! + 1, 0, ['kind: Pod', 'metadata: {name: dup}', 'apiVersion: v2'][e.key]!);
      next = ls.join('\n');
      break;
    }
    case 'cutQuote': {
      const at = ls.flatMap((l, i) => (l.startsWith('          image:') ? [i] : []));
      if (at.length === 0) return undefined;
      const script = ['          args: ["', '            ./migrate &&', ...(e.closed ? ['            /app/server', '          "]'] : [])];
      ls.splice(at[e.which % at.length]! + 1, 0, ...script);
      next = ls.join('\n');
      break;
    }
    case 'number': {
      const numbers = [...text.matchAll(/\d+/g)];
      if (numbers.length === 0) return undefined;
      const m = numbers[e.which % numbers.length]!;
      next = text.slice(0, m.index) + String(e.value) + text.slice(m.index + m[0].length);
      break;
    }
    case 'typo': {
      const at = e.at % (text.length + 1);
      // An empty insert deletes a character instead.
      next = e.text === '' ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + e.text + text.slice(at);
      break;
    }
  }
  if (next === text) return undefined;
  files.set(file, next);
  return { file };
}

function snapshot(ws: Workspace): string {
  const r = ws.analyze();
  return JSON.stringify({ findings: r.findings, problems: r.problems, notices: r.notices });
}

function fresh(files: Map<string, string>): string {
  const ws = createWorkspace();
  for (const [file, text] of files) ws.setFile(file, text);
  return snapshot(ws);
}

describe('incremental analysis equals a fresh analysis', () => {
  it('after every edit of random edit sequences (Helm flips, --- lines, duplicate keys, cut quotes, files created and deleted)', async () => {
    await initKubeconn();
    let compared = 0;
    const started = Date.now();
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 10 }), (edits) => {
        const files = new Map(Object.entries(initial));
        const ws = createWorkspace();
        for (const [file, text] of files) ws.setFile(file, text);
        ws.analyze();
        const log: string[] = [];
        for (const e of edits) {
          const changed = apply(files, e);
          if (!changed) continue;
          log.push(`${JSON.stringify(e)} on ${changed.file}`);
          if (changed.removed) ws.removeFile(changed.file);
          else ws.setFile(changed.file, files.get(changed.file)!);
          assert.equal(snapshot(ws), fresh(files), `after ${log.join(', then ')}`);
          compared++;
        }
      }),
      // Bounded in time for `npm test`; longer campaigns: raise both with KUBECONN_PROPERTY_RUNS.
      {
        numRuns: Number(process.env.KUBECONN_PROPERTY_RUNS ?? 60),
        plugins: [fc.interruptAfterTimeLimit(30_000, { failOnInterrupt: false })],
      },
    );
    assert.ok(compared > 20, `compared ${compared} states in ${Date.now() - started} ms`);
    console.log(`compared ${compared} incremental states with fresh analyses in ${Date.now() - started} ms`);
  });
});
