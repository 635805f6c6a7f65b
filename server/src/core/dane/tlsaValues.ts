/**
 * The TLSA (and SMIMEA) field values: numbers, RFC 7218 acronyms, meanings and what they
 * imply for SMTP (RFC 6698 §7.2, RFC 7218 §2, RFC 7671, RFC 7672). Hover, completion, inlay
 * hints, the mnemonic quick fix and the checks all read this one table.
 */

export type TlsaField = 'usage' | 'selector' | 'matchingType';

export interface TlsaValue {
  value: number;
  /** RFC 7218 acronym, e.g. DANE-EE. */
  acronym: string;
  /** One line: what the value means. */
  meaning: string;
  /** What it implies for SMTP (RFC 7672). */
  smtp: string;
  /** RFC section link. */
  href: string;
}

const rfc = (n: number, s: string) => `https://www.rfc-editor.org/rfc/rfc${n}#section-${s}`;

export const TLSA_USAGES: readonly TlsaValue[] = [
  { value: 0, acronym: 'PKIX-TA', meaning: 'CA constraint: the chain must pass PKIX validation and include this trust anchor',
    smtp: 'unusable for SMTP: senders treat PKIX-TA records as unusable (RFC 7672 §3.1.3)', href: rfc(6698, '2.1.1') },
  { value: 1, acronym: 'PKIX-EE', meaning: 'service certificate constraint: the server certificate must pass PKIX validation and match',
    smtp: 'unusable for SMTP: senders treat PKIX-EE records as unusable (RFC 7672 §3.1.3)', href: rfc(6698, '2.1.1') },
  { value: 2, acronym: 'DANE-TA', meaning: 'trust anchor assertion: a certificate in the chain above the server certificate (or a key the server does not send) is the trust anchor',
    smtp: 'usable: the server must send the chain up to this trust anchor; names are checked (RFC 7672 §3.1.2)', href: rfc(7671, '5.2') },
  { value: 3, acronym: 'DANE-EE', meaning: 'domain-issued certificate: the server certificate (or its key) itself must match; no PKIX, names and expiry not checked',
    smtp: 'usable: the most robust choice for SMTP, best as 3 1 1 (RFC 7672 §3.1.1)', href: rfc(7671, '5.1') },
  { value: 255, acronym: 'PrivCert', meaning: 'reserved for private use', smtp: 'no public sender understands it', href: rfc(6698, '7.2') },
];

export const TLSA_SELECTORS: readonly TlsaValue[] = [
  { value: 0, acronym: 'Cert', meaning: 'the full certificate (DER)',
    smtp: 'changes at every reissue, even with the same key; with DANE-EE prefer selector 1 (RFC 7671 §5.1)', href: rfc(6698, '2.1.2') },
  { value: 1, acronym: 'SPKI', meaning: 'the SubjectPublicKeyInfo: the public key only',
    smtp: 'survives certificate renewals that keep the key; the recommended selector', href: rfc(6698, '2.1.2') },
  { value: 255, acronym: 'PrivSel', meaning: 'reserved for private use', smtp: 'no public sender understands it', href: rfc(6698, '7.2') },
];

export const TLSA_MATCHING_TYPES: readonly TlsaValue[] = [
  { value: 0, acronym: 'Full', meaning: 'the selected data itself, in full (no hash)',
    smtp: 'large records, doubled during rollover, may push answers to TCP (RFC 7671 §10.1.2); prefer 1', href: rfc(6698, '2.1.3') },
  { value: 1, acronym: 'SHA2-256', meaning: 'SHA-256 digest of the selected data (32 octets, 64 hex digits)',
    smtp: 'the digest every client must implement; the recommended matching type', href: rfc(6698, '2.1.3') },
  { value: 2, acronym: 'SHA2-512', meaning: 'SHA-512 digest of the selected data (64 octets, 128 hex digits)',
    smtp: 'publish it beside a SHA2-256 record, not alone (RFC 7671 §9)', href: rfc(6698, '2.1.3') },
  { value: 255, acronym: 'PrivMatch', meaning: 'reserved for private use', smtp: 'no public sender understands it', href: rfc(6698, '7.2') },
];

export const TLSA_FIELDS: Record<TlsaField, { label: string; values: readonly TlsaValue[]; unassignedFrom: number }> = {
  usage: { label: 'certificate usage', values: TLSA_USAGES, unassignedFrom: 4 },
  selector: { label: 'selector', values: TLSA_SELECTORS, unassignedFrom: 2 },
  matchingType: { label: 'matching type', values: TLSA_MATCHING_TYPES, unassignedFrom: 3 },
};

export const TLSA_FIELD_ORDER: readonly TlsaField[] = ['usage', 'selector', 'matchingType'];

export function tlsaValue(field: TlsaField, value: number): TlsaValue | undefined {
  return TLSA_FIELDS[field].values.find((v) => v.value === value);
}

/** The number an RFC 7218 acronym stands for in a field (case-insensitive), if any. */
export function tlsaAcronymValue(field: TlsaField, text: string): number | undefined {
  const t = text.toUpperCase();
  return TLSA_FIELDS[field].values.find((v) => v.acronym.toUpperCase() === t)?.value;
}

/** Octets a digest of this matching type has (undefined for full data / unknown). */
export function digestLength(matchingType: number): number | undefined {
  return matchingType === 1 ? 32 : matchingType === 2 ? 64 : undefined;
}

/** The field an RFC 7218 acronym belongs to, whichever it is (case-insensitive). */
export function tlsaAcronymField(text: string): { field: TlsaField; value: number } | undefined {
  for (const field of TLSA_FIELD_ORDER) {
    const value = tlsaAcronymValue(field, text);
    if (value !== undefined) return { field, value };
  }
  return undefined;
}

/** `3 (DANE-EE)`, or just `7` for a value without an acronym. */
export function describeTlsaValue(field: TlsaField, value: number): string {
  const v = tlsaValue(field, value);
  return v ? `${value} (${v.acronym})` : String(value);
}

/** The assigned values of a field as a list for messages: `0 = PKIX-TA, 1 = PKIX-EE, …`. */
export function tlsaValueList(field: TlsaField): string {
  return TLSA_FIELDS[field].values.filter((v) => v.value < 255).map((v) => `${v.value} = ${v.acronym}`).join(', ');
}

/** What kind of value `value` is in `field`: assigned by IANA, unassigned, or private use (255). */
export function tlsaValueClass(field: TlsaField, value: number): 'assigned' | 'unassigned' | 'private' {
  if (value === 255) return 'private';
  return value >= TLSA_FIELDS[field].unassignedFrom ? 'unassigned' : 'assigned';
}

/** Protocol labels a TLSA owner may use (RFC 6698 §3: the transport protocol of the service). */
export const TLSA_PROTOCOLS: readonly string[] = ['_tcp', '_udp', '_sctp'];

/** The RFC 8162 §3 label of SMIMEA owners (`<hash>._smimecert.<domain>`). */
export const SMIMEA_LABEL = '_smimecert';

/** Hex digits in the SMIMEA owner's first label: SHA2-256 of the local part truncated to 28 octets. */
export const SMIMEA_HASH_HEX_DIGITS = 56;

/** DANE usage an SMTP client can use in place of a PKIX one with the same data (RFC 7672 §3.1.3). */
export const PKIX_TO_DANE: Readonly<Record<number, number>> = { 0: 2, 1: 3 };

/** Name of the digest of a matching type, for messages. */
export function digestName(matchingType: number): string {
  return tlsaValue('matchingType', matchingType)?.acronym ?? `matching type ${matchingType}`;
}

/** Why clients cannot use a TLSA record: the first field (usage, selector, matching type) at fault. */
export interface TlsaUnusable {
  field: TlsaField;
  value: number;
  /** `pkix-for-smtp`: usages 0 and 1, which SMTP senders treat as unusable (RFC 7672 §3.1.3). */
  why: 'unassigned' | 'private' | 'pkix-for-smtp';
}

/**
 * The one rule for "usable": every field holds an assigned value (unassigned and private-use
 * values mean nothing to clients, RFC 6698 §7.2-7.4), and for SMTP (`_25._tcp`) the usage is
 * DANE-TA or DANE-EE (RFC 7672 §3.1.3). Undefined when the record is usable, else why not.
 */
export function tlsaUnusable(f: { usage: number; selector: number; matchingType: number }, smtp: boolean): TlsaUnusable | undefined {
  const bad = (field: TlsaField, value: number): TlsaUnusable | undefined => {
    const c = tlsaValueClass(field, value);
    return c === 'assigned' ? undefined : { field, value, why: c };
  };
  return bad('usage', f.usage) ??
    (smtp && f.usage < 2 ? { field: 'usage', value: f.usage, why: 'pkix-for-smtp' } : undefined) ??
    bad('selector', f.selector) ?? bad('matchingType', f.matchingType);
}

/** True when clients (SMTP senders when `smtp`) can use the record: see tlsaUnusable. */
export function tlsaUsable(f: { usage: number; selector: number; matchingType: number }, smtp: boolean): boolean {
  return tlsaUnusable(f, smtp) === undefined;
}

const FIELD_WORDS: Readonly<Record<TlsaField, string>> = { usage: 'usage', selector: 'selector', matchingType: 'matching type' };

/** A few words for messages: `private-use usage`, `unassigned selector`, `usage 0 (PKIX-TA)`. */
export function describeUnusable(u: TlsaUnusable): string {
  if (u.why === 'pkix-for-smtp') return `usage ${describeTlsaValue('usage', u.value)}`;
  return `${u.why === 'private' ? 'private-use' : 'unassigned'} ${FIELD_WORDS[u.field]}`;
}
