// Quick fixes straight from the findings: the fix (preferred: the core only attaches safe edits as
// `fix`), every suggestion, fix-all for the rule, disable for the line or the object, the rule's docs;
// and `source.fixAll.kubeconn` for fix-on-save. No action is derived from message text.
import { type Finding, type Fix, selectFixes } from '../api.js';
import * as vscode from 'vscode';
import type { DiagnosticsView } from './diagnostics.js';
import { disableLineEdit, disableObjectEdit, toWorkspaceEdit } from './edits.js';
import type { Engine } from './engine.js';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('kubeconn');
export const SHOW_DOCS_COMMAND = 'kubeconn.showDocumentation';

export class KubeconnCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(
    private readonly engine: Engine,
    private readonly view: DiagnosticsView,
  ) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (!this.engine.wants(document.uri)) return [];
    // Make the findings (and their offsets) match the text as it is now.
    this.engine.fromDocument(document, false);
    this.engine.analyzeNow();
    const only = context.only;
    if (only && (only.contains(FIX_ALL_KIND) || FIX_ALL_KIND.contains(only))) {
      const action = this.fixAllInDocument(document);
      return action ? [action] : [];
    }
    if (only && !only.contains(vscode.CodeActionKind.QuickFix) && !vscode.CodeActionKind.QuickFix.contains(only)) return [];
    const actions: vscode.CodeAction[] = [];
    const seenRules = new Set<string>();
    for (const diagnostic of context.diagnostics) {
      for (const finding of this.view.findingsFor(document.uri, diagnostic)) {
        actions.push(...this.forFinding(finding, diagnostic));
        if (!seenRules.has(finding.ruleId)) {
          seenRules.add(finding.ruleId);
          const all = this.fixAllOfRule(finding.ruleId, diagnostic);
          if (all) actions.push(all);
        }
      }
    }
    for (const ruleId of seenRules) {
      const first = context.diagnostics.find((d) => this.view.findingsFor(document.uri, d).some((f) => f.ruleId === ruleId))!;
      const docs = new vscode.CodeAction(`Show documentation for kubeconn/${ruleId}`, vscode.CodeActionKind.QuickFix);
      docs.command = { title: docs.title, command: SHOW_DOCS_COMMAND, arguments: [ruleId] };
      docs.diagnostics = [first];
      actions.push(docs);
    }
    return actions;
  }

  private forFinding(finding: Finding, diagnostic: vscode.Diagnostic): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const make = (fix: Fix, preferred: boolean): void => {
      const edit = toWorkspaceEdit(this.engine, fix.edits);
      if (!edit) return;
      const action = new vscode.CodeAction(fix.message, vscode.CodeActionKind.QuickFix);
      action.edit = edit;
      action.diagnostics = [diagnostic];
      action.isPreferred = preferred;
      actions.push(action);
    };
    if (finding.fix) make(finding.fix, true);
    for (const suggestion of finding.suggestions) make(suggestion, false);

    const line = disableLineEdit(this.engine, finding);
    const lineEdit = line && toWorkspaceEdit(this.engine, [line]);
    if (lineEdit) {
      const action = new vscode.CodeAction(`Disable kubeconn/${finding.ruleId} for this line`, vscode.CodeActionKind.QuickFix);
      action.edit = lineEdit;
      action.diagnostics = [diagnostic];
      actions.push(action);
    }
    const object = disableObjectEdit(this.engine, finding);
    const objectEdit = object && toWorkspaceEdit(this.engine, [object.edit]);
    if (object && objectEdit) {
      const action = new vscode.CodeAction(`Disable kubeconn/${finding.ruleId} for ${object.object} (kubeconn.io/ignore)`, vscode.CodeActionKind.QuickFix);
      action.edit = objectEdit;
      action.diagnostics = [diagnostic];
      actions.push(action);
    }
    return actions;
  }

  /** "Fix all <rule> problems": every safe fix of the rule in the workspace, as one WorkspaceEdit. */
  private fixAllOfRule(ruleId: string, diagnostic: vscode.Diagnostic): vscode.CodeAction | undefined {
    const fixes = (this.engine.result?.findings ?? []).filter((f) => f.ruleId === ruleId && f.fix).map((f) => f.fix!);
    if (fixes.length < 2) return undefined;
    const edit = toWorkspaceEdit(this.engine, selectFixes(fixes));
    if (!edit) return undefined;
    const action = new vscode.CodeAction(`Fix all kubeconn/${ruleId} problems`, vscode.CodeActionKind.QuickFix);
    action.edit = edit;
    action.diagnostics = [diagnostic];
    return action;
  }

  /** Fix-on-save: the safe fixes of this document's findings whose edits stay inside this document. */
  fixAllInDocument(document: vscode.TextDocument): vscode.CodeAction | undefined {
    const file = this.engine.key(document.uri);
    const fixes = (this.engine.result?.byFile.get(file) ?? [])
      .filter((f) => f.fix && f.fix.edits.every((e) => e.file === file))
      .map((f) => f.fix!);
    if (fixes.length === 0) return undefined;
    const edit = toWorkspaceEdit(this.engine, selectFixes(fixes));
    if (!edit) return undefined;
    const action = new vscode.CodeAction('Fix all kubeconn problems', FIX_ALL_KIND);
    action.edit = edit;
    return action;
  }
}
