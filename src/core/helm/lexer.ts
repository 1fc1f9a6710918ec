// Lexer for Go text/template, as text/template/parse/lex.go does it: text and `{{ }}` actions, `{{- `/` -}}`
// trim markers, `{{/* */}}` comments, and the tokens inside actions, all with absolute offsets. Errors do not
// stop it: the broken action is skipped up to its `}}` and lexing goes on.

export type TokKind =
  | 'space'
  | 'ident'
  | 'field'
  | 'var'
  | 'dot'
  | 'string'
  | 'number'
  | 'bool'
  | 'nil'
  | 'char'
  | 'lparen'
  | 'rparen'
  | 'pipe'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'keyword';

export interface Tok {
  k: TokKind;
  start: number;
  end: number;
  /** Source text of the token. */
  text: string;
  /** Decoded value of a string or char constant. */
  value?: string;
}

export interface LexError {
  start: number;
  end: number;
  message: string;
}

export type Item =
  /** Text kept after trimming: src.slice(start, end). */
  | { t: 'text'; start: number; end: number; text: string }
  /** An action; [start,end) covers `{{` to `}}`. */
  | { t: 'action'; start: number; end: number; toks: Tok[]; error?: LexError };

export const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const ALNUM = /[\p{L}\p{Nd}_]/u;
const isAlnum = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c === '_' || (c > '\x7f' && ALNUM.test(c)));

class ActionError extends Error {
  constructor(
    readonly start: number,
    readonly end: number,
    message: string,
  ) {
    super(message);
  }
}

/** Split a template into text and action items. */
export function lex(src: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let trimNext = false;
  for (;;) {
    const open = src.indexOf('{{', pos);
    let ts = pos;
    let te = open < 0 ? src.length : open;
    if (trimNext) while (ts < te && isSpace(src[ts])) ts++;
    const leftTrim = open >= 0 && src[open + 2] === '-' && isSpace(src[open + 3]);
    if (leftTrim) while (te > ts && isSpace(src[te - 1])) te--;
    if (te > ts) items.push({ t: 'text', start: ts, end: te, text: src.slice(ts, te) });
    if (open < 0) break;
    const r = lexAction(src, open, open + 2 + (leftTrim ? 2 : 0));
    if (r.item) items.push(r.item);
    pos = r.end;
    trimNext = r.trimRight;
    if (pos >= src.length) break;
  }
  return items;
}

interface ActionResult {
  item?: Item;
  end: number;
  trimRight: boolean;
}

/** Where a right delimiter starts at `i`: ' -}}' (trim) or '}}'. */
function rightDelimAt(src: string, i: number): 0 | 1 | 2 {
  if (isSpace(src[i]) && src[i + 1] === '-' && src.startsWith('}}', i + 2)) return 2;
  if (src.startsWith('}}', i)) return 1;
  return 0;
}

function closeAt(i: number, kind: 1 | 2): { end: number; trimRight: boolean } {
  return kind === 2 ? { end: i + 4, trimRight: true } : { end: i + 2, trimRight: false };
}

function lexAction(src: string, open: number, p: number): ActionResult {
  if (src.startsWith('/*', p)) {
    const c = src.indexOf('*/', p + 2);
    if (c < 0) return broken(src, open, { start: open, end: src.length, message: 'unclosed comment' }, src.length);
    const d = rightDelimAt(src, c + 2);
    if (!d) return broken(src, open, { start: open, end: c + 2, message: 'comment ends before closing delimiter' }, c + 2);
    return closeAt(c + 2, d);
  }
  const toks: Tok[] = [];
  let depth = 0;
  let i = p;
  try {
    for (;;) {
      const d = rightDelimAt(src, i);
      if (d) {
        if (depth > 0) throw new ActionError(i, i + 2, 'unclosed left paren');
        const { end, trimRight } = closeAt(i, d);
        return { item: { t: 'action', start: open, end, toks }, end, trimRight };
      }
      if (i >= src.length) throw new ActionError(open, src.length, 'unclosed action');
      const c = src[i]!;
      const start = i;
      const push = (k: TokKind, end: number, value?: string): void => {
        toks.push(
          value === undefined ? { k, start, end, text: src.slice(start, end) } : { k, start, end, text: src.slice(start, end), value },
        );
        i = end;
      };
      if (isSpace(c)) {
        let j = i;
        while (isSpace(src[j])) j++;
        // A single space before '-}}' belongs to the delimiter.
        if (src[j] === '-' && src.startsWith('}}', j + 1)) j--;
        if (j > i) push('space', j);
        else i = j;
        continue;
      }
      switch (c) {
        case '=':
          push('assign', i + 1);
          continue;
        case ':':
          if (src[i + 1] !== '=') throw new ActionError(i, i + 1, 'expected :=');
          push('declare', i + 2);
          continue;
        case '|':
          push('pipe', i + 1);
          continue;
        case ',':
          push('comma', i + 1);
          continue;
        case '(':
          depth++;
          push('lparen', i + 1);
          continue;
        case ')':
          if (--depth < 0) throw new ActionError(i, i + 1, 'unexpected right paren');
          push('rparen', i + 1);
          continue;
        case '"': {
          const [end, v] = quoted(src, i);
          push('string', end, v);
          continue;
        }
        case '`': {
          const e = src.indexOf('`', i + 1);
          if (e < 0) throw new ActionError(i, src.length, 'unterminated raw quoted string');
          push('string', e + 1, src.slice(i + 1, e));
          continue;
        }
        case "'": {
          const [end, v] = charConst(src, i);
          push('char', end, v);
          continue;
        }
        case '$': {
          push('var', word(src, i + 1));
          continue;
        }
        case '.':
          if (!isDigit(src[i + 1])) {
            const end = word(src, i + 1);
            push(end === i + 1 ? 'dot' : 'field', end);
            continue;
          }
          break;
      }
      if (c === '+' || c === '-' || c === '.' || isDigit(c)) {
        push('number', number(src, i));
        continue;
      }
      if (isAlnum(c)) {
        const end = word(src, i);
        const w = src.slice(i, end);
        push(KEYWORDS.has(w) ? 'keyword' : w === 'true' || w === 'false' ? 'bool' : w === 'nil' ? 'nil' : 'ident', end);
        continue;
      }
      throw new ActionError(i, i + 1, `unrecognized character in action: ${JSON.stringify(c)}`);
    }
  } catch (e) {
    if (!(e instanceof ActionError)) throw e;
    return broken(src, open, { start: e.start, end: e.end, message: e.message }, e.end);
  }
}

/** A broken action: skip to the next right delimiter (or the end) and report. */
function broken(src: string, open: number, error: LexError, from: number): ActionResult {
  const close = src.indexOf('}}', Math.max(from, open + 2));
  if (close < 0) return { item: { t: 'action', start: open, end: src.length, toks: [], error }, end: src.length, trimRight: false };
  const trim = close >= 2 && src[close - 1] === '-' && isSpace(src[close - 2]);
  return { item: { t: 'action', start: open, end: close + 2, toks: [], error }, end: close + 2, trimRight: trim };
}

/** End of an identifier/field/variable name starting at i; the next character must end the word. */
function word(src: string, i: number): number {
  let j = i;
  while (isAlnum(src[j])) j++;
  const n = src[j];
  if (n !== undefined && !isSpace(n) && !'.,|:()'.includes(n) && !src.startsWith('}}', j)) {
    throw new ActionError(j, j + 1, `bad character ${JSON.stringify(n)}`);
  }
  return j;
}

function number(src: string, i: number): number {
  let j = i;
  if (src[j] === '+' || src[j] === '-') j++;
  let digits = '0123456789_';
  if (src[j] === '0') {
    j++;
    const x = src[j];
    if (x === 'x' || x === 'X') {
      digits = '0123456789abcdefABCDEF_';
      j++;
    } else if (x === 'o' || x === 'O') {
      digits = '01234567_';
      j++;
    } else if (x === 'b' || x === 'B') {
      digits = '01_';
      j++;
    }
  }
  const run = (set: string): void => {
    while (src[j] !== undefined && set.includes(src[j]!)) j++;
  };
  run(digits);
  if (src[j] === '.') {
    j++;
    run(digits);
  }
  if (digits.length === 11 && (src[j] === 'e' || src[j] === 'E')) {
    j++;
    if (src[j] === '+' || src[j] === '-') j++;
    run('0123456789_');
  }
  if (digits.length === 23 && (src[j] === 'p' || src[j] === 'P')) {
    j++;
    if (src[j] === '+' || src[j] === '-') j++;
    run('0123456789_');
  }
  if (src[j] === 'i') j++;
  if (isAlnum(src[j])) throw new ActionError(i, j + 1, `bad number syntax: ${JSON.stringify(src.slice(i, j + 1))}`);
  return j;
}

const ESC: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };

/** Decode one escape at src[i] === '\\'; returns [end, text]. */
function escape(src: string, i: number, quote: string): [number, string] {
  const c = src[i + 1];
  if (c !== undefined && c in ESC && (c !== "'" || quote === "'") && (c !== '"' || quote === '"')) return [i + 2, ESC[c]!];
  const hex = (n: number): [number, string] => {
    const h = src.slice(i + 2, i + 2 + n);
    if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) throw new ActionError(i, i + 2, 'invalid escape in quoted string');
    const cp = parseInt(h, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
      throw new ActionError(i, i + 2 + n, 'escape sequence is invalid Unicode code point');
    // \x is a byte in Go; bytes ≥ 0x80 alone are not valid UTF-8, keep them as the code point.
    return [i + 2 + n, String.fromCodePoint(cp)];
  };
  if (c === 'x') return hex(2);
  if (c === 'u') return hex(4);
  if (c === 'U') return hex(8);
  if (c !== undefined && c >= '0' && c <= '7') {
    const o = src.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(o)) throw new ActionError(i, i + 2, 'invalid escape in quoted string');
    return [i + 4, String.fromCodePoint(parseInt(o, 8))];
  }
  throw new ActionError(i, i + 2, 'invalid escape in quoted string');
}

function quoted(src: string, i: number): [number, string] {
  let out = '';
  let j = i + 1;
  for (;;) {
    const c = src[j];
    if (c === undefined || c === '\n') throw new ActionError(i, j, 'unterminated quoted string');
    if (c === '"') return [j + 1, out];
    if (c === '\\') {
      const [e, s] = escape(src, j, '"');
      out += s;
      j = e;
    } else {
      out += c;
      j++;
    }
  }
}

function charConst(src: string, i: number): [number, string] {
  let j = i + 1;
  let v: string;
  if (src[j] === '\\') [j, v] = escape(src, j, "'");
  else {
    const cp = src.codePointAt(j);
    if (cp === undefined || src[j] === '\n') throw new ActionError(i, j, 'unterminated character constant');
    v = String.fromCodePoint(cp);
    j += v.length;
  }
  if (src[j] !== "'") throw new ActionError(i, j, 'unterminated character constant');
  return [j + 1, v];
}
