// What the signal rules say about a PID 1 verdict, and the `exec` insertion they offer: wording and fix
// builders shared by dockerfile-exec-form, entrypoint-script-exec and pod-command-exec.
import type { ShellProblem, Span, TextEdit } from '../../src/core/rule-api.js';

/** The long-running command's text as written (one line, shortened to fit a first sentence). */
export function commandText(problem: ShellProblem, max = 40): string {
  const source = problem.layer === 'script' || problem.code.value === undefined ? undefined : problem.code.value;
  const cmd = problem.command;
  const shorten = (one: string): string => (one.length > max ? `${one.slice(0, max - 1)}…` : one);
  if (!cmd) return source ? shorten(source.replace(/\s+/g, ' ').trim()) : 'the app';
  const text = source ?? '';
  const raw =
    source !== undefined ? text.slice(cmd.start, cmd.end) : [cmd.name?.text, ...cmd.args.map((a) => a.text)].filter(Boolean).join(' ');
  return shorten(raw.replace(/\\?\s*\n\s*/g, ' ').trim());
}

/** error when measured, warning when it depends on the image's /bin/sh, info when only bash ≤ 5.0 forks it. */
export function severityOf(problem: ShellProblem): 'error' | 'warning' | 'info' {
  return problem.certainty === 'certain' ? 'error' : problem.certainty === 'sh' ? 'warning' : 'info';
}

/** "stays" or "may stay": how sure the first sentence can be. */
export function stays(problem: ShellProblem): string {
  return problem.certain ? 'stays' : 'may stay';
}

/** Why the app does not get SIGTERM, as a sentence (no final period), for the explanation after the first sentence. */
export function whyDropped(problem: ShellProblem, image?: string): string {
  const { shells } = problem;
  const dash = shells.sh === 'dash' ? shells.shLabel : "Debian's dash";
  const bash = shells.bashLabel ?? 'bash';
  switch (problem.cause) {
    case 'not-last':
      return 'More commands follow it, so no shell execs it';
    case 'background':
      return 'It runs in the background and no TERM trap forwards the signal to it';
    case 'trap-no-wait':
      return 'The TERM trap kills it but nothing waits for it again, so the shell exits and the kernel kills it mid-drain';
    case 'script':
      return "A script's shell never execs its last command by itself (dash, bash and busybox ash alike)";
    case 'pipeline':
      return "A pipeline cannot be exec'd: the shell stays in front and waits for every part";
    case 'subshell':
      return 'A ( … ) subshell forks, so the shell stays in front of it';
    case 'loop':
      return 'A loop runs its commands as children of the shell';
    case 'compound':
      return 'The shell runs it as a child';
    case 'function':
      return 'No shell execs a command inside a function';
    case 'trap':
      return 'A trap is set, and no shell execs its last command once a trap is set';
    case 'dash':
      return `${cap(dash)} forks even a lone \`-c\` command and stays in front (a Debian patch: upstream dash execs it)`;
    case 'bash-redirect':
      return "bash forks a command that has a redirection (>, 2>&1) instead of exec'ing it";
    case 'bash-compound':
      return "bash forks commands inside if/case/{ } instead of exec'ing them";
    case 'bash-trap':
      return 'bash does not exec once a trap is set (it runs the trap after the child exits)';
    case 'busybox-trap':
      return 'busybox ash does not exec once a trap is set';
    case 'bash-list':
      return problem.certain
        ? `${cap(bash)} forks the last command of a \`;\` list (only bash ≥ 5.1 execs it; \`&&\` works in every bash)`
        : "bash ≤ 5.0 (RHEL/UBI 8, Amazon Linux 2, Debian 10) forks the last command of a `;` list and the image's bash is not known";
    case 'unknown-sh':
      return `The shell of ${image ? `'${image}'` : 'the image'} is unknown: ${dash} forks it, bash and busybox ash exec it`;
  }
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
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

/** The end of a message: what happens to the app (certain), or under which shell it happens. */
export function consequence(problem: ShellProblem): string {
  const killed = 'SIGTERM never reaches the app, which is SIGKILLed mid-request at the end of the grace period.';
  if (problem.certainty === 'certain') return killed;
  if (problem.certainty === 'bash-version') return `With bash ≤ 5.0, ${killed}`;
  return `Where /bin/sh is dash, ${killed}`;
}
