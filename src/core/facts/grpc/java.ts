// grpc-java: channel builders (`ManagedChannelBuilder` / `NettyChannelBuilder` / `OkHttpChannelBuilder`
// `forTarget` / `forAddress`, `Grpc.newChannelBuilder`) read along their call chain for
// `defaultLoadBalancingPolicy`, and server builders (`NettyServerBuilder.forPort(...).maxConnectionAge(...)`).
import type { Node, Tree } from 'web-tree-sitter';
import { query } from '../treesitter.js';
import type { CodeEdit, DialSite, Duration, GrpcFacts, ServerSite } from './index.js';
import { Evaluator, rangeOf, unescapeC, walk, type FileScope, type LangHooks, type Part } from './value.js';

const QUERY = `
(method_invocation object: (identifier) @cls name: (identifier) @fn arguments: (argument_list) @args
  (#match? @cls "^(ManagedChannelBuilder|NettyChannelBuilder|OkHttpChannelBuilder|Grpc|ServerBuilder|NettyServerBuilder)$")
  (#match? @fn "^(forTarget|forAddress|newChannelBuilder|newChannelBuilderForAddress|forPort|newServerBuilderForPort)$")) @call
`;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const UNITS: Record<string, number> = { NANOSECONDS: 1e-6, MICROSECONDS: 1e-3, MILLISECONDS: 1, SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 };

export function extractJava(tree: Tree, text: string): GrpcFacts {
  const root = tree.rootNode;
  const ev = new Evaluator(hooks, collectScope(root));
  const facts: GrpcFacts = { language: 'java', dials: [], servers: [], shutdownTimeouts: [], removedApis: [] };
  for (const match of query('java', QUERY).matches(root)) {
    const cap = Object.fromEntries(match.captures.map((c) => [c.name, c.node]));
    const cls = cap.cls!.text;
    const fn = cap.fn!.text;
    const call = cap.call!;
    const args = argsOf(cap.args!);
    const chain = chainOf(call);
    if (fn === 'forPort' || fn === 'newServerBuilderForPort' || (cls === 'NettyServerBuilder' && fn === 'forAddress')) {
      facts.servers.push(serverSite(cls, fn, call, args, chain, ev, root, text));
      continue;
    }
    if (cls === 'ServerBuilder' || cls === 'NettyServerBuilder') continue;
    facts.dials.push(dialSite(cls, fn, call, args, chain, ev));
  }
  return facts;
}

function argsOf(args: Node): Node[] {
  return args.namedChildren.filter((n): n is Node => n !== null && n.type !== 'line_comment' && n.type !== 'block_comment');
}

/** The builder calls chained onto a factory call: `.usePlaintext().defaultLoadBalancingPolicy("x").build()`. */
function chainOf(call: Node): { name: string; args: Node[]; node: Node }[] {
  const out: { name: string; args: Node[]; node: Node }[] = [];
  let current = call;
  for (let parent = call.parent; parent?.type === 'method_invocation' && parent.childForFieldName('object')?.id === current.id; parent = parent.parent) {
    out.push({ name: parent.childForFieldName('name')!.text, args: argsOf(parent.childForFieldName('arguments')!), node: parent });
    current = parent;
  }
  return out;
}

function dialSite(cls: string, fn: string, call: Node, args: Node[], chain: ReturnType<typeof chainOf>, ev: Evaluator): DialSite {
  const byAddress = fn === 'forAddress' || fn === 'newChannelBuilderForAddress';
  const first = args[0] ?? call;
  const targetAt: [number, number] = byAddress && args[1] ? [first.startIndex, args[1].endIndex] : rangeOf(first);
  let targets = ev.evaluate(first);
  if (byAddress && args[1]) {
    const ports = ev.evaluate(args[1]);
    targets = targets.flatMap((h) => ports.map((p) => ({ parts: h.parts && p.parts ? [...h.parts, { kind: 'lit' as const, text: ':', at: h.at }, ...p.parts] : null, at: targetAt })));
  }
  const site: DialSite = {
    language: 'java',
    api: `${cls}.${fn}`,
    call: rangeOf(call),
    targetAt,
    targets,
    defaultScheme: 'dns',
    lb: [],
    lbUnknown: false,
    serviceConfigs: [],
    disableServiceConfig: false,
    refreshInterval: false,
  };
  for (const link of chain) {
    if (link.name === 'defaultLoadBalancingPolicy' && link.args[0]) {
      const policy = hooks.literal(link.args[0])?.text;
      if (policy) site.lb.push({ policy, via: 'defaultLoadBalancingPolicy', at: rangeOf(link.args[0]) });
      else site.lbUnknown = true;
    } else if (link.name === 'defaultServiceConfig') {
      site.lbUnknown = true; // a Map built elsewhere
    } else if (link.name === 'disableServiceConfigLookUp') {
      site.disableServiceConfig = true;
    }
  }
  site.roundRobinEdit = [{ start: call.endIndex, end: call.endIndex, text: '.defaultLoadBalancingPolicy("round_robin")' }];
  return site;
}

function serverSite(cls: string, fn: string, call: Node, args: Node[], chain: ReturnType<typeof chainOf>, ev: Evaluator, root: Node, text: string): ServerSite {
  const read = (name: string): Duration | undefined => {
    const link = chain.find((l) => l.name === name);
    if (!link) return undefined;
    const [amount, unit] = link.args;
    const n = amount ? Number(amount.text.replace(/[_lL]/g, '')) : NaN;
    const u = unit ? UNITS[unit.text.split('.').pop()!] : undefined;
    return { ms: Number.isFinite(n) && u !== undefined ? n * u : undefined, at: [link.node.childForFieldName('name')!.startIndex, link.node.endIndex] };
  };
  const site: ServerSite = {
    language: 'java',
    api: `${cls}.${fn}`,
    call: rangeOf(call),
    maxConnectionAge: read('maxConnectionAge'),
    maxConnectionAgeGrace: read('maxConnectionAgeGrace'),
    ageUnknown: false,
    ageUnsupported: false,
    listens: args[0] && fn !== 'forAddress' ? ev.evaluate(args[0]) : [],
  };
  // maxConnectionAge is a NettyServerBuilder method; other builders get no automatic edit.
  if (!site.maxConnectionAge && cls === 'NettyServerBuilder') {
    // Planned now, while the tree is alive; the closure only fills in the numbers.
    const at = call.endIndex;
    const imports: CodeEdit[] = [];
    if (!/import\s+java\.util\.concurrent\.(TimeUnit|\*)\s*;/.test(text)) {
      const list = root.namedChildren.filter((n) => n?.type === 'import_declaration');
      const anchor = list[list.length - 1] ?? root.namedChildren.find((n) => n?.type === 'package_declaration');
      imports.push(anchor ? { start: anchor.endIndex, end: anchor.endIndex, text: '\nimport java.util.concurrent.TimeUnit;' } : { start: 0, end: 0, text: 'import java.util.concurrent.TimeUnit;\n' });
    }
    site.ageEdit = (age, grace) => [
      { start: at, end: at, text: `.maxConnectionAge(${age}, TimeUnit.SECONDS).maxConnectionAgeGrace(${grace}, TimeUnit.SECONDS)` },
      ...imports,
    ];
  }
  return site;
}

const hooks: LangHooks = {
  literal(node) {
    if (node.type === 'decimal_integer_literal') return { text: node.text.replace(/[_lL]/g, ''), at: rangeOf(node) };
    if (node.type !== 'string_literal' || node.text.startsWith('"""')) return undefined;
    return { text: unescapeC(node.text.slice(1, -1)), at: [node.startIndex + 1, node.endIndex - 1] };
  },
  envRead(node) {
    if (node.type !== 'method_invocation') return undefined;
    const name = node.childForFieldName('name')?.text;
    const object = node.childForFieldName('object')?.text;
    const args = argsOf(node.childForFieldName('arguments')!);
    const key = args[0] ? hooks.literal(args[0])?.text : undefined;
    if (!key || !ENV_NAME.test(key)) return undefined;
    if (object === 'System' && name === 'getenv') return { name: key };
    if (object === 'System.getenv()' && name === 'getOrDefault') return { name: key, fallback: args[1] };
    return undefined;
  },
  concat(node) {
    if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '+') {
      return [node.childForFieldName('left')!, node.childForFieldName('right')!];
    }
    if (node.type === 'method_invocation' && node.childForFieldName('object')?.text === 'String' && node.childForFieldName('name')?.text === 'format') {
      const args = argsOf(node.childForFieldName('arguments')!);
      const format = args[0] ? hooks.literal(args[0]) : undefined;
      if (!format) return undefined;
      const pieces = format.text.split(/%[sd]/);
      if (pieces.length - 1 !== args.length - 1) return undefined;
      const out: (Node | { text: string; at: [number, number] })[] = [];
      pieces.forEach((p, i) => {
        out.push({ text: p, at: format.at });
        if (i < pieces.length - 1) out.push(args[i + 1]!);
      });
      return out;
    }
    return undefined;
  },
  orElse: () => undefined,
  unwrap(node) {
    if (node.type === 'parenthesized_expression') return node.namedChild(0) ?? undefined;
    if (node.type === 'method_invocation' && /^(Integer\.parseInt|String\.valueOf)$/.test(`${node.childForFieldName('object')?.text}.${node.childForFieldName('name')?.text}`)) {
      return argsOf(node.childForFieldName('arguments')!)[0];
    }
    return undefined;
  },
  refKey(node) {
    if (node.type === 'identifier') return node.text;
    if (node.type === 'field_access') return node.text.replace(/\s+/g, '').replace(/^this\./, '');
    return undefined;
  },
  parameterOf: () => undefined,
};

function collectScope(root: Node): FileScope {
  const bindings = new Map<string, (Node | Part)[]>();
  for (const n of walk(root)) {
    if (n.type !== 'variable_declarator') continue;
    const name = n.childForFieldName('name')?.text;
    const value = n.childForFieldName('value');
    if (name && value) bindings.set(name, [...(bindings.get(name) ?? []), value]);
  }
  return { bindings, calls: new Map() };
}
