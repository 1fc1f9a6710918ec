// Image ↔ Dockerfile ↔ container linking, and what we know about base images (which /bin/sh they ship).
//
// API (through `graph.images`, built lazily on first use):
//   dockerfiles                         every Dockerfile in the workspace (paths)
//   dockerfilesForContainer(c, opts?)   Dockerfiles that build a container's image, best first, with how we know
//   containersBuiltFrom(dockerfile)     containers (of any workload) whose image that Dockerfile builds
//   buildContextOf(dockerfile)          the build context folder (skaffold/compose `context`, else its folder)
//   containersForSourceFile(file)       containers built from the build context that holds a source file
//   finalStage(dockerfile, target?)     the stage that becomes the image (the last, or skaffold/compose `target`)
//   resolveInImage(dockerfile, stage, path)  the workspace file (or COPY heredoc) that ends up at `path` in the image
//   baseLacking(container, executable)  the base image, when the container's image has no such executable
//
// How a container's image finds its Dockerfile, in order: options.imageMap (image without tag → Dockerfile),
// skaffold.yaml `build.artifacts[].image` (+ `context`, `docker.dockerfile`, `docker.target`), a
// docker-compose `services.<name>.image` with `build`, then by name: the image's last path segment (or the
// container's name) names the Dockerfile's folder (`…/orders/Dockerfile`) or the file (`orders.Dockerfile`).
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { DfCopy, DfStage, DockerfileFacts } from './facts/dockerfile.js';
import type { Container } from './facts/k8s.js';
import type { Graph } from './graph.js';
import type { KubeconnOptions } from './options.js';

const posix = path.posix;

export interface DockerfileLink {
  dockerfile: string;
  /** Build stage named by skaffold/compose `target`. */
  target?: string;
  context: string;
  via: 'imageMap' | 'skaffold' | 'compose' | 'folder';
  /** The file that says so (skaffold.yaml, compose file), when not a naming convention. */
  evidence?: string;
}

export interface FileInImage {
  /** Workspace file copied there. */
  file?: string;
  /** `COPY <<EOF path`: the content and its offset in the Dockerfile. */
  heredoc?: { content: string; start: number; dockerfile: string };
  copy: DfCopy;
}

interface BuildDecl {
  image?: string;
  service?: string;
  context: string;
  dockerfile: string;
  target?: string;
  via: 'skaffold' | 'compose';
  file: string;
}

export class ImageIndex {
  private decls?: BuildDecl[];
  private readonly linkCache = new Map<Container, DockerfileLink[]>();

  constructor(private readonly graph: Graph) {}

  /** Computed once per graph: link() asks for it once per container. */
  get dockerfiles(): string[] {
    this.dockerfileList ??= [...this.graph.files.values()].filter((f) => f.dockerfile).map((f) => f.file);
    return this.dockerfileList;
  }

  private dockerfileList: string[] | undefined;

  facts(dockerfile: string): DockerfileFacts | undefined {
    return this.graph.files.get(dockerfile)?.dockerfile;
  }

  buildContextOf(dockerfile: string): string {
    const decl = this.declarations().find((d) => d.dockerfile === norm(dockerfile));
    return decl ? decl.context : posix.dirname(norm(dockerfile));
  }

  finalStage(dockerfile: string, target?: string): DfStage | undefined {
    const stages = this.facts(dockerfile)?.stages ?? [];
    return (target && stages.find((s) => s.name === target.toLowerCase())) || stages[stages.length - 1];
  }

  dockerfilesForContainer(container: Container, options?: Pick<KubeconnOptions, 'imageMap'>): DockerfileLink[] {
    if (!options) {
      const cached = this.linkCache.get(container);
      if (cached) return cached;
    }
    const links = this.link(container, options?.imageMap ?? {});
    if (!options) this.linkCache.set(container, links);
    return links;
  }

  containersBuiltFrom(dockerfile: string, options?: Pick<KubeconnOptions, 'imageMap'>): Container[] {
    const file = norm(dockerfile);
    return this.allContainers().filter((c) => this.dockerfilesForContainer(c, options).some((l) => l.dockerfile === file));
  }

  containersForSourceFile(file: string, options?: Pick<KubeconnOptions, 'imageMap'>): Container[] {
    const target = norm(file);
    let best: { context: string; dockerfile: string } | undefined;
    for (const dockerfile of this.dockerfiles) {
      const context = this.buildContextOf(dockerfile);
      if (!within(target, context)) continue;
      if (!best || context.length > best.context.length) best = { context, dockerfile };
    }
    return best ? this.containersBuiltFrom(best.dockerfile, options) : [];
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
        } else if (this.graph.files.has(candidate)) {
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
    for (const file of this.graph.files.keys()) if (norm(file).startsWith(prefix)) return true;
    return false;
  }

  private link(container: Container, imageMap: Record<string, string>): DockerfileLink[] {
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
    for (const decl of this.declarations()) {
      const byImage = decl.image !== undefined && sameRepository(imageRepository(decl.image), repo);
      const byService = decl.image === undefined && decl.service !== undefined && lastSegment(repo) === decl.service;
      const file = dockerfiles.find((d) => norm(d) === decl.dockerfile);
      if ((byImage || byService) && file) add({ dockerfile: file, target: decl.target, context: decl.context, via: decl.via, evidence: decl.file });
    }
    if (out.length > 0) return out;
    for (const name of [lastSegment(repo), container.name.toLowerCase()]) {
      const matches = dockerfiles.filter((d) => namesImage(d, name));
      const manifestDir = posix.dirname(norm(container.workload.object.file));
      matches.sort((a, b) => commonPrefix(norm(b), manifestDir) - commonPrefix(norm(a), manifestDir));
      for (const file of matches) add({ dockerfile: file, context: this.buildContextOf(file), via: 'folder' });
      if (out.length > 0) break;
    }
    return out;
  }

  /** The base image when the container's image is known to lack `executable` (scratch, distroless, static). */
  baseLacking(container: Container, executable: string, options?: Pick<KubeconnOptions, 'imageMap'>): string | undefined {
    const link = this.dockerfilesForContainer(container, options)[0];
    const facts = link && this.facts(link.dockerfile);
    const stage = link && this.finalStage(link.dockerfile, link.target);
    if (facts && stage) return imageLacksExecutable(facts, stage, executable) ? rootImageOf(facts, stage) : undefined;
    return container.image && shellOfImage(container.image) === 'none' ? container.image : undefined;
  }

  private allContainers(): Container[] {
    return this.graph.workloads.flatMap((w) => [...w.containers, ...w.initContainers]);
  }

  /** skaffold.yaml artifacts and docker-compose services that build images. */
  private declarations(): BuildDecl[] {
    if (this.decls) return this.decls;
    const decls: BuildDecl[] = [];
    for (const facts of this.graph.files.values()) {
      const base = posix.basename(norm(facts.file));
      const dir = posix.dirname(norm(facts.file));
      const skaffold = /^skaffold(?:[.-].*)?\.ya?ml$/i.test(base);
      const compose = /^(?:docker-)?compose(?:[.-].*)?\.ya?ml$/i.test(base);
      if (!skaffold && !compose) continue;
      for (const doc of safeDocs(facts.text)) {
        if (skaffold) for (const a of artifactsOf(doc)) decls.push(skaffoldDecl(a, dir, facts.file));
        else for (const [service, spec] of Object.entries(record(record(doc).services))) {
          const d = composeDecl(service, record(spec), dir, facts.file);
          if (d) decls.push(d);
        }
      }
    }
    return (this.decls = decls);
  }
}

function skaffoldDecl(a: Record<string, unknown>, dir: string, file: string): BuildDecl {
  const context = posix.join(dir, typeof a.context === 'string' ? a.context : '.');
  const docker = record(a.docker);
  const dockerfile = typeof docker.dockerfile === 'string' ? docker.dockerfile : 'Dockerfile';
  return {
    image: typeof a.image === 'string' ? a.image : undefined,
    context,
    dockerfile: posix.join(context, dockerfile),
    target: typeof docker.target === 'string' ? docker.target : undefined,
    via: 'skaffold',
    file,
  };
}

function artifactsOf(doc: unknown): Record<string, unknown>[] {
  const root = record(doc);
  const lists = [record(root.build).artifacts, ...(Array.isArray(root.profiles) ? root.profiles.map((p) => record(record(p).build).artifacts) : [])];
  return lists.flatMap((l) => (Array.isArray(l) ? l.map(record) : []));
}

function composeDecl(service: string, spec: Record<string, unknown>, dir: string, file: string): BuildDecl | undefined {
  const build = spec.build;
  if (build === undefined) return undefined;
  const b = typeof build === 'string' ? { context: build } : record(build);
  const context = posix.join(dir, typeof b.context === 'string' ? b.context : '.');
  const dockerfile = typeof b.dockerfile === 'string' ? b.dockerfile : 'Dockerfile';
  return {
    image: typeof spec.image === 'string' ? spec.image : undefined,
    service: service.toLowerCase(),
    context,
    dockerfile: posix.join(context, dockerfile),
    target: typeof b.target === 'string' ? b.target : undefined,
    via: 'compose',
    file,
  };
}

function safeDocs(text: string): unknown[] {
  try {
    return parseAllDocuments(text).map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
  } catch {
    return [];
  }
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** `ghcr.io/acme/orders:1.2@sha256:…` → `ghcr.io/acme/orders` (lowercased). */
export function imageRepository(image: string): string {
  let repo = image.trim().split('@')[0]!;
  const slash = repo.lastIndexOf('/');
  const colon = repo.lastIndexOf(':');
  if (colon > slash) repo = repo.slice(0, colon);
  return repo.toLowerCase();
}

/** The tag of an image reference, or '' when it has none. */
export function imageTag(image: string): string {
  const repo = image.trim().split('@')[0]!;
  const slash = repo.lastIndexOf('/');
  const colon = repo.lastIndexOf(':');
  return colon > slash ? repo.slice(colon + 1).toLowerCase() : '';
}

function lastSegment(repo: string): string {
  return repo.slice(repo.lastIndexOf('/') + 1);
}

/** Same repository, allowing one side to omit the registry/organisation (`orders` vs `ghcr.io/acme/orders`). */
function sameRepository(a: string, b: string): boolean {
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}

function namesImage(dockerfile: string, name: string): boolean {
  const file = norm(dockerfile);
  const base = posix.basename(file).toLowerCase();
  const folder = posix.basename(posix.dirname(file)).toLowerCase();
  if (base === `dockerfile.${name}` || base === `${name}.dockerfile` || base === `containerfile.${name}`) return true;
  return /^(dockerfile|containerfile)$/.test(base) && folder === name;
}

function norm(file: string): string {
  return posix.normalize(file.replace(/\\/g, '/'));
}

function within(file: string, dir: string): boolean {
  return dir === '.' || dir === '' || file === dir || file.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
}

// --- base images --------------------------------------------------------------------------------------------

/** What `/bin/sh` is in an image: decides whether `sh -c "app"` execs the app (measured: test/pid1). */
export type ShellFlavour = 'dash' | 'bash' | 'busybox' | 'none' | 'unknown';

const DEBIAN_FAMILY = new Set([
  'debian', 'ubuntu', 'buildpack-deps', 'node', 'python', 'golang', 'ruby', 'php', 'perl', 'rust', 'openjdk', 'eclipse-temurin',
  'maven', 'gradle', 'nginx', 'httpd', 'elixir', 'erlang', 'haskell', 'julia', 'r-base', 'swift', 'clojure', 'groovy', 'tomcat',
  'jetty', 'sapmachine', 'ibm-semeru-runtimes', 'denoland/deno', 'oven/bun', 'postgres', 'redis', 'mongo', 'rabbitmq', 'mysql',
]);
const RHEL_FAMILY = /^(?:centos|fedora|rockylinux|almalinux|amazonlinux|oraclelinux|amazoncorretto|registry\.access\.redhat\.com\/.*|redhat\/ubi.*|.*\/ubi[0-9].*|quay\.io\/centos\/.*)$/;

/** The /bin/sh of a base image, from its name: Alpine/BusyBox → busybox ash, Debian/Ubuntu → dash, RHEL family → bash. */
export function shellOfImage(image: string): ShellFlavour {
  const repo = imageRepository(image);
  const tag = imageTag(image);
  const name = repo.replace(/^(?:docker\.io\/)?(?:library\/)?/, '');
  if (name === 'scratch') return 'none';
  if (name.startsWith('gcr.io/distroless/') || name.startsWith('distroless/')) return tag.includes('debug') ? 'busybox' : 'none';
  if (/(^|\/)chainguard\//.test(name)) {
    if (tag.includes('dev')) return 'busybox';
    return /\/(static|glibc-dynamic)$/.test(name) ? 'none' : 'unknown';
  }
  if (name === 'alpine' || name === 'busybox' || tag.includes('alpine') || name.endsWith('/alpine')) return 'busybox';
  if (RHEL_FAMILY.test(name) || /oracle|ubi|centos|amazonlinux|al2/.test(tag)) return 'bash';
  if (name.startsWith('mcr.microsoft.com/dotnet/')) return 'dash';
  if (DEBIAN_FAMILY.has(name) || /(bookworm|bullseye|buster|trixie|jammy|focal|noble|slim)/.test(tag)) return 'dash';
  return 'unknown';
}

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
