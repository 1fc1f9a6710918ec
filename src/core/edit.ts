// Minimal text edits for YAML: insert a block at the right indent after a map's last pair, swap one
// scalar, append a document. Never re-stringify a file: comments, quoting and layout of every other line
// stay byte-identical (the yaml library's own toString() rewrites flow maps, spacing and indents).
import { isMap, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { Fix, TextEdit } from './finding.js';
import { range } from './facts/yaml-util.js';

export type YamlValue = string | number | boolean | YamlValue[] | { [key: string]: YamlValue };

/** Insert `value`'s keys as new pairs at the end of `map` (block or flow). */
export function insertIntoMap(file: string, text: string, map: YAMLMap<Scalar, Node>, value: Record<string, YamlValue>): TextEdit {
  // `preStop: null`, `appProtocol: ""`, `lifecycle: {}`: a key already there with nothing in it is replaced,
  // never written a second time (a duplicate key makes the file invalid).
  const empty = map.items.filter((p) => isEmptyValue(p.value) && Object.hasOwn(value, String((p.key as Scalar | null)?.value)));
  if (empty.length > 0) return replaceEmptyPairs(file, text, map, value, empty);
  if (map.flow) {
    const close = text.lastIndexOf('}', map.range![1]);
    const body = Object.entries(value)
      .map(([k, v]) => `${key(k)}: ${flow(v)}`)
      .join(', ');
    const needsComma = map.items.length > 0;
    return { file, start: close, end: close, text: `${needsComma ? ', ' : ''}${body}` };
  }
  const last = map.items[map.items.length - 1]!;
  const at = lineEndAfter(text, (last.value ?? last.key).range![1]);
  const column = columnOf(text, (map.items[0]!.key as Node).range![0]);
  const lines = block(value, column, indentStep(text, map));
  const eol = eolOf(text);
  return { file, start: at, end: at, text: `${newlineIfUnterminated(text, at)}${lines.join(eol)}${eol}` };
}

function isEmptyValue(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (isMap(node) || isSeq(node)) return node.items.length === 0;
  const v = (node as Scalar).value;
  return v === null || v === '';
}

/** The pairs in `empty` removed (their lines, or their flow entries) and `value`'s keys inserted at the map's end. */
function replaceEmptyPairs(
  file: string,
  text: string,
  map: YAMLMap<Scalar, Node>,
  value: Record<string, YamlValue>,
  empty: readonly YAMLMap<Scalar, Node>['items'][number][],
): TextEdit {
  const pairEnd = (p: (typeof empty)[number]) => (p.value ?? p.key).range![1];
  if (map.flow) {
    const open = text.indexOf('{', map.range![0]);
    const close = text.lastIndexOf('}', map.range![1]);
    const kept = map.items.filter((p) => !empty.includes(p)).map((p) => text.slice((p.key as Node).range![0], pairEnd(p)));
    const added = Object.entries(value).map(([k, v]) => `${key(k)}: ${flow(v)}`);
    return { file, start: open + 1, end: close, text: [...kept, ...added].join(', ') };
  }
  const lineStart = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  const start = lineStart((empty[0]!.key as Node).range![0]);
  const last = map.items[map.items.length - 1]!;
  const end = lineEndAfter(text, pairEnd(last));
  let kept = '';
  for (let at = start; at < end;) {
    const pair = empty.find((p) => lineStart((p.key as Node).range![0]) === at);
    const next = pair ? lineEndAfter(text, pairEnd(pair)) : lineEndAfter(text, at + 1);
    if (!pair) kept += text.slice(at, next);
    at = next;
  }
  const column = columnOf(text, (map.items[0]!.key as Node).range![0]);
  const eol = eolOf(text);
  const lines = block(value, column, indentStep(text, map));
  return { file, start, end, text: `${kept}${newlineIfUnterminated(text, end)}${lines.join(eol)}${eol}` };
}

/** Replace a scalar's text (its trailing comment and spacing survive). */
export function replaceScalar(file: string, text: string, node: Node, newText: string): TextEdit {
  const [start, end] = range(node, text);
  return { file, start, end, text: newText };
}

/** Append a YAML document after the document whose content ends at `contentEnd`. */
export function insertDocumentAfter(file: string, text: string, contentEnd: number, documentText: string): TextEdit {
  const at = contentEnd > 0 ? lineEndAfter(text, contentEnd) : 0;
  const eol = eolOf(text);
  const body = documentText.replace(/\n$/, '').split('\n').join(eol);
  return { file, start: at, end: at, text: `${newlineIfUnterminated(text, at)}---${eol}${body}${eol}` };
}

/** Block YAML for a value, each line indented by `column` spaces. Lists of scalars are written in flow style. */
export function block(value: Record<string, YamlValue>, column: number, step = 2): string[] {
  const pad = ' '.repeat(column);
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (isPlainObject(v)) {
      out.push(`${pad}${key(k)}:`, ...block(v, column + step, step));
    } else if (Array.isArray(v) && v.some((item) => isPlainObject(item))) {
      out.push(`${pad}${key(k)}:`);
      for (const item of v) {
        const inner = isPlainObject(item) ? block(item, column + step + 2, step) : [`${' '.repeat(column + step + 2)}${flow(item)}`];
        out.push(`${' '.repeat(column + step)}- ${inner[0]!.trimStart()}`, ...inner.slice(1));
      }
    } else {
      out.push(`${pad}${key(k)}: ${flow(v)}`);
    }
  }
  return out;
}

export function flow(value: YamlValue): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (isPlainObject(value))
    return `{${Object.entries(value)
      .map(([k, v]) => `${key(k)}: ${flow(v)}`)
      .join(', ')}}`;
  if (typeof value === 'string') return scalarString(value);
  return String(value);
}

/** A string that stays a string when read back: plain when unambiguous, JSON-quoted otherwise. */
export function scalarString(value: string): string {
  const plain = /^[A-Za-z_./][A-Za-z0-9_./-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

function key(k: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(k) ? k : JSON.stringify(k);
}

function isPlainObject(v: unknown): v is Record<string, YamlValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Where a new line may be inserted after `offset`: `offset` itself when a line ends there, else after its line's end. */
function lineEndAfter(text: string, offset: number): number {
  if (text[offset - 1] === '\n') return offset;
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

/** Inserting at the end of a file whose last line has no newline: start with one. */
function newlineIfUnterminated(text: string, at: number): string {
  return at === text.length && text.length > 0 && !text.endsWith('\n') ? eolOf(text) : '';
}

/** The file's line ending: edits keep CRLF files CRLF. */
export function eolOf(text: string): string {
  const nl = text.indexOf('\n');
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The indent step the author uses: from a nested block map under `map` or above it, else 2. */
function indentStep(text: string, map: YAMLMap<Scalar, Node>): number {
  const own = columnOf(text, (map.items[0]!.key as Node).range![0]);
  for (const item of map.items) {
    const value = item.value;
    // A key a Kustomize patch added (`op: add`) has no range: it says nothing about the author's indent.
    if (isMap(value) && !value.flow && (value.items[0]?.key as Node | undefined)?.range) {
      const step = columnOf(text, (value.items[0]!.key as Node).range![0]) - own;
      if (step > 0) return step;
    }
    if (isSeq(value) && !value.flow && (value.items[0] as Node | undefined)?.range) {
      // An item's range starts after its dash: measure the dash, which sits at the nesting indent.
      const dash = text.lastIndexOf('-', (value.items[0] as Node).range![0]);
      const step = columnOf(text, dash) - own;
      if (dash !== -1 && step > 0) return step;
    }
  }
  // Fall back on the file's first indented line, which is the first nesting level.
  const m = /\n( +)[^\s#-]/.exec(text);
  return m ? Math.min(m[1]!.length, 8) : 2;
}

/** One edit as a key: two edits with equal keys are the same edit. */
export function editKey(e: Pick<TextEdit, 'file' | 'start' | 'end' | 'text'>): string {
  return `${e.file}\0${e.start}\0${e.end}\0${e.text}`;
}

/** One fix as a key, whatever the order of its edits: two fixes with equal keys make the same change. */
export function fixKey(fix: Pick<Fix, 'edits'>): string {
  return fix.edits.map(editKey).sort().join('\n');
}

/** Apply edits to a text (non-overlapping; applied from the end so offsets stay valid). */
export function applyEdits(text: string, edits: readonly Pick<TextEdit, 'start' | 'end' | 'text'>[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  // From the end, each edit's text and the original text after it: one join, linear in the file (slicing the
  // result once per edit copied the file per edit). Overlapping edits keep the one-by-one semantics.
  const parts: string[] = [];
  let next = text.length;
  for (const e of sorted) {
    if (e.end > next) return applyOneByOne(text, sorted);
    parts.push(text.slice(e.end, next), e.text);
    next = e.start;
  }
  parts.push(text.slice(0, next));
  return parts.reverse().join('');
}

function applyOneByOne(text: string, sorted: readonly Pick<TextEdit, 'start' | 'end' | 'text'>[]): string {
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * The fixes that can be applied together in one pass, as ESLint decides: in order of position, a fix is
 * skipped when one of its edits overlaps or touches an edit already taken (a later pass picks it up), and
 * a fix identical to one taken is the same fix reported twice. Returns the edits of the fixes taken.
 */
export function selectFixes(fixes: readonly Pick<Fix, 'edits'>[]): TextEdit[] {
  const taken: TextEdit[] = [];
  const seen = new Set<string>();
  // Each fix's first offset once, not twice per comparison of the sort.
  const first = new Map(fixes.map((f) => [f, Math.min(...f.edits.map((e) => e.start))]));
  for (const fix of [...fixes].sort((a, b) => first.get(a)! - first.get(b)!)) {
    const key = JSON.stringify(fix.edits.map((e) => [e.file, e.start, e.end, e.text]));
    if (seen.has(key)) continue;
    if (fix.edits.some((e) => taken.some((t) => t.file === e.file && e.start <= t.end && t.start <= e.end))) continue;
    seen.add(key);
    taken.push(...fix.edits);
  }
  return taken;
}
