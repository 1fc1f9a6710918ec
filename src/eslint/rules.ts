// One ESLint rule per kubeconn rule, generated from the rule modules: each reports the core's findings
// of its rule for the file being linted. Fixes and suggestions whose edits stay in that file become ESLint
// fixes and suggestions; edits that span files are editor-only (the language server applies them).
// Rules declare no `meta.languages`: they read only the source text, so they run under kubeconn's languages,
// ESLint's JavaScript, typescript-eslint's parser or eslint-plugin-yml's language alike.
import { DOCS_BASE_URL, docsPath, type Finding, type Fix, type Rule } from '../api.js';
import { analyseForEslint } from './engine.js';

interface Loc {
  line: number;
  column: number;
}

interface EslintFixer {
  replaceTextRange(range: [number, number], text: string): unknown;
}

interface EslintContext {
  filename: string;
  physicalFilename: string;
  cwd: string;
  settings: { kubeconn?: unknown };
  sourceCode: { text: string; getLocFromIndex(index: number): Loc };
  report(descriptor: unknown): void;
}

export function toEslintRule(rule: Rule): object {
  return {
    meta: {
      type: rule.meta.type,
      docs: { description: rule.meta.description, url: DOCS_BASE_URL + docsPath(rule.id), recommended: rule.meta.recommended !== false },
      fixable: rule.meta.fixable ? 'code' : undefined,
      hasSuggestions: rule.meta.hasSuggestions ?? false,
      schema: [],
      messages: {},
    },
    create(context: EslintContext) {
      return {
        Program() {
          const file = context.physicalFilename ?? context.filename;
          const { findings, notices, configProblems } = analyseForEslint(
            context.cwd,
            file,
            context.sourceCode.text,
            context.settings?.kubeconn,
          );
          // Config problems and failed model steps (no rule of their own) are reported once per file.
          const steps = notices.filter((n) => n.ruleId === '');
          if ((configProblems.length > 0 || steps.length > 0) && claimConfigReport(context.sourceCode)) {
            for (const p of configProblems) {
              context.report({ message: `kubeconn config: ${p.source}:${p.line}:${p.column}: ${p.message}`, loc: { line: 1, column: 0 } });
            }
            for (const n of steps) context.report({ message: n.message, loc: { line: 1, column: 0 } });
          }
          for (const finding of findings) {
            if (finding.ruleId !== rule.id) continue;
            context.report(toDescriptor(finding, context));
          }
          // This rule failed: on an entity of this file (reported there), or before reaching one (reported on
          // every file, since it may have missed something anywhere). ESLint itself keeps running.
          for (const n of notices) {
            if (n.ruleId === rule.id) context.report({ message: n.message, loc: { line: n.line, column: n.column - 1 } });
          }
        },
      };
    },
  };
}

/**
 * Config problems are reported by the first kubeconn rule that runs on a file, not by all of them: every
 * rule of one lint pass shares that pass's SourceCode object.
 */
const configReported = new WeakSet();
function claimConfigReport(sourceCode: object): boolean {
  if (configReported.has(sourceCode)) return false;
  configReported.add(sourceCode);
  return true;
}

function toDescriptor(finding: Finding, context: EslintContext): object {
  const { sourceCode } = context;
  const local = (fix: Fix): boolean => fix.edits.every((e) => e.file === finding.file);
  const fixer = (fix: Fix) => (f: EslintFixer) => fix.edits.map((e) => f.replaceTextRange([e.start, e.end], e.text));
  return {
    message: finding.message,
    loc: { start: sourceCode.getLocFromIndex(finding.start), end: sourceCode.getLocFromIndex(finding.end) },
    fix: finding.fix && local(finding.fix) ? fixer(finding.fix) : undefined,
    suggest: finding.suggestions.filter(local).map((s) => ({ desc: s.message, fix: fixer(s) })),
  };
}
