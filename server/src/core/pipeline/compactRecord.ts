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
export class CompactRecord implements ZoneRecord {
  start = 0;
  end = 0;
  owner = '';
  ownerKey = '';
  ttl?: number = undefined;
  classCode = 1;
  typeCode = 0;
  ok = true;
  origin?: string = undefined;
  /** The owner token's span (-1: blank owner); not always `start`: `(www A 192.0.2.1)`. */
  ownerStart = NONE;
  ownerEnd = NONE;
  ttlStart = NONE;
  ttlEnd = NONE;
  classStart = NONE;
  classEnd = NONE;
  typeStart = NONE;
  typeEnd = NONE;
  /** Kept without its RDATA tokens (the collector's `slim` reads). */
  slim = false;
  private parts?: Token[];
  /**
   * The wire form: `wireAt` -1: `wireIn` is it (or undefined); else it is `wireLength` octets
   * at `wireAt` in the buffer `wireIn` (a collector's slab: no view object per kept record).
   */
  private wireIn?: Uint8Array = undefined;
  private wireAt = -1;
  private wireLength = 0;

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
    if (r.ttlToken) { c.ttlStart = r.ttlToken.start; c.ttlEnd = r.ttlToken.end; }
    if (r.classToken) { c.classStart = r.classToken.start; c.classEnd = r.classToken.end; }
    if (r.typeToken) { c.typeStart = r.typeToken.start; c.typeEnd = r.typeToken.end; }
    return c;
  }

  get typeName(): string { return typeName(this.typeCode); }

  get wire(): Uint8Array | undefined {
    return this.wireAt < 0 ? this.wireIn : this.wireIn!.subarray(this.wireAt, this.wireAt + this.wireLength);
  }
  set wire(w: Uint8Array | undefined) {
    this.wireIn = w;
    this.wireAt = -1;
  }
  /** The wire form is `length` octets at `at` in `buffer`. */
  wireFrom(buffer: Uint8Array, at: number, length: number): void {
    this.wireIn = buffer;
    this.wireAt = at;
    this.wireLength = length;
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
