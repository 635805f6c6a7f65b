/**
 * The first analysis of a large document just opened (lsp/diagnostics.ts runs it before its first
 * stage): the first publication from a parse that keeps no record, or with a worker thread's
 * part, and the document parsed in slices (requests are answered between them).
 */
import { AnalysisOptions, applySeverities, FirstPass, Lines, OpeningTail, ZoneDiagnostic } from '../core';
import { analysisSettings, DaneZoneSettings } from './settings';
import { DocumentState, DocumentStore } from './documents';

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How long stage 2 waits at most for the first publication to be written out (a client that does not read must not stall it). */
const FLUSH_WAIT_MS = 200;

/** `sent`, or FLUSH_WAIT_MS, whichever comes first. */
export function flushed(sent: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => { timer = setTimeout(resolve, FLUSH_WAIT_MS); });
  return Promise.race([sent, late]).finally(() => clearTimeout(timer));
}

/** The editor text's pieces whose line starts are made per slice of a sliced open or of stage 2 (~3,300 pieces of 16 KB in a 54 MB zone). */
export const PIECES_PER_SLICE = 96;

/**
 * Documents this long (characters) or longer are opened in two passes: the first publication from
 * a parse that keeps no record (core/documentOpening.ts FirstPass: ~0.7 of the document's parse),
 * then the document's chunks, in slices (requests are answered between them). Tests lower it,
 * and hold the first pass (`held`: no slice while it says so) until a worker's part is in.
 */
export const firstPass = { minLength: 4 * 1024 * 1024, held: (): boolean => false };

/**
 * A second thread's help with opening a large document (Node: lsp/openHelper.ts): the first
 * publication's diagnostics of the text's second half while this thread parses the first.
 * undefined: not now (busy, too short, no worker); the promise: the worker's part, or undefined.
 */
export interface OpeningHelper {
  /** Whether a document of this length is worth it (and the helper is free). */
  wants(length: number): boolean;
  /** Where in the text its part starts (core/documentOpening.ts openingTail's fraction). */
  readonly fraction: number;
  tail(text: string, options: AnalysisOptions): Promise<OpeningTail | undefined> | undefined;
  dispose?(): void;
}

/**
 * Two lists of diagnostics with the same contents (the first publication, and the document's own
 * once it is parsed): what JSON.stringify of each list says, item by item, so a zone with a
 * million syntax errors makes no string of all of them (two of ~150 MB each).
 */
export function sameDiagnostics(a: readonly ZoneDiagnostic[], b: readonly ZoneDiagnostic[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !sameDiagnostic(a[i], b[i])) return false;
  return true;
}

/** One diagnostic's own fields in the same order, equal (plain values) or equal as JSON (the others). */
function sameDiagnostic(x: ZoneDiagnostic, y: ZoneDiagnostic): boolean {
  const o = x as unknown as Record<string, unknown>;
  const p = y as unknown as Record<string, unknown>;
  const keys = Object.keys(o);
  const other = Object.keys(p);
  if (keys.length !== other.length) return sameJson(x, y);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    if (other[k] !== key) return sameJson(x, y);
    const u = o[key], v = p[key];
    if (u !== v && (typeof u !== 'object' || typeof v !== 'object' || u === null || v === null || !sameJson(u, v))) return false;
  }
  return true;
}

/** Equal as JSON (false where JSON.stringify throws). */
function sameJson(x: unknown, y: unknown): boolean {
  try {
    return JSON.stringify(x) === JSON.stringify(y);
  } catch {
    return false;
  }
}

/** A first publication made before the document's own: its diagnostics, and when it is written out. */
export interface Early { diagnostics: ZoneDiagnostic[]; sent: Promise<void> }

/** What openLarge asks of the diagnostics scheduler. */
export interface OpeningHost {
  documents: DocumentStore;
  helper?: OpeningHelper;
  /** Publishes (severities as given); resolves when written out. */
  send(uri: string, version: number, lines: Lines, diagnostics: ZoneDiagnostic[]): Promise<void>;
  /** The document is still at this version (and the scheduler not disposed). */
  current(state: DocumentState, version: number): boolean;
}

/**
 * The first analysis of a large document: the first publication from a parse that keeps no record
 * (core/documentOpening.ts FirstPass, a slice at a time: requests are answered between slices);
 * where a worker thread helps (a core free), it reads the text from a start near its `fraction`
 * to the end meanwhile, and once the first pass has read to that start with the scan state the
 * worker assumed there, the first publication is the pass's diagnostics before it and the
 * worker's after it. Then the document is parsed a slice at a time. Resolves that publication
 * (undefined: none made, the parse's own will be), or 'stale' when the document changed
 * meanwhile. The caller compares it with the parse's own once the document is parsed.
 */
export async function openLarge(host: OpeningHost, state: DocumentState, version: number, settings: DaneZoneSettings): Promise<Early | 'stale' | undefined> {
  const uri = state.uri;
  const helper = host.helper;
  // (the model made first: its options, settings included, are the worker's and the first pass's; it parses nothing yet)
  const analysis = host.documents.analysis(state, analysisSettings(settings), true);
  if (!analysis) return undefined;
  const job = helper?.wants(state.document.length) ? helper.tail(analysis.text, host.documents.optionsOf(state)) : undefined;
  if (!job && state.document.length < firstPass.minLength) return undefined;
  let tail: OpeningTail | undefined | null; // (null: none to use)
  job?.then((t) => { tail ??= t ?? null; }, () => { tail = null; });
  // The first publication from a parse that keeps no record (core/documentOpening.ts FirstPass), a
  // slice at a time, with the worker's part from its start when it comes in time with the state it assumed.
  const first = new FirstPass(analysis.text, host.documents.optionsOf(state), job ? helper?.fraction : undefined);
  let early: Early | undefined;
  for (;;) {
    if (!state.model?.isOpening) break; // (a request parsed the document meanwhile)
    let found = firstPass.held() ? undefined : first.step();
    if (!found && tail) {
      const joined = first.withTail(tail);
      if (joined === 'mismatch') tail = null;
      else if (joined !== 'wait') found = joined;
    }
    if (found) {
      tail = null;
      early = { diagnostics: found, sent: host.send(uri, version, analysis.lines, applySeverities([...found], settings.severity)) };
      await flushed(early.sent); // (on its way before the document's parse)
      if (!host.current(state, version)) return 'stale';
      break;
    }
    await yieldToEventLoop();
    if (!host.current(state, version)) {
      tail = null;
      return 'stale';
    }
  }
  // Then the document, a slice at a time.
  for (;;) {
    const done = analysis.openStep();
    // (the editor text's line starts too, a part per slice: the first edit would otherwise make them all)
    state.document.buildSome(PIECES_PER_SLICE);
    if (done) return early;
    await yieldToEventLoop();
    if (!host.current(state, version)) return 'stale';
  }
}
