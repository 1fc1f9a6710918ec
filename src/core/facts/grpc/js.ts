// @grpc/grpc-js in JavaScript and TypeScript: generated or generic clients `new XClient(target, creds,
// options)`, `new grpc.Client(...)`, `new grpc.Channel(...)` with channel options (`grpc.service_config`,
// the unsupported `grpc.lb_policy_name`), and `new grpc.Server({...})` with `grpc.max_connection_age_ms`.
import type { Node, Tree } from 'web-tree-sitter';
import { query, type GrammarName } from '../treesitter.js';
import type { DialSite, Duration, GrpcFacts, ServerSite } from './index.js';
import { readServiceConfig, ROUND_ROBIN_CONFIG } from './service-config.js';
import { appendToBraces, Evaluator, rangeOf, unescapeC, walk, type Alt, type FileScope, type LangHooks, type Part } from './value.js';

const QUERY = `
(new_expression constructor: (_) @ctor arguments: (arguments) @args) @new
(call_expression function: (member_expression property: (property_identifier) @method) arguments: (arguments) @args
  (#match? @method "^(bindAsync|bind)$")) @bind
`;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENTRIES = '\u0000entries\u0000';
/** Channel credentials as clients are built with them (not the credential classes' own plumbing). */
const CREDENTIALS = /\b(credentials|ChannelCredentials)\s*\.\s*(create\w*|combine\w*)|\bcreate(Insecure|Ssl|FromSecureContext)\b/;
/** grpc-js internals that take credentials but are not client constructors. */
const NOT_A_CLIENT = /Credentials|Connector|LoadBalancer|InternalChannel|ChannelImplementation|Subchannel|Transport/;

export function extractJs(tree: Tree, text: string, grammar: GrammarName): GrpcFacts {
  const root = tree.rootNode;
  const scope = collectScope(root);
  const ev = new Evaluator(hooks, scope);
  const facts: GrpcFacts = { language: 'js', dials: [], servers: [], shutdownTimeouts: [], removedApis: [] };
  const listens: Alt[] = [];
  const servers: { node: Node; args: Node }[] = [];
  const lbElsewhere = /grpc\.service_config|grpc\.lb_policy_name/.test(text);
  for (const match of query(grammar, QUERY).matches(root)) {
    const cap = Object.fromEntries(match.captures.map((c) => [c.name, c.node]));
    const args = argsOf(cap.args!);
    if (cap.bind) {
      if (args[0] && args[1] && /credentials|Credentials/.test(args[1].text)) listens.push(...ev.evaluate(args[0]));
      continue;
    }
    const ctor = cap.ctor!.text;
    if (/^(grpc\.)?Server$/.test(ctor)) {
      servers.push({ node: cap.new!, args: cap.args! });
      continue;
    }
    // A client: grpc.Client/Channel, or any constructor handed channel credentials as its second argument.
    const creds = args[1];
    const credsText = creds ? `${creds.text} ${(scope.bindings.get(creds.text) ?? []).map((b) => ('type' in b ? b.text : '')).join(' ')}` : '';
    const isClient = /^(grpc\.)?(Client|Channel)$/.test(ctor) || (args.length >= 2 && CREDENTIALS.test(credsText) && !NOT_A_CLIENT.test(ctor));
    if (isClient && args[0]) facts.dials.push(dialSite(ctor, cap.new!, args, ev, lbElsewhere));
  }
  for (const { node, args } of servers) facts.servers.push(serverSite(node, args, listens));
  return facts;
}

function argsOf(args: Node): Node[] {
  return args.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
}

/** Pairs of an object literal with a string or identifier key. */
function pairs(obj: Node): { key: string; value: Node; pair: Node }[] {
  const out: { key: string; value: Node; pair: Node }[] = [];
  for (const p of obj.namedChildren) {
    if (p?.type !== 'pair') continue;
    const k = p.childForFieldName('key')!;
    const key = k.type === 'string' ? hooks.literal(k)?.text : k.text;
    const value = p.childForFieldName('value');
    if (key !== undefined && value) out.push({ key, value, pair: p });
  }
  return out;
}

function dialSite(ctor: string, node: Node, args: Node[], ev: Evaluator, lbElsewhere: boolean): DialSite {
  const target = args[0]!;
  const options = args[2];
  const site: DialSite = {
    language: 'js',
    api: `new ${ctor}`,
    call: rangeOf(node),
    targetAt: rangeOf(target),
    targets: ev.evaluate(target),
    defaultScheme: 'dns',
    lb: [],
    lbUnknown: false,
    serviceConfigs: [],
    disableServiceConfig: false,
    refreshInterval: false,
  };
  const entry = `'grpc.service_config': '${ROUND_ROBIN_CONFIG}'`;
  if (options?.type === 'object') {
    for (const { key, value, pair } of pairs(options)) {
      if (key === 'grpc.service_config') {
        const json = jsonOf(value, ev);
        if (json === undefined) {
          site.lbUnknown = true;
          continue;
        }
        site.serviceConfigs.push({ json, at: rangeOf(value), option: 'grpc.service_config' });
        const reading = readServiceConfig(json);
        // grpc-js parses the deprecated loadBalancingPolicy but never reads it (docs/evidence/grpc-balancing.md §4).
        if (reading.policy && reading.error?.kind !== 'legacy') site.lb.push({ policy: reading.policy, via: 'serviceConfig', at: rangeOf(value) });
      } else if (key === 'grpc.lb_policy_name') {
        site.lbPolicyNameOption = { at: rangeOf(pair.childForFieldName('key')!), value: hooks.literal(value)?.text, pair: rangeOf(pair) };
      } else if (key === 'grpc.service_config_disable_resolution') {
        site.disableServiceConfig = true;
      }
    }
    site.roundRobinEdit = [appendToBraces(options, entry)];
  } else if (options) {
    site.lbUnknown = lbElsewhere;
  } else if (args[1]) {
    site.roundRobinEdit = [{ start: args[1].endIndex, end: args[1].endIndex, text: `, { ${entry} }` }];
  }
  return site;
}

/** JSON of a `grpc.service_config` value: a string, or `JSON.stringify({...})` of plain literals. */
function jsonOf(value: Node, ev: Evaluator): string | undefined {
  if (value.type === 'call_expression' && value.childForFieldName('function')?.text === 'JSON.stringify') {
    const arg = argsOf(value.childForFieldName('arguments')!)[0];
    const v = arg ? jsValue(arg) : undefined;
    return v === undefined ? undefined : JSON.stringify(v);
  }
  return ev.plainLiteral(value);
}

function jsValue(node: Node): unknown {
  switch (node.type) {
    case 'string':
      return hooks.literal(node)?.text;
    case 'number':
      return Number(node.text);
    case 'true':
      return true;
    case 'false':
      return false;
    case 'array': {
      const out = argsOf(node).map(jsValue);
      return out.includes(undefined) ? undefined : out;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const child of node.namedChildren) {
        if (child?.type !== 'pair') return undefined;
        const k = child.childForFieldName('key')!;
        const key = k.type === 'string' ? hooks.literal(k)?.text : k.text;
        const v = jsValue(child.childForFieldName('value')!);
        if (key === undefined || v === undefined) return undefined;
        out[key] = v;
      }
      return out;
    }
    default:
      return undefined;
  }
}

function serverSite(node: Node, argList: Node, listens: Alt[]): ServerSite {
  const options = argsOf(argList)[0];
  const list = options?.type === 'object' ? pairs(options) : undefined;
  const read = (key: string): Duration | undefined => {
    const e = list?.find((p) => p.key === key);
    return e ? { ms: numberOf(e.value), at: rangeOf(e.pair) } : undefined;
  };
  const site: ServerSite = {
    language: 'js',
    api: `new ${node.childForFieldName('constructor')!.text}`,
    call: rangeOf(node),
    maxConnectionAge: read('grpc.max_connection_age_ms'),
    maxConnectionAgeGrace: read('grpc.max_connection_age_grace_ms'),
    ageUnknown: options !== undefined && list === undefined,
    ageUnsupported: false,
    listens,
  };
  if (!site.maxConnectionAge && (list || !options)) {
    // Planned now, while the tree is alive; the closure only fills in the numbers.
    const plan = options ? appendToBraces(options, ENTRIES) : { start: argList.startIndex + 1, end: argList.startIndex + 1, text: `{ ${ENTRIES} }` };
    site.ageEdit = (age, grace) => [
      { ...plan, text: plan.text.replace(ENTRIES, `'grpc.max_connection_age_ms': ${age * 1000}, 'grpc.max_connection_age_grace_ms': ${grace * 1000}`) },
    ];
  }
  return site;
}

function numberOf(node: Node): number | undefined {
  if (node.type === 'number') return Number(node.text.replace(/_/g, ''));
  if (node.type === 'parenthesized_expression' && node.namedChild(0)) return numberOf(node.namedChild(0)!);
  if (node.type === 'binary_expression') {
    const l = numberOf(node.childForFieldName('left')!);
    const r = numberOf(node.childForFieldName('right')!);
    const op = node.childForFieldName('operator')?.text;
    if (l === undefined || r === undefined) return undefined;
    return op === '*' ? l * r : op === '+' ? l + r : undefined;
  }
  return undefined;
}

const hooks: LangHooks = {
  literal(node) {
    if (node.type === 'number') return { text: node.text, at: rangeOf(node) };
    if (node.type === 'string') return { text: unescapeC(node.text.slice(1, -1)), at: [node.startIndex + 1, node.endIndex - 1] };
    if (node.type === 'template_string' && !node.namedChildren.some((c) => c?.type === 'template_substitution')) {
      return { text: node.text.slice(1, -1), at: [node.startIndex + 1, node.endIndex - 1] };
    }
    return undefined;
  },
  envRead(node) {
    let name: string | undefined;
    if (node.type === 'member_expression' && node.childForFieldName('object')?.text === 'process.env') name = node.childForFieldName('property')?.text;
    else if (node.type === 'subscript_expression' && node.childForFieldName('object')?.text === 'process.env') {
      const index = node.childForFieldName('index');
      name = index ? hooks.literal(index)?.text : undefined;
    }
    return name && ENV_NAME.test(name) ? { name } : undefined;
  },
  concat(node) {
    if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '+') {
      return [node.childForFieldName('left')!, node.childForFieldName('right')!];
    }
    if (node.type === 'template_string' && node.namedChildren.some((c) => c?.type === 'template_substitution')) {
      const out: (Node | { text: string; at: [number, number] })[] = [];
      let cursor = node.startIndex + 1;
      for (const c of node.namedChildren) {
        if (!c || c.type !== 'template_substitution') continue;
        if (c.startIndex > cursor) out.push({ text: node.text.slice(cursor - node.startIndex, c.startIndex - node.startIndex), at: [cursor, c.startIndex] });
        const expr = c.namedChild(0);
        if (!expr) return undefined;
        out.push(expr);
        cursor = c.endIndex;
      }
      if (node.endIndex - 1 > cursor) out.push({ text: node.text.slice(cursor - node.startIndex, -1), at: [cursor, node.endIndex - 1] });
      return out;
    }
    return undefined;
  },
  orElse(node) {
    const op = node.type === 'binary_expression' ? node.childForFieldName('operator')?.text : undefined;
    return op === '||' || op === '??' ? [node.childForFieldName('left')!, node.childForFieldName('right')!] : undefined;
  },
  unwrap(node) {
    if (['parenthesized_expression', 'as_expression', 'non_null_expression', 'await_expression', 'satisfies_expression'].includes(node.type)) {
      return node.namedChild(0) ?? undefined;
    }
    if (node.type === 'call_expression' && /^(String|Number)$/.test(node.childForFieldName('function')?.text ?? '')) {
      return argsOf(node.childForFieldName('arguments')!)[0];
    }
    return undefined;
  },
  refKey(node) {
    if (node.type === 'identifier') return node.text;
    if (node.type === 'member_expression') return node.text.replace(/\s+/g, '').replace(/^this\./, '');
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
};

function collectScope(root: Node): FileScope {
  const bindings = new Map<string, (Node | Part)[]>();
  const calls = new Map<string, Node[][]>();
  const bind = (key: string | undefined, value: Node | null | undefined) => {
    if (key && value) bindings.set(key, [...(bindings.get(key) ?? []), value]);
  };
  for (const n of walk(root)) {
    if (n.type === 'variable_declarator') {
      const name = n.childForFieldName('name');
      if (name?.type === 'identifier') bind(name.text, n.childForFieldName('value'));
    } else if (n.type === 'assignment_expression') {
      const left = n.childForFieldName('left');
      bind(left ? hooks.refKey(left) : undefined, n.childForFieldName('right'));
    } else if (n.type === 'public_field_definition' || n.type === 'field_definition') {
      bind((n.childForFieldName('name') ?? n.childForFieldName('property'))?.text, n.childForFieldName('value'));
    } else if (n.type === 'call_expression') {
      const fn = n.childForFieldName('function');
      const name = fn?.type === 'identifier' ? fn.text : fn?.type === 'member_expression' ? fn.childForFieldName('property')?.text : undefined;
      const args = n.childForFieldName('arguments');
      if (name && args?.type === 'arguments') calls.set(name, [...(calls.get(name) ?? []), argsOf(args)]);
    }
  }
  return { bindings, calls };
}
