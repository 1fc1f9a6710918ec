// Small, allocation-free readers over `yaml` AST nodes. Rules read fields through these instead of
// `toJS()`, so a 5,000-object workspace is never converted as a whole, and every value keeps its range.
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  YAMLParseError,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

export type YNode = Node;
export type YDoc = Document.Parsed;

/** Follow an alias (one hop; aliases to aliases are resolved by yaml itself). */
export function deref(node: unknown, doc: YDoc): Node | undefined {
  if (node == null) return undefined;
  if (isAlias(node)) {
    // yaml's Alias.resolve walks the whole document for the anchor on every call; parsed documents are
    // never mutated (edits are text edits and re-parse), so one walk per alias is enough.
    let target = resolvedAliases.get(node);
    if (target === undefined) resolvedAliases.set(node, (target = node.resolve(doc) ?? null));
    return target ?? undefined;
  }
  return node as Node;
}

const resolvedAliases = new WeakMap<object, Node | null>();

export function pairOf(map: unknown, key: string, doc: YDoc): Pair<Scalar, Node> | undefined {
  const m = deref(map, doc);
  if (!isMap(m)) return undefined;
  for (const item of m.items) {
    const k = item.key as Node | null;
    if (isScalar(k) && k.value === key) return item as Pair<Scalar, Node>;
  }
  return undefined;
}

export function get(map: unknown, key: string, doc: YDoc): Node | undefined {
  return deref(pairOf(map, key, doc)?.value, doc);
}

export function getIn(map: unknown, keys: readonly string[], doc: YDoc): Node | undefined {
  let node: Node | undefined = deref(map, doc);
  for (const key of keys) {
    node = get(node, key, doc);
    if (!node) return undefined;
  }
  return node;
}

export function asMap(node: unknown, doc: YDoc): YAMLMap<Scalar, Node> | undefined {
  const n = deref(node, doc);
  return isMap(n) ? (n as YAMLMap<Scalar, Node>) : undefined;
}

export function asSeq(node: unknown, doc: YDoc): YAMLSeq<Node> | undefined {
  const n = deref(node, doc);
  return isSeq(n) ? (n as YAMLSeq<Node>) : undefined;
}

export function asScalar(node: unknown, doc: YDoc): Scalar | undefined {
  const n = deref(node, doc);
  return isScalar(n) ? n : undefined;
}

/** A scalar's value as a string (numbers and booleans as written); undefined for non-scalars and nulls. */
export function str(node: unknown, doc: YDoc): string | undefined {
  const s = asScalar(node, doc);
  if (!s || s.value == null) return undefined;
  return scalarText(s);
}

/** A scalar's value as text: primitives as String() writes them; a value a tag built (a !!timestamp Date, !!binary bytes) as written. */
export function scalarText(s: Scalar): string {
  const v = s.value;
  return typeof v === 'object' && v !== null && s.source !== undefined ? s.source : String(v);
}

/** A scalar's value as a finite number (also from numeric strings such as "30"). */
export function num(node: unknown, doc: YDoc): number | undefined {
  const s = asScalar(node, doc);
  if (!s || s.value == null || typeof s.value === 'boolean') return undefined;
  const n = typeof s.value === 'number' ? s.value : Number(scalarText(s).trim());
  return scalarText(s).trim() !== '' && Number.isFinite(n) ? n : undefined;
}

export function stringMap(node: unknown, doc: YDoc): Record<string, string> {
  const out: Record<string, string> = {};
  const m = asMap(node, doc);
  if (!m) return out;
  for (const item of m.items) {
    const key = str(item.key, doc);
    const value = str(item.value, doc);
    if (key !== undefined) out[key] = value ?? '';
  }
  return out;
}

export function stringList(node: unknown, doc: YDoc): string[] | undefined {
  const s = asSeq(node, doc);
  if (!s) return undefined;
  return s.items.map((item) => str(item, doc) ?? '');
}

/** [start, end) of a node's value, without trailing comments or the newline of block collections. */
export function range(node: Node, text: string): [number, number] {
  const r = node.range ?? [0, 0, 0];
  let end = r[1];
  while (end > r[0] && /\s/.test(text[end - 1]!)) end--;
  return [r[0], end];
}

/** The key-and-value range of a pair (`clusterIP: None`), for reports that point at one field. */
export function pairRange(pair: Pair<Scalar, Node>, text: string): [number, number] {
  const start = pair.key?.range?.[0] ?? 0;
  const valueEnd = pair.value ? range(pair.value, text)[1] : (pair.key?.range?.[1] ?? start);
  return [start, valueEnd];
}

/** The first line of a map (its first pair), e.g. `name: grpc` of a port, `name: app` of a container. */
export function headRange(map: YAMLMap<Scalar, Node>, text: string): [number, number] {
  const first = map.items[0];
  if (!first) return range(map, text);
  const [start, end] = pairRange(first, text);
  const nl = text.indexOf('\n', start);
  return [start, nl !== -1 && nl < end ? trimEnd(text, start, nl) : end];
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end;
}

/**
 * The span of a yaml library error, inside the text: an error at the end of the input (an unclosed `[`) has
 * pos [length, length + 1), and a problem must never point past the file it is in.
 */
export function yamlErrorSpan(error: { pos: [number, number] }, length: number): { start: number; end: number } {
  const clamp = (n: number) => Math.min(Math.max(0, n), length);
  const start = clamp(error.pos[0]);
  return { start, end: Math.max(start, clamp(error.pos[1])) };
}

/**
 * Add yaml's "Map keys must be unique" errors to a document composed with `uniqueKeys: false`, in linear time.
 * yaml's own check compares each key with every key before it in its map: a 20,000-key ConfigMap took 3.1 s to
 * parse, and a 5 MB map would use the whole per-file budget. The same rule as yaml's default (two scalar keys with
 * the same value, `===`), the same error at the same offset (the key's start), the errors kept in offset order.
 * One difference: under an explicit `? key` entry yaml places the error where the indicator's line ends; here it
 * is on the key.
 */
export function flagDuplicateKeys(doc: YDoc): void {
  const found: YAMLParseError[] = [];
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && key.range) {
          // NaN keys (`.nan`) are never equal under ===.
          if (seen.has(key.value) && !Number.isNaN(key.value)) {
            found.push(new YAMLParseError([key.range[0], key.range[0] + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
          } else seen.add(key.value);
        }
        walk(key);
        walk(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    } else if (isPair(node)) {
      walk(node.key);
      walk(node.value);
    }
  };
  walk(doc.contents);
  if (found.length === 0) return;
  doc.errors.push(...found);
  doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
}
