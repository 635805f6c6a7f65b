/**
 * The records the streaming CLI keeps for the zone stages (ViewCollector, view.ts), in columns
 * of numbers instead of objects: a compact record's fields (compactRecord.ts) are a few numbers,
 * its owner is its group in the zone-wide checker's index and its key's characters in the key
 * slabs (one copy per run of records at one owner), its wire form a span of the collector's
 * slabs. A kept record object lived to the end of the run: the ~460,000 of a million-record
 * zone and their owner strings were copied twice by the scavenger and marked by every full GC
 * of the parse (0.3-0.4 s). Here a record is made again (`record(k)`, the same object for the
 * same k) when a stage asks for it; the DANE and mail-policy stages read the columns themselves
 * (`typeCode`, `group`, `wireSpan`, the key's characters: `ownerText`) where they read every
 * record.
 *
 * A record that holds more than these fields (positions kept aside, tokens already made, a wire
 * form outside the slabs, no owner group, not compact) is kept as the object it is.
 */
import { ZoneRecord } from '../model';
import { objectList } from '../checks/ownerKeys';
import { CompactRecord, OK, packedOwnerSpan, Place, wireLength, wireOffset, wireSpanOf } from './compactRecord';
import { KeyText, textOf } from './keyText';
export { KeyText } from './keyText';

/** Numbers per record (one row: a record's fields share a cache line or two). */
const ENTRY = 0, POS = 1, HEADS = 2, BITS = 3, CT = 4, TTL = 5, GROUP = 6, WIRE_AT = 7, SLAB = 8, META = 9, KEY = 10, STRIDE = 11;
/** In META: no TTL; the owner is not its key (in `owners`); the rest is the place's index << 2. META -1: kept as an object. */
const NO_TTL = 1, OWN_OWNER = 2, OBJECT = -1;
const ROWS_BITS = 12, ROWS = 1 << ROWS_BITS, ROWS_MASK = ROWS - 1;
/** The first chunk starts small and doubles (copied) up to ROWS: the growing branch runs early, while the code is learning. */
const FIRST_ROWS = 64;
/** The owner keys' characters are kept in slabs of this many characters (KEY: slab index * KEY_SLAB + position; a key never spans two). */
const KEY_SLAB_BITS = 16, KEY_SLAB = 1 << KEY_SLAB_BITS, KEY_SLAB_MASK = KEY_SLAB - 1;

/** Where the octets are in the array `wireSpan` returned last. */
export let spanOffset = 0;
export let spanLength = 0;

export class KeptColumns {
  /** How many records are kept. */
  size = 0;
  private readonly chunks: Int32Array[] = objectList<Int32Array>();
  /** The chunk being filled, and the record index where it is full. */
  private chunk = new Int32Array(0);
  private limit = 0;
  private readonly objects = new Map<number, ZoneRecord>();
  /** The owner as written, for the records where it is not the key. */
  private readonly owners = new Map<number, string>();
  /**
   * The owner keys, one per run of records at one owner, as characters in slabs (a row's KEY:
   * where its length and then its characters are), not as the parser's strings: the ~350,000
   * key strings of a million-record zone, kept to the end of the parse, were each copied twice
   * by the scavenger (and made the young generation grow). The stages read a key's characters
   * (`ownerText`: pipeline/keyText.ts) where they test it or look it up in a table of their own;
   * `ownerKey` makes the string again (the last one made is remembered), for the few readers
   * that need it and for the records made again.
   */
  private readonly keySlabs: Uint16Array[] = objectList<Uint16Array>();
  private keySlab = new Uint16Array(0);
  private keyPos = KEY_SLAB;
  /** The key string of the run of records being added (a new run starts when it changes). */
  private runKey: string | undefined = undefined;
  private runAt = 0;
  /** Keys longer than a slab (KEY -1 - index). */
  private readonly wideKeys: string[] = objectList<string>();
  /** The key `ownerKey` made last, and its KEY. */
  private madeKey = '';
  private madeAt = -1;
  private readonly places: Place[] = objectList<Place>();
  private readonly slabs: Uint8Array[] = objectList<Uint8Array>();
  /** The records made again so far (the same object each time). */
  private readonly made: ZoneRecord[] = objectList<ZoneRecord>();


  private grow(k: number): void {
    if (k < ROWS) {
      const n = k === 0 ? FIRST_ROWS : 2 * k;
      const more = new Int32Array(n * STRIDE);
      more.set(this.chunk);
      this.chunk = more;
      if (this.chunks.length === 0) this.chunks.push(more); else this.chunks[0] = more;
      this.limit = n;
      return;
    }
    this.chunk = new Int32Array(ROWS * STRIDE);
    this.chunks.push(this.chunk);
    this.limit = k + ROWS;
  }

  /** The index of the next record and its row's start in the chunk being filled. */
  private row(): number {
    const k = this.size;
    if (k >= this.limit) this.grow(k);
    return (k & ROWS_MASK) * STRIDE;
  }

  /** Keeps a record as the object it is, of owner group `group` (-1: none); returns its index. */
  addObject(r: ZoneRecord, group: number): number {
    const b = this.row();
    this.chunk[b + META] = OBJECT;
    this.chunk[b + CT] = r.typeCode;
    this.chunk[b + GROUP] = group;
    this.objects.set(this.size, r);
    return this.size++;
  }

  /**
   * Keeps a compact record (`packable`) of owner group `group`, its wire form `length` octets at
   * `at` in `slab` (`slab` undefined: none); returns its index.
   */
  addCompact(r: CompactRecord, group: number, key: string, slab: Uint8Array | undefined, at: number, length: number): number {
    if (key !== this.runKey) this.newRun(key);
    const k = this.size;
    const b = this.row();
    const c = this.chunk;
    c[b + ENTRY] = r.entryStart;
    c[b + POS] = r.pos;
    c[b + HEADS] = r.heads;
    c[b + BITS] = r.bits;
    c[b + CT] = r.ct;
    const ttl = r.ttl;
    c[b + TTL] = ttl === undefined ? 0 : ttl;
    c[b + GROUP] = group;
    c[b + KEY] = this.runAt;
    let meta = ttl === undefined ? NO_TTL : 0;
    const o = r.o;
    if (typeof o !== 'string' || o !== key) { meta |= OWN_OWNER; this.owners.set(k, typeof o === 'string' ? o : o[0]); }
    const places = this.places;
    const pl = r.pl;
    if (places.length === 0 || places[places.length - 1] !== pl) places.push(pl);
    c[b + META] = meta | ((places.length - 1) << 2);
    if (slab === undefined) c[b + WIRE_AT] = -1;
    else {
      const slabs = this.slabs;
      if (slabs.length === 0 || slabs[slabs.length - 1] !== slab) slabs.push(slab);
      c[b + SLAB] = slabs.length - 1;
      c[b + WIRE_AT] = (at << 10) | length;
    }
    this.size = k + 1;
    return k;
  }

  /** A run of records at key `key` starts: its characters are copied into the key slabs. */
  private newRun(key: string): void {
    this.runKey = key;
    const n = key.length;
    if (this.keyPos + 1 + n > KEY_SLAB) {
      if (n >= KEY_SLAB) { this.wideKeys.push(key); this.runAt = -this.wideKeys.length; return; }
      this.keySlab = new Uint16Array(KEY_SLAB);
      this.keySlabs.push(this.keySlab);
      this.keyPos = 0;
    }
    // (its length first, then its characters: a row has no room for the length, and 12 numbers a
    // row instead of 11 made the DANE stage's loops over the rows ~10 ms slower)
    const slab = this.keySlab, at = this.keyPos;
    slab[at] = n;
    for (let j = 0; j < n; j++) slab[at + 1 + j] = key.charCodeAt(j);
    this.keyPos = at + 1 + n;
    this.runAt = ((this.keySlabs.length - 1) << KEY_SLAB_BITS) | at;
  }

  /** The key string of KEY `at` (made again; the last one made is remembered). */
  private keyAt(at: number): string {
    if (at < 0) return this.wideKeys[-1 - at];
    if (at !== this.madeAt) {
      const slab = this.keySlabs[at >>> KEY_SLAB_BITS], from = at & KEY_SLAB_MASK;
      this.madeKey = String.fromCharCode.apply(null, slab.subarray(from + 1, from + 1 + slab[from]) as unknown as number[]);
      this.madeAt = at;
    }
    return this.madeKey;
  }

  private at(k: number): Int32Array {
    return this.chunks[k >>> ROWS_BITS];
  }

  /** The type code of record `k`. */
  typeCode(k: number): number {
    return this.at(k)[(k & ROWS_MASK) * STRIDE + CT] & 0xffff;
  }

  /** The owner group of record `k` (-1: none). */
  group(k: number): number {
    return this.at(k)[(k & ROWS_MASK) * STRIDE + GROUP];
  }

  /** The class code of record `k`. */
  classCode(k: number): number {
    const b = (k & ROWS_MASK) * STRIDE;
    const c = this.at(k);
    return c[b + META] === OBJECT ? this.objects.get(k)!.classCode : c[b + CT] >>> 16;
  }

  /** Record `k` is `ok` (no error in its RDATA). */
  ok(k: number): boolean {
    const b = (k & ROWS_MASK) * STRIDE;
    const c = this.at(k);
    return c[b + META] === OBJECT ? this.objects.get(k)!.ok : (c[b + BITS] & OK) !== 0;
  }

  /** The TTL of record `k` (undefined: none), as its record has it. */
  ttl(k: number): number | undefined {
    const b = (k & ROWS_MASK) * STRIDE;
    const c = this.at(k);
    const meta = c[b + META];
    if (meta === OBJECT) return this.objects.get(k)!.ttl;
    return meta & NO_TTL ? undefined : c[b + TTL] >>> 0;
  }

  /** The owner key of record `k`. */
  ownerKey(k: number): string {
    const b = (k & ROWS_MASK) * STRIDE;
    const c = this.at(k);
    return c[b + META] === OBJECT ? this.objects.get(k)!.ownerKey : this.keyAt(c[b + KEY]);
  }

  /** The owner key of record `k`, its characters lent to `into` from the key slabs (no string made, nothing copied); returns its length. */
  ownerText(k: number, into: KeyText): number {
    const b = (k & ROWS_MASK) * STRIDE;
    const c = this.at(k);
    const at = c[b + KEY];
    if (c[b + META] === OBJECT || at < 0) return textOf(this.ownerKey(k), into);
    const slab = this.keySlabs[at >>> KEY_SLAB_BITS], from = at & KEY_SLAB_MASK;
    into.lend(slab, from + 1);
    return slab[from];
  }

  /** Record `k`'s owner is its key (written in lower case, no escapes to read differently). */
  ownerIsKey(k: number): boolean {
    const b = (k & ROWS_MASK) * STRIDE;
    const c = this.at(k);
    const meta = c[b + META];
    if (meta === OBJECT) { const r = this.objects.get(k)!; return r.owner === r.ownerKey; }
    return (meta & OWN_OWNER) === 0;
  }

  /**
   * Record `k`'s owner token's start and end, written to `spans[at]` and `spans[at + 1]` without
   * making the record; false when not read so (a blank owner, a record kept as an object).
   */
  ownerSpan(k: number, spans: Int32Array, at: number): boolean {
    const b = (k & ROWS_MASK) * STRIDE;
    const c = this.at(k);
    const meta = c[b + META];
    return meta !== OBJECT && packedOwnerSpan(this.places[meta >>> 2], c[b + ENTRY], c[b + POS], spans, at);
  }

  /**
   * The array holding record `k`'s wire form (the octets are `spanLength` at `spanOffset`), or
   * undefined when it has none; no record is made for it.
   */
  wireSpan(k: number): Uint8Array | undefined {
    const b = (k & ROWS_MASK) * STRIDE;
    const c = this.at(k);
    if (c[b + META] === OBJECT) {
      const w = this.objects.get(k)!.wire;
      if (w !== undefined) { spanOffset = 0; spanLength = w.length; }
      return w;
    }
    const w = c[b + WIRE_AT];
    if (w < 0) return undefined;
    spanOffset = w >> 10;
    spanLength = w & 0x3ff;
    return this.slabs[c[b + SLAB]];
  }

  /** Record `k`, made from its columns the first time (the same object each time after). */
  record(k: number): ZoneRecord {
    // (the list grows to `k` only: a run that makes a few records early, as the zone rules' SOA, does not pay for a slot per kept record)
    if (this.made.length <= k) while (this.made.length <= k) this.made.push(undefined!);
    return this.made[k] ?? (this.made[k] = this.fresh(k));
  }

  /**
   * Record `k` for a reader that does not keep it (a loop over every record: the objects die
   * young): the one `record` made, else a new one each time.
   */
  fresh(k: number): ZoneRecord {
    const made = k < this.made.length ? this.made[k] : undefined;
    if (made !== undefined) return made;
    const b = (k & ROWS_MASK) * STRIDE;
    const c = this.at(k);
    const meta = c[b + META];
    if (meta === OBJECT) return this.objects.get(k)!;
    const key = this.keyAt(c[b + KEY]);
    const o: string | [string, string] = meta & OWN_OWNER ? [this.owners.get(k)!, key] : key;
    const w = c[b + WIRE_AT];
    const r = CompactRecord.unpack(this.places[meta >>> 2], c[b + ENTRY], o, meta & NO_TTL ? undefined : c[b + TTL] >>> 0, c[b + CT] >>> 0,
      c[b + POS], c[b + HEADS], c[b + BITS], w < 0 ? undefined : this.slabs[c[b + SLAB]], w);
    return r;
  }
}

/**
 * Records of a list by index, read without making each (the loops of the DANE and mail-policy
 * stages over every TLSA and MX record): from the CLI's columns (ViewCollector.rows) or over an
 * array of records (`arrayRows`), the same answers either way.
 */
export interface RecordRows {
  readonly length: number;
  /** `ownerId` tells owners apart (the same number for the same owner key); else `ownerKey` does. */
  readonly ids: boolean;
  typeCode(i: number): number;
  classCode(i: number): number;
  /** The record has an owner (a record read after an owner that was not a name has none). */
  hasOwner(i: number): boolean;
  ok(i: number): boolean;
  /** The record's TTL (undefined: none). */
  ttl(i: number): number | undefined;
  ownerId(i: number): number;
  ownerKey(i: number): string;
  /** The owner key's characters copied into `into` (keptColumns.ts KeyText), no string made; returns its length. */
  ownerText(i: number, into: KeyText): number;
  /** The owner is the owner key (as `record(i).owner === record(i).ownerKey`). */
  ownerIsKey(i: number): boolean;
  /** The owner token's start and end written to `spans[at]`, `spans[at + 1]` (no record made); false: not read so, ask `record(i)`. */
  ownerSpan(i: number, spans: Int32Array, at: number): boolean;
  /** The array holding the wire form (the octets are `spanLength` at `spanOffset`); undefined: none. */
  wireSpan(i: number): Uint8Array | undefined;
  /** The record, for a reader that does not keep it (columns: a new object unless one was made for `records()`). */
  record(i: number): ZoneRecord;
}

/** Rows `i` and `j` have the same owner key. */
export function sameOwner(rows: RecordRows, i: number, j: number): boolean {
  return rows.ids ? rows.ownerId(i) === rows.ownerId(j) : rows.ownerKey(i) === rows.ownerKey(j);
}

/** The rows of kept records `ids[0..n)` of `kept`; `grouped`: each has its owner group. */
export function columnRows(kept: KeptColumns, ids: { get(i: number): number }, n: number, grouped: boolean): RecordRows {
  return {
    length: n,
    ids: grouped,
    typeCode: (i) => kept.typeCode(ids.get(i)),
    classCode: (i) => kept.classCode(ids.get(i)),
    // (the collector keeps no record without an owner)
    hasOwner: () => true,
    ok: (i) => kept.ok(ids.get(i)),
    ttl: (i) => kept.ttl(ids.get(i)),
    ownerId: (i) => kept.group(ids.get(i)),
    ownerKey: (i) => kept.ownerKey(ids.get(i)),
    ownerText: (i, into) => kept.ownerText(ids.get(i), into),
    ownerIsKey: (i) => kept.ownerIsKey(ids.get(i)),
    ownerSpan: (i, spans, at) => kept.ownerSpan(ids.get(i), spans, at),
    wireSpan: (i) => kept.wireSpan(ids.get(i)),
    record: (i) => kept.fresh(ids.get(i)),
  };
}

/** The records of some rows, made (a reader of a few, rarely). */
export function madeRows(rows: RecordRows): ZoneRecord[] {
  const out: ZoneRecord[] = [];
  for (let i = 0; i < rows.length; i++) out.push(rows.record(i));
  return out;
}

/** Rows `at[0..n)` of `rows`, in that order. */
export function someRows(rows: RecordRows, at: Int32Array, n: number): RecordRows {
  return {
    length: n,
    ids: rows.ids,
    typeCode: (i) => rows.typeCode(at[i]),
    classCode: (i) => rows.classCode(at[i]),
    hasOwner: (i) => rows.hasOwner(at[i]),
    ok: (i) => rows.ok(at[i]),
    ttl: (i) => rows.ttl(at[i]),
    ownerId: (i) => rows.ownerId(at[i]),
    ownerKey: (i) => rows.ownerKey(at[i]),
    ownerText: (i, into) => rows.ownerText(at[i], into),
    ownerIsKey: (i) => rows.ownerIsKey(at[i]),
    ownerSpan: (i, spans, to) => rows.ownerSpan(at[i], spans, to),
    wireSpan: (i) => rows.wireSpan(at[i]),
    record: (i) => rows.record(at[i]),
  };
}

/** The rows of an array of records (`ids`: their owner ids, when known). */
export function arrayRows(records: readonly ZoneRecord[], ids?: { get(i: number): number }): RecordRows {
  return {
    length: records.length,
    ids: ids !== undefined,
    typeCode: (i) => records[i].typeCode,
    classCode: (i) => records[i].classCode,
    hasOwner: (i) => !!records[i].owner,
    ok: (i) => records[i].ok,
    ttl: (i) => records[i].ttl,
    ownerId: (i) => (ids ? ids.get(i) : -1),
    ownerKey: (i) => records[i].ownerKey,
    ownerText: (i, into) => textOf(records[i].ownerKey, into),
    ownerIsKey: (i) => records[i].owner === records[i].ownerKey,
    ownerSpan: () => false,
    wireSpan: (i) => {
      const w = wireSpanOf(records[i]);
      spanOffset = wireOffset;
      spanLength = wireLength;
      return w;
    },
    record: (i) => records[i],
  };
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
