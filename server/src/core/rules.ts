import { Severity } from './types';

/**
 * Every diagnostic code the product emits: its default severity, a short title and the
 * RFC section behind it. The codes are stable (see ../shared/docs/dane-rules.md); settings
 * override severities per code, and `off` silences one.
 */
export interface RuleInfo {
  code: string;
  severity: Severity;
  title: string;
  href: string;
}

const rfc = (n: number, section?: string) =>
  `https://www.rfc-editor.org/rfc/rfc${n}${section ? `#section-${section}` : ''}`;

const table: RuleInfo[] = [
  // Parser and zone-wide codes
  { code: 'syntax', severity: 'error', title: 'Master-file syntax error', href: rfc(1035, '5.1') },
  { code: 'unbalanced-parenthesis', severity: 'error', title: 'Unbalanced parenthesis', href: rfc(1035, '5.1') },
  { code: 'unterminated-string', severity: 'error', title: 'Unterminated quoted string', href: rfc(1035, '5.1') },
  { code: 'unknown-directive', severity: 'error', title: 'Unknown directive', href: rfc(1035, '5.1') },
  { code: 'unknown-type', severity: 'error', title: 'Unknown record type', href: rfc(3597, '5') },
  { code: 'invalid-ttl', severity: 'error', title: 'Invalid TTL', href: rfc(2181, '8') },
  { code: 'invalid-name', severity: 'error', title: 'Invalid domain name', href: rfc(1035, '2.3.4') },
  { code: 'relative-name-no-origin', severity: 'error', title: 'Relative name without an origin', href: rfc(1035, '5.1') },
  { code: 'missing-owner', severity: 'error', title: 'First record has no owner', href: rfc(1035, '5.1') },
  { code: 'missing-ttl', severity: 'warning', title: 'Record without a TTL', href: rfc(2308, '4') },
  { code: 'invalid-rdata', severity: 'error', title: 'Invalid record data', href: rfc(1035, '5.1') },
  { code: 'include-unresolved', severity: 'error', title: '$INCLUDE file not readable', href: rfc(1035, '5.1') },
  { code: 'cname-and-other-data', severity: 'error', title: 'CNAME and other data', href: rfc(2181, '10.1') },
  { code: 'rrset-ttl-mismatch', severity: 'warning', title: 'TTLs differ within an RRset', href: rfc(2181, '5.2') },
  { code: 'duplicate-record', severity: 'warning', title: 'Duplicate record', href: rfc(2181, '5') },
  { code: 'out-of-zone', severity: 'warning', title: 'Owner outside the zone', href: rfc(1035, '5.2') },
  { code: 'soa-serial-unchanged', severity: 'warning', title: 'Zone changed, SOA serial did not', href: rfc(1982, '7') },
  { code: 'rrsig-expired', severity: 'warning', title: 'Expired RRSIG', href: rfc(4034, '3.1.5') },
  // DNSSEC validation of pre-signed zones (core/dnssec/)
  { code: 'rrsig-not-yet-valid', severity: 'warning', title: 'RRSIG not yet valid', href: rfc(4034, '3.1.5') },
  { code: 'rrsig-expiring', severity: 'warning', title: 'RRSIG expires soon', href: rfc(4034, '3.1.5') },
  { code: 'rrsig-invalid', severity: 'error', title: 'RRSIG does not verify', href: rfc(4035, '5.3') },
  { code: 'rrsig-missing', severity: 'error', title: 'RRset without signature', href: rfc(4035, '2.2') },
  { code: 'dnssec-algorithm-missing', severity: 'error', title: 'DNSKEY algorithm that does not sign everything', href: rfc(6840, '5.11') },
  { code: 'nsec-chain', severity: 'error', title: 'Broken NSEC chain', href: rfc(4035, '2.3') },
  { code: 'nsec3-chain', severity: 'error', title: 'Broken NSEC3 chain', href: rfc(5155, '7.1') },
  { code: 'nsec3-params', severity: 'warning', title: 'NSEC3 iterations or salt', href: rfc(9276, '3.1') },
  { code: 'ds-mismatch', severity: 'error', title: 'DS/CDS matches no DNSKEY', href: rfc(4034, '5.1.4') },
  { code: 'zonemd-mismatch', severity: 'error', title: 'ZONEMD digest mismatch', href: rfc(8976, '4') },
  { code: 'ttl-too-large', severity: 'warning', title: 'TTL above 2^31-1, read as 0', href: rfc(2181, '8') },
  // Zone rules (named-checkzone parity)
  { code: 'soa-missing', severity: 'error', title: 'No SOA at the zone apex', href: rfc(1035, '5.2') },
  { code: 'soa-not-apex', severity: 'error', title: 'SOA below the zone apex', href: rfc(1035, '5.2') },
  { code: 'soa-multiple', severity: 'error', title: 'More than one SOA record', href: rfc(1035, '5.2') },
  { code: 'ns-apex-missing', severity: 'error', title: 'No NS records at the zone apex', href: rfc(1035, '5.2') },
  { code: 'ns-target-cname', severity: 'error', title: 'NS target is an alias', href: rfc(2181, '10.3') },
  { code: 'target-is-cname', severity: 'warning', title: 'Target is an alias', href: rfc(2181, '10.3') },
  { code: 'target-is-address', severity: 'warning', title: 'Target written as an IP address', href: rfc(1035, '3.3.9') },
  { code: 'glue-missing', severity: 'error', title: 'Name server without glue', href: rfc(1034, '4.2.1') },
  { code: 'occluded-data', severity: 'warning', title: 'Occluded data (never served)', href: rfc(6672, '2.3') },
  { code: 'ns-below-dname', severity: 'error', title: 'NS target below a DNAME', href: rfc(6672, '2.3') },
  { code: 'ds-placement', severity: 'error', title: 'DS not at a delegation', href: rfc(4035, '2.4') },
  { code: 'cds-cdnskey-mismatch', severity: 'error', title: 'CDS/CDNSKEY matches no DNSKEY', href: rfc(7344, '4.1') },
  { code: 'svcb-dns-params', severity: 'error', title: '_dns SVCB without alpn or dohpath', href: rfc(9461, '5') },
  { code: 'dnssec-algorithm-deprecated', severity: 'warning', title: 'Deprecated DNSSEC algorithm or digest', href: rfc(8624, '3.1') },
  { code: 'spf-type', severity: 'warning', title: 'SPF record type', href: rfc(7208, '3.1') },
  { code: 'nsec3-owner', severity: 'error', title: 'NSEC3 owner is not a hash', href: rfc(5155, '3') },
  { code: 'rdata-too-long', severity: 'error', title: 'RDATA over 65,535 octets', href: rfc(1035, '3.2.1') },
  { code: 'check-names', severity: 'warning', title: 'Host name rules (check-names)', href: rfc(1123, '2.1') },
  // TLSA record codes
  { code: 'tlsa-field-range', severity: 'error', title: 'TLSA field out of range', href: rfc(6698, '2.1') },
  { code: 'tlsa-mnemonic', severity: 'error', title: 'TLSA mnemonic instead of a number', href: rfc(7218, '2') },
  { code: 'tlsa-unassigned-value', severity: 'warning', title: 'Unassigned TLSA value', href: rfc(6698, '7.2') },
  { code: 'tlsa-private-value', severity: 'information', title: 'Private-use TLSA value', href: rfc(6698, '7.2') },
  { code: 'tlsa-hex', severity: 'error', title: 'TLSA association data is not hex', href: rfc(6698, '2.2') },
  { code: 'tlsa-digest-length', severity: 'error', title: 'TLSA digest length', href: rfc(6698, '2.1.3') },
  { code: 'tlsa-invalid-der', severity: 'error', title: 'TLSA full data is not DER', href: rfc(6698, '2.1.2') },
  { code: 'tlsa-owner', severity: 'error', title: 'TLSA owner name', href: rfc(6698, '3') },
  { code: 'tlsa-owner-shape', severity: 'warning', title: 'TLSA owner not _port._proto.host', href: rfc(6698, '3') },
  { code: 'tlsa-protocol', severity: 'warning', title: 'TLSA protocol label', href: rfc(6698, '3') },
  { code: 'tlsa-smtp-pkix', severity: 'warning', title: 'PKIX usage for SMTP', href: rfc(7672, '3.1.3') },
  { code: 'tlsa-smtp-all-unusable', severity: 'warning', title: 'No usable SMTP TLSA record', href: rfc(7672, '2.2') },
  { code: 'tlsa-ee-cert-selector', severity: 'warning', title: 'DANE-EE with full certificate', href: rfc(7671, '5.1') },
  { code: 'tlsa-full-data', severity: 'information', title: 'TLSA full data', href: rfc(7671, '10.1.2') },
  { code: 'tlsa-digest-agility', severity: 'warning', title: 'TLSA digest agility', href: rfc(7671, '9') },
  { code: 'tlsa-sha512-only', severity: 'warning', title: 'Only SHA2-512 TLSA records', href: rfc(7671, '9') },
  { code: 'tlsa-high-ttl', severity: 'information', title: 'High TLSA TTL', href: rfc(7671, '8.1') },
  { code: 'tlsa-cname-owner', severity: 'information', title: 'TLSA base host is a CNAME', href: rfc(7671, '7') },
  // DNSSEC, rotation and coverage codes
  { code: 'tlsa-unsigned-zone', severity: 'warning', title: 'TLSA in an unsigned zone', href: rfc(7672, '2.2') },
  { code: 'tlsa-single-record', severity: 'warning', title: 'Single TLSA record', href: rfc(7671, '8.1') },
  { code: 'tlsa-mx-coverage', severity: 'warning', title: 'Partial MX TLSA coverage', href: rfc(7672, '2.2') },
  { code: 'tlsa-orphan', severity: 'information', title: 'TLSA for an unknown host', href: rfc(7672, '3') },
  { code: 'tlsa-cert-mismatch', severity: 'error', title: 'Linked certificate matches no record', href: rfc(7671, '8.1') },
  { code: 'tlsa-stale-record', severity: 'information', title: 'Stale TLSA record', href: rfc(7671, '8.1') },
  { code: 'tlsa-cert-unreadable', severity: 'warning', title: 'Linked certificate unreadable', href: rfc(7671, '8.1') },
  { code: 'tlsa-ta-not-in-chain', severity: 'warning', title: 'Trust anchor not in chain', href: rfc(7671, '5.2.2') },
  { code: 'tlsa-cert-expiring', severity: 'information', title: 'Linked certificate expires soon', href: rfc(7671, '8.1') },
  // Mail operators' failures (issue 14)
  { code: 'tlsa-ca-retired', severity: 'warning', title: 'TLSA pins a retired or expired CA', href: rfc(7671, '5.2') },
  { code: 'tlsa-ca-partial-family', severity: 'warning', title: 'TLSA pins part of a CA\'s intermediates', href: rfc(7671, '5.2') },
  { code: 'tlsa-wrong-host', severity: 'warning', title: 'SMTP TLSA at a name that is not an MX host', href: rfc(7672, '2.2.3') },
  { code: 'tlsa-rrset-size', severity: 'warning', title: 'TLSA RRset too large', href: rfc(7671, '10.1.2') },
  { code: 'tlsa-rotation-too-early', severity: 'warning', title: 'Linked certificate matches only a recently published record', href: rfc(7671, '8.1') },
  { code: 'mta-sts-record', severity: 'error', title: 'Malformed MTA-STS record or policy', href: rfc(8461, '3.1') },
  { code: 'tlsrpt-record', severity: 'error', title: 'Malformed TLS-RPT record', href: rfc(8460, '3') },
  { code: 'tlsrpt-missing', severity: 'information', title: 'DANE without TLS reporting', href: rfc(8460, '3') },
  // The language server's own summary when a document has more diagnostics than
  // `daneZone.maxDiagnostics` (lsp/diagnosticCap.ts): not a finding about the zone, so not in
  // ../shared/docs/dane-rules.md.
  { code: 'too-many-diagnostics', severity: 'information', title: 'More diagnostics than the editor shows', href: 'https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#textDocument_publishDiagnostics' },
];

export const RULES: ReadonlyMap<string, RuleInfo> = new Map(table.map((r) => [r.code, r]));

export type SeverityOverrides = Record<string, Severity | 'off'>;

/**
 * The severity in force for a code, or undefined when it is switched off: the user's override,
 * else the check's own severity (`own`: a check may grade one code differently by context, e.g.
 * `tlsa-unsigned-zone` is information in an inline-signed zone), else the catalog default.
 */
export function effectiveSeverity(code: string, overrides?: SeverityOverrides, own?: Severity): Severity | undefined {
  const o = overrides?.[code];
  if (o === 'off') return undefined;
  return o ?? own ?? RULES.get(code)?.severity ?? 'error';
}
