// The function table Helm templates see: Go's builtins, Sprig's functions, Helm's additions (include, tpl
// and the control forms and/or are evaluated by the engine itself), with Sprig's must… aliases.

import type { FnDef, FnTable } from './call.js';
import { coreFuncs } from './funcs-core.js';
import { encodingFuncs } from './funcs-encoding.js';
import { listFuncs } from './funcs-lists.js';
import { mathFuncs } from './funcs-math.js';
import { regexFuncs } from './funcs-regex.js';
import { stringFuncs } from './funcs-strings.js';

const table: FnTable = { ...coreFuncs, ...stringFuncs, ...listFuncs, ...mathFuncs, ...encodingFuncs, ...regexFuncs };

const MUST = [
  'append',
  'prepend',
  'first',
  'last',
  'rest',
  'initial',
  'reverse',
  'uniq',
  'without',
  'has',
  'compact',
  'slice',
  'merge',
  'mergeOverwrite',
  'deepCopy',
  'push',
  'dig',
];
table['push'] = table['append']!;
for (const name of MUST) {
  const key = `must${name[0]!.toUpperCase()}${name.slice(1)}`;
  if (!table[key] && table[name]) table[key] = table[name]!;
}

/** Names the engine evaluates itself (lazily or with access to templates). */
export const SPECIAL = new Set(['and', 'or', 'include', 'tpl']);

export function lookupFunc(name: string): FnDef | undefined {
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

export function isFunction(name: string): boolean {
  return SPECIAL.has(name) || lookupFunc(name) !== undefined;
}
