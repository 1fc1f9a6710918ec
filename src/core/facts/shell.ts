// Shell scripts (entrypoint.sh, and the code inside `sh -c "…"`) reduced to what decides who gets SIGTERM:
// the statements of the main flow with their commands, `&`, pipelines and branches, the functions the script
// defines, and its `trap`s. Parsed with tree-sitter-bash, which tolerates errors (a broken line stays an
// ERROR node, the rest of the script is still read).
import type { Node } from 'web-tree-sitter';
import type { Extractor, FileFacts } from './index.js';
import { checkParseBudget, parse } from './treesitter.js';

/** A word of a command: its source range, its value when it is static, and whether it is `"$@"`. */
export interface ShWord {
  text: string;
  start: number;
  end: number;
  /** The value after quote removal, when it has no expansions. */
  value?: string;
  /** `"$@"`, `$@`, `"${@}"`: the script's arguments. */
  allArgs?: boolean;
  /** The word is the code of a `-c` flag (`sh -c 'exec app'`): that code, parsed (offsets into `value`). */
  script?: ShellScript;
}

export interface ShCommand {
  kind: 'command';
  start: number;
  end: number;
  /** Start of the command name (after `VAR=x` prefixes): where `exec ` goes. */
  nameStart: number;
  name?: ShWord;
  args: ShWord[];
  background: boolean;
  /** Written with a redirection (`app > log`, `app 2>&1`): bash then forks it instead of exec'ing it. */
  redirected?: boolean;
}

export type ShStatement =
  | ShCommand
  | { kind: 'list'; start: number; end: number; items: ShStatement[]; background: boolean }
  | { kind: 'branches'; start: number; end: number; construct: 'if' | 'case'; branches: ShStatement[][]; background: boolean }
  | { kind: 'group'; start: number; end: number; body: ShStatement[]; background: boolean }
  /**
   * Pipelines, subshells, loops, negations, tests, assignments: never exec'd by a shell. Loops keep their body
   * (`while :; do app & wait $!; done` is read for `&` and `wait`).
   */
  | { kind: 'opaque'; start: number; end: number; construct: string; commands: ShCommand[]; background: boolean; body?: ShStatement[] };

export interface ShTrap {
  start: number;
  end: number;
  /** The action as written (quotes removed when static). */
  action: string;
  signals: string[];
}

export interface ShellScript {
  /** The interpreter of a `#!` line: `/bin/sh`, `/usr/bin/env bash` → `bash`. */
  interpreter?: string;
  statements: ShStatement[];
  functions: Map<string, { body: ShStatement[]; text: string }>;
  traps: ShTrap[];
  /** tree-sitter found syntax errors (analysis still ran on the rest). */
  hasErrors: boolean;
}

export interface ScriptFacts {
  script: ShellScript;
}

/** How deep `sh -c '… sh -c "…"'` code is parsed ahead (deeper code is left unparsed: unknown). */
const MAX_NESTED_CODE = 3;
let nesting = 0;

/** Is this word a shell option that takes the code to run (`-c`, `-ec`, `-xc`)? */
export function isCommandFlag(value: string | undefined): boolean {
  return value !== undefined && /^-[a-z]*c[a-z]*$/i.test(value);
}

/** Parse shell code. Offsets in the result are offsets into `text`. */
export function parseShell(text: string): ShellScript {
  const tree = parse('bash', text);
  try {
    const root = tree.rootNode;
    const functions = new Map<string, { body: ShStatement[]; text: string }>();
    const traps: ShTrap[] = [];
    const ctx: Ctx = { functions, traps };
    const statements = statementsOf(root, ctx);
    return { interpreter: interpreterOf(text), statements, functions, traps, hasErrors: root.hasError };
  } finally {
    tree.delete();
  }
}

function interpreterOf(text: string): string | undefined {
  const m = /^#![ \t]*(\S+)([^\n]*)/.exec(text);
  if (!m) return undefined;
  const bin = m[1]!;
  if (!bin.endsWith('/env')) return bin;
  // `/usr/bin/env [-S] [-i] bash …`: the first word that is not an option.
  return (
    m[2]!
      .trim()
      .split(/[ \t]+/)
      .find((w) => w && !w.startsWith('-')) ?? bin
  );
}

interface Ctx {
  functions: ShellScript['functions'];
  traps: ShTrap[];
}

/** The statements directly inside a node (program, compound_statement, a branch), in order, with `&` applied. */
function statementsOf(node: Node, ctx: Ctx, from = 0, to = node.childCount): ShStatement[] {
  const out: ShStatement[] = [];
  // All children at once: node.child(i) walks the siblings from the first, so a loop over it is quadratic
  // (a 107 KB line of `{` is 107,000 children of the program).
  const children = node.children;
  for (let i = from; i < to && i < children.length; i++) {
    checkParseBudget();
    const child = children[i];
    if (!child) continue;
    if (child.type === '&' && out.length > 0) {
      out[out.length - 1]!.background = true;
      continue;
    }
    if (!child.isNamed || child.type === 'comment') continue;
    const statement = toStatement(child, ctx);
    if (statement) out.push(statement);
  }
  return out;
}

function toStatement(node: Node, ctx: Ctx): ShStatement | undefined {
  const base = { start: node.startIndex, end: node.endIndex, background: false };
  switch (node.type) {
    case 'command':
      return toCommand(node, ctx);
    case 'redirected_statement': {
      const body = node.childForFieldName('body') ?? node.namedChild(0);
      const inner = body && body.type !== 'file_redirect' && body.type !== 'heredoc_redirect' ? toStatement(body, ctx) : undefined;
      return inner ? { ...inner, end: node.endIndex, ...(inner.kind === 'command' ? { redirected: true } : {}) } : undefined;
    }
    case 'list': {
      const items = node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment').map((c) => toStatement(c, ctx));
      return { ...base, kind: 'list', items: items.filter((s): s is ShStatement => s !== undefined) };
    }
    case 'compound_statement':
      return { ...base, kind: 'group', body: statementsOf(node, ctx) };
    case 'if_statement':
      return { ...base, kind: 'branches', construct: 'if', branches: ifBranches(node, ctx) };
    case 'case_statement':
      return {
        ...base,
        kind: 'branches',
        construct: 'case',
        branches: node.namedChildren
          .filter((c): c is Node => c?.type === 'case_item')
          .map((item) => {
            const firstBody = item.children.findIndex((c) => c?.type === ')');
            return statementsOf(item, ctx, firstBody + 1);
          }),
      };
    case 'function_definition': {
      const name = node.childForFieldName('name')?.text;
      const body = node.childForFieldName('body');
      if (name && body)
        ctx.functions.set(name, {
          body:
            body.type === 'compound_statement' ? statementsOf(body, ctx) : [toStatement(body, ctx)].filter((s): s is ShStatement => !!s),
          text: body.text,
        });
      return undefined;
    }
    case 'ERROR':
      return undefined;
    case 'while_statement':
    case 'for_statement':
    case 'c_style_for_statement': {
      const body = node.childForFieldName('body');
      return { ...base, kind: 'opaque', construct: node.type, commands: commandsIn(node, ctx), body: body ? statementsOf(body, ctx) : [] };
    }
    default:
      return { ...base, kind: 'opaque', construct: node.type, commands: commandsIn(node, ctx) };
  }
}

function ifBranches(node: Node, ctx: Ctx): ShStatement[][] {
  const branches: ShStatement[][] = [];
  const then = node.children.findIndex((c) => c?.type === 'then');
  const firstClause = node.children.findIndex((c) => c?.type === 'elif_clause' || c?.type === 'else_clause' || c?.type === 'fi');
  branches.push(statementsOf(node, ctx, then + 1, firstClause === -1 ? node.childCount : firstClause));
  for (const clause of node.namedChildren) {
    if (clause?.type === 'elif_clause') {
      const t = clause.children.findIndex((c) => c?.type === 'then');
      branches.push(statementsOf(clause, ctx, t + 1));
    } else if (clause?.type === 'else_clause') {
      branches.push(statementsOf(clause, ctx, 1));
    }
  }
  // Without an else, the if may run nothing at all: an empty branch says so.
  if (!node.namedChildren.some((c) => c?.type === 'else_clause')) branches.push([]);
  return branches;
}

function commandsIn(node: Node, ctx: Ctx): ShCommand[] {
  return node
    .descendantsOfType('command')
    .filter((c): c is Node => c !== null)
    .map((c) => toCommand(c, ctx));
}

function toCommand(node: Node, ctx: Ctx): ShCommand {
  const nameNode = node.childForFieldName('name');
  const words = node.namedChildren.filter(
    (c): c is Node =>
      c !== null && c.type !== 'command_name' && c.type !== 'variable_assignment' && !c.type.endsWith('redirect') && c.type !== 'comment',
  );
  const command: ShCommand = {
    kind: 'command',
    start: node.startIndex,
    end: node.endIndex,
    nameStart: nameNode?.startIndex ?? node.startIndex,
    name: nameNode ? toWord(nameNode) : undefined,
    args: words.map(toWord),
    background: false,
  };
  if (command.name?.value === 'trap') recordTrap(command, ctx);
  // `exec sh -c 'node app'`, `su -c '…'`: code run by a nested shell is parsed now, not when evaluated.
  command.args.forEach((word, i) => {
    const previous = i === 0 ? command.name : command.args[i - 1];
    if (word.value !== undefined && isCommandFlag(previous?.value) && nesting < MAX_NESTED_CODE) {
      nesting++;
      try {
        word.script = parseShell(word.value);
      } finally {
        nesting--;
      }
    }
  });
  return command;
}

function recordTrap(command: ShCommand, ctx: Ctx): void {
  const args = command.args.filter((a) => a.value !== '--');
  if (args.length < 2 || args[0]!.value === '-p' || args[0]!.value === '-l') return;
  ctx.traps.push({
    start: command.start,
    end: command.end,
    action: args[0]!.value ?? stripQuotes(args[0]!.text),
    signals: args.slice(1).map((a) => (a.value ?? a.text).toUpperCase().replace(/^SIG/, '')),
  });
}

function toWord(node: Node): ShWord {
  const text = node.type === 'command_name' ? (node.firstNamedChild?.text ?? node.text) : node.text;
  const target = node.type === 'command_name' ? (node.firstNamedChild ?? node) : node;
  return { text, start: target.startIndex, end: target.endIndex, value: staticValue(target), allArgs: /^"?\$(?:@|\{@\})"?$/.test(text) };
}

/** The value of a word without expansions: `word`, `'raw'`, `"plain"`, concatenations of those. */
function staticValue(node: Node): string | undefined {
  switch (node.type) {
    case 'word':
    case 'number':
      return node.text.replace(/\\(.)/g, '$1');
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'string':
      return node.namedChildren.every((c) => c?.type === 'string_content')
        ? node.text.slice(1, -1).replace(/\\([$`"\\\n])/g, '$1')
        : undefined;
    case 'concatenation': {
      const parts = node.namedChildren.map((c) => (c ? staticValue(c) : undefined));
      return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
    }
    default:
      return undefined;
  }
}

function stripQuotes(text: string): string {
  return /^(['"]).*\1$/s.test(text) ? text.slice(1, -1) : text;
}

const SCRIPT_NAME = /\.(sh|bash|ash|dash)$/i;
/** Names that never hold shell scripts even without an extension. */
const NOT_SCRIPTS =
  /^(Dockerfile|Containerfile|Makefile|LICENSE|README|CHANGELOG|AUTHORS|NOTICE|CODEOWNERS|OWNERS|Gemfile|Rakefile|Procfile|Vagrantfile|Jenkinsfile|Brewfile|Pipfile|Tiltfile|go\.mod|go\.sum)(\..*)?$/i;

/** A file that may be a shell script: `*.sh` (and friends), or a name without extension (checked for `#!`). */
export function mayBeScriptPath(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (SCRIPT_NAME.test(base)) return true;
  return !base.includes('.') && !NOT_SCRIPTS.test(base) && base.length > 0;
}

/** A shell `#!` line: `#!/bin/sh`, `#!/bin/bash -e`, and through env: `#!/usr/bin/env bash`, `#!/usr/bin/env -S bash -e`. */
const SHEBANG = /^#![ \t]*(?:\S*\/)?(?:env[ \t]+(?:-\S+[ \t]+)*)?(sh|bash|ash|dash|ksh|zsh|busybox)\b/;

export const shellExtractor: Extractor = {
  name: 'shell',
  claims: mayBeScriptPath,
  mayMatter: (text) => SHEBANG.test(text) || !text.startsWith('#!'),
  extract(facts: FileFacts) {
    const named = SCRIPT_NAME.test(facts.file);
    // Extensionless files count only with a shell #! line; `*.sh` files without one are still sh scripts.
    if (!named && !SHEBANG.test(facts.text)) return;
    facts.script = { script: parseShell(facts.text) };
  },
};
