/**
 * The mail operator's DANE failures that the record-level checks do not see (issue 14):
 * `2 x y` records on a retired CA or on part of a CA's issuing family (tlsa-ca-retired,
 * tlsa-ca-partial-family), an SMTP TLSA RRset at a name that is not an MX host
 * (tlsa-wrong-host), an RRset too large for UDP (tlsa-rrset-size), and the quick-fix data
 * of tlsa-unsigned-zone. Pure; called by the DANE checker for each RRset.
 */
import { caDigest, caNames, CaCertificate, describeCa, issuingFamily, matchCa, statusAt } from './caTable';
import { EditsFixData, Replacement } from './fixData';
import { SignedDecision, DnssecState } from './signed';
import { TlsaFields, tlsaSpans } from './tlsaRdata';
import { TYPE_TLSA } from '../rrtypes';
import { toHex } from '../bytes';
import { ZoneRecord } from '../model';
import { relativize } from '../names';
import { wireLength as wireLengthOf } from './names';
import { Span, ZoneDiagnostic } from '../types';
import { NOTHING } from '../pipeline/fresh';

const TYPE_RRSIG = 46;

/** What these checks read of an RRset, a decoded record and the zone (the checker's types, structurally). */
interface TlsaRRset {
  owner: string;
  ownerKey: string;
  classCode: number;
  typeCode: number;
  records: ZoneRecord[];
}
interface Decoded {
  record: ZoneRecord;
  f: TlsaFields;
}
interface DaneZoneView {
  zoneOrigin?: string;
  recordsAt(ownerKey: string): readonly ZoneRecord[];
}

/** Senders of some large receivers stop reading a TLSA RRset after this many records. */
export const MAX_TLSA_RECORDS = 12;
/** The EDNS UDP payload size that avoids fragmentation (DNS flag day 2020). */
export const UDP_PAYLOAD_LIMIT = 1232;

function recordAt(r: ZoneRecord): Span {
  return r.includeSpan ?? r.ownerToken ?? r.typeToken ?? r;
}

function dataAt(r: ZoneRecord): Span {
  return r.includeSpan ?? tlsaSpans(r.rdata).data ?? r.typeToken ?? r;
}


// ---------------------------------------------------------------- CAs

/** What the quick fix of tlsa-ca-partial-family needs: the records to add (and where), built with the text at hand. */
export interface CaFamilyFixData {
  fix: 'tlsa-ca-family';
  owner: string;
  /** The RRset's records (spans), the last one is where new records follow. */
  records: Span[];
  /** `2 s m hex` of the missing intermediates. */
  add: { usage: number; selector: number; matchingType: number; hex: string; name: string }[];
  /** The family's missing intermediates, named (`YR2`). */
  missing: string;
}

/** tlsa-ca-retired and tlsa-ca-partial-family for one RRset's decoded records. */
export function caDiagnostics(set: TlsaRRset, decoded: readonly Decoded[], now: Date): readonly ZoneDiagnostic[] {
  // (the common RRset has no usage-2 record: no map for it, no array made: pipeline/fresh.ts)
  if (!decoded.some((d) => d.f.usage === 2)) return NOTHING;
  const out: ZoneDiagnostic[] = [];
  const families = new Map<string, { first: Decoded; pinned: Set<string>; forms: Set<string>; sample: CaCertificate }>();
  for (const d of decoded) {
    if (d.f.usage !== 2) continue;
    const hits = matchCa(d.f.selector, d.f.matchingType, toHex(d.f.data));
    if (hits.length === 0) continue;
    const c = hits[0];
    const st = statusAt(c, now);
    const what = `\`2 ${d.f.selector} ${d.f.matchingType}\``;
    if (st === 'retired' || st === 'expired') {
      const { active } = issuingFamily(c.operator, c.keyFamily, now);
      const instead = active.length > 0 ? `pin the ${c.keyFamily} intermediates ${c.operator} issues from now (${caNames(active)}), or better the server's own key (\`3 1 1\`)` : 'pin the server\'s own key (`3 1 1`)';
      const why = st === 'expired'
        ? `which expired on ${c.notAfter}: no certificate chains to it any more`
        : `which ${c.operator} no longer issues from: the next renewal comes from another intermediate and this record stops matching`;
      out.push({
        code: 'tlsa-ca-retired', severity: 'warning', ...dataAt(d.record),
        message: `this ${what} record pins ${c.ca}${d.f.selector === 0 && c.variant ? ` (${c.variant})` : ''}, ${why}; ${instead}`,
      });
      continue;
    }
    if (c.role !== 'intermediate') continue;
    const key = `${c.operator}\n${c.keyFamily}`;
    let fam = families.get(key);
    if (!fam) families.set(key, (fam = { first: d, pinned: new Set(), forms: new Set(), sample: c }));
    fam.pinned.add(c.ca);
    fam.forms.add(`${d.f.selector} ${d.f.matchingType}`);
  }
  for (const fam of families.values()) {
    const c = fam.sample;
    const { active, backup } = issuingFamily(c.operator, c.keyFamily, now);
    const missing = active.filter((a) => !fam.pinned.has(a.ca));
    if (missing.length === 0) continue;
    const pinned = [...active, ...backup].filter((a) => fam.pinned.has(a.ca));
    const add: CaFamilyFixData['add'] = [];
    for (const form of fam.forms) {
      const [selector, matchingType] = form.split(' ').map(Number);
      for (const m of missing) {
        const h = caDigest(m, selector, matchingType);
        if (h) add.push({ usage: 2, selector, matchingType, hex: h, name: m.name });
      }
    }
    const spare = backup.filter((b) => !fam.pinned.has(b.ca));
    const data: CaFamilyFixData | undefined = set.records.some((r) => r.includeFile !== undefined) ? undefined
      : { fix: 'tlsa-ca-family', owner: set.owner, records: set.records.map((r) => ({ start: r.start, end: r.end })), add, missing: caNames(missing) };
    const d: ZoneDiagnostic = {
      code: 'tlsa-ca-partial-family', severity: 'warning', ...dataAt(fam.first.record),
      message: `this RRset pins ${caNames(pinned)} but not ${caNames(missing)}: ${c.operator} issues ${c.keyFamily} certificates from ${caNames(active)} at random, so the next renewal may come from one not pinned here and fail DANE` +
        `${spare.length > 0 ? ` (and it may switch to its backup ${caNames(spare)} without warning)` : ''}; add the missing ones, or pin the server's own key with \`3 1 1\``,
    };
    if (data) d.data = data;
    out.push(d);
  }
  return out;
}

/** The hover line for a `2 s m` record's data: the CA it pins, or that it matches none known. */
export function caHoverLine(usage: number, selector: number, matchingType: number, dataHex: string, now: Date): string | undefined {
  if (usage !== 2 || (matchingType !== 1 && matchingType !== 2) || (selector !== 0 && selector !== 1)) return undefined;
  const hits = matchCa(selector, matchingType, dataHex);
  if (hits.length === 0) return 'CA: matches none of the CA certificates dane-zone knows (Let\'s Encrypt\'s roots and intermediates, current and past): a private CA, another CA, or a typo.';
  const c = hits[0];
  const of = selector === 0 ? (c.variant ? `the certificate ${c.variant}` : 'its certificate') : 'its public key';
  return `CA: **${describeCa(c, now)}** (matches ${of}).`;
}

// ---------------------------------------------------------------- names

/**
 * tlsa-wrong-host: a `_25._tcp` RRset at a name that is not an MX target while MX hosts of the
 * zone have none (`bare`); the fix moves it to `_25._tcp.<MX host>` (one action per host,
 * first three), rewriting each record's owner as written (absolute stays absolute).
 */
export function wrongHostDiagnostic(set: TlsaRRset, host: string, bare: readonly string[], view: DaneZoneView): ZoneDiagnostic | undefined {
  if (bare.length === 0) return undefined;
  const first = set.records[0];
  const prefix = set.owner.slice(0, set.owner.length - host.length);
  const movable = set.records.every((r) => r.includeFile === undefined) && first.ownerToken !== undefined &&
    // (the owner holds nothing but the RRset: every record there of its type and class is in it, so
    // this asks no record's identity, which a record the CLI made again for the check has not)
    view.recordsAt(set.ownerKey).every((r) => r.typeCode === set.typeCode && r.classCode === set.classCode);
  let data: EditsFixData | undefined;
  if (movable) {
    data = { fix: 'edits', actions: [] };
    for (const target of bare.slice(0, 3)) {
      const owner = prefix + target;
      const replace: Replacement[] = [];
      for (const r of set.records) {
        const t = r.ownerToken;
        if (!t) continue;
        const newText = t.text.endsWith('.') ? owner : relativize(owner, r.origin);
        replace.push({ start: t.start, end: t.end, oldText: t.text, newText });
      }
      data.actions.push({ title: `Move the TLSA RRset to ${owner} (MX host ${target} has none)`, replace, preferred: target === bare[0] });
    }
  }
  const hosts = bare.length === 1 ? `MX host ${bare[0]} has` : `MX hosts ${bare.slice(0, 3).join(', ')}${bare.length > 3 ? '…' : ''} have`;
  const d: ZoneDiagnostic = {
    code: 'tlsa-wrong-host', severity: 'warning', ...recordAt(first),
    message: `${host} is not an MX target of this zone, and ${hosts} no TLSA records: senders look up TLSA at \`_25._tcp.<MX host>\`, never here, so DANE is off for that host; move the RRset to ${prefix}${bare[0]}`,
  };
  if (data) d.data = data;
  return d;
}

// ---------------------------------------------------------------- size

/** An RRSIG's covered type (first two octets of its RDATA). */
function covered(r: ZoneRecord): number | undefined {
  return r.wire && r.wire.length >= 2 ? (r.wire[0] << 8) | r.wire[1] : undefined;
}

/** Octets of an RRSIG's RDATA when the file has none: one ECDSA P-256 signature (the common algorithm 13) by the zone. */
function assumedRrsig(signer: string): number {
  if (signer !== lastSigner) { lastSigner = signer; lastSignerLength = wireLengthOf(signer); }
  return 18 + lastSignerLength + 64;
}
/** The last signer's wire length (every RRset of a zone has the same). */
let lastSigner = '', lastSignerLength = 0;

/** The octets of an answer with `served` records of `rdata` octets of RDATA in all at `owner`: header, question, the records, OPT (no RRSIG). */
function answerSize(owner: string, served: number, rdata: number): number {
  return answerSizeOf(wireLengthOf(owner), served, rdata);
}

/** answerSize of an owner of `ownerWire` octets in wire form. */
function answerSizeOf(ownerWire: number, served: number, rdata: number): number {
  return 12 + ownerWire + 4 + 11 + served * (2 + 10) + rdata;
}

/** The octets one RRSIG by `signer` adds to an answer when the file has none (assumedRrsig). */
function assumedRrsigSize(signer: string): number {
  return 2 + 10 + assumedRrsig(signer);
}

/**
 * tlsa-rrset-size finds nothing for `records` TLSA records at `owner`, all served, with `rdata`
 * octets of RDATA in all, in a zone without RRSIG records (`signer`: the zone's origin, else the
 * owner): what rrsetSizeDiagnostics decides for them, from the numbers alone (plainRRsets.ts).
 */
export function plainRRsetFits(owner: string, records: number, rdata: number, signer: string): boolean {
  return plainRRsetFitsWire(wireLengthOf(owner), records, rdata, signer);
}

/** plainRRsetFits of an owner of `ownerWire` octets in wire form. */
export function plainRRsetFitsWire(ownerWire: number, records: number, rdata: number, signer: string): boolean {
  return records <= MAX_TLSA_RECORDS && answerSizeOf(ownerWire, records, rdata) + assumedRrsigSize(signer) <= UDP_PAYLOAD_LIMIT;
}

/**
 * tlsa-rrset-size: more than 12 records, or an answer (header, question, the RRset, its
 * RRSIGs and an OPT record; the owner compressed in answers) over 1,232 octets. RRSIGs come
 * from the file when it has them, else one ECDSA P-256 signature is assumed. `rrsigs`: false
 * when the zone holds no RRSIG record at all.
 */
export function rrsetSizeDiagnostics(set: TlsaRRset, view: DaneZoneView, state: DnssecState, rrsigs = true): readonly ZoneDiagnostic[] {
  // (nothing found, the common case: no array made per RRset, pipeline/fresh.ts)
  if (set.typeCode !== TYPE_TLSA) return NOTHING;
  // (the records served: those without errors, with a wire form; each wire form read once)
  let served = 0, rdata = 0;
  for (const r of set.records) {
    const w = r.ok ? r.wire : undefined;
    if (w) { served++; rdata += w.length; }
  }
  let size = answerSize(set.owner, served, rdata);
  // (`rrsigs` false: the zone has none, so the owner's records are not asked for)
  const sigs: readonly ZoneRecord[] = !rrsigs ? NOTHING : view.recordsAt(set.ownerKey).filter((r) => r.typeCode === TYPE_RRSIG && r.classCode === set.classCode && covered(r) === TYPE_TLSA && r.wire);
  let sigNote = '';
  if (sigs.length > 0) {
    for (const s of sigs) size += 2 + 10 + s.wire!.length;
    sigNote = `with its ${sigs.length === 1 ? 'RRSIG' : `${sigs.length} RRSIGs`}`;
  } else {
    size += assumedRrsigSize(view.zoneOrigin ?? set.owner);
    sigNote = state === 'signed' ? 'with one ECDSA P-256 RRSIG (none in the file)' : 'once signed (one ECDSA P-256 RRSIG assumed)';
  }
  if (set.records.length <= MAX_TLSA_RECORDS && size <= UDP_PAYLOAD_LIMIT) return NOTHING;
  const reasons: string[] = [];
  if (set.records.length > MAX_TLSA_RECORDS) {
    reasons.push(`${set.records.length} records at one name: some large receivers' senders stop after ${MAX_TLSA_RECORDS}`);
  }
  if (size > UDP_PAYLOAD_LIMIT) {
    reasons.push(`the answer is ${size} octets ${sigNote}, over the ${UDP_PAYLOAD_LIMIT} that fit one UDP datagram: senders must retry over TCP and some give up`);
  }
  const first = set.records[0];
  return [{
    code: 'tlsa-rrset-size', severity: 'warning', ...recordAt(first),
    message: `${set.owner}: ${reasons.join('; ')}; remove stale records and prefer SHA2-256 digests (matching type 1, 32 octets) to full data`,
  }];
}

// ---------------------------------------------------------------- DNSSEC

/** tlsa-unsigned-zone's fix: declare the zone inline-signed (edit the `dnssec=unsigned` comment, or add one at the top). */
export function inlineDeclaration(decision: SignedDecision): EditsFixData | undefined {
  if (decision.state !== 'unsigned') return undefined;
  const title = 'Declare the zone inline-signed (`; dane-zone dnssec=inline`): the server signs it on load';
  if (decision.source === 'directive') {
    if (!decision.at) return undefined;
    return { fix: 'edits', actions: [{ title, replace: [{ start: decision.at.start, end: decision.at.end, oldText: 'dnssec=unsigned', newText: 'dnssec=inline' }] }] };
  }
  return { fix: 'edits', actions: [{ title, replace: [{ start: 0, end: 0, oldText: '', newText: '; dane-zone dnssec=inline\n' }] }] };
}
