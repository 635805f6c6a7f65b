/**
 * Moving the incremental document's results (document.ts) over edits without re-checking them:
 * zone-stage results, zone-wide findings and `disable=` ranges.
 */
import { DisabledRange } from './pipeline/finalize';
import { StageResults } from './stageResults';
import { ZoneDiagnostic } from './types';

/** An edit of [start, end) that changed the length by `d`. */
export interface Move {
  start: number;
  end: number;
  d: number;
}

/**
 * Moves results over `moves` (sorted, apart, all in the coordinates of the text before them):
 * a stage result that touches one is handed to `stages.touched` (re-checked), those after move;
 * findings and `disable=` ranges after them move. True when a `disable=` range was touched.
 */
export function moveResults(moves: readonly Move[], stages: StageResults, findings: readonly ZoneDiagnostic[], disabled: readonly DisabledRange[]): boolean {
  if (moves.length === 1) return moveOver(moves[0], stages, findings, disabled);
  // `moves` are sorted and apart, all in the coordinates of the text before them: what lies
  // after k of them moves by the sum of their changes (prefix sums, a binary search per result).
  const sums = [0];
  for (const m of moves) sums.push(sums[sums.length - 1] + m.d);
  /** How many moves end before `p` (strictly: `strict`), their sum; and whether [a, b] touches one. */
  const before = (p: number, strict: boolean): number => {
    let lo = 0;
    let hi = moves.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (strict ? moves[mid].end < p : moves[mid].end <= p) lo = mid + 1; else hi = mid;
    }
    return lo;
  };
  const touches = (a: number, b: number): boolean => {
    const k = before(a, true);
    return k < moves.length && moves[k].start <= b;
  };
  stages.diags.forEach((list, n) => {
    for (const f of list) {
      if (touches(f.start, f.end)) stages.touched(n, f); else { const d = sums[before(f.start, true)]; f.start += d; f.end += d; }
      for (const r of f.related ?? []) if (touches(r.start, r.end)) stages.touched(n, f); else { const d = sums[before(r.start, true)]; r.start += d; r.end += d; }
    }
  });
  if (sums.every((x) => x === 0)) return false;
  let disabledDirty = false;
  for (const f of findings) { const d = sums[before(f.start, false)]; f.start += d; f.end += d; }
  for (const r of disabled) {
    const k = before(r.start, false);
    if (k < moves.length && moves[k].start <= r.end) disabledDirty = true;
    r.start += sums[k];
    r.end += sums[k];
  }
  return disabledDirty;
}

/** moveResults for one edit (a keystroke): the same rules, in plain loops (one finding can have ~100,000 related locations). */
function moveOver(m: Move, stages: StageResults, findings: readonly ZoneDiagnostic[], disabled: readonly DisabledRange[]): boolean {
  const { start, end, d } = m;
  for (let n = 0; n < stages.diags.length; n++) {
    for (const f of stages.diags[n]) {
      if (f.end < start) { /* before the edit */ } else if (f.start > end) { f.start += d; f.end += d; } else stages.touched(n, f);
      const related = f.related;
      if (!related) continue;
      for (let k = 0; k < related.length; k++) {
        const r = related[k];
        if (r.end < start) continue;
        if (r.start > end) { r.start += d; r.end += d; } else stages.touched(n, f);
      }
    }
  }
  if (d === 0) return false;
  for (const f of findings) if (f.start >= end) { f.start += d; f.end += d; }
  let disabledDirty = false;
  for (const r of disabled) {
    if (r.start < end) { if (start <= r.end) disabledDirty = true; continue; }
    r.start += d;
    r.end += d;
  }
  return disabledDirty;
}
