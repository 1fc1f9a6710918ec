// grpc-java as a table: channel builders (`ManagedChannelBuilder` / `NettyChannelBuilder` / `OkHttpChannelBuilder`
// `forTarget` / `forAddress`, `Grpc.newChannelBuilder`) read along their call chain for
// `defaultLoadBalancingPolicy`, and server builders (`NettyServerBuilder.forPort(...).maxConnectionAge(...)`).
import type { Node } from 'web-tree-sitter';
import { binaryFields, field, itemsOf, NO_KEYWORDS, parenthesized, squash } from './layout.js';
import type { ImportsLayout } from './shapes.js';
import type { CallNode, DialRow, DurationUnit, LanguageTable, ServerRow, Syntax } from './table.js';
import { rangeOf, unescapeC } from './value.js';

const COMMENTS = new Set(['line_comment', 'block_comment']);
const NUMBER = new Set(['decimal_integer_literal', 'hex_integer_literal', 'octal_integer_literal', 'binary_integer_literal', 'decimal_floating_point_literal']);

/** `maxConnectionAge(5, TimeUnit.MINUTES)`: the unit is the second argument. */
const TIME_UNIT_ARG: DurationUnit = {
  units: { NANOSECONDS: 1e-6, MICROSECONDS: 1e-3, MILLISECONDS: 1, SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 },
  unitArg: 1,
};

function callOf(node: Node): CallNode | undefined {
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
  return { ...base, kind: 'call', callee: object ? `${squash(object.text)}.${name.text}` : name.text, name: name.text, nameAt: rangeOf(name), receiver: object ?? undefined };
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
  imports(root) {
    const out: ImportsLayout = { entries: [], headerEnd: root.namedChildren.find((n) => n?.type === 'package_declaration')?.endIndex ?? 0 };
    for (const decl of root.namedChildren) {
      if (decl?.type !== 'import_declaration') continue;
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

const CHANNEL_BUILDERS = '(ManagedChannelBuilder|NettyChannelBuilder|OkHttpChannelBuilder)';
const AGE = { maxAge: 'maxConnectionAge', grace: 'maxConnectionAgeGrace', unit: TIME_UNIT_ARG };
const chainDial = (call: RegExp, target: DialRow['target']): DialRow => ({ call, target, options: { chain: true } });
const chainServer = (call: string, o: Partial<ServerRow> = {}): ServerRow => ({ call, options: { chain: true }, age: AGE, ...o });

export const javaTable: LanguageTable = {
  language: 'java',
  files: [{ name: /\.java$/i, grammar: 'java' }],
  syntax,
  bindings: [{ types: ['variable_declarator'], names: field('name'), values: field('value') }],
  env: [{ call: 'System.getenv' }, { call: 'System.getenv().getOrDefault', fallbackArg: 1 }],
  wrappers: [{ call: /^(Integer\.parseInt|String\.valueOf)$/, arg: 0 }],
  formats: [{ call: 'String.format', dialect: 'java' }],
  orElse: [],
  jsonSerializers: [],
  dials: [
    chainDial(new RegExp(`^${CHANNEL_BUILDERS}\\.forTarget$|^Grpc\\.newChannelBuilder$`), 0),
    chainDial(new RegExp(`^${CHANNEL_BUILDERS}\\.forAddress$|^Grpc\\.newChannelBuilderForAddress$`), { host: 0, port: 1 }),
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
    // A Map built elsewhere.
    defaultServiceConfig: { sets: 'unknown' },
    disableServiceConfigLookUp: { sets: 'disableServiceConfig' },
  },
  listens: [],
};
