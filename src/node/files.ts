// Reading a project from disk for the CLI and the ESLint plugin: walk folders (skipping node_modules,
// vendor, .git and whatever .gitignore files say), keep the files some extractor claims, read them as text.
import { generatorInputs, globProblem, isAnalysable, tooLargeMessage } from '../api.js';
import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

// The pattern check lives in the core (the config file is validated there); the editor settings read it from here.
export { globProblem };

const ALWAYS_SKIPPED = new Set(['node_modules', 'vendor', '.git', '.hg', '.svn']);

/**
 * Folders of test inputs and generated output, not the manifests a repository maintains: skipped unless the
 * `include` setting names them. Their Pods, Services and scripts exist to exercise other tools (or are a
 * chart's `rendered/` examples, duplicates of its templates), and reporting on them is noise.
 */
export const DEFAULT_EXCLUDE = [
  'testdata/',
  'test-data/',
  'fixtures/',
  '__fixtures__/',
  '__tests__/',
  '__snapshots__/',
  'e2e/',
  'rendered/',
];

/**
 * Test suites' folders: their manifests and apps (e2e and integration test apps) are deployed by a test harness,
 * not served, and most of what they would report is noise. Their kustomizations are kept: one composing the
 * project's base with its components (`kustomize/tests/all-components/`) is a variant users deploy.
 */
export const TEST_FOLDERS = ['test/', 'tests/'];
const KUSTOMIZATION = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

export interface WalkOptions {
  /** Extra gitignore-style patterns (the `exclude` setting), relative to each root. */
  exclude?: readonly string[];
  /** Patterns analysed although DEFAULT_EXCLUDE skips them (the `include` setting). */
  include?: readonly string[];
}

/** Does kubeconn skip this file (relative to the project root) because of the exclude/include settings? */
export function excludedBySettings(relative: string, options: WalkOptions = {}): boolean {
  const rel = relative.split(path.sep).join('/');
  if (rel === '' || rel.startsWith('..')) return false;
  const settings = settingsIgnore(options);
  return excludedBy(settings, settings.exclude, rel, false);
}

/**
 * The settings as two matchers. `include` is not a gitignore negation: gitignore cannot re-include a file below an
 * excluded folder, and `include: [test/fixtures/prod/]` must work although `fixtures/` is a default exclude.
 */
interface Settings {
  exclude: Ignore;
  /** TEST_FOLDERS: skipped, but walked for their kustomizations. */
  tests: Ignore;
  include: Ignore;
  /** Folder paths (relative, ending in `/`) an include pattern may reach below: never pruned from the walk. */
  reaches: (dir: string) => boolean;
}

function settingsIgnore(options: WalkOptions): Settings {
  const includes = (options.include ?? []).filter((p) => globProblem(p) === undefined);
  return {
    exclude: ignore()
      .add(DEFAULT_EXCLUDE)
      .add([...(options.exclude ?? [])]),
    tests: ignore().add(TEST_FOLDERS),
    include: ignore().add(includes),
    reaches: (dir) =>
      includes.some((p) => {
        const anchored = p.replace(/^\//, '');
        // A pattern without an inner slash (or starting with **) matches at any depth: any folder may hold a match.
        if (!anchored.replace(/\/$/, '').includes('/') || anchored.startsWith('**')) return true;
        return anchored.startsWith(dir) || /[*?[]/.test(anchored.slice(0, dir.length));
      }),
  };
}

/** Every analysable file under the given paths (files are taken as given), sorted, absolute. */
export function collectFiles(paths: readonly string[], options: WalkOptions = {}): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(p);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(abs, { throwIfNoEntry: false });
    } catch {
      // A symlink loop, a folder we may not search: a file of its own, whose read says what is wrong.
      out.add(abs);
      continue;
    }
    if (!stat) throw new FileError(`No such file or directory: ${p}`);
    if (!stat.isDirectory()) out.add(abs);
    else if (stat.isDirectory()) walk(abs, abs, [rootIgnore(abs, options)], out);
  }
  return [...out].sort();
}

interface Scope {
  dir: string;
  rules: Ignore;
  /** The root scope's settings: their include patterns win over the root's rules. */
  settings?: Settings;
}

function rootIgnore(root: string, options: WalkOptions): Scope {
  const settings = settingsIgnore(options);
  const rules = settings.exclude;
  // .gitignore files above the root still apply (the repository's top-level one).
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) {
      addGitignore(rules, dir, root);
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  return { dir: root, rules, settings };
}

function addGitignore(rules: Ignore, dir: string, root: string): void {
  const file = path.join(dir, '.gitignore');
  if (!fs.existsSync(file) || dir === root) return;
  // Re-base patterns of an outer .gitignore onto the root we walk: keep only those that can match below it.
  const prefix = path.relative(dir, root).split(path.sep).join('/');
  for (const line of readIgnoreFile(file).split(/\r?\n/)) {
    const pattern = line.trim();
    if (!pattern || pattern.startsWith('#')) continue;
    if (!pattern.includes('/') || pattern.startsWith('**/')) rules.add(pattern);
    else if (pattern.replace(/^\//, '').startsWith(`${prefix}/`)) rules.add(pattern.replace(/^\//, '').slice(prefix.length + 1));
  }
}

function walk(dir: string, root: string, scopes: Scope[], out: Set<string>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // unreadable folder: nothing to analyse there
  }
  const gitignore = entries.find((e) => e.isFile() && e.name === '.gitignore');
  const here = gitignore ? [...scopes, { dir, rules: ignore().add(readIgnoreFile(path.join(dir, '.gitignore'))) }] : scopes;
  for (const entry of entries) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (ALWAYS_SKIPPED.has(entry.name) || ignored(here, abs, true)) continue;
      walk(abs, root, here, out);
    } else if (entry.isFile() && !ignored(here, abs, false)) {
      if (isAnalysable(abs)) out.add(abs);
      if (KUSTOMIZATION.test(entry.name)) for (const input of generatorFiles(abs, root)) out.add(input);
    }
  }
}

/** Generator inputs hold a kustomization's ConfigMap data: at most this large, like a kustomization itself. */
const MAX_KUSTOMIZATION_BYTES = 1024 * 1024;

/**
 * The regular files under `root` that the kustomization `file` generates ConfigMaps and Secrets from (any
 * extension), so the front ends read them with the rest. Remote and missing entries are left out (the unit
 * builder says which were not found); an unreadable kustomization names none.
 */
function generatorFiles(file: string, root: string): string[] {
  try {
    if (fs.statSync(file).size > MAX_KUSTOMIZATION_BYTES) return [];
    const out: string[] = [];
    for (const entry of generatorInputs(fs.readFileSync(file, 'utf8'))) {
      if (entry.includes('://')) continue;
      const abs = path.resolve(path.dirname(file), entry);
      const rel = path.relative(root, abs);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
      if (fs.statSync(abs, { throwIfNoEntry: false })?.isFile()) out.push(abs);
    }
    return out;
  } catch {
    return [];
  }
}

function ignored(scopes: readonly Scope[], abs: string, isDir: boolean): boolean {
  return scopes.some((s) => {
    const rel = path.relative(s.dir, abs).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('..')) return false;
    const key = isDir ? `${rel}/` : rel;
    return s.settings ? excludedBy(s.settings, s.rules, key, isDir) : s.rules.ignores(key);
  });
}

/** `key` (relative; a folder ends in `/`) is skipped by the root's rules and settings. */
function excludedBy(settings: Settings, rules: Ignore, key: string, isDir: boolean): boolean {
  if (settings.include.ignores(key)) return false;
  if (rules.ignores(key)) return !(isDir && settings.reaches(key));
  if (settings.tests.ignores(key)) return !isDir && !KUSTOMIZATION.test(key);
  return false;
}

/** An unreadable .gitignore ignores nothing (git itself warns and goes on). */
function readIgnoreFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function readText(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

/** A file's text, or why it was not read: the size is checked with `stat` first, so no large file is read. */
export type ReadResult = { text: string; skipped?: undefined } | { text?: undefined; skipped: string };

export function readForAnalysis(file: string, maxFileBytes: number): ReadResult {
  // One open and one fstat of the same file, instead of a stat and then a read that opens and fstats it again
  // (100,000 tiny files: about 0.4 s less). Opening without blocking returns at once on a FIFO, which fstat then skips.
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, OPEN_FOR_ANALYSIS);
    const skipped = skipBeforeReading(fs.fstatSync(fd), maxFileBytes);
    return skipped ? { skipped } : { text: fs.readFileSync(fd, 'utf8') };
  } catch (error) {
    return { skipped: unreadable(error) };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Read-only, and non-blocking where the platform has O_NONBLOCK (Windows has none, and no FIFOs whose open blocks). */
const OPEN_FOR_ANALYSIS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** The editor's twin of readForAnalysis: the same one open and fstat, without blocking the language server's thread. */
export async function readForAnalysisAsync(file: string, maxFileBytes: number): Promise<ReadResult> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(file, OPEN_FOR_ANALYSIS);
    const skipped = skipBeforeReading(await handle.stat(), maxFileBytes);
    return skipped ? { skipped } : { text: await handle.readFile('utf8') };
  } catch (error) {
    return { skipped: unreadable(error) };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function skipBeforeReading(stat: fs.Stats, maxFileBytes: number): string | undefined {
  if (stat.isDirectory()) return 'Skipped: this is a folder, not a file.';
  // A FIFO or device would block or never end: only regular files are read.
  if (!stat.isFile()) return 'Skipped: not a regular file (a pipe, socket or device).';
  if (stat.size > maxFileBytes) return tooLargeMessage(stat.size, { maxFileBytes });
  return undefined;
}

/** The reason without the absolute path Node puts in its messages. */
function unreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ELOOP: 'a symbolic link loop',
    ENOENT: 'it no longer exists',
    EISDIR: 'it is a folder',
    EIO: 'an I/O error',
  };
  return `Skipped: cannot read the file (${code ? (why[code] ?? code) : error instanceof Error ? error.message : String(error)}).`;
}

/** A user-caused problem with a path (missing file): printed, exit code 2. */
export class FileError extends Error {
  override name = 'FileError';
}
