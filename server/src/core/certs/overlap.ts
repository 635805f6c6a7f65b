/**
 * tlsa-single-record with linked certificates (issue 14, item 2): an RRset may hold two
 * distinct usable records and still have no real overlap. With a loaded `cert=` link, a record
 * other than the current key's counts as the overlap only when it matches the linked next key
 * (`next=`) or a CA of the linked chain (a `2 x y` on the issuer or above). The zone check
 * (dane/checks.ts) already reports an RRset with one distinct usable record; this one is for
 * two or more.
 */
import { ZoneDiagnostic } from '../types';
import { tlsaUsable } from '../dane/tlsaValues';
import type { LinkedRRset, RecordLinkResult } from './analysis';
import { fieldsOf, short } from './edits';

/** The tlsa-single-record diagnostic of a linked RRset whose other records are no real overlap (undefined: there is one, or nothing to judge). */
export function linkedOverlap(s: LinkedRRset, at: { start: number; end: number }, data: unknown): ZoneDiagnostic | undefined {
  const cur = s.links.findIndex((l) => l.role === 'cert' && l.material !== undefined);
  if (cur < 0) return undefined;
  const next = s.links.findIndex((l) => l.role === 'next' && l.material !== undefined);
  const seen = new Set<string>();
  const usable = s.results.filter((r) => {
    const k = `${fieldsOf(r.fields)} ${r.hex}`;
    if (!tlsaUsable(r.fields, s.smtp) || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (usable.length < 2) return undefined; // one record: the zone check says it
  const depth = (r: RecordLinkResult, i: number) => { const m = r.matches[i]; return m?.matched ? m.depth : undefined; };
  const current = usable.filter((r) => depth(r, cur) === 0);
  if (current.length === 0) return undefined; // tlsa-cert-mismatch says it
  const survives = usable.some((r) => (next >= 0 && depth(r, next) !== undefined) || (r.fields.usage === 2 && (depth(r, cur) ?? 0) > 0));
  if (survives) return undefined;
  const names = current.map((r) => `\`${fieldsOf(r.fields)} ${short(r.hex)}\``).join(' and ');
  const others = usable.length - current.length;
  const nextName = next >= 0 ? ` (\`${s.links[next].written}\`)` : '';
  const d: ZoneDiagnostic = {
    code: 'tlsa-single-record', severity: 'warning', start: at.start, end: at.end,
    message: `${usable.length} distinct usable TLSA records at ${s.owner}, but no overlap for the next change: ${names} ${current.length === 1 ? 'matches' : 'match'} only the current certificate` +
      (others > 0 ? `, and the other${others === 1 ? '' : 's'} match${others === 1 ? 'es' : ''} neither the linked next key${nextName} nor a CA of the linked chain` : '') +
      `; publish the next key's record, or the issuing CA's \`2 1 1\`, beside ${current.length === 1 ? 'it' : 'them'} (RFC 7671 §8.1)`,
  };
  if (data !== undefined) d.data = data;
  return d;
}
