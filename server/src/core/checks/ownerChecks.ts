/**
 * The zone-wide checks of one owner name's records (cname-and-other-data, rrset-ttl-mismatch,
 * duplicate-record, …) on compact per-record facts, and those facts (checks/zone.ts collects
 * them record by record; the document keeps them per owner).
 */
import { ZoneRecord } from '../model';
import { isAtOrBelow, relativize } from '../names';
import { TYPE_CNAME, TYPE_RRSIG, typeName } from '../rrtypes';
import { describeTtl } from '../ttl';
import { Span, ZoneDiagnostic } from '../types';

/**
 * Types allowed beside a CNAME, BIND's set (RFC 4035 §2.5, RFC 2181 §10.1): RRSIG, NSEC, NSEC3,
 * SIG, NXT. KEY is not one: BIND rejects it beside a CNAME (RFC 2535's exception is gone).
 */
const DNSSEC_TYPES = new Set([46, 47, 50, 24 /* SIG */, 30 /* NXT */]);

/** What the zone-wide checks need of one record. */
export interface RecordFacts {
  typeCode: number;
  classCode: number;
  ttl: number | undefined;
  /** Two 32-bit hashes of the RDATA wire form (a duplicate needs both to match). */
  h1: number;
  h2: number;
  /** Where to report a problem with this record (its type token, or the $INCLUDE line). */
  at: Span;
  /** Where to report a TTL problem (the TTL token when written). */
  ttlAt: Span;
  /** The record itself, where it is retained (the incremental document re-anchors spans with it). */
  record?: ZoneRecord;
}

/** A problem found among an owner's records, with the record it is reported on. */
export interface OwnerFinding {
  diag: ZoneDiagnostic;
  fact: RecordFacts;
}

/**
 * The second hash of the wire form hash1 read last (no pair allocated per record). In a typed
 * array, not a module `let`: a value past 2^30 stored in a `let` is a new heap number per store.
 */
const HASH2 = new Uint32Array(1);
export function hash2(): number {
  return HASH2[0];
}

/** Two independent 32-bit hashes of RDATA (FNV-1a, returned, and djb2, in `hash2()`): a duplicate needs both to match. The octets are `length` at `from` in `wire` (a record's slab: wireSpanOf). */
export function hash1(wire: Uint8Array, from = 0, length = wire.length): number {
  let h1 = 0x811c9dc5;
  let h2 = 5381 ^ length;
  for (let i = from, end = from + length; i < end; i++) {
    const b = wire[i];
    h1 = Math.imul(h1 ^ b, 0x01000193);
    h2 = ((h2 << 5) + h2 + b) | 0;
  }
  HASH2[0] = h2;
  return h1 >>> 0;
}

export function factsOf(r: ZoneRecord): RecordFacts {
  const h1 = r.wire ? hash1(r.wire) : 0;
  const h2 = r.wire ? hash2() : 0;
  const at = r.includeSpan ?? (r.typeToken ? { start: r.typeToken.start, end: r.typeToken.end } : { start: r.start, end: r.end });
  const ttlAt = r.includeSpan ?? (r.ttlToken ? { start: r.ttlToken.start, end: r.ttlToken.end } : at);
  return { typeCode: r.typeCode, classCode: r.classCode, ttl: r.ttl, h1, h2, at, ttlAt };
}

export function factsOfRetained(r: ZoneRecord): RecordFacts {
  const f = factsOf(r);
  f.record = r;
  return f;
}

export function warn(code: string, span: Span, message: string, severity: ZoneDiagnostic['severity'] = 'warning'): ZoneDiagnostic {
  return { code, severity, start: span.start, end: span.end, message };
}

/** The checks that look at all records of one owner name. Deterministic for a given list. */
export function checkOwner(owner: string, facts: RecordFacts[], origin?: string, displayOrigin = origin): ZoneDiagnostic[] {
  return findOwnerProblems(owner, facts, origin, displayOrigin).map((f) => f.diag);
}

/** Like checkOwner, saying which record each problem is reported on. */
export function findOwnerProblems(owner: string, facts: RecordFacts[], origin?: string, displayOrigin = origin): OwnerFinding[] {
  const found: OwnerFinding[] = [];
  const out = { push: (diag: ZoneDiagnostic, fact: RecordFacts) => found.push({ diag, fact }) };
  if (origin && !isAtOrBelow(owner, origin)) out.push(outOfZone(owner, origin, facts[0].at), facts[0]);
  if (facts.length < 2) return found;
  const shown = relativize(owner, displayOrigin);
  // CNAME and other data
  const cnames = facts.filter((f) => f.typeCode === TYPE_CNAME);
  if (cnames.length > 0) {
    const others = facts.filter((f) => f.typeCode !== TYPE_CNAME && !DNSSEC_TYPES.has(f.typeCode));
    if (others.length > 0) {
      const names = [...new Set(others.map((f) => typeName(f.typeCode)))].join(', ');
      for (const c of cnames) {
        out.push({ ...warn('cname-and-other-data', c.at,
          `${shown} has a CNAME and other data (${names}): a CNAME must be the only record at its name; move the other records to the target or replace the CNAME`), severity: 'error' }, c);
      }
      for (const o of others) {
        out.push({ ...warn('cname-and-other-data', o.at,
          `${typeName(o.typeCode)} at ${shown}, which is also a CNAME: a CNAME must be the only record at its name`), severity: 'error' }, o);
      }
    } else if (cnames.length > 1 && !cnames.slice(1).every((c) => c.h1 === cnames[0].h1 && c.h2 === cnames[0].h2)) {
      for (const c of cnames.slice(1)) {
        out.push({ ...warn('cname-and-other-data', c.at, `${shown} has more than one CNAME: a name can alias only one target; keep one`), severity: 'error' }, c);
      }
    }
  }
  // Per RRset: TTL mismatch and duplicates (in file order, the later record is reported).
  const sets = new Map<number, RecordFacts[]>();
  for (const f of facts) {
    const key = f.classCode * 65536 + f.typeCode;
    const s = sets.get(key);
    if (s) s.push(f); else sets.set(key, [f]);
  }
  for (const set of sets.values()) {
    if (set.length < 2) continue;
    const first = set[0];
    const type = typeName(first.typeCode);
    if (first.typeCode !== TYPE_RRSIG) {
      for (const f of set) {
        if (f !== first && f.ttl !== undefined && first.ttl !== undefined && f.ttl !== first.ttl) {
          out.push(warn('rrset-ttl-mismatch', f.ttlAt,
            `TTL ${f.ttl} differs from the ${type} RRset's TTL ${first.ttl} (${describeTtl(first.ttl)}) at ${shown}: resolvers use one TTL per RRset; give all records the same TTL`), f);
        }
      }
    }
    for (let i = 1; i < set.length; i++) {
      for (let j = 0; j < i; j++) {
        // (0, 0) stands for "no wire form" (invalid data): such records are never duplicates.
        if (set[i].h1 === set[j].h1 && set[i].h2 === set[j].h2 && (set[i].h1 | set[i].h2) !== 0) {
          out.push(warn('duplicate-record', set[i].at, `duplicate ${type} record at ${shown}: the same data appears earlier; remove one copy`), set[i]);
          break;
        }
      }
    }
  }
  return found;
}

export function outOfZone(owner: string, zoneOrigin: string, at: Span): ZoneDiagnostic {
  return warn('out-of-zone', at, `${owner} is not in the zone ${zoneOrigin}: servers ignore it or refuse to load the zone; fix the name (a missing trailing dot?) or move it to its own zone`);
}
