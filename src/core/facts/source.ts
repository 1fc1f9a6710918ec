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
  /** Repository span of [start, end) of the text `node` lives in (see textOf). */
  rangeSpan(node: Node, start: number, end: number): Span | undefined;
  /** Where edits of this node are computed; undefined when the node cannot be edited (computed by a template). */
  editContext(node: Node): EditContext | undefined;
  /** The text a node's range indexes into (its file, the rendered output, a base or patch file). */
  textOf(node: Node): string;
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

  textOf(): string {
    return this.text;
  }

  rangeSpan(_node: Node, start: number, end: number): Span {
    return { file: this.file, start, end };
  }

  editContext(): EditContext {
    return { file: this.file, text: this.text, toRepository: (edit) => ({ ...edit, viaSource: true }) };
  }
}

/**
 * A Helm template outside any chart, parsed with its `{{ … }}` actions masked by spaces: nodes are in the
 * file as with FileSource, but an edit that touches a masked action (or would be inserted inside one) is
 * refused — it would edit template code blind.
 */
export class MaskedSource extends FileSource {
  constructor(
    file: string,
    masked: string,
    private readonly original: string,
  ) {
    super(file, masked);
  }

  override editContext(): EditContext {
    return {
      file: this.file,
      text: this.text,
      toRepository: (edit) => (this.touchesTemplate(edit.start, edit.end) ? undefined : { ...edit, viaSource: true }),
    };
  }

  /** A replacement of masked text, or an insertion between two masked characters (inside an action). */
  private touchesTemplate(start: number, end: number): boolean {
    const masked = (i: number) => i >= 0 && i < this.text.length && this.text[i] !== this.original[i];
    if (start === end) return masked(start - 1) && masked(start);
    for (let i = start; i < end; i++) if (masked(i)) return true;
    return false;
  }
}
