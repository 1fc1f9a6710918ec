// web-tree-sitter runtime and grammars: one WebAssembly parser for shell scripts and the gRPC code of every
// language (no native modules, so the same code runs in the VS Code extension host). Grammars come from the
// per-language npm packages; loading is async, so front ends await loadGrammars() once and parsing is sync.
import { createRequire } from 'node:module';
import { Language, Parser, Query, type Tree } from 'web-tree-sitter';

export type GrammarName = 'go' | 'python' | 'javascript' | 'typescript' | 'tsx' | 'java' | 'c_sharp' | 'bash';

/** npm package and file of each grammar's .wasm. */
export const GRAMMAR_FILES: Record<GrammarName, string> = {
  go: 'tree-sitter-go/tree-sitter-go.wasm',
  python: 'tree-sitter-python/tree-sitter-python.wasm',
  javascript: 'tree-sitter-javascript/tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript/tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-typescript/tree-sitter-tsx.wasm',
  java: 'tree-sitter-java/tree-sitter-java.wasm',
  c_sharp: 'tree-sitter-c-sharp/tree-sitter-c_sharp.wasm',
  bash: 'tree-sitter-bash/tree-sitter-bash.wasm',
};

export const ALL_GRAMMARS = Object.keys(GRAMMAR_FILES) as GrammarName[];

/**
 * Where the .wasm files are. By default they are resolved from node_modules; a bundle (the VS Code
 * extension) copies them next to itself and points here with setWasmLocator.
 */
let locate: (relative: string) => string = (relative) => {
  const require = createRequire(import.meta.url);
  return require.resolve(relative);
};

export function setWasmLocator(locator: (relative: string) => string): void {
  locate = locator;
}

let runtime: Promise<void> | undefined;
const languages = new Map<GrammarName, Language>();
const loading = new Map<GrammarName, Promise<Language>>();
const parsers = new Map<GrammarName, Parser>();
const queries = new Map<string, Query>();

function initRuntime(): Promise<void> {
  runtime ??= Parser.init({
    locateFile: (name: string) => locate(`web-tree-sitter/${name}`),
  });
  return runtime;
}

/** Load grammars (all by default). Idempotent; concurrent callers share the same loads. */
export async function loadGrammars(names: readonly GrammarName[] = ALL_GRAMMARS): Promise<void> {
  await initRuntime();
  await Promise.all(
    names.map((name) => {
      let pending = loading.get(name);
      if (!pending) {
        pending = Language.load(locate(GRAMMAR_FILES[name])).then((language) => {
          languages.set(name, language);
          return language;
        });
        loading.set(name, pending);
      }
      return pending;
    }),
  );
}

export function isGrammarLoaded(name: GrammarName): boolean {
  return languages.has(name);
}

export function languageOf(name: GrammarName): Language {
  const language = languages.get(name);
  if (!language) throw new Error(`kubeconn: the ${name} grammar is not loaded; await loadGrammars() (or initKubeconn()) first`);
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
