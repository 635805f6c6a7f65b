/** Where DANE diagnostics point, and how they are made (shared by the DANE check modules). */
import { ZoneRecord } from '../model';
import { CompactRecord, NONE } from '../pipeline/compactRecord';
import { Span, ZoneDiagnostic } from '../types';
import { DaneFixData } from './fixData';

/** Where to report about a record as a whole: its owner (or type) token, or the $INCLUDE line. */
export function ownerAt(r: ZoneRecord): Span {
  return r.includeSpan ?? r.ownerToken ?? r.typeToken ?? r;
}

/** A span inside the record, or the $INCLUDE line for included records. */
export function inRecord(r: ZoneRecord, s: Span | undefined): Span {
  return r.includeSpan ?? s ?? r.typeToken ?? r;
}

export function diag(code: string, severity: ZoneDiagnostic['severity'], at: Span, message: string, data?: DaneFixData): ZoneDiagnostic {
  const d: ZoneDiagnostic = { code, severity, start: at.start, end: at.end, message };
  if (data !== undefined) d.data = data;
  return d;
}

/** The text of a span inside a record's RDATA tokens (the span lies within one token). */
export function rdataText(r: ZoneRecord, s: Span): string | undefined {
  for (const t of r.rdata) if (t.start <= s.start && s.end <= t.end) return t.text.slice(s.start - t.start, s.end - t.start);
  return undefined;
}

/**
 * Gives `d` its related locations when first read (then they are a plain property, moved in
 * place like any other): a finding with very many of them costs nothing where nobody reads them
 * (the CLI prints none). A copy (`{ ...d }`, JSON, structured clone) reads them, so it is equal.
 */
export function lazyRelated(d: ZoneDiagnostic, make: () => NonNullable<ZoneDiagnostic['related']>): void {
  const settle = (value: ZoneDiagnostic['related']) => Object.defineProperty(d, 'related', { value, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(d, 'related', {
    enumerable: true,
    configurable: true,
    get() { const v = make(); settle(v); return v; },
    set(v: ZoneDiagnostic['related']) { settle(v); },
  });
}

/**
 * ownerAt(r)'s start and end, written to `spans` at `at` and `at + 1`: for a compact record from
 * its stored positions, without making the token (tlsa-unsigned-zone takes one per RRset).
 */
export function putOwnerSpan(r: ZoneRecord, spans: Int32Array | Float64Array, at: number): void {
  if (r instanceof CompactRecord && (r as ZoneRecord).includeSpan === undefined) {
    const os = r.ownerStart;
    if (os !== NONE) { spans[at] = os; spans[at + 1] = r.ownerEnd; return; }
    const ys = r.typeStart;
    if (ys !== NONE) { spans[at] = ys; spans[at + 1] = r.typeEnd; return; }
    spans[at] = r.start;
    spans[at + 1] = r.end;
    return;
  }
  const s = ownerAt(r);
  spans[at] = s.start;
  spans[at + 1] = s.end;
}
