/** What the zone rules' files share (zoneRules.ts, recordRules.ts, zoneShape.ts, targetHash.ts): the target types, the finding helpers, name keys. */
import { ZoneRecord } from '../model';
import { TYPE_MX, TYPE_NS, TYPE_SRV } from '../rrtypes';
import { Span, ZoneDiagnostic } from '../types';
export const TYPE_AFSDB = 18, TYPE_RT = 21, TYPE_KX = 36, TYPE_SVCB = 64, TYPE_HTTPS = 65, TYPE_SPF = 99, TYPE_SIG = 24, TYPE_NXT = 30;

/** Types whose RDATA names a target host: the RDATA token and the wire offset of that name. */
export const TARGET: Record<number, { token: number; wire: number }> = {
  [TYPE_NS]: { token: 0, wire: 0 }, [TYPE_MX]: { token: 1, wire: 2 }, [TYPE_AFSDB]: { token: 1, wire: 2 }, [TYPE_RT]: { token: 1, wire: 2 },
  [TYPE_KX]: { token: 1, wire: 2 }, [TYPE_SRV]: { token: 3, wire: 6 }, [TYPE_SVCB]: { token: 1, wire: 2 }, [TYPE_HTTPS]: { token: 1, wire: 2 },
};
export const TARGET_TYPES = Object.keys(TARGET).map(Number);

export function diag(code: string, severity: ZoneDiagnostic['severity'], at: Span, message: string, data?: unknown): ZoneDiagnostic {
  const d: ZoneDiagnostic = { code, severity, start: at.start, end: at.end, message };
  if (data !== undefined) d.data = data;
  return d;
}

/** Where a finding about a record goes: its type token, or the $INCLUDE line it came from. */
export function recordAt(r: ZoneRecord): Span {
  const s = r.includeSpan ?? r.typeToken ?? r;
  return { start: s.start, end: s.end };
}

/** isAtOrBelow on keys (already lowercase), escapes respected. */
export function keyAtOrBelow(n: string, z: string): boolean {
  if (z === '.') return true;
  return n === z || (n.endsWith(z) && n.charCodeAt(n.length - z.length - 1) === 0x2e && n.charCodeAt(n.length - z.length - 2) !== 0x5c);
}

/** Parent key of a normalized key (escaped dots respected); undefined for the root. */
export function parentKey(key: string): string | undefined {
  if (key === '.') return undefined;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 0x5c) { const n = key.charCodeAt(i + 1); i += n >= 0x30 && n <= 0x39 ? 3 : 1; continue; }
    if (c === 0x2e) return i === key.length - 1 ? '.' : key.slice(i + 1);
  }
  return undefined;
}

