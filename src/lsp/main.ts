// Starting the language server on a connection from the command line (`kubeconn lsp --stdio`; VS Code's
// client forks the bundled server with `--node-ipc`): vscode-languageserver reads the transport from argv,
// and over stdio it sends console output to the client's log instead of the protocol stream.
import { initKubeconn } from '../api.js';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer, type ServerOptions } from './server.js';

export async function runLanguageServer(options: ServerOptions = {}): Promise<void> {
  const connection = createConnection(ProposedFeatures.all);
  await initKubeconn();
  startServer(connection, options);
}
