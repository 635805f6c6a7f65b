/** Checks the open document's lookups (`ParsedZone.lookup`) against a scan of the parse's records. */
import { mxTargetOf, recordsOwnedBy } from '../../server/src/core/features/locate';
import { nameKey } from '../../server/src/core/names';
import { ParsedZone } from '../../server/src/core/model';

const show = (rs: readonly { start: number; owner: string; typeCode: number }[] | undefined) => JSON.stringify(rs?.map((r) => `${r.start} ${r.owner} ${r.typeCode}`));
const showMx = (t: ReturnType<typeof mxTargetOf>) => JSON.stringify(t && { host: t.host, mx: t.mx.map((m) => `${m.record.start} ${m.preference}`) });

/** '' when the parse's lookups answer what scanning its records answers, for every owner and MX target; else what differs. */
export function lookupDisagreement(parsed: ParsedZone): string {
  if (!parsed.lookup) return 'no lookup on the document\'s parse';
  const scan: ParsedZone = { ...parsed, lookup: undefined };
  const names = new Set<string>();
  for (const r of parsed.records) {
    if (r.owner) names.add(r.owner);
    for (const t of r.rdata) if (!t.quoted && /^[a-z0-9.@_-]+$/i.test(t.text)) names.add(t.text === '@' ? r.origin ?? '.' : t.text.endsWith('.') ? t.text : `${t.text}.${r.origin ?? ''}`);
  }
  for (const name of names) {
    const a = show(recordsOwnedBy(parsed, name));
    const b = show(recordsOwnedBy(scan, name));
    if (a !== b) return `records at ${name}: lookup ${a}, scan ${b}`;
    const key = nameKey(name);
    const x = showMx(mxTargetOf(parsed, key));
    const y = showMx(mxTargetOf(scan, key));
    if (x !== y) return `MX target ${name}: lookup ${x}, scan ${y}`;
  }
  return '';
}

