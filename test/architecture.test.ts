// The layering the design promises, checked on the import graph (madge, type-only imports skipped: they
// vanish at run time): no import cycle under src/ and rules/; nothing in the core imports rules/ or a front
// end; front ends reach the core only through its public index (src/core/index.ts, via src/api.ts); rules
// reach it only through src/core/rule-api.ts; the model is never imported by the facts it is built from.
import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import madge from 'madge';
import { repoRoot } from './helpers/paths.js';

describe('architecture', () => {
  let graph: Record<string, string[]>;
  let cycles: string[][];
  before(async () => {
    const result = await madge(['src', 'rules'], {
      baseDir: repoRoot,
      fileExtensions: ['ts', 'cts'],
      tsConfig: `${repoRoot}/tsconfig.json`,
      detectiveOptions: { ts: { skipTypeImports: true }, es6: { skipTypeImports: true } },
    });
    graph = result.obj();
    cycles = result.circular();
  });

  it('has no import cycle', () => {
    assert.ok(Object.keys(graph).length > 100, 'the graph was read');
    assert.deepEqual(cycles, []);
  });

  const edges = () => Object.entries(graph).flatMap(([from, tos]) => tos.map((to) => [from, to] as const));

  it('keeps the core free of rules and front ends', () => {
    const bad = edges().filter(
      ([from, to]) => from.startsWith('src/core/') && (to.startsWith('rules/') || /^src\/(cli|eslint|vscode|lsp|node)\//.test(to)),
    );
    assert.deepEqual(bad, []);
  });

  it('lets front ends reach the core only through its public index', () => {
    const frontEnd = /^src\/(cli|eslint|vscode|lsp|node)\//;
    const bad = edges().filter(([from, to]) => frontEnd.test(from) && to.startsWith('src/core/') && to !== 'src/core/index.ts');
    assert.deepEqual(bad, []);
  });

  it('lets rules reach the core only through rule-api.ts', () => {
    const bad = edges().filter(([from, to]) => from.startsWith('rules/') && to.startsWith('src/') && to !== 'src/core/rule-api.ts');
    assert.deepEqual(bad, []);
  });

  it('never imports the model from the facts it is built from', () => {
    const bad = edges().filter(([from, to]) => from.startsWith('src/core/facts/') && to.startsWith('src/core/model/'));
    assert.deepEqual(bad, []);
  });
});
