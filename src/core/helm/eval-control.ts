// Control forms with their own evaluation rules: {{range}} (lists, maps, integers, break/continue, the
// iteration cap) and the lazy, three-valued and/or.

import type { Arg, Node, Span } from './ast.js';
import { unknown } from './call.js';
import type { Engine, Frame } from './eval.js';
import { BREAK, NORMAL, type Flow } from './flow.js';
import { LIMITS, type Out } from './output.js';
import { child, goType, isMap, NIL, sortedKeys, truth, Unknown, type Val } from './value.js';

/** {{range}}: lists, maps in key order, integers; unknown collections render nothing (an empty uncertain region). */
export function range(eng: Engine, n: Extract<Node, { t: 'range' }>, f: Frame, dot: Val, out: Out): Flow {
  const mark = f.vars.length;
  const coll = eng.pipeSafe(n.pipe, f, dot, n, false);
  const v = coll.v;
  let keys: Iterable<Val>;
  let elem: (k: Val) => Val;
  let size: number;
  if (v instanceof Unknown) {
    out.region(out.len, out.len, `{{range}} over an unknown value: ${v.reason}`);
    return NORMAL;
  } else if (Array.isArray(v)) {
    size = v.length;
    keys = v.map((_, i) => ({ v: i }));
    elem = (k) => child(v, k.v as number);
  } else if (isMap(v)) {
    const ks = sortedKeys(v);
    size = ks.length;
    keys = ks.map((k) => ({ v: k }));
    elem = (k) => child(v, k.v as string);
  } else if (typeof v === 'number' && Number.isInteger(v) && !coll.float) {
    size = Math.max(0, v);
    keys = (function* () {
      for (let i = 0; i < size; i++) yield { v: i };
    })();
    elem = (k) => k;
  } else {
    if (v !== null && v !== undefined) eng.diag(f.file, n.start, n.end, `range can't iterate over ${goType(v, coll.float)}`, 'eval');
    size = 0;
    keys = [];
    elem = (k) => k;
  }
  let flow: Flow = NORMAL;
  if (size === 0) {
    if (n.elseList) flow = eng.execList(n.elseList, f, dot, out);
    f.vars.length = mark;
    return flow;
  }
  let count = 0;
  for (const k of keys) {
    eng.step();
    if (++count > LIMITS.range) {
      eng.diag(f.file, n.start, n.end, `range stopped after ${LIMITS.range} iterations`, 'limit');
      break;
    }
    const e = elem(k);
    const vals = n.pipe.decl.length === 2 ? [k, e] : [e];
    n.pipe.decl.forEach((name, i) => {
      eng.declare(f, name, vals[i]!, n.pipe.isAssign, n);
    });
    const fl = eng.execList(n.list, f, e, out);
    f.vars.length = mark;
    if (fl === BREAK) break;
  }
  f.vars.length = mark;
  return NORMAL;
}

/** Go's lazy and/or, three-valued: an unknown operand makes the result unknown unless a known one decides it. */
export function andOr(eng: Engine, name: 'and' | 'or', args: Arg[], final: Val | undefined, f: Frame, dot: Val, at: Span): Val {
  const n = args.length + (final ? 1 : 0);
  if (n === 0) {
    eng.diag(f.file, at.start, at.end, `wrong number of args for ${name}: want at least 1 got 0`, 'function');
    return unknown(`${name} called with wrong arguments`);
  }
  let seen: Unknown | undefined;
  const stopOn = name === 'or';
  for (let i = 0; i < n; i++) {
    const v = i < args.length ? eng.arg(args[i]!, f, dot) : final!;
    const t = truth(v.v);
    if (t === stopOn) return seen ? { v: new Unknown(seen.reason, t) } : v;
    if (t === undefined) seen ??= v.v as Unknown;
    if (i === n - 1) return seen && !(v.v instanceof Unknown) ? { v: new Unknown(seen.reason) } : v;
  }
  return NIL;
}
