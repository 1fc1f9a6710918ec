// terminationGracePeriodSeconds is one budget for everything: the countdown starts before the preStop hook,
// so the hook's delay is spent from it, and what is left is all the app has to drain after SIGTERM before
// SIGKILL. A grace of 0 skips the hooks altogether.
import { BATCH_KINDS, defineRule, type FixDescriptor, insertIntoMap, replaceScalar, type Span, type Workload } from '../src/core/rule-api.js';
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
    messages: {
      exceeds:
        "preStop of container '{{container}}' holds it {{delay}}s but {{workload}} has terminationGracePeriodSeconds {{grace}}{{defaulted}}: the app is SIGKILLed {{when}} without a chance to drain.",
      tight:
        "preStop of container '{{container}}' holds it {{delay}}s of the {{grace}}s grace period{{defaulted}} of {{workload}}: only {{left}}s are left to drain in-flight requests after SIGTERM.",
      zero:
        '{{workload}} receives traffic but terminationGracePeriodSeconds is 0: preStop hooks are skipped and containers are killed at once, cutting every in-flight request.',
      raiseGrace: 'Set terminationGracePeriodSeconds to {{seconds}} (preStop {{delay}}s + {{drain}}s to drain)',
      codeDrain:
        '{{workload}} has terminationGracePeriodSeconds {{grace}}{{defaulted}}, but preStop {{delay}}s plus the {{drainSeconds}}s {{what}} in its code need {{need}}s: the app is SIGKILLed mid-drain.',
    },
  },
  check({ model, options, report, each }) {
    each(model.workloads, (workload) => {
      if (BATCH_KINDS.has(workload.kind) || !workload.podSpec) return;
      const explicit = workload.terminationGracePeriodSeconds;
      const grace = explicit ?? DEFAULT_GRACE_SECONDS;
      const delays = workload.containers.flatMap((c) =>
        c.preStop?.delaySeconds !== undefined ? [{ container: c, delay: c.preStop.delaySeconds }] : [],
      );
      const maxDelay = Math.max(0, ...delays.map((d) => d.delay));
      const fix = (): FixDescriptor => graceFix(model.textOf(workload.object.file), workload, maxDelay, options.drainSeconds);
      if (explicit === 0) {
        if (model.isServed(workload)) {
          report({ messageId: 'zero', data: { workload: describeWorkload(workload) }, at: pairSpan(workload.object, workload.gracePair!), fix: fix() });
        }
        return;
      }
      // The code's own drain (a shutdown timeout, gRPC MaxConnectionAgeGrace) must fit after the preStop delay.
      const drain = model.dials.drainOf(workload);
      if (drain && grace < maxDelay + drain.seconds && delays.every((d) => grace - d.delay >= MIN_DRAIN_SECONDS)) {
        const need = maxDelay + Math.ceil(drain.seconds);
        report({
          messageId: 'codeDrain',
          data: { workload: describeWorkload(workload), grace, defaulted: explicit === undefined ? ' (the default)' : '', delay: maxDelay, drainSeconds: drain.seconds, what: drain.what, need },
          at: workload.gracePair ? pairSpan(workload.object, workload.gracePair) : nameSpan(workload.object),
          related: [{ at: { file: drain.file, start: drain.at[0], end: drain.at[1] }, message: `${drain.what} of ${drain.seconds}s` }],
          fix: graceFix(model.textOf(workload.object.file), workload, maxDelay, Math.ceil(drain.seconds)),
        });
      }
      for (const { container, delay } of delays) {
        const left = grace - delay;
        if (left >= MIN_DRAIN_SECONDS) continue;
        const related: { at: Span; message: string }[] = workload.gracePair
          ? [{ at: pairSpan(workload.object, workload.gracePair), message: `grace period of ${grace}s set here` }]
          : [];
        report({
          messageId: left <= 0 ? 'exceeds' : 'tight',
          severity: left <= 0 ? 'error' : 'warning',
          data: {
            container: container.name,
            workload: describeWorkload(workload),
            delay,
            grace,
            left,
            defaulted: explicit === undefined ? ' (the default)' : '',
            when: left < 0 ? 'while the hook is still running' : 'as the hook ends',
          },
          at: nodeSpan(workload.object, container.preStop!.delayNode!),
          related,
          fix: fix(),
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
