// Set-up before analysis: starting the WebAssembly runtime (tree-sitter) that the shell-script and gRPC-code
// extractors parse with. It settles without I/O (see facts/treesitter.ts), grammars load on first use, and
// analysis itself is synchronous; front ends await initKubeconn() once before they analyse.
import { initRuntime } from './facts/treesitter.js';

export function initKubeconn(): Promise<void> {
  return initRuntime();
}
