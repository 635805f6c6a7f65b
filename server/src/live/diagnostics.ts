/**
 * The live report as diagnostics on the zone file it was checked against (source
 * `dane-live`), for the language server: drift on the TLSA records concerned, a presented
 * certificate that matches no record, a TLSA RRset the world sees as insecure or bogus.
 * Pure: report and parsed zone in, diagnostics out (sorted by position).
 */
import { nameKey, parseName, relativize, Severity, Span, ZoneDiagnostic, ZoneRecord } from '../core';
import { authenticates } from './assess';
import { recordLabel } from './match';
import { HostReport, LiveReport, TlsaData } from './types';
import { canonicalAddress, fileAddresses, fileRRset, LiveZone, rrsetData, sameTlsa, sameTlsaSet, tlsaOwner } from './zoneFile';

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
  'live-address-drift': { severity: 'warning', href: 'https://www.rfc-editor.org/rfc/rfc7672#section-2.2.2' },
  'live-ns-stale': { severity: 'warning', href: 'https://www.rfc-editor.org/rfc/rfc1996' },
  'live-ns-tlsa-differs': { severity: 'warning', href: 'https://www.rfc-editor.org/rfc/rfc1996' },
};

/** `data` of a `live-cert-mismatch` diagnostic: the record that would cover the presented key (the quick fix publishes it). */
export interface PublishKeyData {
  /** Owner as the file writes it (relative to the origin), e.g. `_25._tcp.mx1`. */
  owner: string;
  record: string;
}

function where(r: ZoneRecord): Span & { includedFrom?: string } {
  if (r.includeFile && r.includeSpan) return { start: r.includeSpan.start, end: r.includeSpan.end, includedFrom: r.includeFile };
  return { start: r.start, end: r.end };
}

function diag(code: keyof typeof LIVE_CODES, r: ZoneRecord, message: string, data?: unknown): LiveDiagnostic {
  return { ...where(r), code, severity: LIVE_CODES[code].severity, message, source: LIVE_SOURCE, ...(data !== undefined ? { data } : {}) };
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

  if (h.addressDrift) {
    const inFile = fileAddresses(zone, h.host);
    const { fileOnly, publishedOnly } = h.addressDrift;
    const seen = h.addresses.length ? h.addresses.join(', ') : 'no addresses';
    let said = false;
    for (const x of inFile) {
      if (!fileOnly.includes(canonicalAddress(x.address))) continue;
      out.push(diag('live-address-drift', x.record, `the world does not see this address: ${label} resolves to ${seen}`));
      said = true;
    }
    if (publishedOnly.length > 0 && !said) {
      const target = inFile[0]?.record ?? anchors[0];
      out.push(diag('live-address-drift', target, `the world also sees ${publishedOnly.join(', ')} for ${label}, which this file does not have`));
    }
  }

  if (records.length > 0 && (h.dane === 'insecure' || h.dane === 'bogus')) {
    const why = h.why ? `. Why: ${h.why.message}` : '';
    const msg = h.dane === 'bogus'
      ? `the published TLSA at ${ownerLabel} fails DNSSEC validation (bogus): validating senders defer mail to ${label}${why}`
      : `the published TLSA at ${ownerLabel} is insecure (not DNSSEC-validated): DANE is not in effect for ${label}${why}`;
    for (const x of records) out.push(diag(h.dane === 'bogus' ? 'live-tlsa-bogus' : 'live-tlsa-insecure', x.record, msg));
  } else if (h.dane === 'none' && records.length > 0) {
    for (const x of records) out.push(diag('live-tlsa-missing', x.record, `the world sees no TLSA records at ${ownerLabel}: DANE is not in effect for ${label}`));
  }

  const mismatched = h.addressReports.filter((a) => a.dane === 'mismatch').map((a) => a.address);
  if (mismatched.length > 0) {
    // Which certificate (key family) at which address, and the key it presents: the record that would cover it.
    const keys = new Map<string, string[]>();
    for (const a of h.addressReports.filter((x) => x.dane === 'mismatch')) {
      // Name the key type only when the server has more than one (as the report's finding does).
      const presented = (a.keyTypes ?? []).filter((k) => k.presented);
      const kinds = presented.length > 1 ? presented.filter((k) => k.dane === 'mismatch') : [];
      const chains = kinds.length ? kinds.map((k) => ({ what: `${k.keyType === 'rsa' ? 'RSA' : 'ECDSA'} certificate`, chain: k.chain })) : [{ what: 'certificate', chain: a.chain }];
      for (const c of chains) {
        const k = c.chain[0]?.spkiSha256;
        if (!k) continue;
        const key = `${c.what}\u0000${k}`;
        keys.set(key, [...(keys.get(key) ?? []), a.address]);
      }
    }
    const parts = [...keys.entries()].map(([k, addrs]) => {
      const [what, hash] = k.split('\u0000');
      return { text: `${label} (${addrs.join(', ')}) presents ${what.startsWith('certificate') ? 'a' : 'an'} ${what} that matches no record at ${ownerLabel}; its key is \`3 1 1 ${hash}\``, hash };
    });
    const msg = parts.length ? parts.map((p) => p.text).join('; ') : `${label} (${mismatched.join(', ')}) presents a certificate that matches no record`;
    const data: PublishKeyData[] = parts.map((p) => ({ owner: ownerLabel, record: `3 1 1 ${p.hash}` }));
    for (const r of anchors) out.push(diag('live-cert-mismatch', r, msg, data.length ? data : undefined));
  }

  for (const z of report.zones ?? []) {
    for (const s of z.servers) {
      const t = s.tlsa.find((x) => nameKey(`${x.owner}.`) === nameKey(owner));
      if (!t || s.error !== undefined) continue;
      const stale = z.serial !== undefined && s.serial !== undefined && s.serial < z.serial;
      const differs = !sameTlsaSet(t.records, h.published);
      if (!stale && !differs) continue;
      const their = t.records.length ? t.records.map(short).join(', ') : 'no TLSA records';
      const msg = stale
        ? `name server ${s.ns} (${s.address}) still serves serial ${s.serial} of ${z.zone} (others serve ${z.serial})${differs ? ` with the old TLSA: ${their}` : ''}`
        : `name server ${s.ns} (${s.address}) serves other TLSA records here: ${their}`;
      for (const x of records) out.push(diag(stale ? 'live-ns-stale' : 'live-ns-tlsa-differs', x.record, msg));
    }
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
