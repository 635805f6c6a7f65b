/**
 * The `dane` stage, incrementally (pipeline/stage.ts: IncrementalZoneStage): the results are
 * kept per TLSA/SMIMEA owner name, with each RRset's base host. After an edit, only the RRsets
 * at owner names whose facts changed, and those whose base host's records (CNAME, A/AAAA)
 * changed, are checked again. Anything that other RRsets or the zone-level checks read runs the
 * stage in full: a changed MX record (MX targets, tlsa-wrong-host's bare hosts, tlsa-mx-coverage),
 * an RRset appearing or going, one becoming queried or not (tlsa-unsigned-zone lists them), the
 * zone's DNSSEC state or directives (the document sees those as zone-wide facts).
 */
import { AnalysisOptions, IncrementalZoneStage } from '../pipeline/stage';
import { ZoneView } from '../pipeline/view';
import { TYPE_MX } from '../rrtypes';
import { Span, ZoneDiagnostic } from '../types';
import { ownerAt } from './report';
import { bareMxTargetsSteps, checkDaneZoneSteps, checkRRset, DaneRun, startDaneSteps } from './checks';
import { QueriedSets } from './unsignedZone';
import { isTlsaType } from './tlsaRdata';
import { daneViewOf, groupTlsaRRsets, groupTlsaRRsetsSteps, mxRowsOf, TlsaRRset } from './view';
import { finish, NEVER, Slice, Steps } from '../work';

interface OwnerResults {
  diags: ZoneDiagnostic[];
  /** Per RRset at the owner (TLSA, SMIMEA, per class), in order: queried, base host key. */
  sets: { queried: boolean; hostKey?: string }[];
}

interface DaneState {
  /** The full run's shared context (its view is dropped: updates bring their own). */
  run: Omit<DaneRun, 'zone'>;
  bare: string[];
  /** Owner keys with MX records. */
  mxOwners: Set<string>;
  owners: Map<string, OwnerResults>;
  /** Base host key → the owner keys of the RRsets at `_port._proto.<host>`. */
  byHost: Map<string, Set<string>>;
  /** Each result's owner key ('' for the zone-level results). */
  keyOf: Map<ZoneDiagnostic, string>;
  /**
   * Where tlsa-unsigned-zone points for the queried RRsets at an owner (the result and its
   * related locations: the same objects, moved with the edits): an RRset whose first record now
   * starts elsewhere runs the stage in full.
   */
  anchors: Map<string, Span[]>;
}

/** The state of a zone without TLSA/SMIMEA records. */
const NO_TLSA = 'no-tlsa';

type Full = { diagnostics: ZoneDiagnostic[]; state: DaneState | typeof NO_TLSA };

/** The stage in full, in slices (core/work.ts): each loop over RRsets or MX records yields when the slice is due. */
function* fullSteps(view: ZoneView, options: AnalysisOptions, slice: Slice): Steps<Full> {
  const dv = daneViewOf(view);
  if (dv.tlsa.length === 0) return { diagnostics: [], state: NO_TLSA };
  const out: ZoneDiagnostic[] = [];
  const run = yield* startDaneSteps(dv, options, out, slice);
  const bare = yield* bareMxTargetsSteps(run, slice);
  const mxOwners = new Set<string>();
  for (const m of dv.mx) { mxOwners.add(m.ownerKey); if (slice.due()) yield; }
  const state: DaneState = {
    run: { decision: run.decision, now: run.now, maxTtl: run.maxTtl, mxTargets: run.mxTargets }, bare,
    mxOwners, owners: new Map(), byHost: new Map(), keyOf: new Map(), anchors: new Map(),
  };
  const queried: TlsaRRset[] = [];
  for (const set of yield* groupTlsaRRsetsSteps(dv.tlsa, slice)) {
    const diags: ZoneDiagnostic[] = [];
    const r = checkRRset(run, set, diags);
    if (r.queried) queried.push(set);
    remember(state, set.ownerKey, r, diags);
    for (const d of diags) out.push(d);
    if (slice.due()) yield;
  }
  const zone: ZoneDiagnostic[] = [];
  yield* checkDaneZoneSteps(run, QueriedSets.of(queried, run.decision.state !== 'signed'), zone, slice);
  for (const d of zone) { state.keyOf.set(d, ''); out.push(d); }
  const unsigned = zone.find((d) => d.code === 'tlsa-unsigned-zone');
  if (unsigned) {
    queried.forEach((set, n) => {
      const at = n === 0 ? unsigned : unsigned.related?.[n - 1];
      if (!at) return;
      const l = state.anchors.get(set.ownerKey);
      if (l) l.push(at); else state.anchors.set(set.ownerKey, [at]);
    });
  }
  return { diagnostics: out.sort((a, b) => a.start - b.start), state };
}

function full(view: ZoneView, options: AnalysisOptions): Full {
  return finish(fullSteps(view, options, NEVER));
}

function remember(state: DaneState, key: string, r: { queried: boolean; hostKey?: string }, diags: ZoneDiagnostic[]): void {
  let o = state.owners.get(key);
  if (!o) state.owners.set(key, (o = { diags: [], sets: [] }));
  o.sets.push(r);
  for (const d of diags) { o.diags.push(d); state.keyOf.set(d, key); }
  if (r.hostKey !== undefined) {
    const s = state.byHost.get(r.hostKey);
    if (s) s.add(key); else state.byHost.set(r.hostKey, new Set([key]));
  }
}

function update(view: ZoneView, options: AnalysisOptions, raw: unknown, keys: ReadonlySet<string>): { removed: ZoneDiagnostic[]; added: ZoneDiagnostic[] } | undefined {
  const state = raw as DaneState | typeof NO_TLSA | undefined;
  if (state === NO_TLSA) {
    // Nothing to report until a TLSA or SMIMEA record appears.
    for (const k of keys) if (view.recordsAt(k).some((r) => isTlsaType(r.typeCode))) return undefined;
    return { removed: [], added: [] };
  }
  if (!state) return undefined;
  const dv = daneViewOf(view);
  const affected = new Set<string>();
  for (const k of keys) {
    if (state.mxOwners.has(k) || view.recordsAt(k).some((r) => r.typeCode === TYPE_MX)) return undefined;
    affected.add(k);
    for (const o of state.byHost.get(k) ?? []) affected.add(o);
  }
  // The context of the full run, over this view; `bare` set so the MX list is never read.
  const run: DaneRun = { ...state.run, zone: { view: dv, get mx() { return mxRowsOf(dv); }, decision: state.run.decision, queriedSets: new QueriedSets(0), out: [], bare: state.bare } };
  const redone: { key: string; diags: ZoneDiagnostic[]; sets: { queried: boolean; hostKey?: string }[] }[] = [];
  for (const key of affected) {
    const sets = groupTlsaRRsets(view.recordsAt(key));
    const old = state.owners.get(key);
    if ((old?.sets.length ?? 0) !== sets.length) return undefined;
    if (!old) continue;
    const diags: ZoneDiagnostic[] = [];
    const results = sets.map((set) => checkRRset(run, set, diags));
    if (results.some((r, n) => r.queried !== old.sets[n].queried || r.hostKey !== old.sets[n].hostKey)) return undefined;
    const anchors = state.anchors.get(key) ?? [];
    const moved = sets.filter((_, n) => results[n].queried).some((set, n) => {
      const at = ownerAt(set.records[0]);
      return anchors[n] !== undefined && (anchors[n].start !== at.start || anchors[n].end !== at.end);
    });
    if (moved) return undefined;
    redone.push({ key, diags, sets: results });
  }
  const removed: ZoneDiagnostic[] = [];
  const added: ZoneDiagnostic[] = [];
  for (const { key, diags, sets } of redone) {
    const old = state.owners.get(key)!;
    for (const d of old.diags) { removed.push(d); state.keyOf.delete(d); }
    state.owners.delete(key);
    for (const r of sets) remember(state, key, r, r === sets[0] ? diags : []);
    for (const d of diags) added.push(d);
  }
  return { removed, added };
}

export const incrementalDane: IncrementalZoneStage = {
  full,
  fullSteps,
  update,
  keyOf: (state, d) => {
    const k = state === NO_TLSA ? undefined : (state as DaneState | undefined)?.keyOf.get(d);
    return k === '' ? undefined : k;
  },
};
