// Looking up where a rendered offset came from. Template text maps 1:1; a values node maps 1:1 when the
// rendered run has the node's length (the scalar written as it is in the file), else to the node's start;
// an expression maps to the start of its action.

import type { Origin, RenderedTemplate, Segment } from './types.js';

/** The segment holding a rendered offset (the last segment for the end offset). */
export function segmentAt(segments: readonly Segment[], offset: number): Segment | undefined {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid]!;
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return s;
  }
  const last = segments[segments.length - 1];
  return last && offset === last.end ? last : undefined;
}

/** Where the character at `renderedOffset` came from. */
export function originAt(t: RenderedTemplate, renderedOffset: number): { file: string; offset: number; kind: Origin['kind'] } | undefined {
  const s = segmentAt(t.segments, renderedOffset);
  if (!s) return undefined;
  const o = s.origin;
  const delta = renderedOffset - s.start;
  switch (o.kind) {
    case 'template':
      return { file: o.file, offset: o.start + delta, kind: o.kind };
    case 'value':
      return { file: o.file, offset: s.end - s.start === o.end - o.start ? o.start + delta : o.start, kind: o.kind };
    case 'expression':
      return { file: o.file, offset: o.start, kind: o.kind };
  }
}
