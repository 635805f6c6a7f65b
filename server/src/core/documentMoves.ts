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

/** For `moves` (sorted, apart, all in the coordinates of the text before them): what lies after k of them moves by the sum of their changes. */
class Moves {
  private readonly sums = [0];
  constructor(private readonly moves: readonly Move[]) {
    for (const m of moves) this.sums.push(this.sums[this.sums.length - 1] + m.d);
  }

  /** Whether any edit changed the length. */
  get shifts(): boolean {
    return this.sums.some((x) => x !== 0);
  }

  /** How many moves end before `p` (strictly: `strict`). */
  before(p: number, strict: boolean): number {
    let lo = 0;
    let hi = this.moves.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (strict ? this.moves[mid].end < p : this.moves[mid].end <= p) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** The shift of what starts at `p` (past the moves that end before it: strictly, `strict`). */
  shift(p: number, strict: boolean): number {
    return this.sums[this.before(p, strict)];
  }

  /** Whether [a, b] touches a move (its ends included). */
  touches(a: number, b: number): boolean {
    const k = this.before(a, true);
    return k < this.moves.length && this.moves[k].start <= b;
  }
}

/**
 * Moves the zone-stage results and the zone-wide findings over `moves` (sorted, apart, all in the
 * coordinates of the text before them): a stage result that touches one is handed to
 * `stages.touched` (re-checked), those after move; findings after them move.
 */
export function moveFindings(moves: readonly Move[], stages: StageResults, findings: readonly ZoneDiagnostic[]): void {
  if (moves.length === 1) return moveOver(moves[0], stages, findings);
  const at = new Moves(moves);
  stages.diags.forEach((list, n) => {
    for (const f of list) {
      if (at.touches(f.start, f.end)) stages.touched(n, f); else { const d = at.shift(f.start, true); f.start += d; f.end += d; }
      for (const r of f.related ?? []) if (at.touches(r.start, r.end)) stages.touched(n, f); else { const d = at.shift(r.start, true); r.start += d; r.end += d; }
    }
  });
  if (!at.shifts) return;
  for (const f of findings) { const d = at.shift(f.start, false); f.start += d; f.end += d; }
}

/** Moves `disable=` ranges over `moves` (as moveFindings); true when one was touched. */
export function moveDisabled(moves: readonly Move[], disabled: readonly DisabledRange[]): boolean {
  const at = new Moves(moves);
  if (!at.shifts) return false;
  let touched = false;
  for (const r of disabled) {
    const k = at.before(r.start, false);
    if (k < moves.length && moves[k].start <= r.end) touched = true;
    const d = at.shift(r.start, false);
    r.start += d;
    r.end += d;
  }
  return touched;
}

/** moveFindings for one edit (a keystroke): the same rules, in plain loops (one finding can have ~100,000 related locations). */
function moveOver(m: Move, stages: StageResults, findings: readonly ZoneDiagnostic[]): void {
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
  if (d === 0) return;
  for (const f of findings) if (f.start >= end) { f.start += d; f.end += d; }
}
