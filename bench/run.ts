// `npm run bench [-- --n 5000 | --quick]`: kubeconn against baselines measured in the same process run.
// 1. full analysis vs raw `yaml` parseAllDocuments of the same files      (target ≤ 1.5×)
// 2. retained memory of a Workspace after analyze() vs the parsed documents (target ≤ 2×)
// 3. incremental re-check after editing a ~5,000-line manifest in the whole workspace (p50/p95): the editor's
//    path (diagnostics from an analysis that verifies no fix: editP95Ms, target ≤ 30 ms; then the code action on
//    the edited line verifying its fixes) and the CLI's (every fix verified: editVerifiedP95Ms)
// 4. a 2,000-file code corpus, mostly plain code: analysis vs tree-sitter parsing only the grpc files
// 5. the CLI's wall time vs eslint + eslint-plugin-yml with one trivial rule        (target ≥ 3× faster)
// 6. the editor host's event loop while `kubeconn lsp --stdio` scans the corpus (longest stall; target ≤ 50 ms)
// Every measurement is repeated and interleaved with its baseline; tables print medians and ratios.
// `--json`: the last stdout line is one JSON object with every figure and ratio (see `figures`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { initKubeconn } from '../src/core/init.js';
import { createWorkspace, Workspace } from '../src/api.js';
import { extractors } from '../src/core/facts/index.js';
import { parse, type GrammarName } from '../src/core/facts/treesitter.js';
import { writeK8sCorpus } from './gen-k8s.js';
import { writePlainCode } from './gen-code.js';
import { collect, fmtMb, fmtMs, fmtRatio, hasGc, interleave, median, quantile, retained, table, timeChild } from './measure.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
    runs: { type: 'string', default: '3' },
    edits: { type: 'string', default: '50' },
    'code-files': { type: 'string', default: '2000' },
    'skip-cli': { type: 'boolean', default: false },
    'skip-lsp': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    dir: { type: 'string', default: path.join(os.tmpdir(), 'kubeconn-bench') },
  },
});
const n = values.quick ? 500 : Number(values.n);
const seed = Number(values.seed);
const runs = Number(values.runs);
const edits = Number(values.edits);
const codeFiles = values.quick ? 500 : Number(values['code-files']);

const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
const log = (s = ''): void => void process.stdout.write(`${s}\n`);

/** Every figure of the run (ms, bytes, ratios), printed as one JSON line at the end with --json. */
const figures: Record<string, number | string | null> = {};
const figure = (name: string, value: number | string): void => {
  figures[name] =
    typeof value === 'number' && !Number.isFinite(value) ? null : typeof value === 'number' ? Number(value.toFixed(3)) : value;
};

async function main(): Promise<void> {
  if (!hasGc()) log('warning: run with node --expose-gc (npm run bench does) or memory figures are meaningless');
  log(
    `kubeconn bench: node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const root = path.join(values.dir, `n${n}-s${seed}`);
  let t = performance.now();
  const corpus = writeK8sCorpus(root, n, seed);
  const texts = corpus.files.map((f) => ({
    file: path.join(corpus.k8sDir, f.path),
    text: fs.readFileSync(path.join(corpus.k8sDir, f.path), 'utf8'),
  }));
  const lines = texts.reduce((sum, f) => sum + f.text.split('\n').length - 1, 0);
  log(
    `corpus: ${n} Deployment+Service pairs in ${texts.length} files, ${fmtMb(corpus.bytes)}, ${lines} lines, at ${corpus.k8sDir} (${corpus.reused ? 'reused' : `generated in ${fmtMs(performance.now() - t)}`})`,
  );
  await initKubeconn();
  const summary: string[][] = [['measurement', 'baseline', 'kubeconn', 'ratio', 'target', 'result']];

  // Warm both code paths on a slice first, so the first timed run does not pay for JIT compilation.
  const warm = texts.slice(0, 300);
  for (const f of warm) parseAllDocuments(f.text);
  analyse(warm);

  // 1. Analysis vs raw parse.
  const parseVsAnalysis = await interleave(
    runs,
    () => texts.reduce((docs, f) => docs + parseAllDocuments(f.text).length, 0),
    () => analyse(texts),
  );
  const p = median(parseVsAnalysis.baseline);
  const a = median(parseVsAnalysis.subject);
  log(`\n1. Full analysis vs raw yaml parse (${runs} interleaved runs each, median; all runs in ms)`);
  log(
    table([
      ['', 'median', 'files/s', 'MB/s', 'runs'],
      [
        'yaml parseAllDocuments',
        fmtMs(p),
        rate(texts.length, p),
        rate(corpus.bytes / 1048576, p, 2),
        parseVsAnalysis.baseline.map((x) => x.toFixed(0)).join(' '),
      ],
      [
        'kubeconn analyze()',
        fmtMs(a),
        rate(texts.length, a),
        rate(corpus.bytes / 1048576, a, 2),
        parseVsAnalysis.subject.map((x) => x.toFixed(0)).join(' '),
      ],
    ]),
  );
  log(
    `   ${parseVsAnalysis.last.findings} findings, ${parseVsAnalysis.last.problems} parse problems, ${parseVsAnalysis.last.objects} objects`,
  );
  figure('files', texts.length);
  figure('bytes', corpus.bytes);
  figure('rawParseMs', p);
  figure('analyzeMs', a);
  figure('analyzeVsRawParse', a / p);
  summary.push(['analysis vs yaml parse (time)', fmtMs(p), fmtMs(a), fmtRatio(a / p), '≤ 1.50×', verdict(a / p <= 1.5)]);

  // 2. Memory: what stays alive after a full GC.
  // Repeated and interleaved like the timings (a stray major GC can skew one sample); the last Workspace stays.
  const parsedHeaps: number[] = [];
  const parsedRss: number[] = [];
  const heldHeaps: number[] = [];
  const heldRss: number[] = [];
  let held!: ReturnType<typeof retained<{ ws: Workspace; result: unknown }>>;
  for (let i = 0; i < runs; i++) {
    const parsed = retained(() => texts.map((f) => parseAllDocuments(f.text)));
    parsedHeaps.push(parsed.heap);
    parsedRss.push(parsed.rss);
    parsed.value.length = 0;
    if (held) held.value = undefined as never;
    held = retained(() => {
      const ws = workspaceOf(texts);
      return { ws, result: ws.analyze() };
    });
    heldHeaps.push(held.heap);
    heldRss.push(held.rss);
  }
  const parsedHeap = median(parsedHeaps);
  const heldHeap = median(heldHeaps);
  log(`\n2. Retained JS heap after full GC (source text ${fmtMb(corpus.bytes)} already loaded in both cases; median of ${runs})`);
  log(
    table([
      ['', 'heap', 'RSS delta', 'heap runs (MB)'],
      [
        'parseAllDocuments of every file, kept',
        fmtMb(parsedHeap),
        fmtMb(median(parsedRss)),
        parsedHeaps.map((b) => (b / 1048576).toFixed(0)).join(' '),
      ],
      [
        'Workspace after analyze(), kept',
        fmtMb(heldHeap),
        fmtMb(median(heldRss)),
        heldHeaps.map((b) => (b / 1048576).toFixed(0)).join(' '),
      ],
    ]),
  );
  figure('parsedHeapBytes', parsedHeap);
  figure('workspaceHeapBytes', heldHeap);
  figure('memoryVsParsed', heldHeap / parsedHeap);
  summary.push([
    'memory vs parsed documents',
    fmtMb(parsedHeap),
    fmtMb(heldHeap),
    fmtRatio(heldHeap / parsedHeap),
    '≤ 2.00×',
    verdict(heldHeap / parsedHeap <= 2),
  ]);

  // 3. Incremental: edit the big manifest inside the whole workspace.
  const ws = held.value.ws;
  const bigText = fs.readFileSync(corpus.bigFile, 'utf8');
  ws.setFile(corpus.bigFile, bigText);
  t = performance.now();
  ws.analyze();
  const fullWithBig = performance.now() - t;
  // The editor's state before the first keystroke: the language server's scan ends with an unverified analysis,
  // which incremental analyses start from (src/core/islands.ts).
  ws.analyze({ verifyFixes: false });
  const bigLines = bigText.split('\n');
  const parseTimes: number[] = [];
  const editTimes: number[] = [];
  const actionTimes: number[] = [];
  const fixAllTimes: number[] = [];
  const verifiedTimes: number[] = [];
  // The editor's path (the language server): an edit re-analyses without verifying fixes, and a code action on
  // the edited line then verifies the fixes of the findings there.
  for (let e = 0; e < edits; e++) {
    // Change one replicas value somewhere in the file: a real edit that changes facts, not just trivia.
    const { text: edited, line } = editReplicas(bigLines, e);
    let t0 = performance.now();
    parseAllDocuments(edited);
    parseTimes.push(performance.now() - t0);
    t0 = performance.now();
    ws.setFile(corpus.bigFile, edited);
    const result = ws.analyze({ verifyFixes: false });
    editTimes.push(performance.now() - t0);
    // A code action on the edited object: the findings of the first finding line at or below the edited line
    // (its container), verified as the quick-fix menu there verifies them for a client that resolves code
    // actions (VS Code, Neovim): those findings; the "Fix all <rule> problems" entry comes without its edit.
    // Then picking that entry: `codeAction/resolve` verifies every finding of the rule.
    const below = (result.byFile.get(corpus.bigFile) ?? []).filter((f) => f.line >= line);
    const first = Math.min(...below.map((f) => f.line));
    const atLine = below.filter((f) => f.line === first);
    t0 = performance.now();
    ws.verifyFindings(result, atLine);
    actionTimes.push(performance.now() - t0);
    const rules = new Set(atLine.map((f) => f.ruleId));
    t0 = performance.now();
    ws.verifyFindings(
      result,
      result.findings.filter((f) => rules.has(f.ruleId) && f.fix),
    );
    fixAllTimes.push(performance.now() - t0);
  }
  // The CLI's and ESLint's path: every fix verified by the analysis.
  for (let e = 0; e < edits; e++) {
    const t0 = performance.now();
    ws.setFile(corpus.bigFile, editReplicas(bigLines, edits + e).text);
    ws.analyze();
    verifiedTimes.push(performance.now() - t0);
  }
  log(
    `\n3. Incremental: ${edits} edits of a ${bigLines.length}-line, ${parseAllDocuments(bigText).length}-document manifest in a workspace of ${texts.length + 1} files`,
  );
  log(
    table([
      ['', 'p50', 'p95', 'max'],
      [
        'yaml parseAllDocuments of the edited file',
        fmtMs(median(parseTimes)),
        fmtMs(quantile(parseTimes, 0.95)),
        fmtMs(Math.max(...parseTimes)),
      ],
      [
        'kubeconn setFile + analyze({ verifyFixes: false }) (editor: diagnostics)',
        fmtMs(median(editTimes)),
        fmtMs(quantile(editTimes, 0.95)),
        fmtMs(Math.max(...editTimes)),
      ],
      [
        '  then verifyFindings of the edited line (quick-fix menu)',
        fmtMs(median(actionTimes)),
        fmtMs(quantile(actionTimes, 0.95)),
        fmtMs(Math.max(...actionTimes)),
      ],
      [
        '  then "Fix all <rule> problems" picked (codeAction/resolve)',
        fmtMs(median(fixAllTimes)),
        fmtMs(quantile(fixAllTimes, 0.95)),
        fmtMs(Math.max(...fixAllTimes)),
      ],
      [
        'kubeconn setFile + analyze() (CLI, ESLint: fixes verified)',
        fmtMs(median(verifiedTimes)),
        fmtMs(quantile(verifiedTimes, 0.95)),
        fmtMs(Math.max(...verifiedTimes)),
      ],
    ]),
  );
  log(`   (for scale: the first analyze() after adding the file took ${fmtMs(fullWithBig)})`);
  const inc = ws.incrementalCounters;
  log(
    `   incremental analyses ${inc.incremental} of ${inc.incremental + inc.full}, files re-analysed per edit ${(inc.files / Math.max(1, inc.incremental)).toFixed(1)}, fallbacks to whole analyses ${JSON.stringify(inc.fallbacks)}`,
  );
  figure('editIncrementalAnalyses', inc.incremental);
  figure('editFilesPerIncrementalAnalysis', inc.files / Math.max(1, inc.incremental));
  figure('editFileLines', bigLines.length);
  figure('editWorkspaceFiles', texts.length + 1);
  figure('edits', edits);
  figure('editParseP50Ms', median(parseTimes));
  figure('editP50Ms', median(editTimes));
  figure('editP95Ms', quantile(editTimes, 0.95));
  figure('editMaxMs', Math.max(...editTimes));
  figure('editCodeActionP50Ms', median(actionTimes));
  figure('editCodeActionP95Ms', quantile(actionTimes, 0.95));
  figure('editFixAllResolveP50Ms', median(fixAllTimes));
  figure('editFixAllResolveP95Ms', quantile(fixAllTimes, 0.95));
  figure('editVerifiedP50Ms', median(verifiedTimes));
  figure('editVerifiedP95Ms', quantile(verifiedTimes, 0.95));
  summary.push([
    'edit 5,000-line file (p95)',
    fmtMs(quantile(parseTimes, 0.95)),
    fmtMs(quantile(editTimes, 0.95)),
    fmtRatio(quantile(editTimes, 0.95) / quantile(parseTimes, 0.95)),
    '≤ 30 ms',
    verdict(quantile(editTimes, 0.95) <= 30),
  ]);
  summary.push([
    'edit 5,000-line file (p50)',
    fmtMs(median(parseTimes)),
    fmtMs(median(editTimes)),
    fmtRatio(median(editTimes) / median(parseTimes)),
    '≤ 100 ms (design: "milliseconds")',
    verdict(median(editTimes) <= 100),
  ]);
  collect();

  // 4. Code corpus.
  await codeCorpus(path.join(root, 'code'), summary);

  // 5. CLI vs eslint + eslint-plugin-yml.
  if (!values['skip-cli']) {
    const cli = await cliVsEslint(root, corpus.k8sDir, texts.length, summary);
    figure('cliVsRawParse', cli.cliMs / p);
    summary.push([
      'CLI wall vs one raw yaml parse',
      fmtMs(p),
      fmtMs(cli.cliMs),
      fmtRatio(cli.cliMs / p),
      '< 1.00×',
      verdict(cli.cliMs < p),
    ]);
    if (cli.cliPeakRss !== undefined) figure('cliPeakRssVsParsedHeap', cli.cliPeakRss / parsedHeap);
  }

  // 6. The editor host while the language server scans.
  if (!values['skip-lsp']) await hostStall(corpus.k8sDir, summary);

  log(`\nSummary (N = ${n}; ratios are kubeconn ÷ baseline from the same run, except the CLI row: eslint ÷ kubeconn)`);
  log(table(summary));
  if (values.json) log(JSON.stringify({ n, seed, runs, node: process.version, cpus: os.cpus().length, load: os.loadavg()[0], ...figures }));
}

/**
 * A plain Node LSP client (the one the protocol tests use) acting as the editor host: it spawns the server,
 * opens the corpus folder and waits for the scan to finish, while its own event loop is sampled. The longest
 * stall is what an extension host would feel.
 */
async function hostStall(folder: string, summary: string[][]): Promise<void> {
  const clientModule = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'lsp', 'client.js');
  const { TestClient } = (await import(pathToFileURL(clientModule).href)) as typeof import('../test/lsp/client.js');
  collect();
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  // A timer as a second opinion: the largest gap between 10 ms ticks beyond their period.
  let last = performance.now();
  let worstGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - last - 10);
    last = now;
  }, 10);
  const started = performance.now();
  histogram.enable();
  const client = await TestClient.start({ folders: [folder] });
  await client.idle();
  const scanMs = performance.now() - started;
  histogram.disable();
  clearInterval(ticker);
  const diagnosed = client.diagnostics.size;
  await client.stop();
  const maxStall = Math.max(histogram.max / 1e6 - 10, worstGap, 0);
  log(`\n6. Editor host during a language-server scan of ${folder.split(path.sep).slice(-2).join('/')} (plain Node LSP client)`);
  log(
    table([
      ['', 'value'],
      ['scan until idle (wall)', fmtMs(scanMs)],
      ['host event-loop delay p99', fmtMs(histogram.percentile(99) / 1e6)],
      ['host longest stall', fmtMs(maxStall)],
      ['files with diagnostics published', String(diagnosed)],
    ]),
  );
  figure('lspScanMs', scanMs);
  figure('hostP99DelayMs', histogram.percentile(99) / 1e6);
  figure('hostMaxStallMs', maxStall);
  summary.push(['editor host stall during scan', '-', fmtMs(maxStall), '-', '≤ 50 ms', verdict(maxStall <= 50)]);
}

function rate(count: number, ms: number, digits = 0): string {
  return (count / (ms / 1000)).toFixed(digits);
}

function workspaceOf(files: readonly { file: string; text: string }[]): Workspace {
  const ws = createWorkspace();
  for (const f of files) ws.setFile(f.file, f.text);
  return ws;
}

function analyse(files: readonly { file: string; text: string }[]): { findings: number; problems: number; objects: number } {
  const result = workspaceOf(files).analyze();
  return { findings: result.findings.length, problems: result.problems.length, objects: result.model.objects.length };
}

/** The file with one replicas value changed, and that line (1-based). */
function editReplicas(lines: readonly string[], e: number): { text: string; line: number } {
  const candidates: number[] = [];
  lines.forEach((l, i) => /^ {2}replicas: \d+/.test(l) && candidates.push(i));
  const at = candidates[(e * 37) % candidates.length]!;
  const copy = [...lines];
  copy[at] = copy[at]!.replace(/replicas: \d+/, `replicas: ${(e % 9) + 1}`);
  return { text: copy.join('\n'), line: at + 1 };
}

const GRAMMAR_BY_EXT: Record<string, GrammarName> = {
  go: 'go',
  py: 'python',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'typescript',
  tsx: 'tsx',
  java: 'java',
  cs: 'c_sharp',
};

async function codeCorpus(dir: string, summary: string[][]): Promise<void> {
  const grpcShare = 0.2; // about one file in five of a gRPC service repo dials or serves
  const generator = await loadGrpcGenerator();
  log(`\n4. Code corpus: ${codeFiles} files, ~${Math.round(grpcShare * 100)}% mention grpc`);
  if (!generator) {
    log('   skipped: bench/gen-grpc.ts (generateGrpcClients) is not present yet');
    return;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const grpcDir = path.join(dir, 'grpc');
  fs.mkdirSync(grpcDir, { recursive: true });
  await generator(grpcDir, Math.round(codeFiles * grpcShare));
  const grpcFiles = listFiles(grpcDir);
  const plain = writePlainCode(path.join(dir, 'plain'), Math.max(0, codeFiles - grpcFiles.length));
  const files = [...grpcFiles, ...plain].map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
  const mentioning = files.filter((f) => /grpc/i.test(f.text) && GRAMMAR_BY_EXT[ext(f.file)]);
  const bytes = files.reduce((s, f) => s + Buffer.byteLength(f.text), 0);
  const hasGrpcExtractor = extractors.some((x) => x.name === 'grpc');
  analyse(files.slice(0, 100));
  const measured = await interleave(
    runs,
    () => {
      for (const f of mentioning) parse(GRAMMAR_BY_EXT[ext(f.file)]!, f.text).delete();
    },
    () => {
      const ws = workspaceOf(files);
      const result = ws.analyze();
      const withFacts = files.filter((f) => (ws.factsOf(f.file) as { grpc?: unknown } | undefined)?.grpc).length;
      return { findings: result.findings.length, withFacts };
    },
  );
  const p = median(measured.baseline);
  const a = median(measured.subject);
  log(
    `   ${files.length} files (${fmtMb(bytes)}), ${mentioning.length} mention grpc; grpc extractor registered: ${hasGrpcExtractor ? 'yes' : 'NO (facts/index.ts does not list it yet)'}`,
  );
  log(
    table([
      ['', 'median', 'files/s', 'runs'],
      [
        `tree-sitter parse of the ${mentioning.length} grpc files only`,
        fmtMs(p),
        rate(mentioning.length, p),
        measured.baseline.map((x) => x.toFixed(0)).join(' '),
      ],
      [
        `kubeconn analyze() of all ${files.length} files`,
        fmtMs(a),
        rate(files.length, a),
        measured.subject.map((x) => x.toFixed(0)).join(' '),
      ],
    ]),
  );
  log(`   ${measured.last.withFacts} files produced gRPC facts, ${measured.last.findings} findings`);
  summary.push([`code corpus (${files.length} files) vs ts-parse of grpc ones`, fmtMs(p), fmtMs(a), fmtRatio(a / p), '(none)', '-']);
}

async function loadGrpcGenerator(): Promise<((dir: string, n: number) => unknown) | undefined> {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'gen-grpc.js');
  if (!fs.existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as { generateGrpcClients?: (dir: string, n: number) => unknown };
  return mod.generateGrpcClients;
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort();
}

const ext = (file: string): string => /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase() ?? '';

async function cliVsEslint(
  root: string,
  k8sDir: string,
  fileCount: number,
  summary: string[][],
): Promise<{ cliMs: number; cliPeakRss?: number }> {
  // A flat config next to the corpus: eslint-plugin-yml's language and ONE trivial rule, no cache.
  const config = path.join(root, 'eslint.config.mjs');
  const plugin = pathToFileURL(path.join(repo, 'node_modules', 'eslint-plugin-yml', 'lib', 'index.mjs')).href;
  fs.writeFileSync(
    config,
    `import yml from ${JSON.stringify(plugin)};\nexport default [{ files: ['**/*.yaml', '**/*.yml'], plugins: { yml }, language: 'yml/yaml', rules: { 'yml/no-empty-document': 'error' } }];\n`,
  );
  const eslint = path.join(repo, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const kubeconn = path.join(repo, 'bin', 'kubeconn.js');
  const rel = path.relative(root, k8sDir);
  const eslintRuns: { ms: number; rss?: number; cpu?: number }[] = [];
  const cliRuns: { ms: number; rss?: number; cpu?: number }[] = [];
  const parallelRuns: { ms: number; rss?: number; cpu?: number }[] = [];
  let eslintFiles = 0;
  let cliFiles = 0;
  let cliMessages = 0;
  for (let i = 0; i < runs; i++) {
    const e = await timeChild(process.execPath, [eslint, '--config', config, '--format', 'json', rel], root);
    if (e.code !== 0 && e.code !== 1) throw new Error(`eslint exited ${e.code}: ${e.stderr.slice(0, 2000)}`);
    eslintFiles = (JSON.parse(e.stdout) as unknown[]).length;
    eslintRuns.push({ ms: e.ms, rss: e.peakRss, cpu: e.cpuMs });
    const k = await timeChild(process.execPath, [kubeconn, 'check', rel, '--format', 'json'], root);
    if (k.code !== 0 && k.code !== 1) throw new Error(`kubeconn exited ${k.code}: ${k.stderr.slice(0, 2000)}`);
    const results = JSON.parse(k.stdout) as { messages: unknown[] }[];
    cliFiles = results.length;
    cliMessages = results.reduce((s, r) => s + r.messages.length, 0);
    cliRuns.push({ ms: k.ms, rss: k.peakRss, cpu: k.cpuMs });
    // The same check over two worker threads (src/node/parallel.ts): its JSON must be the same.
    const p = await timeChild(process.execPath, [kubeconn, 'check', rel, '--format', 'json', '--jobs', '2'], root);
    if (p.stdout !== k.stdout) throw new Error('kubeconn check --jobs 2 printed another report than --jobs 1');
    parallelRuns.push({ ms: p.ms, rss: p.peakRss, cpu: p.cpuMs });
  }
  const em = median(eslintRuns.map((r) => r.ms));
  const km = median(cliRuns.map((r) => r.ms));
  const rss = (rs: { rss?: number }[]): string => (rs[0]?.rss === undefined ? '-' : fmtMb(Math.max(...rs.map((r) => r.rss!))));
  const cpu = (rs: { cpu?: number }[]): number => (rs[0]?.cpu === undefined ? NaN : median(rs.map((r) => r.cpu!)));
  log(`\n5. CLI wall time, ${fileCount} files (${runs} interleaved runs each, median; spawned processes, no cache)`);
  log(
    table([
      ['', 'median wall', 'files/s', 'median CPU', 'peak RSS', 'wall runs (s)'],
      [
        'eslint + eslint-plugin-yml (yml/no-empty-document)',
        fmtMs(em),
        rate(eslintFiles, em),
        fmtMs(cpu(eslintRuns)),
        rss(eslintRuns),
        eslintRuns.map((r) => (r.ms / 1000).toFixed(1)).join(' '),
      ],
      [
        'kubeconn check --format json (all rules)',
        fmtMs(km),
        rate(cliFiles, km),
        fmtMs(cpu(cliRuns)),
        rss(cliRuns),
        cliRuns.map((r) => (r.ms / 1000).toFixed(1)).join(' '),
      ],
      [
        'kubeconn check --format json --jobs 2 (worker threads)',
        fmtMs(median(parallelRuns.map((r) => r.ms))),
        rate(cliFiles, median(parallelRuns.map((r) => r.ms))),
        fmtMs(cpu(parallelRuns)),
        rss(parallelRuns),
        parallelRuns.map((r) => (r.ms / 1000).toFixed(1)).join(' '),
      ],
    ]),
  );
  log('   (the --jobs 2 report is byte-identical to the single-threaded one)');
  log(`   eslint linted ${eslintFiles} files; kubeconn reported on ${cliFiles} files, ${cliMessages} messages`);
  summary.push(['CLI vs eslint+yml (wall)', fmtMs(em), fmtMs(km), `${fmtRatio(em / km)} faster`, '≥ 3.00× faster', verdict(em / km >= 3)]);
  summary.push([
    'CLI vs eslint+yml (CPU time)',
    fmtMs(cpu(eslintRuns)),
    fmtMs(cpu(cliRuns)),
    `${fmtRatio(cpu(eslintRuns) / cpu(cliRuns))} less`,
    '(context)',
    '-',
  ]);
  figure('eslintWallMs', em);
  figure('cliWallMs', km);
  figure('eslintCpuMs', cpu(eslintRuns));
  figure('cliCpuMs', cpu(cliRuns));
  figure('cliSpeedupVsEslint', em / km);
  figure('cliParallelWallMs', median(parallelRuns.map((r) => r.ms)));
  figure('cliParallelSpeedupVsEslint', em / median(parallelRuns.map((r) => r.ms)));
  const peak = cliRuns[0]?.rss === undefined ? undefined : Math.max(...cliRuns.map((r) => r.rss!));
  if (peak !== undefined) figure('cliPeakRssBytes', peak);
  return { cliMs: km, cliPeakRss: peak };
}

await main();
