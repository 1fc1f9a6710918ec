// The shape of a rule: metadata (docs, messages, default severity) and a check over the whole graph that
// reports on the entity it examines. Rules do no I/O; fixes are edits computed at report time.
import type { Fix, Severity, Span, TextEdit } from './finding.js';
import type { AnalysisModel } from './model/index.js';
import type { KubeconnOptions } from './options.js';

export type RuleCategory = 'balancing' | 'shutdown' | 'signals' | 'keepalive';

export interface RuleMeta {
  type: 'problem' | 'suggestion';
  category: RuleCategory;
  /** One sentence, starts with a verb ("Disallow …", "Require …"); equals the first line of the docs page. */
  description: string;
  /** One sentence telling the user what to do (kube-linter's `remediation`): SARIF help, `kubeconn rules`. */
  remediation: string;
  /** Severity of a finding that does not set its own. */
  severity: Severity;
  messages: Record<string, string>;
  /** Whether some findings carry a safe fix (applied by --fix). */
  fixable?: boolean;
  /** Whether some findings carry suggestions. */
  hasSuggestions?: boolean;
  /** Part of configs.recommended (default true). */
  recommended?: boolean;
}

export interface FixDescriptor {
  messageId: string;
  data?: Record<string, unknown>;
  edits: TextEdit[];
}

export interface ReportDescriptor {
  messageId: string;
  data?: Record<string, unknown>;
  at: Span;
  /** Overrides meta.severity for this finding (e.g. a warning for a tight margin, an error for none). */
  severity?: Severity;
  related?: { at: Span; message: string }[];
  fix?: FixDescriptor;
  suggest?: FixDescriptor[];
}

export interface RuleContext {
  /** The analysis model: every object, link and verdict of the workspace, read-only. */
  model: AnalysisModel;
  options: KubeconnOptions;
  report(descriptor: ReportDescriptor): void;
  /**
   * Run `check` for each entity (Services, workloads, containers, code sites, files). An exception in one
   * becomes an internal-error notice naming the rule and that entity; the other entities are still checked.
   */
  each<T>(entities: Iterable<T>, check: (entity: T) => void): void;
}

export interface Rule {
  id: string;
  meta: RuleMeta;
  check(context: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  for (const key of Object.keys(rule.meta.messages)) {
    if (!/^[a-z][A-Za-z0-9]*$/.test(key)) throw new Error(`rule ${rule.id}: messageId ${key} is not camelCase`);
  }
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule.id)) throw new Error(`rule id ${rule.id} is not kebab-case`);
  return rule;
}

/** The docs page of a rule, relative to the repository (front ends turn it into a file or web URL). */
export function docsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

export const DOCS_BASE_URL = 'https://github.com/kubeconn/kubeconn/blob/main/';

export type { Fix, Span };
