// Where the nodes of a rendered Helm document are written. Their yaml ranges index into the rendered output;
// the renderer's source map (src/core/helm) says, for every rendered character, whether it is literal
// template text (1:1 into the template, or into `_helpers.tpl` for included text), a values-file scalar
// passed through, or text an action `{{ … }}` computed. Reports map to the template line (or the action, or
// the values node); an edit maps only when it lies in literal text of the template itself, or replaces a
// whole scalar that came from a values file — never inside `{{ }}`.
import type { Node, Pair } from 'yaml';
import type { EditContext, ObjectSource } from '../facts/source.js';
import { pairRange, range } from '../facts/yaml-util.js';
import type { Span, TextEdit } from '../finding.js';
import type { RenderedTemplate, Segment } from '../helm/index.js';

export class HelmSource implements ObjectSource {
  private readonly text: string;

  constructor(
    private readonly rendered: RenderedTemplate,
    /** Texts of the files origins point into (templates, helpers, values files). */
    private readonly fileText: (file: string) => string | undefined,
  ) {
    this.text = rendered.text.replace(/^([ \t]*)_(_kc_unknown_\d+__[ \t]*)$/gm, '$1#$2');
  }

  textOf(): string {
    return this.text;
  }

  /** The segment holding rendered offset `at` (the last one for the end of the text). */
  private segmentAt(at: number): Segment | undefined {
    const segments = this.rendered.segments;
    let lo = 0;
    let hi = segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = segments[mid]!;
      if (at < s.start) hi = mid - 1;
      else if (at >= s.end) lo = mid + 1;
      else return s;
    }
    return segments[segments.length - 1];
  }

  /** The repository offset of rendered offset `at`, when it is literal text of `file` (or any file). */
  private literalOffset(at: number, file?: string): { file: string; offset: number } | undefined {
    const s = this.segmentAt(at);
    if (!s || s.origin.kind !== 'template' || at < s.start || at >= s.end) return undefined;
    if (file !== undefined && s.origin.file !== file) return undefined;
    return { file: s.origin.file, offset: s.origin.start + (at - s.start) };
  }

  /**
   * Reports land in the template that produced the object: literal text maps 1:1; text an action of the
   * template computed maps to that action; anything else (a values scalar, text of an included helper) maps
   * to the template line that wrote it — the nearest earlier literal text of the template on that line.
   */
  rangeSpan(_node: Node | undefined, start: number, end: number): Span | undefined {
    const template = this.rendered.template;
    const s = this.segmentAt(start);
    if (!s) return undefined;
    const o = s.origin;
    if (o.kind === 'expression' && o.file === template) return { file: template, start: o.start, end: o.end };
    if (o.kind === 'template' && o.file === template) {
      const first = o.start + (start - s.start);
      const last = end > start ? this.literalOffset(end - 1, template) : undefined;
      // A range that runs past its literal run (into an action's output) ends where the literal text ends.
      const runEnd = o.start + (Math.min(end, s.end) - s.start);
      return { file: template, start: first, end: last && last.offset + 1 >= first ? last.offset + 1 : runEnd };
    }
    for (let at = start - 1; at >= 0 && this.text[at] !== '\n'; at--) {
      const literal = this.literalOffset(at, template);
      if (literal) return this.lineOf(literal.offset);
      const seg = this.segmentAt(at);
      if (seg?.origin.kind === 'expression' && seg.origin.file === template)
        return { file: template, start: seg.origin.start, end: seg.origin.end };
    }
    return o.kind === 'template'
      ? { file: o.file, start: o.start + (start - s.start), end: o.start + (Math.min(end, s.end) - s.start) }
      : { file: o.file, start: o.start, end: o.end };
  }

  /** The template line holding `offset`, from its first non-blank character to `offset`. */
  private lineOf(offset: number): Span {
    const template = this.rendered.template;
    const text = this.fileText(template) ?? '';
    let lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    while (lineStart < offset && (text[lineStart] === ' ' || text[lineStart] === '\t')) lineStart++;
    return { file: template, start: lineStart, end: Math.max(offset + 1, lineStart) };
  }

  span(node: Node): Span | undefined {
    if (!node.range) return undefined;
    const [start, end] = range(node, this.text);
    return this.rangeSpan(node, start, end);
  }

  pairSpan(pair: Pair): Span | undefined {
    const [start, end] = pairRange(pair as Parameters<typeof pairRange>[0], this.text);
    return this.rangeSpan(undefined, start, end);
  }

  editContext(node: Node): EditContext | undefined {
    const template = this.rendered.template;
    const [nodeStart, nodeEnd] = node.range ? range(node, this.text) : [0, 0];
    const at = this.segmentAt(nodeStart);
    // A scalar that came straight from a values file: replacing it means replacing the values node.
    if (at?.origin.kind === 'value' && at.start <= nodeStart && nodeEnd <= at.end) {
      const value = at.origin;
      return {
        file: template,
        text: this.text,
        toRepository: (edit) =>
          edit.start === nodeStart && edit.end === nodeEnd && this.fileText(value.file) !== undefined
            ? { file: value.file, start: value.start, end: value.end, text: edit.text, viaSource: true }
            : undefined,
      };
    }
    return { file: template, text: this.text, toRepository: (edit) => this.mapLiteral(edit, template) };
  }

  /** An edit of the rendered text as an edit of the template, when it touches only literal template text. */
  private mapLiteral(edit: TextEdit, template: string): TextEdit | undefined {
    if (edit.start === edit.end) {
      // An insertion sits between two characters: both neighbours must be literal text of the template.
      const before = edit.start > 0 ? this.literalOffset(edit.start - 1, template) : { file: template, offset: -1 };
      const after = edit.start < this.text.length ? this.literalOffset(edit.start, template) : undefined;
      if (!before) return undefined;
      const offset = before.offset + 1;
      if (after && after.offset !== offset) return undefined;
      if (!after && edit.start < this.text.length) return undefined;
      return { file: template, start: offset, end: offset, text: edit.text, viaSource: true };
    }
    // A replacement must lie in one literal run (an action in the middle would be edited blind).
    const first = this.literalOffset(edit.start, template);
    if (!first || this.segmentAt(edit.start) !== this.segmentAt(edit.end - 1)) return undefined;
    return { file: template, start: first.offset, end: first.offset + (edit.end - edit.start), text: edit.text, viaSource: true };
  }
}
