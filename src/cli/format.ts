// Output formats of `kubeconn check`: stylish (ESLint's look with paths relative to the working folder, plus
// the cross-file evidence), json (ESLint's JSON formatter, in shape) and sarif (sarif.ts). Stylish prints
// workspace text (file names, messages quoting YAML names) through printable(): control characters are shown
// as escapes and never reach the terminal raw; json and sarif keep the exact text.
import { type Finding, printable } from '../api.js';
import path from 'node:path';
import type { EslintResult } from './results.js';

export type Format = 'stylish' | 'json' | 'sarif';

export function formatJson(results: EslintResult[]): string {
  return JSON.stringify(results);
}

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[39m` : s);
const dim = (s: string) => (color ? `\u001b[2m${s}\u001b[22m` : s);

export function formatStylish(results: EslintResult[], findings: ReadonlyMap<string, Finding[]>, cwd: string): string {
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let fixableErrors = 0;
  let fixableWarnings = 0;
  for (const result of results) {
    if (result.messages.length === 0) continue;
    out.push('', printable(relative(cwd, result.filePath)));
    const byPosition = findings.get(result.filePath) ?? [];
    for (const m of result.messages) {
      const level = m.severity === 2 ? paint(31, 'error') : m.level === 'info' ? paint(36, 'info   ') : paint(33, 'warning');
      out.push(`  ${dim(`${m.line}:${m.column}`)}  ${level}  ${printable(m.message)}  ${dim(printable(m.ruleId ?? ''))}`);
      const finding = byPosition.find(
        (f) => `kubeconn/${f.ruleId}` === m.ruleId && f.line === m.line && f.column === m.column && f.message === m.message,
      );
      for (const r of finding?.related ?? [])
        out.push(dim(`      ↳ ${printable(relative(cwd, r.file))}:${r.line}:${r.column} ${printable(r.message)}`));
    }
    errors += result.errorCount;
    warnings += result.warningCount;
    infos += result.messages.filter((m) => m.level === 'info').length;
    fixableErrors += result.fixableErrorCount;
    fixableWarnings += result.fixableWarningCount;
  }
  const total = errors + warnings + infos;
  if (total === 0) return '';
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const infoPart = infos > 0 ? `, ${infos} info` : '';
  out.push(
    '',
    paint(errors ? 31 : 33, `✖ ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}${infoPart})`),
  );
  if (fixableErrors + fixableWarnings > 0) {
    out.push(
      paint(
        errors ? 31 : 33,
        `  ${plural(fixableErrors, 'error')} and ${plural(fixableWarnings, 'warning')} potentially fixable with the \`--fix\` option.`,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

/** A path for the terminal: relative to the working folder (never an absolute machine path when inside it). */
function relative(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel === '' ? file : rel;
}
