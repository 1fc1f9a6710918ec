// @grpc/grpc-js in JavaScript and TypeScript as a table: generated or generic clients `new XClient(target,
// creds, options)`, `new grpc.Client(...)`, `new grpc.Channel(...)` with channel options (`grpc.service_config`,
// the unsupported `grpc.lb_policy_name`), and `new grpc.Server({...})` with `grpc.max_connection_age_ms`.
// Addresses: `process.env.X`, `process.env['X']`, `const { X = 'd', Y: y } = process.env`, helper functions.
import type { Node } from 'web-tree-sitter';
import { CHANNEL_ARG } from './channel-args.js';
import { binaryFields, field, firstStatement, itemsOf, NO_KEYWORDS, squash, topLevel } from './layout.js';
import type { ImportsLayout } from './shapes.js';
import type { CallNode, LanguageTable, OptionForm, ReadContext, Syntax } from './table.js';
import { rangeOf, unescapeC } from './value.js';

const COMMENTS = new Set(['comment']);
/** Channel credentials as clients are built with them (not the credential classes' own plumbing). */
const CREDENTIALS = /\b(credentials|ChannelCredentials)\s*\.\s*(create\w*|combine\w*)|\bcreate(Insecure|Ssl|FromSecureContext)\b/;
/** grpc-js internals that take credentials but are not client constructors. */
const NOT_A_CLIENT = /Credentials|Connector|LoadBalancer|InternalChannel|ChannelImplementation|Subchannel|Transport/;

const syntax: Syntax = {
  comments: COMMENTS,
  spreads: new Set(['spread_element']),
  call(node) {
    const isNew = node.type === 'new_expression';
    if (!isNew && node.type !== 'call_expression') return undefined;
    const fn = node.childForFieldName(isNew ? 'constructor' : 'function');
    const argList = node.childForFieldName('arguments');
    if (!fn || argList?.type !== 'arguments') return undefined;
    const member = fn.type === 'member_expression';
    const nameNode = fn.type === 'identifier' ? fn : member ? fn.childForFieldName('property') : null;
    // The arguments are read when first asked for: of a bundle's calls, few are ever looked into.
    let args: Node[] | undefined;
    return {
      node,
      kind: isNew ? 'new' : 'call',
      callee: squash(fn.text),
      name: nameNode?.text,
      nameAt: nameNode ? rangeOf(nameNode) : undefined,
      receiver: member ? (fn.childForFieldName('object') ?? undefined) : undefined,
      get args() {
        return (args ??= itemsOf(argList, COMMENTS));
      },
      keywords: NO_KEYWORDS,
      argList,
    };
  },
  chained: () => undefined,
  literal(node) {
    if (node.type === 'number') return { text: node.text, at: rangeOf(node) };
    if (node.type === 'string') return { text: unescapeC(node.text.slice(1, -1)), at: [node.startIndex + 1, node.endIndex - 1] };
    if (node.type === 'template_string' && !node.namedChildren.some((c) => c?.type === 'template_substitution')) {
      return { text: node.text.slice(1, -1), at: [node.startIndex + 1, node.endIndex - 1] };
    }
    return undefined;
  },
  number: (node) => (node.type === 'number' ? Number(node.text.replace(/_/g, '')) : undefined),
  binary: (node) => binaryFields(node, ['binary_expression']),
  transparent(node) {
    if (
      ['parenthesized_expression', 'as_expression', 'non_null_expression', 'await_expression', 'satisfies_expression'].includes(node.type)
    ) {
      return node.namedChild(0) ?? undefined;
    }
    return undefined;
  },
  interpolation(node) {
    if (node.type !== 'template_string' || !node.namedChildren.some((c) => c?.type === 'template_substitution')) return undefined;
    const out: ReturnType<NonNullable<Syntax['interpolation']>> = [];
    let cursor = node.startIndex + 1;
    for (const c of node.namedChildren) {
      if (!c || c.type !== 'template_substitution') continue;
      if (c.startIndex > cursor)
        out.push({ text: node.text.slice(cursor - node.startIndex, c.startIndex - node.startIndex), at: [cursor, c.startIndex] });
      const expr = c.namedChild(0);
      if (!expr) return undefined;
      out.push(expr);
      cursor = c.endIndex;
    }
    if (node.endIndex - 1 > cursor) out.push({ text: node.text.slice(cursor - node.startIndex, -1), at: [cursor, node.endIndex - 1] });
    return out;
  },
  member(node) {
    if (node.type !== 'member_expression') return undefined;
    const [object, property] = [node.childForFieldName('object'), node.childForFieldName('property')];
    return object && property ? { object: squash(object.text), property: property.text, objectNode: object } : undefined;
  },
  index(node) {
    if (node.type !== 'subscript_expression') return undefined;
    const [object, key] = [node.childForFieldName('object'), node.childForFieldName('index')];
    return object && key ? { object: squash(object.text), key, objectNode: object } : undefined;
  },
  data(node) {
    switch (node.type) {
      case 'string': {
        const text = syntax.literal(node)?.text;
        return text === undefined ? undefined : { kind: 'value', value: text };
      }
      case 'number':
        return { kind: 'value', value: Number(node.text) };
      case 'true':
      case 'false':
        return { kind: 'value', value: node.type === 'true' };
      case 'array':
        return { kind: 'list', items: itemsOf(node, COMMENTS) };
      case 'object': {
        const entries: { key: string | undefined; value: Node }[] = [];
        for (const pair of node.namedChildren) {
          if (pair?.type !== 'pair') return undefined;
          entries.push({ key: keyText(pair.childForFieldName('key')!), value: pair.childForFieldName('value')! });
        }
        return { kind: 'map', entries };
      }
      default:
        return undefined;
    }
  },
  refKey(node) {
    if (node.type === 'identifier') return node.text;
    if (node.type === 'member_expression') return squash(node.text).replace(/^this\./, '');
    return undefined;
  },
  parameterOf(node) {
    if (node.type !== 'identifier') return undefined;
    for (let p = node.parent; p; p = p.parent) {
      if (!/^(function_declaration|function_expression|arrow_function|method_definition|function)$/.test(p.type)) continue;
      const params = p.childForFieldName('parameters')?.namedChildren ?? [];
      const names = params.map((param) => {
        if (!param) return undefined;
        if (param.type === 'identifier') return param.text;
        const pattern = param.childForFieldName('pattern') ?? param.childForFieldName('left');
        return pattern?.type === 'identifier' ? pattern.text : undefined;
      });
      const i = names.indexOf(node.text);
      if (i === -1) return undefined;
      let fn = p.childForFieldName('name')?.text;
      if (!fn && p.parent?.type === 'variable_declarator') fn = p.parent.childForFieldName('name')?.text;
      return fn ? { fn, index: i } : undefined;
    }
    return undefined;
  },
  returnOf(node) {
    // `return x;` in a named function, or an arrow function's expression body (`const host = () => process.env.HOST`).
    if (node.type === 'return_statement') {
      const fnNode = enclosingFunction(node);
      const value = node.namedChildren.find((c) => c !== null && !COMMENTS.has(c.type));
      const fn = fnNode && functionName(fnNode);
      return fn && value ? { fn, value, within: fnNode } : undefined;
    }
    if (node.type !== 'arrow_function') return undefined;
    const body = node.childForFieldName('body');
    const fn = body && body.type !== 'statement_block' ? functionName(node) : undefined;
    return fn ? { fn, value: body!, within: node } : undefined;
  },
  destructured(node) {
    // `{ A }`, `{ A = 'd' }`, `{ A: b }`, `{ A: b = 'd' }` of `const {…} = process.env`.
    const element =
      node.type === 'shorthand_property_identifier_pattern' && node.parent?.type === 'object_assignment_pattern' ? node.parent : node;
    const pair = element.parent?.type === 'pair_pattern' ? element.parent : undefined;
    const pattern = pair ? pair.parent : element.parent;
    const declarator = pattern?.type === 'object_pattern' ? pattern.parent : undefined;
    const object =
      declarator?.type === 'variable_declarator' && declarator.childForFieldName('name')?.id === pattern!.id
        ? declarator.childForFieldName('value')
        : null;
    if (!object) return undefined;
    let property: string | undefined;
    let fallback: Node | undefined;
    if (element.type === 'shorthand_property_identifier_pattern') property = element.text;
    else if (element.type === 'object_assignment_pattern') {
      property = element.childForFieldName('left')?.text;
      fallback = element.childForFieldName('right') ?? undefined;
    } else if (element.type === 'assignment_pattern' && pair) {
      property = keyText(pair.childForFieldName('key')!);
      fallback = element.childForFieldName('right') ?? undefined;
    } else if (element.type === 'identifier' && pair) property = keyText(pair.childForFieldName('key')!);
    return property ? { object: squash(object.text), property, fallback } : undefined;
  },
  imports(root, text) {
    const first = firstStatement(root, COMMENTS);
    // A leading 'use strict' (or a #! line) stays first.
    const header =
      first?.type === 'hash_bang_line' || (first?.type === 'expression_statement' && first.namedChild(0)?.type === 'string')
        ? first
        : undefined;
    const out: ImportsLayout = { entries: [], headerEnd: header?.endIndex ?? 0 };
    let requireEnd: number | undefined;
    // Declarations matter only when they call require: a bundle's thousands of other top-level statements are
    // never made into nodes.
    // Statements come in order, so one forward scan finds the next `require` at or after each one's start.
    let next = text.indexOf('require');
    const requires = (start: number, end: number) => {
      while (next !== -1 && next < start) next = text.indexOf('require', next + 1);
      return next !== -1 && next < end;
    };
    const statements = topLevel(
      root,
      (type, start, end) =>
        type === 'import_statement' || ((type === 'lexical_declaration' || type === 'variable_declaration') && requires(start, end)),
    );
    for (const stmt of statements) {
      if (stmt.type === 'import_statement') {
        const source = stmt.childForFieldName('source');
        if (!source) continue;
        const names: string[] = [];
        for (const spec of stmt.descendantsOfType('import_specifier')) if (spec) names.push(spec.childForFieldName('name')?.text ?? '');
        out.entries.push({ module: syntax.literal(source)?.text ?? '', names, at: rangeOf(source) });
        out.lastImportEnd = stmt.endIndex;
      } else {
        for (const decl of stmt.namedChildren) {
          const value = decl?.type === 'variable_declarator' ? decl.childForFieldName('value') : null;
          // Only `require(…)` matters: a bundle's thousands of other top-level calls are not read as calls.
          const call =
            value?.type === 'call_expression' && value.childForFieldName('function')?.text === 'require' ? syntax.call(value) : undefined;
          const source = call?.callee === 'require' ? call.args[0] : undefined;
          if (!source || !call) continue;
          const pattern = decl.childForFieldName('name');
          const names =
            pattern?.type === 'object_pattern'
              ? pattern.namedChildren.map((p) => (p?.type === 'pair_pattern' ? p.childForFieldName('key') : p)?.text ?? '')
              : [];
          out.entries.push({ module: syntax.literal(source)?.text ?? '', names, at: rangeOf(source) });
          requireEnd = stmt.endIndex;
        }
      }
    }
    if (out.lastImportEnd === undefined && requireEnd !== undefined) {
      out.lastImportEnd = requireEnd;
      out.commonJs = true;
    }
    return out;
  },
};

const FUNCTION = /^(function_declaration|function_expression|arrow_function|method_definition|function|generator_function_declaration)$/;

function enclosingFunction(node: Node): Node | undefined {
  for (let p = node.parent; p; p = p.parent) if (FUNCTION.test(p.type)) return p;
  return undefined;
}

/** A function's name: declared, or the variable or property it is assigned to. */
function functionName(fn: Node): string | undefined {
  const own = fn.childForFieldName('name')?.text;
  if (own) return own;
  const parent = fn.parent;
  if (parent?.type === 'variable_declarator')
    return parent.childForFieldName('name')?.type === 'identifier' ? parent.childForFieldName('name')!.text : undefined;
  if (parent?.type === 'pair') return keyText(parent.childForFieldName('key')!);
  return undefined;
}

/** The names a destructuring pattern binds, each with the element that says where its value comes from. */
function patternBindings(pattern: Node): { name: Node; element: Node }[] {
  if (pattern.type !== 'object_pattern') return [];
  return pattern.namedChildren.flatMap((el) => {
    if (el?.type === 'shorthand_property_identifier_pattern') return [{ name: el, element: el }];
    if (el?.type === 'object_assignment_pattern') {
      const left = el.childForFieldName('left');
      return left ? [{ name: left, element: left }] : [];
    }
    if (el?.type === 'pair_pattern') {
      const value = el.childForFieldName('value');
      if (value?.type === 'identifier') return [{ name: value, element: value }];
      const left = value?.type === 'assignment_pattern' ? value.childForFieldName('left') : null;
      return left?.type === 'identifier' ? [{ name: left, element: value! }] : [];
    }
    return [];
  });
}

function keyText(key: Node): string | undefined {
  return key.type === 'string' ? syntax.literal(key)?.text : key.text;
}

/** `{ 'grpc.service_config': …, … }`: the pairs of an object literal. */
const objectPairs: OptionForm = (options) => {
  if (options.type !== 'object') return undefined;
  const entries = options.namedChildren.flatMap((p) => {
    const [key, value] = p?.type === 'pair' ? [p.childForFieldName('key'), p.childForFieldName('value')] : [null, null];
    const name = key ? keyText(key) : undefined;
    return name !== undefined && value ? [{ name, value, args: [value], at: rangeOf(p), keyAt: rangeOf(key!) }] : [];
  });
  // `{ ...base, … }`: what base holds is not written here.
  return options.namedChildren.some((c) => c?.type === 'spread_element')
    ? { entries, list: options, opaque: true }
    : { entries, list: options };
};

/** Generated clients (`new OrdersClient(target, creds, options)`) are recognised by the channel credentials they take. */
function takesChannelCredentials(call: CallNode, ctx: ReadContext): boolean {
  const creds = call.args[1];
  if (!creds || NOT_A_CLIENT.test(call.callee)) return false;
  const bound = (ctx.scope.bindings.get(creds.text) ?? []).map((b) => ('type' in b ? b.text : '')).join(' ');
  return CREDENTIALS.test(`${creds.text} ${bound}`);
}

const MS = { units: {}, bare: 1 };
const CHANNEL_OPTIONS = { arg: 2, form: objectPairs };

export const jsTable: LanguageTable = {
  language: 'js',
  files: [
    { name: /\.(js|mjs|cjs|jsx)$/i, grammar: 'javascript' },
    { name: /\.(ts|mts|cts)$/i, grammar: 'typescript', not: /\.d\.ts$/ },
    { name: /\.tsx$/i, grammar: 'tsx' },
  ],
  generated: /(_grpc_pb|_pb)\.[jt]s$/,
  syntax,
  visits: ['new_expression', 'call_expression', 'return_statement', 'arrow_function'],
  bindings: [
    {
      types: ['variable_declarator'],
      names: (n) => [n.childForFieldName('name')].filter((x): x is Node => x?.type === 'identifier'),
      values: field('value'),
    },
    // `const { ORDERS_ADDR = '' } = process.env`: each name is bound to its pattern element, read by the env row.
    {
      types: ['variable_declarator'],
      names: (n) => patternBindings(n.childForFieldName('name')!).map((b) => b.name),
      values: (n) => patternBindings(n.childForFieldName('name')!).map((b) => b.element),
    },
    { types: ['assignment_expression'], names: field('left'), values: field('right'), key: (n, s) => s.refKey(n) },
    {
      types: ['public_field_definition', 'field_definition'],
      names: (n) => [n.childForFieldName('name') ?? n.childForFieldName('property')].filter((x): x is Node => x !== null),
      values: field('value'),
    },
  ],
  env: [{ member: 'process.env' }, { index: 'process.env' }, { destructure: 'process.env' }],
  wrappers: [{ call: /^(String|Number)$/, arg: 0 }],
  formats: [],
  orElse: ['||', '??'],
  jsonSerializers: ['JSON.stringify'],
  dials: [
    { kind: 'new', call: /^(grpc\.)?(Client|Channel)$/, target: 0, options: CHANNEL_OPTIONS },
    { kind: 'new', call: /^/, target: 0, options: CHANNEL_OPTIONS, when: takesChannelCredentials },
  ],
  servers: [
    {
      kind: 'new',
      call: /^(grpc\.)?Server$/,
      options: { arg: 0, form: objectPairs },
      age: { maxAge: CHANNEL_ARG.maxConnectionAge, grace: CHANNEL_ARG.maxConnectionAgeGrace, unit: MS },
    },
  ],
  channelOptions: {
    [CHANNEL_ARG.serviceConfig]: { sets: 'serviceConfig', legacyIgnored: true },
    [CHANNEL_ARG.lbPolicyName]: { sets: 'ignoredLbPolicyName' },
    [CHANNEL_ARG.disableResolution]: { sets: 'disableServiceConfig' },
  },
  listens: [
    {
      call: /\.(bind|bindAsync)$/,
      arg: 0,
      when: (call) => call.args[1] !== undefined && /credentials|Credentials/.test(call.args[1].text),
    },
  ],
  lbHint: /grpc\.service_config|grpc\.lb_policy_name/,
};
