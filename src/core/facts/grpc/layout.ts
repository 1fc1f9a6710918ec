// Node helpers shared by the grammar adapters, and the layout records that edits need (a list's entries,
// whether it spans lines, the indent of its last entry), taken while the tree is alive as plain data.
import type { Node } from 'web-tree-sitter';
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
