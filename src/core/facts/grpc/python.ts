// grpcio (C-core) in Python as a table: `grpc.insecure_channel` / `secure_channel` / `grpc.aio.*` with
// `options=[(key, value)]` channel args (`grpc.lb_policy_name`, `grpc.service_config`), and
// `grpc.server(..., options=[...])` with `grpc.max_connection_age_ms`, listening through `add_insecure_port`.
// Addresses: `os.environ[...]`, `os.environ.get(…, default)`, `os.getenv(…, default)`, helper functions.
import type { Node } from 'web-tree-sitter';
import { CHANNEL_ARG } from './channel-args.js';
import { binaryFields, field, firstStatement, itemsOf, parenthesized, squash, topLevelOfTypes } from './layout.js';
import type { ImportsLayout } from './shapes.js';
import type { LanguageTable, OptionForm, Syntax } from './table.js';
import { rangeOf, unescapeC } from './value.js';

const COMMENTS = new Set(['comment']);

const syntax: Syntax = {
  comments: COMMENTS,
  spreads: new Set(['list_splat', 'dictionary_splat']),
  call(node) {
    if (node.type !== 'call') return undefined;
    const fn = node.childForFieldName('function');
    const argList = node.childForFieldName('arguments');
    if (!fn || argList?.type !== 'argument_list') return undefined;
    const member = fn.type === 'attribute';
    const nameNode = fn.type === 'identifier' ? fn : member ? fn.childForFieldName('attribute') : null;
    // The arguments are read when first asked for: of a large file's calls, few are ever looked into.
    let read: { args: Node[]; keywords: Map<string, Node> } | undefined;
    const readArgs = () => {
      if (read) return read;
      read = { args: [], keywords: new Map<string, Node>() };
      for (const a of itemsOf(argList, COMMENTS)) {
        if (a.type !== 'keyword_argument') read.args.push(a);
        else {
          const [name, value] = [a.childForFieldName('name'), a.childForFieldName('value')];
          if (name && value && !read.keywords.has(name.text)) read.keywords.set(name.text, value);
        }
      }
      return read;
    };
    return {
      node,
      kind: 'call',
      callee: squash(fn.text),
      name: nameNode?.text,
      nameAt: nameNode ? rangeOf(nameNode) : undefined,
      receiver: member ? (fn.childForFieldName('object') ?? undefined) : undefined,
      get args() {
        return readArgs().args;
      },
      get keywords() {
        return readArgs().keywords;
      },
      argList,
    };
  },
  chained: () => undefined,
  literal(node) {
    if (node.type === 'integer') return { text: node.text, at: rangeOf(node) };
    if (node.type !== 'string' || node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
    const start = node.namedChildren.find((c) => c?.type === 'string_start');
    const end = node.namedChildren.find((c) => c?.type === 'string_end');
    if (!start || !end) return undefined;
    const raw = node.text.slice(start.endIndex - node.startIndex, end.startIndex - node.startIndex);
    return { text: start.text.toLowerCase().includes('r') ? raw : unescapeC(raw), at: [start.endIndex, end.startIndex] };
  },
  number: (node) => (node.type === 'integer' || node.type === 'float' ? Number(node.text.replace(/_/g, '')) : undefined),
  binary: (node) => binaryFields(node, ['binary_operator', 'boolean_operator']),
  transparent: parenthesized,
  interpolation(node) {
    if (node.type !== 'string' || !node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
    const out: ReturnType<NonNullable<Syntax['interpolation']>> = [];
    for (const c of node.namedChildren) {
      if (c?.type === 'string_content') out.push({ text: unescapeC(c.text), at: rangeOf(c) });
      else if (c?.type === 'interpolation') {
        const expr = c.childForFieldName('expression');
        if (!expr) return undefined;
        out.push(expr);
      }
    }
    return out;
  },
  member(node) {
    if (node.type !== 'attribute') return undefined;
    const [object, attribute] = [node.childForFieldName('object'), node.childForFieldName('attribute')];
    return object && attribute ? { object: squash(object.text), property: attribute.text, objectNode: object } : undefined;
  },
  index(node) {
    if (node.type !== 'subscript') return undefined;
    const [value, key] = [node.childForFieldName('value'), node.childForFieldName('subscript')];
    return value && key ? { object: squash(value.text), key, objectNode: value } : undefined;
  },
  data(node) {
    switch (node.type) {
      case 'string': {
        const text = syntax.literal(node)?.text;
        return text === undefined ? undefined : { kind: 'value', value: text };
      }
      case 'integer':
      case 'float':
        return { kind: 'value', value: Number(node.text) };
      case 'true':
      case 'false':
        return { kind: 'value', value: node.type === 'true' };
      case 'list':
      case 'tuple':
        return { kind: 'list', items: itemsOf(node, COMMENTS) };
      case 'dictionary': {
        const entries: { key: string | undefined; value: Node }[] = [];
        for (const pair of itemsOf(node, COMMENTS)) {
          const [k, v] = [pair.childForFieldName('key'), pair.childForFieldName('value')];
          if (pair.type !== 'pair' || !k || !v) return undefined;
          entries.push({ key: k.type === 'string' ? syntax.literal(k)?.text : undefined, value: v });
        }
        return { kind: 'map', entries };
      }
      default:
        return undefined;
    }
  },
  refKey(node) {
    if (node.type === 'identifier') return node.text;
    if (node.type === 'attribute') return squash(node.text);
    return undefined;
  },
  parameterOf(node) {
    if (node.type !== 'identifier') return undefined;
    for (let p = node.parent; p; p = p.parent) {
      if (p.type === 'lambda') return undefined;
      if (p.type !== 'function_definition') continue;
      const names = (p.childForFieldName('parameters')?.namedChildren ?? []).map((param) =>
        param?.type === 'identifier' ? param.text : (param?.childForFieldName('name') ?? param?.namedChild(0))?.text,
      );
      const i = names.indexOf(node.text);
      if (i === -1) return undefined;
      const method = names[0] === 'self' || names[0] === 'cls';
      return { fn: p.childForFieldName('name')!.text, index: method ? i - 1 : i };
    }
    return undefined;
  },
  returnOf(node) {
    if (node.type !== 'return_statement') return undefined;
    const value = node.namedChildren.find((c) => c !== null && !COMMENTS.has(c.type));
    const first = value?.type === 'expression_list' ? value.namedChild(0) : value;
    for (let p = node.parent; p && first; p = p.parent) {
      if (p.type === 'lambda') return undefined;
      if (p.type === 'function_definition') return { fn: p.childForFieldName('name')!.text, value: first, within: p };
    }
    return undefined;
  },
  destructured: () => undefined,
  imports(root) {
    const first = firstStatement(root, COMMENTS);
    const docstring = first?.type === 'expression_statement' && first.namedChild(0)?.type === 'string' ? first : undefined;
    const out: ImportsLayout = { entries: [], headerEnd: docstring?.endIndex ?? 0 };
    const dotted = (n: Node | null) => (n?.type === 'aliased_import' ? n.childForFieldName('name') : n)?.text ?? '';
    for (const stmt of topLevelOfTypes(root, PY_IMPORTS)) {
      if (stmt.type === 'import_statement') {
        for (const name of stmt.childrenForFieldName('name')) out.entries.push({ module: dotted(name), at: rangeOf(stmt) });
      } else if (stmt.type === 'import_from_statement' || stmt.type === 'future_import_statement') {
        const module = stmt.type === 'future_import_statement' ? '__future__' : (stmt.childForFieldName('module_name')?.text ?? '');
        const names = stmt.namedChildren.some((c) => c?.type === 'wildcard_import') ? ['*'] : stmt.childrenForFieldName('name').map(dotted);
        out.entries.push({ module, names, at: rangeOf(stmt) });
      } else continue;
      out.lastImportEnd = stmt.endIndex;
    }
    return out;
  },
};

/** `options=[("grpc.lb_policy_name", "round_robin"), …]`: each (key, value) tuple of a list or tuple literal. */
const channelArgTuples: OptionForm = (options, s) => {
  if (options.type !== 'list' && options.type !== 'tuple') return undefined;
  const entries = itemsOf(options, COMMENTS).flatMap((item) => {
    if (item.type !== 'tuple') return [];
    const [k, v] = item.namedChildren;
    const key = k ? s.literal(k)?.text : undefined;
    return key && v ? [{ name: key, value: v, args: [v], at: rangeOf(item) }] : [];
  });
  // `[*base, …]` or an item that is a variable: not written out here.
  return itemsOf(options, COMMENTS).some((item) => item.type !== 'tuple')
    ? { entries, list: options, opaque: true }
    : { entries, list: options };
};

/** The statements that import (only top-level ones are read). */
const PY_IMPORTS = ['import_statement', 'import_from_statement', 'future_import_statement'];

const GRPC_OWNER = '(grpc|grpc\\.aio|aio)';
const MS = { units: {}, bare: 1 };

export const pythonTable: LanguageTable = {
  language: 'python',
  files: [{ name: /\.py$/i, grammar: 'python' }],
  generated: /_pb2(_grpc)?\.pyi?$/,
  syntax,
  visits: ['call', 'return_statement'],
  bindings: [{ types: ['assignment'], names: field('left'), values: field('right'), key: (n, s) => s.refKey(n) }],
  env: [
    { index: /^(os\.)?environ$/ },
    { call: /^(os\.)?(environ\.get|getenv)$/, fallbackArg: 1, fallbackKeyword: 'default' },
    { helper: /env/i, maxArgs: 2, fallbackArg: 1 },
  ],
  wrappers: [{ call: /^(str|int)$/, arg: 0 }],
  formats: [{ call: /\.format$/, dialect: 'braces', receiver: true }],
  orElse: ['or'],
  jsonSerializers: ['json.dumps'],
  dials: [
    // The channel factories come from grpc (grpc.insecure_channel, grpc.aio.*, aio.*) or are imported by name.
    {
      call: new RegExp(`^(${GRPC_OWNER}\\.)?insecure_channel$`),
      target: { keyword: 'target', arg: 0 },
      options: { keyword: 'options', arg: 1, form: channelArgTuples },
    },
    {
      call: new RegExp(`^(${GRPC_OWNER}\\.)?secure_channel$`),
      target: { keyword: 'target', arg: 0 },
      options: { keyword: 'options', arg: 2, form: channelArgTuples },
    },
  ],
  servers: [
    // A bare server() is anyone's function: only grpc's counts.
    {
      call: new RegExp(`^${GRPC_OWNER}\\.server$`),
      options: { keyword: 'options', form: channelArgTuples },
      age: { maxAge: CHANNEL_ARG.maxConnectionAge, grace: CHANNEL_ARG.maxConnectionAgeGrace, unit: MS },
    },
  ],
  channelOptions: {
    [CHANNEL_ARG.lbPolicyName]: { sets: 'lbPolicy', via: 'lbPolicyName', reportAt: 'value', unreadable: 'unknown' },
    [CHANNEL_ARG.serviceConfig]: { sets: 'serviceConfig' },
    [CHANNEL_ARG.disableResolution]: { sets: 'disableServiceConfig' },
  },
  listens: [{ call: /(^|\.)add_(insecure|secure)_port$/, arg: 0 }],
  lbHint: /lb_policy_name|service_config/,
};
