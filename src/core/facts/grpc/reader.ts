// The table-driven gRPC reader: one walk over the tree collects the file's scope and the calls that match a
// row of the language table; once the scope is known, each match becomes a fact record (a dial site, a server,
// a listen address, a removed API, a resolver registration, a shutdown timeout). Everything language-specific
// comes from the table (table.ts); the records are plain data (shapes.ts).
import type { Node } from 'web-tree-sitter';
import { escapeRegExp } from '../../text.js';
import { listLayout } from './layout.js';
import { durationMs, optionMs, plainData, valueHooks } from './scope.js';
import { readServiceConfig } from './service-config.js';
import type { Alt, Range } from './value.js';
import { Evaluator, rangeOf } from './value.js';
import { walkCode, type CodeWalk } from './walk.js';
import type { DialSite, GrpcFacts, KuberesolverUse, OptionsLayout, ServerSite } from './shapes.js';
import {
  matches,
  type CallNode,
  type ChannelOptionRow,
  type DialRow,
  type LanguageTable,
  type OptionEntry,
  type OptionForm,
  type OptionsAt,
  type ReadContext,
  type ServerRow,
} from './table.js';
import { pushTo } from '../../multimap.js';

type Table = LanguageTable;
type Match =
  | { kind: 'server'; row: ServerRow }
  | { kind: 'dial'; row: DialRow }
  | { kind: 'listen'; row: Table['listens'][number] }
  | { kind: 'removed'; row: NonNullable<Table['removedApis']>[number] }
  | { kind: 'register'; row: NonNullable<Table['kuberesolver']>['registers'][number] }
  | { kind: 'timeout'; row: NonNullable<Table['shutdownTimeouts']>['calls'][number] }
  | { kind: 'ageLiteral'; type: string };

/** `walked`: the file's walk when it is shared with the server reader (facts/code.ts); else the reader walks. */
export function readGrpc(table: Table, root: Node, text: string, walked: CodeWalk = walkCode(table, root, text)): GrpcFacts {
  const { syntax } = table;
  const found: { call: CallNode; candidates: Match[] }[] = [];
  for (const call of walked.calls) {
    const candidates = candidatesOf(table, call);
    if (candidates.length > 0) found.push({ call, candidates });
  }
  const { scope } = walked;
  const ev = new Evaluator(valueHooks(table, scope), scope);
  const ctx: ReadContext = { syntax, text, scope, ev };

  const facts: GrpcFacts = {
    language: table.language,
    dials: [],
    servers: [],
    shutdownTimeouts: [],
    removedApis: [],
    imports: walked.imports,
  };
  const servers: { call: CallNode; row: ServerRow }[] = [];
  const listens: Alt[] = [];
  const ageLiterals = new Map<string, CallNode[]>();
  const registers: KuberesolverUse['registers'] = [];
  const timeouts: Node[] = [];
  for (const { call, candidates } of found) {
    const match = candidates.find((m) => {
      const when = 'row' in m && 'when' in m.row ? m.row.when : undefined;
      return !when || when(call, ctx);
    });
    if (!match) continue;
    switch (match.kind) {
      case 'dial': {
        const site = readDial(table, call, match.row, ctx);
        if (site) facts.dials.push(site);
        break;
      }
      case 'server':
        servers.push({ call, row: match.row });
        break;
      case 'listen': {
        const arg = call.args[match.row.arg];
        if (arg) listens.push(...ev.evaluate(arg));
        break;
      }
      case 'removed': {
        const arg = match.row.policyArg === undefined ? undefined : call.args[match.row.policyArg];
        const policy = arg ? ev.plainLiteral(arg) : undefined;
        facts.removedApis.push(
          policy === undefined ? { api: match.row.api, at: rangeOf(call.node) } : { api: match.row.api, at: rangeOf(call.node), policy },
        );
        break;
      }
      case 'register': {
        const row = match.row;
        const arg = 'schemeArg' in row ? call.args[row.schemeArg] : undefined;
        const scheme = 'scheme' in row ? row.scheme : arg ? syntax.literal(arg)?.text : 'kubernetes';
        if (scheme) registers.push({ scheme, at: rangeOf(call.node) });
        break;
      }
      case 'timeout': {
        const arg = call.args[match.row.arg];
        if (arg) timeouts.push(arg);
        break;
      }
      case 'ageLiteral':
        pushTo(ageLiterals, match.type, call);
        break;
    }
  }
  for (const { call, row } of servers) facts.servers.push(readServer(table, call, row, ctx, listens, ageLiterals));
  const kuberesolver = table.kuberesolver && kuberesolverUse(table.kuberesolver.importPath, facts.imports.entries, registers);
  if (kuberesolver) facts.kuberesolver = kuberesolver;
  const shutdown = table.shutdownTimeouts;
  // A timeout counts as a shutdown budget only next to a shutdown call.
  if (shutdown?.when.test(text)) {
    for (const t of timeouts) {
      const ms = durationMs(t, syntax, shutdown.unit);
      if (ms !== undefined) facts.shutdownTimeouts.push({ seconds: ms / 1000, at: rangeOf(t) });
    }
  }
  return facts;
}

/** The rows a call may be, in the order they win (servers before dials: a grpc-js Server is no client). */
function candidatesOf(table: Table, call: CallNode): Match[] {
  const out: Match[] = [];
  const fits = (row: { call: string | RegExp; kind?: CallNode['kind'] }) =>
    (row.kind ?? 'call') === call.kind && matches(row.call, call.callee);
  for (const row of table.servers) {
    if (fits(row)) out.push({ kind: 'server', row });
    if (row.ageLiteral && call.kind === 'new' && call.callee === row.ageLiteral.type)
      out.push({ kind: 'ageLiteral', type: row.ageLiteral.type });
  }
  for (const row of table.dials) if (fits(row)) out.push({ kind: 'dial', row });
  for (const row of table.listens) if (fits(row)) out.push({ kind: 'listen', row });
  for (const row of table.removedApis ?? []) if (fits(row)) out.push({ kind: 'removed', row });
  for (const row of table.kuberesolver?.registers ?? []) if (fits(row)) out.push({ kind: 'register', row });
  for (const row of table.shutdownTimeouts?.calls ?? []) if (fits(row)) out.push({ kind: 'timeout', row });
  return out;
}

function apiOf(row: DialRow | ServerRow, call: CallNode): string {
  if (typeof row.api === 'function') return row.api(call);
  return row.api ?? (call.kind === 'new' ? `new ${call.callee}` : call.callee);
}

function readDial(table: Table, call: CallNode, row: DialRow, ctx: ReadContext): DialSite | undefined {
  const { ev, syntax } = ctx;
  const t = row.target;
  const configured = typeof t === 'object' && 'configKey' in t ? configTarget(call, t, ctx) : undefined;
  const target =
    typeof t === 'number'
      ? call.args[t]
      : 'keyword' in t
        ? (call.keywords.get(t.keyword) ?? call.args[t.arg])
        : 'host' in t
          ? call.args[t.host]
          : 'find' in t
            ? t.find(call, syntax)
            : configured?.node;
  if (!target) return undefined;
  let targetAt = rangeOf(target);
  let targets = configured ? configured.targets : ev.evaluate(target);
  const port = typeof t === 'object' && 'port' in t ? call.args[t.port] : undefined;
  if (port) {
    // forAddress(host, port): every host alternative joined with every port alternative.
    targetAt = [target.startIndex, port.endIndex];
    const ports = ev.evaluate(port);
    const at = targetAt;
    targets = targets.flatMap((h) =>
      ports.map((p) => ({
        parts: h.parts && p.parts ? [...h.parts, { kind: 'lit' as const, text: ':', at: h.at }, ...p.parts] : null,
        at,
      })),
    );
  }
  const site: DialSite = {
    language: table.language,
    api: apiOf(row, call),
    call: rangeOf(call.node),
    targetAt,
    targets,
    defaultScheme: row.defaultScheme ?? 'dns',
    lb: [],
    lbUnknown: false,
    serviceConfigs: [],
    disableServiceConfig: false,
    refreshInterval: table.refreshInterval?.test(ctx.text) ?? false,
  };
  const options = row.options ? readOptions(call, row.options, ctx) : undefined;
  if (options?.layout) site.options = options.layout;
  for (const entry of options?.entries ?? []) {
    const meaning = Object.hasOwn(table.channelOptions, entry.name) ? table.channelOptions[entry.name] : undefined;
    if (meaning) applyChannelOption(site, entry, meaning, table, ctx);
  }
  if (options?.opaque && site.lb.length === 0 && (table.lbHint?.test(ctx.text) ?? true)) site.lbUnknown = true;
  if (row.channelArgs) site.channelArgs = true;
  if (row.httpTargets) site.httpTargets = true;
  if (row.oneConnectionUnlessBalanced && site.lb.length === 0 && !site.lbUnknown) site.oneConnection = true;
  if (row.defaultPolicy && site.lb.length === 0) site.lb.push({ policy: row.defaultPolicy, via: 'apiDefault', at: site.call });
  if (row.policyKeys && configured) site.policyKeys = { keys: row.policyKeys(configured.name), dialect: configured.dialect };
  return site;
}

/** A target named by a config key (`@GrpcClient("orders")` → `grpc.client.orders.address`): one config part at the name. */
function configTarget(call: CallNode, t: Extract<DialRow['target'], { configKey: unknown }>, ctx: ReadContext) {
  const node = call.args[t.nameArg];
  const name = node ? ctx.ev.plainLiteral(node) : undefined;
  if (!node || !name) return undefined;
  const at = rangeOf(node);
  const targets: Alt[] = [{ parts: [{ kind: 'config', dialect: t.dialect, key: t.configKey(name), at }], at }];
  return { node, name, dialect: t.dialect, targets };
}

function applyChannelOption(site: DialSite, entry: OptionEntry, meaning: ChannelOptionRow, table: Table, ctx: ReadContext): void {
  const { syntax } = ctx;
  const value = entry.value;
  switch (meaning.sets) {
    case 'serviceConfig': {
      if (!value) return;
      const json = jsonText(value, table, ctx);
      if (!json) {
        site.lbUnknown = true;
        return;
      }
      const at = meaning.reportAt === 'literal' && json.at ? json.at : rangeOf(value);
      site.serviceConfigs.push({ json: json.text, at, option: entry.name });
      const reading = readServiceConfig(json.text);
      // grpc-js parses the deprecated loadBalancingPolicy but never reads it (docs/evidence/grpc-balancing.md §4).
      if (reading.policy && !(meaning.legacyIgnored && reading.error?.kind === 'legacy'))
        site.lb.push({ policy: reading.policy, via: 'serviceConfig', at });
      return;
    }
    case 'lbPolicy': {
      if (!value) return;
      const policy = syntax.literal(value)?.text;
      if (policy) site.lb.push({ policy, via: meaning.via, at: meaning.reportAt === 'entry' ? entry.at : rangeOf(value) });
      else if (meaning.unreadable === 'unknown') site.lbUnknown = true;
      return;
    }
    case 'lbPolicyObjects': {
      if (!value) return;
      // The value is the policy object (`RoundRobinLoadBalancerFactory.getInstance()`), or a list of them.
      const own = syntax.call(value);
      const first =
        own && policyOf(meaning.policies, own.callee)
          ? value
          : value.namedChildren.find((c) => c !== null && syntax.call(c)?.kind === 'new');
      const policy = first ? policyOf(meaning.policies, syntax.call(first)!.callee) : undefined;
      if (policy) site.lb.push({ policy, via: meaning.via, at: rangeOf(first!) });
      else site.lbUnknown = true;
      return;
    }
    case 'unknown':
      if (!meaning.unlessConstructed || (value && syntax.call(value)?.kind !== 'new')) site.lbUnknown = true;
      return;
    case 'disableServiceConfig':
      site.disableServiceConfig = true;
      return;
    case 'resolvers':
      site.withResolvers = entry.at;
      return;
    case 'ignoredLbPolicyName':
      site.lbPolicyNameOption = { at: entry.keyAt ?? entry.at, value: value ? syntax.literal(value)?.text : undefined, pair: entry.at };
      return;
  }
}

/** The policy of an object's type or factory call, also when written with its package (`io.grpc.util.X.getInstance`). */
function policyOf(policies: Readonly<Record<string, string>>, callee: string): string | undefined {
  const key = Object.keys(policies).find((k) => callee === k || callee.endsWith(`.${k}`));
  return key === undefined ? undefined : policies[key];
}

/** The JSON a service-config value holds: a serialiser of plain data, or a string constant (and where it is written). */
function jsonText(value: Node, table: Table, ctx: ReadContext): { text: string; at?: Range } | undefined {
  const call = ctx.syntax.call(value);
  if (call?.kind === 'call' && table.jsonSerializers.includes(call.callee)) {
    const data = call.args[0] ? plainData(call.args[0], ctx.syntax) : undefined;
    return data === undefined ? undefined : { text: JSON.stringify(data) };
  }
  const lit = ctx.ev.singleLiteral(value);
  if (!lit) return undefined;
  // A literal written right at the option is reported with its quotes; one from a constant, where it is.
  return { text: lit.text, at: lit.at[0] >= value.startIndex && lit.at[1] <= value.endIndex ? rangeOf(value) : lit.at };
}

interface OptionsRead {
  entries: OptionEntry[];
  /** Some options are not written out here. */
  opaque: boolean;
  layout?: OptionsLayout;
}

function readOptions(call: CallNode, at: OptionsAt, ctx: ReadContext): OptionsRead {
  const { syntax, text } = ctx;
  const args = call.argList ? listLayout(call.argList, syntax, text) : undefined;
  if ('rest' in at) {
    const entries: OptionEntry[] = [];
    let opaque = false;
    for (const arg of call.args.slice(at.rest)) {
      const read = at.form(arg, syntax);
      if (read) entries.push(...read.entries);
      else opaque = true;
    }
    return { entries, opaque, layout: args && { kind: 'list', list: args } };
  }
  if ('chain' in at) {
    const entries: OptionEntry[] = [];
    for (let link = syntax.chained(call.node); link; link = syntax.chained(link.node)) {
      entries.push({
        name: link.name ?? '',
        value: link.args[0],
        args: link.args,
        at: [link.nameAt?.[0] ?? link.node.startIndex, link.node.endIndex],
      });
    }
    return { entries, opaque: false, layout: at.readOnly ? undefined : { kind: 'chain', end: call.node.endIndex } };
  }
  if ('around' in at) return { entries: at.around(call.node, syntax)?.entries ?? [], opaque: false };
  const node = (at.keyword ? call.keywords.get(at.keyword) : undefined) ?? (at.arg === undefined ? undefined : call.args[at.arg]);
  if (!node) return { entries: [], opaque: false, layout: args && { kind: 'none', args } };
  const read = at.form(node, syntax) ?? heldInVariable(node, at.form, ctx);
  if (!read) return { entries: [], opaque: true, layout: { kind: 'opaque', at: rangeOf(node) } };
  return {
    entries: read.entries,
    opaque: read.opaque ?? false,
    layout: read.list ? { kind: 'list', list: listLayout(read.list, syntax, text) } : undefined,
  };
}

/**
 * Options held in a variable of this file (`var opts = new List<ChannelOption> { … }; new Channel(t, creds, opts)`):
 * read where the variable is written, when it is assigned once and never added to.
 */
function heldInVariable(node: Node, form: OptionForm, ctx: ReadContext): ReturnType<OptionForm> {
  const key = ctx.syntax.refKey(node);
  const bound = key === undefined ? undefined : ctx.scope.bindings.get(key);
  const only = bound?.length === 1 ? bound[0]! : undefined;
  if (!only || Array.isArray(only) || !('type' in only)) return undefined;
  const name = escapeRegExp(key!);
  if (new RegExp(`\\b${name}\\s*(\\+=|\\.\\s*(Add|AddRange|Insert|append|extend|insert|push|unshift|concat)\\s*\\()`).test(ctx.text))
    return undefined;
  return form(only, ctx.syntax);
}

function readServer(
  table: Table,
  call: CallNode,
  row: ServerRow,
  ctx: ReadContext,
  fileListens: Alt[],
  ageLiterals: Map<string, CallNode[]>,
): ServerSite {
  const { syntax, ev } = ctx;
  const options = row.options ? readOptions(call, row.options, ctx) : { entries: [], opaque: false };
  const literals = row.ageLiteral ? (ageLiterals.get(row.ageLiteral.type) ?? []) : [];
  const entries = [
    ...options.entries,
    ...literals.flatMap((l) => (l.initializer ? (row.ageLiteral!.form(l.initializer, syntax)?.entries ?? []) : [])),
  ];
  const age = row.age;
  const read = (name: string) => {
    const entry = entries.find((e) => e.name === name);
    return entry && age ? { ms: optionMs(entry.value, entry.args, syntax, age.unit), at: entry.at } : undefined;
  };
  const maxConnectionAge = age && read(age.maxAge);
  const listenArg = row.listen === undefined ? undefined : call.args[row.listen];
  const site: ServerSite = {
    language: table.language,
    api: apiOf(row, call),
    call: rangeOf(call.node),
    maxConnectionAge,
    maxConnectionAgeGrace: age && read(age.grace),
    // Options assembled out of sight may set the age; options written in this file are visible.
    ageUnknown: !maxConnectionAge && (row.ageOutOfSight ? row.ageOutOfSight(call, ctx) : options.opaque),
    ageUnsupported: !age,
    listens: row.listen === undefined ? fileListens : listenArg ? ev.evaluate(listenArg) : [],
  };
  if (options.layout) site.options = options.layout;
  const ageLiteral = literals[0]?.initializer;
  if (ageLiteral) site.ageOptions = listLayout(ageLiteral, syntax, ctx.text);
  if (row.channelArgs) site.channelArgs = true;
  return site;
}

/** kuberesolver, when the file imports it: its major version and the schemes the file registers. */
function kuberesolverUse(
  importPath: RegExp,
  imports: GrpcFacts['imports']['entries'],
  registers: KuberesolverUse['registers'],
): KuberesolverUse | undefined {
  for (const entry of imports) {
    const m = importPath.exec(entry.module);
    if (m) return { version: m[1] ? Number(m[1]) : 1, importAt: entry.at, registers };
  }
  return undefined;
}
