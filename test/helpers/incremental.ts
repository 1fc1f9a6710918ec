// Incremental analysis (src/core/islands.ts) must give what a fresh analysis gives. This check edits each file
// of a workspace the way a user types — a number changed, a name replaced by another name of the workspace
// (which joins or splits islands), a line deleted — analyses incrementally, compares with a fresh analysis of
// the same texts, then undoes the edit and compares again.
import assert from 'node:assert/strict';
import type { AnalysisResult } from '../../src/core/workspace.js';
import type { KubeconnOptions } from '../../src/core/options.js';
import { createWorkspace } from '../../src/api.js';
import { prng } from '../../bench/gen-k8s.js';

export type Files = Record<string, string>;

function shape(result: Pick<AnalysisResult, 'findings' | 'problems'>): string[] {
  return [
    ...result.findings.map((f) =>
      JSON.stringify([f.file, f.start, f.end, f.ruleId, f.message, f.severity, f.related, f.fix?.edits, f.suggestions.map((s) => s.edits)]),
    ),
    ...result.problems.map((p) => JSON.stringify(['problem', p.file, p.start, p.end, p.message])),
  ];
}

/** Over every call: analyses compared, and how many of them were incremental (the rest fell back to whole ones). */
export const totals = { compared: 0, incremental: 0 };

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** One edit of `text`: a number, a name (from `names`), or a line. */
export function mutate(text: string, names: readonly string[], rng: () => number): string {
  const kind = Math.floor(rng() * 3);
  if (kind === 0) {
    const numbers = [...text.matchAll(/\b\d+\b/g)];
    if (numbers.length > 0) {
      const m = numbers[Math.floor(rng() * numbers.length)]!;
      return text.slice(0, m.index) + String(Math.floor(rng() * 100)) + text.slice(m.index + m[0].length);
    }
  }
  if (kind <= 1) {
    const words = [...text.matchAll(/\b[a-z][a-z0-9-]{2,}\b/g)];
    if (words.length > 0 && names.length > 0) {
      const m = words[Math.floor(rng() * words.length)]!;
      return text.slice(0, m.index) + names[Math.floor(rng() * names.length)]! + text.slice(m.index + m[0].length);
    }
  }
  const lines = text.split('\n');
  if (lines.length < 2) return `${text}\n# edited`;
  lines.splice(Math.floor(rng() * lines.length), 1);
  return lines.join('\n');
}

/**
 * For each file (at most `maxFiles`, `editsPerFile` edits each): edit, compare incremental with fresh, undo,
 * compare with the first analysis. Returns how many incremental analyses were compared.
 */
export function assertIncrementalMatches(files: Files, options: Partial<KubeconnOptions> = {}, editsPerFile = 2, maxFiles = 6): number {
  // KUBECONN_INCREMENTAL_EDITS=<n> runs n edits per file (a longer search than the suite's).
  editsPerFile = Number(process.env.KUBECONN_INCREMENTAL_EDITS ?? editsPerFile);
  const names = [...new Set(Object.values(files).flatMap((t) => [...t.matchAll(/\b[a-z][a-z0-9-]{2,}\b/g)].map((m) => m[0])))];
  const ws = createWorkspace(options);
  ws.incrementalShare = 1;
  for (const [file, text] of Object.entries(files)) ws.setFile(file, text);
  const original = shape(ws.analyze({ verifyFixes: false }));
  const rng = prng(hash(Object.keys(files).join('|')) ^ Number(process.env.KUBECONN_INCREMENTAL_SEED ?? 0));
  let compared = 0;
  for (const [file, text] of Object.entries(files).slice(0, maxFiles)) {
    for (let e = 0; e < editsPerFile; e++) {
      const edited = mutate(text, names, rng);
      if (edited === text) continue;
      ws.setFile(file, edited);
      const result = ws.analyze({ verifyFixes: false });
      const incremental = shape(result);
      const fresh = createWorkspace(options);
      for (const [f, t] of Object.entries(files)) fresh.setFile(f, f === file ? edited : t);
      assert.deepEqual(incremental, shape(fresh.analyze({ verifyFixes: false })), `incremental analysis after editing ${file}:\n${edited}`);
      // Fixes verified on demand (the editor's code actions: re-analysed over islands) as a verifying analysis verifies them.
      const verified = ws.verifyFindings(result, result.findings);
      assert.deepEqual(
        shape({ findings: verified, problems: [] }),
        shape({ findings: fresh.analyze().findings, problems: [] }),
        `fixes verified after editing ${file}:\n${edited}`,
      );
      ws.setFile(file, text);
      assert.deepEqual(shape(ws.analyze({ verifyFixes: false })), original, `incremental analysis after undoing the edit of ${file}`);
      compared += 2;
    }
  }
  totals.compared += compared;
  totals.incremental += ws.incrementalCounters.incremental;
  return compared;
}

if (process.env.KUBECONN_INCREMENTAL_TOTALS)
  process.on('exit', () => process.stderr.write(`incremental checks: ${JSON.stringify(totals)}\n`));
