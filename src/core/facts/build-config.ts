// Build configurations that say which Dockerfile builds which image, and from which build context:
// skaffold.yaml (`build.artifacts[]`, also in profiles) and docker compose files (`services.<name>.build`).
// Parsed once here, in the facts stage; a file that does not parse is a notice with its line, never a
// silent skip. The image linker (model/images.ts) reads only these records.
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Extractor, FileFacts } from './index.js';
import type { TextRange } from '../finding.js';

export interface BuildDecl {
  /** Image the build produces (skaffold `image`, compose `image`), when declared. */
  image?: string;
  /** compose service name (an image without `image:` is named after it). */
  service?: string;
  /** Build context folder, '/'-separated, as the linker compares paths. */
  context: string;
  /** The Dockerfile path, '/'-separated. */
  dockerfile: string;
  /** Build stage (`target`). */
  target?: string;
  via: 'skaffold' | 'compose';
  /** Where the declaration is written. */
  at: TextRange;
}

export interface BuildConfigFacts {
  decls: BuildDecl[];
}

const SKAFFOLD = /^skaffold(?:[.-].*)?\.ya?ml$/i;
const COMPOSE = /^(?:docker-)?compose(?:[.-].*)?\.ya?ml$/i;
const posix = path.posix;

export const buildConfigExtractor: Extractor = {
  name: 'build-config',
  claims: (file) => SKAFFOLD.test(path.basename(file)) || COMPOSE.test(path.basename(file)),
  mayMatter: (text) => /\b(artifacts|build)\s*:/.test(text),
  extract(facts: FileFacts) {
    const file = facts.file.replace(/\\/g, '/');
    const dir = posix.dirname(file);
    const skaffold = SKAFFOLD.test(posix.basename(file));
    const decls: BuildDecl[] = [];
    const docs = parseAllDocuments(facts.text, { prettyErrors: false });
    for (const doc of Array.isArray(docs) ? docs : []) {
      if (doc.errors.length > 0) {
        // The manifest extractor reports syntax errors of files that hold `kind:` (skaffold does); say it once.
        const err = doc.errors[0]!;
        if (!facts.problems.some((p) => p.kind === 'syntax' && p.start === err.pos[0])) {
          const at = facts.lines.position(err.pos[0]);
          facts.problems.push({
            file: facts.file, start: err.pos[0], end: err.pos[1], line: at.line, column: at.column, endLine: at.line, endColumn: at.column,
            kind: 'syntax', fatal: false,
            message: `${skaffold ? 'skaffold' : 'compose'} file does not parse, so its image builds are not linked: ${err.message.split('\n')[0]}`,
          });
        }
        continue;
      }
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount: 100 });
      } catch {
        continue; // alias bombs and the like: nothing to link
      }
      const at = { start: doc.range[0], end: doc.range[1] };
      if (skaffold) for (const a of artifactsOf(value)) decls.push(skaffoldDecl(a, dir, at));
      else for (const [service, spec] of Object.entries(record(record(value).services))) {
        const d = composeDecl(service, record(spec), dir, at);
        if (d) decls.push(d);
      }
    }
    if (decls.length > 0) facts.buildConfig = { decls };
  },
};

function skaffoldDecl(a: Record<string, unknown>, dir: string, at: TextRange): BuildDecl {
  const context = posix.join(dir, typeof a.context === 'string' ? a.context : '.');
  const docker = record(a.docker);
  const dockerfile = typeof docker.dockerfile === 'string' ? docker.dockerfile : 'Dockerfile';
  return {
    image: typeof a.image === 'string' ? a.image : undefined,
    context,
    dockerfile: posix.join(context, dockerfile),
    target: typeof docker.target === 'string' ? docker.target : undefined,
    via: 'skaffold',
    at,
  };
}

function artifactsOf(doc: unknown): Record<string, unknown>[] {
  const root = record(doc);
  const lists = [record(root.build).artifacts, ...(Array.isArray(root.profiles) ? root.profiles.map((p) => record(record(p).build).artifacts) : [])];
  return lists.flatMap((l) => (Array.isArray(l) ? l.map(record) : []));
}

function composeDecl(service: string, spec: Record<string, unknown>, dir: string, at: TextRange): BuildDecl | undefined {
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
    at,
  };
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
