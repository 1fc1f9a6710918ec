// Grpc.Net.Client (.NET) as a table: `GrpcChannel.ForAddress(address, new GrpcChannelOptions { ServiceConfig =
// new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } } })`, `services.AddGrpcClient<T>(o =>
// o.Address = new Uri(...))`, a `DnsResolverFactory(refreshInterval: …)`, and ASP.NET Core servers
// (`MapGrpcService<T>()`), which have no MaxConnectionAge setting.
import type { Node } from 'web-tree-sitter';
import { binaryFields, field, lastSegment, NO_KEYWORDS, parenthesized, squash } from './layout.js';
import type { ImportsLayout } from './shapes.js';
import type { CallNode, LanguageTable, OptionEntry, OptionForm, Syntax } from './table.js';
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
      return type ? { node, kind: 'new', callee: squash(type.text), args: argsOf(argList ?? null), keywords: NO_KEYWORDS, argList, initializer } : undefined;
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
    if (node.type === 'verbatim_string_literal') return { text: node.text.slice(2, -1).replace(/""/g, '"'), at: [node.startIndex + 2, node.endIndex - 1] };
    return undefined;
  },
  number: (node) => (node.type === 'integer_literal' ? Number(node.text.replace(/[_lLuU]/g, '')) : undefined),
  binary: (node) => binaryFields(node, ['binary_expression']),
  transparent: parenthesized,
  interpolation(node) {
    if (node.type !== 'interpolated_string_expression') return undefined;
    const out: ReturnType<NonNullable<Syntax['interpolation']>> = [];
    for (const c of node.namedChildren) {
      if (c?.type === 'string_content') out!.push({ text: unescapeC(c.text), at: rangeOf(c) });
      else if (c?.type === 'interpolation') {
        const expr = c.namedChildren.find((x) => x && !/^interpolation_(brace|alignment|format)/.test(x.type));
        if (!expr || c.namedChildren.some((x) => x?.type === 'interpolation_format_clause')) return undefined;
        out!.push(expr);
      }
    }
    return out;
  },
  member: () => undefined,
  index: () => undefined,
  data: () => undefined,
  refKey(node) {
    if (node.type === 'identifier') return node.text;
    if (node.type === 'member_access_expression') return squash(node.text).replace(/^this\./, '');
    return undefined;
  },
  parameterOf: () => undefined,
  imports(root) {
    const out: ImportsLayout = { entries: [], headerEnd: 0 };
    for (const using of root.namedChildren) {
      if (using?.type !== 'using_directive') continue;
      out.lastImportEnd = using.endIndex;
      // `using static X;` and `using A = X;` do not bring X's types into scope.
      const name = using.namedChildren.find((c) => c?.type === 'qualified_name' || c?.type === 'identifier');
      if (name && !using.childForFieldName('name') && !/^using\s+static\b/.test(using.text)) out.entries.push({ module: squash(name.text), at: rangeOf(name) });
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

export const csharpTable: LanguageTable = {
  language: 'csharp',
  files: [{ name: /\.cs$/i, grammar: 'c_sharp' }],
  generated: /Grpc\.cs$/,
  syntax,
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
  wrappers: [{ kind: 'new', call: 'Uri', arg: 0 }],
  formats: [],
  orElse: ['??'],
  jsonSerializers: [],
  dials: [
    { call: 'GrpcChannel.ForAddress', target: 0, options: { arg: 1, form: channelOptionsObject } },
    { call: /\.AddGrpcClient(<.*>)?$/, api: 'AddGrpcClient', target: { find: assignedAddress }, options: { around: wholeStatement } },
  ],
  servers: [{ call: /\.MapGrpcService(<.*>)?$/, api: (call) => call.name ?? call.callee }],
  channelOptions: {
    // A ServiceConfig built elsewhere may choose any policy.
    ServiceConfig: { sets: 'unknown', unlessConstructed: true },
    LoadBalancingConfigs: { sets: 'lbPolicyObjects', via: 'loadBalancingConfigs', policies: { RoundRobinConfig: 'round_robin', PickFirstConfig: 'pick_first' } },
  },
  listens: [],
  refreshInterval: /new\s+DnsResolverFactory\s*\(\s*refreshInterval\s*:/,
};
