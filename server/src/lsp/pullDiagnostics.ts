import {
  CancellationToken,
  ClientCapabilities,
  Connection,
  Diagnostic,
  DocumentDiagnosticParams,
  DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
} from 'vscode-languageserver/node';
import { describeError, Logger } from './context';
import { DiagnosticsScheduler } from './diagnostics';
import { DocumentStore } from './documents';

/**
 * Pull diagnostics (LSP 3.17 `textDocument/diagnostic`), for clients that ask for them with
 * `initializationOptions.diagnosticMode: "pull"` and claim `textDocument.diagnostic`. Push
 * (publishDiagnostics) stays the default: a client that shows both would show every problem
 * twice. The same staged scheduler runs; its results are kept here instead of published, a
 * pull answers once the document's run is complete (all stages), `unchanged` when the client
 * has that result already, and `workspace/diagnostic/refresh` (when the client supports it)
 * says that new results are there (a later stage, the live check, a closed document).
 */

/** How long a pull waits for a run in progress before answering with what there is. */
const MAX_WAIT_MS = 10_000;

export function wantsPull(caps: ClientCapabilities, init: { diagnosticMode?: unknown }): boolean {
  return init.diagnosticMode === 'pull' && !!caps.textDocument?.diagnostic;
}

export class PullDiagnostics {
  private readonly latest = new Map<string, { resultId: string; items: Diagnostic[] }>();
  /** The result id each document's last pull was answered with. */
  private readonly answered = new Map<string, string>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private counter = 0;
  private refreshQueued = false;

  constructor(
    private readonly connection: Connection,
    private readonly documents: DocumentStore,
    private readonly scheduler: () => DiagnosticsScheduler,
    private readonly refreshSupport: boolean,
    private readonly log: Logger,
  ) {}

  /** Hooks into a scheduler (again after the server replaces it). */
  attach(s: DiagnosticsScheduler): void {
    s.sink = (uri, _version, items) => {
      this.latest.set(uri, { resultId: String(++this.counter), items });
      if (!s.busy(uri)) this.idle(uri);
    };
    s.onIdle = (uri) => this.idle(uri);
  }

  private idle(uri: string): void {
    const w = this.waiters.get(uri);
    if (w) {
      this.waiters.delete(uri);
      for (const wake of w) wake();
    }
    const now = this.latest.get(uri);
    if (now && this.answered.has(uri) && this.answered.get(uri) !== now.resultId) this.refresh();
  }

  private refresh(): void {
    if (!this.refreshSupport || this.refreshQueued) return;
    this.refreshQueued = true;
    setImmediate(() => {
      this.refreshQueued = false;
      this.connection.languages.diagnostics.refresh().catch((e) => this.log.warn(`diagnostic refresh failed: ${describeError(e)}`));
    });
  }

  async pull(params: DocumentDiagnosticParams, token?: CancellationToken): Promise<DocumentDiagnosticReport> {
    const uri = params?.textDocument?.uri;
    if (typeof uri !== 'string' || !this.documents.get(uri)) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const until = Date.now() + MAX_WAIT_MS;
    const s = this.scheduler();
    // Opened but not run yet (or a run under way): wait for the run to finish.
    while ((s.busy(uri) || !this.latest.has(uri)) && Date.now() < until && !token?.isCancellationRequested && this.documents.get(uri)) {
      if (!s.busy(uri)) s.schedule(uri, 0);
      await new Promise<void>((resolve) => {
        let set = this.waiters.get(uri);
        if (!set) this.waiters.set(uri, (set = new Set()));
        const timer = setTimeout(done, 250);
        function done(): void {
          clearTimeout(timer);
          set!.delete(done);
          resolve();
        }
        set.add(done);
      });
    }
    const r = this.latest.get(uri) ?? { resultId: String(++this.counter), items: [] };
    this.answered.set(uri, r.resultId);
    if (params.previousResultId === r.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: r.resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId: r.resultId, items: r.items };
  }

  forget(uri: string): void {
    this.latest.delete(uri);
    this.answered.delete(uri);
  }
}
