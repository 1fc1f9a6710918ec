// Per-file facts and the extractors that produce them. Each extractor claims files by path, rejects
// irrelevant ones with a cheap text test, and adds its own field to FileFacts. Extraction never throws
// for bad input: problems become ParseProblems with a file and a line.
import path from 'node:path';
import type { ParseProblem } from '../finding.js';
import type { KubeconnOptions } from '../options.js';
import { LineIndex } from '../text.js';
import { problemAt } from './problem.js';
import { ParseBudgetExceeded, withParseBudget } from './treesitter.js';
import { CodeFile } from './code.js';
import {
  changedChunksParseCleanly,
  extractManifests,
  type CleanChunks,
  isHelmTemplate,
  mayHoldManifests,
  type ManifestFacts,
} from './manifests.js';
import { dockerfileExtractor, type DockerfileFacts } from './dockerfile.js';
import { shellExtractor, type ScriptFacts } from './shell.js';
import { packageJsonExtractor, type PackageJsonFacts } from './package-json.js';
import { grpcExtractor, type GrpcFacts } from './grpc/index.js';
import { backstageExtractor, type BackstageFacts } from './backstage.js';
import { buildConfigExtractor, type BuildConfigFacts } from './build-config.js';
import { kustomizationExtractor, type KustomizationFacts } from './kustomization.js';
import { appConfigExtractor, envoyExtractor, type AppConfigFacts, type EnvoyFacts, type OptionsBinding } from './app-config.js';
import { serversExtractor, type ServerConfig, type ServerFacts } from './servers/index.js';
import { goModExtractor, type GoModFacts } from './go-mod.js';
import { protoExtractor, type ProtoFacts } from './proto.js';

/** How a file writes comments, for directive comments (`# eslint-disable-next-line kubeconn/…`). */
export type CommentSyntax = 'hash' | 'slash';

export interface FileFacts {
  file: string;
  text: string;
  lines: LineIndex;
  commentSyntax: CommentSyntax;
  problems: ParseProblem[];
  manifests?: ManifestFacts;
  /** Dockerfile, Containerfile, *.Dockerfile, Dockerfile.* (src/core/facts/dockerfile.ts). */
  dockerfile?: DockerfileFacts;
  /** Shell scripts: *.sh, extensionless files with a shell #! line (src/core/facts/shell.ts). */
  script?: ScriptFacts;
  packageJson?: PackageJsonFacts;
  /** gRPC dial sites and servers in Go, Python, JS/TS, Java, C# (src/core/facts/grpc/). */
  grpc?: GrpcFacts;
  /** Backstage catalog entities (src/core/facts/backstage.ts). */
  backstage?: BackstageFacts;
  /** Image builds declared by skaffold/compose files (src/core/facts/build-config.ts). */
  buildConfig?: BuildConfigFacts;
  /** kustomization.yaml (src/core/facts/kustomization.ts). */
  kustomization?: KustomizationFacts;
  /** Application config (Spring application*.yml/properties, .NET appsettings*.json, nginx grpc_pass) (src/core/facts/app-config.ts). */
  appConfig?: AppConfigFacts;
  /** Envoy bootstrap clusters' endpoints (src/core/facts/app-config.ts). */
  envoy?: EnvoyFacts;
  /** .NET options classes bound to config sections in this C# file (src/core/facts/app-config.ts). */
  optionsBindings?: OptionsBinding[];
  /** HTTP/gRPC servers, signal handling, drains and keepalive in code; server config files (src/core/facts/servers/). */
  servers?: ServerFacts;
  serverConfig?: ServerConfig;
  /** Protocol Buffers services and their streaming methods (src/core/facts/proto.ts). */
  proto?: ProtoFacts;
  /** go.mod requirements (src/core/facts/go-mod.ts). */
  goMod?: GoModFacts;
}

export interface Extractor {
  name: string;
  /** Does this extractor read files at this path (by name alone)? */
  claims(file: string): boolean;
  /** Cheap text test run before parsing; false skips the file. */
  mayMatter(text: string): boolean;
  /**
   * `previous`: this file's facts before the edit, which an extractor may reuse (they are discarded after).
   * `code`: the file's tree-sitter parse and walk, shared by the extractors that read code (made on first use).
   */
  extract(facts: FileFacts, options: KubeconnOptions, previous: FileFacts | undefined, code: CodeFile): void;
}

export const YAML_FILE = /\.ya?ml$/i;

const manifestExtractor: Extractor = {
  name: 'manifests',
  claims: (file) => YAML_FILE.test(file),
  mayMatter: mayHoldManifests,
  extract(facts, _options, previous) {
    facts.manifests = extractManifests(facts.file, facts.text, facts.lines, facts.problems, previous?.manifests);
  },
};

/** Helm partials (`templates/_helpers.tpl`): nothing to extract, but charts render with their text. */
const helmPartialExtractor: Extractor = {
  name: 'helm-partial',
  claims: (file) => /\.tpl$/i.test(file),
  mayMatter: () => false,
  extract() {},
};

/** Every extractor, in order; a file may be claimed by several (a YAML file can hold manifests and Backstage entities). */
export const extractors: Extractor[] = [
  manifestExtractor,
  dockerfileExtractor,
  shellExtractor,
  packageJsonExtractor,
  grpcExtractor,
  backstageExtractor,
  buildConfigExtractor,
  kustomizationExtractor,
  helmPartialExtractor,
  appConfigExtractor,
  envoyExtractor,
  serversExtractor,
  protoExtractor,
  goModExtractor,
];

export function commentSyntaxOf(file: string): CommentSyntax {
  return /\.(go|java|cs|[cm]?[jt]sx?)$/i.test(file) ? 'slash' : 'hash';
}

/** Does any extractor want this path? Front ends use it to decide which files to read at all. */
export function isAnalysable(file: string): boolean {
  return extractors.some((e) => e.claims(file));
}

export function extractFacts(file: string, text: string, options: KubeconnOptions, previous?: FileFacts): FileFacts {
  const facts: FileFacts = { file, text, lines: new LineIndex(text), commentSyntax: commentSyntaxOf(file), problems: [] };
  const claimed = extractors.filter((e) => e.claims(file));
  if (claimed.length === 0) return facts;
  const skip = skipReason(text, options);
  if (skip) return skippedFacts(file, skip);
  // Fault injection for the front ends' tests: KUBECONN_TEST_FAIL_EXTRACTOR=<name> makes that extractor throw.
  const failing = process.env.KUBECONN_TEST_FAIL_EXTRACTOR;
  // One budget for all of the file's extractors (a Go file is parsed for dial sites and for servers): past it the
  // file is skipped, so what its facts would be half-read never reaches a rule. The code file's one tree is shared.
  const code = new CodeFile(file, text);
  try {
    withParseBudget(options.maxParseMs, () => {
      for (const extractor of claimed) runExtractor(extractor, facts, options, previous, code, failing);
    });
  } catch (error) {
    if (!(error instanceof ParseBudgetExceeded)) throw error;
    return skippedFacts(file, parseTimeoutMessage(file, error.budgetMs));
  } finally {
    code.dispose();
  }
  return facts;
}

/**
 * Does `text`, this file after an edit, parse with no problem? Answered from what the edit changed, for a plain
 * YAML manifest whose facts have no problem and that no other extractor reads (before or after the edit): its
 * problems can then only be YAML errors, and only in the chunks the edit changed. Undefined where that does
 * not hold (the caller re-extracts the whole file). Fix verification uses it for suggestions, whose re-parse
 * needs a verdict and no facts.
 */
export function editedManifestParsesCleanly(
  facts: FileFacts,
  text: string,
  options: KubeconnOptions,
  clean?: CleanChunks,
): boolean | undefined {
  const { file } = facts;
  if (facts.problems.length > 0 || !facts.manifests || facts.manifests.helm || facts.manifests.joinedQuotes) return undefined;
  if (skipReason(text, options) || isHelmTemplate(file, text) || !mayHoldManifests(text)) return undefined;
  for (const e of extractors) {
    if (e !== manifestExtractor && e.claims(file) && (e.mayMatter(facts.text) || e.mayMatter(text))) return undefined;
  }
  try {
    return withParseBudget(options.maxParseMs, () => changedChunksParseCleanly(facts.text, text, clean));
  } catch (error) {
    // Out of time: the whole file would be skipped, a problem it did not have.
    if (error instanceof ParseBudgetExceeded) return false;
    throw error;
  }
}

/** The message for a file whose parsing ran out of time (options.maxParseMs). */
export function parseTimeoutMessage(file: string, budgetMs: number): string {
  const limit = budgetMs >= 1000 ? `${budgetMs / 1000} s` : `${budgetMs} ms`;
  return `Skipped: parsing ${path.basename(file)} took longer than ${limit}, so nothing in it is analysed (setting maxParseMs).`;
}

function runExtractor(
  extractor: Extractor,
  facts: FileFacts,
  options: KubeconnOptions,
  previous: FileFacts | undefined,
  code: CodeFile,
  failing: string | undefined,
): void {
  const { file, text } = facts;
  if (!extractor.mayMatter(text)) return;
  try {
    if (failing === extractor.name) throw new Error('simulated failure (KUBECONN_TEST_FAIL_EXTRACTOR)');
    extractor.extract(facts, options, previous, code);
  } catch (error) {
    if (error instanceof ParseBudgetExceeded) throw error;
    // A parser bug must not take the workspace down: report it where the user can see it.
    facts.problems.push(
      problemAt(facts, 0, 0, {
        kind: 'internal',
        fatal: true,
        message: `kubeconn could not analyse ${path.basename(file)} (${extractor.name}): ${(error as Error).message}`,
      }),
    );
  }
}

/** The facts of a file that is not analysed (too large, unreadable, not a regular file): no text, one problem. */
export function skippedFacts(file: string, reason: string): FileFacts {
  const lines = new LineIndex('');
  const problem = problemAt({ file, lines }, 0, 0, { kind: 'skipped', fatal: true, message: reason });
  return { file, text: '', lines, commentSyntax: commentSyntaxOf(file), problems: [problem] };
}

/** The message for a file over the size limit; front ends that read from disk check the size before reading. */
export function tooLargeMessage(size: number, options: Pick<KubeconnOptions, 'maxFileBytes'>): string {
  const mb = (size / 1024 / 1024).toFixed(1);
  return `Skipped: the file is ${mb} MB, over the ${(options.maxFileBytes / 1024 / 1024).toFixed(1)} MB limit (setting maxFileBytes).`;
}

function skipReason(text: string, options: KubeconnOptions): string | undefined {
  if (text.length > options.maxFileBytes) return tooLargeMessage(text.length, options);
  if (text.includes('\u0000')) return 'Skipped: the file looks binary (it contains NUL bytes).';
  return undefined;
}
