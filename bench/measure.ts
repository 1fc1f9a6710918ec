// Timing helpers for the benchmarks: interleaved repeated runs (baseline, subject, baseline, subject…) so a
// noisy machine hurts both sides alike, medians and percentiles, heap deltas after forced GC, timed child
// processes (wall time and peak RSS), and a plain-text table.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

declare const gc: undefined | (() => void);

/** Full GC twice (weak refs and finalizers settle on the second); a no-op without --expose-gc. */
export function collect(): void {
  if (typeof gc === 'function') {
    gc();
    gc();
  }
}

export const hasGc = (): boolean => typeof gc === 'function';

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[at]!;
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export interface Pair<T> {
  baseline: number[];
  subject: number[];
  /** What the last subject run returned (counts to print and sanity-check). */
  last: T;
}

/** Time `baseline` and `subject` alternately, `runs` times each, with a GC before every run. Milliseconds. */
export async function interleave<B, S>(runs: number, baseline: () => B | Promise<B>, subject: () => S | Promise<S>): Promise<Pair<S>> {
  const out: Pair<S> = { baseline: [], subject: [], last: undefined as S };
  for (let i = 0; i < runs; i++) {
    collect();
    let t = performance.now();
    await baseline();
    out.baseline.push(performance.now() - t);
    collect();
    t = performance.now();
    out.last = await subject();
    out.subject.push(performance.now() - t);
  }
  return out;
}

/** JS heap growth (bytes) caused by building `make()`'s result and keeping it alive, measured after full GCs. */
export function retained<T>(make: () => T): { heap: number; rss: number; value: T } {
  collect();
  const before = process.memoryUsage();
  const value = make();
  collect();
  const after = process.memoryUsage();
  return { heap: after.heapUsed - before.heapUsed, rss: after.rss - before.rss, value };
}

export interface ChildRun {
  ms: number;
  /** Peak resident set in bytes, when /usr/bin/time is available. */
  peakRss?: number;
  /** User + system CPU time in ms (less sensitive to other load than wall time), from /usr/bin/time. */
  cpuMs?: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

const TIME = '/usr/bin/time';

/** Run a command to completion, capturing its output; wall time measured around the whole process. */
export function timeChild(command: string, args: string[], cwd: string): Promise<ChildRun> {
  const useTime = fs.existsSync(TIME);
  const report = path.join(os.tmpdir(), `kubeconn-bench-time-${process.pid}.txt`);
  const [cmd, argv] = useTime ? [TIME, ['-f', '%M %U %S', '-o', report, command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      let peakRss: number | undefined;
      let cpuMs: number | undefined;
      if (useTime) {
        const [kb, user, sys] = fs.readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
        if (Number.isFinite(kb)) peakRss = kb! * 1024;
        if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = (user! + sys!) * 1000;
        fs.rmSync(report, { force: true });
      }
      resolve({ ms, peakRss, cpuMs, code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

export const fmtMs = (ms: number): string =>
  ms >= 10_000
    ? `${(ms / 1000).toFixed(1)} s`
    : ms >= 1000
      ? `${(ms / 1000).toFixed(2)} s`
      : ms >= 10
        ? `${ms.toFixed(0)} ms`
        : `${ms.toFixed(2)} ms`;
export const fmtMb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const fmtRatio = (r: number): string => `${r.toFixed(2)}×`;

/** A left-aligned text table; the first row is the header. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
