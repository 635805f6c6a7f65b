/**
 * A zone stage's view for a full run in slices (stageResults.ts, the editor): the records of the
 * types the stage declares (ZoneReads) are gathered from the whole parse a slice at a time, so
 * the stage's `view.records(...)` does not filter a million records in one go; the rest comes
 * from `base` (the document's owner index: no second index of every owner is built). The view
 * answers exactly as viewOfZone(whole) would: same records, same (file) order.
 */
import { ZoneRecord } from '../model';
import { DNSSEC_RECORD_TYPES, includesKeyFile } from '../dane/signed';
import { Slice, Steps } from '../work';
import { ZoneReads, ZoneView } from './view';

/**
 * `base` answers recordsAt/hasType from the document's owner index (every record at an owner,
 * those of unknown type too); `whole` is asked only by a stage that reads every record.
 */
export function* gatherView(base: ZoneView, whole: () => ZoneView, reads: ZoneReads, slice: Slice): Steps<ZoneView> {
  if (reads.all) return whole();
  const lists = new Map<number, { records: ZoneRecord[]; at: number[] }>();
  for (const t of [...(reads.records ?? []), ...(reads.slim ?? [])]) lists.set(t, { records: [], at: [] });
  /** Every record gathered, in file order (a stage that asks for all its types at once). */
  const union: ZoneRecord[] = [];
  let dnssec = false;
  const all = base.allRecords();
  for (let i = 0; i < all.length; i++) {
    const r = all[i];
    const l = lists.get(r.typeCode);
    if (l) { l.records.push(r); l.at.push(i); union.push(r); }
    if (!dnssec && DNSSEC_RECORD_TYPES.has(r.typeCode)) dnssec = true;
    if (slice.due()) yield;
  }
  const merged = new Map<string, readonly ZoneRecord[]>();
  return {
    zoneOrigin: base.zoneOrigin,
    records: (...types) => {
      if (types.length === 1) return lists.get(types[0])?.records ?? base.records(...types);
      if (types.some((t) => !lists.has(t))) return base.records(...types);
      const distinct = [...new Set(types)];
      if (distinct.length === lists.size) return union;
      const key = types.join(',');
      let got = merged.get(key);
      if (!got) merged.set(key, (got = mergeInOrder(distinct.map((t) => lists.get(t)!))));
      return got;
    },
    allRecords: () => all,
    recordsAt: base.recordsAt,
    hasType: base.hasType,
    get hasDnssecRecords() {
      return dnssec || base.directives.some(includesKeyFile);
    },
    get daneDirectives() { return base.daneDirectives; },
    get directives() { return base.directives; },
  };
}

/** Lists of records with their indexes in the whole parse, merged into file order. */
function mergeInOrder(lists: readonly { records: ZoneRecord[]; at: number[] }[]): ZoneRecord[] {
  if (lists.length === 1) return lists[0].records;
  const out: ZoneRecord[] = [];
  const next = lists.map(() => 0);
  for (;;) {
    let best = -1;
    for (let k = 0; k < lists.length; k++) {
      if (next[k] < lists[k].at.length && (best < 0 || lists[k].at[next[k]] < lists[best].at[next[best]])) best = k;
    }
    if (best < 0) return out;
    out.push(lists[best].records[next[best]++]);
  }
}
