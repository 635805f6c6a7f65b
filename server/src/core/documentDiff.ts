/**
 * What an edit really changed among the records of the chunks it re-parsed (document.ts): a
 * re-parse reads every entry of a chunk again (256 of them), but most come out as the same
 * record read again, only moved. The zone stages compare the facts they read (ZoneReads) of the
 * records an edit replaced with those of the new ones; comparing only the records that are not
 * the same gives the same verdict per owner (equal facts taken from both sides leave equal lists
 * equal and unequal ones unequal) without reading every record's tokens (most of an edit's cost
 * on a large zone, and most of a Replace All's).
 */
import { ParsedZone, ZoneRecord } from './model';
import { CompactRecord } from './pipeline/compactRecord';
import { Chunk } from './documentChunks';
import { append } from './arrays';

/** An edit of [start, end) (document offsets before it) that changed the length by `d`. */
export interface Shift {
  start: number;
  end: number;
  d: number;
}

export type Part = Pick<ParsedZone, 'records' | 'directives' | 'daneDirectives'>;

/**
 * The same record read again: both compact (read from the document's own text), the same text
 * from the record's start to its end, and the same owner, TTL, class, type, verdict and origin.
 * Every fact a stage reads of a record (view.ts readFacts: owner key, whether the owner is
 * written, type, class, TTL, ok, wire form, the RDATA tokens' texts) is then the same: the
 * tokens are read from that text, the wire form is made from them and the origin, and what the
 * scan state decides (owner, TTL, class, origin) is compared as read.
 */
export function sameRecord(a: ZoneRecord, b: ZoneRecord): boolean {
  if (!(a instanceof CompactRecord) || !(b instanceof CompactRecord)) return false;
  const as = a.start;
  const len = a.end - as;
  const bs = b.start;
  if (b.end - bs !== len || a.typeCode !== b.typeCode || a.ownerKey !== b.ownerKey || a.ttl !== b.ttl ||
    a.classCode !== b.classCode || a.ok !== b.ok || (a.ownerStart < 0) !== (b.ownerStart < 0) || a.owner !== b.owner) return false;
  const fa = a.frame;
  const fb = b.frame;
  const ra = as - fa.start;
  const rb = bs - fb.start;
  const ta = fa.text;
  const tb = fb.text;
  for (let i = 0; i < len; i++) if (ta.charCodeAt(ra + i) !== tb.charCodeAt(rb + i)) return false;
  // (the wire form is read from the same RDATA text, the origin of its relative names aside:
  // comparing the origins reads no wire form, which a document's record would then keep)
  return a.origin === b.origin;
}

/**
 * The parts to compare for an edit that replaced the chunks `old` by `fresh` through `shifts`
 * (sorted, apart, in the coordinates before them): every directive of both sides, and the
 * records except the pairs that are the same record read again. An old record is paired with
 * the new record that starts where the old one's start moved to.
 */
export function changedParts(old: readonly Chunk[], fresh: readonly Chunk[], shifts: readonly Shift[]): { before: Part; after: Part } {
  const before: Part = { records: [], directives: [], daneDirectives: [] };
  const after: Part = { records: [], directives: [], daneDirectives: [] };
  for (const ch of old) { append(before.directives, ch.zone.directives); append(before.daneDirectives, ch.zone.daneDirectives); }
  for (const ch of fresh) { append(after.directives, ch.zone.directives); append(after.daneDirectives, ch.zone.daneDirectives); }
  const bs: ZoneRecord[] = [];
  for (const ch of fresh) append(bs, ch.zone.records);
  let y = 0;
  let m = 0;
  let moved = 0;
  for (const ch of old) {
    for (const a of ch.zone.records) {
      if (!(a instanceof CompactRecord)) { before.records.push(a); continue; }
      const s = a.start;
      while (m < shifts.length && shifts[m].end <= s) moved += shifts[m++].d;
      const at = s + moved;
      while (y < bs.length) {
        const b = bs[y];
        if (b instanceof CompactRecord && b.start >= at) break;
        after.records.push(b);
        y++;
      }
      if (y < bs.length && bs[y].start === at && sameRecord(a, bs[y])) y++;
      else before.records.push(a);
    }
  }
  for (; y < bs.length; y++) after.records.push(bs[y]);
  return { before, after };
}
