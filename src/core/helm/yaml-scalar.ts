// What yaml.v2's emitter decides about a scalar before writing it (yaml_emitter_analyze_scalar: may it be
// plain, single-quoted, a literal block?), its escapes, and the order in which it sorts map keys.

import { sortedKeys, type GoMap } from './value.js';

export const BEST_WIDTH = 80;
export const isBreak = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
export const isPrintable = (c: number): boolean =>
  c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
const isBlank = (c: number | undefined): boolean => c === 0x20 || c === 0x09;

export interface Analysis {
  multiline: boolean;
  blockPlain: boolean;
  single: boolean;
  block: boolean;
}

/** yaml_emitter_analyze_scalar (block context only: flow collections here are always empty). */
export function analyze(s: string): Analysis {
  if (s.length === 0) return { multiline: false, blockPlain: true, single: true, block: false };
  let blockInd = s.startsWith('---') || s.startsWith('...');
  let lineBreaks = false,
    special = false,
    leadSpace = false,
    leadBreak = false,
    trailSpace = false,
    trailBreak = false;
  let breakSpace = false,
    spaceBreak = false,
    precededByWs = true,
    prevSpace = false,
    prevBreak = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    const w = c > 0xffff ? 2 : 1;
    const followedByWs = i + w >= s.length || isBlank(s.charCodeAt(i + w));
    const ch = s[i]!;
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockInd = true;
      else if ((ch === '?' || ch === ':' || ch === '-') && followedByWs) blockInd = true;
    } else if ((ch === ':' && followedByWs) || (ch === '#' && precededByWs)) blockInd = true;
    if (!isPrintable(c)) special = true;
    const last = i + w >= s.length;
    if (w === 2) i++;
    if (c === 0x20) {
      if (i === 0) leadSpace = true;
      if (last) trailSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadBreak = true;
      if (last) trailBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = isBlank(c) || isBreak(c);
  }
  let blockPlain = true,
    single = true,
    block = true;
  if (leadSpace || leadBreak || trailSpace || trailBreak) blockPlain = false;
  if (trailSpace) block = false;
  if (breakSpace) blockPlain = single = false;
  if (spaceBreak || special) blockPlain = single = block = false;
  if (lineBreaks || blockInd) blockPlain = false;
  return { multiline: lineBreaks, blockPlain, single, block };
}

export const ESCAPES: Record<number, string> = {
  0: '0',
  7: 'a',
  8: 'b',
  9: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0xa0: '_',
  0x2028: 'L',
  0x2029: 'P',
};

/** yaml.v2's key order: letters after non-letters, digit runs compared as numbers. */
function keyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  const letter = (c: string): boolean => /\p{L}/u.test(c);
  const digit = (c: string | undefined): boolean => c !== undefined && /\p{Nd}/u.test(c);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = letter(ar[i]!);
    const bl = letter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && digit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && digit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && digit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}

export function sortKeys(m: GoMap): string[] {
  const keys = sortedKeys(m);
  return keys.every((k) => /^[A-Za-z]*$/.test(k)) ? keys : keys.sort((a, b) => (keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0));
}
