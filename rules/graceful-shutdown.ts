// A served workload whose server never drains on SIGTERM: Node exits at once (or, as PID 1, ignores the signal
// until SIGKILL) unless a handler closes the server (docs/evidence/runtime-sigterm-drain.md: cut ~10 ms after
// SIGTERM; completed with server.close()); Go exits at once unless signal.Notify catches SIGTERM and Shutdown /
// GracefulStop is called; grpcio and grpc-java servers need stop(grace) / shutdown() on the signal; Spring Boot
// shuts the web server down immediately unless `server.shutdown=graceful` (the default only since 3.4).
import {
  basename,
  bootVersion,
  defineRule,
  springShutdown,
  type AnalysisModel,
  type Container,
  type ContainerServers,
  type FixDescriptor,
  type HttpServerSite,
  type Span,
  type Workload,
} from '../src/core/rule-api.js';
import { describeWorkload } from './lib/common.js';

export default defineRule({
  id: 'graceful-shutdown',
  meta: {
    type: 'problem',
    category: 'shutdown',
    description: 'Require servers of served workloads to drain in-flight requests on SIGTERM',
    remediation:
      'Catch SIGTERM and close the server gracefully (server.close(), Shutdown/GracefulStop, stop(grace), server.shutdown=graceful).',
    severity: 'warning',
    fixable: true,
    hasSuggestions: true,
    messages: {
      node: "{{server}} of {{workload}} never drains: no SIGTERM handler closes it. {{consequence}} Close it from process.on('SIGTERM').",
      goHttp:
        '{{api}} of {{workload}} never drains on SIGTERM: {{why}}. Go exits at once on SIGTERM and cuts the requests in flight; catch it with signal.NotifyContext and call Shutdown(ctx).',
      grpc: 'gRPC server {{api}} of {{workload}} never drains on SIGTERM: {{why}}. The RPCs in flight are cut; call {{drain}} when SIGTERM arrives.',
      springDefault:
        'Spring Boot {{version}} shuts the web server of {{workload}} down immediately: set server.shutdown=graceful. Graceful shutdown is the default only from Spring Boot 3.4; before, requests in flight fail on SIGTERM.',
      springImmediate: 'server.shutdown is immediate for {{workload}}: requests in flight fail on SIGTERM. Set it to graceful.',
      springTooOld: 'Spring Boot {{version}} cannot drain {{workload}} on SIGTERM: graceful shutdown needs Spring Boot 2.3 or later.',
      addHandler: "Close the server on SIGTERM (process.on('SIGTERM', …))",
      setGraceful: 'Set server.shutdown to graceful',
    },
  },
  check({ model, report, each }) {
    const reported = new Set<string>();
    const once = (at: Span): boolean => {
      const key = `${at.file}:${at.start}`;
      if (reported.has(key)) return false;
      reported.add(key);
      return true;
    };
    each(model.workloads, (workload) => {
      if (!model.isServed(workload)) return;
      for (const container of model.servedContainers(workload)) {
        const s = model.servers.of(container);
        const w = describeWorkload(workload);
        for (const finding of [...nodeFindings(model, s, container), ...goFindings(s), ...grpcFindings(s)]) {
          if (once(finding.at)) report({ ...finding, data: { ...finding.data, workload: w } });
        }
        const spring = springFinding(s, workload);
        if (spring && once(spring.at)) report(spring);
      }
    });
  },
});

type Finding = {
  messageId: string;
  data: Record<string, unknown>;
  at: Span;
  related?: { at: Span; message: string }[];
  fix?: FixDescriptor;
  suggest?: FixDescriptor[];
};

const span = (file: string, at: [number, number]): Span => ({ file, start: at[0], end: at[1] });

/** TERM is caught when a handler names SIGTERM, or catches everything (Go's signal.Notify(c), a JVM shutdown hook). */
function catchesTerm(signals: readonly string[]): boolean {
  return signals.includes('SIGTERM') || signals.includes('*');
}

/** The handler makes the drain call, or calls code out of sight that may (`unknown`: stay quiet). */
function drains(calls: readonly string[], kind: string): boolean {
  return calls.includes(kind) || calls.includes('unknown');
}

function nodeFindings(model: AnalysisModel, s: ContainerServers, container: Container): Finding[] {
  const js = s.code.filter((c) => c.facts.language === 'js');
  const sites = js.flatMap((c) => c.facts.http.map((site) => ({ file: c.file, site })));
  if (sites.length === 0) return [];
  const handled = js.some((c) => c.facts.managed || c.facts.signals.some((h) => catchesTerm(h.signals) && drains(h.drains, 'close')));
  if (handled) return [];
  const evaluation = model.servers.evaluationOf(container);
  const app = evaluation?.app;
  const pid1 = app?.direct && app.word.value && basename(app.word.value) === 'node' && !evaluation?.init;
  const consequence = pid1
    ? 'As PID 1 Node ignores SIGTERM: it serves until SIGKILL ends the grace period and cuts the requests then in flight.'
    : 'Node exits at once on SIGTERM and cuts the requests in flight.';
  return sites.map(({ file, site }) => ({
    messageId: 'node',
    data: { server: site.api, consequence },
    at: span(file, site.at),
    suggest: handlerSuggestion(model, file, site),
  }));
}

/** `process.on('SIGTERM', () => { server.close(() => process.exit(0)); server.closeIdleConnections?.(); });` after the server's statement. */
function handlerSuggestion(model: AnalysisModel, file: string, site: HttpServerSite): FixDescriptor[] | undefined {
  if (site.place?.kind !== 'after') return undefined;
  const { offset, indent, target } = site.place;
  const text = model.textOf(file);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const semi = text[offset - 1] === ';' ? ';' : '';
  const lines = [
    `process.on('SIGTERM', () => {`,
    `  ${target}.close(() => process.exit(0))${semi}`,
    `  ${target}.closeIdleConnections?.()${semi}`,
    `})${semi}`,
  ];
  return [
    { messageId: 'addHandler', edits: [{ file, start: offset, end: offset, text: lines.map((l) => `${eol}${indent}${l}`).join('') }] },
  ];
}

function goFindings(s: ContainerServers): Finding[] {
  const go = s.code.filter((c) => c.facts.language === 'go');
  const term = go.some((c) => c.facts.signals.some((h) => catchesTerm(h.signals)));
  const drains = new Set(go.flatMap((c) => c.facts.drainCalls.map((d) => d.kind)));
  const out: Finding[] = [];
  for (const c of go) {
    for (const serve of c.facts.serves) {
      if (serve.background && !serve.canShutdown) continue; // a side server (metrics, pprof) next to the main one
      const drain = serve.kind === 'grpc' ? 'GracefulStop' : 'Shutdown';
      const why = !serve.canShutdown
        ? `${serve.api} cannot be shut down`
        : !term
          ? 'nothing catches SIGTERM (signal.Notify / signal.NotifyContext)'
          : !drains.has(drain)
            ? `nothing calls ${drain}()`
            : undefined;
      if (!why) continue;
      out.push(
        serve.kind === 'grpc'
          ? { messageId: 'grpc', data: { api: serve.api, why, drain: 'GracefulStop()' }, at: span(c.file, serve.at) }
          : { messageId: 'goHttp', data: { api: serve.api, why }, at: span(c.file, serve.at) },
      );
    }
  }
  return out;
}

/** grpcio `grpc.server(…)` and grpc-java ServerBuilder / grpc-js `new Server()` without their drain on SIGTERM (Go's are serve calls). */
function grpcFindings(s: ContainerServers): Finding[] {
  const out: Finding[] = [];
  const drainOf = {
    python: ['stop', 'server.stop(grace)'],
    java: ['shutdown', 'server.shutdown() then awaitTermination'],
    js: ['tryShutdown', 'server.tryShutdown()'],
  } as const;
  for (const { file, facts } of s.grpc) {
    const language = facts.language;
    if (language !== 'python' && language !== 'java' && language !== 'js') continue;
    const [kind, drain] = drainOf[language];
    const code = s.code.filter((c) => c.facts.language === language);
    const handled = code.some((c) => c.facts.signals.some((h) => catchesTerm(h.signals) && drains(h.drains, kind)));
    if (handled) continue;
    const why = code.some((c) => c.facts.signals.some((h) => catchesTerm(h.signals)))
      ? `the SIGTERM handler does not call ${kind}`
      : language === 'java'
        ? 'no shutdown hook shuts it down'
        : 'nothing handles SIGTERM';
    for (const site of facts.servers) out.push({ messageId: 'grpc', data: { api: site.api, why, drain }, at: span(file, site.call) });
  }
  return out;
}

function springFinding(s: ContainerServers, workload: Workload): Finding | undefined {
  if (!s.spring?.build) return undefined;
  const state = springShutdown(s);
  if (state.graceful !== false) return undefined;
  const w = describeWorkload(workload);
  const build = s.spring.build;
  const explicit = s.spring.configs.find((c) => c.config.shutdown);
  if (state.explicit && explicit) {
    const at = explicit.config.shutdown!.at;
    return {
      messageId: 'springImmediate',
      data: { workload: w },
      at: span(explicit.file, at),
      fix: { messageId: 'setGraceful', edits: [{ file: explicit.file, start: at[0], end: at[1], text: 'graceful' }] },
    };
  }
  if (state.explicit) return undefined; // SERVER_SHUTDOWN=immediate in the env: the author chose it
  const v = bootVersion(build.build);
  const at = span(build.file, build.build.at);
  if (v && (v[0] < 2 || (v[0] === 2 && v[1] < 3))) return { messageId: 'springTooOld', data: { version: state.version, workload: w }, at };
  // The base config (application.yml / .properties, not a profile's) takes the property, and the finding, so that
  // --fix (which applies only edits in the finding's own file) can add it; the Boot version is the evidence.
  const base = s.spring.configs.find((c) => /(^|\/)application\.(ya?ml|properties)$/.test(c.file)) ?? s.spring.configs[0];
  if (!base) return { messageId: 'springDefault', data: { version: state.version, workload: w }, at };
  const { offset, text } = base.config.addShutdown;
  return {
    messageId: 'springDefault',
    data: { version: state.version, workload: w },
    at: span(base.file, base.config.anchor),
    related: [{ at, message: `Spring Boot ${state.version} set here` }],
    fix: { messageId: 'setGraceful', edits: [{ file: base.file, start: offset, end: offset, text }] },
  };
}
