// The CLI's analysis over worker threads (src/node/parallel-worker.ts). A parsed YAML document cannot cross
// threads, so the files are split into parts that stay where they are parsed, and only plain data moves:
//   1. parts: whole Helm charts and kustomization trees stay together (their objects render from several
//      files); the rest is spread by size. Each worker extracts its part and returns every file's island keys
//      (core/islands.ts) and the identities of its plain manifests.
//   2. the main thread forms the islands and the folder units of the whole workspace, and gives each island to
//      the worker that holds most of its files (the others are extracted there too).
//   3. each worker analyses its islands — model, rules, fix verification — and returns findings and problems.
// The result is what the single-threaded analysis gives (test/cli/parallel.test.ts holds them equal).
import { Worker } from 'node:worker_threads';
import {
  compareFindings,
  Components,
  extractFacts,
  folderUnits,
  groupByFile,
  isKustomizationFile,
  Islands,
  structureOf,
  unitKeys,
  type FileFacts,
  type FileKeys,
  type Finding,
  type K8sObject,
  type KubeconnOptions,
  type ParseProblem,
  type PartKeys,
  type PartResult,
  type RuleNotice,
  type Structure,
} from '../core/index.js';

export interface FileInput {
  file: string;
  text?: string;
  /** Why the file was not read (then `text` is undefined). */
  skipped?: string;
}

export interface ParallelResult {
  findings: Finding[];
  problems: ParseProblem[];
  notices: RuleNotice[];
  byFile: Map<string, Finding[]>;
  problemsByFile: Map<string, ParseProblem[]>;
}

/** Worker messages: in, and out. */
export type ToWorker =
  | { kind: 'extract'; options: KubeconnOptions; structure: Structure; files: FileInput[] }
  | {
      kind: 'analyse';
      analyse: string[];
      extra: FileInput[];
      folders: [file: string, id: string, root: string][];
      workspace: string[];
      suggestions: boolean;
    };
export type FromWorker = { kind: 'keys'; keys: PartKeys } | { kind: 'result'; result: PartResult } | { kind: 'error'; message: string };

/**
 * How many workers a run uses unless `--jobs` says: one (the main thread). On the 2-core machines this is
 * measured on, two workers extract the 4,800-file bench corpus only 1.3× faster than one (YAML parsing is
 * allocation-bound: the isolates' garbage collectors compete for the same cores), and the split's own costs
 * (the keys of each part, texts copied to the workers) leave the CLI's wall time where it was; see
 * docs/benchmarks.md. `--jobs n` is there for machines with more cores.
 */
export function defaultJobs(): number {
  return 1;
}

class Part {
  private readonly worker: Worker;
  private waiting: ((m: FromWorker) => void) | undefined;
  private failed: Error | undefined;
  readonly files = new Set<string>();
  bytes = 0;

  constructor() {
    this.worker = new Worker(new URL('./parallel-worker.js', import.meta.url));
    this.worker.on('message', (m: FromWorker) => {
      const w = this.waiting;
      this.waiting = undefined;
      w?.(m);
    });
    this.worker.on('error', (e) => {
      this.failed = e;
      const w = this.waiting;
      this.waiting = undefined;
      w?.({ kind: 'error', message: e.message });
    });
  }

  ask(message: ToWorker): Promise<FromWorker> {
    if (this.failed) return Promise.resolve({ kind: 'error', message: this.failed.message });
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.worker.postMessage(message);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

function expect<K extends FromWorker['kind']>(m: FromWorker, kind: K): Extract<FromWorker, { kind: K }> {
  if (m.kind === 'error') throw new Error(`kubeconn: a worker thread failed: ${m.message}`);
  if (m.kind !== kind) throw new Error(`kubeconn: a worker thread answered ${m.kind}, not ${kind}`);
  return m as Extract<FromWorker, { kind: K }>;
}

export async function analyzeInParallel(
  files: readonly FileInput[],
  options: KubeconnOptions,
  jobs: number,
  suggestions: boolean,
): Promise<ParallelResult> {
  // 1. Parts: what deploys together (charts, kustomization trees) in one part, from the kustomization files
  // (read here: small) and the chart roots.
  const structural = new Map<string, FileFacts>();
  for (const f of files) {
    if (f.text !== undefined && isKustomizationFile(f.file)) structural.set(f.file, extractFacts(f.file, f.text, options));
    else if (/(^|[\\/])Chart\.ya?ml$/.test(f.file)) structural.set(f.file, { file: f.file } as FileFacts);
  }
  const structure = structureOf(structural, options);
  // Files that share a unit key (a chart, a kustomization that reads them) are one group; a file in two units
  // (a base two overlays read) joins their groups.
  const components = new Components();
  for (const f of files) {
    const keys = new Set<string>();
    unitKeys(f.file, structure, keys);
    for (const key of keys) components.union(f.file, `\0${key}`);
  }
  const merged = new Map<string, FileInput[]>();
  for (const f of files) {
    const root = components.find(f.file);
    const list = merged.get(root);
    if (list) list.push(f);
    else merged.set(root, [f]);
  }
  const parts = Array.from({ length: jobs }, () => new Part());
  try {
    const inputs: FileInput[][] = parts.map(() => []);
    const size = (list: FileInput[]) => list.reduce((n, f) => n + (f.text?.length ?? 0) + 200, 0);
    for (const list of [...merged.values()].sort((a, b) => size(b) - size(a))) {
      let best = 0;
      for (let i = 1; i < parts.length; i++) if (parts[i]!.bytes < parts[best]!.bytes) best = i;
      for (const f of list) parts[best]!.files.add(f.file);
      parts[best]!.bytes += size(list);
      inputs[best]!.push(...list);
    }
    const extracted = await Promise.all(
      parts.map(async (part, i) => expect(await part.ask({ kind: 'extract', options, structure, files: inputs[i]! }), 'keys').keys),
    );
    // 2. Islands and folder units of the whole workspace.
    const keys = new Map<string, FileKeys>();
    const plain: Pick<K8sObject, 'file' | 'kind' | 'namespace' | 'name'>[] = [];
    for (const part of extracted) {
      for (const [file, provides, uses] of part.keys) keys.set(file, { provides: new Set(provides), uses: new Set(uses) });
      for (const [file, kind, namespace, name] of part.plain) plain.push({ file, kind, namespace, name });
    }
    const islands = new Islands(keys, structure);
    const folders: [string, string, string][] = [];
    for (const { unit, objects } of folderUnits(plain as K8sObject[])) {
      const seen = new Set<string>();
      for (const o of objects) {
        if (seen.has(o.file)) continue;
        seen.add(o.file);
        folders.push([o.file, unit.id, unit.root]);
      }
    }
    const byFile = new Map(files.map((f) => [f.file, f]));
    const analyse: string[][] = parts.map(() => []);
    const extra: FileInput[][] = parts.map(() => []);
    const load = parts.map(() => 0);
    const done = new Set<readonly string[]>();
    for (const f of files) {
      const island = islands.island(f.file);
      if (done.has(island)) continue;
      done.add(island);
      const counts = parts.map((p) => island.filter((x) => p.files.has(x)).length);
      let owner = 0;
      for (let i = 1; i < parts.length; i++)
        if (counts[i]! > counts[owner]! || (counts[i] === counts[owner] && load[i]! < load[owner]!)) owner = i;
      for (const x of island) {
        analyse[owner]!.push(x);
        if (!parts[owner]!.files.has(x)) extra[owner]!.push(byFile.get(x)!);
      }
      load[owner]! += island.length;
    }
    // 3. Each worker analyses its islands.
    const workspace = files.map((f) => f.file);
    const results = await Promise.all(
      parts.map(async (part, i) => {
        const own = new Set(analyse[i]);
        const message: ToWorker = {
          kind: 'analyse',
          analyse: analyse[i]!,
          extra: extra[i]!,
          folders: folders.filter(([file]) => own.has(file)),
          workspace,
          suggestions,
        };
        return expect(await part.ask(message), 'result').result;
      }),
    );
    const findings = results.flatMap((r) => r.findings).sort(compareFindings);
    const problems = results.flatMap((r) => r.problems).sort(compareFindings);
    return {
      findings,
      problems,
      notices: results.flatMap((r) => r.notices),
      byFile: groupByFile(findings),
      problemsByFile: groupByFile(problems),
    };
  } finally {
    await Promise.all(parts.map((p) => p.stop()));
  }
}
