/**
 * The data the DNSSEC validation works on: records, names (nodes) with their RRsets and RRSIGs,
 * findings. Shared by the name index (zoneIndex.ts), the signature checks (signatures.ts,
 * validate.ts) and the denial-of-existence chains (denial.ts).
 */
import { Span, ZoneDiagnostic } from '../types';

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

/** A finding, on a record. */
export interface Finding {
  rec: DnssecRecord;
  code: string;
  severity: ZoneDiagnostic['severity'];
  message: string;
}

export interface RrsetEntry {
  /** The keys, records and RRSIGs it was computed from (compared by identity), and the TTLs. */
  inputs: Uint8Array[];
  ttls: number[];
  findings: Finding[];
}

export interface SigRef {
  rec: DnssecRecord;
  covered: number;
}

export interface Node {
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

/** The record of a name that comes first in the file (where a finding about the name goes). */
export function firstRecord(n: Node): DnssecRecord {
  let best: DnssecRecord | undefined;
  for (const set of n.sets.values()) for (const r of set) if (!best || r.start < best.start) best = r;
  return best!;
}

/** The NSEC3 whose span covers a hash (the last one before it in hash order, wrapping). */
export function coveringNsec3<X extends { hash: string }>(chain: X[], hash: string): X | undefined {
  let found: X | undefined;
  for (const x of chain) if (x.hash < hash) found = x;
  return found ?? chain[chain.length - 1];
}

/** Does any name of the zone own a record of this type? */
export function hasType(nodes: Map<string, Node>, type: number): boolean {
  for (const n of nodes.values()) if (n.sets.has(type)) return true;
  return false;
}

/** Parent key of a lower-cased name key (`a.b.` → `b.`; `.` has none). */
export function parentKey(key: string): string | undefined {
  if (key === '.') return undefined;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 0x5c) {
      i += key.charCodeAt(i + 1) >= 0x30 && key.charCodeAt(i + 1) <= 0x39 ? 3 : 1;
    } else if (c === 0x2e) return i === key.length - 1 ? '.' : key.slice(i + 1);
  }
  return undefined;
}

export function keyAtOrBelowApex(key: string, apexKey: string): boolean {
  if (apexKey === '.') return true;
  return key === apexKey || (key.endsWith('.' + apexKey) && key.charCodeAt(key.length - apexKey.length - 2) !== 0x5c);
}
