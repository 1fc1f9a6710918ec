// package.json of Node services: `scripts.start`, `scripts.prestart` and `main`, so a fix can replace
// `npm start` as PID 1 with the `node …` command it runs; each script parsed as the `sh -c` code npm, pnpm and
// yarn 1 run it as (whether that shell execs the app decides whether it drains), and `packageManager`
// (corepack's `yarn@4.1.0`: yarn 1 and yarn ≥ 2 behave differently on SIGTERM).
import path from 'node:path';
import type { Extractor, FileFacts } from './index.js';
import { parseShell, type ShellScript } from './shell.js';

export interface PackageJsonFacts {
  scripts: Record<string, string>;
  /** Each script as shell code (npm runs `sh -c <script>`). */
  scriptCode: Record<string, ShellScript>;
  main?: string;
  /** corepack's `packageManager` field: `yarn@4.1.0`, `pnpm@9.0.0`. */
  packageManager?: string;
}

export const packageJsonExtractor: Extractor = {
  name: 'package.json',
  claims: (file) => path.posix.basename(file.replace(/\\/g, '/')) === 'package.json' && !/(^|\/)node_modules\//.test(file),
  mayMatter: (text) => text.includes('"scripts"'),
  extract(facts: FileFacts) {
    let json: unknown;
    try {
      json = JSON.parse(facts.text.replace(/^\ufeff/, '')); // a BOM is legal in the file, not in JSON.parse
    } catch {
      return; // not ours to report: npm and every editor already do
    }
    if (!json || typeof json !== 'object') return;
    const { scripts, main, packageManager } = json as { scripts?: unknown; main?: unknown; packageManager?: unknown };
    const strings = Object.entries(scripts && typeof scripts === 'object' ? scripts : {}).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    );
    facts.packageJson = {
      scripts: Object.fromEntries(strings),
      scriptCode: Object.fromEntries(strings.slice(0, 200).map(([name, code]) => [name, parseShell(code)])),
      main: typeof main === 'string' ? main : undefined,
      packageManager: typeof packageManager === 'string' ? packageManager : undefined,
    };
  },
};
