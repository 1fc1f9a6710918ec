// The core's entry point: files in (from disk or an editor's unsaved text), findings out. The rules are
// handed in by the front end (the core never imports rules/). Incremental: setFile re-extracts that one
// file's facts; the model is rebuilt and the rules re-run only when something changed since the last
// analysis, and the result is cached until the next change.
import { checkModel, finishFindings, problemsOf, runRule, type RuleNotice, type RuleRun } from './engine.js';
import { folderSignature, Islands, keysOfModel, structureOf, type FileKeys } from './islands.js';
import type { DeploymentUnit, K8sObject } from './facts/manifests.js';
import { groupByFile, pushTo } from './multimap.js';
import { folderUnits } from './units/folders.js';
import { extractFacts, skippedFacts, type FileFacts } from './facts/index.js';
import { VerifyCache, verifyFixes, type VerifyCounters } from './fix-verify.js';
import type { Finding, ParseProblem } from './finding.js';
import { AnalysisModel } from './model/index.js';
import { resolveOptions, type KubeconnOptions } from './options.js';
import type { Rule } from './rule.js';

export interface AnalysisResult {
  findings: Finding[];
  problems: ParseProblem[];
  /** Rules that failed (kubeconn bugs); the other rules' findings are all there. */
  notices: RuleNotice[];
  /**
   * The model of the whole workspace. After an incremental analysis it is built when first read (the catalog
   * reads it); `modelFor` gives the model that analysed a file without building anything.
   */
  model: AnalysisModel;
  /** The model that made this file's findings: the whole workspace's, or (incremental) the file's island's. */
  modelFor(file: string): AnalysisModel;
  /** Every file's facts as analysed. */
  files: ReadonlyMap<string, FileFacts>;
  /** Findings per file (files with none are absent). */
  byFile: Map<string, Finding[]>;
  problemsByFile: Map<string, ParseProblem[]>;
  /**
   * Whether every fix and suggestion has passed fix verification (re-parsed, fixes re-analysed). False for
   * `analyze({ verifyFixes: false })`: the findings are the same, their fixes are verified on demand with
   * `verifyFindings` before a front end may offer them.
   */
  fixesVerified: boolean;
  /** Made incrementally, over the changed files' islands (the editor reconciles it with a whole analysis when idle). */
  incremental?: boolean;
}

export interface AnalyzeOptions {
  /**
   * Verify every fix now (the default: the CLI and ESLint apply them). An editor passes false and verifies the
   * fixes of the findings a code action asks for (verifyFindings): a keystroke then costs no re-analysis of fixes.
   */
  verifyFixes?: boolean;
  /**
   * False when the caller shows no suggestions (the CLI's stylish and SARIF reports, `--fix`): with verified
   * fixes, suggestions are then left out of the result instead of being verified, which re-parses every file
   * they edit. An analysis that kept them may still be returned from the cache. Ignored with `verifyFixes:
   * false` (nothing is verified then).
   */
  suggestions?: boolean;
}

export class Workspace {
  private readonly texts = new Map<string, string>();
  private readonly facts = new Map<string, FileFacts>();
  private readonly dirty = new Set<string>();
  private readonly reusable = new Map<string, FileFacts>();
  /** Files not read, with the reason (setSkipped). */
  private readonly skipped = new Map<string, string>();
  private result: AnalysisResult | undefined;
  /** The latest analysis made without verifying fixes (cleared with `result`). */
  private unverified: AnalysisResult | undefined;
  /** The latest analysis with verified fixes and no suggestions (`suggestions: false`; cleared with `result`). */
  private fixesOnly: AnalysisResult | undefined;
  /** Per unverified analysis: the findings verified so far (verifyFindings). */
  private readonly verifiedOf = new WeakMap<AnalysisResult, Map<Finding, Finding>>();
  private opts: KubeconnOptions;
  /** What fix verification cost and dropped so far (benchmarks read it). */
  readonly verifyCounters: VerifyCounters = { reanalyses: 0, reparses: 0, dropped: 0, ms: 0 };
  /** Re-parse and re-analysis verdicts of fixes in files whose facts did not change (fix-verify.ts). */
  private readonly verifyCache = new VerifyCache();
  /** Bumped on every change; front ends use it to drop stale results. */
  version = 0;
  /**
   * What an incremental analysis starts from (islands.ts): the latest unverified analysis, the islands and
   * folder units it found, and the files changed since. Dropped when the workspace's structure changes.
   */
  private base: IncrementalBase | undefined;
  /**
   * The largest share of the workspace an incremental analysis re-analyses; past it the whole workspace is
   * analysed (one model is cheaper than several rounds over most of it). Tests set 1 to hold every edit to a
   * fresh analysis.
   */
  incrementalShare = 0.5;
  /** How the latest unverified analyses were made (benchmarks and tests read it). */
  readonly incrementalCounters = { full: 0, incremental: 0, files: 0, rounds: 0, regrouped: 0, fallbacks: {} as Record<string, number> };

  constructor(
    options: Partial<KubeconnOptions>,
    readonly rules: readonly Rule[],
  ) {
    this.opts = resolveOptions(options);
  }

  get options(): KubeconnOptions {
    return this.opts;
  }

  /** Replace the options; every file is re-extracted (limits and versions change what facts say). */
  setOptions(options: Partial<KubeconnOptions>): void {
    this.opts = resolveOptions(options);
    this.base = undefined;
    this.verifyCache.forgetReanalyses();
    for (const [file, facts] of this.facts) this.reusable.set(file, facts);
    for (const file of this.texts.keys()) this.dirty.add(file);
    this.invalidate();
  }

  /** Add or update a file. Returns false when the text is unchanged (nothing to re-analyse). */
  setFile(file: string, text: string): boolean {
    if (this.texts.get(file) === text && !this.skipped.has(file)) return false;
    this.skipped.delete(file);
    // The old facts may be reused by the extractor (unchanged document chunks); nothing else keeps them.
    const old = this.facts.get(file);
    if (old) this.reusable.set(file, old);
    if (!this.texts.has(file)) {
      this.verifyCache.forgetReanalyses();
      this.base = undefined;
    }
    this.base?.changed.add(file);
    this.texts.set(file, text);
    this.dirty.add(file);
    this.invalidate();
    return true;
  }

  /**
   * A file the front end did not read (over the size limit by `stat`, unreadable, not a regular file): it is
   * in the workspace with no text and one 'skipped' problem saying why. Returns false when nothing changed.
   */
  setSkipped(file: string, reason: string): boolean {
    if (this.skipped.get(file) === reason) return false;
    if (!this.texts.has(file)) this.verifyCache.forgetReanalyses();
    this.base = undefined;
    this.facts.delete(file);
    this.reusable.delete(file);
    this.skipped.set(file, reason);
    this.texts.set(file, '');
    this.dirty.add(file);
    this.invalidate();
    return true;
  }

  /** Was this file skipped unread (setSkipped)? */
  isSkipped(file: string): boolean {
    return this.skipped.has(file);
  }

  removeFile(file: string): boolean {
    this.skipped.delete(file);
    if (!this.texts.delete(file)) return false;
    this.verifyCache.forgetReanalyses();
    this.base = undefined;
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

  analyze(options?: AnalyzeOptions): AnalysisResult {
    const steps = this.analyzeSteps(options);
    for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
  }

  /**
   * Some findings of `result` (an analysis of this workspace) as analyze() with verified fixes returns them:
   * their fixes and suggestions verified now when the result was made without (`verifyFixes: false`), each
   * finding once per result.
   */
  verifyFindings(result: AnalysisResult, findings: readonly Finding[]): Finding[] {
    if (result.fixesVerified) return [...findings];
    let known = this.verifiedOf.get(result);
    if (!known) this.verifiedOf.set(result, (known = new Map<Finding, Finding>()));
    const only = new Set(findings.filter((f) => !known.has(f) && (f.fix !== undefined || f.suggestions.length > 0)));
    if (only.size > 0) {
      // The result the islands describe: a fix's re-analysis runs over the islands it can reach.
      const base = this.base;
      const reanalyse = base && base.result === result && base.changed.size === 0 ? this.islandReanalyse(base) : this.reanalyse;
      const out = verifyFixes(result.files, result.findings, this.opts, reanalyse, this.verifyCounters, this.verifyCache, only);
      result.findings.forEach((f, i) => {
        if (only.has(f)) known.set(f, out[i]!);
      });
    }
    return findings.map((f) => known.get(f) ?? f);
  }

  /**
   * Fix verification's re-analysis over the islands the edited files and the checked findings are in (grown
   * until no key of the edited files crosses their border), when the edits leave the workspace's structure
   * as it is; else over the whole workspace.
   */
  private islandReanalyse(
    base: IncrementalBase,
  ): (edited: Map<string, FileFacts>, ruleIds: ReadonlySet<string>, about: readonly string[]) => Finding[] {
    return (edited, ruleIds, about) => {
      const changed: string[] = [];
      for (const [file, facts] of edited) if (this.facts.get(file) !== facts) changed.push(file);
      const whole = (): Finding[] => this.reanalyse(edited, ruleIds);
      for (const file of changed) {
        const facts = edited.get(file)!;
        if (!this.facts.has(file) || facts.kustomization || folderSignature(facts) !== base.signatures.get(file)) return whole();
      }
      const island = this.closure(base, [...changed, ...about], edited);
      if (!island) return whole();
      return checkModel(island.model, this.rules, this.opts, ruleIds).findings;
    };
  }

  /**
   * The model of the islands of `files` over `facts` (the workspace's, or an edited copy), with the islands
   * grown until no key crosses their border; undefined when that passes `incrementalShare` of the workspace or a
   * model step fails.
   */
  private closure(
    base: IncrementalBase,
    files: Iterable<string>,
    facts: ReadonlyMap<string, FileFacts>,
  ): { model: AnalysisModel; keys: Map<string, FileKeys>; inside: Set<string>; rounds: number } | undefined {
    const inside = new Set<string>();
    for (const file of files) for (const f of base.islands.island(file)) inside.add(f);
    for (let round = 1; ; round++) {
      if (inside.size > facts.size * this.incrementalShare) return undefined;
      // In the workspace's order: the model lists what it links in file order (a Service's dialers).
      const subset = new Map<string, FileFacts>();
      for (const [file, f] of facts) if (inside.has(file)) subset.set(file, f);
      const model = new AnalysisModel(subset, this.opts, base.folders, facts);
      if (model.notices.length > 0) return undefined;
      const keys = keysOfModel(model, base.islands.structure);
      const outside = base.islands.outsiders(keys, inside);
      if (outside.size === 0) return { model, keys, inside, rounds: round };
      for (const file of outside) for (const f of base.islands.island(file)) inside.add(f);
    }
  }

  /** Re-run some rules on an edited copy of the workspace's facts (fix verification's re-analysis). */
  private readonly reanalyse = (edited: Map<string, FileFacts>, ruleIds: ReadonlySet<string>): Finding[] => {
    return checkModel(new AnalysisModel(edited, this.opts), this.rules, this.opts, ruleIds).findings;
  };

  /**
   * The same analysis as analyze(), yielding between its steps (linking, each rule) so that a caller on a
   * shared event loop (the editor's extension host) can pause between them. It works on a snapshot of the
   * facts: if the workspace changes while it is paused, the result it returns is for the snapshot and is not
   * cached (compare `version` before and after).
   */
  *analyzeSteps(options?: AnalyzeOptions): Generator<string, AnalysisResult> {
    const verify = options?.verifyFixes !== false;
    const suggestions = !verify || options?.suggestions !== false;
    if (this.result) return this.result;
    if (!suggestions && this.fixesOnly) return this.fixesOnly;
    if (!verify && this.unverified) return this.unverified;
    const version = this.version;
    this.extractDirty();
    if (!verify) {
      const incremental = this.incremental();
      if (incremental) {
        if (this.version === version) this.unverified = incremental;
        return incremental;
      }
    }
    const files = new Map(this.facts);
    const model = new AnalysisModel(files, this.opts);
    yield 'model';
    const run: RuleRun = { findings: [], notices: model.notices.map((n) => ({ ruleId: '', step: n.step, message: n.message })) };
    for (const rule of this.rules) {
      runRule(rule, model, this.opts, run);
      yield rule.id;
    }
    // Every fix and suggestion is re-parsed, and every fix re-analysed, before a front end can offer it (now, or
    // on demand through verifyFindings).
    const finished = finishFindings(files, run.findings, this.opts.applyDirectiveComments);
    const offered = suggestions ? finished : finished.map((f) => (f.suggestions.length > 0 ? { ...f, suggestions: [] } : f));
    const kept = verify ? verifyFixes(files, offered, this.opts, this.reanalyse, this.verifyCounters, this.verifyCache) : finished;
    const problems = problemsOf(model, run.notices);
    const result: AnalysisResult = {
      findings: kept,
      problems,
      notices: run.notices,
      model,
      modelFor: () => model,
      files,
      byFile: groupByFile(kept),
      problemsByFile: groupByFile(problems),
      fixesVerified: verify,
    };
    if (!verify && this.version === version) this.startBase(result, model);
    if (this.version === version) {
      if (!verify) this.unverified = result;
      else if (suggestions) this.result = result;
      else this.fixesOnly = result;
    }
    return result;
  }

  findingsFor(file: string): Finding[] {
    return this.analyze().byFile.get(file) ?? [];
  }

  problemsFor(file: string): ParseProblem[] {
    return this.analyze().problemsByFile.get(file) ?? [];
  }

  /**
   * The next analysis is of the whole workspace (the islands are formed again from it). The editor calls this
   * when idle after incremental analyses, to hold them to a whole one.
   */
  forgetIncremental(): void {
    if (!this.base) return;
    this.base = undefined;
    this.unverified = undefined;
  }

  /** After a whole-workspace unverified analysis: the islands and folder units incremental analyses start from. */
  private startBase(result: AnalysisResult, model: AnalysisModel): void {
    this.incrementalCounters.full++;
    if (result.notices.length > 0) {
      this.base = undefined;
      return;
    }
    const structure = structureOf(model.files, this.opts);
    const signatures = new Map<string, string>();
    for (const [file, facts] of model.files) signatures.set(file, folderSignature(facts));
    const folders = new Map<string, DeploymentUnit>();
    const plain = new Map<string, Identity[]>();
    const inUnits = new Set<string>();
    for (const o of model.units.objects) {
      if (o.unit?.kind !== 'folder') {
        inUnits.add(o.file);
        continue;
      }
      folders.set(o.file, o.unit);
      pushTo(plain, o.file, { file: o.file, kind: o.kind, namespace: o.namespace, name: o.name });
    }
    this.base = {
      result,
      islands: new Islands(keysOfModel(model, structure), structure),
      folders,
      signatures,
      plain,
      inUnits,
      changed: new Set(),
      models: new Map(),
      whole: model,
    };
  }

  /**
   * A plain manifest's identities changed (a name typed, a document added): do the folder units stay as they
   * are? They are formed again from every plain manifest's identities (kept per file, units/folders.ts); when
   * every file keeps its unit, the new identities are kept and the analysis can stay incremental.
   */
  private foldersStay(base: IncrementalBase, file: string, facts: FileFacts): boolean {
    // A chart's or kustomization's file stays one (that is the structure, unchanged): folder units never hold it.
    if (base.inUnits.has(file) && !base.plain.has(file)) return true;
    const before = base.plain.get(file);
    if (!before || facts.manifests?.helm) return false; // not known as a plain manifest: no cheap answer
    const now: Identity[] = (facts.manifests?.objects ?? []).map((o) => ({ file, kind: o.kind, namespace: o.namespace, name: o.name }));
    const all: Identity[] = [];
    for (const [f, list] of base.plain) all.push(...(f === file ? now : list));
    const regrouped = folderUnits(all as K8sObject[]);
    for (const { unit, objects } of regrouped) for (const o of objects) if (base.folders.get(o.file)?.id !== unit.id) return false;
    if (now.length === 0) base.plain.delete(file);
    else base.plain.set(file, now);
    this.incrementalCounters.regrouped++;
    return true;
  }

  /**
   * The unverified analysis of the changes since the base, made over the changed files' islands only; undefined
   * when the whole workspace must be analysed (no base, a structural change, a model step or rule that failed,
   * or islands that grow past half the workspace).
   */
  private incremental(): AnalysisResult | undefined {
    const base = this.base;
    if (!base || base.changed.size === 0) return undefined;
    const fallback = (why: string): AnalysisResult | undefined => {
      this.incrementalCounters.fallbacks[why] = (this.incrementalCounters.fallbacks[why] ?? 0) + 1;
      this.base = undefined;
      return undefined;
    };
    for (const file of base.changed) {
      const facts = this.facts.get(file);
      if (!facts) return fallback('removed');
      // A kustomization or chart decides which files deploy together; a change of a plain manifest's identities
      // can split or join folder variants (units/folders.ts).
      if (facts.kustomization || /(^|\/)Chart\.ya?ml$/.test(file)) return fallback('structure');
      if (folderSignature(facts) !== base.signatures.get(file) && !this.foldersStay(base, file, facts)) return fallback('identities');
    }
    const island = this.closure(base, base.changed, this.facts);
    if (!island) return fallback('large or failed');
    const { model, keys, inside } = island;
    this.incrementalCounters.rounds += island.rounds;
    const { findings: found, notices } = checkModel(model, this.rules, this.opts);
    if (notices.length > 0) return fallback('rule');
    const previous = base.result;
    const byFile = new Map(previous.byFile);
    const problemsByFile = new Map(previous.problemsByFile);
    for (const file of inside) {
      byFile.delete(file);
      problemsByFile.delete(file);
    }
    for (const [file, list] of groupByFile(found)) byFile.set(file, list);
    for (const [file, list] of groupByFile(problemsOf(model, []))) problemsByFile.set(file, list);
    base.islands.replace([...inside], keys);
    for (const file of base.changed) base.signatures.set(file, folderSignature(this.facts.get(file)));
    base.changed.clear();
    for (const file of inside) base.models.set(file, model);
    const models = new Map(base.models);
    const first = base.whole;
    const files = new Map(this.facts);
    const opts = this.opts;
    let whole: AnalysisModel | undefined;
    let findings: Finding[] | undefined;
    let allProblems: ParseProblem[] | undefined;
    const result: AnalysisResult = {
      get findings() {
        return (findings ??= concatByFile(byFile));
      },
      get problems() {
        return (allProblems ??= concatByFile(problemsByFile));
      },
      notices: [],
      get model() {
        return (whole ??= new AnalysisModel(files, opts));
      },
      modelFor: (file) => models.get(file) ?? first,
      files,
      byFile,
      problemsByFile,
      fixesVerified: false,
      incremental: true,
    };
    base.result = result;
    this.incrementalCounters.incremental++;
    this.incrementalCounters.files += inside.size;
    return result;
  }

  private invalidate(): void {
    this.result = undefined;
    this.unverified = undefined;
    this.fixesOnly = undefined;
    this.version++;
  }

  private extractDirty(): void {
    for (const file of this.dirty) {
      const text = this.texts.get(file);
      const skipped = this.skipped.get(file);
      if (skipped !== undefined) this.facts.set(file, skippedFacts(file, skipped));
      else if (text !== undefined) this.facts.set(file, extractFacts(file, text, this.opts, this.reusable.get(file)));
    }
    this.dirty.clear();
    this.reusable.clear();
  }
}

type Identity = Pick<K8sObject, 'file' | 'kind' | 'namespace' | 'name'>;

interface IncrementalBase {
  result: AnalysisResult;
  islands: Islands;
  folders: Map<string, DeploymentUnit>;
  /** folderSignature of every file as the islands know it. */
  signatures: Map<string, string>;
  /** The identities of the plain manifests' objects (what folder units are formed from), per file. */
  plain: Map<string, Identity[]>;
  /** Files whose objects a chart renders or a kustomization builds. */
  inUnits: Set<string>;
  /** Files set since `result` was made. */
  changed: Set<string>;
  /** The island models that analysed files since the whole-workspace analysis. */
  models: Map<string, AnalysisModel>;
  /** The whole-workspace analysis's model. */
  whole: AnalysisModel;
}

/** Per-file lists (each sorted) as one list sorted like compareFindings: files in order, then each file's list. */
function concatByFile<T>(byFile: ReadonlyMap<string, T[]>): T[] {
  const names = [...byFile.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.flatMap((name) => byFile.get(name)!);
}
