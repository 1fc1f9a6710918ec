// Output of one rendering (a template, an include, a tpl): text in chunks, a segment per run of characters
// with one origin (adjacent runs merged), uncertain regions; all bounded by a shared budget.

import type { TStr } from './tracked.js';
import { shiftOrigin } from './tracked.js';
import type { Origin, Region, Segment } from './types.js';
import type { Track } from './value.js';

/** Rendering stopped: a limit was hit (output size, recursion, work). */
export class Abort extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

export const LIMITS = {
  /** Bytes of one template's output. */
  output: 5 * 1024 * 1024,
  /** Bytes written anywhere (includes, nested outputs) while rendering one template. */
  written: 64 * 1024 * 1024,
  /** Evaluation steps (nodes, commands) while rendering one template. */
  steps: 2_000_000,
  /** Iterations of one range. */
  range: 10_000,
  /** Nested include/template/tpl calls. */
  depth: 100,
};

export class Budget {
  written = 0;
  steps = 0;
  depth = 0;
  /** Where the current action is, for reporting an abort. */
  atFile = '';
  at: { start: number; end: number } = { start: 0, end: 0 };

  fail(message: string): never {
    throw new Abort(message, this.atFile, this.at.start, this.at.end);
  }
}

function continues(last: Segment, start: number, o: Origin): boolean {
  if (last.end !== start) return false;
  const p = last.origin;
  if (p.kind !== o.kind || p.file !== o.file) return false;
  if (o.kind === 'template') return p.start + (last.end - last.start) === o.start;
  const q = p as Exclude<Origin, { kind: 'template' }>;
  return q.start === o.start && q.end === o.end;
}

export class Out {
  private buf = '';
  len = 0;
  readonly segs: Segment[] = [];
  readonly unc: Region[] = [];

  constructor(private readonly budget: Budget) {}

  private addSeg(start: number, end: number, origin: Origin): void {
    if (end <= start) return;
    const last = this.segs[this.segs.length - 1];
    if (last && continues(last, start, origin)) last.end = end;
    else this.segs.push({ start, end, origin });
  }

  private push(text: string): void {
    if (!text) return;
    this.budget.written += text.length;
    if (this.budget.written > LIMITS.written) this.budget.fail(`rendering wrote more than ${LIMITS.written} characters`);
    if (this.len + text.length > LIMITS.output) this.budget.fail(`output is larger than ${LIMITS.output} characters`);
    this.buf += text;
    this.len += text.length;
  }

  /** Literal template text from `file` at `start`. */
  lit(text: string, file: string, start: number): void {
    const at = this.len;
    this.push(text);
    this.addSeg(at, this.len, { kind: 'template', file, start });
  }

  /** Computed text; characters the track does not cover get `fallback`. */
  put(text: string, tr: Track | undefined, fallback: Origin): void {
    const at = this.len;
    this.push(text);
    let cur = 0;
    if (tr) {
      for (const s of tr.segs) {
        const start = Math.max(s.start, cur);
        const end = Math.min(s.end, text.length);
        if (end <= start) continue;
        if (start > cur) this.addSeg(at + cur, at + start, fallback);
        this.addSeg(at + start, at + end, shiftOrigin(s.origin, start - s.start));
        cur = end;
      }
      for (const r of tr.unc) this.region(at + r.start, at + r.end, r.reason);
    }
    if (cur < text.length) this.addSeg(at + cur, at + text.length, fallback);
  }

  region(start: number, end: number, reason: string): void {
    this.unc.push({ start, end, reason });
  }

  text(): string {
    return this.buf;
  }

  result(): TStr {
    return { text: this.text(), tr: { segs: this.segs, unc: this.unc } };
  }
}
