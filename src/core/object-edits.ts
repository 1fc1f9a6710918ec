// Fix builders over Kubernetes objects: the edits of edit.ts, computed where the object's source says the
// node is written (facts/source.ts) and mapped back to a repository file. Undefined when the node cannot be
// edited there (a value computed inside a template's `{{ }}`): then the rule offers no fix.
import type { Node, Scalar, YAMLMap } from 'yaml';
import { insertDocumentAfter, insertIntoMap, replaceScalar, type YamlValue } from './edit.js';
import type { K8sObject } from './facts/manifests.js';
import type { TextEdit } from './finding.js';

/** Insert `value`'s keys as new pairs at the end of the object's map `map`. */
export function insertIntoObjectMap(object: K8sObject, map: YAMLMap<Scalar, Node>, value: Record<string, YamlValue>): TextEdit | undefined {
  const ctx = object.source.editContext(map);
  return ctx && ctx.toRepository(insertIntoMap(ctx.file, ctx.text, map, value));
}

/** Replace the text of a scalar of the object. */
export function replaceObjectScalar(object: K8sObject, node: Node, newText: string): TextEdit | undefined {
  const ctx = object.source.editContext(node);
  return ctx && ctx.toRepository(replaceScalar(ctx.file, ctx.text, node, newText));
}

/** Append a YAML document after the object's document. */
export function insertDocumentAfterObject(object: K8sObject, documentText: string): TextEdit | undefined {
  const ctx = object.source.editContext(object.root);
  return ctx && ctx.toRepository(insertDocumentAfter(ctx.file, ctx.text, object.span[1], documentText));
}
