// The grammar .wasm files the package ships: every grammar the core loads is copied by the build, each one
// loads under the installed web-tree-sitter (its ABI is in the runtime's range) and parses.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { Parser } from 'web-tree-sitter';
import { ALL_GRAMMARS, GRAMMAR_WASM, initRuntime, languageOf, parse } from '../../src/core/facts/treesitter.js';
import { repoRoot } from '../helpers/paths.js';

const SAMPLE: Record<string, string> = {
  go: 'package main\nfunc main() {}\n',
  python: 'def f():\n    return 1\n',
  javascript: 'const a = 1;\n',
  typescript: 'const a: number = 1;\n',
  tsx: 'const a = <b/>;\n',
  java: 'class A { void f() {} }\n',
  c_sharp: 'class A { void F() {} }\n',
  bash: 'exec "$@"\n',
};

describe('tree-sitter grammars', () => {
  it('the build copies exactly the grammars the core loads', async () => {
    const { PACKAGE_OF } = (await import(pathToFileURL(path.join(repoRoot, 'scripts/copy-grammars.mjs')).href)) as {
      PACKAGE_OF: Record<string, string>;
    };
    assert.deepEqual(Object.keys(PACKAGE_OF).sort(), Object.values(GRAMMAR_WASM).sort());
    for (const file of Object.values(GRAMMAR_WASM)) assert.ok(fs.existsSync(path.join(repoRoot, 'dist/grammars', file)), file);
  });

  it('every grammar loads under the installed runtime, within its ABI range, and parses', async () => {
    await initRuntime();
    const runtime = Parser as unknown as { prototype: unknown };
    assert.ok(runtime);
    for (const name of ALL_GRAMMARS) {
      const language = languageOf(name);
      assert.ok(language.abiVersion >= 13 && language.abiVersion <= 15, `${name}: ABI ${language.abiVersion}`);
      const tree = parse(name, SAMPLE[name]!);
      assert.equal(tree.rootNode.hasError, false, `${name} parses its sample`);
      tree.delete();
    }
  });
});
