// Quoted scalars whose continuation lines are indented less than YAML 1.2 asks, read as Kubernetes reads them.
//
//     - args: ["sh", "-c", "make build
//         && make test"]          <- a continuation line the `yaml` library rejects when it is not indented
//                                    more than the block the flow sequence sits in
//
// kubectl parses manifests with go-yaml (through sigs.k8s.io/yaml), a port of libyaml's scanner, and libyaml
// folds such a line into the scalar like any other: the manifest applies. The `yaml` library follows the
// spec's indentation rule and reports "Missing closing quote", so a manifest that deploys would show a false
// syntax error and none of its findings. Where a document fails that way, the scalar's line breaks are read as
// spaces (same length: every offset and line stays the file's), the document is parsed again, and each joined
// scalar gets the value of its own text folded as YAML folds it. The document is used only when it then parses
// with no error; edits that would touch a joined line break are refused (MaskedSource).
import { isScalar, parseDocument, visit, type Scalar } from 'yaml';
import { firstAfter } from '../text.js';
import type { YDoc } from './yaml-util.js';

/** A document's text with its cut-short scalars joined, and where each joined scalar opens (file offsets). */
export interface JoinedQuotes {
  /** The document's text, [start, end) of the file. */
  text: string;
  openings: number[];
}

/** Did this document fail on a quoted scalar that the end of a line cut short? */
export function hasCutQuote(doc: YDoc): boolean {
  return doc.errors.some(isCutQuote);
}

function isCutQuote(error: { code: string; message: string }): boolean {
  return error.code === 'MISSING_CHAR' && /^Missing closing ["']quote/.test(error.message);
}

/**
 * The document's text (`text`, which starts at file offset `start`; `doc` was parsed from it) with the line
 * breaks of every cut-short quoted scalar read as spaces; undefined when none can be joined (no closing quote
 * before the document ends).
 */
export function joinCutQuotes(text: string, start: number, doc: YDoc): JoinedQuotes | undefined {
  const end = start + text.length;
  const cuts = doc.errors
    .filter(isCutQuote)
    .map((e) => e.pos[0])
    .filter((at) => at < end)
    .sort((x, y) => x - y);
  const openings = new Set<number>();
  visit(doc, {
    Scalar(_key, node) {
      const r = node.range;
      if (!r || (node.type !== 'QUOTE_DOUBLE' && node.type !== 'QUOTE_SINGLE')) return;
      const cut = cuts[firstAfter(cuts, r[0])];
      if (cut !== undefined && cut <= r[2]) openings.add(r[0]);
    },
  });
  // Built from parts: one copy of the text however many scalars are joined.
  const parts: string[] = [];
  const done: number[] = [];
  let after = 0;
  for (const open of [...openings].sort((x, y) => x - y)) {
    const at = open - start;
    // A quote the failed parse saw inside a scalar already joined is part of that scalar's text.
    const close = at < after ? undefined : closingQuote(text, at);
    if (close === undefined) continue;
    parts.push(text.slice(after, at), text.slice(at, close).replace(/[\r\n]/g, ' '));
    done.push(open);
    after = close;
  }
  parts.push(text.slice(after));
  return done.length > 0 ? { text: parts.join(''), openings: done } : undefined;
}

/**
 * The index just past the quote that closes the scalar opening at `open`, or undefined when the document's text
 * ends first: then the quote is really missing.
 */
function closingQuote(text: string, open: number): number | undefined {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return undefined;
}

/**
 * Give each joined scalar of `docs` (parsed from the joined text) the value its original text folds to, read
 * alone as a document (where indentation cannot be short). False when one cannot be read: the repair is dropped.
 */
export function restoreFoldedValues(docs: readonly YDoc[], original: string, openings: readonly number[]): boolean {
  const wanted = new Set(openings);
  const found: Scalar[] = [];
  for (const doc of docs) {
    visit(doc, {
      Scalar(_key, node) {
        if (node.range && wanted.has(node.range[0])) found.push(node);
      },
    });
  }
  if (found.length !== wanted.size) return false;
  for (const node of found) {
    const [start, end] = node.range!;
    const alone = parseDocument(original.slice(start, end), { prettyErrors: false, logLevel: 'error' });
    if (alone.errors.length > 0 || !isScalar(alone.contents)) return false;
    node.value = alone.contents.value;
  }
  return true;
}
