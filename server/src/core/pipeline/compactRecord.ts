/**
 * Records without their token objects: the streaming CLI keeps them for the zone stages
 * (ViewCollector), and the open document holds them (document.ts, documentChunks.ts). Tokens
 * hold most of a record's memory (an object and a string each), and readers ask for them only
 * to report a finding, build a fix or answer a hover, on a few records. A compact record keeps
 * the position of its entry in a text and where its owner, TTL, class and type tokens start; the
 * tokens are read again from the text (the lexer is deterministic from an entry's start) the
 * first time anything asks for one, then cached. The record's other fields are copied as they are.
 *
 * Positions are kept relative to the record's frame (`RecordFrame`: a text and where it starts
 * in the document) and read as `frame.start + offset`: the CLI's frame is the whole file at 0;
 * a document's record sits in its chunk, and when an edit before the chunk moves it, the chunk's
 * start moves and every record in it reads its new offsets at no cost per record. Tokens made
 * before a move are brought up to date when next asked for.
 *
 * Only records read from the document's own text are compacted: records from $INCLUDEd files
 * (their spans are in another text) and from $GENERATE (their tokens are made, not read) stay
 * as the parser made them.
 */
import { readEntry } from '../lexer';
import { ZoneRecord } from '../model';
import { Token } from '../types';
import { typeName } from '../rrtypes';
import { forgetTokens, keptTokens, PARTS, partsOf } from './recordTokens';

export const NONE = -1;

/** Where the wire form is in the array `wireSpanOf` (or CompactRecord.wireSpan) returned last. */
export let wireOffset = 0;
export let wireLength = 0;

/** A record's wire form as an array and the span `wireOffset`, `wireLength` in it (no view made for a compact record); undefined: none. */
export function wireSpanOf(r: ZoneRecord): Uint8Array | undefined {
  if (r instanceof CompactRecord) return r.wireSpan();
  const w = r.wire;
  if (w !== undefined) { wireOffset = 0; wireLength = w.length; }
  return w;
}

/** The text a compact record was read from, and where that text starts in its document (the offset its positions are relative to). */
export interface RecordFrame {
  readonly text: string;
  readonly start: number;
}

/**
 * A record without its token objects: the parser makes these in streaming mode and for the
 * document (parser.ts). The owner, TTL, class and type tokens are made from their stored spans
 * when asked (each is plain and unquoted in such a record); the RDATA tokens by reading the
 * entry again, then cached. A record moved onto a document's chunk (`rebase`) keeps the tokens
 * it made while it is among the last RECENT records asked (recordTokens.ts), so a feature that compares tokens by
 * identity sees the same ones (and a zone stage reading every record keeps none of them).
 *
 * A million of these live as long as the document (or the CLI's run): every field costs 8 MB
 * and the scavenger's time to copy them, so the record holds 10 fields (104 bytes): the owner
 * and its key share one field when equal (they are for a lower-case zone), class and type one
 * number, the frame and origin one object shared by the records read in a row with both
 * (`Place`), the end is a length in `bits`, and tokens made are kept aside (`partsOf`).
 */
export const OK = 1 << 12;
const LEN = 0xf, SLIM = 1 << 13, KEEP = 1 << 14, FAR = 1 << 15;
/** The entry's length (the record's end from its entry's start) in bits 16-29 of `bits`, up to MAX_LENGTH (else in `far`). */
const LENGTH_SHIFT = 16, LENGTH_MASK = 0x3fff, MAX_LENGTH = 0x3ffe;

/**
 * The record's start and its owner, TTL, class and type tokens' positions are kept as offsets
 * from its entry's start, 10 bits each, three to a number (NO: none); a record where one does
 * not fit (a token more than MAX_OFFSET characters into its entry, or an entry longer than
 * MAX_LENGTH) keeps them and its end exactly in `far`.
 */
const MASK = 0x3ff, NO = 0x3ff, MAX_OFFSET = 0x3fe;
const NO_HEADS = NO | (NO << 10) | (NO << 20);
const far = new WeakMap<CompactRecord, Int32Array>();
/** The slot of the end in `far` (after start, owner start, owner end, TTL, class, type). */
const END = 6;

/** A record's frame and origin: records read in a row share one (a field of the record for the two). */
/**
 * The owner token's start and end in the document of a record kept as `unpack`'s fields (no
 * positions in `far`), written to `spans[at]` and `spans[at + 1]` without making the record;
 * false when its owner is blank (nothing written).
 */
export function packedOwnerSpan(pl: Place, entryStart: number, pos: number, spans: Int32Array | Float64Array, at: number): boolean {
  const os = (pos >>> 10) & MASK;
  if (os === NO) return false;
  const base = pl.fr.start + entryStart;
  spans[at] = base + os;
  spans[at + 1] = base + ((pos >>> 20) & MASK);
  return true;
}

export interface Place {
  readonly fr: RecordFrame;
  readonly origin: string | undefined;
}
let lastPlace: Place = { fr: { text: '', start: 0 }, origin: undefined };
function placeOf(fr: RecordFrame, origin: string | undefined): Place {
  if (lastPlace.fr !== fr || lastPlace.origin !== origin) lastPlace = { fr, origin };
  return lastPlace;
}

/**
 * (Its fields are not private: pipeline/keptColumns.ts keeps a kept record's fields in columns,
 * `packable` says when they are all of it, and makes the record again with `unpack`.)
 */
export class CompactRecord implements ZoneRecord {
  /** The owner when it is its own key (a lower-case name), else [owner, key]. */
  o: string | [string, string] = '';
  ttl?: number = undefined;
  /** The type (bits 0-15) and class (16-31). */
  ct = 1 << 16;
  /** Its frame and origin. */
  pl: Place;
  /**
   * From the entry's start: the record's start (bits 0-9), its owner token's start (10-19) and
   * end (20-29); NO: a blank owner. The owner is not always at the record's start: `(www A 192.0.2.1)`.
   */
  pos = NO_HEADS & ~MASK;
  /** From the entry's start: where the TTL (bits 0-9), class (10-19) and type (20-29) tokens start (NO: none); their lengths are in `bits`. */
  heads = NO_HEADS;
  /**
   * Packed, to keep a kept record small: the lengths of the type (bits 0-3), class (4-7) and
   * TTL (8-11) tokens (15: longer, read from the entry), `ok` (bit 12), `slim` (bit 13),
   * the tokens are kept once made (bit 14: a document's record), positions kept in `far` (bit 15),
   * the entry's length (bits 16-29, when not FAR), tokens made are in `partsOf` (bit 30).
   */
  bits = OK;
  /**
   * The wire form: `wireAt` -1: `wireIn` is it (or undefined); else it is `wireAt & 0x3ff`
   * octets at `wireAt >> 10` in the buffer `wireIn` (a collector's slab: no view object per
   * kept record).
   */
  wireIn?: Uint8Array = undefined;
  wireAt = -1;

  /** `entryStart`: where the record's entry starts in the document (the frame's start + its offset in the frame's text). */
  constructor(fr: RecordFrame, public entryStart: number, origin?: string) {
    this.pl = placeOf(fr, origin);
    this.entryStart = entryStart - fr.start;
  }

  private get fr(): RecordFrame { return this.pl.fr; }

  /** Its fields are all of it: no positions in `far`, no tokens made (what a column store can keep). */
  get packable(): boolean { return (this.bits & (FAR | PARTS)) === 0; }

  /** A record made again from the fields a column store kept (keptColumns.ts). */
  static unpack(pl: Place, entryStart: number, o: string | [string, string], ttl: number | undefined, ct: number, pos: number, heads: number,
    bits: number, wireIn: Uint8Array | undefined, wireAt: number): CompactRecord {
    // (the constructor's placeOf then finds `pl`: no Place made per record)
    lastPlace = pl;
    const c = new CompactRecord(pl.fr, pl.fr.start + entryStart, pl.origin);
    c.pl = pl; c.o = o; c.ttl = ttl; c.ct = ct; c.pos = pos; c.heads = heads; c.bits = bits; c.wireIn = wireIn; c.wireAt = wireAt;
    return c;
  }
  get origin(): string | undefined { return this.pl.origin; }
  set origin(v: string | undefined) { if (v !== this.pl.origin) this.pl = placeOf(this.pl.fr, v); }

  /**
   * A record read by the parser from `frame` (at 0: its positions are the text's), with the
   * head tokens `ttlAt`, `classAt`, `typeAt` of the scan (NONE: absent) and token 0 as its
   * owner unless `blankOwner`: every field set at once (the parser makes a million).
   */
  static fromScan(
    frame: RecordFrame, s: { start: number; end: number; starts: Int32Array; ends: Int32Array }, blankOwner: boolean,
    owner: string, ownerKey: string, ttl: number | undefined, classCode: number, typeCode: number, ok: boolean, origin: string | undefined,
    ttlAt: number, classAt: number, typeAt: number,
  ): CompactRecord {
    const e0 = s.start;
    const c = new CompactRecord(frame, e0, origin);
    c.setNames(owner, ownerKey);
    c.ttl = ttl;
    c.ct = typeCode + classCode * 0x10000;
    const starts = s.starts, ends = s.ends;
    const start = blankOwner ? starts[0] : e0;
    const length = s.end - e0;
    const ownerStart = blankOwner ? NO : starts[0] - e0, ownerEnd = blankOwner ? NO : ends[0] - e0;
    const ts = ttlAt === NONE ? NO : starts[ttlAt] - e0, cs = classAt === NONE ? NO : starts[classAt] - e0, ys = typeAt === NONE ? NO : starts[typeAt] - e0;
    if (start - e0 <= MAX_OFFSET && (blankOwner || ownerEnd <= MAX_OFFSET) && (ttlAt === NONE || ts <= MAX_OFFSET) &&
      (classAt === NONE || cs <= MAX_OFFSET) && (typeAt === NONE || ys <= MAX_OFFSET) && length <= MAX_LENGTH) {
      c.pos = (start - e0) | (ownerStart << 10) | (ownerEnd << 20);
      c.heads = ts | (cs << 10) | (ys << 20);
      let bits = (length << LENGTH_SHIFT) | (ok ? OK : 0);
      if (ttlAt !== NONE) bits |= Math.min(ends[ttlAt] - starts[ttlAt], LEN) << 8;
      if (classAt !== NONE) bits |= Math.min(ends[classAt] - starts[classAt], LEN) << 4;
      if (typeAt !== NONE) bits |= Math.min(ends[typeAt] - starts[typeAt], LEN);
      c.bits = bits;
      return c;
    }
    // a position too far into its entry: the general setters keep them exactly
    c.start = start + frame.start;
    c.end = s.end + frame.start;
    c.ok = ok;
    if (!blankOwner) { c.ownerStart = starts[0] + frame.start; c.ownerEnd = ends[0] + frame.start; }
    if (ttlAt !== NONE) c.setTtl(starts[ttlAt] + frame.start, ends[ttlAt] + frame.start);
    if (classAt !== NONE) c.setClass(starts[classAt] + frame.start, ends[classAt] + frame.start);
    if (typeAt !== NONE) c.setType(starts[typeAt] + frame.start, ends[typeAt] + frame.start);
    return c;
  }

  get owner(): string {
    const o = this.o;
    return typeof o === 'string' ? o : o[0];
  }
  set owner(v: string) {
    this.setNames(v, this.ownerKey);
  }
  get ownerKey(): string {
    const o = this.o;
    return typeof o === 'string' ? o : o[1];
  }
  set ownerKey(k: string) {
    this.setNames(this.owner, k);
  }
  /** Owner and key in one field: the key alone when they are equal (most owners). */
  private setNames(owner: string, key: string): void {
    this.o = owner === key ? key : [owner, key];
  }
  get typeCode(): number { return this.ct & 0xffff; }
  set typeCode(v: number) { this.ct = v + (this.ct - (this.ct & 0xffff)); }
  get classCode(): number { return this.ct >>> 16; }
  set classCode(v: number) { this.ct = (this.ct & 0xffff) + v * 0x10000; }

  /** Position `slot` (0 start, 1 owner start, 2 owner end, 3 TTL, 4 class, 5 type, 6 end), relative to the frame (-1: none). */
  private getAt(slot: number): number {
    if (this.bits & FAR) return far.get(this)![slot];
    if (slot === END) return this.entryStart + ((this.bits >>> LENGTH_SHIFT) & LENGTH_MASK);
    const d = ((slot < 3 ? this.pos : this.heads) >>> (10 * (slot % 3))) & MASK;
    return d === NO ? NONE : this.entryStart + d;
  }

  private setAt(slot: number, rel: number): void {
    if ((this.bits & FAR) === 0) {
      const d = rel === NONE ? NO : rel - this.entryStart;
      if (slot === END) {
        if (d >= 0 && d <= MAX_LENGTH) {
          this.bits = (this.bits & ~(LENGTH_MASK << LENGTH_SHIFT)) | (d << LENGTH_SHIFT);
          return;
        }
      } else if (rel === NONE || (d >= 0 && d <= MAX_OFFSET)) {
        const shift = 10 * (slot % 3);
        if (slot < 3) this.pos = (this.pos & ~(MASK << shift)) | (d << shift);
        else this.heads = (this.heads & ~(MASK << shift)) | (d << shift);
        return;
      }
      const exact = new Int32Array(7);
      for (let k = 0; k < 7; k++) exact[k] = this.getAt(k);
      far.set(this, exact);
      this.bits |= FAR;
    }
    far.get(this)![slot] = rel;
  }

  /** The record's start, its owner token's span, its TTL, class and type tokens' starts, its end: relative to the frame (-1: none). */
  private get s(): number { return this.getAt(0); }
  private set s(v: number) { this.setAt(0, v); }
  private get os(): number { return this.getAt(1); }
  private set os(v: number) { this.setAt(1, v); }
  private get oe(): number { return this.getAt(2); }
  private set oe(v: number) { this.setAt(2, v); }
  private get ts(): number { return this.getAt(3); }
  private set ts(v: number) { this.setAt(3, v); }
  private get cs(): number { return this.getAt(4); }
  private set cs(v: number) { this.setAt(4, v); }
  private get ys(): number { return this.getAt(5); }
  private set ys(v: number) { this.setAt(5, v); }
  private get e(): number { return this.getAt(END); }
  private set e(v: number) { this.setAt(END, v); }

  /** The text the record was read from and where it starts (a document's record: its chunk). */
  get frame(): RecordFrame {
    return this.fr;
  }

  /** Copies a record made with its tokens (the collector, for records not made compact by the parser). */
  static of(r: ZoneRecord, text: string, entryStart: number): CompactRecord {
    const c = new CompactRecord({ text, start: 0 }, entryStart);
    c.start = r.start;
    c.end = r.end;
    c.owner = r.owner;
    c.ownerKey = r.ownerKey;
    c.ttl = r.ttl;
    c.classCode = r.classCode;
    c.typeCode = r.typeCode;
    c.wire = r.wire;
    c.ok = r.ok;
    c.origin = r.origin;
    if (r.ownerToken) { c.ownerStart = r.ownerToken.start; c.ownerEnd = r.ownerToken.end; }
    if (r.ttlToken) c.setTtl(r.ttlToken.start, r.ttlToken.end);
    if (r.classToken) c.setClass(r.classToken.start, r.classToken.end);
    if (r.typeToken) c.setType(r.typeToken.start, r.typeToken.end);
    return c;
  }

  /**
   * Moves the record onto `frame`, whose text starts at offset `at` of the current frame's text
   * (the parse's text → its chunk's). From then on its tokens, once made, are kept and moved with
   * the frame.
   */
  rebase(frame: RecordFrame, at: number): void {
    this.pl = placeOf(frame, this.pl.origin);
    // (the other positions are kept from the entry's start: they move with it)
    this.entryStart -= at;
    if (this.bits & FAR) {
      const exact = far.get(this)!;
      for (let k = 0; k < 7; k++) if (exact[k] !== NONE) exact[k] -= at;
    }
    forgetTokens(this);
    this.bits |= KEEP;
  }

  get start(): number { return this.fr.start + this.s; }
  set start(v: number) { this.s = v - this.fr.start; }
  get end(): number { return this.fr.start + this.e; }
  set end(v: number) { this.e = v - this.fr.start; }

  private abs(rel: number): number { return rel === NONE ? NONE : this.fr.start + rel; }
  private rel(abs: number): number { return abs === NONE ? NONE : abs - this.fr.start; }
  /** The owner token's span in the document (-1: blank owner). */
  get ownerStart(): number { return this.abs(this.os); }
  set ownerStart(v: number) { this.os = this.rel(v); }
  get ownerEnd(): number { return this.abs(this.oe); }
  set ownerEnd(v: number) { this.oe = this.rel(v); }
  /** Where the TTL, class and type tokens start in the document (-1: none). */
  get ttlStart(): number { return this.abs(this.ts); }
  get classStart(): number { return this.abs(this.cs); }
  get typeStart(): number { return this.abs(this.ys); }

  get ok(): boolean { return (this.bits & OK) !== 0; }
  set ok(v: boolean) { this.bits = v ? this.bits | OK : this.bits & ~OK; }
  /** Kept without its RDATA tokens (the collector's `slim` reads). */
  get slim(): boolean { return (this.bits & SLIM) !== 0; }
  set slim(v: boolean) { this.bits = v ? this.bits | SLIM : this.bits & ~SLIM; }

  private setLength(shift: number, length: number): void {
    this.bits = (this.bits & ~(LEN << shift)) | (Math.min(length, LEN) << shift);
  }
  setTtl(start: number, end: number): void { this.ts = this.rel(start); this.setLength(8, end - start); }
  setClass(start: number, end: number): void { this.cs = this.rel(start); this.setLength(4, end - start); }
  setType(start: number, end: number): void { this.ys = this.rel(start); this.setLength(0, end - start); }

  /** The entry's tokens, positions relative to the frame (read again from its text). */
  private readTokens(): Token[] {
    return readEntry(this.fr.text, this.entryStart, { diagnostics: [] }).entry.tokens;
  }

  /** The relative end of the token at relative `rel` whose length is in bits `shift`.. (-1 when none). */
  private endOf(rel: number, shift: number): number {
    if (rel === NONE) return NONE;
    const n = (this.bits >>> shift) & LEN;
    if (n < LEN) return rel + n;
    const t = this.readTokens().find((x) => x.start === rel);
    return t ? t.end : rel;
  }
  get ttlEnd(): number { return this.abs(this.endOf(this.ts, 8)); }
  get classEnd(): number { return this.abs(this.endOf(this.cs, 4)); }
  get typeEnd(): number { return this.abs(this.endOf(this.ys, 0)); }

  get typeName(): string { return typeName(this.typeCode); }

  get wire(): Uint8Array | undefined {
    const at = this.wireAt;
    if (at < 0) return this.wireIn;
    // (a view made with the constructor: 2-3 times cheaper than subarray, which looks up a species)
    const slab = this.wireIn!;
    const w = new Uint8Array(slab.buffer, slab.byteOffset + (at >> 10), at & 0x3ff);
    // A document's record keeps the view once made: readers key by it (the DNSSEC index).
    if (this.bits & KEEP) this.wire = w;
    return w;
  }
  set wire(w: Uint8Array | undefined) {
    this.wireIn = w;
    this.wireAt = -1;
  }
  /**
   * The array that holds the wire form, without making a view of it (a reader of every record:
   * the zone-wide checker): the octets are `wireLength` at `wireOffset` (module variables set by
   * this call); undefined when the record has no wire form.
   */
  wireSpan(): Uint8Array | undefined {
    const at = this.wireAt;
    const w = this.wireIn;
    if (at < 0) {
      if (w !== undefined) { wireOffset = 0; wireLength = w.length; }
      return w;
    }
    wireOffset = at >> 10;
    wireLength = at & 0x3ff;
    return w;
  }

  /** The wire form is `length` (at most 1023) octets at `at` (below 2^20) in `buffer`. */
  wireFrom(buffer: Uint8Array, at: number, length: number): void {
    if (length > 0x3ff || at >= 1 << 20) {
      this.wire = buffer.subarray(at, at + length);
      return;
    }
    this.wireIn = buffer;
    this.wireAt = (at << 10) | length;
  }

  /** A plain token at relative [rel, end). */
  private made(rel: number, end: number): Token {
    const base = this.fr.start;
    return { text: this.fr.text.slice(rel, end), start: base + rel, end: base + end, quoted: false };
  }

  /** Head token `slot` (owner, TTL, class, type) starting at relative `rel` (-1: none), with its relative end `relEnd`. */
  private token(slot: number, rel: number, relEnd: () => number): Token | undefined {
    if (rel === NONE) return undefined;
    if ((this.bits & KEEP) === 0) return this.made(rel, relEnd());
    const head = keptTokens(this, this.fr.start).head;
    return (head[slot] ??= this.made(rel, relEnd()));
  }

  /** The RDATA tokens read again from the entry, at the frame's current start. */
  private readRdata(): Token[] {
    const tokens = this.readTokens();
    const type = tokens.findIndex((t) => t.start === this.ys);
    const out = tokens.slice(type + 1);
    const base = this.fr.start;
    if (base !== 0) for (const t of out) { t.start += base; t.end += base; }
    return out;
  }

  get ownerToken(): Token | undefined { return this.token(0, this.os, () => this.oe); }
  get ttlToken(): Token | undefined { return this.token(1, this.ts, () => this.endOf(this.ts, 8)); }
  get classToken(): Token | undefined { return this.token(2, this.cs, () => this.endOf(this.cs, 4)); }
  get typeToken(): Token | undefined { return this.token(3, this.ys, () => this.endOf(this.ys, 0)); }
  get rdata(): Token[] {
    if (this.slim || this.ys === NONE) return [];
    if (this.bits & KEEP) {
      const k = keptTokens(this, this.fr.start);
      return (k.rdata ??= this.readRdata());
    }
    let parts = partsOf.get(this) as Token[] | undefined;
    if (parts === undefined) {
      partsOf.set(this, parts = this.readRdata());
      this.bits |= PARTS;
    }
    return parts;
  }
}
