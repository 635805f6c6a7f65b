/** Delegations and DNAMEs: what lies above a name, and occluded-data (dane-rules.md "Zone rules", issue 11). */
import { TYPE_A, TYPE_AAAA, TYPE_DS, TYPE_NS, TYPE_NSEC, TYPE_RRSIG, typeName } from '../rrtypes';
import { Span, ZoneDiagnostic } from '../types';
import { TYPE_NXT, TYPE_SIG, diag, keyAtOrBelow, parentKey } from './zoneRulesCommon';
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

