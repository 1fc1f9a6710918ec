// Who is PID 1, and does the app get SIGTERM? Follows a container's command line through inits (tini,
// dumb-init), exec wrappers (env, gosu), shells (`sh -c`, shell form, entrypoint scripts, `exec "$@"`) and
// package managers to the app, and says whether the app gets to drain. Every verdict here was measured with
// a real PID 1 (test/pid1, docs/evidence/pid1-verdicts.md; test/pid1/verdict-agreement.test.ts checks them):
//   - PID 1 without a SIGTERM handler (a shell) drops SIGTERM; its child never hears of it.
//   - Only `sh -c` may exec its last command implicitly: bash does for the last simple command of the
//     top-level list (not inside if/fi, not once a trap is set), busybox ash also inside if/fi, dash never.
//     A script file is never exec'd implicitly by any of them.
//   - An init in front does not help a shell child that does not exec: the shell (not PID 1) dies of SIGTERM,
//     the init exits, and the kernel SIGKILLs the app — with or without tini -g / dumb-init's process group.
//   - `app & wait` needs a TERM trap that kills the child AND waits for it again: `wait` returns as soon as the
//     trap ran, the script ends, and the kernel kills the draining app.
//   - npm (also under tini, also `exec npm start`) exits at once on SIGTERM; the app is killed mid-drain.
// This module is the evaluator only: it reads shell code already parsed in the facts stage (every `sh -c`
// string, shell-form CMD, heredoc and script carries its ShellScript) and never parses anything itself.
// Where a command line comes from (images, pod specs, scripts in the image) is entrypoints.ts's business;
// what the rules say about a verdict is in rules/lib/pid1-text.ts.
import path from 'node:path';
import type { Span } from '../../finding.js';
import type { DfCommand } from '../../facts/dockerfile.js';
import type { ShCommand, ShellScript, ShStatement, ShWord } from '../../facts/shell.js';
import type { ShellFlavour } from '../images.js';

export type Layer = 'dockerfile' | 'pod' | 'script';

/** One word of a command line, with where it is written. */
export interface ArgWord {
  /** Static value; undefined when computed at run time (`$APP`). */
  value?: string;
  at: Span;
  layer: Layer;
  /** For shell code: offset in `at.file` of the code's first character, when offsets map 1:1 (else fixes search). */
  codeStart?: number;
  /** Shell form: the code is run by the image's SHELL, not written as `sh -c` by the user. */
  shellForm?: DfCommand;
  /** When the word is shell code (`sh -c` code, shell form): the code as parsed in the facts stage. */
  script?: ShellScript;
}

export type Reason =
  /** The long-running command runs as a child of a shell that stays PID 1 (or dies and takes it along). */
  | 'not-exec'
  /** Same, but more commands follow it. */
  | 'not-last'
  /** `app &` + `wait` without a TERM trap that forwards the signal. */
  | 'background'
  /** A TERM trap kills the child but the script does not wait for it again. */
  | 'trap-no-wait';

export interface ShellProblem {
  kind: 'shell';
  /** `dockerfile`/`pod`: `sh -c` code or shell form; `script`: a script file (or COPY heredoc). */
  layer: Layer;
  reason: Reason;
  /** Which shell decides: known dash (forks), or unknown /bin/sh (dash forks, bash/busybox exec). */
  flavour: ShellFlavour;
  /** true: measured to drop SIGTERM; false: depends on which /bin/sh the image has. */
  certain: boolean;
  code: ArgWord;
  /** Script file (layer script) and its parsed form. */
  file?: string;
  script: ShellScript;
  /** The long-running command, in code coordinates. */
  command?: ShCommand;
  /** Inserting `exec ` before `command` makes it PID 1 without changing what else runs. */
  execFixable: boolean;
  /** What ran this code: the shell word, the ENTRYPOINT, the pod command. */
  via: ArgWord;
}

export interface PackageManagerProblem {
  kind: 'package-manager';
  layer: Layer;
  word: ArgWord;
  name: string;
  args: ArgWord[];
}

export type Pid1Problem = ShellProblem | PackageManagerProblem;

export interface Pid1Evaluation {
  /** The app gets SIGTERM and can drain (undefined: depends on an unknown /bin/sh, or the program is unknown). */
  drains: boolean | undefined;
  problems: Pid1Problem[];
  /** An init (tini, dumb-init, catatonit, s6 /init) at the head of the command line. */
  init?: ArgWord;
  /**
   * The long-running program and its arguments, when the command line reaches it. `direct`: it receives the
   * container's stop signal (it is PID 1, or the child of a forwarding init); false: a shell stays in between.
   */
  app?: { word: ArgWord; args: ArgWord[]; direct: boolean };
}

export interface ScriptRef {
  /** Workspace file, or the Dockerfile for a COPY heredoc. */
  file: string;
  script: ShellScript;
  /** Offset of the script text in `file` (0 for a file, the heredoc body's start for a heredoc). */
  offset: number;
}

export interface Pid1Context {
  /** /bin/sh of the image. */
  flavour: ShellFlavour;
  /** A script file at this path in the image (as written in the command line), if the workspace has it. */
  resolveScript(pathInImage: string): ScriptRef | undefined;
}

export const INITS = new Set(['tini', 'tini-static', 'docker-init', 'dumb-init', 'catatonit', 'init', 's6-svscan', 'runsvdir']);
const PACKAGE_MANAGERS = new Set(['npm', 'yarn', 'pnpm', 'npx']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh']);
/** Commands that exec their argument in place (same process): the app stays PID 1. */
const EXEC_WRAPPERS: Record<string, (args: ArgWord[]) => number> = {
  env: (a) => skipWhile(a, (v, i, all) => v.startsWith('-') || v.includes('=') || (['-u', '--unset', '-C', '--chdir', '-S'].includes(all[i - 1] ?? '') && !v.startsWith('-'))),
  gosu: () => 1,
  'su-exec': () => 1,
  's6-setuidgid': () => 1,
  setpriv: (a) => skipWhile(a, (v) => v.startsWith('-')),
  chpst: (a) => skipPairs(a),
  nice: (a) => skipPairs(a, ['-n']),
  ionice: (a) => skipPairs(a, ['-c', '-n', '-p']),
  numactl: (a) => skipWhile(a, (v) => v.startsWith('-')),
  taskset: (a) => (a[0]?.value === '-c' ? 2 : 1),
  stdbuf: (a) => skipWhile(a, (v) => v.startsWith('-')),
};
/** Commands that set up and exit, or report; never the long-running process of a script. */
const TRIVIAL = new Set([
  'echo', 'printf', 'cat', 'cp', 'mv', 'rm', 'mkdir', 'chmod', 'chown', 'chgrp', 'ln', 'sed', 'awk', 'grep', 'envsubst', 'export', 'set',
  'unset', 'cd', 'source', '.', 'true', 'false', ':', 'test', '[', '[[', 'touch', 'exit', 'return', 'shift', 'local', 'readonly',
  'declare', 'typeset', 'umask', 'ulimit', 'printenv', 'id', 'whoami', 'date', 'hostname', 'wait', 'trap', 'sleep', 'tee', 'ls',
  'find', 'xargs', 'env', 'eval', 'let', 'read', 'usermod', 'useradd', 'adduser', 'addgroup', 'groupadd', 'update-ca-certificates',
]);

export function basename(value: string): string {
  return path.posix.basename(value);
}

/** Evaluate a command line as the runtime execs it. */
export function evaluateArgv(argv: ArgWord[], ctx: Pid1Context, depth = 0): Pid1Evaluation {
  const result: Pid1Evaluation = { drains: true, problems: [] };
  let i = 0;
  for (let guard = 0; guard < 16 && i < argv.length; guard++) {
    const word = argv[i]!;
    if (word.value === undefined) return { ...result, drains: undefined };
    const name = basename(word.value);
    const rest = argv.slice(i + 1);
    if (INITS.has(name) && (name !== 'init' || word.value === '/init')) {
      result.init ??= word;
      i += 1 + skipInitOptions(rest);
      continue;
    }
    const wrapper = EXEC_WRAPPERS[name];
    if (wrapper) {
      i += 1 + wrapper(rest);
      continue;
    }
    if (name === 'busybox' && rest[0]?.value && ['sh', 'ash'].includes(rest[0].value)) {
      return merge(result, evaluateShellWord({ ...word, value: 'ash' }, rest.slice(1), ctx, depth));
    }
    if (SHELLS.has(name)) return merge(result, evaluateShellWord(word, rest, ctx, depth));
    if (PACKAGE_MANAGERS.has(name)) {
      result.problems.push({ kind: 'package-manager', layer: word.layer, word, name, args: rest });
      return { ...result, drains: false };
    }
    const script = depth < 6 ? ctx.resolveScript(word.value) : undefined;
    if (script) {
      const code: ArgWord = { ...word, at: { file: script.file, start: script.offset, end: script.offset }, layer: 'script', codeStart: script.offset };
      return merge(result, evaluateCode(script.script, { mode: 'file', flavour: 'dash', fromShebang: true, code, via: word, args: rest, ctx, depth, scriptFile: script.file }));
    }
    return { ...result, app: { word, args: rest, direct: true } }; // the app itself (we assume it handles SIGTERM: that is the code's business)
  }
  return result;
}

function merge(head: Pid1Evaluation, tail: Pid1Evaluation): Pid1Evaluation {
  return { drains: tail.drains, problems: [...head.problems, ...tail.problems], init: head.init ?? tail.init, app: tail.app ?? head.app };
}

function skipInitOptions(args: ArgWord[]): number {
  let i = 0;
  while (i < args.length && args[i]!.value?.startsWith('-')) {
    const v = args[i]!.value!;
    i++;
    if (v === '--') break;
    if (['-r', '--rewrite', '-e', '-p', '-l'].includes(v)) i++; // options that take a value
  }
  return i;
}

function skipWhile(args: ArgWord[], test: (value: string, index: number, all: (string | undefined)[]) => boolean): number {
  const values = args.map((a) => a.value);
  let i = 0;
  while (i < args.length && values[i] !== undefined && test(values[i]!, i, values)) i++;
  if (values[i] === '--') i++;
  return i;
}

function skipPairs(args: ArgWord[], withValue?: string[]): number {
  let i = 0;
  while (i < args.length && args[i]!.value?.startsWith('-')) {
    const v = args[i]!.value!;
    i += !withValue || withValue.includes(v) ? (v.length === 2 ? 2 : 1) : 1;
  }
  return i;
}

/** `sh -c 'code' …` or `sh ./script …`. */
function evaluateShellWord(shell: ArgWord, args: ArgWord[], ctx: Pid1Context, depth: number): Pid1Evaluation {
  const name = basename(shell.value!);
  const flavour: ShellFlavour = name === 'bash' ? 'bash' : name === 'dash' ? 'dash' : name === 'ash' ? 'busybox' : name === 'sh' ? ctx.flavour : 'unknown';
  let i = 0;
  let commandMode = false;
  while (i < args.length && /^[-+]/.test(args[i]!.value ?? '') && args[i]!.value !== '--') {
    const v = args[i]!.value!;
    if (/^-[a-z]*c[a-z]*$/i.test(v)) commandMode = true;
    i += v === '-o' || v === '+o' ? 2 : 1;
  }
  if (args[i]?.value === '--') i++;
  const target = args[i];
  if (!target) return { drains: undefined, problems: [] };
  if (commandMode) {
    // The facts stage parsed every static `-c` code; computed code (`sh -c "$CMD"`) is unknown.
    if (target.value === undefined || !target.script) return { drains: undefined, problems: [] };
    return evaluateCode(target.script, { mode: 'c', flavour, fromShebang: false, code: target, via: shell, args: args.slice(i + 2), ctx, depth });
  }
  const ref = target.value ? ctx.resolveScript(target.value) : undefined;
  if (!ref) return { drains: undefined, problems: [] };
  const code: ArgWord = { ...target, at: { file: ref.file, start: ref.offset, end: ref.offset }, layer: 'script', codeStart: ref.offset };
  return evaluateCode(ref.script, { mode: 'file', flavour, fromShebang: false, code, via: shell, args: args.slice(i + 1), ctx, depth, scriptFile: ref.file });
}

interface Terminal {
  statement: ShStatement;
  /** Not nested in a function, branch or group (bash only execs there). */
  topLevel: boolean;
  inFunction: boolean;
  /** Commands run after it (echo "bye"): it is not the last thing the shell does. */
  trailing: boolean;
}

/** How a piece of shell code is run. */
interface CodeRun {
  /** 'c': `sh -c` code (implicit exec possible); 'file': a script. */
  mode: 'c' | 'file';
  flavour: ShellFlavour;
  /** The script is run by its own #! line. */
  fromShebang: boolean;
  /** The code's word (where it is written). */
  code: ArgWord;
  /** What ran this code: the shell word, the ENTRYPOINT, the pod command. */
  via: ArgWord;
  /** The code's own arguments (`"$@"`). */
  args: ArgWord[];
  ctx: Pid1Context;
  depth: number;
  /** The workspace file, for scripts. */
  scriptFile?: string;
}

/** Evaluate shell code as it is run. */
function evaluateCode(script: ShellScript, run: CodeRun): Pid1Evaluation {
  const { mode, flavour, fromShebang, code, via, args, ctx, depth, scriptFile } = run;
  const layer: Layer = scriptFile ? 'script' : code.layer;
  const problem = (reason: Reason, command: ShCommand | undefined, certain: boolean, execFixable: boolean): Pid1Evaluation => {
    const words = command?.name ? wordsOf([command.name, ...command.args], code, args) : [];
    return {
      drains: certain ? false : undefined,
      problems: [{ kind: 'shell', layer, reason, flavour: fromShebang ? 'unknown' : flavour, certain, code, file: scriptFile, script, command, execFixable, via }],
      app: words[0] ? { word: words[0], args: words.slice(1), direct: false } : undefined,
    };
  };
  const terminals: Terminal[] = [];
  collectTerminals(script.statements, script, { topLevel: true, inFunction: false, trailing: false }, terminals, 0);
  const flow = mainFlow(script);
  const background = flow.find((s) => s.background && s.kind === 'command');
  const waits = flow.filter((s) => s.kind === 'command' && s.name?.value === 'wait').length;
  if (background && (waits > 0 || terminals.length === 0 || terminals.every((t) => t.statement.background))) {
    const trap = script.traps.find((t) => t.signals.some((s) => s === 'TERM' || s === '15'));
    const handler = trap ? (script.functions.get(trap.action.trim().split(/\s+/)[0] ?? '')?.text ?? '') + trap.action : '';
    if (trap && /\bkill\b/.test(handler) && (/\bwait\b/.test(handler) || waits >= 2)) return { drains: true, problems: [] };
    return problem(trap && /\bkill\b/.test(handler) ? 'trap-no-wait' : 'background', background as ShCommand, true, false);
  }
  let evaluation: Pid1Evaluation = { drains: true, problems: [] };
  for (const terminal of terminals) {
    const statement = terminal.statement;
    if (statement.kind !== 'command') {
      if (statement.background) continue;
      const first = statement.kind === 'opaque' ? statement.commands.find((c) => !TRIVIAL.has(c.name?.value ?? '')) : undefined;
      return problem('not-exec', first, true, false);
    }
    if (statement.name?.value === 'exec' && statement.args.length > 0) {
      const next = evaluateArgv(execArgv(statement, code, args), ctx, depth + 1);
      evaluation = combine(evaluation, next);
      continue;
    }
    if (statement.background) continue;
    const implicit = mode === 'c' && !terminal.trailing && !terminal.inFunction && (
      (flavour === 'bash' && terminal.topLevel && script.traps.length === 0) || flavour === 'busybox');
    if (implicit) {
      evaluation = combine(evaluation, evaluateArgv(wordsOf(statement.name ? [statement.name, ...statement.args] : statement.args, code, args), ctx, depth + 1));
      continue;
    }
    const certain = mode === 'file' || flavour === 'dash' || terminal.trailing || (flavour === 'bash' && (!terminal.topLevel || script.traps.length > 0));
    const out = problem(terminal.trailing ? 'not-last' : 'not-exec', statement, certain, !terminal.trailing);
    evaluation = combine(evaluation, out);
  }
  return evaluation;
}

function combine(a: Pid1Evaluation, b: Pid1Evaluation): Pid1Evaluation {
  const drains = a.drains === false || b.drains === false ? false : a.drains === undefined || b.drains === undefined ? undefined : true;
  return { drains, problems: [...a.problems, ...b.problems], init: a.init ?? b.init, app: a.app ?? b.app };
}

/** The statements that run last: through lists, branches, groups and calls of the script's own functions. */
function collectTerminals(list: ShStatement[], script: ShellScript, where: Omit<Terminal, 'statement'>, out: Terminal[], depth: number): void {
  if (depth > 8) return;
  let trailing = where.trailing;
  for (let i = list.length - 1; i >= 0; i--) {
    const s = list[i]!;
    if (isTrivial(s)) {
      if (s.kind === 'command' && s.name?.value === 'exit') trailing = where.trailing; // exit after the app: fine to exec
      else trailing = true;
      continue;
    }
    const at = { ...where, trailing };
    if (s.kind === 'command') {
      const fn = s.name?.value ? script.functions.get(s.name.value) : undefined;
      if (fn && !s.background) collectTerminals(fn.body, script, { ...at, topLevel: false, inFunction: true }, out, depth + 1);
      else out.push({ ...at, statement: s });
    } else if (s.kind === 'list') {
      collectTerminals(s.items.slice(-1), script, at, out, depth + 1);
    } else if (s.kind === 'branches') {
      for (const b of s.branches) collectTerminals(b, script, { ...at, topLevel: false }, out, depth + 1);
    } else if (s.kind === 'group') {
      collectTerminals(s.body, script, { ...at, topLevel: false }, out, depth + 1);
    } else {
      out.push({ ...at, statement: s });
    }
    return;
  }
}

function isTrivial(s: ShStatement): boolean {
  if (s.kind === 'command') return !s.background && (s.name === undefined || TRIVIAL.has(s.name.value ?? '') || (s.name.value === 'exec' && s.args.length === 0));
  if (s.kind === 'opaque') return ['variable_assignment', 'declaration_command', 'test_command', 'unset_command', 'negated_command', 'variable_assignments'].includes(s.construct);
  return false;
}

/** Top-level statements and the bodies of functions they call, in order. */
function mainFlow(script: ShellScript): ShCommand[] {
  const out: ShCommand[] = [];
  const visit = (list: ShStatement[], depth: number): void => {
    for (const s of list) {
      if (s.kind === 'command') {
        const fn = s.name?.value ? script.functions.get(s.name.value) : undefined;
        if (fn && depth < 4) visit(fn.body, depth + 1);
        else out.push(s);
      } else if (s.kind === 'list') visit(s.items, depth);
      else if (s.kind === 'group') visit(s.body, depth);
    }
  };
  visit(script.statements, 0);
  return out;
}

/** `exec [-a name] [-cl] cmd args` → the argv it execs. */
function execArgv(command: ShCommand, code: ArgWord, args: ArgWord[]): ArgWord[] {
  let words = command.args;
  while (words[0]?.value?.startsWith('-')) words = words[0].value === '-a' ? words.slice(2) : words.slice(1);
  return wordsOf(words, code, args);
}

/** Shell words as ArgWords located in the file: `"$@"` expands to the code's arguments. */
function wordsOf(words: ShWord[], code: ArgWord, args: ArgWord[]): ArgWord[] {
  return words.flatMap((w) => {
    if (w.allArgs) return args;
    const at = code.codeStart !== undefined ? { file: code.at.file, start: code.codeStart + w.start, end: code.codeStart + w.end } : code.at;
    // Nested code (`exec sh -c '…'`) maps 1:1 onto the file only when its word is unquoted in the outer code.
    return [{ value: w.value, at, layer: code.layer, script: w.script }];
  });
}

