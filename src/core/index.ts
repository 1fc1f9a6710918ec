// The public API of the analysis core: everything a front end (CLI, ESLint plugin, language server, VS Code
// extension) uses, and nothing else; front ends import the core only from here. The rule registry is not
// part of the core: front ends pass it to the Workspace (src/api.ts wires the default one).
export { Workspace, type AnalysisResult, type AnalyzeOptions } from './workspace.js';
export type { RuleNotice } from './engine.js';
export { AnalysisModel } from './model/index.js';
export type { Finding, Fix, Located, ParseProblem, RelatedLocation, Severity, Span, TextEdit, TextRange } from './finding.js';
export { compareFindings } from './finding.js';
export { defaultOptions, resolveOptions, OptionsError, type KubeconnOptions, type RuleLevel } from './options.js';
export {
  CONFIG_FILE_NAMES,
  configSchema,
  configToOptions,
  mergeOptions,
  parseConfigFile,
  validateConfig,
  type ConfigProblem,
  type UserConfig,
} from './config.js';
export { commentSyntaxOf, extractFacts, isAnalysable, tooLargeMessage, type CommentSyntax, type FileFacts } from './facts/index.js';
export { applyEdits, editKey, fixKey, selectFixes } from './edit.js';
export { docsPath, DOCS_BASE_URL, type Rule, type RuleCategory, type RuleMeta } from './rule.js';
export { escapeRegExp, LineIndex } from './text.js';
export { groupByFile, pushTo } from './multimap.js';
export { globProblem } from './glob-pattern.js';
export { generatorInputs } from './facts/kustomization.js';
export { escapeMarkdown, markdownCode, markdownHref, printable } from './markdown.js';
export { initKubeconn } from './init.js';
export { setWasmLocator } from './facts/treesitter.js';
export { disableLineEdit, disableObjectEdit } from './suppress-edits.js';
export {
  buildCatalog,
  checkOf,
  CHECKS,
  serviceId,
  type Catalog,
  type CatalogOptions,
  type Check,
  type CheckId,
  type CheckStatus,
  type Component,
  type Edge,
  type Group,
  type Place,
} from './catalog/model.js';
export { hoverAt, type HoverContent, type HoverLine } from './catalog/hover.js';
// The analysis in parts, for front ends that spread it over threads (src/node/parallel.ts).
export { analyzePart, partKeys, type PartKeys, type PartResult } from './parts.js';
export { Components, Islands, structureOf, unitKeys, type FileKeys, type Structure } from './islands.js';
export { folderUnits } from './units/folders.js';
export { skippedFacts } from './facts/index.js';
export { isKustomizationFile } from './facts/kustomization.js';
export type { DeploymentUnit, K8sObject } from './facts/manifests.js';
export type { FileNames } from './model/index.js';
