// Suppressions: ESLint-style directive comments (`# eslint-disable-next-line kubeconn/prestop-sleep`,
// `eslint-disable-line`, `eslint-disable` … `eslint-enable` blocks) and the per-object annotation
// `kubeconn.io/ignore: "prestop-sleep,readiness-probe"` (or `all`). Under ESLint, ESLint reads the
// comments itself; the engine applies them in the CLI and the editor.
import type { CommentSyntax, FileFacts } from './facts/index.js';
import type { Finding } from './finding.js';
import type { K8sObject } from './facts/manifests.js';
import { getIn, stringMap } from './facts/yaml-util.js';

export const IGNORE_ANNOTATION = 'kubeconn.io/ignore';
export const RULE_PREFIX = 'kubeconn/';

interface Directive {
  type: 'disable' | 'enable' | 'disable-line' | 'disable-next-line';
  line: number;
  /** Rule ids without the prefix; empty means every rule. */
  rules: string[];
}

const HASH = /(?:^|\s)#\s*eslint-(disable-next-line|disable-line|disable|enable)(?=\s|$)([^\n]*)/;
const SLASH = /(?:\/\/|\/\*)\s*eslint-(disable-next-line|disable-line|disable|enable)(?=\s|\*|$)([^\n]*)/;

export function parseDirectives(text: string, syntax: CommentSyntax): Directive[] {
  if (!text.includes('eslint-')) return [];
  const pattern = syntax === 'hash' ? HASH : SLASH;
  const out: Directive[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const m = pattern.exec(line);
    if (!m) return;
    const list = m[2]!.replace(/\*\/.*$/, '').split(/\s--\s|\s--$/)[0]!;
    const rules = list
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean)
      .filter((r) => r.startsWith(RULE_PREFIX))
      .map((r) => r.slice(RULE_PREFIX.length));
    // A directive naming only other plugins' rules does not concern us.
    if (list.trim() !== '' && rules.length === 0) return;
    out.push({ type: m[1] as Directive['type'], line: i + 1, rules });
  });
  return out;
}

function covers(d: Directive, ruleId: string): boolean {
  return d.rules.length === 0 || d.rules.includes(ruleId);
}

export function isSuppressedByComment(finding: Finding, directives: readonly Directive[]): boolean {
  let blockDisabled = false;
  for (const d of directives) {
    if (d.line > finding.line) break;
    if (d.type === 'disable' && covers(d, finding.ruleId)) blockDisabled = true;
    if (d.type === 'enable' && covers(d, finding.ruleId)) blockDisabled = false;
  }
  if (blockDisabled) return true;
  return directives.some(
    (d) =>
      covers(d, finding.ruleId) &&
      ((d.type === 'disable-line' && d.line === finding.line) || (d.type === 'disable-next-line' && d.line === finding.line - 1)),
  );
}

/** Rule ids an object's annotation switches off (`all` for every rule). */
export function ignoredByAnnotation(annotations: Record<string, string>): Set<string> {
  const value = annotations[IGNORE_ANNOTATION];
  return new Set(
    (value ?? '')
      .split(',')
      .map((s) => s.trim().replace(RULE_PREFIX, ''))
      .filter(Boolean),
  );
}

/** The annotation on the object itself, or on its pod template (where pod-level settings usually live). */
export function isSuppressedByAnnotation(finding: Finding, facts: FileFacts | undefined): boolean {
  if (!facts?.manifests) return false;
  for (const { span, ignored } of ignoreSpans(facts)) {
    if (finding.start < span[0] || finding.start > span[1]) continue;
    if (ignored.has('all') || ignored.has(finding.ruleId)) return true;
  }
  return false;
}

/** Objects of a file that carry the annotation, computed once per extracted file. */
const ignoreSpansOf = new WeakMap<FileFacts, { span: [number, number]; ignored: Set<string> }[]>();
function ignoreSpans(facts: FileFacts): { span: [number, number]; ignored: Set<string> }[] {
  let list = ignoreSpansOf.get(facts);
  if (!list) {
    list = [];
    for (const object of facts.manifests?.objects ?? []) {
      const ignored = new Set([...ignoredByAnnotation(object.annotations), ...ignoredByAnnotation(podTemplateAnnotations(object))]);
      if (ignored.size > 0) list.push({ span: object.span, ignored });
    }
    ignoreSpansOf.set(facts, list);
  }
  return list;
}

function podTemplateAnnotations(object: K8sObject): Record<string, string> {
  const { doc, root } = object;
  const template = getIn(root, ['spec', 'template'], doc) ?? getIn(root, ['spec', 'jobTemplate', 'spec', 'template'], doc);
  return template ? stringMap(getIn(template, ['metadata', 'annotations'], doc), doc) : {};
}
