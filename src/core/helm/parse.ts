// Parser for Go text/template (text/template/parse/parse.go's grammar): lexer items → AST with offsets.
// Errors are collected, never thrown: a broken action becomes an error node, a missing {{end}} is
// closed at the end of the file, a stray {{end}}/{{else}} is dropped.

import type { Define, Node, ParsedTemplate, ParseError, Pipe } from './ast.js';
import { lex, type Item, type Tok } from './lexer.js';
import { desc, ExprParser, Fatal, MAX_NESTING, PErr, Toks } from './parse-expr.js';

export { parseNumber } from './parse-expr.js';

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

class Parser extends ExprParser {
  private i = 0;
  private rangeDepth = 0;
  readonly defines: Define[] = [];
  readonly errors: ParseError[] = [];

  constructor(
    readonly file: string,
    readonly items: Item[],
    readonly srcLen: number,
  ) {
    super();
  }

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
}
