// The status-bar item: while the language server scans, its progress ("kubeconn 1200/5000"); then the
// workspace's error and warning counts (parse problems included). A click opens the Problems panel.
import type { Counts, ServerStatus } from '../lsp/protocol.js';
import * as vscode from 'vscode';

export class StatusItem implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('kubeconn.status', vscode.StatusBarAlignment.Left, 10);
  counts: Counts = { errors: 0, warnings: 0, infos: 0 };
  last: ServerStatus | undefined;

  constructor() {
    this.item.name = 'kubeconn';
    this.item.command = 'workbench.actions.view.problems';
    this.item.text = '$(sync~spin) kubeconn';
    this.item.tooltip = 'kubeconn is starting';
    this.item.show();
  }

  update(status: ServerStatus): void {
    this.last = status;
    if (status.state === 'scanning' || status.state === 'starting') {
      const scan = status.scan;
      this.item.text = `$(sync~spin) kubeconn${scan && scan.total > 0 ? ` ${scan.done}/${scan.total}` : ''}`;
      this.item.tooltip = scan ? `kubeconn is scanning the workspace: ${scan.done} of ${scan.total} files read` : 'kubeconn is starting';
      return;
    }
    this.counts = status.counts;
    const { errors, warnings, infos } = status.counts;
    this.item.text = `$(error) ${errors} $(warning) ${warnings} kubeconn`;
    this.item.tooltip = `kubeconn: ${errors} errors, ${warnings} warnings, ${infos} infos in ${status.files} files — click for the Problems panel`;
  }

  dispose(): void {
    this.item.dispose();
  }
}
