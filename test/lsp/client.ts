// A minimal LSP client for the protocol tests: spawns `kubeconn lsp --stdio` (the real binary), speaks
// JSON-RPC over its stdio with vscode-jsonrpc, and records what the server pushes (diagnostics, status,
// progress, messages, registrations) so tests can wait for it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams, TextEdit } from 'vscode-languageserver-protocol';
import type { ServerStatus } from '../../src/lsp/protocol.js';
import { repoRoot } from '../helpers/paths.js';

export interface ClientOptions {
  folders: string[];
  initializationOptions?: Record<string, unknown>;
  /** Answers to workspace/configuration (the `kubeconn` section); undefined: the client does not support it. */
  settings?: () => unknown;
  /** Advertise dynamic registration of watched files and configuration. */
  dynamic?: boolean;
  workDoneProgress?: boolean;
  /** Advertise `codeAction/resolve` of edits (as vscode-languageclient does). */
  resolveEdits?: boolean;
  /** Server command line (default: node bin/kubeconn.js lsp --stdio). */
  command?: string[];
}

export class TestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly statuses: ServerStatus[] = [];
  readonly progress: unknown[] = [];
  readonly messages: { type: number; message: string }[] = [];
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  readonly stderr: string[] = [];
  initializeResult: InitializeResult | undefined;
  private versions = new Map<string, number>();
  private waiters: (() => void)[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly connection: MessageConnection,
  ) {}

  static async start(opts: ClientOptions): Promise<TestClient> {
    const args = opts.command ?? [path.join(repoRoot, 'bin', 'kubeconn.js'), 'lsp', '--stdio'];
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new TestClient(child, connection);
    child.stderr.on('data', (b: Buffer) => client.stderr.push(b.toString()));
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      client.diagnostics.set(p.uri, p.diagnostics);
      client.changed();
    });
    connection.onNotification('kubeconn/statusChanged', (s: ServerStatus) => {
      client.statuses.push(s);
      client.changed();
    });
    connection.onNotification('$/progress', (p: unknown) => {
      client.progress.push(p);
      client.changed();
    });
    connection.onNotification('window/showMessage', (m: { type: number; message: string }) => {
      client.messages.push(m);
      client.changed();
    });
    connection.onNotification('window/logMessage', () => {});
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('window/showMessageRequest', (m: { type: number; message: string }) => {
      client.messages.push({ type: m.type, message: m.message });
      client.changed();
      return null;
    });
    connection.onRequest('client/registerCapability', (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      client.registrations.push(...p.registrations);
      return null;
    });
    connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => opts.settings?.() ?? null));
    connection.listen();
    client.initializeResult = await connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: opts.folders[0] ? pathToFileURL(opts.folders[0]).href : null,
      workspaceFolders: opts.folders.map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) })),
      initializationOptions: opts.initializationOptions ?? {},
      capabilities: {
        workspace: {
          configuration: opts.settings !== undefined,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: opts.dynamic ?? false },
          didChangeWatchedFiles: { dynamicRegistration: opts.dynamic ?? false },
          workspaceEdit: { documentChanges: false },
        },
        window: { workDoneProgress: opts.workDoneProgress ?? false, showDocument: { support: true } },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } },
            isPreferredSupport: true,
            ...(opts.resolveEdits ? { dataSupport: true, resolveSupport: { properties: ['edit'] } } : {}),
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
      },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  private changed(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolve with probe()'s value once it is truthy (re-checked on every server notification). */
  async waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; server stderr:\n${this.stderr.join('')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  idle(files?: string[]): Promise<ServerStatus> {
    return this.connection.sendRequest('kubeconn/status', { waitForIdle: true, ...(files ? { files: files.map(uriOf) } : {}) });
  }

  diagnosticsOf(file: string, code?: string): Diagnostic[] {
    return (this.diagnostics.get(uriOf(file)) ?? []).filter((d) => code === undefined || d.code === code);
  }

  open(file: string, text: string, languageId = 'yaml'): void {
    this.versions.set(file, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId, version: 1, text } });
  }

  change(file: string, text: string): void {
    const version = (this.versions.get(file) ?? 1) + 1;
    this.versions.set(file, version);
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uriOf(file), version },
      contentChanges: [{ text }],
    });
  }

  close(file: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(file) } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  notify(method: string, params: unknown): void {
    void this.connection.sendNotification(method, params);
  }

  /** shutdown + exit; resolves with the server's exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    if (this.child.exitCode !== null) return this.child.exitCode;
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    // Generous: under a loaded machine (the whole suite in parallel on 2 cores) a process can take seconds.
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 20_000)))]);
    clearTimeout(timer);
    this.connection.dispose();
    if (code === 'timeout') {
      this.child.kill('SIGKILL');
      throw new Error('the server did not exit after shutdown/exit');
    }
    return code;
  }
}

export const uriOf = (file: string): string => pathToFileURL(file).href;

/** Apply LSP text edits (non-overlapping, any order) to a text, as an editor would. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const offset = (p: { line: number; character: number }) => (starts[p.line] ?? text.length) + p.character;
  const sorted = edits
    .map((e, i) => ({ e, i, start: offset(e.range.start), end: offset(e.range.end) }))
    .sort((a, b) => b.start - a.start || b.i - a.i);
  let out = text;
  for (const { e, start, end } of sorted) out = out.slice(0, start) + e.newText + out.slice(end);
  return out;
}
