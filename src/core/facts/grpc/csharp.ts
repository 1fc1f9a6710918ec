// Grpc.Net.Client (.NET) as a table: `GrpcChannel.ForAddress(address, new GrpcChannelOptions { ServiceConfig =
// new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } } })`, `services.AddGrpcClient<T>(o =>
// o.Address = new Uri(...))`, a `DnsResolverFactory(refreshInterval: …)`, and ASP.NET Core servers
// (`MapGrpcService<T>()`), which have no MaxConnectionAge setting. Grpc.Core (C-core): `new Channel(target, creds,
// options)` with `new ChannelOption("grpc.lb_policy_name", …)` entries, and `new Server(options) { Ports = … }`.
// Addresses: `Environment.GetEnvironmentVariable`, IConfiguration (`config["Urls:Orders"]`, `GetValue<T>`,
// `GetSection`), and members of options classes (`IOptions<ServiceUrls>` … `.Value.Orders`), helper methods.
import type { Node } from 'web-tree-sitter';
import { CHANNEL_ARG } from './channel-args.js';
import { binaryFields, field, itemsOf, lastSegment, NO_KEYWORDS, parenthesized, squash, topLevelOfTypes } from './layout.js';
import type { ImportsLayout } from './shapes.js';
import type { CallNode, LanguageTable, OptionEntry, OptionForm, ReadContext, Syntax } from './table.js';
import { rangeOf, unescapeC, walk } from './value.js';

const COMMENTS = new Set(['comment']);

/** Each `argument` wraps its expression (and maybe a `name:`); the expressions, in order. */
function argsOf(argList: Node | null): Node[] {
  return (argList?.namedChildren ?? []).flatMap((a) => {
    if (a?.type !== 'argument') return [];
    const expr = a.namedChildren.filter((c) => c !== null && c.id !== a.childForFieldName('name')?.id);
    return expr.length > 0 ? [expr[expr.length - 1]!] : [];
  });
}

const syntax: Syntax = {
  comments: COMMENTS,
  spreads: new Set(),
  call(node): CallNode | undefined {
    if (node.type === 'object_creation_expression') {
      const type = node.childForFieldName('type');
      const argList = node.childForFieldName('arguments') ?? undefined;
      const initializer = node.childForFieldName('initializer') ?? undefined;
      return type
        ? { node, kind: 'new', callee: squash(type.text), args: argsOf(argList ?? null), keywords: NO_KEYWORDS, argList, initializer }
        : undefined;
    }
    if (node.type !== 'invocation_expression') return undefined;
    const fn = node.childForFieldName('function');
    const argList = node.childForFieldName('arguments');
    if (!fn || !argList) return undefined;
    const member = fn.type === 'member_access_expression';
    const nameNode = member ? fn.childForFieldName('name') : fn.type === 'identifier' || fn.type === 'generic_name' ? fn : null;
    return {
      node,
      kind: 'call',
      callee: squash(fn.text),
      name: nameNode?.text,
      nameAt: nameNode ? rangeOf(nameNode) : undefined,
      receiver: member ? (fn.childForFieldName('expression') ?? undefined) : undefined,
      args: argsOf(argList),
      keywords: NO_KEYWORDS,
      argList,
    };
  },
  chained: () => undefined,
  literal(node) {
    if (node.type === 'integer_literal') return { text: node.text, at: rangeOf(node) };
    if (node.type === 'string_literal') return { text: unescapeC(node.text.slice(1, -1)), at: [node.startIndex + 1, node.endIndex - 1] };
    if (node.type === 'verbatim_string_literal')
      return { text: node.text.slice(2, -1).replace(/""/g, '"'), at: [node.startIndex + 2, node.endIndex - 1] };
    return undefined;
  },
  number: (node) => (node.type === 'integer_literal' ? Number(node.text.replace(/[_lLuU]/g, '')) : undefined),
  binary: (node) => binaryFields(node, ['binary_expression']),
  transparent(node) {
    // `x!` (null-forgiving) and `(string)x` keep the value.
    if (node.type === 'postfix_unary_expression' && node.text.endsWith('!')) return node.namedChild(0) ?? undefined;
    if (node.type === 'cast_expression') return node.childForFieldName('value') ?? undefined;
    return parenthesized(node);
  },
  interpolation(node) {
    if (node.type !== 'interpolated_string_expression') return undefined;
    const out: ReturnType<NonNullable<Syntax['interpolation']>> = [];
    for (const c of node.namedChildren) {
      if (c?.type === 'string_content') out.push({ text: unescapeC(c.text), at: rangeOf(c) });
      else if (c?.type === 'interpolation') {
        const expr = c.namedChildren.find((x) => x && !/^interpolation_(brace|alignment|format)/.test(x.type));
        if (!expr || c.namedChildren.some((x) => x?.type === 'interpolation_format_clause')) return undefined;
        out.push(expr);
      }
    }
    return out;
  },
  member(node) {
    if (node.type !== 'member_access_expression') return undefined;
    const [object, name] = [node.childForFieldName('expression'), node.childForFieldName('name')];
    return object && name ? { object: squash(object.text), property: name.text, objectNode: object } : undefined;
  },
  index(node) {
    if (node.type !== 'element_access_expression') return undefined;
    const object = node.childForFieldName('expression');
    const key = argsOf(node.childForFieldName('subscript'))[0];
    return object && key ? { object: squash(object.text), key, objectNode: object } : undefined;
  },
  data: () => undefined,
  refKey(node) {
    if (node.type === 'identifier') return node.text;
    if (node.type === 'member_access_expression') return squash(node.text).replace(/^this\./, '');
    return undefined;
  },
  parameterOf: () => undefined,
  returnOf(node) {
    // `return x;`, or an expression body (`string Host() => Environment.GetEnvironmentVariable("HOST");`).
    const type = node.type;
    const value =
      type === 'return_statement' || type === 'arrow_expression_clause'
        ? node.namedChildren.find((c) => c !== null && !COMMENTS.has(c.type))
        : undefined;
    for (let p = node.parent; p && value; p = p.parent) {
      if (p.type === 'lambda_expression' || p.type === 'declaration_list') return undefined;
      if (p.type === 'method_declaration' || p.type === 'local_function_statement')
        return { fn: p.childForFieldName('name')!.text, value, within: p };
    }
    return undefined;
  },
  destructured: () => undefined,
  imports(root) {
    const out: ImportsLayout = { entries: [], headerEnd: 0 };
    for (const using of topLevelOfTypes(root, ['using_directive'])) {
      out.lastImportEnd = using.endIndex;
      // `using static X;` and `using A = X;` do not bring X's types into scope.
      const name = using.namedChildren.find((c) => c?.type === 'qualified_name' || c?.type === 'identifier');
      if (name && !using.childForFieldName('name') && !/^using\s+static\b/.test(using.text))
        out.entries.push({ module: squash(name.text), at: rangeOf(name) });
    }
    return out;
  },
};

/** Member assignments anywhere under a node (`ServiceConfig = …`, `o.Address = …`), named by the member. */
function assignmentsUnder(node: Node): OptionEntry[] {
  const out: OptionEntry[] = [];
  for (const n of walk(node)) {
    if (n.type !== 'assignment_expression') continue;
    const [left, right] = [n.childForFieldName('left'), n.childForFieldName('right')];
    if (left && right) out.push({ name: lastSegment(left.text), value: right, args: [right], at: rangeOf(n) });
  }
  return out;
}

/** `new GrpcChannelOptions { … }`: the assignments of its initializer (a variable or call is not written out). */
const channelOptionsObject: OptionForm = (options) => {
  const initializer = options.type === 'object_creation_expression' ? options.childForFieldName('initializer') : null;
  return initializer ? { entries: assignmentsUnder(initializer), list: initializer } : undefined;
};

/** The statement may continue with .ConfigureChannel(o => { o.ServiceConfig = … }): read the whole chain. */
const wholeStatement: OptionForm = (call) => {
  let top = call;
  while (top.parent && (top.parent.type === 'member_access_expression' || top.parent.type === 'invocation_expression')) top = top.parent;
  return { entries: assignmentsUnder(top) };
};

/** `services.AddGrpcClient<T>(o => { o.Address = new Uri("http://orders:50051"); })`: the address assigned inside. */
function assignedAddress(call: CallNode): Node | undefined {
  return assignmentsUnder(call.node).find((e) => e.name === 'Address')?.value;
}

/** `new[] { new ChannelOption("grpc.lb_policy_name", "round_robin") }`, a `List<ChannelOption> { … }`, `[ … ]`. */
const channelOptionList: OptionForm = (node) => {
  const list =
    node.type === 'collection_expression'
      ? node
      : node.type === 'implicit_array_creation_expression'
        ? node.namedChildren.find((c) => c?.type === 'initializer_expression')
        : node.type === 'array_creation_expression' || node.type === 'object_creation_expression'
          ? (node.childForFieldName('initializer') ?? node.namedChildren.find((c) => c?.type === 'initializer_expression'))
          : undefined;
  if (!list) return undefined;
  const entries = itemsOf(list, COMMENTS).flatMap((item): OptionEntry[] => {
    const type = item.type === 'object_creation_expression' ? item.childForFieldName('type')?.text : undefined;
    const [name, value] = argsOf(item.childForFieldName('arguments'));
    if (!type || lastSegment(type) !== 'ChannelOption' || !name || !value) return [];
    const key = syntax.literal(name)?.text ?? squash(name.text);
    return [{ name: key, value, args: [value], at: rangeOf(item) }];
  });
  const others = itemsOf(list, COMMENTS).some((item) => item.type !== 'object_creation_expression');
  return others ? { entries, list, opaque: true } : { entries, list };
};

/** Grpc.Core's classes, not another library's `Channel` or `Server`. */
const grpcCore = (call: CallNode, ctx: ReadContext) => call.callee.startsWith('Grpc.Core.') || /\busing\s+Grpc\.Core\s*;/.test(ctx.text);
/** `new Channel(host, port, creds[, options])` rather than `new Channel(target, creds[, options])`. */
const hostPortChannel = (call: CallNode) =>
  call.args.length === 4 || (call.args.length === 3 && /credentials|creds/i.test(call.args[2]!.text));

const CONFIG_ROOT = /(^|\.)_?(configuration|config|cfg|configRoot)$/i;
const OPTIONS_TYPE = /^I(?:Options|OptionsSnapshot|OptionsMonitor)<\s*([\w.]+)\s*>$/;
const NOT_OPTIONS_CLASS = /^(var|string|String|int|bool|object|dynamic|Uri|IConfiguration\w*)$|[<>[\]?]/;

/**
 * `options.Value.Orders` with `IOptions<ServiceUrls> options` (also IOptionsMonitor's `CurrentValue`), or
 * `_urls.Orders` with `ServiceUrls _urls` (assigned from `options.Value`): the options class and the key below
 * its section (`Orders`, `Grpc:Orders` for nested classes). The model finds the section the class is bound to.
 */
function optionsMember(node: Node): { type: string; key: string } | undefined {
  if (node.type !== 'member_access_expression') return undefined;
  const path: string[] = [];
  let base: Node | null = node;
  while (base?.type === 'member_access_expression') {
    path.unshift(base.childForFieldName('name')?.text ?? '');
    base = base.childForFieldName('expression');
  }
  if (base?.type === 'this_expression' || !base) return undefined;
  if (base.type !== 'identifier') return undefined;
  const declared = declarationOf(base);
  if (!declared) return undefined;
  const options = OPTIONS_TYPE.exec(declared.type);
  if (options) {
    const value = path.findIndex((p) => p === 'Value' || p === 'CurrentValue');
    return value === 0 && path.length > 1 ? { type: lastSegment(options[1]!), key: path.slice(1).join(':') } : undefined;
  }
  if (declared.type === 'var' && declared.init) {
    // `var urls = options.Value;` … `urls.Orders`
    const init = declared.init;
    if (init.type === 'member_access_expression' && ['Value', 'CurrentValue'].includes(init.childForFieldName('name')?.text ?? '')) {
      const owner = init.childForFieldName('expression');
      const ownerType = owner?.type === 'identifier' ? declarationOf(owner) : undefined;
      const bound = ownerType && OPTIONS_TYPE.exec(ownerType.type);
      return bound ? { type: lastSegment(bound[1]!), key: path.join(':') } : undefined;
    }
    return undefined;
  }
  return NOT_OPTIONS_CLASS.test(declared.type) ? undefined : { type: lastSegment(declared.type), key: path.join(':') };
}

/** The declared type (and initializer) of a name: a parameter, local, field or property visible from `use`. */
function declarationOf(use: Node): { type: string; init?: Node } | undefined {
  const name = use.text;
  for (let scope = use.parent; scope; scope = scope.parent) {
    const params =
      scope.childForFieldName('parameters') ??
      (scope.type === 'class_declaration' || scope.type === 'record_declaration'
        ? scope.namedChildren.find((c) => c?.type === 'parameter_list')
        : null);
    for (const param of params?.namedChildren ?? []) {
      if (param?.type === 'parameter' && param.childForFieldName('name')?.text === name)
        return { type: squash(param.childForFieldName('type')?.text ?? '') };
    }
    for (const child of scope.namedChildren) {
      if (!child) continue;
      const declaration =
        child.type === 'local_declaration_statement' || child.type === 'field_declaration'
          ? child.namedChildren.find((c) => c?.type === 'variable_declaration')
          : undefined;
      for (const d of declaration?.namedChildren ?? []) {
        if (d?.type !== 'variable_declarator' || d.childForFieldName('name')?.text !== name) continue;
        const init = d.namedChildren.filter((c) => c !== null && c.id !== d.childForFieldName('name')?.id).pop();
        return { type: squash(declaration!.childForFieldName('type')?.text ?? ''), init: init ?? undefined };
      }
      if (child.type === 'property_declaration' && child.childForFieldName('name')?.text === name)
        return { type: squash(child.childForFieldName('type')?.text ?? '') };
    }
    if (scope.type === 'class_declaration' || scope.type === 'record_declaration' || scope.type === 'struct_declaration') return undefined;
  }
  return undefined;
}

const MS = { units: {}, bare: 1 };

export const csharpTable: LanguageTable = {
  language: 'csharp',
  files: [{ name: /\.cs$/i, grammar: 'c_sharp' }],
  generated: /Grpc\.cs$/,
  syntax,
  visits: ['object_creation_expression', 'invocation_expression', 'return_statement', 'arrow_expression_clause'],
  bindings: [
    {
      types: ['variable_declarator'],
      names: field('name'),
      values: (n) => {
        const name = n.childForFieldName('name');
        const value = n.namedChildren.filter((c) => c !== null && c.id !== name?.id && c.type !== 'bracketed_argument_list').pop();
        return value ? [value] : [];
      },
    },
  ],
  env: [{ call: /^(System\.)?Environment\.GetEnvironmentVariable$/ }],
  config: [
    { index: CONFIG_ROOT, dialect: 'dotnet' },
    { call: /\.GetValue(<[^>]*>)?$/, receiver: CONFIG_ROOT, keyArg: 0, fallbackArg: 1, dialect: 'dotnet' },
    { call: /\.GetConnectionString$/, receiver: CONFIG_ROOT, keyArg: 0, prefix: 'ConnectionStrings', dialect: 'dotnet' },
    { section: /\.(GetSection|GetRequiredSection)$/, receiver: CONFIG_ROOT, keyArg: 0, dialect: 'dotnet' },
    { options: optionsMember, dialect: 'dotnet' },
  ],
  wrappers: [{ kind: 'new', call: 'Uri', arg: 0 }],
  formats: [],
  orElse: ['??'],
  jsonSerializers: [],
  dials: [
    // Grpc.Net.Client takes http(s) addresses, and without a LoadBalancingConfig holds one connection whatever they resolve to.
    {
      call: 'GrpcChannel.ForAddress',
      target: 0,
      options: { arg: 1, form: channelOptionsObject },
      httpTargets: true,
      oneConnectionUnlessBalanced: true,
    },
    {
      call: /\.AddGrpcClient(<.*>)?$/,
      api: 'AddGrpcClient',
      target: { find: assignedAddress },
      options: { around: wholeStatement },
      httpTargets: true,
      oneConnectionUnlessBalanced: true,
    },
    // Grpc.Core: C-core's channel args (it honours grpc.lb_policy_name).
    {
      kind: 'new',
      call: /^(Grpc\.Core\.)?Channel$/,
      api: 'new Channel',
      when: (c, ctx) => grpcCore(c, ctx) && !hostPortChannel(c),
      target: 0,
      options: { arg: 2, form: channelOptionList },
      channelArgs: true,
    },
    {
      kind: 'new',
      call: /^(Grpc\.Core\.)?Channel$/,
      api: 'new Channel',
      when: (c, ctx) => grpcCore(c, ctx) && hostPortChannel(c),
      target: { host: 0, port: 1 },
      options: { arg: 3, form: channelOptionList },
      channelArgs: true,
    },
  ],
  servers: [
    { call: /\.MapGrpcService(<.*>)?$/, api: (call) => call.name ?? call.callee },
    {
      kind: 'new',
      call: /^(Grpc\.Core\.)?Server$/,
      api: 'new Server',
      when: grpcCore,
      options: { arg: 0, form: channelOptionList },
      age: { maxAge: CHANNEL_ARG.maxConnectionAge, grace: CHANNEL_ARG.maxConnectionAgeGrace, unit: MS },
      channelArgs: true,
    },
  ],
  channelOptions: {
    // A ServiceConfig built elsewhere may choose any policy.
    ServiceConfig: { sets: 'unknown', unlessConstructed: true },
    LoadBalancingConfigs: {
      sets: 'lbPolicyObjects',
      via: 'loadBalancingConfigs',
      policies: { RoundRobinConfig: 'round_robin', PickFirstConfig: 'pick_first' },
    },
    // Grpc.Core ChannelOption names (C-core channel args).
    [CHANNEL_ARG.lbPolicyName]: { sets: 'lbPolicy', via: 'lbPolicyName', reportAt: 'value', unreadable: 'unknown' },
    [CHANNEL_ARG.serviceConfig]: { sets: 'serviceConfig' },
    [CHANNEL_ARG.disableResolution]: { sets: 'disableServiceConfig' },
  },
  listens: [{ kind: 'new', call: /^(Grpc\.Core\.)?ServerPort$/, arg: 1 }],
  refreshInterval: /new\s+DnsResolverFactory\s*\(\s*refreshInterval\s*:/,
};
