// terminationGracePeriodSeconds is one budget for everything: the countdown starts before the preStop hook, so
// the hook's delay is spent from it, and what is left is all the app has to drain after SIGTERM before SIGKILL.
// The kubelet waits for a hook at most the grace period, then sends SIGTERM with a 2 s minimum window (facts A6);
// the API server rejects a native sleep longer than the grace period (A5); a grace of 0 skips the hooks, floors at
// 1 s and deletes the pod object at once (A7). The app's own drain settings (model/drains.ts) must fit after the
// delay too; a fix sizes the budget from them, never from an unrelated timeout (§3.2).
import {
  BATCH_KINDS,
  defineRule,
  type Drain,
  type FixDescriptor,
  insertIntoMap,
  replaceScalar,
  type Span,
  type Workload,
} from '../src/core/rule-api.js';
import { DEFAULT_GRACE_SECONDS, describeWorkload, MIN_DRAIN_SECONDS, nameSpan, nodeSpan, pairSpan } from './lib/common.js';

export default defineRule({
  id: 'grace-period-budget',
  meta: {
    type: 'problem',
    category: 'shutdown',
    description: 'Require terminationGracePeriodSeconds to cover the preStop delay plus time to drain',
    remediation: 'Raise terminationGracePeriodSeconds to the preStop delay plus the drain time, or shorten the delay.',
    severity: 'error',
    fixable: true,
    hasSuggestions: true,
    messages: {
      rejected:
        "preStop sleep of {{delay}}s in container '{{container}}' is longer than the {{grace}}s grace period{{defaulted}} of {{workload}}: the API server rejects it. A sleep action may not outlast terminationGracePeriodSeconds, so the pods are never created.",
      exceeds:
        "preStop of container '{{container}}' holds it {{delay}}s but {{workload}} has terminationGracePeriodSeconds {{grace}}{{defaulted}}: only ~2s are left after SIGTERM. The kubelet stops waiting for the hook when the grace period ends, sends SIGTERM with its 2-second minimum window, then SIGKILL.",
      tight:
        "preStop of container '{{container}}' holds it {{delay}}s of the {{grace}}s grace period{{defaulted}} of {{workload}}: only {{left}}s are left to drain in-flight requests after SIGTERM.",
      zero: '{{workload}} receives traffic but terminationGracePeriodSeconds is 0: preStop hooks are skipped and the pod is deleted at once. The kubelet still sends SIGTERM and kills the containers 1–2s later, but the API object goes away like a force delete: a StatefulSet can start the replacement while the old pod runs, and in-flight requests are cut.',
      codeDrain:
        '{{workload}} has terminationGracePeriodSeconds {{grace}}{{defaulted}}, but the app needs {{need}}s ({{needs}}): it is SIGKILLed mid-drain.',
      raiseGrace: 'Set terminationGracePeriodSeconds to {{seconds}} (preStop {{delay}}s + {{drain}}s to drain)',
    },
  },
  check({ model, options, report, each }) {
    each(model.workloads, (workload) => {
      if (BATCH_KINDS.has(workload.kind) || !workload.podSpec) return;
      const explicit = workload.terminationGracePeriodSeconds;
      const grace = explicit ?? DEFAULT_GRACE_SECONDS;
      const defaulted = explicit === undefined ? ' (the default)' : '';
      const delays = workload.containers.flatMap((c) =>
        c.preStop?.delaySeconds !== undefined ? [{ container: c, delay: c.preStop.delaySeconds }] : [],
      );
      const maxDelay = Math.max(0, ...delays.map((d) => d.delay));
      const drain = model.drains.drainOf(workload);
      // A fix leaves the app its configured drain (or the drainSeconds setting when none is configured).
      const drainFor = Math.ceil(drain?.seconds ?? options.drainSeconds);
      const fix = (): FixDescriptor => graceFix(model.textOf(workload.object.file), workload, maxDelay, drainFor);
      if (explicit === 0) {
        if (model.isServed(workload))
          report({
            messageId: 'zero',
            data: { workload: describeWorkload(workload) },
            at: pairSpan(workload.object, workload.gracePair!),
            fix: fix(),
          });
        return;
      }
      if (drain && grace < maxDelay + drain.seconds && delays.every((d) => grace - d.delay >= MIN_DRAIN_SECONDS))
        reportCodeDrain(workload, drain);
      for (const { container, delay } of delays) {
        const left = grace - delay;
        if (left >= MIN_DRAIN_SECONDS) continue;
        const related: { at: Span; message: string }[] = workload.gracePair
          ? [{ at: pairSpan(workload.object, workload.gracePair), message: `grace period of ${grace}s set here` }]
          : [];
        const messageId = container.preStop!.type === 'sleep' && delay > grace ? 'rejected' : left <= 0 ? 'exceeds' : 'tight';
        report({
          messageId,
          severity: messageId === 'tight' ? 'warning' : 'error',
          data: { container: container.name, workload: describeWorkload(workload), delay, grace, left, defaulted },
          at: nodeSpan(workload.object, container.preStop!.delayNode!),
          related,
          fix: fix(),
        });
      }

      function reportCodeDrain(w: Workload, d: Drain): void {
        const need = maxDelay + Math.ceil(d.seconds);
        // A code or command-line setting may be longer than it needs to be: raising the budget is the author's call.
        report({
          messageId: 'codeDrain',
          severity: 'warning',
          data: {
            workload: describeWorkload(w),
            grace,
            defaulted,
            needs: `${maxDelay > 0 ? `preStop ${maxDelay}s plus ` : ''}the ${d.seconds}s ${d.what}`,
            need,
          },
          at: w.gracePair ? pairSpan(w.object, w.gracePair) : nameSpan(w.object),
          related: [{ at: { file: d.file, start: d.at[0], end: d.at[1] }, message: `${d.what} of ${d.seconds}s` }],
          suggest: [graceFix(model.textOf(w.object.file), w, maxDelay, Math.ceil(d.seconds))],
        });
      }
    });
  },
});

function graceFix(text: string, workload: Workload, delay: number, drain: number): FixDescriptor {
  // Never size the budget below what this rule itself calls too tight.
  drain = Math.max(drain, MIN_DRAIN_SECONDS);
  const seconds = delay + drain;
  const file = workload.object.file;
  const edit = workload.gracePair?.value
    ? replaceScalar(file, text, workload.gracePair.value, String(seconds))
    : insertIntoMap(file, text, workload.podSpec!, { terminationGracePeriodSeconds: seconds });
  return { messageId: 'raiseGrace', data: { seconds, delay, drain }, edits: [edit] };
}
