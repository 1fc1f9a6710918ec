// Many findings at one place, said once. A shared dial helper that seven Deployments run with seven different
// addresses gets seven findings of one rule on one target argument, each with its own copy of the same fix:
// the editor shows them as one diagnostic naming the seven Services, and one code action per distinct fix
// ("… for 7 Services"). The findings' messages are the rules' templates filled in (rule.meta.messages), so
// the parts that differ between them are read back from the template; nothing is guessed from free text.

import { escapeRegExp } from '../api.js';

/** Placeholder values of a message written from `template`, or undefined when it was not. */
export function templateValues(template: string, message: string): Map<string, string> | undefined {
  const names: string[] = [];
  const pattern = template
    .split(/(\{\{\s*[^{}\s]+\s*\}\})/)
    .map((part, i) => {
      if (i % 2 === 0) return escapeRegExp(part);
      names.push(/\{\{\s*([^{}\s]+)\s*\}\}/.exec(part)![1]!);
      return '([\\s\\S]*?)';
    })
    .join('');
  const m = new RegExp(`^${pattern}$`).exec(message);
  if (!m) return undefined;
  const values = new Map<string, string>();
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = m[i + 1]!;
    if (values.has(name) && values.get(name) !== value) return undefined;
    values.set(name, value);
  }
  return values;
}

export interface Variation {
  /** Per message, its placeholder values. */
  values: Map<string, string>[];
  /** Placeholders whose values differ between the messages, in template order. */
  varying: string[];
}

export function variation(template: string | undefined, messages: readonly string[]): Variation | undefined {
  if (template === undefined) return undefined;
  const values: Map<string, string>[] = [];
  for (const m of messages) {
    const v = templateValues(template, m);
    if (!v) return undefined;
    values.push(v);
  }
  const varying = [...(values[0]?.keys() ?? [])].filter((k) => values.some((v) => v.get(k) !== values[0]!.get(k)));
  return { values, varying };
}

/** The word naming what a placeholder stands for, when the template puts a capitalised kind right before it ("Service '{{service}}'"). */
export function nounBefore(template: string, placeholder: string): string | undefined {
  const at = template.search(new RegExp(`\\{\\{\\s*${escapeRegExp(placeholder)}\\s*\\}\\}`));
  if (at < 0) return undefined;
  return /\b([A-Z][A-Za-z]+)\s+['"`]?$/.exec(template.slice(0, at))?.[1];
}

const plural = (noun: string, n: number): string => (n === 1 ? noun : noun.endsWith('s') ? `${noun}es` : `${noun}s`);
const QUOTES = new Set(["'", '"', '`']);
const LIST_MAX = 12;

/** What the findings of a group are about: e.g. { noun: 'Service', targets: ['orders.shop', …] }. */
export interface Targets {
  noun?: string;
  targets: string[];
}

export function targetsOf(template: string | undefined, messages: readonly string[]): Targets | undefined {
  const v = variation(template, messages);
  const first = v?.varying[0];
  if (!v || !first) return undefined;
  return { noun: nounBefore(template!, first), targets: [...new Set(v.values.map((x) => x.get(first)!))] };
}

/** "for 7 Services" (or "for 7 findings" when the kind is unknown). */
export function forCount(targets: Targets | undefined, count: number): string {
  const n = targets?.targets.length ?? count;
  return `for ${n} ${targets?.noun ? plural(targets.noun, n) : plural('finding', n)}`;
}

/**
 * One message for several findings of one rule at one place: the first finding's message with the first
 * differing value marked "and N more", then every value once ("Services: a, b, c."). Identical messages stay as
 * they are; messages that do not match their template get "(and N more like it)".
 */
export function mergeMessages(template: string | undefined, messages: readonly string[]): string {
  const distinct = [...new Set(messages)];
  if (distinct.length <= 1) return messages[0] ?? '';
  const v = variation(template, distinct);
  const first = v?.varying[0];
  if (!v || !first) return `${distinct[0]} (and ${distinct.length - 1} more like it)`;
  const values = [...new Set(v.values.map((x) => x.get(first)!))];
  const noun = nounBefore(template!, first);
  let marked = false;
  const text = template!
    .split(/(\{\{\s*[^{}\s]+\s*\}\})/)
    .map((part, i, parts) => {
      if (i % 2 === 0) {
        // The "and N more" goes after the quote that closes the first differing value.
        if (marked || i === 0 || !isPlaceholder(parts[i - 1]!, first)) return part;
        marked = true;
        const quoted = QUOTES.has(part[0] ?? '');
        return quoted ? `${part[0]} and ${values.length - 1} more${part.slice(1)}` : ` and ${values.length - 1} more${part}`;
      }
      const name = nameOf(part);
      return v.values[0]!.get(name) ?? part;
    })
    .join('');
  const list = values.slice(0, LIST_MAX).join(', ') + (values.length > LIST_MAX ? `, … (${values.length} in all)` : '');
  return `${text.trimEnd()} ${noun ? plural(noun, 2) : 'All'}: ${list}.`;
}

/**
 * A code action title for one fix applied to several findings: the fix's own message when the copies are the
 * same ("Add a round_robin service config to this channel for 7 Services"); otherwise its template with the
 * values that differ left out ("Dial the headless Service with round_robin for 7 Services").
 */
export function mergeTitles(template: string | undefined, titles: readonly string[], targets: Targets | undefined, count: number): string {
  const distinct = [...new Set(titles)];
  if (count <= 1) return titles[0] ?? '';
  const suffix = forCount(targets, count);
  if (distinct.length === 1) return `${distinct[0]} ${suffix}`;
  const v = variation(template, distinct);
  if (!v) return `${distinct[0]} (and ${count - 1} more like it)`;
  const text = template!
    .split(/(\{\{\s*[^{}\s]+\s*\}\})/)
    .map((part, i) => (i % 2 === 0 ? part : v.varying.includes(nameOf(part)) ? '\u0000' : (v.values[0]!.get(nameOf(part)) ?? part)))
    .join('')
    // A left-out value takes its quotes and one space with it; then empty brackets go.
    .replace(/\s?(['"`])\u0000\1/g, '')
    .replace(/\s?\u0000/g, '')
    .replace(/\s*\(\s*\)/g, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
  return `${text} ${suffix}`;
}

const nameOf = (placeholder: string): string => /\{\{\s*([^{}\s]+)\s*\}\}/.exec(placeholder)![1]!;
const isPlaceholder = (part: string, name: string): boolean => /^\{\{/.test(part) && nameOf(part) === name;
