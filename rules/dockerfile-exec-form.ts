// ENTRYPOINT/CMD in shell form (or exec form wrapping `sh -c`) make a shell PID 1. Measured (test/pid1,
// docs/evidence/runtime-shells.md): Debian's dash forks even a lone command and drops SIGTERM; bash execs a
// lone command and the tail of `&&` (from 5.1 also of a `;` list) but not with a redirection, inside if/{ } or
// with a trap; busybox ash execs the last command unless a trap is set. The app then never gets SIGTERM and
// is SIGKILLed mid-request at the end of the grace period. Unlike hadolint DL3025 / BuildKit
// JSONArgsRecommended this still fires when SHELL is set, stays quiet where the shell provably execs the app,
// and fixes it.
import { defineRule, type DfCommand, type FixDescriptor, rootImageOf, type ShellProblem } from '../src/core/rule-api.js';
import { commandText, consequence, execInsertion, problemSpan, severityOf, stays, whyDropped } from './lib/pid1-text.js';

export default defineRule({
  id: 'dockerfile-exec-form',
  meta: {
    type: 'problem',
    category: 'signals',
    description: 'Require ENTRYPOINT/CMD to run the app as PID 1 instead of as the child of a shell',
    remediation: 'Write ENTRYPOINT/CMD in exec form (a JSON array), or put `exec` before the command that starts the app.',
    severity: 'error',
    fixable: true,
    messages: {
      shellForm: "{{keyword}} in shell form runs '{{command}}' under `{{shell}} -c`, which {{stays}} PID 1. {{why}}. {{consequence}}",
      shellWrapper: "{{keyword}} runs '{{command}}' under `{{shell}} -c`, which {{stays}} PID 1. {{why}}. {{consequence}}",
      useExecForm: 'Rewrite as exec form: {{json}}',
      insertExec: "Insert `exec` before '{{command}}'",
    },
  },
  check({ model, report, each }) {
    each(model.images.dockerfiles, (dockerfile) => {
      const image = model.pid1.evaluateImage(dockerfile);
      if (!image) return;
      const facts = model.images.facts(dockerfile)!;
      const base = rootImageOf(facts, image.stage);
      for (const problem of image.evaluation.problems) {
        if (problem.kind !== 'shell' || problem.layer !== 'dockerfile' || problem.code.at.file !== dockerfile) continue;
        const shellForm = problem.code.shellForm;
        const instruction = shellForm ?? instructionAt(image.stage, problem.code.at.start);
        const command = commandText(problem);
        report({
          messageId: shellForm ? 'shellForm' : 'shellWrapper',
          data: {
            keyword: instruction?.keyword ?? 'CMD',
            shell: problem.via.value,
            command,
            stays: stays(problem),
            consequence: consequence(problem),
            why: whyDropped(problem, base),
          },
          severity: severityOf(problem),
          at: instruction ? { file: dockerfile, start: instruction.start, end: instruction.end } : problemSpan(problem),
          fix: fixFor(
            problem,
            shellForm,
            image.stage.cmd !== undefined && shellForm?.keyword === 'ENTRYPOINT',
            model.textOf(dockerfile),
            command,
          ),
        });
      }
    });
  },
});

function instructionAt(stage: { entrypoint?: DfCommand; cmd?: DfCommand }, offset: number): DfCommand | undefined {
  return [stage.entrypoint, stage.cmd].find((c) => c && c.start <= offset && offset <= c.end);
}

/**
 * Shell form that is one simple command with literal words becomes a JSON array (unless it is an ENTRYPOINT
 * with a CMD: exec form would start passing CMD to it). Everything else gets `exec` before the command.
 */
function fixFor(
  problem: ShellProblem,
  shellForm: DfCommand | undefined,
  keepsCmdOut: boolean,
  text: string,
  command: string,
): FixDescriptor | undefined {
  const cmd = problem.command;
  if (shellForm && cmd && !keepsCmdOut && problem.script.statements.length === 1 && problem.script.statements[0] === cmd) {
    const words = [cmd.name, ...cmd.args];
    const code = problem.code.value ?? '';
    const literal =
      words.every((w) => w && w.value !== undefined && !/[*?[~]/.test(w.text)) &&
      code.slice(0, cmd.start).trim() === '' &&
      code.slice(cmd.end).trim() === '';
    // `LANG=C.UTF-8 /app/server`: the assignments stay, as `env` arguments (env execs the app, which is then
    // PID 1). Assignments that are not plain literals get `exec` after them instead.
    const assignments = code.slice(cmd.start, cmd.nameStart).trim();
    const env = assignments === '' ? [] : assignments.split(/\s+/);
    const plainEnv = env.every((a) => /^[A-Za-z_][A-Za-z0-9_]*=[^\s'"`$\\]*$/.test(a));
    if (literal && plainEnv && !/[<>|&;`$]/.test(code.slice(cmd.start, cmd.end))) {
      const argv = [...(env.length > 0 ? ['env', ...env] : []), ...words.map((w) => w!.value!)];
      const json = `[${argv.map((w) => JSON.stringify(w)).join(', ')}]`;
      return {
        messageId: 'useExecForm',
        data: { json },
        edits: [{ file: problem.code.at.file, start: shellForm.argsStart, end: shellForm.argsEnd, text: json }],
      };
    }
  }
  const edit = execInsertion(problem, text);
  return edit ? { messageId: 'insertExec', data: { command }, edits: [edit] } : undefined;
}
