/**
 * What the zone file says about the hosts a live check looks at: the TLSA RRset at
 * `_port._tcp.host` (grouped as a DNS server would, core/dane/checks.ts) and whether the file
 * is authoritative for the host at all, so drift is only reported where the file speaks.
 */
import { decodeTlsaWire, groupTlsaRRsets, isAtOrBelow, nameKey, TlsaRRset, toHex, TYPE_TLSA, ZoneRecord } from '../core';
import { DriftReport, TlsaData } from './types';

/** The parts of a parsed zone the live check reads (a ParsedZone fits). */
export interface LiveZone {
  records: readonly ZoneRecord[];
  zoneOrigin?: string;
}

function absolute(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

export function tlsaOwner(port: number, host: string): string {
  return `_${port}._tcp.${absolute(host)}`;
}

/** The TLSA (type 52, class IN) RRset of the file at `owner`. */
export function fileRRset(zone: LiveZone, owner: string): TlsaRRset | undefined {
  const key = nameKey(absolute(owner));
  return groupTlsaRRsets(zone.records).find((s) => s.ownerKey === key && s.typeCode === TYPE_TLSA && s.classCode === 1);
}

/** The records of an RRset as data (records whose RDATA did not parse are left out). */
export function rrsetData(set: TlsaRRset | undefined): { record: ZoneRecord; data: TlsaData }[] {
  const out: { record: ZoneRecord; data: TlsaData }[] = [];
  for (const r of set?.records ?? []) {
    const f = decodeTlsaWire(r.wire);
    if (f) out.push({ record: r, data: { usage: f.usage, selector: f.selector, matchingType: f.matchingType, data: toHex(f.data) } });
  }
  return out;
}

/** True when the file is the zone for `owner` (it has the RRset, or the owner lies in its zone). */
export function fileCovers(zone: LiveZone, owner: string): boolean {
  if (fileRRset(zone, owner)) return true;
  return zone.zoneOrigin !== undefined && isAtOrBelow(absolute(owner), zone.zoneOrigin);
}

export function sameTlsa(a: TlsaData, b: TlsaData): boolean {
  return a.usage === b.usage && a.selector === b.selector && a.matchingType === b.matchingType && a.data.toLowerCase() === b.data.toLowerCase();
}

/** The same records, as sets. */
export function sameTlsaSet(a: readonly TlsaData[], b: readonly TlsaData[]): boolean {
  return a.every((x) => b.some((y) => sameTlsa(x, y))) && b.every((y) => a.some((x) => sameTlsa(x, y)));
}

/** Published RRset against the file's (as sets: order and duplicates do not count). */
export function compareTlsa(owner: string, published: readonly TlsaData[], file: readonly TlsaData[] | undefined): DriftReport {
  const f = file ?? [];
  return {
    owner: owner.replace(/\.$/, ''),
    inFile: file !== undefined && file.length > 0,
    fileOnly: dedupe(f.filter((x) => !published.some((p) => sameTlsa(p, x)))),
    publishedOnly: dedupe(published.filter((p) => !f.some((x) => sameTlsa(p, x)))),
  };
}

function dedupe(list: TlsaData[]): TlsaData[] {
  return list.filter((x, i) => list.findIndex((y) => sameTlsa(x, y)) === i);
}

export function hasDrift(d: DriftReport | undefined): boolean {
  return !!d && (d.fileOnly.length > 0 || d.publishedOnly.length > 0);
}

/**
 * The host's A/AAAA in the file against the published addresses (as sets), when the file is
 * the host's zone and has address records for it; undefined otherwise or when they agree.
 */
export function compareAddresses(zone: LiveZone, host: string, published: readonly string[]): { fileOnly: string[]; publishedOnly: string[] } | undefined {
  if (zone.zoneOrigin === undefined || !isAtOrBelow(absolute(host), zone.zoneOrigin)) return undefined;
  const file = fileAddresses(zone, host).map((x) => x.address);
  if (file.length === 0) return undefined;
  const norm = (x: string) => canonicalAddress(x);
  const pub = published.map(norm);
  const f = [...new Set(file.map(norm))];
  const fileOnly = f.filter((x) => !pub.includes(x));
  const publishedOnly = [...new Set(pub)].filter((x) => !f.includes(x));
  return fileOnly.length || publishedOnly.length ? { fileOnly, publishedOnly } : undefined;
}

/** The A (1) and AAAA (28) records of the file at `host`, with their text address. */
export function fileAddresses(zone: LiveZone, host: string): { record: ZoneRecord; address: string }[] {
  const key = nameKey(absolute(host));
  const out: { record: ZoneRecord; address: string }[] = [];
  for (const r of zone.records) {
    if ((r.typeCode !== 1 && r.typeCode !== 28) || r.classCode !== 1 || r.ownerKey !== key || r.rdata.length < 1) continue;
    out.push({ record: r, address: r.rdata[0].text });
  }
  return out;
}

/** One spelling per address (IPv6 zero compression differs between tools). */
export function canonicalAddress(a: string): string {
  if (!a.includes(':')) return a;
  try {
    return new URL(`http://[${a}]/`).hostname.slice(1, -1);
  } catch {
    return a.toLowerCase();
  }
}
