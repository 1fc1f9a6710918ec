// The one builder of ParseProblems: a problem's offsets are clamped into the file (yaml and JSON readers report
// the end of the input one past it) and its line and column, start and end, come from the file's line index.
import type { ParseProblem } from '../finding.js';
import type { LineIndex } from '../text.js';

export function problemAt(
  where: { file: string; lines: LineIndex },
  start: number,
  end: number,
  problem: { kind: ParseProblem['kind']; message: string; fatal?: boolean },
): ParseProblem {
  const length = where.lines.text.length;
  const from = Math.min(Math.max(0, start), length);
  const to = Math.min(Math.max(from, end), length);
  const a = where.lines.position(from);
  const b = to === from ? a : where.lines.position(to);
  return {
    file: where.file,
    start: from,
    end: to,
    line: a.line,
    column: a.column,
    endLine: b.line,
    endColumn: b.column,
    message: problem.message,
    kind: problem.kind,
    fatal: problem.fatal ?? false,
  };
}
