/**
 * The record-level checks of one TLSA/SMIMEA RRset (tlsa-high-ttl, tlsa-smtp-pkix,
 * tlsa-ee-cert-selector, tlsa-digest-agility, tlsa-sha512-only): they read the RRset's own
 * records only. The checks that read the zone around an RRset and the zone-level checks are in
 * checks.ts, whose RRsetContext extends RRsetRecords.
 */
import { sameBytes, toHex } from '../bytes';
import { ZoneRecord } from '../model';
import { describeTtl } from '../ttl';
import { ZoneDiagnostic } from '../types';
import { DaneFixData, Replacement } from './fixData';
import { diag, inRecord, rdataText } from './report';
import { TlsaFields, tlsaSpans } from './tlsaRdata';
import { describeTlsaValue, digestName, PKIX_TO_DANE } from './tlsaValues';
import { TlsaRRset } from './view';
import { freshList } from '../pipeline/fresh';

export interface Decoded {
  record: ZoneRecord;
  f: TlsaFields;
}

/** A Decoded made per record of an RRset (a class: no allocation site, pipeline/fresh.ts). */
export class DecodedRecord implements Decoded {
  constructor(public record: ZoneRecord, public f: TlsaFields) {}
}

/** What the record-level checks read of an RRset (checks.ts's RRsetContext adds the zone around it). */
export interface RRsetRecords {
  set: TlsaRRset;
  isTlsa: boolean;
  /** `TLSA` or `SMIMEA`, for messages. */
  type: string;
  /** A TLSA RRset at `_25._tcp`: RFC 7672 applies. */
  smtp: boolean;
  /** The records without errors (a record with one is not counted as published). */
  decoded: Decoded[];
  maxTtl: number;
  /** Senders query this RRset (not an orphan, not at the wrong host): rotation and DNSSEC advice apply. */
  queried: boolean;
  out: ZoneDiagnostic[];
}

/** Records with distinct fields and data (two copies of one record count once), first copy kept. */
export function distinct(ds: Decoded[]): Decoded[] {
  // (a few records, the common RRset, compared pair by pair: no hex key string per record)
  if (ds.length <= 8) {
    const same = (a: TlsaFields, b: TlsaFields) => a.usage === b.usage && a.selector === b.selector && a.matchingType === b.matchingType && sameBytes(a.data, b.data);
    return ds.filter((d, i) => { for (let j = 0; j < i; j++) if (same(ds[j].f, d.f)) return false; return true; });
  }
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.f.usage} ${d.f.selector} ${d.f.matchingType} ${toHex(d.f.data)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** tlsa-high-ttl (RRsets senders query) */
export function highTtl(c: RRsetRecords): void {
  if (!c.queried) return;
  for (const r of c.set.records) {
    if (r.ttl === undefined || r.ttl <= c.maxTtl) continue;
    c.out.push(diag('tlsa-high-ttl', 'information', r.includeSpan ?? r.ttlToken ?? r.typeToken ?? r,
      `${c.type} TTL ${r.ttl} (${describeTtl(r.ttl)}) is above ${c.maxTtl} (${describeTtl(c.maxTtl)}): at each certificate or key change the new record must be published at least two TTLs (${describeTtl(2 * r.ttl)}) before it is used; lower the TTL`));
  }
}

/** tlsa-smtp-pkix and tlsa-ee-cert-selector, record by record. */
export function perRecord(c: RRsetRecords): void {
  for (const { record: r, f } of c.decoded) {
    // (the spans only when there is something to report: the CLI's kept records read their tokens on demand)
    if (!(c.smtp && (f.usage === 0 || f.usage === 1)) && !(c.isTlsa && f.usage === 3 && f.selector === 0)) continue;
    const spans = tlsaSpans(r.rdata);
    if (c.smtp && (f.usage === 0 || f.usage === 1)) {
      const to = PKIX_TO_DANE[f.usage];
      const twin = c.decoded.find((o) => o.f.usage === to && o.f.selector === f.selector && o.f.matchingType === f.matchingType && sameBytes(o.f.data, f.data));
      const at = inRecord(r, spans.usage);
      let data: DaneFixData | undefined;
      const old = !r.includeSpan && spans.usage ? rdataText(r, spans.usage) : undefined;
      if (!twin && old !== undefined && spans.usage) {
        const newText = spans.generic ? (to < 16 ? '0' : '') + to.toString(16) : String(to);
        data = { fix: 'tlsa-pkix-to-dane', from: f.usage, to, replace: [{ start: spans.usage.start, end: spans.usage.end, oldText: old, newText } as Replacement] };
      }
      const advice = twin
        ? `the RRset already has the same record with usage ${describeTlsaValue('usage', to)}: remove this one`
        : `with the same data, usage ${describeTlsaValue('usage', to)} works for SMTP${to === 2 ? ' (the server must then send this CA certificate in its chain)' : ''}`;
      c.out.push(diag('tlsa-smtp-pkix', 'warning', at,
        `usage ${describeTlsaValue('usage', f.usage)} at an SMTP (port 25) owner: mail senders treat PKIX-TA and PKIX-EE records as unusable (RFC 7672 §3.1.3); ${advice}`, data));
    }
    if (c.isTlsa && f.usage === 3 && f.selector === 0) {
      c.out.push(diag('tlsa-ee-cert-selector', 'warning', inRecord(r, spans.selector),
        `\`3 0 ${f.matchingType}\` pins the whole certificate: its data changes at every renewal, even with the same key; prefer \`3 1 1\` (SHA2-256 of the public key), which survives renewals that keep the key`));
    }
  }
}

/** tlsa-digest-agility (for one usage+selector, every key should have the same digests, RFC 7671 §9) and tlsa-sha512-only. */
export function digests(c: RRsetRecords): void {
  // (one matching type throughout, the common RRset: no group has two kinds of digest)
  const ds = c.decoded;
  let mixed = false;
  for (let i = 1; i < ds.length && !mixed; i++) mixed = ds[i].f.matchingType !== ds[0].f.matchingType;
  if (mixed) agility(c);
  if (ds.length > 0 && ds.every((d) => d.f.matchingType === 2)) {
    const d = ds[0];
    c.out.push(diag('tlsa-sha512-only', 'warning', inRecord(d.record, tlsaSpans(d.record.rdata).matchingType),
      `this ${c.type} RRset has only SHA2-512 (matching type 2) records: SHA2-256 is the one digest every client must implement (RFC 7671 §9); add a matching type 1 record for each key`));
  }
}

/** tlsa-digest-agility: the records of one usage and selector with SHA2-256 and SHA2-512 digests in unequal numbers. */
function agility(c: RRsetRecords): void {
  const groups = new Map<number, Decoded[]>();
  for (const d of c.decoded) {
    if (d.f.matchingType !== 1 && d.f.matchingType !== 2) continue;
    const k = d.f.usage * 256 + d.f.selector;
    let g = groups.get(k);
    // (made per RRset: no allocation site, pipeline/fresh.ts)
    if (g === undefined) groups.set(k, (g = freshList<Decoded>()));
    g.push(d);
  }
  for (const g of groups.values()) {
    const n1 = g.filter((d) => d.f.matchingType === 1).length;
    const n2 = g.length - n1;
    if (n1 === 0 || n2 === 0 || n1 === n2) continue;
    const fewer = n1 < n2 ? 1 : 2;
    const more = fewer === 1 ? 2 : 1;
    const { usage, selector } = g[0].f;
    for (const d of g) {
      if (d.f.matchingType !== fewer) continue;
      c.out.push(diag('tlsa-digest-agility', 'warning', inRecord(d.record, tlsaSpans(d.record.rdata).matchingType),
        `for usage ${usage} selector ${selector} this ${c.type} RRset has ${Math.max(n1, n2)} ${digestName(more)} record${Math.max(n1, n2) === 1 ? '' : 's'} but ${Math.min(n1, n2)} ${digestName(fewer)}: ` +
        `clients that support ${digestName(2)} use only those records (RFC 7671 §9), so a key without one fails for them; publish the same digests for every key`));
    }
  }
}
