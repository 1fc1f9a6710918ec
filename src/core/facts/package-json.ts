// package.json of Node services: `scripts.start`, `scripts.prestart` and `main`, so a fix can replace
// `npm start` as PID 1 with the `node …` command it runs.
import path from 'node:path';
import type { Extractor, FileFacts } from './index.js';

export interface PackageJsonFacts {
  scripts: Record<string, string>;
  main?: string;
}

export const packageJsonExtractor: Extractor = {
  name: 'package.json',
  claims: (file) => path.posix.basename(file.replace(/\\/g, '/')) === 'package.json' && !/(^|\/)node_modules\//.test(file),
  mayMatter: (text) => text.includes('"scripts"'),
  extract(facts: FileFacts) {
    let json: unknown;
    try {
      json = JSON.parse(facts.text);
    } catch {
      return; // not ours to report: npm and every editor already do
    }
    if (!json || typeof json !== 'object') return;
    const { scripts, main } = json as { scripts?: unknown; main?: unknown };
    const strings = Object.entries(scripts && typeof scripts === 'object' ? scripts : {}).filter((e): e is [string, string] => typeof e[1] === 'string');
    facts.packageJson = { scripts: Object.fromEntries(strings), main: typeof main === 'string' ? main : undefined };
  },
};
