/**
 * Rotation pairs (RFC 7671 §8.1): current + next key (`3 1 1` twice) or current key + issuing
 * CA (`3 1 1` + `2 1 1`), inserted after the RRset with a comment giving the date, the records
 * and the steps with the real wait (two TTLs, plus the SOA refresh when the zone has an SOA: the
 * wait tlsa-rotation-too-early counts, and the one the git timing line counts from).
 */
import { ZoneRecord } from '../model';
import { DaneCodeAction } from '../dane/fixes';
import { TextEdit } from '../edits';
import { decodeTlsaWire } from '../dane/tlsaRdata';
import { toHex } from './asn1';
import { describeTtl } from '../ttl';
import { fieldsOf, insertRecordsEdit, layoutTemplate, rrsetRecords, short } from './edits';
import type { CertFixData, RotationPattern } from './fixData';
import type { TlsaRecordSpec } from './hash';
import { publishedAt, publishedSafeAfter } from './published';

export interface RotationOptions {
  pattern: RotationPattern;
  /** The record data to have in the RRset, in order: [current 3 1 1, next 3 1 1] or [current 3 1 1, issuer 2 1 1]. */
  records: TlsaRecordSpec[];
  /** What each of `records` is, for the comment: `the current key (cert=mx1.pem)`, `the next key (next=next.key)`. */
  labels: string[];
  /** The host whose server gets the new key/certificate (for the steps). */
  host: string;
  /** The RRset's TTL. */
  ttl?: number;
  /** The record to remove at the end, described (`3 1 1 8cb0fc6c…3021f1`). */
  oldRecord: string;
  /** The day written in the comment. */
  date: Date;
  /** The zone's SOA refresh (seconds): the secondaries may serve the old zone that long, so the wait adds it. */
  soaRefresh?: number;
  /**
   * When the zone is in git: the wait (two TTLs + SOA refresh) and when the new record
   * (`records[1]`) was first committed (undefined: it is inserted now), for a line saying from
   * when the switch is safe.
   */
  timing?: { wait: number; published?: number | null };
}

/** From when the switch is safe (git timing): for a record already committed, or one published now; the wait is step 2's. */
function safeLine(wait: number, published: number | null | undefined, date: Date): string {
  if (typeof published === 'number') return `${publishedSafeAfter(published, wait)} (its first git commit + that wait)`;
  return `if committed and published now: ${publishedSafeAfter(date.getTime(), wait)} (now + that wait)`;
}

/**
 * Step 2, the wait before the switch (RFC 7671 §8.1): two TTLs, so that no resolver still holds
 * the RRset without the new record; plus the SOA refresh when the zone has one, so that every
 * secondary serves it first. `2 × 1800 s + 3600 s = 2 hours`.
 */
export function waitStep(ttl: number | undefined, soaRefresh: number | undefined): string {
  const refresh = soaRefresh !== undefined;
  const what = refresh ? 'two TTLs + the SOA refresh' : 'two TTLs';
  const numbers = ttl === undefined ? ''
    : refresh ? `: 2 × ${ttl} s + ${soaRefresh} s = ${describeTtl(2 * ttl + soaRefresh)}` : `: 2 × ${ttl} s = ${describeTtl(2 * ttl)}`;
  const why = refresh ? 'so that every secondary serves the new records and no resolver still holds the old RRset' : 'so that no resolver still holds the old RRset';
  return `wait ${what}${numbers}, ${why}`;
}

/** The comment of an inserted rotation pair: date, pattern and the four steps with the real wait (and, for the issuer pattern, what a 2 x y needs). */
export function rotationComment(o: RotationOptions): string[] {
  const day = o.date.toISOString().slice(0, 10);
  const what = o.pattern === 'next' ? 'current + next key' : 'current key + issuing CA';
  const deploy = o.pattern === 'next'
    ? `deploy the next key/certificate on ${o.host}`
    : `deploy the renewed certificate (same CA) on ${o.host}; the 2 1 1 record keeps matching`;
  return [
    `DANE rollover ${day} (dane-zone): ${what} (RFC 7671 §8.1)`,
    ...o.records.map((r, i) => `  ${fieldsOf(r)} ${short(r.hex)} = ${o.labels[i] ?? ''}`.replace(/ = $/, '')),
    '  1. publish these records (reload the zone; the SOA serial must grow)',
    `  2. ${waitStep(o.ttl, o.soaRefresh)}`,
    ...(o.timing ? [`     ${safeLine(o.timing.wait, o.timing.published, o.date)}`] : []),
    `  3. ${deploy}`,
    ...(o.pattern === 'next'
      // Removing the old 3 1 1 alone would leave one record (tlsa-single-record): the next key
      // becomes the current one and a new next key joins it, so the RRset keeps a pair.
      ? [`  4. once it is live, replace the old record (${o.oldRecord}) with a 3 1 1 for a new next key (link it with next=), keeping the pair`]
      // Removing the old 3 1 1 would leave the 2 1 1 alone (tlsa-single-record): it is replaced instead.
      : [`  4. once it is live, replace the old record (${o.oldRecord}) with the renewed certificate's 3 1 1, keeping the 2 1 1`,
        '  note: a 2 x y record on a CA matches only when the server sends that CA in its chain (deploy the full chain)']),
  ];
}

/**
 * Inserts the records of a rotation pair that the RRset lacks, after its last record, with the
 * comment. Undefined when the RRset already has them all (or is not in this file).
 */
export function rotationPairEdits(text: string, records: readonly ZoneRecord[], owner: string, o: RotationOptions): TextEdit[] | undefined {
  const set = rrsetRecords(records, owner);
  if (set.length === 0) return undefined;
  const have = new Set(set.map((r) => decodeTlsaWire(r.wire)).filter((f) => f !== undefined).map((f) => `${fieldsOf(f!)} ${toHex(f!.data)}`));
  const missing = o.records.filter((r) => !have.has(`${fieldsOf(r)} ${r.hex.toLowerCase()}`));
  if (missing.length === 0) return undefined;
  const last = set[set.length - 1];
  return [insertRecordsEdit(text, { owner, records: missing, after: last, template: layoutTemplate(text, set), comment: rotationComment(o) })];
}

/** The rotation pairs possible for an RRset from its linked files (both patterns when the files allow). */
export function rotationActions(text: string, records: readonly ZoneRecord[], data: Pick<CertFixData, 'owner' | 'ttl' | 'links' | 'timing' | 'soaRefresh'>, date: Date): DaneCodeAction[] {
  const out: DaneCodeAction[] = [];
  const t = data.timing;
  const timing = (second: TlsaRecordSpec) => (t ? { wait: t.wait, published: publishedAt(t, second) } : undefined);
  const cur = data.links.find((s) => s.role === 'cert');
  const next = data.links.find((s) => s.role === 'next');
  const host = data.owner.split('.').slice(2).join('.').replace(/\.$/, '');
  const set = rrsetRecords(records, data.owner);
  const fields = set.map((r) => decodeTlsaWire(r.wire)).filter((f) => f !== undefined);
  // The record to remove at the end: the one of the current key (or the RRset's first EE record).
  const curHex = cur?.assoc['3 1 1'];
  const old = curHex ? `3 1 1 ${short(curHex)}` : fields.find((f) => f!.usage === 3) ? `${fieldsOf(fields.find((f) => f!.usage === 3)!)} ${short(toHex(fields.find((f) => f!.usage === 3)!.data))}` : 'the current key\'s record';
  const nextHex = next?.assoc['3 1 1'];
  if (curHex && nextHex && curHex !== nextHex) {
    const second: TlsaRecordSpec = { usage: 3, selector: 1, matchingType: 1, hex: nextHex };
    const edits = rotationPairEdits(text, records, data.owner, {
      pattern: 'next', host, ttl: data.ttl, soaRefresh: data.soaRefresh, date, oldRecord: old, timing: timing(second),
      records: [{ usage: 3, selector: 1, matchingType: 1, hex: curHex }, second],
      labels: [`current key (${cur!.written})`, `next key (${next!.written})`],
    });
    if (edits) out.push({ title: `Add a rotation pair: current + next key (3 1 1 for ${next!.written}), with the steps`, edits });
  }
  const caHex = cur?.assoc['2 1 1'];
  if (curHex && caHex) {
    const second: TlsaRecordSpec = { usage: 2, selector: 1, matchingType: 1, hex: caHex };
    const edits = rotationPairEdits(text, records, data.owner, {
      pattern: 'issuer', host, ttl: data.ttl, soaRefresh: data.soaRefresh, date, oldRecord: `3 1 1 ${short(curHex)}`, timing: timing(second),
      records: [{ usage: 3, selector: 1, matchingType: 1, hex: curHex }, second],
      labels: [`current key (${cur!.written})`, `issuing CA ${cur!.caSubject ?? ''}${cur!.caSelfIssued ? ' (a root)' : ''}`.trim()],
    });
    if (edits) out.push({ title: `Add a rotation pair: current key + issuing CA (2 1 1 for ${cur!.caSubject || 'the issuer'}), with the steps`, edits });
  }
  return out;
}
