// Parsed templates by file and text: a chart re-rendered with other values (or re-opened in the editor)
// is not parsed again. Bounded; parse results are immutable.

import type { ParsedTemplate } from './ast.js';
import { parseTemplate } from './parse.js';

const MAX = 2000;
const cache = new Map<string, { text: string; parsed: ParsedTemplate }[]>();
let size = 0;

export function parseCached(file: string, text: string): ParsedTemplate {
  const list = cache.get(file);
  const hit = list?.find((e) => e.text === text);
  if (hit) return hit.parsed;
  const parsed = parseTemplate(file, text);
  if (size >= MAX) {
    cache.clear();
    size = 0;
  }
  const entries = cache.get(file) ?? [];
  if (entries.length >= 4) entries.shift();
  else size++;
  entries.push({ text, parsed });
  cache.set(file, entries);
  return parsed;
}
