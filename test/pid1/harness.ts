// Runs a command as PID 1 of a fresh PID namespace (what a container runtime does), sends SIGTERM to that
// PID 1 the way the kubelet/runtime does on pod deletion, and measures whether the workload (fixtures/app.cjs)
// got the signal and finished its drain before the namespace went away.
//
// Linux only, needs CAP_SYS_ADMIN (root) for `unshare --pid --mount-proc`. When that is not permitted this
// module throws — it never silently skips.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Environment variable naming the directory where fixtures/app.cjs writes its `ready`/`term`/`drained` markers. */
export const MARKER_ENV = 'KUBECONN_PID1_MARKERS';
/** Environment variable with the app's drain duration in ms (default 1000). */
export const DRAIN_ENV = 'KUBECONN_PID1_DRAIN_MS';

export interface RunAsPid1Options {
  /** Working directory of PID 1 (the container's WORKDIR). */
  cwd: string;
  /** Extra environment for PID 1, merged over PATH/HOME/LANG of this process. */
  env?: NodeJS.ProcessEnv;
  /** Hard bound for the whole run: start-up until ready + the grace window after SIGTERM. */
  timeoutMs: number;
  /** How long to wait after SIGTERM for PID 1 to exit (the terminationGracePeriod stand-in). Default 4000 ms. */
  graceMs?: number;
  /** How long the app drains after SIGTERM. Default 1000 ms. */
  drainMs?: number;
  /**
   * Extra namespaces for unshare, e.g. `['--net']`: a new network namespace with only a down loopback, so a
   * package manager's update check or registry access cannot leave the machine (or even the namespace).
   */
  unshareArgs?: string[];
  /** Record the namespace's process tree just before SIGTERM (`Pid1Result.tree`). */
  snapshotTree?: boolean;
}

/** One process of the namespace, as seen just before SIGTERM. Pids are the namespace's own. */
export interface NsProcess {
  pid: number;
  ppid: number;
  cmdline: string[];
}

export interface Pid1Result {
  /** The app wrote `drained`: it got SIGTERM and finished its drain before it was killed. */
  drained: boolean;
  /** The app wrote `term`: SIGTERM reached it (directly or forwarded). */
  gotTerm: boolean;
  /** Exit code of PID 1, if it exited by itself within the grace window. */
  exitCode: number | null;
  /** Signal that killed PID 1, if it was killed by a signal within the grace window. */
  signal: NodeJS.Signals | null;
  /** ms from sending SIGTERM until PID 1 exited, or the grace window if it did not exit (then `exited` is false). */
  elapsedMs: number;
  /** PID 1 exited within the grace window (false: still running, the harness SIGKILLed it, like the kubelet would). */
  exited: boolean;
  /** ms from SIGTERM to the app's `term` / `drained` markers (null if not written). */
  termAfterMs: number | null;
  drainedAfterMs: number | null;
  /** What PID 1 was when SIGTERM was sent: its host pid and command line. */
  pid1: { hostPid: number; cmdline: string[] };
  /** The app's own pid inside the namespace (1 means the app itself was PID 1). */
  appPid: number | null;
  /** stdout+stderr of the run, then the app's event log. */
  log: string;
  /** The namespace's processes just before SIGTERM, PID 1 first (only with `snapshotTree`). */
  tree?: NsProcess[];
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

/** Thrown when the kernel/container we run in does not let us create a PID namespace. */
export class Pid1UnsupportedError extends Error {
  override name = 'Pid1UnsupportedError';
}

const UNSHARE_ARGS = ['--fork', '--pid', '--mount-proc', '--kill-child', '--'];
/** unshare's own namespace/mount failure (not "failed to execute <argv0>: Permission denied", a fixture problem). */
const EPERM_RE = /^unshare: (?!failed to execute).*(?:Operation not permitted|Permission denied|EPERM)/m;

/**
 * Check once that `unshare --fork --pid --mount-proc` works here; throws Pid1UnsupportedError with the reason if not.
 * (`--mount-proc` implies a new mount namespace, so `--mount` is not needed.)
 */
export function assertPid1Supported(): void {
  if (process.platform !== 'linux') {
    throw new Pid1UnsupportedError(`PID 1 harness needs Linux PID namespaces; this is ${process.platform}`);
  }
  const r = spawnSync('unshare', [...UNSHARE_ARGS, 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new Pid1UnsupportedError(
      code === 'ENOENT'
        ? 'PID 1 harness: `unshare` not found (Debian package util-linux)'
        : `PID 1 harness: could not run unshare: ${r.error.message}`,
    );
  }
  if (r.status !== 0) {
    const why = (r.stderr || '').trim();
    throw new Pid1UnsupportedError(
      EPERM_RE.test(why)
        ? `PID 1 harness: unshare --pid --mount-proc is not permitted here (${why}). Run as root / with CAP_SYS_ADMIN (e.g. a privileged CI container); these tests must not be skipped.`
        : `PID 1 harness: unshare --pid --mount-proc failed with status ${r.status}: ${why}`,
    );
  }
}

/** Parent pid of a host pid from /proc/<pid>/stat (comm may contain spaces/parens: parse after the last ')'). */
function readPpid(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[1]);
  } catch {
    return null;
  }
}

/** The host pid of the namespace's PID 1: the (only) child of the `unshare` process, checked via NSpid. */
function findNamespacePid1(unsharePid: number): number {
  const children: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (readPpid(pid) === unsharePid) children.push(pid);
  }
  if (children.length !== 1) {
    throw new Error(`expected exactly one child of unshare (pid ${unsharePid}), found [${children.join(', ')}]`);
  }
  const pid = children[0]!;
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const nspid = /^NSpid:\s*(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/) ?? [];
  if (nspid.at(-1) !== '1' || nspid.length < 2) {
    throw new Error(`child ${pid} of unshare is not PID 1 of a new PID namespace (NSpid: ${nspid.join(' ')})`);
  }
  return pid;
}

function readCmdline(pid: number): string[] {
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (args.at(-1) === '') args.pop(); // NUL-terminated
    return args;
  } catch {
    return [];
  }
}

/** The namespace pid of a host pid (last NSpid entry), or null. */
function nsPidOf(hostPid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${hostPid}/status`, 'utf8');
    const last = /^NSpid:\s*(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/).at(-1);
    return last === undefined ? null : Number(last);
  } catch {
    return null;
  }
}

/** PID 1 (a host pid) and all its descendants, with namespace pids, PID 1 first then by pid. */
export function namespaceTree(pid1HostPid: number): NsProcess[] {
  const parent = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = readPpid(Number(name));
    if (ppid !== null) parent.set(Number(name), ppid);
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && hops < 64; p = parent.get(p), hops++) {
      if (p === pid1HostPid) return true;
    }
    return false;
  };
  const out: NsProcess[] = [];
  for (const pid of parent.keys()) {
    if (!inTree(pid)) continue;
    const nsPid = nsPidOf(pid);
    const nsPpid = pid === pid1HostPid ? 0 : nsPidOf(parent.get(pid)!);
    if (nsPid === null || nsPpid === null) continue;
    out.push({ pid: nsPid, ppid: nsPpid, cmdline: readCmdline(pid) });
  }
  return out.sort((a, b) => a.pid - b.pid);
}

function readMarker(dir: string, name: string): { pid: number; t: number } | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { pid: number; t: number };
  } catch {
    return null;
  }
}

/**
 * Run `argv` as PID 1 of a fresh PID namespace: `unshare --fork --pid --mount-proc --kill-child -- <argv>`.
 * Waits for fixtures/app.cjs to write `ready`, sends SIGTERM to the namespace's PID 1 (NOT to unshare, which
 * blocks SIGTERM while it waits), waits up to `graceMs` for PID 1 to exit, then reads the app's markers.
 * Everything still alive afterwards is SIGKILLed (PID 1 first: that tears the whole namespace down).
 */
export async function runAsPid1(argv: string[], opts: RunAsPid1Options): Promise<Pid1Result> {
  if (argv.length === 0) throw new Error('runAsPid1: empty argv');
  const graceMs = opts.graceMs ?? 4000;
  const deadline = Date.now() + opts.timeoutMs;
  const markers = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconn-pid1-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: process.env.HOME ?? '/root',
    LANG: process.env.LANG ?? 'C.UTF-8',
    ...opts.env,
    [MARKER_ENV]: markers,
    [DRAIN_ENV]: String(opts.drainMs ?? 1000),
  };

  let out = '';
  // Mutated from event callbacks; an object so TypeScript does not narrow it to its initial null.
  const st: { exit: Exit | null; spawnError: Error | null } = { exit: null, spawnError: null };
  // detached: unshare leads its own process group (and session: no controlling tty, like `docker run` without -t).
  const unshareArgs = [...(opts.unshareArgs ?? []), ...UNSHARE_ARGS];
  const child: ChildProcess = spawn('unshare', [...unshareArgs, ...argv], {
    cwd: opts.cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  child.on('error', (e) => (st.spawnError = e));
  const exited = new Promise<void>((resolve) => {
    child.on('close', (code, signal) => {
      st.exit = { code, signal, at: Date.now() };
      resolve();
    });
  });
  const appLog = () => {
    try {
      return fs.readFileSync(path.join(markers, 'events.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const fullLog = () => `${out}${out && !out.endsWith('\n') ? '\n' : ''}--- app events ---\n${appLog()}`;

  let pid1 = -1;
  try {
    // 1. Wait for readiness (or an early death / timeout).
    while (!fs.existsSync(path.join(markers, 'ready'))) {
      if (st.spawnError) {
        const code = (st.spawnError as NodeJS.ErrnoException).code;
        throw code === 'ENOENT'
          ? new Pid1UnsupportedError('PID 1 harness: `unshare` not found (Debian package util-linux)')
          : st.spawnError;
      }
      if (st.exit) {
        const e = st.exit;
        if (EPERM_RE.test(out)) {
          throw new Pid1UnsupportedError(
            `PID 1 harness: unshare --pid --mount-proc is not permitted here: ${out.trim()}. Run as root / with CAP_SYS_ADMIN; these tests must not be skipped.`,
          );
        }
        throw new Error(
          `runAsPid1(${JSON.stringify(argv)}): PID 1 exited (code ${e.code}, signal ${e.signal}) before the app was ready:\n${fullLog()}`,
        );
      }
      if (Date.now() > deadline - graceMs) {
        throw new Error(`runAsPid1(${JSON.stringify(argv)}): app not ready within ${opts.timeoutMs - graceMs} ms:\n${fullLog()}`);
      }
      await sleep(15);
    }
    const ready = readMarker(markers, 'ready');

    // 2. SIGTERM to the namespace's PID 1, as the runtime does.
    pid1 = findNamespacePid1(child.pid!);
    const cmdline = readCmdline(pid1);
    const tree = opts.snapshotTree ? namespaceTree(pid1) : undefined;
    const sentAt = Date.now();
    process.kill(pid1, 'SIGTERM');

    // 3. Give it the grace window.
    const graceEnd = Math.min(sentAt + graceMs, deadline);
    await Promise.race([exited, sleep(Math.max(0, graceEnd - Date.now()))]);
    const done = st.exit;
    const term = readMarker(markers, 'term');
    const drained = readMarker(markers, 'drained');

    // unshare mirrors PID 1's fate: exit code, or re-raises the terminating signal on itself.
    return {
      drained: drained !== null,
      gotTerm: term !== null,
      exitCode: done?.code ?? null,
      signal: done?.signal ?? null,
      elapsedMs: done ? done.at - sentAt : graceEnd - sentAt,
      exited: done !== null,
      termAfterMs: term ? term.t - sentAt : null,
      drainedAfterMs: drained ? drained.t - sentAt : null,
      pid1: { hostPid: pid1, cmdline },
      appPid: ready?.pid ?? null,
      log: fullLog(),
      ...(tree ? { tree } : {}),
    };
  } finally {
    if (!st.exit && child.pid !== undefined) {
      if (pid1 <= 0) {
        try {
          pid1 = findNamespacePid1(child.pid);
        } catch {
          /* not forked yet / already gone: --kill-child covers it */
        }
      }
      // SIGKILL from an ancestor namespace is always delivered to PID 1; its death kills the whole namespace.
      if (pid1 > 0) {
        try {
          process.kill(pid1, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      try {
        process.kill(-child.pid, 'SIGKILL'); // unshare's process group (--kill-child also SIGKILLs PID 1 then)
      } catch {
        /* already gone */
      }
      await Promise.race([exited, sleep(3000)]);
    }
    fs.rmSync(markers, { recursive: true, force: true });
  }
}
