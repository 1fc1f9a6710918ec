// The public API of the analysis core, shared by the CLI, the ESLint plugin and the VS Code extension.
export { Workspace, type AnalysisResult } from './workspace.js';
export type { Finding, Fix, ParseProblem, RelatedLocation, Severity, Span, TextEdit } from './finding.js';
export { defaultOptions, resolveOptions, OptionsError, type KubeconnOptions, type RuleLevel } from './options.js';
export { isAnalysable } from './facts/index.js';
export { applyEdits } from './edit.js';
export { docsPath, DOCS_BASE_URL, type Rule, type RuleMeta } from './rule.js';
export { allRules } from '../../rules/index.js';
export { LineIndex } from './text.js';

export { initKubeconn } from './init.js';
export { setWasmLocator } from './facts/treesitter.js';
