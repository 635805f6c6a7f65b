import { AnalysisOptionsLike } from './options';
import type { AnalysisOptions, OwnerStage } from '../pipeline/stage';
import { ParsedZone, ZoneRecord } from '../model';
import { nameKey } from '../names';
import { TYPE_CNAME, TYPE_DNAME, TYPE_NS, TYPE_RRSIG, TYPE_SOA } from '../rrtypes';
import { describeTtl } from '../ttl';
import { ZoneDiagnostic } from '../types';
import { CompactRecord, NONE, wireLength, wireOffset, wireSpanOf } from '../pipeline/compactRecord';
import { checkRecordRules } from './recordRules';
import { keyAtOrBelow } from './zoneRulesCommon';
import { findOccluded, mayBeOccluded, servedAtCut, ZoneShape } from './zoneShape';
import { Column, KnownSuffix, knownSuffix, OwnerKeys, suffixHash } from './ownerKeys';
import { FactColumns } from './factColumns';
import { KeyHashSet } from './targetHash';
import { checkOwner, hash1, hash2, outOfZone, RecordFacts, warn } from './ownerChecks';

/**
 * Zone-wide checks (the "zone-wide" codes of dane-rules.md): CNAME and other data,
 * RRset TTL mismatch, duplicate records, out-of-zone owners, expired RRSIGs.
 *
 * The checks work on compact per-record facts grouped by owner (the checks of one owner and
 * the facts are in ownerChecks.ts), so the same code serves
 * a whole parsed zone, the streaming CLI (records are not retained) and an incremental
 * document (only the owners an edit touched are checked again).
 */

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
 * findOwnerProblems (and plainOwner and ZoneChecker's loudWith, if it can fire on an owner
 * that they call quiet).
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

/** plainOwner over `n` records given by their `(class << 16) | type` codes. */
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
 * In a group's `groupLast`: the index of its last record (bits 0-29) and LOUD (bit 30): some
 * record added to the group could give a per-owner finding (see loudWith).
 */
const INDEX = 0x3fffffff, LOUD = 0x40000000;
/** A group of more records than this is LOUD: checkOwner tells at finish (exactly, but not on the columns). */
const FEW = 64;

/**
 * Collects facts record by record (streaming or batch) and reports at the end. Facts are
 * kept in typed-array columns and owners as linked lists of record indices, so a
 * million-record zone costs tens of megabytes, not hundreds.
 */
export class ZoneChecker {
  /**
   * Each record's facts, by index, and the next record of its owner: a ring, the last record's
   * `next` being -(first + 2), so a group needs only its last record's index (`groupLast`).
   */
  private readonly rows = new FactColumns();
  /** Owner groups: the group id is the owner key's id in `keys`. */
  private readonly keys: OwnerKeys;
  /** The owner as written, for the groups where it is not its key (other case). */
  private readonly ownerNotKey = new Map<number, string>();
  /** Per group: its last record's index, with LOUD. */
  private readonly groupLast = new Column((n) => new Int32Array(n));
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

  /**
   * `textLength`: the length of the zone's text, when known (the streaming CLI): the owner table
   * is made for about one owner per 128 characters, and need not grow on a large zone.
   */
  constructor(textLength = 0) {
    this.keys = new OwnerKeys(textLength / 128);
  }

  /** Adds a record's facts; returns its index (-1: not added: no owner or no type). */
  add(r: ZoneRecord): number {
    if (!r.owner || r.typeCode === 0) return -1;
    // (the octets where they are: a streamed record makes no view of its slab)
    const wire = wireSpanOf(r);
    const h1 = wire ? hash1(wire, wireOffset, wireLength) : 0;
    const h2 = wire ? hash2() : 0;
    const tc = (r.classCode << 16) | r.typeCode;
    const ttl = r.ttl ?? NO_TTL;
    let i: number;
    if (r instanceof CompactRecord) {
      // the parser's streaming records: the spans without making the tokens
      const ys = r.typeStart;
      const s = ys === NONE ? r.start : ys;
      const e = ys === NONE ? r.end : r.typeEnd;
      const ts = r.ttlStart;
      i = this.rows.push(tc, ttl, h1, h2, s, e, ts === NONE ? s : ts, ts === NONE ? e : r.ttlEnd);
    } else {
      const at = r.includeSpan ?? r.typeToken ?? r;
      const ttlAt = r.includeSpan ?? r.ttlToken ?? at;
      i = this.rows.push(tc, ttl, h1, h2, at.start, at.end, ttlAt.start, ttlAt.end);
    }
    // Records of one owner usually come together (blank owners): skip the lookup for those.
    const key = r.ownerKey;
    let g = key === this.lastKey ? this.lastGroup : -1;
    let fresh = false;
    if (g < 0) {
      g = this.keys.intern(key);
      fresh = this.keys.fresh;
      if (fresh && r.owner !== key) this.ownerNotKey.set(g, r.owner);
      this.lastKey = key;
      this.lastOwner = r.owner;
      this.lastGroup = g;
    }
    const rows = this.rows;
    if (fresh) {
      rows.setNext(i, -(i + 2));
      this.groupLast.set(g, i);
    } else {
      // (the owner's other records were added just before, most often: still in the cache)
      const v = this.groupLast.get(g);
      const last = v & INDEX;
      const ring = rows.next(last);
      const loud = (v & LOUD) !== 0 || this.loudWith(-ring - 2, tc, ttl, h1, h2);
      rows.setNext(last, i);
      rows.setNext(i, ring);
      this.groupLast.set(g, loud ? i | LOUD : i);
    }
    if (r.typeCode === TYPE_NS) this.nsOwners.add(key);
    else if (r.typeCode === TYPE_DNAME) this.dnameOwners.add(key);
    // (the apex: the names after it are held without it)
    else if (r.typeCode === TYPE_SOA) this.keys.useSuffix(key);
    return i;
  }

  /**
   * True when a record with these facts, added to the group whose first record is `first`, could
   * give a finding of findOwnerProblems (but out-of-zone): a CNAME among several records, or, in
   * its RRset, a TTL other than the first record's (RRSIGs aside) or the same hashes as another
   * record; or the group is large. Told on the columns, while the group's records are in the
   * cache; the groups never LOUD (most owners) are passed over at finish.
   */
  private loudWith(first: number, tc: number, ttl: number, h1: number, h2: number): boolean {
    if ((tc & 0xffff) === TYPE_CNAME) return true;
    const rows = this.rows;
    let setFirst = true;
    for (let k = first, n = 0; ; n++) {
      const t = rows.typeClass(k);
      if ((t & 0xffff) === TYPE_CNAME || n === FEW) return true;
      if (t === tc) {
        if (setFirst) {
          setFirst = false;
          const a = rows.ttl(k);
          if ((tc & 0xffff) !== TYPE_RRSIG && a !== NO_TTL && ttl !== NO_TTL && a !== ttl) return true;
        }
        if (rows.h1(k) === h1 && rows.h2(k) === h2 && (h1 | h2) !== 0) return true;
      }
      k = rows.next(k);
      if (k < 0) return false;
    }
  }

  /** The first record of a group. */
  private firstOf(g: number): number {
    return -this.rows.next(this.groupLast.get(g) & INDEX) - 2;
  }

  private foundKey = '';
  private foundGroup = -1;

  /**
   * The group of an owner key, -1 when none. The last key found is remembered: the stages ask
   * about one name several times in a row (its records, then A, then AAAA). Only a key found is
   * remembered (a group, once made, stays; a name not there yet may be added).
   */
  groupOf(ownerKey: string): number {
    // (read before the test: a load that runs every time has type feedback when this is optimized)
    const found = this.foundGroup;
    if (ownerKey === this.foundKey) return found;
    const g = this.keys.find(ownerKey);
    if (g >= 0) {
      this.foundKey = ownerKey;
      this.foundGroup = g;
    }
    return g;
  }

  private facts(i: number): RecordFacts {
    const rows = this.rows;
    const tc = rows.typeClass(i);
    const ttl = rows.ttl(i);
    return {
      typeCode: tc & 0xffff, classCode: tc >>> 16, ttl: ttl === NO_TTL ? undefined : ttl,
      h1: rows.h1(i), h2: rows.h2(i), at: rows.at(i), ttlAt: rows.ttlAt(i),
    };
  }

  /** The facts of an owner's records, in file order (from its first record's index). */
  private ownerFacts(first: number): RecordFacts[] {
    const facts: RecordFacts[] = [];
    for (let i = first; i >= 0; i = this.rows.next(i)) facts.push(this.facts(i));
    return facts;
  }

  /** True when every record of an owner (from its first record's index) has a type that `ok` accepts. */
  private onlyTypes(first: number, ok: (typeCode: number) => boolean): boolean {
    const rows = this.rows;
    for (let i = first; i >= 0; i = rows.next(i)) if (!ok(rows.typeClass(i) & 0xffff)) return false;
    return true;
  }

  /** True when a record of this type was added at this owner (by key). */
  hasType(ownerKey: string, typeCode: number): boolean {
    const g = this.groupOf(ownerKey);
    if (g < 0) return false;
    const rows = this.rows;
    for (let i = this.firstOf(g); i >= 0; i = rows.next(i)) if ((rows.typeClass(i) & 0xffff) === typeCode) return true;
    return false;
  }

  finish(zoneOrigin: string | undefined): ZoneDiagnostic[] {
    const out = this.diagnostics;
    const zoneKey = zoneOrigin === undefined ? undefined : nameKey(zoneOrigin);
    const shape = shapeOf(zoneKey, this.nsOwners, this.dnameOwners);
    // Occlusion needs a delegation or DNAME at or above the owner: owners with none are told from
    // their octets (suffix hashes of the cuts and DNAMEs), without making their key.
    let covers: KeyHashSet | undefined;
    let apex: KnownSuffix | undefined;
    if (shape) {
      // (a typed set: asked at most owners' label boundaries, with hashes that are no small integers)
      covers = new KeyHashSet(shape.cuts.size + shape.dnames.size);
      for (const k of [...shape.cuts, ...shape.dnames]) covers.add(suffixHash(k), 0);
      if (shape.dnames.has('.') || shape.cuts.has('.')) covers = undefined;
      // (most owners end with the apex: its suffixes are looked up once)
      else if (zoneKey !== undefined && zoneKey !== '.' && !zoneKey.includes('\\')) apex = knownSuffix(zoneKey, covers);
    }
    const keys = this.keys;
    const noDname = shape !== undefined && shape.dnames.size === 0;
    for (let g = 0; g < keys.size; g++) {
      const outside = zoneKey !== undefined && !keys.atOrBelow(g, zoneKey);
      const calm = (this.groupLast.get(g) & LOUD) === 0;
      // (glue, the common case below a delegation, is told by its types alone when the zone has no DNAME)
      const occlusion = shape !== undefined && (covers === undefined || keys.maybeBelow(g, covers, outside ? undefined : apex)) &&
        !(noDname && this.onlyTypes(this.firstOf(g), servedAtCut));
      // (the key and owner as strings only where a check needs them: most owners of a large zone pass every test on its octets)
      if (!outside && calm && !occlusion) continue;
      const first = this.firstOf(g);
      const key = keys.key(g);
      const owner = this.ownerNotKey.get(g) ?? key;
      if (outside) out.push(outOfZone(owner, zoneOrigin!, this.rows.at(first)));
      if (occlusion && mayBeOccluded(key, shape!)) findOccluded(key, owner, this.ownerFacts(first), shape!, (d) => out.push(d));
      if (!calm) for (const d of checkOwner(owner, this.ownerFacts(first), undefined, zoneOrigin)) out.push(d);
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

/** The zone-wide stage on a whole parse (record checks and owner checks, sorted by position). */
export function checkZone(parsed: ParsedZone, options: AnalysisOptions): ZoneDiagnostic[] {
  const checker = new ZoneChecker();
  for (const r of parsed.records) {
    checker.add(r);
    for (const check of zoneWideStage.recordChecks) check(r, options, checker.diagnostics);
  }
  return checker.finish(parsed.zoneOrigin);
}

