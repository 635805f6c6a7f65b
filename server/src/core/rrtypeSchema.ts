/**
 * The shape of a row of the RR-type table (rrtypes.ts): how each RDATA field is written, the
 * RFC references, the per-type hooks. Plain types; no I/O.
 */

/**
 * How one RDATA field is written in a master file (and so how it is parsed and encoded).
 * "rest" kinds take every remaining token of the record.
 */
export type FieldKind =
  /** Decimal 0..255. */
  | 'u8'
  /** Decimal 0..65535. */
  | 'u16'
  /** Decimal 0..4294967295. */
  | 'u32'
  /** 32-bit duration: seconds or units (`1w2d3h4m5s`), like the SOA timers. */
  | 'ttl'
  /** RRSIG time: `YYYYMMDDHHmmSS` (UTC) or decimal seconds since the epoch. */
  | 'time'
  /** Domain name (relative names get the origin; `@` is the origin). */
  | 'name'
  | 'ipv4'
  | 'ipv6'
  /** One character-string (≤ 255 octets), quoted or not, `\X` and `\DDD` escapes. */
  | 'string'
  /** One or more character-strings to the end of the record (longer strings are split at 255 octets, like Knot). */
  | 'strings'
  /** One unbounded string without a length octet (URI target, CAA value). */
  | 'text'
  /** Base64 to the end of the record (may be split by spaces; each piece a whole number of quartets). */
  | 'base64'
  /** Hexadecimal to the end of the record (may be split by spaces; each piece an even number of digits). */
  | 'hex'
  /** Hexadecimal in one token with a length octet, `-` for empty (NSEC3 salt). */
  | 'salt'
  /** Base32hex in one token with a length octet (NSEC3 next hashed owner). */
  | 'base32hex'
  /** A type mnemonic or `TYPEnnn`. */
  | 'type'
  /** Type mnemonics to the end of the record, encoded as NSEC window blocks (may be empty). */
  | 'bitmap'
  /** DNSSEC algorithm: 0..255 or a mnemonic such as RSASHA256 (RFC 4034 Appendix A.1). */
  | 'algorithm'
  /** CERT type: 0..65535 or a mnemonic such as PKIX (RFC 4398 §2.1). */
  | 'cert-type'
  /** LOC position (RFC 1876 §3), to the end of the record. */
  | 'loc'
  /** APL items `[!]afi:address/prefix` (RFC 3123 §4), to the end of the record, may be empty. */
  | 'apl'
  /** SVCB/HTTPS `key=value` parameters (RFC 9460 §2.1), to the end of the record, may be empty. */
  | 'svcparams'
  /** IPSECKEY gateway: `.`, IPv4, IPv6 or a name, as the gateway type says (RFC 4025 §2.3). */
  | 'ipseckey-gateway'
  /** IPSECKEY public key: base64, present exactly when the algorithm is not 0. */
  | 'ipseckey-key'
  /** EUI-48: six hex pairs joined by `-` (RFC 7043 §3.2). */
  | 'eui48'
  /** EUI-64: eight hex pairs joined by `-` (RFC 7043 §4.2). */
  | 'eui64'
  /** ILNP 64-bit locator/identifier: four groups of four hex digits joined by `:` (RFC 6742). */
  | 'ilnp64'
  /** WKS protocol: a number or `tcp` / `udp`. */
  | 'wks-protocol'
  /** WKS services: port numbers or service names, to the end of the record. */
  | 'wks-services'
  /** NXT type list (RFC 2535 §5.2): types 1..127 as one plain bit map. */
  | 'nxt-bitmap'
  /** HIP: HIT (hex), public key (base64), rendezvous servers (names), to the end (RFC 8005 §5). */
  | 'hip'
  /** NSAP address: `0x` then hex digits, `.` allowed between them (RFC 1706 §5). */
  | 'nsap'
  /** ATMA address: `+` and E.164 digits (format 1) or hex NSAP digits (format 0). */
  | 'atma'
  /** A6 address suffix and prefix name, as the prefix length before them says (RFC 2874 §3.1). */
  | 'a6'
  /** AMTRELAY D-bit, relay type and relay (RFC 8777 §4.3). */
  | 'amtrelay'
  /** Base64 data or `-` for none, to the end (DOA data). */
  | 'base64-or-dash'
  /** Decimal 0..18446744073709551615 (IPN). */
  | 'u64'
  /** DSYNC scheme: 0..255 or a mnemonic (NOTIFY). */
  | 'dsync-scheme';

export interface RdataField {
  name: string;
  kind: FieldKind;
  description: string;
  /** The field may be left out (only trailing fields). */
  optional?: boolean;
}

export interface RfcRef {
  rfc: number;
  section?: string;
}

export interface RRTypeInfo {
  /** Mnemonic in upper case, as written in zone files. */
  name: string;
  code: number;
  description: string;
  rfcs: RfcRef[];
  /** Where the format is defined when no RFC defines it (IANA registration by expert review, a draft). */
  reference?: string;
  /** DNSSEC record types (DNSKEY, RRSIG, NSEC, NSEC3, NSEC3PARAM, DS, CDS, CDNSKEY). */
  dnssec?: true;
  /** Obsolete or experimental: valid, but a hint may suggest the modern type. */
  obsolete?: true;
  /** RDATA has no presentation format of its own: only the RFC 3597 `\#` form (NULL). */
  genericOnly?: true;
  /**
   * Per-type hook: the RDATA of this type is read by the named parser of `rdata/hooks.ts`
   * (same result shape as the field-by-field parser, plus type-specific checks) instead of
   * the generic field-by-field one. Named, not a function, so this table stays plain data.
   */
  rdataParser?: RdataParserName;
  fields: RdataField[];
}

/** The type-specific RDATA parsers (rdata/hooks.ts). */
export type RdataParserName = 'tlsa';

/** https://www.rfc-editor.org/rfc/rfcN#section-S */
export function rfcUrl(ref: RfcRef): string {
  return `https://www.rfc-editor.org/rfc/rfc${ref.rfc}${ref.section ? `#section-${ref.section}` : ''}`;
}
