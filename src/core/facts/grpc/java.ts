// grpc-java as a table: channel builders (`ManagedChannelBuilder` / `NettyChannelBuilder` / `OkHttpChannelBuilder`
// `forTarget` / `forAddress`, `Grpc.newChannelBuilder`) read along their call chain for
// `defaultLoadBalancingPolicy` and the old `loadBalancerFactory` / `nameResolverFactory`, grpc-spring-boot-starter
// (net.devh) `@GrpcClient("orders")` clients whose address is the config key `grpc.client.orders.address`, and
// server builders (`NettyServerBuilder.forPort(...).maxConnectionAge(...)`). Addresses: `System.getenv`, Spring
// `@Value("${key:default}")` fields and parameters, helper methods.
import type { Node } from 'web-tree-sitter';
import { binaryFields, field, itemsOf, NO_KEYWORDS, parenthesized, squash, topLevelOfTypes } from './layout.js';
import type { ImportsLayout } from './shapes.js';
import type { CallNode, DialRow, DurationUnit, LanguageTable, ReadContext, ServerRow, Syntax } from './table.js';
import { rangeOf, unescapeC } from './value.js';

const COMMENTS = new Set(['line_comment', 'block_comment']);
const NUMBER = new Set([
  'decimal_integer_literal',
  'hex_integer_literal',
  'octal_integer_literal',
  'binary_integer_literal',
  'decimal_floating_point_literal',
]);

/** `maxConnectionAge(5, TimeUnit.MINUTES)`: the unit is the second argument. */
const TIME_UNIT_ARG: DurationUnit = {
  units: { NANOSECONDS: 1e-6, MICROSECONDS: 1e-3, MILLISECONDS: 1, SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 },
  unitArg: 1,
};

/** `@GrpcClient("orders")`, `@Value(value = "${x}")`: an annotation as a call (positional values, `key = value` pairs). */
function annotationOf(node: Node): CallNode | undefined {
  const name = node.childForFieldName('name');
  if (!name) return undefined;
  const argList = node.childForFieldName('arguments') ?? undefined;
  const args: Node[] = [];
  const keywords = new Map<string, Node>();
  for (const a of argList ? itemsOf(argList, COMMENTS) : []) {
    if (a.type !== 'element_value_pair') args.push(a);
    else {
      const [key, value] = [a.childForFieldName('key'), a.childForFieldName('value')];
      if (key && value) keywords.set(key.text, value);
    }
  }
  // `@Value(value = "…")` names its only element.
  if (args.length === 0 && keywords.has('value')) args.push(keywords.get('value')!);
  const callee = squash(name.text);
  return {
    node,
    kind: 'annotation',
    callee: callee.slice(callee.lastIndexOf('.') + 1),
    name: name.text,
    nameAt: rangeOf(name),
    args,
    keywords,
    argList,
  };
}

function callOf(node: Node): CallNode | undefined {
  if (node.type === 'annotation' || node.type === 'marker_annotation') return annotationOf(node);
  const isNew = node.type === 'object_creation_expression';
  if (!isNew && node.type !== 'method_invocation') return undefined;
  const argList = node.childForFieldName('arguments');
  if (!argList) return undefined;
  const base = { node, args: itemsOf(argList, COMMENTS), keywords: NO_KEYWORDS, argList };
  if (isNew) {
    const type = node.childForFieldName('type');
    return type ? { ...base, kind: 'new', callee: squash(type.text) } : undefined;
  }
  const object = node.childForFieldName('object');
  const name = node.childForFieldName('name')!;
  return {
    ...base,
    kind: 'call',
    callee: object ? `${squash(object.text)}.${name.text}` : name.text,
    name: name.text,
    nameAt: rangeOf(name),
    receiver: object ?? undefined,
  };
}

const syntax: Syntax = {
  comments: COMMENTS,
  spreads: new Set(),
  call: callOf,
  chained(call) {
    const parent = call.parent;
    return parent?.type === 'method_invocation' && parent.childForFieldName('object')?.id === call.id ? callOf(parent) : undefined;
  },
  literal(node) {
    if (node.type === 'decimal_integer_literal') return { text: node.text.replace(/[_lL]/g, ''), at: rangeOf(node) };
    if (node.type !== 'string_literal' || node.text.startsWith('"""')) return undefined;
    return { text: unescapeC(node.text.slice(1, -1)), at: [node.startIndex + 1, node.endIndex - 1] };
  },
  number(node) {
    if (!NUMBER.has(node.type)) return undefined;
    const n = Number(node.text.replace(/[_lL]/g, ''));
    return Number.isFinite(n) ? n : undefined;
  },
  binary: (node) => binaryFields(node, ['binary_expression']),
  transparent: parenthesized,
  interpolation: () => undefined,
  member: () => undefined,
  index: () => undefined,
  data: () => undefined,
  refKey(node) {
    if (node.type === 'identifier') return node.text;
    if (node.type === 'field_access') return squash(node.text).replace(/^this\./, '');
    return undefined;
  },
  parameterOf: () => undefined,
  returnOf(node) {
    if (node.type !== 'return_statement') return undefined;
    const value = node.namedChildren.find((c) => c !== null && !COMMENTS.has(c.type));
    for (let p = node.parent; p && value; p = p.parent) {
      if (p.type === 'lambda_expression' || p.type === 'class_body') return undefined;
      if (p.type === 'method_declaration') return { fn: p.childForFieldName('name')!.text, value, within: p };
    }
    return undefined;
  },
  destructured: () => undefined,
  imports(root) {
    const statements = topLevelOfTypes(root, ['package_declaration', 'import_declaration']);
    const out: ImportsLayout = { entries: [], headerEnd: statements.find((n) => n.type === 'package_declaration')?.endIndex ?? 0 };
    for (const decl of statements) {
      if (decl.type !== 'import_declaration') continue;
      out.lastImportEnd = decl.endIndex;
      // `import static a.B.C;` brings in a member, not the type: it does not count as importing a.B.C.
      const name = decl.namedChildren.find((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier');
      if (!name || /^import\s+static\b/.test(decl.text)) continue;
      const star = decl.namedChildren.some((c) => c?.type === 'asterisk');
      out.entries.push({ module: star ? `${name.text}.*` : name.text, at: rangeOf(name) });
    }
    return out;
  },
};

/** Fields and parameters injected by Spring's `@Value`: each name is bound to the annotation, read by the config row. */
function valueAnnotated(node: Node): { names: Node[]; annotation: Node } | undefined {
  const modifiers = node.namedChildren.find((c) => c?.type === 'modifiers');
  const annotation = modifiers?.namedChildren.find(
    (a) => a?.type === 'annotation' && a.childForFieldName('name')?.text.replace(/^.*\./, '') === 'Value',
  );
  if (!annotation) return undefined;
  const names =
    node.type === 'formal_parameter'
      ? [node.childForFieldName('name')]
      : node.childrenForFieldName('declarator').map((d) => d?.childForFieldName('name') ?? null);
  return { names: names.filter((n): n is Node => n !== null), annotation };
}

/** grpc-spring-boot-starter (net.devh) clients; Quarkus has a `@GrpcClient` of its own, with other config and defaults. */
const springStarter = (_call: CallNode, ctx: ReadContext) => /\bnet\.devh\.boot\.grpc\b/.test(ctx.text);

const CHANNEL_BUILDERS = '(ManagedChannelBuilder|NettyChannelBuilder|OkHttpChannelBuilder)';
const AGE = { maxAge: 'maxConnectionAge', grace: 'maxConnectionAgeGrace', unit: TIME_UNIT_ARG };
const chainDial = (call: RegExp, target: DialRow['target']): DialRow => ({ call, target, options: { chain: true } });
const chainServer = (call: string, o: Partial<ServerRow> = {}): ServerRow => ({ call, options: { chain: true }, age: AGE, ...o });

export const javaTable: LanguageTable = {
  language: 'java',
  files: [{ name: /\.java$/i, grammar: 'java' }],
  syntax,
  visits: ['annotation', 'marker_annotation', 'object_creation_expression', 'method_invocation', 'return_statement'],
  bindings: [
    { types: ['variable_declarator'], names: field('name'), values: field('value') },
    {
      types: ['field_declaration', 'formal_parameter'],
      names: (n) => valueAnnotated(n)?.names ?? [],
      values: (n) => {
        const v = valueAnnotated(n);
        return v ? v.names.map(() => v.annotation) : [];
      },
    },
  ],
  env: [{ call: 'System.getenv' }, { call: 'System.getenv().getOrDefault', fallbackArg: 1 }],
  config: [{ annotation: 'Value', placeholders: 'spring' }],
  wrappers: [{ call: /^(Integer\.parseInt|String\.valueOf)$/, arg: 0 }],
  formats: [{ call: 'String.format', dialect: 'java' }],
  orElse: [],
  jsonSerializers: [],
  dials: [
    chainDial(new RegExp(`^${CHANNEL_BUILDERS}\\.forTarget$|^Grpc\\.newChannelBuilder$`), 0),
    chainDial(new RegExp(`^${CHANNEL_BUILDERS}\\.forAddress$|^Grpc\\.newChannelBuilderForAddress$`), { host: 0, port: 1 }),
    // The starter builds the channel from `grpc.client.<name>.*` with round_robin unless configured otherwise
    // (GrpcChannelProperties: DEFAULT_DEFAULT_LOAD_BALANCING_POLICY = "round_robin").
    {
      kind: 'annotation',
      call: 'GrpcClient',
      api: '@GrpcClient',
      when: springStarter,
      target: { configKey: (name) => `grpc.client.${name}.address`, nameArg: 0, dialect: 'spring' },
      defaultPolicy: 'round_robin',
      policyKeys: (name) => [`grpc.client.${name}.default-load-balancing-policy`, 'grpc.client.GLOBAL.default-load-balancing-policy'],
    },
  ],
  servers: [
    chainServer('NettyServerBuilder.forPort', { listen: 0 }),
    chainServer('NettyServerBuilder.forAddress'),
    // maxConnectionAge is a NettyServerBuilder method: the others are read, but nothing can be added to them.
    chainServer('ServerBuilder.forPort', { listen: 0, options: { chain: true, readOnly: true } }),
    chainServer('Grpc.newServerBuilderForPort', { listen: 0, options: { chain: true, readOnly: true } }),
  ],
  channelOptions: {
    defaultLoadBalancingPolicy: { sets: 'lbPolicy', via: 'defaultLoadBalancingPolicy', reportAt: 'value', unreadable: 'unknown' },
    // grpc-java before 1.x's LoadBalancerRegistry: the factory object is the policy.
    loadBalancerFactory: {
      sets: 'lbPolicyObjects',
      via: 'loadBalancerFactory',
      policies: {
        'RoundRobinLoadBalancerFactory.getInstance': 'round_robin',
        RoundRobinLoadBalancerFactory: 'round_robin',
        'PickFirstBalancerFactory.getInstance': 'pick_first',
      },
    },
    // A resolver of the program's own (KubernetesNameResolverProvider watches the endpoints): the scheme is its business.
    nameResolverFactory: { sets: 'resolvers' },
    // A Map built elsewhere.
    defaultServiceConfig: { sets: 'unknown' },
    disableServiceConfigLookUp: { sets: 'disableServiceConfig' },
  },
  listens: [],
};
