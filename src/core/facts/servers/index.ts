// Server facts per file: code (Go, Python, JS/TS, Java, C#) read by one walk per file with a reader per language
// (reader.ts and go|python|js|java|csharp.ts, on the gRPC reader's grammar adapters and scope), and config files
// (config.ts). A file that mentions none of the servers, signals or settings read here is skipped before parsing.
import type { CodeFile } from '../code.js';
import type { Extractor, FileFacts } from '../index.js';
import { languageOfFile } from '../grpc/index.js';
import { configKindOf, readConfig } from './config.js';
import { csharpServers } from './csharp.js';
import { goServers } from './go.js';
import { javaServers } from './java.js';
import { jsServers } from './js.js';
import { pythonServers } from './python.js';
import { readServers, type LanguageReader } from './reader.js';
import type { GrpcLanguage } from '../grpc/shapes.js';

export type * from './shapes.js';
export {
  gunicornKeepsAlive,
  readServerCommand,
  readFlags,
  type CommandServer,
  type CommandWord,
  type CommandFlag,
} from './command-line.js';
export { springSeconds } from './config.js';

/** The server reader of each language (facts/code.ts walks a file with its reader's extras). */
export const serverReaders: Record<GrpcLanguage, LanguageReader> = {
  go: goServers,
  python: pythonServers,
  js: jsServers,
  java: javaServers,
  csharp: csharpServers,
};

/** Words that a file must contain for any reader to find something (the cheap test). */
const MENTIONS =
  /createServer|\.listen\s*\(|\.Shutdown\s*\(|GracefulStop|fastify|NestFactory|SIGTERM|keepAliveTimeout|net\/http|ListenAndServe|signal\.Notify|grpc|uvicorn|signal|addShutdownHook|Kestrel|WebApplication|WebHost|ShutdownTimeout|KeepAliveTimeout|spring|server\.shutdown|keepalive|graceful_timeout|persistent_timeout/i;

const SKIPPED = /(^|\/)(node_modules|vendor|dist|\.git)\//;

export const serversExtractor: Extractor = {
  name: 'servers',
  claims: (file) => !SKIPPED.test(file) && (languageOfFile(file) !== undefined || configKindOf(file) !== undefined),
  // Config files are read whatever they say (a Spring config without `server.shutdown` is where the fix adds it),
  // so the cheap test runs in extract(), on code only.
  mayMatter: () => true,
  extract(facts: FileFacts, _options, _previous, code: CodeFile) {
    if (configKindOf(facts.file)) {
      const config = readConfig(facts.file, facts.text);
      if (config) facts.serverConfig = config;
    }
    const language = languageOfFile(facts.file);
    if (!language || !MENTIONS.test(facts.text)) return;
    // Generated stubs serve nothing and handle no signals.
    if (/(\.pb\.go|_pb2(_grpc)?\.pyi?|_grpc_pb\.[jt]s|_pb\.[jt]s)$/.test(facts.file)) return;
    const walked = code.walk();
    const servers = readServers(serverReaders[language.language], walked.root, facts.text, walked);
    const k = servers.keepalive;
    if (
      servers.http.length +
        servers.serves.length +
        servers.signals.length +
        servers.drainCalls.length +
        servers.drainTimeouts.length +
        k.clients.length +
        k.servers.length >
        0 ||
      servers.managed
    ) {
      facts.servers = servers;
    }
  },
};
