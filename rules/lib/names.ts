// Names for objects a suggestion creates: never one an object of the same kind already has in that
// namespace (a second Role 'api-kuberesolver' would replace the first on apply), never a templated name.
import { type AnalysisModel, TEMPLATED } from '../../src/core/rule-api.js';

/** `base`, else `base-2`, `base-3`…: the first name no object of `kinds` has in `namespace` (undefined: any). */
export function freeName(model: AnalysisModel, kinds: readonly string[], namespace: string | undefined, base: string): string {
  const taken = new Set(
    model.objects
      .filter((o) => kinds.includes(o.kind) && (namespace === undefined || o.namespace === undefined || o.namespace === namespace))
      .map((o) => o.name),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Is every value of a generated manifest known (no templated text, empty string or null left by a chart)? */
export function allKnown(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (typeof value === 'string') return !value.includes(TEMPLATED);
  if (Array.isArray(value)) return value.every(allKnown);
  if (typeof value === 'object') return Object.values(value).every(allKnown);
  return true;
}
