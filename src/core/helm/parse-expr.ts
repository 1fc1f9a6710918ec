// Parser of what is inside an action: pipelines with declarations, commands, operands, field chains,
// parenthesised pipelines and literals (the expression half of text/template/parse/parse.go).

import type { Arg, Command, Pipe } from './ast.js';
import type { Tok } from './lexer.js';

export class PErr extends Error {
  constructor(
    readonly start: number,
    readonly end: number,
    message: string,
  ) {
    super(message);
  }
}

/** An error after which the rest of the file is not parsed (nesting too deep). */
export class Fatal extends PErr {}

export class Toks {
  i = 0;
  constructor(
    readonly toks: Tok[],
    readonly endPos: number,
  ) {}
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

export const desc = (t: Tok): string => (t.k === 'space' ? 'space' : JSON.stringify(t.text));
export const OPERAND = new Set(['bool', 'char', 'dot', 'field', 'ident', 'number', 'nil', 'string', 'var', 'lparen']);

/** Nested blocks and parentheses beyond this are an error (keeps recursion bounded). */
export const MAX_NESTING = 200;

export class ExprParser {
  protected nesting = 0;

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

  protected command(ts: Toks, inParen: boolean): Command {
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

  protected operand(ts: Toks): Arg | null {
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

  protected term(ts: Toks): Arg | null {
    const t = ts.peek();
    if (!t) return null;
    const s = { start: t.start, end: t.end };
    switch (t.k) {
      case 'ident':
        ts.next();
        return { t: 'ident', ...s, name: t.text };
      case 'dot':
        ts.next();
        return { t: 'dot', ...s };
      case 'nil':
        ts.next();
        return { t: 'nil', ...s };
      case 'var':
        ts.next();
        return { t: 'var', ...s, name: t.text, names: [] };
      case 'field':
        ts.next();
        return { t: 'field', ...s, names: [t.text.slice(1)] };
      case 'bool':
        ts.next();
        return { t: 'bool', ...s, value: t.text === 'true' };
      case 'string':
        ts.next();
        return { t: 'string', ...s, value: t.value! };
      case 'char':
        ts.next();
        return { t: 'number', ...s, value: t.value!.codePointAt(0)!, float: false, text: t.text };
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
  // Hexadecimal floats: 0x1p60, 0x1.8p-3 (mantissa in hex, binary exponent).
  if ((m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([-+]?[0-9]+)$/.exec(s)) && (m[1] || m[2])) {
    const frac = m[2] ?? '';
    const mantissa = parseInt(`${m[1] || '0'}${frac}`, 16) / 16 ** frac.length;
    return { value: sign * mantissa * 2 ** Number(m[3]), float: true };
  }
  return undefined;
}
