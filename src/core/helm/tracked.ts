// Strings that remember where their characters came from: slicing, concatenating and indenting a rendered
// string (include output, toYaml) keeps each character's origin and the uncertain regions inside it.

import type { Origin, Region, Segment } from './types.js';
import type { Track, Val } from './value.js';

export interface TStr {
  text: string;
  tr?: Track;
}

/** A literal (no origin: it belongs to whoever writes the result) or a slice of a tracked string. */
export type Piece = string | { from: TStr; start: number; end: number };

/** The origin of the character `delta` places into a segment. */
export function shiftOrigin(o: Origin, delta: number): Origin {
  return delta === 0 || o.kind !== 'template' ? o : { kind: 'template', file: o.file, start: o.start + delta };
}

/** Index of the first segment whose end is after `pos`. */
function firstAfter(segs: Segment[], pos: number): number {
  let lo = 0;
  let hi = segs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid]!.end <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The track of a Val's text: its own, or the whole text from its values node. */
export function trackOf(x: Val, text: string): Track | undefined {
  if (x.tr) return x.tr;
  if (x.src && text.length > 0) return { segs: [{ start: 0, end: text.length, origin: x.src }], unc: [] };
  return undefined;
}

export function tstrOf(x: Val, text: string): TStr {
  const tr = trackOf(x, text);
  return tr ? { text, tr } : { text };
}

/** Assemble a string from pieces, carrying segments and uncertain regions of the sliced pieces. */
export function build(pieces: Piece[]): TStr {
  if (pieces.every((p) => typeof p === 'string' || !p.from.tr)) {
    return { text: pieces.map((p) => (typeof p === 'string' ? p : p.from.text.slice(p.start, p.end))).join('') };
  }
  const parts: string[] = [];
  let len = 0;
  const segs: Segment[] = [];
  const merged = new Map<Region, Region>();
  const unc: Region[] = [];
  for (const p of pieces) {
    if (typeof p === 'string') {
      parts.push(p);
      len += p.length;
      continue;
    }
    const base = len - p.start;
    parts.push(p.from.text.slice(p.start, p.end));
    len += p.end - p.start;
    const tr = p.from.tr;
    if (!tr) continue;
    for (let k = firstAfter(tr.segs, p.start); k < tr.segs.length && tr.segs[k]!.start < p.end; k++) {
      const sg = tr.segs[k]!;
      const s = Math.max(sg.start, p.start);
      const e = Math.min(sg.end, p.end);
      if (e > s) segs.push({ start: base + s, end: base + e, origin: shiftOrigin(sg.origin, s - sg.start) });
    }
    for (const r of tr.unc) {
      if (r.end < p.start || r.start > p.end) continue;
      const s = base + Math.max(r.start, p.start);
      const e = base + Math.min(r.end, p.end);
      const m = merged.get(r);
      if (m) m.end = Math.max(m.end, e);
      else {
        const n = { start: s, end: e, reason: r.reason };
        merged.set(r, n);
        unc.push(n);
      }
    }
  }
  return { text: parts.join(''), tr: { segs, unc } };
}

export const sliceT = (s: TStr, start: number, end: number): TStr =>
  start === 0 && end === s.text.length ? s : build([{ from: s, start, end }]);

export const concatT = (parts: (TStr | string)[]): TStr =>
  build(parts.map((p) => (typeof p === 'string' ? p : { from: p, start: 0, end: p.text.length })));

/** Sprig indent: pad + every "\n" followed by pad. */
export function indentT(s: TStr, n: number, leadingNewline: boolean): TStr {
  const pad = ' '.repeat(Math.max(0, n));
  const text = s.text;
  if (!s.tr) return { text: (leadingNewline ? '\n' : '') + pad + text.replaceAll('\n', '\n' + pad) };
  const pieces: Piece[] = [leadingNewline ? '\n' + pad : pad];
  let pos = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', pos)) {
    pieces.push({ from: s, start: pos, end: i + 1 }, pad);
    pos = i + 1;
  }
  pieces.push({ from: s, start: pos, end: text.length });
  return build(pieces);
}

/** Shift a track by `by` characters (a string prefixed by `by` untracked characters). */
export function shiftTrack(tr: Track, by: number): Track {
  return {
    segs: tr.segs.map((s) => ({ start: s.start + by, end: s.end + by, origin: s.origin })),
    unc: tr.unc.map((r) => ({ start: r.start + by, end: r.end + by, reason: r.reason })),
  };
}

/** A Val holding a tracked string. */
export function tval(t: TStr): Val {
  return t.tr && (t.tr.segs.length > 0 || t.tr.unc.length > 0) ? { v: t.text, tr: t.tr } : { v: t.text };
}
