#!/usr/bin/env node
// Keeps every list of the rules in step with the registry (rules/index.ts): the README's rule table (between
// `<!-- rules:start -->` and `<!-- rules:end -->`), the VS Code setting `kubeconn.rules` (one property per
// rule, for completion), and schema/kubeconn.schema.json. `--check` changes nothing and exits 1 when a list
// is stale (test/registry.test.ts runs the same comparison).
// Usage: npm run build && node scripts/rules-sync.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CATEGORY_TITLES = { balancing: 'Balancing', shutdown: 'Shutdown', signals: 'Signals', keepalive: 'Keep-alive' };

/** The README table: one row per rule, grouped by category in registry order. */
export function readmeTable(rules) {
  const lines = ['| rule | what it reports | fix |', '|---|---|---|'];
  for (const [category, title] of Object.entries(CATEGORY_TITLES)) {
    const inCategory = rules.filter((r) => r.meta.category === category);
    if (inCategory.length === 0) continue;
    lines.push(`| **${title}** | | |`);
    for (const r of inCategory) {
      const fix = [r.meta.fixable ? 'fix' : '', r.meta.hasSuggestions ? 'suggestions' : ''].filter(Boolean).join(', ') || '—';
      lines.push(`| [${r.id}](docs/rules/${r.id}.md) | ${r.meta.description.replace(/\|/g, '\\|')} | ${fix} |`);
    }
  }
  return lines.join('\n');
}

/** `kubeconn.rules` in package.json contributes: one property per rule id, with its description. */
export function rulesSetting(rules) {
  return Object.fromEntries(
    rules.map((r) => [r.id, { type: 'string', enum: ['off', 'info', 'warn', 'error'], description: r.meta.description }]),
  );
}

export function replaceBetween(text, start, end, body) {
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a === -1 || b === -1 || b < a) throw new Error(`rules-sync: markers ${start} … ${end} not found`);
  return `${text.slice(0, a + start.length)}\n${body}\n${text.slice(b)}`;
}

async function main() {
  const check = process.argv.includes('--check');
  const { allRules } = await import(pathToFileURL(path.join(root, 'dist/rules/index.js')).href);
  const { configSchema } = await import(pathToFileURL(path.join(root, 'dist/src/core/config.js')).href);
  const outputs = [];
  const readmePath = path.join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  outputs.push([readmePath, readme, replaceBetween(readme, '<!-- rules:start -->', '<!-- rules:end -->', readmeTable(allRules))]);
  const pkgPath = path.join(root, 'package.json');
  const pkgText = readFileSync(pkgPath, 'utf8');
  const pkg = JSON.parse(pkgText);
  const setting = pkg.contributes.configuration.properties['kubeconn.rules'];
  setting.properties = rulesSetting(allRules);
  outputs.push([pkgPath, pkgText, `${JSON.stringify(pkg, null, 2)}\n`]);
  const schemaPath = path.join(root, 'schema/kubeconn.schema.json');
  outputs.push([schemaPath, readFileSync(schemaPath, 'utf8'), `${JSON.stringify(configSchema(allRules.map((r) => r.id)), null, 2)}\n`]);
  let stale = 0;
  for (const [file, before, after] of outputs) {
    if (before === after) continue;
    stale++;
    if (check) console.error(`rules-sync: ${path.relative(root, file)} is out of date (run: node scripts/rules-sync.mjs)`);
    else writeFileSync(file, after);
  }
  if (check && stale > 0) process.exit(1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
