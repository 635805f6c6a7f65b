import { Connection, Diagnostic } from 'vscode-languageserver/node';
import { ASYNC_STAGES, getZoneLanguageService, Lines, ParsedZone, ZoneDiagnostic } from '../core';
import { analysisSettings, DaneZoneSettings } from './settings';
import { GitBaseline } from './gitBaseline';
import { applySeverities } from '../core';
import { ConfigurationService } from './configuration';
import { describeError, Logger } from './context';
import { toDiagnostic } from './convert';
import { DocumentState, DocumentStore, MAX_ANALYZED_LENGTH, VersionAnalysis } from './documents';
import { uriToPath } from './uri';
import { CertificateService } from './certificates';
import { DnssecService } from './dnssec';
import { capDiagnostics, capRelated } from './diagnosticCap';
import { ConvertedDiagnostics } from './convertCache';
import { Early, firstPass, flushed, OpeningHelper, OpeningHost, openLarge, PIECES_PER_SLICE, sameDiagnostics, yieldToEventLoop } from './opening';

export { flushed, OpeningHelper };

const core = getZoneLanguageService();

/**
 * Diagnostics as you type: debounced per document, then published in stages — the parse's
 * own diagnostics first, then (after yielding to the event loop, and only if the document
 * has not changed meanwhile) those plus the zone-wide checks, and, when the zone links
 * certificates to TLSA records, (asynchronously) those plus the certificate checks. The live
 * check's diagnostics (`dane-live`, setLive) go with every stage until the text changes.
 * Every failure is logged and
 * publishes an empty list, so stale squiggles clear and the server keeps going.
 */

/** Documents longer than this are not compared with their committed version (a full parse of both). */
const MAX_SERIAL_CHECK_LENGTH = 8 * 1024 * 1024;

/** Above this many characters, certificate results are not moved over edits (comparing the texts would cost too much per keystroke). */
const MAX_CARRY_LENGTH = 4 * 1024 * 1024;

/** Stage 2 runs in slices of about this many milliseconds (then yields to the event loop: a hover waits about this long, more on a busy machine). */
const SLICE_MS = 15;

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly warnedTooLarge = new Set<string>();
  private disposed = false;
  /** The live check's diagnostics per document, for the version they were computed on. */
  private readonly live = new Map<string, { version: number; diagnostics: ZoneDiagnostic[] }>();
  /** The last certificate diagnostics per document and the text they are for (moved over edits until stage 3 runs again). */
  private readonly certLast = new Map<string, { text: string; diagnostics: ZoneDiagnostic[] }>();
  /** The same for the DNSSEC stage. */
  private readonly dnssecLast = new Map<string, { text: string; diagnostics: ZoneDiagnostic[] }>();
  /** The LSP form of what was last sent per document (convertCache.ts). */
  private readonly converted = new Map<string, ConvertedDiagnostics>();
  /** What was last sent per document (without the live diagnostics), to send again with new live ones. */
  private readonly lastSent = new Map<string, { version: number; lines: Lines; diagnostics: ZoneDiagnostic[] }>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: DocumentStore,
    private readonly config: ConfigurationService,
    private readonly log: Logger,
    private readonly certs?: CertificateService,
    /** The git baseline for `soa-serial-unchanged`; undefined (e.g. untrusted workspace): no check. */
    private readonly gitBaseline?: () => GitBaseline | undefined,
    /** The DNSSEC validation of signed zones (stage 3, asynchronous). */
    readonly dnssec: DnssecService = new DnssecService(),
    /** A worker thread's help with the first publication of a large document just opened. */
    private readonly openingHelper?: OpeningHelper,
  ) {}

  /** What the open of a large document (opening.ts) asks of this scheduler. */
  private get opening(): OpeningHost {
    return {
      documents: this.documents,
      helper: this.openingHelper,
      send: (uri, version, lines, diagnostics) => this.send(uri, version, lines, diagnostics),
      current: (state, version) => this.current(state, version),
    };
  }

  private readonly baseParsed = new Map<string, { text: string; parsed: ParsedZone }>();

  /** `soa-serial-unchanged` against the committed version of the file, when there is one. */
  private async serialDiagnostics(uri: string, analysis: VersionAnalysis): Promise<ZoneDiagnostic[]> {
    const baseline = this.gitBaseline?.();
    const file = uriToPath(uri);
    if (!baseline || !file || analysis.textLength > MAX_SERIAL_CHECK_LENGTH) return [];
    const base = await baseline.get(file);
    if (!base) return [];
    let cached = this.baseParsed.get(uri);
    if (!cached || cached.text !== base.text) {
      cached = { text: base.text, parsed: core.parseZone(base.text, { fileName: file }) };
      this.baseParsed.set(uri, cached);
    }
    return core.checkSerialChange(analysis.parsed, cached.parsed, base.label);
  }

  /**
   * The live check's diagnostics for `version` of the document: published with the others
   * (at once when that version's were sent already) until the text changes.
   */
  setLive(uri: string, version: number, diagnostics: ZoneDiagnostic[]): void {
    if (this.disposed || !this.documents.get(uri)) return;
    this.live.set(uri, { version, diagnostics });
    const last = this.lastSent.get(uri);
    if (last && last.version === version) this.send(uri, version, last.lines, last.diagnostics);
    else this.schedule(uri, 0);
  }

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
    this.live.delete(uri);
    this.lastSent.delete(uri);
    this.converted.delete(uri);
    this.certLast.delete(uri);
    this.certs?.forget(uri);
    this.dnssecLast.delete(uri);
    this.dnssec.forget(uri);
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

  /**
   * Pull mode (pullDiagnostics.ts): results go to `sink` instead of publishDiagnostics, and
   * `onIdle` hears when a document has no run pending or going.
   */
  sink?: (uri: string, version: number | undefined, diagnostics: Diagnostic[]) => void;
  onIdle?: (uri: string) => void;
  private readonly running = new Map<string, number>();

  /** True while a run for `uri` is scheduled or under way. */
  busy(uri: string): boolean {
    return this.timers.has(uri) || (this.running.get(uri) ?? 0) > 0;
  }

  async run(uri: string): Promise<void> {
    this.running.set(uri, (this.running.get(uri) ?? 0) + 1);
    try {
      await this.runStages(uri);
    } finally {
      const n = (this.running.get(uri) ?? 1) - 1;
      if (n > 0) this.running.set(uri, n);
      else this.running.delete(uri);
      if (!this.busy(uri)) this.onIdle?.(uri);
    }
  }

  private async runStages(uri: string): Promise<void> {
    const state = this.documents.get(uri);
    if (!state) return;
    const version = state.version;
    const settings = await this.config.get(uri);
    // (a large didOpen's text not decoded yet, ~0.1-0.2 s of work: a reply computed meanwhile, such as
    // a hover written right behind the didOpen, waits for its turn of the event loop to be written)
    if (state.undecoded) await yieldToEventLoop();
    if (!this.current(state, version)) return;

    // Stage 1: the parse (syntax and per-record diagnostics).
    let analysis;
    let syntax: ZoneDiagnostic[];
    let early: Early | undefined;
    try {
      if (state.model === undefined && !state.tooLarge && state.failedVersion !== version && state.carried.length === 0 && !this.certLast.has(uri) &&
        !this.dnssecLast.has(uri) && (state.document.length >= firstPass.minLength || this.openingHelper?.wants(state.document.length))) {
        // A large document just opened: its first publication from a parse that keeps no record
        // (or with a worker thread's part), then the document parsed in slices.
        const opened = await openLarge(this.opening, state, version, settings);
        if (opened === 'stale') return;
        early = opened;
      }
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
        const msg = `${uri} is too large to check as you type (${state.document.length} characters; the limit is ${MAX_ANALYZED_LENGTH}): use \`dane-zone check\` instead`;
        this.log.warn(msg);
        void this.connection.window.showWarningMessage(msg);
      }
      this.publish(uri, version, []);
      return;
    }
    // The zone-stage results last published (at most the cap), moved over the edits since (no
    // blinking, and no work in proportion to all the zone's diagnostics before this first stage).
    const provisional = state.carried;
    // The previous certificate results, moved over the edit, until stage 3 replaces them (no blinking).
    const carried = [...this.carriedDiagnostics(this.certLast, uri, analysis), ...this.carriedDiagnostics(this.dnssecLast, uri, analysis)];
    let sent: Promise<void>;
    if (early && sameDiagnostics(early.diagnostics, syntax)) sent = early.sent; // (said already)
    else {
      if (early) this.log.error(`the first diagnostics of ${uri} made with the worker thread's help differ from the parse's: published again`);
      sent = this.send(uri, version, analysis.lines, applySeverities([...syntax, ...provisional, ...carried], settings.severity));
    }
    // The publication on its way before stage 2 starts: its slices leave the event loop only
    // between them, so a large publication (1,000 diagnostics: ~500 kB, several pipe-fulls)
    // would otherwise reach the client only as stage 2 ends.
    await flushed(sent);

    // Stage 2: zone-wide checks, in slices of about SLICE_MS: between them the event loop answers
    // hovers, completions and newer edits; a newer version ends this run (the document keeps
    // the work left for the next one).
    for (let done = false; !done;) {
      await yieldToEventLoop();
      if (!this.current(state, version)) return;
      const start = Date.now();
      // (the editor text's line starts not made yet after an open, a part per slice: an edit would make them all)
      state.document.buildSome(PIECES_PER_SLICE);
      try {
        while (!(done = analysis.zoneStep()) && Date.now() - start < SLICE_MS) { /* next slice */ }
      } catch {
        done = true; // zone() below reports it
      }
    }
    let zone: ZoneDiagnostic[];
    try {
      zone = analysis.zone();
    } catch (e) {
      this.log.error(`zone checks on ${uri} (version ${version}) failed: ${describeError(e)}`);
      zone = [];
    }
    try {
      const serial = await this.serialDiagnostics(uri, analysis);
      if (!this.current(state, version)) return;
      if (serial.length) zone = [...zone, ...serial];
    } catch (e) {
      this.log.error(`serial check on ${uri} failed: ${describeError(e)}`);
    }
    state.carried = capDiagnostics(zone, settings.maxDiagnostics).filter((d) => d.code !== 'too-many-diagnostics').map(capRelated).map((d) => ({ ...d, related: d.related?.map((r) => ({ ...r })) }));
    // Stage 1 already said everything unless there were zone-wide results.
    if (zone.length > 0 || provisional.length > 0) this.send(uri, version, analysis.lines, applySeverities([...syntax, ...zone, ...carried], settings.severity));

    // Stage 3: the pipeline's asynchronous stages. The certificate stage runs through
    // lsp/certificates.ts (its analysis feeds hovers and code actions) and the DNSSEC stage
    // through lsp/dnssec.ts (a validation cache per document), both carried over edits; any
    // other runs as it is.
    const certDiags = this.certs ? await this.certificateStage(state, version, analysis, settings) : [];
    if (certDiags === undefined || !this.current(state, version)) return;
    let dnssecDiags: ZoneDiagnostic[] = [];
    try {
      if (this.dnssec.applies(analysis)) {
        dnssecDiags = await this.dnssec.run(uri, analysis.text, analysis.parsed);
        if (!this.current(state, version)) return;
        this.dnssecLast.set(uri, { text: analysis.text, diagnostics: dnssecDiags });
      } else {
        this.dnssec.forget(uri);
        this.dnssecLast.delete(uri);
      }
    } catch (e) {
      this.log.error(`DNSSEC validation of ${uri} (version ${version}) failed: ${describeError(e)}`);
    }
    if (!this.current(state, version)) return;
    const later = await this.otherAsyncStages(state, version, analysis);
    if (later === undefined || !this.current(state, version)) return;
    if (certDiags.length === 0 && dnssecDiags.length === 0 && carried.length === 0 && later.length === 0) return; // already said
    const all = [...syntax, ...zone, ...certDiags, ...dnssecDiags, ...later].sort((x, y) => x.start - y.start);
    this.send(uri, version, analysis.lines, applySeverities(all, settings.severity));
  }

  /** The certificate stage's diagnostics (undefined: the document moved on meanwhile). */
  private async certificateStage(state: DocumentState, version: number, analysis: VersionAnalysis, settings: DaneZoneSettings): Promise<ZoneDiagnostic[] | undefined> {
    const certs = this.certs!;
    const uri = state.uri;
    let certDiags: ZoneDiagnostic[];
    try {
      // Cheap test first: no host settings and no cert=/next= directive means no links (without
      // materializing the whole parse of a large document on every keystroke).
      const mayLink = Object.keys(settings.certificates.hosts).length > 0 ||
        analysis.daneDirectives().some((d) => d.items.some((i) => i.key === 'cert' || i.key === 'next'));
      if (!mayLink || !certs.applies(analysis.parsed, settings)) {
        certs.forget(uri);
        this.certLast.delete(uri);
        certDiags = [];
      } else {
        certDiags = (await certs.run(uri, version, analysis.text, analysis.parsed, settings)).diagnostics;
      }
    } catch (e) {
      this.log.error(`certificate checks on ${uri} (version ${version}) failed: ${describeError(e)}`);
      certDiags = [];
    }
    if (!this.current(state, version)) return undefined;
    if (certs.analysisOf(uri)) this.certLast.set(uri, { text: analysis.text, diagnostics: certDiags });
    return certDiags;
  }

  /** The asynchronous stages other than those above (undefined: the document moved on meanwhile). */
  private async otherAsyncStages(state: DocumentState, version: number, analysis: VersionAnalysis): Promise<ZoneDiagnostic[] | undefined> {
    const out: ZoneDiagnostic[] = [];
    for (const stage of ASYNC_STAGES) {
      if (stage === core.certificatesStage || stage === core.dnssecStage) continue;
      try {
        const r = await core.runAsyncStage(stage, core.viewOfZone(analysis.parsed), analysis.text, this.documents.optionsOf(state));
        if (r) for (const d of r.diagnostics) out.push(d);
      } catch (e) {
        this.log.error(`${stage.name} checks on ${state.uri} (version ${version}) failed: ${describeError(e)}`);
      }
      if (!this.current(state, version)) return undefined;
    }
    return out;
  }

  /**
   * The last certificate (or DNSSEC) diagnostics, for `text`: those before the changed region kept, those
   * after it moved, those in it dropped (their fix data goes stale: no quick fix until stage 3).
   */
  private carriedDiagnostics(from: Map<string, { text: string; diagnostics: ZoneDiagnostic[] }>, uri: string, analysis: VersionAnalysis): ZoneDiagnostic[] {
    const last = from.get(uri);
    if (!last || last.diagnostics.length === 0) return [];
    if (analysis.textLength > MAX_CARRY_LENGTH) return last.text.length === analysis.textLength && last.text === analysis.text ? last.diagnostics : [];
    const text = analysis.text;
    if (last.text === text) return last.diagnostics;
    const old = last.text;
    const max = Math.min(old.length, text.length);
    let p = 0;
    while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
    let q = 0;
    while (q < max - p && old.charCodeAt(old.length - 1 - q) === text.charCodeAt(text.length - 1 - q)) q++;
    const oldEnd = old.length - q;
    const delta = text.length - old.length;
    const out: ZoneDiagnostic[] = [];
    for (const d of last.diagnostics) {
      if (d.end <= p && d.end < oldEnd) out.push(d);
      else if (d.start >= oldEnd && d.start > p) out.push({ ...d, start: d.start + delta, end: d.end + delta });
    }
    return out;
  }

  /** Publishes; resolves when the publication is written out (or could not be). */
  private send(uri: string, version: number, lines: Lines, own: ZoneDiagnostic[]): Promise<void> {
    this.lastSent.set(uri, { version, lines, diagnostics: own });
    const live = this.live.get(uri);
    let diags = own;
    if (live && live.version === version) diags = own.concat(live.diagnostics);
    else if (live) this.live.delete(uri); // the text changed: the live results no longer apply
    diags = capDiagnostics(diags, this.config.peek(uri).maxDiagnostics);
    const text = this.documents.get(uri)?.document;
    let out: Diagnostic[];
    if (text) {
      let conv = this.converted.get(uri);
      if (!conv) this.converted.set(uri, conv = new ConvertedDiagnostics());
      out = conv.convert(lines, diags, uri, text);
    } else out = diags.map((d) => toDiagnostic(lines, capRelated(d), uri));
    return this.publish(uri, version, out);
  }

  private publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): Promise<void> {
    if (this.sink) {
      this.sink(uri, version, diagnostics);
      return Promise.resolve();
    }
    return Promise.resolve(this.connection.sendDiagnostics({ uri, version, diagnostics })).catch((e) => this.log.error(`publishing diagnostics failed: ${describeError(e)}`));
  }
}
