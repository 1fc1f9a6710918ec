// kubeconn's ESLint languages: `kubeconn/yaml` (Kubernetes manifests, Helm templates, catalog-info.yaml),
// `kubeconn/dockerfile` and `kubeconn/code` (Go, Python, Java, C#, shell). They parse with the core's own
// extractors; a file whose syntax is broken is a parse error (ESLint's "Parsing error", fatal).
import { type CommentSyntax, defaultOptions, extractFacts, LineIndex } from '../api.js';
import { KubeconnSourceCode, type ProgramNode } from './source-code.js';

interface File {
  body: string | Uint8Array;
  path: string;
  physicalPath?: string;
}

export class KubeconnLanguage {
  readonly fileType = 'text';
  readonly lineStart = 1;
  readonly columnStart = 1;
  readonly nodeTypeKey = 'type';
  readonly visitorKeys = { Program: [] as string[] };
  readonly defaultLanguageOptions = {};

  constructor(
    readonly name: string,
    private readonly commentSyntax: (path: string) => CommentSyntax,
  ) {}

  validateLanguageOptions(): void {}

  parse(file: File): { ok: true; ast: ProgramNode } | { ok: false; errors: { message: string; line: number; column: number }[] } {
    const text = typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
    const facts = extractFacts(file.physicalPath ?? file.path, text, defaultOptions);
    const syntax = facts.problems.filter((p) => p.kind !== 'skipped');
    if (syntax.length > 0) {
      return { ok: false, errors: syntax.map((p) => ({ message: p.message, line: p.line, column: p.column })) };
    }
    const lines = new LineIndex(text);
    const end = lines.position(text.length);
    return {
      ok: true,
      ast: {
        type: 'Program',
        range: [0, text.length],
        loc: { start: { line: 1, column: 1 }, end: { line: end.line, column: end.column } },
      },
    };
  }

  createSourceCode(file: File, { ast }: { ast: ProgramNode }): KubeconnSourceCode {
    const text = typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
    return new KubeconnSourceCode({ text, ast, commentSyntax: this.commentSyntax(file.path) });
  }
}
