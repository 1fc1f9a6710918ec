// When a pod is deleted, SIGTERM and the removal of its endpoints happen at the same time; kube-proxy,
// ingress controllers and meshes learn about the removal a little later and keep sending new connections
// to a process that is already shutting down. A preStop delay keeps the app serving until they catch up.
// Only containers a Service sends traffic to are judged (model/served.ts): not metrics-only workers, not
// one-shot pods, not localhost sidecars. A DB proxy sidecar (cloud-sql-proxy, alloydb-auth-proxy) needs the
// opposite: it must outlive the app's drain, which its own SIGTERM delay or a native sidecar gives.
import { type Container, defineRule, type FixDescriptor, insertIntoMap, isDbProxy, pairOf, type YamlValue } from '../src/core/rule-api.js';
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
        "Container '{{container}}' of {{workload}} receives traffic but has no preStop hook. It gets SIGTERM while load balancers still send it new connections, which are refused.",
      proxySidecar:
        "DB proxy '{{container}}' of {{workload}} stops with the app on SIGTERM. Let it outlive the app's drain: --max-sigterm-delay (or run it as a native sidecar, an init container with restartPolicy: Always), not a preStop sleep.",
      addSleep: 'Add lifecycle.preStop.sleep.seconds: {{seconds}}',
      addExecSleep: 'Add lifecycle.preStop.exec.command: ["sleep", "{{seconds}}"] (the sleep action is on by default from Kubernetes 1.30)',
    },
  },
  check({ model, options, report, each }) {
    each(model.workloads, (workload) => {
      if (!model.isServed(workload)) return;
      for (const proxy of workload.containers.filter((c) => isDbProxy(c) && !holdsOnSigterm(c))) {
        report({
          messageId: 'proxySidecar',
          data: { container: proxy.name, workload: describeWorkload(workload) },
          severity: 'info',
          at: containerSpan(proxy),
        });
      }
      // A StatefulSet/DaemonSet reached only through headless Services (pod DNS names, gossip, quorum peers) is
      // not behind kube-proxy's endpoint lag; clients' DNS caches still lag, so speak softer (facts §3.1).
      const services = model.servicesSelecting(workload);
      const podAddressed =
        (workload.kind === 'StatefulSet' || workload.kind === 'DaemonSet') &&
        services.length > 0 &&
        services.every((s) => s.headless) &&
        services.every((s) => model.routes.routesTo(s).length === 0);
      // Services that publish not-ready addresses keep a terminating pod in their endpoints until it is gone: a
      // delay before SIGTERM changes nothing for their clients (a gossip ring, a StatefulSet's peer discovery).
      if (!model.isServedThroughReadyEndpoints(workload)) return;
      for (const container of model.servedContainers(workload)) {
        if (container.preStop) continue;
        report({
          messageId: 'missing',
          ...(podAddressed ? { severity: 'info' as const } : {}),
          data: { container: container.name, workload: describeWorkload(workload) },
          at: containerSpan(container),
          // Before 1.30 the fix is an exec `sleep`: useless in an image without one (prestop-exec-binary).
          fix:
            !sleepActionSupported(options.kubernetesVersion) && model.images.baseLacking(container, 'sleep')
              ? undefined
              : preStopFix(model.textOf(workload.object.file), container, options.kubernetesVersion, options.preStopSeconds),
        });
      }
    });
  },
});

/** cloud-sql-proxy v2 / alloydb-auth-proxy `--max-sigterm-delay`, v1 `-term_timeout`, or a preStop of its own. */
function holdsOnSigterm(container: Container): boolean {
  const words = [...(container.command ?? []), ...(container.args ?? [])];
  return container.preStop !== undefined || words.some((w) => /^--?(max-sigterm-delay|term_timeout|term-timeout)\b/.test(w));
}

function preStopFix(text: string, container: Container, version: string, seconds: number): FixDescriptor | undefined {
  const native = sleepActionSupported(version);
  const hook: Record<string, YamlValue> = native ? { sleep: { seconds } } : { exec: { command: ['sleep', String(seconds)] } };
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
