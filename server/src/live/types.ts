/**
 * The live check's I/O boundary and its report, as plain data.
 *
 * The checker (check.ts) is pure logic over LiveIO: DNS questions go out through `dns`, SMTP
 * connections through `connect`. The Node implementation (node/) speaks dns-packet over UDP
 * (TCP on truncation) to a configured resolver and node:net/node:tls to the MX hosts; tests
 * pass fakes. Nothing here touches the network by itself: a check runs only when a caller
 * (the CLI's `live` command, an editor command) asks for one.
 */

// ---------------------------------------------------------------- DNS

export type LiveQueryType = 'MX' | 'A' | 'AAAA' | 'TLSA' | 'SOA' | 'NS' | 'DS' | 'DNSKEY';

export interface DnsQuestion {
  /** Absolute name, with or without the trailing dot. */
  name: string;
  type: LiveQueryType;
  /** Set CD (checking disabled): asked again after a SERVFAIL to tell "bogus" from "unreachable". */
  checkingDisabled?: boolean;
  /**
   * Ask this server directly (an authoritative name server: RD clear) instead of the
   * configured resolver: how each name server of a zone is compared (issue 15 item 4).
   */
  server?: { host: string; port: number };
}

/** One answer record, decoded. Types the checker does not use come as `other`. */
export type DnsAnswer =
  | { type: 'MX'; name: string; ttl: number; preference: number; exchange: string }
  | { type: 'A'; name: string; ttl: number; address: string }
  | { type: 'AAAA'; name: string; ttl: number; address: string }
  | { type: 'CNAME'; name: string; ttl: number; target: string }
  | { type: 'TLSA'; name: string; ttl: number; usage: number; selector: number; matchingType: number; data: Uint8Array }
  | { type: 'SOA'; name: string; ttl: number; serial: number; mname: string }
  | { type: 'NS'; name: string; ttl: number; target: string }
  | { type: 'DS'; name: string; ttl: number; keyTag: number; algorithm: number; digestType: number; digest: Uint8Array }
  | { type: 'DNSKEY'; name: string; ttl: number; flags: number; algorithm: number; key: Uint8Array }
  | { type: 'other'; name: string; ttl: number; rrtype: string };

export interface DnsResponse {
  /** `NOERROR`, `NXDOMAIN`, `SERVFAIL`, `REFUSED`, … */
  rcode: string;
  /** The AD flag: the validating resolver checked the DNSSEC signatures of the answer. */
  authenticated: boolean;
  answers: DnsAnswer[];
  /** The authority section (the SOA of a negative answer names the zone). */
  authorities?: DnsAnswer[];
  /** The AA flag (direct queries to authoritative servers). */
  authoritative?: boolean;
  /** Extended DNS Errors (RFC 8914) the resolver attached, as `code: text`. */
  extendedErrors?: string[];
  /** The server that answered (`127.0.0.30:53`), and over which transport. */
  server?: string;
  transport?: 'udp' | 'tcp';
}

// ---------------------------------------------------------------- SMTP transport

/** Certificate key families a sender may ask for (signature algorithms offered in the handshake). */
export type KeyType = 'rsa' | 'ecdsa';

/** What the TLS handshake gave. */
export interface TlsHandshake {
  /** `TLSv1.3`, … */
  protocol?: string;
  cipher?: string;
  /** The certificates exactly as the server sent them, in DER, leaf first. */
  chain: Uint8Array[];
}

/** One TCP connection to an SMTP server; after startTls, read and write go through TLS. */
export interface SmtpConnection {
  /** The next bytes from the server; null once it has closed the connection. */
  read(signal: AbortSignal): Promise<Uint8Array | null>;
  write(text: string, signal: AbortSignal): Promise<void>;
  /**
   * TLS over this connection, with SNI = servername; no certificate check (the checker matches
   * TLSA itself). With `keyType`, only that family of signature algorithms is offered (like
   * `danecheck --sigalgs`), so a server with an RSA and an ECDSA certificate shows each.
   */
  startTls(servername: string, signal: AbortSignal, options?: { keyType?: KeyType }): Promise<TlsHandshake>;
  /** Closes the connection (idempotent, never throws). */
  close(): void;
}

export interface LiveIO {
  /** One DNS question to the configured resolver (DO bit set). Throws when no answer comes (timeout, unreachable). */
  dns(question: DnsQuestion, signal: AbortSignal): Promise<DnsResponse>;
  /** A TCP connection to `address` (IPv4 or IPv6 literal) and `port`. */
  connect(address: string, port: number, signal: AbortSignal): Promise<SmtpConnection>;
  /** The clock (certificate expiry). */
  now(): Date;
  /** How the resolver is described in the report (`127.0.0.30:53`, `system (/etc/resolv.conf: 192.0.2.53)`). */
  resolverName?: string;
}

// ---------------------------------------------------------------- report

/**
 * DNSSEC status of one lookup: `secure` (AD set), `insecure` (answered without AD),
 * `bogus` (SERVFAIL that a CD query answers: validation failed), `failed` (no usable
 * answer even with CD, a timeout, REFUSED: could not check).
 */
export type DnssecStatus = 'secure' | 'insecure' | 'bogus' | 'failed';

export interface LookupReport {
  name: string;
  type: LiveQueryType;
  status: DnssecStatus;
  /** NOERROR, NXDOMAIN, SERVFAIL…; the CD answer's rcode for bogus lookups. */
  rcode?: string;
  /** CNAMEs followed, in order (owner names). */
  cnames: string[];
  /** The name the data is at (the last CNAME target, or `name`). */
  canonicalName: string;
  /** Why the lookup failed or was bogus (timeout, SERVFAIL, extended DNS error). */
  error?: string;
  ms: number;
}

export interface MxHost {
  preference: number;
  host: string;
}

/** A TLSA record as JSON-friendly data. */
export interface TlsaData {
  usage: number;
  selector: number;
  matchingType: number;
  /** Association data, lowercase hex. */
  data: string;
}

/** Summary of one presented certificate. */
export interface CertSummary {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** True when `now` is after notAfter (or before notBefore). */
  expired: boolean;
  notYetValid: boolean;
  /** SHA-256 of the certificate and of its public key, lowercase hex (what `3 0 1` and `3 1 1` hold). */
  sha256: string;
  spkiSha256: string;
  sans?: string[];
  keyAlgorithm?: string;
  /** When the bytes are not a readable certificate. */
  error?: string;
}

export type RecordSource = 'published' | 'file' | 'both';

export type MatchResult = 'match' | 'no-match' | 'unusable';

export interface RecordVerdict extends TlsaData {
  source: RecordSource;
  result: MatchResult;
  /** Index in the presented chain of the certificate that matched (0 = leaf). */
  depth?: number;
  /** Why: "matches the leaf's public key (SHA2-256)", "usage 1 (PKIX-EE) is not used by SMTP", … */
  reason: string;
  /**
   * For a matching DANE-TA record: the leaf is issued (signatures checked) by the matched
   * certificate's key, its name fits the MX host, and the certificates are within their dates.
   * Undefined for DANE-EE (RFC 7672 §3.1.1: no name or date checks).
   */
  taProblems?: string[];
}

export type Step = 'connect' | 'banner' | 'ehlo' | 'starttls' | 'tls' | 'quit';

export interface StepReport {
  step: Step;
  ok: boolean;
  ms: number;
  /** The server's reply (first line, shortened) or what went wrong. */
  detail?: string;
}

/**
 * fail: something the world sees is wrong (exit 1) · error: could not check (exit 2) ·
 * warn / info: worth knowing, not a failure.
 */
export type FindingLevel = 'fail' | 'error' | 'warn' | 'info';

export interface Finding {
  level: FindingLevel;
  /** Stable code: `live-tlsa-bogus`, `live-cert-mismatch`, `live-drift`, … */
  code: string;
  message: string;
  host?: string;
  address?: string;
}

export interface AddressReport {
  address: string;
  family: 4 | 6;
  steps: StepReport[];
  /** The step that failed, when one did. */
  failedStep?: Step;
  error?: string;
  banner?: string;
  ehloKeywords?: string[];
  starttlsOffered?: boolean;
  tls?: { protocol?: string; cipher?: string };
  chain: CertSummary[];
  /** Each published record and each file record, against the presented chain. */
  records: RecordVerdict[];
  /**
   * authenticated: a usable published record matches · mismatch: none does ·
   * not-applicable: DANE is not in effect for this host (the chain is still matched, for
   * information) · not-checked: the SMTP dialogue ended before a certificate was seen.
   */
  dane: 'authenticated' | 'mismatch' | 'not-applicable' | 'not-checked';
  /**
   * Each certificate family the server has, checked on its own (RSA, ECDSA): a sender that
   * supports only one of them gets that certificate, so each must be covered. The address's
   * `dane` is `mismatch` when any presented family is.
   */
  keyTypes?: KeyTypeReport[];
  ms: number;
}

/** Where a matching record sits in the chain: `leaf`, `issuer`, `CA 2`, `root`, `trust anchor (not sent)`. */
export type ChainPosition = string;

/**
 * One certificate key family at one address: the server was asked with only that family's
 * signature algorithms offered (the first handshake, with all offered, counts for the family
 * of the certificate it gave).
 */
export interface KeyTypeReport {
  keyType: KeyType;
  /** `all`: the first handshake (every algorithm offered) gave this family's certificate; `only`: asked with only this family. */
  offer: 'all' | 'only';
  /** The server has a certificate of this family (false: the restricted handshake failed or gave another family). */
  presented: boolean;
  /** Why not presented, or what went wrong. */
  note?: string;
  chain: CertSummary[];
  records: RecordVerdict[];
  dane: AddressReport['dane'];
  /** The published records that authenticate this certificate, and where in the chain they matched. */
  matched: { record: TlsaData; depth: number; position: ChainPosition }[];
}

export interface DriftReport {
  /** The TLSA owner compared. */
  owner: string;
  /** Records in the file that the world does not see. */
  fileOnly: TlsaData[];
  /** Records the world sees that the file does not have. */
  publishedOnly: TlsaData[];
  /** False when the file has no TLSA RRset at this owner. */
  inFile: boolean;
}

export interface HostReport {
  host: string;
  preference?: number;
  a: LookupReport;
  aaaa: LookupReport;
  addresses: string[];
  /** The TLSA lookup (at `_port._tcp.` + the host, or its CNAME-expanded name: RFC 7672 §2.2.2). */
  tlsa: LookupReport;
  /**
   * When the MX host is an alias: its secure CNAME-expanded name, and which name the TLSA
   * records came from (`expanded` first, `original` as the fallback; RFC 7672 §2.2.2).
   */
  cname?: { expanded: string; secure: boolean; tlsaFrom: 'expanded' | 'original' };
  /** The host's A/AAAA in the zone file against the published ones (only when the file is the host's zone). */
  addressDrift?: { fileOnly: string[]; publishedOnly: string[] };
  /** The published TLSA records (what the resolver returned, also for insecure and bogus answers). */
  published: TlsaData[];
  /**
   * in-effect: secure addresses and a secure non-empty TLSA RRset · insecure: not validated ·
   * bogus: validation failed (senders defer mail) · none: securely no TLSA · unknown: could not tell
   */
  dane: 'in-effect' | 'insecure' | 'bogus' | 'none' | 'unknown';
  /** Compared with the file's RRset (only with a zone file that covers this host). */
  drift?: DriftReport;
  /** Why DANE is not in effect when the host is insecure or bogus (diagnose.ts). */
  why?: SecurityDiagnosis;
  addressReports: AddressReport[];
}

export type Outcome = 'pass' | 'fail' | 'error';

export interface LiveReport {
  /** The domain or host asked about (normalized, absolute). */
  target: string;
  port: number;
  resolver?: string;
  mx: LookupReport;
  /** Why the MX RRset is insecure or bogus. */
  mxWhy?: SecurityDiagnosis;
  /** Every authoritative server of the zones the TLSA owners are in (authority.ts). */
  zones?: ZoneServersReport[];
  /** True when the target has no MX records and is checked as a host itself (RFC 5321 §5.1 implicit MX). */
  implicitMx: boolean;
  hosts: HostReport[];
  findings: Finding[];
  /** fail when any finding is a fail; else error when any is an error; else pass. */
  outcome: Outcome;
  startedAt: string;
  ms: number;
  /** Set when the overall deadline or the caller's signal stopped the check. */
  aborted?: string;
}

// ---------------------------------------------------------------- why not secure (diagnose.ts)

export type InsecureCause =
  /** The zone serves no DNSKEY: it is not signed. */
  | 'unsigned'
  /** The zone is signed but its parent has no DS for it (securely denied). */
  | 'no-ds'
  /** The parent is not secure itself: no DS can be validated. */
  | 'parent-insecure'
  /** The parent's DS matches none of the zone's DNSKEY records. */
  | 'ds-mismatch'
  /** The DNSKEY RRset or the RRset asked for does not validate (signatures). */
  | 'signatures'
  /** A SERVFAIL where an authenticated NXDOMAIN/NODATA belongs. */
  | 'denial-broken'
  /** The questions above did not tell (an answer missing, a timeout). */
  | 'unknown';

export interface SecurityDiagnosis {
  /** The name and type whose answer was not secure. */
  name: string;
  type: LiveQueryType;
  status: DnssecStatus;
  /** The zone the name is in, when found. */
  zone?: string;
  cause: InsecureCause;
  /** The cause in words, for the report and the editor. */
  message: string;
  /** The DS records the parent publishes (`keytag alg digesttype digest`) and the zone's key tags. */
  ds?: string[];
  keyTags?: number[];
  /** A DS record (SHA-256) for the zone's key-signing key, when the parent lacks one. */
  suggestedDs?: string;
}

// ---------------------------------------------------------------- every authoritative server (authority.ts)

export interface ServerTlsa {
  owner: string;
  rcode?: string;
  records: TlsaData[];
}

export interface NameServerReport {
  /** The name server's name (from the NS RRset) and the address asked. */
  ns: string;
  address: string;
  serial?: number;
  tlsa: ServerTlsa[];
  /** No answer, REFUSED, or not authoritative (lame). */
  error?: string;
}

export interface ZoneServersReport {
  zone: string;
  /** The NS RRset (names). */
  nameServers: string[];
  servers: NameServerReport[];
  /** The highest serial served. */
  serial?: number;
  /** Why the zone's servers could not be listed. */
  error?: string;
}

