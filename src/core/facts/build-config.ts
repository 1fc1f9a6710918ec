// Build configurations that say which Dockerfile builds which image, and from which build context:
// skaffold.yaml (`build.artifacts[]`, also in profiles), docker compose files (`services.<name>.build`),
// docker-bake.hcl/json (`target` blocks), GitHub workflow steps (docker/build-push-action `context`/`file`/
// `tags`, and `docker build` in `run:`), and `docker build -f X -t image CTX` in Makefiles and shell
// scripts. Parsed once here, in the facts stage; a file that does not parse is a notice with its line,
// never a silent skip. The image linker (model/images.ts) reads only these records.
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Extractor, FileFacts } from './index.js';
import type { TextRange } from '../finding.js';
import { yamlErrorSpan } from './yaml-util.js';
import { problemAt } from './problem.js';

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
  /**
   * The variable the tag is, when it is one whole reference (`-t ${IMG}`, `-t $(IMG)`, `-t "$IMAGE"`): a manifest
   * that writes its image as that variable for envsubst (`image: ${IMG}`) names this build.
   */
  imageVar?: string;
  via: 'skaffold' | 'compose' | 'bake' | 'workflow' | 'make' | 'script';
  /** Where the declaration is written. */
  at: TextRange;
}

export interface BuildConfigFacts {
  decls: BuildDecl[];
}

const SKAFFOLD = /^skaffold(?:[.-].*)?\.ya?ml$/i;
const COMPOSE = /^(?:docker-)?compose(?:[.-].*)?\.ya?ml$/i;
const BAKE = /^docker-bake(?:\.override)?\.(?:hcl|json)$/i;
const WORKFLOW = /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i;
const MAKEFILE = /^(?:GNUmakefile|Makefile|makefile|.+\.mk)$/;
const posix = path.posix;

export const buildConfigExtractor: Extractor = {
  name: 'build-config',
  claims: (file) => {
    const base = path.basename(file);
    return (
      SKAFFOLD.test(base) ||
      COMPOSE.test(base) ||
      BAKE.test(base) ||
      MAKEFILE.test(base) ||
      /\.(?:sh|bash)$/.test(base) ||
      WORKFLOW.test(file.replace(/\\/g, '/'))
    );
  },
  mayMatter: (text) => /\b(artifacts|build)\s*:|docker(?:\s+buildx)?\s+build|\btarget\s+"|build-push-action|"target"\s*:/.test(text),
  extract(facts: FileFacts) {
    const file = facts.file.replace(/\\/g, '/');
    const base = posix.basename(file);
    if (BAKE.test(base)) {
      const decls = bakeDecls(facts.text, posix.dirname(file), base.endsWith('.json'));
      if (decls.length > 0) facts.buildConfig = { decls };
      return;
    }
    if (MAKEFILE.test(base) || /\.(?:sh|bash)$/.test(base)) {
      const decls = commandDecls(facts.text, posix.dirname(file), MAKEFILE.test(base) ? 'make' : 'script');
      if (decls.length > 0) facts.buildConfig = { decls };
      return;
    }
    if (WORKFLOW.test(file)) {
      const decls = workflowDecls(facts.text, repoRootOf(file));
      if (decls.length > 0) facts.buildConfig = { decls };
      return;
    }
    const dir = posix.dirname(file);
    const skaffold = SKAFFOLD.test(posix.basename(file));
    const decls: BuildDecl[] = [];
    const docs = parseAllDocuments(facts.text, { prettyErrors: false, logLevel: 'error' });
    for (const doc of Array.isArray(docs) ? docs : []) {
      if (doc.errors.length > 0) {
        // The manifest extractor reports syntax errors of files that hold `kind:` (skaffold does); say it once.
        const err = doc.errors[0]!;
        const { start, end } = yamlErrorSpan(err, facts.text.length);
        if (!facts.problems.some((p) => p.kind === 'syntax' && p.start === start)) {
          facts.problems.push(
            problemAt(facts, start, end, {
              kind: 'syntax',
              message: `${skaffold ? 'skaffold' : 'compose'} file does not parse, so its image builds are not linked: ${err.message.split('\n')[0]}`,
            }),
          );
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
      else
        for (const [service, spec] of Object.entries(record(record(value).services))) {
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
  const lists = [
    record(root.build).artifacts,
    ...(Array.isArray(root.profiles) ? root.profiles.map((p) => record(record(p).build).artifacts) : []),
  ];
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

/** The repository root of a workflow file (`<root>/.github/workflows/x.yml`); workflow paths are relative to it. */
function repoRootOf(workflow: string): string {
  return posix.dirname(posix.dirname(posix.dirname(workflow)));
}

/**
 * A matrix value a workflow computes at run time (`matrix: {path: ${{ fromJSON(…) }}}`), written `⟨path⟩` in a
 * declaration's Dockerfile, context and image. The image linker binds it to the Dockerfiles whose paths fit
 * (`./⟨path⟩/build.Dockerfile` fits `flagd/build.Dockerfile` with path = flagd) and fills it in elsewhere.
 */
export const MATRIX_SLOT = /\u27e8([^\u27e9/]+)\u27e9/g;

/**
 * GitHub workflow steps: docker/build-push-action's `with` (also per matrix combination, with `${{ matrix.x }}`
 * and literal `${{ env.X }}` filled in, and tags from a docker/metadata-action step's `images`), and
 * `docker build` in `run:` scripts.
 */
function workflowDecls(text: string, root: string): BuildDecl[] {
  let doc: unknown;
  try {
    // Errors are not read here, so yaml's duplicate-key check (pairwise: quadratic in a map's size) is off.
    doc = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, logLevel: 'error' })[0]?.toJS({ maxAliasCount: 50 });
  } catch {
    return [];
  }
  const out: BuildDecl[] = [];
  const workflowEnv = literalValues(record(doc).env);
  for (const job of Object.values(record(record(doc).jobs)).map(record)) {
    const jobEnv = { ...workflowEnv, ...literalValues(job.env) };
    const steps = Array.isArray(job.steps) ? job.steps.map(record) : [];
    const combos = matrixCombos(record(job.strategy).matrix);
    // docker/metadata-action computes tags from its `images`; build-push-action then reads `steps.<id>.outputs.tags`.
    const metaImages = new Map<string, string>();
    for (const step of steps) {
      const images = record(step.with).images;
      if (
        typeof step.uses === 'string' &&
        /^docker\/metadata-action@/.test(step.uses) &&
        typeof step.id === 'string' &&
        typeof images === 'string'
      )
        metaImages.set(step.id, images);
    }
    const seen = new Set<string>();
    for (const step of steps) {
      if (typeof step.uses === 'string' && /^docker\/build-push-action@/.test(step.uses)) {
        const w = record(step.with);
        const env = { ...jobEnv, ...literalValues(step.env) };
        for (const combo of combos) {
          const fill = (value: unknown) => (typeof value === 'string' ? fillExpressions(value, combo, env) : undefined);
          const contextIn = fill(w.context);
          const fileIn = fill(w.file);
          const context = contextIn !== undefined && !contextIn.includes('${{') ? posix.join(root, contextIn) : root;
          const file = fileIn !== undefined && !fileIn.includes('${{') ? posix.join(root, fileIn) : posix.join(context, 'Dockerfile');
          const tagsIn = typeof w.tags === 'string' ? w.tags : '';
          const meta = /^\s*\$\{\{\s*steps\.([\w-]+)\.outputs\.tags\s*\}\}\s*$/.exec(tagsIn);
          const tags = meta ? metadataImages(metaImages.get(meta[1]!) ?? '') : tagsIn.split(/[\n,]/);
          const images = tags
            .map((t) => fill(t.trim()))
            .filter((t): t is string => Boolean(t))
            .map(tagImage)
            .filter((t): t is string => t !== undefined);
          const target = fill(w.target);
          for (const image of images.length > 0 ? [...new Set(images)] : [undefined]) {
            const key = `${image}\0${context}\0${file}\0${target}`;
            if (seen.has(key)) continue;
            seen.add(key);
            out.push({ image, context, dockerfile: file, target, via: 'workflow', at: { start: 0, end: 0 } });
          }
        }
      }
      if (typeof step.run === 'string') {
        const dir = typeof step['working-directory'] === 'string' ? posix.join(root, step['working-directory']) : root;
        out.push(...commandDecls(step.run, dir, 'workflow'));
      }
    }
  }
  return out;
}

/** Scalar entries of an `env:` map (a computed map is none). */
function literalValues(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record(value)))
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  return out;
}

/**
 * `${{ matrix.x }}` and `${{ env.X }}` filled in where known. A matrix value that is not known becomes a slot
 * (`⟨x⟩`, see MATRIX_SLOT); every other expression stays as written.
 */
function fillExpressions(value: string, combo: Readonly<Record<string, string>>, env: Readonly<Record<string, string>>): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (whole, expr: string) => {
    const matrix = /^matrix\.([\w.-]+)$/.exec(expr);
    if (matrix) return combo[matrix[1]!] ?? `\u27e8${matrix[1]}\u27e9`;
    const named = /^env\.(\w+)$/.exec(expr);
    const known = named ? env[named[1]!] : undefined;
    return known !== undefined && !known.includes('${{') ? known : whole;
  });
}

/** The most combinations of one job's matrix that are read (a matrix of hundreds adds nothing but time). */
const MAX_COMBOS = 64;

/**
 * A job's matrix combinations: the product of its list-valued keys (objects flattened to `key.field`), less
 * `exclude`, with `include` extending the combinations it fits or adding its own. A key whose value is computed
 * (`${{ fromJSON(…) }}`) is left out: its expressions become slots. No matrix: one empty combination.
 */
function matrixCombos(matrix: unknown): Record<string, string>[] {
  const m = record(matrix);
  let combos: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(m)) {
    if (key === 'include' || key === 'exclude' || !Array.isArray(values)) continue;
    const next: Record<string, string>[] = [];
    for (const combo of combos) for (const v of values) if (next.length < MAX_COMBOS) next.push({ ...combo, ...flatten(key, v) });
    if (next.length > 0) combos = next;
  }
  if (Array.isArray(m.exclude)) {
    const excluded = m.exclude.map((e) => flatten('', e)).filter((e) => Object.keys(e).length > 0);
    combos = combos.filter((c) => !excluded.some((e) => Object.entries(e).every(([k, v]) => c[k] === v)));
  }
  if (Array.isArray(m.include)) {
    const entries = m.include.map((e) => flatten('', e)).filter((e) => Object.keys(e).length > 0);
    if (combos.every((c) => Object.keys(c).length === 0)) combos = entries.slice(0, MAX_COMBOS);
    else {
      // An entry extends every combination whose original values it does not overwrite, or is one of its own.
      const original = combos.map((c) => ({ ...c }));
      for (const entry of entries) {
        let added = false;
        original.forEach((o, i) => {
          if (Object.entries(entry).every(([k, v]) => !(k in o) || o[k] === v)) {
            Object.assign(combos[i]!, entry);
            added = true;
          }
        });
        if (!added && combos.length < MAX_COMBOS) combos.push(entry);
      }
    }
  }
  return combos.length > 0 ? combos : [{}];
}

/** A matrix value as `${{ matrix.key }}` reads it, objects as `key.field` (up to four levels). */
function flatten(key: string, value: unknown, depth = 0): Record<string, string> {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return key ? { [key]: String(value) } : {};
  if (!value || typeof value !== 'object' || Array.isArray(value) || depth > 3) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) Object.assign(out, flatten(key ? `${key}.${k}` : k, v, depth + 1));
  return out;
}

/** docker/metadata-action's `images`: one per line or comma, or the CSV form `name=ghcr.io/acme/x,enable=…`. */
function metadataImages(images: string): string[] {
  return images.split('\n').flatMap((line) => {
    const name = /(?:^|,)\s*name=([^,]+)/.exec(line)?.[1];
    // Other CSV attributes (`enable=…`) and an empty name are not images.
    return name !== undefined
      ? [name.trim()]
      : line
          .split(',')
          .map((x) => x.trim())
          .filter((x) => x !== '' && !x.includes('='));
  });
}

/**
 * `docker build [-f file] [-t tag]… [--target t] context` (also `docker buildx build`) in shell-like text. Variables
 * in a tag are filled in from the file's own literal assignments (`IMG ?= ghcr.io/acme/x:latest` in a Makefile,
 * `IMAGE=acme/x` in a script); a tag that is one whole variable also keeps its name (`imageVar`).
 */
export function commandDecls(text: string, dir: string, via: BuildDecl['via']): BuildDecl[] {
  const out: BuildDecl[] = [];
  const joined = text.replace(/\\\r?\n/g, ' ');
  const vars = assignments(joined, via === 'make');
  for (const m of joined.matchAll(/\bdocker(?:\s+buildx)?\s+build\b([^\n;&|]*)/g)) {
    const words = m[1]!.trim().split(/\s+/).filter(Boolean);
    let dockerfile: string | undefined;
    let target: string | undefined;
    const tags: string[] = [];
    const positionals: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      const next = () => words[++i] ?? '';
      if (w === '-f' || w === '--file') dockerfile = next();
      else if (w.startsWith('--file=')) dockerfile = w.slice(7);
      else if (w === '-t' || w === '--tag') tags.push(next());
      else if (w.startsWith('--tag=')) tags.push(w.slice(6));
      else if (w === '--target') target = next();
      else if (w.startsWith('--target=')) target = w.slice(9);
      else if (
        /^--(build-arg|platform|label|cache-from|cache-to|output|secret|ssh|network|progress|iidfile|metadata-file|builder|add-host|shm-size|ulimit)$/.test(
          w,
        )
      )
        next();
      else if (!w.startsWith('-')) positionals.push(w);
    }
    const ctxWord = positionals[positionals.length - 1];
    if (!ctxWord || /[$`(]/.test(ctxWord) || ctxWord === '-' || /^[a-z]+:\/\//.test(ctxWord)) continue;
    const context = posix.join(dir, unquote(ctxWord));
    const file = dockerfile && !/[$`(]/.test(dockerfile) ? posix.join(dir, unquote(dockerfile)) : posix.join(context, 'Dockerfile');
    const at = { start: m.index, end: m.index + m[0].length };
    const builds = tags.map((t) => {
      const word = unquote(t);
      return { image: tagImage(expandVariables(word, vars)), imageVar: variableName(VARIABLE_WORD.exec(word)) };
    });
    const known = builds.filter((b) => b.image !== undefined || b.imageVar !== undefined);
    for (const b of known.length > 0 ? known : [{ image: undefined, imageVar: undefined }])
      out.push({ image: b.image, ...(b.imageVar ? { imageVar: b.imageVar } : {}), context, dockerfile: file, target, via, at });
  }
  return out;
}

/**
 * A variable reference: `${IMG}`, `$(IMG)` (make), `$IMG`, `${IMG:-default}` / `${IMG:=default}`. Groups: the
 * name in braces, its default, the name in parentheses, the bare name (`variableName` picks the name).
 */
const VARIABLE_REFERENCE = String.raw`\$(?:\{(\w+)(?::?[-=]([^}]*))?\}|\((\w+)\)|(\w+))`;

/** A word that is one whole variable reference. */
export const VARIABLE_WORD = new RegExp(`^${VARIABLE_REFERENCE}$`);

/** The variable named by a match of VARIABLE_WORD. */
export function variableName(m: RegExpExecArray | null): string | undefined {
  return m ? (m[1] ?? m[3] ?? m[4]) : undefined;
}

/**
 * Any computed part of a tag: a workflow expression (`${{ github.sha }}`), a variable reference, or a command
 * (`$(shell git describe)`) — wider than VARIABLE_REFERENCE, since any of them hides what the tag says there.
 */
const COMPUTED_PART = new RegExp(String.raw`\$\{\{[^}]*\}\}|\$(?:\{[^}]*\}|\([^)]*\)|\w+)`, 'g');

/**
 * Literal variable assignments of a Makefile (`X = v`, `X := v`, `X ?= v`, `export X ?= v`) or a script
 * (`X=v`, `export X="v"`). The first literal one wins for `?=` (a default), the last otherwise; `+=` and values
 * that run commands (`$(shell …)`, backquotes) are not read.
 */
function assignments(text: string, make: boolean): Map<string, string> {
  const out = new Map<string, string>();
  const re = make
    ? /^[ \t]*(?:export[ \t]+|override[ \t]+)*([A-Za-z_][\w.-]*)[ \t]*(\?|:{1,3}|!)?=[ \t]*(.*?)[ \t]*$/gm
    : /^[ \t]*(?:export[ \t]+|readonly[ \t]+|local[ \t]+)?([A-Za-z_]\w*)=("[^"\n]*"|'[^'\n]*'|[^\s;&|]*)/gm;
  for (const m of text.matchAll(re)) {
    const name = m[1]!;
    const value = unquote((make ? m[3] : m[2]) ?? '').replace(/[ \t]+#.*$/, '');
    if (/\$\(shell\b|`|\$\(\(/.test(value) || (!make && /\$\(/.test(value))) continue;
    if (make && m[2] === '!') continue;
    if (make && m[2] === '?' && out.has(name)) continue;
    out.set(name, value);
  }
  return out;
}

/** `$(X)`, `${X}`, `${X:-default}` and `$X` filled in from `vars` (nested up to four deep); others stay as written. */
function expandVariables(word: string, vars: ReadonlyMap<string, string>): string {
  let out = word;
  for (let depth = 0; depth < 4 && /\$[({\w]/.test(out); depth++) {
    const next = out.replace(
      new RegExp(VARIABLE_REFERENCE, 'g'),
      (whole: string, a?: string, fallback?: string, b?: string, c?: string) => {
        const value = vars.get(a ?? b ?? c ?? '');
        return value ?? (typeof fallback === 'string' && !fallback.includes('$') ? fallback : whole);
      },
    );
    if (next === out) break;
    out = next;
  }
  return out;
}

/** docker-bake targets: `target "api" { context = "services/api"  dockerfile = "Dockerfile"  tags = ["acme/api:1"] }`. */
function bakeDecls(text: string, dir: string, json: boolean): BuildDecl[] {
  const targets: { name: string; body: Record<string, unknown>; at: TextRange }[] = [];
  if (json) {
    try {
      const doc = record(JSON.parse(text.replace(/^\ufeff/, '')));
      for (const [name, body] of Object.entries(record(doc.target))) targets.push({ name, body: record(body), at: { start: 0, end: 0 } });
    } catch {
      return [];
    }
  } else {
    // The HCL bake files use: `target "name" { attr = "string" | ["list", …] | other }` (blocks may nest).
    for (const m of text.matchAll(/\btarget\s+"([^"]+)"\s*\{/g)) {
      let depth = 1;
      let i = m.index + m[0].length;
      const start = i;
      while (i < text.length && depth > 0) {
        if (text[i] === '{') depth++;
        else if (text[i] === '}') depth--;
        i++;
      }
      const body: Record<string, unknown> = {};
      for (const a of text.slice(start, i - 1).matchAll(/^\s*([A-Za-z_][\w-]*)\s*=\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])/gm)) {
        const raw = a[2]!;
        body[a[1]!] = raw.startsWith('[') ? [...raw.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1]) : raw.slice(1, -1);
      }
      targets.push({ name: m[1]!, body, at: { start: m.index, end: i } });
    }
  }
  const out: BuildDecl[] = [];
  for (const t of targets) {
    const contextValue = typeof t.body.context === 'string' && !t.body.context.includes('${') ? t.body.context : '.';
    const context = posix.join(dir, contextValue);
    const dockerfile = posix.join(context, typeof t.body.dockerfile === 'string' ? t.body.dockerfile : 'Dockerfile');
    const tags = Array.isArray(t.body.tags) ? t.body.tags.filter((x): x is string => typeof x === 'string') : [];
    const images = tags.map(tagImage).filter((x): x is string => x !== undefined);
    for (const image of images.length > 0 ? images : [undefined]) {
      out.push({
        image,
        service: image ? undefined : t.name.toLowerCase(),
        context,
        dockerfile,
        target: typeof t.body.target === 'string' ? t.body.target : undefined,
        via: 'bake',
        at: t.at,
      });
    }
  }
  return out;
}

/**
 * The image of a tag (`ghcr.io/acme/orders:${{ github.sha }}` → `ghcr.io/acme/orders:tag`). Where the repository
 * is partly computed (`${{ env.REGISTRY }}/${{ github.repository_owner }}/orders`), what follows the last
 * computed part (`orders`): images are matched by their repository's trailing path segments. Undefined when
 * nothing of it is known.
 */
function tagImage(tag: string): string | undefined {
  const marked = tag.replace(COMPUTED_PART, '\u0001');
  const repo = marked.replace(/:[^/]*$/, '');
  const computed = repo.lastIndexOf('\u0001');
  const known = computed === -1 ? repo : repo[computed + 1] === '/' ? repo.slice(computed + 2) : '';
  return known && !/[$`{}()\u0001]/.test(known) ? `${known}:tag` : undefined;
}

function unquote(word: string): string {
  return word.replace(/^(['"])(.*)\1$/, '$2');
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
