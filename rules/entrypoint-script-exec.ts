// The script an image or pod runs as its entrypoint must end by exec'ing the app. A script's shell never
// execs its last command by itself (measured for dash, bash and busybox ash: test/pid1), so without `exec` the
// shell stays PID 1 and drops SIGTERM; under tini or dumb-init the shell dies of it, the init exits and the
// kernel kills the app mid-drain. `app & wait` needs a TERM trap that forwards the signal and waits again.
import { defineRule, type Pid1Evaluation, type ShellProblem, type Span } from '../src/core/rule-api.js';
import { commandText, execInsertion, problemSpan, whyDropped } from './lib/pid1-text.js';

export default defineRule({
  id: 'entrypoint-script-exec',
  meta: {
    type: 'problem',
    category: 'signals',
    description: 'Require entrypoint scripts to exec the app so that it receives SIGTERM',
    remediation:
      'Start the app with `exec` as the last command of the script (`exec "$@"`, `exec gosu app "$@"`), or forward TERM with a trap and wait for the child again.',
    severity: 'error',
    fixable: true,
    messages: {
      notExec:
        "'{{command}}' is not exec'd: it runs as a child of the script's shell. {{why}}. {{pid1}} SIGTERM never reaches the app, which is killed mid-request.",
      notLast:
        "'{{command}}' is not exec'd: more commands follow it in the script. {{pid1}} SIGTERM never reaches the app, which is killed mid-request.",
      background: "'{{command}}' runs in the background and no TERM trap forwards SIGTERM to it. {{pid1}} The app never gets SIGTERM.",
      trapNoWait:
        "The TERM trap forwards SIGTERM to '{{command}}' but nothing waits for it again. The script ends and the kernel kills the app mid-drain.",
      insertExec: "Insert `exec` before '{{command}}'",
    },
  },
  check({ model, report, each }) {
    const seen = new Map<string, { problem: ShellProblem; related: { at: Span; message: string }[]; init?: string }>();
    const collect = (evaluation: Pid1Evaluation, startedBy: string): void => {
      for (const problem of evaluation.problems) {
        if (problem.kind !== 'shell' || problem.layer !== 'script') continue;
        const span = problemSpan(problem);
        const key = `${span.file}\0${span.start}\0${problem.reason}`;
        const entry = seen.get(key) ?? { problem, related: [], init: evaluation.init?.value };
        if (!entry.related.some((r) => r.at.file === problem.via.at.file && r.at.start === problem.via.at.start)) {
          entry.related.push({ at: problem.via.at, message: `${startedBy} runs this script here` });
        }
        entry.init ??= evaluation.init?.value;
        seen.set(key, entry);
      }
    };
    each(model.images.dockerfiles, (dockerfile) => {
      const image = model.pid1.evaluateImage(dockerfile);
      if (image) collect(image.evaluation, 'the image');
    });
    each(model.workloads, (workload) => {
      for (const container of workload.containers) {
        const evaluation = model.pid1.evaluateContainer(container);
        if (evaluation?.command || evaluation?.args) collect(evaluation.evaluation, `container '${container.name}'`);
      }
    });
    each(seen.values(), ({ problem, related, init }) => {
      const command = commandText(problem);
      const pid1 = init
        ? `Under ${init.split('/').pop()} the shell is not PID 1 but dies of SIGTERM; ${init.split('/').pop()} then exits and the kernel kills the app.`
        : 'The shell is PID 1 and has no SIGTERM handler, so the kernel drops the signal.';
      const messageId = { 'not-exec': 'notExec', 'not-last': 'notLast', background: 'background', 'trap-no-wait': 'trapNoWait' }[
        problem.reason
      ];
      const edit = execInsertion(problem, model.textOf(problem.code.at.file));
      report({
        messageId,
        data: { command, why: whyDropped(problem), pid1 },
        at: problemSpan(problem),
        related,
        fix: edit ? { messageId: 'insertExec', data: { command }, edits: [edit] } : undefined,
      });
    });
  },
});
