// The VS Code extension: a thin adapter over the analysis core (src/core). It wires the engine (files in),
// diagnostics and code actions (findings out), hovers, the catalog view and entity pages, settings and the
// status bar. activate() returns a small API that the extension's own tests drive.
import { allRules, buildCatalog, type Catalog, initKubeconn, setWasmLocator } from '../api.js';
import crypto from 'node:crypto';
import path from 'node:path';
import * as vscode from 'vscode';
import { renderEntityPage } from './catalog/page.js';
import { CatalogTree, ENTITY_PAGE_COMMAND, OPEN_COMMAND } from './catalog/tree.js';
import { KubeconnCodeActions, SHOW_DOCS_COMMAND } from './codeActions.js';
import { DiagnosticsView } from './diagnostics.js';
import { Engine } from './engine.js';
import { KubeconnHover } from './hover.js';
import { Log } from './log.js';
import { readSettings } from './settings.js';
import { StatusItem } from './status.js';

export interface KubeconnApi {
  engine: Engine;
  diagnostics: DiagnosticsView;
  codeActions: KubeconnCodeActions;
  catalogTree: CatalogTree;
  log: Log;
  /** Resolves after the first full scan has been published. */
  ready: Promise<void>;
  /** Milliseconds from activate() being called to returning / to the first scan being published. */
  timings: { activateMs: number; firstScanMs?: number };
  catalog(): Catalog | undefined;
  /** The entity page's HTML for a component id (as the webview gets it), or undefined. */
  entityPageHtml(componentId: string, nonce?: string): string | undefined;
  openEntityPage(componentId: string): vscode.WebviewPanel | undefined;
  /** Messages shown for invalid settings (latest reading). */
  settingsErrors(): string[];
  status: StatusItem;
}

export function activate(context: vscode.ExtensionContext): KubeconnApi {
  const started = performance.now();
  const log = new Log();
  context.subscriptions.push(log);
  // The bundle ships the grammars next to itself (scripts/bundle-vscode.mjs copies them).
  setWasmLocator((file) => path.join(context.extensionPath, 'dist-vscode', 'grammars', file));

  let settings = readSettings();
  const shownSettingsErrors = new Set<string>();
  const showSettingsErrors = (): void => {
    for (const message of settings.errors) {
      log.warn(message);
      if (shownSettingsErrors.has(message)) continue;
      shownSettingsErrors.add(message);
      void vscode.window.showWarningMessage(message);
    }
  };
  showSettingsErrors();

  const engine = new Engine(log, settings.options, settings.exclude);
  const diagnostics = new DiagnosticsView(engine, context.extensionUri);
  const codeActions = new KubeconnCodeActions(engine, diagnostics);
  const status = new StatusItem();
  context.subscriptions.push(engine, diagnostics, status);

  let catalogCache: { result: unknown; catalog: Catalog } | undefined;
  const catalog = (): Catalog | undefined => {
    const result = engine.result;
    if (!result) return undefined;
    if (catalogCache?.result !== result) {
      const groupBy = vscode.workspace.getConfiguration('kubeconn').get<string>('catalog.groupBy', 'auto');
      catalogCache = { result, catalog: buildCatalog(result, allRules, settings.options.rules ?? {}, groupBy === 'namespace' ? 'namespace' : 'system') };
    }
    return catalogCache.catalog;
  };
  const catalogTree = new CatalogTree(catalog);

  engine.onDidAnalyze(
    log.guard('publish', (result) => {
      diagnostics.publish(result);
      status.show(result, engine.workspace.files().length);
      catalogTree.refresh();
    }),
  );

  const selector: vscode.DocumentSelector = [{ scheme: 'file' }];
  const nonceOf = (): string => crypto.randomBytes(16).toString('base64');
  const panels = new Map<string, vscode.WebviewPanel>();
  const entityPageHtml = (id: string, nonce = nonceOf(), cspSource = "'self'"): string | undefined => {
    const current = catalog();
    const component = current?.components.find((c) => c.id === id);
    return component && current ? renderEntityPage(component, current, { nonce, cspSource }) : undefined;
  };
  const openEntityPage = (id: string): vscode.WebviewPanel | undefined => {
    const component = catalog()?.components.find((c) => c.id === id);
    if (!component) return undefined;
    let panel = panels.get(id);
    if (!panel) {
      panel = vscode.window.createWebviewPanel('kubeconn.entity', `${component.name} (kubeconn)`, vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [],
      });
      const p = panel;
      panels.set(id, p);
      p.onDidDispose(() => panels.delete(id));
      p.webview.onDidReceiveMessage(
        log.guard('entity page', (message: { type?: string; file?: unknown; start?: unknown; end?: unknown }) => {
          // Only places of files kubeconn analyses can be opened from the page.
          if (message.type !== 'open' || typeof message.file !== 'string' || !engine.workspace.has(message.file)) return;
          return openPlace(engine, message.file, Number(message.start) || 0, Number(message.end) || 0);
        }),
      );
    }
    panel.webview.html = entityPageHtml(id, nonceOf(), panel.webview.cspSource) ?? '';
    panel.reveal();
    return panel;
  };
  // Keep open pages current.
  engine.onDidAnalyze(log.guard('entity pages', () => {
    for (const [id, panel] of panels) panel.webview.html = entityPageHtml(id, nonceOf(), panel.webview.cspSource) ?? panel.webview.html;
  }));

  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(selector, codeActions, KubeconnCodeActions.metadata),
    vscode.languages.registerHoverProvider(selector, new KubeconnHover(engine, catalog)),
    vscode.window.registerTreeDataProvider('kubeconn.catalog', catalogTree),
    vscode.commands.registerCommand(SHOW_DOCS_COMMAND, log.guard('docs', async (ruleId: string) => {
      const uri = diagnostics.docsUri(ruleId);
      try {
        await vscode.commands.executeCommand('markdown.showPreview', uri);
      } catch {
        await vscode.window.showTextDocument(uri);
      }
    })),
    vscode.commands.registerCommand(OPEN_COMMAND, log.guard('open', (file: string, start: number, end: number) => openPlace(engine, file, start, end))),
    vscode.commands.registerCommand(ENTITY_PAGE_COMMAND, log.guard('entity page', (arg: string | { component?: { id: string } }) => {
      const id = typeof arg === 'string' ? arg : arg?.component?.id;
      if (id) openEntityPage(id);
    })),
    vscode.commands.registerCommand('kubeconn.rescan', log.guard('rescan', () => engine.scan())),
    vscode.commands.registerCommand('kubeconn.showLog', () => log.channel.show()),
    vscode.workspace.onDidChangeConfiguration(log.guard('settings', async (e: vscode.ConfigurationChangeEvent) => {
      if (!e.affectsConfiguration('kubeconn')) return;
      settings = readSettings();
      showSettingsErrors();
      catalogCache = undefined;
      log.info(`settings changed: ${JSON.stringify(settings.options)}; exclude ${JSON.stringify(settings.exclude)}`);
      await engine.configure(settings.options, settings.exclude);
      catalogTree.refresh();
    })),
  );

  const timings: KubeconnApi['timings'] = { activateMs: 0 };
  engine.listen();
  const ready = initKubeconn()
    .then(() => engine.scan())
    .then(() => {
      timings.firstScanMs = performance.now() - started;
      log.info(`first scan published ${timings.firstScanMs.toFixed(0)} ms after activation`);
    })
    .catch((error: unknown) => log.internalError('start-up', error));
  timings.activateMs = performance.now() - started;
  log.info(`activated in ${timings.activateMs.toFixed(1)} ms (${allRules.length} rules)`);

  return {
    engine,
    diagnostics,
    codeActions,
    catalogTree,
    log,
    ready,
    timings,
    catalog,
    entityPageHtml: (id, nonce) => entityPageHtml(id, nonce),
    openEntityPage,
    settingsErrors: () => settings.errors,
    status,
  };
}

export function deactivate(): void {}

async function openPlace(engine: Engine, file: string, start: number, end: number): Promise<void> {
  const uri = engine.uriOf(file);
  const doc = await vscode.workspace.openTextDocument(uri);
  const selection = new vscode.Range(doc.positionAt(start), doc.positionAt(end));
  await vscode.window.showTextDocument(doc, { selection, preview: true });
}
