// Go servers: `http.Server{IdleTimeout, ReadTimeout}` (and later assignments), the calls that serve
// (`http.ListenAndServe`, `srv.ListenAndServe()`, `s.Serve(lis)`, gin/echo/fiber), `signal.Notify` /
// `signal.NotifyContext` and the signals they catch, the drain calls (`Shutdown`, `GracefulStop`) and the timeouts
// that reach them — the deadline of the context passed to `Shutdown`, a timer racing `GracefulStop` in a
// select — never an unrelated `context.WithTimeout` elsewhere (facts §3.2). Also grpc-go keepalive
// `ClientParameters` at dials and `EnforcementPolicy` at servers.
import type { Node } from 'web-tree-sitter';
import { escapeRegExp } from '../../text.js';
import { GO_DURATION, goTable } from '../grpc/go.js';
import { listLayout } from '../grpc/layout.js';
import { durationMs } from '../grpc/scope.js';
import { matches, type CallNode } from '../grpc/table.js';
import { boundNodes, enclosing, rangeOf, resolveNode, setting, within, type LanguageReader, type Walked } from './reader.js';
import type { DrainTimeout, Flag, HttpServerSite, KeepaliveClient, KeepaliveServer, ServerFacts } from './shapes.js';

const FUNCTION = new Set(['function_declaration', 'method_declaration']);
const SERVE_METHODS = new Set(['ListenAndServe', 'ListenAndServeTLS', 'Serve', 'ServeTLS']);

export const goServers: LanguageReader = {
  language: 'go',
  table: goTable,
  types: ['assignment_statement'],
  functionTypes: ['function_declaration'],
  functionName: (node) => (node.type === 'function_declaration' ? node.childForFieldName('name')?.text : undefined),
  read(w, out) {
    for (const call of w.calls) {
      if (call.kind === 'new' && call.callee === 'http.Server' && call.initializer) out.http.push(httpServer(w, call));
      if (call.kind !== 'call') continue;
      readServe(w, call, out);
      if (call.callee === 'signal.Notify' || call.callee === 'signal.NotifyContext') {
        const sigs = call.args.slice(1).flatMap((a) => notifiedSignals(w, a));
        out.signals.push({ signals: sigs.length > 0 ? sigs : ['*'], at: rangeOf(call.node), drains: [] });
      } else if (signalHelper(w, call)) {
        out.signals.push({ signals: ['SIGINT', 'SIGTERM'], at: rangeOf(call.node), drains: [] });
      }
      if (call.receiver && (call.name === 'Shutdown' || call.name === 'ShutdownWithTimeout' || call.name === 'GracefulStop')) {
        out.drainCalls.push({ kind: call.name === 'GracefulStop' ? 'GracefulStop' : 'Shutdown', at: rangeOf(call.node) });
        const timeout = drainTimeout(w, call);
        if (timeout) out.drainTimeouts.push(timeout);
      }
      if (goTable.dials.some((r) => matches(r.call, call.callee))) keepaliveClient(w, call, out);
      if (call.callee === 'grpc.NewServer') keepaliveServer(w, call, out);
    }
    for (const assignment of w.nodes.get('assignment_statement') ?? []) readAssignment(w, assignment, out.http);
  },
};

/**
 * Libraries whose helpers call signal.Notify(SIGINT, SIGTERM) for the program and return a context (or channel)
 * that ends on SIGTERM: the code out of the repository's sight still catches it. The package is matched by its
 * import path (any alias: controller-runtime is usually `ctrl`), the helper by name.
 */
const SIGNAL_HELPERS: { module: RegExp; names: ReadonlySet<string> }[] = [
  { module: /^sigs\.k8s\.io\/controller-runtime(\/pkg\/manager\/signals)?$/, names: new Set(['SetupSignalHandler']) },
  { module: /^k8s\.io\/apiserver\/pkg\/server$/, names: new Set(['SetupSignalHandler', 'SetupSignalContext']) },
  { module: /^knative\.dev\/pkg\/signals$/, names: new Set(['NewContext', 'SetupSignalHandler']) },
  { module: /^github\.com\/dapr\/kit\/signals$/, names: new Set(['Context']) },
];

function signalHelper(w: Walked, call: CallNode): boolean {
  if (!call.receiver || call.name === undefined) return false;
  const name = call.name;
  return SIGNAL_HELPERS.some((h) => h.names.has(name) && w.imports.some((e) => h.module.test(e.module) && qualifies(call, e)));
}

/** The call's qualifier is the import's alias, or the package's own name (the last path element) without one. */
function qualifies(call: CallNode, entry: Walked['imports'][number]): boolean {
  const qualifier = call.receiver!.text;
  if (entry.names) return entry.names.includes(qualifier);
  const segments = entry.module.split('/');
  const last = /^v\d+$/.test(segments.at(-1)!) && segments.length > 1 ? segments.at(-2)! : segments.at(-1)!;
  return qualifier === last.replace(/[^A-Za-z0-9_]/g, '');
}

function httpServer(w: Walked, call: CallNode): HttpServerSite {
  const site: HttpServerSite = { language: 'go', framework: 'go', api: 'http.Server{}', at: rangeOf(call.node), unknown: false };
  for (const [key, value, entry] of keyedFields(call.initializer!)) {
    if (key === 'IdleTimeout') site.idle = setting(w, value, entry, GO_DURATION);
    if (key === 'ReadTimeout') site.readTimeout = setting(w, value, entry, GO_DURATION);
  }
  site.place = { kind: 'fields', list: listLayout(call.initializer!, w.syntax, w.text) };
  const decl = enclosing(call.node, new Set(['short_var_declaration', 'var_spec', 'assignment_statement']));
  const name = decl?.childForFieldName('left')?.namedChild(0) ?? decl?.childForFieldName('name');
  if (name && within(call.node, decl!.childForFieldName('right') ?? decl!.childForFieldName('value') ?? decl!)) site.variable = name.text;
  return site;
}

/** `srv.IdleTimeout = 90 * time.Second` after the literal. */
function readAssignment(w: Walked, assignment: Node, sites: HttpServerSite[]): void {
  const left = assignment.childForFieldName('left')?.namedChild(0);
  const right = assignment.childForFieldName('right')?.namedChild(0);
  if (left?.type !== 'selector_expression' || !right) return;
  const field = left.childForFieldName('field')?.text;
  const owner = sites.find((s) => s.variable === left.childForFieldName('operand')?.text);
  if (!owner || (field !== 'IdleTimeout' && field !== 'ReadTimeout')) return;
  const value = setting(w, right, assignment, GO_DURATION);
  if (field === 'IdleTimeout') owner.idle = value;
  else owner.readTimeout = value;
}

function readServe(w: Walked, call: CallNode, out: ServerFacts): void {
  const background = isBackground(call.node);
  if (call.callee === 'http.ListenAndServe' || call.callee === 'http.ListenAndServeTLS') {
    out.serves.push({ kind: 'http', api: call.callee, at: rangeOf(call.node), background, canShutdown: false });
    return;
  }
  if (!call.receiver || !call.name) return;
  const made = (test: RegExp) => resolveNode(w, call.receiver!, (n) => test.test(w.syntax.call(n)?.callee ?? ''));
  if (call.name === 'Run' && made(/^gin\.(Default|New)$/)) {
    out.serves.push({ kind: 'http', api: `${call.receiver.text}.Run`, at: rangeOf(call.node), background, canShutdown: false });
  } else if ((call.name === 'Start' && made(/^echo\.New$/)) || (call.name === 'Listen' && made(/^fiber\.New$/))) {
    out.serves.push({ kind: 'http', api: `${call.receiver.text}.${call.name}`, at: rangeOf(call.node), background, canShutdown: true });
  } else if (SERVE_METHODS.has(call.name)) {
    const grpc =
      made(/^grpc\.NewServer$/) !== undefined ||
      (call.name === 'Serve' && !made(/^http\.Server$/) && w.calls.some((c) => c.callee === 'grpc.NewServer'));
    out.serves.push({
      kind: grpc ? 'grpc' : 'http',
      api: `${call.receiver.text}.${call.name}`,
      at: rangeOf(call.node),
      background,
      canShutdown: true,
    });
  }
}

function isBackground(node: Node): boolean {
  for (let p = node.parent; p && !FUNCTION.has(p.type); p = p.parent) if (p.type === 'go_statement') return true;
  return false;
}

/**
 * The signals one argument of signal.Notify names: a constant (`syscall.SIGTERM`, `os.Interrupt`), or a variable
 * (spread or not: `shutdownSignals...`) bound once in the file to a `[]os.Signal{…}` literal. `*` when it cannot
 * be told (a parameter, another package's variable): it may well be SIGTERM, and the rules stay quiet.
 */
function notifiedSignals(w: Walked, arg: Node): string[] {
  const text = arg.text.replace(/\.\.\.$/, '').trim();
  const constant = /^(?:syscall|unix|os)\.[A-Za-z_]\w*$/;
  if (constant.test(text)) return [signalName(text)];
  const bound = w.scope.bindings.get(text);
  const only = bound?.length === 1 ? bound[0]! : undefined;
  if (only && !Array.isArray(only) && 'type' in only && only.type === 'composite_literal') {
    const body = only.childForFieldName('body');
    const elements = body?.namedChildren.filter((c): c is Node => c !== null).map((c) => c.text.trim()) ?? [];
    if (elements.length > 0) return elements.map((e) => (constant.test(e) ? signalName(e) : '*'));
  }
  return ['*'];
}

function signalName(text: string): string {
  if (/^(os\.)?Interrupt$/.test(text)) return 'SIGINT';
  const m = /(SIG[A-Z]+)$/.exec(text);
  return m ? m[1]! : text;
}

/**
 * The deadline that bounds a drain call: `Shutdown(ctx)` whose `ctx` comes from `context.WithTimeout(…, d)` (or
 * `WithDeadline(…, time.Now().Add(d))`) in the same function; `ShutdownWithTimeout(d)`; a `time.After(d)` /
 * `NewTimer(d)` in a select that then calls `Stop()`, or `time.AfterFunc(d, s.Stop)`, next to `GracefulStop`.
 */
function drainTimeout(w: Walked, call: CallNode): DrainTimeout | undefined {
  const fn = outermostFunction(call.node);
  if (call.name === 'ShutdownWithTimeout') return timeoutOf(w, call.args[0], 'Shutdown deadline');
  if (call.name === 'Shutdown') {
    const ctx = call.args[0];
    if (ctx?.type !== 'identifier' || !fn) return undefined;
    let best: Node | undefined;
    for (const decl of fn.descendantsOfType(['short_var_declaration', 'assignment_statement', 'var_spec'])) {
      if (!decl || decl.startIndex > call.node.startIndex) continue;
      const names = decl.childForFieldName('left')?.namedChildren ?? decl.childrenForFieldName('name');
      if (names.some((n) => n?.text === ctx.text)) best = decl;
    }
    const value = (best?.childForFieldName('right') ?? best?.childForFieldName('value'))?.namedChild(0);
    const made = value ? w.syntax.call(value) : undefined;
    if (made?.callee === 'context.WithTimeout') return timeoutOf(w, made.args[1], 'Shutdown deadline');
    if (made?.callee === 'context.WithDeadline') {
      const add = made.args[1] && w.syntax.call(made.args[1]);
      if (add?.name === 'Add' && /^time\.Now\(\)/.test(add.receiver?.text ?? '')) return timeoutOf(w, add.args[0], 'Shutdown deadline');
    }
    return undefined;
  }
  if (!fn || !call.receiver) return undefined;
  // The timer must stop this server (`s.Stop()`), not a ticker or another select's work.
  const server = escapeRegExp(call.receiver.text);
  const stops = new RegExp(`(^|[^\\w.])${server}\\.Stop\\b`);
  for (const c of w.calls) {
    if (!within(c.node, fn) || c.kind !== 'call') continue;
    if (c.callee === 'time.AfterFunc' && stops.test(c.args[1]?.text ?? '')) return timeoutOf(w, c.args[0], 'GracefulStop timer');
    if (
      (c.callee === 'time.After' || c.callee === 'time.NewTimer') &&
      stops.test(enclosing(c.node, new Set(['select_statement']))?.text ?? '')
    ) {
      return timeoutOf(w, c.args[0], 'GracefulStop timer');
    }
  }
  return undefined;
}

function timeoutOf(w: Walked, node: Node | undefined, what: string): DrainTimeout | undefined {
  if (!node) return undefined;
  const ms = durationMs(node, w.syntax, GO_DURATION) ?? durationOfBound(w, node);
  return ms !== undefined && ms > 0 ? { seconds: ms / 1000, at: rangeOf(node), what } : undefined;
}

/** A named duration constant (`shutdownTimeout`). */
function durationOfBound(w: Walked, node: Node): number | undefined {
  for (const b of boundNodes(w, w.syntax.refKey(node))) {
    const ms = durationMs(b, w.syntax, GO_DURATION);
    if (ms !== undefined) return ms;
  }
  return undefined;
}

function outermostFunction(node: Node): Node | undefined {
  let found: Node | undefined;
  for (let p = node.parent; p; p = p.parent) if (FUNCTION.has(p.type)) found = p;
  return found;
}

/** `T{Key: value, …}`: key, value expression (inside its literal_element) and the whole element. */
function keyedFields(body: Node): [string, Node, Node][] {
  const out: [string, Node, Node][] = [];
  for (const el of body.namedChildren) {
    if (el?.type !== 'keyed_element') continue;
    const [k, v] = [el.namedChild(0), el.namedChild(1)];
    const value = v?.type === 'literal_element' ? v.namedChild(0) : v;
    if (k && value) out.push([k.text, value, el]);
  }
  return out;
}

/** The composite literal a `grpc.WithX(arg)` option names (written there, or bound to a variable). */
function optionLiteral(w: Walked, call: CallNode, option: string, type: string): { literal?: Node; found: boolean } {
  const direct = call.args.map((a) => w.syntax.call(a)).find((c) => c?.callee === option);
  const anywhere =
    direct ??
    (call.args.some((a) => a.type === 'variadic_argument' || a.type === 'identifier')
      ? single(w.calls.filter((c) => c.callee === option))
      : undefined);
  if (!anywhere) return { found: false };
  const arg = anywhere.args[0];
  const literal = arg && resolveNode(w, arg, (n) => n.type === 'composite_literal' && w.syntax.call(n)?.callee === type);
  return { literal: literal && w.syntax.call(literal)?.initializer, found: true };
}

function single<T>(list: T[]): T | undefined {
  return list.length === 1 ? list[0] : undefined;
}

function keepaliveClient(w: Walked, call: CallNode, out: ServerFacts): void {
  const { literal, found } = optionLiteral(w, call, 'grpc.WithKeepaliveParams', 'keepalive.ClientParameters');
  if (!found) return;
  const client: KeepaliveClient = { call: rangeOf(call.node), opaque: !literal };
  for (const [key, value, entry] of literal ? keyedFields(literal) : []) {
    if (key === 'Time') client.time = setting(w, value, entry, GO_DURATION);
    if (key === 'PermitWithoutStream') client.permitWithoutCalls = flag(value);
  }
  out.keepalive.clients.push(client);
}

function keepaliveServer(w: Walked, call: CallNode, out: ServerFacts): void {
  const { literal, found } = optionLiteral(w, call, 'grpc.KeepaliveEnforcementPolicy', 'keepalive.EnforcementPolicy');
  // Options built out of sight (a parameter, a helper) may carry a policy; options written here without one use the defaults.
  const opaque = found
    ? !literal
    : call.args.some((a) => a.type === 'variadic_argument' && boundNodes(w, a.namedChild(0)?.text).length === 0);
  const server: KeepaliveServer = { call: rangeOf(call.node), opaque };
  for (const [key, value, entry] of literal ? keyedFields(literal) : []) {
    if (key === 'MinTime') server.minTime = setting(w, value, entry, GO_DURATION);
    if (key === 'PermitWithoutStream') server.permitWithoutCalls = flag(value);
  }
  out.keepalive.servers.push(server);
}

function flag(value: Node): Flag {
  return { value: value.text === 'true', at: rangeOf(value) };
}
