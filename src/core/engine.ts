// Running the rules over a model: each rule reports findings through its context; the engine turns reports
// into located findings (messages formatted, fixes that touch Helm-masked text demoted to suggestions),
// deduplicates them, and applies suppressions. A rule that throws never takes the analysis down: the
// exception becomes an internal-error notice naming the rule (and the entity, when the rule runs per entity
// through `context.each`), and every other rule's findings still come out.
import type { FileFacts } from './facts/index.js';
import { compareFindings, type Finding, type Fix, type Located, type ParseProblem, type Severity, type Span } from './finding.js';
import type { AnalysisModel } from './model/index.js';
import type { KubeconnOptions } from './options.js';
import type { FixDescriptor, ReportDescriptor, Rule, RuleContext } from './rule.js';
import { isSuppressedByAnnotation, isSuppressedByComment, parseDirectives } from './suppress.js';
import { formatMessage } from './text.js';

/** A rule failed (a kubeconn bug): shown to the user with the rule and, when known, where it was looking. */
export interface RuleNotice {
  /** The rule that failed; '' when a model step failed instead (then `step` names it). */
  ruleId: string;
  /** The model step (src/core/model/index.ts) that failed, for notices that are not a rule's. */
  step?: string;
  message: string;
  /** The entity the rule was examining, when it ran per entity. */
  at?: Located;
}

export interface RuleRun {
  findings: Finding[];
  notices: RuleNotice[];
}

/** Run one rule; its reports go to `findings`, a throw becomes a notice. */
export function runRule(rule: Rule, model: AnalysisModel, options: KubeconnOptions, out: RuleRun): void {
  const level = options.rules[rule.id];
  if (level === 'off') return;
  const severityOverride: Severity | undefined = level === 'warn' ? 'warning' : level;
  const files = model.files;
  // Fault injection for the front ends' tests: KUBECONN_TEST_FAIL_RULE=<id> makes that rule throw on every entity.
  const failing = process.env.KUBECONN_TEST_FAIL_RULE === rule.id;
  const notice = (error: unknown, entity?: unknown): void => {
    const span = entity === undefined ? undefined : entitySpan(entity);
    out.notices.push({
      ruleId: rule.id,
      message: `kubeconn internal error in rule ${rule.id}${span ? ` on ${describeEntity(entity)}` : ''}: ${(error as Error)?.message ?? String(error)}`,
      at: span && files.has(span.file) ? locate(files, span) : undefined,
    });
  };
  const chartRoots = model.units.units.filter((u) => u.kind === 'helm').map((u) => `${u.root}/`);
  const inChart = (file: string) => chartRoots.some((root) => file.startsWith(root));
  const context: RuleContext = {
    model,
    options,
    report(d: ReportDescriptor) {
      out.findings.push(toFinding(files, rule, d, severityOverride, inChart));
    },
    each<T>(entities: Iterable<T>, check: (entity: T) => void) {
      for (const entity of entities) {
        try {
          if (failing) throw new Error('simulated failure (KUBECONN_TEST_FAIL_RULE)');
          check(entity);
        } catch (error) {
          notice(error, entity);
        }
      }
    },
  };
  try {
    rule.check(context);
  } catch (error) {
    notice(error);
  }
}

/**
 * Run `rules` (only those in `only`, when given) over a model and finish their findings; rule failures are
 * the notices. The whole-workspace analysis runs its rules one step at a time and finishes them itself.
 */
export function checkModel(
  model: AnalysisModel,
  rules: readonly Rule[],
  options: KubeconnOptions,
  only?: ReadonlySet<string>,
): { findings: Finding[]; notices: RuleNotice[] } {
  const run: RuleRun = { findings: [], notices: [] };
  for (const rule of rules) if (!only || only.has(rule.id)) runRule(rule, model, options, run);
  return { findings: finishFindings(model.files, run.findings, options.applyDirectiveComments), notices: run.notices };
}

/**
 * A model's problems, sorted: its files' (parse errors, skipped files), its units' (templates, overlays), and
 * each rule failure on an entity as a problem of that entity's file, so every front end shows it there.
 */
export function problemsOf(model: AnalysisModel, notices: readonly RuleNotice[]): ParseProblem[] {
  const located = notices.flatMap((n): ParseProblem[] =>
    n.at ? [{ ...n.at, message: n.message, kind: 'internal', fatal: false, ruleId: n.ruleId }] : [],
  );
  return [...[...model.files.values()].flatMap((f) => f.problems), ...model.units.problems, ...located].sort(compareFindings);
}

/** The findings that survive suppression (annotations always; directive comments unless ESLint applies them). */
export function finishFindings(files: ReadonlyMap<string, FileFacts>, findings: Finding[], applyDirectiveComments: boolean): Finding[] {
  const directives = new Map<string, ReturnType<typeof parseDirectives>>();
  return dedupe(findings)
    .filter((f) => {
      const facts = files.get(f.file);
      if (isSuppressedByAnnotation(f, facts)) return false;
      if (!applyDirectiveComments || !facts) return true;
      let list = directives.get(f.file);
      if (!list) directives.set(f.file, (list = parseDirectives(facts.text, facts.commentSyntax)));
      return !isSuppressedByComment(f, list);
    })
    .sort(compareFindings);
}

function locate(files: ReadonlyMap<string, FileFacts>, span: Span): Located {
  return locateWith(files, span, undefined);
}

/**
 * `{ ...span, line, column, endLine, endColumn, message? }`. A Service over n workloads lists n related spans per
 * port, and V8's object spread gets slow on a large heap (~10 µs each, seconds for 400 × 400): a span that is just
 * `{ file, start, end }` is copied field by field, anything else still spread.
 */
function locateWith(files: ReadonlyMap<string, FileFacts>, span: Span, message: string | undefined): Located & { message?: string } {
  const facts = files.get(span.file);
  if (!facts) throw new Error(`kubeconn: a rule reported on ${span.file}, which is not in the workspace`);
  const start = facts.lines.position(span.start);
  const end = facts.lines.position(span.end);
  const [line, column, endLine, endColumn] = [start.line, start.column, end.line, end.column];
  if (!isPlainSpan(span))
    return message === undefined ? { ...span, line, column, endLine, endColumn } : { ...span, line, column, endLine, endColumn, message };
  const { file } = span;
  return message === undefined
    ? { file, start: span.start, end: span.end, line, column, endLine, endColumn }
    : { file, start: span.start, end: span.end, line, column, endLine, endColumn, message };
}

const SPAN_KEYS = ['file', 'start', 'end'];

/** Exactly `file`, `start`, `end` in that order (what a spread would copy, in the order it would). */
function isPlainSpan(span: Span): boolean {
  let i = 0;
  for (const key in span) if (key !== SPAN_KEYS[i++]) return false;
  return i === SPAN_KEYS.length;
}

function toFinding(
  files: ReadonlyMap<string, FileFacts>,
  rule: Rule,
  d: ReportDescriptor,
  severityOverride: Severity | undefined,
  inChart: (file: string) => boolean,
): Finding {
  const message = (messageId: string, data?: Record<string, unknown>): string => {
    const template = rule.meta.messages[messageId];
    if (template === undefined) throw new Error(`rule ${rule.id}: unknown messageId ${messageId}`);
    return formatMessage(template, data);
  };
  const toFix = (f: FixDescriptor): Fix => ({ message: message(f.messageId, f.data), messageId: f.messageId, edits: f.edits });
  // A template is not YAML: an edit of it is only safe when computed through the object's source map (it
  // then touches literal template text or a values node); any other edit of a template is dropped.
  const template = (file: string) => files.get(file)?.manifests?.helm === true;
  const safe = (f: Fix) => f.edits.every((e) => !template(e.file) || e.viaSource === true);
  let fix = d.fix ? toFix(d.fix) : undefined;
  if (fix && !safe(fix)) fix = undefined;
  const suggestions = (d.suggest ?? []).map(toFix).filter(safe);
  // A chart's templates and values are shared by every release: offer their fixes, never apply them unattended.
  if (fix && fix.edits.some((e) => template(e.file) || inChart(e.file))) {
    suggestions.unshift(fix);
    fix = undefined;
  }
  // Assigned onto the located span, which is fresh: a spread of it is slow on a large heap (see locateWith).
  return Object.assign(locate(files, d.at), {
    ruleId: rule.id,
    messageId: d.messageId,
    message: message(d.messageId, d.data),
    severity: severityOverride ?? d.severity ?? rule.meta.severity,
    related: (d.related ?? []).map((r) => locateWith(files, r.at, r.message) as Located & { message: string }),
    fix,
    suggestions,
  });
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

/** Where an entity a rule iterates over is written: Kubernetes objects and views, containers, code sites, files. */
function entitySpan(entity: unknown): Span | undefined {
  const e = entity as Record<string, unknown> | string;
  if (typeof e === 'string') return { file: e, start: 0, end: 0 };
  const object = (e.object ??
    (e.workload as Record<string, unknown> | undefined)?.object ??
    (e.service as Record<string, unknown> | undefined)?.object) as { file: string; nameSpan: [number, number] } | undefined;
  if (object?.nameSpan) return { file: object.file, start: object.nameSpan[0], end: object.nameSpan[1] };
  if (typeof e.file === 'string') {
    const site = e.site as { call?: [number, number] } | undefined;
    return { file: e.file, start: site?.call?.[0] ?? 0, end: site?.call?.[1] ?? 0 };
  }
  return undefined;
}

function describeEntity(entity: unknown): string {
  const e = entity as Record<string, unknown> | string;
  if (typeof e === 'string') return e.slice(e.lastIndexOf('/') + 1);
  const kind = (e.kind ?? (e.object as Record<string, unknown> | undefined)?.kind) as string | undefined;
  const name = e.name as string | undefined;
  if (kind && name) return `${kind} '${name}'`;
  if (name) return `'${name}'`;
  if (typeof e.file === 'string') return e.file.slice(e.file.lastIndexOf('/') + 1);
  return 'an entity';
}
