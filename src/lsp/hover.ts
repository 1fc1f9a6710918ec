// Hovers: what the hovered thing links to (the core's hoverAt: a Service's workloads and callers, an image's
// Dockerfile, a dial target's Service) as Markdown links to the places it names, and — for editors that do
// not show diagnostics in hovers themselves — the findings at the position grouped by rule, each rule once
// with its targets listed once.
import { type AnalysisResult, type Catalog, escapeMarkdown, type FileFacts, hoverAt, markdownHref, type Place } from '../api.js';
import type { Hover } from 'vscode-languageserver';
import type { FindingGroup, Naming } from './diagnostics.js';
import { pushTo } from '../api.js';

export function hoverFor(
  result: AnalysisResult,
  catalog: Catalog,
  facts: FileFacts,
  offset: number,
  groups: readonly FindingGroup[],
  naming: Naming,
  withFindings: boolean,
  lineOf: (file: string, offset: number) => number | undefined,
): Hover | undefined {
  const content = hoverAt(result, catalog, facts.file, offset, (file) => naming.relative(file));
  const position = facts.lines.position(offset);
  const here = withFindings
    ? groups.filter((g) => {
        const after = (a: { line: number; character: number }, line: number, character: number) =>
          a.line < line || (a.line === line && a.character <= character);
        return (
          after(g.range.start, position.line - 1, position.column - 1) &&
          after({ line: position.line - 1, character: position.column - 1 }, g.range.end.line, g.range.end.character)
        );
      })
    : [];
  if (!content && here.length === 0) return undefined;
  const link = (p: Place): string => {
    const line = p.line ?? lineOf(p.file, p.start);
    // Labels and file names come from the workspace: escaped text, and a link only to a file (never `command:`).
    const href = markdownHref(`${naming.uriOf(p.file)}${line ? `#L${line}` : ''}`);
    return href ? `[${escapeMarkdown(p.label)}](${href})` : escapeMarkdown(p.label);
  };
  const paragraphs: string[] = [];
  if (content) paragraphs.push(...content.lines.map((line) => line.map((part) => (typeof part === 'string' ? part : link(part))).join('')));
  // One paragraph per rule: its groups' (already merged) messages.
  const byRule = new Map<string, FindingGroup[]>();
  for (const g of here) pushTo(byRule, g.ruleId, g);
  for (const [ruleId, list] of byRule) {
    const count = list.reduce((n, g) => n + g.findings.length, 0);
    paragraphs.push(
      `**[kubeconn/${ruleId}](${naming.docsHref(ruleId)})**${count > 1 ? ` (${count} findings)` : ''}: ${list.map((g) => escapeMarkdown(naming.clean(g.message))).join(' ')}`,
    );
  }
  const start = content ? facts.lines.position(content.start) : undefined;
  const end = content ? facts.lines.position(content.end) : undefined;
  return {
    contents: { kind: 'markdown', value: paragraphs.join('\n\n') },
    ...(start && end
      ? { range: { start: { line: start.line - 1, character: start.column - 1 }, end: { line: end.line - 1, character: end.column - 1 } } }
      : {}),
  };
}
