// AST of a parsed Go template. Every node keeps absolute offsets into its file; an action node's
// [start,end) is its whole `{{ … }}`, an argument's is its own source text.

export interface Span {
  start: number;
  end: number;
}

export type Arg =
  | (Span & { t: 'field'; names: string[] }) // .a.b
  | (Span & { t: 'var'; name: string; names: string[] }) // $x.a.b ('$' is the root)
  | (Span & { t: 'dot' })
  | (Span & { t: 'ident'; name: string }) // a function
  | (Span & { t: 'chain'; node: Arg; names: string[] }) // (pipeline).a.b
  | (Span & { t: 'pipe'; pipe: Pipe }) // (pipeline)
  | (Span & { t: 'string'; value: string })
  | (Span & { t: 'number'; value: number; float: boolean; text: string })
  | (Span & { t: 'bool'; value: boolean })
  | (Span & { t: 'nil' });

export interface Command extends Span {
  args: Arg[];
}

export interface Pipe extends Span {
  /** Declared or assigned variables ($x := / $x = / $i, $v := in range). */
  decl: string[];
  isAssign: boolean;
  cmds: Command[];
}

export type Node =
  | (Span & { t: 'text'; text: string })
  | (Span & { t: 'action'; pipe: Pipe })
  /** if / with; `else if` is an if nested alone in elseList. [start,end) is the opening action. */
  | (Span & { t: 'if' | 'with'; pipe: Pipe; list: Node[]; elseList: Node[] | null })
  | (Span & { t: 'range'; pipe: Pipe; list: Node[]; elseList: Node[] | null })
  | (Span & { t: 'template'; name: string; pipe: Pipe | null })
  | (Span & { t: 'break' | 'continue' })
  /** An action that could not be parsed: renders as an unknown. */
  | (Span & { t: 'error'; message: string });

export interface Define {
  name: string;
  /** File holding the define (its body's text offsets point into it). */
  file: string;
  body: Node[];
  /** The `{{ define }}` action. */
  start: number;
  end: number;
}

export interface ParseError extends Span {
  message: string;
}

export interface ParsedTemplate {
  file: string;
  /** Top-level nodes (defines removed; a block stays as a template call). */
  nodes: Node[];
  defines: Define[];
  errors: ParseError[];
}
