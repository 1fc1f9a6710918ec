// A preStop `exec` hook runs a program inside the container. Images built FROM scratch, distroless or
// Chainguard static have no `sleep` and no `sh`: the hook fails ("executable file not found in $PATH") and
// SIGTERM follows at once, so the delay it was meant to add is gone. The native sleep action needs no binary.
import { basename, block, defineRule, flow, pairOf, range } from '../src/core/rule-api.js';
import { describeWorkload, nodeSpan, sleepActionSupported } from './lib/common.js';

export default defineRule({
  id: 'prestop-exec-binary',
  meta: {
    type: 'problem',
    category: 'shutdown',
    description: 'Disallow preStop exec hooks that call a program the image does not contain',
    remediation: 'Use the native sleep action (lifecycle.preStop.sleep.seconds, Kubernetes 1.30+) or copy the binary into the image.',
    severity: 'error',
    fixable: true,
    messages: {
      missingBinary:
        "The preStop hook of container '{{container}}' runs '{{binary}}', which its image does not contain. It is built on '{{base}}'; the hook fails with \"executable file not found\" and {{workload}} gets SIGTERM at once, without the delay.",
      useSleepAction: 'Replace the exec hook with sleep: {seconds: {{seconds}}}',
    },
  },
  check({ model, options, report, each }) {
    each(model.workloads, (workload) => {
      for (const container of [...workload.containers, ...workload.initContainers]) {
        const hook = container.preStop;
        const binary = hook?.type === 'exec' ? hook.command?.[0] : undefined;
        if (!hook || !binary || !hook.commandNode) continue;
        const base = model.images.baseLacking(container, binary);
        if (!base) continue;
        const { doc, file } = workload.object;
        const text = model.textOf(file);
        const execPair = pairOf(hook.node, 'exec', doc);
        const seconds = hook.delaySeconds;
        const pureSleep = seconds !== undefined && isPureSleep(hook.command!);
        let fix;
        if (pureSleep && execPair?.key && sleepActionSupported(options.kubernetesVersion)) {
          const key = execPair.key as { range?: [number, number, number] };
          const [, end] = range(execPair.value as Parameters<typeof range>[0], text);
          const column = key.range![0] - text.lastIndexOf('\n', key.range![0] - 1) - 1;
          const replacement = hook.node.flow
            ? `sleep: ${flow({ seconds: seconds })}`
            : block({ sleep: { seconds: seconds } }, column)
                .join('\n')
                .trimStart();
          fix = { messageId: 'useSleepAction', data: { seconds }, edits: [{ file, start: key.range![0], end, text: replacement }] };
        }
        report({
          messageId: 'missingBinary',
          data: { container: container.name, workload: describeWorkload(workload), binary: basename(binary), base },
          at: nodeSpan(workload.object, hook.commandNode),
          fix,
        });
      }
    });
  },
});

/** `sleep 5`, `/bin/sleep 5`, `sh -c "sleep 5"`: nothing but a delay, which the sleep action does too. */
function isPureSleep(command: string[]): boolean {
  if (basename(command[0] ?? '') === 'sleep') return command.length === 2;
  const script = command[command.indexOf('-c') + 1];
  return command.includes('-c') && script !== undefined && /^\s*(?:exec\s+)?(?:\/[\w/]*\/)?sleep\s+[0-9.]+[smh]?\s*$/.test(script);
}
