/**
 * tlsa-unsigned-zone (dane-rules.md): TLSA/SMIMEA records senders query, in a zone that is not
 * DNSSEC-signed (or signed only by the server), reported once, on the first RRset, with the others
 * as related locations. QueriedSets keeps what the check reads of those RRsets while the DANE
 * stage (checks.ts) checks them one at a time, so no RRset is kept for it.
 */
import { ZoneRecord } from '../model';
import { TYPE_TLSA } from '../rrtypes';
import { RelatedSpan, ZoneDiagnostic } from '../types';
import { inlineDeclaration } from './mail';
import { diag, lazyRelated, ownerAt, putOwnerSpan } from './report';
import { describeDecision, SignedDecision } from './signed';
import { TlsaRRset } from './view';
import { RecordRows } from '../pipeline/keptColumns';

/**
 * What tlsa-unsigned-zone reads of the RRsets senders query, in file order: how many, the
 * first's first record and owner, their types in order of appearance, and (when the zone may
 * be unsigned: `spans`) where each of the others points and its owner. A full run adds each
 * RRset as it is checked, so no RRset is kept for this.
 */
export class QueriedSets {
  count = 0;
  first?: ZoneRecord;
  firstOwner = '';
  /** TLSA, SMIMEA, in order of first appearance. */
  readonly types: string[] = [];
  /** Per RRset after the first: ownerAt(its first record)'s start and end, and its owner. */
  private readonly spans: Int32Array;
  private readonly owners: string[];
  /**
   * Per RRset after the first, added by `addRow`: its first record's row in `rows` (its owner is
   * read from there when the related locations are made), else -1 (the owner is in `owners`).
   */
  private readonly ownerRows: Int32Array;
  private rows?: RecordRows;

  /** `capacity`: at most how many RRsets are added (the spans are made once, of that size); `spans`: whether to keep them. */
  constructor(capacity: number, private readonly keepSpans = true) {
    // (positions in a text of at most 512 Mi characters: Int32)
    this.spans = new Int32Array(keepSpans ? 2 * Math.max(capacity - 1, 0) : 0);
    this.ownerRows = new Int32Array(keepSpans ? Math.max(capacity - 1, 0) : 0);
    this.owners = [];
  }

  static of(sets: readonly TlsaRRset[], keepSpans = true): QueriedSets {
    const q = new QueriedSets(sets.length, keepSpans);
    for (const s of sets) q.add(s);
    return q;
  }

  add(set: TlsaRRset): void {
    this.addFirst(set.typeCode, set.records[0], set.owner);
  }

  /** Adds an RRset by its type, first record and owner (`add` without the RRset). */
  addFirst(typeCode: number, first: ZoneRecord, owner: string): void {
    const type = typeCode === TYPE_TLSA ? 'TLSA' : 'SMIMEA';
    if (!this.types.includes(type)) this.types.push(type);
    const n = this.count++;
    if (n === 0) {
      this.first = first;
      this.firstOwner = owner;
      return;
    }
    if (!this.keepSpans) return;
    putOwnerSpan(first, this.spans, 2 * (n - 1));
    this.ownerRows[n - 1] = -1;
    this.owners.push(owner);
  }

  /**
   * Adds an RRset by its type and first record, row `i` of `rows` (plainRRsets.ts; `first`:
   * that record when made, else it is made only if needed): its owner is read from the row when
   * the related locations are made (the CLI makes none), and its owner span from the row, so no
   * record or owner string is kept (or made) per RRset.
   */
  addRow(typeCode: number, first: ZoneRecord | undefined, rows: RecordRows, i: number): void {
    this.rows ??= rows;
    const n = this.count;
    if (n === 0 || rows !== this.rows) {
      const r = first ?? rows.record(i);
      this.addFirst(typeCode, r, r.owner);
      return;
    }
    const type = typeCode === TYPE_TLSA ? 'TLSA' : 'SMIMEA';
    if (!this.types.includes(type)) this.types.push(type);
    this.count++;
    if (!this.keepSpans) return;
    if (first !== undefined) putOwnerSpan(first, this.spans, 2 * (n - 1));
    else if (!rows.ownerSpan(i, this.spans, 2 * (n - 1))) putOwnerSpan(rows.record(i), this.spans, 2 * (n - 1));
    this.ownerRows[n - 1] = i;
    this.owners.push('');
  }

  /** The related locations of the RRsets after the first (made when first read: lazyRelated). */
  relatedOf(d: ZoneDiagnostic): void {
    const n = this.count - 1;
    if (n <= 0 || !this.keepSpans) return;
    const spans = this.spans;
    const owners = this.owners;
    const ownerRows = this.ownerRows, rows = this.rows;
    lazyRelated(d, () => {
      const related = new Array<RelatedSpan>(n);
      for (let i = 0; i < n; i++) {
        const owner = ownerRows[i] >= 0 ? rows!.record(ownerRows[i]).owner : owners[i];
        related[i] = { start: spans[2 * i], end: spans[2 * i + 1], message: `${owner}: also in the unsigned zone` };
      }
      return related;
    });
  }
}

/** tlsa-unsigned-zone: once per zone, on the first RRset senders query, the others as related locations. */
export function unsignedZone(decision: SignedDecision, sets: QueriedSets, out: ZoneDiagnostic[]): void {
  const st = decision.state;
  if (st === 'signed' || sets.count === 0) return;
  const first = sets.first!;
  const types = sets.types.join(' and ');
  const n = sets.count === 1 ? `at ${sets.firstOwner}` : `at ${sets.count} names`;
  const how = decision.source === 'default' ? 'the file holds no DNSKEY, RRSIG, NSEC, NSEC3 or NSEC3PARAM records' : describeDecision(decision);
  const d = st === 'unsigned'
    ? diag('tlsa-unsigned-zone', 'warning', ownerAt(first),
      `${types} records (${n}) in a zone that is not DNSSEC-signed (${how}): validating senders treat them as absent, so DANE is off; sign the zone (DS at the parent), or declare \`; dane-zone dnssec=inline\` if the server signs it on load`,
      inlineDeclaration(decision))
    : diag('tlsa-unsigned-zone', 'information', ownerAt(first),
      `the zone is ${how}, so this file holds no DNSSEC records: make sure the server really signs it and the parent has its DS record, or clients ignore these ${types} records (${n})`);
  // Plain { start, end, message } objects (not a spread of the token: the editor moves these on
  // every keystroke, and a spread copy of a token is some 30 times slower to update in place),
  // made when first read (the CLI prints none: ~100,000 of them on a large zone) from the
  // positions and owner names taken as the RRsets were checked.
  sets.relatedOf(d);
  out.push(d);
}
