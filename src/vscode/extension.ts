// The VS Code extension: a thin client of kubeconn's language server (src/lsp, bundled next to this file as
// dist-vscode/server.cjs and run in its own Node process), as vscode-eslint is of ESLint's. No analysis
// runs in the extension host: diagnostics, code actions and hovers come over LSP; this file adds what LSP
// has no words for — the catalog view and entity pages (fed by `kubeconn/catalog`), the status bar with
// scan progress, the rescan and docs commands, settings sent as the user set them, and the output channel.
// activate() returns a small API that the extension's own tests drive.
import path from 'node:path';
import crypto from 'node:crypto';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import {
  CATALOG_REQUEST,
  type InitializationOptions,
  RESCAN_REQUEST,
  type ServerStatus,
  SHOW_DOCS_COMMAND,
  STATUS_NOTIFICATION,
  STATUS_REQUEST,
  type StatusParams,
  type WireCatalog,
} from '../lsp/protocol.js';
import { renderEntityPage } from './catalog/page.js';
import { CatalogTree, ENTITY_PAGE_COMMAND, OPEN_COMMAND } from './catalog/tree.js';
import { Log } from './log.js';
import { StatusItem } from './status.js';

export interface KubeconnApi {
  client: LanguageClient;
  log: Log;
  status: StatusItem;
  catalogTree: CatalogTree;
  /** Resolves once the server has published its first scan. */
  ready: Promise<void>;
  /** Milliseconds from activate() being called to returning / to the first scan being published. */
  timings: { activateMs: number; firstScanMs?: number };
  serverStatus(params?: StatusParams): Promise<ServerStatus>;
  /** The server's status once no scan or analysis is pending (its diagnostics are on their way). */
  idle(): Promise<ServerStatus>;
  /** The current catalog (fetched again after every analysis). */
  catalog(): Promise<WireCatalog | undefined>;
  /** The entity page's HTML for a component id (as the webview gets it), or undefined. */
  entityPageHtml(componentId: string, nonce?: string): Promise<string | undefined>;
  openEntityPage(componentId: string): Promise<vscode.WebviewPanel | undefined>;
}

/** The `kubeconn.*` settings the server reads; only values the user set are sent (see explicitSettings). */
const SETTINGS = ['kubernetesVersion', 'preStopSeconds', 'drainSeconds', 'rules', 'exclude', 'imageMap', 'catalog.groupBy'] as const;

/**
 * The settings the user set (user, workspace or folder level), without the manifest's defaults, so that a
 * value written in `.kubeconn.yaml` is not overridden by a default nobody chose.
 */
export function explicitSettings(scope: vscode.Uri | undefined): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('kubeconn', scope);
  const out: Record<string, unknown> = {};
  for (const key of SETTINGS) {
    const i = config.inspect(key);
    const value = i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
    if (value === undefined) continue;
    const [head, tail] = key.split('.') as [string, string | undefined];
    if (tail) out[head] = { ...(out[head] as object | undefined), [tail]: value };
    else out[head] = value;
  }
  return out;
}

export function activate(context: vscode.ExtensionContext): KubeconnApi {
  const started = performance.now();
  const log = new Log();
  const status = new StatusItem();
  context.subscriptions.push(log, status);

  const serverModule = context.asAbsolutePath(path.join('dist-vscode', 'server.cjs'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions = {
    // The rule pages ship inside the extension.
    docsBaseUri: `${vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules').toString()}/`,
    // VS Code shows the diagnostics at a position in its hover already (merged per rule by the server).
    hoverFindings: false,
    clientCommands: [SHOW_DOCS_COMMAND],
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file' }],
    diagnosticCollectionName: 'kubeconn',
    outputChannel: log.channel,
    initializationOptions,
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const defaults = await next(params, token);
          if (!Array.isArray(defaults)) return defaults;
          return params.items.map((item, i) =>
            item.section === 'kubeconn'
              ? explicitSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
              : (defaults as unknown[])[i],
          );
        },
      },
    },
  };
  const client = new LanguageClient('kubeconn', 'kubeconn', serverOptions, clientOptions);

  // The catalog: fetched when the view or a page asks, after each analysis the server announces.
  let analyses = -1;
  let fetched: { analyses: number; catalog: Promise<WireCatalog | undefined> } | undefined;
  const catalog = (): Promise<WireCatalog | undefined> => {
    if (!fetched || fetched.analyses !== analyses) {
      const request = client.sendRequest<WireCatalog | null>(CATALOG_REQUEST, {}).then(
        (c) => c ?? undefined,
        (error: unknown) => (log.internalError('catalog', error), undefined),
      );
      fetched = { analyses, catalog: request };
    }
    return fetched.catalog;
  };
  const catalogTree = new CatalogTree(catalog);

  const panels = new Map<string, vscode.WebviewPanel>();
  const nonceOf = (): string => crypto.randomBytes(16).toString('base64');
  const entityPageHtml = async (id: string, nonce = nonceOf(), cspSource = "'self'"): Promise<string | undefined> => {
    const current = await catalog();
    const component = current?.components.find((c) => c.id === id);
    return component && current ? renderEntityPage(component, current, { nonce, cspSource }) : undefined;
  };
  const openEntityPage = async (id: string): Promise<vscode.WebviewPanel | undefined> => {
    const component = (await catalog())?.components.find((c) => c.id === id);
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
        log.guard('entity page', (message: { type?: string; uri?: unknown; range?: unknown; id?: unknown }) => {
          if (message.type === 'entity' && typeof message.id === 'string') return openEntityPage(message.id);
          if (message.type !== 'open' || typeof message.uri !== 'string') return;
          // Only places in the workspace can be opened from the page.
          const uri = vscode.Uri.parse(message.uri);
          if (uri.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(uri)) return;
          return openPlace(message.uri, message.range as Range);
        }),
      );
    }
    panel.webview.html = (await entityPageHtml(id, nonceOf(), panel.webview.cspSource)) ?? '';
    panel.reveal();
    return panel;
  };

  const timings: KubeconnApi['timings'] = { activateMs: 0 };
  client.onNotification(STATUS_NOTIFICATION, (s: ServerStatus) => void onStatus(s));
  const onStatus = log.guard('status', (s: ServerStatus) => {
    status.update(s);
    if (s.analyses === analyses) return;
    analyses = s.analyses;
    catalogTree.refresh();
    for (const [id, panel] of panels)
      void entityPageHtml(id, nonceOf(), panel.webview.cspSource).then((html) => html && (panel.webview.html = html));
  });
  const serverStatus = (params: StatusParams = {}): Promise<ServerStatus> => client.sendRequest<ServerStatus>(STATUS_REQUEST, params);

  context.subscriptions.push(
    client,
    vscode.window.registerTreeDataProvider('kubeconn.catalog', catalogTree),
    vscode.commands.registerCommand(
      SHOW_DOCS_COMMAND,
      log.guard('docs', async (ruleId: string) => {
        const uri = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${ruleId}.md`);
        try {
          await vscode.commands.executeCommand('markdown.showPreview', uri);
        } catch {
          await vscode.window.showTextDocument(uri);
        }
      }),
    ),
    vscode.commands.registerCommand(
      OPEN_COMMAND,
      log.guard('open', (uri: string, range: Range) => openPlace(uri, range)),
    ),
    vscode.commands.registerCommand(
      ENTITY_PAGE_COMMAND,
      log.guard('entity page', (arg: string | { component?: { id: string } }) => {
        const id = typeof arg === 'string' ? arg : arg?.component?.id;
        return id ? openEntityPage(id) : undefined;
      }),
    ),
    vscode.commands.registerCommand(
      'kubeconn.rescan',
      log.guard('rescan', () => client.sendRequest(RESCAN_REQUEST, {})),
    ),
    vscode.commands.registerCommand('kubeconn.showLog', () => {
      log.channel.show();
    }),
  );

  const ready = client
    .start()
    .then(() => serverStatus({ waitForIdle: true }))
    .then((s) => {
      status.update(s);
      timings.firstScanMs = performance.now() - started;
      log.info(`first scan published ${timings.firstScanMs.toFixed(0)} ms after activation (${s.files} files)`);
    })
    .catch((error: unknown) => {
      log.internalError('start-up', error);
    });
  timings.activateMs = performance.now() - started;

  return {
    client,
    log,
    status,
    catalogTree,
    ready,
    timings,
    serverStatus,
    idle: () => serverStatus({ waitForIdle: true }),
    catalog,
    entityPageHtml: (id, nonce) => entityPageHtml(id, nonce),
    openEntityPage,
  };
}

export function deactivate(): void {}

interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

async function openPlace(uri: string, range: Range | undefined): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const selection = range ? new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character) : undefined;
  await vscode.window.showTextDocument(doc, { ...(selection ? { selection } : {}), preview: true });
}
