// Hovers: the core says what the hovered thing links to (catalog/hover.ts); this renders it as Markdown with
// links that open the places it names.
import * as vscode from 'vscode';
import { hoverAt, type Catalog, type Place } from '../api.js';
import type { Engine } from './engine.js';

export class KubeconnHover implements vscode.HoverProvider {
  constructor(
    private readonly engine: Engine,
    private readonly catalog: () => Catalog | undefined,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!this.engine.wants(document.uri)) return undefined;
    const result = this.engine.analyzeNow();
    const catalog = this.catalog();
    if (!result || !catalog || this.engine.workspace.text(this.engine.key(document.uri)) !== document.getText()) return undefined;
    const content = hoverAt(result, catalog, this.engine.key(document.uri), document.offsetAt(position));
    if (!content) return undefined;
    const md = new vscode.MarkdownString(content.lines.map((line) => line.map((part) => (typeof part === 'string' ? part : this.link(part))).join('')).join('\n\n'));
    return new vscode.Hover(md, new vscode.Range(document.positionAt(content.start), document.positionAt(content.end)));
  }

  private link(p: Place): string {
    const facts = this.engine.workspace.factsOf(p.file);
    const line = facts ? facts.lines.position(p.start).line : 1;
    const uri = this.engine.uriOf(p.file).with({ fragment: `L${line}` });
    return `[${p.label.replace(/[[\]]/g, '')}](${uri.toString()})`;
  }
}
