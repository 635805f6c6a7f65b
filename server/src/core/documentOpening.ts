/**
 * The open of a large document in slices, and its first diagnostics made apart (the language
 * server's worker thread, lsp/openWorker.ts). Both parse the text as the document's constructor
 * always did — parseChunks from the start with the initial state, ENTRIES_PER_CHUNK entries per
 * chunk — only a slice of chunks per call: parseChunks is stopped exactly where its next chunk
 * would start anyway (the `stopAt` hook is asked at every entry start but a chunk's first, so
 * every ENTRIES_PER_CHUNK-th question is a chunk's end), and the next call goes on from there
 * with the same state object. So the chunks, and everything in them, are the ones one call
 * makes (test/unit/document-opening.test.ts compares them).
 */
import { Chunk, ENTRIES_PER_CHUNK, parseChunks } from './documentChunks';
import { emptyZone, initialState, ScanState, ZoneParser } from './parser';
import { AnalysisOptions } from './pipeline/stage';
import { DaneDirective, ParsedZone } from './model';
import { ZoneDiagnostic } from './types';
import { disabledRanges, finalize } from './pipeline/finalize';
import { EntryScan, scanEntry } from './lexer';

/** Chunks parsed per slice (~16k entries: 15-30 ms on the 1M bench zone). */
export const CHUNKS_PER_SLICE = Math.max(1, Math.round(16384 / ENTRIES_PER_CHUNK));

/** A parse in slices: the text, where the next slice starts, the scan state there, the chunks so far. */
export interface Opening {
  text: string;
  pos: number;
  state: ScanState;
  chunks: Chunk[];
}

/**
 * Parses up to `slice` chunks (Infinity: all, in one parseChunks call) of `text` from `pos` (a chunk start of the whole parse, `state`
 * the state there, updated) and appends them to `out`; returns where the next chunk starts
 * (text.length: done).
 */
export function parseSlice(options: AnalysisOptions, text: string, pos: number, state: ScanState, out: Chunk[], slice = CHUNKS_PER_SLICE): number {
  let asked = 0;
  const stop = Number.isFinite(slice) ? { minPos: 0, match: () => (++asked === slice * ENTRIES_PER_CHUNK ? 0 : -1) } : undefined;
  const { chunks } = parseChunks(options, text, 0, pos, state, stop);
  for (const ch of chunks) out.push(ch);
  return chunks[chunks.length - 1].end;
}

/** Entries read per FirstPass.step (as many as a slice of the open: 10-20 ms on the 1M bench zone). */
export const FIRST_PASS_ENTRIES = CHUNKS_PER_SLICE * ENTRIES_PER_CHUNK;

/** A parser of `text` for its diagnostics only (ZoneParser.dropRecords: no record made or kept), into `zone`. */
function diagnosticsParser(text: string, options: AnalysisOptions, zone: ParsedZone): ZoneParser {
  const parser = new ZoneParser(text, options, zone, options.fileName ? [options.fileName] : []);
  parser.dropRecords = true;
  return parser;
}

/**
 * The first publication of a large document's open, before its chunks are parsed: the text
 * parsed for its diagnostics only (ZoneParser.dropRecords: no record is made or kept, so nothing
 * survives a scavenge, and the parse takes ~0.5 of the document's, whose ~1M kept records the
 * garbage collector copies and promotes), a slice of entries per step. Its
 * diagnostics are the document's syntaxDiagnostics(): the same parser reads the same text
 * from the same state (the document's chunks are cut from one such parse; only what becomes of
 * the records differs), finalized with the same `disable=` ranges and severities
 * (test/unit/document-opening.test.ts compares them; the server compares them again once the
 * document is parsed, and publishes again if they differ).
 */
export class FirstPass {
  private readonly zone = emptyZone();
  private readonly state: ScanState;
  private readonly parser: ZoneParser;
  private pos = 0;
  /** Entries read so far (blank and comment lines too: as openingTail counts them). */
  private entries = 0;
  /** Where a worker's part starts (split: see openingTail), once read: the state there and how many diagnostics and directives came before. */
  private split?: { pos: number; state: ScanState; diagnostics: number; directives: number };

  /** `split`: the fraction of the text a worker's part starts near (openingTail's), if one is asked for. */
  constructor(private readonly text: string, private readonly options: AnalysisOptions, private readonly splitAt?: number) {
    this.state = initialState(options);
    this.parser = diagnosticsParser(text, options, this.zone);
  }

  /** Reads up to `entries` more entries; the first publication's diagnostics once the text is read to its end, else undefined. */
  step(entries = FIRST_PASS_ENTRIES): ZoneDiagnostic[] | undefined {
    const text = this.text;
    if (this.pos < text.length) {
      let n = 0;
      // (the worker's start: the first chunk start, every ENTRIES_PER_CHUNK entries, at or past the split's offset)
      const target = this.splitAt === undefined ? Infinity : Math.floor(text.length * this.splitAt);
      this.pos = this.parser.parseRange(this.pos, text.length, this.state, (p, st) => {
        if (++n > entries) return false;
        const k = this.entries++;
        if (p >= target && this.split === undefined && k > 0 && k % ENTRIES_PER_CHUNK === 0) {
          this.split = { pos: p, state: { ...st }, diagnostics: this.zone.diagnostics.length, directives: this.zone.daneDirectives.length };
        }
        return true;
      });
      if (this.pos < text.length) return undefined;
    }
    const z = this.zone;
    return finalize(z.diagnostics, disabledIn(text, z.daneDirectives), this.options.severity);
  }

  /**
   * The first publication from what this pass read before a worker's start and the worker's
   * `tail` after it: 'wait' until this pass has read to the tail's start; 'mismatch' when that
   * is not the tail's start or the state there is not the one the worker assumed (then the pass
   * goes on to the end alone). From there the worker read the same text with the same parser
   * from the same state, so its diagnostics are the ones this pass would read.
   */
  withTail(tail: OpeningTail): ZoneDiagnostic[] | 'wait' | 'mismatch' {
    const at = this.split;
    if (!at) return this.pos < this.text.length && this.splitAt !== undefined ? 'wait' : 'mismatch';
    if (at.pos !== tail.start || !sameScan(at.state, tail.state)) return 'mismatch';
    const z = this.zone;
    const out = z.diagnostics.slice(0, at.diagnostics).concat(tail.diagnostics);
    const directives = z.daneDirectives.slice(0, at.directives).concat(tail.directives);
    return finalize(out, disabledIn(this.text, directives), this.options.severity);
  }
}

/** The `disable=` ranges of these directives (none: no text read). */
function disabledIn(text: string, directives: readonly DaneDirective[]) {
  return directives.some((d) => 'disable' in d.settings) ? disabledRanges(text, directives) : [];
}

/** What the worker thread found from a chunk start `start` of the whole parse to the end (openingTail). */
export interface OpeningTail {
  /** A chunk start of the whole parse, and the scan state the worker assumed there. */
  start: number;
  state: ScanState;
  /** From `start` to the end: its diagnostics and `disable=` directives (none when there is no `disable=`). */
  diagnostics: ZoneDiagnostic[];
  directives: DaneDirective[];
}

/**
 * The worker's part of an open (lsp/openWorker.ts): the first publication's diagnostics of the
 * chunks from a chunk start near `fraction` of the text to its end, while the main thread parses
 * the chunks before it. Chunk starts are entry starts every ENTRIES_PER_CHUNK entries, found with
 * the lexer alone (the parser reads the same entries). The scan state there is a guess: the state
 * after the first chunk, carried over the chunk before the start (its records set the previous
 * owner, TTL and class); the main thread uses the result only when its own first pass reaches that
 * start with that very state (FirstPass.withTail), and then every entry from there is the one
 * it parses itself (same text, options, start and state). Undefined: nothing useful (a short
 * text, an $INCLUDE, which a worker cannot read).
 */
export function openingTail(text: string, options: AnalysisOptions, fraction = 0.55): OpeningTail | undefined {
  // Chunk starts, from the start to about `fraction` of the text.
  const target = Math.floor(text.length * fraction);
  const s = new EntryScan();
  const sink = { diagnostics: [] as ZoneDiagnostic[] };
  let pos = 0;
  let previous = -1;
  let start = -1;
  for (let n = 0; pos < text.length; n++) {
    if (n % ENTRIES_PER_CHUNK === 0) {
      if (n > 0 && pos >= target) { start = pos; break; }
      previous = pos;
    }
    scanEntry(text, pos, sink, s);
    sink.diagnostics.length = 0;
    pos = s.next;
  }
  if (start < 0 || previous <= 0) return undefined;
  // The state: the first chunk's, then the chunk before `start` read with it.
  const state = initialState(options);
  const lead: Chunk[] = [];
  parseSlice(options, text, 0, state, lead, 1);
  if (parseSlice(options, text, previous, state, lead, 1) !== start) return undefined;
  if (lead.some((ch) => ch.zone.directives.some((x) => x.name === '$INCLUDE'))) return undefined;
  const assumed = { ...state };
  // The rest read as the first pass reads (no record kept): its diagnostics and `disable=` directives.
  const zone = emptyZone();
  diagnosticsParser(text, options, zone).parseRange(start, text.length, state);
  if (zone.directives.some((x) => x.name === '$INCLUDE')) return undefined;
  const directives = zone.daneDirectives.some((d) => 'disable' in d.settings) ? zone.daneDirectives : [];
  return { start, state: assumed, diagnostics: zone.diagnostics, directives };
}

/** Two scan states equal in every field (the budget included). */
function sameScan(a: ScanState, b: ScanState): boolean {
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  for (const k of Object.keys(x)) if (x[k] !== y[k]) return false;
  for (const k of Object.keys(y)) if (x[k] !== y[k]) return false;
  return true;
}
