// grpc-go as a table: `grpc.NewClient` / `Dial` / `DialContext` with their DialOptions, `grpc.NewServer` with
// `keepalive.ServerParameters`, `net.Listen`, kuberesolver imports and registrations, the removed balancer
// APIs, and shutdown timeouts (`Shutdown(ctx)` under `context.WithTimeout`, `GracefulStop` raced by a timer).
// Addresses: `os.Getenv`/`LookupEnv`, helpers that wrap them (one level), flag defaults set by the container's args.
import type { Node } from 'web-tree-sitter';
import { binaryFields, itemsOf, NO_KEYWORDS, squash, topLevelOfTypes } from './layout.js';
import type { ImportsLayout } from './shapes.js';
import type { CallNode, DurationUnit, LanguageTable, OptionForm, ReadContext, ScopeHook, Syntax } from './table.js';
import { rangeOf, unescapeC, walk } from './value.js';

const COMMENTS = new Set(['comment']);

/** Go durations count nanoseconds; `time.Duration(n)` converts a count. */
export const GO_DURATION: DurationUnit = {
  units: {
    'time.Nanosecond': 1e-6,
    'time.Microsecond': 1e-3,
    'time.Millisecond': 1,
    'time.Second': 1000,
    'time.Minute': 60_000,
    'time.Hour': 3_600_000,
  },
  bare: 1e-6,
  conversions: ['time.Duration'],
};

const syntax: Syntax = {
  comments: COMMENTS,
  spreads: new Set(['variadic_argument']),
  call(node) {
    if (node.type === 'composite_literal') {
      const type = node.childForFieldName('type');
      const body = node.childForFieldName('body');
      return type && body
        ? { node, kind: 'new', callee: squash(type.text), args: [], keywords: NO_KEYWORDS, initializer: body }
        : undefined;
    }
    if (node.type !== 'call_expression') return undefined;
    const fn = node.childForFieldName('function');
    const argList = node.childForFieldName('arguments');
    if (!fn || !argList) return undefined;
    const member = fn.type === 'selector_expression';
    const nameNode = fn.type === 'identifier' ? fn : member ? fn.childForFieldName('field') : null;
    return {
      node,
      kind: 'call',
      callee: squash(fn.text),
      name: nameNode?.text,
      nameAt: nameNode ? rangeOf(nameNode) : undefined,
      receiver: member ? (fn.childForFieldName('operand') ?? undefined) : undefined,
      args: itemsOf(argList, COMMENTS),
      keywords: NO_KEYWORDS,
      argList,
    };
  },
  chained: () => undefined,
  literal(node) {
    if (node.type === 'interpreted_string_literal')
      return { text: unescapeC(node.text.slice(1, -1)), at: [node.startIndex + 1, node.endIndex - 1] };
    if (node.type === 'raw_string_literal') return { text: node.text.slice(1, -1), at: [node.startIndex + 1, node.endIndex - 1] };
    if (node.type === 'int_literal') return { text: node.text, at: rangeOf(node) };
    return undefined;
  },
  number: (node) => (node.type === 'int_literal' || node.type === 'float_literal' ? Number(node.text.replace(/_/g, '')) : undefined),
  binary: (node) => binaryFields(node, ['binary_expression']),
  transparent(node) {
    if (node.type === 'parenthesized_expression') return node.namedChild(0) ?? undefined;
    if (node.type === 'unary_expression' && node.childForFieldName('operator')?.text === '*')
      return node.childForFieldName('operand') ?? undefined;
    return undefined;
  },
  interpolation: () => undefined,
  member(node) {
    if (node.type !== 'selector_expression') return undefined;
    const [operand, field] = [node.childForFieldName('operand'), node.childForFieldName('field')];
    return operand && field ? { object: squash(operand.text), property: field.text, objectNode: operand } : undefined;
  },
  index: () => undefined,
  data: () => undefined,
  refKey(node) {
    if (node.type === 'identifier') return node.text;
    if (node.type === 'selector_expression') return squash(node.text);
    return undefined;
  },
  parameterOf(node) {
    if (node.type !== 'identifier') return undefined;
    for (let p = node.parent; p; p = p.parent) {
      if (p.type === 'func_literal') return undefined;
      if (p.type === 'function_declaration' || p.type === 'method_declaration') {
        let index = 0;
        for (const decl of p.childForFieldName('parameters')?.namedChildren ?? []) {
          for (const name of decl?.childrenForFieldName('name') ?? []) {
            if (name?.text === node.text) return { fn: p.childForFieldName('name')!.text, index };
            index++;
          }
        }
        return undefined;
      }
    }
    return undefined;
  },
  returnOf(node) {
    if (node.type !== 'return_statement') return undefined;
    const value = node.namedChildren
      .find((c) => c?.type === 'expression_list')
      ?.namedChildren.find((c) => c !== null && !COMMENTS.has(c.type));
    for (let p = node.parent; p && value; p = p.parent) {
      if (p.type === 'func_literal') return undefined;
      if (p.type === 'function_declaration' || p.type === 'method_declaration')
        return { fn: p.childForFieldName('name')!.text, value, within: p };
    }
    return undefined;
  },
  destructured: () => undefined,
  imports(root) {
    const statements = topLevelOfTypes(root, ['package_clause', 'import_declaration']);
    const out: ImportsLayout = { entries: [], headerEnd: statements.find((n) => n.type === 'package_clause')?.endIndex ?? 0 };
    for (const decl of statements) {
      if (decl.type !== 'import_declaration') continue;
      out.lastImportEnd = decl.endIndex;
      for (const spec of walk(decl)) {
        const path = spec.type === 'import_spec' ? spec.childForFieldName('path') : null;
        // The alias (`ctrl "sigs.k8s.io/controller-runtime"`) is the name the file calls the package by.
        const alias = spec.type === 'import_spec' ? spec.childForFieldName('name')?.text : undefined;
        if (path) out.entries.push({ module: syntax.literal(path)?.text ?? '', ...(alias ? { names: [alias] } : {}), at: rangeOf(path) });
      }
      const group = decl.namedChildren.find((c) => c?.type === 'import_spec_list');
      if (group && out.groupClose === undefined) out.groupClose = group.endIndex - 1;
    }
    return out;
  },
};

/** A DialOption / ServerOption argument: `pkg.WithX(args)`. Anything else (a variable, `opts...`) is not written out. */
const optionCall: OptionForm = (node, s) => {
  const call = s.call(node);
  if (call?.kind !== 'call' || !call.receiver || !call.name) return undefined;
  return { entries: [{ name: call.name, value: call.args[0], args: call.args, at: rangeOf(node) }] };
};

/** `keepalive.ServerParameters{MaxConnectionAge: …}`: its keyed fields. */
const keyedFields: OptionForm = (body) => {
  const entries = itemsOf(body, COMMENTS).flatMap((el) => {
    if (el.type !== 'keyed_element') return [];
    const key = el.childForFieldName('key')?.text ?? el.namedChild(0)?.text;
    const value = el.childForFieldName('value') ?? el.namedChild(1);
    return key && value ? [{ name: key, value, args: [value], at: rangeOf(el) }] : [];
  });
  return { entries, list: body };
};

/** NewServer's options cannot be seen when they come from a parameter, a package value from elsewhere, or a helper. */
function serverOptionsOutOfSight(call: CallNode, ctx: ReadContext): boolean {
  return call.args.some((a) => {
    const id = a.type === 'variadic_argument' ? a.namedChild(0) : a;
    if (!id) return true;
    if (id.type === 'call_expression') return !id.childForFieldName('function')?.text.startsWith('grpc.');
    if (id.type === 'identifier') return ctx.syntax.parameterOf(id) !== undefined || !ctx.scope.bindings.has(id.text);
    return true;
  });
}

/**
 * mustMapEnv(&svc.cartSvcAddr, "CART_SERVICE_ADDR") (Online Boutique): a helper that stores an env var into a
 * pointer. Counted only when the helper is in this file and reads the environment.
 */
function pointerSetters(): ScopeHook {
  const functions = new Map<string, Node>();
  const setters: CallNode[] = [];
  const isAddressOf = (a: Node) => a.type === 'unary_expression' && a.childForFieldName('operator')?.text === '&';
  return {
    visit(node, call) {
      if (node.type === 'function_declaration' || node.type === 'method_declaration')
        functions.set(node.childForFieldName('name')?.text ?? '', node);
      if (call?.kind === 'call' && call.name && call.args.some(isAddressOf)) setters.push(call);
    },
    finish(bind, s) {
      for (const call of setters) {
        const decl = functions.get(call.name!);
        if (!decl || !/os\.(Getenv|LookupEnv)\(/.test(decl.text)) continue;
        const ref = call.args.find(isAddressOf);
        const envArg = call.args.find((a) => a !== ref && /^[A-Z][A-Z0-9_]*$/.test(s.literal(a)?.text ?? ''));
        if (ref && envArg)
          bind(s.refKey(ref.childForFieldName('operand')!), { kind: 'env', name: s.literal(envArg)!.text, at: rangeOf(envArg) });
      }
    },
  };
}

const unstar = (n: Node) => (n.type === 'unary_expression' && n.childForFieldName('operand') ? n.childForFieldName('operand')! : n);
const listField = (field: string) => (n: Node) => n.childForFieldName(field)?.namedChildren.filter((x): x is Node => x !== null) ?? [];

export const goTable: LanguageTable = {
  language: 'go',
  files: [{ name: /\.go$/i, grammar: 'go' }],
  generated: /\.pb\.go$/,
  syntax,
  visits: ['composite_literal', 'call_expression', 'return_statement', 'function_declaration', 'method_declaration'],
  bindings: [
    {
      types: ['const_spec', 'var_spec'],
      names: (n) => n.childrenForFieldName('name').filter((x): x is Node => x !== null),
      values: listField('value'),
    },
    // `v, ok := os.LookupEnv("X")` binds v to the call: names and values pair up in order.
    {
      types: ['short_var_declaration', 'assignment_statement'],
      names: (n) => listField('left')(n).map(unstar),
      values: listField('right'),
      key: (n, s) => s.refKey(n),
    },
  ],
  scopeHook: pointerSetters,
  env: [{ call: /^os\.(Getenv|LookupEnv)$/ }, { helper: /env/i, maxArgs: 2, fallbackArg: 1 }],
  // flag.String("addr", "localhost:50051", "usage"): the default runs unless the container's args set the flag.
  flags: [
    { call: /^p?flag\.(String|Int|Uint)$/, nameArg: 0, fallbackArg: 1 },
    { call: /^p?flag\.(StringVar|IntVar|UintVar)$|\.(Persistent)?Flags\(\)\.(StringVar|IntVar)$/, nameArg: 1, fallbackArg: 2, binds: 0 },
    { call: /^pflag\.StringP$|\.(Persistent)?Flags\(\)\.StringP$/, nameArg: 0, fallbackArg: 2 },
    { call: /^pflag\.StringVarP$|\.(Persistent)?Flags\(\)\.StringVarP$/, nameArg: 1, fallbackArg: 3, binds: 0 },
  ],
  wrappers: [{ call: /^(strconv\.Itoa|string)$/, arg: 0 }],
  formats: [
    { call: 'fmt.Sprintf', dialect: 'printf' },
    { call: 'net.JoinHostPort', dialect: 'hostPort' },
  ],
  orElse: [],
  jsonSerializers: [],
  dials: [
    { call: 'grpc.NewClient', target: 0, options: { rest: 1, form: optionCall } },
    // Dial and DialContext default to the passthrough resolver: one address, no balancing.
    { call: 'grpc.Dial', target: 0, options: { rest: 1, form: optionCall }, defaultScheme: 'passthrough' },
    { call: 'grpc.DialContext', target: 1, options: { rest: 2, form: optionCall }, defaultScheme: 'passthrough' },
  ],
  servers: [
    {
      call: 'grpc.NewServer',
      options: { rest: 0, form: optionCall },
      age: { maxAge: 'MaxConnectionAge', grace: 'MaxConnectionAgeGrace', unit: GO_DURATION },
      ageLiteral: { type: 'keepalive.ServerParameters', form: keyedFields },
      ageOutOfSight: serverOptionsOutOfSight,
    },
  ],
  channelOptions: {
    WithDefaultServiceConfig: { sets: 'serviceConfig', reportAt: 'literal' },
    WithBalancerName: { sets: 'lbPolicy', via: 'withBalancerName', reportAt: 'entry', unreadable: 'ignore' },
    WithDisableServiceConfig: { sets: 'disableServiceConfig' },
    WithResolvers: { sets: 'resolvers' },
  },
  listens: [{ call: 'net.Listen', arg: 1 }],
  lbHint: /WithDefaultServiceConfig|WithBalancerName|loadBalancingConfig/,
  kuberesolver: {
    importPath: /^github\.com\/sercand\/kuberesolver(?:\/v(\d+))?$/,
    registers: [
      { call: 'kuberesolver.RegisterInCluster', scheme: 'kubernetes' },
      { call: 'kuberesolver.RegisterInClusterWithSchema', schemeArg: 0 },
      { call: 'kuberesolver.NewBuilder', schemeArg: 1 },
    ],
  },
  removedApis: [
    { call: 'grpc.WithBalancerName', api: 'WithBalancerName', policyArg: 0 },
    { call: 'grpc.WithBalancer', api: 'WithBalancer' },
    { call: 'grpc.RoundRobin', api: 'RoundRobin' },
  ],
  shutdownTimeouts: {
    calls: [
      { call: 'context.WithTimeout', arg: 1 },
      { call: /^time\.(After|AfterFunc|NewTimer)$/, arg: 0 },
    ],
    when: /\.(GracefulStop|Shutdown)\(/,
    unit: GO_DURATION,
  },
};
