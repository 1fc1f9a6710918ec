#!/usr/bin/env node
// `npm run fuzz -- --runs N [--jobs J] [--minutes M] [--seed S] [--kind K] [--out DIR]`: a long fuzz campaign over
// the properties of test/fuzz (the same generators and invariants, from dist/test/fuzz after `npm run build`).
// Unlike the test it does not stop at the first failure: it counts every input, crash, hang (> 2 s CPU), fix
// violation and internal-error notice, keeps the smallest input of each distinct failure in DIR (default
// test/fuzz/crashers/found, to turn into regression tests) and exits 1 when any failure not already owned
// by other work (harness OWNED) was seen. --minutes stops a campaign early (the summary still prints).
// --jobs J (default 1) splits the runs over J child processes (one per core is the useful maximum), each with
// its own seed derived from S; the parent merges their counts and failures into one summary and prints each
// job's seed and runs, so that a failure seen by job j is replayed with `--seed <its seed> --runs <its runs>`.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    jobs: { type: 'string', default: '1' },
    seed: { type: 'string' },
    kind: { type: 'string' },
    out: { type: 'string' },
    every: { type: 'string', default: '1000' },
    minutes: { type: 'string' },
  },
});
const runs = Number(values.runs);
const jobs = Number(values.jobs);
if (!(Number.isInteger(runs) && runs >= 0)) throw new Error(`--runs must be a whole number, got ${values.runs}`);
if (!(Number.isInteger(jobs) && jobs >= 1)) throw new Error(`--jobs must be a whole number ≥ 1, got ${values.jobs}`);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const outDir = path.resolve(values.out ?? path.join(root, 'test/fuzz/crashers/found'));
const every = Number(values.every);
const started = Date.now();
/** Set in a child of --jobs: it runs its share and sends its counts and failures to the parent. */
const jobLabel = process.env.KUBECONN_FUZZ_JOB;

const emptyStats = () => ({ inputs: 0, crashes: 0, hangs: 0, fixViolations: 0, owned: 0, internal: 0, fixes: 0, maxMs: 0 });

function summary(stats) {
  const s = ((Date.now() - started) / 1000).toFixed(0);
  return `inputs ${stats.inputs}, crashes ${stats.crashes}, hangs>2s ${stats.hangs}, fix violations ${stats.fixViolations}, owned elsewhere ${stats.owned}, internal notices ${stats.internal}, fixes checked ${stats.fixes}, slowest ${stats.maxMs.toFixed(0)} ms, ${s} s`;
}

/** Run `count` inputs from `jobSeed` in this process; returns the counts and, per failure signature, its smallest input. */
async function campaign(jobSeed, count, label) {
  const { initKubeconn } = await import(path.join(root, 'dist/src/api.js'));
  const h = await import(path.join(root, 'dist/test/fuzz/harness.js'));
  await initKubeconn();
  const arb = values.kind ? h.inputArb(values.kind) : h.anyInputArb();
  const stats = emptyStats();
  /** signature → { count, owner, failure, smallest input } */
  const found = new Map();
  const record = (input, outcome) => {
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
  };
  fc.check(
    fc.property(arb, (input) => {
      const outcome = h.check(h.materialise(input));
      stats.inputs++;
      stats.internal += outcome.internal.length;
      stats.fixes += outcome.fixes;
      stats.maxMs = Math.max(stats.maxMs, outcome.ms);
      record(input, outcome);
      if (stats.inputs % every === 0) console.log(`[${new Date().toISOString()}] ${label}${summary(stats)}`);
      return true;
    }),
    {
      numRuns: count,
      seed: jobSeed,
      ...(values.minutes ? { interruptAfterTimeLimit: Number(values.minutes) * 60_000, markInterruptAsFailure: false } : {}),
    },
  );
  return { stats, found: [...found] };
}

/** The seeds and run counts of the jobs: distinct seeds derived from the campaign's, the runs split evenly. */
function plan() {
  return Array.from({ length: jobs }, (_, i) => ({
    seed: i === 0 ? seed : (seed + i * 1_000_003) % 2 ** 31,
    runs: Math.floor(runs / jobs) + (i < runs % jobs ? 1 : 0),
  }));
}

function runJob(i, job) {
  return new Promise((resolve, reject) => {
    const child = fork(
      new URL(import.meta.url).pathname,
      [
        '--seed',
        String(job.seed),
        '--runs',
        String(job.runs),
        '--every',
        String(every),
        ...(values.kind ? ['--kind', values.kind] : []),
        ...(values.minutes ? ['--minutes', values.minutes] : []),
      ],
      { env: { ...process.env, KUBECONN_FUZZ_JOB: String(i + 1) } },
    );
    let result;
    child.on('message', (m) => (result = m));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      result
        ? resolve(result)
        : reject(new Error(`fuzz job ${i + 1} (seed ${job.seed}) ended without a result (${signal ?? `exit ${code}`})`)),
    );
  });
}

/** Sum the jobs' counts; per failure signature add the counts and keep the smallest input. */
function merge(results) {
  const stats = emptyStats();
  const found = new Map();
  for (const r of results) {
    for (const k of Object.keys(stats)) stats[k] = k === 'maxMs' ? Math.max(stats[k], r.stats[k]) : stats[k] + r.stats[k];
    for (const [key, e] of r.found) {
      const seen = found.get(key);
      if (!seen) found.set(key, { ...e });
      else {
        seen.count += e.count;
        if (e.input.text.length < seen.input.text.length) Object.assign(seen, { input: e.input, failure: e.failure });
      }
    }
  }
  return { stats, found };
}

if (jobLabel) {
  const result = await campaign(seed, runs, `job ${jobLabel}: `);
  process.send(result, () => process.exit(0));
} else {
  const jobsPlan = plan();
  const { stats, found } =
    jobs === 1 ? merge([await campaign(seed, runs, '')]) : merge(await Promise.all(jobsPlan.map((job, i) => runJob(i, job))));
  console.log(`\nkubeconn fuzz, seed ${seed}: ${summary(stats)}`);
  if (jobs > 1) console.log(`  jobs: ${jobsPlan.map((j, i) => `${i + 1}: --seed ${j.seed} --runs ${j.runs}`).join('; ')}`);
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
}
