// Server facts: what a code file, a command line or a config file says about the servers a container runs —
// HTTP servers and their keep-alive idle timeouts, what happens on SIGTERM (signal handlers, drain calls and
// the timeouts that bound them), and gRPC keepalive pings and their enforcement. Plain data: ranges are
// [start, end] UTF-16 offsets, no tree-sitter nodes, so the records can cross a worker-thread boundary.
import type { GrpcLanguage, ImportsLayout, ListLayout } from '../grpc/shapes.js';
import type { Range } from '../grpc/value.js';

/** A duration as written: milliseconds when it is a readable constant, and where its value is. */
export interface Setting {
  ms?: number;
  /** The value expression. */
  at: Range;
  /** The whole assignment, field or option. */
  entry: Range;
}

export type HttpFramework = 'node' | 'express' | 'koa' | 'fastify' | 'nest' | 'go' | 'kestrel' | 'uvicorn';

/** Where an edit can set the idle timeout of an HTTP server. */
export type IdlePlace =
  /** Node: statements `target.keepAliveTimeout = …;` after `offset` (the end of the statement that made the server). */
  | { kind: 'after'; offset: number; indent: string; target: string }
  /** Node `createServer(…)`, `fastify(…)`: an options object literal, or none yet (then `args` is the argument list). */
  | { kind: 'options'; list?: ListLayout; args?: ListLayout }
  /** Go `http.Server{…}`: its keyed fields. */
  | { kind: 'fields'; list: ListLayout };

export interface HttpServerSite {
  language: GrpcLanguage;
  framework: HttpFramework;
  /** `http.createServer`, `app.listen`, `fastify()`, `http.Server{}`, `WebApplication.CreateBuilder`, `uvicorn.run`. */
  api: string;
  /** Where a report on the server goes. */
  at: Range;
  /** The idle keep-alive timeout as written (Node keepAliveTimeout, Go IdleTimeout, Kestrel KeepAliveTimeout, uvicorn timeout_keep_alive). */
  idle?: Setting;
  /** Go: ReadTimeout, which bounds idle connections when IdleTimeout is zero. */
  readTimeout?: Setting;
  /** Node: headersTimeout (kept above keepAliveTimeout). */
  headersTimeout?: Setting;
  /** Options come from out of sight (a variable, a parameter, a spread): the timeout cannot be told. */
  unknown: boolean;
  /** The variable holding the server (`server` in `const server = app.listen(…)`). */
  variable?: string;
  place?: IdlePlace;
  /** Node/Fastify: the options object literal written at the call, where a sibling setting goes. */
  options?: ListLayout;
}

/** A signal handler registration: `process.on('SIGTERM', …)`, `signal.Notify(c, syscall.SIGTERM)`, `signal.signal(…)`, a JVM shutdown hook. */
export interface SignalHandling {
  /** `SIGTERM`, `SIGINT`, … ; `*` when every signal is caught (Go `signal.Notify(c)`, a JVM shutdown hook runs on SIGTERM). */
  signals: string[];
  at: Range;
  /** Drain calls the handler makes (`close`, `tryShutdown`, `stop`, `shutdown`, `Shutdown`, `GracefulStop`). */
  drains: string[];
}

/** A call that drains a server (wherever it is: Go's main waits for the signal, then calls it). */
export interface DrainCall {
  kind: 'Shutdown' | 'GracefulStop' | 'close' | 'tryShutdown' | 'stop' | 'shutdown';
  at: Range;
}

/** A timeout that bounds the drain after SIGTERM, read only where it reaches the shutdown (facts §3.2). */
export interface DrainTimeout {
  seconds: number;
  at: Range;
  /** `Shutdown(ctx) deadline`, `GracefulStop timer`, `server.stop(grace)`, `awaitTermination`, `HostOptions.ShutdownTimeout`, `exit timer`, `timeout_graceful_shutdown`. */
  what: string;
}

/** Go: a call that serves (`http.ListenAndServe`, `srv.ListenAndServe()`, `s.Serve(lis)`, gin `r.Run()`). */
export interface ServeCall {
  kind: 'http' | 'grpc';
  api: string;
  at: Range;
  /** Inside a `go` statement. */
  background: boolean;
  /** The server can be shut down (a package-level `http.ListenAndServe` or gin `Run` cannot). */
  canShutdown: boolean;
}

export interface Flag {
  value: boolean;
  at: Range;
}

export interface Count {
  value: number;
  at: Range;
}

/** gRPC client keepalive at a dial call (matched to the gRPC dial site by its call range). */
export interface KeepaliveClient {
  call: Range;
  /** How often the client pings (Go `ClientParameters.Time`, `grpc.keepalive_time_ms`, Java `keepAliveTime`). */
  time?: Setting;
  permitWithoutCalls?: Flag;
  /** C-core clients: pings allowed between data frames (`grpc.http2.max_pings_without_data`, default 2). */
  maxPingsWithoutData?: Count;
  /** Settings built out of sight. */
  opaque: boolean;
}

/** gRPC server ping enforcement at a server construction (matched to the gRPC server site by its call range). */
export interface KeepaliveServer {
  call: Range;
  /** Go `EnforcementPolicy.MinTime`, C-core `grpc.http2.min_recv_ping_interval_without_data_ms`, Java `permitKeepAliveTime`. */
  minTime?: Setting;
  permitWithoutCalls?: Flag;
  /** C-core `grpc.http2.max_ping_strikes` (0: never GOAWAY). */
  maxPingStrikes?: Count;
  opaque: boolean;
}

/** What a code file says about its servers. */
export interface ServerFacts {
  language: GrpcLanguage;
  http: HttpServerSite[];
  serves: ServeCall[];
  signals: SignalHandling[];
  drainCalls: DrainCall[];
  drainTimeouts: DrainTimeout[];
  /** A library or framework hook that drains on SIGTERM (Nest `enableShutdownHooks`, terminus, http-terminator…). */
  managed?: { what: string; at: Range };
  keepalive: { clients: KeepaliveClient[]; servers: KeepaliveServer[] };
  imports: ImportsLayout;
}

/** A seconds value in a config file or on a command line. */
export interface ConfigValue {
  seconds?: number;
  text: string;
  at: Range;
}

/** Spring Boot's application.yml / application.properties. */
export interface SpringConfig {
  kind: 'spring';
  format: 'yaml' | 'properties';
  /** `server.shutdown` as written (`graceful`, `immediate`). */
  shutdown?: { value: string; at: Range };
  /** `spring.lifecycle.timeout-per-shutdown-phase`. */
  phaseTimeout?: ConfigValue;
  /** Where `server.shutdown: graceful` goes: the text to insert at an offset. */
  addShutdown: { offset: number; text: string };
  /** Where a finding about the property goes: the `server:` key, the first `server.*` property, or the first line. */
  anchor: Range;
}

/** A Maven or Gradle build that uses Spring Boot, and its version when written. */
export interface BootBuild {
  kind: 'boot-build';
  version?: string;
  /** The version (or the plugin/parent declaration when the version is not written there). */
  at: Range;
}

/** gunicorn.conf.py / gunicorn_conf.py. */
export interface GunicornConfig {
  kind: 'gunicorn';
  keepalive?: ConfigValue;
  gracefulTimeout?: ConfigValue;
  workerClass?: { value: string; at: Range };
  threads?: { value: number; at: Range };
}

/** config/puma.rb. */
export interface PumaConfig {
  kind: 'puma';
  persistentTimeout?: ConfigValue;
}

export type ServerConfig = SpringConfig | BootBuild | GunicornConfig | PumaConfig;
