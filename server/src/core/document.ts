import { AnalysisOptions, applySeverities } from './analysis';
import { checkRecord, factsOfRetained, findOwnerProblems } from './checks/zone';
import { ParsedZone, ZoneRecord } from './model';
import { emptyZone, initialState, ScanState, ZoneParser } from './parser';
import { Span, Token, ZoneDiagnostic } from './types';

/**
 * An open zone document that re-analyses only what an edit touched.
 *
 * The text is parsed in chunks of entries; each chunk remembers the scanner state before
 * it. An edit re-parses from the chunk that holds it until the scan re-joins an old chunk
 * boundary with the same state; later chunks only move by the edit's length (lazily: a
 * chunk keeps a pending `delta` that is applied when its contents are read). Zone-wide
 * checks are kept per owner name and re-run only for owners whose records changed.
 */

const ENTRIES_PER_CHUNK = 256;

interface Chunk {
  /** Current start/end offsets in the document (always up to date). */
  start: number;
  end: number;
  /** State before the chunk's first entry. */
  before: ScanState;
  /** Parsed contents; offsets are as parsed, plus `delta` (pending shift). */
  zone: ParsedZone;
  delta: number;
  /** Per-record check results (expired RRSIGs), same offset basis as `zone`. */
  recordDiags: ZoneDiagnostic[];
}

interface Anchored {
  diag: ZoneDiagnostic;
  record: ZoneRecord;
  /** The record's absolute start when the diagnostic was computed. */
  anchor: number;
}

export interface TextChange {
  /** Offsets in the text before this change. */
  start: number;
  end: number;
  text: string;
}

function sameState(a: ScanState, b: ScanState): boolean {
  return a.origin === b.origin && a.defaultTtl === b.defaultTtl && a.lastOwner === b.lastOwner &&
    a.lastTtl === b.lastTtl && a.lastClass === b.lastClass && a.sawRecord === b.sawRecord && a.zoneOrigin === b.zoneOrigin;
}

function anchorOf(r: ZoneRecord): number {
  return r.includeFile ? (r.includeSpan?.start ?? 0) : r.start;
}

function shiftSpan(s: Span, d: number): void {
  s.start += d;
  s.end += d;
}

export class ZoneDocument {
  private textValue: string;
  private chunks: Chunk[] = [];
  private readonly chunkOf = new WeakMap<ZoneRecord, Chunk>();
  private readonly owners = new Map<string, Set<ZoneRecord>>();
  private readonly ownerFindings = new Map<string, Anchored[]>();
  private readonly dirtyOwners = new Set<string>();
  private zoneOrigin?: string;

  constructor(text: string, private options: AnalysisOptions = {}) {
    this.textValue = text;
    this.chunks = this.parseFrom(0, initialState(options), undefined).chunks;
    this.index(this.chunks);
  }

  get text(): string {
    return this.textValue;
  }

  /** Applies edits in order (offsets of each refer to the text after the previous ones). */
  update(changes: TextChange[]): void {
    for (const c of changes) this.applyChange(c);
  }

  /** Replaces the options (severities, clock…) and re-analyses everything. */
  setOptions(options: AnalysisOptions): void {
    this.options = options;
    this.reset(this.textValue);
  }

  reset(text: string): void {
    this.textValue = text;
    this.owners.clear();
    this.ownerFindings.clear();
    this.dirtyOwners.clear();
    this.chunks = this.parseFrom(0, initialState(this.options), undefined).chunks;
    this.index(this.chunks);
  }

  /** Syntax and per-record diagnostics, in file order (the fast first stage). */
  syntaxDiagnostics(): ZoneDiagnostic[] {
    const out: ZoneDiagnostic[] = [];
    for (const ch of this.chunks) {
      for (const d of ch.zone.diagnostics) out.push(ch.delta ? { ...d, start: d.start + ch.delta, end: d.end + ch.delta } : d);
    }
    return applySeverities(out, this.options.severity);
  }

  /** Zone-wide diagnostics (re-checks only owners touched since the last call). */
  zoneDiagnostics(): ZoneDiagnostic[] {
    this.recheckOwners();
    const out: ZoneDiagnostic[] = [];
    for (const ch of this.chunks) {
      for (const d of ch.recordDiags) out.push(ch.delta ? { ...d, start: d.start + ch.delta, end: d.end + ch.delta } : d);
    }
    for (const list of this.ownerFindings.values()) {
      for (const a of list) {
        const shift = this.absStart(a.record) - a.anchor;
        out.push(shift ? { ...a.diag, start: a.diag.start + shift, end: a.diag.end + shift } : a.diag);
      }
    }
    out.sort((a, b) => a.start - b.start);
    return applySeverities(out, this.options.severity);
  }

  diagnostics(): ZoneDiagnostic[] {
    return [...this.syntaxDiagnostics(), ...this.zoneDiagnostics()];
  }

  /** The whole parse, offsets current (O(size): for outline, folding and the like). */
  get parsed(): ParsedZone {
    const out = emptyZone();
    for (const ch of this.chunks) {
      this.normalize(ch);
      out.records.push(...ch.zone.records);
      out.directives.push(...ch.zone.directives);
      out.comments.push(...ch.zone.comments);
      out.daneDirectives.push(...ch.zone.daneDirectives);
      out.multiLine.push(...ch.zone.multiLine);
      out.diagnostics.push(...ch.zone.diagnostics);
    }
    out.zoneOrigin = this.zoneOrigin;
    return out;
  }

  /** The records whose span contains `offset` or starts on its line (cheap: one chunk). */
  recordsNear(offset: number): ZoneRecord[] {
    const i = this.chunkIndexAt(offset);
    if (i < 0) return [];
    const ch = this.chunks[i];
    this.normalize(ch);
    return ch.zone.records.filter((r) => !r.includeFile && r.start <= offset && offset <= r.end);
  }

  // ---- internals -------------------------------------------------------------------

  /** A record's current start in this document (for included records: their $INCLUDE line). */
  private absStart(r: ZoneRecord): number {
    const ch = this.chunkOf.get(r);
    return anchorOf(r) + (ch ? ch.delta : 0);
  }

  /** Applies a chunk's pending shift to everything it holds. */
  private normalize(ch: Chunk): void {
    const d = ch.delta;
    if (d === 0) return;
    const z = ch.zone;
    const moved = new Set<Token>();
    const move = (t: Token | undefined) => { if (t && !moved.has(t)) { moved.add(t); shiftSpan(t, d); } };
    for (const r of z.records) {
      if (r.includeFile) { if (r.includeSpan) shiftSpan(r.includeSpan, d); continue; }
      shiftSpan(r, d);
      move(r.ownerToken); move(r.ttlToken); move(r.classToken); move(r.typeToken);
      for (const t of r.rdata) move(t);
    }
    for (const x of z.directives) { shiftSpan(x, d); move(x.nameToken); for (const t of x.args) move(t); }
    for (const c of z.comments) shiftSpan(c, d);
    for (const x of z.daneDirectives) { shiftSpan(x, d); for (const it of x.items) shiftSpan(it, d); }
    for (const m of z.multiLine) shiftSpan(m, d);
    for (const x of z.diagnostics) shiftSpan(x, d);
    for (const x of ch.recordDiags) shiftSpan(x, d);
    ch.delta = 0;
  }

  private chunkIndexAt(offset: number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const ch = this.chunks[mid];
      if (offset < ch.start) hi = mid - 1;
      else if (offset >= ch.end && mid < this.chunks.length - 1) lo = mid + 1;
      else return mid;
    }
    return this.chunks.length ? Math.max(0, Math.min(lo, this.chunks.length - 1)) : -1;
  }

  /**
   * Parses chunks from `pos` with `state`. With `stopAt`, stops at the first entry start
   * p ≥ stopAt.minPos where stopAt.match(p, state) says an old chunk boundary is re-joined.
   */
  private parseFrom(pos: number, state: ScanState, stopAt?: { minPos: number; match: (p: number, s: ScanState) => number }):
    { chunks: Chunk[]; rejoin?: number } {
    const text = this.textValue;
    const chunks: Chunk[] = [];
    let rejoin: number | undefined;
    while (pos < text.length || chunks.length === 0) {
      const zone = emptyZone();
      const before = { ...state };
      const parser = new ZoneParser(text, this.options, zone, this.options.fileName ? [this.options.fileName] : []);
      let entries = 0;
      const chunkStart = pos;
      const end = parser.parseRange(pos, text.length, state, (p, s) => {
        if (p !== chunkStart && stopAt && p >= stopAt.minPos) {
          const j = stopAt.match(p, s);
          if (j >= 0) { rejoin = j; return false; }
        }
        return p === chunkStart || ++entries < ENTRIES_PER_CHUNK;
      });
      const recordDiags: ZoneDiagnostic[] = [];
      for (const r of zone.records) for (const d of checkRecord(r, this.options)) recordDiags.push(d);
      chunks.push({ start: chunkStart, end, before, zone, delta: 0, recordDiags });
      pos = end;
      if (rejoin !== undefined || pos >= text.length) break;
    }
    // Scanned to the end: the zone origin is what the scan found (a re-join implies it is unchanged).
    if (rejoin === undefined) this.zoneOrigin = state.zoneOrigin;
    return { chunks, rejoin };
  }

  private index(chunks: Chunk[]): void {
    for (const ch of chunks) {
      for (const r of ch.zone.records) {
        this.chunkOf.set(r, ch);
        if (!r.owner || r.typeCode === 0) continue;
        let set = this.owners.get(r.ownerKey);
        if (!set) this.owners.set(r.ownerKey, (set = new Set()));
        set.add(r);
        this.dirtyOwners.add(r.ownerKey);
      }
    }
  }

  private unindex(chunks: Chunk[]): void {
    for (const ch of chunks) {
      for (const r of ch.zone.records) {
        const set = this.owners.get(r.ownerKey);
        if (!set) continue;
        set.delete(r);
        this.dirtyOwners.add(r.ownerKey);
        if (set.size === 0) this.owners.delete(r.ownerKey);
      }
    }
  }

  private recheckOwners(): void {
    for (const key of this.dirtyOwners) {
      const set = this.owners.get(key);
      if (!set) { this.ownerFindings.delete(key); continue; }
      const records = [...set];
      records.sort((a, b) => this.absStart(a) - this.absStart(b));
      const facts = records.map((r) => {
        const ch = this.chunkOf.get(r);
        if (ch) this.normalize(ch);
        return factsOfRetained(r);
      });
      const found = findOwnerProblems(records[0].owner, facts, this.zoneOrigin);
      if (found.length === 0) this.ownerFindings.delete(key);
      else this.ownerFindings.set(key, found.map((f) => ({ diag: f.diag, record: f.fact.record!, anchor: anchorOf(f.fact.record!) })));
    }
    this.dirtyOwners.clear();
  }

  private applyChange(c: TextChange): void {
    const old = this.textValue;
    const start = Math.max(0, Math.min(c.start, old.length));
    const end = Math.max(start, Math.min(c.end, old.length));
    const d = c.text.length - (end - start);
    this.textValue = old.slice(0, start) + c.text + old.slice(end);
    const originBefore = this.zoneOrigin;

    // The chunk holding the edit (an edit at a chunk's very start can join the previous line).
    let i = this.chunkIndexAt(Math.max(0, start - 1));
    if (i < 0) i = 0;
    const first = this.chunks[i];
    this.normalize(first);
    // Old chunk starts after the edit, in new-text coordinates.
    const chunks = this.chunks;
    const match = (p: number, s: ScanState): number => {
      let lo = i + 1;
      let hi = chunks.length - 1;
      const oldPos = p - d;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const st = chunks[mid].start;
        if (st === oldPos) return sameState(chunks[mid].before, s) ? mid : -1;
        if (st < oldPos) lo = mid + 1; else hi = mid - 1;
      }
      return -1;
    };
    const { chunks: fresh, rejoin } = this.parseFrom(first.start, { ...first.before }, { minPos: start + c.text.length, match });
    const j = rejoin ?? chunks.length;
    const removed = chunks.slice(i, j);
    this.unindex(removed);
    for (let k = j; k < chunks.length; k++) {
      chunks[k].start += d;
      chunks[k].end += d;
      chunks[k].delta += d;
    }
    chunks.splice(i, j - i, ...fresh);
    this.index(fresh);
    if (this.zoneOrigin !== originBefore) for (const k of this.owners.keys()) this.dirtyOwners.add(k);
  }
}
