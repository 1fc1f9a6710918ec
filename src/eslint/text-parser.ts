// A tolerant stand-in parser for TypeScript/JSX files in projects that have no TypeScript parser set up:
// kubeconn's rules read the source text (analysed by tree-sitter in the core), so ESLint only needs a valid
// empty Program with the file's comments, which carry `eslint-disable` directives. Projects that use
// typescript-eslint keep their parser by placing their config after kubeconn's (later configs win).
import { LineIndex } from '../api.js';
import { findComments } from './source-code.js';

export const textParser = {
  meta: { name: 'kubeconn/text-parser', version: '1' },
  parseForESLint(text: string) {
    const lines = new LineIndex(text);
    // ESLint's JavaScript language counts columns from 0.
    const loc = (offset: number) => {
      const p = lines.position(offset);
      return { line: p.line, column: p.column - 1 };
    };
    const comments = findComments(text, 'slash', (offset) => ({ line: 0, column: offset })).map((c) => ({
      type: c.type,
      value: c.value,
      range: c.range,
      loc: { start: loc(c.range[0]), end: loc(c.range[1]) },
    }));
    const ast = {
      type: 'Program',
      body: [],
      sourceType: 'module',
      range: [0, text.length],
      loc: { start: loc(0), end: loc(text.length) },
      tokens: [],
      comments,
    };
    return { ast, visitorKeys: { Program: ['body'] } };
  },
};
