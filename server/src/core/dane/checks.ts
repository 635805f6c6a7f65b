/**
 * RRset- and zone-level DANE checks (dane-rules.md: TLSA record codes that look beyond one
 * record, and the DNSSEC, rotation and coverage codes that need no certificate and no network).
 *
 * checkDane works on a DaneZoneView so that every front end can feed it cheaply: a parsed zone
 * (viewOfParsed), the streaming CLI (DaneCollector) or the incremental document (its own view).
 * Pure and deterministic; diagnostics come back sorted by position.
 */
import { sameBytes, toHex } from '../bytes';
import { DaneDirective, ParsedZone, ZoneRecord } from '../model';
import { isAtOrBelow, nameKey, nameLabels } from '../names';
import { readEntry } from '../lexer';
import { describeTtl } from '../ttl';
import { Span, Token, ZoneDiagnostic } from '../types';
import { DaneFixData, Replacement } from './fixData';
import { caDiagnostics, inlineDeclaration, rrsetSizeDiagnostics, wrongHostDiagnostic } from './mail';
import { decideSigned, describeDecision, DNSSEC_RECORD_TYPES, DnssecState, includesKeyFile, SignedDecision } from './signed';
import { decodeTlsaWire, isTlsaType, TlsaFields, tlsaSpans } from './tlsaRdata';
import {
  describeTlsaValue, describeUnusable, digestName, PKIX_TO_DANE, SMIMEA_HASH_HEX_DIGITS, SMIMEA_LABEL, TLSA_PROTOCOLS, tlsaUnusable, tlsaUsable,
} from './tlsaValues';
import { TYPE_A, TYPE_AAAA, TYPE_CNAME, TYPE_MX, TYPE_TLSA } from '../rrtypes';


export const DEFAULT_TLSA_MAX_TTL = 3600;

/** What checkDane needs of a zone. */
export interface DaneZoneView {
  /** The zone's origin when known (SOA / first $ORIGIN / the initial origin). */
  zoneOrigin?: string;
  /** TLSA and SMIMEA records, in file order. */
  tlsa: readonly ZoneRecord[];
  /** MX records, in file order. */
  mx: readonly ZoneRecord[];
  /** All records at an owner (by ownerKey). checkDane reads their type codes and CNAME data. */
  recordsAt(ownerKey: string): readonly ZoneRecord[];
  /**
   * Optional shortcut: an A or AAAA record exists at the owner. A view that gives it may leave
   * A/AAAA records out of recordsAt (the streaming collector does, to keep memory flat).
   */
  hasAddress?(ownerKey: string): boolean;
  /** DNSKEY/RRSIG/NSEC/NSEC3/NSEC3PARAM present, or an $INCLUDE of a K*.key file. */
  hasDnssecRecords: boolean;
  /** The `; dane-zone key=value` comments of the file. */
  daneDirectives: readonly DaneDirective[];
}

export interface DaneOptions {
  /** The dnssec setting for this zone (after the file directive, before the records: dane-rules.md). */
  dnssec?: DnssecState;
  /** tlsa-high-ttl bound in seconds (default 3600). */
  tlsaMaxTtl?: number;
  /** The day CA certificates are judged on (tlsa-ca-retired); default now. */
  now?: Date;
}

/** One TLSA or SMIMEA RRset: same owner (case-insensitive, absolute), class and type. */
export interface TlsaRRset {
  owner: string;
  ownerKey: string;
  classCode: number;
  typeCode: number;
  /** In file order. */
  records: ZoneRecord[];
}

const EMPTY: readonly ZoneRecord[] = Object.freeze([]);

// ---------------------------------------------------------------- views

/** The view of a whole parsed zone (analyzeZone, tests). The owner index is built on first use. */
export function viewOfParsed(parsed: ParsedZone): DaneZoneView {
  const tlsa: ZoneRecord[] = [];
  const mx: ZoneRecord[] = [];
  let dnssec = false;
  for (const r of parsed.records) {
    if (isTlsaType(r.typeCode)) tlsa.push(r);
    else if (r.typeCode === TYPE_MX) mx.push(r);
    else if (DNSSEC_RECORD_TYPES.has(r.typeCode)) dnssec = true;
  }
  // One record per owner is the common case: kept as is, an array only from the second one.
  let index: Map<string, ZoneRecord | ZoneRecord[]> | undefined;
  return {
    zoneOrigin: parsed.zoneOrigin,
    tlsa,
    mx,
    recordsAt(ownerKey: string): readonly ZoneRecord[] {
      if (index === undefined) {
        index = new Map();
        for (const r of parsed.records) {
          if (!r.owner) continue;
          const had = index.get(r.ownerKey);
          if (had === undefined) index.set(r.ownerKey, r);
          else if (Array.isArray(had)) had.push(r);
          else index.set(r.ownerKey, [had, r]);
        }
      }
      const got = index.get(ownerKey);
      return got === undefined ? EMPTY : Array.isArray(got) ? got : [got];
    },
    hasDnssecRecords: dnssec || parsed.directives.some(includesKeyFile),
    daneDirectives: parsed.daneDirectives,
  };
}

/** A record without its RDATA tokens (they hold most of a record's memory). */
function slim(r: ZoneRecord): ZoneRecord {
  return { ...r, rdata: [] };
}

/**
 * Collects what checkDane needs while records stream by (the CLI's `onRecord`): TLSA, SMIMEA,
 * MX and CNAME records are kept, A/AAAA only as a set of owner names.
 */
export class DaneCollector {
  private readonly tlsa: ZoneRecord[] = [];
  private readonly mx: ZoneRecord[] = [];
  private readonly kept = new Map<string, ZoneRecord[]>();
  private readonly addresses = new Set<string>();
  private dnssec = false;

  /**
   * `hasAddress`, when given, answers "is there an A/AAAA record at this owner" from another
   * index (the zone checker's), so the collector does not keep a set of every address owner.
   */
  constructor(private readonly hasAddressOf?: (ownerKey: string) => boolean) {}

  add(r: ZoneRecord): void {
    if (!r.owner) return;
    const t = r.typeCode;
    if (t === TYPE_A || t === TYPE_AAAA) { if (!this.hasAddressOf) this.addresses.add(r.ownerKey); return; }
    if (DNSSEC_RECORD_TYPES.has(t)) { this.dnssec = true; return; }
    if (isTlsaType(t)) this.tlsa.push(r);
    else if (t === TYPE_MX) this.mx.push(r);
    else if (t === TYPE_CNAME) r = slim(r); // only its owner, type and wire form are read
    else return;
    const list = this.kept.get(r.ownerKey);
    if (list) list.push(r); else this.kept.set(r.ownerKey, [r]);
  }

  /** The view, once parsing is done (zone origin, directives and $INCLUDEs come from the parse result). */
  view(parsed: Pick<ParsedZone, 'zoneOrigin' | 'directives' | 'daneDirectives'>): DaneZoneView {
    return {
      zoneOrigin: parsed.zoneOrigin,
      tlsa: this.tlsa,
      mx: this.mx,
      recordsAt: (k) => this.kept.get(k) ?? EMPTY,
      hasAddress: this.hasAddressOf ?? ((k) => this.addresses.has(k)),
      hasDnssecRecords: this.dnssec || parsed.directives.some(includesKeyFile),
      daneDirectives: parsed.daneDirectives,
    };
  }
}

/** Groups TLSA/SMIMEA records into RRsets the way a DNS server does (owner key, class, type); first-seen order. */
export function groupTlsaRRsets(records: readonly ZoneRecord[]): TlsaRRset[] {
  const out: TlsaRRset[] = [];
  const byOwner = new Map<string, TlsaRRset | TlsaRRset[]>();
  for (const r of records) {
    if (!r.owner || !isTlsaType(r.typeCode)) continue;
    const had = byOwner.get(r.ownerKey);
    const list = had === undefined ? undefined : Array.isArray(had) ? had : [had];
    const s = list?.find((x) => x.classCode === r.classCode && x.typeCode === r.typeCode);
    if (s) { s.records.push(r); continue; }
    const set: TlsaRRset = { owner: r.owner, ownerKey: r.ownerKey, classCode: r.classCode, typeCode: r.typeCode, records: [r] };
    out.push(set);
    if (list === undefined) byOwner.set(r.ownerKey, set);
    else { list.push(set); byOwner.set(r.ownerKey, list); }
  }
  return out;
}

// ---------------------------------------------------------------- spans and names

/** Where to report about a record as a whole: its owner (or type) token, or the $INCLUDE line. */
function ownerAt(r: ZoneRecord): Span {
  return r.includeSpan ?? r.ownerToken ?? r.typeToken ?? r;
}

/** A span inside the record, or the $INCLUDE line for included records. */
function inRecord(r: ZoneRecord, s: Span | undefined): Span {
  return r.includeSpan ?? s ?? r.typeToken ?? r;
}

function diag(code: string, severity: ZoneDiagnostic['severity'], at: Span, message: string, data?: DaneFixData): ZoneDiagnostic {
  const d: ZoneDiagnostic = { code, severity, start: at.start, end: at.end, message };
  if (data !== undefined) d.data = data;
  return d;
}

/** Spans of the labels of an owner token as written (none for `@`). */
function writtenLabels(t: Token | undefined): { text: string; start: number; end: number }[] {
  if (!t || t.quoted || t.text === '@' || t.text === '.') return [];
  const out: { text: string; start: number; end: number }[] = [];
  const s = t.text;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') { i += /[0-9]/.test(s[i + 1] ?? '') ? 3 : 1; continue; }
    if (c === '.') {
      out.push({ text: s.slice(from, i), start: t.start + from, end: t.start + i });
      from = i + 1;
    }
  }
  if (from < s.length) out.push({ text: s.slice(from), start: t.start + from, end: t.start + s.length });
  return out;
}

/** Presentation form of one octet in a label, as names.ts writes it. */
function labelOctet(b: number): string {
  const plain = (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x5f || b === 0x2f || b === 0x2a;
  if (plain) return String.fromCharCode(b);
  if (b > 0x20 && b < 0x7f) return '\\' + String.fromCharCode(b);
  return '\\' + String(b).padStart(3, '0');
}

/** The normalized absolute name at `p` in uncompressed wire data, or undefined. */
export function wireName(d: Uint8Array, p: number): string | undefined {
  const labels: string[] = [];
  for (let guard = 0; guard < 128; guard++) {
    if (p >= d.length) return undefined;
    const len = d[p];
    if (len === 0) return labels.length ? labels.join('.') + '.' : '.';
    if (len & 0xc0 || p + 1 + len > d.length) return undefined;
    let s = '';
    for (let i = p + 1; i <= p + len; i++) s += labelOctet(d[i]);
    labels.push(s);
    p += len + 1;
  }
  return undefined;
}

/** The owner without its first `n` labels (absolute). */
function parentName(owner: string, n: number): string {
  const labels = nameLabels(owner).slice(n);
  return labels.length ? labels.join('.') + '.' : '.';
}

// ---------------------------------------------------------------- the checks

export interface Decoded {
  record: ZoneRecord;
  f: TlsaFields;
}

interface OwnerInfo {
  /** Port number when the first label is `_` + digits (leading zeros read as the number). */
  port?: number;
  /** Protocol label, lowercased (`_tcp`). */
  protocol?: string;
  /** Base host (absolute) of a well-formed TLSA owner. */
  host?: string;
  /** The port label is malformed (`_025`, `_smtp`, out of range): no client ever queries this owner. */
  neverQueried?: boolean;
}

/** Records with distinct fields and data (two copies of one record count once), first copy kept. */
function distinct(ds: Decoded[]): Decoded[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.f.usage} ${d.f.selector} ${d.f.matchingType} ${toHex(d.f.data)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The text of a span inside a record's RDATA tokens (the span lies within one token). */
function rdataText(r: ZoneRecord, s: Span): string | undefined {
  for (const t of r.rdata) if (t.start <= s.start && s.end <= t.end) return t.text.slice(s.start - t.start, s.end - t.start);
  return undefined;
}

class DaneChecker {
  readonly out: ZoneDiagnostic[] = [];
  readonly decision: SignedDecision;
  private readonly maxTtl: number;
  private readonly mxTargets = new Set<string>();
  private readonly now: Date;
  /** The RRsets senders query (well-formed owner, not an orphan or at the wrong host), for tlsa-unsigned-zone. */
  private readonly queriedSets: TlsaRRset[] = [];
  private bare: string[] | undefined;

  constructor(private readonly view: DaneZoneView, options: DaneOptions) {
    this.decision = decideSigned(view, options.dnssec);
    this.now = options.now ?? new Date();
    this.maxTtl = options.tlsaMaxTtl ?? DEFAULT_TLSA_MAX_TTL;
    for (const m of view.mx) {
      const t = m.wire && m.wire.length > 2 ? wireName(m.wire, 2) : undefined;
      if (t !== undefined && t !== '.') this.mxTargets.add(nameKey(t));
    }
  }

  private hasType(key: string, type: number): boolean {
    if ((type === TYPE_A || type === TYPE_AAAA) && this.view.hasAddress) return this.view.hasAddress(key);
    return this.view.recordsAt(key).some((r) => r.typeCode === type);
  }

  private hasAddress(key: string): boolean {
    return this.view.hasAddress ? this.view.hasAddress(key) : this.view.recordsAt(key).some((r) => r.typeCode === TYPE_A || r.typeCode === TYPE_AAAA);
  }

  run(): ZoneDiagnostic[] {
    const sets = groupTlsaRRsets(this.view.tlsa);
    for (const set of sets) this.rrset(set);
    this.unsigned();
    this.coverage();
    return this.out.sort((a, b) => a.start - b.start);
  }

  /** tlsa-owner / tlsa-protocol for a TLSA owner; returns what the owner says. */
  private tlsaOwner(set: TlsaRRset, first: ZoneRecord): OwnerInfo {
    const labels = nameLabels(set.owner);
    const written = writtenLabels(first.ownerToken);
    const labelAt = (i: number): Span => first.includeSpan ?? written[i] ?? ownerAt(first);
    const shape = 'a TLSA owner is `_port._protocol.host`, like `_25._tcp.mail.example.com.`';
    // `*` stands for any port or protocol (a wildcard owner such as `*._tcp.mx.example.com.`).
    const okLabel = (l: string | undefined) => l !== undefined && (l.startsWith('_') || l === '*');
    if (labels.length < 3 || !okLabel(labels[0]) || !okLabel(labels[1])) {
      const why = labels.length < 3 && okLabel(labels[0]) && okLabel(labels[1]) ? 'has no host name after the port and protocol labels' : 'does not have that shape';
      this.out.push(diag('tlsa-owner', 'error', ownerAt(first), `${set.owner} ${why}: ${shape}; clients never look this name up`));
      return {};
    }
    const info: OwnerInfo = { protocol: labels[1].toLowerCase(), host: parentName(set.owner, 2) };
    const portLabel = labels[0];
    const digits = portLabel.slice(1);
    if (portLabel === '*') {
      // any port: nothing to check
    } else if (!/^[0-9]+$/.test(digits)) {
      info.neverQueried = true;
      this.out.push(diag('tlsa-owner', 'error', labelAt(0),
        `\`${portLabel}\` is not a port label: the first label of a TLSA owner is \`_\` and the port number, like \`_25\` or \`_443\` (service names are SRV's convention, not TLSA's)`));
    } else {
      const port = digits.length > 5 ? 65536 : Number(digits);
      if (port > 65535) {
        info.neverQueried = true;
        this.out.push(diag('tlsa-owner', 'error', labelAt(0), `port ${digits} in \`${portLabel}\` is out of range: a port is 0..65535`));
      } else if (digits.length > 1 && digits[0] === '0') {
        info.port = port;
        info.neverQueried = true;
        const at = labelAt(0);
        const w = first.includeSpan ? undefined : written[0];
        const fixable = w !== undefined && w.start === at.start && w.end === at.end;
        const data: DaneFixData | undefined = fixable ? { fix: 'tlsa-port', port, replace: [{ start: w.start, end: w.end, oldText: w.text, newText: `_${port}` }] } : undefined;
        this.out.push(diag('tlsa-owner', 'error', at,
          `\`${portLabel}\` has a leading zero: clients query \`_${port}\`, so this RRset is never found; write \`_${port}\``, data));
      } else {
        info.port = port;
      }
    }
    if (info.protocol !== '*' && !TLSA_PROTOCOLS.includes(info.protocol!)) {
      this.out.push(diag('tlsa-protocol', 'warning', labelAt(1),
        `\`${labels[1]}\` is not a transport protocol label: TLSA owners use \`_tcp\`, \`_udp\` or \`_sctp\` (RFC 6698 §3)`));
    }
    return info;
  }

  private smimeaOwner(set: TlsaRRset, first: ZoneRecord): void {
    const labels = nameLabels(set.owner);
    const shape = 'an SMIMEA owner is `<SHA2-256 of the local part, first 28 octets in hex>._smimecert.<domain>` (RFC 8162 §3)';
    const written = writtenLabels(first.ownerToken);
    if (labels.length < 3 || labels[1].toLowerCase() !== SMIMEA_LABEL) {
      this.out.push(diag('tlsa-owner', 'error', ownerAt(first), `${set.owner} does not have that shape: ${shape}`));
      return;
    }
    const hash = labels[0];
    if (!new RegExp(`^[0-9a-fA-F]{${SMIMEA_HASH_HEX_DIGITS}}$`).test(hash)) {
      const at = first.includeSpan ?? written[0] ?? ownerAt(first);
      this.out.push(diag('tlsa-owner', 'error', at,
        `\`${hash.length > 20 ? hash.slice(0, 17) + '…' : hash}\` is not a hashed local part: ${shape}; it has ${hash.length} characters, the hash has ${SMIMEA_HASH_HEX_DIGITS} hex digits`));
    }
  }

  private rrset(set: TlsaRRset): void {
    const first = set.records[0];
    const isTlsa = set.typeCode === TYPE_TLSA;
    let owner: OwnerInfo = {};
    if (isTlsa) owner = this.tlsaOwner(set, first);
    else this.smimeaOwner(set, first);
    const smtp = isTlsa && owner.port === 25 && owner.protocol === '_tcp';
    const decoded: Decoded[] = [];
    for (const r of set.records) {
      // A record with an error (bad digest length, not DER, bad TTL…) is not counted as published.
      const f = r.ok ? decodeTlsaWire(r.wire) : undefined;
      if (f) decoded.push({ record: r, f });
    }
    const type = isTlsa ? 'TLSA' : 'SMIMEA';

    // Names no client queries get only the owner error: no rotation or DNSSEC advice.
    if (isTlsa && (owner.host === undefined || owner.neverQueried)) return;
    const queried = isTlsa ? this.baseHost(set, first, owner, smtp) : true;
    if (queried) this.queriedSets.push(set);

    // Per record
    for (const r of queried ? set.records : []) {
      if (r.ttl !== undefined && r.ttl > this.maxTtl) {
        this.out.push(diag('tlsa-high-ttl', 'information', r.includeSpan ?? r.ttlToken ?? r.typeToken ?? r,
          `${type} TTL ${r.ttl} (${describeTtl(r.ttl)}) is above ${this.maxTtl} (${describeTtl(this.maxTtl)}): at each certificate or key change the new record must be published at least two TTLs (${describeTtl(2 * r.ttl)}) before it is used; lower the TTL`));
      }
    }
    for (const { record: r, f } of decoded) {
      const spans = tlsaSpans(r.rdata);
      if (smtp && (f.usage === 0 || f.usage === 1)) {
        const to = PKIX_TO_DANE[f.usage];
        const twin = decoded.find((o) => o.f.usage === to && o.f.selector === f.selector && o.f.matchingType === f.matchingType && sameBytes(o.f.data, f.data));
        const at = inRecord(r, spans.usage);
        let data: DaneFixData | undefined;
        const old = !r.includeSpan && spans.usage ? rdataText(r, spans.usage) : undefined;
        if (!twin && old !== undefined && spans.usage) {
          const newText = spans.generic ? (to < 16 ? '0' : '') + to.toString(16) : String(to);
          data = { fix: 'tlsa-pkix-to-dane', from: f.usage, to, replace: [{ start: spans.usage.start, end: spans.usage.end, oldText: old, newText } as Replacement] };
        }
        const advice = twin
          ? `the RRset already has the same record with usage ${describeTlsaValue('usage', to)}: remove this one`
          : `with the same data, usage ${describeTlsaValue('usage', to)} works for SMTP${to === 2 ? ' (the server must then send this CA certificate in its chain)' : ''}`;
        this.out.push(diag('tlsa-smtp-pkix', 'warning', at,
          `usage ${describeTlsaValue('usage', f.usage)} at an SMTP (port 25) owner: mail senders treat PKIX-TA and PKIX-EE records as unusable (RFC 7672 §3.1.3); ${advice}`, data));
      }
      if (isTlsa && f.usage === 3 && f.selector === 0) {
        this.out.push(diag('tlsa-ee-cert-selector', 'warning', inRecord(r, spans.selector),
          `\`3 0 ${f.matchingType}\` pins the whole certificate: its data changes at every renewal, even with the same key; prefer \`3 1 1\` (SHA2-256 of the public key), which survives renewals that keep the key`));
      }
    }

    // Digests across the RRset
    this.agility(decoded, type);
    if (decoded.length > 0 && decoded.every((d) => d.f.matchingType === 2)) {
      const d = decoded[0];
      this.out.push(diag('tlsa-sha512-only', 'warning', inRecord(d.record, tlsaSpans(d.record.rdata).matchingType),
        `this ${type} RRset has only SHA2-512 (matching type 2) records: SHA2-256 is the one digest every client must implement (RFC 7671 §9); add a matching type 1 record for each key`));
    }

    if (!isTlsa) return;

    // Usable records: rotation and SMTP
    const usable = distinct(decoded.filter((d) => tlsaUsable(d.f, smtp)));
    if (smtp && decoded.length > 0 && usable.length === 0) {
      const reasons = [...new Set(decoded.map((d) => describeUnusable(tlsaUnusable(d.f, true)!)))].join(', ');
      this.out.push(diag('tlsa-smtp-all-unusable', 'warning', ownerAt(first),
        `no record of this SMTP TLSA RRset is usable (${reasons}): senders still insist on STARTTLS but cannot authenticate the server (RFC 7672 §2.2); add a DANE-EE record (3 1 1) for the server's key`));
    }
    this.out.push(...caDiagnostics(set, decoded, this.now));
    this.out.push(...rrsetSizeDiagnostics(set, this.view, this.decision.state));
    if (usable.length === 1 && queried) {
      const u = usable[0];
      const last = set.records[set.records.length - 1];
      // (no fix data for a record in an $INCLUDEd file: its offsets are in that file)
      const data: DaneFixData | undefined = u.record.includeFile !== undefined || last.includeFile !== undefined ? undefined : {
        fix: 'tlsa-rotation-pair', typeName: 'TLSA', owner: set.owner, ttl: u.record.ttl,
        usage: u.f.usage, selector: u.f.selector, matchingType: u.f.matchingType, association: toHex(u.f.data),
        record: { start: u.record.start, end: u.record.end }, insertAt: last.end,
      };
      const breaks = smtp ? 'mail delivery from DANE senders' : 'connections from DANE clients';
      const copies = decoded.length > 1 && decoded.every((d) => tlsaUsable(d.f, smtp)) ? ' (the others are copies of it)' : '';
      this.out.push(diag('tlsa-single-record', 'warning', ownerAt(u.record),
        `only one usable TLSA record at ${set.owner}${copies}: the next certificate or key change breaks ${breaks} until the new record is published and cached; publish the next key's record beside it (RFC 7671 §8.1), or add a \`2 1 1\` record for the issuing CA`, data));
    }

  }

  /**
   * What the zone says about a TLSA owner's base host (tlsa-cname-owner, tlsa-orphan,
   * tlsa-wrong-host); false when no sender queries the name (orphan, wrong host).
   */
  private baseHost(set: TlsaRRset, first: ZoneRecord, owner: OwnerInfo, smtp: boolean): boolean {
    if (owner.host === undefined) return true;
    const hostKey = nameKey(owner.host);
    const cname = this.view.recordsAt(hostKey).find((r) => r.typeCode === TYPE_CNAME);
    if (cname) {
      const target = cname.wire ? wireName(cname.wire, 0) : undefined;
      const where = target ? `\`${set.owner.slice(0, set.owner.length - owner.host.length)}${target}\`` : 'the CNAME target';
      this.out.push(diag('tlsa-cname-owner', 'information', ownerAt(first),
        `${owner.host} is a CNAME in this zone: clients look up TLSA records at the expanded name ${where} first (RFC 7671 §7); publish them there as well`));
      return true;
    }
    if (!smtp || owner.host.startsWith('*') || !this.inZone(owner.host) || this.mxTargets.has(hostKey)) return true;
    const wrong = wrongHostDiagnostic(set, owner.host, this.bareMxHosts(), this.view);
    if (wrong) { this.out.push(wrong); return false; }
    if (!this.hasAddress(hostKey)) {
      this.out.push(diag('tlsa-orphan', 'information', ownerAt(first),
        `${owner.host} is neither an MX target nor has an address (A/AAAA) in this zone: no sender looks up ${set.owner}; fix the host name or remove the RRset`));
      return false;
    }
    return true;
  }

  /** In-zone MX targets without a `_25._tcp` TLSA RRset, in MX order. */
  private bareMxHosts(): string[] {
    if (this.bare) return this.bare;
    const out: string[] = [];
    const seen = new Set<string>();
    for (const m of this.view.mx) {
      const target = m.wire && m.wire.length > 2 ? wireName(m.wire, 2) : undefined;
      if (target === undefined || target === '.' || !this.view.zoneOrigin || !isAtOrBelow(target, this.view.zoneOrigin)) continue;
      const key = nameKey(target);
      if (seen.has(key)) continue;
      seen.add(key);
      if (!this.hasType(nameKey(`_25._tcp.${target}`), TYPE_TLSA)) out.push(target);
    }
    return (this.bare = out);
  }

  /** tlsa-unsigned-zone: once per zone, on the first RRset senders query, the others as related locations. */
  private unsigned(): void {
    const st = this.decision.state;
    const sets = this.queriedSets;
    if (st === 'signed' || sets.length === 0) return;
    const first = sets[0].records[0];
    const types = [...new Set(sets.map((s) => (s.typeCode === TYPE_TLSA ? 'TLSA' : 'SMIMEA')))].join(' and ');
    const n = sets.length === 1 ? `at ${sets[0].owner}` : `at ${sets.length} names`;
    const how = this.decision.source === 'default' ? 'the file holds no DNSKEY, RRSIG, NSEC, NSEC3 or NSEC3PARAM records' : describeDecision(this.decision);
    const d = st === 'unsigned'
      ? diag('tlsa-unsigned-zone', 'warning', ownerAt(first),
        `${types} records (${n}) in a zone that is not DNSSEC-signed (${how}): validating senders treat them as absent, so DANE is off; sign the zone (DS at the parent), or declare \`; dane-zone dnssec=inline\` if the server signs it on load`,
        inlineDeclaration(this.decision))
      : diag('tlsa-unsigned-zone', 'information', ownerAt(first),
        `the zone is ${how}, so this file holds no DNSSEC records: make sure the server really signs it and the parent has its DS record, or clients ignore these ${types} records (${n})`);
    if (sets.length > 1) d.related = sets.slice(1).map((s) => ({ ...ownerAt(s.records[0]), message: `${s.owner}: also in the unsigned zone` }));
    this.out.push(d);
  }

  private inZone(name: string): boolean {
    return this.view.zoneOrigin === undefined || isAtOrBelow(name, this.view.zoneOrigin);
  }

  /** tlsa-digest-agility: for one usage+selector, every key should have the same digests (RFC 7671 §9). */
  private agility(decoded: Decoded[], type: string): void {
    const groups = new Map<number, Decoded[]>();
    for (const d of decoded) {
      if (d.f.matchingType !== 1 && d.f.matchingType !== 2) continue;
      const k = d.f.usage * 256 + d.f.selector;
      const g = groups.get(k);
      if (g) g.push(d); else groups.set(k, [d]);
    }
    for (const g of groups.values()) {
      const n1 = g.filter((d) => d.f.matchingType === 1).length;
      const n2 = g.length - n1;
      if (n1 === 0 || n2 === 0 || n1 === n2) continue;
      const fewer = n1 < n2 ? 1 : 2;
      const more = fewer === 1 ? 2 : 1;
      const { usage, selector } = g[0].f;
      for (const d of g) {
        if (d.f.matchingType !== fewer) continue;
        this.out.push(diag('tlsa-digest-agility', 'warning', inRecord(d.record, tlsaSpans(d.record.rdata).matchingType),
          `for usage ${usage} selector ${selector} this ${type} RRset has ${Math.max(n1, n2)} ${digestName(more)} record${Math.max(n1, n2) === 1 ? '' : 's'} but ${Math.min(n1, n2)} ${digestName(fewer)}: ` +
          `clients that support ${digestName(2)} use only those records (RFC 7671 §9), so a key without one fails for them; publish the same digests for every key`));
      }
    }
  }

  /** tlsa-mx-coverage: in a signed zone, some in-zone MX targets have `_25._tcp` TLSA and others do not. */
  private coverage(): void {
    if (this.decision.state === 'unsigned') return;
    const covered: string[] = [];
    const bare: { record: ZoneRecord; target: string }[] = [];
    const seen = new Map<string, boolean>();
    for (const m of this.view.mx) {
      const target = m.wire && m.wire.length > 2 ? wireName(m.wire, 2) : undefined;
      if (target === undefined || target === '.') continue;
      const key = nameKey(target);
      const inZone = this.view.zoneOrigin !== undefined ? isAtOrBelow(target, this.view.zoneOrigin) : this.view.recordsAt(key).length > 0 || this.hasAddress(key);
      if (!inZone) continue;
      let has = seen.get(key);
      if (has === undefined) {
        has = this.hasType(nameKey(`_25._tcp.${target}`), TYPE_TLSA);
        seen.set(key, has);
        if (has) covered.push(target);
      }
      if (!has) bare.push({ record: m, target });
    }
    if (covered.length === 0 || bare.length === 0) return;
    const others = covered.length > 2 ? `${covered.slice(0, 2).join(', ')} and ${covered.length - 2} more` : covered.join(' and ');
    for (const { record: m, target } of bare) {
      const tok = m.rdata.length === 2 && !m.rdata[0].quoted && m.rdata[0].text !== '\\#' ? m.rdata[1] : undefined;
      this.out.push(diag('tlsa-mx-coverage', 'warning', inRecord(m, tok),
        `MX target ${target} has no _25._tcp TLSA records, but ${others} ${covered.length === 1 ? 'has' : 'have'}: DANE senders authenticate only some of your mail hosts, and an attacker can steer mail to the others; publish _25._tcp.${target} TLSA records`));
    }
  }
}

/** The RRset- and zone-level DANE diagnostics of a zone, sorted by position. */
export function checkDane(view: DaneZoneView, options: DaneOptions = {}): ZoneDiagnostic[] {
  if (view.tlsa.length === 0) return [];
  return new DaneChecker(view, options).run();
}

// ---------------------------------------------------------------- `; dane-zone disable=CODE[,CODE]`

export interface DisabledRange extends Span {
  codes: ReadonlySet<string>;
}

/**
 * The records silenced by `; dane-zone disable=CODE[,CODE]` comments: a comment on a line of its
 * own applies to the next entry (blank and comment lines skipped) when that entry is a record or
 * a $GENERATE; a comment after a record on the same line applies to that line. Found with the
 * lexer alone, so it needs only the text and the directives.
 */
export function disabledRanges(text: string, daneDirectives: readonly DaneDirective[]): DisabledRange[] {
  const out: DisabledRange[] = [];
  const sink = { diagnostics: [] as ZoneDiagnostic[] };
  for (const d of daneDirectives) {
    const codes = new Set<string>();
    for (const it of d.items) {
      if (it.key !== 'disable') continue;
      for (const c of it.value.split(',')) if (c.trim()) codes.add(c.trim().toLowerCase());
    }
    if (codes.size === 0 || d.end > text.length) continue;
    // A trailing comment (`www A 192.0.2.1 ; dane-zone disable=…`) silences its own line.
    const lineStart = text.lastIndexOf('\n', d.start - 1) + 1;
    if (text.slice(lineStart, d.start).trim() !== '') {
      out.push({ start: lineStart, end: d.end, codes });
      continue;
    }
    let pos = text.indexOf('\n', d.end);
    if (pos < 0) continue;
    pos++;
    for (let guard = 0; pos < text.length && guard < 10_000; guard++) {
      sink.diagnostics.length = 0;
      const { entry, next } = readEntry(text, pos, sink);
      if (entry.tokens.length === 0) { pos = next; continue; }
      const t0 = entry.tokens[0];
      const directive = !entry.blankOwner && !t0.quoted && t0.text.startsWith('$');
      if (!directive || t0.text.toUpperCase() === '$GENERATE') out.push({ start: entry.start, end: entry.end, codes });
      break;
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Drops the diagnostics silenced by a `disable=` comment (those of a listed code whose span lies within the record). */
export function applyDisableDirectives(text: string, diagnostics: ZoneDiagnostic[], daneDirectives: readonly DaneDirective[]): ZoneDiagnostic[] {
  if (!daneDirectives.some((d) => d.items.some((i) => i.key === 'disable'))) return diagnostics;
  return filterDisabled(diagnostics, disabledRanges(text, daneDirectives));
}

/** The filter half of applyDisableDirectives, for callers that keep the ranges (sorted by start). */
export function filterDisabled(diagnostics: ZoneDiagnostic[], ranges: readonly DisabledRange[]): ZoneDiagnostic[] {
  if (ranges.length === 0) return diagnostics;
  // maxEnd[i]: the largest end among ranges[0..i], so the backward scan stops as soon as nothing can contain d.
  const maxEnd: number[] = [];
  for (let i = 0; i < ranges.length; i++) maxEnd.push(Math.max(ranges[i].end, i > 0 ? maxEnd[i - 1] : -1));
  return diagnostics.filter((d) => {
    if (d.includedFrom) return true;
    let lo = 0;
    let hi = ranges.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid].start <= d.start) { k = mid; lo = mid + 1; } else hi = mid - 1;
    }
    for (let i = k; i >= 0 && maxEnd[i] >= d.end; i--) {
      const r = ranges[i];
      if (d.end <= r.end && r.codes.has(d.code)) return false;
    }
    return true;
  });
}
