import { Diagnostic } from 'vscode-languageserver/node';
import { Lines, ZoneDiagnostic } from '../core';
import { toDiagnostic } from './convert';
import { capRelated } from './diagnosticCap';

/**
 * The LSP form of one document's published diagnostics, kept from one publication to the next:
 * a document publishes about 1,000 (the cap) twice per version, and most are the same objects
 * as in the previous publication (the syntax diagnostics of a version, the zone-stage results
 * carried or kept over an edit). One is converted again unless it is the same object, at the
 * same offsets (the document moves results in place), with its related locations at the same
 * offsets, and the text before the last of them has not changed since it was converted (so
 * every position it names is the same): an edit converts those after it, not all.
 */
export class ConvertedDiagnostics {
  private kept = new Map<ZoneDiagnostic, { offsets: number[]; out: Diagnostic }>();
  /** The editor text and its stamp at the last conversion (a document opened again is another text). */
  private source?: object;
  private stamp = -1;

  /**
   * `diags` in LSP form (related locations capped) for `uri` in `lines`; `text` is the editor
   * text `lines` reads (its stamp and changedSince tell what may have moved).
   */
  convert(lines: Lines, diags: readonly ZoneDiagnostic[], uri: string, text: { readonly stamp: number; changedSince(stamp: number): number }): Diagnostic[] {
    const unchangedBefore = this.source !== text ? 0 : text.changedSince(this.stamp);
    const kept = new Map<ZoneDiagnostic, { offsets: number[]; out: Diagnostic }>();
    const out: Diagnostic[] = new Array(diags.length);
    for (let i = 0; i < diags.length; i++) {
      const d = diags[i];
      const offsets = offsetsOf(d);
      const old = this.kept.get(d);
      let c: Diagnostic;
      if (old && sameOffsets(old.offsets, offsets) && maxOf(offsets) < unchangedBefore) c = old.out;
      else c = toDiagnostic(lines, capRelated(d), uri);
      out[i] = c;
      kept.set(d, { offsets, out: c });
    }
    this.kept = kept;
    this.source = text;
    this.stamp = text.stamp;
    return out;
  }
}

/** The offsets a diagnostic's LSP form is made from: its span, then those of its related locations (as capRelated keeps them). */
function offsetsOf(d: ZoneDiagnostic): number[] {
  const out = [d.start, d.end, d.related?.length ?? -1];
  const related = capRelated(d).related;
  if (related) for (const r of related) out.push(r.start, r.end);
  return out;
}

function sameOffsets(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function maxOf(xs: readonly number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}
