/**
 * What the DANE checks (and the certificate stage) read of a zone: TLSA/SMIMEA and MX records,
 * CNAMEs and addresses at owner names, DNSSEC presence, the `; dane-zone` directives. A
 * DaneZoneView is the DANE reading of a pipeline ZoneView (daneViewOf), and TLSA/SMIMEA
 * records group into RRsets here.
 */
import { ParsedZone, ZoneRecord } from '../model';
import { OwnerIds, viewOfZone, ZoneView } from '../pipeline/view';
import { TYPE_A, TYPE_AAAA, TYPE_CNAME, TYPE_MX, TYPE_RRSIG, TYPE_SMIMEA, TYPE_TLSA } from '../rrtypes';
import { isTlsaType } from './tlsaRdata';
import { finish, NEVER, Slice, Steps } from '../work';
import { IdNumbers } from './idNumbers';
import { arrayRows, RecordRows, sameOwner } from '../pipeline/keptColumns';
import { freshList } from '../pipeline/fresh';

/** What checkDane needs of a zone. */
export interface DaneZoneView {
  /** The zone's origin when known (SOA / first $ORIGIN / the initial origin). */
  zoneOrigin?: string;
  /** TLSA and SMIMEA records, in file order. */
  tlsa: readonly ZoneRecord[];
  /** MX records, in file order. */
  mx: readonly ZoneRecord[];
  /** Records at an owner (by ownerKey), at least the TLSA, SMIMEA, MX and CNAME ones. */
  recordsAt(ownerKey: string): readonly ZoneRecord[];
  /** Some RRSIG record is in the view (asked once per full run; a view where that costs a whole parse leaves it out). */
  anyRrsig?(): boolean;
  /** An A or AAAA record exists at the owner. */
  hasAddress?(ownerKey: string): boolean;
  /** DNSKEY/RRSIG/NSEC/NSEC3/NSEC3PARAM present, or an $INCLUDE of a K*.key file. */
  hasDnssecRecords: boolean;
  /** The `; dane-zone key=value` comments of the file. */
  daneDirectives: ZoneView['daneDirectives'];
  /** Optional: ids of owner names (pipeline/view.ts OwnerIds), for facts by name in typed arrays. */
  ownerIds?: OwnerIds;
  /** Optional (the CLI's view): `tlsa` and `mx` as rows, read without making each record (tlsaRowsOf, mxRowsOf). */
  readonly tlsaRows?: RecordRows;
  readonly mxRows?: RecordRows;
  /** Optional (the CLI's view): every CNAME record `recordsAt` holds, as rows (startDane marks the TLSA hosts that are CNAMEs). */
  readonly cnameRows?: RecordRows;
}

/** The DANE reading of a pipeline view. */
export function daneViewOf(view: ZoneView): DaneZoneView {
  return {
    zoneOrigin: view.zoneOrigin,
    get tlsa() {
      return view.records(TYPE_TLSA, TYPE_SMIMEA);
    },
    get mx() {
      return view.records(TYPE_MX);
    },
    recordsAt: view.recordsAt,
    hasAddress: (k) => view.hasType(k, TYPE_A) || view.hasType(k, TYPE_AAAA),
    anyRrsig: () => view.records(TYPE_RRSIG).length > 0,
    get hasDnssecRecords() {
      return view.hasDnssecRecords;
    },
    daneDirectives: view.daneDirectives,
    ownerIds: view.ownerIds,
    get tlsaRows() {
      return view.rows?.(TYPE_TLSA, TYPE_SMIMEA);
    },
    get mxRows() {
      return view.rows?.(TYPE_MX);
    },
    get cnameRows() {
      return view.rows?.(TYPE_CNAME);
    },
  };
}

/** The DANE view of a whole parsed zone (tests, the certificate stage on a parse). */
export function viewOfParsed(parsed: ParsedZone): DaneZoneView {
  return daneViewOf(viewOfZone(parsed));
}

/** One TLSA or SMIMEA RRset: same owner (case-insensitive, absolute), class and type. */
export interface TlsaRRset {
  owner: string;
  ownerKey: string;
  classCode: number;
  typeCode: number;
  /** In file order. */
  records: ZoneRecord[];
}

/** Groups TLSA/SMIMEA records into RRsets the way a DNS server does (owner key, class, type); first-seen order. */
export function groupTlsaRRsets(records: readonly ZoneRecord[]): TlsaRRset[] {
  return finish(groupTlsaRRsetsSteps(records, NEVER));
}

/** groupTlsaRRsets in slices (core/work.ts). */
export function* groupTlsaRRsetsSteps(records: readonly ZoneRecord[], slice: Slice): Steps<TlsaRRset[]> {
  const out: TlsaRRset[] = [];
  const byOwner = new Map<string, TlsaRRset | TlsaRRset[]>();
  for (let i = 0; i < records.length;) {
    const r = records[i];
    if (!r.owner || !isTlsaType(r.typeCode)) { i++; continue; }
    // (an RRset's records usually follow each other: the run is taken whole, an array of its
    // exact size, with one lookup)
    let j = i + 1;
    while (j < records.length && sameRRset(records[j], r)) j++;
    const had = byOwner.get(r.ownerKey);
    const list = had === undefined ? undefined : Array.isArray(had) ? had : [had];
    if (slice.due()) yield;
    const s = list?.find((x) => x.classCode === r.classCode && x.typeCode === r.typeCode);
    if (s) {
      for (let k = i; k < j; k++) s.records.push(records[k]);
    } else {
      const set: TlsaRRset = { owner: r.owner, ownerKey: r.ownerKey, classCode: r.classCode, typeCode: r.typeCode, records: records.slice(i, j) };
      out.push(set);
      if (list === undefined) byOwner.set(r.ownerKey, set);
      else { list.push(set); byOwner.set(r.ownerKey, list); }
    }
    i = j;
  }
  return out;
}

/** `x` belongs to the RRset of `r` (a TLSA or SMIMEA record with an owner). */
function sameRRset(x: ZoneRecord, r: ZoneRecord): boolean {
  return x.ownerKey === r.ownerKey && x.classCode === r.classCode && x.typeCode === r.typeCode && !!x.owner;
}

/**
 * The TLSA/SMIMEA RRsets of some records, as groupTlsaRRsets groups them (same RRsets, same
 * records, same first-seen order), made one at a time (`rrset(k)`): a full run checks each and
 * drops it, so no RRset object outlives its check (on a large zone they would all be kept to the
 * end of the grouping, and promoted). The grouping itself is kept in typed arrays, by owner id
 * when the rows have them (the records' owner ids, `idOf`'s), else in a map by owner key. The
 * records are read as rows (pipeline/keptColumns.ts): the CLI's kept records are made only for
 * the RRset being checked.
 */
export class TlsaRRsets {
  /** How many RRsets. */
  count = 0;
  /** Per RRset: 1 + its first record's index (chained by `next`). */
  private readonly first: Int32Array;
  /** Per record: 1 + the index of the next record of its RRset (0: none). */
  private readonly next: Int32Array;
  private readonly rows: RecordRows;

  /** `records`: rows, or a list of records with their owner ids (`ids`) when known. */
  constructor(records: readonly ZoneRecord[] | RecordRows, ids?: { get(i: number): number }) {
    const rows = (this.rows = Array.isArray(records) ? arrayRows(records, ids) : (records as RecordRows));
    const n = rows.length;
    this.first = new Int32Array(n);
    this.next = new Int32Array(n);
    // (what only the grouping reads is not kept: its arrays go with the first scavenge)
    /** Per RRset: 1 + its last record's index. */
    const last = new Int32Array(n);
    /** Per RRset: 1 + the next RRset at the same owner (another class or type). */
    const sameOwnerSet = new Int32Array(n);
    /** Per owner: 1 + its RRset made last (the head of its `sameOwnerSet` chain). */
    const byId = rows.ids ? new IdNumbers(() => this.heads()) : undefined;
    const byKey = rows.ids ? undefined : new Map<string, number>();
    for (let i = 0; i < n;) {
      const t = rows.typeCode(i);
      if (!rows.hasOwner(i) || !isTlsaType(t)) { i++; continue; }
      const c = rows.classCode(i);
      // (an RRset's records usually follow each other: the run is taken whole, with one lookup)
      let j = i + 1;
      while (j < n && rows.typeCode(j) === t && rows.classCode(j) === c && rows.hasOwner(j) && sameOwner(rows, j, i)) j++;
      const head = byId ? byId.get(rows.ownerId(i)) : byKey!.get(rows.ownerKey(i)) ?? 0;
      let s = head;
      while (s !== 0) {
        const x = this.first[s - 1] - 1;
        if (rows.classCode(x) === c && rows.typeCode(x) === t) break;
        s = sameOwnerSet[s - 1];
      }
      if (s === 0) {
        s = ++this.count;
        this.first[s - 1] = i + 1;
        // (a new RRset at a known owner goes first in its chain: the chain's order does not matter)
        sameOwnerSet[s - 1] = head;
        if (byId) byId.set(rows.ownerId(i), s); else byKey!.set(rows.ownerKey(i), s);
      } else this.next[last[s - 1] - 1] = i + 1;
      for (let k = i; k < j - 1; k++) this.next[k] = k + 2;
      last[s - 1] = j;
      i = j;
    }
  }

  /** Per owner id, the RRset made last there (what `byId` holds), for the RRsets made so far. */
  private *heads(): Iterable<[number, number]> {
    for (let s = 1; s <= this.count; s++) yield [this.rows.ownerId(this.first[s - 1] - 1), s];
  }

  /** The index in the rows of RRset `k`'s first record. */
  firstRow(k: number): number {
    return this.first[k] - 1;
  }

  /** The index in the rows of the record after row `i` in its RRset (-1: none). */
  nextRow(i: number): number {
    return this.next[i] - 1;
  }

  /** RRset `k` (0 <= k < count), a new object each time (its records made for it, from the CLI's columns). */
  rrset(k: number): TlsaRRset {
    const rows = this.rows;
    const next = this.next;
    // (no allocation site: pipeline/fresh.ts)
    const list = freshList<ZoneRecord>();
    for (let i = this.first[k]; i !== 0; i = next[i - 1]) list.push(rows.record(i - 1));
    const r = list[0];
    return new MadeRRset(r.owner, r.ownerKey, r.classCode, r.typeCode, list);
  }
}

/** An RRset TlsaRRsets made (a class: no allocation site, pipeline/fresh.ts). */
class MadeRRset implements TlsaRRset {
  constructor(public owner: string, public ownerKey: string, public classCode: number, public typeCode: number, public records: ZoneRecord[]) {}
}

/** The TLSA and SMIMEA records of a view as rows (the CLI's columns, else `tlsa` with its owner ids). */
export function tlsaRowsOf(view: DaneZoneView): RecordRows {
  return view.tlsaRows ?? arrayRows(view.tlsa, view.ownerIds?.idsOf(view.tlsa));
}

/** The MX records of a view as rows. */
export function mxRowsOf(view: DaneZoneView): RecordRows {
  return view.mxRows ?? arrayRows(view.mx);
}
