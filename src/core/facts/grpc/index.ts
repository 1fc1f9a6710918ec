// gRPC facts from source code (Go, Python, JS/TS, Java, C#): where channels are dialed (target, balancing
// policy, service config, resolver options) and where servers are built (MaxConnectionAge, listen port).
// One module per language holds its tree-sitter query and reading; this file holds the shared shapes and
// the Extractor. Files that never mention grpc are skipped before parsing.
import type { Tree } from 'web-tree-sitter';
import type { FileFacts, Extractor } from '../index.js';
import type { KubeconnOptions } from '../../options.js';
import { parse, type GrammarName } from '../treesitter.js';
import type { Alt, Range } from './value.js';
import { extractGo } from './go.js';
import { extractPython } from './python.js';
import { extractJs } from './js.js';
import { extractJava } from './java.js';
import { extractCsharp } from './csharp.js';

export type { Alt, Part, Range } from './value.js';

export type GrpcLanguage = 'go' | 'python' | 'js' | 'java' | 'csharp';

/** Where an edit goes, and what it inserts or replaces (the file is added by the rule). */
export interface CodeEdit {
  start: number;
  end: number;
  text: string;
}

/** A balancing policy choice visible at the dial site. */
export interface LbChoice {
  policy: string;
  /** How it was set: a service-config JSON, grpc-js/grpcio `grpc.lb_policy_name`, Java's builder, .NET config. */
  via: 'serviceConfig' | 'lbPolicyName' | 'defaultLoadBalancingPolicy' | 'loadBalancingConfigs' | 'withBalancerName';
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
  /** Edit that adds a round_robin policy at this dial, when one can be placed safely. */
  roundRobinEdit?: CodeEdit[];
}

export interface RemovedApi {
  api: 'WithBalancerName' | 'WithBalancer' | 'RoundRobin';
  at: Range;
  /** Replacement edits (a WithDefaultServiceConfig option) and whether they keep behaviour (else: suggestion). */
  rewrite?: { edits: CodeEdit[]; safe: boolean; policy: string };
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
  /** Edits that add MaxConnectionAge/Grace, given seconds; undefined when no safe place exists. */
  ageEdit?: (ageSeconds: number, graceSeconds: number) => CodeEdit[];
  /** Listen addresses / ports (`:50051`, `[::]:` + port, forPort(50051)). */
  listens: Alt[];
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
}

/** Language of a code file by extension, or undefined. */
export function languageOfFile(file: string): { language: GrpcLanguage; grammar: GrammarName } | undefined {
  const m = /\.([a-z]+)$/i.exec(file);
  const ext = m?.[1]?.toLowerCase();
  switch (ext) {
    case 'go':
      return { language: 'go', grammar: 'go' };
    case 'py':
      return { language: 'python', grammar: 'python' };
    case 'js':
    case 'mjs':
    case 'cjs':
    case 'jsx':
      return { language: 'js', grammar: 'javascript' };
    case 'ts':
    case 'mts':
    case 'cts':
      return file.endsWith('.d.ts') ? undefined : { language: 'js', grammar: 'typescript' };
    case 'tsx':
      return { language: 'js', grammar: 'tsx' };
    case 'java':
      return { language: 'java', grammar: 'java' };
    case 'cs':
      return { language: 'csharp', grammar: 'c_sharp' };
    default:
      return undefined;
  }
}

/** The cheap test: a file that never says grpc (any case, also `Grpc.Net`, `io.grpc`) cannot dial or serve it. */
export function mentionsGrpc(text: string): boolean {
  return /grpc/i.test(text);
}

const readers: Record<GrpcLanguage, (tree: Tree, text: string, grammar: GrammarName) => GrpcFacts> = {
  go: extractGo,
  python: extractPython,
  js: extractJs,
  java: extractJava,
  csharp: extractCsharp,
};

export const grpcExtractor: Extractor = {
  name: 'grpc',
  claims: (file) => languageOfFile(file) !== undefined && !/(^|\/)(node_modules|vendor|dist|\.git)\//.test(file),
  mayMatter: mentionsGrpc,
  extract(facts: FileFacts, _options: KubeconnOptions) {
    const lang = languageOfFile(facts.file)!;
    // Generated stubs (*.pb.go, *_pb2_grpc.py, *_grpc_pb.js) register services but never dial or configure.
    if (/(\.pb\.go|_pb2(_grpc)?\.pyi?|_grpc_pb\.[jt]s|_pb\.[jt]s|Grpc\.cs)$/.test(facts.file)) return;
    const tree = parse(lang.grammar, facts.text);
    try {
      const grpc = readers[lang.language](tree, facts.text, lang.grammar);
      if (grpc.dials.length > 0 || grpc.servers.length > 0 || grpc.kuberesolver || grpc.removedApis.length > 0) facts.grpc = grpc;
    } finally {
      tree.delete();
    }
  },
};
