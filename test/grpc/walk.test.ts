// The shared code walk (facts/grpc/walk.ts) materialises only the node types its visitors look at (a query over
// the table's `visits`, binding rows and the server reader's types). Here it must collect exactly what visiting
// every named node collects, on the code of the examples, the fixtures and every code snippet of the test suite:
// a visitor that starts looking at a type missing from `visits` fails this test.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Node } from 'web-tree-sitter';
import { tableOf } from '../../src/core/facts/grpc/index.js';
import { ScopeBuilder } from '../../src/core/facts/grpc/scope.js';
import type { CallNode, LanguageTable } from '../../src/core/facts/grpc/table.js';
import { walk, type FileScope } from '../../src/core/facts/grpc/value.js';
import { walkCode, type CodeWalk, type WalkExtras } from '../../src/core/facts/grpc/walk.js';
import { serverReaders } from '../../src/core/facts/servers/index.js';
import { parse } from '../../src/core/facts/treesitter.js';
import { initKubeconn } from '../../src/core/init.js';
import { repoRoot } from '../helpers/paths.js';

const CODE = /\.(go|py|js|mjs|cjs|jsx|ts|mts|tsx|java|cs)$/;

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .flatMap((e) => (e.isFile() ? [path.join(e.parentPath, e.name)] : []));
}

/** Code snippets the tests write as `'name.go': `…`` or `('main.go', '…')`. */
function snippets(source: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const re = /'([\w./-]+\.(?:go|py|js|mjs|ts|tsx|java|cs))'\s*[:,]\s*(`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*')/g;
  for (const m of source.matchAll(re)) {
    const body = m[2]!.slice(1, -1);
    const text = body.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);
    out.push({ file: m[1]!, text });
  }
  return out;
}

function corpus(): { file: string; text: string }[] {
  const real = [...filesUnder(path.join(repoRoot, 'examples')), ...filesUnder(path.join(repoRoot, 'test', 'fixtures'))]
    .filter((f) => CODE.test(f) && !f.endsWith('.d.ts'))
    .map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') }));
  const tests = filesUnder(path.join(repoRoot, 'test'))
    .filter((f) => f.endsWith('.test.ts'))
    .flatMap((f) => snippets(fs.readFileSync(f, 'utf8')));
  return [...real, ...tests, ...handWritten];
}

/** Shapes the snippets may lack: calls of calls at one start, annotations, arrow bodies, composite literals. */
const handWritten = [
  { file: 'a.js', text: 'const h = () => process.env.H;\nf()(g)(h); a.b(c).d(e); new X(y)(z);\nclass C { x = 1; m() { return y; } }\n' },
  { file: 'a.ts', text: 'class C { private x = f(); m(): string { return this.x; } }\nconst { A = "d", B: b } = process.env;\n' },
  { file: 'a.py', text: 'def f():\n    return g()(h)\nx = a.b(c).d(e)\nlambda: f()\n' },
  { file: 'A.java', text: '@GrpcService\nclass A { @Value("${x}") String x; @Override int f(int p) { return g(h()).i(); } }\n' },
  { file: 'A.cs', text: 'class A { string H() => E("H"); int F() { var x = new B { C = D() }; return x.G(); } }\n' },
  { file: 'a.go', text: 'package a\nfunc h() string { return os.Getenv("H") }\nfunc (s *S) m() { x := T{A: f()(g)}; s.v = x }\n' },
];

/** The reference: every named node through every visitor, as the readers did before the walk was shared. */
function visitAll(table: LanguageTable, root: Node, extras: WalkExtras): Omit<CodeWalk, 'imports' | 'root' | 'text' | 'table'> {
  const scopeBuilder = new ScopeBuilder(table);
  const calls: CallNode[] = [];
  const nodes = new Map<string, Node[]>();
  const functions = new Map<string, Node>();
  for (const node of walk(root)) {
    const call = table.syntax.call(node);
    scopeBuilder.visit(node, call);
    if (call) calls.push(call);
    if (extras.types.includes(node.type)) nodes.set(node.type, [...(nodes.get(node.type) ?? []), node]);
    const fn = extras.functionName(node);
    if (fn && !functions.has(fn)) functions.set(fn, node);
  }
  return { scope: scopeBuilder.finish(), calls, nodes, functions };
}

/** Nodes as their ranges and types, so two walks compare as data. */
function plain(w: { scope: FileScope; calls: CallNode[]; nodes: Map<string, Node[]>; functions: Map<string, Node> }): unknown {
  const at = (n: Node) => `${n.type}@${n.startIndex}-${n.endIndex}`;
  const deep = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(deep)
      : v && typeof v === 'object'
        ? 'startIndex' in v && 'tree' in v
          ? at(v as Node)
          : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)]))
        : v;
  const map = (m: Map<string, unknown>) => [...m].map(([k, v]) => [k, deep(v)]);
  return {
    calls: w.calls.map((c) => [c.kind, c.callee, at(c.node)]),
    bindings: map(w.scope.bindings),
    callArgs: map(w.scope.calls),
    returns: map(w.scope.returns),
    nodes: map(w.nodes),
    functions: map(w.functions),
  };
}

describe('shared code walk', () => {
  it('collects what visiting every node collects, on every code file and snippet of the repository', async () => {
    await initKubeconn();
    const files = corpus();
    const seen = new Set<string>();
    for (const { file, text } of files) {
      const found = tableOf(file);
      if (!found) continue;
      seen.add(found.table.language);
      const extras = serverReaders[found.table.language];
      const tree = parse(found.grammar, text);
      try {
        const fast = walkCode(found.table, tree.rootNode, text, extras);
        assert.deepEqual(
          plain(fast),
          plain(visitAll(found.table, tree.rootNode, extras)),
          `${path.basename(file)}:\n${text.slice(0, 300)}`,
        );
      } finally {
        tree.delete();
      }
    }
    assert.deepEqual([...seen].sort(), ['csharp', 'go', 'java', 'js', 'python']);
    assert.ok(files.length > 50, `only ${files.length} code files and snippets`);
  });
});
