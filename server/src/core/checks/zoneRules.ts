/**
 * The zone rules of named-checkzone (dane-rules.md "Zone rules", issue 11), in three places of
 * the pipeline (pipeline/stages.ts), each where it is cheapest:
 *
 *  - `checkRecordRules` (recordRules.ts), a RecordCheck of the zone-wide stage (one record on its own):
 *    spf-type, nsec3-owner, svcb-dns-params, dnssec-algorithm-deprecated, target-is-address;
 *  - `findOccluded` (zoneShape.ts), beside the zone-wide stage's per-owner checks (checks/zone.ts: the CLI's
 *    ZoneChecker and the document's owner re-checks), given the zone's delegations and DNAMEs
 *    (`ZoneShape`): occluded-data;
 *  - the `zone-rules` zone stage (`runZoneRules`, this file; target lookups by key hash in targetHash.ts; reads ZONE_RULES_READS): soa-missing,
 *    soa-not-apex, soa-multiple, ns-apex-missing, ns-target-cname, target-is-cname (with a quick
 *    fix), glue-missing, ns-below-dname, ds-placement, cds-cdnskey-mismatch.
 *
 * cname-and-other-data (with BIND's set of types) is checks/zone.ts's.
 */
import type { AnalysisOptions, StreamCollector } from '../pipeline/stage';
import type { ZoneReads, ZoneView } from '../pipeline/view';
import type { ReplaceDiagnosticFixData } from '../dane/fixData';
import { ZoneRecord } from '../model';
import { nameKey, wireName } from '../names';
import { keyTag } from '../dnssec/wire';
import { sameBytes } from '../bytes';
import { TYPE_A, TYPE_AAAA, TYPE_CDNSKEY, TYPE_CDS, TYPE_CNAME, TYPE_DNAME, TYPE_DNSKEY, TYPE_DS, TYPE_NS, TYPE_SOA, TYPE_SRV, typeName } from '../rrtypes';
import { Span, Token, ZoneDiagnostic } from '../types';
import { finish, NEVER, Slice, Steps } from '../work';
import { TARGET, TARGET_TYPES, diag, keyAtOrBelow, recordAt } from './zoneRulesCommon';
import { isAddressTarget, isDeleteForm } from './recordRules';
import { wireLength, wireOffset, wireSpanOf } from '../pipeline/compactRecord';
import { arrayRows, RecordRows, spanLength, spanOffset } from '../pipeline/keptColumns';
import { ZoneShape, coverOf } from './zoneShape';
import { KeyHashSet, NOT_PLAIN, U32List, keyHash, keyHash2, wireHash2, wireKeyAt, wireKeyHash } from './targetHash';

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
    if (OTHER_TARGET[t] === 0 || !r.owner) return;
    // (read where it is: no view of a streamed record's slab)
    const w = wireSpanOf(r);
    if (!w) return;
    const h = wireKeyHash(w, wireOffset + TARGET[t].wire, wireOffset + wireLength);
    if (h === NOT_PLAIN) { this.unsure = true; return; }
    this.targetHashes.push(h);
    this.targetHashes.push(wireHash2());
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
  /**
   * After a streaming parse with the CLI's rows: the NS and DS records as rows (not in `byType`),
   * a record made only for a finding (rowRules).
   */
  rows?: { ns: RecordRows; ds: RecordRows };
}

/** The types read again after a streaming parse (few records) when no other target may be an alias. */
const FEW_TYPES = READ_TYPES.filter((t) => t !== TYPE_CNAME && OTHER_TARGET[t] === 0);
/** FEW_TYPES but NS and DS, which the CLI's rows give (RulesRun.rows). */
const FEWER_TYPES = FEW_TYPES.filter((t) => t !== TYPE_NS && t !== TYPE_DS);

/** `rowRules` on (the CLI's rows); `on` false: NS and DS records made as records (zoneRules-rows.test.ts compares the two). */
export const rulesOnRows = { on: true };

/** The records of these types in the view, by type (one pass over the kept records). */
function* recordsByType(view: ZoneView, types: number[], slice: Slice): Steps<Map<number, ZoneRecord[]>> {
  const into = new Map<number, ZoneRecord[]>();
  for (const r of view.records(...types)) {
    const l = into.get(r.typeCode);
    if (l) l.push(r); else into.set(r.typeCode, [r]);
    if (slice.due()) yield;
  }
  return into;
}

/**
 * The stage's context, or undefined when the rules do not apply (no zone: see below). With the
 * streaming collector, the CNAME and MX, SRV, … records are not read again unless some target
 * may be an alias.
 */
export function startRules(view: ZoneView, options: AnalysisOptions, streamed?: RulesCollector): RulesRun | undefined {
  return finish(startRulesSteps(view, options, NEVER, streamed));
}

/** startRules in slices (core/work.ts). */
export function* startRulesSteps(view: ZoneView, options: AnalysisOptions, slice: Slice, streamed?: RulesCollector): Steps<RulesRun | undefined> {
  const origin = view.zoneOrigin;
  const rowsOf = streamed && rulesOnRows.on ? view.rows : undefined;
  const byType = yield* recordsByType(view, streamed ? (rowsOf ? FEWER_TYPES : FEW_TYPES) : READ_TYPES, slice);
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
        if (h === NOT_PLAIN || hits.has(h, wireHash2())) mayAlias.push(r);
      }
    }
  } else {
    const cnameRecords = byType.get(TYPE_CNAME) ?? [];
    cnames = new KeyHashSet(cnameRecords.length);
    for (const c of cnameRecords) {
      cnames.add(keyHash(c.ownerKey), keyHash2(c.ownerKey));
      if (slice.due()) yield;
    }
  }
  const rows = rowsOf ? { ns: rowsOf(TYPE_NS), ds: rowsOf(TYPE_DS) } : undefined;
  return { view, origin, apexKey, byType, cnames, mayAlias, rows, shape: shapeOf(rows?.ns ?? arrayRows(byType.get(TYPE_NS) ?? []), byType.get(TYPE_DNAME) ?? [], apexKey) };
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
  for (const t of RECORD_RULE_TYPES) {
    const rows = t === TYPE_NS ? run.rows?.ns : t === TYPE_DS ? run.rows?.ds : undefined;
    if (rows) for (let i = 0; i < rows.length; i++) rowRules(run, t, rows, i, out);
    else for (const r of recordsOf(run, t)) recordRules(run, r, out);
  }
  for (const r of run.mayAlias ?? []) recordRules(run, r, out);
  return out.sort((a, b) => a.start - b.start);
}

/**
 * recordRules of row `i` of the NS or DS rows (RulesRun.rows; `t` their type): what it finds, with the record
 * made only when it finds something (a DS not at a delegation; an NS target that is an alias,
 * below a DNAME or without glue).
 */
function rowRules(run: RulesRun, t: number, rows: RecordRows, i: number, out: ZoneDiagnostic[]): void {
  if (!rows.hasOwner(i)) return;
  if (t === TYPE_DS) {
    const key = rows.ownerKey(i);
    if (key !== run.apexKey && run.view.hasType(key, TYPE_NS)) return;
    recordRules(run, rows.record(i), out);
    return;
  }
  if (t !== TYPE_NS) return;
  const w = rows.wireSpan(i);
  if (w) checkTargetAt(run, t, rows.ownerKey(i), w, spanOffset, spanLength, undefined, rows, i, out);
}

/** The delegations and DNAMEs from the records the stage reads (the NS records as rows). */
function shapeOf(ns: RecordRows, dname: readonly ZoneRecord[], apexKey: string): ZoneShape {
  const cuts = new Set<string>();
  for (let i = 0; i < ns.length; i++) {
    const k = ns.ownerKey(i);
    if (k !== apexKey) cuts.add(k);
  }
  const dnames = new Set<string>();
  for (const r of dname) dnames.add(r.ownerKey);
  return { apexKey, cuts, dnames };
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
  if (!r.owner) return;
  // (the hash read in place: most targets end here, with no view of a kept record's slab made)
  const w = wireSpanOf(r);
  if (!w) return;
  checkTargetAt(run, r.typeCode, r.ownerKey, w, wireOffset, wireLength, r, undefined, -1, out, onTarget);
}

/**
 * checkTarget of a record of type `type` at `ownerKey` whose wire form is the `n` octets at `at`
 * in `w`: the record `r`, or (undefined) row `i` of `rows`, made only when a finding needs it.
 */
function checkTargetAt(run: RulesRun, type: number, ownerKey: string, w: Uint8Array, at: number, n: number, r: ZoneRecord | undefined, rows: RecordRows | undefined, i: number,
  out: ZoneDiagnostic[], onTarget?: (hash: number) => void): void {
  const spec = TARGET[type];
  const isNs = type === TYPE_NS;
  const h = wireKeyHash(w, at + spec.wire, at + n);
  const h2 = wireHash2();
  // (an alias for sure only when the view says so; not one for sure when no CNAME owner has its hashes)
  const alias = h === NOT_PLAIN || !run.cnames || run.cnames.has(h, h2);
  if (h !== NOT_PLAIN) {
    onTarget?.(h);
    // only NS targets are checked further: no key made
    if (!isNs && !alias) return;
  }
  const t = wireKeyAt(w, at + spec.wire, at + n);
  if (t === undefined || t === '.') return;
  if (h === NOT_PLAIN) onTarget?.(keyHash(t));
  const { view, shape: z } = run;
  const what = typeName(type);
  if (alias && view.hasType(t, TYPE_CNAME)) {
    r ??= rows!.record(i);
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
  if (coverOf(ownerKey, z)) return;
  const cover = coverOf(t, z);
  if (cover?.dname !== undefined) {
    r ??= rows!.record(i);
    if (isAddressTarget(r)) return;
    const apexNs = ownerKey === z.apexKey;
    const { at, name } = targetPlace(r, t);
    out.push(diag('ns-below-dname', apexNs ? 'error' : 'warning', at, `the NS target ${name} is below the DNAME at ${cover.dname}: that name is redirected, so its address is never served${apexNs ? '' : ' (the referral still carries it as glue)'}; use a name outside the DNAME's subtree`));
    return;
  }
  // below another delegation than this NS record's own: sibling glue, which BIND does not require
  if (cover?.cut !== undefined && !keyAtOrBelow(t, ownerKey)) return;
  if (!view.hasType(t, TYPE_A) && !view.hasType(t, TYPE_AAAA) && !isAddressTarget((r ??= rows!.record(i)))) {
    const { at, name } = targetPlace(r, t);
    out.push(diag('glue-missing', 'error', at, `the NS target ${name} is ${cover?.cut ? `below the delegation ${cover.cut}` : 'inside this zone'} but has no A or AAAA record here: resolvers cannot reach the server; add its address${cover?.cut ? ' (glue)' : ''}`));
  }
}

