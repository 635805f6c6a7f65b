import { AnalysisOptions, applySeverities } from '../core/analysis';
import { checkZone } from '../core/checks/zone';
import { ZoneDocument } from '../core/document';
import { TextChange } from '../core/edits';
import { DaneDirective, ParsedZone } from '../core/model';
import { parseZone } from '../core/parser';
import { ZoneDiagnostic } from '../core/types';

/**
 * The server's one door into the core. The LSP layer only sees `ZoneAnalyzer` and the
 * per-document `AnalyzedDocument`, so switching between a full reparse and the incremental
 * `ZoneDocument` (core/document.ts) is the choice of `defaultAnalyzer` below.
 */

/** A replacement of [start, end) (UTF-16 offsets into the text after the previous edits). */
export type OffsetEdit = TextChange;

/** One open document's analysis model. */
export interface AnalyzedDocument {
  /** Brings the model to `text`, which is the old text with `edits` applied in order. */
  update(edits: readonly OffsetEdit[], text: string): void;
  /** The whole parse (records, directives, comments, multi-line spans, parse diagnostics). */
  readonly parsed: ParsedZone;
  /** Stage 1: syntax and per-record diagnostics (severities not overridden). */
  syntaxDiagnostics(): ZoneDiagnostic[];
  /** Stage 2: the zone-wide checks (severities not overridden). */
  zoneDiagnostics(): ZoneDiagnostic[];
  /**
   * The zone-wide results of the previous version moved through the edits, without re-checking
   * (shown with stage 1 so they do not blink out on every keystroke). Optional.
   */
  provisionalZoneDiagnostics?(): ZoneDiagnostic[];
  /** The `; dane-zone` directives without materializing the whole parse. Optional. */
  daneDirectives?(): DaneDirective[];
}

export interface ZoneAnalyzer {
  readonly name: string;
  open(text: string, options: AnalysisOptions): AnalyzedDocument;
}

/** Reparses the whole text on every update: simple, and the reference for the others. */
class ReparsedDocument implements AnalyzedDocument {
  private current: ParsedZone;
  private zone?: ZoneDiagnostic[];

  constructor(text: string, private readonly options: AnalysisOptions) {
    this.current = parseZone(text, options);
  }

  update(_edits: readonly OffsetEdit[], text: string): void {
    this.current = parseZone(text, this.options);
    this.zone = undefined;
  }

  get parsed(): ParsedZone {
    return this.current;
  }

  syntaxDiagnostics(): ZoneDiagnostic[] {
    return this.current.diagnostics;
  }

  zoneDiagnostics(): ZoneDiagnostic[] {
    return (this.zone ??= checkZone(this.current, this.options));
  }
}

/** The incremental ZoneDocument; falls back to a full reset if its text ever drifts from the editor's. */
class IncrementalDocument implements AnalyzedDocument {
  private readonly doc: ZoneDocument;
  private parsedCache?: ParsedZone;

  constructor(text: string, options: AnalysisOptions) {
    this.doc = new ZoneDocument(text, options);
  }

  update(edits: readonly OffsetEdit[], text: string): void {
    this.parsedCache = undefined;
    this.doc.update(edits);
    // A cheap drift check (comparing whole texts would cost O(size) per keystroke).
    if (this.doc.textLength !== text.length) this.doc.reset(text);
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

  provisionalZoneDiagnostics(): ZoneDiagnostic[] {
    return this.doc.provisionalZoneDiagnostics();
  }

  daneDirectives(): DaneDirective[] {
    return this.doc.daneDirectives();
  }
}

export const fullReparseAnalyzer: ZoneAnalyzer = {
  name: 'full',
  open: (text, options) => new ReparsedDocument(text, options),
};

export const incrementalAnalyzer: ZoneAnalyzer = {
  name: 'incremental',
  open: (text, options) => new IncrementalDocument(text, options),
};

/** What the server uses. */
export const defaultAnalyzer: ZoneAnalyzer = incrementalAnalyzer;

export { applySeverities };
