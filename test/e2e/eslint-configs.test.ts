// The README's ESLint setups, as a user writes them, with the real `eslint`: ESM and CommonJS config files,
// `defineConfig`, composition with typescript-eslint and eslint-plugin-yml in either order (both plugins'
// findings survive), the shared .kubeconn.yaml, and settings mistakes reported as messages, not crashes.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { eslint, linkPackages, makeProject, summarize, type Project, type Result } from './project.js';

const SERVICE =
  'apiVersion: v1\nkind: Service\nmetadata: {name: orders, namespace: shop}\nspec:\n  selector: {app: orders}\n  ports: [{name: grpc, port: 50051}]\n';
// A TypeScript client with an explicit `any` (typescript-eslint's no-explicit-any reports it).
const CLIENT_TS = [
  "import * as grpc from '@grpc/grpc-js';",
  "import { OrdersClient } from './gen/orders_grpc_pb';",
  'export function make(opts: any) {',
  "  return new OrdersClient('orders.shop:50051', grpc.credentials.createInsecure(), opts);",
  '}',
  '',
].join('\n');

function rulesOf(results: Result[]): string[] {
  return [...new Set(results.flatMap((r) => r.messages.map((m) => m.ruleId ?? `fatal:${m.message}`)))].sort();
}

describe('ESLint configs as the README shows them', () => {
  const projects: Project[] = [];
  after(() => projects.forEach((p) => p.cleanup()));
  const project = (files: Record<string, string>): Project => {
    const p = makeProject(files);
    projects.push(p);
    return p;
  };

  it('CommonJS eslint.config.cjs with require(), ESM spread, and defineConfig all give the same findings', () => {
    const p = project({ 'k8s/orders.yaml': SERVICE, 'src/client.ts': CLIENT_TS });
    const run = () => {
      const r = eslint(p.dir, ['--format', 'json', '.']);
      assert.equal(r.stderr, '');
      return summarize(JSON.parse(r.stdout) as Result[], p.dir);
    };
    const esm = run();
    assert.ok(
      esm.some((l) => l.includes('kubeconn/grpc-client-load-balancing')),
      'the TypeScript client is linted by configs.recommended',
    );
    p.write('package.json', JSON.stringify({ name: 'cjs-project', private: true }));
    linkPackages(p.dir, ['eslint']);
    p.write('eslint.config.js', "const kubeconn = require('kubeconn');\nmodule.exports = [...kubeconn.configs.recommended];\n");
    assert.deepEqual(run(), esm);
    p.write(
      'eslint.config.js',
      "const { defineConfig } = require('eslint/config');\nconst kubeconn = require('kubeconn');\nmodule.exports = defineConfig([kubeconn.configs.recommended]);\n",
    );
    assert.deepEqual(run(), esm);
  });

  for (const order of ['kubeconn first', 'kubeconn last']) {
    it(`composes with typescript-eslint and eslint-plugin-yml (${order}): every plugin keeps its findings`, () => {
      const p = project({
        'k8s/orders.yaml': `${SERVICE}  sessionAffinity:\n`, // an empty mapping value: yml/no-empty-mapping-value
        'src/client.ts': CLIENT_TS,
      });
      linkPackages(p.dir, ['typescript-eslint', '@typescript-eslint', 'typescript', 'eslint-plugin-yml']);
      const kubeconn = '...kubeconn.configs.recommended';
      const others = "...tseslint.configs.recommended.map((c) => ({ ...c, files: ['**/*.ts'] })),\n  ...yml.configs['flat/recommended']";
      p.write(
        'eslint.config.js',
        [
          "import kubeconn from 'kubeconn';",
          "import tseslint from 'typescript-eslint';",
          "import yml from 'eslint-plugin-yml';",
          'export default [',
          `  ${order === 'kubeconn first' ? `${kubeconn},\n  ${others}` : `${others},\n  ${kubeconn}`},`,
          '];',
          '',
        ].join('\n'),
      );
      const r = eslint(p.dir, ['--format', 'json', '.']);
      assert.equal(r.stderr, '');
      const rules = rulesOf(JSON.parse(r.stdout) as Result[]);
      for (const expected of [
        '@typescript-eslint/no-explicit-any',
        'yml/no-empty-mapping-value',
        'kubeconn/grpc-client-load-balancing',
        'kubeconn/grpc-clusterip-imbalance',
      ]) {
        assert.ok(rules.includes(expected), `${expected} in ${rules.join(', ')}`);
      }
    });
  }

  it('reads .kubeconn.yaml; settings.kubeconn wins over it; a typo is a message on the file, not a crash', () => {
    const p = project({ 'k8s/orders.yaml': SERVICE, '.kubeconn.yaml': 'rules:\n  service-app-protocol: off\n' });
    const findings = () => rulesOf(JSON.parse(eslint(p.dir, ['--format', 'json', '.']).stdout) as Result[]);
    assert.deepEqual(findings(), ['kubeconn/grpc-clusterip-imbalance']);
    p.write(
      'eslint.config.js',
      "import kubeconn from 'kubeconn';\nexport default [...kubeconn.configs.recommended, { settings: { kubeconn: { kubernetesVersoin: '1.30' } } }];\n",
    );
    const r = eslint(p.dir, ['--format', 'json', '.']);
    assert.equal(r.stderr, '', 'no crash');
    const messages = (JSON.parse(r.stdout) as Result[]).flatMap((x) => x.messages.map((m) => m.message));
    assert.ok(
      messages.includes(
        "kubeconn config: settings.kubeconn in the ESLint config:1:1: unknown key 'kubernetesVersoin' (did you mean 'kubernetesVersion'?)",
      ),
      messages.join('\n'),
    );
  });
});
