/**
 * What a zone-level stage sees of a zone: a ZoneView, built from what the stage declares it
 * reads (ZoneReads). The same declaration serves three front ends:
 *  - a whole parsed zone (analyzeZone, the incremental document): viewOfZone();
 *  - the streaming CLI, which keeps only the declared records: ViewCollector;
 *  - the incremental document, which re-runs a stage only when the facts it reads changed:
 *    readFacts() of the chunks an edit replaced against those of the new chunks.
 */
import { DaneDirective, ParsedZone, ZoneDirective, ZoneRecord } from '../model';
import { toHex } from '../bytes';
import { CompactRecord, keptRecord, wireLength, wireOffset, wireSpanOf } from './compactRecord';
import { DNSSEC_RECORD_TYPES, includesKeyFile } from '../dane/signed';
import { Column } from '../checks/ownerKeys';

/** The facts of a zone a stage reads (declared next to the checker; the document invalidates by them). */
export interface ZoneReads {
  /** Record types read in full (owner, class, TTL, RDATA tokens and wire form): `view.records(...)`, `view.recordsAt()`. */
  records?: readonly number[];
  /** Record types read without their RDATA tokens (owner, class, TTL, wire form): kept slim when streaming. */
  slim?: readonly number[];
  /** Record types asked about only by presence at an owner name: `view.hasType()`. */
  presence?: readonly number[];
  /** Whether the zone holds DNSSEC records or $INCLUDEs a key file: `view.hasDnssecRecords`. */
  dnssec?: boolean;
  /** Every record (a stage that looks at the whole zone); the others are then ignored. */
  all?: boolean;
  /**
   * At owners the predicate accepts, the type of every record is read (`view.recordsAt` read
   * whole, not only for the types above): an edit that brings or takes away a record of any type
   * there re-checks the owner.
   */
  ownerTypes?: (ownerKey: string) => boolean;
  /**
   * Of these types (in `records` or `slim`), only the records at owners the predicate accepts
   * are read (`_smtp._tls.*` TXT, not every TXT): the streaming CLI keeps no others, and the
   * document's facts leave the others out.
   */
  where?: { readonly [typeCode: number]: (ownerKey: string) => boolean };
  /**
   * Of these types (in `records` or `slim`), the stage asks for the records' owner ids
   * (`view.ownerIds.idsOf`): the streaming CLI keeps an id per kept record of these types only.
   */
  ownerIds?: readonly number[];
}

/** True when a read of type `t` declared by `reads` includes the record at `ownerKey`. */
export function readsOwner(reads: ZoneReads, t: number, ownerKey: string): boolean {
  const only = reads.where?.[t];
  return only === undefined || only(ownerKey);
}
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
  private readonly kept: ZoneRecord[] = [];
  /** The kept records by type code, in file order (what `view.records(t)` answers). */
  private readonly keptByType = new Map<number, ZoneRecord[]>();
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
    // The records of one owner share its strings (the run's first record's, which `owners` holds):
    // otherwise each kept record holds a copy of its owner name.
    const o = this.owners;
    if (kept instanceof CompactRecord && o?.lastKey !== undefined && kept.ownerKey === o.lastKey) {
      if (kept.owner === o.lastOwner) kept.owner = o.lastOwner;
      kept.ownerKey = o.lastKey;
    }
    // The parser's wire forms share 64 KiB slabs with the records that are dropped: a kept
    // record gets its own copy in the collector's slabs, so those can be freed.
    // (read in place: no view object per record)
    const w = wireSpanOf(kept);
    const from = wireOffset, n = wireLength;
    if (w && n <= OWN_SLAB_ITEM) {
      if (this.slabPos + n > this.slab.length) {
        // (the first slabs small, doubling: this branch runs a few times early, while the code is
        // still learning, so the optimized code has it and is not thrown away at the first full slab)
        this.slab = new Uint8Array(Math.min(OWN_SLAB_SIZE, Math.max(FIRST_SLAB_SIZE, 2 * this.slab.length)));
        this.slabPos = 0;
      }
      const slab = this.slab, at = this.slabPos;
      if (n <= SHORT_COPY) for (let k = 0; k < n; k++) slab[at + k] = w[from + k];
      else slab.set(w.subarray(from, from + n), at);
      // A compact record keeps where it is in the slab (no view object per record).
      if (kept instanceof CompactRecord) kept.wireFrom(slab, at, n);
      else kept.wire = slab.subarray(at, at + n);
      this.slabPos += n;
    }
    this.kept.push(kept);
    let ofType = this.keptByType.get(t);
    if (ofType) ofType.push(kept); else this.keptByType.set(t, (ofType = [kept]));
    if (index >= 0 && this.owners) {
      const g = this.owners.lastGroup;
      let groups = this.groupsByType.get(t);
      if (groups === undefined && ofType.length === 1 && this.noIds[t] === 0) this.groupsByType.set(t, (groups = new Column((n) => new Int32Array(n))));
      groups?.set(ofType.length - 1, g);
      const k = this.kept.length;
      const last = this.keptLast.get(g);
      if (last === 0) this.keptFirst.set(g, k);
      else this.keptNext.set(last - 1, k);
      this.keptLast.set(g, k);
      this.keptNext.set(k - 1, 0);
    } else {
      this.unindexed = true;
      // (a record of this type without its group: the type's list has no ids)
      this.groupsByType.delete(t);
      this.noIds[t] = 1;
    }
  }

  /** Some record was kept without an index in `owners`. */
  private unindexed = false;

  /** recordsAt from `owners`' index: the kept records at the owner, in file order. */
  private keptRecordsAt(ownerKey: string): readonly ZoneRecord[] {
    const g = this.owners!.groupOf(ownerKey);
    let k = g < 0 ? 0 : this.keptFirst.get(g);
    if (k === 0) return EMPTY;
    const out: ZoneRecord[] = [];
    for (; k !== 0; k = this.keptNext.get(k - 1)) out.push(this.kept[k - 1]);
    return out;
  }

  /** The kept records of some types, in file order: the list of the one type kept, when only one is. */
  private keptOf(cache: Map<string, readonly ZoneRecord[]>, types: number[]): readonly ZoneRecord[] {
    let only: ZoneRecord[] | undefined;
    for (const t of types) {
      const l = this.keptByType.get(t);
      if (l === undefined || l === only) continue;
      if (only !== undefined) return byTypes(this.kept, cache, types);
      only = l;
    }
    return only ?? EMPTY;
  }

  private slab = new Uint8Array(0);
  private slabPos = 0;

  /** The view, once parsing is done (zone origin and directives come from the parse result). */
  view(parsed: Pick<ParsedZone, 'zoneOrigin' | 'directives' | 'daneDirectives'>): ZoneView {
    const cache = new Map<string, readonly ZoneRecord[]>();
    const hasDnssec = this.dnssec || parsed.directives.some(includesKeyFile);
    return {
      zoneOrigin: parsed.zoneOrigin,
      records: (...types) => this.keptOf(cache, types),
      allRecords: () => this.kept,
      recordsAt: this.owners && !this.unindexed ? (key) => this.keptRecordsAt(key) : ownerIndex(this.kept),
      hasType: this.hasType,
      hasDnssecRecords: hasDnssec,
      daneDirectives: parsed.daneDirectives,
      directives: parsed.directives,
      ownerIds: this.owners ? this.ownerIds(this.owners) : undefined,
    };
  }

  /** Owner ids from `owners`' groups: the lists of one kept type have them, when every record of the type was indexed. */
  private ownerIds(owners: OwnerIndex): OwnerIds {
    return {
      idOf: (ownerKey) => owners.groupOf(ownerKey),
      idsOf: (records) => {
        if (records.length === 0) return undefined;
        const t = records[0].typeCode;
        return this.keptByType.get(t) === records ? this.groupsByType.get(t) : undefined;
      },
    };
  }
}

const hex = (w: Uint8Array | undefined): string => (w ? toHex(w) : '');

/**
 * The position-free facts of some parsed records and directives that a stage with these reads
 * depends on, as strings: the incremental document compares the sorted facts of the chunks an
 * edit replaced with those of the new chunks, and re-runs the stage only when they differ.
 */
export function readFacts(reads: ZoneReads, part: Pick<ParsedZone, 'records' | 'directives' | 'daneDirectives'>, out: string[] = [], keys?: string[]): string[] {
  const full = new Set([...(reads.records ?? []), ...(reads.slim ?? [])]);
  const presence = new Set(reads.presence ?? []);
  // With `keys`: each fact's owner key beside it ('' for the zone-wide ones), for stages that re-check by owner.
  const fact = (key: string, f: string) => { out.push(f); keys?.push(key); };
  for (const r of part.records) {
    const t = r.typeCode;
    // Whether the owner is written (or blank) decides where a finding points (its owner or its type).
    if (reads.all || (full.has(t) && readsOwner(reads, t, r.ownerKey))) fact(r.ownerKey, `${r.ownerKey} ${r.ownerToken ? 'owner' : 'blank'} ${t} ${r.classCode} ${r.ttl} ${r.ok} ${hex(r.wire)} ${r.rdata.map((x) => x.text).join(' ')}`);
    else if (presence.has(t) || reads.ownerTypes?.(r.ownerKey)) fact(r.ownerKey, `${r.ownerKey} has ${t}`);
    if (reads.dnssec && DNSSEC_RECORD_TYPES.has(t)) fact('', 'dnssec');
  }
  for (const d of part.directives) if (d.name === '$INCLUDE') fact('', `include ${d.args.map((a) => a.text).join(' ')}`);
  for (const d of part.daneDirectives) fact('', `directive ${JSON.stringify(d.settings)}`);
  return out;
}
