import {
  ClientCapabilities,
  Connection,
  createConnection,
  DidChangeConfigurationNotification,
  ErrorCodes,
  InitializeError,
  InitializeParams,
  InitializeResult,
  ProposedFeatures,
  ResponseError,
  ServerCapabilities,
  TextDocumentSyncKind,
  WorkspaceFolder,
} from 'vscode-languageserver/node';
import { AnalysisOptions, ZoneIO } from '../core';
import type { ServerHost } from './host';
import { defaultAnalyzer, ZoneAnalyzer } from './analyzer';
import { ConfigurationService } from './configuration';
import { describeError, Handler, Logger, ServerContext } from './context';
import { DiagnosticsScheduler, OpeningHelper } from './diagnostics';
import { CertificateService } from './certificates';
import { DocumentState, DocumentStore } from './documents';
import { FEATURES } from './features';
import { negotiateEncoding } from './positionEncoding';
import { PullDiagnostics, wantsPull } from './pullDiagnostics';

/**
 * The language server: wires the document store, the diagnostics scheduler and the feature
 * table to a connection. No zone logic lives here (see ../core).
 */

export interface InitializationOptions {
  /** False in an untrusted workspace: $INCLUDE may then only read inside the workspace folders. */
  trusted?: boolean;
  /** Settings for clients that neither answer workspace/configuration nor push them. */
  settings?: unknown;
  /** The same, as Helix sends its `config` table (`{ daneZone: {…} }`). */
  daneZone?: unknown;
  /** `pull`: answer textDocument/diagnostic instead of publishing (pullDiagnostics.ts). */
  diagnosticMode?: 'push' | 'pull';
}

export interface ServerOptions {
  /** Where the server runs: Node (server/src/node/serverHost.ts) or a Web Worker (server/src/browser/host.ts). */
  host: ServerHost;
  /** Defaults to createConnection(ProposedFeatures.all) (Node: --stdio, --node-ipc, --socket=N or --pipe=NAME). */
  connection?: Connection;
  analyzer?: ZoneAnalyzer;
  /** Install process-wide handlers that log (instead of dying on) stray exceptions. */
  handleProcessErrors?: boolean;
  /** Told when the client asks for shutdown (a connection made outside createConnection's own transports: stdioReader.ts). */
  onShutdown?: () => void;
  /** A worker thread's help with opening large documents (Node: lsp/openHelper.ts). */
  openingHelper?: OpeningHelper;
}


function folderPaths(params: InitializeParams, uriToPath: (uri: string) => string | undefined): string[] {
  const folders: WorkspaceFolder[] | null | undefined = params.workspaceFolders;
  if (folders && folders.length > 0) return folders.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
  if (params.rootUri) {
    const p = uriToPath(params.rootUri);
    return p ? [p] : [];
  }
  if (params.rootPath) return [params.rootPath];
  return [];
}

export function startServer(options: ServerOptions): Connection {
  const host = options.host;
  const uriToPath = (uri: string) => host.pathOf(uri);
  const connection = options.connection ?? createConnection(ProposedFeatures.all);
  const analyzer = options.analyzer ?? host.analyzer ?? defaultAnalyzer;
  const log: Logger = {
    info: (m) => connection.console.info(m),
    warn: (m) => connection.console.warn(m),
    error: (m) => connection.console.error(m),
  };

  let client: ClientCapabilities = {};
  let trusted = true;
  let folders: string[] = [];
  const filesArrived = (files: string[]) => {
    for (const file of files) certificates.fileChanged(file);
    documents.invalidateAll();
    diagnostics.scheduleAll();
  };
  const ioFor = () => host.createIO({ connection, folders, trusted, log, filesArrived });
  let io: ZoneIO = ioFor();
  const rebuildIO = () => {
    io = ioFor();
  };

  const documents = new DocumentStore({
    analyzer,
    optionsFor: (state: DocumentState): AnalysisOptions => ({ fileName: uriToPath(state.uri), io }),
  });
  // Linked certificate files are watched: a renewed one re-runs the certificate stage of the documents linking it.
  const certWatch = host.watchLinkedFiles({
    connection, log, client: () => client,
    trusted: () => trusted,
    folders: () => folders,
    changed: (file, uris) => {
      certificates.fileChanged(file);
      for (const uri of uris) diagnostics.schedule(uri, 0);
    },
    recheck: (uris) => { for (const uri of uris) diagnostics.schedule(uri, 0); },
  });
  const linked = (uri: string, files: string[]) => certWatch.setLinked(uri, files);
  // Timed rotation: when the TLSA records were first committed (trusted workspaces only; hosts with git).
  const published = host.gitHistory?.((m) => log.info(m)).forWorkspace(() => trusted);
  const certificates = host.certificates?.(() => io, linked, published, uriToPath) ?? new CertificateService(() => io, linked, published, uriToPath);
  // Replaced in onInitialize once the client's capabilities are known.
  let config = new ConfigurationService(connection, false, log);
  const gitBaseline = host.gitBaseline?.();
  let diagnostics = new DiagnosticsScheduler(connection, documents, config, log, certificates, () => (trusted ? gitBaseline : undefined), undefined, options.openingHelper);

  const guard = <P, R>(name: string, fallback: R, handler: Handler<P, R>): Handler<P, R> =>
    async (params, token) => {
      try {
        return await handler(params, token);
      } catch (e) {
        log.error(`${name} failed: ${describeError(e)}`);
        return fallback;
      }
    };
  /** The same for notifications: log and carry on. */
  const safely = <P>(name: string, fn: (params: P) => void) => (params: P) => {
    try {
      fn(params);
    } catch (e) {
      log.error(`${name} failed: ${describeError(e)}`);
    }
  };

  /**
   * workspace/executeCommand has one handler per connection: while the features register,
   * connection.onExecuteCommand only collects each feature's handler with the commands the
   * feature declares; one dispatcher, registered after them, calls the handler of the command
   * asked for. (The connection object itself stays the same: settingsFor(ctx.connection) keys on it.)
   */
  const commandHandlers: { commands: readonly string[]; handler: (...args: never[]) => unknown }[] = [];
  let declaring: readonly string[] = [];

  const ctx: ServerContext = {
    connection,
    host,
    documents,
    get trusted() { return trusted; },
    get io() { return io; },
    certificates,
    settingsOf: (uri) => config.get(uri),
    setLiveDiagnostics: (uri, version, diags) => diagnostics.setLive(uri, version, diags),
    get client() { return client; },
    log,
    guard,
    analysisOf(uri) {
      const state = documents.get(uri);
      if (!state) return undefined;
      try {
        return documents.analysis(state);
      } catch (e) {
        log.error(`parsing ${uri} failed: ${describeError(e)}`);
        return undefined;
      }
    },
  };

  // LSP: a request before `initialize` is answered with ServerNotInitialized (-32002); one
  // that no feature handles, after it, with MethodNotFound. A second `initialize` is refused.
  let initialized = false;
  connection.onRequest((method: string) => initialized
    ? new ResponseError(ErrorCodes.MethodNotFound, `unhandled method ${method}`)
    : new ResponseError(ErrorCodes.ServerNotInitialized, `${method}: the server is not initialized yet (send initialize first)`));

  connection.onInitialize((params): InitializeResult | ResponseError<InitializeError> => {
    if (initialized) return new ResponseError(ErrorCodes.InvalidRequest, 'initialize was already received: a server is initialized once', { retry: false });
    initialized = true;
    client = params.capabilities ?? {};
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    trusted = init.trusted !== false;
    folders = folderPaths(params, uriToPath);
    rebuildIO();
    config = new ConfigurationService(connection, client.workspace?.configuration === true, log, init.settings ?? init.daneZone);
    diagnostics = new DiagnosticsScheduler(connection, documents, config, log, certificates, () => (trusted ? gitBaseline : undefined), undefined, options.openingHelper);

    const capabilities: ServerCapabilities = {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    };
    if (wantsPull(client, init)) {
      const pull = new PullDiagnostics(connection, documents, () => diagnostics, client.workspace?.diagnostics?.refreshSupport === true, log);
      pull.attach(diagnostics);
      capabilities.diagnosticProvider = { interFileDependencies: false, workspaceDiagnostics: false };
      connection.languages.diagnostics.on(guard('diagnostic', { kind: 'full', items: [] }, (p, token) => pull.pull(p, token)));
      connection.onDidCloseTextDocument(safely('didClose', (params) => {
        closeDocument(params.textDocument.uri);
        pull.forget(params.textDocument.uri);
      }));
    }
    const encoding = negotiateEncoding(client);
    documents.encoding = encoding.encoding;
    if (encoding.via === 'positionEncodings') capabilities.positionEncoding = encoding.encoding;
    if (client.workspace?.workspaceFolders) {
      capabilities.workspace = { workspaceFolders: { supported: true, changeNotifications: true } };
    }
    const commands: string[] = [];
    const onExecuteCommand = connection.onExecuteCommand;
    connection.onExecuteCommand = ((handler: (...args: never[]) => unknown) => {
      commandHandlers.push({ commands: declaring, handler });
      return { dispose() { /* registered for the server's lifetime */ } };
    }) as typeof connection.onExecuteCommand;
    for (const f of [...FEATURES, ...host.features]) {
      try {
        const caps = f.capabilities(client);
        const own = caps.executeCommandProvider?.commands ?? [];
        Object.assign(capabilities, caps);
        declaring = own;
        f.register(ctx);
        commands.push(...own.filter((c) => !commands.includes(c)));
      } catch (e) {
        log.error(`feature ${f.name} disabled: ${describeError(e)}`);
      } finally {
        declaring = [];
      }
    }
    connection.onExecuteCommand = onExecuteCommand;
    // Two features may offer commands: one provider with all of them.
    if (commands.length > 0) capabilities.executeCommandProvider = { ...capabilities.executeCommandProvider, commands };
    if (commandHandlers.length > 0) {
      connection.onExecuteCommand((params, token, workDone, progress) => {
        const entry = commandHandlers.find((h) => h.commands.includes(params?.command)) ??
          (commandHandlers.length === 1 ? commandHandlers[0] : undefined);
        if (!entry) {
          log.warn(`executeCommand: unknown command ${String(params?.command)}`);
          return null;
        }
        return (entry.handler as unknown as (...a: unknown[]) => unknown)(params, token, workDone, progress) as never;
      });
    }
    const result: InitializeResult & { offsetEncoding?: string } = { capabilities, serverInfo: { name: 'dane-zone', version: host.version } };
    if (encoding.via === 'offsetEncoding') result.offsetEncoding = encoding.encoding; // clangd's extension, as asked
    return result;
  });

  connection.onInitialized(() => {
    certWatch.start();
    if (client.workspace?.didChangeConfiguration?.dynamicRegistration) {
      connection.client.register(DidChangeConfigurationNotification.type, { section: 'daneZone' })
        .catch((e) => log.warn(`could not register for configuration changes: ${describeError(e)}`));
    }
    if (client.workspace?.workspaceFolders) {
      try {
        connection.workspace.onDidChangeWorkspaceFolders(safely('didChangeWorkspaceFolders', (e) => {
          const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
          folders = folders.filter((p) => !removed.has(p));
          for (const f of e.added) {
            const p = uriToPath(f.uri);
            if (p && !folders.includes(p)) folders.push(p);
          }
          rebuildIO();
          documents.invalidateAll();
          diagnostics.scheduleAll();
        }));
      } catch (e) {
        log.warn(`workspace folder changes not followed: ${describeError(e)}`);
      }
    }
    log.info(`dane-zone ${host.version} ready (${trusted ? 'trusted' : 'untrusted'} workspace, ${folders.length} folder(s), ${analyzer.name} analysis, ${host.name})`);
  });

  connection.onDidOpenTextDocument(safely('didOpen', (params) => {
    // The document's settings asked for now: the client answers while the server takes in the
    // text (and any hover sent with it), not after, when the first diagnostics wait for them.
    void config.get(params.textDocument.uri);
    const state = documents.open(params);
    diagnostics.schedule(state.uri, 0);
  }));

  connection.onDidChangeTextDocument(safely('didChange', (params) => {
    const state = documents.change(params);
    if (state) diagnostics.schedule(state.uri);
    else log.warn(`didChange for a document that is not open: ${params.textDocument.uri}`);
  }));

  const closeDocument = (uri: string) => {
    documents.close(uri);
    config.forget(uri);
    diagnostics.clear(uri);
  };
  connection.onDidCloseTextDocument(safely('didClose', (params) => closeDocument(params.textDocument.uri)));

  connection.onDidChangeConfiguration(safely('didChangeConfiguration', (params) => {
    config.changed(params);
    diagnostics.scheduleAll();
  }));

  connection.onDidChangeWatchedFiles(safely('didChangeWatchedFiles', (params) => certWatch.onDidChangeWatchedFiles(params)));

  connection.onShutdown(() => {
    options.onShutdown?.();
    certWatch.dispose();
    diagnostics.dispose();
    options.openingHelper?.dispose?.();
  });

  if (options.handleProcessErrors) {
    // Log stray errors instead of dying; but a vanished client (EPIPE) ends the process, and
    // an error while logging one is not logged again.
    let reporting = false;
    const stray = (what: string) => (e: unknown) => {
      if ((e as NodeJS.ErrnoException)?.code === 'EPIPE') process.exit(1);
      if (reporting) return;
      reporting = true;
      try {
        log.error(`${what}: ${describeError(e)}`);
      } catch {
        /* nowhere left to report it */
      } finally {
        reporting = false;
      }
    };
    process.on('uncaughtException', stray('uncaught exception'));
    process.on('unhandledRejection', stray('unhandled rejection'));
  }

  connection.listen();
  return connection;
}
