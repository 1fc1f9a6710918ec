// Optional peers whose parsers kubeconn adopts when the project has them, so that kubeconn's configs compose
// with theirs in either order: kubeconn's rules read only the source text, and any parser serves them; the
// other plugins' rules need their own parser. When typescript-eslint is installed, kubeconn's TypeScript
// config uses its parser (the same object typescript-eslint's configs set); when eslint-plugin-yml is
// installed, kubeconn's YAML config uses its `yml/yaml` language. Resolved from the project (ESLint's cwd and
// the folders above it, as Node resolves): the same module instance the user's config imports.
import { createRequire } from 'node:module';
import path from 'node:path';

function resolvePeer(name: string): unknown {
  try {
    return createRequire(path.join(process.cwd(), 'package.json'))(name);
  } catch {
    return undefined; // not installed in the project
  }
}

export interface EslintParser {
  meta?: { name?: string; version?: string };
  parseForESLint?(text: string, options?: unknown): unknown;
  parse?(text: string, options?: unknown): unknown;
}

export interface YmlPlugin {
  meta?: { name?: string };
  languages?: Record<string, unknown>;
}

let typescriptParser: EslintParser | null | undefined;
let ymlPlugin: YmlPlugin | null | undefined;

/** `@typescript-eslint/parser`, when the project has it. */
export function typescriptEslintParser(): EslintParser | undefined {
  if (typescriptParser === undefined) {
    const mod = resolvePeer('@typescript-eslint/parser') as (EslintParser & { default?: EslintParser }) | undefined;
    typescriptParser = mod?.parseForESLint ? mod : (mod?.default ?? null);
  }
  return typescriptParser ?? undefined;
}

/** eslint-plugin-yml, when the project has it and it ships the `yaml` language (v3+). */
export function eslintPluginYml(): YmlPlugin | undefined {
  if (ymlPlugin === undefined) {
    const mod = resolvePeer('eslint-plugin-yml') as (YmlPlugin & { default?: YmlPlugin }) | undefined;
    // An ES module comes back as its namespace; the user's `import yml from 'eslint-plugin-yml'` is the default.
    const plugin = mod?.default?.languages ? mod.default : mod;
    ymlPlugin = plugin?.languages?.yaml ? plugin : null;
  }
  return ymlPlugin ?? undefined;
}
