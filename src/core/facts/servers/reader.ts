// The server reader's shared machinery: the walk over a file's tree (grpc/walk.ts, shared with the gRPC reader)
// collects the calls, the node types a language reader asks for, the file's scope (the gRPC reader's ScopeBuilder
// over the same language table, so constants and variables resolve the same way) and the functions it declares;
// then the language reader turns them into ServerFacts. The grammar adapters (Syntax), evaluator and duration readers are the gRPC reader's.
import type { Node } from 'web-tree-sitter';
import { rangeOf, Evaluator, type Range } from '../grpc/value.js';
import { durationMs, numberOf, valueHooks } from '../grpc/scope.js';
import type { DurationUnit, LanguageTable, Syntax } from '../grpc/table.js';
import type { GrpcLanguage, ImportsLayout } from '../grpc/shapes.js';
import { walkCode, type CodeWalk } from '../grpc/walk.js';
import type { ServerFacts, Setting } from './shapes.js';

export interface Walked extends Omit<CodeWalk, 'imports'> {
  syntax: Syntax;
  ev: Evaluator;
  /** The file's imports (modules and imported names). */
  imports: ImportsLayout['entries'];
}

export interface LanguageReader {
  language: GrpcLanguage;
  /** The gRPC table whose grammar adapter and binding rows this reader shares. */
  table: LanguageTable;
  /** Node types to collect besides calls. */
  types: readonly string[];
  /** Function declarations: the node types and how to get their names. */
  functionTypes: readonly string[];
  functionName(node: Node): string | undefined;
  read(w: Walked, out: ServerFacts): void;
}

/** `walked`: the file's walk when it is shared with the gRPC reader (facts/code.ts), made with this reader as extras. */
export function readServers(
  reader: LanguageReader,
  root: Node,
  text: string,
  walked: CodeWalk = walkCode(reader.table, root, text, reader),
): ServerFacts {
  const { table } = reader;
  const w: Walked = {
    ...walked,
    imports: walked.imports.entries,
    syntax: table.syntax,
    ev: new Evaluator(valueHooks(table, walked.scope), walked.scope),
  };
  const out: ServerFacts = {
    language: reader.language,
    http: [],
    serves: [],
    signals: [],
    drainCalls: [],
    drainTimeouts: [],
    keepalive: { clients: [], servers: [] },
    imports: walked.imports,
  };
  reader.read(w, out);
  return out;
}

/** The expressions a name is bound to in the file (declarations and assignments), as nodes. */
export function boundNodes(w: Walked, key: string | undefined): Node[] {
  if (!key) return [];
  return (w.scope.bindings.get(key) ?? []).filter((b): b is Node => 'type' in b && typeof b.startIndex === 'number');
}

/** The node itself, or what an identifier is bound to (first binding that passes `test`). */
export function resolveNode(w: Walked, node: Node, test: (n: Node) => boolean): Node | undefined {
  const inner = unwrap(w, node);
  if (test(inner)) return inner;
  for (const bound of boundNodes(w, w.syntax.refKey(inner))) {
    const b = unwrap(w, bound);
    if (test(b)) return b;
  }
  return undefined;
}

/** Through parentheses, `await`, `&x`, `*p`. */
export function unwrap(w: Walked, node: Node): Node {
  let n = node;
  for (let i = 0; i < 8; i++) {
    const inner =
      w.syntax.transparent(n) ??
      (n.type === 'unary_expression' && n.childForFieldName('operator')?.text === '&' ? n.childForFieldName('operand') : null);
    if (!inner) return n;
    n = inner;
  }
  return n;
}

/** A duration setting from its value node. */
export function setting(w: Walked, value: Node, entry: Node | Range, unit: DurationUnit): Setting {
  const ms = durationMs(value, w.syntax, unit);
  return { ms, at: rangeOf(value), entry: Array.isArray(entry) ? entry : rangeOf(entry) };
}

export function count(w: Walked, value: Node): number | undefined {
  return numberOf(value, w.syntax);
}

/** The nearest ancestor of one of the types. */
export function enclosing(node: Node, types: ReadonlySet<string>): Node | undefined {
  for (let p = node.parent; p; p = p.parent) if (types.has(p.type)) return p;
  return undefined;
}

/** Does `node` lie inside `outer`? */
export function within(node: Node | Range, outer: Node | Range): boolean {
  const [a, b] = Array.isArray(node) ? node : rangeOf(node);
  const [c, d] = Array.isArray(outer) ? outer : rangeOf(outer);
  return a >= c && b <= d;
}

/** The code of a handler and of the file's functions it calls (one level deep): what it does on the signal. */
export function handlerNodes(w: Walked, handler: Node | undefined): Node[] {
  if (!handler) return [];
  const out: Node[] = [];
  const key = w.syntax.refKey(unwrap(w, handler));
  const named = key !== undefined ? (w.functions.get(key) ?? boundNodes(w, key)[0]) : undefined;
  const body = named ?? handler;
  out.push(body);
  for (const m of body.text.matchAll(/\b([A-Za-z_$][\w$]*)\s*\(/g)) {
    const fn = w.functions.get(m[1]!);
    if (fn && !out.includes(fn)) out.push(fn);
  }
  return out;
}

/** Calls a handler makes that neither drain nor hide a drain: exiting, logging, timers. */
const BENIGN =
  /^(process\.exit|process\.kill|console\.\w+|logger?\.\w+|log\.\w+|setTimeout|clearTimeout|setImmediate|print|sys\.exit|os\._exit|System\.exit|System\.out\.\w+|Thread|Runtime\.getRuntime|\w+\.unref|\w+\.wait)$/;

/**
 * The drains a handler's code makes, by the call names it contains. A handler that calls code kubeconn cannot see
 * (an imported `shutdown(server)`) may drain: it gets `unknown`, which rules take as handled.
 */
export function drainsIn(w: Walked, nodes: readonly Node[], patterns: readonly [RegExp, string][]): string[] {
  const text = nodes.map((n) => n.text).join('\n');
  const found = patterns.filter(([re]) => re.test(text)).map(([, name]) => name);
  if (found.length > 0) return found;
  const opaque = w.calls.some(
    (c) =>
      nodes.some((n) => within(c.node, n) && c.node.id !== n.id) &&
      !w.functions.has(c.callee) &&
      !BENIGN.test(c.callee) &&
      !/^(function|lambda)$/.test(c.callee),
  );
  return opaque ? ['unknown'] : [];
}

export { rangeOf };
