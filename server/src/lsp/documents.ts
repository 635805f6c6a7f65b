import {
  DidChangeTextDocumentParams,
  DidOpenTextDocumentParams,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver/node';
import { AnalysisOptions, DaneDirective, LinePosition, Lines, ParsedZone, ZoneDiagnostic } from '../core';
import { AnalyzedDocument, OffsetEdit, ZoneAnalyzer } from './analyzer';
import { EncodedLines, PositionEncoding, toUtf16 } from './positionEncoding';
import { EditorText, TextSnapshot } from './editorText';
import { lazyTextOf } from './lazyText';
import { EarlyView, earlyStart, earlyWindow, LazyOpen } from './earlyView';

/**
 * The per-document model: text, version, the edits the analysis has not seen yet, and the
 * analysis model. This is the only module that holds document state. Analysis is lazy: a
 * burst of keystrokes is folded into one update when diagnostics or a feature next ask.
 */

/**
 * Documents longer than this (UTF-16 units) are not analysed, so the server cannot run out of
 * memory (a full parse takes about 30 bytes of heap per character; VS Code does not even
 * sync files above 50 MB to extensions). `dane-zone check` has no such limit.
 */
export const MAX_ANALYZED_LENGTH = 64 * 1024 * 1024;

/** The analysis of one version of a document; every part computed at most once. */
export class VersionAnalysis {
  private linesCache?: Lines;
  private parsedCache?: ParsedZone;
  private syntaxCache?: ZoneDiagnostic[];
  private zoneCache?: ZoneDiagnostic[];
  private retired = false;

  constructor(
    readonly version: number,
    private readonly snapshot: TextSnapshot,
    private readonly model: AnalyzedDocument,
    private readonly document: EditorText,
    /** The position encoding negotiated with the client (positionEncoding.ts). */
    private readonly encoding: PositionEncoding = 'utf-16',
  ) {}

  /** This version's text (joined from the editor text's pieces when first asked for). */
  get text(): string {
    return this.snapshot.text;
  }

  /** Its length (without joining it). */
  get textLength(): number {
    return this.snapshot.length;
  }

  /** Positions from the editor's document, whose line table is kept up to date edit by edit. */
  get lines(): Lines {
    return (this.linesCache ??= linesOf(this.document, this.encoding));
  }

  get parsed(): ParsedZone {
    return (this.parsedCache ??= this.live().parsed);
  }

  /** Stage 1 (severities not overridden). */
  syntax(): ZoneDiagnostic[] {
    return (this.syntaxCache ??= this.live().syntaxDiagnostics());
  }

  /** The `; dane-zone` directives (cheap where the model can give them without the whole parse). */
  daneDirectives(): DaneDirective[] {
    if (this.parsedCache) return this.parsedCache.daneDirectives;
    return this.live().daneDirectives?.() ?? this.parsed.daneDirectives;
  }

  /** A record of this type at the zone's apex (cheap where the model can say without the whole parse). */
  hasApexType(typeCode: number): boolean {
    const cheap = this.live().hasApexType?.(typeCode);
    if (cheap !== undefined) return cheap;
    const apex = this.parsed.zoneOrigin?.toLowerCase();
    return apex !== undefined && this.parsed.records.some((r) => r.typeCode === typeCode && r.ownerKey === apex);
  }

  /** Opened sliced: the next slice of the parse; true when it is whole. */
  openStep(): boolean {
    return this.parsedCache !== undefined || (this.live().openStep?.() ?? true);
  }

  /** One slice of stage 2's work; true when none is left. */
  zoneStep(): boolean {
    return this.zoneCache !== undefined || (this.live().zoneStep?.() ?? true);
  }

  /** Stage 2 (severities not overridden). */
  zone(): ZoneDiagnostic[] {
    return (this.zoneCache ??= this.live().zoneDiagnostics());
  }

  /** The model moved on to a newer version: what was not computed yet never will be. */
  retire(): void {
    this.retired = true;
  }

  private live(): AnalyzedDocument {
    if (this.retired) throw new Error(`analysis of version ${this.version} is stale`);
    return this.model;
  }
}

export class DocumentState {
  private doc?: EditorText;
  private lazy?: LazyOpen;
  /** Edits since the model last saw the text, each against the text after the previous one. */
  pendingEdits: OffsetEdit[] = [];
  model?: AnalyzedDocument;
  analysis?: VersionAnalysis;
  /** Set when analysing this version threw: not retried until the text changes. */
  failedVersion?: number;
  /**
   * The zone-stage results last published (at most the cap, copies), moved through every edit
   * since: the first publishing stage shows them until the zone stages have run again.
   */
  carried: ZoneDiagnostic[] = [];
  /** The analysis options taken from settings, and their identity (a change rebuilds the model). */
  fromSettings?: Partial<AnalysisOptions>;
  settingsKey?: string;

  /** `unreadable`: called when a lazy text turns out unreadable (its message was not one: the document goes). */
  constructor(readonly uri: string, document: EditorText | LazyOpen, private readonly unreadable?: () => void) {
    if (document instanceof EditorText) this.doc = document;
    else this.lazy = document;
  }

  /** The editor's text (a lazy one decoded when first asked for). */
  get document(): EditorText {
    if (!this.doc) {
      const lazy = this.lazy!;
      let text: string;
      try {
        text = lazy.text.text();
      } catch (e) {
        this.unreadable?.();
        throw e;
      }
      this.doc = new EditorText(this.uri, lazy.languageId, lazy.version, text);
      this.lazy = undefined;
    }
    return this.doc;
  }

  set document(document: EditorText) {
    this.doc = document;
    this.lazy = undefined;
  }

  /**
   * For a hover before the first parse: the editor text, or while a lazy text is not decoded,
   * the editor text of a decoded start of it that holds `line` and the two after it (`partial`;
   * its positions there are the whole text's). `tooShort`: a start given before that was too
   * short for the hover (a longer one is decoded). The whole text when no start will do.
   */
  earlyDocument(line: number, tooShort?: EditorText): EarlyView {
    const lazy = this.lazy;
    return (lazy && !this.doc && earlyStart(lazy, this.uri, line, tooShort)) || { document: this.document, partial: false };
  }

  /**
   * As earlyDocument, but a window of a lazy text from `line` (earlyView.ts) when the start
   * decoded so far does not hold the line: its first line is `firstLine`, its offsets its own.
   */
  earlyView(line: number, tooShort?: EditorText): EarlyView {
    const lazy = this.lazy;
    if (lazy && !this.doc) {
      const window = earlyWindow(lazy, this.uri, line, tooShort);
      if (window) return window;
      if (tooShort && tooShort === lazy.windows?.lastDocument) tooShort = undefined;
    }
    return this.earlyDocument(line, tooShort);
  }

  get text(): string {
    return this.document.getText();
  }

  /** A lazy text not decoded yet (reading `document` decodes it). */
  get undecoded(): boolean {
    return !this.doc && !this.lazy!.text.decoded;
  }

  get version(): number {
    return this.doc ? this.doc.version : this.lazy!.version;
  }

  /** Entry starts found by hovers before the first analysis (core.earlyHover), for one version. */
  earlyMarks?: { version: number; marks: number[] };

  /** Open, and its first analysis not made yet (the parse of a large zone takes a while). */
  get unparsed(): boolean {
    return (this.model === undefined || this.model.isOpening === true) && this.failedVersion === undefined && !this.tooLarge;
  }

  get tooLarge(): boolean {
    // (a lazy text not decoded for this: its bytes bound its length)
    if (!this.doc && this.lazy!.text.maxLength <= MAX_ANALYZED_LENGTH) return false;
    return this.document.length > MAX_ANALYZED_LENGTH;
  }
}

export interface AnalysisEnvironment {
  analyzer: ZoneAnalyzer;
  /** Parse/check options for a document (file name, io for $INCLUDE). */
  optionsFor(state: DocumentState): AnalysisOptions;
}

export class DocumentStore {
  private readonly docs = new Map<string, DocumentState>();
  /** What a Position's `character` counts, as negotiated at initialize. */
  encoding: PositionEncoding = 'utf-16';

  constructor(private readonly env: AnalysisEnvironment) {}

  /** Opens a document (a lazy text, lazyText.ts, is decoded when first read; if it is unreadable, the document goes). */
  open(p: DidOpenTextDocumentParams): DocumentState {
    const d = p.textDocument;
    const lazy = lazyTextOf(d);
    const state: DocumentState = lazy
      ? new DocumentState(d.uri, { text: lazy, languageId: d.languageId, version: d.version }, () => { if (this.docs.get(d.uri) === state) this.docs.delete(d.uri); })
      : new DocumentState(d.uri, new EditorText(d.uri, d.languageId, d.version, d.text));
    this.docs.set(d.uri, state);
    return state;
  }

  /**
   * Applies incremental or full changes in order; undefined for a document that is not open.
   * Many changes in one notification (a "Replace All") that come last-first, as editors send
   * them, are applied last first with offsets all computed before the first (editorText.ts: no
   * copy of the whole text per change); others one by one.
   */
  change(p: DidChangeTextDocumentParams): DocumentState | undefined {
    const state = this.docs.get(p.textDocument.uri);
    if (!state) return undefined;
    const version = p.textDocument.version;
    if (p.contentChanges.length > 1 && this.changeAll(state, p.contentChanges, version)) return state;
    for (let change of p.contentChanges) {
      if (this.encoding !== 'utf-16' && 'range' in change && change.range) {
        const lines = new DocumentLines(state.document);
        change = { ...change, range: { start: toUtf16(lines, change.range.start, this.encoding), end: toUtf16(lines, change.range.end, this.encoding) } };
      }
      state.pendingEdits.push(this.offsetEdit(state.document, change));
      state.document.update([change], version);
    }
    state.document.version = version;
    return state;
  }

  /**
   * Ranged changes each of which ends at or before the previous one's start: their positions
   * all refer to the text before the first: applied in that order, none moves the next (false: not that shape).
   */
  private changeAll(state: DocumentState, changes: readonly TextDocumentContentChangeEvent[], version: number): boolean {
    const doc = state.document;
    const lines = this.encoding === 'utf-16' ? undefined : new DocumentLines(doc);
    const edits: OffsetEdit[] = [];
    for (const c of changes) {
      if (!('range' in c) || !c.range) return false;
      const range = lines ? { start: toUtf16(lines, c.range.start, this.encoding), end: toUtf16(lines, c.range.end, this.encoding) } : c.range;
      const e = this.offsetEdit(doc, { range, text: c.text });
      if (edits.length > 0 && e.end > edits[edits.length - 1].start) return false;
      edits.push(e);
    }
    for (const e of edits) doc.replace(e.start, e.end, e.text);
    doc.version = version;
    for (const e of edits) state.pendingEdits.push(e);
    return true;
  }

  private offsetEdit(doc: EditorText, change: TextDocumentContentChangeEvent): OffsetEdit {
    if ('range' in change && change.range) {
      const a = doc.offsetAt(change.range.start);
      const b = doc.offsetAt(change.range.end);
      return { start: Math.min(a, b), end: Math.max(a, b), text: change.text };
    }
    return { start: 0, end: doc.length, text: change.text };
  }

  /** The options the document's pipeline runs with (environment, then settings). */
  optionsOf(state: DocumentState): AnalysisOptions {
    return { ...this.env.optionsFor(state), ...state.fromSettings };
  }

  close(uri: string): boolean {
    return this.docs.delete(uri);
  }

  get(uri: string): DocumentState | undefined {
    return this.docs.get(uri);
  }

  all(): DocumentState[] {
    return [...this.docs.values()];
  }

  /** Drops every model (workspace folders or trust changed: includes may read differently). */
  invalidateAll(): void {
    for (const s of this.docs.values()) this.drop(s);
  }

  private drop(s: DocumentState): void {
    s.analysis?.retire();
    s.model = undefined;
    s.analysis = undefined;
    s.failedVersion = undefined;
    s.pendingEdits = [];
    s.carried = [];
  }

  /**
   * The analysis of the current version (the model brought up to date first). Undefined when
   * the document is too large, or when analysing this version already failed. Throws what
   * the analyzer throws (callers contain it); the model is then rebuilt from scratch next time.
   */
  analysis(state: DocumentState, fromSettings?: Partial<AnalysisOptions>, sliced = false): VersionAnalysis | undefined {
    const version = state.version;
    if (fromSettings) {
      // Settings that change what the checks find (dnssec, TLSA TTL bound): re-analyse from scratch.
      const key = JSON.stringify(fromSettings);
      if (state.settingsKey !== undefined && state.settingsKey !== key) this.drop(state);
      state.settingsKey = key;
      state.fromSettings = fromSettings;
    }
    if (state.analysis && state.analysis.version === version) return state.analysis;
    if (state.failedVersion === version) return undefined;
    if (state.tooLarge) {
      this.drop(state);
      return undefined;
    }
    const text = state.document.snapshot();
    state.analysis?.retire();
    state.analysis = undefined;
    try {
      if (!state.model) state.model = this.env.analyzer.open(text.text, this.optionsOf(state), sliced);
      else if (state.pendingEdits.length > 0) state.model.update(state.pendingEdits, text);
      if (state.carried.length > 0) state.carried = moveThrough(state.carried, state.pendingEdits);
      state.pendingEdits = [];
      state.analysis = new VersionAnalysis(version, text, state.model, state.document, this.encoding);
      return state.analysis;
    } catch (e) {
      this.drop(state);
      state.failedVersion = version;
      throw e;
    }
  }
}

/**
 * Diagnostics moved through edits applied in order: those before an edit stay, those after it
 * move by its length change, those touching it are dropped (they are about text that changed).
 */
export function moveThrough(diags: readonly ZoneDiagnostic[], edits: readonly OffsetEdit[]): ZoneDiagnostic[] {
  if (edits.length > 1 && edits.every((e, n) => n === 0 || e.end <= edits[n - 1].start)) return moveThroughAll(diags, edits);
  let out = diags as ZoneDiagnostic[];
  for (const e of edits) {
    const d = e.text.length - (e.end - e.start);
    const next: ZoneDiagnostic[] = [];
    for (const x of out) {
      if (x.end < e.start) next.push(x);
      else if (x.start > e.end) next.push(d === 0 ? x : { ...x, start: x.start + d, end: x.end + d, related: x.related?.map((r) => (r.start > e.end ? { ...r, start: r.start + d, end: r.end + d } : r)) });
    }
    out = next;
  }
  return out;
}

/** Positions in the editor's text of a document, in the negotiated encoding. */
export function linesOf(doc: EditorText, encoding: PositionEncoding): Lines {
  const lines = new DocumentLines(doc);
  return encoding === 'utf-16' ? lines : new EncodedLines(lines, encoding);
}

/**
 * moveThrough for edits each ending at or before the previous one's start (a Replace All): all
 * in the coordinates of the text before them, so a diagnostic is dropped when it touches one and
 * moved by the changes of those before it (a binary search, not a pass per edit).
 */
function moveThroughAll(diags: readonly ZoneDiagnostic[], edits: readonly OffsetEdit[]): ZoneDiagnostic[] {
  const sorted = [...edits].reverse();
  const after = [0];
  for (const e of sorted) after.push(after[after.length - 1] + e.text.length - (e.end - e.start));
  /** How many edits end before `p`. */
  const before = (p: number): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid].end < p) lo = mid + 1; else hi = mid;
    }
    return lo;
  };
  const out: ZoneDiagnostic[] = [];
  for (const x of diags) {
    const k = before(x.start);
    if (k < sorted.length && sorted[k].start <= x.end) continue; // it touches edit k
    const d = after[k];
    if (d === 0 && !x.related) { out.push(x); continue; }
    // (a related location moves with the edits that move its diagnostic and lie before it, as one by one)
    const shift = (r: { start: number; end: number }) => after[Math.min(k, before(r.start))];
    out.push({ ...x, start: x.start + d, end: x.end + d, related: x.related?.map((r) => ({ ...r, start: r.start + shift(r), end: r.end + shift(r) })) });
  }
  return out;
}

/**
 * `Lines` over the editor text: no O(size) line table per version (editorText.ts keeps line
 * starts per piece), which keeps a keystroke in a huge zone cheap.
 */
class DocumentLines implements Lines {
  constructor(private readonly doc: EditorText) {}
  get text(): string {
    return this.doc.getText();
  }
  get lineCount(): number {
    return this.doc.lineCount;
  }
  lineStart(line: number): number {
    return this.doc.offsetAt({ line, character: 0 });
  }
  lineEnd(line: number): number {
    if (line + 1 >= this.doc.lineCount) return this.doc.offsetAt({ line, character: Number.MAX_SAFE_INTEGER });
    let end = this.doc.offsetAt({ line: line + 1, character: 0 });
    if (end > 0 && this.doc.charCodeAt(end - 1) === 0x0a) end--;
    if (end > 0 && this.doc.charCodeAt(end - 1) === 0x0d) end--;
    return end;
  }
  lineAt(offset: number): number {
    return this.doc.positionAt(offset).line;
  }
  positionAt(offset: number): LinePosition {
    return this.doc.positionAt(offset);
  }
  offsetAt(position: LinePosition): number {
    return this.doc.offsetAt(position);
  }
}
