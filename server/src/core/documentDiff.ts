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
 * The entry of a record starts where `r` says it does (relative offsets in its frame kept as
 * they are: `CompactRecord.rebase` moves them all by one amount): a record with its owner written
 * starts its entry; a blank-owner record's entry starts at its line's start (its first token is
 * preceded by white space or a parenthesis only). True when that stretch is the same text.
 */
function sameLead(a: CompactRecord, b: CompactRecord): boolean {
  if (a.ownerStart >= 0) return true;
  const ta = a.frame.text;
  const tb = b.frame.text;
  let i = a.start - a.frame.start;
  let j = b.start - b.frame.start;
  for (;;) {
    const ca = i > 0 ? ta.charCodeAt(i - 1) : -1;
    const cb = j > 0 ? tb.charCodeAt(j - 1) : -1;
    const endA = ca < 0 || ca === 10 || ca === 13;
    const endB = cb < 0 || cb === 10 || cb === 13;
    if (endA || endB) return endA && endB;
    if (ca !== cb) return false;
    i--;
    j--;
  }
}

/**
 * The parts to compare for an edit that replaced the chunks `old` by `fresh` through `shifts`
 * (sorted, apart, in the coordinates before them): every directive of both sides, and the
 * records except the pairs that are the same record read again. An old record is paired with
 * the new record that starts where the old one's start moved to.
 *
 * With `reuse`, the old record of such a pair takes the new one's place in its chunk (moved onto
 * it: the same object stays in the owner index, and keeps its wire form), and is in `kept`.
 */
export function changedParts(old: readonly Chunk[], fresh: readonly Chunk[], shifts: readonly Shift[], reuse = false): { before: Part; after: Part; kept: Set<ZoneRecord> } {
  const before: Part = { records: [], directives: [], daneDirectives: [] };
  const after: Part = { records: [], directives: [], daneDirectives: [] };
  const kept = new Set<ZoneRecord>();
  for (const ch of old) { append(before.directives, ch.zone.directives); append(before.daneDirectives, ch.zone.daneDirectives); }
  for (const ch of fresh) { append(after.directives, ch.zone.directives); append(after.daneDirectives, ch.zone.daneDirectives); }
  let c = 0;
  let y = 0;
  const next = (): void => {
    y++;
    while (c < fresh.length && y >= fresh[c].zone.records.length) { c++; y = 0; }
  };
  if (fresh.length > 0 && fresh[0].zone.records.length === 0) { y = -1; next(); }
  const current = (): ZoneRecord | undefined => (c < fresh.length ? fresh[c].zone.records[y] : undefined);
  let m = 0;
  let moved = 0;
  for (const ch of old) {
    for (const a of ch.zone.records) {
      if (!(a instanceof CompactRecord)) { before.records.push(a); continue; }
      const s = a.start;
      while (m < shifts.length && shifts[m].end <= s) moved += shifts[m++].d;
      const at = s + moved;
      let b = current();
      while (b !== undefined && !(b instanceof CompactRecord && b.start >= at)) {
        after.records.push(b);
        next();
        b = current();
      }
      if (b === undefined || b.start !== at || !sameRecord(a, b)) { before.records.push(a); continue; }
      if (reuse && sameLead(a, b as CompactRecord)) {
        const frame = (b as CompactRecord).frame;
        a.rebase(frame, (a.start - a.frame.start) - (b.start - frame.start));
        fresh[c].zone.records[y] = a;
        kept.add(a);
      }
      next();
    }
  }
  for (let b = current(); b !== undefined; b = current()) { after.records.push(b); next(); }
  return { before, after, kept };
}
