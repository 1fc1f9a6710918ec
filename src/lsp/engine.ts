// Keeps the core's Workspace in step with the editor, for the language server: a background scan of every
// analysable file of the workspace folders (read in batches, extracted in slices of a few milliseconds so
// requests are still answered during the scan), open documents overlaying the files on disk, debounced
// re-analysis after edits, and file-system events. It never analyses on its own: it feeds texts to the core
// and announces each AnalysisResult. Files are keyed by absolute path.
import { allRules, type AnalysisResult, type Finding, isAnalysable, type KubeconnOptions, Workspace } from '../api.js';
import fs from 'node:fs/promises';
import path from 'node:path';
import { collectFiles, excludedBySettings, readForAnalysisAsync } from '../node/files.js';

export interface EngineStats {
  scannedFiles: number;
  scanMs: number;
  scanAnalysisMs: number;
  analysisMs: number[];
  editToResultMs: number[];
  /** Whole analyses made when idle after incremental ones, and how many of them differed (kubeconn bugs). */
  reconciled: number;
  reconcileDiffered: number;
}

export interface EngineHooks {
  /** A new result to publish (every file's diagnostics, the status). */
  onResult(result: AnalysisResult): void;
  /** Scan progress: files read of those found (called at most every ~100 ms, and at 0 and at the end). */
  onScanProgress(done: number, total: number): void;
  /** The text of a file open in the editor, if it is open. */
  openText(file: string): string | undefined;
  /** Every file open in the editor. */
  openFiles(): string[];
  log(message: string): void;
  internalError(context: string, error: unknown): void;
}

const READ_BATCH = 64;
const SLICE_MS = 15;
/** Folders never walked (the CLI's walk skips them too). */
const SKIPPED_FOLDERS = new Set(['node_modules', 'vendor', '.git', '.hg', '.svn']);

export class Engine {
  private ws: Workspace;
  readonly stats: EngineStats = {
    scannedFiles: 0,
    scanMs: 0,
    scanAnalysisMs: 0,
    analysisMs: [],
    editToResultMs: [],
    reconciled: 0,
    reconcileDiffered: 0,
  };
  /**
   * How long the workspace must be idle after an incremental analysis before a whole one checks it
   * (KUBECONN_RECONCILE_MS overrides it, for tests).
   */
  reconcileMs = Number(process.env.KUBECONN_RECONCILE_MS ?? 20_000);
  private reconcileTimer: ReturnType<typeof setTimeout> | undefined;
  debounceMs = 150;
  folders: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private firstPendingChange: number | undefined;
  private last: AnalysisResult | undefined;
  private lastVersion = -1;
  private scanning: Promise<void> | undefined;
  private scansRunning = 0;
  private scanProgress: { done: number; total: number } | undefined;
  private readonly reads = new Map<string, number>();
  private forgets = 0;

  constructor(
    private readonly hooks: EngineHooks,
    options: Partial<KubeconnOptions> = {},
  ) {
    this.ws = new Workspace(options, allRules);
  }

  get workspace(): Workspace {
    return this.ws;
  }

  get result(): AnalysisResult | undefined {
    return this.last;
  }

  /** Files read so far of those found, while a scan runs. */
  get progress(): { done: number; total: number } | undefined {
    return this.scansRunning > 0 ? this.scanProgress : undefined;
  }

  /**
   * New options change what every file's facts say: start a fresh workspace and let a scan fill it in time
   * slices; the previous results stay published until the scan's analysis replaces them.
   */
  configure(options: Partial<KubeconnOptions>): Promise<void> {
    this.ws = new Workspace(options, allRules);
    this.lastVersion = -1;
    return this.scan();
  }

  /** The folder holding a file, or undefined (files outside every folder are analysed only when there is no folder). */
  folderOf(file: string): string | undefined {
    return this.folders
      .filter((f) => file === f || file.startsWith(f.endsWith(path.sep) ? f : f + path.sep))
      .sort((a, b) => b.length - a.length)[0];
  }

  /**
   * Is this a file kubeconn reads: claimed by an extractor (or already read by a scan: a file a kustomization's
   * generator names, whatever its extension), inside a workspace folder, not excluded?
   */
  wants(file: string): boolean {
    if (!isAnalysable(file) && !this.ws.has(file)) return false;
    if (this.folders.length === 0) return true;
    const folder = this.folderOf(file);
    if (!folder) return false;
    const relative = path.relative(folder, file);
    if (
      relative
        .split(path.sep)
        .slice(0, -1)
        .some((segment) => SKIPPED_FOLDERS.has(segment))
    )
      return false;
    return !excludedBySettings(relative, { exclude: this.ws.options.exclude, include: this.ws.options.include });
  }

  /** Scan every workspace folder (one scan at a time; a second call waits for the running one, then rescans). */
  scan(): Promise<void> {
    const run = async (): Promise<void> => {
      this.scansRunning++;
      try {
        await this.scanOnce();
      } finally {
        this.scansRunning--;
      }
    };
    const next = (this.scanning ?? Promise.resolve()).then(run, run);
    this.scanning = next;
    return next;
  }

  private async scanOnce(): Promise<void> {
    const started = performance.now();
    const ws = this.ws;
    const files = this.folders.length === 0 ? [] : collectFiles(this.folders, { exclude: ws.options.exclude, include: ws.options.include });
    this.scanProgress = { done: 0, total: files.length };
    this.hooks.onScanProgress(0, files.length);
    let reported = performance.now();
    for (let i = 0; i < files.length; i += READ_BATCH) {
      const batch = files.slice(i, i + READ_BATCH);
      // Sizes are checked with stat before reading; a file that is too large or unreadable is skipped with a problem.
      const reads = await Promise.all(batch.map((file) => readForAnalysisAsync(file, ws.options.maxFileBytes)));
      // Extract file by file in slices, so hovers and code actions are answered while a large workspace is read.
      let slice = performance.now();
      for (let j = 0; j < batch.length; j++) {
        const file = batch[j]!;
        const text = this.hooks.openText(file) ?? reads[j]!.text;
        if (text === undefined) {
          if (ws.setSkipped(file, reads[j]!.skipped!)) ws.factsOf(file);
        } else if (ws.setFile(file, text)) ws.factsOf(file);
        if (performance.now() - slice > SLICE_MS) {
          await pause();
          slice = performance.now();
        }
      }
      this.scanProgress = { done: Math.min(files.length, i + batch.length), total: files.length };
      if (performance.now() - reported > 100) {
        reported = performance.now();
        this.hooks.onScanProgress(this.scanProgress.done, files.length);
      }
    }
    // New settings started a fresh workspace meanwhile: the scan queued behind this one fills that.
    if (ws !== this.ws) return;
    for (const file of this.hooks.openFiles()) if (this.wants(file)) ws.setFile(file, this.hooks.openText(file)!);
    const live = new Set(files);
    for (const file of ws.files()) if (!live.has(file) && this.hooks.openText(file) === undefined) ws.removeFile(file);
    this.hooks.onScanProgress(files.length, files.length);
    const analysisStarted = performance.now();
    await this.analyzeInSlices();
    this.stats.scanAnalysisMs = performance.now() - analysisStarted;
    this.stats.scannedFiles = files.length;
    this.stats.scanMs = performance.now() - started;
    this.hooks.log(`scanned ${files.length} files in ${this.stats.scanMs.toFixed(0)} ms`);
  }

  /** An open document's text (it overlays the file on disk). */
  setOpenText(file: string, text: string): void {
    if (!this.wants(file)) return;
    if (this.ws.setFile(file, text)) this.schedule();
  }

  /** Read a file from disk again (closed in the editor, changed outside it, created). */
  async fromDisk(file: string, collected = false): Promise<void> {
    if (this.hooks.openText(file) !== undefined) return;
    // Reads of one file may overlap (close, then a watcher event): the latest one wins. A deletion seen
    // while reading may concern this file: look again before re-adding it.
    const read = (this.reads.get(file) ?? 0) + 1;
    this.reads.set(file, read);
    const forgets = this.forgets;
    const result = await readForAnalysisAsync(file, this.ws.options.maxFileBytes);
    let text = result.text;
    if (this.reads.get(file) !== read) return;
    this.reads.delete(file);
    const exists = async () => (await fs.stat(file).catch(() => undefined)) !== undefined;
    if (text !== undefined && this.forgets !== forgets && !(await exists())) text = undefined;
    // Gone between the event and the read: treat as deleted. Too large or unreadable: a skipped file.
    if (text === undefined && (result.skipped === undefined || !(await exists()))) {
      this.forget(file);
      return;
    }
    // Opened meanwhile: the editor wins. `collected`: a walk picked it (a generator's input), wanted as it is.
    if (this.hooks.openText(file) !== undefined || (!collected && !this.wants(file))) return;
    if (text === undefined ? this.ws.setSkipped(file, result.skipped!) : this.ws.setFile(file, text)) this.schedule();
  }

  /** A created file or folder (a folder is walked: files written into it raise no event of their own in some clients). */
  async created(file: string): Promise<void> {
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat) return;
    if (!stat.isDirectory()) return this.wants(file) ? this.fromDisk(file) : undefined;
    const folder = this.folderOf(file);
    if (
      !folder ||
      path
        .relative(folder, file)
        .split(path.sep)
        .some((s) => SKIPPED_FOLDERS.has(s))
    )
      return;
    // The walk also picks the files kustomization generators name (any extension): take those as it gives them.
    for (const found of collectFiles([file], { exclude: this.ws.options.exclude, include: this.ws.options.include })) {
      if (this.wants(found) || !isAnalysable(found)) await this.fromDisk(found, true);
    }
  }

  /** A deleted file or folder. */
  forget(file: string): void {
    this.forgets++;
    const prefix = file.endsWith(path.sep) ? file : file + path.sep;
    let changed = false;
    for (const known of this.ws.files()) {
      // Even if a document of it is still open (VS Code closes documents lazily): the file is gone; an edit in
      // that document brings it back.
      if (known === file || known.startsWith(prefix)) changed = this.ws.removeFile(known) || changed;
    }
    if (changed) this.schedule();
  }

  private schedule(): void {
    this.firstPendingChange ??= performance.now();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // A running scan analyses when it is done; a partial workspace is never published.
    if (this.scansRunning > 0) return;
    this.timer = setTimeout(() => {
      try {
        this.analyzeNow();
      } catch (error) {
        this.hooks.internalError('analysis', error);
      }
    }, this.debounceMs);
  }

  /**
   * Analyse pending changes right away (code actions and hovers call this so that their offsets match the
   * text). During a scan the result is returned but not published.
   */
  analyzeNow(): AnalysisResult | undefined {
    const ws = this.ws;
    const version = ws.version;
    if (this.last && this.lastVersion === version) return this.last;
    if (this.scansRunning > 0) return ws.analyze(EDITOR_ANALYSIS);
    return this.analyzeAndPublish();
  }

  private analyzeAndPublish(): AnalysisResult | undefined {
    const ws = this.ws;
    const version = ws.version;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const started = performance.now();
    let result: AnalysisResult;
    try {
      result = ws.analyze(EDITOR_ANALYSIS);
    } catch (error) {
      // Keep showing the previous results; the next change retries.
      this.hooks.internalError('analysis', error);
      return this.last;
    }
    return this.publish(result, version, started);
  }

  /**
   * The scan's analysis of a whole workspace, run step by step (linking, then each rule) with pauses when a
   * slice exceeds SLICE_MS. If the workspace changes meanwhile, that result is stale: analyse again (and,
   * failing that, in one step).
   */
  private async analyzeInSlices(force = false): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const ws = this.ws;
      const version = ws.version;
      if (this.last && this.lastVersion === version && !(force && attempt === 0)) return;
      const started = performance.now();
      let result: AnalysisResult;
      try {
        const steps = ws.analyzeSteps(EDITOR_ANALYSIS);
        let slice = performance.now();
        let step = steps.next();
        while (!step.done) {
          if (performance.now() - slice > SLICE_MS) {
            await pause();
            slice = performance.now();
          }
          step = steps.next();
        }
        result = step.value;
      } catch (error) {
        this.hooks.internalError('analysis', error);
        return;
      }
      if (ws !== this.ws || ws.version !== version) continue;
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.publish(result, version, started);
      return;
    }
    this.analyzeAndPublish();
  }

  private publish(result: AnalysisResult, version: number, started: number): AnalysisResult {
    const ended = performance.now();
    push(this.stats.analysisMs, ended - started);
    if (this.firstPendingChange !== undefined) push(this.stats.editToResultMs, ended - this.firstPendingChange);
    this.firstPendingChange = undefined;
    this.last = result;
    this.lastVersion = version;
    for (const n of result.notices)
      if (!n.at) this.hooks.internalError(n.step ? `model step ${n.step}` : `rule ${n.ruleId}`, new Error(n.message));
    this.hooks.onResult(result);
    if (this.reconcileTimer) clearTimeout(this.reconcileTimer);
    this.reconcileTimer = result.incremental ? setTimeout(() => void this.reconcile(), this.reconcileMs) : undefined;
    return result;
  }

  /**
   * When idle after incremental analyses: a whole analysis (in slices), published in their place. Should it
   * differ, that is a kubeconn bug (the islands missed a join): it is reported, and the whole result is shown.
   */
  private async reconcile(): Promise<void> {
    this.reconcileTimer = undefined;
    const ws = this.ws;
    const shown = this.last;
    if (!shown || this.timer || this.scansRunning > 0 || this.lastVersion !== ws.version) return;
    ws.forgetIncremental();
    await this.analyzeInSlices(true);
    const whole = this.last;
    if (!whole || whole === shown || this.lastVersion !== ws.version) return;
    this.stats.reconciled++;
    const differing = [...new Set([...shown.byFile.keys(), ...whole.byFile.keys()])].filter(
      (file) => signature(shown.byFile.get(file)) !== signature(whole.byFile.get(file)),
    );
    if (differing.length > 0) {
      this.stats.reconcileDiffered++;
      this.hooks.internalError(
        'incremental analysis',
        new Error(
          `an incremental analysis differed from a whole one in ${differing.length} files (first: ${differing[0]}); the whole one is shown`,
        ),
      );
    }
  }

  /** Resolves when no scan and no debounced analysis is pending (a pending one is run now). */
  async idle(): Promise<void> {
    while (this.scanning) {
      const scanning = this.scanning;
      await scanning;
      if (this.scanning === scanning) break;
    }
    if (this.timer || !this.last || this.lastVersion !== this.ws.version) this.analyzeNow();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.reconcileTimer) clearTimeout(this.reconcileTimer);
  }
}

/** What a file's findings say (positions, messages, related locations, fixes) as one string. */
function signature(findings: readonly Finding[] | undefined): string {
  return JSON.stringify(
    (findings ?? []).map((f) => [
      f.start,
      f.end,
      f.ruleId,
      f.message,
      f.severity,
      f.related,
      f.fix?.edits,
      f.suggestions.map((x) => x.edits),
    ]),
  );
}

/**
 * Diagnostics need no fixes: fixes are verified when a code action asks for them (ActionContext.verify), so an
 * edit costs no re-parse and no re-analysis of the workspace's fixes.
 */
const EDITOR_ANALYSIS = { verifyFixes: false } as const;

function pause(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function push(list: number[], value: number): void {
  list.push(value);
  if (list.length > 500) list.shift();
}
