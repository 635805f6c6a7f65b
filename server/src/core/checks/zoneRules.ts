/**
 * The zone rules of named-checkzone (dane-rules.md "Zone rules", issue 11), in three places of
 * the pipeline (pipeline/stages.ts), each where it is cheapest:
 *
 *  - `checkRecordRules`, a RecordCheck of the zone-wide stage (one record on its own):
 *    spf-type, nsec3-owner, svcb-dns-params, dnssec-algorithm-deprecated, target-is-address;
 *  - `findOccluded`, beside the zone-wide stage's per-owner checks (checks/zone.ts: the CLI's
 *    ZoneChecker and the document's owner re-checks), given the zone's delegations and DNAMEs
 *    (`ZoneShape`): occluded-data;
 *  - the `zone-rules` zone stage (`runZoneRules`, reads ZONE_RULES_READS): soa-missing,
 *    soa-not-apex, soa-multiple, ns-apex-missing, ns-target-cname, target-is-cname (with a quick
 *    fix), glue-missing, ns-below-dname, ds-placement, cds-cdnskey-mismatch.
 *
 * cname-and-other-data (with BIND's set of types) is checks/zone.ts's.
 */
import type { AnalysisOptions, RecordCheck, StreamCollector } from '../pipeline/stage';
import type { ZoneReads, ZoneView } from '../pipeline/view';
import type { ReplaceDiagnosticFixData } from '../dane/fixData';
import { ZoneRecord } from '../model';
import { nameKey, wireName } from '../names';
import { isBase32HexLabel } from '../rdata/codec';
import { checkNamesOf } from './checkNames';
import { keyTag } from '../dnssec/wire';
import { sameBytes } from '../bytes';
import { TYPE_A, TYPE_AAAA, TYPE_CDNSKEY, TYPE_CDS, TYPE_CNAME, TYPE_DNAME, TYPE_DNSKEY, TYPE_DS, TYPE_MX, TYPE_NS, TYPE_NSEC, TYPE_NSEC3, TYPE_RRSIG, TYPE_SOA, TYPE_SRV, typeName } from '../rrtypes';
import { Span, Token, ZoneDiagnostic } from '../types';

const TYPE_AFSDB = 18, TYPE_RT = 21, TYPE_KX = 36, TYPE_SVCB = 64, TYPE_HTTPS = 65, TYPE_SPF = 99, TYPE_SIG = 24, TYPE_NXT = 30;

/** Types whose RDATA names a target host: the RDATA token and the wire offset of that name. */
const TARGET: Record<number, { token: number; wire: number }> = {
  [TYPE_NS]: { token: 0, wire: 0 }, [TYPE_MX]: { token: 1, wire: 2 }, [TYPE_AFSDB]: { token: 1, wire: 2 }, [TYPE_RT]: { token: 1, wire: 2 },
  [TYPE_KX]: { token: 1, wire: 2 }, [TYPE_SRV]: { token: 3, wire: 6 }, [TYPE_SVCB]: { token: 1, wire: 2 }, [TYPE_HTTPS]: { token: 1, wire: 2 },
};
const TARGET_TYPES = Object.keys(TARGET).map(Number);

function diag(code: string, severity: ZoneDiagnostic['severity'], at: Span, message: string, data?: unknown): ZoneDiagnostic {
  const d: ZoneDiagnostic = { code, severity, start: at.start, end: at.end, message };
  if (data !== undefined) d.data = data;
  return d;
}

/** Where a finding about a record goes: its type token, or the $INCLUDE line it came from. */
function recordAt(r: ZoneRecord): Span {
  const s = r.includeSpan ?? r.typeToken ?? r;
  return { start: s.start, end: s.end };
}

/** isAtOrBelow on keys (already lowercase), escapes respected. */
export function keyAtOrBelow(n: string, z: string): boolean {
  if (z === '.') return true;
  return n === z || (n.endsWith(z) && n.charCodeAt(n.length - z.length - 1) === 0x2e && n.charCodeAt(n.length - z.length - 2) !== 0x5c);
}

/** Parent key of a normalized key (escaped dots respected); undefined for the root. */
export function parentKey(key: string): string | undefined {
  if (key === '.') return undefined;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 0x5c) { const n = key.charCodeAt(i + 1); i += n >= 0x30 && n <= 0x39 ? 3 : 1; continue; }
    if (c === 0x2e) return i === key.length - 1 ? '.' : key.slice(i + 1);
  }
  return undefined;
}

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
function isDeleteForm(typeCode: number, w: Uint8Array): boolean {
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

function isAddressTarget(r: ZoneRecord): boolean {
  if (r.typeCode !== TYPE_NS && r.typeCode !== TYPE_MX) return false;
  // A target written as an address has a digit first or a `:` in its wire form: most targets are
  // told apart there, without the RDATA tokens (the CLI's streamed records make them on demand).
  const w = r.wire;
  const at = TARGET[r.typeCode].wire;
  if (w && w.length > at + 1 && !(w[at + 1] >= 0x30 && w[at + 1] <= 0x39) && w.indexOf(0x3a, at) < 0) return false;
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

// ---------------------------------------------------------------- delegations and DNAMEs

/** The zone's structure that decides what is served: the apex, the delegations (NS below the apex), the DNAMEs. */
export interface ZoneShape {
  apexKey: string;
  cuts: ReadonlySet<string>;
  dnames: ReadonlySet<string>;
  /** Hashes of the labels right below the apex that have a delegation or DNAME at or below them (made on first use; -1: some label has an escape). */
  tops?: Set<number>;
}

/** What lies above a name inside the zone: the closest delegation or DNAME (a DNAME may be at the apex). */
export interface Cover {
  cut?: string;
  dname?: string;
}

const DIRECT = -2, ESCAPED = -1;

/**
 * The hash of `key`'s label right below the apex (`key` strictly below it), read backwards from
 * the apex without allocating; DIRECT when `key` is that label itself, ESCAPED when a backslash
 * makes the label's bounds uncertain.
 */
function topHash(key: string, apex: string): number {
  const end = apex === '.' ? key.length - 1 : key.length - apex.length - 1;
  let h = 7;
  for (let i = end - 1; i >= 0; i--) {
    const c = key.charCodeAt(i);
    if (c === 0x5c) return ESCAPED;
    if (c === 0x2e) return i > 0 && key.charCodeAt(i - 1) === 0x5c ? ESCAPED : h >>> 1;
    h = (Math.imul(h, 31) + c) | 0;
  }
  return DIRECT;
}

function topsOf(z: ZoneShape): Set<number> {
  if (z.tops) return z.tops;
  const tops = new Set<number>();
  for (const set of [z.cuts, z.dnames]) {
    for (const k of set) {
      if (k === z.apexKey || !keyAtOrBelow(k, z.apexKey)) continue;
      // the label right below the apex on k's path: k itself when k is right below the apex
      const h = topHash(k, z.apexKey);
      tops.add(h === DIRECT ? topHash('x.' + k, z.apexKey) : h);
    }
  }
  return (z.tops = tops);
}

export function coverOf(key: string, z: ZoneShape): Cover | undefined {
  const apex = z.apexKey;
  if (key === apex || (z.cuts.size === 0 && z.dnames.size === 0) || !keyAtOrBelow(key, apex)) return undefined;
  // Right below the apex, or below a label there with no delegation or DNAME under it (the
  // common cases: one backward scan, nothing allocated): only an apex DNAME covers it.
  const h = topHash(key, apex);
  const tops = topsOf(z);
  if (h === DIRECT || (h !== ESCAPED && !tops.has(ESCAPED) && !tops.has(h))) return z.dnames.has(apex) ? { dname: apex } : undefined;
  for (let a = parentKey(key); a !== undefined; a = parentKey(a)) {
    if (a !== apex && z.cuts.has(a)) return { cut: a };
    if (z.dnames.has(a)) return { dname: a };
    if (a === apex) return undefined;
  }
  return undefined;
}

/** True when occluded-data can fire on this owner (at a delegation, or below one or a DNAME): the cheap test before its records are looked at. */
export function mayBeOccluded(key: string, z: ZoneShape): boolean {
  const apex = z.apexKey;
  if (key === apex) return false;
  if (!keyAtOrBelow(key, apex)) return z.cuts.has(key);
  // coverOf's cheap cases first (the zone-wide stage asks this of every owner name)
  const h = topHash(key, apex);
  if (h === DIRECT) return z.cuts.has(key) || z.dnames.has(apex);
  const tops = topsOf(z);
  if (h !== ESCAPED && !tops.has(ESCAPED) && !tops.has(h)) return z.dnames.has(apex);
  return z.cuts.has(key) || coverOf(key, z) !== undefined;
}

/** Types that may sit at a delegation point, or below one as glue, without being occluded. */
const AT_CUT_OK = new Set([TYPE_NS, TYPE_DS, TYPE_NSEC, TYPE_RRSIG, TYPE_A, TYPE_AAAA, TYPE_NXT, TYPE_SIG]);

/** True for a type that is served at a delegation point or below one (glue): never occluded there (below a DNAME it is). */
export function servedAtCut(typeCode: number): boolean {
  return AT_CUT_OK.has(typeCode);
}

/**
 * occluded-data for one owner's records (type and span of each, in file order): below a DNAME,
 * everything; at a delegation or below one, everything but NS, DS, glue addresses and their
 * DNSSEC records. Runs beside the zone-wide stage's per-owner checks; cheap for owners right
 * below the apex, and skipped when the zone has no delegation and no DNAME.
 */
export function findOccluded<F extends { typeCode: number; at: Span }>(key: string, owner: string, records: readonly F[], z: ZoneShape, out: (d: ZoneDiagnostic, f: F) => void): void {
  if (key === z.apexKey) return;
  const atCut = z.cuts.has(key);
  const cover = coverOf(key, z);
  if (cover === undefined && !atCut) return;
  for (const r of records) {
    if (cover?.dname !== undefined) {
      out(diag('occluded-data', 'warning', r.at, `${owner} is below the DNAME at ${cover.dname}: this ${typeName(r.typeCode)} is never served (queries are redirected); remove it or move it`), r);
    } else if (!AT_CUT_OK.has(r.typeCode)) {
      out(diag('occluded-data', 'warning', r.at, cover?.cut !== undefined
        ? `${owner} is below the delegation ${cover.cut}: this ${typeName(r.typeCode)} is never served (only glue addresses are); put it in the child zone`
        : `${owner} is a delegation: this ${typeName(r.typeCode)} beside its NS records is never served; put it in the child zone`), r);
    }
  }
}

// ---------------------------------------------------------------- the zone-rules stage

/**
 * What the zone-rules stage reads: the target records in full (the target token is what a
 * finding marks and the quick fix replaces), SOA/DS/CDS/CDNSKEY/DNSKEY/CNAME/DNAME by wire form,
 * and whether names have an address, an alias, NS, SOA or a DNAME.
 */
export const ZONE_RULES_READS: ZoneReads = {
  records: TARGET_TYPES,
  slim: [TYPE_SOA, TYPE_DS, TYPE_CDS, TYPE_CDNSKEY, TYPE_DNSKEY, TYPE_CNAME, TYPE_DNAME],
  presence: [TYPE_A, TYPE_AAAA, TYPE_CNAME, TYPE_NS, TYPE_SOA, TYPE_DNAME],
};

const READ_TYPES = [...TARGET_TYPES, ...(ZONE_RULES_READS.slim ?? [])];

/** The first place of a zone this stage sees (for soa-missing / ns-apex-missing, which have no record of their own). */
function firstPlace(view: ZoneView, first: ZoneRecord | undefined): Span {
  let best: Span | undefined = view.directives[0];
  if (first) { const at = first.includeSpan ?? first.ownerToken ?? first.typeToken ?? first; if (best === undefined || at.start < best.start) best = at; }
  return best ? { start: best.start, end: best.end } : { start: 0, end: 0 };
}

// Target names are looked up by a hash of their key, read from the wire form: most targets of a
// large zone (MX hosts) are no alias, and are told so without making their key string.

const FNV_OFFSET = 0x811c9dc5, FNV_PRIME = 0x01000193;
// A second, independent hash beside FNV-1a (other basis and multiplier): a target is looked up by
// the pair, so a chance match (which makes the stage read records again) is ~2^-64 per pair.
const H2_OFFSET = 0x9747b28c, H2_PRIME = 0x5bd1e995;
/** wireKeyHash's answer for a name it cannot hash without making its key (escapes, bad data). */
export const NOT_PLAIN = -1;

/** FNV-1a of a key (nameKey form: lowercase, escapes as nameKey writes them). */
export function keyHash(key: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** The second hash of a key. */
export function keyHash2(key: string): number {
  let h = H2_OFFSET;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), H2_PRIME);
  return h >>> 0;
}

/** keyHash2 of the name wireKeyHash last hashed (set by it: no pair allocated per name). */
let wireHash2 = 0;

/**
 * keyHash(wireKeyAt(d, p)) for a name of plain octets, without making the key (and keyHash2 in
 * `wireHash2`); NOT_PLAIN otherwise.
 */
export function wireKeyHash(d: Uint8Array, p: number): number {
  let h = FNV_OFFSET;
  let g = H2_OFFSET;
  if (p < d.length && d[p] === 0) { wireHash2 = keyHash2('.'); return keyHash('.'); }
  for (let guard = 0; guard < 128; guard++) {
    if (p >= d.length) return NOT_PLAIN;
    const len = d[p];
    if (len === 0) { wireHash2 = g >>> 0; return h >>> 0; }
    if (len & 0xc0 || p + 1 + len > d.length) return NOT_PLAIN;
    for (let i = p + 1; i <= p + len; i++) {
      let b = d[i];
      if (!plainOctet(b)) return NOT_PLAIN;
      if (b >= 0x41 && b <= 0x5a) b |= 0x20;
      h = Math.imul(h ^ b, FNV_PRIME);
      g = Math.imul(g ^ b, H2_PRIME);
    }
    h = Math.imul(h ^ 0x2e, FNV_PRIME);
    g = Math.imul(g ^ 0x2e, H2_PRIME);
    p += len + 1;
  }
  return NOT_PLAIN;
}

/** A set of key hash pairs (open addressing in one typed array, probed by the first hash). */
export class KeyHashSet {
  private readonly slots: Uint32Array;
  private readonly mask: number;
  size = 0;
  constructor(n: number) {
    let size = 16;
    while (size < 2 * n) size *= 2;
    this.slots = new Uint32Array(2 * size);
    this.mask = size - 1;
  }
  add(h: number, h2: number): void {
    const v = h === 0 ? 1 : h;
    for (let i = v & this.mask; ; i = (i + 1) & this.mask) {
      const s = this.slots[2 * i];
      if (s === v && this.slots[2 * i + 1] === h2) return;
      if (s === 0) { this.slots[2 * i] = v; this.slots[2 * i + 1] = h2; this.size++; return; }
    }
  }
  has(h: number, h2: number): boolean {
    const v = h === 0 ? 1 : h;
    for (let i = v & this.mask; ; i = (i + 1) & this.mask) {
      const s = this.slots[2 * i];
      if (s === v && this.slots[2 * i + 1] === h2) return true;
      if (s === 0) return false;
    }
  }
}

/** A growable list of 32-bit numbers. */
class U32List {
  data = new Uint32Array(256);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) { const d = new Uint32Array(this.length * 2); d.set(this.data); this.data = d; }
    this.data[this.length++] = v;
  }
}

/** Per type code: 1 for a type with a target other than NS (what the streaming collector hashes). */
const OTHER_TARGET = new Uint8Array(65536);
for (const t of TARGET_TYPES) if (t !== TYPE_NS) OTHER_TARGET[t] = 1;
const OTHER_TARGET_TYPES = TARGET_TYPES.filter((t) => OTHER_TARGET[t] === 1);

/**
 * What the zone-rules stage takes from the streaming CLI as each record goes by (while it is
 * still in the cache): the key hashes of the CNAME owners and of the targets other than NS
 * targets. After the parse, the stage reads the MX, SRV, … records again only when one of those
 * targets is at a CNAME owner (an alias finding) or could not be hashed; NS targets, DS, SOA and
 * the keys it reads from the view (few records).
 */
export class RulesCollector implements StreamCollector {
  /** Hash pairs, two numbers each. */
  private readonly cnameHashes = new U32List();
  private readonly targetHashes = new U32List();
  /** A target whose hash is not known without its key (escapes): the targets are read again. */
  private unsure = false;

  add(r: ZoneRecord): void {
    const t = r.typeCode;
    if (t === TYPE_CNAME) {
      if (r.owner) { this.cnameHashes.push(keyHash(r.ownerKey)); this.cnameHashes.push(keyHash2(r.ownerKey)); }
      return;
    }
    if (OTHER_TARGET[t] === 0 || !r.owner || !r.wire) return;
    const h = wireKeyHash(r.wire, TARGET[t].wire);
    if (h === NOT_PLAIN) { this.unsure = true; return; }
    this.targetHashes.push(h);
    this.targetHashes.push(wireHash2);
  }

  /** The CNAME owners' key hashes. */
  cnames(): KeyHashSet {
    const n = this.cnameHashes.length;
    const set = new KeyHashSet(n / 2);
    const d = this.cnameHashes.data;
    for (let i = 0; i < n; i += 2) set.add(d[i], d[i + 1]);
    return set;
  }

  /**
   * The target hashes (other than NS targets') that are a CNAME owner's; undefined when there is
   * none and every target was hashed (then no MX, SRV, … record needs reading again).
   */
  aliasTargets(cnames: KeyHashSet): KeyHashSet | undefined {
    const hits = new KeyHashSet(16);
    const d = this.targetHashes.data;
    for (let i = 0; i < this.targetHashes.length; i += 2) if (cnames.has(d[i], d[i + 1])) hits.add(d[i], d[i + 1]);
    return hits.size > 0 || this.unsure ? hits : undefined;
  }
}

/** One run of the stage: what the checks of each record share. */
export interface RulesRun {
  view: ZoneView;
  origin: string;
  apexKey: string;
  /** The delegations and DNAMEs (from the NS and DNAME records read). */
  shape: ZoneShape;
  /** The CNAME owners' key hashes (a run over the whole zone); absent: every target is asked of the view. */
  cnames?: KeyHashSet;
  /** The records read, by type (a run over the whole zone). */
  byType: Map<number, ZoneRecord[]>;
  /** After a streaming parse: the records with a target other than NS that may be an alias (the others are not read again). */
  mayAlias?: ZoneRecord[];
}

/** The types read again after a streaming parse (few records) when no other target may be an alias. */
const FEW_TYPES = READ_TYPES.filter((t) => t !== TYPE_CNAME && OTHER_TARGET[t] === 0);

/** The records of these types in the view, by type (one pass over the kept records). */
function recordsByType(view: ZoneView, types: number[], into = new Map<number, ZoneRecord[]>()): Map<number, ZoneRecord[]> {
  for (const r of view.records(...types)) {
    const l = into.get(r.typeCode);
    if (l) l.push(r); else into.set(r.typeCode, [r]);
  }
  return into;
}

/**
 * The stage's context, or undefined when the rules do not apply (no zone: see below). With the
 * streaming collector, the CNAME and MX, SRV, … records are not read again unless some target
 * may be an alias.
 */
export function startRules(view: ZoneView, options: AnalysisOptions, streamed?: RulesCollector): RulesRun | undefined {
  const origin = view.zoneOrigin;
  const byType = recordsByType(view, streamed ? FEW_TYPES : READ_TYPES);
  // The rules need a zone: its name given (like `named-checkzone ZONE FILE`: the CLI's --origin,
  // the daneZone origin setting), or an SOA in the file. Else it may be an $INCLUDE fragment.
  if (origin === undefined || (options.origin === undefined && !byType.has(TYPE_SOA))) return undefined;
  const apexKey = nameKey(origin);
  let cnames: KeyHashSet;
  let mayAlias: ZoneRecord[] | undefined;
  if (streamed) {
    cnames = streamed.cnames();
    mayAlias = [];
    const hits = streamed.aliasTargets(cnames);
    if (hits) {
      for (const r of view.records(...OTHER_TARGET_TYPES)) {
        if (!r.wire) continue;
        const h = wireKeyHash(r.wire, TARGET[r.typeCode].wire);
        if (h === NOT_PLAIN || hits.has(h, wireHash2)) mayAlias.push(r);
      }
    }
  } else {
    const cnameRecords = byType.get(TYPE_CNAME) ?? [];
    cnames = new KeyHashSet(cnameRecords.length);
    for (const c of cnameRecords) cnames.add(keyHash(c.ownerKey), keyHash2(c.ownerKey));
  }
  return { view, origin, apexKey, byType, cnames, mayAlias, shape: shapeOf(byType.get(TYPE_NS) ?? [], byType.get(TYPE_DNAME) ?? [], apexKey) };
}

/** The records of a type the run read. */
function recordsOf(run: RulesRun, type: number): readonly ZoneRecord[] {
  return run.byType.get(type) ?? [];
}

/**
 * The rules about the zone as a whole: SOA and apex NS, CDS/CDNSKEY against the apex DNSKEYs
 * (they have no owner of their own to re-check by).
 */
export function zoneLevelRules(run: RulesRun, options: AnalysisOptions, out: ZoneDiagnostic[]): void {
  const { view, origin, apexKey } = run;
  const soas = recordsOf(run, TYPE_SOA);
  for (const s of soas.slice(1)) out.push(diag('soa-multiple', 'error', recordAt(s), `a second SOA record (the first is at ${soas[0].owner}): a zone has exactly one SOA; remove this one`));
  for (const s of soas) if (s.ownerKey !== apexKey) out.push(diag('soa-not-apex', 'error', recordAt(s), `an SOA at ${s.owner}, below the zone apex ${origin}: a zone has one SOA, at its apex; remove this one, or make ${s.owner} a zone of its own`));
  if (options.origin !== undefined) {
    const hasSoa = view.hasType(apexKey, TYPE_SOA);
    const hasNs = view.hasType(apexKey, TYPE_NS);
    const at = hasSoa && hasNs ? undefined : firstPlace(view, view.records(...READ_TYPES)[0]);
    if (!hasSoa) out.push(diag('soa-missing', 'error', at!, `no SOA record at the zone apex ${origin}: every zone starts with one; add \`@ SOA primary-ns hostmaster serial refresh retry expire minimum\``));
    if (!hasNs) out.push(diag('ns-apex-missing', 'error', at!, `no NS records at the zone apex ${origin}: a zone needs its name servers; add \`@ NS ns1.${origin}\` lines`));
  }
  // CDS/CDNSKEY against the apex DNSKEYs (RFC 7344 §4.1)
  const cds = recordsOf(run, TYPE_CDS).concat(recordsOf(run, TYPE_CDNSKEY)).sort((a, b) => a.start - b.start);
  if (cds.length > 0) {
    const keys = recordsOf(run, TYPE_DNSKEY).filter((k) => k.ownerKey === apexKey && k.wire).map((k) => k.wire!);
    for (const r of cds) {
      const w = r.wire;
      if (!w || w.length < 4 || isDeleteForm(r.typeCode, w)) continue;
      // a CDNSKEY is a DNSKEY's RDATA; a CDS names one by key tag and algorithm (digests are the dnssec stage's ds-mismatch)
      const match = r.typeCode === TYPE_CDNSKEY
        ? keys.some((k) => sameBytes(k, w))
        : keys.some((k) => k.length >= 4 && keyTag(k) === ((w[0] << 8) | w[1]) && k[3] === w[2]);
      if (!match) out.push(diag('cds-cdnskey-mismatch', 'error', recordAt(r), `this ${typeName(r.typeCode)} matches no DNSKEY of the zone: the parent would install a key that signs nothing and the zone goes bogus; publish the DNSKEY first, or fix or remove this record`));
    }
  }
}

/**
 * The rules about one record that look at other names (DS placement; a target's alias, address
 * and place), pushing what they find to `out`; `onTarget` gets the target's key hash.
 */
export function recordRules(run: RulesRun, r: ZoneRecord, out: ZoneDiagnostic[], onTarget?: (hash: number) => void): void {
  if (r.typeCode === TYPE_DS) {
    if (r.ownerKey === run.apexKey) out.push(diag('ds-placement', 'error', recordAt(r), 'a DS at the zone apex: DS records belong in the parent zone (RFC 4035 §2.4); publish it there (or as CDS here), and remove it from this zone'));
    else if (!run.view.hasType(r.ownerKey, TYPE_NS)) out.push(diag('ds-placement', 'error', recordAt(r), `a DS at ${r.owner}, which is not a delegation (no NS records there): a DS sits at a delegation point; add the NS records or remove the DS`));
  } else if (TARGET[r.typeCode] !== undefined) {
    checkTarget(run, r, out, onTarget);
  }
}

/** The record types recordRules looks at. */
export const RECORD_RULE_TYPES: readonly number[] = [TYPE_DS, ...TARGET_TYPES];

/** The zone-rules stage: rules across owner names (see the top of this file). */
export function runZoneRules(view: ZoneView, options: AnalysisOptions, streamed?: StreamCollector): ZoneDiagnostic[] {
  const run = startRules(view, options, streamed as RulesCollector | undefined);
  if (!run) return [];
  const out: ZoneDiagnostic[] = [];
  zoneLevelRules(run, options, out);
  for (const t of RECORD_RULE_TYPES) for (const r of recordsOf(run, t)) recordRules(run, r, out);
  for (const r of run.mayAlias ?? []) recordRules(run, r, out);
  return out.sort((a, b) => a.start - b.start);
}

/** The delegations and DNAMEs from the records the stage reads. */
function shapeOf(ns: readonly ZoneRecord[], dname: readonly ZoneRecord[], apexKey: string): ZoneShape {
  const cuts = new Set<string>();
  for (const r of ns) if (r.ownerKey !== apexKey) cuts.add(r.ownerKey);
  const dnames = new Set<string>();
  for (const r of dname) dnames.add(r.ownerKey);
  return { apexKey, cuts, dnames };
}

/** A name octet that keys as itself (lowercase letters, digits, `-`, `_`, `*`, `/`); uppercase letters are lowered after. */
function plainOctet(b: number): boolean {
  return (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x5f || b === 0x2a || b === 0x2f || (b >= 0x41 && b <= 0x5a);
}

/**
 * The key (nameKey of the normalized name) of the uncompressed name at `p` in wire data: one
 * string per label for plain names, wireName for the rest. Read from the wire form, so the
 * streaming CLI's compact records never read their tokens again unless a finding is reported.
 */
export function wireKeyAt(d: Uint8Array, p: number): string | undefined {
  const from = p;
  let s = '';
  for (let guard = 0; guard < 128; guard++) {
    if (p >= d.length) return undefined;
    const len = d[p];
    if (len === 0) return s === '' ? '.' : s.toLowerCase();
    if (len & 0xc0 || p + 1 + len > d.length) return undefined;
    for (let i = p + 1; i <= p + len; i++) {
      if (!plainOctet(d[i])) { const n = wireName(d, from); return n === undefined ? undefined : nameKey(n); }
    }
    s += String.fromCharCode.apply(null, d.subarray(p + 1, p + 1 + len) as unknown as number[]) + '.';
    p += len + 1;
  }
  return undefined;
}

/** What a finding about a target marks: the target token (read only now), or the record for the RFC 3597 `\#` form. */
function targetPlace(r: ZoneRecord, t: string): { at: Span; tok?: Token; name: string } {
  const spec = TARGET[r.typeCode];
  const generic = r.rdata[0]?.text === '\\#';
  const tok = generic ? undefined : r.rdata[spec.token];
  const name = wireName(r.wire!, spec.wire) ?? t;
  return { at: r.includeSpan ?? (tok ? { start: tok.start, end: tok.end } : recordAt(r)), tok: tok && !tok.quoted ? tok : undefined, name };
}

function checkTarget(run: RulesRun, r: ZoneRecord, out: ZoneDiagnostic[], onTarget?: (hash: number) => void): void {
  const spec = TARGET[r.typeCode];
  if (!r.owner || !r.wire) return;
  const isNs = r.typeCode === TYPE_NS;
  const h = wireKeyHash(r.wire, spec.wire);
  const h2 = wireHash2;
  // (an alias for sure only when the view says so; not one for sure when no CNAME owner has its hashes)
  const alias = h === NOT_PLAIN || !run.cnames || run.cnames.has(h, h2);
  if (h !== NOT_PLAIN) {
    onTarget?.(h);
    // only NS targets are checked further: no key made
    if (!isNs && !alias) return;
  }
  const t = wireKeyAt(r.wire, spec.wire);
  if (t === undefined || t === '.') return;
  if (h === NOT_PLAIN) onTarget?.(keyHash(t));
  const { view, shape: z } = run;
  const what = typeName(r.typeCode);
  if (alias && view.hasType(t, TYPE_CNAME)) {
    // an MX/NS target written as an address is target-is-address (a record check), not an alias
    if (isAddressTarget(r)) return;
    const { at, tok, name } = targetPlace(r, t);
    const alias = view.recordsAt(t).find((x) => x.typeCode === TYPE_CNAME && x.wire);
    const to = alias ? wireName(alias.wire!, 0) : undefined;
    // The fix replaces the diagnostic's own range (it moves with the text), when the text still says `tok.text`.
    const data: ReplaceDiagnosticFixData | undefined = to !== undefined && tok && !r.includeSpan ? { fix: 'replace-diagnostic', title: `Point at \`${to}\`, the alias's target (RFC 2181 §10.3)`, oldText: tok.text, newText: to } : undefined;
    if (isNs) out.push(diag('ns-target-cname', 'error', at, `the NS target ${name} is an alias (CNAME), which RFC 2181 §10.3 forbids: name the server's real host name${to ? ` (${to})` : ''}`, data));
    else out.push(diag('target-is-cname', 'warning', at, `the ${what} target ${name} is an alias (CNAME): RFC 2181 §10.3${r.typeCode === TYPE_SRV ? ' and RFC 2782' : ''} require the real host name; point it at ${to ?? "the alias's target"}`, data));
    return;
  }
  if (!isNs || !keyAtOrBelow(t, z.apexKey)) return;
  // an NS record that is itself never served (below a delegation or a DNAME) is not checked (BIND)
  if (coverOf(r.ownerKey, z)) return;
  const cover = coverOf(t, z);
  if (cover?.dname !== undefined) {
    if (isAddressTarget(r)) return;
    const apexNs = r.ownerKey === z.apexKey;
    const { at, name } = targetPlace(r, t);
    out.push(diag('ns-below-dname', apexNs ? 'error' : 'warning', at, `the NS target ${name} is below the DNAME at ${cover.dname}: that name is redirected, so its address is never served${apexNs ? '' : ' (the referral still carries it as glue)'}; use a name outside the DNAME's subtree`));
    return;
  }
  // below another delegation than this NS record's own: sibling glue, which BIND does not require
  if (cover?.cut !== undefined && !keyAtOrBelow(t, r.ownerKey)) return;
  if (!view.hasType(t, TYPE_A) && !view.hasType(t, TYPE_AAAA) && !isAddressTarget(r)) {
    const { at, name } = targetPlace(r, t);
    out.push(diag('glue-missing', 'error', at, `the NS target ${name} is ${cover?.cut ? `below the delegation ${cover.cut}` : 'inside this zone'} but has no A or AAAA record here: resolvers cannot reach the server; add its address${cover?.cut ? ' (glue)' : ''}`));
  }
}

