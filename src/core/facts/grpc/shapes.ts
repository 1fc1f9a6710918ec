// The gRPC fact records: what a code file shows about its channels and servers, as plain data (ranges are
// [start, end] UTF-16 offsets; no closures, no tree-sitter nodes), so they can cross a worker-thread boundary.
// Facts describe; rules decide. The layout records (ListLayout, OptionsLayout, ImportsLayout) carry the few
// facts an edit needs, and the edit builders in src/core/edit/code/ turn them into text edits.
import type { Alt, ConfigDialect, Range } from './value.js';

export type GrpcLanguage = 'go' | 'python' | 'js' | 'java' | 'csharp';

/** A balancing policy choice visible at the dial site. */
export interface LbChoice {
  policy: string;
  /** How it was set: a service-config JSON, grpc-js/grpcio `grpc.lb_policy_name`, Java's builder, .NET config. */
  via:
    | 'serviceConfig'
    | 'lbPolicyName'
    | 'defaultLoadBalancingPolicy'
    | 'loadBalancingConfigs'
    | 'withBalancerName'
    | 'loadBalancerFactory'
    | 'apiDefault';
  at: Range;
}

export interface ServiceConfigLiteral {
  /** The JSON text as the program sees it. */
  json: string;
  /** The literal's range (with quotes), for reports and replacement. */
  at: Range;
  /** Which option carried it: `WithDefaultServiceConfig`, `grpc.service_config`. */
  option: string;
}

/** A delimited list in the code (an argument list, an object or initializer, a list or tuple literal). */
export interface ListLayout {
  /** The list with its delimiters. */
  at: Range;
  open: '(' | '[' | '{';
  /** Its entries in order, comments left out; `spread` marks `opts...` / `...rest`. */
  items: { at: Range; spread?: boolean }[];
  /** The last entry starts on a later line than the opening delimiter (a new entry may go on its own line). */
  multiline: boolean;
  /** Leading whitespace of the last entry's line. */
  indent: string;
}

/** Where a call's options are written, as far as an edit can reach them. */
export type OptionsLayout =
  /** A list written at the call whose entries are the options (Go's option arguments, a JS object, a Python list, a C# initializer). */
  | { kind: 'list'; list: ListLayout }
  /** No options argument yet; a new one would be appended to the call's arguments. */
  | { kind: 'none'; args: ListLayout }
  /** A builder configured by chained calls (grpc-java): a new call goes right after `end`. */
  | { kind: 'chain'; end: number }
  /** The options are built elsewhere (a variable, a helper's result): nothing to edit here. */
  | { kind: 'opaque'; at: Range };

/** The file's imports, and where a new one goes. */
export interface ImportsLayout {
  /** Go package paths (`names`: the alias), Java types (or `pkg.*`), Python modules (`names` for `from m import a`), JS specifiers, C# namespaces. */
  entries: { module: string; names?: string[]; at: Range }[];
  /** End of the last import declaration, when there is one. */
  lastImportEnd?: number;
  /** End of what a first import must follow (Go's package clause, Java's package declaration, a Python docstring); 0 when nothing. */
  headerEnd: number;
  /** Go: offset of the `)` that closes the first grouped `import ( … )`. */
  groupClose?: number;
  /** JS: the file loads modules with `require()` and has no import statements. */
  commonJs?: boolean;
}

export interface DialSite {
  language: GrpcLanguage;
  /** `grpc.NewClient`, `grpc.Dial`, `insecure_channel`, `ManagedChannelBuilder.forTarget`, `GrpcChannel.ForAddress`, `new OrdersClient`… */
  api: string;
  /** The whole call expression. */
  call: Range;
  /** The target argument (for Java `forAddress(host, port)`: both arguments). */
  targetAt: Range;
  /** What the target can evaluate to. */
  targets: Alt[];
  /** Scheme used when the target has none: grpc-go's Dial/DialContext force passthrough. */
  defaultScheme: 'passthrough' | 'dns';
  /** Balancing policies visible at the dial site (service config, lb_policy_name, builder call). */
  lb: LbChoice[];
  /** Options whose content cannot be read here (a variable, spread): the policy may be set elsewhere. */
  lbUnknown: boolean;
  serviceConfigs: ServiceConfigLiteral[];
  /** grpc-js `grpc.lb_policy_name` (not supported by grpc-js: silently ignored). */
  lbPolicyNameOption?: { at: Range; value?: string; pair: Range };
  /** Go `WithDisableServiceConfig()`. */
  disableServiceConfig: boolean;
  /** Go `WithResolvers(...)` at this dial. */
  withResolvers?: Range;
  /** .NET `DnsResolverFactory(refreshInterval: …)` registered in the same file. */
  refreshInterval: boolean;
  /** Where this dial's options are written; undefined when the API has no place for them (.NET AddGrpcClient). */
  options?: OptionsLayout;
  /** The options are C-core channel args written as `new ChannelOption(name, value)` (Grpc.Core). */
  channelArgs?: true;
  /** The API takes `http(s)://` addresses (Grpc.Net.Client); for other clients such a target is no gRPC channel. */
  httpTargets?: true;
  /** Nothing balances this channel: it holds one connection whatever its address resolves to (Grpc.Net.Client without LoadBalancingConfigs). */
  oneConnection?: true;
  /** Config keys that may set the policy (grpc-spring-boot-starter `grpc.client.<name>.default-load-balancing-policy`). */
  policyKeys?: { keys: string[]; dialect: ConfigDialect };
}

export interface RemovedApi {
  api: 'WithBalancerName' | 'WithBalancer' | 'RoundRobin';
  at: Range;
  /** WithBalancerName: the policy it names, when it is a readable constant. */
  policy?: string;
}

export interface Duration {
  /** Milliseconds, when the expression is a readable constant. */
  ms?: number;
  at: Range;
}

export interface ServerSite {
  language: GrpcLanguage;
  api: string;
  call: Range;
  maxConnectionAge?: Duration;
  maxConnectionAgeGrace?: Duration;
  /** Options built elsewhere (a variable or spread): whether MaxConnectionAge is set cannot be told. */
  ageUnknown: boolean;
  /** Language cannot set it (ASP.NET Core has no equivalent). */
  ageUnsupported: boolean;
  /** Listen addresses / ports (`:50051`, `[::]:` + port, forPort(50051)). */
  listens: Alt[];
  /** Where the server's own options are written; undefined when the API offers no place for an age setting. */
  options?: OptionsLayout;
  /** Go: the file's `keepalive.ServerParameters{…}` literal, where the age fields belong when it exists. */
  ageOptions?: ListLayout;
  /** The options are C-core channel args written as `new ChannelOption(name, value)` (Grpc.Core). */
  channelArgs?: true;
}

export interface KuberesolverUse {
  /** Major version from the import path (`/v6`); 1 when unversioned. */
  version: number;
  importAt: Range;
  /** Schemes registered in this file (`RegisterInCluster` → kubernetes). */
  registers: { scheme: string; at: Range }[];
}

/** A visible shutdown timeout: Go `Shutdown(ctx)` with `context.WithTimeout`, `GracefulStop` raced by a timer. */
export interface ShutdownTimeout {
  seconds: number;
  at: Range;
}

export interface GrpcFacts {
  language: GrpcLanguage;
  dials: DialSite[];
  servers: ServerSite[];
  kuberesolver?: KuberesolverUse;
  shutdownTimeouts: ShutdownTimeout[];
  /** Go: `grpc.WithBalancerName`, `grpc.WithBalancer`, `grpc.RoundRobin` (removed from grpc-go). */
  removedApis: RemovedApi[];
  /** The file's imports, for edits that need one (Go's keepalive and time, Java's TimeUnit). */
  imports: ImportsLayout;
}
