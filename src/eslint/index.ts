// `import kubeconn from 'kubeconn'` (and 'kubeconn/eslint'): the ESLint plugin, once its parser runtime is up.
// CommonJS `require('kubeconn')` gets the same object through cjs.cts, without waiting (plugin.ts says why
// that is safe for ESLint).
import plugin, { ready } from './plugin.js';

await ready;

export default plugin;
export const { meta, languages, rules, configs } = plugin;
export { ready };
export type { KubeconnPlugin } from './plugin.js';
