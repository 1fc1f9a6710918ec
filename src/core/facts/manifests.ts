// Kubernetes objects out of YAML files: multi-document, Helm-tolerant, with exact ranges.
//
// Helm templates (`{{ … }}`) are masked with spaces of the same length before parsing, so every offset
// and line still points into the real file; what survives the masking is analysed, documents that do not
// parse after masking are skipped silently (they are templates, not YAML), and fixes become suggestions.
import { isMap, parseAllDocuments, type Scalar, type YAMLMap } from 'yaml';
import type { ParseProblem } from '../finding.js';
import type { LineIndex } from '../text.js';
import { asMap, get, range, str, stringMap, type YDoc, type YNode } from './yaml-util.js';

export interface K8sObject {
  file: string;
  /** 0-based index of the YAML document in its file. */
  index: number;
  kind: string;
  apiVersion: string;
  name: string;
  /** As written; undefined means "whatever namespace it is applied to" (kubectl -n, Kustomize). */
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  doc: YDoc;
  root: YAMLMap<Scalar, YNode>;
  /** [start, end) of the document's content, for per-object suppressions and appending siblings. */
  span: [number, number];
  /** Range to report on when the object as a whole is meant: its `name` value, or `kind`. */
  nameSpan: [number, number];
  /** From a Helm template: names and values may be masked template expressions. */
  helm: boolean;
}

/** Shown for a name that a Helm template computes (`name: {{ include "x.fullname" . }}`). */
export const TEMPLATED = '<templated>';

export interface ManifestFacts {
  objects: K8sObject[];
  /** True when the file had Helm template expressions that were masked. */
  helm: boolean;
}

const TEMPLATE = /\{\{[\s\S]*?\}\}/g;

/** Cheap test before any parsing: a file that never says `kind:` holds no Kubernetes object. */
export function mayHoldManifests(text: string): boolean {
  return /^[ \t-]*kind[ \t]*:/m.test(text);
}

export function maskHelm(text: string): string {
  return text.replace(TEMPLATE, (expr) => expr.replace(/[^\n]/g, ' '));
}

export function extractManifests(
  file: string,
  text: string,
  lines: LineIndex,
  problems: ParseProblem[],
): ManifestFacts {
  const helm = text.includes('{{');
  const source = helm ? maskHelm(text) : text;
  const docs = parseAllDocuments(source, { uniqueKeys: !helm, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const objects: K8sObject[] = [];
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      if (!helm) {
        const err = doc.errors[0]!;
        const [start, end] = err.pos;
        const at = lines.position(start);
        const endAt = lines.position(Math.max(end, start));
        problems.push({
          file,
          start,
          end,
          line: at.line,
          column: at.column,
          endLine: endAt.line,
          endColumn: endAt.column,
          message: `YAML syntax error in document ${index + 1}: ${firstLine(err.message)}`,
          kind: 'syntax',
          fatal: list.length === 1,
        });
      }
      return;
    }
    const object = toObject(file, index, doc as YDoc, source, helm);
    if (object) objects.push(object);
  });
  return { objects, helm };
}

function toObject(file: string, index: number, doc: YDoc, text: string, helm: boolean): K8sObject | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const kind = str(get(root, 'kind', doc), doc);
  const apiVersion = str(get(root, 'apiVersion', doc), doc);
  // Anything without both is not a Kubernetes object (CI configs, OpenAPI, values.yaml).
  if (!kind || !apiVersion) return undefined;
  const metadata = asMap(get(root, 'metadata', doc), doc);
  const nameNode = metadata ? get(metadata, 'name', doc) : undefined;
  const kindNode = get(root, 'kind', doc)!;
  return {
    file,
    index,
    kind,
    apiVersion,
    name: str(nameNode, doc) || (helm ? TEMPLATED : ''),
    namespace: metadata ? str(get(metadata, 'namespace', doc), doc) : undefined,
    labels: stringMap(metadata && get(metadata, 'labels', doc), doc),
    annotations: stringMap(metadata && get(metadata, 'annotations', doc), doc),
    doc,
    root: root as YAMLMap<Scalar, YNode>,
    span: [root.range![0], root.range![2]],
    nameSpan: range(nameNode && str(nameNode, doc) ? nameNode : kindNode, text),
    helm,
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
