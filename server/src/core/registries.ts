/**
 * The IANA registries besides RR types whose mnemonics a zone file uses: record classes
 * (RFC 1035 §3.2.4, RFC 3597 `CLASSnnn`), DNSSEC algorithms, CERT types and SVCB SvcParamKeys.
 * Hover, completion, the RDATA parsers and the grammar's keyword lists read them. Plain data; no I/O.
 */

/** Parses `PREFIXnnn` (case-insensitive, decimal 0..65535) as RFC 3597 allows for TYPE and CLASS. */
export function prefixedNumber(text: string, prefix: string): number | undefined {
  const n = prefix.length;
  if (text.length <= n || text.length > n + 5) return undefined;
  for (let i = 0; i < n; i++) if ((text.charCodeAt(i) | 0x20) !== prefix.charCodeAt(i)) return undefined;
  let v = 0;
  for (let i = n; i < text.length; i++) {
    const c = text.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
  }
  return v <= 0xffff ? v : undefined;
}

/** Record classes (RFC 1035 §3.2.4); NONE and ANY only appear in queries and updates. */
export const CLASSES: ReadonlyArray<{ name: string; code: number; description: string }> = [
  { name: 'IN', code: 1, description: 'Internet' },
  { name: 'CS', code: 2, description: 'CSNET (obsolete)' },
  { name: 'CH', code: 3, description: 'Chaos' },
  { name: 'HS', code: 4, description: 'Hesiod' },
];

/** IN, CS, CH, HS or RFC 3597 `CLASSnnn` (case-insensitive) → class code; undefined otherwise. */
export function parseClass(text: string): number | undefined {
  if (text.length === 2) {
    const u = text.toUpperCase();
    for (const c of CLASSES) if (c.name === u) return c.code;
    return undefined;
  }
  return prefixedNumber(text, 'class');
}

/** ANY and NONE: classes of queries and updates (RFC 1035 §3.2.5, RFC 2136 §2.4), never of zone records. */
export function isQueryClass(text: string): boolean {
  const u = text.toUpperCase();
  return u === 'ANY' || u === 'NONE';
}

export function className(code: number): string {
  return CLASSES.find((c) => c.code === code)?.name ?? `CLASS${code}`;
}

/** DNSSEC algorithm mnemonics (IANA "DNS Security Algorithm Numbers", RFC 4034 A.1). */
export const DNSSEC_ALGORITHMS: ReadonlyArray<{ name: string; code: number }> = [
  { name: 'RSAMD5', code: 1 },
  { name: 'DH', code: 2 },
  { name: 'DSA', code: 3 },
  { name: 'RSASHA1', code: 5 },
  { name: 'DSA-NSEC3-SHA1', code: 6 },
  { name: 'RSASHA1-NSEC3-SHA1', code: 7 },
  { name: 'RSASHA256', code: 8 },
  { name: 'RSASHA512', code: 10 },
  { name: 'ECC-GOST', code: 12 },
  { name: 'ECDSAP256SHA256', code: 13 },
  { name: 'ECDSAP384SHA384', code: 14 },
  { name: 'ED25519', code: 15 },
  { name: 'ED448', code: 16 },
  { name: 'SM2SM3', code: 17 },
  { name: 'ECC-GOST12', code: 23 },
  { name: 'INDIRECT', code: 252 },
  { name: 'PRIVATEDNS', code: 253 },
  { name: 'PRIVATEOID', code: 254 },
];

/** CERT certificate types (RFC 4398 §2.1). */
export const CERT_TYPES: ReadonlyArray<{ name: string; code: number }> = [
  { name: 'PKIX', code: 1 },
  { name: 'SPKI', code: 2 },
  { name: 'PGP', code: 3 },
  { name: 'IPKIX', code: 4 },
  { name: 'ISPKI', code: 5 },
  { name: 'IPGP', code: 6 },
  { name: 'ACPKIX', code: 7 },
  { name: 'IACPKIX', code: 8 },
  { name: 'URI', code: 253 },
  { name: 'OID', code: 254 },
];

const algByName = new Map(DNSSEC_ALGORITHMS.map((a) => [a.name, a.code]));
const certByName = new Map(CERT_TYPES.map((a) => [a.name, a.code]));

/** A DNSSEC algorithm mnemonic (case-insensitive) → number. */
export function algorithmByName(text: string): number | undefined {
  return algByName.get(text.toUpperCase());
}

export function certTypeByName(text: string): number | undefined {
  return certByName.get(text.toUpperCase());
}

/** SVCB/HTTPS parameter keys (RFC 9460 §14.3.2). Others are written `keyNNNNN`. */
export const SVC_PARAM_KEYS: ReadonlyArray<{ name: string; code: number; description: string }> = [
  { name: 'mandatory', code: 0, description: 'Keys the client must understand to use this record' },
  { name: 'alpn', code: 1, description: 'Comma-separated ALPN protocol ids (h2, h3, …)' },
  { name: 'no-default-alpn', code: 2, description: 'The default ALPN of the scheme is not supported (no value)' },
  { name: 'port', code: 3, description: 'Alternative port' },
  { name: 'ipv4hint', code: 4, description: 'Comma-separated IPv4 address hints' },
  { name: 'ech', code: 5, description: 'Encrypted ClientHello configuration list, base64' },
  { name: 'ipv6hint', code: 6, description: 'Comma-separated IPv6 address hints' },
  { name: 'dohpath', code: 7, description: 'DNS-over-HTTPS URI template (RFC 9461)' },
  { name: 'ohttp', code: 8, description: 'Oblivious HTTP gateway available (RFC 9540; no value)' },
  { name: 'tls-supported-groups', code: 9, description: 'Comma-separated TLS supported group ids the server prefers (draft-ietf-tls-key-share-prediction)' },
  { name: 'docpath', code: 10, description: 'DNS-over-CoAP path (draft-ietf-core-dns-over-coap; value kept as written)' },
];
