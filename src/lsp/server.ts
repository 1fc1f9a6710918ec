// kubeconn's language server: the one analysis core behind LSP, for VS Code (src/vscode is its client) and
// every other editor. It wires the engine (workspace folders scanned from disk, open documents overlaying
// them, watched-file events, settings over `.kubeconn.yaml`) to diagnostics, code actions, hovers, the
// `kubeconn/*` requests (catalog, status, rescan) and progress during scans.
import {
  allRules,
  type AnalysisModel,
  type AnalysisResult,
  buildCatalog,
  type Catalog,
  type CatalogOptions,
  CONFIG_FILE_NAMES,
  DOCS_BASE_URL,
  type Rule,
} from '../api.js';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type CodeAction,
  CodeActionKind,
  type Connection,
  type Diagnostic,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  type InitializeParams,
  type InitializeResult,
  TextDocuments,
  TextDocumentSyncKind,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatConfigProblem, loadProjectConfig, type ProjectConfig } from '../node/config-file.js';
import { fixAllInFile, isFixAllData, quickFixes, resolveFixAll, type ActionContext } from './actions.js';
import { toWireCatalog } from './catalog.js';
import { DiagnosticsView, type Naming, rangeOf, SOURCE } from './diagnostics.js';
import { Engine } from './engine.js';
import { hoverFor } from './hover.js';
import {
  CATALOG_REQUEST,
  type CatalogParams,
  type Counts,
  FIX_ALL_KIND,
  type InitializationOptions,
  RESCAN_REQUEST,
  type ServerStatus,
  SHOW_DOCS_COMMAND,
  STATUS_NOTIFICATION,
  STATUS_REQUEST,
  type StatusParams,
  type WireCatalog,
} from './protocol.js';
import { effectiveOptions, type EditorSettings, readSettings } from './settings.js';

export interface ServerOptions {
  version?: string;
}

const RULES: ReadonlyMap<string, Rule> = new Map(allRules.map((r) => [r.id, r]));

const isPosition = (p: unknown): boolean =>
  typeof (p as { line?: unknown })?.line === 'number' && typeof (p as { character?: unknown })?.character === 'number';
const isRange = (r: unknown): r is Diagnostic['range'] =>
  isPosition((r as { start?: unknown })?.start) && isPosition((r as { end?: unknown })?.end);

export function startServer(connection: Connection, serverOptions: ServerOptions = {}): void {
  const started = performance.now();
  const documents = new TextDocuments(TextDocument);
  const uris = new Map<string, string>();
  const internalErrors: string[] = [];
  let init: InitializationOptions = {};
  let pullConfiguration = false;
  let dynamicConfiguration = false;
  let dynamicWatch = false;
  let workDoneProgress = false;
  /** The client resolves code actions' edits (`codeAction/resolve`), so the workspace-wide fix-all is made when picked. */
  let resolvesEdits = false;
  let showDocument = false;
  let workspaceFolders = false;
  let pushedSettings: unknown;
  let settings: EditorSettings = { options: {}, groupBy: 'auto', errors: [] };
  let project: ProjectConfig = { options: {}, problems: [] };
  let firstScanMs: number | undefined;
  let initialized = false;
  let analyses = 0;

  const log = (message: string): void => {
    connection.console.log(message);
  };
  // A notification, not window/showMessageRequest: nothing to answer, and no client blocks on a prompt.
  const tell = (type: MessageType, message: string): void =>
    void connection.sendNotification(ShowMessageNotification.type, { type, message });
  const internalError = (context: string, error: unknown): void => {
    const err = error instanceof Error ? error : new Error(String(error));
    connection.console.error(`${context}: ${err.stack ?? err.message}`);
    if (internalErrors.length === 0)
      tell(
        MessageType.Error,
        `kubeconn hit an internal error (${context}): ${err.message}. Your files are untouched; details are in the kubeconn output.`,
      );
    internalErrors.push(`${context}: ${err.message}`);
  };
  const guard =
    <A extends unknown[], R>(context: string, fn: (...args: A) => R, fallback?: Awaited<R>) =>
    async (...args: A): Promise<Awaited<R> | undefined> => {
      try {
        return await fn(...args);
      } catch (error) {
        internalError(context, error);
        return fallback;
      }
    };

  const pathOf = (uri: string): string | undefined => {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  };
  const openText = (file: string): string | undefined => {
    const uri = uris.get(file);
    return uri === undefined ? undefined : documents.get(uri)?.getText();
  };

  const engine = new Engine({
    onResult: (result) => {
      analyses++;
      diagnostics.publish(result, configDiagnostics());
      catalogCache = undefined;
      notifyStatus();
    },
    onScanProgress: (done, total) => {
      scanReporter?.report(total === 0 ? 100 : Math.floor((done / total) * 100), `${done}/${total} files`);
      notifyStatus();
    },
    openText,
    openFiles: () => [...uris.keys()].filter((f) => openText(f) !== undefined),
    log,
    internalError,
  });

  const naming: Naming = {
    uriOf: (file) => uris.get(file) ?? pathToFileURL(file).href,
    relative: (file) => {
      const folder = engine.folderOf(file);
      if (!folder) return file;
      const rel = path.relative(folder, file).split(path.sep).join('/');
      return engine.folders.length > 1 ? `${path.basename(folder)}/${rel}` : rel;
    },
    clean: (text) => {
      let out = text;
      for (const folder of [...engine.folders].sort((a, b) => b.length - a.length)) {
        const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
        out = out.split(prefix).join(engine.folders.length > 1 ? `${path.basename(folder)}/` : '');
      }
      return out;
    },
    docsHref: (ruleId) => `${init.docsBaseUri ?? `${DOCS_BASE_URL}docs/rules/`}${ruleId}.md`,
  };
  const diagnostics = new DiagnosticsView(allRules, naming, (uri, list) => void connection.sendDiagnostics({ uri, diagnostics: list }));

  // --- settings ------------------------------------------------------------------------------------------
  const configDiagnostics = (): Map<string, Diagnostic[]> => {
    const out = new Map<string, Diagnostic[]>();
    if (!project.file) return out;
    out.set(
      naming.uriOf(project.file),
      project.problems.map((p) => ({
        range: { start: { line: p.line - 1, character: p.column - 1 }, end: { line: p.line - 1, character: p.column - 1 } },
        severity: p.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
        source: SOURCE,
        code: 'config-error',
        message: p.message,
      })),
    );
    return out;
  };
  const settingsErrors = (): string[] => [
    ...settings.errors,
    ...project.problems.map((p) => formatConfigProblem(p, engine.folders[0] ?? process.cwd())),
  ];
  const shownErrors = new Set<string>();
  const loadSettings = async (): Promise<void> => {
    const root = engine.folders[0];
    // Clients without workspace/configuration send settings in initializationOptions (`settings`, or a
    // `kubeconn` section as Helix and LSP4IJ do) or push them with didChangeConfiguration.
    let raw: unknown = pushedSettings ?? init.settings ?? (init as { kubeconn?: unknown }).kubeconn;
    if (pullConfiguration) {
      [raw] = (await connection.workspace.getConfiguration([
        { section: 'kubeconn', ...(root ? { scopeUri: naming.uriOf(root) } : {}) },
      ])) as unknown[];
    }
    try {
      settings = readSettings(raw ?? {}, root);
    } catch (error) {
      // readSettings validates each key; this is the last line of defence: the defaults, and a warning.
      settings = {
        options: {},
        groupBy: 'auto',
        errors: [`kubeconn: the settings could not be read (${(error as Error).message}); using the defaults.`],
      };
    }
    project = root
      ? loadProjectConfig(
          root,
          allRules.map((r) => r.id),
        )
      : { options: {}, problems: [] };
    for (const message of settingsErrors()) {
      connection.console.warn(message);
      if (shownErrors.has(message)) continue;
      shownErrors.add(message);
      tell(MessageType.Warning, message);
    }
    log(`settings: ${JSON.stringify(settings.options)}${project.file ? `; config file ${project.file}` : ''}`);
  };
  let configuring: Promise<void> = Promise.resolve();
  let startupDone!: () => void;
  const startup = new Promise<void>((resolve) => (startupDone = resolve));
  const reconfigure = (): Promise<void> => {
    const run = async (): Promise<void> => {
      await loadSettings();
      catalogCache = undefined;
      await scanWithProgress(() => engine.configure(effectiveOptions(project.options, settings.options)));
    };
    configuring = configuring.then(run, run);
    return configuring;
  };
  /** Once start-up, settings changes, scans and debounced analyses are all done. */
  const idle = async (): Promise<void> => {
    await startup;
    for (let seen: Promise<void> | undefined; seen !== configuring;) {
      seen = configuring;
      await seen.catch(() => undefined);
    }
    await engine.idle();
  };

  // --- progress and status -------------------------------------------------------------------------------
  let scanReporter: WorkDoneProgressServerReporter | undefined;
  const scanWithProgress = async (scan: () => Promise<void>): Promise<void> => {
    let reporter: WorkDoneProgressServerReporter | undefined;
    if (workDoneProgress) {
      try {
        reporter = await connection.window.createWorkDoneProgress();
        reporter.begin('kubeconn', 0, 'scanning the workspace', false);
      } catch {
        reporter = undefined;
      }
    }
    scanReporter = reporter;
    try {
      await scan();
    } finally {
      reporter?.done();
      if (scanReporter === reporter) scanReporter = undefined;
      notifyStatus();
    }
  };
  const counts = (): Counts => {
    const result = engine.result;
    const c: Counts = { errors: result?.problems.length ?? 0, warnings: 0, infos: 0 };
    for (const f of result?.findings ?? []) {
      if (f.severity === 'error') c.errors++;
      else if (f.severity === 'warning') c.warnings++;
      else c.infos++;
    }
    return c;
  };
  const status = (params: StatusParams = {}): ServerStatus => {
    const progress = engine.progress;
    return {
      state: !engine.result && !progress ? 'starting' : progress ? 'scanning' : 'idle',
      analyses,
      ...(progress ? { scan: progress } : {}),
      files: engine.workspace.files().length,
      counts: counts(),
      settingsErrors: settingsErrors(),
      internalErrors,
      stats: {
        ...engine.stats,
        firstScanMs,
        fixVerification: {
          reparses: engine.workspace.verifyCounters.reparses ?? 0,
          reanalysedFixes: engine.workspace.verifyCounters.reanalysedFixes ?? 0,
          dropped: engine.workspace.verifyCounters.dropped,
        },
      },
      ...(params.files
        ? {
            known: params.files.map((uri) => {
              const f = pathOf(uri);
              return f !== undefined && engine.workspace.has(f);
            }),
          }
        : {}),
    };
  };
  let lastNotified = 0;
  const notifyStatus = (): void => {
    if (!initialized) return;
    const s = status();
    // Scan progress at most every 100 ms; everything else at once.
    if (s.state === 'scanning' && performance.now() - lastNotified < 100) return;
    lastNotified = performance.now();
    void connection.sendNotification(STATUS_NOTIFICATION, {
      ...s,
      stats: { ...s.stats, analysisMs: s.stats.analysisMs.slice(-1), editToResultMs: s.stats.editToResultMs.slice(-1) },
    });
  };

  /**
   * The catalog a hover reads: the one of the model that analysed the file. After an incremental analysis that
   * is the file's island's model, so a hover does not build the whole workspace's model and catalog.
   */
  const hoverCatalogs = new WeakMap<AnalysisModel, Map<string, Catalog>>();
  const hoverCatalog = (result: AnalysisResult, file: string): Catalog => {
    const model = result.modelFor(file);
    let byGroup = hoverCatalogs.get(model);
    if (!byGroup) hoverCatalogs.set(model, (byGroup = new Map<string, Catalog>()));
    let catalog = byGroup.get(settings.groupBy);
    if (!catalog) {
      const findings = [...model.files.keys()].flatMap((f) => result.byFile.get(f) ?? []);
      catalog = buildCatalog({ model, findings }, allRules, catalogOptions(settings.groupBy));
      byGroup.set(settings.groupBy, catalog);
    }
    return catalog;
  };
  const catalogOptions = (groupBy: 'auto' | 'namespace' | 'system'): CatalogOptions => ({
    ruleLevels: engine.workspace.options.rules,
    groupBy: groupBy === 'namespace' ? 'namespace' : 'system',
    displayPath: (file) => naming.relative(file),
  });

  // --- catalog ------------------------------------------------------------------------------------------
  let catalogCache: { key: string; catalog: Catalog; wire?: WireCatalog } | undefined;
  const catalogOf = (
    groupBy: 'auto' | 'namespace' | 'system' = settings.groupBy,
  ): { catalog: Catalog; wire: () => WireCatalog } | undefined => {
    const result = engine.result;
    if (!result) return undefined;
    const key = groupBy;
    if (catalogCache?.key !== key) {
      catalogCache = {
        key,
        catalog: buildCatalog(result, allRules, catalogOptions(groupBy)),
      };
    }
    const cache = catalogCache;
    return {
      catalog: cache.catalog,
      wire: () =>
        (cache.wire ??= toWireCatalog(
          cache.catalog,
          naming,
          (file, offset) => result.files.get(file)?.lines.position(offset) ?? engine.workspace.factsOf(file)?.lines.position(offset),
        )),
    };
  };

  // --- lifecycle ----------------------------------------------------------------------------------------
  connection.onInitialize((params: InitializeParams): InitializeResult => {
    init = (params.initializationOptions ?? {}) as InitializationOptions;
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) engine.debounceMs = init.debounceMs;
    const caps = params.capabilities;
    pullConfiguration = caps.workspace?.configuration === true;
    dynamicConfiguration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    dynamicWatch = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    workDoneProgress = caps.window?.workDoneProgress === true;
    resolvesEdits = caps.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
    showDocument = caps.window?.showDocument?.support === true;
    workspaceFolders = caps.workspace?.workspaceFolders === true;
    // rootUri/rootPath are the fallbacks for clients that predate workspaceFolders (deprecated, still sent by some).
    /* eslint-disable @typescript-eslint/no-deprecated */
    const rootUri = params.rootUri;
    const rootPath = params.rootPath;
    /* eslint-enable @typescript-eslint/no-deprecated */
    const folders =
      params.workspaceFolders ??
      (rootUri ? [{ uri: rootUri, name: '' }] : rootPath ? [{ uri: pathToFileURL(rootPath).href, name: '' }] : []);
    engine.folders = folders.map((f) => pathOf(f.uri)).filter((f): f is string => f !== undefined);
    const commands = [SHOW_DOCS_COMMAND].filter((c) => !(init.clientCommands ?? []).includes(c));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: {
          codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND],
          ...(resolvesEdits ? { resolveProvider: true } : {}),
        },
        hoverProvider: true,
        ...(commands.length > 0 ? { executeCommandProvider: { commands } } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'kubeconn', ...(serverOptions.version ? { version: serverOptions.version } : {}) },
    };
  });

  connection.onInitialized(
    guard('start-up', async () => {
      initialized = true;
      try {
        await start();
      } finally {
        startupDone();
      }
    }),
  );
  const start = async (): Promise<void> => {
    if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kubeconn' });
    if (dynamicWatch) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
    if (workspaceFolders)
      connection.workspace.onDidChangeWorkspaceFolders(
        guard('folders', async (e) => {
          const removed = new Set(e.removed.map((f) => pathOf(f.uri)));
          engine.folders = [
            ...engine.folders.filter((f) => !removed.has(f)),
            ...e.added.map((f) => pathOf(f.uri)).filter((f): f is string => f !== undefined),
          ];
          await reconfigure();
        }),
      );
    log(`kubeconn ${serverOptions.version ?? ''} language server: ${allRules.length} rules; folders ${JSON.stringify(engine.folders)}`);
    await reconfigure();
    firstScanMs = performance.now() - started;
    log(`first scan published ${firstScanMs.toFixed(0)} ms after start`);
  };

  connection.onDidChangeConfiguration(
    guard('settings', async (params) => {
      const pushed = (params.settings as { kubeconn?: unknown } | undefined)?.kubeconn;
      if (pushed !== undefined) pushedSettings = pushed;
      if (!initialized) return;
      await reconfigure();
    }),
  );

  // --- documents and files ------------------------------------------------------------------------------
  documents.onDidChangeContent(
    guard('edit', (e) => {
      const file = pathOf(e.document.uri);
      if (file === undefined) return;
      uris.set(file, e.document.uri);
      engine.setOpenText(file, e.document.getText());
    }),
  );
  documents.onDidClose(
    guard('close', async (e) => {
      const file = pathOf(e.document.uri);
      // A document closed without saving: what counts again is the file on disk.
      if (file !== undefined && engine.wants(file)) await engine.fromDisk(file);
    }),
  );
  connection.onDidChangeWatchedFiles(
    guard('watch', async (params) => {
      // A changed config file changes every file's analysis: re-read the settings and rescan (at once, so that
      // a status request that follows waits for it).
      const config = params.changes.some((c) => (CONFIG_FILE_NAMES as readonly string[]).includes(path.basename(pathOf(c.uri) ?? '')));
      const rescan = config ? reconfigure() : undefined;
      for (const change of params.changes) {
        const file = pathOf(change.uri);
        if (file === undefined) continue;
        if (change.type === FileChangeType.Deleted) engine.forget(file);
        else if (change.type === FileChangeType.Created) await engine.created(file);
        else if (engine.wants(file) && openText(file) === undefined) await engine.fromDisk(file);
      }
      await rescan;
    }),
  );

  // --- features -----------------------------------------------------------------------------------------
  const actionContext = (): ActionContext | undefined => {
    const result = engine.analyzeNow();
    return (
      result && {
        result,
        rules: RULES,
        naming,
        factsOf: (file) => result.files.get(file) ?? engine.workspace.factsOf(file),
        verify: (findings) => engine.workspace.verifyFindings(result, findings),
        resolvesEdits,
      }
    );
  };
  /** Is the analysed text of a file the one the editor has (no edit in flight)? */
  const current = (uri: string, file: string): boolean => {
    const doc = documents.get(uri);
    return !doc || engine.workspace.text(file) === doc.getText();
  };

  connection.onCodeAction(
    guard(
      'code actions',
      (params): CodeAction[] => {
        const file = pathOf(params.textDocument.uri);
        if (file === undefined || !engine.wants(file)) return [];
        const ctx = actionContext();
        if (!ctx || !current(params.textDocument.uri, file)) return [];
        const only = params.context.only;
        const wantsFixAll =
          only?.some((k) => k === FIX_ALL_KIND || FIX_ALL_KIND.startsWith(`${k}.`) || k.startsWith(`${FIX_ALL_KIND}.`)) ?? false;
        if (wantsFixAll) {
          const action = fixAllInFile(ctx, file);
          return action ? [action] : [];
        }
        if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === '')) return [];
        // Clients hand back what they were sent, more or less: keep only diagnostics that are ours and whole.
        const ours = (params.context.diagnostics ?? []).filter(
          (d) => d?.source === SOURCE && typeof d.code === 'string' && isRange(d.range),
        );
        if (ours.length === 0 && !isRange(params.range)) return [];
        const findings =
          ours.length > 0
            ? ours.flatMap((d) => diagnostics.findingsFor(file, String(d.code), d.range))
            : diagnostics.findingsIn(file, params.range);
        const same = (a: Diagnostic['range'], b: Diagnostic['range']) => JSON.stringify(a) === JSON.stringify(b);
        return quickFixes(ctx, findings, (f) => {
          const r = rangeOf(f);
          const matching = ours.filter((d) => d.code === f.ruleId && same(d.range, r));
          return matching.length > 0 ? matching : [{ range: r, code: f.ruleId, source: SOURCE, message: f.message }];
        });
      },
      [],
    ),
  );

  connection.onCodeActionResolve(async (action): Promise<CodeAction> => {
    const resolved = await guard('code action resolve', (): CodeAction => {
      if (!isFixAllData(action.data)) return action;
      const ctx = actionContext();
      return ctx ? resolveFixAll(ctx, action, action.data) : { ...action, edit: { changes: {} } };
    })();
    // A failure (reported as an internal error) resolves to an empty edit: the client applies nothing.
    return resolved ?? { ...action, edit: { changes: {} } };
  });

  connection.onHover(
    guard('hover', (params) => {
      const file = pathOf(params.textDocument.uri);
      if (file === undefined || !engine.wants(file) || !isPosition(params.position)) return null;
      const result = engine.analyzeNow();
      const facts = result?.files.get(file);
      const doc = documents.get(params.textDocument.uri);
      if (!result || !facts || (doc && facts.text !== doc.getText())) return null;
      const catalog = hoverCatalog(result, file);
      const offset = facts.lines.offset(params.position.line + 1, params.position.character + 1);
      const lineOf = (f: string, at: number): number | undefined =>
        (result.files.get(f) ?? engine.workspace.factsOf(f))?.lines.position(at).line;
      return hoverFor(result, catalog, facts, offset, diagnostics.groupsOf(file), naming, init.hoverFindings !== false, lineOf) ?? null;
    }),
  );

  connection.onExecuteCommand(
    guard('command', async (params) => {
      if (params.command !== SHOW_DOCS_COMMAND) return;
      const [ruleId, href] = (params.arguments ?? []) as [string?, string?];
      const uri = href ?? (ruleId ? naming.docsHref(ruleId) : undefined);
      if (uri && showDocument) await connection.window.showDocument({ uri, external: !uri.startsWith('file:') });
      else if (uri) connection.window.showInformationMessage(`kubeconn/${ruleId}: ${uri}`);
    }),
  );

  connection.onRequest(
    CATALOG_REQUEST,
    guard('catalog', async (params: CatalogParams | undefined) => {
      if (!engine.result) await idle();
      return catalogOf(params?.groupBy)?.wire() ?? null;
    }),
  );
  connection.onRequest(
    STATUS_REQUEST,
    guard('status', async (params: StatusParams | undefined) => {
      if (params?.waitForIdle) await idle();
      return status(params ?? {});
    }),
  );
  connection.onRequest(
    RESCAN_REQUEST,
    guard('rescan', async () => {
      await scanWithProgress(() => engine.scan());
      return status();
    }),
  );

  connection.onShutdown(() => {
    engine.dispose();
  });
  documents.listen(connection);
  connection.listen();
}
