// How long a workload's app drains after SIGTERM, and where that is said. Only settings that bound the shutdown
// itself count (facts §3.2, A8): the deadline of the context Go's `Shutdown` gets, a timer racing `GracefulStop`,
// grpcio's `server.stop(grace)`, grpc-java's `awaitTermination`, a forced-exit timer in a Node SIGTERM handler,
// .NET's `HostOptions.ShutdownTimeout`, gunicorn's `--graceful-timeout` / `graceful_timeout`, uvicorn's
// `--timeout-graceful-shutdown`, Spring's `spring.lifecycle.timeout-per-shutdown-phase` when graceful shutdown is
// on. Never a handler's or a database call's timeout, and never MaxConnectionAgeGrace: it bounds only RPCs on a
// connection being aged out, while on SIGTERM GracefulStop waits for every RPC anyway.
// Defaults (gunicorn's 30 s, Spring's 30 s) are not counted: they bound drains that are rarely that long, and a
// rule that raised every grace period for them would be noise.
import type { Container, Workload } from '../facts/k8s.js';
import type { BootBuild, SpringConfig } from '../facts/servers/index.js';
import type { ContainerServers, ServerIndex } from './servers.js';

export interface Drain {
  seconds: number;
  file: string;
  at: [number, number];
  /** What sets it: `Shutdown(ctx) deadline`, `--graceful-timeout`, `spring.lifecycle.timeout-per-shutdown-phase`… */
  what: string;
}

/** Spring Boot's graceful shutdown for an app: on, off, or unknown, and why. */
export interface SpringShutdown {
  graceful: boolean | undefined;
  /** Boot version as written, when known. */
  version?: string;
  /** `server.shutdown` as written in one of the app's configs (or via SERVER_SHUTDOWN in the container's env). */
  explicit?: string;
}

export class DrainIndex {
  private readonly cache = new Map<Workload, Drain | undefined>();

  constructor(private readonly servers: ServerIndex) {}

  /** The longest drain the app of a workload is configured for after SIGTERM (init containers never serve). */
  drainOf(workload: Workload): Drain | undefined {
    if (this.cache.has(workload)) return this.cache.get(workload);
    let best: Drain | undefined;
    for (const container of workload.containers) for (const d of this.drainsOf(container)) if (!best || d.seconds > best.seconds) best = d;
    this.cache.set(workload, best);
    return best;
  }

  /** Every drain setting of a container's app, from its code, command line and config files. */
  drainsOf(container: Container): Drain[] {
    const s = this.servers.of(container);
    const out: Drain[] = [];
    for (const code of s.code)
      for (const t of code.facts.drainTimeouts) out.push({ seconds: t.seconds, file: code.file, at: t.at, what: t.what });
    const flag = s.command?.gracefulTimeout;
    if (flag?.seconds)
      out.push({
        seconds: flag.seconds,
        file: flag.valueAt.file,
        at: [flag.valueAt.start, flag.valueAt.end],
        what: s.command!.server === 'uvicorn' ? '--timeout-graceful-shutdown' : '--graceful-timeout',
      });
    const conf = s.gunicornConfig?.config.gracefulTimeout;
    if (!flag && conf?.seconds) out.push({ seconds: conf.seconds, file: s.gunicornConfig!.file, at: conf.at, what: 'graceful_timeout' });
    if (s.spring && springShutdown(s).graceful) {
      for (const { file, config } of s.spring.configs) {
        const t = config.phaseTimeout;
        if (t?.seconds) out.push({ seconds: t.seconds, file, at: t.at, what: 'spring.lifecycle.timeout-per-shutdown-phase' });
      }
    }
    return out.filter((d) => d.seconds > 0);
  }
}

/** Graceful shutdown became Spring Boot's default in 3.4; it exists since 2.3 (`server.shutdown`). */
export function springShutdown(s: Pick<ContainerServers, 'spring' | 'container'>): SpringShutdown {
  const spring = s.spring;
  const version = spring?.build?.build.version;
  const env = s.container.env.find((e) => e.name === 'SERVER_SHUTDOWN')?.value?.toLowerCase();
  const explicit = env ?? explicitShutdown(spring?.configs.map((c) => c.config) ?? []);
  if (explicit) return { graceful: explicit === 'graceful', version, explicit };
  const v = bootVersion(spring?.build?.build);
  return { graceful: v === undefined ? undefined : v[0] > 3 || (v[0] === 3 && v[1] >= 4), version };
}

/** [major, minor] of a Boot version (`3.3.5`, `3.4.0-M1`). */
export function bootVersion(build: BootBuild | undefined): [number, number] | undefined {
  const m = build?.version ? /^(\d+)\.(\d+)/.exec(build.version) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function explicitShutdown(configs: SpringConfig[]): string | undefined {
  // Profile files may override the base file; any explicit value is what the author meant.
  return configs.map((c) => c.shutdown?.value).find((v) => v !== undefined);
}
