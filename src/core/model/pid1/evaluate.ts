// Who is PID 1, and does the app get SIGTERM? Follows a container's command line through inits (tini,
// dumb-init), exec wrappers (env, gosu), shells (`sh -c`, shell form, entrypoint scripts, `exec "$@"`) and
// package managers to the app, and says whether the app gets to drain. Every verdict here was measured with
// a real PID 1 (test/pid1, docs/evidence/pid1-verdicts.md, docs/evidence/runtime-shells.md and
// runtime-package-managers.md; test/pid1/verdict-agreement.test.ts and evidence-agreement.test.ts check them):
//   - PID 1 without a SIGTERM handler (a shell) drops SIGTERM; its child never hears of it.
//   - Only `sh -c` may exec its last command implicitly. Debian's dash never does. bash execs a lone simple
//     command and the tail of a top-level `&&`/`||` chain, and from 5.1 on also the last command of a `;` list;
//     never with a redirection, inside `if`/`{ }`/`case`/a function, or once a trap is set. busybox ash execs the
//     last command also inside `if`/`{ }` and with redirections, but not once a trap is set. A script file is
//     never exec'd implicitly by any of them.
//   - An init in front does not help a shell child that does not exec: the shell (not PID 1) dies of SIGTERM,
//     the init exits, and the kernel SIGKILLs the app — with or without tini -g / dumb-init's process group.
//   - `app & wait` needs a TERM trap that kills the child AND waits for it again: `wait` returns as soon as the
//     trap ran, the script ends, and the kernel kills the draining app (a `wait` in a loop is reached again).
//   - Package managers: npm ≥ 7 and pnpm forward SIGTERM to the script's shell and wait for it, so the app
//     drains when that shell execs it (bash, busybox) and is cut under Debian's dash; yarn 1 exits at once on
//     SIGTERM whatever the shell; yarn ≥ 2 runs the script in its own shell and drains. The verdict is computed
//     by the package-manager-pid1 rule from the image's shell (PackageManagerProblem carries it).
// This module is the evaluator only: it reads shell code already parsed in the facts stage (every `sh -c`
// string, shell-form CMD, heredoc and script carries its ShellScript) and never parses anything itself.
// Where a command line comes from (images, pod specs, scripts in the image) is entrypoints.ts's business;
// what the rules say about a verdict is in rules/lib/pid1-text.ts.
import path from 'node:path';
import type { Span } from '../../finding.js';
import type { DfCommand } from '../../facts/dockerfile.js';
import type { ShCommand, ShellScript, ShStatement, ShWord } from '../../facts/shell.js';
import type { ImageShells, ShellFlavour } from '../images.js';

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

/**
 * Why the shell keeps the app as its child, for messages: 'script' (a script file), 'dash' (Debian's dash forks
 * even a lone command), 'bash-redirect' / 'bash-compound' / 'bash-trap' (bash forks with a redirection, inside
 * if/{ }/case, once a trap is set), 'bash-list' (bash ≤ 5.0 forks the last command of a `;` list),
 * 'busybox-trap', 'function' (no shell execs inside a function), 'pipeline' / 'subshell' / 'loop' / 'compound'
 * (never exec'd), 'trap' (a trap is set: no shell execs), 'unknown-sh' (depends on which shell /bin/sh is).
 */
export type ShellCause =
  | 'script'
  | 'dash'
  | 'bash-redirect'
  | 'bash-compound'
  | 'bash-trap'
  | 'bash-list'
  | 'busybox-trap'
  | 'function'
  | 'pipeline'
  | 'subshell'
  | 'loop'
  | 'compound'
  | 'trap'
  | 'unknown-sh'
  | 'not-last'
  | 'background'
  | 'trap-no-wait';

/** How sure the verdict is: 'certain' (measured for the shell in use), 'sh' (depends on which /bin/sh the image has), 'bash-version' (only bash ≤ 5.0 forks it). */
export type Certainty = 'certain' | 'sh' | 'bash-version';

export interface ShellProblem {
  kind: 'shell';
  /** `dockerfile`/`pod`: `sh -c` code or shell form; `script`: a script file (or COPY heredoc). */
  layer: Layer;
  reason: Reason;
  /** Which shell decides: known dash (forks), or unknown /bin/sh (dash forks, bash/busybox exec). */
  flavour: ShellFlavour;
  /** true: measured to drop SIGTERM; false: depends on the image's /bin/sh or bash version (see certainty). */
  certain: boolean;
  certainty: Certainty;
  cause: ShellCause;
  /** The image's shells (for messages: "Debian's dash", "bash 4.4 (RHEL/UBI 8)"). */
  shells: ImageShells;
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
  /** The image's /bin/sh, which npm, pnpm and yarn 1 run the script with. */
  shells: ImageShells;
  /** An init (tini, dumb-init) in front: measured to change nothing for npm/pnpm/yarn. */
  init?: ArgWord;
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
  /** /bin/sh and bash of the image. */
  shells: ImageShells;
  /** A script file at this path in the image (as written in the command line), if the workspace has it. */
  resolveScript(pathInImage: string): ScriptRef | undefined;
}

export const INITS = new Set(['tini', 'tini-static', 'docker-init', 'dumb-init', 'catatonit', 'init', 's6-svscan', 'runsvdir']);
const PACKAGE_MANAGERS = new Set(['npm', 'yarn', 'pnpm', 'npx']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh']);
/** Commands that exec their argument in place (same process): the app stays PID 1. */
const EXEC_WRAPPERS: Record<string, (args: ArgWord[]) => number> = {
  env: (a) =>
    skipWhile(
      a,
      (v, i, all) =>
        v.startsWith('-') || v.includes('=') || (['-u', '--unset', '-C', '--chdir', '-S'].includes(all[i - 1] ?? '') && !v.startsWith('-')),
    ),
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
  'echo',
  'printf',
  'cat',
  'cp',
  'mv',
  'rm',
  'mkdir',
  'chmod',
  'chown',
  'chgrp',
  'ln',
  'sed',
  'awk',
  'grep',
  'envsubst',
  'export',
  'set',
  'unset',
  'cd',
  'source',
  '.',
  'true',
  'false',
  ':',
  'test',
  '[',
  '[[',
  'touch',
  'exit',
  'return',
  'shift',
  'local',
  'readonly',
  'declare',
  'typeset',
  'umask',
  'ulimit',
  'printenv',
  'id',
  'whoami',
  'date',
  'hostname',
  'wait',
  'trap',
  'sleep',
  'tee',
  'ls',
  'find',
  'xargs',
  'env',
  'eval',
  'let',
  'read',
  'usermod',
  'useradd',
  'adduser',
  'addgroup',
  'groupadd',
  'update-ca-certificates',
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
      // Whether the app drains depends on the package manager and the shell (decided by the rule).
      result.problems.push({ kind: 'package-manager', layer: word.layer, word, name, args: rest, shells: ctx.shells, init: result.init });
      return { ...result, drains: undefined };
    }
    const script = depth < 6 ? ctx.resolveScript(word.value) : undefined;
    if (script) {
      const code: ArgWord = {
        ...word,
        at: { file: script.file, start: script.offset, end: script.offset },
        layer: 'script',
        codeStart: script.offset,
      };
      return merge(
        result,
        evaluateCode(script.script, {
          mode: 'file',
          flavour: 'unknown',
          fromShebang: true,
          code,
          via: word,
          args: rest,
          ctx,
          depth,
          scriptFile: script.file,
        }),
      );
    }
    return { ...result, app: { word, args: rest, direct: true } }; // the app itself (we assume it handles SIGTERM: that is the code's business)
  }
  return result;
}

/**
 * How a package manager's script runs: npm, pnpm and yarn 1 hand it to `/bin/sh -c` (the image's shell), so
 * the app drains only if that shell execs it. `code` says where the script is written (package.json).
 */
export function evaluateScriptCode(script: ShellScript, code: ArgWord, shells: ImageShells): Pid1Evaluation {
  const flavour = shells.sh === 'none' ? 'unknown' : shells.sh;
  return evaluateCode(script, {
    mode: 'c',
    flavour,
    fromShebang: false,
    code,
    via: code,
    args: [],
    ctx: { shells, resolveScript: () => undefined },
    depth: 1,
  });
}

/** Which package manager runs a script, as far as its SIGTERM handling goes (measured: runtime-package-managers.md). */
export type PackageManagerKind = 'npm' | 'pnpm' | 'yarn1' | 'yarn-berry';

/**
 * Does the app drain when this package manager is PID 1 (or under tini)? npm ≥ 7 and pnpm forward SIGTERM to the
 * script's shell and wait: the app drains iff that shell execs it. yarn 1 exits at once. yarn ≥ 2 spawns node
 * from its own shell and waits. `shellExecs` is the script's verdict under the image's /bin/sh.
 */
export function packageManagerDrains(kind: PackageManagerKind, shellExecs: boolean | undefined): boolean | undefined {
  if (kind === 'yarn1') return false;
  if (kind === 'yarn-berry') return true;
  return shellExecs;
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
  const sh = ctx.shells.sh === 'none' ? 'unknown' : ctx.shells.sh;
  const flavour: ShellFlavour =
    name === 'bash' ? 'bash' : name === 'dash' ? 'dash' : name === 'ash' ? 'busybox' : name === 'sh' ? sh : 'unknown';
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
    return evaluateCode(target.script, {
      mode: 'c',
      flavour,
      fromShebang: false,
      code: target,
      via: shell,
      args: args.slice(i + 2),
      ctx,
      depth,
    });
  }
  const ref = target.value ? ctx.resolveScript(target.value) : undefined;
  if (!ref) return { drains: undefined, problems: [] };
  const code: ArgWord = { ...target, at: { file: ref.file, start: ref.offset, end: ref.offset }, layer: 'script', codeStart: ref.offset };
  return evaluateCode(ref.script, {
    mode: 'file',
    flavour,
    fromShebang: false,
    code,
    via: shell,
    args: args.slice(i + 1),
    ctx,
    depth,
    scriptFile: ref.file,
  });
}

interface Terminal {
  statement: ShStatement;
  /** Not nested in a function, branch or group (bash only execs there). */
  topLevel: boolean;
  inFunction: boolean;
  /** Commands run after it (echo "bye"): it is not the last thing the shell does. */
  trailing: boolean;
  /** Part of a top-level `;`/newline list of several statements (bash ≤ 5.0 does not exec its tail). */
  sequence: boolean;
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
  const problem = (
    reason: Reason,
    command: ShCommand | undefined,
    verdict: { certainty: Certainty; cause: ShellCause },
    execFixable: boolean,
  ): Pid1Evaluation => {
    const words = command?.name ? wordsOf([command.name, ...command.args], code, args) : [];
    return {
      drains: verdict.certainty === 'certain' ? false : undefined,
      problems: [
        {
          kind: 'shell',
          layer,
          reason,
          flavour: fromShebang ? 'unknown' : flavour,
          certain: verdict.certainty === 'certain',
          certainty: verdict.certainty,
          cause: verdict.cause,
          shells: ctx.shells,
          code,
          file: scriptFile,
          script,
          command,
          execFixable,
          via,
        },
      ],
      app: words[0] ? { word: words[0], args: words.slice(1), direct: false } : undefined,
    };
  };
  const certainly = (cause: ShellCause) => ({ certainty: 'certain' as const, cause });
  const terminals: Terminal[] = [];
  collectTerminals(
    script.statements,
    script,
    { topLevel: true, inFunction: false, trailing: false, sequence: script.statements.length > 1 },
    terminals,
    0,
  );
  const flow = mainFlow(script);
  const background = flow.commands.find((s) => s.background);
  const waits = flow.commands.filter((s) => s.name?.value === 'wait').length + flow.loopWaits;
  if (background && (waits > 0 || terminals.length === 0 || terminals.every((t) => t.statement.background))) {
    const trap = script.traps.find((t) => t.signals.some((s) => s === 'TERM' || s === '15'));
    const handler = trap ? (script.functions.get(trap.action.trim().split(/\s+/)[0] ?? '')?.text ?? '') + trap.action : '';
    if (trap && /\bkill\b/.test(handler) && (/\bwait\b/.test(handler) || waits >= 2)) return { drains: true, problems: [] };
    const reason = trap && /\bkill\b/.test(handler) ? 'trap-no-wait' : 'background';
    return problem(reason, background, certainly(reason), false);
  }
  let evaluation: Pid1Evaluation = { drains: true, problems: [] };
  for (const terminal of terminals) {
    const statement = terminal.statement;
    if (statement.kind !== 'command') {
      if (statement.background) continue;
      const first = statement.kind === 'opaque' ? statement.commands.find((c) => !TRIVIAL.has(c.name?.value ?? '')) : undefined;
      return problem('not-exec', first, certainly(constructCause(statement)), false);
    }
    if (statement.name?.value === 'exec' && statement.args.length > 0) {
      const next = evaluateArgv(execArgv(statement, code, args), ctx, depth + 1);
      evaluation = combine(evaluation, next);
      continue;
    }
    if (statement.background) continue;
    const verdict =
      mode === 'file'
        ? certainly('script')
        : terminal.trailing
          ? certainly('not-last')
          : implicitExec(flavour, ctx.shells, terminal, statement, script);
    if (verdict === 'exec') {
      evaluation = combine(
        evaluation,
        evaluateArgv(wordsOf(statement.name ? [statement.name, ...statement.args] : statement.args, code, args), ctx, depth + 1),
      );
      continue;
    }
    const out = problem(terminal.trailing ? 'not-last' : 'not-exec', statement, verdict, !terminal.trailing);
    evaluation = combine(evaluation, out);
  }
  return evaluation;
}

/**
 * Does this shell exec the last command of its `-c` code by itself (measured: docs/evidence/runtime-shells.md)?
 * 'exec', or why not and how sure that is.
 */
function implicitExec(
  flavour: ShellFlavour,
  shells: ImageShells,
  terminal: Terminal,
  statement: ShCommand,
  script: ShellScript,
): 'exec' | { certainty: Certainty; cause: ShellCause } {
  const certain = (cause: ShellCause) => ({ certainty: 'certain' as const, cause });
  if (terminal.inFunction) return certain('function');
  const trapped = script.traps.length > 0;
  switch (flavour) {
    case 'dash':
      return certain('dash');
    case 'busybox':
      return trapped ? certain('busybox-trap') : 'exec';
    case 'bash': {
      if (trapped) return certain('bash-trap');
      if (!terminal.topLevel) return certain('bash-compound');
      if (statement.redirected) return certain('bash-redirect');
      // bash 4.4/5.0 exec a lone command and the tail of a top-level &&/|| chain, not the last of a `;` list.
      if (!terminal.sequence || shells.bash === '5.1+') return 'exec';
      return { certainty: shells.bash === '≤5.0' ? 'certain' : 'bash-version', cause: 'bash-list' };
    }
    default:
      // Unknown /bin/sh: certain only where no shell execs (a trap is set).
      return trapped ? certain('trap') : { certainty: 'sh', cause: 'unknown-sh' };
  }
}

function constructCause(statement: ShStatement): ShellCause {
  if (statement.kind !== 'opaque') return 'compound';
  if (statement.construct === 'pipeline') return 'pipeline';
  if (statement.construct === 'subshell') return 'subshell';
  if (statement.body) return 'loop';
  return 'compound';
}

function combine(a: Pid1Evaluation, b: Pid1Evaluation): Pid1Evaluation {
  const drains = a.drains === false || b.drains === false ? false : a.drains === undefined || b.drains === undefined ? undefined : true;
  return { drains, problems: [...a.problems, ...b.problems], init: a.init ?? b.init, app: a.app ?? b.app };
}

/** The statements that run last: through lists, branches, groups and calls of the script's own functions. */
function collectTerminals(
  list: ShStatement[],
  script: ShellScript,
  where: Omit<Terminal, 'statement'>,
  out: Terminal[],
  depth: number,
): void {
  if (depth > 8) return;
  let trailing = where.trailing;
  for (let i = list.length - 1; i >= 0; i--) {
    const s = list[i]!;
    if (isTrivial(s)) {
      if (s.kind === 'command' && s.name?.value === 'exit')
        trailing = where.trailing; // exit after the app: fine to exec
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
  if (s.kind === 'command')
    return !s.background && (s.name === undefined || TRIVIAL.has(s.name.value ?? '') || (s.name.value === 'exec' && s.args.length === 0));
  if (s.kind === 'opaque')
    return [
      'variable_assignment',
      'declaration_command',
      'test_command',
      'unset_command',
      'negated_command',
      'variable_assignments',
    ].includes(s.construct);
  return false;
}

/**
 * The commands of the main flow, in order: top-level statements, lists, groups, branches, loop bodies and the
 * bodies of the functions they call. A `wait` inside a loop is reached again after a trap ran (loopWaits).
 */
function mainFlow(script: ShellScript): { commands: ShCommand[]; loopWaits: number } {
  const out: ShCommand[] = [];
  let loopWaits = 0;
  const visit = (list: ShStatement[], depth: number, inLoop: boolean): void => {
    for (const s of list) {
      if (s.kind === 'command') {
        const fn = s.name?.value ? script.functions.get(s.name.value) : undefined;
        if (fn && depth < 4) visit(fn.body, depth + 1, inLoop);
        else {
          out.push(s);
          if (inLoop && s.name?.value === 'wait') loopWaits++;
        }
      } else if (s.kind === 'list') visit(s.items, depth, inLoop);
      else if (s.kind === 'group') visit(s.body, depth, inLoop);
      else if (s.kind === 'branches') for (const b of s.branches) visit(b, depth, inLoop);
      else if (s.body && depth < 4) visit(s.body, depth + 1, true);
    }
  };
  visit(script.statements, 0, false);
  return { commands: out, loopWaits };
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
    const at =
      code.codeStart !== undefined ? { file: code.at.file, start: code.codeStart + w.start, end: code.codeStart + w.end } : code.at;
    // Nested code (`exec sh -c '…'`) maps 1:1 onto the file only when its word is unquoted in the outer code.
    return [{ value: w.value, at, layer: code.layer, script: w.script }];
  });
}
