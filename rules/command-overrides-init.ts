// In Kubernetes `command:` replaces the image ENTRYPOINT, so a pod command silently drops an init the image
// put in front (tini, dumb-init, catatonit, s6-overlay's /init): no more signal forwarding or zombie reaping.
// `args:` replaces only CMD and keeps the init. Without it the command is PID 1: a process without a SIGTERM
// handler ignores the signal there (measured: PID 1 gets no default actions), a shell forwards nothing.
import { basename, defineRule, flow, INITS, pairOf, range } from '../src/core/rule-api.js';
import { describeWorkload, nodeSpan } from './lib/common.js';

export default defineRule({
  id: 'command-overrides-init',
  meta: {
    type: 'problem',
    category: 'signals',
    description: 'Disallow a container `command:` that replaces an init process set as the image ENTRYPOINT',
    remediation: 'Set the program in `args:` (which replaces only CMD), or start the `command:` with the init.',
    severity: 'warning',
    fixable: true,
    hasSuggestions: true,
    messages: {
      dropsInit:
        "Container '{{container}}' of {{workload}} sets `command:`, which drops the image's {{init}} ENTRYPOINT. The command becomes PID 1: without its own SIGTERM handler the signal is ignored (PID 1 gets no default action), a shell in it forwards nothing, and no one reaps zombies.",
      moveToArgs: 'Rename `command:` to `args:` so the image ENTRYPOINT ({{init}}) stays in front',
      prependInit: 'Start `command:` with {{entrypoint}}',
    },
  },
  check({ model, report, each }) {
    each(model.workloads, (workload) => {
      for (const container of workload.containers) {
        const evaluation = model.pid1.evaluateContainer(container);
        const entrypoint = evaluation?.image?.entrypoint;
        const command = container.command;
        if (!evaluation || !entrypoint || !command || !container.commandNode) continue;
        const init = entrypoint[0]?.value;
        if (!init || !INITS.has(basename(init)) || INITS.has(basename(command[0] ?? ''))) continue;
        if (entrypoint.some((w) => w.shellForm)) continue;
        const { doc, file } = workload.object;
        const text = model.textOf(file);
        const entry = entrypoint.map((w) => w.value ?? '');
        const data = {
          container: container.name,
          workload: describeWorkload(workload),
          entrypoint: JSON.stringify(entry),
          init: basename(init),
        };
        const pair = pairOf(container.node, 'command', doc);
        const key = pair?.key;
        const [valueStart, valueEnd] = range(container.commandNode, text);
        report({
          messageId: 'dropsInit',
          data,
          at: nodeSpan(workload.object, container.commandNode),
          related: [{ at: entrypoint[0]!.at, message: `the image ENTRYPOINT starts ${basename(init)} here` }],
          fix:
            !container.argsNode && key?.range
              ? { messageId: 'moveToArgs', data, edits: [{ file, start: key.range[0], end: key.range[1], text: 'args' }] }
              : undefined,
          suggest: container.argsNode
            ? [{ messageId: 'prependInit', data, edits: [{ file, start: valueStart, end: valueEnd, text: flow([...entry, ...command]) }] }]
            : undefined,
        });
      }
    });
  },
});
