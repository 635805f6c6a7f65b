import { Connection, Diagnostic } from 'vscode-languageserver/node';
import { Lines } from '../core/lineIndex';
import { analysisSettings } from './settings';
import { ZoneDiagnostic } from '../core/types';
import { applySeverities } from './analyzer';
import { ConfigurationService } from './configuration';
import { describeError, Logger } from './context';
import { toDiagnostic } from './convert';
import { DocumentState, DocumentStore, MAX_ANALYZED_LENGTH } from './documents';

/**
 * Diagnostics as you type: debounced per document, then published in stages — the parse's
 * own diagnostics first, then (after yielding to the event loop, and only if the document
 * has not changed meanwhile) those plus the zone-wide checks. Every failure is logged and
 * publishes an empty list, so stale squiggles clear and the server keeps going.
 */

/** More than this per document helps nobody and slows the editor down. */
export const MAX_PUBLISHED = 10_000;
/** Stage 1 re-sends the previous zone-wide results (no blinking) only up to this many. */
export const MAX_PROVISIONAL = 2_000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly warnedTooLarge = new Set<string>();
  private readonly warnedTooMany = new Set<string>();
  private disposed = false;

  constructor(
    private readonly connection: Connection,
    private readonly documents: DocumentStore,
    private readonly config: ConfigurationService,
    private readonly log: Logger,
  ) {}

  /** Runs the diagnostics for `uri` after `delayMs` (default: the document's diagnosticsDelay). */
  schedule(uri: string, delayMs?: number): void {
    if (this.disposed) return;
    this.cancel(uri);
    const delay = delayMs ?? this.config.peek(uri).diagnosticsDelay;
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      this.run(uri).catch((e) => this.log.error(`diagnostics for ${uri} failed: ${describeError(e)}`));
    }, delay);
    this.timers.set(uri, timer);
  }

  scheduleAll(delayMs = 0): void {
    for (const s of this.documents.all()) this.schedule(s.uri, delayMs);
  }

  cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }

  /** The document closed: stop, and clear what was published for it. */
  clear(uri: string): void {
    this.cancel(uri);
    this.warnedTooLarge.delete(uri);
    this.warnedTooMany.delete(uri);
    this.publish(uri, undefined, []);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private current(state: DocumentState, version: number): boolean {
    return !this.disposed && this.documents.get(state.uri) === state && state.version === version;
  }

  async run(uri: string): Promise<void> {
    const state = this.documents.get(uri);
    if (!state) return;
    const version = state.version;
    const settings = await this.config.get(uri);
    if (!this.current(state, version)) return;

    // Stage 1: the parse (syntax and per-record diagnostics).
    let analysis;
    let syntax: ZoneDiagnostic[];
    try {
      analysis = this.documents.analysis(state, analysisSettings(settings));
      syntax = analysis?.syntax() ?? [];
    } catch (e) {
      this.log.error(`parsing ${uri} (version ${version}) failed: ${describeError(e)}`);
      this.publish(uri, version, []);
      return;
    }
    if (!analysis) {
      if (state.tooLarge && !this.warnedTooLarge.has(uri)) {
        this.warnedTooLarge.add(uri);
        const msg = `${uri} is too large to check as you type (${state.text.length} characters; the limit is ${MAX_ANALYZED_LENGTH}): use \`dane-zone check\` instead`;
        this.log.warn(msg);
        void this.connection.window.showWarningMessage(msg);
      }
      this.publish(uri, version, []);
      return;
    }
    let provisional: ZoneDiagnostic[] = [];
    try {
      provisional = analysis.provisional();
      // Thousands of moved results would make the fast stage slow to send: then stage 2 alone shows them.
      if (provisional.length > MAX_PROVISIONAL) provisional = [];
    } catch (e) {
      this.log.error(`provisional zone diagnostics for ${uri} failed: ${describeError(e)}`);
    }
    this.send(uri, version, analysis.lines, applySeverities([...syntax, ...provisional], settings.severity));

    // Stage 2: zone-wide checks, unless the document moved on meanwhile.
    await yieldToEventLoop();
    if (!this.current(state, version)) return;
    let zone: ZoneDiagnostic[];
    try {
      zone = analysis.zone();
    } catch (e) {
      this.log.error(`zone checks on ${uri} (version ${version}) failed: ${describeError(e)}`);
      zone = [];
    }
    if (zone.length === 0 && provisional.length === 0) return; // stage 1 already said everything
    this.send(uri, version, analysis.lines, applySeverities([...syntax, ...zone], settings.severity));
  }

  private send(uri: string, version: number, lines: Lines, diags: ZoneDiagnostic[]): void {
    const n = Math.min(diags.length, MAX_PUBLISHED);
    const out: Diagnostic[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = toDiagnostic(lines, diags[i]);
    if (diags.length > MAX_PUBLISHED && !this.warnedTooMany.has(uri)) {
      this.warnedTooMany.add(uri);
      this.log.warn(`${uri}: ${diags.length} diagnostics, only the first ${MAX_PUBLISHED} are shown`);
    }
    this.publish(uri, version, out);
  }

  private publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void {
    this.connection.sendDiagnostics({ uri, version, diagnostics }).catch((e) => this.log.error(`publishing diagnostics failed: ${describeError(e)}`));
  }
}
