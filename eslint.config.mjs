// kubeconn lints itself: typescript-eslint's strict type-checked rules on the TypeScript sources, and
// kubeconn's own plugin (the build in dist/) on the sample workspace examples/.
import tseslint from 'typescript-eslint';
import kubeconn from './dist/src/eslint/index.js';

export default [
  { ignores: ['dist/**', 'dist-vscode/**', 'node_modules/**', 'vscode-runtime/**', 'test/fixtures/**', '.vsix-staging/**', 'bench/corpus/**', 'coverage/**'] },
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
  ...kubeconn.configs.recommended.map((c) => ({ ...c, files: (c.files ?? []).map((f) => `examples/${f}`) })),
];
