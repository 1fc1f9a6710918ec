// A gRPC client that pings more often than the server it reaches allows: the server counts ping strikes and
// answers with GOAWAY ENHANCE_YOUR_CALM "too_many_pings", closing the connection (measured against a C-core
// server: GOAWAY after the 4th 1 s ping without calls, docs/evidence/runtime-grpc-keepalive.md). grpc-go, C-core
// (grpcio) and grpc-java servers allow one ping per 5 minutes by default and none on idle connections; grpc-js
// servers enforce no policy at all (measured). Uses the client → Service → workload → server-code links.
import {
  defineRule,
  type AnalysisModel,
  type DialLink,
  type KeepaliveClient,
  type ServerLink,
  type Setting,
  type TextEdit,
} from '../src/core/rule-api.js';
import { describeWorkload } from './lib/common.js';
import { codeSpan, describeService } from './lib/grpc.js';
import { replaceAt } from './lib/server-edits.js';

const DEFAULT_MIN_MS = 5 * 60_000;
/** grpc-go and grpc-java raise a client Time below 10 s to 10 s. */
const CLAMPED = new Set(['go', 'java']);
const SERVER_NAMES: Record<string, string> = {
  go: 'the grpc-go server',
  python: 'the grpcio (C-core) server',
  java: 'the grpc-java server',
};

interface Policy {
  minMs: number;
  minDefault: boolean;
  permitsIdle: boolean;
  server: ServerLink;
}

export default defineRule({
  id: 'grpc-keepalive-enforcement',
  meta: {
    type: 'problem',
    category: 'balancing',
    description: 'Disallow gRPC client keepalive pings more frequent than the server they reach permits',
    remediation: "Ping no more often than the server's enforcement policy allows (5 minutes by default), or relax the server's policy.",
    severity: 'warning',
    fixable: true,
    hasSuggestions: true,
    messages: {
      tooOften:
        'gRPC client {{api}} pings every {{seconds}}s, more often than its server allows: GOAWAY too_many_pings. ' +
        'Its server, {{server}} of {{workload}}, accepts one ping per {{min}}s{{minDefault}}. It counts each early ping as a strike and, after two, sends GOAWAY ENHANCE_YOUR_CALM and closes the connection: streams in flight fail and the client reconnects.',
      idlePings:
        'gRPC client {{api}} pings idle connections, which its server does not permit: GOAWAY too_many_pings. ' +
        'Its server, {{server}} of {{workload}}, does not permit them: without calls in flight the server accepts a ping at most every 2 hours; more pings are strikes, and after two it sends GOAWAY ENHANCE_YOUR_CALM and closes the connection.',
      unknownServer:
        "gRPC client {{api}} pings every {{seconds}}s: Service '{{service}}' may answer GOAWAY too_many_pings. " +
        'Whether it allows that depends on its server, which is not in the workspace. ' +
        'grpc-go, grpcio and grpc-java servers allow one ping per 5 minutes by default and answer more with GOAWAY too_many_pings; grpc-js servers enforce nothing.',
      slowDown: 'Ping every {{seconds}}s',
      noIdlePings: 'Stop pinging idle connections',
      relaxServer: 'Let the server accept a ping every {{seconds}}s',
    },
  },
  check({ model, report, each }) {
    const seen = new Set<string>();
    each(model.dials.links, (link) => {
      if (!link.service) return;
      const client = model.servers.keepaliveClient(link.file, link.site.call);
      if (!client?.time?.ms || client.opaque) return;
      const key = `${link.file}:${link.site.call[0]}`;
      if (seen.has(key)) return;
      const language = link.site.language;
      // C-core clients send at most grpc.http2.max_pings_without_data (2) pings between data frames: fewer than the strikes it takes.
      if (language === 'python' && client.maxPingsWithoutData?.value !== 0) return;
      const ms = CLAMPED.has(language) ? Math.max(10_000, client.time.ms) : client.time.ms;
      const permitsIdle = client.permitWithoutCalls?.value === true;
      const servers = model.dials.serversBehind(link.service);
      const at = codeSpan(link.file, client.time.at);
      if (servers.length === 0) {
        seen.add(key);
        report({
          messageId: 'unknownServer',
          severity: 'info',
          data: { api: link.site.api, seconds: ms / 1000, service: describeService(link.service) },
          at,
        });
        return;
      }
      const policies = servers.flatMap((s) => policyOf(model, s));
      const early = policies.filter((p) => ms < p.minMs).sort((a, b) => b.minMs - a.minMs)[0];
      const idle = permitsIdle ? policies.find((p) => !p.permitsIdle) : undefined;
      const violated = early ?? idle;
      if (!violated) return;
      seen.add(key);
      const workload = violated.server.containers[0]?.workload;
      const data = {
        api: link.site.api,
        seconds: ms / 1000,
        server: SERVER_NAMES[violated.server.site.language] ?? 'the server',
        workload: workload ? describeWorkload(workload) : `Service '${link.service.name}'`,
        min: violated.minMs / 1000,
        minDefault: violated.minDefault ? ', its default' : '',
      };
      const related = servers.map((s) => ({
        at: codeSpan(s.file, s.site.call),
        message: `${s.site.api} behind Service '${link.service!.name}'`,
      }));
      if (early) {
        const edits = timeEdits(link, client.time, early.minMs);
        report({
          messageId: 'tooOften',
          data,
          at,
          related,
          fix: edits ? { messageId: 'slowDown', data: { seconds: early.minMs / 1000 }, edits } : undefined,
          suggest: relaxSuggestion(model, early, ms),
        });
      } else {
        report({
          messageId: 'idlePings',
          data,
          at: client.permitWithoutCalls ? codeSpan(link.file, client.permitWithoutCalls.at) : at,
          related,
          suggest: idleSuggestion(link, client),
        });
      }
    });
  },
});

/** A server's ping policy; none for grpc-js (which enforces nothing), ASP.NET Core (unknown) or options out of sight. */
function policyOf(model: AnalysisModel, server: ServerLink): Policy[] {
  const language = server.site.language;
  if (language !== 'go' && language !== 'python' && language !== 'java') return [];
  const k = model.servers.keepaliveServer(server.file, server.site.call);
  if (k?.opaque || (k?.minTime && k.minTime.ms === undefined)) return [];
  if (language === 'python' && k?.maxPingStrikes?.value === 0) return []; // unlimited strikes: never GOAWAY
  return [
    {
      minMs: k?.minTime?.ms ?? DEFAULT_MIN_MS,
      minDefault: k?.minTime === undefined,
      permitsIdle: k?.permitWithoutCalls?.value === true,
      server,
    },
  ];
}

function durationText(language: string, ms: number): string {
  const s = ms / 1000;
  if (language === 'go') return s % 60 === 0 ? `${s / 60} * time.Minute` : `${s} * time.Second`;
  if (language === 'java') return s % 60 === 0 ? `${s / 60}, TimeUnit.MINUTES` : `${s}, TimeUnit.SECONDS`;
  return String(ms);
}

function timeEdits(link: DialLink, time: Setting, ms: number): TextEdit[] | undefined {
  return [replaceAt(link.file, time.at, durationText(link.site.language, ms))];
}

function idleSuggestion(link: DialLink, client: KeepaliveClient) {
  const at = client.permitWithoutCalls?.at;
  if (!at) return undefined;
  const off = link.site.language === 'go' || link.site.language === 'java' ? 'false' : '0';
  return [{ messageId: 'noIdlePings', edits: [replaceAt(link.file, at, off)] }];
}

function relaxSuggestion(model: AnalysisModel, policy: Policy, ms: number) {
  const k = model.servers.keepaliveServer(policy.server.file, policy.server.site.call);
  if (!k?.minTime) return undefined;
  return [
    {
      messageId: 'relaxServer',
      data: { seconds: ms / 1000 },
      edits: [replaceAt(policy.server.file, k.minTime.at, durationText(policy.server.site.language, ms))],
    },
  ];
}
