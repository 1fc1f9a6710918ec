// The one walk over a code file's tree that the gRPC reader and the server reader share: the calls, the file's
// scope (bindings, call arguments, helpers' return values), its imports, and what a server reader asks for
// besides (nodes of some types, function declarations by name).
//
// tree-sitter's JS API costs a WebAssembly call per property and allocates an object per node, so the walk does not
// step through the tree in JS: one query finds the nodes of the types some visitor looks at (the table's `visits`:
// calls, returns, its scope hook; its binding rows' types; the server reader's), and only those become Nodes. A
// large file (a minified bundle, generated code) is mostly other nodes, which then cost nothing in JS.
import type { Node } from 'web-tree-sitter';
import { typesQuery } from './layout.js';
import type { ImportsLayout } from './shapes.js';
import { ScopeBuilder } from './scope.js';
import type { CallNode, LanguageTable } from './table.js';
import type { FileScope } from './value.js';

/** What a server reader collects in the walk besides calls and scope (servers/reader.ts). */
export interface WalkExtras {
  /** Node types to collect. */
  types: readonly string[];
  /** Node types that declare functions, and how to get their names. */
  functionTypes: readonly string[];
  functionName(node: Node): string | undefined;
}

export interface CodeWalk {
  root: Node;
  text: string;
  table: LanguageTable;
  scope: FileScope;
  /** Every call and construction, in document order. */
  calls: CallNode[];
  /** Nodes of the extras' types, by type. */
  nodes: Map<string, Node[]>;
  /** Function declarations by name (first one wins). */
  functions: Map<string, Node>;
  imports: ImportsLayout;
}

export function walkCode(table: LanguageTable, root: Node, text: string, extras?: WalkExtras): CodeWalk {
  const { syntax } = table;
  const scopeBuilder = new ScopeBuilder(table);
  const calls: CallNode[] = [];
  const nodes = new Map<string, Node[]>();
  const functions = new Map<string, Node>();
  const wanted = new Set(extras?.types ?? []);
  const functionTypes = new Set(extras?.functionTypes ?? []);
  // The tree's own query engine finds the visited nodes (in document order, outer before inner), so nodes of
  // other types never cross into JS. Its patterns match named nodes only, and each capture is named after its
  // node's type: the type is kept on the node (an own property over the prototype's getter, the same value), as
  // every visitor reads it again.
  for (const { name: type, node } of typesQuery(root.tree.language, [...visitedTypes(table, extras)])?.captures(root) ?? []) {
    Object.defineProperty(node, 'type', { value: type });
    const call = syntax.call(node);
    scopeBuilder.visit(node, call);
    if (call) calls.push(call);
    if (wanted.has(type)) {
      const list = nodes.get(type);
      if (list) list.push(node);
      else nodes.set(type, [node]);
    }
    if (functionTypes.has(type)) {
      const fn = extras!.functionName(node);
      if (fn && !functions.has(fn)) functions.set(fn, node);
    }
  }
  return {
    root,
    text,
    table,
    scope: scopeBuilder.finish(),
    calls,
    nodes,
    functions,
    imports: syntax.imports(root, text),
  };
}

/** The node types any visitor of the walk looks at. */
export function visitedTypes(table: LanguageTable, extras?: WalkExtras): Set<string> {
  return new Set([
    ...table.visits,
    ...table.bindings.flatMap((row) => row.types),
    ...(extras?.types ?? []),
    ...(extras?.functionTypes ?? []),
  ]);
}
