// The fuzz harness: fast-check generators that mutate a seed project (seeds.ts) and the invariants every
// analysed input must keep. Shared by test/fuzz/*.test.ts (bounded, in `npm test`) and scripts/fuzz.mjs
// (`npm run fuzz -- --runs N`, long campaigns); both go through the public API (src/api.ts), as front ends do.
import fc from 'fast-check';
import { applyEdits, createWorkspace, extractFacts, selectFixes, type AnalysisResult, type Fix, type Workspace } from '../../src/api.js';
import { formatJson } from '../../src/cli/format.js';
import { toResult } from '../../src/cli/results.js';
import { toSarif } from '../../src/cli/sarif.js';
import { allRules } from '../../src/api.js';
import { seeds, targetsOf, type InputKind, type Seed } from './seeds.js';

/** A per-input budget: an analysis that takes longer (CPU time, so a busy machine does not flag it) is a hang. */
export const HANG_MS = 2000;
/** Passes of fix application after which fixes must have converged (real projects need ≤ 2). */
export const FIX_PASSES = 5;
const ROOT = '/fuzz';

// ---- generators -------------------------------------------------------------------------------------

/** Fragments that matter to the extractors of each kind: mutations splice them in to reach deeper code. */
const TOKENS: Record<InputKind | 'any', string[]> = {
  any: [
    '\r\n',
    '\r',
    '\n',
    '\t',
    '\u0000',
    '\u001b[31m',
    '\ufeff',
    '\ud83d\ude00',
    '\ud800',
    '\udc00',
    '"',
    "'",
    '\\',
    '{',
    '}',
    '[',
    ']',
    '(',
    ')',
    '$',
    '`',
    '#',
    '&',
    '*',
    '|',
    ';',
    ' ',
    '  ',
    '\u2028',
    'é',
    '\u0085',
  ],
  kubernetes: [
    '---\n',
    '...\n',
    'kind: Service\n',
    'kind: Deployment\n',
    'spec:\n',
    '  ',
    '- ',
    ': ',
    '&a ',
    '*a',
    '<<: *a\n',
    '!!str ',
    'null',
    '""',
    '{}',
    '[]',
    'preStop:',
    'lifecycle:',
    'appProtocol: grpc',
    'clusterIP: None',
    'terminationGracePeriodSeconds: 1',
    'selector: {app: x}',
    'ports: [{port: 50051}]',
    'command: ["sh", "-c", "npm start"]',
    // Quoted scalars closed at their key's indentation (read as kubectl reads them: quoted-lines.ts).
    'args: ["\n',
    '\n  "]\n',
    'a: "x\ny"\n',
    "- 'it''s\n",
    '? ',
    '%YAML 1.2\n',
  ],
  helm: [
    '{{',
    '}}',
    '{{- ',
    ' -}}',
    '{{ .Values.x }}',
    '{{ include "x" . }}',
    '{{- if .Values.y }}',
    '{{- end }}',
    '{{ toYaml .Values.r | nindent 4 }}',
    '{{/* c */}}',
    '{{ range . }}',
    '{{ define "a" }}',
  ],
  kustomize: ['resources:\n  - ', 'patches:\n', 'namePrefix: p-\n', 'images:\n', '- op: remove\n', 'path: /spec', 'components:\n', '../'],
  dockerfile: [
    'FROM ',
    'FROM node:20 AS b\n',
    'CMD ',
    'ENTRYPOINT ',
    '["',
    '"]',
    'RUN ',
    'COPY ',
    'COPY run[.sh /app/\n',
    'ENV A=1 ',
    'STOPSIGNAL SIGINT\n',
    'SHELL ["/bin/sh","-c"]\n',
    '\\\n',
    '# syntax=docker/dockerfile:1\n',
    'ARG X\n',
    '${X}',
    'USER 1000\n',
    '<<EOF\n',
    'EOF\n',
  ],
  shell: [
    '#!/bin/sh\n',
    'exec ',
    'trap ',
    '"$@"',
    '$(',
    ')',
    '&&',
    '||',
    '&\n',
    'wait\n',
    'if [ -z "$A" ]; then\n',
    'fi\n',
    'case $1 in\n',
    'esac\n',
    '<<EOF\n',
    'EOF\n',
    'set -e\n',
    'node server.js\n',
    '{ ',
    '; }',
  ],
  go: [
    'grpc.Dial(',
    'grpc.NewClient(',
    '"dns:///x:50051"',
    'grpc.WithDefaultServiceConfig(',
    'keepalive.ServerParameters{MaxConnectionAge: ',
    'func ',
    '{',
    '}',
    '`',
    '//',
    '/*',
    '*/',
    'signal.Notify(',
    'srv.GracefulStop()',
    ':= ',
    'import (\n',
    'package main\n',
  ],
  js: [
    'new grpc.Client(',
    "'grpc.keepalive_time_ms': ",
    'keepAliveTimeout = ',
    'process.on(',
    "'SIGTERM'",
    '=>',
    'function ',
    '`${',
    '}`',
    '/*',
    '*/',
    '//',
    'require(',
    'import ',
    'const ',
    '...',
    '?.',
    '/re[/g',
    '}',
  ],
  ts: [
    'new grpc.Client(',
    ': string',
    'as any',
    '<T>',
    'interface I {',
    'enum E {',
    'declare ',
    '@dec ',
    '`${',
    '}`',
    '=>',
    '!.',
    'satisfies ',
  ],
  python: [
    'grpc.insecure_channel(',
    "('grpc.lb_policy_name', 'round_robin')",
    'server.stop(',
    'signal.signal(',
    'def ',
    'class ',
    ':\n    ',
    '"""',
    "'''",
    'lambda ',
    '@',
    'import grpc\n',
    'async def ',
    '\\\n',
  ],
  java: [
    'ManagedChannelBuilder.forTarget(',
    '.defaultLoadBalancingPolicy("round_robin")',
    '.maxConnectionAge(',
    'ServerBuilder.forPort(',
    'class ',
    '{',
    '}',
    '"""',
    '/*',
    '*/',
    '@Override\n',
    '->',
    '::',
  ],
  csharp: [
    'GrpcChannel.ForAddress(',
    'new GrpcChannelOptions {',
    'ServiceConfig = ',
    'KeepAlivePingDelay = ',
    '@"',
    '$"{',
    '}"',
    '#if DEBUG\n',
    '#endif\n',
    '=>',
    '?.',
    'await ',
    'using ',
  ],
  'package.json': [
    '"scripts": {',
    '"start": "node server.js"',
    '"main": ',
    '"type": "module"',
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '"',
    '\\u0000',
    'null',
    '1e999',
  ],
};

export interface Mutation {
  op: 'insert' | 'delete' | 'duplicate' | 'swapLines' | 'crlf' | 'cr' | 'truncate' | 'splice' | 'bytes' | 'indent';
  /** Positions as fractions of the current text, so a mutation list stays valid on any seed. */
  at: number;
  span: number;
  text: string;
}

export interface FuzzInput {
  seed: Seed;
  file: string;
  mutations: Mutation[];
}

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

function mutationArb(kind: InputKind): fc.Arbitrary<Mutation> {
  const token = fc.constantFrom(...TOKENS[kind], ...TOKENS.any);
  const text = fc.oneof(
    { weight: 5, arbitrary: token },
    { weight: 2, arbitrary: fc.array(token, { minLength: 1, maxLength: 6 }).map((t) => t.join('')) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
    {
      weight: 1,
      arbitrary: fc.string({ unit: fc.constantFrom('{', '[', '(', '"', '\n', ' ', '-', ':', '$', '<'), minLength: 50, maxLength: 400 }),
    },
  );
  return fc.record({
    op: fc.constantFrom<Mutation['op']>(
      'insert',
      'insert',
      'insert',
      'delete',
      'duplicate',
      'swapLines',
      'crlf',
      'cr',
      'truncate',
      'splice',
      'bytes',
      'indent',
    ),
    at: fraction,
    span: fraction,
    text,
  });
}

export function inputArb(kind: InputKind, maxMutations = 6): fc.Arbitrary<FuzzInput> {
  // The whole shop is five times slower than one of its services: drawn rarely, for the cross-service joins.
  const all = targetsOf(kind);
  const targets = [...all.filter((t) => t.seed.name !== 'shop'), ...all.filter((t) => t.seed.name === 'shop').slice(0, 1)];
  if (targets.length === 0) throw new Error(`no seed for ${kind}`);
  return fc
    .record({
      target: fc.constantFrom(...targets),
      mutations: fc.array(mutationArb(kind), { minLength: 1, maxLength: maxMutations }),
    })
    .map(({ target, mutations }) => ({ seed: target.seed, file: target.file, mutations }));
}

/** Any kind: what the long campaign draws from. */
export function anyInputArb(): fc.Arbitrary<FuzzInput> {
  return fc.constantFrom(...KINDS_WITH_SEEDS()).chain((kind) => inputArb(kind));
}

function KINDS_WITH_SEEDS(): InputKind[] {
  return [...new Set(seeds().flatMap((s) => s.targets.map((t) => t.kind)))];
}

export function mutate(text: string, mutations: readonly Mutation[], donors: readonly string[]): string {
  let out = text;
  for (const m of mutations) {
    const at = Math.floor(m.at * (out.length + 1));
    const len = Math.floor(m.span * Math.min(200, out.length - at + 1));
    switch (m.op) {
      case 'insert':
        out = out.slice(0, at) + m.text + out.slice(at);
        break;
      case 'delete':
        out = out.slice(0, at) + out.slice(at + len);
        break;
      case 'duplicate':
        out = out.slice(0, at + len) + out.slice(at, at + len) + out.slice(at + len);
        break;
      case 'swapLines': {
        const lines = out.split('\n');
        const i = Math.floor(m.at * lines.length);
        const j = Math.floor(m.span * lines.length);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        out = lines.join('\n');
        break;
      }
      case 'crlf':
        out = out.replace(/\r?\n/g, '\r\n');
        break;
      case 'cr':
        out = out.slice(0, at) + out.slice(at, at + len * 4).replace(/\n/g, m.span < 0.5 ? '\r' : '\r\r\n') + out.slice(at + len * 4);
        break;
      case 'truncate':
        out = out.slice(0, at);
        break;
      case 'splice': {
        const donor = donors[Math.floor(m.span * donors.length)] ?? '';
        const from = Math.floor(m.at * donor.length);
        out = out.slice(0, at) + donor.slice(from, from + 300) + out.slice(at);
        break;
      }
      case 'bytes':
        out = out.slice(0, at) + m.text + out.slice(at + Math.min(len, m.text.length));
        break;
      case 'indent': {
        const lineStart = out.lastIndexOf('\n', at - 1) + 1;
        out = out.slice(0, lineStart) + (m.span < 0.5 ? '  ' : '\t') + out.slice(lineStart);
        break;
      }
    }
  }
  return out;
}

/** The project an input stands for: the seed's files with the target mutated (absolute paths under /fuzz). */
export function materialise(input: FuzzInput): Record<string, string> {
  const donors = Object.values(input.seed.files);
  const files: Record<string, string> = {};
  for (const [rel, text] of Object.entries(input.seed.files)) {
    files[`${ROOT}/${input.seed.name}/${rel}`] = rel === input.file ? mutate(text, input.mutations, donors) : text;
  }
  return files;
}

// ---- invariants -------------------------------------------------------------------------------------

export interface Outcome {
  /** An exception escaped analyze() or the output formatters. */
  crash?: string;
  /** CPU milliseconds of the slowest analysis of this input (first analysis or a fix pass). */
  ms: number;
  hang: boolean;
  /** Internal-error notices and problems (allowed: a kubeconn bug contained; counted and reported). */
  internal: string[];
  /** Broken invariants: spans out of range, bad edits, fixes that do not re-parse or do not converge. */
  violations: string[];
  fixes: number;
}

function cpuMs<T>(fn: () => T): [T, number] {
  const start = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(start);
  return [value, (used.user + used.system) / 1000];
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** An offset that falls inside a CRLF or between the halves of a surrogate pair. */
export function splitsUnit(text: string, offset: number): string | undefined {
  if (offset <= 0 || offset >= text.length) return undefined;
  if (text[offset - 1] === '\r' && text[offset] === '\n') return 'splits a CRLF';
  if (isHigh(text.charCodeAt(offset - 1)) && isLow(text.charCodeAt(offset))) return 'splits a surrogate pair';
  return undefined;
}

function where(file: string): string {
  return file.slice(ROOT.length + 1);
}

function checkResult(result: AnalysisResult, texts: Record<string, string>, out: Outcome): void {
  const inRange = (what: string, s: { file: string; start: number; end: number; line?: number; column?: number }) => {
    const text = texts[s.file];
    if (text === undefined) return out.violations.push(`${what}: in unknown file ${s.file}`);
    if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= text.length)) {
      out.violations.push(`${what}: span [${s.start}, ${s.end}) out of range of ${where(s.file)} (length ${text.length})`);
    }
    if (s.line !== undefined && !(s.line >= 1 && (s.column ?? 1) >= 1)) out.violations.push(`${what}: position ${s.line}:${s.column}`);
    return undefined;
  };
  for (const f of result.findings) {
    const what = `${f.ruleId} at ${where(f.file)}:${f.line}`;
    inRange(what, f);
    for (const r of f.related) inRange(`${what} related`, r);
    for (const [i, fix] of [...(f.fix ? [f.fix] : []), ...f.suggestions].entries())
      checkEdits(`${what} ${i === 0 && f.fix ? 'fix' : 'suggestion'}`, fix, texts, out);
  }
  for (const p of result.problems) {
    inRange(`problem at ${where(p.file)}`, p);
    if (p.kind === 'internal') out.internal.push(`${where(p.file)}:${p.line}: ${p.message}`);
  }
  for (const n of result.notices) if (!n.at) out.internal.push(n.message);
}

function checkEdits(what: string, fix: Fix, texts: Record<string, string>, out: Outcome): void {
  if (fix.edits.length === 0) out.violations.push(`${what}: no edits`);
  for (const e of fix.edits) {
    const text = texts[e.file];
    if (text === undefined) {
      out.violations.push(`${what}: edit in unknown file ${e.file}`);
      continue;
    }
    if (!(e.start >= 0 && e.start <= e.end && e.end <= text.length))
      out.violations.push(`${what}: edit [${e.start}, ${e.end}) out of range (length ${text.length})`);
    for (const at of [e.start, e.end]) {
      const split = splitsUnit(text, at);
      if (split) out.violations.push(`${what}: edit at ${at} ${split}`);
    }
    if (/\r\n/.test(text) && !/[^\r]\n|^\n/.test(text) && /(^|[^\r])\n/.test(e.text))
      out.violations.push(`${what}: writes LF-only lines into a CRLF file`);
  }
  const sorted = [...fix.edits].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start));
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (a.file === b.file && b.start < a.end)
      out.violations.push(`${what}: edits [${a.start}, ${a.end}) and [${b.start}, ${b.end}) overlap`);
  }
}

/**
 * Syntax problems of one file's text, extracted on its own (what "the fix re-parses" means). A pure function of
 * the file's path and text (the options are the defaults, fixed per workspace): the same fix of a file the
 * mutation did not touch yields the same text on every input of its seed, so the count is remembered.
 */
const syntaxCounts = new Map<string, number>();
let syntaxChars = 0;
function syntaxProblems(ws: Workspace, file: string, text: string): number {
  const key = `${file}\0${text}`;
  let n = syntaxCounts.get(key);
  if (n === undefined) {
    n = extractFacts(file, text, ws.options).problems.filter((p) => p.kind === 'syntax').length;
    // Bounded by the characters held: a long campaign sees many mutated texts, each seen once.
    if ((syntaxChars += key.length) > 8_000_000) {
      syntaxCounts.clear();
      syntaxChars = key.length;
    }
    syntaxCounts.set(key, n);
  }
  return n;
}

/**
 * One workspace per project shape (its files, in order), kept across inputs: a seed's files the mutation did
 * not touch keep the facts extracted from their text the first time, and only the files whose text differs
 * from what the workspace holds (the mutated file, files a previous input's fix passes edited) are extracted
 * again, from scratch: every analysis sees the facts a fresh workspace would, in the same order. setFile alone
 * would hand the old text's facts to the extractor for reuse (the editor's incremental path), so the file is
 * first emptied and extracted (nothing left to reuse); removeFile or setSkipped would instead move it to the
 * end of the facts, and the analysis depends on that order (which dial site a message names first). A
 * workspace whose analysis threw is dropped (its state is unknown).
 */
const workspaces = new Map<string, Workspace>();
const shapeOf = (files: Record<string, string>) => Object.keys(files).join('\0');
export function projectWorkspace(files: Record<string, string>): Workspace {
  const key = shapeOf(files);
  let ws = workspaces.get(key);
  if (!ws) workspaces.set(key, (ws = createWorkspace()));
  for (const [file, text] of Object.entries(files)) {
    if (ws.text(file) === text) continue;
    if (ws.has(file)) {
      ws.setFile(file, '');
      ws.factsOf(file);
    }
    ws.setFile(file, text);
  }
  return ws;
}
function dropWorkspace(files: Record<string, string>): void {
  workspaces.delete(shapeOf(files));
}

/** A fresh workspace with the project's files (what the cached one must always agree with). */
export function freshWorkspace(files: Record<string, string>): Workspace {
  const ws = createWorkspace();
  for (const [file, text] of Object.entries(files)) ws.setFile(file, text);
  return ws;
}

function serialise(result: AnalysisResult, ws: Workspace): void {
  const results = ws
    .files()
    .sort()
    .map((file) => toResult(file, ws.text(file), result.byFile.get(file) ?? [], result.problemsByFile.get(file) ?? []));
  JSON.parse(formatJson(results));
  JSON.parse(
    JSON.stringify(
      toSarif({
        rules: allRules,
        version: '0.0.0',
        root: ROOT,
        findings: result.findings,
        problems: result.problems,
        textOf: (f) => ws.text(f),
      }),
    ),
  );
}

/** Analyse one project and check every invariant; never throws. */
export function check(files: Record<string, string>): Outcome {
  const out: Outcome = { ms: 0, hang: false, internal: [], violations: [], fixes: 0 };
  let stage = 'analyze';
  try {
    const ws = projectWorkspace(files);
    const [result, ms] = cpuMs(() => ws.analyze());
    out.ms = ms;
    checkResult(result, files, out);
    stage = 'serialise';
    serialise(result, ws);
    stage = 'fix';
    // Every safe fix, on its own, re-parses: a file that parsed keeps parsing.
    const parsedBefore = new Map<string, number>();
    for (const f of result.findings) {
      if (!f.fix) continue;
      out.fixes++;
      for (const file of new Set(f.fix.edits.map((e) => e.file))) {
        const before = files[file]!;
        const after = applyEdits(
          before,
          f.fix.edits.filter((e) => e.file === file),
        );
        // The unfixed file's syntax problems are those of its facts (extracted from exactly this text).
        if (!parsedBefore.has(file)) parsedBefore.set(file, ws.factsOf(file)!.problems.filter((p) => p.kind === 'syntax').length);
        const grew = syntaxProblems(ws, file, after) - parsedBefore.get(file)!;
        if (grew > 0) out.violations.push(`${f.ruleId} fix at ${where(f.file)}:${f.line}: the fixed file no longer parses`);
      }
    }
    // Applying fixes as --fix does converges within FIX_PASSES passes.
    let current = result;
    for (let pass = 0; ; pass++) {
      const byFile = new Map<string, Fix[]>();
      for (const f of current.findings)
        if (f.fix && f.fix.edits.every((e) => e.file === f.file)) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f.fix]);
      if (byFile.size === 0) break;
      if (pass === FIX_PASSES) {
        out.violations.push(`fixes do not converge after ${FIX_PASSES} passes: ${[...byFile.keys()].map(where).join(', ')}`);
        break;
      }
      for (const [file, fixes] of byFile) ws.setFile(file, applyEdits(ws.text(file)!, selectFixes(fixes)));
      const [next, passMs] = cpuMs(() => ws.analyze());
      out.ms = Math.max(out.ms, passMs);
      current = next;
      const texts = Object.fromEntries(ws.files().map((f) => [f, ws.text(f)!]));
      checkResult(next, texts, { ...out, internal: [] });
    }
  } catch (error) {
    dropWorkspace(files);
    out.crash = `${stage}: ${(error as Error)?.stack ?? String(error)}`;
  }
  out.hang = out.ms > HANG_MS;
  return out;
}

/** A one-line account of what went wrong, for fast-check's counterexample report. */
export function failures(o: Outcome): string[] {
  return [...(o.crash ? [`crash: ${o.crash}`] : []), ...(o.hang ? [`hang: ${Math.round(o.ms)} ms`] : []), ...o.violations];
}

// ---- known failures owned by other work ---------------------------------------------------------------

/**
 * Failures the fuzzer finds whose cause lies in an area another change owns (owner: that change's name). Each
 * has a regression test in test/fuzz/crashers.test.ts marked todo; the properties count them but do not fail on
 * them. Remove an entry when its owner's fix lands (the todo test then passes and says so). Empty while no
 * known failure is open: the campaigns of issue 14 (EOL damage, YAML spans past EOF, a script fix that did not
 * converge) are fixed and their crashers run as real tests.
 */
export const OWNED: { pattern: RegExp; owner: string; what: string }[] = [];

export function ownerOf(failure: string): string | undefined {
  return OWNED.find((k) => k.pattern.test(failure))?.owner;
}

/** A short key grouping failures of the same cause (rule, kind of failure, first line of an exception). */
export function signature(failure: string): string {
  return failure
    .split('\n')[0]!
    .replace(/ at [^ ]+:\d+/, '')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
}

/** The seed and mutated file of an input, for a crasher file (test/fuzz/crashers/*.json). */
export function describeInput(input: FuzzInput): { seed: string; file: string; text: string } {
  const files = materialise(input);
  return { seed: input.seed.name, file: input.file, text: files[`${ROOT}/${input.seed.name}/${input.file}`]! };
}

/** The project of a crasher: its seed with one file replaced. */
export function crasherProject(seed: string, file: string, text: string): Record<string, string> {
  const s = seeds().find((x) => x.name === seed);
  if (!s) throw new Error(`no seed ${seed}`);
  return materialise({ seed: { ...s, files: { ...s.files, [file]: text } }, file: '', mutations: [] });
}
