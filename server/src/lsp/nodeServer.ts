import { startServer } from './languageServer';
import { nodeServerHost } from '../node/serverHost';
import { stdioConnection } from './stdioReader';
import { WorkerOpeningHelper } from './openHelper';

/**
 * Starts the language server in Node (lsp/server.ts, `dane-zone lsp`): over `--stdio` with the
 * server's own message reader (stdioReader.ts: a large didOpen is decoded in one copy), else on
 * the transport createConnection picks from the command line.
 */
export function startNodeServer(): void {
  const stdio = stdioConnection();
  startServer({ host: nodeServerHost(), handleProcessErrors: true, connection: stdio?.connection, onShutdown: stdio?.shutdownReceived, openingHelper: openingHelper() });
}

/**
 * The worker thread that helps open large documents (lsp/openHelper.ts): off with
 * DANE_ZONE_OPEN_WORKER=off; DANE_ZONE_OPEN_WORKER_MIN sets the shortest document it helps with
 * (characters; tests lower it).
 */
function openingHelper(): WorkerOpeningHelper | undefined {
  const env = process.env;
  if (env.DANE_ZONE_OPEN_WORKER === 'off') return undefined;
  const min = Number(env.DANE_ZONE_OPEN_WORKER_MIN);
  return new WorkerOpeningHelper(Number.isFinite(min) && min >= 0 && env.DANE_ZONE_OPEN_WORKER_MIN !== '' ? min : undefined);
}
