// The kubeconn ESLint plugin object: languages for YAML, Dockerfiles and code, one rule per kubeconn rule,
// and flat configs. No top-level await, so CommonJS configs can `require('kubeconn')`; the WebAssembly
// runtime starts here and is ready before ESLint reads its first file (facts/treesitter.ts explains why);
// ESM importers get index.ts, which also awaits it.
//
// configs.recommended and configs.all are arrays (as typescript-eslint's and @eslint/markdown's are): spread
// them into `export default [...]`, or pass them to `defineConfig()`. They cover every file kind kubeconn
// analyses: YAML (kubeconn/yaml, or eslint-plugin-yml's language when installed), Helm templates,
// Dockerfiles, shell, Go, Python, Java, C# (kubeconn/any), JavaScript (ESLint's own language, untouched) and
// TypeScript (typescript-eslint's parser when installed, else a tolerant text parser).
import { allRules, commentSyntaxOf, initKubeconn } from '../api.js';
import { createRequire } from 'node:module';
import { KubeconnLanguage } from './language.js';
import { eslintPluginYml, typescriptEslintParser } from './peers.js';
import { toEslintRule } from './rules.js';
import { textParser } from './text-parser.js';

/** Resolves once the parser runtime is up; `await kubeconn.ready` before linting in the same tick from CommonJS. */
export const ready: Promise<void> = initKubeconn();

const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };

export const FILES = {
  yaml: ['**/*.yaml', '**/*.yml'],
  /** Helm templates: never valid YAML before rendering, so always kubeconn's own tolerant language. */
  helmTemplates: ['**/templates/**/*.yaml', '**/templates/**/*.yml', '**/templates/**/*.tpl'],
  dockerfile: [
    '**/Dockerfile',
    '**/Dockerfile.*',
    '**/Dockerfile-*',
    '**/Dockerfile_*',
    '**/*.Dockerfile',
    '**/*.dockerfile',
    '**/Containerfile',
    '**/Containerfile.*',
  ],
  // Extensionless entrypoint scripts are found by their shebang in the CLI; ESLint needs names to match.
  code: ['**/*.go', '**/*.py', '**/*.java', '**/*.cs', '**/*.sh', '**/*.bash', '**/*entrypoint', '**/*-start', '**/*-run'],
  /** Server config files some rules report in (Spring Boot's build and properties, Puma's config). */
  config: ['**/pom.xml', '**/build.gradle', '**/build.gradle.kts', '**/application*.properties', '**/config/puma.rb'],
  /** Left to ESLint's own JavaScript language: kubeconn's rules read the source text, not the ESTree. */
  javascript: ['**/*.js', '**/*.mjs', '**/*.cjs'],
  typescript: ['**/*.ts', '**/*.mts', '**/*.cts', '**/*.tsx', '**/*.jsx'],
};
const ALL_FILES = [
  ...FILES.yaml,
  ...FILES.helmTemplates,
  ...FILES.dockerfile,
  ...FILES.code,
  ...FILES.config,
  ...FILES.javascript,
  ...FILES.typescript,
];

type Config = Record<string, unknown> & { name: string };

export interface KubeconnPlugin {
  meta: { name: string; version: string; namespace: string };
  languages: Record<'any' | 'yaml' | 'dockerfile' | 'code', KubeconnLanguage>;
  rules: Record<string, object>;
  configs: { recommended: Config[]; all: Config[] } & Record<string, Config[]>;
  ready: Promise<void>;
}

const plugin: KubeconnPlugin = {
  meta: { name: 'kubeconn', version: pkg.version, namespace: 'kubeconn' },
  languages: {
    /** Any kubeconn input: manifests, Dockerfiles, scripts, Go/Python/Java/C#. */
    any: new KubeconnLanguage('any', commentSyntaxOf),
    yaml: new KubeconnLanguage('yaml', () => 'hash'),
    dockerfile: new KubeconnLanguage('dockerfile', () => 'hash'),
    code: new KubeconnLanguage('code', commentSyntaxOf),
  },
  rules: Object.fromEntries(allRules.map((rule) => [rule.id, toEslintRule(rule)])),
  configs: { recommended: [], all: [] },
  ready,
};

/** The config objects that make ESLint able to read each kind of file (no rules). */
function languageConfigs(): Config[] {
  const plugins = { kubeconn: plugin };
  const yml = eslintPluginYml();
  const tsParser = typescriptEslintParser() ?? textParser;
  return [
    yml
      ? { name: 'kubeconn/yaml', files: FILES.yaml, plugins: { ...plugins, yml }, language: 'yml/yaml' }
      : { name: 'kubeconn/yaml', files: FILES.yaml, plugins, language: 'kubeconn/yaml' },
    { name: 'kubeconn/helm-templates', files: FILES.helmTemplates, plugins, language: 'kubeconn/yaml' },
    {
      name: 'kubeconn/dockerfile-and-code',
      files: [...FILES.dockerfile, ...FILES.code, ...FILES.config],
      plugins,
      language: 'kubeconn/any',
    },
    { name: 'kubeconn/typescript', files: FILES.typescript, plugins, languageOptions: { parser: tsParser } },
  ];
}

const levelOf = (severity: string) => (severity === 'error' ? 'error' : 'warn');
plugin.configs.recommended = [
  ...languageConfigs(),
  {
    name: 'kubeconn/recommended',
    files: ALL_FILES,
    plugins: { kubeconn: plugin },
    rules: Object.fromEntries(
      allRules.filter((r) => r.meta.recommended !== false).map((r) => [`kubeconn/${r.id}`, levelOf(r.meta.severity)]),
    ),
  },
];
plugin.configs.all = [
  ...languageConfigs(),
  {
    name: 'kubeconn/all',
    files: ALL_FILES,
    plugins: { kubeconn: plugin },
    rules: Object.fromEntries(allRules.map((r) => [`kubeconn/${r.id}`, levelOf(r.meta.severity)])),
  },
];

export default plugin;
