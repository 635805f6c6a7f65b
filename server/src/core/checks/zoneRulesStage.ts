/**
 * The `zone-rules` stage (rules in checks/zoneRules.ts), in full and by owner name in the
 * incremental document (pipeline/stage.ts: IncrementalZoneStage; dane/incremental.ts is the
 * model). Its results are kept per owner key of the record they are about (a DS, a record with a
 * target), beside an index from each target's key hash to the owners pointing there. After an
 * edit, only the owners whose facts changed and the owners whose targets are at a changed name
 * are checked again. What the whole-zone rules read runs the stage in full: the apex, an SOA,
 * DNSKEY, CDS or CDNSKEY anywhere, a delegation or a DNAME coming or going, and any change while
 * soa-missing/ns-apex-missing stand (they mark the zone's first line, not a record).
 */
import { AnalysisOptions, IncrementalZoneStage, ZoneStage } from '../pipeline/stage';
import { ZoneView } from '../pipeline/view';
import { TYPE_CDNSKEY, TYPE_CDS, TYPE_DNAME, TYPE_DNSKEY, TYPE_NS, TYPE_SOA } from '../rrtypes';
import { ZoneDiagnostic } from '../types';
import { finish, NEVER, Slice, Steps } from '../work';
import { keyHash } from './targetHash';
import { RECORD_RULE_TYPES, recordRules, RulesCollector, RulesRun, runZoneRules, startRulesSteps, ZONE_RULES_READS, zoneLevelRules } from './zoneRules';

interface RulesState {
  /** The full run's apex and zone shape (the view and the records read are not kept). */
  run: Pick<RulesRun, 'origin' | 'apexKey' | 'shape'>;
  /** Findings per owner key of the record they are about. */
  owners: Map<string, ZoneDiagnostic[]>;
  /** Each finding's owner key ('' for the zone-level ones). */
  keyOf: Map<ZoneDiagnostic, string>;
  /** Target key hash → the owner keys with a record pointing there (an entry left stale costs only a re-check). */
  pointers: Map<number, string | Set<string>>;
  /** Owner keys of the SOA, DNSKEY, CDS and CDNSKEY records (what the zone-level rules read). */
  zoneOwners: Set<string>;
  /** soa-missing or ns-apex-missing stands. */
  unplaced: boolean;
}

/** The state when the rules do not apply (no zone name and no SOA: an $INCLUDE fragment). */
const NONE = 'none';
const ZONE_TYPES = [TYPE_SOA, TYPE_DNSKEY, TYPE_CDS, TYPE_CDNSKEY];

function point(state: RulesState, owner: string, h: number): void {
  const had = state.pointers.get(h);
  if (had === undefined) state.pointers.set(h, owner);
  else if (typeof had === 'string') { if (had !== owner) state.pointers.set(h, new Set([had, owner])); }
  else had.add(owner);
}

function remember(state: RulesState, owner: string, diags: readonly ZoneDiagnostic[]): void {
  if (diags.length === 0) return;
  const l = state.owners.get(owner);
  if (l) l.push(...diags); else state.owners.set(owner, diags.slice());
  for (const d of diags) state.keyOf.set(d, owner);
}

type Full = { diagnostics: ZoneDiagnostic[]; state: RulesState | typeof NONE };

function full(view: ZoneView, options: AnalysisOptions): Full {
  return finish(fullSteps(view, options, NEVER));
}

/** The stage in full, in slices (core/work.ts): the records' rules yield when the slice is due. */
function* fullSteps(view: ZoneView, options: AnalysisOptions, slice: Slice): Steps<Full> {
  const run = yield* startRulesSteps(view, options, slice);
  if (!run) return { diagnostics: [], state: NONE };
  const out: ZoneDiagnostic[] = [];
  zoneLevelRules(run, options, out);
  const state: RulesState = {
    run: { origin: run.origin, apexKey: run.apexKey, shape: run.shape }, owners: new Map(), keyOf: new Map(), pointers: new Map(), zoneOwners: new Set(),
    unplaced: out.some((d) => d.code === 'soa-missing' || d.code === 'ns-apex-missing'),
  };
  for (const d of out) state.keyOf.set(d, '');
  for (const t of ZONE_TYPES) for (const r of run.byType.get(t) ?? []) state.zoneOwners.add(r.ownerKey);
  const found: ZoneDiagnostic[] = [];
  for (const t of RECORD_RULE_TYPES) {
    for (const r of run.byType.get(t) ?? []) {
      recordRules(run, r, found, (h) => point(state, r.ownerKey, h));
      if (found.length > 0) { remember(state, r.ownerKey, found); for (const d of found) out.push(d); found.length = 0; }
      if (slice.due()) yield;
    }
  }
  return { diagnostics: out.sort((a, b) => a.start - b.start), state };
}

function update(view: ZoneView, _options: AnalysisOptions, raw: unknown, keys: ReadonlySet<string>): { removed: ZoneDiagnostic[]; added: ZoneDiagnostic[] } | undefined {
  const state = raw as RulesState | typeof NONE | undefined;
  if (state === undefined) return undefined;
  if (state === NONE) {
    // Nothing to check until an SOA makes it a zone.
    for (const k of keys) if (view.hasType(k, TYPE_SOA)) return undefined;
    return { removed: [], added: [] };
  }
  if (state.unplaced) return undefined;
  const { apexKey, shape } = state.run;
  const affected = new Set<string>();
  for (const k of keys) {
    if (k === apexKey || state.zoneOwners.has(k)) return undefined;
    if (ZONE_TYPES.some((t) => view.hasType(k, t))) return undefined;
    // a delegation or DNAME that came or went changes what is served below it
    if (view.hasType(k, TYPE_NS) !== shape.cuts.has(k) || view.hasType(k, TYPE_DNAME) !== shape.dnames.has(k)) return undefined;
    affected.add(k);
    const p = state.pointers.get(keyHash(k));
    if (typeof p === 'string') affected.add(p);
    else if (p) for (const o of p) affected.add(o);
  }
  // Asked of the view (the document's owner index), owner by owner.
  const run: RulesRun = { ...state.run, view, byType: new Map() };
  const removed: ZoneDiagnostic[] = [];
  const added: ZoneDiagnostic[] = [];
  for (const o of affected) {
    const old = state.owners.get(o);
    if (old) { for (const d of old) { removed.push(d); state.keyOf.delete(d); } state.owners.delete(o); }
    const found: ZoneDiagnostic[] = [];
    for (const r of view.recordsAt(o)) recordRules(run, r, found, (h) => point(state, o, h));
    remember(state, o, found);
    for (const d of found) added.push(d);
  }
  return { removed, added };
}

export const incrementalZoneRules: IncrementalZoneStage = {
  full,
  fullSteps,
  update,
  keyOf: (state, d) => {
    const k = state === NONE ? undefined : (state as RulesState | undefined)?.keyOf.get(d);
    return k === '' ? undefined : k;
  },
};

export const zoneRulesStage: ZoneStage = {
  kind: 'zone', name: 'zone-rules', reads: ZONE_RULES_READS, run: runZoneRules, incremental: incrementalZoneRules,
  stream: () => new RulesCollector(),
};
