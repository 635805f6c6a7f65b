/**
 * The records the streaming CLI keeps for the zone stages (ViewCollector), without their token
 * objects. Tokens hold most of a record's memory (an object and a string each), and the stages
 * read them only to report a finding or build a fix, on a few records. A compact record keeps
 * the position of its entry in the text and where its TTL, class and type tokens start; the
 * tokens are read again from the text (the lexer is deterministic from an entry's start) the
 * first time anything asks for one, then cached. The record's other fields are copied as they are.
 *
 * Only records read from the document's own text are compacted: records from $INCLUDEd files
 * (their spans are in another text) and from $GENERATE (their tokens are made, not read) stay
 * as the parser made them.
 */
import { readEntry } from '../lexer';
import { ZoneRecord } from '../model';
import { Token } from '../types';
import { typeName } from '../rrtypes';

export const NONE = -1;

/**
 * A record without its token objects: the parser makes these in streaming mode (parser.ts), and
 * the CLI's collector keeps them. The owner, TTL, class and type tokens are made from their
 * stored spans when asked (each is plain and unquoted in such a record); the RDATA tokens by
 * reading the entry again, then cached.
 */
const LEN = 0xff, OK = 1 << 24, SLIM = 1 << 25;

export class CompactRecord implements ZoneRecord {
  start = 0;
  end = 0;
  owner = '';
  ownerKey = '';
  ttl?: number = undefined;
  classCode = 1;
  typeCode = 0;
  origin?: string = undefined;
  /** The owner token's span (-1: blank owner); not always `start`: `(www A 192.0.2.1)`. */
  ownerStart = NONE;
  ownerEnd = NONE;
  /** Where the TTL, class and type tokens start (-1: none); their lengths are in `bits`. */
  ttlStart = NONE;
  classStart = NONE;
  typeStart = NONE;
  /**
   * Packed, to keep a kept record small: the lengths of the type (bits 0-7), class (8-15) and
   * TTL (16-23) tokens (255: longer, read from the entry), `ok` (bit 24), `slim` (bit 25).
   */
  private bits = OK;
  private parts?: Token[];
  /**
   * The wire form: `wireAt` -1: `wireIn` is it (or undefined); else it is `wireAt & 0x3ff`
   * octets at `wireAt >> 10` in the buffer `wireIn` (a collector's slab: no view object per
   * kept record).
   */
  private wireIn?: Uint8Array = undefined;
  private wireAt = -1;

  constructor(private readonly text: string, private readonly entryStart: number) {}

  /** Copies a record made with its tokens (the collector, for records not made compact by the parser). */
  static of(r: ZoneRecord, text: string, entryStart: number): CompactRecord {
    const c = new CompactRecord(text, entryStart);
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

  get ok(): boolean { return (this.bits & OK) !== 0; }
  set ok(v: boolean) { this.bits = v ? this.bits | OK : this.bits & ~OK; }
  /** Kept without its RDATA tokens (the collector's `slim` reads). */
  get slim(): boolean { return (this.bits & SLIM) !== 0; }
  set slim(v: boolean) { this.bits = v ? this.bits | SLIM : this.bits & ~SLIM; }

  private setLength(shift: number, length: number): void {
    this.bits = (this.bits & ~(LEN << shift)) | (Math.min(length, LEN) << shift);
  }
  setTtl(start: number, end: number): void { this.ttlStart = start; this.setLength(16, end - start); }
  setClass(start: number, end: number): void { this.classStart = start; this.setLength(8, end - start); }
  setType(start: number, end: number): void { this.typeStart = start; this.setLength(0, end - start); }

  /** The end of the token at `start` whose length is in bits `shift`.. (-1 when none). */
  private endOf(start: number, shift: number): number {
    if (start === NONE) return NONE;
    const n = (this.bits >>> shift) & LEN;
    if (n < LEN) return start + n;
    const t = readEntry(this.text, this.entryStart, { diagnostics: [] }).entry.tokens.find((x) => x.start === start);
    return t ? t.end : start;
  }
  get ttlEnd(): number { return this.endOf(this.ttlStart, 16); }
  get classEnd(): number { return this.endOf(this.classStart, 8); }
  get typeEnd(): number { return this.endOf(this.typeStart, 0); }

  get typeName(): string { return typeName(this.typeCode); }

  get wire(): Uint8Array | undefined {
    const at = this.wireAt;
    return at < 0 ? this.wireIn : this.wireIn!.subarray(at >> 10, (at >> 10) + (at & 0x3ff));
  }
  set wire(w: Uint8Array | undefined) {
    this.wireIn = w;
    this.wireAt = -1;
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

  private plain(start: number, end: number): Token | undefined {
    return start === NONE ? undefined : { text: this.text.slice(start, end), start, end, quoted: false };
  }

  get ownerToken(): Token | undefined { return this.plain(this.ownerStart, this.ownerEnd); }
  get ttlToken(): Token | undefined { return this.plain(this.ttlStart, this.ttlEnd); }
  get classToken(): Token | undefined { return this.plain(this.classStart, this.classEnd); }
  get typeToken(): Token | undefined { return this.plain(this.typeStart, this.typeEnd); }
  get rdata(): Token[] {
    if (this.slim || this.typeStart === NONE) return [];
    if (this.parts) return this.parts;
    const tokens = readEntry(this.text, this.entryStart, { diagnostics: [] }).entry.tokens;
    const type = tokens.findIndex((t) => t.start === this.typeStart);
    return (this.parts = tokens.slice(type + 1));
  }
}

/**
 * The record to keep for `r`, read from `text` at `entryStart` (the start of its entry; -1 for
 * a generated record): compact when it came from the text itself, else `r` (without its RDATA
 * tokens when `slim`).
 */
export function keptRecord(r: ZoneRecord, text: string | undefined, entryStart: number, slim: boolean): ZoneRecord {
  if (r instanceof CompactRecord) {
    r.slim = slim;
    return r;
  }
  if (text === undefined || entryStart < 0 || r.includeFile !== undefined || r.ownerToken?.quoted || r.typeToken?.quoted) return slim ? { ...r, rdata: [] } : r;
  const c = CompactRecord.of(r, text, entryStart);
  c.slim = slim;
  return c;
}
