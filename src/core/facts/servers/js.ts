// Node servers in JavaScript and TypeScript: `http.createServer` / `new http.Server`, Express/Koa/Nest `app.listen`
// (an http.Server underneath), Fastify's factory, their `keepAliveTimeout`/`headersTimeout` (assigned, or as
// options), `process.on('SIGTERM', …)` handlers and what they call, libraries that drain on SIGTERM, and
// grpc-js clients' keepalive channel options. grpc-js servers enforce no ping policy (docs/evidence/
// runtime-grpc-keepalive.md), so their options are not read.
import type { Node } from 'web-tree-sitter';
import { listLayout } from '../grpc/layout.js';
import { jsTable } from '../grpc/js.js';
import type { CallNode } from '../grpc/table.js';
import {
  boundNodes,
  count,
  drainsIn,
  enclosing,
  handlerNodes,
  rangeOf,
  resolveNode,
  setting,
  unwrap,
  within,
  type LanguageReader,
  type Walked,
} from './reader.js';
import type { HttpFramework, HttpServerSite, KeepaliveClient, ServerFacts } from './shapes.js';

const MS = { units: {}, bare: 1 };
const HTTP_MODULES = /^(https?|node:https?)$/;
const SIGNAL_REGISTRATION = /^process\.(on|once|addListener|prependListener|prependOnceListener)$/;
const STATEMENT_PARENTS = new Set(['program', 'statement_block', 'class_body', 'switch_case']);
const FUNCTIONS = new Set([
  'function_declaration',
  'function_expression',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
]);
/** What a SIGTERM handler calls that drains a server. */
const DRAINS: [RegExp, string][] = [
  [/\.close\s*\(/, 'close'],
  [/\.terminate\s*\(/, 'close'],
  [/\btryShutdown\s*\(/, 'tryShutdown'],
];
/** Libraries and framework hooks that close the server on SIGTERM themselves. */
const MANAGED =
  /\.enableShutdownHooks\s*\(|\bcreateTerminus\s*\(|\bcloseWithGrace\s*\(|\bcreateLightship\s*\(|['"](http-graceful-shutdown|fastify-graceful-shutdown|@godaddy\/terminus|close-with-grace|lightship)['"]/;

export const jsServers: LanguageReader = {
  language: 'js',
  table: jsTable,
  types: ['assignment_expression'],
  functionTypes: ['function_declaration', 'generator_function_declaration', 'variable_declarator'],
  functionName(node) {
    if (node.type === 'function_declaration' || node.type === 'generator_function_declaration') return node.childForFieldName('name')?.text;
    if (node.type === 'variable_declarator') {
      const value = node.childForFieldName('value');
      return value && FUNCTIONS.has(value.type) ? node.childForFieldName('name')?.text : undefined;
    }
    return undefined;
  },
  read(w, out) {
    const http = new Map<CallNode, HttpServerSite>();
    for (const call of w.calls) {
      const site = serverSite(w, call);
      if (site) {
        http.set(call, site);
        out.http.push(site);
      }
      if (call.kind === 'call' && SIGNAL_REGISTRATION.test(call.callee)) readSignal(w, call, out);
      if (call.kind === 'new' && call.args[2]) keepaliveClient(w, call, out);
    }
    for (const assignment of w.nodes.get('assignment_expression') ?? []) readAssignment(w, assignment, out.http);
    const managed = MANAGED.exec(w.text);
    if (managed) out.managed = { what: managed[0].replace(/^\.|\s*\($|['"]/g, ''), at: [managed.index, managed.index + managed[0].length] };
  },
};

function serverSite(w: Walked, call: CallNode): HttpServerSite | undefined {
  const { syntax } = w;
  let framework: HttpFramework | undefined;
  let api = call.callee;
  let options: Node | undefined;
  if (call.kind === 'call' && /^(?:(\w+)\.)?createServer$/.test(call.callee)) {
    const owner = /^(\w+)\.createServer$/.exec(call.callee)?.[1];
    if (owner ? !isHttpModule(w, owner) : !w.imports.some((e) => HTTP_MODULES.test(e.module) && e.names?.includes('createServer')))
      return undefined;
    framework = 'node';
    if (call.args[0]?.type === 'object') options = call.args[0];
  } else if (call.kind === 'new' && /^(https?\.)?Server$/.test(call.callee) && isHttpModule(w, call.callee.split('.')[0]!)) {
    framework = 'node';
    api = `new ${call.callee}`;
    if (call.args[0]?.type === 'object') options = call.args[0];
  } else if (call.kind === 'call' && /^(fastify|Fastify)$/.test(call.callee)) {
    framework = 'fastify';
    api = `${call.callee}()`;
    options = call.args[0];
  } else if (call.kind === 'call' && call.name === 'listen' && call.receiver) {
    framework = appFramework(w, call.receiver);
    if (!framework) return undefined;
  } else return undefined;
  const optionsObject = options && resolveNode(w, options, (n) => n.type === 'object');
  const site: HttpServerSite = { language: 'js', framework, api, at: rangeOf(call.node), unknown: options !== undefined && !optionsObject };
  if (optionsObject) {
    if (options === optionsObject) site.options = listLayout(optionsObject, syntax, w.text);
    for (const pair of optionsObject.namedChildren) {
      if (pair?.type === 'spread_element') site.unknown = true;
      if (pair?.type !== 'pair') continue;
      const key = pair.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '');
      const value = pair.childForFieldName('value');
      if (!value) continue;
      if (key === 'keepAliveTimeout') site.idle = setting(w, value, pair, MS);
      if (key === 'headersTimeout') site.headersTimeout = setting(w, value, pair, MS);
      if (key === 'serverFactory') site.unknown = true; // Fastify then uses that server's own timeout
    }
  }
  const holder = holderOf(call.node);
  if (holder) {
    site.variable = holder.variable;
    site.place = {
      kind: 'after',
      offset: holder.statement.endIndex,
      indent: indentOf(w.text, holder.statement.startIndex),
      target: holder.variable,
    };
  }
  // The options object (or a new first argument) is the other place a timeout can go; `after` wins in edits when both exist.
  if (framework === 'node' || framework === 'fastify') {
    if (optionsObject && options === optionsObject) site.place ??= { kind: 'options', list: listLayout(optionsObject, syntax, w.text) };
    else if (!options && call.argList) site.place ??= { kind: 'options', args: listLayout(call.argList, syntax, w.text) };
  }
  return site;
}

/** `express()`, `new Koa()`, `connect()`, `await NestFactory.create(…)` behind the receiver of `.listen(…)`. */
function appFramework(w: Walked, receiver: Node): HttpFramework | undefined {
  let found: HttpFramework | undefined;
  resolveNode(w, receiver, (n) => {
    const c = w.syntax.call(n);
    if (!c) return false;
    if (c.kind === 'call' && /^(express|connect|polka)$/.test(c.callee)) found = 'express';
    else if (c.kind === 'new' && /^Koa$/.test(c.callee)) found = 'koa';
    else if (c.kind === 'call' && c.callee === 'NestFactory.create')
      found = c.args.slice(1).some((a) => /FastifyAdapter/.test(a.text)) ? 'fastify' : 'nest';
    return found !== undefined;
  });
  return found;
}

function isHttpModule(w: Walked, name: string): boolean {
  return w.imports.some((e) => HTTP_MODULES.test(e.module)) && boundOrImported(w, name);
}

/** `http` names the module when it is imported/required under that name (or is the bare module name). */
function boundOrImported(w: Walked, name: string): boolean {
  if (/^https?$/.test(name)) return true;
  return boundNodes(w, name).some((n) => /require\(\s*['"](node:)?https?['"]\s*\)/.test(n.text));
}

/** The variable a server is stored in, and the statement that stores it (through `.listen(…)` chains and `await`). */
function holderOf(node: Node): { variable: string; statement: Node } | undefined {
  let n = node;
  for (let i = 0; i < 6 && n.parent; i++) {
    const p = n.parent;
    if (p.type === 'member_expression' && p.childForFieldName('property')?.text === 'listen' && p.parent?.type === 'call_expression')
      n = p.parent;
    else if (p.type === 'await_expression' || p.type === 'parenthesized_expression') n = p;
    else break;
  }
  const p = n.parent;
  let variable: string | undefined;
  if (p?.type === 'variable_declarator' && p.childForFieldName('value')?.id === n.id)
    variable = p.childForFieldName('name')?.type === 'identifier' ? p.childForFieldName('name')!.text : undefined;
  else if (p?.type === 'assignment_expression' && p.childForFieldName('right')?.id === n.id) variable = p.childForFieldName('left')?.text;
  if (!variable) return undefined;
  let statement: Node | undefined = p!;
  while (statement && statement.parent && !STATEMENT_PARENTS.has(statement.parent.type)) statement = statement.parent;
  return statement ? { variable, statement } : undefined;
}

/** `server.keepAliveTimeout = 65_000`, `app.server.headersTimeout = …`, `app.getHttpServer().keepAliveTimeout = …`. */
function readAssignment(w: Walked, assignment: Node, sites: HttpServerSite[]): void {
  const left = assignment.childForFieldName('left');
  const right = assignment.childForFieldName('right');
  if (left?.type !== 'member_expression' || !right) return;
  const property = left.childForFieldName('property')?.text;
  if (property !== 'keepAliveTimeout' && property !== 'headersTimeout') return;
  const object = left.childForFieldName('object')!.text.replace(/\s+/g, '');
  const owner =
    sites.find((s) => s.variable !== undefined && (object === s.variable || object.startsWith(`${s.variable}.`))) ??
    (sites.length === 1 ? sites[0] : undefined);
  if (!owner) return;
  const value = setting(w, right, enclosing(assignment, new Set(['expression_statement'])) ?? assignment, MS);
  if (property === 'keepAliveTimeout') owner.idle = value;
  else owner.headersTimeout = value;
}

function readSignal(w: Walked, call: CallNode, out: ServerFacts): void {
  const [signalArg, handler] = call.args;
  if (!signalArg) return;
  const literal = w.syntax.literal(signalArg)?.text;
  // `['SIGINT', 'SIGTERM'].forEach((s) => process.on(s, stop))`: the signals are written around the call.
  const around = enclosing(call.node, new Set(['expression_statement', 'for_in_statement']))?.text ?? '';
  const signals = literal ? [literal] : [...new Set(around.match(/SIG[A-Z]+/g) ?? [])];
  if (signals.length === 0) return;
  const code = handlerNodes(w, handler);
  out.signals.push({ signals, at: rangeOf(call.node), drains: drainsIn(w, code, DRAINS) });
  if (!signals.includes('SIGTERM')) return;
  // A forced exit after N ms in the handler bounds the drain: `setTimeout(() => process.exit(1), 10_000)`.
  for (const c of w.calls) {
    if (c.kind !== 'call' || c.callee !== 'setTimeout' || !c.args[1] || !code.some((n) => within(c.node, n))) continue;
    if (!/process\.exit\s*\(/.test(c.args[0]?.text ?? '')) continue;
    const ms = count(w, c.args[1]);
    if (ms !== undefined && ms > 0) out.drainTimeouts.push({ seconds: ms / 1000, at: rangeOf(c.args[1]), what: 'exit timer' });
  }
}

/** `new OrdersClient(target, creds, { 'grpc.keepalive_time_ms': 10000, … })`. */
function keepaliveClient(w: Walked, call: CallNode, out: ServerFacts): void {
  const options = resolveNode(w, call.args[2]!, (n) => n.type === 'object');
  if (!options || !/grpc\.keepalive_time_ms|grpc\.keepalive_permit_without_calls/.test(options.text)) return;
  const client: KeepaliveClient = { call: rangeOf(call.node), opaque: false };
  for (const pair of options.namedChildren) {
    if (pair?.type === 'spread_element') client.opaque = true;
    if (pair?.type !== 'pair') continue;
    const key = w.syntax.literal(pair.childForFieldName('key')!)?.text ?? pair.childForFieldName('key')!.text;
    const value = pair.childForFieldName('value');
    if (!value) continue;
    if (key === 'grpc.keepalive_time_ms') client.time = setting(w, value, pair, MS);
    if (key === 'grpc.keepalive_permit_without_calls') {
      const n = count(w, unwrap(w, value));
      client.permitWithoutCalls = { value: n !== undefined ? n !== 0 : value.text === 'true', at: rangeOf(value) };
    }
  }
  out.keepalive.clients.push(client);
}

function indentOf(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}
