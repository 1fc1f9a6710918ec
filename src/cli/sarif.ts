// SARIF 2.1.0 output of `kubeconn check --format sarif`, for GitHub code scanning and other SARIF viewers.
// One run, tool.driver "kubeconn" with one rules[] entry per rule (descriptions, help, docs link), results
// with related locations (the cross-file evidence) and fixes (safe fixes only), paths relative to the
// analysed root under the %SRCROOT% base id. Parse problems are tool execution notifications.
// test/cli/sarif.test.ts validates the output against the official SARIF 2.1.0 schema.
import { DOCS_BASE_URL, docsPath, type Finding, LineIndex, type ParseProblem, type Rule, type Severity, type TextEdit } from '../api.js';
import path from 'node:path';
import { pushTo } from '../api.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SRCROOT = '%SRCROOT%';

export interface SarifInput {
  rules: readonly Rule[];
  version: string;
  /** The analysed root: every artifact URI is relative to it. */
  root: string;
  findings: readonly Finding[];
  problems: readonly ParseProblem[];
  /** File texts, for fix regions. */
  textOf(file: string): string | undefined;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function toSarif(input: SarifInput): object {
  const ruleIndex = new Map(input.rules.map((r, i) => [r.id, i]));
  const lineIndexes = new Map<string, LineIndex | undefined>();
  const lines = (file: string): LineIndex | undefined => {
    if (!lineIndexes.has(file)) {
      const text = input.textOf(file);
      lineIndexes.set(file, text === undefined ? undefined : new LineIndex(text));
    }
    return lineIndexes.get(file);
  };
  const artifact = (file: string) => ({ uri: relativeUri(input.root, file), uriBaseId: SRCROOT });
  const region = (file: string, start: number, end: number) => {
    const index = lines(file);
    if (!index) return { startLine: 1, startColumn: 1 };
    const a = index.position(start);
    const b = index.position(end);
    return { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column };
  };
  const results = input.findings.map((f) => {
    const result: Record<string, unknown> = {
      ruleId: `kubeconn/${f.ruleId}`,
      ruleIndex: ruleIndex.get(f.ruleId) ?? -1,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifact(f.file),
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          },
        },
      ],
    };
    if (f.related.length > 0) {
      result.relatedLocations = f.related.map((r, id) => ({
        id,
        message: { text: r.message },
        physicalLocation: {
          artifactLocation: artifact(r.file),
          region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn },
        },
      }));
    }
    if (f.fix && f.fix.edits.length > 0) {
      const byFile = new Map<string, TextEdit[]>();
      for (const e of f.fix.edits) pushTo(byFile, e.file, e);
      result.fixes = [
        {
          description: { text: f.fix.message || 'Apply the fix' },
          artifactChanges: [...byFile].map(([file, edits]) => ({
            artifactLocation: artifact(file),
            replacements: edits.map((e) => ({ deletedRegion: region(file, e.start, e.end), insertedContent: { text: e.text } })),
          })),
        },
      ];
    }
    return result;
  });
  const notifications = input.problems.map((p) => ({
    level: p.kind === 'skipped' ? 'note' : 'error',
    message: { text: p.message },
    locations: [{ physicalLocation: { artifactLocation: artifact(p.file), region: { startLine: p.line, startColumn: p.column } } }],
    descriptor: { id: p.kind === 'syntax' ? 'parse-error' : p.kind === 'skipped' ? 'file-skipped' : 'internal-error' },
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kubeconn',
            version: input.version,
            semanticVersion: input.version,
            informationUri: 'https://github.com/kubeconn/kubeconn',
            rules: input.rules.map((rule) => ruleDescriptor(rule)),
          },
        },
        invocations: [
          { executionSuccessful: !input.problems.some((p) => p.kind === 'internal'), toolExecutionNotifications: notifications },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

function ruleDescriptor(rule: Rule): object {
  const helpUri = DOCS_BASE_URL + docsPath(rule.id);
  return {
    id: `kubeconn/${rule.id}`,
    name: rule.id,
    shortDescription: { text: rule.meta.description },
    fullDescription: { text: `${rule.meta.description}. ${rule.meta.remediation}` },
    help: {
      text: `${rule.meta.remediation} See ${helpUri}`,
      markdown: `**${rule.meta.description}.**\n\n${rule.meta.remediation}\n\n[Documentation: ${rule.id}](${helpUri})`,
    },
    helpUri,
    defaultConfiguration: { level: LEVEL[rule.meta.severity] },
    properties: { category: rule.meta.category, tags: ['kubernetes', rule.meta.category] },
  };
}

/** A path relative to the root as a URI reference (forward slashes, percent-encoded). */
export function relativeUri(root: string, file: string): string {
  const rel = path.relative(root, file).split(path.sep).join('/');
  return rel.split('/').map(encodeURIComponent).join('/');
}
