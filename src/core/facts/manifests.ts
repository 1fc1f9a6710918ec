// Kubernetes objects out of YAML files: multi-document, Helm-tolerant, with exact ranges.
//
// Helm templates are files under a `templates/` folder (or any file whose actions use `.Values`,
// `.Release`, `include`…): they are not YAML until rendered. The units stage (src/core/units/) renders the
// templates of every chart against its values and analyses the output; what the extractor parses here is
// the fallback for templates outside any chart: template actions masked with spaces of the same length, so
// every offset and line still points into the real file. A `{{` inside a plain YAML string (a dashboard's
// `legendFormat: "{{__name__}}"`) does not make a file a template.
import { createHash } from 'node:crypto';
import { Composer, isMap, isPair, isScalar, isSeq, parseAllDocuments, Parser, type Scalar, type YAMLMap } from 'yaml';
import type { ParseProblem } from '../finding.js';
import { firstAfter, type LineIndex } from '../text.js';
import { asMap, flagDuplicateKeys, get, range, str, stringMap, yamlErrorSpan, type YDoc, type YNode } from './yaml-util.js';
import { FileSource, MaskedSource, type ObjectSource } from './source.js';
import { hasCutQuote, joinCutQuotes, restoreFoldedValues, type JoinedQuotes } from './quoted-lines.js';
import { isCommandFlag, parseShell, type ShellScript } from './shell.js';
import { checkParseBudget } from './treesitter.js';
import { problemAt } from './problem.js';

export interface K8sObject {
  file: string;
  /** 0-based index of the YAML document in its file. */
  index: number;
  kind: string;
  apiVersion: string;
  name: string;
  /** As written; undefined means "whatever namespace it is applied to" (kubectl -n, Kustomize). */
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  doc: YDoc;
  root: YAMLMap<Scalar, YNode>;
  /** [start, end) of the document's content, for per-object suppressions and appending siblings. */
  span: [number, number];
  /** Range to report on when the object as a whole is meant: its `name` value, or `kind`. */
  nameSpan: [number, number];
  /** From a Helm template: names and values may be masked template expressions. */
  helm: boolean;
  /** Where the object's nodes are written: reports and edits go through it. */
  source: ObjectSource;
  /** The deployment unit the object belongs to (set by the units stage on every analysis). */
  unit?: DeploymentUnit;
}

/** A set of objects deployed together (src/core/units/): selection and links stay inside one unit first. */
export interface DeploymentUnit {
  /** Stable id, e.g. `kustomize:deploy/overlays/prod`, `helm:charts/shop`, `folder:k8s/dev`. */
  id: string;
  kind: 'kustomize' | 'helm' | 'folder';
  /** The folder the unit lives in ('/'-separated). */
  root: string;
  /** Units this one includes (an overlay's bases); a dial target may resolve into them. */
  includes: DeploymentUnit[];
}

/** Shown for a name that a Helm template computes (`name: {{ include "x.fullname" . }}`). */
export const TEMPLATED = '<templated>';

export interface ManifestFacts {
  objects: K8sObject[];
  /** True when the file is a Helm template (its objects are the masked fallback; charts render it). */
  helm: boolean;
  /** Large multi-document files are parsed per document chunk, so an edit re-parses one chunk. */
  chunks?: Chunk[];
  /** Some quoted scalars were read with their short-indented lines joined (quoted-lines.ts). */
  joinedQuotes?: true;
}

/** A slice of a file from one `---` line to the next, with the documents parsed from it (absolute offsets). */
interface Chunk {
  start: number;
  text: string;
  /** The parse mode the documents were composed with: a chunk is reused only under the same mode. */
  mode: string;
  docs: YDoc[];
}

/** The object built from each parsed document: reused with the document when its chunk survives an edit. */
const reusedObjects = new WeakMap<YDoc, K8sObject>();

/** Files with at least this many `---` lines are parsed in chunks (small files: one parse is cheaper). */
const CHUNKED_MIN_DOCUMENTS = 16;
/** Never used with a shared `lastIndex`: each scan makes its own (matchAll copies `lastIndex` from its regex). */
const DOCUMENT_START = () => /^---(?=[ \t\r]|$)/gm;

/** Cheap test before any parsing: a file that never says `kind:` holds no Kubernetes object. */
export function mayHoldManifests(text: string): boolean {
  return /^[ \t-]*kind[ \t]*:/m.test(text);
}

/** Template actions a Helm chart writes; a bare `{{name}}` in a string is some other tool's placeholder. */
const HELM_ACTION =
  /\{\{-?\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|\$|include\b|template\b|define\b|if\b|with\b|range\b|end\b|toYaml\b|tpl\b|\/\*)/;

/** Is this YAML file a Helm template (rendered by its chart), rather than YAML that happens to hold `{{`? */
export function isHelmTemplate(file: string, text: string): boolean {
  if (!text.includes('{{')) return false;
  return /(^|[\\/])templates[\\/]/.test(file) || HELM_ACTION.test(text);
}

/**
 * Every `{{ … }}` replaced by spaces (newlines kept). A scan with indexOf, not a lazy regex: with a `{{` that
 * never closes, /\{\{[\s\S]*?\}\}/g retries from every later `{{` to the end of the file (quadratic).
 */
export function maskHelm(text: string): string {
  let out = '';
  let from = 0;
  for (let open = text.indexOf('{{'); open !== -1; open = text.indexOf('{{', from)) {
    const close = text.indexOf('}}', open + 2);
    if (close === -1) break;
    out += text.slice(from, open) + text.slice(open, close + 2).replace(/[^\n]/g, ' ');
    from = close + 2;
  }
  return from === 0 ? text : out + text.slice(from);
}

export function extractManifests(
  file: string,
  text: string,
  lines: LineIndex,
  problems: ParseProblem[],
  previous?: ManifestFacts,
): ManifestFacts {
  const helm = isHelmTemplate(file, text);
  let source = helm ? maskHelm(text) : text;
  // logLevel 'error' here and at every parse: yaml's warnings (a collection used as a map key, then converted with
  // toJS) would reach the user's terminal through process.emitWarning.
  const options = { uniqueKeys: !helm, prettyErrors: false, logLevel: 'error' as const };
  let chunks = chunkable(source) ? parseChunks(source, options, previous?.chunks) : undefined;
  const docs = chunks ? chunks.flatMap((c) => c.docs) : parseYaml(source, options);
  let list = docs;
  // Quoted scalars whose continuation lines kubectl accepts and the spec does not (quoted-lines.ts).
  const joined = helm ? undefined : joinQuotedLines(source, list, options);
  if (joined) {
    ({ source, list } = joined);
    chunks = undefined; // the chunks hold the failed documents; an edit re-parses the whole file
  }
  // Compared once: two long strings of equal length are compared character by character.
  const masked = source !== text;
  const objects: K8sObject[] = [];
  // Scanned once: per document, a file of n documents was read n times.
  const mayHoldShell = source.includes('-c');
  list.forEach((doc, index) => {
    checkParseBudget();
    if (doc.errors.length > 0) {
      if (!helm) {
        const err = doc.errors[0]!;
        const { start, end } = yamlErrorSpan(err, text.length);
        problems.push(
          problemAt({ file, lines }, start, end, {
            kind: 'syntax',
            fatal: list.length === 1,
            message: `YAML syntax error in document ${index + 1}: ${firstLine(err.message)}`,
          }),
        );
      }
      return;
    }
    // A document reused from before the edit keeps its object (spans shifted with it), and so its typed views.
    let object = reusedObjects.get(doc);
    if (object && object.file === file && object.helm === helm) {
      object.index = index;
      object.source = masked ? new MaskedSource(file, source, text) : new FileSource(file, source);
    } else object = toObject(file, index, doc, source, helm, masked ? text : undefined);
    if (object) {
      objects.push(object);
      if (!reusedObjects.has(doc) && mayHoldShell) parseShellCode(doc);
      reusedObjects.set(doc, object);
    }
  });
  return { objects, helm, chunks, ...(joined ? { joinedQuotes: true } : {}) };
}

/**
 * The documents with their cut-short quoted scalars joined (quoted-lines.ts), and the text they index into:
 * a document that failed that way and parses cleanly once joined replaces the failed one. Undefined when no
 * document was mended. Only mended documents and what they had swallowed are parsed again.
 */
function joinQuotedLines(source: string, docs: YDoc[], options: ParseMode): { source: string; list: YDoc[] } | undefined {
  if (!docs.some(hasCutQuote) || documentsTied(source)) return undefined;
  const starts = documentStarts(source);
  let text = source;
  let list = docs;
  const openings: number[] = [];
  const tried = new Set<number>();
  /** A failed document, as the file delimits it (up to the next `---` line), joined; or undefined. */
  const joinAt = (doc: YDoc) => {
    const start = doc.range[0];
    tried.add(start);
    const end = starts[firstAfter(starts, start)] ?? source.length;
    const join = joinDocument(text.slice(start, end), start, doc, options);
    return join && { ...join, end };
  };
  for (let round = 0; round < MAX_JOIN_ROUNDS; round++) {
    const parts: string[] = [];
    const next: YDoc[] = [];
    let copied = 0;
    list.forEach((doc, i) => {
      const join = hasCutQuote(doc) && !tried.has(doc.range[0]) ? joinAt(doc) : undefined;
      if (!join) return void next.push(doc);
      parts.push(text.slice(copied, doc.range[0]), join.text);
      openings.push(...join.openings);
      next.push(join.doc);
      // A failed document may swallow the documents after it (an unclosed quote runs past their `---`): they
      // are parsed again on their own, and get their turn in the next round.
      copied = join.end;
      const upTo = list[i + 1]?.range[0] ?? text.length;
      if (upTo > join.end) next.push(...composeAt(text.slice(join.end, upTo), join.end, options));
    });
    if (parts.length === 0) break;
    parts.push(text.slice(copied));
    text = parts.join('');
    list = next;
    if (!list.some((d) => hasCutQuote(d) && !tried.has(d.range[0]))) break;
  }
  if (openings.length === 0 || !restoreFoldedValues(list, source, openings)) return undefined;
  return { source: text, list };
}

/**
 * The document's text (at file offset `start`) with its cut-short quoted scalars joined so that it parses
 * cleanly, where they open, and the document; or undefined. Error recovery after a cut scalar can hide the next one, so
 * joining repeats on each new parse of the document.
 */
function joinDocument(text: string, start: number, failed: YDoc, options: ParseMode): (JoinedQuotes & { doc: YDoc }) | undefined {
  const openings: number[] = [];
  let doc = failed;
  for (let round = 0; round < MAX_JOIN_ROUNDS && hasCutQuote(doc); round++) {
    const join = joinCutQuotes(text, start, doc);
    if (!join) return undefined;
    text = join.text;
    openings.push(...join.openings);
    checkParseBudget();
    // Same length, so offsets are the file's: parse the joined document at its start.
    const again = composeAt(text, start, options);
    if (again.length !== 1) return undefined;
    doc = again[0]!;
  }
  return doc !== failed && doc.errors.length === 0 ? { text, openings, doc } : undefined;
}

/** Rounds of joining, per document and per file; input needing more is left as it failed. */
const MAX_JOIN_ROUNDS = 32;

/**
 * Chunked parsing, for editing large manifests: a `---` line at column 0 always starts a YAML document, so
 * the file splits into chunks that parse independently. Each chunk is parsed with the parser's offset set to
 * its start, so ranges are absolute. On an edit, a chunk whose text is unchanged keeps its documents (their
 * ranges shifted if the chunk moved); only changed chunks are parsed again. Directives (`%YAML`) and `...`
 * markers tie documents together: such files are parsed whole.
 */
function chunkable(source: string): boolean {
  if (documentsTied(source)) return false;
  let count = 0;
  const marker = DOCUMENT_START();
  while (marker.exec(source) && ++count < CHUNKED_MIN_DOCUMENTS);
  return count >= CHUNKED_MIN_DOCUMENTS;
}

/**
 * Does an edited manifest parse without YAML errors, judged from the chunks the edit changed? The file splits at
 * `---` lines into chunks that each parse on their own, whatever surrounds them (as in parseChunks). So a chunk
 * of the edited text that is also a chunk of the text before — moved or not — parses as it did there, and only
 * the chunks found nowhere before are parsed. The text before must have had no YAML error. Undefined where
 * chunks do not hold (directives, `...` markers).
 */
export function changedChunksParseCleanly(before: string, after: string, clean?: CleanChunks): boolean | undefined {
  if (documentsTied(before) || documentsTied(after)) return undefined;
  const known = new Set(chunkTexts(before));
  // In file order, so that the one chunk that may lack a final newline (the last) stays last when joined.
  let changed = chunkTexts(after).filter((c) => !known.has(c));
  // Chunks seen clean before (an earlier suggestion, or the same suggestion before an edit elsewhere in the file).
  let keys: string[] = [];
  if (clean) {
    const pending = changed.map((chunk) => ({ chunk, key: chunkKey(chunk) })).filter((c) => !clean.has(c.key));
    changed = pending.map((c) => c.chunk);
    keys = pending.map((c) => c.key);
  }
  if (changed.length === 0) return true;
  checkParseBudget();
  const docs = parseYaml(changed.join(''), { uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
  const ok = docs.every((d) => d.errors.length === 0);
  if (ok && clean) clean.add(keys);
  return ok;
}

/**
 * Chunks known to parse cleanly, by a hash of their text (a chunk's text is a slice of an edited copy of a file;
 * kept as a key, it would keep that whole copy alive). Bounded: past MAX_CLEAN_CHUNKS it starts over.
 */
export class CleanChunks {
  private readonly keys = new Set<string>();

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(keys: readonly string[]): void {
    if (this.keys.size + keys.length > MAX_CLEAN_CHUNKS) this.keys.clear();
    for (const k of keys) this.keys.add(k);
  }
}

const MAX_CLEAN_CHUNKS = 200_000;

function chunkKey(chunk: string): string {
  return `${chunk.length}:${createHash('sha256').update(chunk).digest('base64')}`;
}

function chunkTexts(source: string): string[] {
  const starts = documentStarts(source);
  return starts.map((start, i) => source.slice(start, starts[i + 1] ?? source.length));
}

/** Directives (`%YAML`) or `...` markers tie documents together: the file does not split into chunks. */
export function documentsTied(source: string): boolean {
  return /^(%|\.\.\.)/m.test(source);
}

/** Where the chunks start: 0, then every `---` line at column 0 after it. */
export function documentStarts(source: string): number[] {
  const starts = [0];
  for (const m of source.matchAll(DOCUMENT_START())) if (m.index > 0) starts.push(m.index);
  return starts;
}

/** How manifests are parsed: duplicate keys are errors outside Helm templates. */
interface ParseMode {
  uniqueKeys: boolean;
  prettyErrors: boolean;
  logLevel?: 'error';
}

/**
 * yaml's parse of `text` in `mode`, its duplicate keys found in linear time (flagDuplicateKeys) instead of by
 * yaml, which compares every key of a map with every key before it.
 */
function parseYaml(text: string, mode: ParseMode): YDoc[] {
  const docs = withoutStacks(() => parseAllDocuments(text, { ...mode, uniqueKeys: false, logLevel: 'error' }));
  return flagged(Array.isArray(docs) ? docs : [], mode);
}

/** The same for a slice of a file at `offset`: the documents' ranges are the file's. */
function composeAt(text: string, offset: number, mode: ParseMode): YDoc[] {
  const parser = new Parser();
  parser.offset = offset;
  const composer = new Composer({ ...mode, uniqueKeys: false, logLevel: 'error' });
  return flagged(
    withoutStacks(() => Array.from(composer.compose(parser.parse(text), false, offset + text.length)) as YDoc[]),
    mode,
  );
}

/**
 * yaml reports each syntax error as an Error object, and capturing its stack trace was most of the time spent on
 * broken files (0.47 s of 2.4 s for 20,000 broken documents). Nothing reads those stacks: only codes, messages
 * and offsets are reported.
 */
function withoutStacks<T>(parse: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parse();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function flagged(docs: YDoc[], mode: ParseMode): YDoc[] {
  if (mode.uniqueKeys) for (const doc of docs) flagDuplicateKeys(doc);
  return docs;
}

function parseChunks(source: string, options: ParseMode, previous: Chunk[] | undefined): Chunk[] {
  const starts = documentStarts(source);
  // Keyed by everything that changes what a parse gives (today: duplicate keys are errors outside Helm).
  const mode = JSON.stringify(options);
  const reusable = new Map<string, Chunk[]>();
  for (const old of previous ?? []) {
    if (old.mode !== mode) continue;
    const same = reusable.get(old.text);
    if (same) same.push(old);
    else reusable.set(old.text, [old]);
  }
  return starts.map((start, i) => {
    const text = source.slice(start, starts[i + 1] ?? source.length);
    const old = reusable.get(text)?.shift();
    if (old) {
      if (old.start !== start) for (const doc of old.docs) shiftDocument(doc, start - old.start);
      return { start, text, mode, docs: old.docs };
    }
    checkParseBudget();
    const docs = composeAt(text, start, options);
    return { start, text, mode, docs };
  });
}

function shiftDocument(doc: YDoc, delta: number): void {
  const shift = (r: [number, number, number]): [number, number, number] => [r[0] + delta, r[1] + delta, r[2] + delta];
  doc.range = shift(doc.range);
  // A direct walk: yaml's visit() is several times slower, and half a large file moves on a typical edit.
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { range?: [number, number, number]; items?: unknown[]; key?: unknown; value?: unknown };
    if (n.range) n.range = shift(n.range);
    if (isPair(node)) {
      walk(node.key);
      walk(node.value);
    } else if (n.items) {
      for (const item of n.items) walk(item);
    }
  };
  walk(doc.contents);
  for (const e of [...doc.errors, ...doc.warnings]) e.pos = [e.pos[0] + delta, e.pos[1] + delta];
  const object = reusedObjects.get(doc);
  if (object) {
    object.span = [object.span[0] + delta, object.span[1] + delta];
    object.nameSpan = [object.nameSpan[0] + delta, object.nameSpan[1] + delta];
  }
}
/** `original`: the file's text when `text` is a masked or joined copy of it. */
function toObject(
  file: string,
  index: number,
  doc: YDoc,
  text: string,
  helm: boolean,
  original: string | undefined,
): K8sObject | undefined {
  return objectFromDocument({
    file,
    index,
    doc,
    text,
    helm,
    source: original !== undefined ? new MaskedSource(file, text, original) : new FileSource(file, text),
  });
}

export interface DocumentPlacement {
  /** The file the object is reported in (a manifest, or the template a rendered document came from). */
  file: string;
  index: number;
  doc: YDoc;
  /** The text the document's ranges index into. */
  text: string;
  helm: boolean;
  source: ObjectSource;
  /** Maps a [start, end) of `text` to the reported file (rendered output → template); identity by default. */
  place?: (start: number, end: number) => [number, number];
}

/** The Kubernetes object a parsed document holds, or undefined (CI configs, OpenAPI, values.yaml…). */
export function objectFromDocument(p: DocumentPlacement): K8sObject | undefined {
  const { file, index, doc, text, helm } = p;
  const place = p.place ?? ((start: number, end: number): [number, number] => [start, end]);
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const kind = str(get(root, 'kind', doc), doc);
  const apiVersion = str(get(root, 'apiVersion', doc), doc);
  // Anything without both is not a Kubernetes object (CI configs, OpenAPI, values.yaml).
  if (!kind || !apiVersion) return undefined;
  const metadata = asMap(get(root, 'metadata', doc), doc);
  const nameNode = metadata ? get(metadata, 'name', doc) : undefined;
  const kindNode = get(root, 'kind', doc)!;
  return {
    file,
    index,
    kind,
    apiVersion,
    name: str(nameNode, doc) || (helm ? TEMPLATED : ''),
    namespace: metadata ? str(get(metadata, 'namespace', doc), doc) : undefined,
    labels: stringMap(metadata && get(metadata, 'labels', doc), doc),
    annotations: stringMap(metadata && get(metadata, 'annotations', doc), doc),
    doc,
    root: root as YAMLMap<Scalar, YNode>,
    span: place(root.range[0], root.range[2]),
    nameSpan: place(...range(nameNode && str(nameNode, doc) ? nameNode : kindNode, text)),
    helm,
    source: p.source,
  };
}

/** `sh -c` code written in pod specs (`command`/`args`, exec hooks), parsed at extraction (shellCodeOf). */
const shellCode = new WeakMap<YNode, ShellScript>();

/** The parsed code of a `-c` flag's scalar in a `command`/`args` list, when it is one. */
export function shellCodeOf(node: YNode | undefined): ShellScript | undefined {
  return node ? shellCode.get(node) : undefined;
}

function parseShellCode(doc: YDoc): void {
  // A direct walk, as in shiftDocument: yaml's visit() was most of this function's time on large workspaces.
  const walk = (node: unknown): void => {
    if (isPair(node)) {
      walk(node.key);
      walk(node.value);
    } else if (isMap(node)) {
      readArgv(node);
      for (const item of node.items) walk(item);
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    }
  };
  walk(doc.contents);
}

/** A container (or exec handler): `command` then `args` form one argv; the word after `-c` is shell code. */
function readArgv(map: YAMLMap): void {
  const words = ['command', 'args'].flatMap((key) => {
    const value = map.items.find((p) => isScalar(p.key) && p.key.value === key)?.value;
    return isSeq(value) ? value.items : [];
  });
  words.forEach((word, i) => {
    const previous = words[i - 1];
    if (i > 0 && isScalar(word) && typeof word.value === 'string' && isScalar(previous) && isCommandFlag(String(previous.value))) {
      shellCode.set(word as YNode, parseShell(word.value));
    }
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
