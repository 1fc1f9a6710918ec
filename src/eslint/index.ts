// The kubeconn ESLint plugin: languages for YAML, Dockerfiles and code, one rule per kubeconn rule, and
// `configs.recommended` (flat config). Grammars load here with top-level await because ESLint's parse()
// is synchronous; ESLint imports plugins with import(), which waits for it.
import { createRequire } from 'node:module';
import { commentSyntaxOf } from '../core/facts/index.js';
import { initKubeconn } from '../core/init.js';
import { allRules } from '../../rules/index.js';
import { KubeconnLanguage } from './language.js';
import { toEslintRule } from './rules.js';
import { textParser } from './text-parser.js';

await initKubeconn();

const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };

export const FILES = {
  yaml: ['**/*.yaml', '**/*.yml'],
  dockerfile: ['**/Dockerfile', '**/Dockerfile.*', '**/*.Dockerfile', '**/*.dockerfile', '**/Containerfile', '**/Containerfile.*'],
  // Extensionless entrypoint scripts are found by their shebang in the CLI; ESLint needs names to match.
  code: ['**/*.go', '**/*.py', '**/*.java', '**/*.cs', '**/*.sh', '**/*.bash', '**/*entrypoint', '**/*-start', '**/*-run'],
  /** Run under ESLint's own JavaScript language; the rules read the source text, not the ESTree. */
  javascript: ['**/*.js', '**/*.mjs', '**/*.cjs'],
  /** TypeScript and JSX, which ESLint's default parser cannot read: given the tolerant text parser. */
  typescript: ['**/*.ts', '**/*.mts', '**/*.cts', '**/*.tsx', '**/*.jsx'],
};

const rules = Object.fromEntries(allRules.map((rule) => [rule.id, toEslintRule(rule)]));
const recommendedRules = Object.fromEntries(
  allRules.filter((r) => r.meta.recommended !== false).map((r) => [`kubeconn/${r.id}`, r.meta.severity === 'error' ? 'error' : 'warn']),
);

const plugin = {
  meta: { name: 'kubeconn', version: pkg.version, namespace: 'kubeconn' },
  languages: {
    /** Any kubeconn input (manifests, Dockerfiles, scripts, Go/Python/Java/C#): what configs.recommended uses. */
    any: new KubeconnLanguage('any', commentSyntaxOf),
    yaml: new KubeconnLanguage('yaml', () => 'hash'),
    dockerfile: new KubeconnLanguage('dockerfile', () => 'hash'),
    code: new KubeconnLanguage('code', commentSyntaxOf),
  },
  rules,
  configs: {} as Record<string, object>,
};

// ESLint 10 takes config objects, not nested arrays, and one object has one language: manifests,
// Dockerfiles and code share `kubeconn/any`; JavaScript and TypeScript stay on ESLint's JS language so
// the project's other JS rules keep working on them.
const recommended = {
  name: 'kubeconn/recommended',
  files: [...FILES.yaml, ...FILES.dockerfile, ...FILES.code],
  plugins: { kubeconn: plugin },
  language: 'kubeconn/any',
  rules: recommendedRules,
};
const recommendedJs = { name: 'kubeconn/recommended-js', files: FILES.javascript, plugins: { kubeconn: plugin }, rules: recommendedRules };
const recommendedTs = {
  name: 'kubeconn/recommended-ts',
  files: FILES.typescript,
  plugins: { kubeconn: plugin },
  languageOptions: { parser: textParser },
  rules: recommendedRules,
};
plugin.configs.recommended = recommended;
plugin.configs['recommended-js'] = recommendedJs;
plugin.configs['recommended-ts'] = recommendedTs;
/** All three, to spread: `export default [...kubeconn.configs.all]`. */
plugin.configs.all = [recommended, recommendedJs, recommendedTs];

export default plugin;
export const configs = plugin.configs;
