// Offsets ↔ positions. Offsets are JS string indices (UTF-16 code units), the unit of yaml, tree-sitter
// (web), LSP and VS Code; lines and columns here are 1-based, as ESLint and the CLI print them.

export interface Position {
  line: number;
  column: number;
}

/** The index of the first of the sorted `values` past `offset` (values.length when none is): a binary search. */
export function firstAfter(values: readonly number[], offset: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `text` as a RegExp source matching it literally (outside a character class). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Line starts of one text, built once and binary-searched: every report of a file shares it. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  /** 1-based line and column of an offset (clamped to the text). */
  position(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    // The last line start at or before `at` (starts[0] is 0).
    const line = Math.max(0, firstAfter(this.starts, at) - 1);
    return { line: line + 1, column: at - this.starts[line]! + 1 };
  }

  /** Offset of a 1-based line and column. */
  offset(line: number, column: number): number {
    const start = this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))]!;
    return Math.min(start + column - 1, this.text.length);
  }
}

/** Replace `{{name}}` placeholders, as ESLint does for messages. */
export function formatMessage(template: string, data: Record<string, unknown> | undefined): string {
  if (!data) return template;
  return template.replace(/\{\{\s*([^{}\s]+)\s*\}\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}
