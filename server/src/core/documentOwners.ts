/**
 * The incremental document's owner index (document.ts): every record by owner key with the
 * chunk that holds it, and the NS/DNAME owners occluded-data reads. Built in slices after an
 * open (`step`), so the first publication never waits for it; anything that asks it a question
 * (`ready()`) finishes it first.
 */
import { Chunk, chunkOf, normalizeChunk } from './documentChunks';
import { RecordLookup, ZoneRecord } from './model';
import { TYPE_DNAME, TYPE_MX, TYPE_NS } from './rrtypes';

/** Owners with fewer records than this get a new array of exactly their size per record added. */
const SMALL = 8;

/** Chunks indexed per step() (ENTRIES_PER_CHUNK = 64 entries each: 2,048 entries; an MX record reads its target token: a step of 8,192 entries took 100 ms and more on the 1M zone). */
const CHUNKS_PER_STEP = 32;

export class OwnerIndex {
  /** Records by owner key (chunkOf: the chunk that holds one, for its pending shift). */
  readonly owners = new Map<string, ZoneRecord[]>();
  /** NS and DNAME records per owner key (occluded-data reads the delegations and DNAMEs). */
  readonly cutCount = new Map<string, number>();
  readonly dnameCount = new Map<string, number>();
  /** Owner keys whose NS/DNAME records an edit touched, with whether they had some before (a re-parse takes them out and back). */
  readonly shapeBefore = new Map<string, boolean>();
  /** Records of unknown type (not in `owners`: the zone checks skip them), for lookups. */
  private readonly unknown = new Map<string, ZoneRecord[]>();
  /** The MX records by their target's first label as written, lower case ('' when that cannot be told: escapes, quotes, `@`), for an MX target's hover. */
  private readonly mx = new Map<string, Set<ZoneRecord>>();
  /** Chunks not indexed yet (after an open or a reset), in no particular order. */
  private readonly pending = new Set<Chunk>();

  /** `touched` hears each owner key a record is indexed under or taken out of. */
  constructor(private readonly touched: (key: string) => void) {}

  /** Drops everything; `chunks` are indexed later, in steps. */
  reset(chunks: readonly Chunk[]): void {
    this.owners.clear();
    this.cutCount.clear();
    this.dnameCount.clear();
    this.shapeBefore.clear();
    this.unknown.clear();
    this.mx.clear();
    this.pending.clear();
    for (const ch of chunks) this.pending.add(ch);
  }

  /** True when every chunk is indexed. */
  get complete(): boolean {
    return this.pending.size === 0;
  }

  /** Indexes up to CHUNKS_PER_STEP pending chunks; true when none is left. */
  step(): boolean {
    let n = 0;
    for (const ch of this.pending) {
      this.pending.delete(ch);
      this.addChunk(ch);
      if (++n >= CHUNKS_PER_STEP) break;
    }
    return this.pending.size === 0;
  }

  /** Finishes the index (for a question that needs all of it). */
  ready(): this {
    for (const ch of this.pending) this.addChunk(ch);
    this.pending.clear();
    return this;
  }

  /** New chunks from an edit: indexed now, or left for the steps while the index is still being built. `kept`: records indexed already (document.ts keeps them only when the index is whole). */
  add(chunks: readonly Chunk[], kept?: ReadonlySet<ZoneRecord>): void {
    for (const ch of chunks) {
      if (this.pending.size > 0) this.pending.add(ch);
      else this.addChunk(ch, kept);
    }
  }

  /** Chunks an edit replaced; the `kept` records stay (their owners are touched all the same). */
  remove(chunks: readonly Chunk[], kept?: ReadonlySet<ZoneRecord>): void {
    for (const ch of chunks) {
      if (this.pending.delete(ch)) continue;
      for (const r of ch.zone.records) {
        if (kept?.has(r)) { if (r.typeCode !== 0) this.touched(r.ownerKey); continue; }
        if (r.typeCode === TYPE_MX) this.removeMx(r);
        const map = r.typeCode === 0 ? this.unknown : this.owners;
        const list = map.get(r.ownerKey);
        if (!list) continue;
        const at = list.indexOf(r);
        if (at >= 0) {
          list.splice(at, 1);
          if (r.typeCode === TYPE_NS || r.typeCode === TYPE_DNAME) this.countShape(r, -1);
        }
        if (r.typeCode !== 0) this.touched(r.ownerKey);
        if (list.length === 0) map.delete(r.ownerKey);
      }
    }
  }

  /**
   * Takes an MX record out of its bucket: most are under their target's first label as the wire
   * form has it (no token read: an edit replaces every record of its chunk), or under ''.
   */
  private removeMx(r: ZoneRecord): void {
    const w = r.wire;
    const label = w && w.length > 3 ? wireLabel(w) : undefined;
    if ((label !== undefined && this.mx.get(label)?.delete(r)) || this.mx.get('')?.delete(r)) return;
    this.mx.get(mxLabel(r))?.delete(r);
  }

  /** A record of this type at the owner (by ownerKey). */
  hasType(ownerKey: string, typeCode: number): boolean {
    return this.ready().owners.get(ownerKey)?.some((r) => r.typeCode === typeCode) ?? false;
  }

  /**
   * The records at an owner key, of any type (unordered). While the index is still being built,
   * the chunks not indexed yet are scanned rather than indexed at once: a hover right after an
   * open does not wait for the whole index.
   */
  recordsAt(key: string): ZoneRecord[] {
    const out = [...(this.owners.get(key) ?? []), ...(this.unknown.get(key) ?? [])];
    for (const ch of this.pending) for (const r of ch.zone.records) if (r.owner && r.ownerKey === key) out.push(r);
    return out;
  }

  /**
   * mxRecords, likewise without finishing the index. Of the chunks not indexed yet, the MX records
   * whose target (wire form) has another first label are left out without reading their tokens:
   * they cannot point at a name with this first label (callers filter the rest by target).
   */
  mxAt(firstLabel: string | undefined): ZoneRecord[] {
    const out = [...this.mxRecords(firstLabel)];
    // eslint-disable-next-line no-control-regex
    const ascii = firstLabel !== undefined && firstLabel !== '' && /^[\x00-\x7f]*$/.test(firstLabel) ? firstLabel : undefined;
    for (const ch of this.pending) {
      for (const r of ch.zone.records) {
        if (r.typeCode !== TYPE_MX) continue;
        if (ascii !== undefined && r.wire && r.wire.length > 3 && !firstWireLabelIs(r.wire, ascii)) continue;
        const l = firstLabel === undefined ? '' : mxLabel(r);
        if (l === '' || l === firstLabel) out.push(r);
      }
    }
    return out;
  }

  /** The MX records whose target may have this first label (every one when undefined). */
  *mxRecords(firstLabel: string | undefined): Iterable<ZoneRecord> {
    const buckets = firstLabel === undefined ? [...this.mx.values()] : [this.mx.get(firstLabel), firstLabel === '' ? undefined : this.mx.get('')];
    for (const b of buckets) if (b) yield* b;
  }

  private addChunk(ch: Chunk, kept?: ReadonlySet<ZoneRecord>): void {
    for (const r of ch.zone.records) {
      if (kept?.has(r)) continue;
      if (r.typeCode === TYPE_MX) {
        const label = mxLabel(r);
        const set = this.mx.get(label);
        if (set) set.add(r); else this.mx.set(label, new Set([r]));
      }
      if (!r.owner) continue;
      const map = r.typeCode === 0 ? this.unknown : this.owners;
      const list = map.get(r.ownerKey);
      // Most owners have a few records: arrays of exactly their size (a push would leave room
      // for 16 more in each; 190,000 such owners on the 1M-record bench zone).
      if (!list) map.set(r.ownerKey, [r]);
      else if (list.length < SMALL) map.set(r.ownerKey, list.concat(r));
      else list.push(r);
      if (r.typeCode === 0) continue;
      this.touched(r.ownerKey);
      if (r.typeCode === TYPE_NS || r.typeCode === TYPE_DNAME) this.countShape(r, 1);
    }
  }

  /** Counts an NS/DNAME record in or out, remembering what its owner was before the edit. */
  private countShape(r: ZoneRecord, d: 1 | -1): void {
    const counts = r.typeCode === TYPE_NS ? this.cutCount : this.dnameCount;
    const tag = `${r.typeCode} ${r.ownerKey}`;
    if (!this.shapeBefore.has(tag)) this.shapeBefore.set(tag, counts.has(r.ownerKey));
    const n = (counts.get(r.ownerKey) ?? 0) + d;
    if (n <= 0) counts.delete(r.ownerKey); else counts.set(r.ownerKey, n);
  }

  /** The owner keys at which a delegation or DNAME came or went since the last call. */
  shapeChanges(): string[] {
    const changed: string[] = [];
    for (const [tag, was] of this.shapeBefore) {
      const sp = tag.indexOf(' ');
      const key = tag.slice(sp + 1);
      if ((Number(tag.slice(0, sp)) === TYPE_NS ? this.cutCount : this.dnameCount).has(key) !== was) changed.push(key);
    }
    this.shapeBefore.clear();
    return changed;
  }
}

/** An MX record's target's first label as written, lower case; '' when that cannot be told (escapes, quotes, `@`, no target). */
function mxLabel(r: ZoneRecord): string {
  const t = r.rdata[1];
  if (!t || t.quoted || t.text.includes('\\') || t.text === '@') return '';
  const dot = t.text.indexOf('.');
  return (dot < 0 ? t.text : t.text.slice(0, dot)).toLowerCase();
}

/** The first label of an MX record's target (wire form, after the preference) in lower case, when it is plain ASCII. */
function wireLabel(wire: Uint8Array): string | undefined {
  const n = wire[2];
  if (wire.length < 3 + n) return undefined;
  let out = '';
  for (let i = 0; i < n; i++) {
    const c = wire[3 + i];
    if (c <= 32 || c >= 127) return undefined;
    out += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
  }
  return out;
}

/** The first label of an MX record's target (wire form, after the preference) is `label` (ASCII, lower case), case-insensitively. */
function firstWireLabelIs(wire: Uint8Array, label: string): boolean {
  if (wire[2] !== label.length || wire.length < 3 + label.length) return false;
  for (let i = 0; i < label.length; i++) {
    const c = wire[3 + i];
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== label.charCodeAt(i)) return false;
  }
  return true;
}

/** File order of indexed records: their chunk's place, then their place in it. */
function inFileOrder(owned: ZoneRecord[]): ZoneRecord[] {
  for (const r of owned) normalizeChunk(chunkOf(r));
  const at = (r: ZoneRecord) => chunkOf(r).zone.records.indexOf(r);
  return owned.sort((a, b) => chunkOf(a).start - chunkOf(b).start || at(a) - at(b));
}

/**
 * Lookups for the features (model.ts: `ParsedZone.lookup`) answered from the index instead of
 * a scan of every record; `current()` says the document has not changed since the parse they go
 * with was made (otherwise they answer undefined and the feature scans the parse).
 */
export function lookupOf(index: OwnerIndex, current: () => boolean): RecordLookup {
  return {
    recordsAt: (key) => {
      if (!current()) return undefined;
      return inFileOrder(index.recordsAt(key));
    },
    mxWhere: (firstLabel, pred) => current() ? inFileOrder(index.mxAt(firstLabel).filter(pred)) : undefined,
  };
}
