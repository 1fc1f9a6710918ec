// The native `sleep` lifecycle action (KEP-3960) is alpha in 1.29 behind PodLifecycleSleepAction (off),
// beta and on by default from 1.30, GA in 1.34; `seconds: 0` (KEP-4818) needs
// PodLifecycleSleepActionAllowZero, alpha in 1.32, beta (on) in 1.33. Below 1.29 the API server rejects the
// pod; on 1.29 with the gate off it silently drops the sleep handler (pkg/api/pod/util.go
// dropPodLifecycleSleepAction): the pod runs without the delay. `seconds: 0` is rejected by validateSleepAction
// on 1.30–1.32 unless the AllowZero gate is on (alpha, 1.32).
import {
  block,
  columnOf,
  compareMinor,
  type Container,
  defineRule,
  type FixDescriptor,
  type Hook,
  pairOf,
  replaceScalar,
} from '../src/core/rule-api.js';
import { nodeSpan, zeroSleepSupported } from './lib/common.js';
import type { Node } from 'yaml';

export default defineRule({
  id: 'sleep-action-version',
  meta: {
    type: 'problem',
    category: 'shutdown',
    description: 'Disallow lifecycle sleep actions the target Kubernetes version does not accept',
    remediation:
      'Use an exec `sleep` hook on clusters older than 1.30 (1.29 drops the sleep action silently), and a sleep of at least 1 second before 1.33.',
    severity: 'error',
    hasSuggestions: true,
    messages: {
      unsupported:
        "The {{hook}} sleep action of container '{{container}}' is rejected by Kubernetes {{version}}. The sleep action exists from 1.29 (on by default from 1.30).",
      alpha:
        "The {{hook}} sleep action of container '{{container}}' is silently dropped on Kubernetes 1.29. The gate PodLifecycleSleepAction is off by default there: the API server strips the handler and the pod runs without the delay.",
      zero: "A {{hook}} sleep of 0 seconds in container '{{container}}' is rejected by Kubernetes {{version}}. It needs 1.33 (or 1.32 with the alpha gate PodLifecycleSleepActionAllowZero).",
      useExec: 'Replace with exec: {command: ["sleep", "{{seconds}}"]} (needs a sleep binary in the image)',
      useOneSecond: 'Sleep 1 second instead',
    },
  },
  check({ model, options, report, each }) {
    const version = options.kubernetesVersion;
    each(model.workloads, (workload) => {
      for (const container of workload.containers) {
        for (const [hookName, hook] of [
          ['preStop', container.preStop],
          ['postStart', container.postStart],
        ] as const) {
          if (hook?.type !== 'sleep') continue;
          const text = model.textOf(workload.object.file);
          const data = { hook: hookName, container: container.name, version, seconds: hook.delaySeconds ?? 1 };
          const at = nodeSpan(workload.object, pairOf(hook.node, 'sleep', workload.object.doc)!.key as Node);
          if (compareMinor(version, 29) < 0 || compareMinor(version, 29) === 0) {
            report({
              messageId: compareMinor(version, 29) < 0 ? 'unsupported' : 'alpha',
              data,
              at,
              suggest: [execFix(text, container, hook, hook.delaySeconds ?? 1)],
            });
          } else if (hook.delaySeconds === 0 && !zeroSleepSupported(version)) {
            report({
              messageId: 'zero',
              data,
              at: nodeSpan(workload.object, hook.delayNode!),
              suggest: [{ messageId: 'useOneSecond', edits: [replaceScalar(workload.object.file, text, hook.delayNode!, '1')] }],
            });
          }
        }
      }
    });
  },
});

/** Swap the `sleep:` pair for an exec hook at the same indent. */
function execFix(text: string, container: Container, hook: Hook, seconds: number): FixDescriptor {
  const pair = pairOf(hook.node, 'sleep', container.workload.object.doc)!;
  const start = (pair.key as Node).range![0];
  let end = (pair.value as Node).range![1];
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  const column = columnOf(text, start);
  const lines = block({ exec: { command: ['sleep', String(seconds)] } }, column);
  return {
    messageId: 'useExec',
    data: { seconds },
    edits: [{ file: container.workload.object.file, start, end, text: lines.join('\n').slice(column) }],
  };
}
