// What a dial target (or listen address) evaluates to, read from code without running it: string literals,
// constants and variables of the same file, environment reads (with their defaults), application config
// keys (Spring `@Value`, .NET IConfiguration / IOptions), command-line flags, concatenations, parameters fed
// by the file's own call sites, and one level of the file's own helper functions (`func host() string {
// return os.Getenv("HOST") }`). The result is a list of alternatives made of literal, environment, config
// and flag parts; the linker substitutes each workload's `env`, args and config files later.
import type { Node } from 'web-tree-sitter';
import { checkParseBudget } from '../treesitter.js';

export type Range = [number, number];

/** How an application config key is looked up: Spring's property sources, or .NET's IConfiguration. */
export type ConfigDialect = 'spring' | 'dotnet';

export type Part =
  | { kind: 'lit'; text: string; at: Range }
  | { kind: 'env'; name: string; fallback?: Part[] | null; at: Range }
  /**
   * An application config key (`orders.address`, `Urls:Orders`), resolved by the model against the config
   * files of the code's module and the environment's overrides. `options`: a .NET options class whose bound
   * section the key is relative to (`IOptions<ServiceUrls>` … `.Value.Orders`).
   */
  | { kind: 'config'; dialect: ConfigDialect; key: string; options?: string; fallback?: Part[] | null; at: Range }
  /** A command-line flag (`flag.String("orders-addr", "orders:50051", …)`), set by the container's args. */
  | { kind: 'flag'; name: string; fallback?: Part[] | null; at: Range };

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
  /** An environment read (`os.Getenv("X")`, `process.env.X`…), with the node of a default value if given; a name that is not a literal comes as its node. */
  envRead(node: Node): { name?: string; nameNode?: Node; fallback?: Node } | undefined;
  /** An application config read: a key with its default, or parts already read (a Spring `${a}:${b:9090}` placeholder string). */
  configRead(node: Node): { dialect: ConfigDialect; key: string; options?: string; fallback?: Node } | { parts: Part[] } | undefined;
  /** A command-line flag's value (`flag.String("addr", "d", …)`, the `flag.StringVar` call that binds a variable). */
  flagRead(node: Node): { name: string; fallback?: Node } | undefined;
  /** A call of a function of this file that has no receiver object (or `this`/`self`): its name and arguments. */
  fileCall(node: Node): { fn: string; args: Node[] } | undefined;
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
  bindings: Map<string, Bound[]>;
  /** function name → argument lists of its calls in this file. */
  calls: Map<string, Node[][]>;
  /** function name → the expressions its return statements return, and the function's range (helpers that wrap an env read or a constant). */
  returns: Map<string, { values: Node[]; at: Range }>;
}

/** A binding: an expression, or parts already read (an env var bound by a setter, a placeholder string). */
export type Bound = Node | Part | Part[];

const MAX_DEPTH = 8;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isPart(b: Bound): b is Part {
  return !Array.isArray(b) && 'kind' in b && typeof b.kind === 'string' && !('type' in b);
}
const MAX_ALTS = 32;

export class Evaluator {
  /** The node's value when it evaluates to exactly one literal string, with nothing unknown in it. */
  plainLiteral(node: Node, depth = 0): string | undefined {
    return this.singleLiteral(node, depth)?.text;
  }

  /** Like plainLiteral, with the place of the literal (which may sit in a constant elsewhere in the file). */
  singleLiteral(node: Node, depth = 0): Extract<Part, { kind: 'lit' }> | undefined {
    const alts = this.evaluate(node, depth);
    const parts = alts.length === 1 ? alts[0]!.parts : null;
    const part = parts?.length === 1 ? parts[0]! : undefined;
    return part?.kind === 'lit' ? part : undefined;
  }

  private readonly active = new Set<number>();
  /** The helper function being evaluated for one call, with that call's arguments (one level only). */
  private frame: { fn: string; args: Node[]; at: Range } | undefined;

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
      const name = env.name ?? (env.nameNode ? this.plainLiteral(env.nameNode, depth + 1) : undefined);
      if (name === undefined || !ENV_NAME.test(name)) return [{ parts: null, at }];
      const fallback = env.fallback ? this.single(env.fallback, depth + 1) : undefined;
      return [{ parts: [{ kind: 'env', name, fallback, at }], at }];
    }
    const config = h.configRead(node);
    if (config) {
      if ('parts' in config) return [{ parts: config.parts, at }];
      const fallback = config.fallback ? this.single(config.fallback, depth + 1) : undefined;
      const part: Part = { kind: 'config', dialect: config.dialect, key: config.key, fallback, at };
      if (config.options) part.options = config.options;
      return [{ parts: [part], at }];
    }
    const flag = h.flagRead(node);
    if (flag) {
      const fallback = flag.fallback ? this.single(flag.fallback, depth + 1) : undefined;
      return [{ parts: [{ kind: 'flag', name: flag.name, fallback, at }], at }];
    }
    const inner = h.unwrap(node);
    if (inner) return this.evaluate(inner, depth + 1);
    const either = h.orElse(node);
    if (either) {
      const left = this.evaluate(either[0], depth + 1);
      const fallback = this.single(either[1], depth + 1);
      // `process.env.X || 'default'`, `config["K"] ?? "d"`: the env or config part gets the default; anything else keeps the left side.
      return left.map((alt) =>
        alt.parts?.length === 1 && (alt.parts[0]!.kind === 'env' || alt.parts[0]!.kind === 'config') && alt.parts[0]!.fallback === undefined
          ? { parts: [{ ...alt.parts[0]!, fallback }], at: alt.at }
          : alt,
      );
    }
    const pieces = h.concat(node);
    if (pieces) {
      let acc: Alt[] = [{ parts: [], at }];
      for (const piece of pieces) {
        const options: Alt[] =
          'text' in piece && !('type' in piece)
            ? [{ parts: [{ kind: 'lit', text: piece.text, at: piece.at }], at }]
            : this.evaluate(piece, depth + 1);
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
    const helper = h.fileCall(node);
    if (helper && this.scope.returns.has(helper.fn)) return this.helperValue(helper, depth, at);
    const key = h.refKey(node);
    if (key !== undefined) {
      const param = h.parameterOf(node);
      if (param && this.frame?.fn === param.fn) {
        // A parameter of the helper being evaluated: this call's argument, read where the call is.
        const frame = this.frame;
        const arg = frame.args[param.index];
        this.frame = undefined;
        try {
          return arg ? this.evaluate(arg, depth + 1) : [{ parts: null, at }];
        } finally {
          this.frame = frame;
        }
      }
      if (param) {
        const out: Alt[] = [];
        for (const args of this.scope.calls.get(param.fn) ?? []) {
          const arg = args[param.index];
          if (!arg) continue;
          for (const alt of this.evaluate(arg, depth + 1)) {
            // The call-site argument is where this alternative is decided.
            out.push({
              parts: alt.parts,
              at: alt.at[0] >= arg.startIndex && alt.at[1] <= arg.endIndex ? alt.at : [arg.startIndex, arg.endIndex],
            });
          }
        }
        return out.length > 0 ? out : [{ parts: null, at }];
      }
      let bound = this.scope.bindings.get(key) ?? this.scope.bindings.get(lastSegment(key));
      // Inside a helper, its own locals win over same-named variables elsewhere in the file (scopes are flat here).
      const frame = this.frame;
      const local =
        frame && bound?.filter((b) => !Array.isArray(b) && !isPart(b) && b.startIndex >= frame.at[0] && b.endIndex <= frame.at[1]);
      if (local && local.length > 0) bound = local;
      if (bound && bound.length > 0) {
        const out: Alt[] = [];
        for (const b of bound) {
          if (Array.isArray(b)) out.push({ parts: b, at: b.length > 0 ? [b[0]!.at[0], b[b.length - 1]!.at[1]] : at });
          else if (isPart(b)) out.push({ parts: [b], at: b.at });
          else out.push(...this.evaluate(b, depth + 1));
        }
        return dedupe(out);
      }
    }
    return [{ parts: null, at }];
  }

  /**
   * A call of one of the file's own functions: the values it returns, with its parameters bound to this call's
   * arguments. One level: inside a helper, calls of other helpers are not followed. `if v, ok :=
   * os.LookupEnv("X"); ok { return v }; return "d"` reads as X with the default "d".
   */
  private helperValue(call: { fn: string; args: Node[] }, depth: number, at: Range): Alt[] {
    if (this.frame) return [{ parts: null, at }];
    const fn = this.scope.returns.get(call.fn)!;
    this.frame = { ...call, at: fn.at };
    try {
      const alts = fn.values.flatMap((r) => this.evaluate(r, depth + 1));
      const envs = alts.filter((a) => a.parts?.length === 1 && a.parts[0]!.kind === 'env' && a.parts[0]!.fallback === undefined);
      const others = alts.filter((a) => !envs.includes(a));
      if (envs.length === 1 && others.length === 1 && others[0]!.parts && !others[0]!.parts.some((p) => p.kind !== 'lit')) {
        return [{ parts: [{ ...(envs[0]!.parts![0] as Extract<Part, { kind: 'env' }>), fallback: others[0]!.parts }], at: envs[0]!.at }];
      }
      return alts.length > 0 ? dedupe(alts) : [{ parts: null, at }];
    } finally {
      this.frame = undefined;
    }
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
    if (p.kind === 'lit' && prev?.kind === 'lit')
      out[out.length - 1] = { kind: 'lit', text: prev.text + p.text, at: [prev.at[0], p.at[1]] };
    else out.push(p);
  }
  return out;
}

function dedupe(alts: Alt[]): Alt[] {
  const seen = new Set<string>();
  return alts.filter((a) => {
    const key = JSON.stringify([
      a.parts?.map((p) => (p.kind === 'lit' ? p.text : p.kind === 'config' ? `@${p.options ?? ''}:${p.key}` : `$${p.name}`)),
      a.at,
    ]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** How the parts that are not literals get their values: env vars, config keys, flags (undefined: unknown). */
export interface PartValues {
  env(name: string): string | undefined;
  /** A config key's value; `fallback` renders the code's own default. Absent: config keys are unknown. */
  config?(part: Extract<Part, { kind: 'config' }>, fallback: () => string | undefined): string | undefined;
  /** A flag's value as the program's arguments set it (`fallback`: the flag's default); absent: the default applies. */
  flag?(part: Extract<Part, { kind: 'flag' }>, fallback: () => string | undefined): string | undefined;
}

/** The text of an alternative when every part is known, else undefined. `values` may be just the env lookup. */
export function renderParts(parts: Part[] | null, values: PartValues | PartValues['env']): string | undefined {
  if (!parts) return undefined;
  const v: PartValues = typeof values === 'function' ? { env: values } : values;
  let out = '';
  for (const p of parts) {
    const fallback = () => renderParts(p.kind === 'lit' ? null : (p.fallback ?? null), v);
    const text =
      p.kind === 'lit'
        ? p.text
        : p.kind === 'env'
          ? (v.env(p.name) ?? fallback())
          : p.kind === 'config'
            ? v.config?.(p, fallback)
            : v.flag
              ? v.flag(p, fallback)
              : fallback();
    if (text === undefined) return undefined;
    out += text;
  }
  return out;
}

/** Names of the environment variables an alternative reads. */
export function envNamesOf(parts: Part[] | null): string[] {
  if (!parts) return [];
  return parts.flatMap((p) =>
    p.kind === 'env' ? [p.name, ...envNamesOf(p.fallback ?? null)] : p.kind === 'lit' ? [] : envNamesOf(p.fallback ?? null),
  );
}

/** Walk every named node (iteratively: generated files can nest deeper than the JS stack). */
export function* walk(root: Node): Generator<Node> {
  const cursor = root.walk();
  let descend = true;
  let visited = 0;
  try {
    for (;;) {
      if (descend) {
        // Every reader walks the whole tree: the file's time budget is checked here, every 1024 nodes.
        if ((++visited & 15) === 0) checkParseBudget();
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
  } finally {
    cursor.delete();
  }
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
