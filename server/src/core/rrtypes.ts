/**
 * The one table of resource-record types: mnemonic, code, meaning, RFCs and the ordered
 * RDATA fields. Hover, completion, validation (rdata.ts) and the grammar's keyword list all
 * read it (the row's shape is in rrtypeSchema.ts; classes, DNSSEC algorithms, CERT types and
 * SvcParamKeys in registries.ts). Plain data; no I/O.
 */
import { FieldKind, RdataField, RfcRef, RRTypeInfo } from './rrtypeSchema';
import { prefixedNumber } from './registries';

const f = (name: string, kind: FieldKind, description: string, optional?: boolean): RdataField =>
  optional ? { name, kind, description, optional } : { name, kind, description };
const r = (rfc: number, section?: string): RfcRef => (section ? { rfc, section } : { rfc });

// Reused field shapes.
const preference = f('preference', 'u16', 'Lower values are preferred');
const keyFields = (what: string): RdataField[] => [
  f('flags', 'u16', `${what} flags (256 = zone key, 257 = zone key + secure entry point)`),
  f('protocol', 'u8', 'Protocol; must be 3'),
  f('algorithm', 'algorithm', 'DNSSEC algorithm number or mnemonic (e.g. 13 or ECDSAP256SHA256)'),
  f('public key', 'base64', 'The public key, base64'),
];
const dsFields: RdataField[] = [
  f('key tag', 'u16', 'Key tag of the referenced DNSKEY'),
  f('algorithm', 'algorithm', 'Algorithm of the referenced DNSKEY'),
  f('digest type', 'u8', 'Digest algorithm (1 = SHA-1, 2 = SHA-256, 4 = SHA-384)'),
  f('digest', 'hex', 'Digest of the DNSKEY, hexadecimal'),
];
const sigFields: RdataField[] = [
  f('type covered', 'type', 'Type of the RRset this signature covers'),
  f('algorithm', 'algorithm', 'Signing algorithm'),
  f('labels', 'u8', 'Number of labels in the owner name (without the root and a leading `*`)'),
  f('original TTL', 'u32', 'TTL of the covered RRset as in the zone'),
  f('expiration', 'time', 'Signature expiration, YYYYMMDDHHmmSS (UTC) or seconds since 1970'),
  f('inception', 'time', 'Signature inception, YYYYMMDDHHmmSS (UTC) or seconds since 1970'),
  f('key tag', 'u16', 'Key tag of the signing DNSKEY'),
  f("signer's name", 'name', 'Owner of the signing DNSKEY (the zone apex)'),
  f('signature', 'base64', 'The signature, base64'),
];
const tlsaFields = (usageHelp: string): RdataField[] => [
  f('usage', 'u8', usageHelp),
  f('selector', 'u8', '0 = full certificate, 1 = SubjectPublicKeyInfo'),
  f('matching type', 'u8', '0 = exact data, 1 = SHA2-256, 2 = SHA2-512'),
  f('association data', 'hex', 'Certificate data or its digest, hexadecimal'),
];
const txtFields = [f('text', 'strings', 'One or more character-strings (each up to 255 octets)')];
const svcbFields = (what: string): RdataField[] => [
  f('priority', 'u16', '0 = AliasMode, 1..65535 = ServiceMode priority (lower preferred)'),
  f('target', 'name', `${what} target name (\`.\` = the owner itself in ServiceMode)`),
  f('parameters', 'svcparams', 'SvcParams: alpn=, port=, ipv4hint=, ipv6hint=, ech=, mandatory=, …'),
];

/**
 * Type codes that code names directly (checks, features, front ends). Each equals the `code` of
 * its entry in RR_TYPES below (test/unit/rrtypes.test.ts holds them together).
 */
export const TYPE_A = 1;
export const TYPE_NS = 2;
export const TYPE_CNAME = 5;
export const TYPE_SOA = 6;
export const TYPE_PTR = 12;
export const TYPE_MX = 15;
export const TYPE_TXT = 16;
export const TYPE_AAAA = 28;
export const TYPE_SRV = 33;
export const TYPE_DNAME = 39;
export const TYPE_DS = 43;
export const TYPE_RRSIG = 46;
export const TYPE_NSEC = 47;
export const TYPE_DNSKEY = 48;
export const TYPE_NSEC3 = 50;
export const TYPE_NSEC3PARAM = 51;
export const TYPE_TLSA = 52;
export const TYPE_SMIMEA = 53;
export const TYPE_CDS = 59;
export const TYPE_CDNSKEY = 60;
export const TYPE_ZONEMD = 63;

/** Every RR type we know, in code order. */
export const RR_TYPES: readonly RRTypeInfo[] = [
  { name: 'A', code: 1, description: 'IPv4 host address', rfcs: [r(1035, '3.4.1')],
    fields: [f('address', 'ipv4', 'IPv4 address in dotted-decimal form')] },
  { name: 'NS', code: 2, description: 'Authoritative name server', rfcs: [r(1035, '3.3.11')],
    fields: [f('name server', 'name', 'Host name of an authoritative server for the owner zone')] },
  { name: 'MD', code: 3, description: 'Mail destination (obsolete: use MX)', rfcs: [r(1035, '3.3.4')], obsolete: true,
    fields: [f('host', 'name', 'Host with a mail agent for the domain')] },
  { name: 'MF', code: 4, description: 'Mail forwarder (obsolete: use MX)', rfcs: [r(1035, '3.3.5')], obsolete: true,
    fields: [f('host', 'name', 'Host with a mail agent that will forward mail')] },
  { name: 'CNAME', code: 5, description: 'Canonical name for an alias', rfcs: [r(1035, '3.3.1'), r(2181, '10.1')],
    fields: [f('target', 'name', 'The canonical name the owner is an alias for')] },
  { name: 'SOA', code: 6, description: 'Start of a zone of authority', rfcs: [r(1035, '3.3.13'), r(2308, '4')],
    fields: [
      f('primary server', 'name', 'MNAME: the primary name server of the zone'),
      f('responsible mailbox', 'name', 'RNAME: mailbox of the person responsible, `@` written as `.`'),
      f('serial', 'u32', 'Zone version; increase it on every change'),
      f('refresh', 'ttl', 'Seconds (or units) before secondaries check the serial'),
      f('retry', 'ttl', 'Seconds (or units) before a failed refresh is retried'),
      f('expire', 'ttl', 'Seconds (or units) after which secondaries stop answering without a refresh'),
      f('minimum', 'ttl', 'Negative-caching TTL (RFC 2308)'),
    ] },
  { name: 'MB', code: 7, description: 'Mailbox domain name (experimental)', rfcs: [r(1035, '3.3.3')], obsolete: true,
    fields: [f('host', 'name', 'Host holding the mailbox')] },
  { name: 'MG', code: 8, description: 'Mail group member (experimental)', rfcs: [r(1035, '3.3.6')], obsolete: true,
    fields: [f('mailbox', 'name', 'Mailbox that is a member of the mail group')] },
  { name: 'MR', code: 9, description: 'Mail rename domain name (experimental)', rfcs: [r(1035, '3.3.8')], obsolete: true,
    fields: [f('new mailbox', 'name', 'Mailbox that is the proper rename of the owner')] },
  { name: 'NULL', code: 10, description: 'Null record (experimental; anything up to 65535 octets)', rfcs: [r(1035, '3.3.10')],
    obsolete: true, genericOnly: true, fields: [] },
  { name: 'WKS', code: 11, description: 'Well-known services (obsolete)', rfcs: [r(1035, '3.4.2'), r(1123, '6.1.3.6')], obsolete: true,
    fields: [
      f('address', 'ipv4', 'IPv4 address of the host'),
      f('protocol', 'wks-protocol', 'IP protocol: a number or `tcp` / `udp`'),
      f('services', 'wks-services', 'Port numbers (or service names) offered'),
    ] },
  { name: 'PTR', code: 12, description: 'Domain name pointer (reverse mapping)', rfcs: [r(1035, '3.3.12')],
    fields: [f('target', 'name', 'The name this owner points to')] },
  { name: 'HINFO', code: 13, description: 'Host information (also the RFC 8482 answer to ANY)', rfcs: [r(1035, '3.3.2'), r(8482, '4.2')],
    fields: [f('cpu', 'string', 'CPU type'), f('os', 'string', 'Operating system')] },
  { name: 'MINFO', code: 14, description: 'Mailbox or mail list information (experimental)', rfcs: [r(1035, '3.3.7')], obsolete: true,
    fields: [
      f('responsible mailbox', 'name', 'RMAILBX: mailbox responsible for the list'),
      f('error mailbox', 'name', 'EMAILBX: mailbox for error messages'),
    ] },
  { name: 'MX', code: 15, description: 'Mail exchange', rfcs: [r(1035, '3.3.9'), r(7505, '3')],
    fields: [preference, f('exchange', 'name', 'Host that accepts mail for the owner (`.` = null MX, RFC 7505)')] },
  { name: 'TXT', code: 16, description: 'Text strings', rfcs: [r(1035, '3.3.14')], fields: txtFields },
  { name: 'RP', code: 17, description: 'Responsible person', rfcs: [r(1183, '2.2')],
    fields: [
      f('mailbox', 'name', 'Mailbox of the responsible person, `@` written as `.` (`.` = none)'),
      f('text name', 'name', 'Name holding TXT records with more information (`.` = none)'),
    ] },
  { name: 'AFSDB', code: 18, description: 'AFS database location', rfcs: [r(1183, '1'), r(5864, '3')],
    fields: [f('subtype', 'u16', '1 = AFS cell database server, 2 = DCE authenticated name server'), f('hostname', 'name', 'Server host name')] },
  { name: 'X25', code: 19, description: 'X.25 PSDN address (experimental)', rfcs: [r(1183, '3.1')], obsolete: true,
    fields: [f('PSDN address', 'string', 'X.121 numbering-plan address (digits)')] },
  { name: 'ISDN', code: 20, description: 'ISDN address (experimental)', rfcs: [r(1183, '3.2')], obsolete: true,
    fields: [f('ISDN address', 'string', 'E.164 ISDN number'), f('subaddress', 'string', 'Optional subaddress', true)] },
  { name: 'RT', code: 21, description: 'Route through (experimental)', rfcs: [r(1183, '3.3')], obsolete: true,
    fields: [preference, f('intermediate host', 'name', 'Host to route through')] },
  { name: 'SIG', code: 24, description: 'Signature (obsolete: use RRSIG; still used for SIG(0))', rfcs: [r(2535, '4.1'), r(2931)], obsolete: true,
    fields: sigFields },
  { name: 'KEY', code: 25, description: 'Public key (obsolete for DNSSEC: use DNSKEY; still used for SIG(0))', rfcs: [r(2535, '3.1'), r(3445, '3')],
    fields: keyFields('KEY') },
  { name: 'PX', code: 26, description: 'X.400 mail mapping', rfcs: [r(2163, '4')], obsolete: true,
    fields: [preference, f('MAP822', 'name', 'RFC 822 domain'), f('MAPX400', 'name', 'X.400 domain written as a domain name')] },
  { name: 'NSAP', code: 22, description: 'OSI network service access point address', rfcs: [r(1706, '5')],
    fields: [f('address', 'nsap', 'NSAP address: 0x and hex digits, dots allowed (0x47.0005.80.005a00…)')] },
  { name: 'NSAP-PTR', code: 23, description: 'NSAP reverse pointer (deprecated by RFC 1706)', rfcs: [r(1706, '6')], obsolete: true,
    fields: [f('target', 'name', 'Name of the host with this NSAP address')] },
  { name: 'GPOS', code: 27, description: 'Geographical position (superseded by LOC)', rfcs: [r(1712, '3')], obsolete: true,
    fields: [
      f('longitude', 'string', 'Longitude in degrees, like -32.6882'),
      f('latitude', 'string', 'Latitude in degrees, like 116.8652'),
      f('altitude', 'string', 'Altitude in meters, like 10.0'),
    ] },
  { name: 'AAAA', code: 28, description: 'IPv6 host address', rfcs: [r(3596, '2.4')],
    fields: [f('address', 'ipv6', 'IPv6 address (RFC 4291 text form)')] },
  { name: 'LOC', code: 29, description: 'Geographical location', rfcs: [r(1876, '3')],
    fields: [f('location', 'loc', 'd [m [s]] N|S d [m [s]] E|W altitude[m] [size[m] [horizontal precision[m] [vertical precision[m]]]]')] },
  { name: 'NXT', code: 30, description: 'Next domain (obsolete: use NSEC)', rfcs: [r(2535, '5.2')], obsolete: true,
    fields: [f('next name', 'name', 'Next owner name in canonical order'), f('types', 'nxt-bitmap', 'Types present at the owner (1..127)')] },
  { name: 'EID', code: 31, description: 'Nimrod endpoint identifier', rfcs: [], reference: 'draft-ietf-nimrod-dns (IANA registration)', obsolete: true,
    fields: [f('identifier', 'hex', 'Endpoint identifier, hexadecimal')] },
  { name: 'NIMLOC', code: 32, description: 'Nimrod locator', rfcs: [], reference: 'draft-ietf-nimrod-dns (IANA registration)', obsolete: true,
    fields: [f('locator', 'hex', 'Nimrod locator, hexadecimal')] },
  { name: 'SRV', code: 33, description: 'Service location', rfcs: [r(2782)],
    fields: [
      f('priority', 'u16', 'Lower values are tried first'),
      f('weight', 'u16', 'Relative weight among records of the same priority'),
      f('port', 'u16', 'TCP or UDP port of the service'),
      f('target', 'name', 'Host providing the service (`.` = service not available)'),
    ] },
  { name: 'ATMA', code: 34, description: 'ATM address', rfcs: [], reference: 'ATM Forum af-dans-0152.000 (IANA registration)',
    fields: [f('address', 'atma', '`+` and E.164 digits, or an AESA in hex')] },
  { name: 'NAPTR', code: 35, description: 'Naming authority pointer', rfcs: [r(3403, '4.1')],
    fields: [
      f('order', 'u16', 'Order in which the records must be processed'),
      f('preference', 'u16', 'Preference among records of the same order'),
      f('flags', 'string', 'Flags such as "S", "A", "U", "P"'),
      f('services', 'string', 'Service parameters'),
      f('regexp', 'string', 'Substitution expression'),
      f('replacement', 'name', 'Next name to query (`.` when regexp is used)'),
    ] },
  { name: 'KX', code: 36, description: 'Key exchanger', rfcs: [r(2230, '3.1')],
    fields: [preference, f('exchanger', 'name', 'Host acting as key exchanger')] },
  { name: 'CERT', code: 37, description: 'Certificate or CRL', rfcs: [r(4398, '2')],
    fields: [
      f('type', 'cert-type', 'Certificate type: number or mnemonic (PKIX, SPKI, PGP, IPKIX, …)'),
      f('key tag', 'u16', 'Key tag of the key (0 when not applicable)'),
      f('algorithm', 'algorithm', 'DNSSEC algorithm number or mnemonic (0 when not applicable)'),
      f('certificate', 'base64', 'Certificate or CRL, base64'),
    ] },
  { name: 'A6', code: 38, description: 'IPv6 address in pieces (historic: use AAAA)', rfcs: [r(2874, '3.1'), r(6563)], obsolete: true,
    fields: [
      f('prefix length', 'u8', 'Bits of the address taken from the prefix name (0..128)'),
      f('suffix and prefix', 'a6', 'The address suffix (IPv6 form) unless the prefix length is 128, then the prefix name unless it is 0'),
    ] },
  { name: 'DNAME', code: 39, description: 'Delegation name (redirects a whole subtree)', rfcs: [r(6672, '2.1')],
    fields: [f('target', 'name', 'The subtree the owner subtree is redirected to')] },
  { name: 'SINK', code: 40, description: 'Kitchen sink (experimental draft)', rfcs: [], reference: 'draft-eastlake-kitchen-sink (IANA registration)', obsolete: true,
    fields: [
      f('meaning', 'u8', 'What the data means'),
      f('coding', 'u8', 'Coding of the data'),
      f('subcoding', 'u8', 'Subcoding of the data'),
      f('data', 'base64', 'The data, base64', true),
    ] },
  { name: 'APL', code: 42, description: 'Address prefix list (experimental)', rfcs: [r(3123, '4')],
    fields: [f('prefixes', 'apl', 'Items [!]1:IPv4/prefix or [!]2:IPv6/prefix, possibly none')] },
  { name: 'DS', code: 43, description: 'Delegation signer', rfcs: [r(4034, '5'), r(4509)], dnssec: true, fields: dsFields },
  { name: 'SSHFP', code: 44, description: 'SSH key fingerprint', rfcs: [r(4255, '3'), r(6594)],
    fields: [
      f('algorithm', 'u8', 'Key algorithm (1 RSA, 2 DSA, 3 ECDSA, 4 Ed25519, 6 Ed448)'),
      f('fingerprint type', 'u8', '1 = SHA-1, 2 = SHA-256'),
      f('fingerprint', 'hex', 'Fingerprint, hexadecimal'),
    ] },
  { name: 'IPSECKEY', code: 45, description: 'IPsec keying material', rfcs: [r(4025, '2')],
    fields: [
      f('precedence', 'u8', 'Lower values are preferred'),
      f('gateway type', 'u8', '0 = none, 1 = IPv4, 2 = IPv6, 3 = domain name'),
      f('algorithm', 'u8', 'Public-key algorithm (0 = no key, 1 = DSA, 2 = RSA, 3 = ECDSA)'),
      f('gateway', 'ipseckey-gateway', '`.` for none, or the address or name the gateway type says'),
      f('public key', 'ipseckey-key', 'Public key, base64 (absent when the algorithm is 0)', true),
    ] },
  { name: 'RRSIG', code: 46, description: 'DNSSEC signature', rfcs: [r(4034, '3')], dnssec: true, fields: sigFields },
  { name: 'NSEC', code: 47, description: 'Next secure record (authenticated denial)', rfcs: [r(4034, '4')], dnssec: true,
    fields: [
      f('next domain name', 'name', 'Next owner name in canonical order'),
      f('types', 'bitmap', 'Types present at the owner'),
    ] },
  { name: 'DNSKEY', code: 48, description: 'DNSSEC public key', rfcs: [r(4034, '2')], dnssec: true, fields: keyFields('DNSKEY') },
  { name: 'DHCID', code: 49, description: 'DHCP client identifier', rfcs: [r(4701, '3')],
    fields: [f('identifier', 'base64', 'Identifier type, digest type and digest, base64')] },
  { name: 'NSEC3', code: 50, description: 'Hashed next secure record', rfcs: [r(5155, '3')], dnssec: true,
    fields: [
      f('hash algorithm', 'u8', '1 = SHA-1'),
      f('flags', 'u8', '1 = opt-out'),
      f('iterations', 'u16', 'Extra hash iterations (RFC 9276: use 0)'),
      f('salt', 'salt', 'Salt in hexadecimal, `-` for none (RFC 9276: use none)'),
      f('next hashed owner', 'base32hex', 'Next hashed owner name, base32hex'),
      f('types', 'bitmap', 'Types present at the original owner'),
    ] },
  { name: 'NSEC3PARAM', code: 51, description: 'NSEC3 parameters', rfcs: [r(5155, '4')], dnssec: true,
    fields: [
      f('hash algorithm', 'u8', '1 = SHA-1'),
      f('flags', 'u8', 'Must be 0'),
      f('iterations', 'u16', 'Extra hash iterations (RFC 9276: use 0)'),
      f('salt', 'salt', 'Salt in hexadecimal, `-` for none'),
    ] },
  { name: 'TLSA', code: 52, description: 'DANE TLS certificate association', rfcs: [r(6698, '2'), r(7671), r(7218, '2')], rdataParser: 'tlsa',
    fields: tlsaFields('0 = PKIX-TA, 1 = PKIX-EE, 2 = DANE-TA, 3 = DANE-EE') },
  { name: 'SMIMEA', code: 53, description: 'DANE S/MIME certificate association', rfcs: [r(8162, '2')], rdataParser: 'tlsa',
    fields: tlsaFields('0 = PKIX-TA, 1 = PKIX-EE, 2 = DANE-TA, 3 = DANE-EE') },
  { name: 'HIP', code: 55, description: 'Host identity protocol', rfcs: [r(8005, '5')],
    fields: [
      f('PK algorithm', 'u8', 'Public-key algorithm of the host identity'),
      f('HIT and key', 'hip', 'HIT (hex), public key (base64), then rendezvous server names'),
    ] },
  { name: 'NINFO', code: 56, description: 'Zone status information', rfcs: [], reference: 'IANA registration (Reid)',
    fields: [f('text', 'strings', 'One or more character-strings')] },
  { name: 'RKEY', code: 57, description: 'Resource record key (NAPTR encryption)', rfcs: [], reference: 'IANA registration (Reid)', fields: keyFields('RKEY') },
  { name: 'TALINK', code: 58, description: 'Trust anchor link', rfcs: [], reference: 'IANA registration (Wijngaards)',
    fields: [f('previous', 'name', 'Previous name in the chain of links'), f('next', 'name', 'Next name in the chain of links')] },
  { name: 'CDS', code: 59, description: 'Child copy of DS', rfcs: [r(7344, '3.1'), r(8078, '4')], dnssec: true, fields: dsFields },
  { name: 'CDNSKEY', code: 60, description: 'Child copy of DNSKEY', rfcs: [r(7344, '3.2'), r(8078, '4')], dnssec: true,
    fields: keyFields('CDNSKEY') },
  { name: 'OPENPGPKEY', code: 61, description: 'OpenPGP public key', rfcs: [r(7929, '2')],
    fields: [f('key', 'base64', 'Transferable public key, base64')] },
  { name: 'CSYNC', code: 62, description: 'Child-to-parent synchronization', rfcs: [r(7477, '2')],
    fields: [
      f('SOA serial', 'u32', 'Serial of the child SOA this applies to'),
      f('flags', 'u16', '1 = immediate, 2 = soaminimum'),
      f('types', 'bitmap', 'Types to synchronize'),
    ] },
  { name: 'ZONEMD', code: 63, description: 'Message digest of the zone', rfcs: [r(8976, '2')],
    fields: [
      f('serial', 'u32', 'SOA serial of the digested zone'),
      f('scheme', 'u8', '1 = SIMPLE'),
      f('hash algorithm', 'u8', '1 = SHA-384, 2 = SHA-512'),
      f('digest', 'hex', 'Zone digest, hexadecimal'),
    ] },
  { name: 'SVCB', code: 64, description: 'Service binding', rfcs: [r(9460, '2')], fields: svcbFields('Service') },
  { name: 'HTTPS', code: 65, description: 'HTTPS service binding', rfcs: [r(9460, '9')], fields: svcbFields('HTTPS') },
  { name: 'DSYNC', code: 66, description: 'Endpoint for generalized DNS notifications to the parent', rfcs: [r(9859)],
    fields: [
      f('type', 'type', 'The type the notification is about (CDS, CSYNC, …)'),
      f('scheme', 'dsync-scheme', 'Notification scheme: 1 or NOTIFY'),
      f('port', 'u16', 'Port of the notification endpoint'),
      f('target', 'name', 'Host name of the notification endpoint'),
    ] },
  { name: 'HHIT', code: 67, description: 'Hierarchical host identity tag (DRIP)', rfcs: [], reference: 'draft-ietf-drip-registries (IANA registration)',
    fields: [f('data', 'base64', 'HHIT data, base64')] },
  { name: 'BRID', code: 68, description: 'UAS broadcast remote identification (DRIP)', rfcs: [], reference: 'draft-ietf-drip-registries (IANA registration)',
    fields: [f('data', 'base64', 'Broadcast RID data, base64')] },
  { name: 'SPF', code: 99, description: 'SPF policy (obsolete: publish SPF in TXT)', rfcs: [r(7208, '14.1'), r(4408, '3.1.1')], obsolete: true,
    fields: txtFields },
  { name: 'UINFO', code: 100, description: 'User information (IANA reserved, obsolete)', rfcs: [], reference: 'IANA reserved', obsolete: true,
    fields: [f('text', 'string', 'User information')] },
  { name: 'UID', code: 101, description: 'User id (IANA reserved, obsolete)', rfcs: [], reference: 'IANA reserved', obsolete: true,
    fields: [f('uid', 'u32', 'User id')] },
  { name: 'GID', code: 102, description: 'Group id (IANA reserved, obsolete)', rfcs: [], reference: 'IANA reserved', obsolete: true,
    fields: [f('gid', 'u32', 'Group id')] },
  { name: 'UNSPEC', code: 103, description: 'Unspecified data (IANA reserved, obsolete)', rfcs: [], reference: 'IANA reserved', obsolete: true, genericOnly: true, fields: [] },
  { name: 'NID', code: 104, description: 'ILNP node identifier', rfcs: [r(6742, '2.1')],
    fields: [preference, f('node ID', 'ilnp64', 'Node identifier: four groups of four hex digits')] },
  { name: 'L32', code: 105, description: 'ILNP 32-bit locator', rfcs: [r(6742, '2.2')],
    fields: [preference, f('locator', 'ipv4', 'Locator in IPv4 address form')] },
  { name: 'L64', code: 106, description: 'ILNP 64-bit locator', rfcs: [r(6742, '2.3')],
    fields: [preference, f('locator', 'ilnp64', 'Locator: four groups of four hex digits')] },
  { name: 'LP', code: 107, description: 'ILNP locator pointer', rfcs: [r(6742, '2.4')],
    fields: [preference, f('FQDN', 'name', 'Name holding L32/L64 records')] },
  { name: 'EUI48', code: 108, description: 'EUI-48 (MAC) address', rfcs: [r(7043, '3')],
    fields: [f('address', 'eui48', 'Six hex pairs joined by `-`')] },
  { name: 'EUI64', code: 109, description: 'EUI-64 address', rfcs: [r(7043, '4')],
    fields: [f('address', 'eui64', 'Eight hex pairs joined by `-`')] },
  { name: 'URI', code: 256, description: 'Uniform resource identifier', rfcs: [r(7553, '4')],
    fields: [
      f('priority', 'u16', 'Lower values are tried first'),
      f('weight', 'u16', 'Relative weight among records of the same priority'),
      f('target', 'text', 'The URI, usually quoted'),
    ] },
  { name: 'CAA', code: 257, description: 'Certification authority authorization', rfcs: [r(8659, '4')],
    fields: [
      f('flags', 'u8', '128 = issuer critical'),
      f('tag', 'string', 'Property tag: issue, issuewild, iodef, …'),
      f('value', 'text', 'Property value, usually quoted'),
    ] },
  { name: 'RESINFO', code: 261, description: 'Resolver information (key=value strings, like TXT)', rfcs: [r(9606)],
    fields: [f('information', 'strings', 'Character-strings with key or key=value pairs, e.g. "qnamemin" "exterr=15-17"')] },
  { name: 'AVC', code: 258, description: 'Application visibility and control', rfcs: [], reference: 'IANA registration (Cisco)',
    fields: [f('text', 'strings', 'One or more character-strings, like TXT')] },
  { name: 'DOA', code: 259, description: 'Digital object architecture', rfcs: [], reference: 'draft-durand-doa-over-dns (IANA registration)',
    fields: [
      f('enterprise', 'u32', 'SMI enterprise number of the type'),
      f('type', 'u32', 'DOA type'),
      f('location', 'u8', 'Location: 1 = local, 2 = URI, …'),
      f('media type', 'string', 'Media type of the data, may be ""'),
      f('data', 'base64-or-dash', 'The data, base64, or `-` for none'),
    ] },
  { name: 'AMTRELAY', code: 260, description: 'Automatic multicast tunneling relay', rfcs: [r(8777, '4')],
    fields: [
      f('precedence', 'u8', 'Lower values are preferred'),
      f('relay', 'amtrelay', 'Discovery-optional bit (0 or 1), relay type (0 none, 1 IPv4, 2 IPv6, 3 name) and the relay'),
    ] },
  { name: 'WALLET', code: 262, description: 'Public wallet address', rfcs: [], reference: 'IANA registration (expert review)',
    fields: [f('text', 'strings', 'Character-strings: currency and wallet identifiers')] },
  { name: 'CLA', code: 263, description: 'DTN convergence layer adapter', rfcs: [], reference: 'draft-johnson-dns-ipn-cla (IANA registration)',
    fields: [f('text', 'strings', 'Character-strings')] },
  { name: 'IPN', code: 264, description: 'DTN IPN node number', rfcs: [], reference: 'draft-johnson-dns-ipn-cla (IANA registration)',
    fields: [f('node', 'u64', 'IPN node number (decimal, 64 bits)')] },
  { name: 'TA', code: 32768, description: 'DNSSEC trust authority', rfcs: [], reference: 'IANA registration (Weiler, DNSSEC trust authorities)', fields: dsFields },
  { name: 'DLV', code: 32769, description: 'DNSSEC lookaside validation (obsolete)', rfcs: [r(4431, '2'), r(8749)], obsolete: true,
    fields: dsFields },
];

const byName = new Map<string, RRTypeInfo>();
const byCode = new Map<number, RRTypeInfo>();
for (const t of RR_TYPES) {
  byName.set(t.name, t);
  byCode.set(t.code, t);
}

/** The type with this mnemonic (case-insensitive), or undefined. Does not parse TYPEnnn. */
export function typeByName(name: string): RRTypeInfo | undefined {
  return byName.get(name) ?? byName.get(name.toUpperCase());
}

export function typeByCode(code: number): RRTypeInfo | undefined {
  return byCode.get(code);
}

/** A type mnemonic or RFC 3597 `TYPEnnn` (0..65535), case-insensitive. */
export function parseTypeMnemonic(text: string): { code: number; info?: RRTypeInfo } | undefined {
  const info = typeByName(text);
  if (info) return { code: info.code, info };
  const code = prefixedNumber(text, 'type');
  if (code === undefined) return undefined;
  const known = byCode.get(code);
  return known ? { code, info: known } : { code };
}

/** The mnemonic of a type code, or `TYPEnnn`. */
export function typeName(code: number): string {
  return byCode.get(code)?.name ?? `TYPE${code}`;
}

/** Meta-types and QTYPEs (RFC 6895 §3.1): defined, but never data in a zone file. */
const META_TYPES = new Map([['OPT', 41], ['NXNAME', 128], ['TKEY', 249], ['TSIG', 250], ['IXFR', 251], ['AXFR', 252], ['MAILB', 253], ['MAILA', 254], ['ANY', 255]]);

/** The mnemonic when `text` names a meta-type (`TKEY`, `TSIG`, `OPT`, …), else undefined. */
export function metaTypeName(text: string): string | undefined {
  const u = text.toUpperCase();
  return META_TYPES.has(u) ? u : undefined;
}
