/**
 * What a zone stage declares it reads (ZoneReads: the pipeline's views keep and give it that,
 * pipeline/view.ts), and the facts of parsed records that declaration names, as strings: what the
 * incremental document compares to re-run a stage only when they changed.
 */
import { ParsedZone } from '../model';
import { toHex } from '../bytes';
import { DNSSEC_RECORD_TYPES } from '../dane/signed';

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
