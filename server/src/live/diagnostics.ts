/**
 * The live report as diagnostics on the zone file it was checked against (source
 * `dane-live`), for the language server: drift on the TLSA records concerned, a presented
 * certificate that matches no record, a TLSA RRset the world sees as insecure or bogus.
 * Pure: report and parsed zone in, diagnostics out (sorted by position).
 */
import { nameKey, parseName, relativize, Severity, Span, ZoneDiagnostic, ZoneRecord } from '../core';
import { authenticates } from './check';
import { recordLabel } from './match';
import { HostReport, LiveReport, TlsaData } from './types';
import { fileRRset, LiveZone, rrsetData, sameTlsa, tlsaOwner } from './zoneFile';

export const LIVE_SOURCE = 'dane-live';

export interface LiveDiagnostic extends ZoneDiagnostic {
  source: typeof LIVE_SOURCE;
}

/** The live codes, with their default severities (for the LSP's severity settings and code descriptions). */
export const LIVE_CODES: Readonly<Record<string, { severity: Severity; href: string }>> = {
  'live-drift': { severity: 'warning', href: 'https://www.rfc-editor.org/rfc/rfc7671#section-8.1' },
  'live-cert-mismatch': { severity: 'error', href: 'https://www.rfc-editor.org/rfc/rfc7672#section-3.1' },
  'live-file-mismatch': { severity: 'error', href: 'https://www.rfc-editor.org/rfc/rfc7671#section-8.1' },
  'live-tlsa-insecure': { severity: 'warning', href: 'https://www.rfc-editor.org/rfc/rfc7672#section-2.2' },
  'live-tlsa-bogus': { severity: 'error', href: 'https://www.rfc-editor.org/rfc/rfc7672#section-2.2' },
  'live-tlsa-missing': { severity: 'warning', href: 'https://www.rfc-editor.org/rfc/rfc7672#section-2.2' },
};

function where(r: ZoneRecord): Span & { includedFrom?: string } {
  if (r.includeFile && r.includeSpan) return { start: r.includeSpan.start, end: r.includeSpan.end, includedFrom: r.includeFile };
  return { start: r.start, end: r.end };
}

function diag(code: keyof typeof LIVE_CODES, r: ZoneRecord, message: string): LiveDiagnostic {
  return { ...where(r), code, severity: LIVE_CODES[code].severity, message, source: LIVE_SOURCE };
}

/** MX records of the file whose exchange is `host`. */
function mxRecordsFor(zone: LiveZone, host: string): ZoneRecord[] {
  const key = nameKey(host.endsWith('.') ? host : `${host}.`);
  return zone.records.filter((r) => {
    if (r.typeCode !== 15 || r.rdata.length < 2) return false;
    const n = parseName(r.rdata[1].text, r.origin);
    return n.name !== undefined && nameKey(n.name) === key;
  });
}

function short(d: TlsaData): string {
  return `\`${recordLabel(d)}\``;
}

function hostDiagnostics(h: HostReport, report: LiveReport, zone: LiveZone, out: LiveDiagnostic[]): void {
  const owner = tlsaOwner(report.port, h.host);
  const label = relativize(`${h.host}.`, zone.zoneOrigin);
  const ownerLabel = relativize(owner, zone.zoneOrigin);
  const records = rrsetData(fileRRset(zone, owner));
  // Where to speak about the RRset as a whole: its records, or the MX records naming the host.
  const anchors = records.length > 0 ? records.map((x) => x.record) : mxRecordsFor(zone, h.host);
  if (anchors.length === 0) return;

  const d = h.drift;
  if (d && (d.fileOnly.length > 0 || d.publishedOnly.length > 0)) {
    const seen = h.published.length === 0 ? 'no records' : `${h.published.length} record${h.published.length === 1 ? '' : 's'}`;
    for (const x of records) {
      if (d.fileOnly.some((f) => sameTlsa(f, x.data))) {
        out.push(diag('live-drift', x.record, `published TLSA differs from this file: this record is not published (the world sees ${seen} at ${ownerLabel})`));
      }
    }
    if (d.publishedOnly.length > 0) {
      const extra = d.publishedOnly.map(short).join(', ');
      const target = records.length > 0 ? records[0].record : anchors[0];
      out.push(diag('live-drift', target, records.length > 0
        ? `published TLSA differs from this file: the world also sees ${extra} at ${ownerLabel}, which this file does not have`
        : `published TLSA differs from this file: the world sees ${extra} at ${ownerLabel}, and this file has no TLSA records there`));
    }
  }

  if (records.length > 0 && (h.dane === 'insecure' || h.dane === 'bogus')) {
    const msg = h.dane === 'bogus'
      ? `the published TLSA at ${ownerLabel} fails DNSSEC validation (bogus): validating senders defer mail to ${label}`
      : `the published TLSA at ${ownerLabel} is insecure (not DNSSEC-validated): DANE is not in effect for ${label}`;
    for (const x of records) out.push(diag(h.dane === 'bogus' ? 'live-tlsa-bogus' : 'live-tlsa-insecure', x.record, msg));
  } else if (h.dane === 'none' && records.length > 0) {
    for (const x of records) out.push(diag('live-tlsa-missing', x.record, `the world sees no TLSA records at ${ownerLabel}: DANE is not in effect for ${label}`));
  }

  const mismatched = h.addressReports.filter((a) => a.dane === 'mismatch').map((a) => a.address);
  if (mismatched.length > 0) {
    const msg = `${label} (${mismatched.join(', ')}) presents a certificate that matches no record`;
    for (const r of anchors) out.push(diag('live-cert-mismatch', r, msg));
  }

  if (records.length > 0) {
    const fileMisses = h.addressReports.filter((a) => a.chain.length > 0 && !a.records.some((v) => v.source !== 'published' && authenticates(v)));
    if (fileMisses.length > 0 && mismatched.length === 0) {
      const addrs = fileMisses.map((a) => a.address).join(', ');
      for (const x of records) {
        const v = fileMisses[0].records.find((y) => y.source !== 'published' && sameTlsa(y, x.data));
        out.push(diag('live-file-mismatch', x.record, `${label} (${addrs}) presents a certificate that matches none of this file's records${v ? `: this one ${v.reason}` : ''}`));
      }
    }
  }
}

/**
 * Diagnostics on `zone` (the file the check compared against) for what the live check found.
 * Records of other zones are not touched; hosts the file does not mention give nothing.
 */
export function liveDiagnostics(report: LiveReport, zone: LiveZone): LiveDiagnostic[] {
  const out: LiveDiagnostic[] = [];
  for (const h of report.hosts) hostDiagnostics(h, report, zone, out);
  const seen = new Set<string>();
  return out
    .filter((d) => {
      const k = `${d.start}:${d.code}:${d.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.start - b.start);
}
