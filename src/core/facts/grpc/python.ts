// grpcio (C-core) in Python: `grpc.insecure_channel` / `secure_channel` / `grpc.aio.*` with `options=[(key,
// value)]` channel args (`grpc.lb_policy_name`, `grpc.service_config`), and `grpc.server(..., options=[...])`
// with `grpc.max_connection_age_ms`, listening through `add_insecure_port` / `add_secure_port`.
import type { Node, Tree } from 'web-tree-sitter';
import { query } from '../treesitter.js';
import type { CodeEdit, DialSite, Duration, GrpcFacts, ServerSite } from './index.js';
import { readServiceConfig, ROUND_ROBIN_CONFIG } from './service-config.js';
import { Evaluator, rangeOf, unescapeC, walk, type Alt, type FileScope, type LangHooks, type Part } from './value.js';

const QUERY = `
(call function: [(attribute attribute: (identifier) @fn) (identifier) @fn] arguments: (argument_list) @args
  (#match? @fn "^(insecure_channel|secure_channel|server|add_insecure_port|add_secure_port)$")) @call
`;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENTRIES = '\u0000entries\u0000';

export function extractPython(tree: Tree, text: string): GrpcFacts {
  const root = tree.rootNode;
  const scope = collectScope(root);
  const ev = new Evaluator(hooks, scope);
  const facts: GrpcFacts = { language: 'python', dials: [], servers: [], shutdownTimeouts: [], removedApis: [] };
  const listens: Alt[] = [];
  const servers: { call: Node; args: Node }[] = [];
  const lbElsewhere = /lb_policy_name|service_config/.test(text);
  for (const match of query('python', QUERY).matches(root)) {
    const cap = Object.fromEntries(match.captures.map((c) => [c.name, c.node]));
    const fn = cap.fn!.text;
    const call = cap.call!;
    const callee = call.childForFieldName('function')!;
    // `server` and the channel factories must come from grpc (grpc.server, grpc.aio.server, aio.server, or imported names).
    const owner = callee.type === 'attribute' ? callee.childForFieldName('object')!.text : '';
    if (fn === 'add_insecure_port' || fn === 'add_secure_port') {
      const first = positional(cap.args!)[0];
      if (first) listens.push(...ev.evaluate(first));
      continue;
    }
    if (callee.type === 'attribute' && !/^(grpc|grpc\.aio|aio)$/.test(owner)) continue;
    if (fn === 'server' && callee.type !== 'attribute') continue; // a bare server() is anyone's function
    if (fn === 'server') servers.push({ call, args: cap.args! });
    else facts.dials.push(dialSite(fn, owner, call, cap.args!, ev, lbElsewhere));
  }
  for (const { call, args } of servers) facts.servers.push(serverSite(call, args, listens));
  void text;
  return facts;
}

function positional(args: Node): Node[] {
  return args.namedChildren.filter((n): n is Node => n !== null && n.type !== 'keyword_argument' && n.type !== 'comment');
}

function keyword(args: Node, name: string): Node | undefined {
  for (const n of args.namedChildren) {
    if (n?.type === 'keyword_argument' && n.childForFieldName('name')?.text === name) return n.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** Channel args of an `options=` list/tuple literal: key → value node (and the tuple). */
function channelArgs(options: Node | undefined): { key: string; value: Node; pair: Node }[] | undefined {
  if (!options || (options.type !== 'list' && options.type !== 'tuple')) return undefined;
  const out: { key: string; value: Node; pair: Node }[] = [];
  for (const item of options.namedChildren) {
    if (item?.type !== 'tuple') continue;
    const [k, v] = item.namedChildren;
    const key = k ? hooks.literal(k)?.text : undefined;
    if (key && v) out.push({ key, value: v, pair: item });
  }
  return out;
}

function dialSite(fn: string, owner: string, call: Node, args: Node, ev: Evaluator, lbElsewhere: boolean): DialSite {
  const pos = positional(args);
  const target = keyword(args, 'target') ?? pos[0] ?? args;
  const optionsNode = keyword(args, 'options') ?? pos[fn === 'secure_channel' ? 2 : 1];
  const site: DialSite = {
    language: 'python',
    api: `${owner ? `${owner}.` : ''}${fn}`,
    call: rangeOf(call),
    targetAt: rangeOf(target),
    targets: ev.evaluate(target),
    defaultScheme: 'dns',
    lb: [],
    lbUnknown: false,
    serviceConfigs: [],
    disableServiceConfig: false,
    refreshInterval: false,
  };
  const list = channelArgs(optionsNode);
  if (optionsNode && !list) site.lbUnknown = lbElsewhere;
  for (const { key, value } of list ?? []) {
    if (key === 'grpc.lb_policy_name') {
      const policy = hooks.literal(value)?.text;
      if (policy) site.lb.push({ policy, via: 'lbPolicyName', at: rangeOf(value) });
      else site.lbUnknown = true;
    } else if (key === 'grpc.service_config') {
      const json = jsonOf(value, ev);
      if (json === undefined) {
        site.lbUnknown = true;
        continue;
      }
      site.serviceConfigs.push({ json, at: rangeOf(value), option: 'grpc.service_config' });
      const reading = readServiceConfig(json);
      if (reading.policy) site.lb.push({ policy: reading.policy, via: 'serviceConfig', at: rangeOf(value) });
    } else if (key === 'grpc.service_config_disable_resolution') {
      site.disableServiceConfig = true;
    }
  }
  const entry = `("grpc.service_config", '${ROUND_ROBIN_CONFIG}')`;
  if (list) site.roundRobinEdit = [appendToSequence(optionsNode!, entry)];
  else if (!optionsNode) site.roundRobinEdit = [appendKeyword(args, `options=[${entry}]`)];
  return site;
}

/** JSON text of a `grpc.service_config` value: a string literal or `json.dumps({...})` of plain literals. */
function jsonOf(value: Node, ev: Evaluator): string | undefined {
  if (value.type === 'call' && value.childForFieldName('function')?.text === 'json.dumps') {
    const arg = positional(value.childForFieldName('arguments')!)[0];
    const v = arg ? pyValue(arg) : undefined;
    return v === undefined ? undefined : JSON.stringify(v);
  }
  return ev.plainLiteral(value);
}

function pyValue(node: Node): unknown {
  switch (node.type) {
    case 'string':
      return hooks.literal(node)?.text;
    case 'integer':
    case 'float':
      return Number(node.text);
    case 'true':
      return true;
    case 'false':
      return false;
    case 'list':
    case 'tuple': {
      const out = node.namedChildren.map((n) => (n ? pyValue(n) : undefined));
      return out.includes(undefined) ? undefined : out;
    }
    case 'dictionary': {
      const out: Record<string, unknown> = {};
      for (const pair of node.namedChildren) {
        if (pair?.type !== 'pair') return undefined;
        const k = pyValue(pair.childForFieldName('key')!);
        const v = pyValue(pair.childForFieldName('value')!);
        if (typeof k !== 'string' || v === undefined) return undefined;
        out[k] = v;
      }
      return out;
    }
    default:
      return undefined;
  }
}

function serverSite(call: Node, args: Node, listens: Alt[]): ServerSite {
  const optionsNode = keyword(args, 'options');
  const list = channelArgs(optionsNode);
  const read = (key: string): Duration | undefined => {
    const e = list?.find((a) => a.key === key);
    return e ? { ms: arithmetic(e.value), at: rangeOf(e.pair) } : undefined;
  };
  const site: ServerSite = {
    language: 'python',
    api: call.childForFieldName('function')!.text,
    call: rangeOf(call),
    maxConnectionAge: read('grpc.max_connection_age_ms'),
    maxConnectionAgeGrace: read('grpc.max_connection_age_grace_ms'),
    ageUnknown: optionsNode !== undefined && list === undefined,
    ageUnsupported: false,
    listens,
  };
  if (!site.maxConnectionAge && (list || !optionsNode)) {
    // Planned now, while the tree is alive; the closure only fills in the numbers.
    const plan = list ? appendToSequence(optionsNode!, ENTRIES) : appendKeyword(args, `options=[${ENTRIES}]`);
    site.ageEdit = (age, grace) => [
      { ...plan, text: plan.text.replace(ENTRIES, `("grpc.max_connection_age_ms", ${age * 1000}), ("grpc.max_connection_age_grace_ms", ${grace * 1000})`) },
    ];
  }
  return site;
}

/** Value of `300000`, `5 * 60 * 1000`, `60_000`. */
function arithmetic(node: Node): number | undefined {
  if (node.type === 'integer' || node.type === 'float') return Number(node.text.replace(/_/g, ''));
  if (node.type === 'parenthesized_expression' && node.namedChild(0)) return arithmetic(node.namedChild(0)!);
  if (node.type === 'binary_operator') {
    const l = arithmetic(node.childForFieldName('left')!);
    const r = arithmetic(node.childForFieldName('right')!);
    const op = node.childForFieldName('operator')?.text;
    if (l === undefined || r === undefined) return undefined;
    return op === '*' ? l * r : op === '+' ? l + r : op === '-' ? l - r : undefined;
  }
  return undefined;
}

/** Add an element to a list/tuple literal: after its last element, or inside an empty one. */
function appendToSequence(seq: Node, code: string): CodeEdit {
  const items = seq.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
  const last = items[items.length - 1];
  if (!last) return { start: seq.startIndex + 1, end: seq.startIndex + 1, text: seq.type === 'tuple' ? `${code},` : code };
  return { start: last.endIndex, end: last.endIndex, text: `, ${code}` };
}

function appendKeyword(args: Node, code: string): CodeEdit {
  const items = args.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
  const last = items[items.length - 1];
  if (!last) return { start: args.startIndex + 1, end: args.startIndex + 1, text: code };
  return { start: last.endIndex, end: last.endIndex, text: `, ${code}` };
}

const hooks: LangHooks = {
  literal(node) {
    if (node.type === 'integer') return { text: node.text, at: rangeOf(node) };
    if (node.type !== 'string') return undefined;
    if (node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
    const start = node.namedChildren.find((c) => c?.type === 'string_start');
    const end = node.namedChildren.find((c) => c?.type === 'string_end');
    if (!start || !end) return undefined;
    const raw = text(node, start.endIndex, end.startIndex);
    const prefix = start.text.toLowerCase();
    return { text: prefix.includes('r') ? raw : unescapeC(raw), at: [start.endIndex, end.startIndex] };
  },
  envRead(node) {
    // os.environ["X"], environ["X"]
    if (node.type === 'subscript') {
      const value = node.childForFieldName('value')?.text;
      const key = node.childForFieldName('subscript');
      const name = key ? hooks.literal(key)?.text : undefined;
      if ((value === 'os.environ' || value === 'environ') && name && ENV_NAME.test(name)) return { name };
      return undefined;
    }
    if (node.type !== 'call') return undefined;
    const fn = node.childForFieldName('function')?.text ?? '';
    const args = node.childForFieldName('arguments');
    const pos = args ? positional(args) : [];
    const name = pos[0] ? hooks.literal(pos[0])?.text : undefined;
    if (!name || !ENV_NAME.test(name)) return undefined;
    if (/^(os\.)?(environ\.get|getenv)$/.test(fn)) return { name, fallback: pos[1] ?? (args ? keyword(args, 'default') : undefined) };
    const simple = fn.split('.').pop() ?? '';
    if (/env/i.test(simple) && pos.length <= 2) return { name, fallback: pos[1] };
    return undefined;
  },
  concat(node) {
    if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '+') {
      return [node.childForFieldName('left')!, node.childForFieldName('right')!];
    }
    if (node.type === 'string' && node.namedChildren.some((c) => c?.type === 'interpolation')) {
      const out: (Node | { text: string; at: [number, number] })[] = [];
      for (const c of node.namedChildren) {
        if (!c) continue;
        if (c.type === 'string_content') out.push({ text: unescapeC(c.text), at: rangeOf(c) });
        else if (c.type === 'interpolation') {
          const expr = c.childForFieldName('expression');
          if (!expr) return undefined;
          out.push(expr);
        }
      }
      return out;
    }
    // "{}:{}".format(host, port)
    if (node.type === 'call') {
      const fn = node.childForFieldName('function');
      if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format') {
        const format = hooks.literal(fn.childForFieldName('object')!);
        const args = positional(node.childForFieldName('arguments')!);
        if (!format) return undefined;
        const pieces = format.text.split(/\{\d*\}/);
        if (pieces.length - 1 > args.length) return undefined;
        const out: (Node | { text: string; at: [number, number] })[] = [];
        pieces.forEach((p, i) => {
          out.push({ text: p, at: format.at });
          if (i < pieces.length - 1) out.push(args[i]!);
        });
        return out;
      }
    }
    return undefined;
  },
  orElse(node) {
    if (node.type === 'boolean_operator' && node.childForFieldName('operator')?.text === 'or') {
      return [node.childForFieldName('left')!, node.childForFieldName('right')!];
    }
    return undefined;
  },
  unwrap(node) {
    if (node.type === 'parenthesized_expression') return node.namedChild(0) ?? undefined;
    if (node.type === 'call' && /^(str|int)$/.test(node.childForFieldName('function')?.text ?? '')) {
      return positional(node.childForFieldName('arguments')!)[0];
    }
    return undefined;
  },
  refKey(node) {
    if (node.type === 'identifier') return node.text;
    if (node.type === 'attribute') return node.text.replace(/\s+/g, '');
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
};

function text(node: Node, start: number, end: number): string {
  return node.text.slice(start - node.startIndex, end - node.startIndex);
}

function collectScope(root: Node): FileScope {
  const bindings = new Map<string, (Node | Part)[]>();
  const calls = new Map<string, Node[][]>();
  for (const n of walk(root)) {
    if (n.type === 'assignment') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      const key = left && hooks.refKey(left);
      if (key && right) bindings.set(key, [...(bindings.get(key) ?? []), right]);
    } else if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      const name = fn?.type === 'identifier' ? fn.text : fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      const args = n.childForFieldName('arguments');
      if (name && args?.type === 'argument_list') calls.set(name, [...(calls.get(name) ?? []), positional(args)]);
    }
  }
  return { bindings, calls };
}
