// Core edits (UTF-16 offsets into the analysed text of each file) → one WorkspaceEdit, and the two
// "disable" edits: a directive comment above the line, or the object's `kubeconn.io/ignore` annotation.
// Positions come from the text the core analysed; if an open editor has moved on since, no edit is made.
import * as vscode from 'vscode';
import type { Finding, TextEdit } from '../core/index.js';
import { insertIntoMap, replaceScalar } from '../core/edit.js';
import { asMap, asScalar, get, pairOf } from '../core/facts/yaml-util.js';
import { ignoredByAnnotation, IGNORE_ANNOTATION, RULE_PREFIX } from '../core/suppress.js';
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

const NEXT_LINE = /^(\s*)(#|\/\/)\s*eslint-disable-next-line\b(.*)$/;

/** `# eslint-disable-next-line kubeconn/<id>` above the finding's line (or added to a directive already there). */
export function disableLineEdit(engine: Engine, finding: Finding): TextEdit | undefined {
  const facts = engine.workspace.factsOf(finding.file);
  if (!facts) return undefined;
  const text = facts.text;
  const lineStart = facts.lines.offset(finding.line, 1);
  const rule = `${RULE_PREFIX}${finding.ruleId}`;
  if (finding.line > 1) {
    const prevStart = facts.lines.offset(finding.line - 1, 1);
    const prevLine = text.slice(prevStart, lineStart).replace(/\r?\n$/, '');
    const m = NEXT_LINE.exec(prevLine);
    if (m && m[3]!.trim() !== '') {
      // Rules end where an optional `-- reason` starts.
      const list = m[3]!.split(/\s--\s/)[0]!.replace(/\s+$/, '');
      const at = prevStart + m[1]!.length + prevLine.slice(m[1]!.length).indexOf(m[3]!) + list.length;
      return { file: finding.file, start: at, end: at, text: `, ${rule}` };
    }
  }
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const marker = facts.commentSyntax === 'slash' ? '//' : '#';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { file: finding.file, start: lineStart, end: lineStart, text: `${indent}${marker} eslint-disable-next-line ${rule}${eol}` };
}

/** Add the rule to the `kubeconn.io/ignore` annotation of the Kubernetes object holding the finding. */
export function disableObjectEdit(engine: Engine, finding: Finding): { edit: TextEdit; object: string } | undefined {
  const result = engine.result;
  const facts = engine.workspace.factsOf(finding.file);
  if (!result || !facts) return undefined;
  const object = result.graph.objects.find((o) => o.file === finding.file && o.span[0] <= finding.start && finding.start <= o.span[1]);
  if (!object) return undefined;
  const { doc, root } = object;
  const text = facts.text;
  const label = `${object.kind} '${object.name}'`;
  const metadata = asMap(get(root, 'metadata', doc), doc);
  if (!metadata || metadata.items.length === 0) return undefined;
  const annotationsPair = pairOf(metadata, 'annotations', doc);
  if (!annotationsPair) {
    return { object: label, edit: insertIntoMap(finding.file, text, metadata, { annotations: { [IGNORE_ANNOTATION]: finding.ruleId } }) };
  }
  const annotations = asMap(annotationsPair.value, doc);
  if (!annotations) return undefined; // `annotations:` with nothing (or a template) under it
  const ignorePair = pairOf(annotations, IGNORE_ANNOTATION, doc);
  const current = ignorePair ? asScalar(ignorePair.value, doc) : undefined;
  if (ignorePair && current) {
    const ids = [...ignoredByAnnotation(object.annotations)];
    if (ids.includes(finding.ruleId)) return undefined;
    return { object: label, edit: replaceScalar(finding.file, text, current, JSON.stringify([...ids, finding.ruleId].join(','))) };
  }
  if (ignorePair) return undefined;
  if (annotations.items.length === 0 && !annotations.flow) return undefined;
  return { object: label, edit: insertIntoMap(finding.file, text, annotations, { [IGNORE_ANNOTATION]: finding.ruleId }) };
}
