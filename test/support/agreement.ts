/** Compares the incremental document with a fresh analysis of its text (the fuzz target and the Replace All tests). */
import { ZoneDocument } from '../../server/src/core/document';
import { analyzeZone, AnalysisOptions } from '../../server/src/core/analysis';
import { Token, ZoneDiagnostic } from '../../server/src/core/types';
import { lookupDisagreement } from './lookups';

export const diagKey = (d: ZoneDiagnostic) => `${d.start}-${d.end} ${d.code} ${d.severity} ${d.message}`;

/** '' when the document agrees with a fresh analysis (diagnostics, records with every token, lookups), else what differs. */
export function disagreement(doc: ZoneDocument, options: AnalysisOptions): string {
  const fresh = analyzeZone(doc.text, options);
  const a = doc.diagnostics().map(diagKey).sort();
  const b = fresh.diagnostics.map(diagKey).sort();
  const sb = new Set(b);
  const sa = new Set(a);
  const onlyDoc = a.filter((x) => !sb.has(x));
  const onlyFresh = b.filter((x) => !sa.has(x));
  if (onlyDoc.length || onlyFresh.length) return `incremental only: ${JSON.stringify(onlyDoc)}\nfresh only: ${JSON.stringify(onlyFresh)}`;
  // Every token with its range (the document's compact records make theirs from their chunk's
  // text and start, after edits that moved the chunk).
  const tok = (t: Token | undefined) => (t ? `${t.start}-${t.end}${t.quoted ? 'q' : ''}:${t.text}` : '-');
  const recs = (rs: typeof fresh.parsed.records) => rs.map((r) => `${r.start}-${r.end} ${r.owner} ${r.typeCode} ${r.ttl} ${r.ok} ${[r.ownerToken, r.ttlToken, r.classToken, r.typeToken].map(tok).join(' ')} [${r.rdata.map(tok).join(' ')}]`);
  const ra = recs(doc.parsed.records);
  const rb = recs(fresh.parsed.records);
  if (ra.length !== rb.length) return `records: ${ra.length} incremental, ${rb.length} fresh`;
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return `record ${i}: ${ra[i]} ≠ ${rb[i]}`;
  return lookupDisagreement(doc.parsed);
}
