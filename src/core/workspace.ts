// The engine's entry point: files in (from disk or an editor's unsaved text), findings out.
// Incremental: setFile re-extracts that one file's facts; the graph is re-linked and the rules re-run
// only when something changed since the last analysis, and the result is cached until the next change.
import { allRules } from '../../rules/index.js';
import { extractFacts, type FileFacts } from './facts/index.js';
import { compareFindings, type Finding, type Fix, type Located, type ParseProblem, type Severity, type Span } from './finding.js';
import { Graph } from './graph.js';
import { resolveOptions, type KubeconnOptions } from './options.js';
import type { FixDescriptor, ReportDescriptor, Rule } from './rule.js';
import { isSuppressedByAnnotation, isSuppressedByComment, parseDirectives } from './suppress.js';
import { formatMessage } from './text.js';

export interface AnalysisResult {
  findings: Finding[];
  problems: ParseProblem[];
  graph: Graph;
  /** Findings per file (files with none are absent). */
  byFile: Map<string, Finding[]>;
  problemsByFile: Map<string, ParseProblem[]>;
}

export class Workspace {
  private readonly texts = new Map<string, string>();
  private readonly facts = new Map<string, FileFacts>();
  private readonly dirty = new Set<string>();
  private readonly reusable = new Map<string, FileFacts>();
  private result: AnalysisResult | undefined;
  private opts: KubeconnOptions;
  /** Bumped on every change; front ends use it to drop stale results. */
  version = 0;

  constructor(options: Partial<KubeconnOptions> = {}, readonly rules: readonly Rule[] = allRules) {
    this.opts = resolveOptions(options);
  }

  get options(): KubeconnOptions {
    return this.opts;
  }

  /** Replace the options; every file is re-extracted (limits and versions change what facts say). */
  setOptions(options: Partial<KubeconnOptions>): void {
    this.opts = resolveOptions(options);
    for (const [file, facts] of this.facts) this.reusable.set(file, facts);
    for (const file of this.texts.keys()) this.dirty.add(file);
    this.invalidate();
  }

  /** Add or update a file. Returns false when the text is unchanged (nothing to re-analyse). */
  setFile(file: string, text: string): boolean {
    if (this.texts.get(file) === text) return false;
    // The old facts may be reused by the extractor (unchanged document chunks); nothing else keeps them.
    const old = this.facts.get(file);
    if (old) this.reusable.set(file, old);
    this.texts.set(file, text);
    this.dirty.add(file);
    this.invalidate();
    return true;
  }

  removeFile(file: string): boolean {
    if (!this.texts.delete(file)) return false;
    this.facts.delete(file);
    this.reusable.delete(file);
    this.dirty.delete(file);
    this.invalidate();
    return true;
  }

  has(file: string): boolean {
    return this.texts.has(file);
  }

  text(file: string): string | undefined {
    return this.texts.get(file);
  }

  files(): string[] {
    return [...this.texts.keys()];
  }

  factsOf(file: string): FileFacts | undefined {
    this.extractDirty();
    return this.facts.get(file);
  }

  analyze(): AnalysisResult {
    const steps = this.analyzeSteps();
    for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
  }

  /**
   * The same analysis as analyze(), yielding between its steps (linking, each rule) so that a caller on a
   * shared event loop (the editor's extension host) can pause between them. It works on a snapshot of the
   * facts: if the workspace changes while it is paused, the result it returns is for the snapshot and is not
   * cached (compare `version` before and after).
   */
  *analyzeSteps(): Generator<string, AnalysisResult> {
    if (this.result) return this.result;
    const version = this.version;
    this.extractDirty();
    const files = new Map(this.facts);
    const graph = new Graph(files);
    yield 'graph';
    const findings: Finding[] = [];
    for (const rule of this.rules) {
      const level = this.opts.rules[rule.id];
      if (level === 'off') continue;
      const severityOverride: Severity | undefined = level === 'warn' ? 'warning' : level;
      const report = (d: ReportDescriptor): void => {
        findings.push(this.toFinding(files, rule, d, severityOverride));
      };
      try {
        rule.check({ graph, options: this.opts, report });
      } catch (error) {
        (error as Error).message = `rule ${rule.id} failed: ${(error as Error).message}`;
        throw error;
      }
      yield rule.id;
    }
    const kept = this.suppress(files, dedupe(findings)).sort(compareFindings);
    const problems = [...files.values()].flatMap((f) => f.problems).sort(compareFindings);
    const result = { findings: kept, problems, graph, byFile: groupByFile(kept), problemsByFile: groupByFile(problems) };
    if (this.version === version) this.result = result;
    return result;
  }

  findingsFor(file: string): Finding[] {
    return this.analyze().byFile.get(file) ?? [];
  }

  problemsFor(file: string): ParseProblem[] {
    return this.analyze().problemsByFile.get(file) ?? [];
  }

  private invalidate(): void {
    this.result = undefined;
    this.version++;
  }

  private extractDirty(): void {
    for (const file of this.dirty) {
      const text = this.texts.get(file);
      if (text !== undefined) this.facts.set(file, extractFacts(file, text, this.opts, this.reusable.get(file)));
    }
    this.dirty.clear();
    this.reusable.clear();
  }

  private locate(files: ReadonlyMap<string, FileFacts>, span: Span): Located {
    const facts = files.get(span.file);
    if (!facts) throw new Error(`kubeconn: a rule reported on ${span.file}, which is not in the workspace`);
    const start = facts.lines.position(span.start);
    const end = facts.lines.position(span.end);
    return { ...span, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }

  private toFinding(files: ReadonlyMap<string, FileFacts>, rule: Rule, d: ReportDescriptor, severityOverride: Severity | undefined): Finding {
    const message = (messageId: string, data?: Record<string, unknown>): string => {
      const template = rule.meta.messages[messageId];
      if (template === undefined) throw new Error(`rule ${rule.id}: unknown messageId ${messageId}`);
      return formatMessage(template, data);
    };
    const toFix = (f: FixDescriptor): Fix => ({ message: message(f.messageId, f.data), messageId: f.messageId, edits: f.edits });
    let fix = d.fix ? toFix(d.fix) : undefined;
    const suggestions = (d.suggest ?? []).map(toFix);
    // A Helm template is not the YAML we parsed: offer its fixes, never apply them unattended.
    if (fix && fix.edits.some((e) => files.get(e.file)?.manifests?.helm)) {
      suggestions.unshift(fix);
      fix = undefined;
    }
    return {
      ...this.locate(files, d.at),
      ruleId: rule.id,
      messageId: d.messageId,
      message: message(d.messageId, d.data),
      severity: severityOverride ?? d.severity ?? rule.meta.severity,
      related: (d.related ?? []).map((r) => ({ ...this.locate(files, r.at), message: r.message })),
      fix,
      suggestions,
    };
  }

  private suppress(files: ReadonlyMap<string, FileFacts>, findings: Finding[]): Finding[] {
    const directives = new Map<string, ReturnType<typeof parseDirectives>>();
    return findings.filter((f) => {
      const facts = files.get(f.file);
      if (isSuppressedByAnnotation(f, facts)) return false;
      if (!this.opts.applyDirectiveComments || !facts) return true;
      let list = directives.get(f.file);
      if (!list) directives.set(f.file, (list = parseDirectives(facts.text, facts.commentSyntax)));
      return !isSuppressedByComment(f, list);
    });
  }
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}\0${f.file}\0${f.start}\0${f.end}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function groupByFile<T extends { file: string }>(items: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const list = map.get(item.file);
    if (list) list.push(item);
    else map.set(item.file, [item]);
  }
  return map;
}
