// Parsed templates by text: a chart re-rendered with other values (or re-opened in the editor) is not
// parsed again. Bounded; parse results are immutable.

import type { ParsedTemplate } from './ast.js';
import { parseTemplate } from './parse.js';

const MAX = 2000;
const cache = new Map<string, ParsedTemplate>();

export function parseCached(file: string, text: string): ParsedTemplate {
  const key = `${file}\0${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const parsed = parseTemplate(file, text);
  if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, parsed);
  return parsed;
}
