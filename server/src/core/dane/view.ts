/**
 * What the DANE checks (and the certificate stage) read of a zone: TLSA/SMIMEA and MX records,
 * CNAMEs and addresses at owner names, DNSSEC presence, the `; dane-zone` directives. A
 * DaneZoneView is the DANE reading of a pipeline ZoneView (daneViewOf), and TLSA/SMIMEA
 * records group into RRsets here.
 */
import { ParsedZone, ZoneRecord } from '../model';
import { viewOfZone, ZoneView } from '../pipeline/view';
import { TYPE_A, TYPE_AAAA, TYPE_MX, TYPE_RRSIG, TYPE_SMIMEA, TYPE_TLSA } from '../rrtypes';
import { isTlsaType } from './tlsaRdata';
import { finish, NEVER, Slice, Steps } from '../work';

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
