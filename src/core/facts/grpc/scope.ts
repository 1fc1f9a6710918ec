// Scope and values from a language table: the file's bindings, calls and helper functions' return values
// (collected during the reader's one walk), the evaluator's hooks built from the table's rows (environment
// and config reads, flags, wrappers, formatting calls, or-else operators), and the readers of numbers,
// durations and plain data every language shares.
import type { Node } from 'web-tree-sitter';
import { springPlaceholders } from '../app-config.js';
import { lastSegment } from './layout.js';
import {
  matches,
  type CallNode,
  type ConfigRow,
  type DurationUnit,
  type EnvRow,
  type FormatRow,
  type LanguageTable,
  type LiteralValue,
  type ScopeHook,
  type Syntax,
} from './table.js';
import type { Bound, FileScope, LangHooks } from './value.js';
import { pushTo } from '../../multimap.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Collects bindings (declarations, assignments), call arguments (for parameters fed by call sites) and return values. */
export class ScopeBuilder {
  private readonly bindings = new Map<string, Bound[]>();
  /** Calls by a name, in order: their argument lists are grouped by name when first asked for (FileScope.calls). */
  private readonly namedCalls: CallNode[] = [];
  /** Every visited node, in document order: helpers' return values are read from them when first asked for. */
  private readonly visited: Node[] = [];
  private readonly rows = new Map<string, LanguageTable['bindings'][number][]>();
  /** Visited nodes a binding row reads, with their place in `visited` (binding order is document order). */
  private readonly bindable: { node: Node; at: number }[] = [];
  /** Setter calls' bindings (`flag.StringVar(&addr, …)`), with their place in `visited`. */
  private readonly setters: { key: string | undefined; node: Node; at: number }[] = [];
  /** The hook's bindings, made at finish. */
  private readonly hooked: { key: string | undefined; value: Bound }[] = [];
  private readonly hook: ScopeHook | undefined;

  constructor(private readonly table: LanguageTable) {
    for (const row of table.bindings) for (const type of row.types) pushTo(this.rows, type, row);
    this.hook = table.scopeHook?.();
  }

  visit(node: Node, call: CallNode | undefined): void {
    // Binding rows are read when the bindings are first asked for (most files never look one up).
    if (this.rows.has(node.type)) this.bindable.push({ node, at: this.visited.length });
    if (call?.kind === 'call' && call.name) {
      this.namedCalls.push(call);
      // flag.StringVar(&addr, "addr", "orders:50051", …) writes the flag's value into addr.
      const flag = this.table.flags?.find((f) => f.binds !== undefined && matches(f.call, call.callee));
      const target = flag ? call.args[flag.binds!] : undefined;
      if (target)
        this.setters.push({
          key: this.table.syntax.refKey(target) ?? (target.lastNamedChild ? this.table.syntax.refKey(target.lastNamedChild) : undefined),
          node,
          at: this.visited.length,
        });
    }
    this.visited.push(node);
    this.hook?.visit(node, call);
  }

  finish(): FileScope {
    this.hook?.finish((key, value) => {
      this.hooked.push({ key, value });
    }, this.table.syntax);
    // Most files never call a helper of their own in a dial: reading every `return` (its enclosing function's
    // name, a walk up the tree) is then wasted, a tenth of the walk of a large bundle. Read on first use, while
    // the tree is alive (the scope does not outlive the reader's walk).
    const { visited } = this;
    const syntax = this.table.syntax;
    let returns: FileScope['returns'] | undefined;
    const { namedCalls } = this;
    let calls: Map<string, Node[][]> | undefined;
    // Bindings too: reading a row's names and values costs WebAssembly calls per node (1 MB of Python assignments:
    // a seventh of its analysis), and most files never look one up. Made in the order the walk saw them.
    let bound = false;
    const bindings = (): Map<string, Bound[]> => {
      if (!bound) {
        bound = true;
        this.bindAll();
      }
      return this.bindings;
    };
    return {
      get bindings() {
        return bindings();
      },
      get calls() {
        if (calls) return calls;
        calls = new Map<string, Node[][]>();
        for (const call of namedCalls) pushTo(calls, call.name!, call.args);
        return calls;
      },
      get returns() {
        if (returns) return returns;
        returns = new Map();
        for (const node of visited) {
          const returned = syntax.returnOf(node);
          if (!returned) continue;
          const fn = returns.get(returned.fn);
          if (fn) fn.values.push(returned.value);
          else returns.set(returned.fn, { values: [returned.value], at: [returned.within.startIndex, returned.within.endIndex] });
        }
        return returns;
      },
    };
  }

  /** Every binding, in the walk's order: each visited node's rows, then its setter call; the hook's last. */
  private bindAll(): void {
    let setter = 0;
    const settersUpTo = (at: number) => {
      for (; setter < this.setters.length && this.setters[setter]!.at <= at; setter++)
        this.bind(this.setters[setter]!.key, this.setters[setter]!.node);
    };
    for (const { node, at } of this.bindable) {
      settersUpTo(at - 1);
      for (const row of this.rows.get(node.type) ?? []) {
        const values = row.values(node);
        row.names(node).forEach((name, i) => {
          const value = values[i];
          if (value) this.bind(row.key ? row.key(name, this.table.syntax) : name.text, value);
        });
      }
      settersUpTo(at);
    }
    settersUpTo(Infinity);
    for (const { key, value } of this.hooked) this.bind(key, value);
  }

  private bind(key: string | undefined, value: Bound): void {
    if (!key || key === '_') return;
    const list = this.bindings.get(key);
    if (list) list.push(value);
    else this.bindings.set(key, [value]);
  }
}

/** The evaluator's per-language knowledge, from the table's rows, its grammar adapter and the file's scope. */
export function valueHooks(table: LanguageTable, scope: FileScope): LangHooks {
  const { syntax } = table;
  return {
    literal: (node) => syntax.literal(node),
    envRead(node) {
      for (const row of table.env) {
        const read = envRead(row, node, syntax);
        if (read) return read;
      }
      return undefined;
    },
    configRead(node) {
      const sections = (table.config ?? []).filter((r): r is SectionRow => 'section' in r);
      for (const row of table.config ?? []) {
        const read = configRead(row, node, { syntax, scope, sections });
        if (read) return read;
      }
      return undefined;
    },
    flagRead(node) {
      const call = syntax.call(node);
      const row = call?.kind === 'call' ? table.flags?.find((f) => matches(f.call, call.callee)) : undefined;
      const name = row && call!.args[row.nameArg] ? syntax.literal(call!.args[row.nameArg]!)?.text : undefined;
      return name ? { name, fallback: call!.args[row!.fallbackArg] } : undefined;
    },
    fileCall(node) {
      const call = syntax.call(node);
      if (call?.kind !== 'call' || !call.name) return undefined;
      const receiver = call.receiver?.type;
      // `host()`, `this.host()`, `self.host()`, a Go method `c.host()`: anything but a chain or a call result.
      if (receiver !== undefined && !/^(identifier|this|self|this_expression|base_expression)$/.test(receiver)) return undefined;
      return { fn: call.name, args: call.args };
    },
    concat(node) {
      const bin = syntax.binary(node);
      if (bin?.op === '+') return [bin.left, bin.right];
      const pieces = syntax.interpolation(node);
      if (pieces) return pieces;
      const call = syntax.call(node);
      const row = call?.kind === 'call' ? table.formats.find((f) => matches(f.call, call.callee)) : undefined;
      return row ? formatPieces(row, call!, syntax) : undefined;
    },
    orElse(node) {
      const bin = syntax.binary(node);
      return bin && table.orElse.includes(bin.op) ? [bin.left, bin.right] : undefined;
    },
    unwrap(node) {
      const inner = syntax.transparent(node);
      if (inner) return inner;
      const call = syntax.call(node);
      const row = call && table.wrappers.find((w) => (w.kind ?? 'call') === call.kind && matches(w.call, call.callee));
      return row ? call.args[row.arg] : undefined;
    },
    refKey: (node) => syntax.refKey(node),
    parameterOf: (node) => syntax.parameterOf(node),
  };
}

function envRead(row: EnvRow, node: Node, syntax: Syntax): { name?: string; nameNode?: Node; fallback?: Node } | undefined {
  const valid = (name: string | undefined) => (name !== undefined && ENV_NAME.test(name) ? name : undefined);
  if ('destructure' in row) {
    const d = syntax.destructured(node);
    const name = d?.object === row.destructure ? valid(d.property) : undefined;
    return name ? { name, fallback: d!.fallback } : undefined;
  }
  if ('member' in row) {
    const m = syntax.member(node);
    const name = m?.object === row.member ? valid(m.property) : undefined;
    return name ? { name } : undefined;
  }
  if ('index' in row) {
    const i = syntax.index(node);
    const name = i && matches(row.index, i.object) ? valid(syntax.literal(i.key)?.text) : undefined;
    return name ? { name } : undefined;
  }
  const call = syntax.call(node);
  if (call?.kind !== 'call') return undefined;
  if ('helper' in row) {
    if (!call.name || !row.helper.test(call.name) || call.args.length > row.maxArgs) return undefined;
    const name = valid(call.args[0] ? syntax.literal(call.args[0])?.text : undefined);
    return name ? { name, fallback: call.args[row.fallbackArg] } : undefined;
  }
  if (!matches(row.call, call.callee)) return undefined;
  const arg = call.args[row.nameArg ?? 0];
  if (!arg) return undefined;
  const literal = syntax.literal(arg)?.text;
  // A name that is not a literal (a helper's parameter, a constant) is evaluated by the caller.
  const name = literal === undefined ? { nameNode: arg } : valid(literal) ? { name: literal } : undefined;
  if (!name) return undefined;
  const fallback =
    (row.fallbackArg !== undefined ? call.args[row.fallbackArg] : undefined) ??
    (row.fallbackKeyword ? call.keywords.get(row.fallbackKeyword) : undefined);
  return fallback ? { ...name, fallback } : name;
}

type ConfigReadResult = ReturnType<LangHooks['configRead']>;
type SectionRow = Extract<ConfigRow, { section: unknown }>;
interface ConfigScope {
  syntax: Syntax;
  scope: FileScope;
  sections: readonly SectionRow[];
}

function configRead(row: ConfigRow, node: Node, cs: ConfigScope): ConfigReadResult {
  const { syntax } = cs;
  if ('annotation' in row) {
    const call = syntax.call(node);
    if (call?.kind !== 'annotation' || call.callee !== row.annotation || !call.args[0]) return undefined;
    const value = syntax.literal(call.args[0]);
    return value ? { parts: springPlaceholders(value.text, value.at[0]) } : undefined;
  }
  if ('options' in row) {
    const bound = row.options(node, syntax);
    return bound ? { dialect: row.dialect, key: bound.key, options: bound.type } : undefined;
  }
  const join = (prefix: string, key: string) => (prefix ? `${prefix}:${key}` : key);
  if ('index' in row) {
    const i = syntax.index(node);
    const prefix = i?.objectNode ? sectionOf(i.objectNode, row.index, cs) : undefined;
    const key = prefix !== undefined ? syntax.literal(i!.key)?.text : undefined;
    return key ? { dialect: row.dialect, key: join(prefix!, key) } : undefined;
  }
  if ('section' in row) {
    // `configuration.GetSection("Urls:Orders").Value`
    const m = syntax.member(node);
    if (m?.property !== 'Value' || !m.objectNode) return undefined;
    const key = sectionOf(m.objectNode, row.receiver, cs);
    return key ? { dialect: row.dialect, key } : undefined;
  }
  const call = syntax.call(node);
  if (call?.kind !== 'call' || !matches(row.call, call.callee) || !call.receiver) return undefined;
  const prefix = sectionOf(call.receiver, row.receiver, cs);
  const key = call.args[row.keyArg] ? syntax.literal(call.args[row.keyArg]!)?.text : undefined;
  if (prefix === undefined || !key) return undefined;
  const fallback = row.fallbackArg === undefined ? undefined : call.args[row.fallbackArg];
  return { dialect: row.dialect, key: join(prefix, join(row.prefix ?? '', key)), fallback };
}

/**
 * The section path an expression stands for: '' for the configuration itself (a name matching `root`),
 * `Urls` for `configuration.GetSection("Urls")` (also through a variable), undefined for anything else.
 */
function sectionOf(node: Node, root: RegExp, cs: ConfigScope, depth = 0): string | undefined {
  const { syntax, scope } = cs;
  if (depth > 4) return undefined;
  const key = syntax.refKey(node);
  if (key !== undefined && root.test(key)) return '';
  const call = syntax.call(node);
  const row = call?.kind === 'call' && call.receiver ? cs.sections.find((r) => matches(r.section, call.callee)) : undefined;
  if (row) {
    const parent = sectionOf(call!.receiver!, root, cs, depth + 1);
    const name = call!.args[row.keyArg] ? syntax.literal(call!.args[row.keyArg]!)?.text : undefined;
    return parent !== undefined && name ? (parent ? `${parent}:${name}` : name) : undefined;
  }
  const bound = key !== undefined ? scope.bindings.get(key) : undefined;
  const only = bound?.length === 1 ? bound[0]! : undefined;
  return only && !Array.isArray(only) && 'type' in only ? sectionOf(only, root, cs, depth + 1) : undefined;
}

/** The pieces of a formatting call: literal text from the format string, the arguments in between. */
function formatPieces(row: FormatRow, call: CallNode, syntax: Syntax): (Node | LiteralValue)[] | undefined {
  const { args } = call;
  if (row.dialect === 'hostPort')
    return args.length === 2 ? [args[0]!, { text: ':', at: [args[0]!.endIndex, args[0]!.endIndex] }, args[1]!] : undefined;
  const formatNode = row.receiver ? call.receiver : args[0];
  const format = formatNode ? syntax.literal(formatNode) : undefined;
  if (!format) return undefined;
  const values = row.receiver ? args : args.slice(1);
  const out: (Node | LiteralValue)[] = [];
  if (row.dialect === 'printf') {
    let next = 0;
    let last = 0;
    for (const m of format.text.matchAll(/%[-+# 0]*\d*(?:\.\d+)?([svdq%])/g)) {
      out.push({ text: format.text.slice(last, m.index), at: format.at });
      last = m.index + m[0].length;
      if (m[1] === '%') out.push({ text: '%', at: format.at });
      else {
        const value = values[next++];
        if (!value) return undefined;
        out.push(value);
      }
    }
    out.push({ text: format.text.slice(last), at: format.at });
    return out;
  }
  // Java's %s/%d must match the arguments one to one; Python's {} may leave some unused.
  const pieces = format.text.split(row.dialect === 'java' ? /%[sd]/ : /\{\d*\}/);
  if (row.dialect === 'java' ? pieces.length - 1 !== values.length : pieces.length - 1 > values.length) return undefined;
  pieces.forEach((p, i) => {
    out.push({ text: p, at: format.at });
    if (i < pieces.length - 1) out.push(values[i]!);
  });
  return out;
}

/** A constant number: literals and `* + -` of them (through parentheses and the unit's conversions). */
export function numberOf(node: Node, syntax: Syntax, conversions?: readonly string[]): number | undefined {
  const inner = syntax.transparent(node);
  if (inner) return numberOf(inner, syntax, conversions);
  const literal = syntax.number(node);
  if (literal !== undefined) return literal;
  if (conversions) {
    const call = syntax.call(node);
    if (call?.kind === 'call' && conversions.includes(call.callee) && call.args[0]) return numberOf(call.args[0], syntax, conversions);
  }
  const bin = syntax.binary(node);
  if (!bin || !['*', '+', '-'].includes(bin.op)) return undefined;
  const l = numberOf(bin.left, syntax, conversions);
  const r = numberOf(bin.right, syntax, conversions);
  if (l === undefined || r === undefined) return undefined;
  return bin.op === '*' ? l * r : bin.op === '+' ? l + r : l - r;
}

/** Milliseconds of a duration expression: a unit, a number in the unit's bare measure, or `n * unit`. */
export function durationMs(node: Node, syntax: Syntax, unit: DurationUnit): number | undefined {
  const inner = syntax.transparent(node);
  if (inner) return durationMs(inner, syntax, unit);
  const named = unitMs(node, syntax, unit);
  if (named !== undefined) return named;
  if (unit.conversions) {
    const call = syntax.call(node);
    if (call?.kind === 'call' && unit.conversions.includes(call.callee))
      return call.args[0] ? durationMs(call.args[0], syntax, unit) : undefined;
  }
  const n = numberOf(node, syntax, unit.conversions);
  if (n !== undefined) return unit.bare === undefined ? undefined : n * unit.bare;
  const bin = syntax.binary(node);
  if (bin?.op !== '*') return undefined;
  const scale = (count: Node, other: Node) => {
    const c = numberOf(count, syntax, unit.conversions);
    if (c === undefined) return undefined;
    const d = durationMs(other, syntax, unit);
    return d === undefined ? null : c * d;
  };
  const left = scale(bin.left, bin.right);
  if (left !== undefined) return left ?? undefined;
  return scale(bin.right, bin.left) ?? undefined;
}

/** Milliseconds of an option whose unit is an argument (`maxConnectionAge(5, TimeUnit.MINUTES)`) or part of its value. */
export function optionMs(value: Node | undefined, args: Node[], syntax: Syntax, unit: DurationUnit): number | undefined {
  if (unit.unitArg === undefined) return value ? durationMs(value, syntax, unit) : undefined;
  const amount = args[0] ? numberOf(args[0], syntax, unit.conversions) : undefined;
  const perUnit = args[unit.unitArg] ? unitMs(args[unit.unitArg]!, syntax, unit) : undefined;
  return amount !== undefined && perUnit !== undefined ? amount * perUnit : undefined;
}

function unitMs(node: Node, syntax: Syntax, unit: DurationUnit): number | undefined {
  const key = syntax.refKey(node);
  if (key === undefined) return undefined;
  const name = Object.hasOwn(unit.units, key) ? key : lastSegment(key);
  return Object.hasOwn(unit.units, name) ? unit.units[name] : undefined;
}

/** A literal's plain value (for `JSON.stringify({...})`), or undefined when any part is not a literal. */
export function plainData(node: Node, syntax: Syntax): unknown {
  const data = syntax.data(node);
  if (!data) return undefined;
  if (data.kind === 'value') return data.value;
  if (data.kind === 'list') {
    const out = data.items.map((n) => plainData(n, syntax));
    return out.includes(undefined) ? undefined : out;
  }
  const out: Record<string, unknown> = {};
  for (const { key, value } of data.entries) {
    const v = plainData(value, syntax);
    if (key === undefined || v === undefined) return undefined;
    out[key] = v;
  }
  return out;
}
