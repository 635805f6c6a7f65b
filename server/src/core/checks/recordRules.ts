/** The zone rules about one record on its own (dane-rules.md "Zone rules", issue 11): see checkRecordRules. */
import type { RecordCheck } from '../pipeline/stage';
import { ZoneRecord } from '../model';
import { isBase32HexLabel } from '../rdata/codec';
import { checkNamesOf } from './checkNames';
import { TYPE_CDNSKEY, TYPE_CDS, TYPE_DNSKEY, TYPE_DS, TYPE_MX, TYPE_NS, TYPE_NSEC3, typeName } from '../rrtypes';
import { ZoneDiagnostic } from '../types';
import { wireLength, wireOffset, wireSpanOf } from '../pipeline/compactRecord';
import { TARGET, TYPE_SPF, TYPE_SVCB, diag, recordAt } from './zoneRulesCommon';
// ---------------------------------------------------------------- one record on its own

/** Deprecated DNSSEC algorithms (RFC 8624 §3.1 and its update RFC 9904): MUST NOT and NOT RECOMMENDED. */
const ALG_MUST_NOT: Record<number, string> = { 1: 'RSAMD5', 3: 'DSA', 6: 'DSA-NSEC3-SHA1', 12: 'ECC-GOST' };
const ALG_NOT_RECOMMENDED: Record<number, string> = { 5: 'RSASHA1', 7: 'RSASHA1-NSEC3-SHA1' };

function algorithmFinding(alg: number, r: ZoneRecord, what: string): ZoneDiagnostic | undefined {
  if (ALG_MUST_NOT[alg] === undefined && ALG_NOT_RECOMMENDED[alg] === undefined) return undefined;
  const at = recordAt(r);
  const bad = ALG_MUST_NOT[alg];
  if (bad) return diag('dnssec-algorithm-deprecated', 'warning', at, `${what} uses algorithm ${alg} (${bad}), which RFC 8624 says MUST NOT be used for signing: validators treat the zone as unsigned; roll to ECDSAP256SHA256 (13) or ED25519 (15)`);
  const weak = ALG_NOT_RECOMMENDED[alg];
  if (weak) return diag('dnssec-algorithm-deprecated', 'warning', at, `${what} uses algorithm ${alg} (${weak}), NOT RECOMMENDED by RFC 8624 (SHA-1): plan a roll to ECDSAP256SHA256 (13) or ED25519 (15)`);
  return undefined;
}

/** RFC 8078 §4: the delete forms `CDS 0 0 0 00` and `CDNSKEY 0 3 0 AA==`. */
export function isDeleteForm(typeCode: number, w: Uint8Array): boolean {
  return typeCode === TYPE_CDS ? w.length === 5 && w.every((x) => x === 0) : w.length === 5 && w[0] === 0 && w[1] === 0 && w[2] === 3 && w[3] === 0 && w[4] === 0;
}

/** SvcParam keys present in SVCB wire data, with the alpn ids. */
function svcParams(wire: Uint8Array): { keys: Set<number>; alpn: string[] } {
  let p = 2;
  while (p < wire.length && wire[p] !== 0) p += wire[p] + 1;
  p++;
  const keys = new Set<number>();
  const alpn: string[] = [];
  while (p + 4 <= wire.length) {
    const key = (wire[p] << 8) | wire[p + 1];
    const len = (wire[p + 2] << 8) | wire[p + 3];
    keys.add(key);
    if (key === 1) {
      for (let q = p + 4; q < p + 4 + len && q < wire.length;) { alpn.push(String.fromCharCode(...wire.subarray(q + 1, q + 1 + wire[q]))); q += wire[q] + 1; }
    }
    p += 4 + len;
  }
  return { keys, alpn };
}

const HTTP_ALPN = new Set(['http/1.1', 'h2', 'h3']);

/** An IPv4 or IPv6 address where a host name belongs (cheap first test: a digit or a colon). */
function looksLikeAddress(text: string): boolean {
  const c = text.charCodeAt(0);
  if (!(c >= 0x30 && c <= 0x39) && !text.includes(':')) return false;
  return /^\d{1,3}(\.\d{1,3}){3}\.?$/.test(text) || (/^[0-9a-fA-F:.]+$/.test(text) && text.includes(':'));
}

/** True when octets [from, end) of `d` hold a `:`. */
function hasColon(d: Uint8Array, from: number, end: number): boolean {
  for (let i = from; i < end; i++) if (d[i] === 0x3a) return true;
  return false;
}

export function isAddressTarget(r: ZoneRecord): boolean {
  if (r.typeCode !== TYPE_NS && r.typeCode !== TYPE_MX) return false;
  // A target written as an address has a digit first or a `:` in its wire form: most targets are
  // told apart there, without the RDATA tokens (the CLI's streamed records make them on demand).
  // (read where it is: no view of a streamed record's slab)
  const w = wireSpanOf(r);
  const at = wireOffset + TARGET[r.typeCode].wire, end = wireOffset + wireLength;
  if (w && end > at + 1 && !(w[at + 1] >= 0x30 && w[at + 1] <= 0x39) && !hasColon(w, at, end)) return false;
  const tok = r.rdata[TARGET[r.typeCode].token];
  return tok !== undefined && !tok.quoted && looksLikeAddress(tok.text);
}

/**
 * The zone rules about one record on its own (a RecordCheck of the zone-wide stage): the SPF
 * type, NSEC3 owners, `_dns` SVCB parameters, deprecated DNSSEC algorithms, MX/NS targets
 * written as addresses; and check-names when it is on (checkNames.ts). RRSIGs are left to their
 * DNSKEY (one warning per key, not per signature).
 */
export const checkRecordRules: RecordCheck = (r, options, out) => {
  const t = r.typeCode;
  // Almost every record of a large zone is none of these: one switch, nothing allocated.
  switch (t) {
    case TYPE_SPF:
      if (r.owner) out.push(diag('spf-type', 'warning', recordAt(r), 'the SPF record type is obsolete (RFC 7208 §3.1): SPF is published in a TXT record only; replace this with TXT'));
      break;
    case TYPE_NSEC3: {
      if (!r.owner) break;
      const dot = r.owner.indexOf('.');
      const first = dot < 0 ? r.owner : r.owner.slice(0, dot);
      if (!isBase32HexLabel(first)) out.push(diag('nsec3-owner', 'error', recordAt(r), `an NSEC3 owner's first label is the base32hex hash of a name, unpadded (RFC 5155 §3); \`${first}\` is not one: fix or remove this record`));
      break;
    }
    case TYPE_SVCB: {
      const w = r.wire;
      if (!w || !/^_dns\.|^_\d+\._dns\./.test(r.ownerKey) || w.length < 3 || ((w[0] << 8) | w[1]) === 0) break;
      const p = svcParams(w);
      if (!p.keys.has(1)) out.push(diag('svcb-dns-params', 'error', recordAt(r), 'a `_dns` SVCB record in ServiceMode needs `alpn` (RFC 9461 §4.1): add alpn=dot, alpn=h2 or the protocols the resolver offers'));
      // an id holding a comma (`alpn=h1\\,h2`) is surely a list escaped by mistake: its parts count too, as BIND reads them
      else if (p.alpn.flatMap((a) => a.split(',')).some((a) => HTTP_ALPN.has(a)) && !p.keys.has(7)) out.push(diag('svcb-dns-params', 'error', recordAt(r), 'a `_dns` SVCB record with an HTTP alpn (http/1.1, h2, h3) needs `dohpath` (RFC 9461 §5): add dohpath=/dns-query{?dns}'));
      break;
    }
    case TYPE_DNSKEY: case TYPE_CDNSKEY: {
      const w = r.wire;
      if (!w || w.length < 4 || (t === TYPE_CDNSKEY && isDeleteForm(t, w))) break;
      const f = algorithmFinding(w[3], r, typeName(t));
      if (f) out.push(f);
      break;
    }
    case TYPE_DS: case TYPE_CDS: {
      const w = r.wire;
      if (!w || w.length < 4 || (t === TYPE_CDS && isDeleteForm(t, w))) break;
      const f = algorithmFinding(w[2], r, typeName(t));
      if (f) out.push(f);
      else if (w[3] === 1) out.push(diag('dnssec-algorithm-deprecated', 'warning', recordAt(r), `${typeName(t)} with digest type 1 (SHA-1), NOT RECOMMENDED by RFC 8624 §3.3: publish the SHA-256 (2) digest instead`));
      break;
    }
    case TYPE_NS: case TYPE_MX: {
      if (!r.owner || !isAddressTarget(r)) break;
      const tok = r.rdata[TARGET[t].token];
      const what = typeName(t);
      out.push(diag('target-is-address', 'warning', r.includeSpan ?? tok, `the ${what} target \`${tok.text}\` is an IP address written as a name: ${what} takes a host name; point it at a name that has this address in an A/AAAA record`));
      break;
    }
    default:
  }
  // check-names (off by default): here rather than a RecordCheck of its own, one call per record less
  const names = options.checkNames;
  if (names !== undefined && names !== 'off') checkNamesOf(r, names, out);
};

