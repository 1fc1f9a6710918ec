// What the signal rules say about a PID 1 verdict, and the `exec` insertion they offer: wording and fix
// builders shared by dockerfile-exec-form, entrypoint-script-exec and pod-command-exec.
import type { Span, TextEdit } from '../../src/core/finding.js';
import type { ShellProblem } from '../../src/core/model/pid1/evaluate.js';


/** The long-running command's text as written (one line, shortened). */
export function commandText(problem: ShellProblem): string {
  const source = problem.layer === 'script' || problem.code.value === undefined ? undefined : problem.code.value;
  const cmd = problem.command;
  if (!cmd) return source?.trim().slice(0, 60) ?? 'the app';
  const text = source ?? '';
  const raw = source !== undefined ? text.slice(cmd.start, cmd.end) : [cmd.name?.text, ...cmd.args.map((a) => a.text)].filter(Boolean).join(' ');
  const one = raw.replace(/\\?\s*\n\s*/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

/** Why the app does not get SIGTERM, as a clause for messages. */
export function whyDropped(problem: ShellProblem, image?: string): string {
  if (problem.reason === 'not-last') return 'more commands follow it, so no shell execs it';
  if (problem.reason === 'background') return 'it runs in the background and no TERM trap forwards the signal to it';
  if (problem.reason === 'trap-no-wait') return 'the TERM trap kills it but nothing waits for it again, so the shell exits and the kernel kills it mid-drain';
  const cmd = problem.command;
  if (cmd === undefined) return 'the shell runs it as a child (pipelines, loops and subshells are never exec\'d)';
  if (problem.layer === 'script') return 'a script\'s shell never execs its last command by itself';
  if (!problem.certain) return `/bin/sh of ${image ? `'${image}'` : 'the image'} is not known: dash (Debian, Ubuntu) forks it and drops SIGTERM, only bash and busybox ash exec it`;
  if (problem.flavour === 'dash') return `/bin/sh${image ? ` of '${image}'` : ''} is dash, which forks even the last command and stays PID 1`;
  if (problem.flavour === 'bash') return 'bash execs only the last command of the top-level list, not inside if/fi or once a trap is set';
  return 'the shell runs it as a child';
}

/** Insert `exec ` before the long-running command, when that is safe; undefined otherwise. */
export function execInsertion(problem: ShellProblem, fileText: string): TextEdit | undefined {
  const cmd = problem.command;
  if (!problem.execFixable || !cmd) return undefined;
  const { code } = problem;
  if (code.codeStart !== undefined) {
    const at = code.codeStart + cmd.nameStart;
    return { file: code.at.file, start: at, end: at, text: 'exec ' };
  }
  if (code.value === undefined) return undefined;
  // The code sits in a folded or escaped string: find the command's own text in the source, once.
  const needle = code.value.slice(cmd.nameStart, cmd.end);
  const source = fileText.slice(code.at.start, code.at.end);
  const first = source.indexOf(needle);
  if (needle.length < 2 || first === -1 || source.indexOf(needle, first + 1) !== -1) return undefined;
  return { file: code.at.file, start: code.at.start + first, end: code.at.start + first, text: 'exec ' };
}

/** Report span of a shell problem: the command in a script or exact code, else the code string. */
export function problemSpan(problem: ShellProblem): Span {
  const { code, command } = problem;
  const target = command ?? problem.script.statements[0];
  if (code.codeStart !== undefined && target) {
    const end = command ? command.end : target.end;
    return { file: code.at.file, start: code.codeStart + target.start, end: code.codeStart + end };
  }
  return code.at;
}

/** The end of a message: what happens to the app (certain), or what happens if /bin/sh is dash. */
export function consequence(certain: boolean): string {
  return certain
    ? 'SIGTERM never reaches the app, which is SIGKILLed mid-request at the end of the grace period.'
    : 'Where it is dash, SIGTERM never reaches the app, which is SIGKILLed mid-request at the end of the grace period.';
}
