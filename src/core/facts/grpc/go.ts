// grpc-go: `grpc.NewClient` / `Dial` / `DialContext` with their DialOptions, `grpc.NewServer` with
// `keepalive.ServerParameters`, `net.Listen`, kuberesolver imports and registrations, the removed balancer
// APIs, and shutdown timeouts (`Shutdown(ctx)` under `context.WithTimeout`, `GracefulStop` raced by a timer).
import type { Node, Tree } from 'web-tree-sitter';
import { query } from '../treesitter.js';
import type { CodeEdit, DialSite, Duration, GrpcFacts, RemovedApi, ServerSite } from './index.js';
import { readServiceConfig, ROUND_ROBIN_CONFIG } from './service-config.js';
import { Evaluator, rangeOf, unescapeC, walk, type FileScope, type LangHooks, type Part } from './value.js';

/** Calls of package functions (`pkg.Fn(...)`), composite literals of `keepalive.*`, and imports. */
const QUERY = `
(call_expression function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn) arguments: (argument_list) @args) @call
(composite_literal type: (qualified_type package: (package_identifier) @kpkg name: (type_identifier) @ktype) body: (literal_value) @fields (#eq? @kpkg "keepalive")) @literal
(import_spec path: (_) @path) @import
`;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FIELDS = '\u0000fields\u0000';
const TIME_UNITS: Record<string, number> = { Nanosecond: 1e-6, Microsecond: 1e-3, Millisecond: 1, Second: 1000, Minute: 60_000, Hour: 3_600_000 };

export function extractGo(tree: Tree, text: string): GrpcFacts {
  const root = tree.rootNode;
  const scope = collectScope(root);
  const ev = new Evaluator(hooks, scope);
  const facts: GrpcFacts = { language: 'go', dials: [], servers: [], shutdownTimeouts: [], removedApis: [] };
  const serverParams: Node[] = [];
  const listens: Node[] = [];
  const timeouts: Node[] = [];
  const registers: { scheme: string; at: [number, number] }[] = [];
  let kuberesolver: GrpcFacts['kuberesolver'];
  const serverCalls: Node[] = [];
  const lbElsewhere = /WithDefaultServiceConfig|WithBalancerName|loadBalancingConfig/.test(text);

  for (const match of query('go', QUERY).matches(root)) {
    const cap = Object.fromEntries(match.captures.map((c) => [c.name, c.node]));
    if (cap.import) {
      const path = hooks.literal(cap.path!)?.text ?? '';
      const m = /^github\.com\/sercand\/kuberesolver(?:\/v(\d+))?$/.exec(path);
      if (m) kuberesolver = { version: m[1] ? Number(m[1]) : 1, importAt: rangeOf(cap.path!), registers };
      continue;
    }
    if (cap.literal) {
      if (cap.ktype!.text === 'ServerParameters') serverParams.push(cap.literal);
      continue;
    }
    const pkg = cap.pkg!.text;
    const fn = cap.fn!.text;
    const call = cap.call!;
    const args = cap.args!.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
    if (pkg === 'grpc' && (fn === 'Dial' || fn === 'DialContext' || fn === 'NewClient')) {
      const targetNode = fn === 'DialContext' ? args[1] : args[0];
      if (targetNode) facts.dials.push(dialSite(fn, call, cap.args!, targetNode, args.slice(fn === 'DialContext' ? 2 : 1), ev, lbElsewhere, text));
    } else if (pkg === 'grpc' && fn === 'NewServer') {
      serverCalls.push(call);
    } else if (pkg === 'grpc' && (fn === 'WithBalancerName' || fn === 'WithBalancer' || fn === 'RoundRobin')) {
      facts.removedApis.push(removedApi(fn, call, args, ev));
    } else if (pkg === 'net' && fn === 'Listen' && args[1]) {
      listens.push(args[1]);
    } else if (pkg === 'kuberesolver' && fn === 'RegisterInCluster') {
      registers.push({ scheme: 'kubernetes', at: rangeOf(call) });
    } else if (pkg === 'kuberesolver' && (fn === 'RegisterInClusterWithSchema' || fn === 'NewBuilder')) {
      const schemeArg = fn === 'NewBuilder' ? args[1] : args[0];
      const scheme = schemeArg ? hooks.literal(schemeArg)?.text : 'kubernetes';
      if (scheme) registers.push({ scheme, at: rangeOf(call) });
    } else if ((pkg === 'context' && fn === 'WithTimeout' && args[1]) || (pkg === 'time' && /^(After|AfterFunc|NewTimer)$/.test(fn) && args[0])) {
      timeouts.push(pkg === 'context' ? args[1]! : args[0]!);
    }
  }

  const age = readServerParams(serverParams);
  const listenAlts = listens.flatMap((n) => ev.evaluate(n));
  for (const call of serverCalls) facts.servers.push(serverSite(call, age, serverParams, listenAlts, root, text, scope));
  if (kuberesolver) facts.kuberesolver = kuberesolver;
  // A timeout counts as a shutdown budget only next to a shutdown call.
  if (/\.(GracefulStop|Shutdown)\(/.test(text)) {
    for (const t of timeouts) {
      const ms = durationMs(t);
      if (ms !== undefined) facts.shutdownTimeouts.push({ seconds: ms / 1000, at: rangeOf(t) });
    }
  }
  return facts;
}

function dialSite(fn: string, call: Node, argList: Node, target: Node, options: Node[], ev: Evaluator, lbElsewhere: boolean, text: string): DialSite {
  const site: DialSite = {
    language: 'go',
    api: `grpc.${fn}`,
    call: rangeOf(call),
    targetAt: rangeOf(target),
    targets: ev.evaluate(target),
    defaultScheme: fn === 'NewClient' ? 'dns' : 'passthrough',
    lb: [],
    lbUnknown: false,
    serviceConfigs: [],
    disableServiceConfig: false,
    refreshInterval: false,
  };
  let opaque = false;
  for (const opt of options) {
    const callee = opt.type === 'call_expression' ? opt.childForFieldName('function') : null;
    const name = callee?.type === 'selector_expression' ? callee.childForFieldName('field')?.text : undefined;
    const optArgs = opt.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
    if (!name) {
      opaque = true;
      continue;
    }
    if (name === 'WithDefaultServiceConfig' && optArgs[0]) {
      const alts = ev.evaluate(optArgs[0]);
      const lit = alts.length === 1 && alts[0]!.parts?.length === 1 && alts[0]!.parts[0]!.kind === 'lit' ? alts[0]!.parts[0]! : undefined;
      if (!lit || lit.kind !== 'lit') {
        site.lbUnknown = true;
        continue;
      }
      const at = literalRange(optArgs[0], lit);
      site.serviceConfigs.push({ json: lit.text, at, option: 'WithDefaultServiceConfig' });
      const reading = readServiceConfig(lit.text);
      if (reading.policy) site.lb.push({ policy: reading.policy, via: 'serviceConfig', at });
    } else if (name === 'WithBalancerName' && optArgs[0]) {
      const policy = hooks.literal(optArgs[0])?.text;
      if (policy) site.lb.push({ policy, via: 'withBalancerName', at: rangeOf(opt) });
    } else if (name === 'WithDisableServiceConfig') {
      site.disableServiceConfig = true;
    } else if (name === 'WithResolvers') {
      site.withResolvers = rangeOf(opt);
    }
  }
  if (opaque && lbElsewhere && site.lb.length === 0) site.lbUnknown = true;
  const last = options[options.length - 1] ?? target;
  if (last.type !== 'variadic_argument') site.roundRobinEdit = [appendArgument(argList, last, `grpc.WithDefaultServiceConfig(\`${ROUND_ROBIN_CONFIG}\`)`, text)];
  return site;
}

/** The range of a literal that reached an option, when it sits right there (else the argument). */
function literalRange(arg: Node, lit: Part): [number, number] {
  return lit.at[0] >= arg.startIndex && lit.at[1] <= arg.endIndex ? [arg.startIndex, arg.endIndex] : lit.at;
}

function removedApi(fn: string, call: Node, args: Node[], ev: Evaluator): RemovedApi {
  const api = fn as RemovedApi['api'];
  const out: RemovedApi = { api, at: rangeOf(call) };
  if (fn === 'WithBalancerName' && args[0]) {
    const alts = ev.evaluate(args[0]);
    const policy = alts.length === 1 && alts[0]!.parts?.length === 1 && alts[0]!.parts[0]!.kind === 'lit' ? alts[0]!.parts[0]!.text : undefined;
    if (policy && /^[a-z_]+$/.test(policy)) {
      out.rewrite = {
        policy,
        safe: true,
        edits: [{ start: call.startIndex, end: call.endIndex, text: `grpc.WithDefaultServiceConfig(\`{"loadBalancingConfig":[{"${policy}":{}}]}\`)` }],
      };
    }
  } else if (fn === 'WithBalancer') {
    // grpc.RoundRobin(resolver) carried its own naming.Resolver; the rewrite drops it, so it is only a suggestion.
    const inner = args[0];
    const isRoundRobin = inner?.type === 'call_expression' && inner.childForFieldName('function')?.text === 'grpc.RoundRobin';
    out.rewrite = {
      policy: 'round_robin',
      safe: false,
      edits: [{ start: call.startIndex, end: call.endIndex, text: `grpc.WithDefaultServiceConfig(\`{"loadBalancingConfig":[{"${isRoundRobin ? 'round_robin' : 'round_robin'}":{}}]}\`)` }],
    };
  }
  return out;
}

interface AgeReading {
  age?: Duration;
  grace?: Duration;
}

function readServerParams(literals: Node[]): AgeReading {
  const out: AgeReading = {};
  for (const lit of literals) {
    for (const el of lit.childForFieldName('body')?.namedChildren ?? []) {
      if (el?.type !== 'keyed_element') continue;
      const key = el.childForFieldName('key')?.text ?? el.namedChild(0)?.text;
      const value = el.childForFieldName('value') ?? el.namedChild(1);
      if (!value) continue;
      const d: Duration = { ms: durationMs(value), at: rangeOf(el) };
      if (key === 'MaxConnectionAge') out.age = d;
      if (key === 'MaxConnectionAgeGrace') out.grace = d;
    }
  }
  return out;
}

function serverSite(call: Node, age: AgeReading, params: Node[], listens: ReturnType<Evaluator['evaluate']>, root: Node, text: string, scope: FileScope): ServerSite {
  const argList = call.childForFieldName('arguments')!;
  const args = argList.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
  // Options the file cannot show: a parameter, a package-level value from elsewhere, a helper's result.
  const opaque = args.some((a) => {
    const id = a.type === 'variadic_argument' ? a.namedChild(0) : a;
    if (!id) return true;
    if (id.type === 'call_expression') return !id.childForFieldName('function')?.text.startsWith('grpc.');
    if (id.type === 'identifier') return hooks.parameterOf(id) !== undefined || !scope.bindings.has(id.text);
    return true;
  });
  const site: ServerSite = {
    language: 'go',
    api: 'grpc.NewServer',
    call: rangeOf(call),
    maxConnectionAge: age.age,
    maxConnectionAgeGrace: age.grace,
    // Options assembled elsewhere (a parameter, another file) may set the age; options built in this file are visible.
    ageUnknown: !age.age && opaque,
    ageUnsupported: false,
    listens,
  };
  const existing = params[0];
  // Edits are planned now, while the tree is alive; the closure only fills in the durations.
  let plan: CodeEdit[] | undefined;
  if (!age.age) {
    if (existing) {
      const body = existing.childForFieldName('body')!;
      const inner = body.namedChildren.filter((n) => n?.type === 'keyed_element');
      const lastEl = inner[inner.length - 1];
      const edit: CodeEdit = lastEl ? appendArgument(body, lastEl, FIELDS, text) : { start: body.startIndex + 1, end: body.startIndex + 1, text: FIELDS };
      plan = [edit, ...importEdits(root, text, ['time'])];
    } else if (!args.some((a) => a.type === 'variadic_argument')) {
      const option = `grpc.KeepaliveParams(keepalive.ServerParameters{${FIELDS}})`;
      const edit: CodeEdit = { start: argList.startIndex + 1, end: argList.startIndex + 1, text: args.length > 0 ? `${option}, ` : option };
      plan = [edit, ...importEdits(root, text, ['google.golang.org/grpc/keepalive', 'time'])];
    }
  }
  if (plan) {
    const edits = plan;
    site.ageEdit = (ageSeconds, graceSeconds) =>
      edits.map((e) => ({ ...e, text: e.text.replace(FIELDS, `MaxConnectionAge: ${goDuration(ageSeconds)}, MaxConnectionAgeGrace: ${goDuration(graceSeconds)}`) }));
  }
  return site;
}

function goDuration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} * time.Minute` : `${seconds} * time.Second`;
}

/** Edits that add missing imports to the file's import block (or after the package clause). */
function importEdits(root: Node, text: string, paths: string[]): CodeEdit[] {
  const have = new Set<string>();
  let block: Node | undefined;
  for (const n of root.namedChildren) {
    if (n?.type !== 'import_declaration') continue;
    for (const spec of walk(n)) if (spec.type === 'import_spec') have.add(hooks.literal(spec.childForFieldName('path')!)?.text ?? '');
    const list = n.namedChildren.find((c) => c?.type === 'import_spec_list');
    if (list && !block) block = list;
  }
  const missing = paths.filter((p) => !have.has(p));
  if (missing.length === 0) return [];
  if (block) {
    const close = block.endIndex - 1;
    return [{ start: close, end: close, text: missing.map((p) => `\t"${p}"\n`).join('') }];
  }
  const imports = root.namedChildren.filter((n) => n?.type === 'import_declaration');
  const anchor = imports[imports.length - 1] ?? root.namedChildren.find((n) => n?.type === 'package_clause');
  const at = anchor ? anchor.endIndex : 0;
  void text;
  return [{ start: at, end: at, text: `\n\nimport (\n${missing.map((p) => `\t"${p}"\n`).join('')})` }];
}

/** Insert `, <code>` after `last` inside an argument (or element) list, keeping a multi-line layout. */
export function appendArgument(list: Node, last: Node, code: string, text: string): CodeEdit {
  const multiline = last.startPosition.row !== list.startPosition.row;
  if (!multiline) return { start: last.endIndex, end: last.endIndex, text: `, ${code}` };
  const lineStart = text.lastIndexOf('\n', last.startIndex - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  return { start: last.endIndex, end: last.endIndex, text: `,\n${indent}${code}` };
}

/** Milliseconds of a Go duration expression: `5 * time.Minute`, `time.Second * 30`, `time.Duration(5) * time.Minute`. */
export function durationMs(node: Node): number | undefined {
  switch (node.type) {
    case 'parenthesized_expression':
      return node.namedChild(0) ? durationMs(node.namedChild(0)!) : undefined;
    case 'int_literal':
    case 'float_literal':
      return Number(node.text.replace(/_/g, '')) / 1e6; // a bare number is nanoseconds
    case 'selector_expression': {
      const unit = node.childForFieldName('field')?.text ?? '';
      return node.childForFieldName('operand')?.text === 'time' ? TIME_UNITS[unit] : undefined;
    }
    case 'call_expression': {
      // time.Duration(n) converts a count of nanoseconds.
      const fn = node.childForFieldName('function')?.text;
      const arg = node.childForFieldName('arguments')?.namedChild(0);
      return fn === 'time.Duration' && arg ? durationMs(arg) : undefined;
    }
    case 'binary_expression': {
      const op = node.childForFieldName('operator')?.text;
      const l = node.childForFieldName('left');
      const r = node.childForFieldName('right');
      if (op !== '*' || !l || !r) return undefined;
      const ln = numberOf(l);
      const rn = numberOf(r);
      if (ln !== undefined) return durationMs(r) !== undefined ? ln * durationMs(r)! : undefined;
      if (rn !== undefined) return durationMs(l) !== undefined ? rn * durationMs(l)! : undefined;
      return undefined;
    }
    default:
      return undefined;
  }
}

function numberOf(node: Node): number | undefined {
  if (node.type === 'int_literal' || node.type === 'float_literal') return Number(node.text.replace(/_/g, ''));
  if (node.type === 'call_expression' && node.childForFieldName('function')?.text === 'time.Duration') {
    const arg = node.childForFieldName('arguments')?.namedChild(0);
    return arg ? numberOf(arg) : undefined;
  }
  return undefined;
}

const hooks: LangHooks = {
  literal(node) {
    if (node.type === 'interpreted_string_literal') {
      const body = node.text.slice(1, -1);
      return { text: unescapeC(body), at: [node.startIndex + 1, node.endIndex - 1] };
    }
    if (node.type === 'raw_string_literal') return { text: node.text.slice(1, -1), at: [node.startIndex + 1, node.endIndex - 1] };
    if (node.type === 'int_literal') return { text: node.text, at: rangeOf(node) };
    return undefined;
  },
  envRead(node) {
    if (node.type !== 'call_expression') return undefined;
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
    const name = args[0] ? hooks.literal(args[0])?.text : undefined;
    if (!fn || !name || !ENV_NAME.test(name)) return undefined;
    if (fn.text === 'os.Getenv' || fn.text === 'os.LookupEnv') return { name };
    // Project helpers such as getEnv("ADDR", "localhost:50051") / envOr(...): the second argument is the default.
    const simple = fn.type === 'identifier' ? fn.text : fn.childForFieldName('field')?.text;
    if (simple && /env/i.test(simple) && args.length <= 2) return { name, fallback: args[1] };
    return undefined;
  },
  concat(node) {
    if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '+') {
      return [node.childForFieldName('left')!, node.childForFieldName('right')!];
    }
    if (node.type !== 'call_expression') return undefined;
    const fn = node.childForFieldName('function')?.text;
    const args = node.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
    if (fn === 'net.JoinHostPort' && args.length === 2) return [args[0]!, { text: ':', at: [args[0]!.endIndex, args[0]!.endIndex] }, args[1]!];
    if (fn === 'fmt.Sprintf' && args[0]) {
      const format = hooks.literal(args[0]);
      if (!format) return undefined;
      const pieces: (Node | { text: string; at: [number, number] })[] = [];
      let argIndex = 1;
      let last = 0;
      for (const m of format.text.matchAll(/%[-+# 0]*\d*(?:\.\d+)?([svdq%])/g)) {
        pieces.push({ text: format.text.slice(last, m.index), at: format.at });
        last = m.index! + m[0].length;
        if (m[1] === '%') pieces.push({ text: '%', at: format.at });
        else {
          const arg = args[argIndex++];
          if (!arg) return undefined;
          pieces.push(arg);
        }
      }
      pieces.push({ text: format.text.slice(last), at: format.at });
      return pieces;
    }
    return undefined;
  },
  orElse: () => undefined,
  unwrap(node) {
    if (node.type === 'parenthesized_expression') return node.namedChild(0) ?? undefined;
    if (node.type === 'unary_expression' && node.childForFieldName('operator')?.text === '*') return node.childForFieldName('operand') ?? undefined;
    if (node.type === 'call_expression') {
      const fn = node.childForFieldName('function')?.text ?? '';
      const args = node.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
      // flag.String("addr", "localhost:50051", "usage"): the default is what runs unless a flag overrides it.
      if (/^flag\.(String|Int|Uint)$/.test(fn)) return args[1];
      if (fn === 'strconv.Itoa' || fn === 'string') return args[0];
    }
    return undefined;
  },
  refKey(node) {
    if (node.type === 'identifier') return node.text;
    if (node.type === 'selector_expression') return node.text.replace(/\s+/g, '');
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
};

function collectScope(root: Node): FileScope {
  const bindings = new Map<string, (Node | Part)[]>();
  const calls = new Map<string, Node[][]>();
  const functions = new Map<string, Node>();
  const setters: Node[] = [];
  const bind = (key: string | undefined, value: Node | Part) => {
    if (!key || key === '_') return;
    const list = bindings.get(key);
    if (list) list.push(value);
    else bindings.set(key, [value]);
  };
  for (const n of walk(root)) {
    switch (n.type) {
      case 'const_spec':
      case 'var_spec': {
        const names = n.childrenForFieldName('name').filter((x): x is Node => x !== null);
        const values = n.childForFieldName('value')?.namedChildren.filter((x): x is Node => x !== null) ?? [];
        names.forEach((name, i) => values[i] && bind(name.text, values[i]!));
        break;
      }
      case 'short_var_declaration':
      case 'assignment_statement': {
        const left = n.childForFieldName('left')?.namedChildren.filter((x): x is Node => x !== null) ?? [];
        const right = n.childForFieldName('right')?.namedChildren.filter((x): x is Node => x !== null) ?? [];
        if (right.length === left.length) left.forEach((l, i) => bind(hooks.refKey(unstar(l)), right[i]!));
        else if (right.length === 1 && left[0]) bind(hooks.refKey(unstar(left[0])), right[0]!); // v, ok := os.LookupEnv("X")
        break;
      }
      case 'function_declaration':
      case 'method_declaration':
        functions.set(n.childForFieldName('name')?.text ?? '', n);
        break;
      case 'call_expression': {
        const fn = n.childForFieldName('function');
        const name = fn?.type === 'identifier' ? fn.text : fn?.type === 'selector_expression' ? fn.childForFieldName('field')?.text : undefined;
        const args = n.childForFieldName('arguments')?.namedChildren.filter((x): x is Node => x !== null && x.type !== 'comment') ?? [];
        if (name) {
          const list = calls.get(name);
          if (list) list.push(args);
          else calls.set(name, [args]);
          if (args.some((a) => a.type === 'unary_expression' && a.childForFieldName('operator')?.text === '&')) setters.push(n);
        }
        break;
      }
    }
  }
  // mustMapEnv(&svc.cartSvcAddr, "CART_SERVICE_ADDR") (Online Boutique): a helper that stores an env var into a
  // pointer. Counted only when the helper is in this file and reads the environment.
  for (const call of setters) {
    const fn = call.childForFieldName('function')!;
    const name = fn.type === 'identifier' ? fn.text : fn.childForFieldName('field')?.text ?? '';
    const decl = functions.get(name);
    if (!decl || !/os\.(Getenv|LookupEnv)\(/.test(decl.text)) continue;
    const args = call.childForFieldName('arguments')!.namedChildren.filter((x): x is Node => x !== null);
    const ref = args.find((a) => a.type === 'unary_expression' && a.childForFieldName('operator')?.text === '&');
    const envArg = args.find((a) => a !== ref && hooks.literal(a) && /^[A-Z][A-Z0-9_]*$/.test(hooks.literal(a)!.text));
    if (ref && envArg) bind(hooks.refKey(ref.childForFieldName('operand')!), { kind: 'env', name: hooks.literal(envArg)!.text, at: rangeOf(envArg) });
  }
  return { bindings, calls };
}

function unstar(node: Node): Node {
  return node.type === 'unary_expression' && node.childForFieldName('operand') ? node.childForFieldName('operand')! : node;
}
