import { ParsedZone } from '../model';
import { TLSA_FIELDS, tlsaValue } from '../dane/tlsaValues';
import { Span } from '../types';
import { firstRecordEndingAtOrAfter, isGenericForm, isTlsaLike, readTlsaField, TLSA_FIELD_AT } from './locate';

/**
 * Inlay hints: after the matching-type field of each TLSA/SMIMEA record, the RFC 7218
 * acronyms of its three fields (`DANE-EE SPKI SHA2-256`; `?` for a value without one).
 * Pure: offsets out. The label has no padding. It goes in the gap between the matching type and
 * the association data, after the blank (`3 1 1 «DANE-EE SPKI SHA2-256» 8cb0…`): a real space
 * before it, the editor's padding (`pad: 'right'`) after it, so it never reads as glued to the
 * digits (an editor's padding alone is a few pixels). With nothing after the matching type on
 * its line, it follows the token with `pad: 'left'`.
 */

export interface ZoneInlayHint {
  /** Where the hint goes: after the blank that follows the matching-type token (or right after the token). */
  offset: number;
  /** Which side the editor should pad (LSP paddingLeft / paddingRight). */
  pad: 'left' | 'right';
  label: string;
  /** Markdown: what each of the three values means. */
  tooltip?: string;
}

/** Hints for records whose hint position lies in `range` (ends included); the whole document without one. */
export function inlayHints(parsed: ParsedZone, text: string, range?: Span): ZoneInlayHint[] {
  const from = range ? Math.max(0, range.start) : 0;
  const to = range ? Math.min(range.end, text.length) : text.length;
  const out: ZoneInlayHint[] = [];
  if (!(from <= to)) return out;
  const records = parsed.records;
  for (let i = firstRecordEndingAtOrAfter(records, from); i < records.length; i++) {
    const r = records[i];
    if (r.includeFile !== undefined) continue;
    if (r.start > to) break;
    if (!isTlsaLike(r.typeCode) || r.rdata.length < 3 || isGenericForm(r)) continue;
    const mt = r.rdata[2];
    if (mt.end > text.length) continue;
    let offset = mt.end;
    while (offset < text.length && (text.charCodeAt(offset) === 32 || text.charCodeAt(offset) === 9)) offset++;
    const inGap = offset > mt.end && offset < text.length && text[offset] !== '\n' && text[offset] !== '\r';
    if (!inGap) offset = mt.end;
    if (offset < from || offset > to) continue;
    const labels: string[] = [];
    const tips: string[] = [];
    TLSA_FIELD_AT.forEach((field, k) => {
      const read = readTlsaField(field, r.rdata[k]);
      const v = read?.ok ? tlsaValue(field, read.value) : undefined;
      labels.push(v ? v.acronym : '?');
      const name = TLSA_FIELDS[field].label;
      if (v) tips.push(`- ${name} **${v.value} ${v.acronym}**: ${v.meaning}`);
      else if (read?.ok) tips.push(`- ${name} **${read.value}**: unassigned, no client can use it`);
      else tips.push(`- ${name} \`${r.rdata[k].text}\`: not a number 0..255`);
    });
    out.push({ offset, pad: inGap ? 'right' : 'left', label: labels.join(' '), tooltip: tips.join('\n') });
  }
  return out;
}
