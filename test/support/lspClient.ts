import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  InitializeResult,
  LogMessageNotification,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  Registration,
  RegistrationRequest,
  Unregistration,
  UnregistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver/node';

/**
 * A minimal LSP client for protocol tests: starts the REAL server process
 * (out/server/src/lsp/server.js --stdio, or any command), answers workspace/configuration
 * from `settings`, records publishDiagnostics and log messages.
 */

export const SERVER_JS = path.join(__dirname, '..', '..', 'server', 'src', 'lsp', 'server.js');

export interface StartOptions {
  /** Command line after `node` (default: the compiled server with --stdio). */
  args?: string[];
  initializationOptions?: unknown;
  workspaceFolders?: string[];
  /** The `daneZone` section answered to workspace/configuration. */
  settings?: Record<string, unknown>;
  /** Claim hierarchical document symbols etc. (default true). */
  hierarchicalSymbols?: boolean;
  /** Merged into the client capabilities' `textDocument` / `workspace` / `window` (code actions, code lenses, progress…). */
  textDocument?: Record<string, unknown>;
  workspace?: Record<string, unknown>;
  window?: Record<string, unknown>;
  /** Other top-level client capabilities (`general`, clangd's `offsetEncoding`…). */
  capabilities?: Record<string, unknown>;
}

interface Waiter {
  uri: string;
  predicate: (p: PublishDiagnosticsParams) => boolean;
  resolve: (p: PublishDiagnosticsParams) => void;
}

export class TestClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  stderr = '';
  settings: Record<string, unknown>;
  configurationRequests = 0;
  /** client/registerCapability and client/unregisterCapability received, in order. */
  readonly registrations: Registration[] = [];
  readonly unregistrations: Unregistration[] = [];
  initializeResult?: InitializeResult;
  private waiters: Waiter[] = [];
  private versions = new Map<string, number>();
  readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess, readonly connection: ProtocolConnection, settings: Record<string, unknown>) {
    this.settings = settings;
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    child.stderr!.on('data', (d: Buffer) => { this.stderr += d.toString(); });
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri === p.uri && w.predicate(p)) { w.resolve(p); return false; }
        return true;
      });
    });
    connection.onNotification(LogMessageNotification.type, (p) => { this.logs.push(p.message); });
    connection.onNotification(ShowMessageNotification.type, (p) => { this.logs.push(`[show] ${p.message}`); });
    connection.onRequest(ConfigurationRequest.type, (p) => {
      this.configurationRequests++;
      return p.items.map((item) => (item.section === 'daneZone' ? this.settings : null));
    });
    connection.onRequest(RegistrationRequest.type, (p) => { this.registrations.push(...p.registrations); });
    connection.onRequest(UnregistrationRequest.type, (p) => { this.unregistrations.push(...p.unregisterations); });
    connection.listen();
  }

  static async start(options: StartOptions = {}): Promise<TestClient> {
    const child = spawn(process.execPath, options.args ?? [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new TestClient(child, connection, options.settings ?? { diagnosticsDelay: 0 });
    const folders = options.workspaceFolders ?? [];
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folders[0] ? pathToFileURL(folders[0]).href : null,
      workspaceFolders: folders.map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) })),
      initializationOptions: options.initializationOptions,
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true }, ...options.workspace },
        ...(options.window ? { window: options.window } : {}),
        ...options.capabilities,
        textDocument: {
          synchronization: { dynamicRegistration: false },
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true, versionSupport: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: options.hierarchicalSymbols ?? true },
          foldingRange: { lineFoldingOnly: true },
          ...options.textDocument,
        },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    this.versions.set(uri, version);
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dns-zone', version, text } });
  }

  change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    return this.connection
      .sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes })
      .then(() => version);
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    return this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /** The next publishDiagnostics for `uri` (including ones already received) that satisfies `predicate`. */
  diagnostics(uri: string, predicate: (d: Diagnostic[], p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10_000, since = 0): Promise<Diagnostic[]> {
    for (let i = since; i < this.published.length; i++) {
      const p = this.published[i];
      if (p.uri === uri && predicate(p.diagnostics, p)) return Promise.resolve(p.diagnostics);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const seen = this.published.filter((p) => p.uri === uri).map((p) => `v${p.version}: ${p.diagnostics.map((d) => d.code).join(',')}`);
        reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; seen: ${seen.join(' | ') || 'none'}\nserver stderr: ${this.stderr}\nlogs: ${this.logs.join('\n')}`));
      }, timeoutMs);
      this.waiters.push({ uri, predicate: (p) => predicate(p.diagnostics, p), resolve: (p) => { clearTimeout(timer); resolve(p.diagnostics); } });
    });
  }

  /** shutdown + exit; resolves with the server's exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    }
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

export const fileUri = (p: string) => pathToFileURL(p).href;

/** Runs `body` with a fresh server; the server is killed afterwards whatever happens. */
export async function withServer(options: StartOptions, body: (c: TestClient) => Promise<void>): Promise<void> {
  const c = await TestClient.start(options);
  try {
    await body(c);
  } finally {
    c.kill();
  }
}
