// The two "disable" edits every editor offers: an `eslint-disable-next-line kubeconn/<id>` comment above the
// finding's line (or the rule added to a directive already there), and the rule added to the object's
// `kubeconn.io/ignore` annotation. Text edits against the analysed text, like every fix.
import type { FileFacts } from './facts/index.js';
import type { K8sObject } from './facts/manifests.js';
import { asMap, asScalar, get, pairOf } from './facts/yaml-util.js';
import type { Finding, TextEdit } from './finding.js';
import { insertIntoObjectMap, replaceObjectScalar } from './object-edits.js';
import { ignoredByAnnotation, IGNORE_ANNOTATION, RULE_PREFIX } from './suppress.js';

const NEXT_LINE = /^(\s*)(#|\/\/)\s*eslint-disable-next-line\b(.*)$/;

/** `# eslint-disable-next-line kubeconn/<id>` above the finding's line (or added to a directive already there). */
export function disableLineEdit(facts: FileFacts, finding: Finding): TextEdit {
  const text = facts.text;
  const lineStart = facts.lines.offset(finding.line, 1);
  const rule = `${RULE_PREFIX}${finding.ruleId}`;
  if (finding.line > 1) {
    const prevStart = facts.lines.offset(finding.line - 1, 1);
    const prevLine = text.slice(prevStart, lineStart).replace(/\r?\n$/, '');
    const m = NEXT_LINE.exec(prevLine);
    if (m && m[3]!.trim() !== '') {
      // Rules end where an optional `-- reason` starts.
      const list = m[3]!.split(/\s--\s/)[0]!.replace(/\s+$/, '');
      const at = prevStart + m[1]!.length + prevLine.slice(m[1]!.length).indexOf(m[3]!) + list.length;
      return { file: finding.file, start: at, end: at, text: `, ${rule}` };
    }
  }
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const marker = facts.commentSyntax === 'slash' ? '//' : '#';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { file: finding.file, start: lineStart, end: lineStart, text: `${indent}${marker} eslint-disable-next-line ${rule}${eol}` };
}

/** The object holding a finding (its document spans the finding's start). */
export function objectAt(objects: readonly K8sObject[], finding: Pick<Finding, 'file' | 'start'>): K8sObject | undefined {
  return objects.find((o) => o.file === finding.file && o.span[0] <= finding.start && finding.start <= o.span[1]);
}

/** Add the rule to the `kubeconn.io/ignore` annotation of the Kubernetes object holding the finding. */
export function disableObjectEdit(objects: readonly K8sObject[], finding: Finding): { edit: TextEdit; object: string } | undefined {
  const object = objectAt(objects, finding);
  if (!object) return undefined;
  const { doc, root } = object;
  const label = `${object.kind} '${object.name}'`;
  const metadata = asMap(get(root, 'metadata', doc), doc);
  if (!metadata || metadata.items.length === 0) return undefined;
  const found = (edit: TextEdit | undefined) => (edit ? { object: label, edit } : undefined);
  const annotationsPair = pairOf(metadata, 'annotations', doc);
  if (!annotationsPair) return found(insertIntoObjectMap(object, metadata, { annotations: { [IGNORE_ANNOTATION]: finding.ruleId } }));
  const annotations = asMap(annotationsPair.value, doc);
  if (!annotations) return undefined; // `annotations:` with nothing (or a template) under it
  const ignorePair = pairOf(annotations, IGNORE_ANNOTATION, doc);
  const current = ignorePair ? asScalar(ignorePair.value, doc) : undefined;
  if (ignorePair && current) {
    const ids = [...ignoredByAnnotation(object.annotations)];
    if (ids.includes(finding.ruleId)) return undefined;
    return found(replaceObjectScalar(object, current, JSON.stringify([...ids, finding.ruleId].join(','))));
  }
  if (ignorePair) return undefined;
  if (annotations.items.length === 0 && !annotations.flow) return undefined;
  return found(insertIntoObjectMap(object, annotations, { [IGNORE_ANNOTATION]: finding.ruleId }));
}
