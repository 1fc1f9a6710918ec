// ESLint SourceCode for kubeconn's languages. Rules do not walk an AST (the core has already analysed the
// file), so the tree is a single `Program` node; what ESLint needs from us is locations and the comments
// that carry directives (`# eslint-disable-next-line kubeconn/prestop-sleep`), as in @eslint/json.
import type { CommentSyntax } from '../api.js';
import { ConfigCommentParser, Directive, TextSourceCodeBase, VisitNodeStep } from '@eslint/plugin-kit';

export interface Loc {
  line: number;
  column: number;
}

export interface ProgramNode {
  type: 'Program';
  range: [number, number];
  loc: { start: Loc; end: Loc };
}

export interface CommentNode {
  type: 'Line' | 'Block';
  value: string;
  range: [number, number];
  loc: { start: Loc; end: Loc };
}

const INLINE_CONFIG = /^\s*eslint(?:-enable|-disable(?:(?:-next)?-line)?)?(?:\s|$)/u;
const commentParser = new ConfigCommentParser();

export class KubeconnSourceCode extends TextSourceCodeBase<{
  LangOptions: Record<string, never>;
  RootNode: ProgramNode;
  SyntaxElementWithLoc: ProgramNode | CommentNode;
  ConfigNode: CommentNode;
}> {
  readonly comments: CommentNode[];
  private steps: VisitNodeStep[] | undefined;

  constructor({ text, ast, commentSyntax }: { text: string; ast: ProgramNode; commentSyntax: CommentSyntax }) {
    super({ text, ast, lineEndingPattern: /\r?\n/u });
    this.comments = findComments(text, commentSyntax, (offset) => this.getLocFromIndex(offset));
  }

  override getLoc(node: ProgramNode | CommentNode): { start: Loc; end: Loc } {
    return node.loc;
  }

  override getRange(node: ProgramNode | CommentNode): [number, number] {
    return node.range;
  }

  override getParent(): undefined {
    return undefined;
  }

  override traverse(): VisitNodeStep[] {
    this.steps ??= [
      new VisitNodeStep({ target: this.ast, phase: 1, args: [this.ast, undefined] }),
      new VisitNodeStep({ target: this.ast, phase: 2, args: [this.ast, undefined] }),
    ];
    return this.steps;
  }

  getInlineConfigNodes(): CommentNode[] {
    return this.comments.filter((c) => INLINE_CONFIG.test(c.value));
  }

  getDisableDirectives(): { problems: { ruleId: null; message: string; loc: CommentNode['loc'] }[]; directives: Directive[] } {
    const problems: { ruleId: null; message: string; loc: CommentNode['loc'] }[] = [];
    const directives: Directive[] = [];
    for (const comment of this.getInlineConfigNodes()) {
      const parsed = commentParser.parseDirective(comment.value);
      if (!parsed) continue;
      const { label, value, justification } = parsed;
      if (label === 'eslint-disable-line' && comment.loc.start.line !== comment.loc.end.line) {
        problems.push({ ruleId: null, message: `${label} comment should not span multiple lines.`, loc: comment.loc });
        continue;
      }
      if (
        label === 'eslint-disable' ||
        label === 'eslint-enable' ||
        label === 'eslint-disable-next-line' ||
        label === 'eslint-disable-line'
      ) {
        const type = label.slice('eslint-'.length) as 'disable' | 'enable' | 'disable-next-line' | 'disable-line';
        directives.push(new Directive({ type, node: comment, value, justification }));
      }
    }
    return { problems, directives };
  }

  applyInlineConfig(): {
    configs: { config: { rules: Record<string, unknown> }; loc: CommentNode['loc'] }[];
    problems: { ruleId: null; message: string; loc: CommentNode['loc'] }[];
  } {
    const configs: { config: { rules: Record<string, unknown> }; loc: CommentNode['loc'] }[] = [];
    const problems: { ruleId: null; message: string; loc: CommentNode['loc'] }[] = [];
    for (const comment of this.getInlineConfigNodes()) {
      const parsed = commentParser.parseDirective(comment.value);
      if (parsed?.label !== 'eslint') continue;
      const result = commentParser.parseJSONLikeConfig(parsed.value);
      if (result.ok) configs.push({ config: { rules: result.config }, loc: comment.loc });
      else problems.push({ ruleId: null, message: result.error.message, loc: comment.loc });
    }
    return { configs, problems };
  }
}

/**
 * Comments that can hold directives. `#` comments start a line or follow whitespace (so `a#b` and URLs
 * are not comments); `//` and block comments likewise. Strings are not tokenised: a directive-looking text
 * inside a string after whitespace is the only thing this can misread.
 */
export function findComments(text: string, syntax: CommentSyntax, locOf: (offset: number) => Loc): CommentNode[] {
  if (!text.includes('eslint')) return [];
  const out: CommentNode[] = [];
  const pattern = syntax === 'hash' ? /(^|[ \t])#([^\n\r]*)/gm : /(^|[ \t;{}(),])(?:\/\/([^\n\r]*)|\/\*([\s\S]*?)\*\/)/gm;
  for (const m of text.matchAll(pattern)) {
    const start = m.index + m[1]!.length;
    const end = m.index + m[0].length;
    const block = syntax === 'slash' && m[3] !== undefined;
    out.push({
      type: block ? 'Block' : 'Line',
      value: block ? m[3]! : m[2]!,
      range: [start, end],
      loc: { start: locOf(start), end: locOf(end) },
    });
  }
  return out;
}
