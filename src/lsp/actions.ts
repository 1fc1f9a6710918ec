// Code actions straight from the findings, one entry per distinct thing to do: the fix (preferred: the core
// attaches only safe edits as `fix`) and each suggestion, merged across the findings of a line that carry the
// same fix ("… for 7 Services", one edit set with shared edits once); one "disable for this line" and one
// "disable for <object>" per rule; "fix all" per rule; the rule's docs; and `source.fixAll.kubeconn` for
// fix-on-save. No action is derived from message text.
import {
  type AnalysisResult,
  disableLineEdit,
  disableObjectEdit,
  editKey,
  type FileFacts,
  type Finding,
  type Fix,
  fixKey,
  type Rule,
  selectFixes,
  type TextEdit,
} from '../api.js';
import { type CodeAction, CodeActionKind, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver';
import type { Naming } from './diagnostics.js';
import { mergeTitles, targetsOf } from './merge.js';
import { FIX_ALL_KIND, SHOW_DOCS_COMMAND } from './protocol.js';
import { pushTo } from '../api.js';

export interface ActionContext {
  result: AnalysisResult;
  rules: ReadonlyMap<string, Rule>;
  naming: Naming;
  factsOf(file: string): FileFacts | undefined;
  /** The findings with their fixes verified (the editor's analysis leaves that to the code actions). */
  verify(findings: readonly Finding[]): Finding[];
  /**
   * The client resolves code actions' edits (`codeAction/resolve`): "Fix all <rule> problems" is then offered
   * without its edit, and verifying every fix of the rule in the workspace waits until it is picked.
   */
  resolvesEdits?: boolean;
}

/** What a lazily offered code action carries for `codeAction/resolve`. */
export interface FixAllData {
  fixAllOfRule: string;
}

/** Core edits (UTF-16 offsets into the analysed text of each file) → a WorkspaceEdit. */
export function toWorkspaceEdit(ctx: ActionContext, edits: readonly TextEdit[]): WorkspaceEdit | undefined {
  const changes: NonNullable<WorkspaceEdit['changes']> = {};
  for (const e of edits) {
    const facts = ctx.factsOf(e.file);
    if (!facts) return undefined;
    const start = facts.lines.position(e.start);
    const end = facts.lines.position(e.end);
    const uri = ctx.naming.uriOf(e.file);
    (changes[uri] ??= []).push({
      range: { start: { line: start.line - 1, character: start.column - 1 }, end: { line: end.line - 1, character: end.column - 1 } },
      newText: e.text,
    });
  }
  return { changes };
}

/** The union of several fixes' edits with shared edits once, or undefined when two of them conflict. */
export function unionOfEdits(fixes: readonly Fix[]): TextEdit[] | undefined {
  const byKey = new Map<string, TextEdit>();
  for (const f of fixes) for (const e of f.edits) byKey.set(editKey(e), e);
  const edits = [...byKey.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start || a.end - b.end));
  for (let i = 1; i < edits.length; i++) {
    const a = edits[i - 1]!;
    const b = edits[i]!;
    if (a.file !== b.file) continue;
    // Two insertions at one point are applied in order; anything else that touches is a conflict.
    const bothInserts = a.start === a.end && b.start === b.end && a.start === b.start;
    if (b.start < a.end || (b.start === a.start && !bothInserts)) return undefined;
  }
  return edits;
}

interface Candidate {
  finding: Finding;
  fix: Fix;
  preferred: boolean;
}

export function quickFixes(ctx: ActionContext, findings: readonly Finding[], diagnosticsOf: (f: Finding) => Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const unique = ctx.verify([...new Set(findings)]);
  const diagnostics = (fs: readonly Finding[]): Diagnostic[] => [
    ...new Map(fs.flatMap(diagnosticsOf).map((d) => [JSON.stringify([d.code, d.range]), d])).values(),
  ];

  // Fixes and suggestions: grouped by rule, line, the fix's message id and whether it is the safe fix.
  const groups = new Map<string, Candidate[]>();
  for (const finding of unique) {
    const candidates: Candidate[] = [
      ...(finding.fix ? [{ finding, fix: finding.fix, preferred: true }] : []),
      ...finding.suggestions.map((fix) => ({ finding, fix, preferred: false })),
    ];
    for (const c of candidates) {
      const key = `${finding.ruleId}\0${finding.line}\0${c.preferred}\0${c.fix.messageId ?? c.fix.message}`;
      pushTo(groups, key, c);
    }
  }
  for (const group of groups.values()) {
    const { ruleId, messageId } = group[0]!.finding;
    const rule = ctx.rules.get(ruleId);
    const targets = targetsOf(
      rule?.meta.messages[messageId],
      group.map((c) => c.finding.message),
    );
    const fixTemplate = group[0]!.fix.messageId ? rule?.meta.messages[group[0]!.fix.messageId] : undefined;
    const union = unionOfEdits(group.map((c) => c.fix));
    // Copies that cannot be applied together stay separate (each deduplicated by its edits).
    const parts = union ? [{ edits: union, members: group }] : splitByEdits(group);
    for (const part of parts) {
      const edit = toWorkspaceEdit(ctx, part.edits);
      if (!edit) continue;
      const members = [...new Set(part.members.map((c) => c.finding))];
      const title = mergeTitles(
        fixTemplate,
        part.members.map((c) => c.fix.message),
        parts.length === 1 ? targets : undefined,
        members.length,
      );
      actions.push({
        title: ctx.naming.clean(title),
        kind: CodeActionKind.QuickFix,
        edit,
        diagnostics: diagnostics(members),
        isPreferred: part.members[0]!.preferred,
      });
    }
  }

  const byRule = new Map<string, Finding[]>();
  for (const f of unique) pushTo(byRule, f.ruleId, f);
  for (const [ruleId, list] of byRule) {
    const first = list[0]!;
    const all = fixAllOfRule(ctx, ruleId, diagnostics(list));
    if (all) actions.push(all);
    const facts = ctx.factsOf(first.file);
    const line = facts && toWorkspaceEdit(ctx, [disableLineEdit(facts, first)]);
    if (line)
      actions.push({
        title: `Disable kubeconn/${ruleId} for this line`,
        kind: CodeActionKind.QuickFix,
        edit: line,
        diagnostics: diagnostics(list),
      });
    const object = disableObjectEdit(ctx.result.modelFor(first.file).objects, first);
    const objectEdit = object && toWorkspaceEdit(ctx, [object.edit]);
    if (object && objectEdit) {
      actions.push({
        title: `Disable kubeconn/${ruleId} for ${object.object} (kubeconn.io/ignore)`,
        kind: CodeActionKind.QuickFix,
        edit: objectEdit,
        diagnostics: diagnostics(list),
      });
    }
  }
  for (const [ruleId, list] of byRule) {
    const title = `Show documentation for kubeconn/${ruleId}`;
    actions.push({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: diagnostics(list).slice(0, 1),
      command: { title, command: SHOW_DOCS_COMMAND, arguments: [ruleId, ctx.naming.docsHref(ruleId)] },
    });
  }
  return actions;
}

function splitByEdits(group: Candidate[]): { edits: TextEdit[]; members: Candidate[] }[] {
  const parts = new Map<string, { edits: TextEdit[]; members: Candidate[] }>();
  for (const c of group) {
    const key = fixKey(c.fix);
    const part = parts.get(key);
    if (part) part.members.push(c);
    else parts.set(key, { edits: c.fix.edits, members: [c] });
  }
  return [...parts.values()];
}

/**
 * "Fix all <rule> problems": every safe fix of the rule in the workspace as one WorkspaceEdit, when that is more
 * than one fix. Where the client resolves edits, the entry is offered when the rule has more than one fix before
 * verification, and its edit (of the fixes that pass) is made by `resolveFixAll` when it is picked.
 */
function fixAllOfRule(ctx: ActionContext, ruleId: string, diagnostics: Diagnostic[]): CodeAction | undefined {
  const title = `Fix all kubeconn/${ruleId} problems`;
  const ofRule = fixableOfRule(ctx, ruleId);
  if (ctx.resolvesEdits) {
    if (distinctFixes(ofRule.map((f) => f.fix!)) < 2) return undefined;
    const data: FixAllData = { fixAllOfRule: ruleId };
    return { title, kind: CodeActionKind.QuickFix, diagnostics, data };
  }
  const fixes = verifiedFixes(ctx, ofRule);
  if (distinctFixes(fixes) < 2) return undefined;
  const edit = toWorkspaceEdit(ctx, selectFixes(fixes));
  return edit && { title, kind: CodeActionKind.QuickFix, edit, diagnostics };
}

/** `codeAction/resolve` of a lazily offered "Fix all <rule> problems": its edit, from the current analysis. */
export function resolveFixAll(ctx: ActionContext, action: CodeAction, data: FixAllData): CodeAction {
  const fixes = verifiedFixes(ctx, fixableOfRule(ctx, data.fixAllOfRule));
  const edit = fixes.length > 0 ? toWorkspaceEdit(ctx, selectFixes(fixes)) : undefined;
  // No fix passed (or the analysis changed under it): an empty edit, never a stale one.
  return { ...action, edit: edit ?? { changes: {} } };
}

export function isFixAllData(data: unknown): data is FixAllData {
  return typeof data === 'object' && data !== null && typeof (data as FixAllData).fixAllOfRule === 'string';
}

/** The rule's findings in the current analysis that carry a fix (not yet verified). */
function fixableOfRule(ctx: ActionContext, ruleId: string): Finding[] {
  return ctx.result.findings.filter((f) => f.ruleId === ruleId && f.fix);
}

function verifiedFixes(ctx: ActionContext, findings: readonly Finding[]): Fix[] {
  return ctx
    .verify(findings)
    .filter((f) => f.fix)
    .map((f) => f.fix!);
}

function distinctFixes(fixes: readonly Fix[]): number {
  return new Set(fixes.map(fixKey)).size;
}

/** Fix-on-save: the safe fixes of a file's findings whose edits stay inside that file. */
export function fixAllInFile(ctx: ActionContext, file: string): CodeAction | undefined {
  const fixes = ctx
    .verify((ctx.result.byFile.get(file) ?? []).filter((f) => f.fix))
    .filter((f) => f.fix && f.fix.edits.every((e) => e.file === file))
    .map((f) => f.fix!);
  if (fixes.length === 0) return undefined;
  const edit = toWorkspaceEdit(ctx, selectFixes(fixes));
  return edit && { title: 'Fix all kubeconn problems', kind: FIX_ALL_KIND, edit };
}
