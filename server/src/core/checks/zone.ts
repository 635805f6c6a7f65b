import { AnalysisOptionsLike } from './options';
import type { AnalysisOptions, OwnerStage } from '../pipeline/stage';
import { ParsedZone, ZoneRecord } from '../model';
import { isAtOrBelow, nameKey, relativize } from '../names';
import { TYPE_CNAME, TYPE_DNAME, TYPE_NS, TYPE_RRSIG, typeName } from '../rrtypes';
import { describeTtl } from '../ttl';
import { Span, ZoneDiagnostic } from '../types';
import { CompactRecord, NONE } from '../pipeline/compactRecord';
import { checkRecordRules } from './recordRules';
import { keyAtOrBelow } from './zoneRulesCommon';
import { findOccluded, mayBeOccluded, servedAtCut, ZoneShape } from './zoneShape';
import { Column, KnownSuffix, knownSuffix, OwnerKeys, stringHash, suffixHash } from './ownerKeys';

/**
 * Zone-wide checks (the "zone-wide" codes of dane-rules.md): CNAME and other data,
 * RRset TTL mismatch, duplicate records, out-of-zone owners, expired RRSIGs.
 *
 * The checks work on compact per-record facts grouped by owner, so the same code serves
 * a whole parsed zone, the streaming CLI (records are not retained) and an incremental
 * document (only the owners an edit touched are checked again).
 */

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

/** The second hash of the wire form hash1 read last (no pair allocated per record). */
let hash2 = 0;

/** Two independent 32-bit hashes of RDATA (FNV-1a, returned, and djb2, in `hash2`): a duplicate needs both to match. */
function hash1(wire: Uint8Array): number {
  let h1 = 0x811c9dc5;
  let h2 = 5381 ^ wire.length;
  for (let i = 0; i < wire.length; i++) {
    const b = wire[i];
    h1 = Math.imul(h1 ^ b, 0x01000193);
    h2 = ((h2 << 5) + h2 + b) | 0;
  }
  hash2 = h2 >>> 0;
  return h1 >>> 0;
}

export function factsOf(r: ZoneRecord): RecordFacts {
  const h1 = r.wire ? hash1(r.wire) : 0;
  const h2 = r.wire ? hash2 : 0;
  const at = r.includeSpan ?? (r.typeToken ? { start: r.typeToken.start, end: r.typeToken.end } : { start: r.start, end: r.end });
  const ttlAt = r.includeSpan ?? (r.ttlToken ? { start: r.ttlToken.start, end: r.ttlToken.end } : at);
  return { typeCode: r.typeCode, classCode: r.classCode, ttl: r.ttl, h1, h2, at, ttlAt };
}

export function factsOfRetained(r: ZoneRecord): RecordFacts {
  const f = factsOf(r);
  f.record = r;
  return f;
}

function warn(code: string, span: Span, message: string, severity: ZoneDiagnostic['severity'] = 'warning'): ZoneDiagnostic {
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

/** rrsig-expired, rrsig-not-yet-valid, rrsig-expiring: a check of one record on its own. */
export function checkRrsigExpiry(r: ZoneRecord, options: AnalysisOptionsLike, out: ZoneDiagnostic[]): void {
  if (r.typeCode === TYPE_RRSIG && r.wire && r.wire.length >= 18) {
    const exp = ((r.wire[8] << 24) | (r.wire[9] << 16) | (r.wire[10] << 8) | r.wire[11]) >>> 0;
    const inc = ((r.wire[12] << 24) | (r.wire[13] << 16) | (r.wire[14] << 8) | r.wire[15]) >>> 0;
    const now = Math.floor(nowOf(options).getTime() / 1000);
    const window = options.rrsigExpiryWindowSeconds ?? DEFAULT_EXPIRY_WINDOW;
    // RFC 4034 §3.1.5: serial-number arithmetic on 32-bit times.
    const remaining = ((exp - now) | 0);
    const iso = (t: number) => new Date((now + ((t - now) | 0)) * 1000).toISOString().replace('.000Z', 'Z');
    if (remaining <= 0) {
      out.push(warn('rrsig-expired', r.includeSpan ?? r.rdata[4] ?? r.typeToken ?? r,
        `this RRSIG expired at ${iso(exp)}: re-sign the zone (validators reject expired signatures, so these records fail to resolve)`));
      return;
    }
    if (((inc - now) | 0) > 0) {
      out.push(warn('rrsig-not-yet-valid', r.includeSpan ?? r.rdata[5] ?? r.typeToken ?? r,
        `this RRSIG is valid only from ${iso(inc)}: validators reject it until then; publish the zone after that time, or fix the signer's clock and re-sign`));
      return;
    }
    if (remaining <= window) {
      out.push(warn('rrsig-expiring', r.includeSpan ?? r.rdata[4] ?? r.typeToken ?? r,
        `this RRSIG expires at ${iso(exp)}, within ${describeTtl(window)}: re-sign the zone before then (or make the signer re-sign earlier)`));
    }
  }
}

/**
 * The zone-wide stage of the pipeline (pipeline/stages.ts): these per-record checks as each
 * record is parsed, then findOwnerProblems per owner name. What it reads is each record's
 * RecordFacts, grouped by owner; the incremental document re-checks an owner when its records
 * change. A new per-record check goes into `recordChecks`; a new per-owner one into
 * findOwnerProblems (and plainOwner, if it can fire on an owner that plainOwner calls plain).
 */
export const zoneWideStage: OwnerStage = { kind: 'owner', name: 'zone-wide', recordChecks: [checkRrsigExpiry, checkRecordRules] };

/**
 * True when an owner's records can have no per-owner problem (but out-of-zone): no CNAME
 * beside other records, no RRset of two. Both the streaming checker and the document skip such
 * owners (most owners of a large zone).
 */
export function plainOwner<T>(items: readonly T[], record: (x: T) => { typeCode: number; classCode: number }): boolean {
  if (items.length <= 1) return true;
  return plainCodes(items.length, items.map((x) => {
    const r = record(x);
    return (r.classCode << 16) | r.typeCode;
  }));
}

/**
 * plainOwner over `n` records given by their `(class << 16) | type` codes: the one definition,
 * shared by the document (plainOwner) and the streaming checker's typed-array columns.
 */
function plainCodes(n: number, codes: ArrayLike<number>): boolean {
  if (n <= 1) return true;
  for (let i = 0; i < n; i++) {
    const a = codes[i];
    if ((a & 0xffff) === TYPE_CNAME) return false;
    for (let j = 0; j < i; j++) if (codes[j] === a) return false;
  }
  return true;
}

/** `daneZone.dnssecExpiryWarningDays` default: 7 days. */
export const DEFAULT_EXPIRY_WINDOW = 7 * 86400;

export function nowOf(options: AnalysisOptionsLike): Date {
  return options.now ?? options.io?.now() ?? new Date();
}

const NO_TTL = -1;

/**
 * Collects facts record by record (streaming or batch) and reports at the end. Facts are
 * kept in typed-array columns and owners as linked lists of record indices, so a
 * million-record zone costs tens of megabytes, not hundreds.
 */
export class ZoneChecker {
  private count = 0;
  private readonly typeClass: Column<Uint32Array>;
  private readonly ttl: Column<Int32Array>;
  private readonly h1: Column<Uint32Array>;
  private readonly h2: Column<Uint32Array>;
  private readonly at: Column<Uint32Array>; // start, end pairs
  private readonly ttlAt: Column<Uint32Array>;
  /** Next record index of the same owner, or -1. */
  private readonly next: Column<Int32Array>;
  /** Owner groups: the group id is the owner key's id in `keys`; per group its first/last record index. */
  private readonly keys: OwnerKeys;
  /** The owner as written, for the groups where it is not its key (other case). */
  private readonly ownerNotKey = new Map<number, string>();
  private readonly groupFirst: Column<Int32Array>;
  private readonly groupLast: Column<Int32Array>;
  /**
   * The owner key and owner of the run of records at one owner that the last record belongs to,
   * as the run's first record has them: the CLI's collector gives the records it keeps these
   * strings, so a run's records share one copy.
   */
  lastKey = '';
  lastOwner = '';
  /** The owner group of the record added last (ViewCollector chains the kept records by it). */
  lastGroup = -1;
  /** Owners with NS and with DNAME records (occluded-data: zoneRules.ts). */
  private readonly nsOwners = new Set<string>();
  private readonly dnameOwners = new Set<string>();
  readonly diagnostics: ZoneDiagnostic[] = [];

  constructor() {
    const u32 = (n: number) => new Uint32Array(n);
    const i32 = (n: number) => new Int32Array(n);
    this.typeClass = new Column(u32);
    this.ttl = new Column(i32);
    this.h1 = new Column(u32);
    this.h2 = new Column(u32);
    this.at = new Column(u32);
    this.ttlAt = new Column(u32);
    this.next = new Column(i32);
    this.keys = new OwnerKeys();
    this.groupFirst = new Column(i32);
    this.groupLast = new Column(i32);
  }

  /** Adds a record's facts; returns its index (-1: not added: no owner or no type). */
  add(r: ZoneRecord): number {
    if (!r.owner || r.typeCode === 0) return -1;
    const i = this.count++;
    const wire = r.wire;
    this.typeClass.set(i, (r.classCode << 16) | r.typeCode);
    this.ttl.set(i, r.ttl ?? NO_TTL);
    this.h1.set(i, wire ? hash1(wire) : 0);
    this.h2.set(i, wire ? hash2 : 0);
    if (r instanceof CompactRecord) {
      // the parser's streaming records: the spans without making the tokens
      const s = r.typeStart === NONE ? r.start : r.typeStart;
      const e = r.typeStart === NONE ? r.end : r.typeEnd;
      this.at.set(2 * i, s);
      this.at.set(2 * i + 1, e);
      this.ttlAt.set(2 * i, r.ttlStart === NONE ? s : r.ttlStart);
      this.ttlAt.set(2 * i + 1, r.ttlStart === NONE ? e : r.ttlEnd);
    } else {
      const at = r.includeSpan ?? r.typeToken ?? r;
      const ttlAt = r.includeSpan ?? r.ttlToken ?? at;
      this.at.set(2 * i, at.start);
      this.at.set(2 * i + 1, at.end);
      this.ttlAt.set(2 * i, ttlAt.start);
      this.ttlAt.set(2 * i + 1, ttlAt.end);
    }
    this.next.set(i, -1);
    // Records of one owner usually come together (blank owners): skip the lookup for those.
    const key = r.ownerKey;
    let g = key === this.lastKey ? this.lastGroup : -1;
    if (g < 0) {
      const h = stringHash(key);
      g = this.keys.find(key, h);
      if (g < 0) {
        g = this.keys.add(key, h);
        if (r.owner !== key) this.ownerNotKey.set(g, r.owner);
        this.groupFirst.set(g, i);
      } else this.next.set(this.groupLast.get(g), i);
      this.lastKey = key;
      this.lastOwner = r.owner;
      this.lastGroup = g;
    } else this.next.set(this.groupLast.get(g), i);
    this.groupLast.set(g, i);
    if (r.typeCode === TYPE_NS) this.nsOwners.add(key);
    else if (r.typeCode === TYPE_DNAME) this.dnameOwners.add(key);
    return i;
  }

  private foundKey = '';
  private foundGroup = -1;

  /**
   * The group of an owner key, -1 when none. The last key found is remembered: the stages ask
   * about one name several times in a row (its records, then A, then AAAA). Only a key found is
   * remembered (a group, once made, stays; a name not there yet may be added).
   */
  groupOf(ownerKey: string): number {
    if (ownerKey === this.foundKey) return this.foundGroup;
    const g = this.keys.find(ownerKey);
    if (g >= 0) {
      this.foundKey = ownerKey;
      this.foundGroup = g;
    }
    return g;
  }

  private facts(i: number): RecordFacts {
    const tc = this.typeClass.get(i);
    const ttl = this.ttl.get(i);
    const at = this.at;
    const ta = this.ttlAt;
    return {
      typeCode: tc & 0xffff, classCode: tc >>> 16, ttl: ttl === NO_TTL ? undefined : ttl,
      h1: this.h1.get(i), h2: this.h2.get(i),
      at: { start: at.get(2 * i), end: at.get(2 * i + 1) }, ttlAt: { start: ta.get(2 * i), end: ta.get(2 * i + 1) },
    };
  }

  /** The facts of an owner's records, in file order (from its first record's index). */
  private ownerFacts(first: number): RecordFacts[] {
    const facts: RecordFacts[] = [];
    for (let i = first; i !== -1; i = this.next.get(i)) facts.push(this.facts(i));
    return facts;
  }

  /** True when every record of an owner (from its first record's index) has a type that `ok` accepts. */
  private onlyTypes(first: number, ok: (typeCode: number) => boolean): boolean {
    const tc = this.typeClass;
    for (let i = first; i !== -1; i = this.next.get(i)) if (!ok(tc.get(i) & 0xffff)) return false;
    return true;
  }

  /** True when a record of this type was added at this owner (by key). */
  hasType(ownerKey: string, typeCode: number): boolean {
    const g = this.groupOf(ownerKey);
    if (g < 0) return false;
    const next = this.next;
    const tc = this.typeClass;
    for (let i = this.groupFirst.get(g); i !== -1; i = next.get(i)) if ((tc.get(i) & 0xffff) === typeCode) return true;
    return false;
  }

  /** A group's record indices or type and class codes (scratch, reused: see gather). */
  private members = new Int32Array(64);

  /** Puts the record indices of a group (from its first record's), or their type and class codes, in `members`; returns how many. */
  private gather(first: number, codes: boolean): number {
    let n = 0;
    for (let i = first; i !== -1; i = this.next.get(i)) {
      if (n === this.members.length) {
        const bigger = new Int32Array(2 * n);
        bigger.set(this.members);
        this.members = bigger;
      }
      this.members[n++] = codes ? this.typeClass.get(i) : i;
    }
    return n;
  }

  /** plainOwner on the typed-array columns. */
  private plainGroup(first: number): boolean {
    if (this.next.get(first) === -1) return true;
    const n = this.gather(first, true);
    const m = this.members;
    return plainCodes(n, this.members);
  }

  /**
   * True when findOwnerProblems would find nothing at a group that is not plain (an RRset of
   * several records, the common case): no CNAME and, in each RRset, no TTL other than the first
   * record's (RRSIGs aside) and no two records with the same hashes. Told on the columns,
   * without making the records' facts.
   */
  private quietGroup(first: number): boolean {
    const n = this.gather(first, false);
    const m = this.members;
    for (let j = 0; j < n; j++) {
      const tc = this.typeClass.get(m[j]);
      if ((tc & 0xffff) === TYPE_CNAME) return false;
      let setFirst = -1;
      for (let i = 0; i < j; i++) {
        if (this.typeClass.get(m[i]) !== tc) continue;
        if (setFirst < 0) {
          setFirst = m[i];
          const a = this.ttl.get(setFirst), b = this.ttl.get(m[j]);
          if ((tc & 0xffff) !== TYPE_RRSIG && a !== NO_TTL && b !== NO_TTL && a !== b) return false;
        }
        const h1 = this.h1.get(m[j]), h2 = this.h2.get(m[j]);
        if (this.h1.get(m[i]) === h1 && this.h2.get(m[i]) === h2 && (h1 | h2) !== 0) return false;
      }
    }
    return true;
  }

  finish(zoneOrigin: string | undefined): ZoneDiagnostic[] {
    const out = this.diagnostics;
    const zoneKey = zoneOrigin === undefined ? undefined : nameKey(zoneOrigin);
    const shape = shapeOf(zoneKey, this.nsOwners, this.dnameOwners);
    // Occlusion needs a delegation or DNAME at or above the owner: owners with none are told from
    // their octets (suffix hashes of the cuts and DNAMEs), without making their key.
    let covers: Set<number> | undefined;
    let apex: KnownSuffix | undefined;
    if (shape) {
      covers = new Set();
      for (const k of [...shape.cuts, ...shape.dnames]) covers.add(suffixHash(k));
      if (shape.dnames.has('.') || shape.cuts.has('.')) covers = undefined;
      // (most owners end with the apex: its suffixes are looked up once)
      else if (zoneKey !== undefined && zoneKey !== '.' && !zoneKey.includes('\\')) apex = knownSuffix(zoneKey, covers);
    }
    for (let g = 0; g < this.keys.size; g++) {
      const first = this.groupFirst.get(g);
      const outside = zoneKey !== undefined && !this.keys.atOrBelow(g, zoneKey);
      const plain = this.plainGroup(first);
      const occlusion = shape !== undefined && (covers === undefined || this.keys.maybeBelow(g, covers, outside ? undefined : apex));
      // (the key and owner as strings only where a check needs them: most owners of a large zone pass every test on its octets)
      if (!outside && plain && !occlusion) continue;
      const key = this.keys.key(g);
      const owner = this.ownerNotKey.get(g) ?? key;
      if (outside) out.push(outOfZone(owner, zoneOrigin!, this.facts(first).at));
      // (glue, the common case below a delegation, is told by its types alone when the zone has no DNAME)
      if (occlusion && mayBeOccluded(key, shape!) && (shape!.dnames.size > 0 || !this.onlyTypes(first, servedAtCut))) findOccluded(key, owner, this.ownerFacts(first), shape!, (d) => out.push(d));
      if (plain || this.quietGroup(first)) continue;
      for (const d of checkOwner(owner, this.ownerFacts(first), undefined, zoneOrigin)) out.push(d);
    }
    return out.sort((a, b) => a.start - b.start);
  }
}

/**
 * The delegations (NS owners below the apex) and DNAMEs of a zone, for occluded-data; undefined
 * when there are none (or no apex), so most zones skip that check altogether.
 */
export function shapeOf(zoneKey: string | undefined, nsOwners: Iterable<string>, dnameOwners: ReadonlySet<string>): ZoneShape | undefined {
  if (zoneKey === undefined) return undefined;
  const cuts = new Set<string>();
  for (const k of nsOwners) if (k !== zoneKey && keyAtOrBelow(k, zoneKey)) cuts.add(k);
  if (cuts.size === 0 && dnameOwners.size === 0) return undefined;
  return { apexKey: zoneKey, cuts, dnames: dnameOwners };
}

/** isAtOrBelow on keys that are already lowercase (zoneRules.ts, which the zone rules share). */
export { keyAtOrBelow };

export function outOfZone(owner: string, zoneOrigin: string, at: Span): ZoneDiagnostic {
  return warn('out-of-zone', at, `${owner} is not in the zone ${zoneOrigin}: servers ignore it or refuse to load the zone; fix the name (a missing trailing dot?) or move it to its own zone`);
}

/** The zone-wide stage on a whole parse (record checks and owner checks, sorted by position). */
export function checkZone(parsed: ParsedZone, options: AnalysisOptions): ZoneDiagnostic[] {
  const checker = new ZoneChecker();
  for (const r of parsed.records) {
    checker.add(r);
    for (const check of zoneWideStage.recordChecks) check(r, options, checker.diagnostics);
  }
  return checker.finish(parsed.zoneOrigin);
}

