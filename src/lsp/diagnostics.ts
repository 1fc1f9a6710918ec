// Findings and parse problems → LSP diagnostics. Findings of one rule on one range (a shared dial helper
// reached by seven Services) become one diagnostic that names every target once; each diagnostic carries the
// rule id as its code with a link to the rule's page, and the evidence in other files as related
// information, named by workspace-relative path. The view remembers which findings each diagnostic stands
// for (by rule id and range, never by message text), so code actions use the edits that travelled with them.
import { type AnalysisResult, type Finding, type ParseProblem, type Rule } from '../api.js';
import { type Diagnostic, DiagnosticSeverity, type Range } from 'vscode-languageserver';
import { mergeMessages } from './merge.js';
import { pushTo } from '../api.js';

export const SOURCE = 'kubeconn';
/** Codes of parse problems by kind: a syntax error, a file skipped on purpose (size, binary), a kubeconn bug. */
export const PROBLEM_CODES: Record<ParseProblem['kind'], string> = {
  syntax: 'parse-error',
  skipped: 'skipped',
  internal: 'internal-error',
};
const PROBLEM_SEVERITY: Record<ParseProblem['kind'], DiagnosticSeverity> = {
  syntax: DiagnosticSeverity.Error,
  skipped: DiagnosticSeverity.Information,
  internal: DiagnosticSeverity.Warning,
};
const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** 1-based line/column spans of the core → an LSP range. */
export function rangeOf(located: { line: number; column: number; endLine: number; endColumn: number }): Range {
  return {
    start: { line: located.line - 1, character: located.column - 1 },
    end: { line: located.endLine - 1, character: located.endColumn - 1 },
  };
}

export function rangeKey(ruleId: string, r: Range): string {
  return `${ruleId}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** How the server names files and places to the client. */
export interface Naming {
  uriOf(file: string): string;
  /** Workspace-relative path (or the path itself outside every folder). */
  relative(file: string): string;
  /** A text with the workspace folders' absolute paths made relative. */
  clean(text: string): string;
  docsHref(ruleId: string): string;
}

/** Findings of one rule with one message template on one range. */
export interface FindingGroup {
  ruleId: string;
  messageId: string;
  range: Range;
  findings: Finding[];
  message: string;
}

export function groupFindings(findings: readonly Finding[], rules: ReadonlyMap<string, Rule>): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    const range = rangeOf(f);
    const key = `${rangeKey(f.ruleId, range)}/${f.messageId}`;
    const group = groups.get(key);
    if (group) group.findings.push(f);
    else groups.set(key, { ruleId: f.ruleId, messageId: f.messageId, range, findings: [f], message: '' });
  }
  for (const g of groups.values()) {
    g.message = mergeMessages(
      rules.get(g.ruleId)?.meta.messages[g.messageId],
      g.findings.map((f) => f.message),
    );
  }
  return [...groups.values()];
}

export class DiagnosticsView {
  /** uri → signature of what was last published, so unchanged files are not sent again. */
  private readonly published = new Map<string, string>();
  /** file → rule@range → findings. */
  private readonly index = new Map<string, Map<string, Finding[]>>();
  /** file → groups (for hovers). */
  private readonly groups = new Map<string, FindingGroup[]>();
  private readonly rules: ReadonlyMap<string, Rule>;

  constructor(
    rules: readonly Rule[],
    private readonly naming: Naming,
    private readonly send: (uri: string, diagnostics: Diagnostic[]) => void,
  ) {
    this.rules = new Map(rules.map((r) => [r.id, r]));
  }

  /**
   * Per file, the findings and problems lists last turned into diagnostics. An incremental analysis keeps the
   * lists of the files it did not re-analyse (workspace.ts), so those files are not grouped and compared again.
   */
  private readonly lists = new Map<string, [Finding[] | undefined, AnalysisResult['problems'] | undefined]>();

  /** Publish a result; `extra` are diagnostics of files outside the analysis (the config file's problems). */
  publish(result: AnalysisResult, extra: ReadonlyMap<string, Diagnostic[]> = new Map()): void {
    const byUri = new Map<string, Diagnostic[]>();
    const files = new Set([...result.byFile.keys(), ...result.problemsByFile.keys()]);
    for (const file of this.lists.keys()) {
      if (files.has(file)) continue;
      this.lists.delete(file);
      this.index.delete(file);
      this.groups.delete(file);
      byUri.set(this.naming.uriOf(file), []);
    }
    for (const file of files) {
      const findings = result.byFile.get(file);
      const problems = result.problemsByFile.get(file);
      const uri = this.naming.uriOf(file);
      const last = this.lists.get(file);
      if (last && last[0] === findings && last[1] === problems && !extra.has(uri) && !this.extraUris.has(uri)) continue;
      this.lists.set(file, [findings, problems]);
      const groups = groupFindings(findings ?? [], this.rules);
      const byKey = new Map<string, Finding[]>();
      for (const g of groups) {
        const key = rangeKey(g.ruleId, g.range);
        pushTo(byKey, key, ...g.findings);
      }
      this.index.set(file, byKey);
      this.groups.set(file, groups);
      byUri.set(uri, this.diagnosticsOf(file, problems, groups));
    }
    for (const [uri, diagnostics] of extra) pushTo(byUri, uri, ...diagnostics);
    // A file that had extra diagnostics last time and has none now is published again.
    for (const uri of this.extraUris) if (!extra.has(uri) && !byUri.has(uri)) byUri.set(uri, this.diagnosticsOfUri(uri));
    this.extraUris = new Set(extra.keys());
    for (const [uri, diagnostics] of byUri) {
      const signature = JSON.stringify(diagnostics);
      if (this.published.get(uri) === signature) continue;
      if (diagnostics.length === 0) this.published.delete(uri);
      else this.published.set(uri, signature);
      this.send(uri, diagnostics);
    }
  }

  private extraUris = new Set<string>();

  /** The diagnostics of a file's last published lists (without extra diagnostics). */
  private diagnosticsOfUri(uri: string): Diagnostic[] {
    for (const [file, [, problems]] of this.lists)
      if (this.naming.uriOf(file) === uri) return this.diagnosticsOf(file, problems, this.groups.get(file) ?? []);
    return [];
  }

  private diagnosticsOf(file: string, problems: readonly ParseProblem[] | undefined, groups: readonly FindingGroup[]): Diagnostic[] {
    return [...(problems ?? []).map((p) => this.fromProblem(p)), ...groups.map((g) => this.fromGroup(file, g))];
  }

  /** The findings a diagnostic (as a client hands it back in a code-action context) stands for. */
  findingsFor(file: string, ruleId: string, range: Range): Finding[] {
    return this.index.get(file)?.get(rangeKey(ruleId, range)) ?? [];
  }

  /** Every finding of a file whose range meets `range` (clients that send no diagnostics with a code-action request). */
  findingsIn(file: string, range: Range): Finding[] {
    const before = (a: { line: number; character: number }, b: { line: number; character: number }) =>
      a.line < b.line || (a.line === b.line && a.character < b.character);
    const out: Finding[] = [];
    for (const list of this.index.get(file)?.values() ?? []) {
      for (const f of list) {
        const r = rangeOf(f);
        if (!before(r.end, range.start) && !before(range.end, r.start)) out.push(f);
      }
    }
    return out;
  }

  groupsOf(file: string): FindingGroup[] {
    return this.groups.get(file) ?? [];
  }

  private fromGroup(file: string, g: FindingGroup): Diagnostic {
    const worst = g.findings.some((f) => f.severity === 'error')
      ? 'error'
      : g.findings.some((f) => f.severity === 'warning')
        ? 'warning'
        : 'info';
    const related = new Map<string, NonNullable<Diagnostic['relatedInformation']>[number]>();
    for (const f of g.findings) {
      for (const r of f.related) {
        // VS Code names a related location by its file's base name: say which file it is when that is not the diagnostic's own.
        const message = this.naming.clean(r.file === file ? r.message : `${this.naming.relative(r.file)}: ${r.message}`);
        const key = `${r.file}\0${r.start}\0${r.end}\0${message}`;
        if (!related.has(key)) related.set(key, { location: { uri: this.naming.uriOf(r.file), range: rangeOf(r) }, message });
      }
    }
    const diagnostic: Diagnostic = {
      range: g.range,
      severity: SEVERITY[worst],
      source: SOURCE,
      code: g.ruleId,
      codeDescription: { href: this.naming.docsHref(g.ruleId) },
      message: this.naming.clean(g.message),
    };
    if (related.size > 0) diagnostic.relatedInformation = [...related.values()];
    return diagnostic;
  }

  private fromProblem(problem: ParseProblem): Diagnostic {
    return {
      range: rangeOf(problem),
      severity: PROBLEM_SEVERITY[problem.kind] ?? DiagnosticSeverity.Error,
      source: SOURCE,
      code: PROBLEM_CODES[problem.kind] ?? 'parse-error',
      message: this.naming.clean(problem.message),
    };
  }
}
