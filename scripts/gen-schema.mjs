#!/usr/bin/env node
// Writes schema/kubeconn.schema.json (the published JSON schema of .kubeconn.yaml) from the core's
// configSchema() and the rule registry. test/core/config.test.ts fails when the committed file is stale.
// Usage: npm run build && node scripts/gen-schema.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { configSchema } = await import(pathToFileURL(path.join(root, 'dist/src/core/config.js')).href);
const { allRules } = await import(pathToFileURL(path.join(root, 'dist/rules/index.js')).href);
mkdirSync(path.join(root, 'schema'), { recursive: true });
writeFileSync(path.join(root, 'schema/kubeconn.schema.json'), `${JSON.stringify(configSchema(allRules.map((r) => r.id)), null, 2)}\n`);
