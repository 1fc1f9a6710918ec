// Python servers in code: `signal.signal(signal.SIGTERM, h)` / `loop.add_signal_handler(…)` and whether the handler
// stops the gRPC server (`server.stop(grace)`, whose grace bounds the drain), `uvicorn.run(…, timeout_keep_alive,
// timeout_graceful_shutdown)`, and grpcio (C-core) keepalive channel args at channels and servers.
// gunicorn and uvicorn started from a command line are read from the command line (command-line.ts).
import type { Node } from 'web-tree-sitter';
import { pythonTable } from '../grpc/python.js';
import { matches, type CallNode } from '../grpc/table.js';
import { count, drainsIn, handlerNodes, rangeOf, resolveNode, setting, unwrap, type LanguageReader, type Walked } from './reader.js';
import type { Count, Flag, KeepaliveClient, KeepaliveServer, ServerFacts } from './shapes.js';

const SECONDS = { units: {}, bare: 1000 };
const MS = { units: {}, bare: 1 };
const DRAINS: [RegExp, string][] = [[/\.stop\s*\(/, 'stop']];

export const pythonServers: LanguageReader = {
  language: 'python',
  table: pythonTable,
  types: [],
  functionTypes: ['function_definition'],
  functionName: (node) => (node.type === 'function_definition' ? node.childForFieldName('name')?.text : undefined),
  read(w, out) {
    for (const call of w.calls) {
      if (/^(signal\.)?signal$/.test(call.callee) || call.name === 'add_signal_handler') readSignal(w, call, out);
      if (call.receiver && call.name === 'stop' && isGrpcServer(w, call.receiver)) {
        out.drainCalls.push({ kind: 'stop', at: rangeOf(call.node) });
        // stop(grace): in-flight RPCs get `grace` seconds; stop(None) or stop(0) aborts them at once.
        const grace = call.args[0] ?? call.keywords.get('grace');
        const seconds = grace ? count(w, unwrap(w, grace)) : undefined;
        if (seconds !== undefined && seconds > 0) out.drainTimeouts.push({ seconds, at: rangeOf(grace!), what: 'server.stop(grace)' });
      }
      if (call.callee === 'uvicorn.run') uvicornRun(w, call, out);
      if (pythonTable.dials.some((r) => matches(r.call, call.callee))) keepalive(w, call, 'client', out);
      if (pythonTable.servers.some((r) => matches(r.call, call.callee))) keepalive(w, call, 'server', out);
    }
  },
};

/** A grpc.server(…) (bound to the receiver, or a receiver named like one in a file that uses grpc). */
function isGrpcServer(w: Walked, receiver: Node): boolean {
  const made = resolveNode(w, receiver, (n) => pythonTable.servers.some((r) => matches(r.call, w.syntax.call(n)?.callee ?? '')));
  return made !== undefined || (/server/i.test(receiver.text) && /\bgrpc\b/.test(w.text));
}

function readSignal(w: Walked, call: CallNode, out: ServerFacts): void {
  const [sig, handler] = call.args;
  const name = sig && /(SIG[A-Z]+)$/.exec(sig.text)?.[1];
  if (!name) return;
  out.signals.push({ signals: [name], at: rangeOf(call.node), drains: drainsIn(w, handlerNodes(w, handler), DRAINS) });
}

function uvicornRun(w: Walked, call: CallNode, out: ServerFacts): void {
  const idle = call.keywords.get('timeout_keep_alive');
  const site = { language: 'python' as const, framework: 'uvicorn' as const, api: 'uvicorn.run', at: rangeOf(call.node), unknown: false };
  out.http.push(idle ? { ...site, idle: setting(w, idle, idle.parent ?? idle, SECONDS) } : site);
  const graceful = call.keywords.get('timeout_graceful_shutdown');
  const seconds = graceful ? count(w, unwrap(w, graceful)) : undefined;
  if (seconds !== undefined && seconds > 0) out.drainTimeouts.push({ seconds, at: rangeOf(graceful!), what: 'timeout_graceful_shutdown' });
}

/** The `(key, value)` tuples of a channel's or server's `options=[…]` (a literal, or a list bound to a name). */
function optionTuples(w: Walked, call: CallNode, client: boolean): { entries: [string, Node, Node][]; opaque: boolean } | undefined {
  const arg =
    call.keywords.get('options') ??
    (client ? call.args[call.callee.endsWith('secure_channel') && !call.callee.endsWith('insecure_channel') ? 2 : 1] : undefined);
  if (!arg) return { entries: [], opaque: false };
  const list = resolveNode(w, arg, (n) => n.type === 'list' || n.type === 'tuple');
  if (!list) return { entries: [], opaque: true };
  const entries: [string, Node, Node][] = [];
  for (const item of list.namedChildren) {
    if (item?.type !== 'tuple') continue;
    const [k, v] = item.namedChildren;
    const key = k ? w.syntax.literal(k)?.text : undefined;
    if (key && v) entries.push([key, v, item]);
  }
  return { entries, opaque: false };
}

function keepalive(w: Walked, call: CallNode, side: 'client' | 'server', out: ServerFacts): void {
  const options = optionTuples(w, call, side === 'client');
  if (!options) return;
  const flag = (v: Node): Flag => ({ value: (count(w, unwrap(w, v)) ?? (v.text === 'True' ? 1 : 0)) !== 0, at: rangeOf(v) });
  const number = (v: Node): Count | undefined => {
    const n = count(w, unwrap(w, v));
    return n === undefined ? undefined : { value: n, at: rangeOf(v) };
  };
  if (side === 'client') {
    if (!options.entries.some(([k]) => /keepalive/.test(k)) && !options.opaque) return;
    const client: KeepaliveClient = { call: rangeOf(call.node), opaque: options.opaque };
    for (const [key, value, entry] of options.entries) {
      if (key === 'grpc.keepalive_time_ms') client.time = setting(w, value, entry, MS);
      if (key === 'grpc.keepalive_permit_without_calls') client.permitWithoutCalls = flag(value);
      if (key === 'grpc.http2.max_pings_without_data') client.maxPingsWithoutData = number(value);
    }
    if (client.time || client.opaque) out.keepalive.clients.push(client);
    return;
  }
  const server: KeepaliveServer = { call: rangeOf(call.node), opaque: options.opaque };
  for (const [key, value, entry] of options.entries) {
    if (key === 'grpc.http2.min_recv_ping_interval_without_data_ms') server.minTime = setting(w, value, entry, MS);
    if (key === 'grpc.keepalive_permit_without_calls') server.permitWithoutCalls = flag(value);
    if (key === 'grpc.http2.max_ping_strikes') server.maxPingStrikes = number(value);
  }
  out.keepalive.servers.push(server);
}
