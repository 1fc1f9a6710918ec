// Keeps the core's Workspace in step with the editor: a background scan of every analysable file on
// activation, open editors overlaying disk content, debounced re-analysis on edits, and file events
// (save, create, delete, rename, changes made outside the editor). It never analyses on its own: it
// feeds texts to the core and announces each AnalysisResult. Files are keyed by absolute fsPath.
import { allRules, type AnalysisResult, isAnalysable, type KubeconnOptions, Workspace } from '../api.js';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Log } from './log.js';
import { globToRegExp } from './settings.js';

export interface EngineStats {
  /** Files read by the last full scan and its duration (reading + extraction + first analysis). */
  scannedFiles: number;
  scanMs: number;
  /** Of scanMs: the final analysis (linking + every rule), one synchronous step. */
  scanAnalysisMs: number;
  /** Duration of each analysis (core `analyze()` only), most recent last; at most 500 kept. */
  analysisMs: number[];
  /** From a document change to its diagnostics being published (debounce included); at most 500 kept. */
  editToResultMs: number[];
}

const READ_CONCURRENCY = 32;
const READ_BATCH = 64;
const SLICE_MS = 15;
const NEW_FOLDER_RECHECK_MS = 1000;

export class Engine implements vscode.Disposable {
  private ws: Workspace;
  readonly stats: EngineStats = { scannedFiles: 0, scanMs: 0, scanAnalysisMs: 0, analysisMs: [], editToResultMs: [] };
  /** Delay between the last edit and the re-analysis. */
  debounceMs = 150;
  private readonly uris = new Map<string, vscode.Uri>();
  private readonly emitter = new vscode.EventEmitter<AnalysisResult>();
  readonly onDidAnalyze = this.emitter.event;
  private timer: NodeJS.Timeout | undefined;
  private firstPendingChange: number | undefined;
  private excludes: RegExp[] = [];
  private last: AnalysisResult | undefined;
  private scanning: Promise<void> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly log: Log,
    options: Partial<KubeconnOptions>,
    exclude: string[],
  ) {
    this.ws = new Workspace(options, allRules);
    this.setExclude(exclude);
  }

  /** The core workspace (replaced by a fresh one when the settings change). */
  get workspace(): Workspace {
    return this.ws;
  }

  get result(): AnalysisResult | undefined {
    return this.last;
  }

  /** Start following editor and file-system events. */
  listen(): void {
    const guard = this.log.guard.bind(this.log);
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(
      watcher,
      vscode.workspace.onDidOpenTextDocument(guard('open', (doc: vscode.TextDocument) => this.fromDocument(doc))),
      vscode.workspace.onDidChangeTextDocument(guard('edit', (e: vscode.TextDocumentChangeEvent) => {
        if (e.contentChanges.length > 0) this.fromDocument(e.document);
      })),
      vscode.workspace.onDidSaveTextDocument(guard('save', (doc: vscode.TextDocument) => this.fromDocument(doc))),
      // A document closed without saving: what counts again is the file on disk.
      vscode.workspace.onDidCloseTextDocument(guard('close', (doc: vscode.TextDocument) => this.wants(doc.uri) && this.fromDisk(doc.uri))),
      vscode.workspace.onDidRenameFiles(guard('rename', async (e: vscode.FileRenameEvent) => {
        for (const { oldUri, newUri } of e.files) {
          this.forget(oldUri);
          await this.addTree(newUri);
        }
      })),
      vscode.workspace.onDidDeleteFiles(guard('delete', (e: vscode.FileDeleteEvent) => e.files.forEach((uri) => this.forget(uri)))),
      vscode.workspace.onDidCreateFiles(guard('create', (e: vscode.FileCreateEvent) => Promise.all(e.files.map((uri) => this.addTree(uri))))),
      watcher.onDidCreate(guard('watch-create', (uri: vscode.Uri) => {
        this.log.debug(`created ${uri.fsPath}`);
        return this.addTree(uri);
      })),
      watcher.onDidChange(guard('watch-change', (uri: vscode.Uri) => {
        this.log.debug(`changed ${uri.fsPath}`);
        return this.wants(uri) && !this.openDocument(uri) && this.fromDisk(uri);
      })),
      watcher.onDidDelete(guard('watch-delete', (uri: vscode.Uri) => {
        this.log.debug(`deleted ${uri.fsPath}`);
        this.forget(uri);
      })),
      vscode.workspace.onDidChangeWorkspaceFolders(guard('folders', () => this.scan())),
    );
  }

  setExclude(globs: string[]): void {
    this.excludes = globs.map(globToRegExp);
  }

  /**
   * New options change what every file's facts say. Rather than re-extracting all files in one go
   * (Workspace.setOptions), start a fresh workspace and let the scan fill it in time slices; the
   * previous results stay published until the scan's analysis replaces them.
   */
  async configure(options: Partial<KubeconnOptions>, exclude: string[]): Promise<void> {
    this.setExclude(exclude);
    this.ws = new Workspace(options, allRules);
    this.lastVersion = -1;
    await this.scan();
  }

  key(uri: vscode.Uri): string {
    return uri.fsPath;
  }

  uriOf(file: string): vscode.Uri {
    return this.uris.get(file) ?? vscode.Uri.file(file);
  }

  /** Is this a file kubeconn reads: on disk, inside a workspace folder, claimed by an extractor, not excluded? */
  wants(uri: vscode.Uri): boolean {
    if (uri.scheme !== 'file' || !isAnalysable(uri.fsPath)) return false;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return false;
    const relative = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
    return !this.excludes.some((re) => re.test(relative));
  }

  /** Scan every workspace folder (once at a time; a second call waits for the running scan, then rescans). */
  scan(): Promise<void> {
    const run = async (): Promise<void> => {
      this.scansRunning++;
      try {
        await this.scanOnce();
      } finally {
        this.scansRunning--;
      }
    };
    const previous = this.scanning ?? Promise.resolve();
    const next = previous.then(run, run);
    this.scanning = next;
    return next;
  }

  private scansRunning = 0;

  private async scanOnce(): Promise<void> {
    {
      const started = performance.now();
      const found = await vscode.workspace.findFiles('**/*');
      const uris = found.filter((uri) => this.wants(uri));
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'kubeconn: scanning' },
        async (progress) => {
          let done = 0;
          for (let i = 0; i < uris.length; i += READ_BATCH) {
            const batch = uris.slice(i, i + READ_BATCH);
            const texts = await Promise.all(batch.map((uri) => this.read(uri)));
            // Extract file by file in slices of a few milliseconds, so the extension host never stalls
            // for long (other extensions, and our own edit handling, share its event loop).
            let slice = performance.now();
            for (let j = 0; j < batch.length; j++) {
              const text = texts[j];
              const uri = batch[j]!;
              if (text === undefined || this.openDocument(uri)) continue;
              const file = this.key(uri);
              this.uris.set(file, uri);
              if (this.workspace.setFile(file, text)) this.workspace.factsOf(file);
              if (performance.now() - slice > SLICE_MS) {
                await new Promise((resolve) => setImmediate(resolve));
                slice = performance.now();
              }
            }
            done += batch.length;
            progress.report({ message: `${done}/${uris.length} files` });
          }
        },
      );
      for (const doc of vscode.workspace.textDocuments) this.fromDocument(doc, false);
      const live = new Set(uris.map((u) => this.key(u)));
      for (const file of this.workspace.files()) if (!live.has(file) && !this.openDocument(this.uriOf(file))) this.remove(file);
      const analysisStarted = performance.now();
      await this.analyzeInSlices();
      this.stats.scanAnalysisMs = performance.now() - analysisStarted;
      this.stats.scannedFiles = uris.length;
      this.stats.scanMs = performance.now() - started;
      this.log.info(`scanned ${uris.length} files in ${this.stats.scanMs.toFixed(0)} ms`);
    }
  }

  /** Take an open document's text (it overlays the file on disk). */
  fromDocument(doc: vscode.TextDocument, schedule = true): void {
    if (!this.wants(doc.uri)) return;
    const file = this.key(doc.uri);
    this.uris.set(file, doc.uri);
    if (this.workspace.setFile(file, doc.getText()) && schedule) this.schedule();
  }

  private async read(uri: vscode.Uri): Promise<string | undefined> {
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined;
    }
  }

  private async fromDisk(uri: vscode.Uri, schedule = true): Promise<void> {
    if (this.openDocument(uri)) return this.log.debug(`open in an editor: ${uri.fsPath}`);
    const text = await this.read(uri);
    if (schedule) this.log.debug(`read ${uri.fsPath}: ${text === undefined ? 'failed' : `${text.length} chars`}`);
    // Gone between the event and the read (or unreadable): treat as deleted.
    if (text === undefined) return this.forget(uri);
    if (this.openDocument(uri)) return; // opened while we were reading: the editor wins
    const file = this.key(uri);
    this.uris.set(file, uri);
    if (this.workspace.setFile(file, text) && schedule) this.schedule();
  }

  /** A created (or renamed-to) file or folder. */
  private async addTree(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(uri)) return;
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      return; // gone again
    }
    // Ask the file system, not the name: extractors may claim extension-less names (scripts) that a folder can have.
    if (!(stat.type & vscode.FileType.Directory)) {
      if (this.wants(uri)) await this.fromDisk(uri);
      return;
    }
    if (this.excludedFolder(uri)) return;
    await this.readFolder(uri);
    // Files written into a new folder before the watcher watches it raise no event of their own: look again.
    setTimeout(this.log.guard('new folder', () => this.readFolder(uri)), NEW_FOLDER_RECHECK_MS);
  }

  /** Read the analysable files under a folder (the file system directly: the search index may lag behind). */
  private async readFolder(uri: vscode.Uri, depth = 0): Promise<void> {
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(uri);
    } catch {
      return;
    }
    const files: vscode.Uri[] = [];
    for (const [name, type] of entries) {
      const child = vscode.Uri.joinPath(uri, name);
      if (type & vscode.FileType.Directory) {
        if (depth < 32 && !(type & vscode.FileType.SymbolicLink) && !this.excludedFolder(child)) await this.readFolder(child, depth + 1);
      } else if (this.wants(child)) files.push(child);
    }
    this.log.debug(`folder ${uri.fsPath}: ${files.length} analysable of ${entries.length} entries`);
    await mapLimit(files, READ_CONCURRENCY, (u) => this.fromDisk(u));
  }

  private excludedFolder(uri: vscode.Uri): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return true;
    const relative = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
    return this.excludes.some((re) => re.test(`${relative}/`) || re.test(`${relative}/x`));
  }

  /** A deleted (or renamed-from) file or folder. */
  private forget(uri: vscode.Uri): void {
    if (uri.scheme !== 'file') return;
    const file = this.key(uri);
    const prefix = file.endsWith(path.sep) ? file : file + path.sep;
    for (const known of this.workspace.files()) if (known === file || known.startsWith(prefix)) this.remove(known);
  }

  private remove(file: string): void {
    if (this.workspace.removeFile(file)) this.schedule();
  }

  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    const wanted = uri.toString();
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === wanted && !d.isClosed);
  }

  private schedule(): void {
    this.firstPendingChange ??= performance.now();
    if (this.timer) clearTimeout(this.timer);
    // A running scan analyses when it is done; a partial workspace is never published.
    if (this.scansRunning > 0) return;
    this.log.debug(`analysis in ${this.debounceMs} ms`);
    this.timer = setTimeout(this.log.guard('analysis', () => this.analyzeNow()), this.debounceMs);
  }

  /** Analyse pending changes right away (code actions call this so their edits match the text). */
  analyzeNow(): AnalysisResult | undefined {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const version = this.workspace.version;
    if (this.last && this.lastVersion === version) return this.last;
    const started = performance.now();
    let result: AnalysisResult;
    try {
      result = this.workspace.analyze();
    } catch (error) {
      // Keep showing the previous results; the next change retries.
      this.log.internalError('analysis', error);
      return this.last;
    }
    return this.publish(result, version, started);
  }

  /**
   * The scan's analysis of a whole workspace, run step by step (linking, then each rule) with pauses when a
   * slice exceeds SLICE_MS, so a large workspace does not hold the extension host for seconds. If the
   * workspace changes meanwhile, that result is stale: analyse again (and, failing that, in one step).
   */
  private async analyzeInSlices(): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const ws = this.workspace;
      const version = ws.version;
      if (this.last && this.lastVersion === version) return;
      const started = performance.now();
      let result: AnalysisResult;
      try {
        const steps = ws.analyzeSteps();
        let slice = performance.now();
        let step = steps.next();
        while (!step.done) {
          if (performance.now() - slice > SLICE_MS) {
            await new Promise((resolve) => setImmediate(resolve));
            slice = performance.now();
          }
          step = steps.next();
        }
        result = step.value;
      } catch (error) {
        this.log.internalError('analysis', error);
        return;
      }
      if (ws !== this.workspace || ws.version !== version) continue;
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.publish(result, version, started);
      return;
    }
    this.analyzeNow();
  }

  private publish(result: AnalysisResult, version: number, started: number): AnalysisResult {
    const ended = performance.now();
    push(this.stats.analysisMs, ended - started);
    if (this.firstPendingChange !== undefined) push(this.stats.editToResultMs, ended - this.firstPendingChange);
    this.firstPendingChange = undefined;
    this.last = result;
    this.lastVersion = version;
    // A rule that failed before reaching an entity has no place to show its diagnostic: log it (and say so once).
    for (const n of result.notices) if (!n.at) this.log.internalError(`rule ${n.ruleId}`, new Error(n.message));
    this.emitter.fire(result);
    return result;
  }

  private lastVersion = -1;

  /** Resolves when no scan and no debounced analysis is pending. */
  async idle(): Promise<void> {
    await this.scanning;
    if (this.timer) this.analyzeNow();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.emitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function push(list: number[], value: number): void {
  list.push(value);
  if (list.length > 500) list.shift();
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
