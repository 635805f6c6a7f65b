import { ParsedZone, ZoneRecord } from '../model';
import { ZoneDiagnostic } from '../types';
import { toHex } from '../bytes';
import { TYPE_SOA } from '../rrtypes';

/**
 * `soa-serial-unchanged`: the zone differs from an earlier version of it (the one committed in
 * git, in the editor) but its SOA serial did not grow. Secondaries transfer a zone only when
 * its serial increases (RFC 1035 §4.3.5, RFC 1982), so the change would never reach them.
 */


function soaOf(zone: ParsedZone): ZoneRecord | undefined {
  return zone.records.find((r) => r.typeCode === TYPE_SOA && !r.includeFile && r.ok);
}

function serialOf(soa: ZoneRecord): number | undefined {
  const t = soa.rdata[2];
  return t && /^\d{1,10}$/.test(t.text) && Number(t.text) <= 0xffffffff ? Number(t.text) : undefined;
}

const hex = (w: Uint8Array | undefined): string => (w ? toHex(w) : '');

/** The zone's content as a sorted list, the SOA serial left out. */
function content(zone: ParsedZone, soa: ZoneRecord): string[] {
  const out: string[] = [];
  for (const r of zone.records) {
    if (!r.owner || r.typeCode === 0) continue;
    // The SOA without its serial (octets 4..8 after the two names, which come first in the wire form).
    const data = r === soa ? `${soa.rdata.filter((_, i) => i !== 2).map((t) => t.text.toLowerCase()).join(' ')}` : hex(r.wire) || r.rdata.map((t) => t.text).join(' ');
    out.push(`${r.ownerKey} ${r.classCode} ${r.typeCode} ${r.ttl} ${data}`);
  }
  return out.sort();
}

/** RFC 1982: true when serial `a` is greater than `b`. */
export function serialGreater(a: number, b: number): boolean {
  return a !== b && ((a > b && a - b < 0x80000000) || (a < b && b - a > 0x80000000));
}

export function checkSerialChange(current: ParsedZone, base: ParsedZone, baseLabel: string): ZoneDiagnostic[] {
  const soa = soaOf(current);
  const baseSoa = soaOf(base);
  if (!soa || !baseSoa) return [];
  const now = serialOf(soa);
  const before = serialOf(baseSoa);
  const tok = soa.rdata[2];
  if (now === undefined || before === undefined || !tok || serialGreater(now, before)) return [];
  const a = content(current, soa);
  const b = content(base, baseSoa);
  if (a.length === b.length && a.every((x, i) => x === b[i])) return [];
  const message = now === before
    ? `the zone differs from ${baseLabel} but its SOA serial is still ${now}: secondaries transfer the zone only when the serial grows; bump it (command "DANE Zone: Bump SOA Serial")`
    : `the SOA serial went back from ${before} (${baseLabel}) to ${now}: secondaries keep the old zone until the serial passes ${before} (RFC 1982); use a serial greater than ${before}`;
  return [{ code: 'soa-serial-unchanged', severity: 'warning', start: tok.start, end: tok.end, message }];
}
