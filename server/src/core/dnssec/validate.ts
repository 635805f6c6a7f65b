import { ZoneRecord } from '../model';
import { nameKey, relativize, wireName } from '../names';
import { latin1, sameBytes } from '../bytes';
import {
  typeName, TYPE_DNAME, TYPE_DNSKEY, TYPE_DS, TYPE_NS, TYPE_NSEC, TYPE_NSEC3, TYPE_NSEC3PARAM, TYPE_RRSIG, TYPE_SOA,
} from '../rrtypes';
import { Span, ZoneDiagnostic } from '../types';
import { algorithmName, canVerify, digest, importDnskey, PublicKey, verifySignature } from './crypto';
import { canonicalNameWire, Dnskey, labelCount, readDnskey, readRrsig, Rrsig, rrsetBody, signedData, u16, wildcardOf } from './wire';
import { dsFindings, zonemdFindings } from './apexRecords';
import { DenialChecks } from './denial';
import { DnssecRecord, Finding, hasType, keyAtOrBelowApex, Node, parentKey, RrsetEntry, SigRef } from './model';

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
 * Asynchronous (WebCrypto). The signature results are cached in a `DnssecCache` keyed by the
 * exact signed data, so an editor re-validating after an edit only verifies the RRsets whose
 * data changed. The times (expired, not yet valid, expiring) are checked per record,
 * synchronously, in checks/zone.ts.
 */

/** Where a problem with a record is reported: its type token (or the $INCLUDE line). */
const atOf = (r: DnssecRecord): Span => r.includeSpan ?? r.typeToken ?? r;

/** A slim copy of a record for the DNSSEC stage, or undefined when it has no valid data. */
export function dnssecRecordOf(r: ZoneRecord): DnssecRecord | undefined {
  if (!r.wire || !r.owner || r.typeCode === 0 || r.ttl === undefined) return undefined;
  const at = atOf(r);
  return { owner: r.owner, ownerKey: r.ownerKey, typeCode: r.typeCode, classCode: r.classCode, ttl: r.ttl, wire: r.wire, start: at.start, end: at.end };
}

interface Verified {
  data: Uint8Array;
  keyRdata: Uint8Array;
  ok: boolean;
}

/**
 * Signature results and imported keys, kept between validations of one document (an edit
 * re-verifies only signatures over data that changed).
 */
export class DnssecCache {
  private sigs = new Map<string, Verified>();
  private used = new Map<string, Verified>();
  private keys = new Map<string, Promise<PublicKey>>();
  private usedKeys = new Map<string, Promise<PublicKey>>();
  /** The validation state of the document (names, RRsets and their results), updated record by record. */
  state?: DnssecState;
  /** Signatures verified by the last validation (not answered by the cache). */
  verifiedLast = 0;
  /** RRsets checked again by the last validation (not answered by their last result). */
  rrsetsChecked = 0;

  key(algorithm: number, material: Uint8Array): Promise<PublicKey> {
    const k = `${algorithm}:${latin1(material)}`;
    let p = this.usedKeys.get(k) ?? this.keys.get(k);
    if (!p) p = importDnskey(algorithm, material);
    this.usedKeys.set(k, p);
    return p;
  }

  lookup(sigKey: string, data: Uint8Array, keyRdata: Uint8Array): boolean | undefined {
    const v = this.used.get(sigKey) ?? this.sigs.get(sigKey);
    if (!v || !sameBytes(v.data, data) || !sameBytes(v.keyRdata, keyRdata)) return undefined;
    this.used.set(sigKey, v);
    return v.ok;
  }

  store(sigKey: string, v: Verified): void {
    this.used.set(sigKey, v);
  }

  /**
   * Ends a validation. Signature results and keys are kept (an RRset answered from its last
   * result does not look its signatures up, and needs them when its records are re-parsed)
   * until they outnumber `liveSignatures` twice; then only those of this validation stay.
   */
  sweep(liveSignatures = 0): void {
    if (this.sigs.size + this.used.size > 2 * liveSignatures + 1024) this.sigs = this.used;
    else for (const [k, v] of this.used) this.sigs.set(k, v);
    this.used = new Map();
    if (this.keys.size + this.usedKeys.size > 64) this.keys = this.usedKeys;
    else for (const [k, v] of this.usedKeys) this.keys.set(k, v);
    this.usedKeys = new Map();
  }
}


export interface DnssecOptions {
  /** The zone's apex (normalized absolute name). */
  apex: string;
  /** Kept between runs (the editor); a fresh one otherwise. */
  cache?: DnssecCache;
  /** Shown in messages (relative names). */
  displayOrigin?: string;
}

const finding = (rec: DnssecRecord, code: string, message: string): Finding => ({ rec, code, severity: 'error', message });

function sameInputs(e: RrsetEntry, inputs: Uint8Array[], ttls: number[]): boolean {
  if (e.inputs.length !== inputs.length || e.ttls.length !== ttls.length) return false;
  for (let i = 0; i < inputs.length; i++) if (e.inputs[i] !== inputs[i]) return false;
  for (let i = 0; i < ttls.length; i++) if (e.ttls[i] !== ttls[i]) return false;
  return true;
}

const NOT_SIGNED_AT_DELEGATION = new Set<number>([TYPE_DS, TYPE_NSEC]);
/** Types whose change can change which names are authoritative. */
const STRUCTURAL = new Set<number>([TYPE_NS, TYPE_DNAME, TYPE_DS, TYPE_SOA]);
const CHAIN_TYPES = new Set<number>([TYPE_NSEC, TYPE_NSEC3, TYPE_NSEC3PARAM]);
const CONCURRENCY = 256;


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
  const cache = options.cache ?? new DnssecCache();
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

export class DnssecState {
  private readonly nodes = new Map<string, Node>();
  private readonly byWire = new Map<Uint8Array, { rec: DnssecRecord; node: Node; gen: number }>();
  /** The record list of the last update, when it was an array (the editor's parsed records). */
  private last?: DnssecRecord[];
  /** Nodes whose RRsets have findings (the output walks only these). */
  private readonly withFindings = new Set<Node>();
  private gen = 0;
  private out: ZoneDiagnostic[] = [];
  readonly apexKey: string;
  private zoneClass = 1;
  private signatureCount = 0;
  /** The update running now (the next one starts after it). */
  running: Promise<void> = Promise.resolve();
  // What changed since the last validation.
  private dirty = new Set<Node>();
  private structureChanged = true;
  private chainDirty = true;
  private keysChanged = true;
  private zoneChanged = true;
  private chainFindings: Finding[] = [];
  private zonemdFindings: Finding[] = [];

  constructor(private readonly options: DnssecOptions, private readonly cache: DnssecCache) {
    this.apexKey = nameKey(options.apex);
  }

  private show(owner: string): string {
    return relativize(owner, this.options.displayOrigin ?? this.options.apex);
  }

  /** Brings the state to `records` (the whole zone) and validates what changed. */
  async update(records: Iterable<DnssecRecord>): Promise<ZoneDiagnostic[]> {
    if (Array.isArray(records) && this.last) {
      this.updateFromLast(records);
      return this.run();
    }
    if (Array.isArray(records)) this.last = records;
    const gen = ++this.gen;
    let kept = 0;
    const added: DnssecRecord[] = [];
    for (const r of records) {
      if (!r.wire || !r.owner || r.typeCode === 0 || r.ttl === undefined) continue;
      const e = this.byWire.get(r.wire);
      if (e) {
        if (e.gen !== gen) {
          e.gen = gen;
          kept++;
          if (e.rec !== r) this.replaceRecord(e, r);
        }
        continue;
      }
      this.addRecord(r, gen);
      added.push(r);
      kept++;
    }
    const removed: DnssecRecord[] = [];
    if (kept !== this.byWire.size) {
      for (const [w, e] of this.byWire) if (e.gen !== gen) removed.push(this.removeRecord(w, e));
    }
    this.noteChanges(added, removed);
    return this.run();
  }

  /**
   * The editor's path: the record list of the last update and this one differ only in a window
   * (the chunks an edit re-parsed); records before and after it are the same objects in the same
   * order, so a comparison of the two lists from both ends finds what was removed and added
   * without looking the other records up.
   */
  private updateFromLast(records: DnssecRecord[]): void {
    const old = this.last!;
    this.last = records;
    const n = Math.min(old.length, records.length);
    let p = 0;
    while (p < n && old[p] === records[p]) p++;
    let q = 0;
    while (q < n - p && old[old.length - 1 - q] === records[records.length - 1 - q]) q++;
    const valid = (r: DnssecRecord) => !!r.wire && !!r.owner && r.typeCode !== 0 && r.ttl !== undefined;
    // Added first, then removed (as in the full path): a type set that only changed records never looks emptied.
    const added: DnssecRecord[] = [];
    const window = new Set<DnssecRecord>();
    for (let i = p; i < records.length - q; i++) {
      const r = records[i];
      window.add(r);
      if (!valid(r) || this.byWire.has(r.wire!)) continue;
      this.addRecord(r, this.gen);
      added.push(r);
    }
    const removed: DnssecRecord[] = [];
    for (let i = p; i < old.length - q; i++) {
      const r = old[i];
      if (window.has(r)) continue;
      const e = valid(r) ? this.byWire.get(r.wire!) : undefined;
      if (e && e.rec === r) removed.push(this.removeRecord(r.wire!, e));
    }
    this.noteChanges(added, removed);
  }

  /**
   * What the added and removed records change: a re-parsed stretch of text gives new objects
   * for unchanged records, which cancel out (same name, type, TTL and data) and change no name,
   * chain or digest; their RRsets are still checked again (cheaply: the signatures are cached).
   */
  private noteChanges(added: DnssecRecord[], removed: DnssecRecord[]): void {
    const gone = new Map<string, number>();
    const key = (r: DnssecRecord) => `${r.ownerKey} ${r.typeCode} ${r.classCode} ${r.ttl} ${latin1(r.wire!)}`;
    for (const r of removed) {
      const k = key(r);
      gone.set(k, (gone.get(k) ?? 0) + 1);
    }
    const change = (r: DnssecRecord) => {
      // (New names and type sets were noted by addRecord/removeRecord.)
      const type = r.typeCode === TYPE_RRSIG && r.wire!.length >= 2 ? u16(r.wire!, 0) : r.typeCode;
      this.zoneChanged = true;
      if (STRUCTURAL.has(type)) this.structureChanged = true;
      if (CHAIN_TYPES.has(type) || CHAIN_TYPES.has(r.typeCode)) this.chainDirty = true;
      if ((type === TYPE_DNSKEY && r.ownerKey === this.apexKey) || type === TYPE_SOA) this.keysChanged = true;
    };
    for (const r of added) {
      const k = key(r);
      const c = gone.get(k);
      if (c) gone.set(k, c - 1);
      else change(r);
    }
    for (const r of removed) {
      const k = key(r);
      const c = gone.get(k);
      if (c) {
        gone.set(k, c - 1);
        change(r);
      }
    }
  }

  private addRecord(r: DnssecRecord, gen: number): void {
    const key = r.ownerKey;
    let n = this.nodes.get(key);
    let created = false;
    if (!n) {
      n = { owner: r.owner, key, wire: canonicalNameWire(r.owner), sets: new Map(), sigs: new Map(), status: 'auth', results: new Map() };
      this.nodes.set(key, n);
      created = true;
    }
    const set = n.sets.get(r.typeCode);
    if (set) set.push(r);
    else {
      n.sets.set(r.typeCode, [r]);
      created = true;
    }
    if (r.typeCode === TYPE_RRSIG && r.wire!.length >= 2) {
      const covered = u16(r.wire!, 0);
      const list = n.sigs.get(covered);
      if (list) list.push({ rec: r, covered });
      else n.sigs.set(covered, [{ rec: r, covered }]);
      this.signatureCount++;
    }
    this.byWire.set(r.wire!, { rec: r, node: n, gen });
    this.dirty.add(n);
    if (created) this.structureChanged = true;
  }

  /** The same data object under another record object (a copy): take the new one, nothing else changed. */
  private replaceRecord(e: { rec: DnssecRecord; node: Node }, r: DnssecRecord): void {
    const old = e.rec;
    e.rec = r;
    const set = e.node.sets.get(r.typeCode);
    if (set) set[set.indexOf(old)] = r;
    for (const list of e.node.sigs.values()) for (const x of list) if (x.rec === old) x.rec = r;
    this.dirty.add(e.node);
  }

  private removeRecord(wire: Uint8Array, e: { rec: DnssecRecord; node: Node }): DnssecRecord {
    this.byWire.delete(wire);
    const n = e.node;
    const r = e.rec;
    const set = n.sets.get(r.typeCode);
    let emptied = false;
    if (set) {
      const i = set.indexOf(r);
      if (i >= 0) set.splice(i, 1);
      if (set.length === 0) {
        n.sets.delete(r.typeCode);
        n.results.delete(r.typeCode);
        emptied = true;
      }
    }
    if (r.typeCode === TYPE_RRSIG) {
      this.signatureCount--;
      for (const [covered, list] of n.sigs) {
        const i = list.findIndex((x) => x.rec === r);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) n.sigs.delete(covered);
      }
    }
    if (n.sets.size === 0) {
      this.nodes.delete(n.key);
      this.dirty.delete(n);
      this.withFindings.delete(n);
      this.structureChanged = true;
      return r;
    }
    this.dirty.add(n);
    if (emptied) this.structureChanged = true;
    return r;
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
    const keys: { rec: DnssecRecord; key: Dnskey }[] = [];
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

  private anyType(type: number): boolean {
    return hasType(this.nodes, type);
  }

  /** Delegations (NS below the apex) and DNAMEs occlude the names below them. Nodes whose status changes are checked again. */
  private classify(): void {
    const cut = new Map<string, boolean>();
    const isCut = (key: string): boolean => {
      const n = this.nodes.get(key);
      return !!n && ((key !== this.apexKey && n.sets.has(TYPE_NS)) || n.sets.has(TYPE_DNAME));
    };
    // Memoized: does any proper ancestor (below the apex, or the apex's DNAME) cut?
    const below = (key: string): boolean => {
      const p = parentKey(key);
      if (p === undefined || key === this.apexKey) return false;
      let r = cut.get(p);
      if (r === undefined) {
        r = isCut(p) || (p !== this.apexKey && below(p));
        cut.set(p, r);
      }
      return r;
    };
    for (const n of this.nodes.values()) {
      const status = !keyAtOrBelowApex(n.key, this.apexKey) || below(n.key) ? 'occluded'
        : n.key !== this.apexKey && n.sets.has(TYPE_NS) ? 'delegation' : 'auth';
      if (status !== n.status) {
        n.status = status;
        this.dirty.add(n);
      }
    }
  }

  // ---- signatures and coverage ----

  private async signatures(apex: Node, keys: { rec: DnssecRecord; key: Dnskey }[], algorithms: number[]): Promise<void> {
    const jobs: (() => Promise<void>)[] = [];
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
        for (const k of keys) inputs.push(k.rec.wire!);
        for (const r of rrset) inputs.push(r.wire!);
        for (const x of sigs) inputs.push(x.rec.wire!);
        const ttls = rrset.map((r) => r.ttl!);
        const last = n.results.get(type);
        if (last && sameInputs(last, inputs, ttls)) continue;
        this.cache.rrsetsChecked++;
        jobs.push(async () => {
          n.results.set(type, { inputs, ttls, findings: await this.checkRrset(n, type, rrset, sigs, keys, algorithms, type === TYPE_DNSKEY && n === apex ? sepAlgs : undefined) });
        });
      }
      for (const t of [...n.results.keys()]) if (!seen.has(t)) n.results.delete(t);
    }
    for (let i = 0; i < jobs.length; i += CONCURRENCY) await Promise.all(jobs.slice(i, i + CONCURRENCY).map((j) => j()));
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

  private async checkRrset(n: Node, type: number, rrset: DnssecRecord[], sigRefs: SigRef[],
    keys: { rec: DnssecRecord; key: Dnskey }[], algorithms: number[], sepAlgs?: Set<number>): Promise<Finding[]> {
    const out: Finding[] = [];
    const shown = `${typeName(type)} RRset at ${this.show(n.owner)}`;
    const valid = new Set<number>();
    const failed = new Set<number>();
    let bySep = false;
    const body = rrsetBody(type, this.zoneClass, rrset);
    const sigs = sigRefs.map((x) => ({ rec: x.rec, sig: readRrsig(x.rec.wire!) }));
    for (let si = 0; si < sigs.length; si++) {
      const { sig, rec } = sigs[si];
      if (!sig) continue;
      if (!canVerify(sig.algorithm)) continue;
      const problem = this.sigProblem(n, sig);
      if (problem) {
        failed.add(sig.algorithm);
        out.push(finding(rec, 'rrsig-invalid', `this RRSIG over the ${shown} ${problem}`));
        continue;
      }
      const candidates = keys.filter((k) => k.key.keyTag === sig.keyTag && k.key.algorithm === sig.algorithm);
      if (candidates.length === 0) {
        failed.add(sig.algorithm);
        out.push(finding(rec, 'rrsig-invalid',
          `this RRSIG over the ${shown} names key tag ${sig.keyTag} (${algorithmName(sig.algorithm)}), which is not in the zone's DNSKEY RRset: publish that key or re-sign the zone`));
        continue;
      }
      const owner = sig.labels < labelCount(n.wire) ? wildcardOf(n.wire, sig.labels) : n.wire;
      const data = signedData(sig, owner, body);
      let ok = false;
      for (const c of candidates) {
        if (await this.verify(sig, data, c.rec.wire!, c.key)) {
          ok = true;
          if (c.key.flags & 1) bySep = true;
          break;
        }
      }
      if (ok) valid.add(sig.algorithm);
      else {
        failed.add(sig.algorithm);
        out.push(finding(rec, 'rrsig-invalid',
          `this RRSIG (key tag ${sig.keyTag}, ${algorithmName(sig.algorithm)}) does not verify over the ${shown}: the RRset changed after signing (or the signature is damaged); re-sign the zone`));
      }
    }
    const missingAlgs = algorithms.filter((a) => !valid.has(a));
    if (missingAlgs.length > 0) {
      const isTlsa = type === 52;
      const dane = isTlsa ? ': validating resolvers treat this TLSA RRset as bogus and DANE senders defer mail to this host' : '';
      if (missingAlgs.some((a) => failed.has(a))) {
        for (let ri = 0; ri < rrset.length; ri++) {
          out.push(finding(rrset[ri], 'rrsig-invalid',
            `the ${shown} does not verify against its RRSIG${dane}; the data changed after signing: re-sign the zone`));
        }
      } else if (sigs.length === 0 || valid.size === 0) {
        for (let ri = 0; ri < rrset.length; ri++) {
          out.push(finding(rrset[ri], 'rrsig-missing',
            `the ${shown} has no signature by the zone's DNSKEYs${dane}: re-sign the zone (a signer adds the RRSIG)`));
        }
      } else {
        const names = missingAlgs.map((a) => `${algorithmName(a)} (${a})`).join(', ');
        for (let ri = 0; ri < rrset.length; ri++) {
          out.push(finding(rrset[ri], 'dnssec-algorithm-missing',
            `the ${shown} is not signed with ${names}, an algorithm of the DNSKEY RRset (RFC 6840 §5.11: every algorithm must sign every RRset): re-sign with all keys, or remove the algorithm's DNSKEYs once its DS is gone`));
        }
      }
    } else if (sepAlgs && sepAlgs.size > 0 && !bySep && [...sepAlgs].some(canVerify)) {
      for (let ri = 0; ri < rrset.length; ri++) {
        out.push(finding(rrset[ri], 'rrsig-missing',
          `the DNSKEY RRset is not signed by a key with the SEP flag (a KSK), though the zone has one: the DS in the parent points to that key, so resolvers cannot validate the zone; sign the DNSKEY RRset with the KSK`));
      }
    }
    return out;
  }

  /** A problem of an RRSIG that needs no cryptography, or undefined. */
  private sigProblem(n: Node, sig: Rrsig): string | undefined {
    const apexWire = this.nodes.get(this.apexKey)!.wire;
    if (!sameBytes(sig.signer, apexWire)) return `is signed by ${(wireName(sig.signer, 0) ?? '.')}, not by the zone ${this.options.apex}: re-sign the zone with its own keys`;
    const labels = labelCount(n.wire);
    if (sig.labels > labels) return `has Labels ${sig.labels}, more than the ${labels} of its owner: re-sign the zone`;
    return undefined;
  }

  private async verify(sig: Rrsig, data: Uint8Array, keyRdata: Uint8Array, key: Dnskey): Promise<boolean> {
    const sigKey = latin1(sig.signature.subarray(0, 48)) + sig.signature.length + ':' + key.keyTag;
    const cached = this.cache.lookup(sigKey, data, keyRdata);
    if (cached !== undefined) return cached;
    this.cache.verifiedLast++;
    const pub = await this.cache.key(key.algorithm, key.key);
    const ok = 'key' in pub ? await verifySignature(pub.key, key.algorithm, sig.signature, data) : false;
    this.cache.store(sigKey, { data, keyRdata, ok });
    return ok;
  }

  // ---- NSEC ----

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







