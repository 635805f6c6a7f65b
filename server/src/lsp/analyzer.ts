import { AnalysisOptions, DaneDirective, getZoneLanguageService, ParsedZone, TextChange, ZoneDiagnostic, ZoneDocument } from '../core';

const core = getZoneLanguageService();

/**
 * The server's document models: the LSP layer only sees `ZoneAnalyzer` and the per-document
 * `AnalyzedDocument`. Both analyzers run the core's one pipeline (core/pipeline/stages.ts)
 * through its incremental document; `full` rebuilds it from scratch on every change (the
 * reference: test/unit/pipeline.test.ts holds the two to the same diagnostics).
 */

/** A replacement of [start, end) (UTF-16 offsets into the text after the previous edits). */
export type OffsetEdit = TextChange;

/** One open document's analysis model. */
export interface AnalyzedDocument {
  /** Brings the model to `text`, which is the old text with `edits` applied in order (joined only if the model needs it whole). */
  update(edits: readonly OffsetEdit[], text: string | { readonly length: number; readonly text: string }): void;
  /** The whole parse (records, directives, comments, multi-line spans, parse diagnostics). */
  readonly parsed: ParsedZone;
  /** Stage 1: syntax and per-record diagnostics (severities not overridden). */
  syntaxDiagnostics(): ZoneDiagnostic[];
  /** Stage 2: the zone-wide checks (severities not overridden). */
  zoneDiagnostics(): ZoneDiagnostic[];
  /** One slice of stage 2's work; true when none is left (then zoneDiagnostics() is cheap). Optional. */
  zoneStep?(): boolean;
  /** The `; dane-zone` directives without materializing the whole parse. Optional. */
  daneDirectives?(): DaneDirective[];
  /** A record of this type at the zone's apex, without materializing the whole parse. Optional. */
  hasApexType?(typeCode: number): boolean;
  /** Opened `sliced`: parses the next slice of the text; true when it is parsed whole. Optional. */
  openStep?(): boolean;
  /** True while a sliced open is not done (a hover then answers what it can without the parse). Optional. */
  readonly isOpening?: boolean;
}

export interface ZoneAnalyzer {
  readonly name: string;
  /** `sliced`: the text is parsed by openStep() a slice at a time (where the model can), else at once. */
  open(text: string, options: AnalysisOptions, sliced?: boolean): AnalyzedDocument;
}

/** The incremental ZoneDocument; falls back to a full reset if its text ever drifts from the editor's. */
class IncrementalDocument implements AnalyzedDocument {
  private doc: ZoneDocument;
  private parsedCache?: ParsedZone;

  constructor(text: string, private readonly options: AnalysisOptions, private readonly fromScratch = false, sliced = false) {
    this.doc = core.openDocument(text, options, sliced);
  }

  openStep(): boolean {
    return this.doc.openStep();
  }

  get isOpening(): boolean {
    return this.doc.isOpening;
  }

  update(edits: readonly OffsetEdit[], text: string | { readonly length: number; readonly text: string }): void {
    this.parsedCache = undefined;
    const whole = () => (typeof text === 'string' ? text : text.text);
    if (this.fromScratch) {
      this.doc = core.openDocument(whole(), this.options);
      return;
    }
    this.doc.update(edits);
    // A cheap drift check (comparing whole texts would cost O(size) per keystroke).
    if (this.doc.textLength !== text.length) this.doc.reset(whole());
  }

  get parsed(): ParsedZone {
    return (this.parsedCache ??= this.doc.parsed);
  }

  syntaxDiagnostics(): ZoneDiagnostic[] {
    return this.doc.syntaxDiagnostics();
  }

  zoneDiagnostics(): ZoneDiagnostic[] {
    return this.doc.zoneDiagnostics();
  }

  zoneStep(): boolean {
    return this.doc.zoneStep();
  }

  daneDirectives(): DaneDirective[] {
    return this.doc.daneDirectives();
  }

  hasApexType(typeCode: number): boolean {
    const apex = this.doc.zoneOrigin;
    return apex !== undefined && this.doc.hasType(apex.toLowerCase(), typeCode);
  }
}

/** The same pipeline from scratch on every change. */
export const fullReparseAnalyzer: ZoneAnalyzer = {
  name: 'full',
  open: (text, options) => new IncrementalDocument(text, options, true),
};

export const incrementalAnalyzer: ZoneAnalyzer = {
  name: 'incremental',
  open: (text, options, sliced) => new IncrementalDocument(text, options, false, sliced),
};

/** What the server uses. */
export const defaultAnalyzer: ZoneAnalyzer = incrementalAnalyzer;

