// `kubeconn check [paths…]`: analysis of a project from disk, the same engine and findings as the ESLint
// plugin and the editor. Zero configuration; a `.kubeconn.yaml` found from the first path upward applies,
// flags win over it. Exit codes: 0 clean (warnings allowed), 1 errors found, 2 usage, config or internal error.
import {
  allRules,
  applyEdits,
  type Fix,
  globProblem,
  initKubeconn,
  printable,
  type KubeconnOptions,
  mergeOptions,
  OptionsError,
  type RuleLevel,
  selectFixes,
  Workspace,
} from '../api.js';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { collectFiles, FileError, readForAnalysis } from '../node/files.js';
import { analyzeInParallel, defaultJobs, type FileInput } from '../node/parallel.js';
import { formatConfigProblem, loadProjectConfig } from '../node/config-file.js';
import { formatJson, formatStylish, type Format } from './format.js';
import { Progress } from './progress.js';
import { toResult } from './results.js';
import { toSarif } from './sarif.js';
import { pushTo, type AnalysisResult } from '../api.js';

const USAGE = `Usage: kubeconn check [paths...] [options]
       kubeconn rules
       kubeconn lsp --stdio          the language server, for editors (docs/editors.md)

Finds the ways long-lived gRPC/HTTP2 connections break in Kubernetes: imbalance behind ClusterIP Services,
missing preStop delays, grace-period budgets, and PID 1 shells that drop SIGTERM. Paths default to ".";
every file under them is analysed together, so a client in one file is linked to the Service in another.

Options:
  --fix                        apply the safe fixes and write the files
  --config <file>              the project config (default: .kubeconn.yaml found upward)
  --no-config                  ignore any project config file
  --project <dir>              analyse every file under <dir> as evidence, report only the paths given
                               (pre-commit: a staged client file is still linked to its manifests)
  --stdin                      lint the text on stdin as the file --stdin-filename names
  --stdin-filename <path>      where the stdin text lives in the project (with --stdin)
  --format <stylish|json|sarif>  output format (json is ESLint's JSON shape)            [stylish]
  -o, --output-file <file>     write the report to a file
  --rule <id>=<off|info|warn|error>  set a rule's level (repeatable)
  --kubernetes-version <1.N>   oldest Kubernetes version the manifests target          [1.30]
  --pre-stop-seconds <n>       preStop sleep inserted by fixes                          [5]
  --drain-seconds <n>          drain time fixes add on top of the preStop delay         [10]
  --app-protocol <kubernetes.io/h2c|grpc>  appProtocol inserted for gRPC ports
  --image-map <image>=<Dockerfile>  place an image the linker cannot (repeatable)
  --exclude <glob>             skip matching files (gitignore syntax, repeatable)
  --max-file-size <bytes>      skip larger files                                        [5242880]
  --max-parse-ms <n>           skip a file whose parsing takes longer (CPU milliseconds) [10000]
  --jobs <n>                   analyse in n worker threads (default 1: the main thread; see docs/benchmarks.md)
  --debug                      say on stderr which parts of Helm charts and Kustomize overlays were unknown, and why
  --quiet                      report errors only
  --max-warnings <n>           exit 1 when there are more warnings than this
  -h, --help                   show this help
  -v, --version                print the version
`;

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    if (error instanceof UsageError || error instanceof OptionsError || error instanceof FileError) {
      process.stderr.write(`kubeconn: ${printable(error.message)}\n`);
      if (error instanceof UsageError) process.stderr.write(`Run 'kubeconn --help' for usage.\n`);
      return 2;
    }
    process.stderr.write(`kubeconn: internal error: ${printable(String((error as Error).stack ?? error))}\n`);
    return 2;
  }
}

async function run(argv: string[]): Promise<number> {
  if (argv[0] === 'lsp') return lsp(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        fix: { type: 'boolean' },
        config: { type: 'string' },
        'no-config': { type: 'boolean' },
        project: { type: 'string' },
        stdin: { type: 'boolean' },
        'stdin-filename': { type: 'string' },
        format: { type: 'string', default: 'stylish' },
        'output-file': { type: 'string', short: 'o' },
        rule: { type: 'string', multiple: true },
        'kubernetes-version': { type: 'string' },
        'pre-stop-seconds': { type: 'string' },
        'drain-seconds': { type: 'string' },
        'app-protocol': { type: 'string' },
        'image-map': { type: 'string', multiple: true },
        exclude: { type: 'string', multiple: true },
        'max-file-size': { type: 'string' },
        'max-parse-ms': { type: 'string' },
        quiet: { type: 'boolean' },
        debug: { type: 'boolean' },
        jobs: { type: 'string' },
        'max-warnings': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const [command = 'check', ...paths] = positionals;
  if (command === 'rules') {
    for (const r of allRules) {
      process.stdout.write(
        `${r.id.padEnd(32)} ${r.meta.severity.padEnd(8)} ${r.meta.description}\n${' '.repeat(42)}${r.meta.remediation}\n`,
      );
    }
    return 0;
  }
  if (command !== 'check') throw new UsageError(`unknown command '${command}'`);
  const format = values.format as Format;
  if (!['stylish', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be stylish, json or sarif, got '${format}'`);

  if (values['no-config'] && values.config) throw new UsageError('--config and --no-config cannot be used together');
  if (values['stdin-filename'] !== undefined && !values.stdin) throw new UsageError('--stdin-filename needs --stdin');
  if (values.stdin && values.fix)
    throw new UsageError(
      '--fix cannot write to stdin; pipe the text through `kubeconn check --stdin --format json` and apply the fixes it lists',
    );
  const project = values.project;
  if (project !== undefined && !fs.statSync(project, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--project: not a folder: ${project}`);
  const roots = project !== undefined ? [project] : paths.length > 0 ? paths : ['.'];
  const ruleIds = allRules.map((r) => r.id);
  const config = values['no-config']
    ? { options: {}, problems: [] }
    : loadProjectConfig(firstFolder(roots[0]!), ruleIds, values.config ? path.resolve(values.config) : undefined);
  // A config mistake stops the run; a warning (an unusable exclude pattern, left out) does not.
  for (const problem of config.problems)
    process.stderr.write(`kubeconn: ${problem.severity === 'warning' ? 'warning: ' : ''}${printable(formatConfigProblem(problem))}\n`);
  if (config.problems.some((p) => p.severity !== 'warning')) return 2;
  const options = mergeOptions(config.options, toOptions(values));
  const files = collectFiles(roots, { exclude: options.exclude, include: options.include });
  await initKubeconn();
  const ws = new Workspace(options, allRules);
  const progress = new Progress();
  // Worker threads for a plain check of a large workspace (src/node/parallel.ts); --fix, --stdin and --debug
  // need the workspace's own analysis.
  const jobs = values.jobs !== undefined ? parseJobs(values.jobs) : defaultJobs();
  const parallel = jobs > 1 && !values.fix && !values.stdin && !values.debug;
  const reads: FileInput[] = [];
  for (const [i, file] of files.entries()) {
    // A file that cannot be read (or is too large, or not a regular file) is a problem of that file only.
    const read = readForAnalysis(file, ws.options.maxFileBytes);
    if (read.skipped !== undefined) ws.setSkipped(file, read.skipped);
    else ws.setFile(file, read.text);
    if (parallel) reads.push(read.skipped !== undefined ? { file, skipped: read.skipped } : { file, text: read.text });
    else if (progress.enabled) {
      ws.factsOf(file); // extract now rather than all at once in analyze(), so the count moves
      progress.update(`reading ${i + 1}/${files.length} files`);
    }
  }
  let reported = files;
  if (project !== undefined && paths.length > 0) {
    // Only the named files are reported (those the project walk skipped as unanalysable are not files of ours).
    const wanted = new Set(collectFiles(paths, { exclude: options.exclude, include: options.include }));
    reported = files.filter((f) => wanted.has(f));
  }
  if (values.stdin) {
    const name = values['stdin-filename'] ? path.resolve(values['stdin-filename']) : path.resolve('<stdin>.yaml');
    ws.setFile(name, fs.readFileSync(0, 'utf8'));
    reported = [name];
  }
  if (values.fix) applyFixes(ws, true, progress, roots);

  // Only the JSON report lists suggestions: for the others they are neither verified nor kept.
  let result: Pick<AnalysisResult, 'findings' | 'problems' | 'byFile' | 'problemsByFile' | 'notices'>;
  if (parallel) {
    progress.update(`analysing ${files.length} files in ${jobs} threads`, true);
    result = await analyzeInParallel(reads, ws.options, jobs, format === 'json');
  } else result = progress.analyze(ws, undefined, { suggestions: format === 'json' });
  progress.done();
  const cwd = process.cwd();
  const keep = (severity: string) => !values.quiet || severity === 'error';
  const results = reported.map((file) => {
    const findings = (result.byFile.get(file) ?? []).filter((f) => keep(f.severity));
    // A skipped file's text is never embedded in the report (it may be huge, binary or unreadable).
    const problems = result.problemsByFile.get(file) ?? [];
    return toResult(file, problems.some((p) => p.kind === 'skipped') ? undefined : ws.text(file), findings, problems);
  });
  let report: string;
  if (format === 'json') report = `${formatJson(results)}\n`;
  else if (format === 'sarif') {
    const version = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
    const inReport = new Set(reported);
    report = `${JSON.stringify(
      toSarif({
        rules: allRules,
        version,
        root: cwd,
        findings: result.findings.filter((f) => inReport.has(f.file) && keep(f.severity)),
        problems: result.problems.filter((p) => inReport.has(p.file)),
        textOf: (file) => ws.text(file),
      }),
      null,
      2,
    )}\n`;
  } else report = formatStylish(results, result.byFile, cwd);
  if (values['output-file']) fs.writeFileSync(values['output-file'], report);
  else process.stdout.write(report);

  if (values.debug && 'model' in result) {
    const model = (result as AnalysisResult).model;
    for (const u of model.units.units) process.stderr.write(`kubeconn: unit ${printable(u.id.replace(cwd + '/', ''))}\n`);
    for (const line of model.units.debug) process.stderr.write(`kubeconn: ${printable(line.split(cwd + '/').join(''))}\n`);
  }
  // A rule that failed is a kubeconn bug: every other finding is reported, and the exit code says so.
  for (const n of result.notices) {
    process.stderr.write(
      `kubeconn: ${printable(n.message)}${n.at ? ` (${printable(path.relative(cwd, n.at.file) || n.at.file)}:${n.at.line}:${n.at.column})` : ''}\n`,
    );
  }
  if (result.notices.length > 0) return 2;
  const errors = results.reduce((n, r) => n + r.errorCount, 0);
  const warnings = results.reduce((n, r) => n + r.warningCount, 0);
  const maxWarnings = values['max-warnings'] === undefined ? Infinity : Number(values['max-warnings']);
  return errors > 0 || warnings > maxWarnings ? 1 : 0;
}

/** `kubeconn lsp --stdio`: the language server (src/lsp), loaded only for this command. */
async function lsp(argv: string[]): Promise<number> {
  const transports = ['--stdio', '--node-ipc'];
  const transport = argv.find((a) => transports.includes(a) || a.startsWith('--socket=') || a.startsWith('--pipe='));
  const unknown = argv.find((a) => a !== transport && !a.startsWith('--clientProcessId'));
  if (!transport) throw new UsageError('kubeconn lsp needs a transport: --stdio (or --node-ipc, --socket=<port>, --pipe=<name>)');
  if (unknown) throw new UsageError(`kubeconn lsp: unknown option '${unknown}'`);
  const version = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
  const { runLanguageServer } = await import('../lsp/main.js');
  await runLanguageServer({ version });
  return 0; // the server keeps the process running until the client sends `exit`
}

/** The folder a config search starts from: the path itself, or the folder of a file path. */
function firstFolder(p: string): string {
  const abs = path.resolve(p);
  return fs.statSync(abs, { throwIfNoEntry: false })?.isFile() ? path.dirname(abs) : abs;
}

function parseJobs(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 64)
    throw new UsageError(`--jobs takes a number of threads from 1 to 64, got '${value}'`);
  return Number(value);
}

function toOptions(values: Record<string, unknown>): Partial<KubeconnOptions> {
  const rules: Record<string, RuleLevel> = {};
  for (const spec of (values.rule as string[] | undefined) ?? []) {
    const m = /^(?:kubeconn\/)?([a-z0-9-]+)=(off|info|warn|error)$/.exec(spec);
    if (!m) throw new UsageError(`--rule takes <id>=<off|info|warn|error>, got '${spec}'`);
    if (!allRules.some((r) => r.id === m[1])) throw new UsageError(`unknown rule '${m[1]}' (see 'kubeconn rules')`);
    rules[m[1]!] = m[2] as RuleLevel;
  }
  const imageMap: Record<string, string> = {};
  for (const spec of (values['image-map'] as string[] | undefined) ?? []) {
    const at = spec.lastIndexOf('=');
    if (at <= 0) throw new UsageError(`--image-map takes <image>=<Dockerfile path>, got '${spec}'`);
    imageMap[spec.slice(0, at)] = path.resolve(spec.slice(at + 1));
  }
  const int = (name: string): number | undefined => {
    const raw = values[name] as string | undefined;
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} takes a whole number, got '${raw}'`);
    return Number(raw);
  };
  const appProtocol = values['app-protocol'] as string | undefined;
  if (appProtocol !== undefined && appProtocol !== 'kubernetes.io/h2c' && appProtocol !== 'grpc') {
    throw new UsageError(`--app-protocol must be kubernetes.io/h2c or grpc, got '${appProtocol}'`);
  }
  if (values['max-warnings'] !== undefined) int('max-warnings');
  // Checked like the config file's patterns: an unusable one is left out with a warning, the others and the defaults apply.
  const exclude = ((values.exclude as string[] | undefined) ?? []).filter((pattern) => {
    const problem = globProblem(pattern);
    if (problem !== undefined) process.stderr.write(`kubeconn: warning: --exclude: ${printable(problem)}; the pattern is ignored\n`);
    return problem === undefined;
  });
  return {
    rules: Object.keys(rules).length > 0 ? rules : undefined,
    imageMap: Object.keys(imageMap).length > 0 ? imageMap : undefined,
    exclude: exclude.length > 0 ? exclude : undefined,
    kubernetesVersion: values['kubernetes-version'] as string | undefined,
    preStopSeconds: int('pre-stop-seconds'),
    drainSeconds: int('drain-seconds'),
    maxFileBytes: int('max-file-size'),
    maxParseMs: int('max-parse-ms'),
    appProtocol: appProtocol,
  };
}

/**
 * Apply safe fixes as ESLint does: per pass, the non-overlapping single-file fixes; re-analyse; repeat
 * until nothing is left to fix (10 passes at most). Files are written once, at the end, each through
 * writeFixed (atomic, inside `roots`, only over the bytes that were read); a refusal is a notice on stderr.
 */
export function applyFixes(ws: Workspace, write = true, progress?: Progress, roots: readonly string[] = ['.']): Set<string> {
  const changed = new Set<string>();
  const original = new Map<string, string>();
  const fixesOnly = { suggestions: false }; // --fix applies fixes: suggestions are neither verified nor kept
  for (let pass = 0; pass < 10; pass++) {
    const byFile = new Map<string, Fix[]>();
    for (const f of (progress ? progress.analyze(ws, `fixing (pass ${pass + 1})`, fixesOnly) : ws.analyze(fixesOnly)).findings) {
      if (!f.fix || f.fix.edits.some((e) => e.file !== f.file)) continue;
      pushTo(byFile, f.file, f.fix);
    }
    if (byFile.size === 0) break;
    for (const [file, fixes] of byFile) {
      if (!original.has(file)) original.set(file, ws.text(file)!);
      ws.setFile(file, applyEdits(ws.text(file)!, selectFixes(fixes)));
      changed.add(file);
    }
  }
  if (!write) return changed;
  const cwd = process.cwd();
  for (const file of [...changed]) {
    const refused = writeFixed(file, original.get(file)!, ws.text(file)!, roots);
    if (refused) {
      process.stderr.write(`kubeconn: not fixed: ${path.relative(cwd, file) || file}: ${refused}\n`);
      ws.setFile(file, original.get(file)!); // the report describes the file as it is on disk
      changed.delete(file);
    }
  }
  return changed;
}

/**
 * Write a fixed file without damaging it: refused (the reason returned) when the file is not valid UTF-8
 * (its bytes would come back as U+FFFD), when it changed since it was read, or when it is reached through
 * a symlink whose target lies outside every root analysed. The text goes to a temporary file in the same
 * folder, which is renamed over the target: a reader sees the old file or the new one, never half of it.
 */
export function writeFixed(file: string, read: string, fixed: string, roots: readonly string[]): string | undefined {
  let real: string;
  let bytes: Buffer;
  try {
    real = fs.realpathSync(file);
    bytes = fs.readFileSync(real);
  } catch (error) {
    return `cannot read it again (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  if (!bytes.equals(Buffer.from(read, 'utf8'))) {
    return bytes.toString('utf8') === read
      ? 'it is not valid UTF-8 text; kubeconn will not rewrite its bytes'
      : 'it changed since kubeconn read it; run again';
  }
  const inside = (root: string) => {
    let base: string;
    try {
      base = fs.realpathSync(root);
      if (!fs.statSync(base).isDirectory()) base = path.dirname(base);
    } catch {
      return false;
    }
    const rel = path.relative(base, real);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  if (real !== path.resolve(file) && !roots.some(inside)) return 'it is a symlink to a file outside the project';
  const temp = path.join(path.dirname(real), `.${path.basename(real)}.kubeconn-${process.pid}-${Date.now().toString(36)}.tmp`);
  try {
    fs.writeFileSync(temp, fixed, { mode: fs.statSync(real).mode & 0o7777, flag: 'wx' });
    fs.renameSync(temp, real);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    return `cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  return undefined;
}
