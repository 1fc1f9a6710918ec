// An HTTP server that closes idle keep-alive connections no later than the proxy or load balancer in front of it:
// the front writes the next request on a pooled connection the server is closing and gets a reset —
// intermittent 502/ECONNRESET, worse under load and during rollouts (docs/evidence/runtime-keepalive-inversion.md:
// 4 of 10 reused requests failed against Node's default; 0 of 10 with keepAliveTimeout 65 s, headersTimeout 66 s).
import {
  defineRule,
  gunicornKeepsAlive,
  type ContainerServers,
  type Front,
  type HttpServerSite,
  type Span,
  type TextEdit,
} from '../src/core/rule-api.js';
import { describeWorkload } from './lib/common.js';
import { addFlagEdits, goIdleEdits, nodeIdleEdits, replaceAt } from './lib/server-edits.js';

/** Seconds the fix adds above the front's idle timeout. */
const MARGIN_SECONDS = 5;

interface Backend {
  server: string;
  seconds: number;
  defaulted: string;
  at: Span;
  fix(seconds: number): TextEdit[] | undefined;
}

export default defineRule({
  id: 'keepalive-idle-timeout',
  meta: {
    type: 'problem',
    category: 'keepalive',
    description: 'Require HTTP servers to keep idle connections open longer than the proxy or load balancer in front of them',
    remediation:
      "Set the server's keep-alive idle timeout above the front's idle timeout (Node: keepAliveTimeout, and headersTimeout above it).",
    severity: 'warning',
    fixable: true,
    messages: {
      inverted:
        'Keep-alive idle timeout of {{seconds}}s is not above the {{frontSeconds}}s of {{front}}: intermittent 502s. ' +
        '{{server}} of {{workload}} closes idle connections after {{seconds}}s{{defaulted}}, while the front reuses them for up to {{frontSeconds}}s: it sends a request on a connection the server is closing and gets a reset (ECONNRESET, a 502 to the client).',
      raise: 'Keep idle connections {{seconds}}s',
    },
  },
  check({ model, report, each }) {
    const reported = new Set<string>();
    each(model.workloads, (workload) => {
      if (!model.isServed(workload)) return;
      const fronts = model.fronts.frontsOf(workload);
      if (fronts.length === 0) return;
      // The server must outlast every front; the longest decides.
      const front = fronts.reduce((a, b) => (b.idleSeconds > a.idleSeconds ? b : a));
      for (const container of model.servedContainers(workload)) {
        for (const backend of backendsOf(model.servers.of(container), (file) => model.textOf(file))) {
          if (backend.seconds > front.idleSeconds) continue;
          const key = `${backend.at.file}:${backend.at.start}`;
          if (reported.has(key)) continue;
          reported.add(key);
          const target = front.idleSeconds + MARGIN_SECONDS;
          const edits = backend.fix(target);
          report({
            messageId: 'inverted',
            data: {
              server: backend.server,
              seconds: backend.seconds,
              defaulted: backend.defaulted,
              front: front.describe,
              frontSeconds: front.idleSeconds,
              workload: describeWorkload(workload),
            },
            at: backend.at,
            related: fronts.map((f) => ({ at: f.at, message: frontNote(f) })),
            fix: edits ? { messageId: 'raise', data: { seconds: target }, edits } : undefined,
          });
        }
      }
    });
  },
});

function frontNote(f: Front): string {
  return `${f.describe} keeps idle connections ${f.idleSeconds}s${f.defaulted ? ' (its default)' : ''}`;
}

/** The idle timeouts a container's servers close connections after, and how to raise each. */
function backendsOf(s: ContainerServers, textOf: (file: string) => string): Backend[] {
  const out: Backend[] = [];
  for (const code of s.code) {
    for (const site of code.facts.http) {
      const b = codeBackend(site, s, code.file, textOf, code.facts.imports);
      if (b) out.push(b);
    }
  }
  const command = s.command;
  if (command?.server === 'gunicorn' || command?.server === 'uvicorn') {
    const conf = s.gunicornConfig?.config;
    const gunicorn = command.server === 'gunicorn';
    // gunicorn's sync worker closes every connection after its response: there is nothing to reuse.
    if (gunicorn && !gunicornKeepsAlive(command.workerClass ?? conf?.workerClass?.value, command.threads ?? conf?.threads?.value))
      return out;
    const flag = command.keepAlive;
    const flagName = gunicorn ? '--keep-alive' : '--timeout-keep-alive';
    const server = gunicorn ? 'gunicorn' : 'uvicorn';
    if (flag?.seconds !== undefined) {
      out.push({
        server,
        seconds: flag.seconds,
        defaulted: '',
        at: flag.valueAt,
        fix: (n) => [replaceAt(flag.valueAt.file, [flag.valueAt.start, flag.valueAt.end], String(n))],
      });
    } else if (!flag && gunicorn && conf?.keepalive?.seconds !== undefined) {
      const file = s.gunicornConfig!.file;
      const at = conf.keepalive.at;
      out.push({
        server,
        seconds: conf.keepalive.seconds,
        defaulted: '',
        at: { file, start: at[0], end: at[1] },
        fix: (n) => [replaceAt(file, at, String(n))],
      });
    } else if (!flag) {
      const word = command.word;
      out.push({
        server,
        seconds: gunicorn ? 2 : 5,
        defaulted: ' (the default)',
        at: word.at,
        fix: (n) => addFlagEdits(textOf(word.at.file), word, flagName, String(n)),
      });
    }
  }
  const puma = s.pumaConfig;
  const persistent = puma?.config.persistentTimeout;
  if (persistent?.seconds !== undefined && (command?.server === 'puma' || !command)) {
    out.push({
      server: 'Puma',
      seconds: persistent.seconds,
      defaulted: '',
      at: { file: puma!.file, start: persistent.at[0], end: persistent.at[1] },
      fix: (n) => [replaceAt(puma!.file, persistent.at, String(n))],
    });
  }
  return out;
}

function codeBackend(
  site: HttpServerSite,
  s: ContainerServers,
  file: string,
  textOf: (file: string) => string,
  imports: Parameters<typeof goIdleEdits>[3],
): Backend | undefined {
  if (site.unknown) return undefined;
  const written = site.idle?.ms;
  if (site.idle && written === undefined) return undefined; // not a readable constant
  const at = (range: [number, number]): Span => ({ file, start: range[0], end: range[1] });
  switch (site.framework) {
    case 'go': {
      // IdleTimeout 0 falls back to ReadTimeout; both 0: idle connections are never closed.
      const ms = written || site.readTimeout?.ms;
      if (!ms || ms <= 0) return undefined;
      const where = site.idle ?? site.readTimeout!;
      return {
        server: 'Go http.Server',
        seconds: ms / 1000,
        defaulted: site.idle ? '' : ' (its ReadTimeout, as IdleTimeout is not set)',
        at: at(where.at),
        fix: (n) => goIdleEdits(file, site, n, imports),
      };
    }
    case 'kestrel': {
      const ms = written ?? 130_000;
      return {
        server: 'Kestrel',
        seconds: ms / 1000,
        defaulted: site.idle ? '' : ' (the default)',
        at: at(site.idle?.at ?? site.at),
        fix: (n) => (site.idle ? [replaceAt(file, site.idle.at, `TimeSpan.FromSeconds(${n})`)] : undefined),
      };
    }
    case 'uvicorn': {
      const ms = written ?? 5000;
      return {
        server: 'uvicorn',
        seconds: ms / 1000,
        defaulted: site.idle ? '' : ' (the default)',
        at: at(site.idle?.at ?? site.at),
        fix: (n) => (site.idle ? [replaceAt(file, site.idle.at, String(n))] : undefined),
      };
    }
    default: {
      if (written === 0) return undefined; // 0 disables the timeout
      const node = s.node;
      const modern = node !== undefined && node.major >= 26;
      const fallback = site.framework === 'fastify' ? 72_000 : modern ? 65_000 : 5_000;
      const ms = written ?? fallback;
      const defaulted =
        written !== undefined
          ? ''
          : site.framework === 'fastify'
            ? " (Fastify's default)"
            : modern
              ? " (Node's default)"
              : " (Node's default before v26)";
      // createServer's options take keepAliveTimeout from Node 18.17 / 20.1 on.
      const options =
        node !== undefined &&
        (node.major > 20 || (node.major === 20 && (node.minor ?? 1) >= 1) || (node.major === 18 && (node.minor ?? 0) >= 17));
      return {
        server: `${frameworkName(site)} (${site.api})`,
        seconds: ms / 1000,
        defaulted,
        at: at(site.idle?.at ?? site.at),
        fix: (n) => nodeIdleEdits(file, textOf(file), site, n * 1000, options),
      };
    }
  }
}

function frameworkName(site: HttpServerSite): string {
  return (
    { node: 'Node server', express: 'Express server', koa: 'Koa server', fastify: 'Fastify server', nest: 'NestJS server' }[
      site.framework as 'node'
    ] ?? 'server'
  );
}
