/**
 * The apex records that vouch for the zone as a whole: DS/CDS against the zone's DNSKEYs
 * (digests computed) and ZONEMD (RFC 8976) recomputed over the zone image.
 */
import { compareBytes, sameBytes } from '../bytes';
import { typeName, TYPE_CDS, TYPE_DNSKEY, TYPE_DS, TYPE_RRSIG, TYPE_SOA, TYPE_ZONEMD } from '../rrtypes';
import { algorithmName, digest, dsDigest } from './crypto';
import { DnssecRecord, Finding, keyAtOrBelowApex, Node } from './model';
import { canonicalRdata, canonicalSortKey, concatBytes, readDnskey, rrHeader, skipName, u32 } from './wire';

const finding = (rec: DnssecRecord, code: string, message: string): Finding => ({ rec, code, severity: 'error', message });

/** DS/CDS at the apex against its DNSKEYs (a DS at a delegation is for a child, whose keys are not in this zone). */
export async function dsFindings(apex: Node | undefined, show: (owner: string) => string): Promise<Finding[]> {
  const out: Finding[] = [];
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
        out.push(finding(r, 'ds-mismatch', known
          ? `this ${name}'s digest does not match the DNSKEY with key tag ${tag}: the key changed after the ${name} was made; recompute it (dnssec-dsfromkey, keymgr ds, ldns-key2ds)`
          : `this ${name} (key tag ${tag}, ${algorithmName(alg)}) matches no DNSKEY of ${show(n.owner)}: resolvers following it find no key, so the zone would be bogus; remove it or publish the key`));
      }
    }
  }
  return out;
}

/** The apex ZONEMD records recomputed (RFC 8976, simple scheme, SHA-384 and SHA-512). */
export async function zonemdFindings(apex: Node, nodes: Map<string, Node>, apexKey: string, zoneClass: number): Promise<Finding[]> {
  const out: Finding[] = [];
  const recs = apex.sets.get(TYPE_ZONEMD);
  if (!recs) return out;
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
      out.push(finding(r, 'zonemd-mismatch', `a second ZONEMD with scheme ${scheme} and hash ${hashAlg}: RFC 8976 §2.4 allows one; remove it and recompute`));
      continue;
    }
    seen.add(k);
    if (serial !== undefined && u32(d, 0) !== serial) {
      out.push(finding(r, 'zonemd-mismatch', `this ZONEMD is for serial ${u32(d, 0)}, the SOA has ${serial}: recompute the ZONEMD after changing the zone (dnssec-signzone -z / ldns-signzone -z / Knot zonemd-generate)`));
      continue;
    }
    image ??= zoneImage(nodes, apexKey, zoneClass);
    const got = await digest(hashAlg === 1 ? 'SHA-384' : 'SHA-512', image);
    if (!sameBytes(got, d.subarray(6))) {
      out.push(finding(r, 'zonemd-mismatch',
        `the ZONEMD digest (${hashAlg === 1 ? 'SHA-384' : 'SHA-512'}) does not match the zone: the zone changed after the digest was computed; recompute it (re-sign, or dnssec-signzone -z / ldns-signzone -z / Knot zonemd-generate)`));
    }
  }
  return out;
}

/** The RFC 8976 §3.3 simple-scheme input: every RR in canonical form and order, without the apex ZONEMD RRset and its RRSIGs. */
function zoneImage(all: Map<string, Node>, apexKey: string, zoneClass: number): Uint8Array {
  const nodes = [...all.values()].filter((n) => keyAtOrBelowApex(n.key, apexKey))
    .map((n) => ({ n, sortKey: canonicalSortKey(n.wire) }))
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  const parts: Uint8Array[] = [];
  for (const { n } of nodes) {
    const isApex = n.key === apexKey;
    for (const type of [...n.sets.keys()].sort((a, b) => a - b)) {
      if (isApex && type === TYPE_ZONEMD) continue;
      let set = n.sets.get(type)!.filter((r) => r.classCode === zoneClass);
      if (isApex && type === TYPE_RRSIG) set = set.filter((r) => ((r.wire![0] << 8) | r.wire![1]) !== TYPE_ZONEMD);
      const rrs = set.map((r) => ({ r, rdata: canonicalRdata(type, r.wire!) })).sort((a, b) => compareBytes(a.rdata, b.rdata));
      for (let i = 0; i < rrs.length; i++) {
        if (i > 0 && sameBytes(rrs[i].rdata, rrs[i - 1].rdata)) continue;
        parts.push(n.wire, rrHeader(type, zoneClass, rrs[i].r.ttl!, rrs[i].rdata.length), rrs[i].rdata);
      }
    }
  }
  return concatBytes(parts);
}
