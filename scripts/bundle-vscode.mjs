#!/usr/bin/env node
// Bundles the VS Code extension (src/vscode/extension.ts → dist-vscode/extension.cjs, CommonJS, `vscode`
// external, no native modules) and copies the WebAssembly grammars it loads next to it
// (dist-vscode/grammars/). With --tests it also bundles the mocha suite that runs inside the extension
// host (test/vscode/suite/index.ts and the files it imports → dist-vscode/test/suite/index.cjs).
// Usage: node scripts/bundle-vscode.mjs [--tests] [--production]
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist-vscode');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const require = createRequire(path.join(root, 'package.json'));

// ESM sources use import.meta.url (createRequire, web-tree-sitter's file lookups); in a CommonJS bundle
// it becomes the bundle file's own URL.
const importMetaShim = {
  banner: { js: "const __kubeconn_import_meta_url = require('url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__kubeconn_import_meta_url' },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  logLevel: 'warning',
  ...importMetaShim,
};

const started = Date.now();
rmSync(path.join(out, 'extension.cjs'), { force: true });
await build({
  ...common,
  entryPoints: [path.join(root, 'src/vscode/extension.ts')],
  outfile: path.join(out, 'extension.cjs'),
  minify: production,
  sourcemap: production ? false : 'linked',
  // Keep names readable in stack traces of the output channel.
  keepNames: true,
  metafile: false,
});

// The grammars: web-tree-sitter's runtime and every GRAMMAR_FILES entry of the core's loader.
const loader = readFileSync(path.join(root, 'src/core/facts/treesitter.ts'), 'utf8');
const block = /GRAMMAR_FILES[^=]*=\s*\{([\s\S]*?)\};/.exec(loader);
if (!block) throw new Error('bundle-vscode: cannot find GRAMMAR_FILES in src/core/facts/treesitter.ts');
const wasm = ['web-tree-sitter/web-tree-sitter.wasm', ...[...block[1].matchAll(/['"]([^'"]+\.wasm)['"]/g)].map((m) => m[1])];
const grammars = path.join(out, 'grammars');
rmSync(grammars, { recursive: true, force: true });
mkdirSync(grammars, { recursive: true });
let wasmBytes = 0;
for (const rel of wasm) {
  const from = require.resolve(rel);
  copyFileSync(from, path.join(grammars, path.basename(rel)));
  wasmBytes += statSync(from).size;
}

if (args.has('--tests')) {
  // One CommonJS file that imports every test module (contract: test/vscode/suite/README.md); mocha
  // is inlined, `vscode` stays external.
  rmSync(path.join(out, 'test'), { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: [path.join(root, 'test/vscode/suite/index.ts')],
    outfile: path.join(out, 'test/suite/index.cjs'),
    sourcemap: 'inline',
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
}

const size = statSync(path.join(out, 'extension.cjs')).size;
console.log(
  `bundle-vscode: dist-vscode/extension.cjs ${(size / 1024).toFixed(0)} KB, ${wasm.length} grammars ${(wasmBytes / 1024 / 1024).toFixed(1)} MB` +
    `${args.has('--tests') ? ', test suite' : ''} in ${Date.now() - started} ms`,
);
