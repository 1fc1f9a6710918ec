// The status-bar item: kubeconn's error/warning counts across the workspace (parse problems included);
// a click opens the Problems panel.
import type { AnalysisResult } from '../api.js';
import * as vscode from 'vscode';

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countsOf(result: AnalysisResult): Counts {
  const counts: Counts = { errors: result.problems.length, warnings: 0, infos: 0 };
  for (const f of result.findings) {
    if (f.severity === 'error') counts.errors++;
    else if (f.severity === 'warning') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}

export class StatusItem implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('kubeconn.status', vscode.StatusBarAlignment.Left, 10);
  counts: Counts = { errors: 0, warnings: 0, infos: 0 };

  constructor() {
    this.item.name = 'kubeconn';
    this.item.command = 'workbench.actions.view.problems';
    this.scanning();
    this.item.show();
  }

  scanning(): void {
    this.item.text = '$(sync~spin) kubeconn';
    this.item.tooltip = 'kubeconn is scanning the workspace';
  }

  show(result: AnalysisResult, files: number): void {
    this.counts = countsOf(result);
    const { errors, warnings, infos } = this.counts;
    this.item.text = `$(error) ${errors} $(warning) ${warnings} kubeconn`;
    this.item.tooltip = `kubeconn: ${errors} errors, ${warnings} warnings, ${infos} infos in ${files} files — click for the Problems panel`;
  }

  dispose(): void {
    this.item.dispose();
  }
}
