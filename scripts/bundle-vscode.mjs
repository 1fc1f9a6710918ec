#!/usr/bin/env node
// Bundles the VS Code extension: the language client (src/vscode/extension.ts → dist-vscode/extension.cjs,
// CommonJS, `vscode` external; it must not contain the analysis core) and the language server it forks
// (src/lsp/bundled.ts → dist-vscode/server.cjs, the core and every rule), and copies the WebAssembly
// grammars the server loads next to them (dist-vscode/grammars/). No native modules. With --tests it also bundles the mocha suite that runs inside the extension
// host (test/vscode/suite/index.ts and the files it imports → dist-vscode/test/suite/index.cjs).
// Usage: node scripts/bundle-vscode.mjs [--tests] [--production]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, rmSync, statSync } from 'node:fs';
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
const bundles = { extension: 'src/vscode/extension.ts', server: 'src/lsp/bundled.ts' };
const metafiles = {};
for (const [name, entry] of Object.entries(bundles)) {
  rmSync(path.join(out, `${name}.cjs`), { force: true });
  const result = await build({
    ...common,
    entryPoints: [path.join(root, entry)],
    outfile: path.join(out, `${name}.cjs`),
    minify: production,
    sourcemap: production ? false : 'linked',
    // Keep names readable in stack traces of the output channel.
    keepNames: true,
    metafile: true,
  });
  metafiles[name] = result.metafile;
}
// The client is a client: no analysis code may end up in the extension host.
const coreInClient = Object.keys(metafiles.extension.inputs).filter((f) => /^(src\/core|rules)\//.test(f));
if (coreInClient.length > 0)
  throw new Error(`bundle-vscode: the client bundle contains analysis code: ${coreInClient.slice(0, 5).join(', ')}`);

// The grammars (the same copy step as the npm build) and web-tree-sitter's runtime .wasm.
const grammars = path.join(out, 'grammars');
execFileSync(process.execPath, [path.join(root, 'scripts/copy-grammars.mjs'), grammars]);
copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join(grammars, 'web-tree-sitter.wasm'));
const wasm = readdirSync(grammars);
const wasmBytes = wasm.reduce((n, f) => n + statSync(path.join(grammars, f)).size, 0);

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

const size = (name) => `${(statSync(path.join(out, `${name}.cjs`)).size / 1024).toFixed(0)} KB`;
console.log(
  `bundle-vscode: dist-vscode/extension.cjs ${size('extension')}, server.cjs ${size('server')}, ${wasm.length} grammars ${(wasmBytes / 1024 / 1024).toFixed(1)} MB` +
    `${args.has('--tests') ? ', test suite' : ''} in ${Date.now() - started} ms`,
);
