// Image ↔ Dockerfile ↔ container linking, and what we know about base images (which /bin/sh they ship).
// Built once per analysis (model/index.ts), with the options: every container is linked up front.
//
// How a container's image finds its Dockerfile, in order: the `imageMap` setting (image without tag →
// Dockerfile), build configurations (facts/build-config.ts: skaffold artifacts, compose services with
// `build`), then by name: the image's last path segment (or the container's name) names the Dockerfile's
// folder (`…/orders/Dockerfile`) or the file (`orders.Dockerfile`).
import path from 'node:path';
import { MATRIX_SLOT, VARIABLE_WORD, variableName, type BuildDecl } from '../facts/build-config.js';
import type { DfCopy, DfStage, DockerfileFacts } from '../facts/dockerfile.js';
import type { FileFacts } from '../facts/index.js';
import type { ShellScript } from '../facts/shell.js';
import type { Container } from '../facts/k8s.js';
import { imageRepository, shellOfImage } from './image-shells.js';
import { pushTo } from '../multimap.js';
import { escapeRegExp } from '../text.js';

export {
  imageRepository,
  imageTag,
  shellOfImage,
  shellsOfImage,
  type BashGeneration,
  type ImageShells,
  type ShellFlavour,
} from './image-shells.js';

const posix = path.posix;

export interface DockerfileLink {
  dockerfile: string;
  /** Build stage named by skaffold/compose `target`. */
  target?: string;
  context: string;
  via: 'imageMap' | 'skaffold' | 'compose' | 'bake' | 'workflow' | 'make' | 'script' | 'folder';
}

export interface FileInImage {
  /** Workspace file copied there. */
  file?: string;
  /** `COPY <<EOF path`: the content and its offset in the Dockerfile. */
  heredoc?: { content: string; start: number; dockerfile: string; script?: ShellScript };
  copy: DfCopy;
}

export class ImageIndex {
  /** Every Dockerfile of the workspace, sorted by path. */
  readonly dockerfiles: string[];
  private readonly decls: BuildDecl[];
  private readonly links = new Map<Container, DockerfileLink[]>();
  private readonly builtFrom = new Map<string, Container[]>();
  private readonly fileSet: ReadonlySet<string>;
  private readonly contexts = new Map<string, string>();
  /** Dockerfiles that are the only one in their folder (whatever their name: `build.Dockerfile`). */
  private readonly aloneInFolder: ReadonlySet<string>;
  /** The deepest folder holding every file: the repository, as far as the analysis can tell. */
  private readonly root: string;

  /**
   * Links every container (of `containers`) to the Dockerfiles that build its image, once, with the
   * `imageMap` setting applied everywhere (image → Dockerfile, relative to nothing: absolute paths).
   */
  constructor(
    private readonly files: ReadonlyMap<string, FileFacts>,
    containers: readonly Container[],
    private readonly imageMap: Readonly<Record<string, string>>,
    /** Every file of the workspace, for what exists (`files` may be part of it). */
    everyFile: { keys(): Iterable<string> } = files,
  ) {
    this.dockerfiles = [...files.values()]
      .filter((f) => f.dockerfile)
      .map((f) => f.file)
      .sort();
    const perFolder = new Map<string, string[]>();
    for (const d of this.dockerfiles) pushTo(perFolder, posix.dirname(norm(d)), d);
    this.aloneInFolder = new Set([...perFolder.values()].filter((list) => list.length === 1).flat());
    this.decls = expandPatterns(
      [...files.values()].flatMap((f) => f.buildConfig?.decls ?? []),
      this.dockerfiles.map(norm),
    );
    this.fileSet = new Set([...everyFile.keys()].map(norm));
    this.root = commonFolder([...this.fileSet]);
    for (const container of containers) {
      const links = this.link(container);
      this.links.set(container, links);
      for (const l of links) pushTo(this.builtFrom, l.dockerfile, container);
    }
  }

  facts(dockerfile: string): DockerfileFacts | undefined {
    return this.files.get(dockerfile)?.dockerfile;
  }

  /**
   * The build context: as a build configuration declares it, else inferred — the Dockerfile's folder or an
   * ancestor up to the repository root, whichever makes the COPY and bind-mount sources land on files that exist (or, for
   * build outputs that are not in the repository, whose COPY sources name the Dockerfile's own folder from
   * there: `COPY build/server/bin /app` next to build/server/Dockerfile means the repository root).
   */
  buildContextOf(dockerfile: string): string {
    const file = norm(dockerfile);
    let context = this.contexts.get(file);
    if (context !== undefined) return context;
    const decl = this.decls.find((d) => d.dockerfile === file);
    context = decl ? decl.context : this.inferContext(file);
    this.contexts.set(file, context);
    return context;
  }

  private inferContext(dockerfile: string): string {
    const own = posix.dirname(dockerfile);
    const sources = contextSources(this.facts(dockerfile));
    const concrete = sources.filter((src) => src !== '.' && src !== './' && !/^[a-z]+:\/\//.test(src));
    if (concrete.length === 0) return own;
    let best = own;
    let bestScore = -1;
    for (let dir = own; ; dir = posix.dirname(dir)) {
      let score = 0;
      for (const src of concrete) {
        const at = posix.join(dir, src.replace(/[*?[].*$/, ''));
        if (this.fileSet.has(at) || this.hasFilesUnder(at)) score += 2;
        else if (dir !== own && (at === own || at.startsWith(`${own}/`))) score += 1;
      }
      if (score > bestScore) {
        best = dir;
        bestScore = score;
      }
      if (dir === this.root || dir === posix.dirname(dir) || !dir.startsWith(this.root)) break;
    }
    return bestScore > 0 ? best : own;
  }

  finalStage(dockerfile: string, target?: string): DfStage | undefined {
    const stages = this.facts(dockerfile)?.stages ?? [];
    return (target && stages.find((s) => s.name === target.toLowerCase())) || stages[stages.length - 1];
  }

  /** Dockerfiles that build a container's image, best first. */
  dockerfilesForContainer(container: Container): DockerfileLink[] {
    return this.links.get(container) ?? [];
  }

  /** Containers (of any workload) whose image the Dockerfile builds. */
  containersBuiltFrom(dockerfile: string): Container[] {
    return this.builtFrom.get(norm(dockerfile)) ?? [];
  }

  /**
   * Containers whose image is built from a source file: the Dockerfile whose COPY/ADD and bind-mount sources (in any
   * stage, resolved in its build context) hold the file — the most specific source wins; a `COPY . .` counts
   * as the whole context, so with several root-context Dockerfiles only the one that copies the file's folder
   * claims it; between equally specific ones, the Dockerfile nearest the file. None when the file's path below
   * that build context is matched by `notUnder` (test-harness folders). A Dockerfile that builds no deployed
   * image (a profiling or debug variant) claims nothing.
   */
  containersForSourceFile(file: string, notUnder?: RegExp): Container[] {
    const target = norm(file);
    let best: { score: number; dockerfile: string; distance: number; context: string } | undefined;
    for (const dockerfile of this.dockerfiles) {
      if (this.containersBuiltFrom(dockerfile).length === 0) continue;
      const context = this.buildContextOf(dockerfile);
      if (!within(target, context)) continue;
      const copied = contextSources(this.facts(dockerfile));
      let score = -1;
      for (const src of copied.length > 0 ? copied : ['.']) {
        const at = posix.join(context, src.replace(/[*?[].*$/, ''));
        if (within(target, at)) score = Math.max(score, at.length);
      }
      // Equally specific sources (two Dockerfiles that both mount a shared module): the Dockerfile nearer the file.
      const distance = folderDistance(posix.dirname(norm(dockerfile)), posix.dirname(target));
      if (score >= 0 && (!best || score > best.score || (score === best.score && distance < best.distance)))
        best = { score, dockerfile, distance, context };
    }
    if (!best || notUnder?.test(posix.relative(best.context, target))) return [];
    return this.containersBuiltFrom(best.dockerfile);
  }

  /** The workspace file (or heredoc) that a COPY/ADD puts at `imagePath` in a stage, following --from stages. */
  resolveInImage(dockerfile: string, stageIndex: number, imagePath: string, depth = 0): FileInImage | undefined {
    const facts = this.facts(dockerfile);
    const stage = facts?.stages[stageIndex];
    if (!facts || !stage || depth > 8) return undefined;
    const context = this.buildContextOf(dockerfile);
    const wanted = posix.normalize(imagePath);
    for (const copy of [...stage.copies].reverse()) {
      const dest = posix.resolve(copy.workdir, copy.dest);
      if (copy.heredoc) {
        if (wanted === dest) return { heredoc: { ...copy.heredoc, dockerfile }, copy };
        continue;
      }
      for (const source of copy.sources) {
        const from = copy.from ? facts.stages.find((s) => s.name === copy.from!.toLowerCase() || String(s.index) === copy.from) : undefined;
        if (copy.from && !from) continue; // an external image: nothing we can read
        const candidate = this.sourceFor(source, dest, copy, wanted, from ? '/' : context, from !== undefined);
        if (!candidate) continue;
        if (from) {
          const found = this.resolveInImage(dockerfile, from.index, candidate, depth + 1);
          if (found) return found;
        } else if (this.fileSet.has(candidate)) {
          return { file: candidate, copy };
        }
      }
    }
    return stage.baseStage !== undefined ? this.resolveInImage(dockerfile, stage.baseStage, imagePath, depth + 1) : undefined;
  }

  /** Where `wanted` comes from if this COPY source produced it: a context path, or a path in another stage. */
  private sourceFor(source: string, dest: string, copy: DfCopy, wanted: string, root: string, inStage: boolean): string | undefined {
    const src = inStage ? posix.resolve('/', source) : posix.join(root, source);
    const isDir = source.endsWith('/') || source === '.' || (!inStage && this.hasFilesUnder(src));
    const glob = /[*?[]/.test(posix.basename(source));
    const destIsDir = copy.dest.endsWith('/') || copy.sources.length > 1 || isDir || glob;
    if (!destIsDir) {
      if (wanted === dest || wanted === posix.join(dest, posix.basename(src))) return src;
      return undefined;
    }
    if (!within(wanted, dest) || wanted === dest) return undefined;
    const rel = posix.relative(dest, wanted);
    if (isDir) return posix.join(src, rel);
    if (glob) return !rel.includes('/') && globToRegExp(posix.basename(source)).test(rel) ? posix.join(posix.dirname(src), rel) : undefined;
    return rel === posix.basename(src) ? src : undefined;
  }

  private hasFilesUnder(dir: string): boolean {
    const prefix = dir === '.' || dir === '' ? '' : `${dir}/`;
    for (const file of this.fileSet) if (file.startsWith(prefix)) return true;
    return false;
  }

  private link(container: Container): DockerfileLink[] {
    const imageMap = this.imageMap;
    const image = container.image;
    const dockerfiles = this.dockerfiles;
    if (!image || dockerfiles.length === 0) return [];
    const repo = imageRepository(image);
    const out: DockerfileLink[] = [];
    const add = (link: DockerfileLink): void => {
      if (!out.some((l) => l.dockerfile === link.dockerfile)) out.push(link);
    };
    for (const [name, target] of Object.entries(imageMap)) {
      if (!sameRepository(imageRepository(name), repo)) continue;
      const file = dockerfiles.find((d) => norm(d) === norm(target) || norm(d).endsWith(`/${norm(target)}`));
      if (file) add({ dockerfile: file, context: this.buildContextOf(file), via: 'imageMap' });
    }
    // An image written as a variable for envsubst (`image: ${IMG}`) is whatever the builds tagged with that variable
    // produce (`docker build -t ${IMG}`); where several files declare one, the nearest to the manifest.
    const variable = variableName(VARIABLE_WORD.exec(image.trim()));
    const manifestDir = posix.dirname(norm(container.workload.object.file));
    const byVariable = variable === undefined ? [] : this.decls.filter((d) => d.imageVar === variable);
    const nearest = Math.min(Infinity, ...byVariable.map((d) => folderDistance(d.context, manifestDir)));
    for (const decl of this.decls) {
      const byImage = decl.image !== undefined && sameRepository(imageRepository(decl.image), repo);
      const byService = decl.image === undefined && decl.service !== undefined && lastSegment(repo) === decl.service;
      const byVar = decl.imageVar !== undefined && decl.imageVar === variable && folderDistance(decl.context, manifestDir) === nearest;
      const file = dockerfiles.find((d) => norm(d) === decl.dockerfile);
      if ((byImage || byService || byVar) && file) add({ dockerfile: file, target: decl.target, context: decl.context, via: decl.via });
    }
    if (out.length > 0) return out;
    for (const name of [lastSegment(repo), container.name.toLowerCase()]) {
      const matches = dockerfiles.filter((d) => namesImage(d, name, this.aloneInFolder.has(d)));
      matches.sort((a, b) => commonPrefix(norm(b), manifestDir) - commonPrefix(norm(a), manifestDir));
      for (const file of matches) add({ dockerfile: file, context: this.buildContextOf(file), via: 'folder' });
      if (out.length > 0) break;
    }
    return out;
  }

  /** The base image when the container's image is known to lack `executable` (scratch, distroless, static). */
  baseLacking(container: Container, executable: string): string | undefined {
    const link = this.dockerfilesForContainer(container)[0];
    const facts = link && this.facts(link.dockerfile);
    const stage = link && this.finalStage(link.dockerfile, link.target);
    if (facts && stage) return imageLacksExecutable(facts, stage, executable) ? rootImageOf(facts, stage) : undefined;
    return container.image && shellOfImage(container.image) === 'none' ? container.image : undefined;
  }
}

function lastSegment(repo: string): string {
  return repo.slice(repo.lastIndexOf('/') + 1);
}

/** Same repository, allowing one side to omit the registry/organisation (`orders` vs `ghcr.io/acme/orders`). */
/**
 * Declarations with matrix slots (facts/build-config.ts, MATRIX_SLOT) made concrete: each Dockerfile whose path
 * fits a declaration's Dockerfile pattern gives one declaration, its slots bound from that path and filled into
 * the context, image and target. An image with a slot the path does not bind is left unknown; a context with one
 * drops the declaration.
 */
function expandPatterns(decls: readonly BuildDecl[], dockerfiles: readonly string[]): BuildDecl[] {
  const slotted = (value: string | undefined) => value !== undefined && new RegExp(MATRIX_SLOT.source).test(value);
  return decls.flatMap((decl): BuildDecl[] => {
    const bindings: Record<string, string>[] = [];
    if (!slotted(decl.dockerfile)) bindings.push({});
    else {
      const names: string[] = [];
      let pattern = '';
      let last = 0;
      for (const m of decl.dockerfile.matchAll(new RegExp(MATRIX_SLOT.source, 'g'))) {
        pattern += escapeRegExp(decl.dockerfile.slice(last, m.index));
        const seen = names.indexOf(m[1]!);
        pattern += seen >= 0 ? `\\${seen + 1}` : '([^/]+)';
        if (seen < 0) names.push(m[1]!);
        last = m.index + m[0].length;
      }
      const re = new RegExp(`^${pattern}${escapeRegExp(decl.dockerfile.slice(last))}$`);
      for (const file of dockerfiles) {
        const m = re.exec(file);
        if (m) bindings.push(Object.fromEntries(names.map((n, i) => [n, m[i + 1]!])));
      }
    }
    return bindings.flatMap((bound): BuildDecl[] => {
      const fill = (value: string) => value.replace(new RegExp(MATRIX_SLOT.source, 'g'), (whole, name: string) => bound[name] ?? whole);
      const context = fill(decl.context);
      if (slotted(context)) return [];
      const image = decl.image !== undefined ? fill(decl.image) : undefined;
      const target = decl.target !== undefined ? fill(decl.target) : undefined;
      return [
        {
          ...decl,
          dockerfile: fill(decl.dockerfile),
          context,
          image: slotted(image) ? undefined : image,
          target: slotted(target) ? undefined : target,
        },
      ];
    });
  });
}

/** What a build reads from its context: COPY/ADD sources (not `--from`, not heredocs) and RUN bind mounts' sources. */
function contextSources(facts: DockerfileFacts | undefined): string[] {
  return (facts?.stages ?? []).flatMap((s) => [...s.copies.filter((c) => !c.from && !c.heredoc).flatMap((c) => c.sources), ...s.binds]);
}

function sameRepository(a: string, b: string): boolean {
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}

/**
 * Does the Dockerfile's name say it builds `name`: `Dockerfile.<name>`, `<name>.Dockerfile`…, or a folder
 * named so holding a `Dockerfile` (or any one Dockerfile alone: `orders/build.Dockerfile`)?
 */
function namesImage(dockerfile: string, name: string, alone: boolean): boolean {
  const file = norm(dockerfile);
  const base = posix.basename(file).toLowerCase();
  const folder = posix.basename(posix.dirname(file)).toLowerCase();
  if (
    [
      `dockerfile.${name}`,
      `dockerfile-${name}`,
      `dockerfile_${name}`,
      `${name}.dockerfile`,
      `containerfile.${name}`,
      `containerfile-${name}`,
    ].includes(base)
  )
    return true;
  return (alone || /^(dockerfile|containerfile)$/.test(base)) && folder === name;
}

function commonFolder(files: readonly string[]): string {
  if (files.length === 0) return '/';
  let prefix = posix.dirname(files[0]!);
  for (const f of files) while (prefix !== '/' && prefix !== '.' && !within(f, prefix)) prefix = posix.dirname(prefix);
  return prefix;
}

function norm(file: string): string {
  return posix.normalize(file.replace(/\\/g, '/'));
}

function within(file: string, dir: string): boolean {
  return dir === '.' || dir === '' || file === dir || file.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/** Folders between two folders (up from one to their common ancestor, then down): `a/b` to `a/c/d` is 3. */
function folderDistance(a: string, b: string): number {
  const x = a.split('/').filter(Boolean);
  const y = b.split('/').filter(Boolean);
  let common = 0;
  while (common < x.length && common < y.length && x[common] === y[common]) common++;
  return x.length + y.length - 2 * common;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * A COPY source pattern (Go's filepath.Match: `*`, `?`, `[…]` with `^` negation and ranges, `\\` escapes) as
 * a RegExp built character by character, so no input can make an invalid one. A malformed pattern (an
 * unclosed `[`) matches nothing, as in Docker, where it is an error.
 */
export function globToRegExp(glob: string): RegExp {
  const literal = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < glob.length) out += literal(glob[++i]!);
    else if (c === '[') {
      let j = i + 1;
      let cls = '';
      if (glob[j] === '^') {
        cls += '^';
        j++;
      }
      const first = j;
      for (; j < glob.length && (glob[j] !== ']' || j === first); j++) {
        if (glob[j] === '\\' && j + 1 < glob.length) cls += literal(glob[++j]!);
        else if (glob[j] === '-' && j > first && glob[j + 1] !== ']' && j + 1 < glob.length) cls += '-';
        else cls += literal(glob[j]!);
      }
      if (j >= glob.length) return /(?!)/;
      out += `[${cls}]`;
      i = j;
    } else out += literal(c);
  }
  try {
    return new RegExp(`^${out}$`);
  } catch {
    return /(?!)/; // a reversed range such as [z-a]
  }
}

// --- base images --------------------------------------------------------------------------------------------

/** The external image at the root of a stage's FROM chain (`FROM build AS x` follows `build`). */
export function rootImageOf(facts: DockerfileFacts, stage: DfStage): string {
  let current: DfStage | undefined = stage;
  for (let i = 0; current?.baseStage !== undefined && i < 32; i++) current = facts.stages[current.baseStage];
  return current?.base ?? stage.base;
}

/** Whether a stage's image lacks an executable (no shell userland, and no COPY puts one in). */
export function imageLacksExecutable(facts: DockerfileFacts, stage: DfStage, executable: string): boolean {
  if (shellOfImage(rootImageOf(facts, stage)) !== 'none') return false;
  const name = posix.basename(executable);
  // A COPY of busybox or of the binary itself (COPY --from=busybox /bin/sleep /bin/) brings it along.
  for (let s: DfStage | undefined = stage; s; s = s.baseStage !== undefined ? facts.stages[s.baseStage] : undefined) {
    for (const copy of s.copies) {
      if ([...copy.sources, copy.dest].some((p) => posix.basename(p.replace(/\/$/, '')) === name || /busybox/.test(p))) return false;
    }
    if (s.baseStage === undefined) break;
  }
  return true;
}
