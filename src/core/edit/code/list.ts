// Shared primitives of the code edit builders: append an entry to a list the facts described, insert at an
// offset, rewrite a literal's content. Each builder picks the layout its language's formatter expects.
import type { ImportsLayout, ListLayout, Range } from '../../facts/grpc/index.js';
import type { CodeEdit } from './index.js';

export interface AppendStyle {
  /** In a list that spans lines, put the new entry on its own line at the last entry's indent (gofmt, Prettier). */
  ownLine?: boolean;
  /** An empty list becomes `{ entry }` (JS objects, C# initializers) rather than `{entry}`. */
  padEmpty?: boolean;
  /** An empty list gets `entry,` (a Python one-element tuple). */
  trailingCommaWhenAlone?: boolean;
}

/** Insert `code` as the last entry of `list`. */
export function appendItem(list: ListLayout, code: string, style: AppendStyle = {}): CodeEdit {
  const last = list.items[list.items.length - 1];
  if (!last) {
    const [open, close] = list.at;
    if (style.padEmpty) return { start: open + 1, end: close - 1, text: ` ${code} ` };
    return insertAt(open + 1, style.trailingCommaWhenAlone ? `${code},` : code);
  }
  if (style.ownLine && list.multiline) return insertAt(last.at[1], `,\n${list.indent}${code}`);
  return insertAt(last.at[1], `, ${code}`);
}

export function insertAt(offset: number, text: string): CodeEdit {
  return { start: offset, end: offset, text };
}

export function replace(at: Range, text: string): CodeEdit {
  return { start: at[0], end: at[1], text };
}

/** Text every language's string literal holds as is: host names, ports, schemes and paths of dial targets. */
const NEEDS_NO_ESCAPE = /^[A-Za-z0-9:/._\-[\]@%+~]*$/;

export function replaceStringContent(at: Range, text: string): CodeEdit[] | undefined {
  return NEEDS_NO_ESCAPE.test(text) ? [replace(at, text)] : undefined;
}

/**
 * Import lines after the file's last import, else after its header (package declaration, docstring), else at
 * the very start — one edit for all of them, so they stay in the order asked.
 */
export function addImportLines(imports: ImportsLayout, lines: readonly string[]): CodeEdit[] {
  if (lines.length === 0) return [];
  const after = imports.lastImportEnd ?? (imports.headerEnd > 0 ? imports.headerEnd : undefined);
  return [after === undefined ? insertAt(0, lines.map((l) => `${l}\n`).join('')) : insertAt(after, lines.map((l) => `\n${l}`).join(''))];
}

/** Does the file already import `module` (and, for `names`, each of them)? */
export function hasImport(imports: ImportsLayout, module: string, names?: readonly string[]): boolean {
  return imports.entries.some(
    (e) => e.module === module && (!names?.length || names.every((n) => e.names?.includes(n) || e.names?.includes('*'))),
  );
}
