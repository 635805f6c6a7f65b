/**
 * RRset- and zone-level DANE checks (dane-rules.md: TLSA record codes that look beyond one
 * record, and the DNSSEC, rotation and coverage codes that need no certificate and no network):
 * the `dane` stage of the analysis pipeline (pipeline/stages.ts).
 *
 * Each check is a function over one RRset's context (RRSET_CHECKS; those that read only the
 * RRset's own records are in rrsetRecordChecks.ts) or over the whole zone
 * (ZONE_CHECKS); DANE_READS says what of the zone they read, so the incremental document
 * re-runs them only when that changed. A new check reading something else must add it there.
 * Pure and deterministic; diagnostics come back sorted by position.
 */
import { toHex } from '../bytes';
import { ZoneRecord } from '../model';
import { isAtOrBelow, nameKey, wireName } from '../names';
import { atOrBelowTest } from './names';
import { ZoneReads, ZoneView } from '../pipeline/view';
import { TYPE_A, TYPE_AAAA, TYPE_CNAME, TYPE_MX, TYPE_RRSIG, TYPE_SMIMEA, TYPE_TLSA } from '../rrtypes';
import { ZoneDiagnostic } from '../types';
import { finish, NEVER, Slice, Steps } from '../work';
import { DaneFixData } from './fixData';
import { caDiagnostics, rrsetSizeDiagnostics, wrongHostDiagnostic } from './mail';
import { checkSmimeaOwner, checkTlsaOwner, OwnerInfo } from './owner';
import { diag, inRecord, ownerAt } from './report';
import { Decoded, DecodedRecord, digests, distinct, highTtl, perRecord, RRsetRecords } from './rrsetRecordChecks';
import { freshList } from '../pipeline/fresh';
import { decideSigned, DnssecState, SignedDecision } from './signed';
import { TlsaFields } from './tlsaRdata';
import { wireLength, wireOffset, wireSpanOf } from '../pipeline/compactRecord';
import { HOST_CNAME, HOST_MX, HOST_SMTP_TLSA, HostFacts } from './hosts';
import { markCnamesSteps, markMxTargetsSteps, markTlsaHostsSteps, MX_BARE, MX_COVERED, mxTarget, SMTP_PREFIX } from './hostPasses';
import { describeUnusable, tlsaUnusable, tlsaUsable } from './tlsaValues';
import { daneViewOf, DaneZoneView, mxRowsOf, TlsaRRset, TlsaRRsets, tlsaRowsOf } from './view';
import { RecordRows } from '../pipeline/keptColumns';
import { QueriedSets, unsignedZone } from './unsignedZone';
import { plainRRset } from './plainRRsets';

export const DEFAULT_TLSA_MAX_TTL = 3600;

export interface DaneOptions {
  /** The dnssec setting for this zone (after the file directive, before the records: dane-rules.md). */
  dnssec?: DnssecState;
  /** tlsa-high-ttl bound in seconds (default 3600). */
  tlsaMaxTtl?: number;
  /** The day CA certificates are judged on (tlsa-ca-retired); default now. */
  now?: Date;
}

/** What the DANE checks read of a zone (the `dane` stage's declaration). */
export const DANE_READS: ZoneReads = {
  records: [TYPE_TLSA, TYPE_SMIMEA, TYPE_MX],
  // tlsa-cname-owner reads a CNAME's target from its wire form only; tlsa-rrset-size the RRSIGs
  // at a TLSA owner (their wire form)
  slim: [TYPE_CNAME, TYPE_RRSIG],
  // tlsa-orphan and tlsa-mx-coverage: does the host have an address?
  presence: [TYPE_A, TYPE_AAAA],
  // tlsa-unsigned-zone, tlsa-mx-coverage
  dnssec: true,
  // tlsa-wrong-host offers to move a `_25._tcp` RRset only from an owner that holds nothing else
  // (a record of any type there, even of an unknown type, stays)
  ownerTypes: (ownerKey) => ownerKey.startsWith('_25._tcp.'),
  // checkDane groups the RRsets by owner id when the view has them (the CLI's)
  ownerIds: [TYPE_TLSA, TYPE_SMIMEA],
};

/** What every RRset check gets: the RRset, what its owner says, its valid records decoded. */
export interface RRsetContext extends RRsetRecords {
  zone: ZoneContext;
  view: DaneZoneView;
  first: ZoneRecord;
  owner: OwnerInfo;
  decision: SignedDecision;
  /** Keys of the zone's MX targets. */
  mxTargets: KeySet;
  now: Date;
  /** The base host's entry in the run's host table when startDane made it (DaneRun.hostIds), else -1. */
  hostId: number;
}

// ---------------------------------------------------------------- per RRset

/** tlsa-smtp-all-unusable, the CA and size checks (mail.ts), tlsa-single-record (TLSA only). */
function usability(c: RRsetContext): void {
  if (!c.isTlsa) return;
  const usable = distinct(c.decoded.filter((d) => tlsaUsable(d.f, c.smtp)));
  if (c.smtp && c.decoded.length > 0 && usable.length === 0) {
    const reasons = [...new Set(c.decoded.map((d) => describeUnusable(tlsaUnusable(d.f, true)!)))].join(', ');
    c.out.push(diag('tlsa-smtp-all-unusable', 'warning', ownerAt(c.first),
      `no record of this SMTP TLSA RRset is usable (${reasons}): senders still insist on STARTTLS but cannot authenticate the server (RFC 7672 §2.2); add a DANE-EE record (3 1 1) for the server's key`));
  }
  c.out.push(...caDiagnostics(c.set, c.decoded, c.now));
  c.out.push(...rrsetSizeDiagnostics(c.set, c.view, c.decision.state, c.zone.rrsigs !== false));
  if (usable.length !== 1 || !c.queried) return;
  const u = usable[0];
  const set = c.set;
  const last = set.records[set.records.length - 1];
  // (no fix data for a record in an $INCLUDEd file: its offsets are in that file)
  const data: DaneFixData | undefined = u.record.includeFile !== undefined || last.includeFile !== undefined ? undefined : {
    fix: 'tlsa-rotation-pair', typeName: 'TLSA', owner: set.owner, ttl: u.record.ttl,
    usage: u.f.usage, selector: u.f.selector, matchingType: u.f.matchingType, association: toHex(u.f.data),
    record: { start: u.record.start, end: u.record.end }, insertAt: last.end,
  };
  const breaks = c.smtp ? 'mail delivery from DANE senders' : 'connections from DANE clients';
  const copies = c.decoded.length > 1 && c.decoded.every((d) => tlsaUsable(d.f, c.smtp)) ? ' (the others are copies of it)' : '';
  c.out.push(diag('tlsa-single-record', 'warning', ownerAt(u.record),
    `only one usable TLSA record at ${set.owner}${copies}: the next certificate or key change breaks ${breaks} until the new record is published and cached; publish the next key's record beside it (RFC 7671 §8.1), or add a \`2 1 1\` record for the issuing CA`, data));
}

/**
 * What the zone says about a TLSA owner's base host (tlsa-cname-owner, tlsa-orphan,
 * tlsa-wrong-host); false when no sender queries the name (orphan, wrong host).
 */
function baseHost(c: RRsetContext): boolean {
  const host = c.owner.host;
  if (host === undefined) return true;
  const set = c.set;
  const hostKey = c.owner.hostKey ?? nameKey(host);
  // (the host's entry startDane made, when known: no key looked up, and the records at the host
  // read only when a CNAME is there)
  const id = c.hostId;
  const facts = id >= 0 ? c.zone.hosts!.at(id) : 0;
  const cname = id >= 0 && (facts & HOST_CNAME) === 0 ? undefined : c.view.recordsAt(hostKey).find((r) => r.typeCode === TYPE_CNAME);
  if (cname) {
    const target = cname.wire ? wireName(cname.wire, 0) : undefined;
    const where = target ? `\`${set.owner.slice(0, set.owner.length - host.length)}${target}\`` : 'the CNAME target';
    c.out.push(diag('tlsa-cname-owner', 'information', ownerAt(c.first),
      `${host} is a CNAME in this zone: clients look up TLSA records at the expanded name ${where} first (RFC 7671 §7); publish them there as well`));
    return true;
  }
  const isMxTarget = id >= 0 ? (facts & HOST_MX) !== 0 : c.mxTargets.has(hostKey);
  if (!c.smtp || host.startsWith('*') || isMxTarget || !inZone(c.view, host)) return true;
  const wrong = wrongHostDiagnostic(set, host, bareMxHosts(c.zone), c.view);
  if (wrong) { c.out.push(wrong); return false; }
  if (!hasAddress(c.view, hostKey)) {
    c.out.push(diag('tlsa-orphan', 'information', ownerAt(c.first),
      `${host} is neither an MX target nor has an address (A/AAAA) in this zone: no sender looks up ${set.owner}; fix the host name or remove the RRset`));
    return false;
  }
  return true;
}

/**
 * The per-RRset checks, in the order they report. Before them, the owner checks make `owner`
 * (an owner no client queries gets nothing more) and baseHost decides `queried`.
 */
const RRSET_CHECKS: readonly ((c: RRsetContext) => void)[] = [highTtl, perRecord, digests, usability];

// ---------------------------------------------------------------- zone-level

interface ZoneContext {
  view: DaneZoneView;
  /** The MX records as rows (mxRowsOf: the CLI's are read without making each). */
  mx: RecordRows;
  decision: SignedDecision;
  /** The RRsets senders query (well-formed owner, not an orphan or at the wrong host), in file order: what tlsa-unsigned-zone reads of them. */
  queriedSets: QueriedSets;
  /** In-zone MX targets without a `_25._tcp` TLSA RRset (bareMxHosts, computed on first use). */
  bare?: string[];
  /** False when the zone holds no RRSIG record (known in a full run: tlsa-rrset-size then asks for none). */
  rrsigs?: boolean;
  /** Per MX target key: whether `_25._tcp.<target>` holds TLSA records (asked once per run). */
  smtpTlsa?: Map<string, boolean>;
  /** In a full run with a zone origin: per MX record, MX_OUTSIDE, MX_COVERED or MX_BARE (mxStates). */
  mxState?: Uint8Array;
  /**
   * In a full run, per host key: HOST_SMTP_TLSA when `_25._tcp.<host>` has TLSA records (from
   * `view.tlsa`, so no lookup by owner), HOST_MX when it is an MX target (one map for both).
   */
  hosts?: HostFacts;
  out: ZoneDiagnostic[];
}

/** In-zone MX targets without a `_25._tcp` TLSA RRset, in MX order. */
function bareMxHosts(z: ZoneContext): string[] {
  return z.bare ?? finish(bareMxHostsSteps(z, NEVER));
}

/** bareMxHosts in slices (core/work.ts). */
function* bareMxHostsSteps(z: ZoneContext, slice: Slice): Steps<string[]> {
  if (z.bare) return z.bare;
  const out: string[] = [];
  const seen = new Set<string>();
  const mx = z.mx;
  const origin = z.view.zoneOrigin;
  const inside = origin ? atOrBelowTest(origin) : undefined;
  const state = origin ? mxStates(z) : undefined;
  for (let i = 0; i < mx.length; i++) {
    // (with the run's states, only the in-zone targets without TLSA are read: few)
    if (state && state[i] !== MX_BARE) continue;
    const t = mxTarget(mx, i);
    if (t === undefined || !inside) continue;
    const { name: target, key } = t;
    if (!inside(key) || seen.has(key)) continue;
    seen.add(key);
    if (!smtpTlsa(z, key)) out.push(target);
    if (slice.due()) yield;
  }
  return (z.bare = out);
}

function inZone(view: DaneZoneView, name: string): boolean {
  return view.zoneOrigin === undefined || isAtOrBelow(name, view.zoneOrigin);
}

function hasAddress(view: DaneZoneView, key: string): boolean {
  return view.hasAddress ? view.hasAddress(key) : view.recordsAt(key).some((r) => r.typeCode === TYPE_A || r.typeCode === TYPE_AAAA);
}



/** A set of keys, as far as the checks ask (the MX targets). */
export interface KeySet {
  has(key: string): boolean;
}

/** A TLSA record exists at `_25._tcp.<target>` (by the target's key), asked once per run and target. */
function smtpTlsa(z: ZoneContext, key: string): boolean {
  if (z.hosts) return (z.hosts.get(key) & HOST_SMTP_TLSA) !== 0;
  const known = (z.smtpTlsa ??= new Map()).get(key);
  if (known !== undefined) return known;
  const has = z.view.recordsAt(SMTP_PREFIX + key).some((r) => r.typeCode === TYPE_TLSA);
  z.smtpTlsa.set(key, has);
  return has;
}

/**
 * Per record of `view.mx`, in a full run with a zone origin (startDane fills it while the
 * target's key is at hand): MX_OUTSIDE (no target, or not in the zone), MX_COVERED (in the
 * zone, `_25._tcp.<target>` has TLSA records) or MX_BARE (in the zone, without). Undefined
 * where the run has none (mxCoverage and bareMxHosts then read the targets).
 */
function mxStates(z: ZoneContext): Uint8Array | undefined {
  return z.mxState && z.mxState.length === z.mx.length ? z.mxState : undefined;
}

/** decodeTlsaWire(r.wire), read in place (wireSpanOf: only the association data gets a view). */
export function decodeTlsaOf(r: ZoneRecord): TlsaFields | undefined {
  const w = wireSpanOf(r);
  const at = wireOffset, n = wireLength;
  if (!w || n < 4) return undefined;
  return new WireFields(w[at], w[at + 1], w[at + 2], new Uint8Array(w.buffer, w.byteOffset + at + 3, n - 3));
}

/** A TLSA record's fields read from its wire form (a class: no allocation site, pipeline/fresh.ts). */
class WireFields implements TlsaFields {
  constructor(public usage: number, public selector: number, public matchingType: number, public data: Uint8Array) {}
}

/** tlsa-mx-coverage: in a signed zone, some in-zone MX targets have `_25._tcp` TLSA and others do not. */
function* mxCoverage(c: ZoneContext, slice: Slice): Steps<void> {
  if (c.decision.state === 'unsigned') return;
  const view = c.view;
  const covered: string[] = [];
  const bare: { record: ZoneRecord; target: string }[] = [];
  const seen = new Set<string>();
  const atOrBelow = view.zoneOrigin !== undefined ? atOrBelowTest(view.zoneOrigin) : undefined;
  const state = view.zoneOrigin !== undefined ? mxStates(c) : undefined;
  if (state) {
    // (the run's states: the covered targets are named only when some are bare, which is rare)
    let anyCovered = false;
    for (let i = 0; i < state.length; i++) {
      if (state[i] === MX_COVERED) anyCovered = true;
      else if (state[i] === MX_BARE) bare.push({ record: c.mx.record(i), target: mxTarget(c.mx, i)!.name });
      if (slice.due()) yield;
    }
    if (!anyCovered || bare.length === 0) return;
  }
  for (let i = 0; i < c.mx.length; i++) {
    if (state && state[i] !== MX_COVERED) continue;
    const t = mxTarget(c.mx, i);
    if (t === undefined) continue;
    const { name: target, key } = t;
    const inside = state !== undefined || (atOrBelow ? atOrBelow(key) : view.recordsAt(key).length > 0 || hasAddress(view, key));
    if (!inside) continue;
    const has = smtpTlsa(c, key);
    if (has && !seen.has(key)) { seen.add(key); covered.push(target); }
    if (!has && !state) bare.push({ record: c.mx.record(i), target });
    if (slice.due()) yield;
  }
  if (covered.length === 0 || bare.length === 0) return;
  const others = covered.length > 2 ? `${covered.slice(0, 2).join(', ')} and ${covered.length - 2} more` : covered.join(' and ');
  for (const { record: m, target } of bare) {
    const tok = m.rdata.length === 2 && !m.rdata[0].quoted && m.rdata[0].text !== '\\#' ? m.rdata[1] : undefined;
    c.out.push(diag('tlsa-mx-coverage', 'warning', inRecord(m, tok),
      `MX target ${target} has no _25._tcp TLSA records, but ${others} ${covered.length === 1 ? 'has' : 'have'}: DANE senders authenticate only some of your mail hosts, and an attacker can steer mail to the others; publish _25._tcp.${target} TLSA records`));
  }
}

/** The zone-level checks, after every RRset's (in slices where they read every MX record). */
const ZONE_CHECKS: readonly ((c: ZoneContext, slice: Slice) => void | Steps<void>)[] = [(z) => unsignedZone(z.decision, z.queriedSets, z.out), mxCoverage];

// ---------------------------------------------------------------- entry points

/** What every RRset's checks share: the zone's context and the zone-wide facts they read. */
export interface DaneRun {
  zone: ZoneContext;
  decision: SignedDecision;
  now: Date;
  maxTtl: number;
  /** Keys of the zone's MX targets. */
  mxTargets: KeySet;
  /**
   * By TLSA row (the rows startDane read): the entry in `zone.hosts` of the host of a
   * `_25._tcp.<host>` owner at the first row of its run (-1: none or not known). Only with
   * `cnameRows` (the CLI's view): its CNAME owners are marked there (HOST_CNAME).
   */
  hostIds?: Int32Array;
}

/** startDane keeps the TLSA hosts' entries in its host table (DaneRun.hostIds) and marks the CNAME owners there; `on` false: every RRset looks its host up (dane-host-ids.test.ts compares the two). */
export const hostIdMemo = { on: true };

/** The shared context of a run over `view` (the MX targets gathered once). */
export function startDane(view: DaneZoneView, options: DaneOptions, out: ZoneDiagnostic[], tlsaRows = tlsaRowsOf(view)): DaneRun {
  return finish(startDaneSteps(view, options, out, NEVER, tlsaRows));
}

/** startDane in slices (core/work.ts). */
export function* startDaneSteps(view: DaneZoneView, options: DaneOptions, out: ZoneDiagnostic[], slice: Slice, tlsaRows = tlsaRowsOf(view)): Steps<DaneRun> {
  const decision = decideSigned(view, options.dnssec);
  const tlsa = tlsaRows;
  const origin = view.zoneOrigin !== undefined ? nameKey(view.zoneOrigin) : undefined;
  // (an RRset has two records or more, most often)
  const hosts = new HostFacts(tlsa.length >>> 1, origin);
  // (with the CNAME records as rows, whether a host is a CNAME is a bit of its entry: no lookup per RRset)
  const cnames = hostIdMemo.on ? view.cnameRows : undefined;
  const hostIds = cnames ? new Int32Array(tlsa.length).fill(-1) : undefined;
  // (each pass a function of its own: see hostPasses.ts)
  yield* markTlsaHostsSteps(tlsa, hosts, hostIds, slice);
  if (cnames) yield* markCnamesSteps(cnames, hosts, slice);
  const mxTargets: KeySet = { has: (key) => (hosts.get(key) & HOST_MX) !== 0 };
  const mx = mxRowsOf(view);
  // (the targets and their keys are not kept: the few that a finding names are read again)
  const inside = view.zoneOrigin !== undefined ? atOrBelowTest(view.zoneOrigin) : undefined;
  const mxState = inside ? new Uint8Array(mx.length) : undefined;
  yield* markMxTargetsSteps(mx, hosts, mxState, inside, hostIdMemo.on, slice);
  return { zone: { view, mx, decision, queriedSets: new QueriedSets(0), out, hosts, mxState, rrsigs: view.anyRrsig?.() }, decision, now: options.now ?? new Date(), maxTtl: options.tlsaMaxTtl ?? DEFAULT_TLSA_MAX_TTL, mxTargets, hostIds };
}

/**
 * One TLSA/SMIMEA RRset's checks (its owner, then RRSET_CHECKS), reported to `out`. Returns
 * whether senders query it, and its base host's key (what else it reads: the records there).
 */
export function checkRRset(run: DaneRun, set: TlsaRRset, out: ZoneDiagnostic[], hostId = -1): { queried: boolean; hostKey?: string } {
  const { zone, decision, now, maxTtl, mxTargets } = run;
  const view = zone.view;
  const first = set.records[0];
  const isTlsa = set.typeCode === TYPE_TLSA;
  let owner: OwnerInfo = {};
  if (isTlsa) owner = checkTlsaOwner(set, out);
  else checkSmimeaOwner(set, out);
  // (what is made per RRset is made without an allocation site: pipeline/fresh.ts)
  const decoded = freshList<Decoded>();
  for (const r of set.records) {
    const f = r.ok ? decodeTlsaOf(r) : undefined;
    if (f) decoded.push(new DecodedRecord(r, f));
  }
  // Names no client queries get only the owner error: no rotation or DNSSEC advice.
  if (isTlsa && (owner.host === undefined || owner.neverQueried)) return new RRsetOutcome(false, undefined);
  const c = new RRsetCheck(zone, view, set, first, isTlsa, owner, decoded, decision, maxTtl, mxTargets, now, out);
  // (startDane's id of the host `_25._tcp.<host>` names, when the owner's host key is exactly that)
  const hk = owner.hostKey;
  if (hostId >= 0 && hk !== undefined && set.ownerKey.length === SMTP_PREFIX.length + hk.length && set.ownerKey.startsWith(SMTP_PREFIX) && set.ownerKey.endsWith(hk)) c.hostId = hostId;
  c.queried = isTlsa ? baseHost(c) : true;
  for (const check of RRSET_CHECKS) check(c);
  return new RRsetOutcome(c.queried, owner.host === undefined ? undefined : owner.hostKey ?? nameKey(owner.host));
}

/** What checkRRset returns (a class: no allocation site, pipeline/fresh.ts). */
class RRsetOutcome {
  constructor(readonly queried: boolean, readonly hostKey: string | undefined) {}
}

/** An RRset's context (a class: no allocation site, pipeline/fresh.ts). */
class RRsetCheck implements RRsetContext {
  readonly type: string;
  readonly smtp: boolean;
  queried = true;
  /** The base host's entry in the host table when known (startDane's), else -1. */
  hostId = -1;
  constructor(readonly zone: ZoneContext, readonly view: DaneZoneView, readonly set: TlsaRRset, readonly first: ZoneRecord, readonly isTlsa: boolean,
    readonly owner: OwnerInfo, readonly decoded: Decoded[], readonly decision: SignedDecision, readonly maxTtl: number, readonly mxTargets: KeySet,
    readonly now: Date, readonly out: ZoneDiagnostic[]) {
    this.type = isTlsa ? 'TLSA' : 'SMIMEA';
    this.smtp = isTlsa && owner.port === 25 && owner.protocol === '_tcp';
  }
}

/** The zone-level checks (ZONE_CHECKS) after every RRset's, over the RRsets senders query in file order. */
export function checkDaneZone(run: DaneRun, queriedSets: QueriedSets, out: ZoneDiagnostic[]): void {
  finish(checkDaneZoneSteps(run, queriedSets, out, NEVER));
}

/** checkDaneZone in slices (core/work.ts). */
export function* checkDaneZoneSteps(run: DaneRun, queriedSets: QueriedSets, out: ZoneDiagnostic[], slice: Slice): Steps<void> {
  const zone: ZoneContext = { ...run.zone, queriedSets, out };
  for (const check of ZONE_CHECKS) {
    const steps = check(zone, slice);
    if (steps) yield* steps;
  }
}

/** In-zone MX targets without a `_25._tcp` TLSA RRset (tlsa-wrong-host reads them): for the incremental stage, in slices. */
export function bareMxTargetsSteps(run: DaneRun, slice: Slice): Steps<string[]> {
  return bareMxHostsSteps(run.zone, slice);
}

/** The RRset- and zone-level DANE diagnostics of a zone, sorted by position. */
export function checkDane(view: DaneZoneView, options: DaneOptions = {}): ZoneDiagnostic[] {
  // (rows: the CLI's records are made only for the RRset being checked)
  const tlsa = tlsaRowsOf(view);
  if (tlsa.length === 0) return [];
  const out: ZoneDiagnostic[] = [];
  const run = startDane(view, options, out, tlsa);
  // (each RRset made, checked and dropped: what the zone-level checks read of them is summed up as they go)
  const sets = new TlsaRRsets(tlsa);
  const queried = new QueriedSets(sets.count, run.decision.state !== 'signed');
  // (the common RRset is told from its rows, without making it: plainRRsets.ts)
  const plain = { hosts: run.zone.hosts, rrsigs: run.zone.rrsigs, maxTtl: run.maxTtl, zoneOrigin: view.zoneOrigin };
  for (let k = 0; k < sets.count; k++) {
    const host = run.hostIds ? run.hostIds[sets.firstRow(k)] : -1;
    if (plainRRset(plain, sets, tlsa, k, host, queried)) continue;
    const set = sets.rrset(k);
    if (checkRRset(run, set, out, host).queried) queried.add(set);
  }
  checkDaneZone(run, queried, out);
  return out.sort((a, b) => a.start - b.start);
}

/** The `dane` stage: checkDane on the DANE reading of the pipeline's view. */
export function runDane(view: ZoneView, options: DaneOptions): ZoneDiagnostic[] {
  return checkDane(daneViewOf(view), options);
}
