// `kubeconn check [paths…]`: zero-configuration analysis of a project from disk, the same engine and
// findings as the ESLint plugin and the editor. Exit codes: 0 clean (warnings allowed), 1 errors found,
// 2 usage or internal error.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { allRules } from '../../rules/index.js';
import { applyEdits, selectFixes } from '../core/edit.js';
import type { Fix } from '../core/finding.js';
import { initKubeconn } from '../core/init.js';
import { OptionsError, type KubeconnOptions, type RuleLevel } from '../core/options.js';
import { Workspace } from '../core/workspace.js';
import { collectFiles, FileError, readText } from '../node/files.js';
import { formatJson, formatSarif, formatStylish, type Format } from './format.js';
import { toResult } from './results.js';

const USAGE = `Usage: kubeconn check [paths...] [options]
       kubeconn rules

Finds the ways long-lived gRPC/HTTP2 connections break in Kubernetes: imbalance behind ClusterIP Services,
missing preStop delays, grace-period budgets, and PID 1 shells that drop SIGTERM. Paths default to ".";
every file under them is analysed together, so a client in one file is linked to the Service in another.

Options:
  --fix                        apply the safe fixes and write the files
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
      process.stderr.write(`kubeconn: ${error.message}\n`);
      if (error instanceof UsageError) process.stderr.write(`Run 'kubeconn --help' for usage.\n`);
      return 2;
    }
    process.stderr.write(`kubeconn: internal error: ${(error as Error).stack ?? error}\n`);
    return 2;
  }
}

async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        fix: { type: 'boolean' },
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
        quiet: { type: 'boolean' },
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
    for (const r of allRules) process.stdout.write(`${r.id.padEnd(30)} ${r.meta.severity.padEnd(8)} ${r.meta.description}\n`);
    return 0;
  }
  if (command !== 'check') throw new UsageError(`unknown command '${command}'`);
  const format = values.format as Format;
  if (!['stylish', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be stylish, json or sarif, got '${format}'`);

  const options = toOptions(values);
  const roots = paths.length > 0 ? paths : ['.'];
  const files = collectFiles(roots, { exclude: values.exclude });
  await initKubeconn();
  const ws = new Workspace(options);
  for (const file of files) {
    try {
      ws.setFile(file, readText(file));
    } catch (error) {
      throw new FileError(`cannot read ${file}: ${(error as Error).message}`);
    }
  }
  if (values.fix) applyFixes(ws);

  const result = ws.analyze();
  const results = files.map((file) => {
    const findings = (result.byFile.get(file) ?? []).filter((f) => !values.quiet || f.severity === 'error');
    return toResult(file, ws.text(file), findings, result.problemsByFile.get(file) ?? []);
  });
  const cwd = process.cwd();
  const report =
    format === 'json' ? `${formatJson(results)}\n` : format === 'sarif' ? `${formatSarif(results, cwd)}\n` : formatStylish(results, result.byFile, cwd);
  if (values['output-file']) fs.writeFileSync(values['output-file'], report);
  else process.stdout.write(report);

  const errors = results.reduce((n, r) => n + r.errorCount, 0);
  const warnings = results.reduce((n, r) => n + r.warningCount, 0);
  const maxWarnings = values['max-warnings'] === undefined ? Infinity : Number(values['max-warnings']);
  return errors > 0 || warnings > maxWarnings ? 1 : 0;
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
  return {
    rules,
    imageMap,
    kubernetesVersion: values['kubernetes-version'] as string | undefined,
    preStopSeconds: int('pre-stop-seconds'),
    drainSeconds: int('drain-seconds'),
    maxFileBytes: int('max-file-size'),
    appProtocol: appProtocol as KubeconnOptions['appProtocol'] | undefined,
  };
}

/**
 * Apply safe fixes as ESLint does: per pass, the non-overlapping single-file fixes; re-analyse; repeat
 * until nothing is left to fix (10 passes at most). Files are written once, at the end.
 */
export function applyFixes(ws: Workspace, write = true): Set<string> {
  const changed = new Set<string>();
  for (let pass = 0; pass < 10; pass++) {
    const byFile = new Map<string, Fix[]>();
    for (const f of ws.analyze().findings) {
      if (!f.fix || f.fix.edits.some((e) => e.file !== f.file)) continue;
      byFile.set(f.file, [...(byFile.get(f.file) ?? []), f.fix]);
    }
    if (byFile.size === 0) break;
    for (const [file, fixes] of byFile) {
      ws.setFile(file, applyEdits(ws.text(file)!, selectFixes(fixes)));
      changed.add(file);
    }
  }
  if (write) for (const file of changed) fs.writeFileSync(file, ws.text(file)!);
  return changed;
}
