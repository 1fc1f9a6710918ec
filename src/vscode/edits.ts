// Core edits (UTF-16 offsets into the analysed text of each file) → one WorkspaceEdit, and the two
// "disable" edits the core builds: a directive comment above the line, or the object's annotation.
// Positions come from the text the core analysed; if an open editor has moved on since, no edit is made.
import { disableLineEdit as coreDisableLineEdit, disableObjectEdit as coreDisableObjectEdit, type Finding, type TextEdit } from '../api.js';
import * as vscode from 'vscode';
import type { Engine } from './engine.js';

/** One WorkspaceEdit for a set of core edits (possibly in several files), or undefined when stale. */
export function toWorkspaceEdit(engine: Engine, edits: readonly TextEdit[]): vscode.WorkspaceEdit | undefined {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) {
    const facts = engine.workspace.factsOf(e.file);
    if (!facts || !isCurrent(engine, e.file, facts.text)) return undefined;
    const start = facts.lines.position(e.start);
    const end = facts.lines.position(e.end);
    edit.replace(engine.uriOf(e.file), new vscode.Range(start.line - 1, start.column - 1, end.line - 1, end.column - 1), e.text);
  }
  return edit;
}

function isCurrent(engine: Engine, file: string, analysed: string): boolean {
  const uri = engine.uriOf(file).toString();
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  return !doc || doc.getText() === analysed;
}

/** `# eslint-disable-next-line kubeconn/<id>` above the finding's line (or added to a directive already there). */
export function disableLineEdit(engine: Engine, finding: Finding): TextEdit | undefined {
  const facts = engine.workspace.factsOf(finding.file);
  return facts && coreDisableLineEdit(facts, finding);
}

/** Add the rule to the `kubeconn.io/ignore` annotation of the Kubernetes object holding the finding. */
export function disableObjectEdit(engine: Engine, finding: Finding): { edit: TextEdit; object: string } | undefined {
  const result = engine.result;
  return result && coreDisableObjectEdit(result.model.objects, finding);
}
