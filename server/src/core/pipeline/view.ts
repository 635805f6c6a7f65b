/**
 * What a zone-level stage sees of a zone: a ZoneView, built from what the stage declares it
 * reads (ZoneReads). The same declaration serves three front ends:
 *  - a whole parsed zone (analyzeZone, the incremental document): viewOfZone();
 *  - the streaming CLI, which keeps only the declared records: ViewCollector;
 *  - the incremental document, which re-runs a stage only when the facts it reads changed:
 *    readFacts() of the chunks an edit replaced against those of the new chunks.
 */
import { DaneDirective, ParsedZone, ZoneDirective, ZoneRecord } from '../model';
import { CompactRecord, wireLength, wireOffset, wireSpanOf } from './compactRecord';
import { arrayRows, columnRows, KeptColumns, keptRecord, RecordRows } from './keptColumns';
import { DNSSEC_RECORD_TYPES, includesKeyFile } from '../dane/signed';
/** (what a stage declares it reads, and the facts the document compares: facts.ts) */
import { readsOwner, ZoneReads } from './facts';
export { readFacts, readsOwner } from './facts';
export type { ZoneReads } from './facts';
import { Column, objectList } from '../checks/ownerKeys';

// Always part of a view, and of the facts: the zone origin, the `; dane-zone` directives and
// the $INCLUDE lines (an included file can hold anything).

export interface ZoneView {
  /** The zone's origin when known (SOA / first $ORIGIN / the initial origin). */
  readonly zoneOrigin?: string;
  /** The records of these (declared) types, in file order. */
  records(...types: number[]): readonly ZoneRecord[];
  /** Every record kept (a whole parse: all of them; streaming: those the declared reads keep). For `all` readers. */
  allRecords(): readonly ZoneRecord[];
  /** The records at an owner (by ownerKey): at least those of the declared types. */
  recordsAt(ownerKey: string): readonly ZoneRecord[];
  /** A record of this type exists at the owner (any type; declare it in `presence`). */
  hasType(ownerKey: string, typeCode: number): boolean;
  /** DNSKEY/RRSIG/NSEC/NSEC3/NSEC3PARAM present, or an $INCLUDE of a K*.key file. */
  readonly hasDnssecRecords: boolean;
  /** The `; dane-zone key=value` comments of the file. */
  readonly daneDirectives: readonly DaneDirective[];
  /** `$ORIGIN`, `$TTL`, `$INCLUDE`, `$GENERATE` lines. */
  readonly directives: readonly ZoneDirective[];
  /** Optional (the streaming CLI's view): a number per owner name, so a stage can keep facts by name in typed arrays. */
  readonly ownerIds?: OwnerIds;
  /**
   * Optional (the streaming CLI's view): the records `records(...types)` lists, read by index
   * without making each (a stage's loop over every record of a type: pipeline/keptColumns.ts).
   */
  rows?(...types: number[]): RecordRows;
}

/**
 * Owner names as small integers (the streaming CLI's: the zone-wide checker's owner groups): a
 * stage that keeps facts per name (the DANE stage's hosts and RRsets) keeps them in typed arrays
 * by id, with no map of strings that grows (and leaves its old tables behind) on a large zone.
 */
export interface OwnerIds {
  /** The id of an owner key: 0 <= id < 2^30, the same for equal keys; -1 when no record of the zone has that owner. */
  idOf(ownerKey: string): number;
  /** The owner ids of the records of a list that `records()` returned, by index in it (undefined: not known for that list). */
  idsOf(records: readonly ZoneRecord[]): { get(i: number): number } | undefined;
}

const EMPTY: readonly ZoneRecord[] = Object.freeze([]);

/** Records of some types, in file order (one pass, cached per type list). */
function byTypes(records: readonly ZoneRecord[], cache: Map<string, readonly ZoneRecord[]>, types: number[]): readonly ZoneRecord[] {
  const key = types.join(',');
  let got = cache.get(key);
  if (!got) {
    const want = new Set(types);
    got = records.filter((r) => want.has(r.typeCode));
    cache.set(key, got);
  }
  return got;
}

/**
 * `recordsAt` over some records: the index by owner is built on first use; one record per owner
 * is the common case, kept as is (an array only from the second one).
 */
function ownerIndex(records: readonly ZoneRecord[]): (ownerKey: string) => readonly ZoneRecord[] {
  let index: Map<string, ZoneRecord | ZoneRecord[]> | undefined;
  return (ownerKey) => {
    if (index === undefined) {
      index = new Map();
      for (const r of records) {
        if (!r.owner) continue;
        const had = index.get(r.ownerKey);
        if (had === undefined) index.set(r.ownerKey, r);
        else if (Array.isArray(had)) had.push(r);
        else index.set(r.ownerKey, [had, r]);
      }
    }
    const got = index.get(ownerKey);
    return got === undefined ? EMPTY : Array.isArray(got) ? got : [got];
  };
}

/** The view of a whole parsed zone: every record is there, indexes are built on first use. */
export function viewOfZone(parsed: Pick<ParsedZone, 'records' | 'zoneOrigin' | 'directives' | 'daneDirectives'>): ZoneView {
  const cache = new Map<string, readonly ZoneRecord[]>();
  const at = ownerIndex(parsed.records);
  let dnssec: boolean | undefined;
  return {
    zoneOrigin: parsed.zoneOrigin,
    records: (...types) => byTypes(parsed.records, cache, types),
    allRecords: () => parsed.records,
    recordsAt: at,
    hasType: (key, type) => at(key).some((r) => r.typeCode === type),
    get hasDnssecRecords() {
      return (dnssec ??= parsed.records.some((r) => DNSSEC_RECORD_TYPES.has(r.typeCode)) || parsed.directives.some(includesKeyFile));
    },
    daneDirectives: parsed.daneDirectives,
    directives: parsed.directives,
  };
}

/**
 * The index of every record by owner the CLI's collector answers `recordsAt` from (the zone-wide
 * checker's): a group id per owner name, the group of the record added last, and the strings of
 * the current run of records at one owner (kept records share them).
 */
export interface OwnerIndex {
  /** The group of an owner key, -1 when none. */
  groupOf(ownerKey: string): number;
  /** The group of the record added last. */
  readonly lastGroup: number;
  readonly lastKey?: string;
  readonly lastOwner?: string;
}

/** A kept type's records: their indexes in the store, and the list made of them once asked for. */
interface TypeList {
  readonly ids: Column<Int32Array>;
  n: number;
  records?: ZoneRecord[];
  /** The owner group of each (groupsByType's entry for the type, while it has one). */
  groups?: Column<Int32Array>;
}

/** A TTL a column keeps (none, or 0 to 2^32 - 1). */
function isUint32(ttl: number | undefined): boolean {
  return ttl === undefined || ttl >>> 0 === ttl;
}

const OWN_SLAB_SIZE = 64 * 1024, FIRST_SLAB_SIZE = 1024;
const KEEP_FULL = 1, KEEP_SLIM = 2, KEEP_WHERE = 4;
const OWN_SLAB_ITEM = 512;
/** Wire forms up to this long are copied octet by octet (a typed-array `set` costs more for a few octets). */
const SHORT_COPY = 64;
/** DNSSEC_RECORD_TYPES by type code (a table: the collector asks for every record). */
const IS_DNSSEC = new Uint8Array(65536);
for (const t of DNSSEC_RECORD_TYPES) IS_DNSSEC[t] = 1;

/**
 * Keeps what the declared reads need while records stream by (the CLI's `onRecord`): records
 * of the declared types (slim ones without their tokens); presence questions go to `hasType`,
 * which the caller answers from another index (the zone-wide checker's), so no set of every
 * owner is kept here.
 */
export class ViewCollector {
  /** The kept records (in columns when they are compact records `owners` indexes: keptColumns.ts). */
  private readonly kept = new KeptColumns();
  /** The kept records' indexes by type code, in file order (what `view.records(t)` answers). */
  private readonly keptByType = new Map<number, TypeList>();
  /** The same lists by type code for `add` (no Map lookup per record): 1 + the index in `lists`, 0: none yet. */
  private readonly listAt = new Int32Array(65536);
  private readonly lists: TypeList[] = objectList<TypeList>();
  /** Per type code kept, when `owners` indexes every kept record of it: the owner group of each, in the order of keptByType's list. */
  private readonly groupsByType = new Map<number, Column<Int32Array>>();
  /** 1 for the types whose lists have no owner ids: not asked for (ZoneReads.ownerIds), or with a kept record `owners` does not index. */
  private readonly noIds = new Uint8Array(65536).fill(1);
  /** Per type code: KEEP_FULL or KEEP_SLIM, with KEEP_WHERE when kept only at some owners (`onlyAt`); 0: not kept. */
  private readonly mode = new Uint8Array(65536);
  /** Per type read only at some owners (`where`): the readers; a type absent here is kept at every owner. */
  private readonly onlyAt = new Map<number, ZoneReads[]>();
  private dnssec = false;

  /**
   * The kept records by owner group of `owners` (see add): per group, 1 + the index in `kept` of
   * its first and last kept record (0: none); per kept record, 1 + the index of the next one at
   * its owner (0: none). Only kept records are chained: `recordsAt` walks nothing else.
   */
  private readonly keptFirst = new Column((n) => new Int32Array(n));
  private readonly keptLast = new Column((n) => new Int32Array(n));
  private readonly keptNext = new Column((n) => new Int32Array(n));

  /**
   * `text`: the document's text, when the records kept may be compact (pipeline/compactRecord.ts).
   * `owners`: an index of every record by owner (the zone-wide checker's) that `recordsAt` then
   * answers from, instead of an index of its own.
   */
  constructor(reads: readonly ZoneReads[], private readonly hasType: (ownerKey: string, typeCode: number) => boolean, private readonly text?: string,
    private readonly owners?: OwnerIndex) {
    if (reads.some((x) => x.all)) {
      this.mode.fill(KEEP_FULL);
      return;
    }
    for (const t of reads.flatMap((x) => x.ownerIds ?? [])) this.noIds[t] = 0;
    const full = new Set(reads.flatMap((x) => x.records ?? []));
    const slim = new Set(reads.flatMap((x) => x.slim ?? []));
    for (const t of [...full, ...slim]) {
      this.mode[t] = full.has(t) ? KEEP_FULL : KEEP_SLIM;
      const readers = reads.filter((x) => x.records?.includes(t) || x.slim?.includes(t));
      if (readers.every((x) => x.where?.[t] !== undefined)) {
        this.onlyAt.set(t, readers);
        this.mode[t] |= KEEP_WHERE;
      }
    }
  }

  /**
   * A record as it streams by; `entryStart`: where its entry starts in the text (-1: generated);
   * `index`: its index in `owners` (-1: none).
   */
  add(r: ZoneRecord, entryStart = -1, index = -1): void {
    if (!r.owner) return;
    const t = r.typeCode;
    if (IS_DNSSEC[t] === 1) this.dnssec = true;
    const mode = this.mode[t];
    if (mode === 0) return;
    if (mode & KEEP_WHERE) {
      let read = false;
      for (const x of this.onlyAt.get(t)!) if (readsOwner(x, t, r.ownerKey)) { read = true; break; }
      if (!read) return;
    }
    const kept = keptRecord(r, this.text, entryStart, (mode & KEEP_SLIM) !== 0);
    // The parser's wire forms share 64 KiB slabs with the records that are dropped: a kept
    // record gets its own copy in the collector's slabs, so those can be freed.
    // (read in place: no view object per record)
    const w = wireSpanOf(kept);
    const from = wireOffset, n = wireLength;
    const o = this.owners;
    // (a compact record of an indexed owner, its fields all of it and its wire form copied: kept in columns)
    let columns = index >= 0 && o !== undefined && kept instanceof CompactRecord && kept.packable && isUint32(kept.ttl);
    let at = 0;
    if (w && n <= OWN_SLAB_ITEM) {
      if (this.slabPos + n > this.slab.length) {
        // (the first slabs small, doubling: this branch runs a few times early, while the code is
        // still learning, so the optimized code has it and is not thrown away at the first full slab)
        this.slab = new Uint8Array(Math.min(OWN_SLAB_SIZE, Math.max(FIRST_SLAB_SIZE, 2 * this.slab.length)));
        this.slabPos = 0;
      }
      const slab = this.slab;
      at = this.slabPos;
      if (n <= SHORT_COPY) for (let k = 0; k < n; k++) slab[at + k] = w[from + k];
      else slab.set(w.subarray(from, from + n), at);
      this.slabPos += n;
      // A compact record kept as an object keeps where it is in the slab (no view object per record).
      if (!columns) {
        if (kept instanceof CompactRecord) kept.wireFrom(slab, at, n);
        else kept.wire = slab.subarray(at, at + n);
      }
    } else if (w) columns = false;
    // The records of one owner share its strings (the run's first record's, which `owners` holds):
    // otherwise each record kept as an object holds a copy of its owner name.
    if (!columns && kept instanceof CompactRecord && o?.lastKey !== undefined && kept.ownerKey === o.lastKey) {
      if (kept.owner === o.lastOwner) kept.owner = o.lastOwner;
      kept.ownerKey = o.lastKey;
    }
    // (the key string of the owner's run, which `owners` holds: the records of one owner share it)
    const k = columns ? this.kept.addCompact(kept as CompactRecord, o!.lastGroup, kept.ownerKey === o!.lastKey ? o!.lastKey : kept.ownerKey, w ? this.slab : undefined, at, n)
      : this.kept.addObject(kept, index >= 0 && o ? o.lastGroup : -1);
    const listed = this.listAt[t];
    const ofType = listed !== 0 ? this.lists[listed - 1] : this.newList(t);
    ofType.ids.set(ofType.n++, k);
    if (index >= 0 && o) {
      const g = o.lastGroup;
      let groups = ofType.groups;
      if (groups === undefined && ofType.n === 1 && this.noIds[t] === 0) this.groupsByType.set(t, (ofType.groups = groups = new Column((n) => new Int32Array(n))));
      groups?.set(ofType.n - 1, g);
      const last = this.keptLast.get(g);
      if (last === 0) this.keptFirst.set(g, k + 1);
      else this.keptNext.set(last - 1, k + 1);
      this.keptLast.set(g, k + 1);
      this.keptNext.set(k, 0);
    } else {
      this.unindexed = true;
      this.ungrouped[t] = 1;
      // (a record of this type without its group: the type's list has no ids)
      this.groupsByType.delete(t);
      ofType.groups = undefined;
      this.noIds[t] = 1;
    }
  }

  /** The list of a type's first kept record. */
  private newList(t: number): TypeList {
    const l: TypeList = { ids: new Column((n) => new Int32Array(n)), n: 0, groups: undefined };
    this.keptByType.set(t, l);
    this.lists.push(l);
    this.listAt[t] = this.lists.length;
    return l;
  }

  /** Some record was kept without an index in `owners`. */
  private unindexed = false;
  /** 1 for the types with a kept record `owners` does not index. */
  private readonly ungrouped = new Uint8Array(65536);
  private byOwner?: (ownerKey: string) => readonly ZoneRecord[];

  /** recordsAt from `owners`' index: the kept records at the owner, in file order. */
  private keptRecordsAt(ownerKey: string): readonly ZoneRecord[] {
    return this.keptAtGroup(this.owners!.groupOf(ownerKey));
  }

  /** The kept records at owner group `g` of `owners` (-1: none), in file order. */
  private keptAtGroup(g: number): readonly ZoneRecord[] {
    let k = g < 0 ? 0 : this.keptFirst.get(g);
    if (k === 0) return EMPTY;
    const out: ZoneRecord[] = [];
    for (; k !== 0; k = this.keptNext.get(k - 1)) out.push(this.kept.record(k - 1));
    return out;
  }

  /** The kept records of some types, in file order: the list of the one type kept, when only one is. */
  private keptOf(cache: Map<string, readonly ZoneRecord[]>, types: number[]): readonly ZoneRecord[] {
    let only: TypeList | undefined;
    for (const t of types) {
      const l = this.keptByType.get(t);
      if (l === undefined || l === only) continue;
      if (only !== undefined) return this.keptOfTypes(cache, types);
      only = l;
    }
    return only === undefined ? EMPTY : (only.records ??= this.recordsOf(only));
  }

  /** The kept records of several types, in file order (cached per type list). */
  private keptOfTypes(cache: Map<string, readonly ZoneRecord[]>, types: number[]): readonly ZoneRecord[] {
    const key = types.join(',');
    let got = cache.get(key);
    if (got === undefined) {
      const out: ZoneRecord[] = [];
      const ids = this.idsOfTypes(types);
      for (let i = 0; i < ids.length; i++) out.push(this.kept.record(ids[i]));
      cache.set(key, (got = out));
    }
    return got;
  }

  /** The indexes of the kept records of some types, in file order (their lists merged: only those records are read). */
  private idsOfTypes(types: number[]): Int32Array {
    const lists = [...new Set(types)].map((t) => this.keptByType.get(t)).filter((l): l is TypeList => l !== undefined);
    const out = new Int32Array(lists.reduce((n, l) => n + l.n, 0));
    const at = lists.map(() => 0);
    for (let i = 0; i < out.length; i++) {
      let best = -1, min = 0;
      for (let j = 0; j < lists.length; j++) {
        if (at[j] === lists[j].n) continue;
        const k = lists[j].ids.get(at[j]);
        if (best < 0 || k < min) { best = j; min = k; }
      }
      out[i] = min;
      at[best]++;
    }
    return out;
  }

  private recordsOf(l: TypeList): ZoneRecord[] {
    const out: ZoneRecord[] = [];
    for (let i = 0; i < l.n; i++) out.push(this.kept.record(l.ids.get(i)));
    return out;
  }

  /** Every kept record, made (a stage that reads several types at once, or every record). */
  private allKept(): readonly ZoneRecord[] {
    if (this.all === undefined) {
      this.all = [];
      for (let k = 0; k < this.kept.size; k++) this.all.push(this.kept.record(k));
    }
    return this.all;
  }
  private all?: ZoneRecord[];

  private slab = new Uint8Array(0);
  private slabPos = 0;

  /** The view, once parsing is done (zone origin and directives come from the parse result). */
  view(parsed: Pick<ParsedZone, 'zoneOrigin' | 'directives' | 'daneDirectives'>): ZoneView {
    const cache = new Map<string, readonly ZoneRecord[]>();
    const hasDnssec = this.dnssec || parsed.directives.some(includesKeyFile);
    return {
      zoneOrigin: parsed.zoneOrigin,
      records: (...types) => this.keptOf(cache, types),
      allRecords: () => this.allKept(),
      recordsAt: this.owners && !this.unindexed ? (key) => this.keptRecordsAt(key) : (key) => (this.byOwner ??= ownerIndex(this.allKept()))(key),
      hasType: this.hasType,
      hasDnssecRecords: hasDnssec,
      daneDirectives: parsed.daneDirectives,
      directives: parsed.directives,
      ownerIds: this.owners ? this.ownerIds(this.owners) : undefined,
      rows: this.owners ? (...types) => this.rowsOf(types) : undefined,
    };
  }

  /** The kept records of some types as rows (in file order, as `records(...types)` lists them). */
  private rowsOf(types: number[]): RecordRows {
    let only: TypeList | undefined;
    let many = false;
    for (const t of types) {
      const l = this.keptByType.get(t);
      if (l === undefined || l === only) continue;
      if (only !== undefined) many = true;
      only = l;
    }
    const grouped = this.owners !== undefined && types.every((t) => this.ungrouped[t] === 0);
    if (!many) return only === undefined ? arrayRows(EMPTY) : columnRows(this.kept, only.ids, only.n, grouped);
    const ids = this.idsOfTypes(types);
    return columnRows(this.kept, { get: (i) => ids[i] }, ids.length, grouped);
  }

  /** Owner ids from `owners`' groups: the lists of one kept type have them, when every record of the type was indexed. */
  private ownerIds(owners: OwnerIndex): OwnerIds {
    return {
      idOf: (ownerKey) => owners.groupOf(ownerKey),
      idsOf: (records) => {
        if (records.length === 0) return undefined;
        const t = records[0].typeCode;
        return this.keptByType.get(t)?.records === records ? this.groupsByType.get(t) : undefined;
      },
    };
  }
}
