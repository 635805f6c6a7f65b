/**
 * The chunks of the incremental document (document.ts): a run of up to ENTRIES_PER_CHUNK
 * entries parsed together, with the scanner state before it and a pending shift (`delta`)
 * applied only when its contents are read.
 */
import { emptyZone, ScanState, ZoneParser } from './parser';
import { ParsedZone } from './model';
import { Span, ZoneDiagnostic } from './types';
import { AnalysisOptions } from './pipeline/stage';
import { OWNER_STAGE } from './pipeline/stages';
import { ZoneView } from './pipeline/view';
import { ZoneRecord } from './model';
import { CompactRecord } from './pipeline/compactRecord';
import { append } from './arrays';
import { TextChange } from './edits';
import type { Move } from './documentMoves';

/**
 * An edit re-parses its chunk and the next: with 64 entries (not 256) a Replace All of 1,000
 * edits on the 1M zone re-parses a quarter as much (document update ~0.75 → ~0.45 s CPU, the
 * zone stage after it ~0.6 → ~0.25 s); the open costs the same.
 */
export const ENTRIES_PER_CHUNK = 64;

export interface Chunk {
  /** Current start/end offsets in the document (always up to date). */
  start: number;
  end: number;
  /** The chunk's source text (the document is the concatenation of the chunks' texts). */
  text: string;
  /** State before the chunk's first entry. */
  before: ScanState;
  /**
   * Parsed contents; offsets are as parsed, plus `delta` (pending shift). Except the compact
   * records (pipeline/compactRecord.ts: most of them), whose offsets are relative to `start`.
   */
  zone: ParsedZone;
  delta: number;
  /**
   * Per-record check results (expired RRSIGs, …), same offset basis as `zone`; made when first
   * asked for (recordDiagsOf: the zone-wide stage reads them, the first publication does not).
   */
  recordDiags?: ZoneDiagnostic[];
}

/** True when a chunk holds a directive that spends the expansion budget ($GENERATE, $INCLUDE). */
export function spendsBudget(ch: Chunk): boolean {
  return ch.zone.directives.some((x) => x.name === '$GENERATE' || x.name === '$INCLUDE');
}

/** Equal in everything but the expansion budget (see sameBudget). */
export function sameState(a: ScanState, b: ScanState): boolean {
  return a.origin === b.origin && a.defaultTtl === b.defaultTtl && a.lastOwner === b.lastOwner &&
    a.lastTtl === b.lastTtl && a.lastClass === b.lastClass && a.sawRecord === b.sawRecord && a.zoneOrigin === b.zoneOrigin && a.zoneClass === b.zoneClass;
}

export function shiftSpan(s: Span, d: number): void {
  s.start += d;
  s.end += d;
}

/** Applies a chunk's pending shift to everything it holds. */
export function normalizeChunk(ch: Chunk): void {
  const d = ch.delta;
  if (d === 0) return;
  const z = ch.zone;
  // Records made by $GENERATE share tokens, and every record an $INCLUDE brings holds the
  // same span (its directive, which is in z.directives too): shift each object once. Elsewhere
  // every token belongs to one record (no set of a chunk's spans to build).
  const moved = spendsBudget(ch) ? new Set<Span>() : undefined;
  const move = (t: Span | undefined) => { if (t && !moved?.has(t)) { moved?.add(t); shiftSpan(t, d); } };
  for (const r of z.records) {
    // (compact records read their offsets from the chunk's start: nothing to move)
    if (r instanceof CompactRecord) continue;
    if (r.includeFile) { move(r.includeSpan); continue; }
    shiftSpan(r, d);
    move(r.ownerToken); move(r.ttlToken); move(r.classToken); move(r.typeToken);
    for (const t of r.rdata) move(t);
  }
  for (const x of z.directives) { move(x); move(x.nameToken); for (const t of x.args) move(t); }
  for (const c of z.comments) shiftSpan(c, d);
  for (const x of z.daneDirectives) { shiftSpan(x, d); for (const it of x.items) shiftSpan(it, d); }
  for (const m of z.multiLine) shiftSpan(m, d);
  for (const x of z.diagnostics) shiftSpan(x, d);
  if (ch.recordDiags) for (const x of ch.recordDiags) shiftSpan(x, d);
  ch.delta = 0;
}


/**
 * Parses `text` (which starts at document offset `base`) from `pos` with `state` into
 * chunks. With `stopAt`, stops at the first entry start p ≥ stopAt.minPos (text offsets)
 * where stopAt.match(p, state) says an old chunk boundary is re-joined.
 */
export function parseChunks(options: AnalysisOptions, text: string, base: number, pos: number, state: ScanState,
  stopAt?: { minPos: number; match: (p: number, s: ScanState) => number }): { chunks: Chunk[]; rejoin?: number } {
  const chunks: Chunk[] = [];
  let rejoin: number | undefined;
  while (pos < text.length || chunks.length === 0) {
    const zone = emptyZone();
    const before = { ...state };
    const parser = new ZoneParser(text, options, zone, options.fileName ? [options.fileName] : []);
    parser.compact = true;
    let entries = 0;
    const chunkStart = pos;
    const end = parser.parseRange(pos, text.length, state, (p, s) => {
      if (p !== chunkStart && stopAt && p >= stopAt.minPos) {
        const j = stopAt.match(p, s);
        if (j >= 0) { rejoin = j; return false; }
      }
      return p === chunkStart || ++entries < ENTRIES_PER_CHUNK;
    });
    // Offsets inside are relative to `text`: the pending shift `base` makes them absolute.
    const chunk: Chunk = { start: base + chunkStart, end: base + end, text: text.slice(chunkStart, end), before, zone, delta: base };
    // Compact records: offsets from here on relative to the chunk (its start moves, not them).
    for (const r of zone.records) {
      if (r instanceof CompactRecord) r.rebase(chunk, chunkStart);
      else plainChunks.set(r, chunk);
    }
    chunks.push(chunk);
    pos = end;
    if (rejoin !== undefined || pos >= text.length) break;
  }
  return { chunks, rejoin };
}

/** The chunk's per-record check results (made now if not yet: the chunk is brought up to date first, so they are in its records' basis). */
export function recordDiagsOf(ch: Chunk, options: AnalysisOptions): ZoneDiagnostic[] {
  if (ch.recordDiags) return ch.recordDiags;
  normalizeChunk(ch);
  const out: ZoneDiagnostic[] = [];
  for (const r of ch.zone.records) for (const check of OWNER_STAGE.recordChecks) check(r, options, out);
  return (ch.recordDiags = out);
}

/** The chunks of the records that are not compact ($INCLUDE, $GENERATE, quoted owners): a compact record's frame is its chunk. */
const plainChunks = new WeakMap<ZoneRecord, Chunk>();

/** The chunk that holds a record of the document (for its pending shift and its place). */
export function chunkOf(r: ZoneRecord): Chunk {
  return r instanceof CompactRecord ? (r.frame as Chunk) : plainChunks.get(r)!;
}

/** A record's current start in the document (for included records: their $INCLUDE line). */
export function absStart(r: ZoneRecord): number {
  if (r instanceof CompactRecord) return r.start;
  return (r.includeFile ? (r.includeSpan?.start ?? 0) : r.start) + chunkOf(r).delta;
}

/**
 * A view answering `recordsAt` from `recordsAt` (the owner index: every record at the owner, in
 * a new array; only the chunks holding them are brought up to date) and `hasType` from the owner
 * index, `daneDirectives` from `daneDirectives()` (the document reads only the chunks that have
 * some); anything else from `whole()`, the whole parse.
 */
export function ownerIndexView(recordsAt: (key: string) => ZoneRecord[], zoneOrigin: string | undefined, whole: () => ZoneView, hasType: ZoneView['hasType'],
  daneDirectives: () => ZoneView['daneDirectives'] = () => whole().daneDirectives): ZoneView {
  return {
    zoneOrigin,
    records: (...types) => whole().records(...types),
    allRecords: () => whole().allRecords(),
    recordsAt: (key) => {
      const owned = recordsAt(key);
      for (const r of owned) normalizeChunk(chunkOf(r));
      return owned.sort((a, b) => absStart(a) - absStart(b));
    },
    hasType,
    get hasDnssecRecords() { return whole().hasDnssecRecords; },
    get daneDirectives() { return daneDirectives(); },
    get directives() { return whole().directives; },
  };
}

/**
 * One of a parse's lists (`items(ch)` of each chunk, in order) as an array read through the
 * chunks, with no copy of its items: a hover after an edit reads a few records of a
 * million-record zone and must not copy them all (a `slice()` of each list was 6–30 ms per
 * version). Reading item i brings the chunk that holds it up to date (its pending shift). A
 * reader of every item (for…of, forEach, filter, slice, …: the DNSSEC and DANE stages) gets the
 * items joined once into a plain array, every chunk brought up to date, and runs on it. The
 * chunks' lists are not changed once made, so `chunks` (a copy) is a version that stays.
 */
export function chunkList<T>(chunks: readonly Chunk[], items: (ch: Chunk) => readonly T[]): T[] {
  // (counted when the list is first read: a hover reads one or two of a parse's six lists)
  let ends: Int32Array | undefined;
  let n = 0;
  const count = (): Int32Array => {
    if (ends) return ends;
    ends = new Int32Array(chunks.length);
    for (let k = 0; k < chunks.length; k++) ends[k] = n += items(chunks[k]).length;
    return ends;
  };
  let joined: T[] | undefined;
  const whole = (): T[] => {
    if (joined) return joined;
    const out: T[] = [];
    for (const ch of chunks) {
      const list = items(ch);
      // (only the chunks holding some: the few `; dane-zone` directives bring no chunk else up to date)
      if (list.length > 0 && ch.delta !== 0) normalizeChunk(ch);
      append(out, list);
    }
    return (joined = out);
  };
  // (the chunk of the last item read: readers mostly go in order or near it)
  let last = 0;
  const item = (i: number): T => {
    const ends = count();
    let k = last;
    if (!(i < ends[k] && (k === 0 || i >= ends[k - 1]))) {
      let lo = 0;
      let hi = chunks.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ends[mid] > i) hi = mid; else lo = mid + 1;
      }
      k = last = lo;
    }
    const ch = chunks[k];
    if (ch.delta !== 0) normalizeChunk(ch);
    return items(ch)[i - (k === 0 ? 0 : ends[k - 1])];
  };
  return new Proxy([] as T[], {
    get(_target, p) {
      if (typeof p === 'string') {
        const c = p.charCodeAt(0);
        if (c >= 48 && c <= 57) {
          const i = Number(p);
          if (Number.isInteger(i)) return i < (count(), n) ? (joined ? joined[i] : item(i)) : undefined;
        }
        if (p === 'length') return count(), n;
      }
      const list = whole();
      const v = Reflect.get(list, p, list);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(list) : v;
    },
    has: (_target, p) => Reflect.has(whole(), p),
    ownKeys: () => Reflect.ownKeys(whole()),
    getOwnPropertyDescriptor: (_target, p) => Reflect.getOwnPropertyDescriptor(whole(), p),
    set: () => false,
  });
}

/**
 * Re-parses the chunks from `i` for the edits `group` (in file order, apart, in the coordinates
 * of the text before them; `moves` are their spans and length changes) that fall in chunks i..k:
 * an edit at a chunk's very start can join the previous line, so the window starts at chunk i
 * (the caller's choice) and runs over a few chunks after k, widened until the scan re-joins an
 * old chunk boundary with the same state, or reaches the end. Returns the new chunks, the old
 * chunk the scan re-joined (undefined: it reached the end) and the scanner state there; the
 * chunks from the re-join on get the change of the $GENERATE/$INCLUDE budget, if any.
 */
export function reparseWindow(options: AnalysisOptions, chunks: Chunk[], i: number, k: number, group: readonly TextChange[], moves: readonly Move[]):
  { fresh: Chunk[]; rejoin: number | undefined; scan: ScanState } {
  const base = chunks[i].start;
  const end = moves[moves.length - 1].end;
  let d = 0;
  for (const m of moves) d += m.d;
  // (the last chunk that spends the $GENERATE/$INCLUDE budget: found when a budget differs)
  let lastSpender: number | undefined;
  const spender = (): number => {
    if (lastSpender === undefined) for (lastSpender = chunks.length - 1; lastSpender >= 0 && !spendsBudget(chunks[lastSpender]);) lastSpender--;
    return lastSpender;
  };
  // Where the window's scan may stop: after the last edit's new text (window offsets).
  const minPos = end - base + d;
  let extra = 1;
  let fresh: Chunk[];
  let rejoin: number | undefined;
  let scan: ScanState;
  for (;;) {
    const last = Math.min(chunks.length - 1, k + extra);
    let old = '';
    for (let m = i; m <= last; m++) old += chunks[m].text;
    let window = '';
    let at = 0;
    for (let n = 0; n < group.length; n++) {
      window += old.slice(at, moves[n].start - base) + group[n].text;
      at = moves[n].end - base;
    }
    window += old.slice(at);
    const match = (p: number, s: ScanState): number => {
      // Old chunk starts after the edits, in new-text coordinates.
      const oldPos = base + p - d;
      let lo = k + 1;
      let hi = last;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const st = chunks[mid].start;
        if (st === oldPos) {
          const was = chunks[mid].before;
          if (!sameState(was, s)) return -1;
          // A changed budget matters only to later $GENERATE/$INCLUDE lines; otherwise the
          // later chunks' states are shifted by the difference below.
          if ((was.expanded !== s.expanded || was.expandedChars !== s.expandedChars) && mid <= spender()) return -1;
          return mid;
        }
        if (st < oldPos) lo = mid + 1; else hi = mid - 1;
      }
      return -1;
    };
    scan = { ...chunks[i].before };
    ({ chunks: fresh, rejoin } = parseChunks(options, window, base, 0, scan, { minPos, match }));
    if (rejoin !== undefined || last === chunks.length - 1) break;
    extra *= 4;
  }
  const j = rejoin ?? chunks.length;
  if (rejoin !== undefined) {
    const dr = scan!.expanded - chunks[j].before.expanded;
    const dc = scan!.expandedChars - chunks[j].before.expandedChars;
    if (dr !== 0 || dc !== 0) {
      for (let m = j; m < chunks.length; m++) { chunks[m].before.expanded += dr; chunks[m].before.expandedChars += dc; }
    }
  }
  return { fresh, rejoin, scan: scan! };
}

/** The chunk holding `offset` (the last one past the end; -1: no chunk). */
export function chunkIndexAt(chunks: readonly Chunk[], offset: number): number {
  let lo = 0;
  let hi = chunks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const ch = chunks[mid];
    if (offset < ch.start) hi = mid - 1;
    else if (offset >= ch.end && mid < chunks.length - 1) lo = mid + 1;
    else return mid;
  }
  return chunks.length ? Math.max(0, Math.min(lo, chunks.length - 1)) : -1;
}

/**
 * Edits last first, apart, cut into groups (each in file order) of those that fall in the
 * same chunk: a group re-parses its chunks once.
 */
export function chunkGroups(chunks: readonly Chunk[], length: number, changes: readonly TextChange[]): TextChange[][] {
  const out: TextChange[][] = [];
  let group: TextChange[] = [];
  let first = -1;
  for (const c of changes) {
    if (group.length > 0 && chunkIndexAt(chunks, Math.min(c.end, length)) < first) { out.push(group.reverse()); group = []; }
    group.push(c);
    first = Math.max(0, chunkIndexAt(chunks, Math.max(0, Math.min(c.start, length) - 1)));
  }
  if (group.length > 0) out.push(group.reverse());
  return out;
}
