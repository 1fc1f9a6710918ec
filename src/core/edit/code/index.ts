// Edit builders for code: one module per language behind one interface. Rules decide what a fix does (add a
// round_robin policy, set a max connection age, replace a removed API); a builder knows how its language
// writes that at the place the facts describe (src/core/facts/grpc/shapes.ts: ListLayout, OptionsLayout,
// ImportsLayout). Builders read only those plain records, never the tree or the text.
import type { DialSite, GrpcLanguage, ImportsLayout, Range, ServerSite } from '../../facts/grpc/index.js';
import { csharpEdits } from './csharp.js';
import { goEdits } from './go.js';
import { javaEdits } from './java.js';
import { jsEdits } from './js.js';
import { pythonEdits } from './python.js';

/** Where an edit goes, and what it inserts or replaces (the file is added by the rule). */
export interface CodeEdit {
  start: number;
  end: number;
  text: string;
}

/** What a channel should use, in the rule's terms; each builder writes it its language's way. */
export type ChannelSetting = { kind: 'lbPolicy'; policy: string };

/** What a server should set. */
/** `graceSeconds` undefined: leave MaxConnectionAgeGrace at its default (infinite), so streams are never cut. */
export type ServerSetting = { kind: 'maxConnectionAge'; ageSeconds: number; graceSeconds?: number };

/** A Go package path, Java type, C# namespace, Python or JS module; `names` for `from m import a` / `import { a } from 'm'`. */
export interface ImportRequest {
  module: string;
  names?: string[];
}

export interface CodeEditBuilder {
  /** Add the setting to a dial's options; undefined when the site shows no place an edit can safely reach. */
  addChannelSetting(site: DialSite, setting: ChannelSetting): CodeEdit[] | undefined;
  /** Replace the code at `at` (one option, a removed API call) with the setting written as one option. */
  replaceWithChannelSetting(at: Range, setting: ChannelSetting): CodeEdit[] | undefined;
  /** Add the setting to a server's options, with the imports it needs; undefined when there is no place for it. */
  addServerSetting(site: ServerSite, setting: ServerSetting, imports: ImportsLayout): CodeEdit[] | undefined;
  /** Add the imports the file lacks (none when it has them all). */
  addImports(imports: ImportsLayout, requests: readonly ImportRequest[]): CodeEdit[];
  /** Rewrite a string literal's content (a dial target); undefined when `text` would need escaping. */
  replaceStringContent(at: Range, text: string): CodeEdit[] | undefined;
}

const builders: Record<GrpcLanguage, CodeEditBuilder> = {
  go: goEdits,
  python: pythonEdits,
  js: jsEdits,
  java: javaEdits,
  csharp: csharpEdits,
};

export function codeEditBuilder(language: GrpcLanguage): CodeEditBuilder {
  return builders[language];
}
