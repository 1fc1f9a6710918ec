// A gRPC server without MaxConnectionAge keeps every client connection forever: behind a ClusterIP Service the
// connection stays pinned to the pod it first reached, and DNS/headless clients never re-resolve (grpc-go's
// resolver waits for a connection to break), so pods added by a scale-up get no traffic. A max age makes the
// server send GOAWAY after a while; clients reconnect and re-resolve.
import { type AnalysisModel, codeEditBuilder, defineRule, grpcPortEvidence, type ServerLink, type TextEdit } from '../src/core/rule-api.js';
import { describeWorkload, nameSpan } from './lib/common.js';
import { codeEdits, codeSpan, describeService } from './lib/grpc.js';

/** Connection age inserted by the fix: long enough to be cheap, short enough to rebalance within minutes. */
export const MAX_CONNECTION_AGE_SECONDS = 300;

const SETTING: Record<string, string> = {
  go: 'keepalive.ServerParameters.MaxConnectionAge',
  python: 'grpc.max_connection_age_ms',
  js: 'grpc.max_connection_age_ms',
  java: 'maxConnectionAge',
};

export default defineRule({
  id: 'grpc-server-max-connection-age',
  meta: {
    type: 'problem',
    category: 'balancing',
    description: 'Require gRPC servers reached through a Service to set a maximum connection age',
    remediation: 'Set MaxConnectionAge (e.g. 5 minutes) and MaxConnectionAgeGrace on the server so clients reconnect and re-resolve.',
    severity: 'warning',
    fixable: true,
    messages: {
      noAge:
        "{{api}} serves {{workload}} behind Service '{{service}}' without {{setting}}: client connections never end, so they stay on the pods they first reached and new pods get no traffic.",
      addAge: 'Set MaxConnectionAge to {{age}}s with a {{grace}}s grace',
    },
  },
  check({ model, options, report, each }) {
    each(model.dials.servers, (server) => {
      const { site } = server;
      if (site.maxConnectionAge || site.ageUnknown || site.ageUnsupported) return;
      const reached = reachingService(model, server);
      if (!reached) return;
      const grace = options.drainSeconds;
      const edits = maxConnectionAgeEdits(server, grace) ?? [];
      report({
        messageId: 'noAge',
        data: { api: site.api, workload: describeWorkload(reached.workload), service: describeService(reached.service), setting: site.channelArgs ? 'grpc.max_connection_age_ms' : (SETTING[site.language] ?? 'MaxConnectionAge') },
        at: codeSpan(server.file, site.call),
        related: [{ at: nameSpan(reached.service.object), message: `Service '${reached.service.name}' sends traffic to this server` }],
        fix: edits.length > 0 ? { messageId: 'addAge', data: { age: MAX_CONNECTION_AGE_SECONDS, grace }, edits } : undefined,
      });
    });
  },
});

/** Edits that set MaxConnectionAge (MAX_CONNECTION_AGE_SECONDS) and its grace on a server, where its options can take them. */
export function maxConnectionAgeEdits(server: ServerLink, graceSeconds: number): TextEdit[] | undefined {
  const setting = { kind: 'maxConnectionAge', ageSeconds: MAX_CONNECTION_AGE_SECONDS, graceSeconds } as const;
  const edits = codeEditBuilder(server.site.language).addServerSetting(server.site, setting, server.facts.imports);
  return edits && codeEdits(server.file, edits);
}

/** A non-meshed Service in front of the server's workload that carries gRPC (dialed by a client, or declared). */
function reachingService(model: AnalysisModel, server: ServerLink) {
  for (const container of server.containers) {
    const workload = container.workload;
    if (model.meshOf(workload)) continue; // the mesh proxy balances per request and holds the connections
    for (const service of model.servicesSelecting(workload)) {
      if (service.type === 'ExternalName') continue;
      const grpc = model.dials.linksTo(service).length > 0 || service.ports.some((p) => grpcPortEvidence(model, p)) || model.catalog.grpcApisBehind(service).length > 0;
      if (grpc) return { service, workload };
    }
  }
  return undefined;
}
