import { AnalysisOptionsLike } from './options';
import type { AnalysisOptions, OwnerStage } from '../pipeline/stage';
import { ParsedZone, ZoneRecord } from '../model';
import { nameKey } from '../names';
import { TYPE_CNAME, TYPE_DNAME, TYPE_NS, TYPE_RRSIG } from '../rrtypes';
import { describeTtl } from '../ttl';
import { ZoneDiagnostic } from '../types';
import { CompactRecord, NONE } from '../pipeline/compactRecord';
import { checkRecordRules } from './recordRules';
import { keyAtOrBelow } from './zoneRulesCommon';
import { findOccluded, mayBeOccluded, servedAtCut, ZoneShape } from './zoneShape';
import { Column, KnownSuffix, knownSuffix, OwnerKeys, stringHash, suffixHash } from './ownerKeys';
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

/** The zone-wide stage on a whole parse (record checks and owner checks, sorted by position). */
export function checkZone(parsed: ParsedZone, options: AnalysisOptions): ZoneDiagnostic[] {
  const checker = new ZoneChecker();
  for (const r of parsed.records) {
    checker.add(r);
    for (const check of zoneWideStage.recordChecks) check(r, options, checker.diagnostics);
  }
  return checker.finish(parsed.zoneOrigin);
}

