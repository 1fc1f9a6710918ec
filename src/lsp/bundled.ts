// Entry of the language server as bundled into the VS Code extension (dist-vscode/server.cjs, forked by the
// client with --node-ipc): the grammars and the extension manifest sit next to the bundle.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { setWasmLocator } from '../api.js';
import { runLanguageServer } from './main.js';

setWasmLocator((file) => fileURLToPath(new URL(`./grammars/${file}`, import.meta.url)));
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
void runLanguageServer({ version });
