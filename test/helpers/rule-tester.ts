// A RuleTester for kubeconn rules, in the spirit of ESLint's: inline multi-file workspaces, exact
// positions, the output of the fix and of each suggestion. Every fix and suggestion output is re-parsed
// and re-analysed: it must parse without new problems, and a fix must make its finding go away.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, selectFixes } from '../../src/core/edit.js';
import type { Finding, TextEdit } from '../../src/core/finding.js';
import type { KubeconnOptions } from '../../src/core/options.js';
import type { Rule } from '../../src/core/rule.js';
import { Workspace } from '../../src/api.js';
import { initKubeconn } from '../../src/core/init.js';
import { assertIncrementalMatches } from './incremental.js';

export type Files = Record<string, string>;

export interface ExpectedError {
  messageId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Exact message, when a test wants to pin the wording. */
  message?: string;
  /** The file the finding is in (defaults to the first file of the case). */
  file?: string;
  severity?: Finding['severity'];
  /** Expected related locations as `file:line:column`. */
  related?: string[];
  /** Expected outputs of each suggestion, in order (only the files that change). */
  suggestions?: { messageId: string; output: Files }[];
}

export interface ValidCase {
  name: string;
  files: Files;
  options?: Partial<KubeconnOptions>;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /** Files after applying every fix of this rule once (only the files that change); null: no fix at all. */
  output?: Files | null;
}

export function runRuleTests(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(rule.id, () => {
    describe('valid', () => {
      for (const c of cases.valid) {
        it(c.name, async () => {
          const findings = await lint(rule, c.files, c.options);
          assert.deepEqual(findings.map(show), [], 'expected no findings');
          assertIncrementalMatches(c.files, c.options);
        });
      }
    });
    describe('invalid', () => {
      for (const c of cases.invalid) {
        it(c.name, async () => {
          const findings = await lint(rule, c.files, c.options);
          const firstFile = Object.keys(c.files)[0]!;
          assert.deepEqual(
            findings.map((f) => ({
              file: f.file,
              messageId: f.messageId,
              line: f.line,
              column: f.column,
              endLine: f.endLine,
              endColumn: f.endColumn,
            })),
            c.errors.map((e) => ({
              file: e.file ?? firstFile,
              messageId: e.messageId,
              line: e.line,
              column: e.column,
              endLine: e.endLine,
              endColumn: e.endColumn,
            })),
            `positions differ; got:\n${findings.map(show).join('\n')}`,
          );
          c.errors.forEach((e, i) => {
            const f = findings[i]!;
            if (e.message !== undefined) assert.equal(f.message, e.message);
            if (e.severity !== undefined) assert.equal(f.severity, e.severity);
            if (e.related !== undefined)
              assert.deepEqual(
                f.related.map((r) => `${r.file}:${r.line}:${r.column}`),
                e.related,
              );
            if (e.suggestions !== undefined) {
              assert.deepEqual(
                f.suggestions.map((s) => s.messageId),
                e.suggestions.map((s) => s.messageId),
                'suggestion ids',
              );
              e.suggestions.forEach((s, k) => {
                const out = applyAll(c.files, f.suggestions[k]!.edits);
                assert.deepEqual(changed(c.files, out), s.output, `suggestion ${s.messageId} output`);
              });
            }
          });
          if (c.output !== undefined) {
            const fixes = findings.filter((f) => f.fix).map((f) => f.fix!);
            if (c.output === null) {
              assert.equal(fixes.length, 0, 'expected no fix');
            } else {
              const out = applyAll(c.files, selectFixes(fixes));
              assert.deepEqual(changed(c.files, out), c.output, 'fix output');
              await assertFixedCleanly(rule, c, out, findings);
            }
          }
          // Every suggestion's output must parse as well as the input did.
          for (const f of findings) for (const s of f.suggestions) await assertParsesAsBefore(rule, c, applyAll(c.files, s.edits));
          // Editing any file and analysing incrementally gives what a fresh analysis gives.
          assertIncrementalMatches(c.files, c.options);
        });
      }
    });
  });
}

export async function lint(rule: Rule, files: Files, options: Partial<KubeconnOptions> = {}): Promise<Finding[]> {
  await initKubeconn();
  const ws = new Workspace(options, [rule]);
  for (const [file, text] of Object.entries(files)) ws.setFile(file, text);
  return ws.analyze().findings;
}

async function problemsOf(files: Files, options?: Partial<KubeconnOptions>): Promise<string[]> {
  await initKubeconn();
  const ws = new Workspace(options ?? {}, []);
  for (const [file, text] of Object.entries(files)) ws.setFile(file, text);
  return ws.analyze().problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`);
}

async function assertParsesAsBefore(rule: Rule, c: InvalidCase, out: Files): Promise<void> {
  assert.deepEqual(await problemsOf(out, c.options), await problemsOf(c.files, c.options), `${rule.id}: an edit broke parsing`);
}

async function assertFixedCleanly(rule: Rule, c: InvalidCase, out: Files, before: Finding[]): Promise<void> {
  await assertParsesAsBefore(rule, c, out);
  const after = await lint(rule, out, c.options);
  for (const f of before.filter((x) => x.fix)) {
    const again = after.find((a) => a.messageId === f.messageId && a.file === f.file && a.message === f.message);
    assert.equal(again, undefined, `${rule.id}: finding still reported after its fix: ${show(f)}`);
  }
}

export function applyAll(files: Files, edits: readonly TextEdit[]): Files {
  const out: Files = { ...files };
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, list] of byFile) out[file] = applyEdits(out[file] ?? '', list);
  return out;
}

function changed(before: Files, after: Files): Files {
  return Object.fromEntries(Object.entries(after).filter(([k, v]) => before[k] !== v));
}

function show(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.ruleId}/${f.messageId} ${f.message}`;
}

/** Template tag that strips the common indentation, so inline YAML can be indented with the test code. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines
    .map((l) => l.slice(cut))
    .join('\n')
    .replace(/[ \t]+$/, '');
}
export const code = yaml;
