// Grpc.Net.Client (.NET): `GrpcChannel.ForAddress(address, new GrpcChannelOptions { ServiceConfig = new
// ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } } })`, `services.AddGrpcClient<T>(o =>
// o.Address = new Uri(...))`, a `DnsResolverFactory(refreshInterval: …)`, and ASP.NET Core servers
// (`MapGrpcService<T>()`), which have no MaxConnectionAge setting.
import type { Node, Tree } from 'web-tree-sitter';
import { query } from '../treesitter.js';
import type { DialSite, GrpcFacts } from './index.js';
import { appendToBraces, Evaluator, rangeOf, unescapeC, walk, type FileScope, type LangHooks, type Part } from './value.js';

const QUERY = `
(invocation_expression function: (member_access_expression expression: (_) @owner name: [(identifier) (generic_name)] @fn) arguments: (argument_list) @args
  (#match? @fn "^(ForAddress|AddGrpcClient|MapGrpcService)")) @call
`;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RR_OPTIONS = 'new GrpcChannelOptions { ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } } }';

export function extractCsharp(tree: Tree, text: string): GrpcFacts {
  const root = tree.rootNode;
  const ev = new Evaluator(hooks, collectScope(root));
  const facts: GrpcFacts = { language: 'csharp', dials: [], servers: [], shutdownTimeouts: [], removedApis: [] };
  const refresh = /new\s+DnsResolverFactory\s*\(\s*refreshInterval\s*:/.test(text);
  for (const match of query('c_sharp', QUERY).matches(root)) {
    const cap = Object.fromEntries(match.captures.map((c) => [c.name, c.node]));
    const fn = cap.fn!.text;
    const call = cap.call!;
    const args = argsOf(cap.args!);
    if (fn.startsWith('MapGrpcService')) {
      facts.servers.push({ language: 'csharp', api: fn, call: rangeOf(call), ageUnknown: false, ageUnsupported: true, listens: [] });
    } else if (fn === 'ForAddress' && cap.owner!.text === 'GrpcChannel' && args[0]) {
      facts.dials.push(forAddress(call, args, ev, refresh));
    } else if (fn.startsWith('AddGrpcClient')) {
      const site = addGrpcClient(call, ev, refresh);
      if (site) facts.dials.push(site);
    }
  }
  return facts;
}

function argsOf(args: Node): Node[] {
  // Each `argument` wraps its expression (and maybe a `name:`).
  return args.namedChildren.flatMap((a) => {
    if (a?.type !== 'argument') return [];
    const expr = a.namedChildren.filter((c) => c !== null && c.id !== a.childForFieldName('name')?.id);
    return expr.length > 0 ? [expr[expr.length - 1]!] : [];
  });
}

function baseSite(api: string, call: Node, target: Node, ev: Evaluator, refresh: boolean): DialSite {
  return {
    language: 'csharp',
    api,
    call: rangeOf(call),
    targetAt: rangeOf(target),
    targets: ev.evaluate(target),
    defaultScheme: 'dns',
    lb: [],
    lbUnknown: false,
    serviceConfigs: [],
    disableServiceConfig: false,
    refreshInterval: refresh,
  };
}

function forAddress(call: Node, args: Node[], ev: Evaluator, refresh: boolean): DialSite {
  const site = baseSite('GrpcChannel.ForAddress', call, args[0]!, ev, refresh);
  const options = args[1];
  if (!options) {
    site.roundRobinEdit = [{ start: args[0]!.endIndex, end: args[0]!.endIndex, text: `, ${RR_OPTIONS}` }];
    return site;
  }
  const initializer = options.type === 'object_creation_expression' ? options.childForFieldName('initializer') : null;
  if (!initializer) {
    site.lbUnknown = true;
    return site;
  }
  readLb(site, initializer);
  if (site.lb.length === 0 && !site.lbUnknown) site.roundRobinEdit = [appendToBraces(initializer, 'ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } }')];
  return site;
}

/** `ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } }` anywhere under a node. */
function readLb(site: DialSite, under: Node): void {
  for (const n of walk(under)) {
    if (n.type !== 'assignment_expression') continue;
    const left = n.childForFieldName('left')?.text.split('.').pop();
    const right = n.childForFieldName('right');
    if (left === 'ServiceConfig' && right && right.type !== 'object_creation_expression') site.lbUnknown = true;
    if (left !== 'LoadBalancingConfigs' || !right) continue;
    const first = right.namedChildren.find((c) => c?.type === 'object_creation_expression');
    const type = first?.childForFieldName('type')?.text;
    if (type === 'RoundRobinConfig') site.lb.push({ policy: 'round_robin', via: 'loadBalancingConfigs', at: rangeOf(first!) });
    else if (type === 'PickFirstConfig') site.lb.push({ policy: 'pick_first', via: 'loadBalancingConfigs', at: rangeOf(first!) });
    else site.lbUnknown = true;
  }
}

/** `services.AddGrpcClient<T>(o => { o.Address = new Uri("http://orders:50051"); })` and its ConfigureChannel chain. */
function addGrpcClient(call: Node, ev: Evaluator, refresh: boolean): DialSite | undefined {
  let address: Node | undefined;
  for (const n of walk(call)) {
    if (n.type === 'assignment_expression' && n.childForFieldName('left')?.text.split('.').pop() === 'Address') {
      address = n.childForFieldName('right') ?? undefined;
      break;
    }
  }
  if (!address) return undefined;
  const site = baseSite('AddGrpcClient', call, address, ev, refresh);
  // The statement may continue with .ConfigureChannel(o => { o.ServiceConfig = … }).
  let top = call;
  while (top.parent && (top.parent.type === 'member_access_expression' || top.parent.type === 'invocation_expression')) top = top.parent;
  readLb(site, top);
  return site;
}

const hooks: LangHooks = {
  literal(node) {
    if (node.type === 'integer_literal') return { text: node.text, at: rangeOf(node) };
    if (node.type === 'string_literal') return { text: unescapeC(node.text.slice(1, -1)), at: [node.startIndex + 1, node.endIndex - 1] };
    if (node.type === 'verbatim_string_literal') return { text: node.text.slice(2, -1).replace(/""/g, '"'), at: [node.startIndex + 2, node.endIndex - 1] };
    return undefined;
  },
  envRead(node) {
    if (node.type !== 'invocation_expression') return undefined;
    if (!/^(System\.)?Environment\.GetEnvironmentVariable$/.test(node.childForFieldName('function')?.text ?? '')) return undefined;
    const arg = argsOf(node.childForFieldName('arguments')!)[0];
    const name = arg ? hooks.literal(arg)?.text : undefined;
    return name && ENV_NAME.test(name) ? { name } : undefined;
  },
  concat(node) {
    if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '+') {
      return [node.childForFieldName('left')!, node.childForFieldName('right')!];
    }
    if (node.type === 'interpolated_string_expression') {
      const out: (Node | { text: string; at: [number, number] })[] = [];
      for (const c of node.namedChildren) {
        if (!c) continue;
        if (c.type === 'string_content') out.push({ text: unescapeC(c.text), at: rangeOf(c) });
        else if (c.type === 'interpolation') {
          const expr = c.namedChildren.find((x) => x && !/^interpolation_(brace|alignment|format)/.test(x.type));
          if (!expr || c.namedChildren.some((x) => x?.type === 'interpolation_format_clause')) return undefined;
          out.push(expr);
        }
      }
      return out;
    }
    return undefined;
  },
  orElse(node) {
    return node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '??'
      ? [node.childForFieldName('left')!, node.childForFieldName('right')!]
      : undefined;
  },
  unwrap(node) {
    if (node.type === 'parenthesized_expression') return node.namedChild(0) ?? undefined;
    if (node.type === 'object_creation_expression' && node.childForFieldName('type')?.text === 'Uri') {
      return argsOf(node.childForFieldName('arguments')!)[0];
    }
    return undefined;
  },
  refKey(node) {
    if (node.type === 'identifier') return node.text;
    if (node.type === 'member_access_expression') return node.text.replace(/\s+/g, '').replace(/^this\./, '');
    return undefined;
  },
  parameterOf: () => undefined,
};

function collectScope(root: Node): FileScope {
  const bindings = new Map<string, (Node | Part)[]>();
  for (const n of walk(root)) {
    if (n.type !== 'variable_declarator') continue;
    const name = n.childForFieldName('name');
    const value = n.namedChildren.filter((c) => c !== null && c.id !== name?.id && c.type !== 'bracketed_argument_list').pop();
    if (name && value) bindings.set(name.text, [...(bindings.get(name.text) ?? []), value]);
  }
  return { bindings, calls: new Map() };
}
