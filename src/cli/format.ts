// Output formats of `kubeconn check`: stylish (ESLint's look, plus the cross-file evidence), json (ESLint's
// JSON formatter, byte for byte in shape) and sarif (Microsoft's ESLint SARIF formatter, as CI uploads expect).
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Finding } from '../core/finding.js';
import { allRules } from '../../rules/index.js';
import { DOCS_BASE_URL, docsPath } from '../core/rule.js';
import type { EslintResult } from './results.js';

export type Format = 'stylish' | 'json' | 'sarif';

export function formatJson(results: EslintResult[]): string {
  return JSON.stringify(results);
}

export function formatSarif(results: EslintResult[], cwd: string): string {
  const require = createRequire(import.meta.url);
  const sarif = require('@microsoft/eslint-formatter-sarif') as (r: EslintResult[], data: object) => string;
  const rulesMeta = Object.fromEntries(
    allRules.map((r) => [
      `kubeconn/${r.id}`,
      { type: r.meta.type, docs: { description: r.meta.description, url: DOCS_BASE_URL + docsPath(r.id) } },
    ]),
  );
  return sarif(results, { rulesMeta, cwd });
}

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[39m` : s);
const dim = (s: string) => (color ? `\u001b[2m${s}\u001b[22m` : s);

export function formatStylish(results: EslintResult[], findings: ReadonlyMap<string, Finding[]>, cwd: string): string {
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  let fixableErrors = 0;
  let fixableWarnings = 0;
  for (const result of results) {
    if (result.messages.length === 0) continue;
    out.push('', result.filePath);
    const byPosition = findings.get(result.filePath) ?? [];
    for (const m of result.messages) {
      const level = m.severity === 2 ? paint(31, 'error') : paint(33, 'warning');
      out.push(`  ${dim(`${m.line}:${m.column}`)}  ${level}  ${m.message}  ${dim(m.ruleId ?? '')}`);
      const finding = byPosition.find((f) => `kubeconn/${f.ruleId}` === m.ruleId && f.line === m.line && f.column === m.column && f.message === m.message);
      for (const r of finding?.related ?? []) out.push(dim(`      ↳ ${path.relative(cwd, r.file) || r.file}:${r.line}:${r.column} ${r.message}`));
    }
    errors += result.errorCount;
    warnings += result.warningCount;
    fixableErrors += result.fixableErrorCount;
    fixableWarnings += result.fixableWarningCount;
  }
  const total = errors + warnings;
  if (total === 0) return '';
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  out.push('', paint(errors ? 31 : 33, `✖ ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`));
  if (fixableErrors + fixableWarnings > 0) {
    out.push(paint(errors ? 31 : 33, `  ${plural(fixableErrors, 'error')} and ${plural(fixableWarnings, 'warning')} potentially fixable with the \`--fix\` option.`));
  }
  return `${out.join('\n')}\n`;
}
