import { startServer } from './languageServer';
import { nodeServerHost } from '../node/serverHost';
import { stdioConnection } from './stdioReader';

/**
 * Starts the language server in Node (lsp/server.ts, `dane-zone lsp`): over `--stdio` with the
 * server's own message reader (stdioReader.ts: a large didOpen is decoded in one copy), else on
 * the transport createConnection picks from the command line.
 */
export function startNodeServer(): void {
  const stdio = stdioConnection();
  startServer({ host: nodeServerHost(), handleProcessErrors: true, connection: stdio?.connection, onShutdown: stdio?.shutdownReceived });
}
