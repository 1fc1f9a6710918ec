// Async set-up before analysis: loading the WebAssembly grammars (tree-sitter) that the shell-script and
// gRPC-code extractors parse with. Analysis itself is synchronous; front ends await initKubeconn() once
// (ESLint's plugin module does it with top-level await, the CLI and the extension at start).
import { loadGrammars } from './facts/treesitter.js';

let ready: Promise<void> | undefined;

export function initKubeconn(): Promise<void> {
  ready ??= loadGrammars();
  return ready;
}
