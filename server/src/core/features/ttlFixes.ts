/**
 * Quick fixes for `missing-ttl` (a record without a TTL and no `$TTL` before it, RFC 2308 §4),
 * computed from the parse: the parser's diagnostic carries no fix data. They add text only, and
 * no other record's TTL changes:
 *
 * - a record that inherits the previous record's TTL (RFC 1035 §5.1) gets that TTL written on
 *   it, so it keeps the TTL it has today;
 * - a record with no TTL at all (no record before it has one): `$TTL 3600` above the file's first
 *   entry, offered only when no record before the first `$TTL` inherits another TTL (a `$TTL`
 *   would change those); and the TTL 3600 written on the record itself.
 */
import { DaneCodeAction } from '../dane/fixes';
import { ParsedZone, ZoneRecord } from '../model';
import { ZoneDiagnostic } from '../types';
import { firstRecordEndingAtOrAfter } from './locate';

/** The TTL a fix writes where none is known: the one `missing-ttl`'s message proposes. */
export const SUGGESTED_TTL = 3600;

/** The record of the document whose type (or first) token the diagnostic marks, without a TTL of its own. */
function diagnosedRecord(records: readonly ZoneRecord[], d: ZoneDiagnostic): ZoneRecord | undefined {
  for (let i = firstRecordEndingAtOrAfter(records, d.end); i < records.length; i++) {
    const r = records[i];
    if (r.includeFile !== undefined) continue;
    if (r.start > d.start) return undefined;
    if (r.end >= d.end && r.ttlToken === undefined && r.typeToken !== undefined) return r;
  }
  return undefined;
}

/** Where the record's TTL goes: before its class, or its type when it has no class. */
function ttlOffset(r: ZoneRecord): number {
  const type = r.typeToken!.start;
  return r.classToken && r.classToken.start < type ? r.classToken.start : type;
}

/** Would `$TTL 3600` at the top leave every other record's TTL as it is (no record before the first `$TTL` inherits another TTL)? */
function topTtlChangesNothingElse(parsed: Pick<ParsedZone, 'records' | 'directives'>): boolean {
  const firstTtl = parsed.directives.find((x) => x.name === '$TTL')?.start ?? Infinity;
  for (const r of parsed.records) {
    const at = r.includeFile !== undefined ? (r.includeSpan?.start ?? 0) : r.start;
    if (at >= firstTtl) break;
    if (r.ttlToken === undefined && r.ttl !== undefined && r.ttl !== SUGGESTED_TTL) return false;
  }
  return true;
}

/** The start of the line of the file's first record or directive (below a header comment). */
function topOffset(text: string, parsed: Pick<ParsedZone, 'records' | 'directives'>): number {
  const own = parsed.records.find((r) => r.includeFile === undefined);
  const first = Math.min(own?.start ?? text.length, parsed.directives[0]?.start ?? text.length);
  return text.lastIndexOf('\n', first - 1) + 1;
}

/** Quick fixes for a `missing-ttl` diagnostic (empty for any other, or when the text changed since). */
export function missingTtlFixes(text: string, parsed: Pick<ParsedZone, 'records' | 'directives'>, d: ZoneDiagnostic): DaneCodeAction[] {
  if (d.code !== 'missing-ttl' || d.includedFrom !== undefined) return [];
  const r = diagnosedRecord(parsed.records, d);
  if (!r) return [];
  const at = ttlOffset(r);
  if (r.ttl !== undefined) {
    return [{ title: `Write the TTL this record inherits from the previous one (${r.ttl}) on it`, edits: [{ start: at, end: at, newText: `${r.ttl} ` }], isPreferred: true }];
  }
  const out: DaneCodeAction[] = [];
  if (topTtlChangesNothingElse(parsed)) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const top = topOffset(text, parsed);
    out.push({ title: `Add \`$TTL ${SUGGESTED_TTL}\` at the top of the file (the TTL of every record without one)`, edits: [{ start: top, end: top, newText: `$TTL ${SUGGESTED_TTL}${eol}` }], isPreferred: true });
  }
  out.push({ title: `Write a TTL (${SUGGESTED_TTL}) on this record`, edits: [{ start: at, end: at, newText: `${SUGGESTED_TTL} ` }] });
  return out;
}
