import { ZoneRecord } from '../model';
import { CompactRecord, NONE } from '../pipeline/compactRecord';
import { nameKey, relativize } from '../names';
import { TYPE_DNSKEY, TYPE_DS, TYPE_NSEC, TYPE_NSEC3, TYPE_NSEC3PARAM, TYPE_RRSIG, TYPE_SOA } from '../rrtypes';
import { Span, ZoneDiagnostic } from '../types';
import { NativeVerifier } from '../webcrypto';
import { algorithmName, canVerify } from './crypto';
import { readDnskey } from './wire';
import { dsFindings, zonemdFindings } from './apexRecords';
import { DenialChecks } from './denial';
import { DnssecRecord, Finding, Node, RrsetEntry, SigRef } from './model';
import { RrsetCheck, SignatureCache, SignatureContext, verifyRrsets, ZoneKey } from './signatures';
import { ZoneIndex } from './zoneIndex';

export type { DnssecRecord } from './model';

/**
 * DNSSEC validation of a pre-signed zone (the `rrsig-*`, `nsec*`, `dnssec-algorithm-missing`,
 * `ds-mismatch` and `zonemd-mismatch` codes of dane-rules.md):
 *
 * - every RRSIG verified against the apex DNSKEY RRset in canonical form (RFC 4034 §3.1.8.1,
 *   §6: lower-cased owner and RDATA names, wildcard owners from the Labels field, the
 *   original TTL, RRs sorted by RDATA, duplicates removed);
 * - coverage: every authoritative RRset (not glue or occluded data, at a delegation only DS
 *   and NSEC) signed by each algorithm of the DNSKEY RRset (RFC 4035 §2.2, RFC 6840 §5.11);
 *   the DNSKEY RRset signed by a SEP key where the zone has one;
 * - the NSEC chain (RFC 4034 §4, §6.1) or the NSEC3 chain (RFC 5155 §7.1: hashes, order,
 *   opt-out, NSEC3PARAM, RFC 9276 parameters);
 * - DS/CDS records whose DNSKEY is in the zone (digests computed);
 * - ZONEMD (RFC 8976 §3, simple scheme, SHA-384/SHA-512) recomputed.
 *
 * The names and what changed are kept in `ZoneIndex` (zoneIndex.ts); one RRset's signatures
 * are checked in signatures.ts; the chains in denial.ts; DS/CDS and ZONEMD in apexRecords.ts.
 * Asynchronous (WebCrypto). The signature results are cached in a `DnssecCache` keyed by the
 * exact signed data, so an editor re-validating after an edit only verifies the RRsets whose
 * data changed. The times (expired, not yet valid, expiring) are checked per record,
 * synchronously, in checks/zone.ts.
 */

/** Where a problem with a record is reported: its type token (or the $INCLUDE line). */
const atOf = (r: DnssecRecord): Span => r.includeSpan ?? r.typeToken ?? r;

/** A slim copy of a record for the DNSSEC stage, or undefined when it has no valid data. */
export function dnssecRecordOf(r: ZoneRecord): DnssecRecord | undefined {
  // (A streamed record makes a new view of its wire form each time it is asked.)
  const wire = r.wire;
  if (!wire || !r.owner || r.typeCode === 0 || r.ttl === undefined) return undefined;
  if (r instanceof CompactRecord && (r as ZoneRecord).includeSpan === undefined) {
    // atOf's span from the stored positions, without making the type token.
    const ys = r.typeStart;
    const start = ys === NONE ? r.start : ys;
    const end = ys === NONE ? r.end : r.typeEnd;
    return { owner: r.owner, ownerKey: r.ownerKey, typeCode: r.typeCode, classCode: r.classCode, ttl: r.ttl, wire, start, end };
  }
  const at = atOf(r);
  return { owner: r.owner, ownerKey: r.ownerKey, typeCode: r.typeCode, classCode: r.classCode, ttl: r.ttl, wire, start: at.start, end: at.end };
}

/**
 * What is kept between validations of one document: signature results and imported keys
 * (`SignatureCache`), and the validation state (names, RRsets and their results).
 */
export class DnssecCache extends SignatureCache {
  /** The validation state of the document (names, RRsets and their results), updated record by record. */
  state?: DnssecState;
  /** RRsets checked again by the last validation (not answered by their last result). */
  rrsetsChecked = 0;
}

export interface DnssecOptions {
  /** The zone's apex (normalized absolute name). */
  apex: string;
  /** Kept between runs (the editor); a fresh one otherwise. */
  cache?: DnssecCache;
  /** Shown in messages (relative names). */
  displayOrigin?: string;
  /** The platform's own signature verification (ZoneIO.verifier); WebCrypto without it. */
  native?: NativeVerifier;
}

function sameInputs(e: RrsetEntry, inputs: Uint8Array[], ttls: number[]): boolean {
  if (e.inputs.length !== inputs.length || e.ttls.length !== ttls.length) return false;
  for (let i = 0; i < inputs.length; i++) if (e.inputs[i] !== inputs[i]) return false;
  for (let i = 0; i < ttls.length; i++) if (e.ttls[i] !== ttls[i]) return false;
  return true;
}

const NOT_SIGNED_AT_DELEGATION = new Set<number>([TYPE_DS, TYPE_NSEC]);
/** RRsets whose signatures are read and verified together. */
const WINDOW = 1024;

function diag(code: string, severity: ZoneDiagnostic['severity'], at: Span, message: string): ZoneDiagnostic {
  return { code, severity, start: at.start, end: at.end, message };
}

/**
 * Validates the DNSSEC data of a zone. Returns [] for a zone without DNSKEY at its apex.
 * With `options.cache` (one per document) the state is kept: the next call compares the
 * records with the last call's by identity and checks again only the RRsets that changed.
 * Never throws on bad data.
 */
export async function validateDnssec(records: Iterable<DnssecRecord>, options: DnssecOptions): Promise<ZoneDiagnostic[]> {
  // Without a cache of its own (the CLI), nothing is kept for a next validation.
  const cache = options.cache ?? new DnssecCache(false);
  let state = cache.state;
  if (!state || state.apexKey !== nameKey(options.apex)) state = new DnssecState(options, cache);
  cache.state = state;
  // One update at a time per document: a newer version waits for the running one (a cold
  // validation of a large zone takes seconds) and then only checks what changed since.
  const s = state;
  const run = s.running.then(() => s.update(records), () => s.update(records));
  s.running = run.then(() => undefined, () => undefined);
  return run;
}

export class DnssecState extends ZoneIndex {
  private out: ZoneDiagnostic[] = [];
  private zoneClass = 1;
  /** The update running now (the next one starts after it). */
  running: Promise<void> = Promise.resolve();
  private chainFindings: Finding[] = [];
  private zonemdFindings: Finding[] = [];

  constructor(private readonly options: DnssecOptions, private readonly cache: DnssecCache) {
    super(nameKey(options.apex), cache.remembers);
  }

  private show(owner: string): string {
    return relativize(owner, this.options.displayOrigin ?? this.options.apex);
  }

  /** Brings the state to `records` (the whole zone) and validates what changed. */
  async update(records: Iterable<DnssecRecord>): Promise<ZoneDiagnostic[]> {
    this.take(records);
    return this.run();
  }

  private async run(): Promise<ZoneDiagnostic[]> {
    this.cache.verifiedLast = 0;
    this.cache.rrsetsChecked = 0;
    this.out = [];
    const apex = this.nodes.get(this.apexKey);
    const soa = apex?.sets.get(TYPE_SOA)?.[0];
    if (soa) this.zoneClass = soa.classCode;
    const dnskeys = apex?.sets.get(TYPE_DNSKEY)?.filter((r) => r.classCode === this.zoneClass);
    if (!apex || !dnskeys || dnskeys.length === 0) {
      this.cache.sweep(this.signatureCount);
      return [];
    }
    if (this.structureChanged) this.classify();
    if (this.keysChanged) for (const n of this.nodes.values()) this.dirty.add(n);
    const keys: ZoneKey[] = [];
    for (const rec of dnskeys) {
      const key = readDnskey(rec.wire!);
      // Zone keys only (flags bit 7, RFC 4034 §2.1.1), protocol 3.
      if (key && key.flags & 0x0100 && key.protocol === 3) keys.push({ rec, key });
    }
    const algorithms = [...new Set(keys.map((k) => k.key.algorithm))];
    for (const a of algorithms) {
      if (!canVerify(a)) {
        const first = keys.find((k) => k.key.algorithm === a)!;
        this.out.push(diag('rrsig-invalid', 'information', atOf(first.rec),
          `signatures by ${algorithmName(a)} (algorithm ${a}) cannot be verified here: they were not checked (not counted as valid); check them with a validator that supports it, or move to ECDSAP256SHA256 or ED25519`));
      }
    }
    await this.signatures(apex, keys, algorithms.filter(canVerify));
    this.chains(apex);
    for (const f of await dsFindings(apex, (owner) => this.show(owner))) this.out.push(diag(f.code, f.severity, atOf(f.rec), f.message));
    if (this.zoneChanged) this.zonemdFindings = await zonemdFindings(apex, this.nodes, this.apexKey, this.zoneClass);
    for (const f of this.zonemdFindings) this.out.push(diag(f.code, f.severity, atOf(f.rec), f.message));
    this.dirty.clear();
    this.structureChanged = this.chainDirty = this.keysChanged = this.zoneChanged = false;
    this.cache.sweep(this.signatureCount);
    return this.out.sort((a, b) => a.start - b.start);
  }

  // ---- signatures and coverage ----

  private async signatures(apex: Node, keys: ZoneKey[], algorithms: number[]): Promise<void> {
    const ctx: SignatureContext = {
      cache: this.cache, zoneClass: this.zoneClass, apex: this.options.apex, apexWire: apex.wire, show: (owner) => this.show(owner),
      native: this.options.native,
    };
    const todo: { n: Node; type: number; rrset: DnssecRecord[]; sigs: SigRef[]; entry: RrsetEntry }[] = [];
    const sepAlgs = new Set(keys.filter((k) => k.key.flags & 1).map((k) => k.key.algorithm));
    for (const n of this.dirty) {
      if (!this.nodes.has(n.key)) continue;
      const seen = new Set<number>();
      for (const [type, set] of n.sets) {
        if (type === TYPE_RRSIG || n.status === 'occluded') continue;
        if (n.status === 'delegation' && !NOT_SIGNED_AT_DELEGATION.has(type)) continue;
        const rrset = set.filter((r) => r.classCode === this.zoneClass);
        if (rrset.length === 0) continue;
        seen.add(type);
        const sigs = n.sigs.get(type) ?? [];
        const inputs: Uint8Array[] = [];
        let ttls: number[] = [];
        if (this.cache.remembers) {
          for (const k of keys) inputs.push(k.rec.wire!);
          for (const r of rrset) inputs.push(r.wire!);
          for (const x of sigs) inputs.push(x.rec.wire!);
          ttls = rrset.map((r) => r.ttl!);
          const last = n.results.get(type);
          if (last && sameInputs(last, inputs, ttls)) continue;
        }
        this.cache.rrsetsChecked++;
        todo.push({ n, type, rrset, sigs, entry: { inputs, ttls, findings: [] } });
      }
      for (const t of [...n.results.keys()]) if (!seen.has(t)) n.results.delete(t);
    }
    // In windows of RRsets: one window's signatures are verified while the next is read, and
    // what a window held (signed data, RRSIG fields) goes before the one after it is read.
    let verifying: { from: number; checks: RrsetCheck[]; done: Promise<void> } | undefined;
    const finish = async (): Promise<void> => {
      if (!verifying) return;
      const { from, checks, done } = verifying;
      await done;
      for (let i = 0; i < checks.length; i++) {
        const { n, type, entry } = todo[from + i];
        entry.findings = checks[i].findings();
        n.results.set(type, entry);
      }
      verifying = undefined;
    };
    for (let from = 0; from < todo.length; from += WINDOW) {
      const checks: RrsetCheck[] = [];
      for (let i = from; i < Math.min(from + WINDOW, todo.length); i++) {
        const { n, type, rrset, sigs } = todo[i];
        checks.push(new RrsetCheck(ctx, n, type, rrset, sigs, keys, algorithms, type === TYPE_DNSKEY && n === apex ? sepAlgs : undefined));
      }
      await finish();
      verifying = { from, checks, done: verifyRrsets(ctx, checks) };
    }
    await finish();
    for (const n of this.dirty) {
      let any = false;
      for (const e of n.results.values()) if (e.findings.length > 0) any = true;
      if (any && this.nodes.has(n.key)) this.withFindings.add(n);
      else this.withFindings.delete(n);
    }
    for (const n of this.withFindings) {
      if (!this.nodes.has(n.key)) {
        this.withFindings.delete(n);
        continue;
      }
      for (const e of n.results.values()) for (const f of e.findings) this.out.push(diag(f.code, f.severity, atOf(f.rec), f.message));
    }
  }

  // ---- NSEC / NSEC3 ----

  /**
   * The NSEC/NSEC3 chains, or their last findings when no name, type set or NSEC/NSEC3/NSEC3PARAM
   * record changed since (editing an address changes nothing here).
   */
  private chains(apex: Node): void {
    if (!this.structureChanged && !this.chainDirty && this.chainFindings.every((f) => this.byWire.get(f.rec.wire!)?.rec === f.rec)) {
      for (const f of this.chainFindings) this.out.push(diag(f.code, f.severity, atOf(f.rec), f.message));
      return;
    }
    const denial = new DenialChecks(this.nodes, this.apexKey, this.zoneClass, this.options, (owner) => this.show(owner));
    if (apex.sets.has(TYPE_NSEC3PARAM) || this.anyType(TYPE_NSEC3)) denial.nsec3Chain(apex);
    if (this.anyType(TYPE_NSEC) || !this.anyType(TYPE_NSEC3)) denial.nsecChain(apex);
    this.chainFindings = denial.findings;
    for (const f of this.chainFindings) this.out.push(diag(f.code, f.severity, atOf(f.rec), f.message));
  }
}
