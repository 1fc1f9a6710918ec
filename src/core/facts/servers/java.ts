// Java: JVM shutdown hooks (`Runtime.getRuntime().addShutdownHook(…)`, run on SIGTERM) and whether they shut the
// gRPC server down (`server.shutdown()`, then `awaitTermination(n, unit)`, which bounds the drain), and grpc-java
// keepalive along builder chains: `keepAliveTime` / `keepAliveWithoutCalls` on channels, `permitKeepAliveTime` /
// `permitKeepAliveWithoutCalls` on servers. Spring Boot apps are read from their config files (config.ts).
import type { Node } from 'web-tree-sitter';
import { javaTable } from '../grpc/java.js';
import { numberOf } from '../grpc/scope.js';
import { matches, type CallNode } from '../grpc/table.js';
import { drainsIn, handlerNodes, rangeOf, type LanguageReader, type Walked } from './reader.js';
import type { KeepaliveClient, KeepaliveServer, Setting } from './shapes.js';

const UNIT_MS: Record<string, number> = {
  NANOSECONDS: 1e-6,
  MICROSECONDS: 1e-3,
  MILLISECONDS: 1,
  SECONDS: 1000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: 86_400_000,
};
const DRAINS: [RegExp, string][] = [[/\.shutdown\s*\(\s*\)/, 'shutdown']];

export const javaServers: LanguageReader = {
  language: 'java',
  table: javaTable,
  types: [],
  functionTypes: ['method_declaration'],
  functionName: (node) => (node.type === 'method_declaration' ? node.childForFieldName('name')?.text : undefined),
  read(w, out) {
    const shutsDown = /\.shutdown\s*\(\s*\)/.test(w.text);
    for (const call of w.calls) {
      if (call.name === 'addShutdownHook')
        out.signals.push({ signals: ['*'], at: rangeOf(call.node), drains: drainsIn(w, handlerNodes(w, call.args[0]), DRAINS) });
      if (call.kind === 'call' && call.receiver && call.name === 'shutdown' && call.args.length === 0)
        out.drainCalls.push({ kind: 'shutdown', at: rangeOf(call.node) });
      if (call.kind === 'call' && call.name === 'awaitTermination' && shutsDown && call.args.length === 2) {
        const ms = durationOf(w, call.args[0]!, call.args[1]!);
        if (ms !== undefined && ms > 0)
          out.drainTimeouts.push({ seconds: ms / 1000, at: [call.args[0]!.startIndex, call.args[1]!.endIndex], what: 'awaitTermination' });
      }
      if (javaTable.dials.some((r) => matches(r.call, call.callee))) {
        const client: KeepaliveClient = { call: rangeOf(call.node), opaque: false };
        for (const link of chain(w, call)) {
          if (link.name === 'keepAliveTime') client.time = chainSetting(w, link);
          if (link.name === 'keepAliveWithoutCalls' && link.args[0])
            client.permitWithoutCalls = { value: link.args[0].text === 'true', at: rangeOf(link.args[0]) };
        }
        if (client.time) out.keepalive.clients.push(client);
      }
      if (javaTable.servers.some((r) => matches(r.call, call.callee))) {
        const server: KeepaliveServer = { call: rangeOf(call.node), opaque: false };
        for (const link of chain(w, call)) {
          if (link.name === 'permitKeepAliveTime') server.minTime = chainSetting(w, link);
          if (link.name === 'permitKeepAliveWithoutCalls' && link.args[0])
            server.permitWithoutCalls = { value: link.args[0].text === 'true', at: rangeOf(link.args[0]) };
        }
        out.keepalive.servers.push(server);
      }
    }
  },
};

function chain(w: Walked, call: CallNode): CallNode[] {
  const out: CallNode[] = [];
  for (let link = w.syntax.chained(call.node); link && out.length < 64; link = w.syntax.chained(link.node)) out.push(link);
  return out;
}

/** `keepAliveTime(30, TimeUnit.SECONDS)`: the two arguments are the value. */
function chainSetting(w: Walked, link: CallNode): Setting | undefined {
  const [amount, unit] = link.args;
  if (!amount || !unit) return undefined;
  return {
    ms: durationOf(w, amount, unit),
    at: [amount.startIndex, unit.endIndex],
    entry: [link.nameAt?.[0] ?? link.node.startIndex, link.node.endIndex],
  };
}

function durationOf(w: Walked, amount: Node, unit: Node): number | undefined {
  const n = numberOf(amount, w.syntax);
  const perUnit = UNIT_MS[unit.text.replace(/\s+/g, '').split('.').pop()!];
  return n !== undefined && perUnit !== undefined ? n * perUnit : undefined;
}
