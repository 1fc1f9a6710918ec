// Temporary projects for end-to-end tests: a copy of some files, with kubeconn "installed" (a symlink to
// this checkout) and a flat config, so the real `eslint` and `kubeconn` binaries run as a user would.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers/paths.js';

export interface Project {
  dir: string;
  write(file: string, text: string): void;
  read(file: string): string;
  cleanup(): void;
}

export function makeProject(files: Record<string, string> = {}, copyFrom?: string): Project {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconn-e2e-'));
  if (copyFrom) fs.cpSync(copyFrom, dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'node_modules', '@microsoft'), { recursive: true });
  fs.symlinkSync(repoRoot, path.join(dir, 'node_modules', 'kubeconn'));
  fs.symlinkSync(
    path.join(repoRoot, 'node_modules', '@microsoft', 'eslint-formatter-sarif'),
    path.join(dir, 'node_modules', '@microsoft', 'eslint-formatter-sarif'),
  );
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'e2e', private: true, type: 'module' }));
  fs.writeFileSync(
    path.join(dir, 'eslint.config.js'),
    "import kubeconn from 'kubeconn';\nexport default [...kubeconn.configs.recommended];\n",
  );
  const project: Project = {
    dir,
    write(file, text) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    },
    read: (file) => fs.readFileSync(path.join(dir, file), 'utf8'),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
  for (const [file, text] of Object.entries(files)) project.write(file, text);
  return project;
}

/** Make packages of this checkout's node_modules resolvable from a project (as if the user installed them). */
export function linkPackages(dir: string, names: string[]): void {
  for (const name of names) {
    const target = path.join(dir, 'node_modules', name);
    if (fs.existsSync(target)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.symlinkSync(path.join(repoRoot, 'node_modules', name), target);
  }
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function kubeconn(cwd: string, args: string[], input?: string): Run {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'kubeconn.js'), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    input,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function eslint(cwd: string, args: string[]): Run {
  const bin = path.join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface Message {
  ruleId: string | null;
  severity: number;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  fatal?: boolean;
  fix?: { range: [number, number]; text: string };
  suggestions?: { desc: string; fix: { range: [number, number]; text: string } }[];
}

export interface Result {
  filePath: string;
  messages: Message[];
  errorCount: number;
  warningCount: number;
  fatalErrorCount: number;
}

/** `file:line:column-endLine:endColumn ruleId message` lines of a JSON report, relative to `dir`, sorted. */
export function summarize(results: Result[], dir: string): string[] {
  return results
    .flatMap((r) =>
      r.messages.map((m) => `${path.relative(dir, r.filePath)}:${m.line}:${m.column}-${m.endLine}:${m.endColumn} ${m.ruleId} ${m.message}`),
    )
    .sort();
}
