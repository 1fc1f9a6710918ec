#!/usr/bin/env node
// `npm run fuzz -- --runs N [--minutes M] [--seed S] [--kind K] [--out DIR]`: a long fuzz campaign over the properties of
// test/fuzz (the same generators and invariants, from dist/test/fuzz after `npm run build`). Unlike the test
// it does not stop at the first failure: it counts every input, crash, hang (> 2 s CPU), fix violation and
// internal-error notice, keeps the smallest input of each distinct failure in DIR (default
// test/fuzz/crashers/found, to turn into regression tests) and exits 1 when any failure not already owned
// by other work (harness OWNED) was seen. --minutes stops a campaign early (the summary still prints).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    seed: { type: 'string' },
    kind: { type: 'string' },
    out: { type: 'string' },
    every: { type: 'string', default: '1000' },
    minutes: { type: 'string' },
  },
});
const runs = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const outDir = path.resolve(values.out ?? path.join(root, 'test/fuzz/crashers/found'));
const { initKubeconn } = await import(path.join(root, 'dist/src/api.js'));
const h = await import(path.join(root, 'dist/test/fuzz/harness.js'));
await initKubeconn();

const arb = values.kind ? h.inputArb(values.kind) : h.anyInputArb();
const stats = { inputs: 0, crashes: 0, hangs: 0, fixViolations: 0, owned: 0, internal: 0, fixes: 0, maxMs: 0 };
/** signature → { count, owner, smallest input } */
const found = new Map();
const started = Date.now();
const every = Number(values.every);

function record(input, outcome) {
  for (const failure of h.failures(outcome)) {
    const owner = h.ownerOf(failure);
    if (owner) stats.owned++;
    else if (failure.startsWith('crash:')) stats.crashes++;
    else if (failure.startsWith('hang:')) stats.hangs++;
    else stats.fixViolations++;
    const key = h.signature(failure);
    const entry = found.get(key) ?? { count: 0, owner, failure, input: undefined };
    entry.count++;
    const described = h.describeInput(input);
    if (!entry.input || described.text.length < entry.input.text.length) Object.assign(entry, { input: described, failure });
    found.set(key, entry);
  }
}

function summary() {
  const s = ((Date.now() - started) / 1000).toFixed(0);
  return `inputs ${stats.inputs}, crashes ${stats.crashes}, hangs>2s ${stats.hangs}, fix violations ${stats.fixViolations}, owned elsewhere ${stats.owned}, internal notices ${stats.internal}, fixes checked ${stats.fixes}, slowest ${stats.maxMs.toFixed(0)} ms, ${s} s`;
}

fc.check(
  fc.property(arb, (input) => {
    const outcome = h.check(h.materialise(input));
    stats.inputs++;
    stats.internal += outcome.internal.length;
    stats.fixes += outcome.fixes;
    stats.maxMs = Math.max(stats.maxMs, outcome.ms);
    record(input, outcome);
    if (stats.inputs % every === 0) console.log(`[${new Date().toISOString()}] ${summary()}`);
    return true;
  }),
  {
    numRuns: runs,
    seed,
    ...(values.minutes ? { interruptAfterTimeLimit: Number(values.minutes) * 60_000, markInterruptAsFailure: false } : {}),
  },
);

console.log(`\nkubeconn fuzz, seed ${seed}: ${summary()}`);
if (found.size > 0) {
  fs.mkdirSync(outDir, { recursive: true });
  for (const [key, e] of found) {
    const name = `${e.input.seed}-${key.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60)}.json`;
    fs.writeFileSync(
      path.join(outDir, name),
      `${JSON.stringify({ failure: e.failure.split('\n').slice(0, 8).join('\n'), owner: e.owner ?? null, count: e.count, ...e.input }, null, 2)}\n`,
    );
    console.log(`  ${e.count}× ${e.owner ? `[owned by ${e.owner}] ` : ''}${key}  → ${path.relative(root, path.join(outDir, name))}`);
  }
}
process.exit(stats.crashes + stats.hangs + stats.fixViolations > 0 ? 1 : 0);
