// Fixes that cannot damage: every fix and suggestion a rule offers passes through here before any front
// end sees it. Edits are normalised to the file's line ending and kept behind a BOM; an edit is refused when
// it splits a CRLF, touches a comment, or lands where the file does not parse (a YAML error, a tree-sitter
// ERROR in the enclosing top-level declaration). Each offered edit is applied in memory and re-parsed (no
// new problem may appear); a fix is also re-analysed (its rule re-run on the edited workspace) and dropped
// when its finding survives. Re-analysis is batched per file: the non-overlapping fixes of a file are checked
// together in one model, and only those that fail there are re-checked alone.
import { applyEdits, editKey, eolOf, fixKey, selectFixes } from './edit.js';
import { editedManifestParsesCleanly, extractFacts, YAML_FILE, type FileFacts } from './facts/index.js';
import { languageOfFile } from './facts/grpc/index.js';
import { CleanChunks, documentStarts, documentsTied } from './facts/manifests.js';
import type { Tree } from 'web-tree-sitter';
import { isRuntimeReady, parse, ParseBudgetExceeded, withParseBudget, type GrammarName } from './facts/treesitter.js';
import type { Finding, Fix, TextEdit } from './finding.js';
import type { KubeconnOptions } from './options.js';
import { pushTo } from './multimap.js';
import { firstAfter } from './text.js';

/**
 * Re-run the rules `ruleIds` over `files` (the edited workspace); returns their findings after suppression, at
 * least those in the files of `about` (a re-analysis may leave out files that the edits cannot affect).
 */
export type Reanalyse = (files: Map<string, FileFacts>, ruleIds: ReadonlySet<string>, about: readonly string[]) => Finding[];

export interface VerifyCounters {
  /** Models built to re-analyse fixes (a measure of the cost). */
  reanalyses: number;
  /** Fixes re-analysed (cached verdicts not counted; a fix re-checked alone counts again). */
  reanalysedFixes?: number;
  /** Edited texts re-parsed to check that they parse like before (cached verdicts not counted). */
  reparses?: number;
  dropped: number;
  /** Milliseconds spent verifying. */
  ms: number;
}

/**
 * Verdicts kept across analyses (a workspace holds one), so that an edit re-checks only the fixes it can change.
 * - Re-parse verdicts: keyed by the facts object (replaced whenever the file or the options change) and the
 *   edits, never by the edited text. A re-parse reads that one file only, so the verdict is exact.
 * - Re-analysis verdicts (does the fix remove its finding): keyed by the file, the finding (rule, message,
 *   related locations), the fix's edits and the text of what the fix edits (the `---` documents it touches in
 *   a plain manifest, the whole file otherwise). Re-analysis reads the whole workspace, so the rest of it is
 *   part of the input too: whatever it contributes to the finding is named in the finding's message and related
 *   locations (the Service, the server, the numbers), and a file added or removed, or new options, drop every
 *   verdict (`forgetReanalyses`, called by the workspace). The incremental property test holds this to a fresh
 *   workspace's result.
 */
export class VerifyCache {
  private readonly verdicts = new WeakMap<FileFacts, Map<string, boolean>>();
  private reanalysed = new Map<string, boolean>();
  /**
   * YAML chunks (`---` documents) that parsed cleanly in a suggestion's re-parse. A chunk parses the same wherever
   * it sits, so after an edit elsewhere in the file a suggestion's changed chunks are known clean already.
   */
  readonly cleanChunks = new CleanChunks();

  of(facts: FileFacts): Map<string, boolean> {
    let known = this.verdicts.get(facts);
    if (!known) this.verdicts.set(facts, (known = new Map<string, boolean>()));
    return known;
  }

  reanalysis(key: string): boolean | undefined {
    return this.reanalysed.get(key);
  }

  /** The verdicts of the fixes of the latest analysis replace the earlier ones (no verdict outlives its fix). */
  keepReanalyses(next: Map<string, boolean>): void {
    this.reanalysed = next;
  }

  /**
   * Verdicts of some findings' fixes (verification on demand, `only`) join the known ones: the rest of the
   * analysis was not verified, so its verdicts are not replaced. Bounded: past MAX_VERDICTS it starts over.
   */
  addReanalyses(next: Map<string, boolean>): void {
    if (this.reanalysed.size + next.size > MAX_VERDICTS) this.reanalysed = new Map();
    for (const [key, verdict] of next) this.reanalysed.set(key, verdict);
  }

  forgetReanalyses(): void {
    this.reanalysed = new Map();
  }
}

const MAX_VERDICTS = 100_000;

/**
 * The findings with their fixes verified (a fix or suggestion that fails a check is dropped). With `only`, just
 * those findings' fixes are verified and the others are returned as they are: an editor verifies the fixes of
 * the findings a code action asks for, not the whole workspace's on every keystroke. `findings` is still the
 * analysis's every finding, since a re-analysis compares the counts of findings before and after a fix.
 */
export function verifyFixes(
  files: ReadonlyMap<string, FileFacts>,
  findings: Finding[],
  options: KubeconnOptions,
  reanalyse: Reanalyse,
  counters?: VerifyCounters,
  cache: VerifyCache = new VerifyCache(),
  only?: ReadonlySet<Finding>,
): Finding[] {
  const started = performance.now();
  try {
    return verify(files, findings, options, reanalyse, counters, cache, only);
  } finally {
    if (counters) counters.ms += performance.now() - started;
  }
}

function verify(
  files: ReadonlyMap<string, FileFacts>,
  findings: Finding[],
  options: KubeconnOptions,
  reanalyse: Reanalyse,
  counters: VerifyCounters | undefined,
  cache: VerifyCache,
  only: ReadonlySet<Finding> | undefined,
): Finding[] {
  const inScope = (f: Finding) => !only || only.has(f);
  // The facts of the first round of each file's fixes (below): re-analysis applies the same fixes together and
  // reads them instead of parsing that text again. One text per file: per-fix re-parses are not kept.
  const kept = new Map<string, { text: string; facts: FileFacts }>();
  const factsOf = (file: string, text: string): FileFacts => {
    const hit = kept.get(file);
    return hit?.text === text ? hit.facts : extractFacts(file, text, options);
  };
  /** Does the file parse like before with these edits applied (no new problem, no new syntax error)? */
  const reparses = (file: string, edits: readonly TextEdit[], keep = false): boolean => {
    const facts = files.get(file)!;
    const known = cache.of(facts);
    const key = edits.map(editKey).join('\n');
    let ok = known.get(key);
    if (ok === undefined) {
      const text = applyEdits(facts.text, edits);
      if (counters) counters.reparses = (counters.reparses ?? 0) + 1;
      // A verdict without facts (a suggestion) may come from the changed YAML chunks alone.
      const quick = keep ? undefined : editedManifestParsesCleanly(facts, text, options, cache.cleanChunks);
      if (quick !== undefined) ok = quick;
      else {
        const after = extractFacts(file, text, options);
        if (keep && !kept.has(file)) kept.set(file, { text, facts: after });
        ok = parsesLikeBefore(facts, text, after, options);
      }
      // Before the tree-sitter runtime is ready the code check is skipped: such a verdict is not kept.
      if (isRuntimeReady()) known.set(key, ok);
    }
    return ok;
  };
  const staticOk = (fix: Fix): boolean => fix.edits.every((e) => editIsSafe(files.get(e.file), e, options.maxParseMs));
  const clean = new Set<Fix>(); // re-parse verdicts settled by a batch
  // A fix's re-parsed facts are kept (its re-analysis reads them); a suggestion's are not.
  const appliesCleanly = (fix: Fix, keep: boolean): boolean => {
    if (clean.has(fix)) return true;
    for (const [file, edits] of byFile(fix.edits)) {
      if (!reparses(file, edits, keep)) return false;
    }
    return true;
  };
  const normalised = findings.map((f) =>
    inScope(f)
      ? { fix: f.fix && normalise(files, f.fix), suggestions: f.suggestions.map((s) => normalise(files, s)) }
      : { suggestions: [] },
  );
  // Re-analysis verdicts from earlier analyses (VerifyCache), for fixes that edit their finding's file only.
  const regions = new RegionIndex();
  const verdictKeys = new Map<Fix, string>();
  normalised.forEach(({ fix }, i) => {
    const f = findings[i]!;
    const facts = files.get(f.file);
    if (!fix || !facts || !fix.edits.every((e) => e.file === f.file)) return;
    const edits = fix.edits.map(editKey).join('\n');
    verdictKeys.set(fix, `${f.file}\0${f.ruleId}\0${f.message}\0${JSON.stringify(f.related)}\0${edits}\0${regions.of(facts, fix.edits)}`);
  });
  /** A fix whose re-analysis verdict is not known needs the facts of its re-parse. */
  const needsFacts = (fix: Fix): boolean => {
    const key = verdictKeys.get(fix);
    return key === undefined || cache.reanalysis(key) === undefined;
  };
  // Re-parsing a file once per fix is quadratic in a file with many findings: the single-file edits that pass the
  // static checks are first applied together, in rounds of non-overlapping ones, and a round whose result parses
  // like before settles all of its edits; the rest (a failed round, overlaps) are re-parsed one by one.
  // The fixes go first, in rounds of their own: re-analysis applies the same fixes together, and reads that
  // round's facts.
  const fixes = new Set(normalised.flatMap((n) => (n.fix ? [n.fix] : [])));
  const settleInRounds = (file: string, pool: Fix[], keep: boolean): Fix[] => {
    let remaining = pool;
    while (remaining.length > 1) {
      const taken = new Set(selectFixes(remaining));
      const round = remaining.filter((x) => x.edits.every((e) => taken.has(e)));
      if (round.length < 2) break;
      if (
        reparses(
          file,
          round.flatMap((x) => x.edits),
          keep,
        )
      )
        for (const x of round) clean.add(x);
      const settled = new Set(round);
      remaining = remaining.filter((x) => !settled.has(x));
    }
    return remaining;
  };
  const perFile = new Map<string, Fix[]>();
  for (const { fix, suggestions } of normalised) {
    for (const x of fix ? [fix, ...suggestions] : suggestions) {
      const file = x.edits[0]?.file;
      if (file === undefined || !x.edits.every((e) => e.file === file) || !staticOk(x)) continue;
      const list = perFile.get(file);
      if (list) list.push(x);
      else perFile.set(file, [x]);
    }
  }
  for (const [file, list] of perFile) {
    // The fixes that need facts go in rounds that keep them; one left over is re-parsed alone below, keeping them
    // too (a round with the rest would not). The rest (suggestions, fixes with a known verdict) need no facts.
    settleInRounds(
      file,
      list.filter((x) => fixes.has(x) && needsFacts(x)),
      true,
    );
    settleInRounds(
      file,
      list.filter((x) => !fixes.has(x) || !needsFacts(x)),
      false,
    );
  }
  const out = findings.map((f, i) => {
    if (!inScope(f)) return f;
    let fix = normalised[i]!.fix;
    if (fix && !(staticOk(fix) && appliesCleanly(fix, needsFacts(fix)))) fix = undefined;
    const suggestions = normalised[i]!.suggestions.filter((s) => staticOk(s) && appliesCleanly(s, false));
    if ((f.fix && !fix) || suggestions.length !== f.suggestions.length) {
      if (counters) counters.dropped += (f.fix && !fix ? 1 : 0) + f.suggestions.length - suggestions.length;
    }
    return fix === f.fix && suggestions.length === f.suggestions.length && suggestions.every((s, i) => s === f.suggestions[i])
      ? f
      : { ...f, fix, suggestions };
  });
  // Re-analysis: each fix must remove its finding.
  const pending = out.filter((f, i) => f.fix && inScope(findings[i]!));
  if (pending.length === 0) return out;
  const survivors = new Set<Finding>();
  const keyOf = (f: Finding) => `${f.ruleId}\0${f.file}\0${f.message}`;
  const pendingRules = new Set(pending.map((p) => p.ruleId));
  const before = countBy(
    findings.filter((f) => pendingRules.has(f.ruleId)),
    keyOf,
  );
  const check = (batch: Finding[]): Finding[] => {
    // Twins (one base line's fix, reported once per overlay that builds on it) carry the same edits: applied once.
    const edits = [...new Map(batch.flatMap((f) => f.fix!.edits).map((e) => [editKey(e), e])).values()];
    const edited = new Map(files);
    for (const [file, list] of byFile(edits)) edited.set(file, factsOf(file, applyEdits(files.get(file)!.text, list)));
    if (counters) {
      counters.reanalyses++;
      counters.reanalysedFixes = (counters.reanalysedFixes ?? 0) + batch.length;
    }
    const after = countBy(
      reanalyse(
        edited,
        new Set(batch.map((f) => f.ruleId)),
        batch.map((f) => f.file),
      ),
      keyOf,
    );
    const expected = countBy(batch, keyOf);
    const failed = new Set<string>();
    for (const [key, n] of expected) if ((after.get(key) ?? 0) > (before.get(key) ?? 0) - n) failed.add(key);
    return batch.filter((f) => failed.has(keyOf(f)));
  };
  // Rounds: each file contributes its next batch of non-overlapping fixes, and one re-analysis checks the batches
  // of every file together (a re-analysis per file is quadratic on large workspaces); a fix that seems to fail is
  // re-checked alone before it is dropped. Fixes spanning files are checked alone.
  // A single-file fix whose verdict is known from an earlier analysis (VerifyCache) is not re-analysed.
  const groups = new Map<string, Finding[]>();
  const spanning: Finding[] = [];
  const next = new Map<string, boolean>();
  for (const f of pending) {
    const key = verdictKeys.get(f.fix!);
    if (key === undefined) {
      spanning.push(f);
      continue;
    }
    const verdict = cache.reanalysis(key);
    if (verdict === undefined) pushTo(groups, f.file, f);
    else {
      next.set(key, verdict);
      if (!verdict) survivors.add(f);
    }
  }
  const checked = [...groups.values()].flat();
  // A round counts findings by rule, file and message, so a fix whose finding another fix of the round removes
  // would be credited with it: a fix that edits a document another fix's finding cites (where it is, or a related
  // location) waits for a later round. What a rule reads without citing it is not seen (documented limit).
  const documentsOf = (located: readonly { file: string; start: number; end: number }[]): string[] => {
    const out = new Set<string>();
    for (const l of located) {
      const facts = files.get(l.file);
      if (!facts) continue;
      // An insertion at a document start touches the document before it too.
      for (const at of [Math.max(0, l.start - 1), l.start, l.end]) out.add(`${l.file}\0${regions.documentAt(facts, at)}`);
    }
    return [...out];
  };
  const fixKeys = new Map<Finding, string>();
  const keyOfFix = (f: Finding): string => {
    let key = fixKeys.get(f);
    if (key === undefined) fixKeys.set(f, (key = fixKey(f.fix!)));
    return key;
  };
  let remaining = [...groups.values()];
  while (remaining.length > 0) {
    const round: Finding[] = [];
    const edited = new Map<string, Set<string>>(); // document → keys of the round's fixes that edit it
    const cited = new Map<string, Set<string>>(); // document → keys of the round's fixes whose findings cite it
    // Does another fix of the round (a key other than `key`) edit or cite one of `docs`?
    const clashes = (key: string, docs: readonly string[], by: Map<string, Set<string>>) =>
      docs.some((d) => {
        const keys = by.get(d);
        return keys !== undefined && (keys.size > 1 || !keys.has(key));
      });
    const add = (key: string, docs: readonly string[], to: Map<string, Set<string>>) => {
      for (const d of docs) {
        const keys = to.get(d);
        if (keys) keys.add(key);
        else to.set(d, new Set([key]));
      }
    };
    remaining = remaining
      .map((group) => {
        const taken = new Set(selectFixes(group.map((f) => f.fix!)));
        const batch = group.filter((f) => f.fix!.edits.every((e) => taken.has(e)));
        // A fix's twins (the same edits) go with it: one re-analysis settles them all, instead of one each.
        const byKey = new Map<string, Finding[]>();
        for (const g of group) pushTo(byKey, keyOfFix(g), g);
        const keys = new Set<string>();
        for (const f of batch.length > 0 ? batch : [group[0]!]) {
          const key = keyOfFix(f);
          if (keys.has(key)) continue;
          const twins = byKey.get(key)!;
          const edits = documentsOf(f.fix!.edits);
          const cites = documentsOf(twins.flatMap((t) => [t, ...t.related]));
          // The round's first fix always goes: every round settles at least one.
          if (round.length + keys.size > 0 && (clashes(key, edits, cited) || clashes(key, cites, edited))) continue;
          keys.add(key);
          add(key, edits, edited);
          add(key, cites, cited);
        }
        const picked = group.filter((f) => keys.has(keyOfFix(f)));
        round.push(...picked);
        const done = new Set(picked);
        return group.filter((f) => !done.has(f));
      })
      .filter((group) => group.length > 0);
    for (const f of check(round)) if (round.length === 1 || check([f]).length > 0) survivors.add(f);
  }
  // Before the tree-sitter runtime is ready code files have no facts: such verdicts are not kept.
  if (isRuntimeReady()) for (const f of checked) next.set(verdictKeys.get(f.fix!)!, !survivors.has(f));
  if (only) cache.addReanalyses(next);
  else cache.keepReanalyses(next);
  for (const f of spanning) if (check([f]).length > 0) survivors.add(f);
  if (survivors.size === 0) return out;
  if (counters) counters.dropped += survivors.size;
  return out.map((f) => (survivors.has(f) ? { ...f, fix: undefined } : f));
}

/** Inserted text in the file's line ending; nothing inserted in front of a byte-order mark. */
function normalise(files: ReadonlyMap<string, FileFacts>, fix: Fix): Fix {
  let changed = false;
  const edits = fix.edits.map((e): TextEdit => {
    const text = files.get(e.file)?.text;
    if (text === undefined) return e;
    let next = e;
    if (eolOf(text) === '\r\n' && /(^|[^\r])\n/.test(e.text)) next = { ...next, text: next.text.replace(/\r?\n/g, '\r\n') };
    if (text.charCodeAt(0) === 0xfeff && next.start === 0) next = { ...next, start: 1, end: Math.max(1, next.end) };
    if (next !== e) changed = true;
    return next;
  });
  return changed ? { ...fix, edits } : fix;
}

/** An edit in range that splits no CRLF and no surrogate pair, touches no comment and sits where the file parses. */
function editIsSafe(facts: FileFacts | undefined, e: TextEdit, budgetMs: number): boolean {
  if (!facts) return false;
  const text = facts.text;
  if (e.start < 0 || e.end < e.start || e.end > text.length) return false;
  for (const at of [e.start, e.end]) {
    if (text[at - 1] === '\r' && text[at] === '\n') return false;
    if (/[\ud800-\udbff]/.test(text[at - 1] ?? '') && /[\udc00-\udfff]/.test(text[at] ?? '')) return false;
  }
  if (touchesComment(text, e, facts.commentSyntax)) return false;
  // The file must parse at the edited spot: no syntax problem on the lines the edit touches or next to them.
  const first = facts.lines.position(e.start).line - 1;
  const last = facts.lines.position(e.end).line + 1;
  if (facts.problems.some((p) => p.kind === 'syntax' && (p.fatal || (p.endLine >= first && p.line <= last)))) return false;
  return codeParsesAt(facts, e.start, e.end, budgetMs);
}

/** Does the edit replace comment text, or insert after a comment marker on its line? */
function touchesComment(text: string, e: TextEdit, syntax: FileFacts['commentSyntax']): boolean {
  const lineStart = text.lastIndexOf('\n', e.start - 1) + 1;
  // Every line the edit touches, up to its end: a comment opening before the end of the replaced text
  // (or before an insertion point) on one of those lines is touched.
  const region = text.slice(lineStart, e.end > e.start ? e.end : e.start);
  for (const line of region.split('\n')) if (commentStart(line, syntax) !== -1) return true;
  return false;
}

/** Where a comment opens in a line (outside quotes), or -1. Hash: `#` at line start or after whitespace. */
function commentStart(line: string, syntax: FileFacts['commentSyntax']): number {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || (syntax === 'slash' && c === '`')) quote = c;
    else if (syntax === 'hash' && c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return i;
    else if (syntax === 'slash' && c === '/' && (line[i + 1] === '/' || line[i + 1] === '*')) return i;
  }
  return -1;
}

/**
 * The tree-sitter grammar a file is read with: gRPC code, or bash for a shell script. tree-sitter never fails
 * a parse (a broken line becomes an ERROR node and the rest is still read), so a fix there must be checked here:
 * `exec ` inserted into an ERROR of a broken entrypoint script re-appeared on every --fix pass.
 */
function grammarOf(facts: FileFacts): GrammarName | undefined {
  return languageOfFile(facts.file)?.grammar ?? (facts.script ? 'bash' : undefined);
}

/** Code files and scripts: the top-level statement holding the edit has no tree-sitter ERROR or MISSING node. */
function codeParsesAt(facts: FileFacts, start: number, end: number, budgetMs: number): boolean {
  const text = facts.text;
  const grammar = grammarOf(facts);
  if (!grammar || !isRuntimeReady()) return true;
  const tree = parseWithin(grammar, text, budgetMs);
  if (!tree) return false;
  try {
    const root = tree.rootNode;
    // Indices are UTF-16 offsets, as the extractors use them. A declaration ending where an insertion
    // starts counts as holding it (an option appended to a broken call).
    for (const child of root.children) {
      if (!child || child.endIndex < start || child.startIndex > end) continue;
      if (child.hasError || child.isMissing || child.type === 'ERROR') return false;
    }
    return true;
  } finally {
    tree.delete();
  }
}

/** The edited text parses with no problem the original did not have (problems compared by message). */
function parsesLikeBefore(facts: FileFacts, text: string, after: FileFacts, options: KubeconnOptions): boolean {
  const old = new Map<string, number>();
  for (const p of facts.problems) old.set(p.message, (old.get(p.message) ?? 0) + 1);
  for (const p of after.problems) {
    const n = old.get(p.message) ?? 0;
    if (n === 0) return false;
    old.set(p.message, n - 1);
  }
  const grammar = grammarOf(facts);
  if (grammar && isRuntimeReady()) {
    const errors = (t: string) => {
      const tree = parseWithin(grammar, t, options.maxParseMs);
      if (!tree) return true;
      try {
        return tree.rootNode.hasError;
      } finally {
        tree.delete();
      }
    };
    if (errors(text) && !errors(facts.text)) return false;
  }
  return true;
}

/** A parse under the per-file time budget; undefined when it ran out (the edit is then not known to be safe). */
function parseWithin(grammar: GrammarName, text: string, budgetMs: number): Tree | undefined {
  try {
    return withParseBudget(budgetMs, () => parse(grammar, text));
  } catch (error) {
    if (error instanceof ParseBudgetExceeded) return undefined;
    throw error;
  }
}

function byFile(edits: readonly TextEdit[]): Map<string, TextEdit[]> {
  const map = new Map<string, TextEdit[]>();
  for (const e of edits) {
    const list = map.get(e.file);
    if (list) list.push(e);
    else map.set(e.file, [e]);
  }
  return map;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const map = new Map<string, number>();
  for (const item of items) map.set(key(item), (map.get(key(item)) ?? 0) + 1);
  return map;
}

/**
 * What a fix's re-analysis verdict is tied to besides the finding: the text of the `---` documents its edits touch
 * in a plain YAML file (an edit of another document leaves it), the whole text otherwise; as two 32-bit hashes
 * and a length, so that the cache does not hold copies of the files.
 */
class RegionIndex {
  private readonly starts = new Map<FileFacts, number[]>();

  of(facts: FileFacts, edits: readonly TextEdit[]): string {
    const text = facts.text;
    const starts = this.startsOf(facts);
    let from = 0;
    let to = text.length;
    if (starts.length > 1) {
      const lo = Math.min(...edits.map((e) => e.start));
      const hi = Math.max(...edits.map((e) => e.end));
      // From the document start before the first edit (strictly: an insertion at a `---` line touches both
      // neighbours) to the first document start after the last one.
      for (const s of starts) if (s < lo) from = s;
      to = starts[firstAfter(starts, hi)] ?? text.length;
    }
    return hashOf(text, from, to);
  }

  /** The index of the document of `facts` that holds `offset` (0 where documents are not independent). */
  documentAt(facts: FileFacts, offset: number): number {
    // The last document start at or before `offset` (starts[0] is 0).
    return Math.max(0, firstAfter(this.startsOf(facts), offset) - 1);
  }

  /** Offsets where the file's `---` documents start; just [0] where documents are not independent. */
  private startsOf(facts: FileFacts): number[] {
    let starts = this.starts.get(facts);
    if (!starts) {
      const { text } = facts;
      const plain = YAML_FILE.test(facts.file) && facts.manifests !== undefined && !facts.manifests.helm && !documentsTied(text);
      starts = plain ? documentStarts(text) : [0];
      this.starts.set(facts, starts);
    }
    return starts;
  }
}

function hashOf(text: string, from: number, to: number): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return `${to - from}:${(a >>> 0).toString(36)}:${(b >>> 0).toString(36)}`;
}
