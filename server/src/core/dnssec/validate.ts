import { ZoneRecord } from '../model';
import { nameKey, relativize, wireName } from '../names';
import { compareBytes, latin1, sameBytes, toHex } from '../bytes';
import {
  typeName, TYPE_CDS, TYPE_DNAME, TYPE_DNSKEY, TYPE_DS, TYPE_NS, TYPE_NSEC, TYPE_NSEC3, TYPE_NSEC3PARAM, TYPE_RRSIG, TYPE_SOA, TYPE_ZONEMD,
} from '../rrtypes';
import { Span, ZoneDiagnostic } from '../types';
import { algorithmName, canVerify, digest, dsDigest, importDnskey, nsec3Hash, PublicKey, verifySignature } from './crypto';
import {
  base32hex, canonicalNameWire, canonicalRdata, u16, canonicalSortKey, concatBytes, Dnskey, labelCount,
  nameSuffix, readBitmap, readDnskey, readNsec3, readRrsig, Rrsig, skipName, u32,
} from './wire';

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

/**
 * What the validation needs of one record. A ZoneRecord is one (the editor passes the parsed
 * records themselves, so spans stay current as edits move them); `dane-zone check` keeps slim
 * copies (dnssecRecordOf).
 */
export interface DnssecRecord extends Span {
  owner: string;
  ownerKey: string;
  typeCode: number;
  classCode: number;
  ttl?: number;
  wire?: Uint8Array;
  typeToken?: Span;
  includeSpan?: Span;
}

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

/** A finding, on a record. */
interface Finding {
  rec: DnssecRecord;
  code: string;
  severity: ZoneDiagnostic['severity'];
  message: string;
}

type ChainFinding = Finding;

const finding = (rec: DnssecRecord, code: string, message: string): Finding => ({ rec, code, severity: 'error', message });

function sameInputs(e: RrsetEntry, inputs: Uint8Array[], ttls: number[]): boolean {
  if (e.inputs.length !== inputs.length || e.ttls.length !== ttls.length) return false;
  for (let i = 0; i < inputs.length; i++) if (e.inputs[i] !== inputs[i]) return false;
  for (let i = 0; i < ttls.length; i++) if (e.ttls[i] !== ttls[i]) return false;
  return true;
}

interface RrsetEntry {
  /** The keys, records and RRSIGs it was computed from (compared by identity), and the TTLs. */
  inputs: Uint8Array[];
  ttls: number[];
  findings: Finding[];
}

interface SigRef {
  rec: DnssecRecord;
  covered: number;
}

interface Node {
  owner: string;
  key: string;
  wire: Uint8Array;
  sets: Map<number, DnssecRecord[]>;
  /** RRSIGs at this name by covered type. */
  sigs: Map<number, SigRef[]>;
  status: 'auth' | 'delegation' | 'occluded';
  /** The last signature-check result per RRset type. */
  results: Map<number, RrsetEntry>;
}

const NOT_SIGNED_AT_DELEGATION = new Set<number>([TYPE_DS, TYPE_NSEC]);
/** Types whose change can change which names are authoritative. */
const STRUCTURAL = new Set<number>([TYPE_NS, TYPE_DNAME, TYPE_DS, TYPE_SOA]);
const CHAIN_TYPES = new Set<number>([TYPE_NSEC, TYPE_NSEC3, TYPE_NSEC3PARAM]);
const CONCURRENCY = 256;

/** Parent key of a lower-cased name key (`a.b.` → `b.`; `.` has none). */
function parentKey(key: string): string | undefined {
  if (key === '.') return undefined;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 0x5c) {
      i += key.charCodeAt(i + 1) >= 0x30 && key.charCodeAt(i + 1) <= 0x39 ? 3 : 1;
    } else if (c === 0x2e) return i === key.length - 1 ? '.' : key.slice(i + 1);
  }
  return undefined;
}

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
  private chainFindings: ChainFinding[] = [];
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
    await this.dsRecords();
    if (this.zoneChanged) {
      this.zonemdFindings = [];
      await this.zonemd(apex);
    }
    for (const f of this.zonemdFindings) this.out.push(diag(f.code, f.severity, atOf(f.rec), f.message));
    this.dirty.clear();
    this.structureChanged = this.chainDirty = this.keysChanged = this.zoneChanged = false;
    this.cache.sweep(this.signatureCount);
    return this.out.sort((a, b) => a.start - b.start);
  }

  private anyType(type: number): boolean {
    for (const n of this.nodes.values()) if (n.sets.has(type)) return true;
    return false;
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
    this.chainFindings = [];
    if (apex.sets.has(TYPE_NSEC3PARAM) || this.anyType(TYPE_NSEC3)) this.nsec3Chain(apex);
    if (this.anyType(TYPE_NSEC) || !this.anyType(TYPE_NSEC3)) this.nsecChain(apex);
    for (const f of this.chainFindings) this.out.push(diag(f.code, f.severity, atOf(f.rec), f.message));
  }

  /** Chain findings, on records (kept between validations while the zone's names and types stay the same). */

  private chain(code: string, severity: ZoneDiagnostic['severity'], rec: DnssecRecord, message: string): void {
    this.chainFindings.push({ rec, code, severity, message });
  }

  /** The names that own authoritative data (and so an NSEC/NSEC3): not occluded, not only NSEC/RRSIG/NSEC3. */
  private authNames(): Node[] {
    const out: Node[] = [];
    for (const n of this.nodes.values()) {
      if (n.status === 'occluded') continue;
      let data = false;
      for (const t of n.sets.keys()) if (t !== TYPE_NSEC && t !== TYPE_RRSIG && t !== TYPE_NSEC3) data = true;
      if (data) out.push(n);
    }
    return out;
  }

  /** The types an NSEC/NSEC3 at this name must list (`optional`: may or may not be listed). */
  private expectedTypes(n: Node, nsec3: boolean): { types: Set<number>; optional: Set<number> } {
    const types = new Set<number>();
    const optional = new Set<number>();
    for (const t of n.sets.keys()) {
      if (t === TYPE_NSEC3) continue;
      if (n.status === 'delegation' && t !== TYPE_NS && t !== TYPE_DS && t !== TYPE_NSEC && t !== TYPE_RRSIG) optional.add(t);
      else types.add(t);
    }
    if (nsec3) types.delete(TYPE_NSEC);
    // RRSIG is listed where the name has signed data (an insecure delegation has none under NSEC3).
    if (nsec3 && n.status === 'delegation' && !n.sets.has(TYPE_DS)) types.delete(TYPE_RRSIG);
    else if (nsec3 && [...types].some((t) => t !== TYPE_NS)) types.add(TYPE_RRSIG);
    if (!nsec3) types.add(TYPE_NSEC).add(TYPE_RRSIG);
    return { types, optional };
  }

  private bitmapProblem(listed: number[], expected: { types: Set<number>; optional: Set<number> }): string | undefined {
    const have = new Set(listed);
    const missing = [...expected.types].filter((t) => !have.has(t));
    const extra = listed.filter((t) => !expected.types.has(t) && !expected.optional.has(t));
    if (missing.length === 0 && extra.length === 0) return undefined;
    const parts: string[] = [];
    if (missing.length) parts.push(`does not list ${missing.map(typeName).join(' ')}`);
    if (extra.length) parts.push(`lists ${extra.map(typeName).join(' ')}, which the name does not have`);
    return parts.join(' and ');
  }

  private nsecChain(apex: Node): void {
    const names = this.authNames().map((n) => ({ n, sortKey: canonicalSortKey(n.wire) }));
    names.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    const anyNsec = this.anyType(TYPE_NSEC);
    if (!anyNsec) {
      const at = (apex.sets.get(TYPE_SOA) ?? apex.sets.get(TYPE_DNSKEY)!)[0];
      this.chain('nsec-chain', 'error', at,
        'the zone has DNSKEYs but no NSEC or NSEC3 chain: resolvers cannot validate a negative answer; sign the zone with NSEC or NSEC3 (re-run the signer)');
      return;
    }
    for (let i = 0; i < names.length; i++) {
      const { n } = names[i];
      const nsecs = (n.sets.get(TYPE_NSEC) ?? []).filter((r) => r.classCode === this.zoneClass);
      const next = names[(i + 1) % names.length].n;
      if (nsecs.length === 0) {
        const first = firstRecord(n);
        this.chain('nsec-chain', 'error', first,
          `${this.show(n.owner)} has no NSEC record: the chain has a gap here, so denial of existence around this name fails; re-sign the zone`);
        continue;
      }
      const r = nsecs[0];
      const end = skipName(r.wire!, 0);
      const nextWire = r.wire!.slice(0, end);
      for (let k = 0; k < nextWire.length; k = k + nextWire[k] + 1) {
        for (let j = k + 1; j <= k + nextWire[k] && j < nextWire.length; j++) if (nextWire[j] >= 0x41 && nextWire[j] <= 0x5a) nextWire[j] |= 0x20;
        if (nextWire[k] === 0) break;
      }
      if (nsecs.length > 1) {
        for (const extra of nsecs.slice(1)) this.chain('nsec-chain', 'error', extra, `${this.show(n.owner)} has more than one NSEC record: keep one (re-sign the zone)`);
      }
      if (!sameBytes(nextWire, next.wire)) {
        this.chain('nsec-chain', 'error', r,
          `this NSEC points to ${(wireName(nextWire, 0) ?? '.')}, but the next name in canonical order is ${next.owner}${i === names.length - 1 ? ' (the apex: the chain must close the loop)' : ''}: a name was added or removed after signing; re-sign the zone`);
      }
      const problem = this.bitmapProblem(readBitmap(r.wire!, end), this.expectedTypes(n, false));
      if (problem) this.chain('nsec-chain', 'error', r, `the type bitmap of this NSEC ${problem}: the name's records changed after signing; re-sign the zone`);
    }
    // NSEC records at names that own nothing else (removed data, glue, occluded names).
    for (const n of this.nodes.values()) {
      const nsecs = n.sets.get(TYPE_NSEC);
      if (!nsecs) continue;
      if (n.status === 'occluded' || [...n.sets.keys()].every((t) => t === TYPE_NSEC || t === TYPE_RRSIG)) {
        this.chain('nsec-chain', 'error', nsecs[0],
          n.status === 'occluded'
            ? `this NSEC is at ${this.show(n.owner)}, below a delegation or DNAME, where the zone has no authoritative data: remove it (re-sign the zone)`
            : `this NSEC is at ${this.show(n.owner)}, which owns no other data: its records were removed after signing; re-sign the zone`);
      }
    }
  }

  // ---- NSEC3 ----

  private nsec3Chain(apex: Node): void {
    const param = apex.sets.get(TYPE_NSEC3PARAM)?.[0];
    const nsec3s: { rec: DnssecRecord; n: Node; hash: string; data: ReturnType<typeof readNsec3> & object }[] = [];
    for (const n of this.nodes.values()) {
      const list = n.sets.get(TYPE_NSEC3);
      if (!list) continue;
      const parent = parentKey(n.key);
      const label = n.key.slice(0, n.key.length - (parent === '.' ? 1 : (parent?.length ?? 0) + 1));
      for (const rec of list) {
        const data = readNsec3(rec.wire!);
        if (!data) continue;
        if (parent !== this.apexKey) {
          this.chain('nsec3-chain', 'error', rec, `this NSEC3 is at ${this.show(n.owner)}, not directly below the apex ${this.options.apex}: NSEC3 owners are <hash>.<zone>; re-sign the zone`);
          continue;
        }
        nsec3s.push({ rec, n, hash: label, data });
      }
    }
    if (nsec3s.length === 0) {
      if (param) this.chain('nsec3-chain', 'error', param, 'the zone has NSEC3PARAM but no NSEC3 records: re-sign the zone with NSEC3');
      return;
    }
    // Parameters: those most NSEC3 records use (the chain is hashed with them); NSEC3PARAM must agree.
    const paramsOf = (alg: number, it: number, salt: Uint8Array) => `${alg}/${it}/${toHex(salt)}`;
    const counts = new Map<string, number>();
    for (const x of nsec3s) {
      const k = paramsOf(x.data.hashAlgorithm, x.data.iterations, x.data.salt);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    let chainKey = '';
    for (const [k, c] of counts) if (!chainKey || c > counts.get(chainKey)!) chainKey = k;
    const chainData = nsec3s.find((x) => paramsOf(x.data.hashAlgorithm, x.data.iterations, x.data.salt) === chainKey)!.data;
    const alg = chainData.hashAlgorithm;
    const iterations = chainData.iterations;
    const salt = chainData.salt;
    const showParams = (it: number, sa: Uint8Array) => `${it} iteration${it === 1 ? '' : 's'}, salt ${sa.length ? toHex(sa) : '-'}`;
    if (param && param.wire!.length >= 5) {
      const pAlg = param.wire![0];
      const pIter = (param.wire![2] << 8) | param.wire![3];
      const pSalt = param.wire!.subarray(5, 5 + param.wire![4]);
      if (paramsOf(pAlg, pIter, pSalt) !== chainKey) {
        this.chain('nsec3-chain', 'error', param,
          `this NSEC3PARAM (${showParams(pIter, pSalt)}) disagrees with the NSEC3 chain (${showParams(iterations, salt)}): servers hash names with NSEC3PARAM's values and find no NSEC3; re-sign the zone`);
      }
      if (pIter > 0 || pSalt.length > 0) {
        this.chain('nsec3-params', 'warning', param,
          `NSEC3 with ${pIter} additional iteration${pIter === 1 ? '' : 's'}${pSalt.length ? ` and a ${pSalt.length}-octet salt` : ''}: RFC 9276 says iterations 0 and no salt (more only costs resolvers, and validators may treat high counts as insecure); re-sign with \`-3 - -H 0\` (BIND) or nsec3-iterations: 0, nsec3-salt-length: 0 (Knot)`);
      }
    } else {
      this.chain('nsec3-chain', 'error', nsec3s[0].rec, 'the zone has NSEC3 records but no NSEC3PARAM at the apex: authoritative servers need it to answer with NSEC3; re-sign the zone');
    }
    if (alg !== 1) return; // only SHA-1 is defined (RFC 5155 §11)
    const consistent = nsec3s.filter((x) => {
      const ok = paramsOf(x.data.hashAlgorithm, x.data.iterations, x.data.salt) === chainKey;
      if (!ok) this.chain('nsec3-chain', 'error', x.rec, `this NSEC3's parameters (algorithm ${x.data.hashAlgorithm}, ${showParams(x.data.iterations, x.data.salt)}) differ from the rest of the chain's (${showParams(iterations, salt)}): re-sign the zone`);
      return ok;
    });
    const optOut = consistent.some((x) => x.data.flags & 1);
    // The names: authoritative ones and the empty non-terminals between them and the apex.
    const required = new Map<string, Node | string>(); // hash → node (or ENT key)
    const optional = new Map<string, Node | string>();
    const ents = new Map<string, boolean>(); // ENT key → required
    for (const n of this.authNames()) {
      const insecureDelegation = n.status === 'delegation' && !n.sets.has(TYPE_DS);
      const h = base32hex(nsec3Hash(n.wire, salt, iterations));
      (insecureDelegation && optOut ? optional : required).set(h, n);
      for (let p = parentKey(n.key); p !== undefined && p !== this.apexKey && keyAtOrBelowApex(p, this.apexKey); p = parentKey(p)) {
        const pn = this.nodes.get(p);
        if (pn && [...pn.sets.keys()].some((t) => t !== TYPE_NSEC3 && t !== TYPE_RRSIG && t !== TYPE_NSEC)) break;
        ents.set(p, (ents.get(p) ?? false) || !(insecureDelegation && optOut));
      }
    }
    for (const [k, req] of ents) {
      const h = base32hex(nsec3Hash(canonicalNameWire(k), salt, iterations));
      (req ? required : optional).set(h, k);
    }
    const sorted = [...consistent].sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
    const byHash = new Map<string, (typeof sorted)[number]>();
    for (const x of sorted) {
      if (byHash.has(x.hash)) {
        this.chain('nsec3-chain', 'error', x.rec, `a second NSEC3 at ${this.show(x.n.owner)}: keep one (re-sign the zone)`);
        continue;
      }
      byHash.set(x.hash, x);
    }
    const chain = [...byHash.values()];
    for (let i = 0; i < chain.length; i++) {
      const x = chain[i];
      const next = chain[(i + 1) % chain.length];
      const nextHash = base32hex(x.data.next);
      if (nextHash !== next.hash) {
        this.chain('nsec3-chain', 'error', x.rec,
          `this NSEC3's next hash ${nextHash.toUpperCase()} is not the next NSEC3 owner in hash order (${next.hash.toUpperCase()}${i === chain.length - 1 ? ', the first: the chain must close the loop' : ''}): an NSEC3 was added or removed after signing; re-sign the zone`);
      }
      const owner = required.get(x.hash) ?? optional.get(x.hash);
      if (owner === undefined) {
        this.chain('nsec3-chain', 'error', x.rec,
          `this NSEC3's hash matches no name of the zone (with ${iterations} iterations and ${salt.length ? `salt ${toHex(salt)}` : 'no salt'}): its name was removed after signing; re-sign the zone`);
        continue;
      }
      const expected = typeof owner === 'string' ? { types: new Set<number>(), optional: new Set<number>() } : this.expectedTypes(owner, true);
      const problem = this.bitmapProblem(x.data.types, expected);
      if (problem) {
        this.chain('nsec3-chain', 'error', x.rec,
          `the type bitmap of this NSEC3 (for ${typeof owner === 'string' ? owner : owner.owner}) ${problem}: the name's records changed after signing; re-sign the zone`);
      }
    }
    for (const [h, owner] of required) {
      if (byHash.has(h)) continue;
      const at = typeof owner === 'string' ? this.firstRecordBelow(owner) : firstRecord(owner);
      const name = typeof owner === 'string' ? `the empty non-terminal ${owner}` : this.show(owner.owner);
      this.chain('nsec3-chain', 'error', at,
        `${name} has no NSEC3 record (hash ${h.toUpperCase()}): the chain has a gap, so denial of existence around this name fails; re-sign the zone`);
    }
    for (const [h, owner] of optional) {
      if (byHash.has(h) || typeof owner === 'string') continue;
      // An insecure delegation without its own NSEC3 must fall in an opt-out span.
      const cover = coveringNsec3(chain, h);
      if (cover && !(cover.data.flags & 1)) {
        this.chain('nsec3-chain', 'error', firstRecord(owner),
          `${this.show(owner.owner)} is an insecure delegation without an NSEC3, and the NSEC3 covering it does not have the opt-out flag: re-sign the zone (with opt-out, or with an NSEC3 for this name)`);
      }
    }
  }

  private firstRecordBelow(key: string): DnssecRecord {
    for (const n of this.nodes.values()) if (n.key.endsWith('.' + key)) return firstRecord(n);
    return [...this.nodes.get(this.apexKey)!.sets.values()][0][0];
  }

  // ---- DS / CDS ----

  /** DS/CDS at the apex against its DNSKEYs (a DS at a delegation is for a child, whose keys are not in this zone). */
  private async dsRecords(): Promise<void> {
    const apex = this.nodes.get(this.apexKey);
    for (const n of apex ? [apex] : []) {
      const keys = n.sets.get(TYPE_DNSKEY);
      if (!keys) continue;
      for (const type of [TYPE_DS, TYPE_CDS]) {
        for (const r of n.sets.get(type) ?? []) {
          const d = r.wire!;
          if (d.length < 5) continue;
          const tag = (d[0] << 8) | d[1];
          const alg = d[2];
          const digestType = d[3];
          if (type === TYPE_CDS && tag === 0 && alg === 0 && digestType === 0) continue; // RFC 8078 §4 delete
          let known = false;
          let match = false;
          for (const k of keys) {
            const key = readDnskey(k.wire!);
            if (!key || key.keyTag !== tag || key.algorithm !== alg) continue;
            const got = await dsDigest(digestType, n.wire, k.wire!);
            if (!got) break;
            known = true;
            if (sameBytes(got, d.subarray(4))) match = true;
          }
          if (match || ![1, 2, 4].includes(digestType)) continue; // an unknown digest type cannot be checked
          const name = typeName(type);
          this.out.push(diag('ds-mismatch', 'error', atOf(r), known
            ? `this ${name}'s digest does not match the DNSKEY with key tag ${tag}: the key changed after the ${name} was made; recompute it (dnssec-dsfromkey, keymgr ds, ldns-key2ds)`
            : `this ${name} (key tag ${tag}, ${algorithmName(alg)}) matches no DNSKEY of ${this.show(n.owner)}: resolvers following it find no key, so the zone would be bogus; remove it or publish the key`));
        }
      }
    }
  }

  // ---- ZONEMD ----

  private async zonemd(apex: Node): Promise<void> {
    const recs = apex.sets.get(TYPE_ZONEMD);
    if (!recs) return;
    const soa = apex.sets.get(TYPE_SOA)?.[0];
    const serial = soa ? u32(soa.wire!, skipName(soa.wire!, skipName(soa.wire!, 0))) : undefined;
    let image: Uint8Array | undefined;
    const seen = new Set<string>();
    for (const r of recs) {
      const d = r.wire!;
      if (d.length < 6) continue;
      const scheme = d[4];
      const hashAlg = d[5];
      if (scheme !== 1 || (hashAlg !== 1 && hashAlg !== 2)) continue; // unknown: RFC 8976 §4 says ignore
      const k = `${scheme}/${hashAlg}`;
      if (seen.has(k)) {
        this.out.push(diag('zonemd-mismatch', 'error', atOf(r), `a second ZONEMD with scheme ${scheme} and hash ${hashAlg}: RFC 8976 §2.4 allows one; remove it and recompute`));
        continue;
      }
      seen.add(k);
      if (serial !== undefined && u32(d, 0) !== serial) {
        this.out.push(diag('zonemd-mismatch', 'error', atOf(r), `this ZONEMD is for serial ${u32(d, 0)}, the SOA has ${serial}: recompute the ZONEMD after changing the zone (dnssec-signzone -z / ldns-signzone -z / Knot zonemd-generate)`));
        continue;
      }
      image ??= this.zoneImage();
      const got = await digest(hashAlg === 1 ? 'SHA-384' : 'SHA-512', image);
      if (!sameBytes(got, d.subarray(6))) {
        this.out.push(diag('zonemd-mismatch', 'error', atOf(r),
          `the ZONEMD digest (${hashAlg === 1 ? 'SHA-384' : 'SHA-512'}) does not match the zone: the zone changed after the digest was computed; recompute it (re-sign, or dnssec-signzone -z / ldns-signzone -z / Knot zonemd-generate)`));
      }
    }
  }

  /** The RFC 8976 §3.3 simple-scheme input: every RR in canonical form and order, without the apex ZONEMD RRset and its RRSIGs. */
  private zoneImage(): Uint8Array {
    const nodes = [...this.nodes.values()].filter((n) => keyAtOrBelowApex(n.key, this.apexKey))
      .map((n) => ({ n, sortKey: canonicalSortKey(n.wire) }))
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    const parts: Uint8Array[] = [];
    for (const { n } of nodes) {
      const isApex = n.key === this.apexKey;
      for (const type of [...n.sets.keys()].sort((a, b) => a - b)) {
        if (isApex && type === TYPE_ZONEMD) continue;
        let set = n.sets.get(type)!.filter((r) => r.classCode === this.zoneClass);
        if (isApex && type === TYPE_RRSIG) set = set.filter((r) => ((r.wire![0] << 8) | r.wire![1]) !== TYPE_ZONEMD);
        const rrs = set.map((r) => ({ r, rdata: canonicalRdata(type, r.wire!) })).sort((a, b) => compareBytes(a.rdata, b.rdata));
        for (let i = 0; i < rrs.length; i++) {
          if (i > 0 && sameBytes(rrs[i].rdata, rrs[i - 1].rdata)) continue;
          parts.push(n.wire, rrHeader(type, this.zoneClass, rrs[i].r.ttl!, rrs[i].rdata.length), rrs[i].rdata);
        }
      }
    }
    return concatBytes(parts);
  }
}

/** The record of a name that comes first in the file (where a finding about the name goes). */
function firstRecord(n: Node): DnssecRecord {
  let best: DnssecRecord | undefined;
  for (const set of n.sets.values()) for (const r of set) if (!best || r.start < best.start) best = r;
  return best!;
}

function keyAtOrBelowApex(key: string, apexKey: string): boolean {
  if (apexKey === '.') return true;
  return key === apexKey || (key.endsWith('.' + apexKey) && key.charCodeAt(key.length - apexKey.length - 2) !== 0x5c);
}

function rrHeader(type: number, cls: number, ttl: number, rdlen: number): Uint8Array {
  return Uint8Array.of(type >> 8, type & 0xff, cls >> 8, cls & 0xff, ttl >>> 24, (ttl >>> 16) & 0xff, (ttl >>> 8) & 0xff, ttl & 0xff, rdlen >> 8, rdlen & 0xff);
}

/** The RDATA of an RRset in canonical order, duplicates removed, each with its RDLENGTH (the part after owner/type/class/TTL). */
function rrsetBody(type: number, cls: number, rrset: DnssecRecord[]): { type: number; cls: number; rdatas: Uint8Array[] } {
  const rdatas = rrset.map((r) => canonicalRdata(type, r.wire!)).sort(compareBytes);
  const unique: Uint8Array[] = [];
  for (const d of rdatas) if (unique.length === 0 || !sameBytes(unique[unique.length - 1], d)) unique.push(d);
  return { type, cls, rdatas: unique };
}

/** RFC 4034 §3.1.8.1: RRSIG RDATA (without the signature) then each RR with the original TTL. */
function signedData(sig: Rrsig, owner: Uint8Array, body: { type: number; cls: number; rdatas: Uint8Array[] }): Uint8Array {
  let total = sig.head.length;
  for (const d of body.rdatas) total += owner.length + 10 + d.length;
  const out = new Uint8Array(total);
  out.set(sig.head);
  let p = sig.head.length;
  const ttl = sig.originalTtl;
  for (const d of body.rdatas) {
    out.set(owner, p);
    p += owner.length;
    out[p++] = body.type >> 8; out[p++] = body.type & 0xff;
    out[p++] = body.cls >> 8; out[p++] = body.cls & 0xff;
    out[p++] = ttl >>> 24; out[p++] = (ttl >>> 16) & 0xff; out[p++] = (ttl >>> 8) & 0xff; out[p++] = ttl & 0xff;
    out[p++] = d.length >> 8; out[p++] = d.length & 0xff;
    out.set(d, p);
    p += d.length;
  }
  return out;
}

/** `*.` + the last `labels` labels of the owner (RFC 4035 §5.3.2). */
function wildcardOf(owner: Uint8Array, labels: number): Uint8Array {
  const suffix = nameSuffix(owner, labels);
  const out = new Uint8Array(2 + suffix.length);
  out[0] = 1;
  out[1] = 0x2a;
  out.set(suffix, 2);
  return out;
}

/** The NSEC3 whose span covers a hash (the last one before it in hash order, wrapping). */
function coveringNsec3<X extends { hash: string }>(chain: X[], hash: string): X | undefined {
  let found: X | undefined;
  for (const x of chain) if (x.hash < hash) found = x;
  return found ?? chain[chain.length - 1];
}


