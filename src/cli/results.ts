// Findings in ESLint's result shape, so `--format json` is exactly what `eslint --format json` prints and
// any ESLint formatter (SARIF included) can read kubeconn's output.
import { applyEdits, type Finding, type Fix, type ParseProblem } from '../api.js';

export interface EslintFix {
  range: [number, number];
  text: string;
}

export interface EslintMessage {
  ruleId: string | null;
  severity: 1 | 2;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  fatal?: true;
  /** Only on kubeconn's info findings: ESLint's JSON has two severities, so info is severity 1 with this mark. */
  level?: 'info';
  fix?: EslintFix;
  suggestions?: { desc: string; fix: EslintFix }[];
}

export interface EslintResult {
  filePath: string;
  messages: EslintMessage[];
  suppressedMessages: [];
  errorCount: number;
  fatalErrorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  source?: string;
  usedDeprecatedRules: [];
}

/** ESLint carries one {range, text} per fix: several edits in one file merge into one replacement. */
export function mergeFix(fix: Fix, file: string, text: string): EslintFix | undefined {
  if (fix.edits.some((e) => e.file !== file) || fix.edits.length === 0) return undefined;
  const start = Math.min(...fix.edits.map((e) => e.start));
  const end = Math.max(...fix.edits.map((e) => e.end));
  const shifted = fix.edits.map((e) => ({ start: e.start - start, end: e.end - start, text: e.text }));
  return { range: [start, end], text: applyEdits(text.slice(start, end), shifted) };
}

export function toMessage(finding: Finding, text: string): EslintMessage {
  const fix = finding.fix && mergeFix(finding.fix, finding.file, text);
  const suggestions = finding.suggestions.flatMap((s) => {
    const merged = mergeFix(s, finding.file, text);
    return merged ? [{ desc: s.message, fix: merged }] : [];
  });
  return {
    ruleId: `kubeconn/${finding.ruleId}`,
    severity: finding.severity === 'error' ? 2 : 1,
    ...(finding.severity === 'info' ? { level: 'info' as const } : {}),
    message: finding.message,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    ...(fix ? { fix } : {}),
    ...(suggestions.length ? { suggestions } : {}),
  };
}

export function problemMessage(problem: ParseProblem): EslintMessage {
  if (problem.ruleId) {
    return { ruleId: `kubeconn/${problem.ruleId}`, severity: 2, message: problem.message, line: problem.line, column: problem.column };
  }
  if (problem.kind === 'skipped') {
    return { ruleId: null, severity: 1, message: problem.message, line: problem.line, column: problem.column };
  }
  return {
    ruleId: null,
    fatal: true,
    severity: 2,
    message: `Parsing error: ${problem.message}`,
    line: problem.line,
    column: problem.column,
  };
}

export function toResult(file: string, text: string | undefined, findings: Finding[], problems: ParseProblem[]): EslintResult {
  const messages = [...problems.map(problemMessage), ...findings.map((f) => toMessage(f, text ?? ''))].sort(
    (a, b) => a.line - b.line || a.column - b.column,
  );
  const count = (pred: (m: EslintMessage) => boolean) => messages.filter(pred).length;
  return {
    filePath: file,
    messages,
    suppressedMessages: [],
    errorCount: count((m) => m.severity === 2),
    fatalErrorCount: count((m) => m.fatal === true),
    // Info findings are neither errors nor warnings (they never fail --max-warnings).
    warningCount: count((m) => m.severity === 1 && m.level !== 'info'),
    fixableErrorCount: count((m) => m.severity === 2 && m.fix !== undefined),
    fixableWarningCount: count((m) => m.severity === 1 && m.level !== 'info' && m.fix !== undefined),
    ...(messages.length > 0 && text !== undefined ? { source: text } : {}),
    usedDeprecatedRules: [],
  };
}
