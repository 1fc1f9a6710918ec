// ASP.NET Core: the Kestrel host (`WebApplication.CreateBuilder`, `WebHost.CreateDefaultBuilder`, `UseKestrel`), its
// `Limits.KeepAliveTimeout` (130 s unless set), and `HostOptions.ShutdownTimeout` / `UseShutdownTimeout`, which
// bound how long the host drains after SIGTERM (the generic host handles SIGTERM itself).
import type { Node } from 'web-tree-sitter';
import { csharpTable } from '../grpc/csharp.js';
import { numberOf } from '../grpc/scope.js';
import { rangeOf, type LanguageReader, type Walked } from './reader.js';
import type { HttpServerSite } from './shapes.js';

const TIMESPAN_MS: Record<string, number> = { FromMilliseconds: 1, FromSeconds: 1000, FromMinutes: 60_000, FromHours: 3_600_000 };
const HOSTS = /^(WebApplication\.(CreateBuilder|CreateSlimBuilder|CreateEmptyBuilder)|WebHost\.CreateDefaultBuilder)$|\.UseKestrel$/;

export const csharpServers: LanguageReader = {
  language: 'csharp',
  table: csharpTable,
  types: ['assignment_expression'],
  functionTypes: [],
  functionName: () => undefined,
  read(w, out) {
    let host: HttpServerSite | undefined;
    for (const call of w.calls) {
      if (!host && call.kind === 'call' && HOSTS.test(call.callee)) {
        host = {
          language: 'csharp',
          framework: 'kestrel',
          api: call.callee.replace(/^.*\.(UseKestrel)$/, '$1'),
          at: rangeOf(call.node),
          unknown: false,
        };
        out.http.push(host);
      }
      if (call.name === 'UseShutdownTimeout' && call.args[0]) {
        const ms = timeSpanMs(w, call.args[0]);
        if (ms) out.drainTimeouts.push({ seconds: ms / 1000, at: rangeOf(call.args[0]), what: 'HostOptions.ShutdownTimeout' });
      }
    }
    for (const assignment of w.nodes.get('assignment_expression') ?? []) {
      const left = assignment.childForFieldName('left');
      const right = assignment.childForFieldName('right');
      const name = left?.type === 'member_access_expression' ? left.childForFieldName('name')?.text : left?.text;
      if (!right || !name) continue;
      const ms = timeSpanMs(w, right);
      if (name === 'KeepAliveTimeout' && host) host.idle = { ms, at: rangeOf(right), entry: rangeOf(assignment) };
      if (name === 'ShutdownTimeout' && ms)
        out.drainTimeouts.push({ seconds: ms / 1000, at: rangeOf(right), what: 'HostOptions.ShutdownTimeout' });
    }
  },
};

/** `TimeSpan.FromSeconds(130)`, `new TimeSpan(0, 2, 10)`. */
function timeSpanMs(w: Walked, node: Node): number | undefined {
  const call = w.syntax.call(node);
  if (!call) return undefined;
  if (call.kind === 'call') {
    const per = TIMESPAN_MS[call.callee.replace(/^(System\.)?TimeSpan\./, '')];
    const n = call.args[0] ? numberOf(call.args[0], w.syntax) : undefined;
    return /^(System\.)?TimeSpan\./.test(call.callee) && per !== undefined && n !== undefined ? n * per : undefined;
  }
  if (call.callee === 'TimeSpan' && call.args.length === 3) {
    const [h, m, s] = call.args.map((a) => numberOf(a, w.syntax));
    return h !== undefined && m !== undefined && s !== undefined ? ((h * 60 + m) * 60 + s) * 1000 : undefined;
  }
  return undefined;
}
