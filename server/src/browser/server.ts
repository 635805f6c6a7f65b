/**
 * Entry point of the language server in a Web Worker (the web extension: vscode.dev, github.dev,
 * code-server's web worker extension host). Bundled by scripts/bundle.js to dist/web/server.js
 * (platform browser, no Node module); the browser client (client/src/browserExtension.ts) starts
 * it with vscode-languageclient/browser. The same LSP layer and core as the Node server, with the
 * browser's host (./host.ts).
 */
import './workerGlobals';
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import type { Connection } from 'vscode-languageserver/node';
import { startServer } from '../lsp/languageServer';
import { browserServerHost } from './host';
import { hidePendingReads } from './publish';

/** The worker's global scope (no DOM/WebWorker lib in this project). */
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];

const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
hidePendingReads(connection as unknown as Connection);
startServer({ host: browserServerHost(), connection: connection as unknown as Connection });
