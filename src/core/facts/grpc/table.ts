// The shape of a language table: what the gRPC reader (reader.ts) knows about one language, as rows — dial
// APIs, server builders, channel and server option names with their units, environment reads, value helpers,
// import and registration markers — plus a grammar adapter (Syntax) that says how the grammar writes calls,
// literals and lists. A new client API is a row; a new language is a table, a Syntax and a grammar.
//
// Adding an API: a dial row says which call, which argument is the target and where the options are
// (`{ call: 'grpc.NewClient', target: 0, options: { rest: 1, form: optionCall } }`); an option the reader
// should understand is one `channelOptions` entry (`loadBalancerFactory: { sets: 'unknown' }`). A new shape of
// options (a list of `new ChannelOption(k, v)`) is one more OptionForm in the language's module. Where an
// address comes from is rows too: `env` (os.Getenv, process.env), `config` (Spring `@Value`, .NET
// IConfiguration, IOptions<T>), `flags` (flag.String). An annotation is a call of kind `annotation`
// (`@GrpcClient("orders")` is a dial row whose target is a config key). Adding a
// language: a module with its Syntax and table, listed in index.ts's languageTables, and an edit builder in
// src/core/edit/code/.
import type { Node } from 'web-tree-sitter';
import type { GrammarName } from '../treesitter.js';
import type { GrpcLanguage, ImportsLayout, LbChoice } from './shapes.js';
import type { Bound, ConfigDialect, Evaluator, FileScope, Range } from './value.js';

/** A callee as written, whitespace removed (`grpc.NewClient`, `ManagedChannelBuilder.forTarget`), or a pattern for it. */
export type Callee = string | RegExp;

/** A call or construction, whatever the grammar calls it. */
export interface CallNode {
  node: Node;
  /** `new`: a constructor call, a C# `new T { … }`, a Go composite literal `T{ … }`; `annotation`: Java `@T(…)`. */
  kind: 'call' | 'new' | 'annotation';
  /** The callee (or constructed type) without whitespace. */
  callee: string;
  /** The callee's last name when it is a name or a member access (`NewClient`, `forTarget`), with its range. */
  name?: string;
  nameAt?: Range;
  /** The object of a member call (`x` in `x.format(…)`). */
  receiver?: Node;
  /** Positional arguments, comments and keyword arguments left out. */
  args: Node[];
  /** Keyword arguments (Python `options=[…]`). */
  keywords: ReadonlyMap<string, Node>;
  /** The argument list with its delimiters; absent for `new T { … }` without parentheses. */
  argList?: Node;
  /** The `{ … }` of a construction (C# object initializer, Go composite literal body). */
  initializer?: Node;
}

/** A literal's value and the range of its content (inside the quotes). */
export interface LiteralValue {
  text: string;
  at: Range;
}

/** Plain data written as a literal (the argument of `JSON.stringify`, `json.dumps`). */
export type DataNode =
  | { kind: 'value'; value: string | number | boolean }
  | { kind: 'list'; items: Node[] }
  | { kind: 'map'; entries: { key: string | undefined; value: Node }[] };

/** How one grammar writes the constructs the reader looks at. Each method answers undefined for other nodes. */
export interface Syntax {
  /** Node types that are comments (left out of argument lists and layouts). */
  comments: ReadonlySet<string>;
  /** Node types that spread a list into its place (`opts...`, `...rest`). */
  spreads: ReadonlySet<string>;
  call(node: Node): CallNode | undefined;
  /** The call made on the result of `call` (`call.next(…)`): the next link of a builder chain. */
  chained(call: Node): CallNode | undefined;
  /** A string or integer literal. */
  literal(node: Node): LiteralValue | undefined;
  /** A numeric literal's value. */
  number(node: Node): number | undefined;
  /** A binary or boolean operation (`a + b`, `a || b`, `a or b`). */
  binary(node: Node): { op: string; left: Node; right: Node } | undefined;
  /** Wrappers that keep the value: parentheses, casts, `await`, `*p`. */
  transparent(node: Node): Node | undefined;
  /** Interpolated strings (template literals, f-strings, `$"…"`): the pieces in order. */
  interpolation(node: Node): (Node | LiteralValue)[] | undefined;
  /** `a.b`: the object's text (no whitespace) and the property. */
  member(node: Node): { object: string; property: string; objectNode?: Node } | undefined;
  /** `a["b"]`: the object's text (no whitespace) and the key expression. */
  index(node: Node): { object: string; key: Node; objectNode?: Node } | undefined;
  /** Plain data literals (strings, numbers, booleans, lists, maps). */
  data(node: Node): DataNode | undefined;
  /** Lookup key of an identifier or member access (`addr`, `self.addr`, `svc.addr`). */
  refKey(node: Node): string | undefined;
  /** When the node is a parameter of its enclosing function: the function's name and the parameter index. */
  parameterOf(node: Node): { fn: string; index: number } | undefined;
  /** A return statement (or expression body) of a named function: the function's name and node, and the value returned. */
  returnOf(node: Node): { fn: string; value: Node; within: Node } | undefined;
  /** An element of a destructuring pattern (`{ A = 'd', B: c } = process.env`): the object, the property, its default. */
  destructured(node: Node): { object: string; property: string; fallback?: Node } | undefined;
  imports(root: Node, text: string): ImportsLayout;
}

/** Everything a row's function may look at once the file's scope is known. */
export interface ReadContext {
  syntax: Syntax;
  text: string;
  scope: FileScope;
  ev: Evaluator;
}

/** One option as written: a Go `grpc.WithX(…)` argument, a Python `(key, value)` tuple, a JS pair, a Java builder call, a C# assignment. */
export interface OptionEntry {
  name: string;
  /** The value (the first argument of a call). */
  value?: Node;
  args: Node[];
  /** The whole entry. */
  at: Range;
  /** The key alone, when it is written separately (a JS pair's key). */
  keyAt?: Range;
}

/**
 * Reads an options node: its entries and the list node that holds them, or undefined when the node is not written
 * out (a variable, a call). `opaque`: the list also holds entries that are not (a spread, a variable item).
 */
export type OptionForm = (node: Node, syntax: Syntax) => { entries: OptionEntry[]; list?: Node; opaque?: true } | undefined;

/** Where a call's options are. */
export type OptionsAt =
  /** Every argument from `rest` on is one option, each read by `form` (Go's variadic DialOptions). */
  | { rest: number; form: OptionForm }
  /** One argument holds them all: a keyword argument, else the positional one. */
  | { keyword?: string; arg?: number; form: OptionForm }
  /** Calls chained onto the factory (grpc-java builders). `readOnly`: nothing can be added (no such setter). */
  | { chain: true; readOnly?: boolean }
  /** Read from the call and its surroundings by `form` (.NET AddGrpcClient(…).ConfigureChannel(…)); no edit place. */
  | { around: OptionForm };

/** Which argument is the target. */
export type TargetAt =
  | number
  | { keyword: string; arg: number }
  /** Two arguments joined as `host:port` (grpc-java forAddress). */
  | { host: number; port: number }
  /** Found by the language (a .NET `o.Address = …` inside the call). */
  | { find: (call: CallNode, syntax: Syntax) => Node | undefined }
  /** A config key named after the argument (`@GrpcClient("orders")` → `grpc.client.orders.address`), read by the model. */
  | { configKey: (name: string) => string; nameArg: number; dialect: ConfigDialect };

interface CallRow {
  call: Callee;
  /** Default `call`. */
  kind?: CallNode['kind'];
  /** Name in messages; default the callee (`new X` for constructors). */
  api?: string | ((call: CallNode) => string);
  /** Extra test once the file's scope is known (grpc-js generated clients take channel credentials second). */
  when?: (call: CallNode, ctx: ReadContext) => boolean;
  /** Options are C-core channel args (`new ChannelOption(name, value)`): how an edit writes a new one. */
  channelArgs?: true;
}

export interface DialRow extends CallRow {
  target: TargetAt;
  options?: OptionsAt;
  /** The resolver of a target without a scheme; default `dns`. */
  defaultScheme?: 'dns' | 'passthrough';
  /** The policy when nothing sets one, when it is not gRPC's pick_first (grpc-spring-boot-starter: round_robin). */
  defaultPolicy?: string;
  /** Config keys that may set the policy (`grpc.client.orders.default-load-balancing-policy`), read by the model. */
  policyKeys?: (name: string) => string[];
  /** The API takes `http(s)://` addresses (Grpc.Net.Client); for every other client they are no gRPC target. */
  httpTargets?: true;
  /** Without a load-balancing config the channel holds one connection, whatever the address (Grpc.Net.Client). */
  oneConnectionUnlessBalanced?: true;
}

/** How a duration is written. */
export interface DurationUnit {
  /** Milliseconds per named unit, matched on the whole text (`time.Minute`) or its last segment (`TimeUnit.MINUTES`). */
  units: Readonly<Record<string, number>>;
  /** Milliseconds per unit of a bare number (a Go duration counts nanoseconds); undefined: a bare number is no duration. */
  bare?: number;
  /** Calls that convert a count without changing it (`time.Duration(n)`). */
  conversions?: readonly string[];
  /** The unit is the option's argument at this index (`maxConnectionAge(5, TimeUnit.MINUTES)`). */
  unitArg?: number;
}

export interface ServerRow extends CallRow {
  /** The server's own options (read for the age; where an edit adds it). */
  options?: OptionsAt;
  /** How the max connection age is written; absent: the server cannot set one (ASP.NET Core). */
  age?: { maxAge: string; grace: string; unit: DurationUnit };
  /** Age settings held by literals of this type anywhere in the file (Go's keepalive.ServerParameters{…}). */
  ageLiteral?: { type: string; form: OptionForm };
  /** The call's own argument that names the listen port (grpc-java `forPort(50051)`). */
  listen?: number;
  /** Overrides "options not written out": may options assembled out of sight set the age? (Go: parameters, helpers.) */
  ageOutOfSight?: (call: CallNode, ctx: ReadContext) => boolean;
}

/** What a channel option sets. */
export type ChannelOptionRow =
  /** A service-config JSON. `reportAt: 'literal'`: the JSON's own literal, even in a constant (Go); else the option's value. */
  | { sets: 'serviceConfig'; reportAt?: 'literal'; legacyIgnored?: true }
  /** A policy name literal, reported at the value or the whole entry; unreadable: unknown or ignored. */
  | { sets: 'lbPolicy'; via: LbChoice['via']; reportAt: 'value' | 'entry'; unreadable: 'unknown' | 'ignore' }
  /**
   * Policy objects by type (`LoadBalancingConfigs = { new RoundRobinConfig() }`): the first one counts. The value
   * itself may be the object (`loadBalancerFactory(RoundRobinLoadBalancerFactory.getInstance())`): a key is
   * then the callee (`RoundRobinLoadBalancerFactory.getInstance`, or a constructed type).
   */
  | { sets: 'lbPolicyObjects'; via: LbChoice['via']; policies: Readonly<Record<string, string>> }
  /** Something that may set the policy but cannot be read here; `unlessConstructed`: unless its value is a `new …`. */
  | { sets: 'unknown'; unlessConstructed?: true }
  | { sets: 'disableServiceConfig' }
  | { sets: 'resolvers' }
  /** grpc-js ignores `grpc.lb_policy_name`: kept aside for the rule that says so. */
  | { sets: 'ignoredLbPolicyName' };

export type EnvRow =
  /** `os.Getenv("X")`: a call with the name as an argument, perhaps a default. */
  | { call: Callee; nameArg?: number; fallbackArg?: number; fallbackKeyword?: string }
  /** Project helpers whose name says env (`getEnv("ADDR", "localhost:50051")`): the second argument is the default. */
  | { helper: RegExp; maxArgs: number; fallbackArg: number }
  /** `process.env.X` */
  | { member: string }
  /** `os.environ["X"]` */
  | { index: Callee }
  /** `const { X = 'd', Y: y } = process.env`: destructured names. */
  | { destructure: string };

/** Application config reads: a key looked up by the model in the module's config files (facts/app-config.ts). */
export type ConfigRow =
  /** `configuration["Urls:Orders"]`: an index on an object whose name says config. */
  | { index: RegExp; dialect: ConfigDialect }
  /** `configuration.GetValue<string>("Urls:Orders", "d")`, `GetConnectionString("x")` (`prefix` `ConnectionStrings:`). */
  | { call: Callee; receiver: RegExp; keyArg: number; fallbackArg?: number; prefix?: string; dialect: ConfigDialect }
  /** `configuration.GetSection("Urls")`: a section; an index, `GetValue` or `.Value` on it reads below it. */
  | { section: Callee; receiver: RegExp; keyArg: number; dialect: ConfigDialect }
  /** An annotation holding a placeholder string: Spring `@Value("${orders.address:dns:///orders:9090}")`. */
  | { annotation: string; placeholders: 'spring' }
  /** Members of a bound options class: `IOptions<ServiceUrls>` … `.Value.Orders` (found by the language). */
  | { options: (node: Node, syntax: Syntax) => { type: string; key: string } | undefined; dialect: ConfigDialect };

/** Command-line flags: `flag.String("addr", "d", "usage")`; `binds`: the argument a `flag.StringVar(&x, …)` writes. */
export interface FlagRow {
  call: Callee;
  nameArg: number;
  fallbackArg: number;
  binds?: number;
}

/** Calls whose value is one of their arguments (`strconv.Itoa(port)`, `new Uri(address)`). */
export interface WrapperRow {
  call: Callee;
  kind?: 'call' | 'new';
  arg: number;
}

/** Formatting calls that build a string from pieces. `receiver`: the format string is the object (`"{}:{}".format(…)`). */
export interface FormatRow {
  call: Callee;
  dialect: 'printf' | 'java' | 'braces' | 'hostPort';
  receiver?: true;
}

/** Sees every node of the scope walk, then binds what it found. */
export interface ScopeHook {
  visit(node: Node, call: CallNode | undefined): void;
  finish(bind: (key: string | undefined, value: Bound) => void, syntax: Syntax): void;
}

/** Declarations and assignments: which nodes bind which names to which values (paired in order). */
export interface BindingRow {
  types: readonly string[];
  names: (node: Node) => Node[];
  values: (node: Node) => Node[];
  /** The name's lookup key; default its text. */
  key?: (name: Node, syntax: Syntax) => string | undefined;
}

export interface LanguageTable {
  language: GrpcLanguage;
  /** File names this table reads, and the grammar of each. */
  files: readonly { name: RegExp; grammar: GrammarName; not?: RegExp }[];
  /** Generated stubs that register services but never dial or configure. */
  generated?: RegExp;
  syntax: Syntax;
  /**
   * Node types the walk hands to `syntax.call`, `syntax.returnOf` and the scope hook (binding rows' types are added
   * to them): nodes of other types are never materialised (walk.ts). A visitor that looks at a new type lists it here.
   */
  visits: readonly string[];
  bindings: readonly BindingRow[];
  /** Language-specific bindings found during the scope walk (Go's `mustMapEnv(&x, "ENV")`); one hook per file. */
  scopeHook?: () => ScopeHook;
  env: readonly EnvRow[];
  /** Application config reads (absent: the language has none the reader knows). */
  config?: readonly ConfigRow[];
  flags?: readonly FlagRow[];
  wrappers: readonly WrapperRow[];
  formats: readonly FormatRow[];
  /** Operators whose right side is the left's default (`||`, `??`, `or`). */
  orElse: readonly string[];
  /** Serialisers whose argument is read as plain data (`JSON.stringify`, `json.dumps`). */
  jsonSerializers: readonly string[];
  dials: readonly DialRow[];
  servers: readonly ServerRow[];
  channelOptions: Readonly<Record<string, ChannelOptionRow>>;
  /** Listen addresses given outside the server call (`net.Listen`, `add_insecure_port`, `bindAsync`). */
  listens: readonly (CallRow & { arg: number })[];
  /** Options that cannot be read count as "may set the policy" only if the file's text matches (absent: always). */
  lbHint?: RegExp;
  kuberesolver?: {
    importPath: RegExp;
    /** Calls that register a resolver scheme: a fixed one, or the argument at `schemeArg` (`kubernetes` when missing). */
    registers: readonly ({ call: Callee; scheme: string } | { call: Callee; schemeArg: number })[];
  };
  removedApis?: readonly { call: Callee; api: 'WithBalancerName' | 'WithBalancer' | 'RoundRobin'; policyArg?: number }[];
  /** Timeouts that bound a shutdown, counted only when the text shows one (`GracefulStop`, `Shutdown`). */
  shutdownTimeouts?: { calls: readonly { call: Callee; arg: number }[]; when: RegExp; unit: DurationUnit };
  /** A resolver that polls, registered in the file (.NET `DnsResolverFactory(refreshInterval: …)`). */
  refreshInterval?: RegExp;
}

export function matches(callee: Callee, text: string): boolean {
  return typeof callee === 'string' ? callee === text : callee.test(text);
}
