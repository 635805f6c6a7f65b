/**
 * The names and RRsets the DNSSEC validation works on, kept per document and brought up to date
 * record by record: records are compared with the last validation's by identity (a re-parsed but
 * unchanged record cancels out), and what changed is noted (which names to check again; whether
 * names, the NSEC/NSEC3 chain, the keys or the zone's data changed). Which names are
 * authoritative, delegations or occluded (`classify`). The base of `DnssecState` (validate.ts).
 */
import { latin1 } from '../bytes';
import { TYPE_DNAME, TYPE_DNSKEY, TYPE_DS, TYPE_NS, TYPE_NSEC, TYPE_NSEC3, TYPE_NSEC3PARAM, TYPE_RRSIG, TYPE_SOA } from '../rrtypes';
import { DnssecRecord, hasType, keyAtOrBelowApex, Node, parentKey } from './model';
import { canonicalNameWire, u16 } from './wire';

/** Types whose change can change which names are authoritative. */
const STRUCTURAL = new Set<number>([TYPE_NS, TYPE_DNAME, TYPE_DS, TYPE_SOA]);
const CHAIN_TYPES = new Set<number>([TYPE_NSEC, TYPE_NSEC3, TYPE_NSEC3PARAM]);

export class ZoneIndex {
  protected readonly nodes = new Map<string, Node>();
  protected readonly byWire = new Map<Uint8Array, { rec: DnssecRecord; node: Node; gen: number }>();
  /** The record list of the last update, when it was an array (the editor's parsed records). */
  private last?: DnssecRecord[];
  /** Nodes whose RRsets have findings (the output walks only these). */
  protected readonly withFindings = new Set<Node>();
  private gen = 0;
  readonly apexKey: string;
  protected signatureCount = 0;
  // What changed since the last validation.
  protected dirty = new Set<Node>();
  protected structureChanged = true;
  protected chainDirty = true;
  protected keysChanged = true;
  protected zoneChanged = true;

  /**
   * @param followsEdits false for a validation not followed by another (the CLI's): records are
   *   not indexed by their wire form (which finds them again in the next record list).
   */
  constructor(apexKey: string, private readonly followsEdits = true) {
    this.apexKey = apexKey;
  }

  /** Brings the names and RRsets to `records` (the whole zone), noting what changed. */
  protected take(records: Iterable<DnssecRecord>): void {
    if (Array.isArray(records) && this.last) {
      this.updateFromLast(records);
      return;
    }
    if (!this.followsEdits) {
      const added: DnssecRecord[] = [];
      for (const r of records) {
        if (!r.wire || !r.owner || r.typeCode === 0 || r.ttl === undefined) continue;
        this.addRecord(r, 0);
        added.push(r);
      }
      this.noteChanges(added, []);
      return;
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
    const change = (r: DnssecRecord) => {
      // (New names and type sets were noted by addRecord/removeRecord.)
      const type = r.typeCode === TYPE_RRSIG && r.wire!.length >= 2 ? u16(r.wire!, 0) : r.typeCode;
      this.zoneChanged = true;
      if (STRUCTURAL.has(type)) this.structureChanged = true;
      if (CHAIN_TYPES.has(type) || CHAIN_TYPES.has(r.typeCode)) this.chainDirty = true;
      if ((type === TYPE_DNSKEY && r.ownerKey === this.apexKey) || type === TYPE_SOA) this.keysChanged = true;
    };
    // Nothing on one side to cancel against (a first validation: every record added): each changes.
    if (added.length === 0 || removed.length === 0) {
      for (const r of added) change(r);
      for (const r of removed) change(r);
      return;
    }
    const gone = new Map<string, number>();
    const key = (r: DnssecRecord) => `${r.ownerKey} ${r.typeCode} ${r.classCode} ${r.ttl} ${latin1(r.wire!)}`;
    for (const r of removed) {
      const k = key(r);
      gone.set(k, (gone.get(k) ?? 0) + 1);
    }
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
    if (this.followsEdits) this.byWire.set(r.wire!, { rec: r, node: n, gen });
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

  protected anyType(type: number): boolean {
    return hasType(this.nodes, type);
  }

  /** Delegations (NS below the apex) and DNAMEs occlude the names below them. Nodes whose status changes are checked again. */
  protected classify(): void {
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
}
