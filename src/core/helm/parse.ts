// Parser for Go text/template (text/template/parse/parse.go's grammar): lexer items → AST with offsets.
// Errors are collected, never thrown: a broken action becomes an error node, a missing {{end}} is
// closed at the end of the file, a stray {{end}}/{{else}} is dropped.

import type { Arg, Command, Define, Node, ParsedTemplate, ParseError, Pipe } from './ast.js';
import { lex, type Item, type Tok } from './lexer.js';

class PErr extends Error {
  constructor(readonly start: number, readonly end: number, message: string) {
    super(message);
  }
}

/** An error after which the rest of the file is not parsed (nesting too deep). */
class Fatal extends PErr {}

type ActionItem = Extract<Item, { t: 'action' }>;
interface Stop {
  kind: 'end' | 'else';
  item: ActionItem;
  rest: Tok[];
}

/** Parse a template file (or a `tpl` string). */
export function parseTemplate(file: string, src: string): ParsedTemplate {
  const p = new Parser(file, lex(src), src.length);
  const nodes = p.parseTop();
  return { file, nodes, defines: p.defines, errors: p.errors };
}

class Toks {
  i = 0;
  constructor(readonly toks: Tok[], readonly endPos: number) {}
  peek(): Tok | undefined {
    return this.toks[this.i];
  }
  next(): Tok | undefined {
    return this.toks[this.i++];
  }
  skipSpace(): void {
    while (this.toks[this.i]?.k === 'space') this.i++;
  }
  peekNonSpace(): Tok | undefined {
    this.skipSpace();
    return this.toks[this.i];
  }
}

const desc = (t: Tok): string => (t.k === 'space' ? 'space' : JSON.stringify(t.text));
const OPERAND = new Set(['bool', 'char', 'dot', 'field', 'ident', 'number', 'nil', 'string', 'var', 'lparen']);

/** Nested blocks and parentheses beyond this are an error (keeps recursion bounded). */
const MAX_NESTING = 200;

class Parser {
  private i = 0;
  private rangeDepth = 0;
  private nesting = 0;
  readonly defines: Define[] = [];
  readonly errors: ParseError[] = [];

  constructor(readonly file: string, readonly items: Item[], readonly srcLen: number) {}

  parseTop(): Node[] {
    try {
      return this.list(true).nodes;
    } catch (e) {
      if (!(e instanceof Fatal)) throw e;
      this.error(e.start, e.end, `${e.message}; the rest of the file is ignored`);
      return this.top;
    }
  }

  /** Top-level nodes parsed so far (what is kept when a fatal error stops the parse). */
  private top: Node[] = [];

  private error(start: number, end: number, message: string): void {
    if (this.errors.length < 100) this.errors.push({ start, end, message });
    else if (this.errors.length === 100) this.errors.push({ start, end, message: 'too many errors' });
  }

  /** Nodes up to an {{end}} or {{else}} (returned as stop) or the end of the file. */
  private list(top: boolean): { nodes: Node[]; stop?: Stop } {
    const nodes: Node[] = [];
    if (top) this.top = nodes;
    while (this.i < this.items.length) {
      const item = this.items[this.i++]!;
      if (item.t === 'text') {
        nodes.push({ t: 'text', start: item.start, end: item.end, text: item.text });
        continue;
      }
      if (item.error) {
        this.error(item.error.start, item.error.end, item.error.message);
        nodes.push({ t: 'error', start: item.start, end: item.end, message: item.error.message });
        continue;
      }
      const ts = new Toks(item.toks, item.end);
      const first = ts.peekNonSpace();
      try {
        if (first?.k === 'keyword') {
          ts.next();
          const rest = item.toks.slice(ts.i);
          switch (first.text) {
            case 'end':
            case 'else':
              if (top) {
                this.error(item.start, item.end, `unexpected {{${first.text}}}`);
                continue;
              }
              return { nodes, stop: { kind: first.text, item, rest } };
            case 'if':
            case 'with':
            case 'range':
              nodes.push(this.control(first.text, item, rest));
              continue;
            case 'define':
              if (!top) this.error(first.start, first.end, 'unexpected {{define}} inside a block');
              this.define(item, ts);
              continue;
            case 'template':
            case 'block':
              nodes.push(this.template(first.text, item, ts));
              continue;
            case 'break':
            case 'continue':
              if (this.rangeDepth === 0) throw new PErr(first.start, first.end, `{{${first.text}}} outside {{range}}`);
              if (ts.peekNonSpace()) throw new PErr(first.start, item.end, `unexpected token after {{${first.text}}}`);
              nodes.push({ t: first.text, start: item.start, end: item.end });
              continue;
          }
        }
        nodes.push({ t: 'action', start: item.start, end: item.end, pipe: this.pipeline(ts, 'command', false) });
      } catch (e) {
        if (!(e instanceof PErr) || e instanceof Fatal) throw e;
        this.error(e.start, e.end, e.message);
        nodes.push({ t: 'error', start: item.start, end: item.end, message: e.message });
      }
    }
    return { nodes };
  }

  /** The body of a block up to its {{end}}; an unterminated block is closed at the end of the file. */
  private body(opener: ActionItem, what: string): { nodes: Node[]; stop?: Stop } {
    const r = this.list(false);
    if (!r.stop) this.error(opener.start, opener.end, `unexpected EOF: {{${what}}} has no {{end}}`);
    return r;
  }

  private control(kind: 'if' | 'with' | 'range', item: ActionItem, toks: Tok[]): Node {
    if (this.nesting >= MAX_NESTING) throw new Fatal(item.start, item.end, `blocks nested more than ${MAX_NESTING} deep`);
    this.nesting++;
    try {
      return this.controlBody(kind, item, toks);
    } finally {
      this.nesting--;
    }
  }

  private controlBody(kind: 'if' | 'with' | 'range', item: ActionItem, toks: Tok[]): Node {
    let pipe: Pipe;
    try {
      pipe = this.pipeline(new Toks(toks, item.end), kind, false);
    } catch (e) {
      if (!(e instanceof PErr) || e instanceof Fatal) throw e;
      this.error(e.start, e.end, e.message);
      pipe = { start: item.start, end: item.end, decl: [], isAssign: false, cmds: [] };
    }
    if (kind === 'range') this.rangeDepth++;
    const { nodes: list, stop } = this.body(item, kind);
    if (kind === 'range') this.rangeDepth--;
    let elseList: Node[] | null = null;
    if (stop?.kind === 'else') {
      const ts = new Toks(stop.rest, stop.item.end);
      const next = ts.peekNonSpace();
      if (next?.k === 'keyword' && next.text === kind && kind !== 'range') {
        ts.next();
        elseList = [this.control(kind, stop.item, stop.rest.slice(ts.i))];
      } else {
        if (next) this.error(next.start, next.end, `unexpected ${desc(next)} in {{else}}`);
        const r = this.body(stop.item, 'else');
        elseList = r.nodes;
        let s = r.stop;
        while (s?.kind === 'else') {
          this.error(s.item.start, s.item.end, 'expected {{end}}; found {{else}}');
          const more = this.body(s.item, 'else');
          elseList.push(...more.nodes);
          s = more.stop;
        }
      }
    }
    return { t: kind, start: item.start, end: item.end, pipe, list, elseList };
  }

  private templateName(ts: Toks, kw: string): string {
    const t = ts.peekNonSpace();
    if (t?.k !== 'string') throw new PErr(t?.start ?? ts.endPos, t?.end ?? ts.endPos, `{{${kw}}} needs a quoted template name`);
    ts.next();
    return t.value!;
  }

  private define(item: ActionItem, ts: Toks): void {
    let name: string;
    try {
      name = this.templateName(ts, 'define');
      const extra = ts.peekNonSpace();
      if (extra) throw new PErr(extra.start, extra.end, `unexpected ${desc(extra)} in {{define}}`);
    } catch (e) {
      if (!(e instanceof PErr) || e instanceof Fatal) throw e;
      this.error(e.start, e.end, e.message);
      name = '';
    }
    const { nodes } = this.body(item, 'define');
    if (name) this.defines.push({ name, file: this.file, body: nodes, start: item.start, end: item.end });
  }

  private template(kw: 'template' | 'block', item: ActionItem, ts: Toks): Node {
    const name = this.templateName(ts, kw);
    const pipe = ts.peekNonSpace() ? this.pipeline(ts, kw, false) : null;
    if (kw === 'block') {
      if (!pipe) throw new PErr(item.start, item.end, '{{block}} needs a pipeline');
      const { nodes } = this.body(item, 'block');
      this.defines.push({ name, file: this.file, body: nodes, start: item.start, end: item.end });
    }
    return { t: 'template', start: item.start, end: item.end, name, pipe };
  }

  pipeline(ts: Toks, context: string, inParen: boolean): Pipe {
    const first = ts.peekNonSpace();
    const start = first?.start ?? ts.endPos;
    const decl: string[] = [];
    let isAssign = false;
    if (first?.k === 'var') {
      const save = ts.i;
      ts.next();
      const n = ts.peekNonSpace();
      if (n?.k === 'assign' || n?.k === 'declare') {
        ts.next();
        decl.push(first.text);
        isAssign = n.k === 'assign';
      } else if (n?.k === 'comma') {
        if (context !== 'range') throw new PErr(n.start, n.end, `too many declarations in ${context}`);
        ts.next();
        const v2 = ts.peekNonSpace();
        if (v2?.k !== 'var') throw new PErr(n.start, n.end, 'range can only initialize variables');
        ts.next();
        const n2 = ts.peekNonSpace();
        if (n2?.k !== 'assign' && n2?.k !== 'declare') throw new PErr(v2.start, v2.end, 'expected := after range variables');
        ts.next();
        decl.push(first.text, v2.text);
        isAssign = n2.k === 'assign';
      } else ts.i = save;
    }
    const cmds: Command[] = [];
    for (;;) {
      const t = ts.peekNonSpace();
      if (!t || (inParen && t.k === 'rparen')) break;
      if (!OPERAND.has(t.k)) throw new PErr(t.start, t.end, `unexpected ${desc(t)} in ${context}`);
      cmds.push(this.command(ts, inParen));
    }
    if (cmds.length === 0) throw new PErr(start, Math.max(start, ts.endPos - 2), `missing value for ${context}`);
    for (let k = 1; k < cmds.length; k++) {
      const a = cmds[k]!.args[0]!;
      if (['bool', 'dot', 'nil', 'number', 'string'].includes(a.t)) {
        throw new PErr(a.start, a.end, `non executable command in pipeline stage ${k + 1}`);
      }
    }
    const end = cmds[cmds.length - 1]!.end;
    return { start, end, decl, isAssign, cmds };
  }

  private command(ts: Toks, inParen: boolean): Command {
    const args: Arg[] = [];
    for (;;) {
      ts.skipSpace();
      const op = this.operand(ts);
      if (op) args.push(op);
      const t = ts.next();
      if (!t) break;
      if (t.k === 'space') continue;
      if (t.k === 'rparen' && inParen) {
        ts.i--;
        break;
      }
      if (t.k === 'pipe') {
        const n = ts.peekNonSpace();
        if (!n || !OPERAND.has(n.k)) throw new PErr(t.start, t.end, 'missing command after |');
        break;
      }
      throw new PErr(t.start, t.end, `unexpected ${desc(t)} in operand`);
    }
    if (args.length === 0) throw new PErr(ts.endPos, ts.endPos, 'empty command');
    return { start: args[0]!.start, end: args[args.length - 1]!.end, args };
  }

  private operand(ts: Toks): Arg | null {
    const term = this.term(ts);
    if (!term || ts.peek()?.k !== 'field') return term;
    const names: string[] = [];
    let end = term.end;
    while (ts.peek()?.k === 'field') {
      const f = ts.next()!;
      names.push(f.text.slice(1));
      end = f.end;
    }
    switch (term.t) {
      case 'field':
      case 'var':
        return { ...term, names: [...term.names, ...names], end };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        throw new PErr(term.start, end, `unexpected . after term ${JSON.stringify(term.t)}`);
      default:
        return { t: 'chain', start: term.start, end, node: term, names };
    }
  }

  private term(ts: Toks): Arg | null {
    const t = ts.peek();
    if (!t) return null;
    const s = { start: t.start, end: t.end };
    switch (t.k) {
      case 'ident': ts.next(); return { t: 'ident', ...s, name: t.text };
      case 'dot': ts.next(); return { t: 'dot', ...s };
      case 'nil': ts.next(); return { t: 'nil', ...s };
      case 'var': ts.next(); return { t: 'var', ...s, name: t.text, names: [] };
      case 'field': ts.next(); return { t: 'field', ...s, names: [t.text.slice(1)] };
      case 'bool': ts.next(); return { t: 'bool', ...s, value: t.text === 'true' };
      case 'string': ts.next(); return { t: 'string', ...s, value: t.value! };
      case 'char': ts.next(); return { t: 'number', ...s, value: t.value!.codePointAt(0)!, float: false, text: t.text };
      case 'number': {
        ts.next();
        const n = parseNumber(t.text);
        if (n === undefined) throw new PErr(t.start, t.end, `illegal number syntax: ${JSON.stringify(t.text)}`);
        return { t: 'number', ...s, ...n, text: t.text };
      }
      case 'lparen': {
        ts.next();
        if (this.nesting >= MAX_NESTING) throw new Fatal(t.start, t.end, `parentheses nested more than ${MAX_NESTING} deep`);
        this.nesting++;
        let pipe: Pipe;
        try {
          pipe = this.pipeline(ts, 'parenthesized pipeline', true);
        } finally {
          this.nesting--;
        }
        const r = ts.next();
        if (r?.k !== 'rparen') throw new PErr(t.start, t.end, 'unclosed left paren');
        return { t: 'pipe', start: t.start, end: r.end, pipe };
      }
      default:
        return null;
    }
  }
}

/** A Go number literal: its value and whether Go makes it a float64 (has . e p, not hex). */
export function parseNumber(text: string): { value: number; float: boolean } | undefined {
  let s = text.replace(/_/g, '');
  let sign = 1;
  if (s[0] === '+' || s[0] === '-') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '' || s.endsWith('i')) return undefined;
  let m: RegExpMatchArray | null;
  if ((m = /^0[xX]([0-9a-fA-F]+)$/.exec(s))) return { value: sign * parseInt(m[1]!, 16), float: false };
  if ((m = /^0[bB]([01]+)$/.exec(s))) return { value: sign * parseInt(m[1]!, 2), float: false };
  if ((m = /^0[oO]?([0-7]+)$/.exec(s))) return { value: sign * parseInt(m[1]!, 8), float: false };
  if (/^[0-9]+$/.test(s)) return { value: sign * parseInt(s, 10), float: false };
  if (/^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(s)) return { value: sign * parseFloat(s), float: true };
  return undefined;
}
