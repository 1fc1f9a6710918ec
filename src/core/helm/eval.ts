// The evaluator: executes parsed templates as Go's text/template does (exec.go) — pipelines, variables and
// their scopes, if/with/range/break/continue, named templates, Helm's include and tpl — over Vals, writing
// into an Out so that every rendered character keeps its origin. Unknown conditions take the first branch
// and mark it uncertain.

import type { Arg, Define, Node, Pipe, Span } from './ast.js';
import { TplError, unknown, type CallCtx } from './call.js';
import { lookupFunc } from './funcs.js';
import { printValue } from './gofmt.js';
import { Abort, Budget, LIMITS, Out } from './output.js';
import { andOr, range } from './eval-control.js';
import { Ctx, include, tpl } from './eval-named.js';
import { trackOf } from './tracked.js';
import type { Diagnostic, DiagnosticKind, Origin } from './types.js';
import { child, getKey, goType, isMap, NIL, truth, Unknown, type Val } from './value.js';

/** A method of a built-in object (.Files.Get, .Capabilities.APIVersions.Has). */
export type Method = (c: CallCtx, args: Val[]) => Val;

export interface EngineEnv {
  defines: Map<string, Define>;
  diags: Diagnostic[];
  /** Placeholder id → reason, shared by every template of a chart render. */
  reasons: Map<number, string>;
  /** Diagnostics already reported (a helper used by every template reports once). */
  seen: Set<string>;
  counter: { n: number };
}

export interface Frame {
  file: string;
  vars: { name: string; val: Val }[];
}

const NO_ARGS: Arg[] = [];
import { BREAK, CONTINUE, NORMAL, type Flow } from './flow.js';
export { BREAK, CONTINUE, NORMAL, type Flow };

export class Engine {
  readonly budget = new Budget();
  /** @internal While rendering a tpl string: where its diagnostics are reported. */
  redirect: { file: string; start: number; end: number } | undefined;

  constructor(
    readonly env: EngineEnv,
    readonly templateName: string,
  ) {}

  readonly ph = (u: Unknown): string => {
    const id = ++this.env.counter.n;
    this.env.reasons.set(id, u.reason);
    return `__kc_unknown_${id}__`;
  };

  diag(file: string, start: number, end: number, message: string, kind: DiagnosticKind): void {
    if (this.redirect) {
      ({ file, start, end } = this.redirect);
      message = `tpl: ${message}`;
    }
    const key = `${file}\0${start}\0${end}\0${message}`;
    if (this.env.seen.has(key)) return;
    this.env.seen.add(key);
    this.env.diags.push({ file, start, end, message, kind });
  }

  /** @internal */
  step(): void {
    if (++this.budget.steps > LIMITS.steps) this.budget.fail(`rendering took more than ${LIMITS.steps} steps`);
  }

  /** Render nodes with `dot` as both dot and $. */
  render(nodes: Node[], file: string, dot: Val, out: Out): void {
    this.execList(nodes, { file, vars: [{ name: '$', val: dot }] }, dot, out);
  }

  /** @internal */
  execList(nodes: Node[], f: Frame, dot: Val, out: Out): Flow {
    for (const n of nodes) {
      this.step();
      if (n.t === 'text') {
        out.lit(n.text, f.file, n.start);
        continue;
      }
      if (this.redirect) {
        this.budget.atFile = this.redirect.file;
        this.budget.at = this.redirect;
      } else {
        this.budget.atFile = f.file;
        this.budget.at = n;
      }
      const expr = (): Origin => ({ kind: 'expression', file: f.file, start: n.start, end: n.end });
      switch (n.t) {
        case 'action': {
          const v = this.pipeSafe(n.pipe, f, dot, n, true);
          if (n.pipe.decl.length === 0) {
            const text = printValue(v, this.ph);
            if (text) out.put(text, trackOf(v, text), expr());
          }
          break;
        }
        case 'if':
        case 'with': {
          const mark = f.vars.length;
          const c = this.pipeSafe(n.pipe, f, dot, n, true);
          const t = truth(c.v);
          let flow: Flow = NORMAL;
          if (t === undefined) {
            const start = out.len;
            flow = this.execList(n.list, f, n.t === 'with' ? c : dot, out);
            out.region(start, out.len, `{{${n.t}}} on an unknown value: ${(c.v as Unknown).reason}`);
          } else if (t) flow = this.execList(n.list, f, n.t === 'with' ? c : dot, out);
          else if (n.elseList) flow = this.execList(n.elseList, f, dot, out);
          f.vars.length = mark;
          if (flow !== NORMAL) return flow;
          break;
        }
        case 'range': {
          const flow = range(this, n, f, dot, out);
          if (flow !== NORMAL) return flow;
          break;
        }
        case 'template': {
          const data = n.pipe ? this.pipeSafe(n.pipe, f, dot, n, false) : NIL;
          const d = this.env.defines.get(n.name);
          if (!d) {
            this.diag(f.file, n.start, n.end, `no template ${JSON.stringify(n.name)} associated with template`, 'eval');
            out.put(this.ph(new Unknown(`missing template ${n.name}`)), undefined, expr());
            break;
          }
          this.enter(n.name);
          try {
            this.execList(d.body, { file: d.file, vars: [{ name: '$', val: data }] }, data, out);
          } finally {
            this.budget.depth--;
          }
          break;
        }
        case 'break':
          return BREAK;
        case 'continue':
          return CONTINUE;
        case 'error':
          out.put(this.ph(new Unknown(`template syntax error: ${n.message}`)), undefined, expr());
          break;
      }
    }
    return NORMAL;
  }

  /** @internal Count one nested template call (include, template, tpl); fails past the depth limit. */
  enter(name: string): void {
    if (++this.budget.depth > LIMITS.depth) {
      this.budget.depth--;
      this.budget.fail(
        `template ${JSON.stringify(name)} nested more than ${LIMITS.depth} deep (recursive include?) while rendering ${this.templateName}`,
      );
    }
  }

  /** @internal */
  declare(f: Frame, name: string, v: Val, assign: boolean, at: Span): void {
    if (assign) {
      for (let i = f.vars.length - 1; i >= 0; i--) {
        if (f.vars[i]!.name === name) {
          f.vars[i]!.val = v;
          return;
        }
      }
      this.diag(f.file, at.start, at.end, `undefined variable ${JSON.stringify(name)}`, 'eval');
    }
    f.vars.push({ name, val: v });
  }

  /** Evaluate a pipeline; a failure is reported and gives an unknown. Declares its variables if asked. */
  /** @internal */
  pipeSafe(p: Pipe, f: Frame, dot: Val, at: Span, declare: boolean): Val {
    let v: Val;
    if (p.cmds.length === 0) v = unknown('template syntax error');
    else {
      v = this.pipeline(p, f, dot, at);
    }
    if (declare) for (const name of p.decl) this.declare(f, name, v, p.isAssign, at);
    return v;
  }

  /**
   * A command that fails (a missing named template, a bad type) is reported and its value is unknown; the
   * rest of the pipeline still runs on that unknown, so `include "x" . | nindent 8` keeps its newline and
   * indent and the document around it stays YAML.
   */
  private pipeline(p: Pipe, f: Frame, dot: Val, at: Span): Val {
    let v: Val | undefined;
    for (const cmd of p.cmds) {
      try {
        v = this.command(cmd.args, cmd, f, dot, v);
      } catch (e) {
        if (e instanceof Abort || !(e instanceof Error)) throw e;
        // TplError: Helm's own failure; anything else (a string too long, a bad code point…) likewise.
        const message = e instanceof TplError ? e.message : `cannot evaluate: ${e.message}`;
        this.diag(f.file, at.start, at.end, message, 'eval');
        v = unknown(message);
      }
    }
    return v!;
  }

  private command(args: Arg[], at: Span, f: Frame, dot: Val, final: Val | undefined): Val {
    this.step();
    const first = args[0]!;
    const rest = args.length > 1 ? args.slice(1) : NO_ARGS;
    const noArgs = (): void => {
      if (rest.length || final)
        throw new TplError(`can't give argument to non-function ${first.t === 'string' ? JSON.stringify(first.value) : first.t}`);
    };
    switch (first.t) {
      case 'field':
        return this.chain(dot, first.names, rest, final, f, dot, at);
      case 'chain':
        return this.chain(this.arg(first.node, f, dot), first.names, rest, final, f, dot, at);
      case 'var': {
        const v = this.lookupVar(f, first.name);
        if (first.names.length === 0) {
          noArgs();
          return v;
        }
        return this.chain(v, first.names, rest, final, f, dot, at);
      }
      case 'ident':
        return this.call(first.name, first, at, rest, final, f, dot);
      default:
        noArgs();
        return this.arg(first, f, dot);
    }
  }

  private lookupVar(f: Frame, name: string): Val {
    for (let i = f.vars.length - 1; i >= 0; i--) if (f.vars[i]!.name === name) return f.vars[i]!.val;
    throw new TplError(`undefined variable ${JSON.stringify(name)}`);
  }

  private chain(recv: Val, names: string[], args: Arg[], final: Val | undefined, f: Frame, dot: Val, at: Span): Val {
    let cur = recv;
    for (let i = 0; i < names.length; i++) {
      const last = i === names.length - 1;
      const name = names[i]!;
      const hasArgs = last && (args.length > 0 || final !== undefined);
      const r = cur.v;
      if (r instanceof Unknown) return cur;
      if (r === null || r === undefined) return NIL;
      if (!isMap(r)) throw new TplError(`can't evaluate field ${name} in type ${goType(r, cur.float)}`);
      const x = getKey(r, name);
      if (typeof x === 'function') {
        const vals = last ? args.map((a) => this.arg(a, f, dot)) : [];
        if (last && final) vals.push(final);
        cur = (x as Method)(this.ctx(name, f, at), vals);
        continue;
      }
      if (hasArgs) throw new TplError(`${name} is not a method but has arguments`);
      cur = child(r, name);
    }
    return cur;
  }

  /** @internal */
  arg(a: Arg, f: Frame, dot: Val): Val {
    switch (a.t) {
      case 'dot':
        return dot;
      case 'nil':
        return NIL;
      case 'bool':
        return { v: a.value };
      case 'string':
        return { v: a.value };
      case 'number':
        return a.float ? { v: a.value, float: true } : { v: a.value };
      case 'field':
        return this.chain(dot, a.names, [], undefined, f, dot, a);
      case 'var':
        return this.chain(this.lookupVar(f, a.name), a.names, [], undefined, f, dot, a);
      case 'chain':
        return this.chain(this.arg(a.node, f, dot), a.names, [], undefined, f, dot, a);
      case 'pipe':
        return this.pipeline(a.pipe, f, dot, a);
      case 'ident':
        return this.call(a.name, a, a, [], undefined, f, dot);
    }
  }

  /** @internal */
  ctx(name: string, f: Frame, at: Span): CallCtx {
    return new Ctx(this, name, f, at);
  }

  private call(name: string, ident: Span, at: Span, args: Arg[], final: Val | undefined, f: Frame, dot: Val): Val {
    this.step();
    if (name === 'and' || name === 'or') return andOr(this, name, args, final, f, dot, at);
    const fn = name === 'include' || name === 'tpl' ? { min: 2, max: 2 } : lookupFunc(name);
    if (!fn) {
      this.diag(f.file, ident.start, ident.end, `function ${JSON.stringify(name)} not defined`, 'function');
      return unknown(`unknown function ${name}`);
    }
    const vals = args.map((a) => this.arg(a, f, dot));
    if (final) vals.push(final);
    if (vals.length < fn.min || vals.length > fn.max) {
      const want = fn.min === fn.max ? `${fn.min}` : fn.max === Infinity ? `at least ${fn.min}` : `${fn.min} to ${fn.max}`;
      this.diag(f.file, at.start, at.end, `wrong number of args for ${name}: want ${want} got ${vals.length}`, 'function');
      return unknown(`${name} called with wrong arguments`);
    }
    if (name === 'include') return include(this, vals[0]!, vals[1]!, f, at);
    if (name === 'tpl') return tpl(this, vals[0]!, vals[1]!, f, at);
    const r = lookupFunc(name)!.fn(this.ctx(name, f, at), vals);
    if (typeof r.v === 'string' && r.v.length > LIMITS.output) this.budget.fail(`${name} produced more than ${LIMITS.output} characters`);
    return r;
  }
}
