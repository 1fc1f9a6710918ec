// Where the nodes of a Kubernetes object are written, so that reports and fixes land in the repository's own
// files whatever produced the object. A plain manifest's yaml nodes index into its file. A rendered Helm
// template's nodes index into the rendered text and map back to the template (or to values.yaml); a
// Kustomize overlay's nodes are clones of base and patch nodes, each in its own file. Rules never combine
// `node.range` with `object.file` themselves: they ask the object's source (through model/edits.ts).
import type { Node, Pair } from 'yaml';
import type { Span, TextEdit } from '../finding.js';
import { pairRange, range } from './yaml-util.js';

/** The text an edit is computed against, and how such an edit becomes an edit of a repository file. */
export interface EditContext {
  /** File name the edit is written with (a repository file, or the rendered template). */
  file: string;
  /** The text the node's yaml ranges index into. */
  text: string;
  /** The same edit in repository coordinates; undefined when it cannot be placed (it falls in template code). */
  toRepository(edit: TextEdit): TextEdit | undefined;
}

export interface ObjectSource {
  /** Repository span of a node's value; undefined for nodes that exist only after a transformation. */
  span(node: Node): Span | undefined;
  /** Repository span of a key-and-value pair. */
  pairSpan(pair: Pair): Span | undefined;
  /** Repository span of [start, end) in `text`. */
  rangeSpan(start: number, end: number): Span | undefined;
  /** Where edits of this node are computed; undefined when the node cannot be edited (computed by a template). */
  editContext(node: Node): EditContext | undefined;
  /** The text the object's node ranges index into, for readers that slice it (the file, or the rendered text). */
  readonly text: string;
}

/** A manifest as written in one file: every node is in that file, edits are edits of it. */
export class FileSource implements ObjectSource {
  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  span(node: Node): Span | undefined {
    if (!node.range) return undefined;
    const [start, end] = range(node, this.text);
    return { file: this.file, start, end };
  }

  pairSpan(pair: Pair): Span | undefined {
    const [start, end] = pairRange(pair as Parameters<typeof pairRange>[0], this.text);
    return { file: this.file, start, end };
  }

  rangeSpan(start: number, end: number): Span {
    return { file: this.file, start, end };
  }

  editContext(): EditContext {
    return { file: this.file, text: this.text, toRepository: (edit) => edit };
  }
}
