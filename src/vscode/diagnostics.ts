// Findings and parse problems → VS Code diagnostics. Each diagnostic carries the rule id and a link to
// the rule's page in the installed extension, and cross-file evidence as relatedInformation. The view
// remembers which Finding each diagnostic came from (by rule id and range, never by message text), so
// code actions use the edits that travelled with the finding.
import { type AnalysisResult, docsPath, type Finding, type ParseProblem } from '../api.js';
import * as vscode from 'vscode';
import type { Engine } from './engine.js';

export const SOURCE = 'kubeconn';
export const PARSE_CODE = 'parse-error';
/** Codes of parse problems by kind: a syntax error, a file skipped on purpose (size, binary), a kubeconn bug. */
const PROBLEM_CODES: Record<ParseProblem['kind'], string> = { syntax: PARSE_CODE, skipped: 'skipped', internal: 'internal-error' };
const PROBLEM_SEVERITY: Record<ParseProblem['kind'], vscode.DiagnosticSeverity> = {
  syntax: vscode.DiagnosticSeverity.Error,
  skipped: vscode.DiagnosticSeverity.Information,
  internal: vscode.DiagnosticSeverity.Warning,
};

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** 1-based line/column spans of the core → a VS Code range. */
export function rangeOf(located: { line: number; column: number; endLine: number; endColumn: number }): vscode.Range {
  return new vscode.Range(located.line - 1, located.column - 1, located.endLine - 1, located.endColumn - 1);
}

export function diagnosticKey(ruleId: string, range: vscode.Range): string {
  return `${ruleId}@${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

export class DiagnosticsView implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(SOURCE);
  /** file → signature of what was last published, to skip unchanged files in large workspaces. */
  private readonly published = new Map<string, string>();
  /** file → diagnostic key → findings. */
  private readonly index = new Map<string, Map<string, Finding[]>>();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidPublish = this.emitter.event;

  constructor(
    private readonly engine: Engine,
    private readonly extensionUri: vscode.Uri,
  ) {}

  docsUri(ruleId: string): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, docsPath(ruleId));
  }

  publish(result: AnalysisResult): void {
    const files = new Set([...this.published.keys(), ...result.byFile.keys(), ...result.problemsByFile.keys()]);
    for (const file of files) {
      const findings = result.byFile.get(file) ?? [];
      const problems = result.problemsByFile.get(file) ?? [];
      if (findings.length === 0 && problems.length === 0) {
        if (this.published.delete(file)) this.collection.delete(this.engine.uriOf(file));
        this.index.delete(file);
        continue;
      }
      const signature = signatureOf(findings, problems);
      if (this.published.get(file) === signature) {
        this.reindex(file, findings); // same places, but new Finding objects (fresh edits)
        continue;
      }
      this.published.set(file, signature);
      this.reindex(file, findings);
      this.collection.set(this.engine.uriOf(file), [...problems.map((p) => this.fromProblem(p)), ...findings.map((f) => this.fromFinding(f))]);
    }
    this.emitter.fire();
  }

  /** The findings a diagnostic (as handed back by VS Code in a code-action context) stands for. */
  findingsFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Finding[] {
    if (diagnostic.source !== SOURCE) return [];
    const ruleId = ruleIdOf(diagnostic);
    if (!ruleId) return [];
    return this.index.get(this.engine.key(uri))?.get(diagnosticKey(ruleId, diagnostic.range)) ?? [];
  }

  fromFinding(finding: Finding): vscode.Diagnostic {
    const diagnostic = new vscode.Diagnostic(rangeOf(finding), finding.message, SEVERITY[finding.severity]);
    diagnostic.source = SOURCE;
    diagnostic.code = { value: finding.ruleId, target: this.docsUri(finding.ruleId) };
    if (finding.related.length > 0) {
      diagnostic.relatedInformation = finding.related.map(
        (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(this.engine.uriOf(r.file), rangeOf(r)), r.message),
      );
    }
    return diagnostic;
  }

  private fromProblem(problem: ParseProblem): vscode.Diagnostic {
    const range = rangeOf(problem);
    const diagnostic = new vscode.Diagnostic(range, problem.message, PROBLEM_SEVERITY[problem.kind] ?? vscode.DiagnosticSeverity.Error);
    diagnostic.source = SOURCE;
    diagnostic.code = PROBLEM_CODES[problem.kind] ?? PARSE_CODE;
    return diagnostic;
  }

  private reindex(file: string, findings: Finding[]): void {
    const byKey = new Map<string, Finding[]>();
    for (const f of findings) {
      const key = diagnosticKey(f.ruleId, rangeOf(f));
      const list = byKey.get(key);
      if (list) list.push(f);
      else byKey.set(key, [f]);
    }
    this.index.set(file, byKey);
  }

  dispose(): void {
    this.collection.dispose();
    this.emitter.dispose();
  }
}

export function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  const value = typeof code === 'object' ? code.value : code;
  return value === undefined || Object.values(PROBLEM_CODES).includes(String(value)) ? undefined : String(value);
}

function signatureOf(findings: Finding[], problems: ParseProblem[]): string {
  const parts: string[] = [];
  for (const p of problems) parts.push(`P${p.line}:${p.column}:${p.endLine}:${p.endColumn}:${p.message}`);
  for (const f of findings) {
    parts.push(`F${f.ruleId}:${f.severity}:${f.line}:${f.column}:${f.endLine}:${f.endColumn}:${f.message}`);
    for (const r of f.related) parts.push(`R${r.file}:${r.line}:${r.column}:${r.endLine}:${r.endColumn}:${r.message}`);
  }
  return parts.join('\n');
}
