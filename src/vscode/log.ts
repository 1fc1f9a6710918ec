// The output channel, and the one place internal errors go: logged with their stack, shown to the user
// once per session, never rethrown into the extension host (an event handler that throws would be
// reported by VS Code against the extension and could leave half-applied state behind).
import * as vscode from 'vscode';

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private shownError = false;
  /** Internal errors seen this session (tests read it to prove nothing failed silently). */
  readonly errors: Error[] = [];

  constructor() {
    this.channel = vscode.window.createOutputChannel('kubeconn', { log: true });
  }

  /** The last lines logged (tests print them when something times out). */
  readonly recent: string[] = [];

  private remember(line: string): void {
    this.recent.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (this.recent.length > 200) this.recent.shift();
  }

  debug(message: string): void {
    this.remember(message);
    this.channel.debug(message);
  }

  info(message: string): void {
    this.remember(message);
    this.channel.info(message);
  }

  warn(message: string): void {
    this.remember(message);
    this.channel.warn(message);
  }

  /** Log an internal error and tell the user once; the caller carries on with the previous state. */
  internalError(context: string, error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    this.errors.push(err);
    this.remember(`ERROR ${context}: ${err.message}`);
    this.channel.error(`${context}: ${err.stack ?? err.message}`);
    if (this.shownError) return;
    this.shownError = true;
    void vscode.window
      .showErrorMessage(
        `kubeconn hit an internal error (${context}): ${err.message}. Your files are untouched; details are in the kubeconn output.`,
        'Show log',
      )
      .then((choice) => {
        if (choice) this.channel.show(true);
      });
  }

  /**
   * Wrap an event handler or command so that nothing it throws (or rejects with) escapes into VS Code.
   * An async handler's promise is returned (settling to undefined on error), so commands can be awaited.
   */
  guard<A extends unknown[]>(context: string, fn: (...args: A) => unknown): (...args: A) => unknown {
    return (...args: A) => {
      try {
        const result = fn(...args);
        if (result instanceof Promise)
          return result.catch((e: unknown) => {
            this.internalError(context, e);
          });
        return result;
      } catch (e) {
        this.internalError(context, e);
        return undefined;
      }
    };
  }

  dispose(): void {
    this.channel.dispose();
  }
}
