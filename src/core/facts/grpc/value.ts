// What a dial target (or listen address) evaluates to, read from code without running it: string literals,
// constants and variables of the same file, environment reads (with their defaults), concatenations and
// parameters fed by the file's own call sites. The result is a list of alternatives made of literal and
// environment parts; the linker substitutes each workload's `env` later.
import type { Node } from 'web-tree-sitter';

export type Range = [number, number];

export type Part =
  | { kind: 'lit'; text: string; at: Range }
  | { kind: 'env'; name: string; fallback?: Part[] | null; at: Range };

/** One way the expression can evaluate. `parts` is null when some piece could not be read. */
export interface Alt {
  parts: Part[] | null;
  /** The code that decides this alternative (a call-site argument, the literal itself, or the expression). */
  at: Range;
}

/** Per-language knowledge the evaluator needs. */
export interface LangHooks {
  /** A string or number literal: its value and the range of the content (inside the quotes). */
  literal(node: Node): { text: string; at: Range } | undefined;
  /** An environment read (`os.Getenv("X")`, `process.env.X`…), with the node of a default value if given. */
  envRead(node: Node): { name: string; fallback?: Node } | undefined;
  /** Concatenation / interpolation: the pieces in order (strings are literal text at the given range). */
  concat(node: Node): (Node | { text: string; at: Range })[] | undefined;
  /** `a || b`, `a ?? b`, `a or b`: the value and its default. */
  orElse(node: Node): [Node, Node] | undefined;
  /** Wrappers that do not change the value: parentheses, `*p`, `await`, `String(x)`, `flag.String` defaults. */
  unwrap(node: Node): Node | undefined;
  /** Lookup key of an identifier or member access (`addr`, `self.addr`, `svc.addr`), or undefined. */
  refKey(node: Node): string | undefined;
  /** When the node is a parameter of its enclosing function: the function's name and the parameter index. */
  parameterOf(node: Node): { fn: string; index: number } | undefined;
}

/** What the language module collected from the whole file before evaluating. */
export interface FileScope {
  /** refKey → expressions assigned to it (declarations, assignments, `mustMapEnv(&x, "ENV")`-style setters). */
  bindings: Map<string, (Node | Part)[]>;
  /** function name → argument lists of its calls in this file. */
  calls: Map<string, Node[][]>;
}

const MAX_DEPTH = 8;
const MAX_ALTS = 32;

export class Evaluator {
  /** The node's value when it evaluates to exactly one literal string, with nothing unknown in it. */
  plainLiteral(node: Node): string | undefined {
    return this.singleLiteral(node)?.text;
  }

  /** Like plainLiteral, with the place of the literal (which may sit in a constant elsewhere in the file). */
  singleLiteral(node: Node): Extract<Part, { kind: 'lit' }> | undefined {
    const alts = this.evaluate(node);
    const parts = alts.length === 1 ? alts[0]!.parts : null;
    const part = parts?.length === 1 ? parts[0]! : undefined;
    return part?.kind === 'lit' ? part : undefined;
  }

  private readonly active = new Set<number>();

  constructor(
    private readonly hooks: LangHooks,
    private readonly scope: FileScope,
  ) {}

  evaluate(node: Node | null | undefined, depth = 0): Alt[] {
    if (!node) return [];
    const at: Range = [node.startIndex, node.endIndex];
    if (depth > MAX_DEPTH || this.active.has(node.id)) return [{ parts: null, at }];
    this.active.add(node.id);
    try {
      return this.evaluateInner(node, depth, at).slice(0, MAX_ALTS);
    } finally {
      this.active.delete(node.id);
    }
  }

  private evaluateInner(node: Node, depth: number, at: Range): Alt[] {
    const h = this.hooks;
    const lit = h.literal(node);
    if (lit) return [{ parts: [{ kind: 'lit', text: lit.text, at: lit.at }], at }];
    const env = h.envRead(node);
    if (env) {
      const fallback = env.fallback ? this.single(env.fallback, depth + 1) : undefined;
      return [{ parts: [{ kind: 'env', name: env.name, fallback, at }], at }];
    }
    const inner = h.unwrap(node);
    if (inner) return this.evaluate(inner, depth + 1);
    const either = h.orElse(node);
    if (either) {
      const left = this.evaluate(either[0], depth + 1);
      const fallback = this.single(either[1], depth + 1);
      // `process.env.X || 'default'`: the env part gets the default; anything else keeps the left side.
      return left.map((alt) =>
        alt.parts?.length === 1 && alt.parts[0]!.kind === 'env' && alt.parts[0]!.fallback === undefined
          ? { parts: [{ ...alt.parts[0]!, fallback }], at: alt.at }
          : alt,
      );
    }
    const pieces = h.concat(node);
    if (pieces) {
      let acc: Alt[] = [{ parts: [], at }];
      for (const piece of pieces) {
        const options: Alt[] = 'text' in piece && !('type' in piece)
          ? [{ parts: [{ kind: 'lit', text: piece.text, at: piece.at }], at }]
          : this.evaluate(piece as Node, depth + 1);
        if (options.length === 0) return [{ parts: null, at }];
        const next: Alt[] = [];
        for (const a of acc) {
          for (const o of options) {
            // A piece decided elsewhere (a call-site argument) is where this alternative comes from.
            const outside = o.at[0] < at[0] || o.at[1] > at[1];
            next.push({ parts: a.parts && o.parts ? [...a.parts, ...o.parts] : null, at: outside ? o.at : a.at });
            if (next.length >= MAX_ALTS) break;
          }
        }
        acc = next;
      }
      return acc.map((a) => ({ parts: a.parts ? mergeLiterals(a.parts) : null, at: a.at }));
    }
    const key = h.refKey(node);
    if (key !== undefined) {
      const param = h.parameterOf(node);
      if (param) {
        const out: Alt[] = [];
        for (const args of this.scope.calls.get(param.fn) ?? []) {
          const arg = args[param.index];
          if (!arg) continue;
          for (const alt of this.evaluate(arg, depth + 1)) {
            // The call-site argument is where this alternative is decided.
            out.push({ parts: alt.parts, at: alt.at[0] >= arg.startIndex && alt.at[1] <= arg.endIndex ? alt.at : [arg.startIndex, arg.endIndex] });
          }
        }
        return out.length > 0 ? out : [{ parts: null, at }];
      }
      const bound = this.scope.bindings.get(key) ?? this.scope.bindings.get(lastSegment(key));
      if (bound && bound.length > 0) {
        const out: Alt[] = [];
        for (const b of bound) {
          if ('kind' in b && (b.kind === 'lit' || b.kind === 'env') && !('type' in b)) out.push({ parts: [b as Part], at: (b as Part).at });
          else out.push(...this.evaluate(b as Node, depth + 1));
        }
        return dedupe(out);
      }
    }
    return [{ parts: null, at }];
  }

  /** The one value of a default expression, or null when unreadable or ambiguous. */
  private single(node: Node, depth: number): Part[] | null {
    const alts = this.evaluate(node, depth);
    return alts.length === 1 ? alts[0]!.parts : null;
  }
}

function lastSegment(key: string): string {
  const i = key.lastIndexOf('.');
  return i === -1 ? key : key.slice(i + 1);
}

function mergeLiterals(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (p.kind === 'lit' && prev?.kind === 'lit') out[out.length - 1] = { kind: 'lit', text: prev.text + p.text, at: [prev.at[0], p.at[1]] };
    else out.push(p);
  }
  return out;
}

function dedupe(alts: Alt[]): Alt[] {
  const seen = new Set<string>();
  return alts.filter((a) => {
    const key = JSON.stringify([a.parts?.map((p) => (p.kind === 'lit' ? p.text : `$${p.name}`)), a.at]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The text of an alternative when every part is known (env parts through `env`), else undefined. */
export function renderParts(parts: Part[] | null, env: (name: string) => string | undefined): string | undefined {
  if (!parts) return undefined;
  let out = '';
  for (const p of parts) {
    if (p.kind === 'lit') out += p.text;
    else {
      const v = env(p.name) ?? renderParts(p.fallback ?? null, env);
      if (v === undefined) return undefined;
      out += v;
    }
  }
  return out;
}

/** Names of the environment variables an alternative reads. */
export function envNamesOf(parts: Part[] | null): string[] {
  if (!parts) return [];
  return parts.flatMap((p) => (p.kind === 'env' ? [p.name, ...envNamesOf(p.fallback ?? null)] : []));
}

/** Walk every named node (iteratively: generated files can nest deeper than the JS stack). */
export function* walk(root: Node): Generator<Node> {
  const cursor = root.walk();
  let descend = true;
  for (;;) {
    if (descend) {
      if (cursor.currentNode.isNamed) yield cursor.currentNode;
      if (cursor.gotoFirstChild()) continue;
    }
    if (cursor.gotoNextSibling()) {
      descend = true;
      continue;
    }
    if (!cursor.gotoParent()) break;
    descend = false;
  }
  cursor.delete();
}

export function rangeOf(node: Node): Range {
  return [node.startIndex, node.endIndex];
}

/** Unescape the common escapes of a C-family string body. */
export function unescapeC(body: string): string {
  return body.replace(/\\(u\{?[0-9a-fA-F]+\}?|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e[0] === 'u') return String.fromCodePoint(parseInt(e.replace(/[u{}]/g, ''), 16));
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[e] ?? e;
  });
}
