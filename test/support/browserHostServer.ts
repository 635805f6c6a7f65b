/**
 * The language server with the Web Worker's host (server/src/browser/host.ts), over stdio in
 * Node: the protocol tests (test/lsp/browserHost.test.ts) drive the browser's server this way,
 * answering its file requests as the browser client does. The worker itself uses
 * BrowserMessageReader/Writer on its global scope (server/src/browser/server.ts); everything
 * else is the same code.
 */
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { browserServerHost } from '../../server/src/browser/host';
import { hidePendingReads } from '../../server/src/browser/publish';
import { startServer } from '../../server/src/lsp/languageServer';

const connection = createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
hidePendingReads(connection);
startServer({ host: browserServerHost(), connection });
