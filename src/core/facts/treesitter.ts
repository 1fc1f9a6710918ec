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

// ---- the per-file time budget ---------------------------------------------------------------------------
// The last resort against inputs no linear-time fix foresaw: extractFacts runs a file's extractors under a
// deadline, tree-sitter cancels a parse that passes it (its progress callback returning true), and long extractor
// loops check it too. The file is then skipped with a notice; every other file is analysed as usual.

/** Thrown when the file being extracted has used its time budget (caught by extractFacts). */
export class ParseBudgetExceeded extends Error {
  override name = 'ParseBudgetExceeded';
  constructor(readonly budgetMs: number) {
    super(`parsing took longer than ${budgetMs} ms`);
  }
}

/**
 * The process's CPU time in milliseconds. The budget measures the file's work, not the machine's load: with wall
 * time, ordinary files were skipped on a loaded machine (a 40 KB Go file in a run at load 10 on 2 cores).
 */
function cpuMs(): number {
  const usage = process.cpuUsage();
  const ms = (usage.user + usage.system) / 1000;
  lastRead = { wall: performance.now(), ms };
  return ms;
}

/**
 * A budget's start: the last CPU reading when it is less than a tenth of the budget, and at most CLOCK_EVERY_MS, of
 * wall time old. Each file starts a budget, and reading the clock for every file of 100,000 tiny ones cost 0.8 s of a
 * 10 s run (with a 1 ms limit, still 0.24 s of a 6.5 s CLI run over 4,800 files); a reused reading makes the budget
 * shorter by at most the CPU time since, as CLOCK_EVERY_MS lets it overshoot by as much.
 */
function startCpuMs(budgetMs: number): number {
  return performance.now() - lastRead.wall < Math.min(CLOCK_EVERY_MS, budgetMs / 10) ? lastRead.ms : cpuMs();
}

let lastRead = { wall: -Infinity, ms: 0 };

let deadline: { at: number; budgetMs: number; nextRead: number } | undefined;

/** Run `fn` with a deadline `budgetMs` from now for every parse and check inside it (nested calls restore the outer one). */
export function withParseBudget<T>(budgetMs: number, fn: () => T): T {
  const outer = deadline;
  deadline = { at: startCpuMs(budgetMs) + budgetMs, budgetMs, nextRead: performance.now() + CLOCK_EVERY_MS };
  try {
    return fn();
  } finally {
    deadline = outer;
  }
}

/**
 * How often the CPU clock is read. A CPU-time read is a system call (microseconds, and an object to collect), and
 * tree-sitter calls the progress callback millions of times on a large file: reading it on every 64th call still
 * cost 15 % of a 1 MB Python parse. The wall clock costs nanoseconds, so the CPU clock is read only once this much
 * wall time has passed since the last read: the budget is then overshot by at most this much.
 */
const CLOCK_EVERY_MS = 25;

/** Whether the current budget is used (the CPU clock read at most every CLOCK_EVERY_MS of wall time). */
function pastDeadline(budget: NonNullable<typeof deadline>): boolean {
  const now = performance.now();
  if (now < budget.nextRead) return false;
  budget.nextRead = now + CLOCK_EVERY_MS;
  return cpuMs() > budget.at;
}

/** For long extractor loops: throws ParseBudgetExceeded once the current file's budget is used. */
export function checkParseBudget(): void {
  if (deadline && pastDeadline(deadline)) throw new ParseBudgetExceeded(deadline.budgetMs);
}

/** Parse a text; the caller must call tree.delete() when done (wasm memory is not garbage-collected). */
export function parse(name: GrammarName, text: string): Tree {
  let parser = parsers.get(name);
  if (!parser) {
    const loading = cpuMs();
    parser = new Parser();
    parser.setLanguage(languageOf(name));
    parsers.set(name, parser);
    // Compiling a grammar (up to 5 MB of wasm, once per run) is not the file's parsing: it does not count.
    if (deadline) deadline.at += cpuMs() - loading;
  }
  const budget = deadline;
  if (budget && pastDeadline(budget)) throw new ParseBudgetExceeded(budget.budgetMs);
  // The .d.ts types the callback as returning void, but web-tree-sitter 0.27 cancels the parse when it returns true.
  const progressCallback = () => pastDeadline(budget!);
  const tree = parser.parse(text, null, budget ? { progressCallback } : undefined);
  if (!tree) {
    // A cancelled parse resumes where it stopped on the next call unless the parser is reset.
    parser.reset();
    if (budget) throw new ParseBudgetExceeded(budget.budgetMs);
    throw new Error(`kubeconn: tree-sitter returned no tree for a ${name} file`);
  }
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
