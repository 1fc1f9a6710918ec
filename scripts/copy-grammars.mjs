#!/usr/bin/env node
// Build step: copies the prebuilt tree-sitter grammar .wasm files that the core loads (GRAMMAR_WASM in
// src/core/facts/treesitter.ts; test/core/grammars.test.ts checks the two lists agree) from the grammar packages (devDependencies, installed without their native
// install scripts) into dist/grammars/, which the npm package ships. Users never install a grammar package.
// Usage: node scripts/copy-grammars.mjs [outDir]   (default dist/grammars)
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(root, process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'dist/grammars');
const require = createRequire(path.join(root, 'package.json'));

/** Every grammar file the core loads, and the package that ships it. */
export const PACKAGE_OF = {
  'tree-sitter-go.wasm': 'tree-sitter-go',
  'tree-sitter-python.wasm': 'tree-sitter-python',
  'tree-sitter-javascript.wasm': 'tree-sitter-javascript',
  'tree-sitter-typescript.wasm': 'tree-sitter-typescript',
  'tree-sitter-tsx.wasm': 'tree-sitter-typescript',
  'tree-sitter-java.wasm': 'tree-sitter-java',
  'tree-sitter-c_sharp.wasm': 'tree-sitter-c-sharp',
  'tree-sitter-bash.wasm': 'tree-sitter-bash',
};

if (process.argv[1] !== fileURLToPath(import.meta.url)) {
  // imported by a test for PACKAGE_OF: copy nothing
} else {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  let bytes = 0;
  for (const file of Object.keys(PACKAGE_OF)) {
    const pkg = PACKAGE_OF[file];
    const from = require.resolve(`${pkg}/${file}`);
    copyFileSync(from, path.join(out, file));
    bytes += statSync(from).size;
  }
  if (process.argv.includes('--verbose'))
    console.log(
      `copy-grammars: ${Object.keys(PACKAGE_OF).length} grammars, ${(bytes / 1048576).toFixed(1)} MB → ${path.relative(root, out)}`,
    );
}
