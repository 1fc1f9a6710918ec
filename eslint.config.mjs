// kubeconn lints itself: typescript-eslint's strict type-checked rules on the TypeScript sources, and
// kubeconn's own plugin (the build in dist/) on the sample workspace examples/.
import tseslint from 'typescript-eslint';
import kubeconn from './dist/src/eslint/index.js';

export default [
  {
    ignores: [
      'dist/**',
      'dist-vscode/**',
      'node_modules/**',
      'vscode-runtime/**',
      'test/fixtures/**',
      '.vsix-staging/**',
      'bench/corpus/**',
      'coverage/**',
    ],
  },
  ...tseslint.configs.strictTypeChecked.map((c) => ({ ...c, files: ['src/**/*.ts', 'rules/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'] })),
  {
    files: ['src/**/*.ts', 'rules/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Numbers and booleans in template literals are how messages are written.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Non-null assertions mark places where an index or a parser guarantees presence; they stay explicit.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Rules read entities through a context whose members are closures, destructured by design (`check({ report, each })`).
    files: ['rules/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  {
    files: ['src/**/*.ts', 'rules/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Parsed YAML, JSON and syntax trees are typed as their schema says, not as the inputs are: the defensive
      // checks on untrusted input are the point of this code, so "unnecessary" conditions stay.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // @kubernetes/client-node's model classes are the shape types of manifests built as plain objects.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // node:test's describe/it return promises the runner awaits; tests read JSON outputs of the CLI and servers.
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
  // examples/ is the demo workspace: its findings are what it demonstrates, so they are warnings here.
  ...kubeconn.configs.recommended.map((c) => ({
    ...c,
    files: (c.files ?? []).map((f) => `examples/${f}`),
    rules: Object.fromEntries(Object.keys(c.rules ?? {}).map((id) => [id, 'warn'])),
  })),
];
