import { Severity, ZoneDiagnostic } from '../core';

/**
 * The cap on what one document publishes (`daneZone.maxDiagnostics`): more than a few thousand
 * squiggles help nobody, and converting and sending 180,000 of them on every keystroke would
 * make a large zone unusable. Above the cap, errors are kept before warnings before
 * information before hints (never an error dropped to show a hint), in their order, and one
 * `too-many-diagnostics` summary at the top of the file says how many of each were left out and
 * which setting shows more. One pass over the list (counting, then filtering).
 */

export const DEFAULT_MAX_DIAGNOSTICS = 1000;
export const MAX_DIAGNOSTICS_SETTING = 'daneZone.maxDiagnostics';

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };
const NAMES: [Severity, string, string][] = [['error', 'error', 'errors'], ['warning', 'warning', 'warnings'], ['information', 'information', 'information'], ['hint', 'hint', 'hints']];

export function capDiagnostics(diags: readonly ZoneDiagnostic[], max: number): ZoneDiagnostic[] {
  if (diags.length <= max) return diags as ZoneDiagnostic[];
  const count = [0, 0, 0, 0];
  for (const d of diags) count[RANK[d.severity] ?? 0]++;
  // The lowest rank that fits entirely, and how many of the next one still fit.
  let room = Math.max(0, max);
  let rank = 0;
  while (rank < 4 && count[rank] <= room) room -= count[rank++];
  const out: ZoneDiagnostic[] = [];
  const dropped = [0, 0, 0, 0];
  for (const d of diags) {
    const r = RANK[d.severity] ?? 0;
    if (r < rank || (r === rank && room-- > 0)) out.push(d);
    else dropped[r]++;
  }
  const total = dropped.reduce((a, b) => a + b, 0);
  const parts = NAMES.map(([, one, many], i) => (dropped[i] ? `${dropped[i]} ${dropped[i] === 1 ? one : many}` : '')).filter(Boolean);
  out.unshift({
    code: 'too-many-diagnostics', severity: 'information', start: 0, end: 0,
    message: `${diags.length} diagnostics in this file, ${out.length} shown: ${total} more not shown (${parts.join(', ')}); raise the \`${MAX_DIAGNOSTICS_SETTING}\` setting (now ${max}) to see them, or run \`dane-zone check\` on the file`,
  });
  return out;
}

/**
 * Related locations published per diagnostic. One finding can name every RRset of the zone
 * (`tlsa-unsigned-zone`: ~100,000 on the benchmark's zone); converting and sending them all on
 * every publication costs more than the rest of it. The first ones are kept, and the last kept
 * one says how many more there are.
 */
export const MAX_RELATED = 100;

/** `d` with at most MAX_RELATED related locations (itself when it has no more). */
export function capRelated(d: ZoneDiagnostic): ZoneDiagnostic {
  const related = d.related;
  if (!related || related.length <= MAX_RELATED) return d;
  const kept = related.slice(0, MAX_RELATED);
  const last = kept[MAX_RELATED - 1];
  kept[MAX_RELATED - 1] = { ...last, message: `${last.message} (and ${related.length - MAX_RELATED} more locations not shown)` };
  return { ...d, related: kept };
}
