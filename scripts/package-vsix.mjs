#!/usr/bin/env node
// Builds kubeconn-<version>.vsix from a staging folder. package.json is both the npm manifest (its `files`
// allowlist is what npm publishes) and the extension manifest; vsce refuses a `files` list next to a
// .vscodeignore and would otherwise pack the npm allowlist, so the extension is staged with its own
// allowlist (VSIX_FILES) and an extension-only copy of the manifest.
// Usage: node scripts/bundle-vscode.mjs --production && node scripts/package-vsix.mjs
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stage = path.join(root, '.vsix-staging');
const require = createRequire(path.join(root, 'package.json'));

/** What the .vsix holds: the bundled client and language server, the grammars, the rule docs diagnostics link to, the icon, docs. */
const VSIX_FILES = [
  'dist-vscode/extension.cjs',
  'dist-vscode/server.cjs',
  'dist-vscode/grammars',
  'docs/rules',
  'docs/vscode.md',
  'docs/images',
  'src/vscode/media',
  'README.md',
  'LICENSE',
];

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
if (!existsSync(path.join(root, 'dist-vscode/extension.cjs')) || !existsSync(path.join(root, 'dist-vscode/server.cjs')))
  throw new Error('package-vsix: run scripts/bundle-vscode.mjs first');
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage);
for (const entry of VSIX_FILES) cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
// The extension needs none of the npm-only fields; keeping `dependencies` would make vsce look for node_modules.
for (const key of [
  'files',
  'exports',
  'types',
  'bin',
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'overrides',
  'scripts',
])
  delete manifest[key];
manifest.files = VSIX_FILES;
writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const { createVSIX } = require('@vscode/vsce');
const out = path.join(root, `kubeconn-${manifest.version}.vsix`);
await createVSIX({
  cwd: stage,
  packagePath: out,
  dependencies: false,
  allowMissingRepository: true,
  baseContentUrl: 'https://github.com/kubeconn/kubeconn/blob/main/',
  baseImagesUrl: 'https://github.com/kubeconn/kubeconn/raw/main/',
});
rmSync(stage, { recursive: true, force: true });
console.log(`package-vsix: ${path.relative(root, out)}`);
