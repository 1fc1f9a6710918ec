// Node helpers shared by the grammar adapters, and the layout records that edits need (a list's entries,
// whether it spans lines, the indent of its last entry), taken while the tree is alive as plain data.
import { Query, type Language, type Node } from 'web-tree-sitter';
import type { ListLayout } from './shapes.js';
import type { Syntax } from './table.js';
import { rangeOf } from './value.js';

/** Named children that are not comments. */
export function itemsOf(list: Node, comments: ReadonlySet<string>): Node[] {
  return list.namedChildren.filter((n): n is Node => n !== null && !comments.has(n.type));
}

/** Text without whitespace: `grpc . NewClient` and `grpc.NewClient` name the same callee. */
export function squash(text: string): string {
  return text.replace(/\s+/g, '');
}

export function lastSegment(key: string): string {
  const i = key.lastIndexOf('.');
  return i === -1 ? key : key.slice(i + 1);
}

export function listLayout(list: Node, syntax: Syntax, text: string): ListLayout {
  const items = itemsOf(list, syntax.comments);
  const last = items[items.length - 1];
  const lineStart = last ? text.lastIndexOf('\n', last.startIndex - 1) + 1 : list.startIndex;
  return {
    at: rangeOf(list),
    open: text[list.startIndex] === '[' ? '[' : text[list.startIndex] === '{' ? '{' : '(',
    items: items.map((n) => (syntax.spreads.has(n.type) ? { at: rangeOf(n), spread: true } : { at: rangeOf(n) })),
    multiline: last !== undefined && last.startPosition.row !== list.startPosition.row,
    indent: /^[ \t]*/.exec(text.slice(lineStart))![0],
  };
}

/**
 * The root's named children that `keep` accepts (by type and offsets), stepping with a cursor: a node object is made
 * only for those. `root.namedChildren` makes one per statement, and a bundle or a generated file has tens of
 * thousands of top-level statements.
 */
export function topLevel(root: Node, keep: (type: string, start: number, end: number) => boolean): Node[] {
  const out: Node[] = [];
  const cursor = root.walk();
  try {
    if (cursor.gotoFirstChild())
      do {
        if (cursor.nodeIsNamed && keep(cursor.nodeType, cursor.startIndex, cursor.endIndex)) out.push(cursor.currentNode);
      } while (cursor.gotoNextSibling());
  } finally {
    cursor.delete();
  }
  return out;
}

const queries = new WeakMap<Language, Map<string, Query>>();

/**
 * One query capturing any named node of the types the grammar has (a table serves JS, TS and TSX), or with
 * `parent` only its direct children of those types; compiled once per language and types. Each type is captured
 * under its own name, so a capture's name is its node's type (`node.type` costs a WebAssembly call). Undefined
 * when the grammar has none of them.
 */
export function typesQuery(language: Language, types: readonly string[], parent?: string): Query | undefined {
  let byKey = queries.get(language);
  if (!byKey) queries.set(language, (byKey = new Map<string, Query>()));
  const known = [...new Set(types)].filter((t) => /^\w+$/.test(t) && language.idForNodeType(t, true) !== null).sort();
  if (known.length === 0 || (parent !== undefined && !/^\w+$/.test(parent))) return undefined;
  const key = `${parent ?? ''} ${known.join(' ')}`;
  let query = byKey.get(key);
  if (!query) {
    const alternatives = `[${known.map((t) => `(${t}) @${t}`).join(' ')}]`;
    byKey.set(key, (query = new Query(language, parent === undefined ? alternatives : `(${parent} ${alternatives})`)));
  }
  return query;
}

/**
 * The root's children of these types, in order, found by the tree's own query engine: a cursor still costs a few
 * WebAssembly calls per statement in JS, a query none for the statements it does not return.
 */
export function topLevelOfTypes(root: Node, types: readonly string[]): Node[] {
  // maxStartDepth 0: matches start at the root only (its children are the pattern's), so the cursor does not walk
  // every statement's subtree looking for other `(module …)` nodes — most of the time on 1 MB of statements.
  return (
    typesQuery(root.tree.language, types, root.type)
      ?.captures(root, { maxStartDepth: 0 })
      .map((c) => c.node) ?? []
  );
}

/** The root's first named child that is not a comment (a file's header: a docstring, `'use strict'`, a `#!` line). */
export function firstStatement(root: Node, comments: ReadonlySet<string>): Node | undefined {
  for (let n = root.firstNamedChild; n; n = n.nextNamedSibling) if (!comments.has(n.type)) return n;
  return undefined;
}

export const NO_KEYWORDS: ReadonlyMap<string, Node> = new Map();

/** A node's child in `name`, as a list (empty when absent): the shape binding rows take. */
export function field(name: string): (node: Node) => Node[] {
  return (node) => {
    const child = node.childForFieldName(name);
    return child ? [child] : [];
  };
}

/** `left op right` for the node types that write it with those fields (every grammar here does). */
export function binaryFields(node: Node, types: readonly string[]): { op: string; left: Node; right: Node } | undefined {
  if (!types.includes(node.type)) return undefined;
  const [left, right] = [node.childForFieldName('left'), node.childForFieldName('right')];
  return left && right ? { op: node.childForFieldName('operator')?.text ?? '', left, right } : undefined;
}

/** The expression inside `( … )`. */
export function parenthesized(node: Node): Node | undefined {
  return node.type === 'parenthesized_expression' ? (node.namedChild(0) ?? undefined) : undefined;
}
