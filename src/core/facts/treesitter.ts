// web-tree-sitter runtime and grammars: one WebAssembly parser for shell scripts and the gRPC code of every
// language (no native modules, so the same code runs in the CLI, ESLint, the language server and VS Code).
//
// Only the runtime's start is asynchronous (`Parser.init`); we instantiate its .wasm synchronously in the
// `instantiateWasm` hook, so initRuntime() settles within the current microtask queue — before any I/O
// callback — and nothing needs top-level await (a CommonJS `require('kubeconn')` works). Grammars are then
// compiled synchronously and lazily, the first time a file of that language is parsed: a run that sees no
// C# never pays for the 5 MB C# grammar.
//
// The grammar .wasm files are copied from the per-language npm packages at build time (scripts/
// copy-grammars.mjs → dist/grammars/), so users install prebuilt wasm and no native build scripts.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Language, Parser, Query, type Tree } from 'web-tree-sitter';

export type GrammarName = 'go' | 'python' | 'javascript' | 'typescript' | 'tsx' | 'java' | 'c_sharp' | 'bash';

/** The .wasm file of each grammar, as shipped in dist/grammars/. */
export const GRAMMAR_WASM: Record<GrammarName, string> = {
  go: 'tree-sitter-go.wasm',
  python: 'tree-sitter-python.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  java: 'tree-sitter-java.wasm',
  c_sharp: 'tree-sitter-c_sharp.wasm',
  bash: 'tree-sitter-bash.wasm',
};

export const ALL_GRAMMARS = Object.keys(GRAMMAR_WASM) as GrammarName[];

/** Default place of the grammars: dist/grammars/, next to the compiled dist/src/. */
let locateGrammar: (file: string) => string = (file) => fileURLToPath(new URL(`../../../grammars/${file}`, import.meta.url));
/** The runtime's own .wasm always comes from the installed web-tree-sitter, so JS and wasm match. */
let locateRuntime: () => string = () => createRequire(import.meta.url).resolve('web-tree-sitter/web-tree-sitter.wasm');

/** A bundle (the VS Code extension) copies the .wasm files next to itself and points here. */
export function setWasmLocator(locator: (file: string) => string): void {
  locateGrammar = locator;
  locateRuntime = () => locator('web-tree-sitter.wasm');
}

/** The slice of the WebAssembly API we use (Node has it; @types/node 20 does not declare it). */
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

let runtime: Promise<void> | undefined;
let runtimeReady = false;
const languages = new Map<GrammarName, Language>();
const parsers = new Map<GrammarName, Parser>();
const queries = new Map<string, Query>();

/** Start the runtime (idempotent). Settles without I/O; callers that can, await it. */
export function initRuntime(): Promise<void> {
  runtime ??= Parser.init({
    instantiateWasm(imports: object, receive: (instance: object, module: object) => void) {
      const module = new wasm.Module(fs.readFileSync(locateRuntime()));
      const instance = new wasm.Instance(module, imports);
      receive(instance, module);
      return instance.exports;
    },
  } as Parameters<typeof Parser.init>[0]).then(() => {
    runtimeReady = true;
  });
  return runtime;
}

export function isRuntimeReady(): boolean {
  return runtimeReady;
}

/** Load grammars now (all by default) instead of on first use; for benchmarks and start-up checks. */
export async function loadGrammars(names: readonly GrammarName[] = ALL_GRAMMARS): Promise<void> {
  await initRuntime();
  for (const name of names) languageOf(name);
}

/** The grammar, compiled on first use (synchronously). */
export function languageOf(name: GrammarName): Language {
  let language = languages.get(name);
  if (language) return language;
  if (!runtimeReady) {
    throw new Error(
      'kubeconn: the WebAssembly parser has not started yet; await initKubeconn() (or `await kubeconn.ready` from the ESLint plugin) before analysing',
    );
  }
  const file = locateGrammar(GRAMMAR_WASM[name]);
  language = Language.loadSync(new wasm.Module(fs.readFileSync(file)) as Parameters<typeof Language.loadSync>[0]);
  languages.set(name, language);
  return language;
}

/** Parse a text; the caller must call tree.delete() when done (wasm memory is not garbage-collected). */
export function parse(name: GrammarName, text: string): Tree {
  let parser = parsers.get(name);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(languageOf(name));
    parsers.set(name, parser);
  }
  const tree = parser.parse(text);
  if (!tree) throw new Error(`kubeconn: tree-sitter returned no tree for a ${name} file`);
  return tree;
}

/** A compiled query, cached per grammar and source. */
export function query(name: GrammarName, source: string): Query {
  const key = `${name}\0${source}`;
  let q = queries.get(key);
  if (!q) {
    q = new Query(languageOf(name), source);
    queries.set(key, q);
  }
  return q;
}
