/**
 * The pipeline's one finalize step (pipeline/stages.ts): drop what `; dane-zone disable=CODE`
 * comments silence, then apply the per-code severity overrides of the settings (`off` drops).
 * Every front end finalizes through here.
 */
import { DaneDirective } from '../model';
import { readEntry } from '../lexer';
import { effectiveSeverity, SeverityOverrides } from '../rules';
import { Span, ZoneDiagnostic } from '../types';

/** `disable=` ranges (sorted), then the severity overrides. */
export function finalize(diagnostics: ZoneDiagnostic[], disabled: readonly DisabledRange[], severity: SeverityOverrides | undefined): ZoneDiagnostic[] {
  return applySeverities(filterDisabled(diagnostics, disabled), severity);
}

export function applySeverities(diags: ZoneDiagnostic[], overrides: SeverityOverrides | undefined): ZoneDiagnostic[] {
  if (!overrides) return diags;
  const out: ZoneDiagnostic[] = [];
  for (const d of diags) {
    const s = effectiveSeverity(d.code, overrides, d.severity);
    if (s) out.push(s === d.severity ? d : { ...d, severity: s });
  }
  return out;
}

// ---------------------------------------------------------------- `; dane-zone disable=CODE[,CODE]`

export interface DisabledRange extends Span {
  codes: ReadonlySet<string>;
}

/**
 * The records silenced by `; dane-zone disable=CODE[,CODE]` comments: a comment on a line of its
 * own applies to the next entry (blank and comment lines skipped) when that entry is a record or
 * a $GENERATE; a comment after a record on the same line applies to that line. Found with the
 * lexer alone, so it needs only the text and the directives.
 */
export function disabledRanges(text: string, daneDirectives: readonly DaneDirective[]): DisabledRange[] {
  const out: DisabledRange[] = [];
  const sink = { diagnostics: [] as ZoneDiagnostic[] };
  for (const d of daneDirectives) {
    const codes = new Set<string>();
    for (const it of d.items) {
      if (it.key !== 'disable') continue;
      for (const c of it.value.split(',')) if (c.trim()) codes.add(c.trim().toLowerCase());
    }
    if (codes.size === 0 || d.end > text.length) continue;
    // A trailing comment (`www A 192.0.2.1 ; dane-zone disable=…`) silences its own line.
    const lineStart = text.lastIndexOf('\n', d.start - 1) + 1;
    if (text.slice(lineStart, d.start).trim() !== '') {
      out.push({ start: lineStart, end: d.end, codes });
      continue;
    }
    let pos = text.indexOf('\n', d.end);
    if (pos < 0) continue;
    pos++;
    for (let guard = 0; pos < text.length && guard < 10_000; guard++) {
      sink.diagnostics.length = 0;
      const { entry, next } = readEntry(text, pos, sink);
      if (entry.tokens.length === 0) { pos = next; continue; }
      const t0 = entry.tokens[0];
      const directive = !entry.blankOwner && !t0.quoted && t0.text.startsWith('$');
      if (!directive || t0.text.toUpperCase() === '$GENERATE') out.push({ start: entry.start, end: entry.end, codes });
      break;
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Drops the diagnostics silenced by a `disable=` comment (those of a listed code whose span lies within the record). */
export function applyDisableDirectives(text: string, diagnostics: ZoneDiagnostic[], daneDirectives: readonly DaneDirective[]): ZoneDiagnostic[] {
  if (!daneDirectives.some((d) => d.items.some((i) => i.key === 'disable'))) return diagnostics;
  return filterDisabled(diagnostics, disabledRanges(text, daneDirectives));
}

/** The filter half of applyDisableDirectives, for callers that keep the ranges (sorted by start). */
export function filterDisabled(diagnostics: ZoneDiagnostic[], ranges: readonly DisabledRange[]): ZoneDiagnostic[] {
  if (ranges.length === 0) return diagnostics;
  // maxEnd[i]: the largest end among ranges[0..i], so the backward scan stops as soon as nothing can contain d.
  const maxEnd: number[] = [];
  for (let i = 0; i < ranges.length; i++) maxEnd.push(Math.max(ranges[i].end, i > 0 ? maxEnd[i - 1] : -1));
  return diagnostics.filter((d) => {
    if (d.includedFrom) return true;
    let lo = 0;
    let hi = ranges.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid].start <= d.start) { k = mid; lo = mid + 1; } else hi = mid - 1;
    }
    for (let i = k; i >= 0 && maxEnd[i] >= d.end; i--) {
      const r = ranges[i];
      if (d.end <= r.end && r.codes.has(d.code)) return false;
    }
    return true;
  });
}
