/**
 * Entry point of the language server process: `node server.js --stdio` (or --node-ipc,
 * --socket=N, --pipe=NAME). The VS Code client starts the bundled copy (dist/server.js)
 * over IPC; other editors run `dane-zone lsp --stdio`. The Web Worker's entry is
 * server/src/browser/server.ts.
 */
import { startNodeServer } from './nodeServer';

startNodeServer();
