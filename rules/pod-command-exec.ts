// A container `command:`/`args:` of the form `sh -c "…"` makes the shell PID 1. Measured (test/pid1,
// docs/evidence/runtime-shells.md): Debian's dash forks even the last command; bash execs a lone command and the
// tail of `&&` (5.1+ also of a `;` list), not with a redirection, in if/{ } or with a trap; busybox ash the last
// command unless a trap is set; anything after the app, a pipeline or `&` keeps the shell in front of it for sure.
import path from 'node:path';
import { defineRule } from '../src/core/rule-api.js';
import { describeWorkload } from './lib/common.js';
import { commandText, consequence, execInsertion, problemSpan, severityOf, stays, whyDropped } from './lib/pid1-text.js';

export default defineRule({
  id: 'pod-command-exec',
  meta: {
    type: 'problem',
    category: 'signals',
    description: 'Require `sh -c` container commands to exec the long-running process',
    remediation:
      'Put `exec` before the command that starts the app (`sh -c "migrate && exec app"`), or run the app directly without a shell.',
    severity: 'error',
    fixable: true,
    messages: {
      wrapped:
        "Container '{{container}}' of {{workload}} runs '{{command}}' under `{{shell}} -c`, which {{stays}} PID 1. {{why}}. {{consequence}}",
      insertExec: "Insert `exec` before '{{command}}'",
    },
  },
  check({ model, report, each }) {
    each(model.workloads, (workload) => {
      // One-shot pods (Jobs, restartPolicy Never/OnFailure, Helm hooks and tests) are not drained on a rollout.
      if (model.runsOnce(workload)) return;
      for (const container of workload.containers) {
        const evaluation = model.pid1.evaluateContainer(container);
        if (!evaluation) continue;
        for (const problem of evaluation.evaluation.problems) {
          if (problem.kind !== 'shell' || problem.layer !== 'pod') continue;
          // `sh -c "… while true; do sync; sleep 60; done"`: a retry/poll loop, not a server that drains (facts §3.1).
          if (problem.cause === 'loop') continue;
          const command = commandText(problem);
          const edit = execInsertion(problem, model.textOf(problem.code.at.file));
          const image = evaluation.image ? undefined : container.image;
          report({
            messageId: 'wrapped',
            data: {
              container: container.name,
              workload: describeWorkload(workload),
              command,
              shell: problem.via.value,
              stays: stays(problem),
              consequence: consequence(problem),
              why: whyDropped(problem, image ?? imageBase(evaluation)),
            },
            severity: severityOf(problem),
            at: problemSpan(problem),
            related: evaluation.link
              ? [
                  {
                    at: { file: evaluation.link.dockerfile, start: 0, end: 0 },
                    message: `image built from ${path.posix.basename(evaluation.link.dockerfile)} (this Dockerfile)`,
                  },
                ]
              : [],
            fix: edit ? { messageId: 'insertExec', data: { command }, edits: [edit] } : undefined,
          });
        }
      }
    });
  },
});

function imageBase(evaluation: { image?: { stage: { base: string } } }): string | undefined {
  return evaluation.image?.stage.base;
}
