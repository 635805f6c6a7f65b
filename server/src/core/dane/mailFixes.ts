/**
 * Quick fixes of the mail checks (mail.ts) that need the records as parsed now: add the
 * intermediates of a CA family that an RRset lacks (tlsa-ca-partial-family), or, when the
 * RRset is linked to the server's certificate, replace its `2 x y` records by the `3 1 1` of
 * the server's key. The edits come from the certificate layer's record builders, so the new
 * lines copy the RRset's layout.
 */
import { insertRecordsEdit, removeRecordEdits } from '../certs/actions';
import type { CertAnalysis } from '../certs/checks';
import { toHex } from '../bytes';
import { ZoneRecord } from '../model';
import { nameKey } from '../names';
import { ZoneDiagnostic } from '../types';
import { DaneCodeAction } from './fixes';
import { TextEdit } from '../edits';
import type { CaFamilyFixData } from './mail';
import { decodeTlsaWire } from './tlsaRdata';
import { TYPE_TLSA } from '../rrtypes';

function isFamilyData(x: unknown): x is CaFamilyFixData {
  const d = x as Partial<CaFamilyFixData> | undefined;
  return !!d && typeof d === 'object' && d.fix === 'tlsa-ca-family' && typeof d.owner === 'string' &&
    Array.isArray(d.records) && Array.isArray(d.add) && typeof d.missing === 'string';
}

function overlapping(edits: readonly TextEdit[]): boolean {
  const s = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < s.length; i++) if (s[i].start < s[i - 1].end || (s[i].start === s[i - 1].start && s[i].end === s[i - 1].end)) return true;
  return false;
}


/** Quick fixes for a diagnostic of mail.ts that carries record data (empty when the text changed since). */
export function mailQuickFixes(text: string, records: readonly ZoneRecord[], diagnostic: ZoneDiagnostic, certs?: CertAnalysis): DaneCodeAction[] {
  const data = diagnostic.data;
  if (!isFamilyData(data) || diagnostic.includedFrom !== undefined) return [];
  const key = nameKey(data.owner);
  // The RRset as it was: every record still there, at the same place, same owner and type.
  const set: ZoneRecord[] = [];
  for (const span of data.records) {
    const r = records.find((x) => x.start === span.start && x.end === span.end && x.includeFile === undefined);
    if (!r || r.typeCode !== TYPE_TLSA || r.ownerKey !== key) return [];
    set.push(r);
  }
  if (set.length === 0) return [];
  const out: DaneCodeAction[] = [];
  const last = set[set.length - 1];
  const have = new Set(set.map((r) => decodeTlsaWire(r.wire)).filter((f) => f !== undefined).map((f) => `${f!.usage} ${f!.selector} ${f!.matchingType} ${toHex(f!.data)}`));
  const add = data.add.filter((a) => !have.has(`${a.usage} ${a.selector} ${a.matchingType} ${a.hex}`));
  if (add.length > 0) {
    const edit = insertRecordsEdit(text, { owner: data.owner, after: last, records: add.map(({ usage, selector, matchingType, hex }) => ({ usage, selector, matchingType, hex })) });
    out.push({ title: `Add ${add.map((a) => `\`2 ${a.selector} ${a.matchingType}\` ${a.name}`).join(', ')}: pin every intermediate the CA issues from`, edits: [edit], isPreferred: true });
  }
  // With the server's certificate linked: its key's 3 1 1 instead of the CA records.
  const linked = certs?.rrsets.find((s) => s.ownerKey === key);
  const cur = linked?.links.find((l) => l.role === 'cert')?.summary;
  const ee = cur?.assoc['3 1 1'];
  if (cur && ee) {
    const ca = set.filter((r) => decodeTlsaWire(r.wire)?.usage === 2);
    const keep = set.filter((r) => !ca.includes(r));
    const edits: TextEdit[] = [];
    for (const r of ca) {
      const e = removeRecordEdits(text, records, r);
      if (!e) return out;
      edits.push(...e);
    }
    if (!have.has(`3 1 1 ${ee}`)) {
      const after = keep.length > 0 ? keep[keep.length - 1] : undefined;
      if (after) edits.push(insertRecordsEdit(text, { owner: data.owner, after, records: [{ usage: 3, selector: 1, matchingType: 1, hex: ee }] }));
      else {
        // Every record goes: the first CA record becomes the 3 1 1 in place (its owner, TTL and layout stay).
        const first = ca[0];
        const toks = first.rdata;
        if (toks.length < 4) return out;
        edits.splice(0, edits.length);
        edits.push({ start: toks[0].start, end: toks[toks.length - 1].end, newText: `3 1 1 ${ee}` });
        for (const r of ca.slice(1)) {
          const e = removeRecordEdits(text, records, r);
          if (!e) return out;
          edits.push(...e);
        }
      }
    }
    if (!overlapping(edits)) out.push({ title: `Replace the CA records by \`3 1 1\` of the server's key (${cur.written}): it survives any CA change`, edits });
  }
  return out;
}
