import { keyAtOrBelow, plainOwner, shapeOf } from './checks/zone';
import { factsOfRetained, findOwnerProblems } from './checks/ownerChecks';
import { findOccluded, mayBeOccluded, ZoneShape } from './checks/zoneShape';
import { nameKey } from './names';
import { DaneDirective, ParsedZone, ZoneRecord } from './model';
import { lookupOf, OwnerIndex } from './documentOwners';
import { emptyZone, initialState, ScanState } from './parser';
import { ZoneDiagnostic } from './types';
import { absStart, Chunk, chunkGroups, chunkIndexAt, chunkOf, normalizeChunk, ownerIndexView, parseChunks, chunkList, recordDiagsOf, reparseWindow } from './documentChunks';
import { CHUNKS_PER_SLICE, Opening, parseSlice } from './documentOpening';
import { append, replaceRange } from './arrays';
import { TextChange } from './edits';
import { DisabledRange, disabledRanges, finalize } from './pipeline/finalize';
import { AnalysisOptions } from './pipeline/stage';
import { readFacts, viewOfZone, ZoneView } from './pipeline/view';
import { StageResults } from './stageResults';
import { Move, moveDisabled, moveFindings } from './documentMoves';
import { changedParts, Part } from './documentDiff';

/**
 * An open zone document that re-analyses only what an edit touched.
 *
 * The text is parsed in chunks of entries; each chunk remembers the scanner state before
 * it. An edit re-parses from the chunk that holds it until the scan re-joins an old chunk
 * boundary with the same state; later chunks only move by the edit's length (lazily: a
 * chunk keeps a pending `delta` that is applied when its contents are read). It runs the
 * pipeline's stages (pipeline/stages.ts): zone-wide checks are kept per owner name and re-run
 * only for owners whose records changed; each zone stage (DANE, …) is re-run only when the
 * facts it declares it reads (its ZoneReads) changed in the chunks an edit replaced; else its
 * results move with the text. Then the one finalize step.
 */

/** The lists of a parse that `parsed` reads through the chunks (and the whole parse joins). */
const FLAT = ['records', 'directives', 'comments', 'daneDirectives', 'multiLine', 'diagnostics'] as const;

/** Owner names re-checked per zoneStep() (most are single records, skipped at once). */
const OWNERS_PER_STEP = 4096;

export class ZoneDocument {
  /** The whole text, joined from the chunks when asked for (edits never rebuild it). */
  private joined?: string;
  /** Counts edits and resets (a parse handed out answers lookups only while it is current). */
  private edits = 0;
  private length = 0;
  /** The view of the whole parse, for zone stages that run in full: one per text version, shared by the stages. */
  private whole?: ZoneView;
  private chunks: Chunk[] = [];
  /** Records by owner key (documentOwners.ts: built in slices after an open). */
  private readonly index = new OwnerIndex((key) => { if (!this.allDirty) this.dirtyOwners.add(key); });
  private readonly owners = this.index.owners;
  /** Zone-wide findings per owner; the same objects as in `findings`, moved in place by edits. */
  private readonly ownerFindings = new Map<string, ZoneDiagnostic[]>();
  private findings: ZoneDiagnostic[] = [];
  /** Edits (each a list of moves) the stage results and findings have not been moved over yet (settle()). */
  private pendingMoves: (readonly Move[])[] = [];
  /** The zone stages' results, re-checked only when an edit changes what they read (by owner where they can). */
  private readonly stages = new StageResults();
  /** The `disable=` ranges of the finalize step: recomputed when a directive or a silenced record changes. */
  private disabled: DisabledRange[] = [];
  private disabledDirty = true;
  private readonly dirtyOwners = new Set<string>();
  /** Every owner needs checking (after opening): cheaper than listing them all as dirty. */
  private allDirty = true;
  /** Then the owners are checked in the index's order, OWNERS_PER_STEP per step (a set of 600k dirty keys took a second to fill). */
  private sweep?: Iterator<string>;
  private origin?: string;
  private shape?: ZoneShape | null;

  /** The parse of the text opened, while it is made in slices (openStep); undefined once it is whole. */
  private opening?: Opening;

  /**
   * `sliced`: the text is parsed by openStep() a slice at a time (the language server answers
   * requests and publishes what its worker found meanwhile); anything that reads the document
   * parses what is left first. The chunks are the same either way (documentOpening.ts).
   */
  constructor(text: string, private options: AnalysisOptions = {}, sliced = false) {
    this.joined = text;
    this.length = text.length;
    this.opening = { text, pos: 0, state: initialState(options), chunks: [] };
    if (!sliced) this.opened();
  }

  /** Parses the next slice of the text opened (`slice` chunks); true when the whole text is parsed. */
  openStep(slice = CHUNKS_PER_SLICE): boolean {
    const o = this.opening;
    if (!o) return true;
    if (o.chunks.length === 0 || o.pos < o.text.length) {
      o.pos = parseSlice(this.options, o.text, o.pos, o.state, o.chunks, slice);
      if (o.pos < o.text.length) return false;
    }
    this.opening = undefined;
    this.chunks = o.chunks;
    this.origin = o.state.zoneOrigin;
    this.index.reset(this.chunks);
    this.disabled = this.disabledIn(o.text);
    return true;
  }

  /** True while the text opened is not parsed whole yet (sliced). */
  get isOpening(): boolean {
    return this.opening !== undefined;
  }

  /** Parses what is left of the text opened. */
  private opened(): void {
    while (!this.openStep(Infinity)) { /* the rest now */ }
  }

  /** `disable=` ranges of the whole text (only the directives' lines are read). */
  private disabledIn(text: string): DisabledRange[] {
    const directives = this.chunks.flatMap((ch) => ch.zone.daneDirectives.some((d) => 'disable' in d.settings) ? (normalizeChunk(ch), ch.zone.daneDirectives) : []);
    return directives.length ? disabledRanges(text, directives) : [];
  }

  get text(): string {
    return (this.joined ??= this.chunks.map((c) => c.text).join(''));
  }

  /** The text's length (cheap, unlike `text` after edits). */
  get textLength(): number {
    return this.length;
  }

  /**
   * Applies edits in order (offsets of each refer to the text after the previous ones).
   * Only the chunks around an edit are re-read: the whole text is never rebuilt here.
   */
  update(changes: readonly TextChange[]): void {
    this.opened();
    // Many edits, last first (a "Replace All"): the edits in one chunk re-parse it once, each
    // group its own chunks, and the results (findings, stage diagnostics, `disable=` ranges)
    // move once for all of them.
    const batch = changes.length > 1 && changes.every((c, n) => n === 0 || c.end <= changes[n - 1].start);
    const moves: Move[] = [];
    if (!batch) {
      for (const c of changes) this.applyChanges([c], true);
      return;
    }
    for (const group of chunkGroups(this.chunks, this.length, changes)) append(moves, this.applyChanges(group, false).reverse());
    this.moveResults(moves.reverse());
  }

  /** Replaces the options (severities, clock…) and re-analyses everything. */
  setOptions(options: AnalysisOptions): void {
    this.options = options;
    this.reset(this.text);
  }

  reset(text: string): void {
    this.opening = undefined;
    this.settle();
    this.edits++;
    this.whole = undefined;
    this.joined = text;
    this.length = text.length;
    this.shape = undefined;
    this.ownerFindings.clear();
    this.findings = [];
    this.allDirty = true;
    this.sweep = undefined;
    this.stages.reset();
    this.disabledDirty = true;
    this.dirtyOwners.clear();
    const state = initialState(this.options);
    this.chunks = parseChunks(this.options, text, 0, 0, state).chunks;
    this.origin = state.zoneOrigin;
    this.index.reset(this.chunks);
  }

  /** Syntax and per-record diagnostics, in file order (the fast first stage). */
  syntaxDiagnostics(): ZoneDiagnostic[] {
    this.opened();
    const out: ZoneDiagnostic[] = [];
    for (const ch of this.chunks) {
      for (const d of ch.zone.diagnostics) out.push(ch.delta ? { ...d, start: d.start + ch.delta, end: d.end + ch.delta } : d);
    }
    // The `disable=` ranges as of the last DANE check, moved with the edits since (this fast
    // first stage never waits for the DANE checks).
    return finalize(out, this.disabled, this.options.severity);
  }

  /** Zone-wide diagnostics (re-checks only owners touched since the last call). Not sorted. */
  zoneDiagnostics(): ZoneDiagnostic[] {
    this.opened();
    while (!this.zoneStep()) { /* all of it now */ }
    const out = this.findings.concat(...this.stages.diags);
    for (const ch of this.chunks) {
      for (const d of recordDiagsOf(ch, this.options)) out.push(ch.delta ? { ...d, start: d.start + ch.delta, end: d.end + ch.delta } : d);
    }
    return finalize(out, this.disabled, this.options.severity);
  }

  /** The zone's origin as the scan found it (SOA / first $ORIGIN / the initial origin). */
  get zoneOrigin(): string | undefined {
    this.opened();
    return this.origin;
  }

  /** A record of this type at the owner (by ownerKey), from the owner index: no parse is materialized. */
  hasType(ownerKey: string, typeCode: number): boolean {
    this.opened();
    return this.index.hasType(ownerKey, typeCode);
  }

  diagnostics(): ZoneDiagnostic[] {
    const zone = this.zoneDiagnostics();
    return append(this.syntaxDiagnostics(), zone);
  }

  /**
   * The whole parse, offsets current: its lists are read through the chunks, and their items
   * brought up to date when read (`chunkList`: a hover reads a few records, not every one after
   * the edit, and copies none).
   */
  get parsed(): ParsedZone {
    return this.parse(true);
  }

  private parse(lazy: boolean): ParsedZone {
    this.opened();
    const out = emptyZone();
    // A parse handed out never changes (the server keeps one per document version): the lazy
    // one reads a copy of the chunk list (an edit replaces chunks, it does not change them).
    const chunks = this.chunks.slice();
    for (const k of FLAT) {
      if (lazy) (out[k] as unknown[]) = chunkList<unknown>(chunks, (ch) => ch.zone[k]);
      else for (const ch of chunks) { normalizeChunk(ch); append<unknown>(out[k], ch.zone[k]); }
    }
    out.zoneOrigin = this.origin;
    const edits = this.edits;
    out.lookup = lookupOf(this.index, () => this.edits === edits);
    return out;
  }

  /** The `; dane-zone` comment directives, offsets current (only chunks that have some are touched). */
  daneDirectives(): DaneDirective[] {
    this.opened();
    const out: DaneDirective[] = [];
    for (const ch of this.chunks) {
      if (ch.zone.daneDirectives.length === 0) continue;
      normalizeChunk(ch);
      append(out, ch.zone.daneDirectives);
    }
    return out;
  }


  // ---- internals -------------------------------------------------------------------

  /**
   * One slice of the zone-wide work the edits left (owners in batches of OWNERS_PER_STEP, then
   * one zone stage, then the `disable=` ranges); true when nothing is left. The document may be
   * edited between two calls (each slice leaves it consistent): the server yields to the event
   * loop between slices, so requests and newer edits are answered meanwhile.
   */
  zoneStep(): boolean {
    this.opened();
    this.settle();
    // The owner index first (built in slices after an open: the syntax diagnostics never wait for it).
    if (!this.index.complete) { this.index.step(); return false; }
    this.shapeChanges();
    if (this.allDirty) {
      this.allDirty = false;
      this.ownerFindings.clear();
      this.findings = [];
      this.dirtyOwners.clear();
      this.sweep = this.owners.keys();
    }
    if (this.sweep || this.dirtyOwners.size > 0) {
      const batch: string[] = [];
      // (owners an edit touched meanwhile are in dirtyOwners too: checking one twice is harmless)
      while (this.sweep && batch.length < OWNERS_PER_STEP) { const k = this.sweep.next(); if (k.done) this.sweep = undefined; else batch.push(k.value); }
      if (!this.sweep) for (const key of this.dirtyOwners) if (batch.push(key) >= OWNERS_PER_STEP) break;
      const stale = new Set<ZoneDiagnostic>();
      for (const key of batch) {
        this.dirtyOwners.delete(key);
        const old = this.ownerFindings.get(key);
        if (old) { for (const d of old) stale.add(d); this.ownerFindings.delete(key); }
      }
      if (stale.size) this.findings = this.findings.filter((d) => !stale.has(d));
      this.checkOwners(batch);
      return false;
    }
    if (this.stages.pending) {
      // A full run too answers recordsAt/hasType from the owner index (no second index of every
      // owner); the whole parse's view for the records of the types it reads (gatherView).
      this.stages.recheckNext(() => this.wholeView(), this.ownerView(), this.options);
      return false;
    }
    if (this.disabledDirty) {
      this.disabledDirty = false;
      this.disabled = this.disabledIn(this.text);
    }
    this.whole = undefined; // (its index of every owner is not kept while the zone is idle)
    return true;
  }

  private wholeView(): ZoneView {
    return (this.whole ??= viewOfZone(this.parse(false)));
  }

  /** recordsAt/hasType from the owner index, the rest from the whole parse (documentChunks.ts). */
  private ownerView(): ZoneView {
    return ownerIndexView((key) => this.index.recordsAt(key), this.origin, () => this.wholeView(), (key, type) => this.hasType(key, type), () => this.daneDirectives());
  }

  /** A delegation or DNAME that came or went since the last step: the owners at and below it are served differently now. */
  private shapeChanges(): void {
    const changed = this.index.shapeChanges();
    if (changed.length === 0) return;
    this.shape = undefined;
    if (!this.allDirty) for (const key of this.owners.keys()) if (changed.some((c) => keyAtOrBelow(key, c))) this.dirtyOwners.add(key);
  }

  /** occluded-data's view of the zone: its delegations and DNAMEs (null: none). */
  private zoneShape(): ZoneShape | null {
    if (this.shape === undefined) {
      const zoneKey = this.origin === undefined ? undefined : nameKey(this.origin);
      this.shape = shapeOf(zoneKey, this.index.cutCount.keys(), new Set(this.index.dnameCount.keys())) ?? null;
    }
    return this.shape;
  }

  private checkOwners(keys: Iterable<string>): void {
    const zoneKey = this.origin === undefined ? undefined : nameKey(this.origin);
    const shape = this.zoneShape();
    for (const key of keys) {
      const owned = this.owners.get(key);
      if (!owned) continue;
      const outside = zoneKey !== undefined && !keyAtOrBelow(key, zoneKey);
      const occluded = shape !== null && mayBeOccluded(key, shape);
      if (!outside && !occluded && plainOwner(owned, (r) => r)) continue;
      owned.sort((a, b) => absStart(a) - absStart(b));
      const facts = owned.map((r) => {
        normalizeChunk(chunkOf(r));
        return factsOfRetained(r);
      });
      const found = findOwnerProblems(owned[0].owner, facts, this.origin).map((f) => f.diag);
      if (occluded) findOccluded(key, owned[0].owner, facts, shape!, (d) => found.push(d));
      if (found.length === 0) continue;
      this.ownerFindings.set(key, found);
      for (const d of found) this.findings.push(d);
    }
  }

  /**
   * Moves the results over edits (documentMoves.ts): the `disable=` ranges at once (the syntax
   * diagnostics read them); the zone-stage results and findings before the next zoneStep() (they
   * are read only there: an edit's first publication does not wait for ~100,000 related
   * locations to move). A stage result touching an edit (even only at an end: a line break after
   * its token can re-anchor it) is re-checked, those after move.
   */
  private moveResults(moves: readonly Move[]): void {
    if (moveDisabled(moves, this.disabled)) this.disabledDirty = true;
    this.pendingMoves.push(moves);
  }

  /** Moves the zone-stage results and findings over the edits since the last call, in order. */
  private settle(): void {
    for (const moves of this.pendingMoves) moveFindings(moves, this.stages, this.findings);
    this.pendingMoves = [];
  }

  /**
   * Applies edits in file order, apart, all in the coordinates of the text before them (one edit,
   * or the edits of a Replace All that fall in one chunk): their chunks are re-parsed once.
   * Returns their moves, in file order.
   */
  private applyChanges(group: readonly TextChange[], move: boolean): Move[] {
    const moves: Move[] = [];
    for (const c of group) {
      const start = Math.max(0, Math.min(c.start, this.length));
      const end = Math.max(start, Math.min(c.end, this.length));
      moves.push({ start, end, d: c.text.length - (end - start) });
    }
    const start = moves[0].start;
    const end = moves[moves.length - 1].end;
    let d = 0;
    for (const m of moves) d += m.d;
    this.length += d;
    this.edits++;
    this.joined = undefined;
    this.whole = undefined;
    const originBefore = this.origin;
    const chunks = this.chunks;

    // Re-parse a window of chunk texts from the chunk holding the first edit (documentChunks.ts).
    const i = Math.max(0, chunkIndexAt(this.chunks, Math.max(0, start - 1)));
    const k = Math.max(i, chunkIndexAt(this.chunks, end));
    const { fresh, rejoin, scan } = reparseWindow(this.options, chunks, i, k, group, moves);
    const j = rejoin ?? chunks.length;
    // Scanned to the end: the zone origin is what the scan found (a re-join implies it is unchanged).
    if (rejoin === undefined) this.origin = scan.zoneOrigin;
    const old = chunks.slice(i, j);
    // A stage whose declared reads differ between the replaced chunks and the new ones runs again
    // (by owner, where it can): only the records that are not the same record read again are
    // compared (documentDiff.ts). Those stay the same objects (once the owner index is whole:
    // they stay in it as they are).
    const { before, after, kept } = changedParts(old, fresh, moves, this.index.complete);
    this.index.remove(old, kept);
    if (move) this.moveResults(moves);
    this.stages.replaced([before], [after]);
    const changed = (facts: (z: Part) => string[]): boolean => {
      const was = facts(before).sort();
      const now = facts(after).sort();
      return was.length !== now.length || was.some((x, n) => x !== now[n]);
    };
    if (!this.disabledDirty && changed((z) => readFacts({}, z))) this.disabledDirty = true;
    for (let m = j; m < chunks.length; m++) {
      chunks[m].start += d;
      chunks[m].end += d;
      chunks[m].delta += d;
    }
    replaceRange(chunks, i, j - i, fresh);
    this.index.add(fresh, kept);
    if (this.origin !== originBefore) { this.shape = undefined; this.allDirty = true; this.stages.reset(); this.disabledDirty = true; }
    return moves;
  }
}
