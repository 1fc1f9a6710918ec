// What the engine hands to every front end: a finding with its exact span, evidence elsewhere,
// and the edits that fix it. Fixes are computed at report time and travel with the finding.

export type Severity = 'error' | 'warning' | 'info';

/** A half-open range of UTF-16 offsets [start, end) in the file the fact that holds it was read from. */
export interface TextRange {
  start: number;
  end: number;
}

/** A TextRange in a named file: the one span type findings, related locations and edits use. */
export interface Span extends TextRange {
  file: string;
}

export interface TextEdit extends Span {
  text: string;
  /** Computed through the edited object's source (facts/source.ts). Edits of Helm templates must be. */
  viaSource?: boolean;
}

/** A fix or a suggestion: one or more edits, possibly in several files (cross-file edits are editor-only). */
export interface Fix {
  /** For suggestions: what the edit does, shown in the editor and in ESLint's suggestion list. */
  message: string;
  messageId?: string;
  edits: TextEdit[];
}

export interface Located extends Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface RelatedLocation extends Located {
  message: string;
}

export interface Finding extends Located {
  ruleId: string;
  messageId: string;
  message: string;
  severity: Severity;
  related: RelatedLocation[];
  /** A safe edit, applied by `--fix`, `eslint --fix` and fix-on-save. */
  fix?: Fix;
  /** Edits that change behaviour or topology: offered, never applied automatically. */
  suggestions: Fix[];
}

/** A file that could not be read or parsed (whole or in part); reported as ESLint's `fatal` message. */
export interface ParseProblem extends Located {
  message: string;
  /** syntax: the text does not parse (ESLint's "Parsing error"); skipped: not read on purpose (size, binary); internal: a kubeconn bug. */
  kind: 'syntax' | 'skipped' | 'internal';
  /** true when nothing of the file could be analysed; false when other documents still were. */
  fatal: boolean;
  /** For a rule that failed on an entity of this file: the rule (its other findings, and other rules', stand). */
  ruleId?: string;
}

export function compareFindings(a: Located & { ruleId?: string }, b: Located & { ruleId?: string }): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.start - b.start || a.end - b.end || (a.ruleId ?? '').localeCompare(b.ruleId ?? '')
  );
}
