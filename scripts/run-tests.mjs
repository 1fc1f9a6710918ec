#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with node's test runner. Node 20 has no glob
// support in `node --test`, and pointing it at dist/test would also run helpers as tests.
// Extra arguments are passed through (e.g. `--test-name-pattern`); a path filter may follow `--only`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'dist', 'test');
const args = process.argv.slice(2);
const only = args.indexOf('--only');
const filter = only === -1 ? undefined : args.splice(only, 2)[1];
const files = fs
  .readdirSync(root, { recursive: true })
  .filter((f) => f.endsWith('.test.js') && (!filter || f.includes(filter)))
  .map((f) => path.join(root, f))
  .sort();
if (files.length === 0) {
  console.error(`no test files under ${root}${filter ? ` matching ${filter}` : ''}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...args, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
