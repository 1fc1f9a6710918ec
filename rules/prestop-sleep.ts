// When a pod is deleted, SIGTERM and the removal of its endpoints happen at the same time; kube-proxy,
// ingress controllers and meshes learn about the removal a little later and keep sending new connections
// to a process that is already shutting down. A preStop delay keeps the app serving until they catch up.
import { type Container, defineRule, type FixDescriptor, insertIntoMap, pairOf, type YamlValue } from '../src/core/rule-api.js';
import { containerSpan, describeWorkload, sleepActionSupported } from './lib/common.js';

export default defineRule({
  id: 'prestop-sleep',
  meta: {
    type: 'problem',
    category: 'shutdown',
    description: 'Require a preStop delay on containers that receive traffic',
    remediation: 'Add lifecycle.preStop.sleep.seconds (Kubernetes 1.30+) or an exec `sleep` hook so endpoints are removed before SIGTERM.',
    severity: 'warning',
    fixable: true,
    messages: {
      missing:
        "Container '{{container}}' of {{workload}} receives traffic but has no preStop hook: it gets SIGTERM while load balancers still send it new connections, which are refused.",
      addSleep: 'Add lifecycle.preStop.sleep.seconds: {{seconds}}',
      addExecSleep: 'Add lifecycle.preStop.exec.command: ["sleep", "{{seconds}}"] (the sleep action needs Kubernetes 1.30)',
    },
  },
  check({ model, options, report, each }) {
    each(model.workloads, (workload) => {
      for (const container of model.servedContainers(workload)) {
        if (container.preStop) continue;
        report({
          messageId: 'missing',
          data: { container: container.name, workload: describeWorkload(workload) },
          at: containerSpan(container),
          // Before 1.30 the fix is an exec `sleep`: useless in an image without one (prestop-exec-binary).
          fix: !sleepActionSupported(options.kubernetesVersion) && model.images.baseLacking(container, 'sleep')
            ? undefined
            : preStopFix(model.textOf(workload.object.file), container, options.kubernetesVersion, options.preStopSeconds),
        });
      }
    });
  },
});

function preStopFix(text: string, container: Container, version: string, seconds: number): FixDescriptor | undefined {
  const native = sleepActionSupported(version);
  const hook: Record<string, YamlValue> = native
    ? { sleep: { seconds } }
    : { exec: { command: ['sleep', String(seconds)] } };
  const file = container.workload.object.file;
  const { doc } = container.workload.object;
  let edit;
  if (container.lifecycle) {
    edit = insertIntoMap(file, text, container.lifecycle, { preStop: hook });
  } else if (pairOf(container.node, 'lifecycle', doc)) {
    return undefined; // `lifecycle:` with no map under it: leave the odd shape to the author
  } else {
    edit = insertIntoMap(file, text, container.node, { lifecycle: { preStop: hook } });
  }
  return { messageId: native ? 'addSleep' : 'addExecSleep', data: { seconds }, edits: [edit] };
}
