// Named templates and template strings: Helm's include (a define rendered into a string that keeps its
// source map) and tpl (a string rendered as a template), plus the per-call context functions receive.

import type { Define, Span } from './ast.js';
import { strval, TplError, unknown, type CallCtx } from './call.js';
import type { Engine, Frame } from './eval.js';
import { Out } from './output.js';
import { parseCached } from './parse-cache.js';
import { tval } from './tracked.js';
import type { DiagnosticKind } from './types.js';
import { Unknown, type Val } from './value.js';

/** Helm's include: render a named template into a string that keeps its source map. */
export function include(e: Engine, nameVal: Val, data: Val, f: Frame, at: Span): Val {
  if (nameVal.v instanceof Unknown) return unknown(`include of an unknown template name`);
  const name = strval(e.ctx('include', f, at), nameVal);
  const d = e.env.defines.get(name);
  if (!d) throw new TplError(`no template ${JSON.stringify(name)} associated with template`);
  e.enter(name);
  try {
    const out = new Out(e.budget);
    e.execList(d.body, { file: d.file, vars: [{ name: '$', val: data }] }, data, out);
    return tval(out.result());
  } finally {
    e.budget.depth--;
  }
}

/** Helm's tpl: render a string as a template in the given scope; its output maps to the string's values node. */
export function tpl(e: Engine, textVal: Val, data: Val, f: Frame, at: Span): Val {
  if (textVal.v instanceof Unknown) return textVal;
  const text = typeof textVal.v === 'string' ? textVal.v : strval(e.ctx('tpl', f, at), textVal);
  if (!text.includes('{{')) return { v: text, ...(textVal.src ? { src: textVal.src } : {}), ...(textVal.tr ? { tr: textVal.tr } : {}) };
  const parsed = parseCached('<tpl>', text);
  const saved = e.redirect;
  e.redirect = saved ?? { file: f.file, start: at.start, end: at.end };
  const added: [string, Define | undefined][] = [];
  try {
    for (const err of parsed.errors) e.diag('<tpl>', err.start, err.end, err.message, 'syntax');
    for (const d of parsed.defines) {
      added.push([d.name, e.env.defines.get(d.name)]);
      e.env.defines.set(d.name, d);
    }
    e.enter('tpl');
    const out = new Out(e.budget);
    try {
      e.execList(parsed.nodes, { file: '<tpl>', vars: [{ name: '$', val: data }] }, data, out);
    } finally {
      e.budget.depth--;
    }
    const r = out.result();
    const segs = textVal.src && r.text.length ? [{ start: 0, end: r.text.length, origin: textVal.src }] : [];
    return tval({ text: r.text, tr: { segs, unc: r.tr!.unc } });
  } finally {
    for (const [name, prev] of added.reverse()) {
      if (prev) e.env.defines.set(name, prev);
      else e.env.defines.delete(name);
    }
    e.redirect = saved;
  }
}

/** What a function call sees; one small object per call. */
export class Ctx implements CallCtx {
  readonly ph: (u: Unknown) => string;
  constructor(
    private readonly e: Engine,
    readonly name: string,
    private readonly f: Frame,
    private readonly at: Span,
  ) {
    this.ph = e.ph;
  }
  diag(message: string, kind: DiagnosticKind): void {
    this.e.diag(this.f.file, this.at.start, this.at.end, message, kind);
  }
  include(name: Val, data: Val): Val {
    return include(this.e, name, data, this.f, this.at);
  }
  tpl(text: Val, data: Val): Val {
    return tpl(this.e, text, data, this.f, this.at);
  }
}
