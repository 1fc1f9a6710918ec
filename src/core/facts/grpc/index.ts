// gRPC facts from source code (Go, Python, JS/TS, Java, C#): where channels are dialed (target, balancing
// policy, service config, resolver options) and where servers are built (MaxConnectionAge, listen port).
// Each language is a table (go.ts, python.ts, js.ts, java.ts, csharp.ts) run by one reader (reader.ts); the
// records are plain data (shapes.ts). Files that never mention grpc are skipped before parsing.
import type { CodeFile } from '../code.js';
import type { FileFacts, Extractor } from '../index.js';
import type { GrammarName } from '../treesitter.js';
import { csharpTable } from './csharp.js';
import { goTable } from './go.js';
import { javaTable } from './java.js';
import { jsTable } from './js.js';
import { pythonTable } from './python.js';
import { readGrpc } from './reader.js';
import type { GrpcLanguage } from './shapes.js';
import type { LanguageTable } from './table.js';

export type { Alt, Part, Range } from './value.js';
export type * from './shapes.js';

/** Every language the readers know; a new language is one more table here. */
export const languageTables: readonly LanguageTable[] = [goTable, pythonTable, jsTable, javaTable, csharpTable];

export function tableOf(file: string): { table: LanguageTable; grammar: GrammarName } | undefined {
  for (const table of languageTables) {
    const kind = table.files.find((f) => f.name.test(file) && !f.not?.test(file));
    if (kind) return { table, grammar: kind.grammar };
  }
  return undefined;
}

/** Language of a code file by extension, or undefined. */
export function languageOfFile(file: string): { language: GrpcLanguage; grammar: GrammarName } | undefined {
  const found = tableOf(file);
  return found && { language: found.table.language, grammar: found.grammar };
}

/** The cheap test: a file that never says grpc (any case, also `Grpc.Net`, `io.grpc`) cannot dial or serve it. */
export function mentionsGrpc(text: string): boolean {
  return /grpc/i.test(text);
}

export const grpcExtractor: Extractor = {
  name: 'grpc',
  claims: (file) => tableOf(file) !== undefined && !/(^|\/)(node_modules|vendor|dist|\.git)\//.test(file),
  mayMatter: mentionsGrpc,
  extract(facts: FileFacts, _options, _previous, code: CodeFile) {
    const { table } = tableOf(facts.file)!;
    // Generated stubs (*.pb.go, *_pb2_grpc.py, *_grpc_pb.js) register services but never dial or configure.
    if (table.generated?.test(facts.file)) return;
    const walked = code.walk();
    const grpc = readGrpc(table, walked.root, facts.text, walked);
    if (grpc.dials.length > 0 || grpc.servers.length > 0 || grpc.kuberesolver || grpc.removedApis.length > 0) facts.grpc = grpc;
  },
};
