// A gRPC server without MaxConnectionAge does not recycle busy client connections: behind a ClusterIP Service a
// connection stays on the pod it first reached, and DNS/headless clients re-resolve only when a connection ends
// (grpc-go's resolver waits for that), so pods added by a scale-up get traffic only when connections end for
// other reasons (channel idleness, MaxConnectionIdle, errors, restarts). A max age makes the server send GOAWAY
// after a while (±10 % jitter); clients reconnect and re-resolve. MaxConnectionAgeGrace then bounds how long the
// RPCs on an aged-out connection may run: the fix leaves it unlimited when the service's protos have streaming
// methods, and is a suggestion (it changes connection lifetimes; clients must retry the GOAWAY race).
import path from 'node:path';
import { type AnalysisModel, codeEditBuilder, defineRule, grpcPortEvidence, type ServerLink, type TextEdit } from '../src/core/rule-api.js';
import { describeWorkload, nameSpan } from './lib/common.js';
import { codeEdits, codeSpan, describeService, effectiveScheme } from './lib/grpc.js';

/** Connection age inserted by the fix: long enough to be cheap, short enough to rebalance within minutes. */
export const MAX_CONNECTION_AGE_SECONDS = 300;

const SETTING: Record<string, string> = {
  go: 'MaxConnectionAge',
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
    remediation:
      'Set MaxConnectionAge (e.g. 5 minutes) on the server so busy clients reconnect and re-resolve; keep MaxConnectionAgeGrace longer than your longest stream.',
    severity: 'warning',
    hasSuggestions: true,
    messages: {
      noAge:
        "{{api}} serves {{workload}} behind Service '{{service}}' without {{setting}}. Busy client connections are never recycled: they stay on the pods they first reached, and pods added later get traffic only when connections end (idleness, errors, restarts).",
      addAge: 'Set MaxConnectionAge to {{age}}s, {{grace}}{{note}}',
    },
  },
  check({ model, options, report, each }) {
    each(model.dials.servers, (server) => {
      const { site } = server;
      if (site.maxConnectionAge || site.ageUnknown || site.ageUnsupported) return;
      const reached = reachingService(model, server);
      if (!reached) return;
      const choice = maxConnectionAgeChoice(model, server, options.drainSeconds);
      const edits = maxConnectionAgeEdits(server, choice.graceSeconds) ?? [];
      report({
        messageId: 'noAge',
        data: {
          api: site.api,
          workload: describeWorkload(reached.workload),
          service: describeService(reached.service),
          setting: site.channelArgs ? 'grpc.max_connection_age_ms' : (SETTING[site.language] ?? 'MaxConnectionAge'),
        },
        at: codeSpan(server.file, site.call),
        related: [{ at: nameSpan(reached.service.object), message: `Service '${reached.service.name}' sends traffic to this server` }],
        suggest:
          edits.length > 0
            ? [{ messageId: 'addAge', data: { age: MAX_CONNECTION_AGE_SECONDS, grace: choice.graceText, note: choice.note }, edits }]
            : undefined,
      });
    });
  },
});

/**
 * The grace the fix writes. Streaming methods in the protos near the server: none (unlimited, so no stream is cut);
 * unary only: the drain setting; no protos found: the drain setting, and the title says what it cuts.
 */
export function maxConnectionAgeChoice(
  model: AnalysisModel,
  server: ServerLink,
  drainSeconds: number,
): { graceSeconds?: number; graceText: string; note: string } {
  const streaming = streamingMethods(model, server.file);
  if (streaming === undefined)
    return {
      graceSeconds: drainSeconds,
      graceText: `${drainSeconds}s grace`,
      note: ` (no .proto found: RPCs still running ${drainSeconds}s after the GOAWAY are cancelled, raise it for long streams)`,
    };
  if (streaming.length > 0)
    return {
      graceText: 'no grace limit',
      note: ` (${streaming.slice(0, 2).join(', ')} ${streaming.length > 1 ? 'stream' : 'streams'}: a grace would cancel long streams)`,
    };
  return { graceSeconds: drainSeconds, graceText: `${drainSeconds}s grace`, note: ' (the protos have unary methods only)' };
}

/** Streaming methods (`Service.Method`) of the .proto files that share the deepest folder with the server's file; undefined when there are none. */
function streamingMethods(model: AnalysisModel, file: string): string[] | undefined {
  const protos = [...model.files.values()].filter((f) => f.proto && f.proto.services.length > 0);
  if (protos.length === 0) return undefined;
  const depth = (p: string): number => {
    const a = path.posix.dirname(p).split('/');
    const b = path.posix.dirname(file).split('/');
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  const best = Math.max(...protos.map((p) => depth(p.file)));
  return protos
    .filter((p) => depth(p.file) === best)
    .flatMap((p) => p.proto!.services.flatMap((s) => s.streaming.map((m) => `${s.name}.${m}`)));
}

/** Edits that set MaxConnectionAge (MAX_CONNECTION_AGE_SECONDS) and, when given, its grace on a server. */
export function maxConnectionAgeEdits(server: ServerLink, graceSeconds: number | undefined): TextEdit[] | undefined {
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
      const links = model.dials.linksTo(service);
      const envoys = model.dials.configLinksTo(service).filter((l) => l.envoy);
      // Quiet when every client in the repository finds new pods without reconnecting: a client that watches the
      // endpoints (kuberesolver), or an Envoy STRICT_DNS cluster on a headless Service (it resolves every pod,
      // re-resolves every few seconds and balances per request). On a ClusterIP name, STRICT_DNS resolves the VIP
      // alone and Envoy's connections stay where kube-proxy put them.
      const rebalances = envoys.every((l) => service.headless && l.envoy!.type === 'STRICT_DNS');
      if (links.length + envoys.length > 0 && links.every((l) => effectiveScheme(l) === 'kubernetes') && rebalances) continue;
      const grpc =
        links.length > 0 ||
        envoys.length > 0 ||
        service.ports.some((p) => grpcPortEvidence(model, p)) ||
        model.catalog.grpcApisBehind(service).length > 0;
      if (grpc) return { service, workload };
    }
  }
  return undefined;
}
