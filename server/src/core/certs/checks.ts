/**
 * The certificate stage of the DANE checks (dane-rules.md: `tlsa-cert-mismatch`,
 * `tlsa-stale-record`, `tlsa-cert-unreadable`, `tlsa-ta-not-in-chain`,
 * `tlsa-cert-expiring`, and `tlsa-single-record` of linked RRsets in overlap.ts): each TLSA
 * RRset with linked files (link.ts) is compared with them.
 *
 * Async (hashing is WebCrypto's), pure otherwise: files come through `io.readBytes`, the time
 * is passed in. Each diagnostic carries CertFixData (actions.ts) so code actions need no file
 * access. analyzeCertificates also returns what was linked and matched, for hovers and
 * refactorings; checkCertificates returns the diagnostics only.
 */
import { DaneDirective, ZoneRecord } from '../model';
import { describeTtl } from '../ttl';
import { Span, ZoneDiagnostic, ZoneIO } from '../types';
import { TlsaRRset } from '../dane/view';
import { decodeTlsaWire, TlsaFields, tlsaSpans } from '../dane/tlsaRdata';
import { describeTlsaValue, tlsaUsable } from '../dane/tlsaValues';
import { toHex } from './asn1';
import { recordSpecFor } from './hash';
import { CertLinkOptions, CertLink, describeLink, linkRRsets, RRsetLinks } from './link';
import { DEFAULT_CERT_MAX_BYTES, describeMaterial, KeyMaterial, loadKeyMaterial } from './load';
import { matchMaterial, RecordMatch } from './match';
import type { CertFixData, CertRecordRef, LinkSummary } from './fixData';
import { append } from '../arrays';
import type { CertAnalysis, LinkedRRset, LoadedLink, RecordLinkResult } from './analysis';
import { linkedOverlap } from './overlap';
import { GitPublication, rotationTooEarly, rrsetTiming } from './published';

export const DEFAULT_EXPIRY_DAYS = 30;
const DAY = 86_400_000;

export interface CertCheckOptions extends CertLinkOptions {
  /** tlsa-cert-expiring: a linked certificate that expires within this many days (default 30). */
  expiryDays?: number;
  /** Largest certificate/key file read (default 1 MiB). */
  maxBytes?: number;
  /**
   * Loaded files kept across runs (the language server's). With `io.statFile` the key is path +
   * size + mtime, so a replaced file is read again and only its newest version is kept; without
   * it the key is the path and the caller clears it when the file changes. Default: one run only.
   */
  fileCache?: Map<string, Promise<LoadedFile>>;
  /** When the zone file's TLSA records were first committed in git (published.ts): tlsa-rotation-too-early, hovers, rotation comments. */
  published?: GitPublication;
  /** The zone's SOA refresh (seconds), added to the two TTLs a switch waits. */
  soaRefresh?: number;
}

/** A linked file as read: what it holds, or why it cannot be used. */
export interface LoadedFile {
  material?: KeyMaterial;
  error?: string;
}

/** What checkCertificates needs of the I/O: path resolution and reading bytes. */
export type CertIO = Pick<ZoneIO, 'resolvePath' | 'statFile'> & { readBytes(path: string, maxBytes?: number): Uint8Array };

/** The key of a file in CertCheckOptions.fileCache (`path`, or `path` NUL size NUL mtime). */
export function fileCacheKey(path: string, stat?: { size: number; mtimeMs: number }): string {
  return stat ? `${path}\0${stat.size}\0${stat.mtimeMs}` : path;
}

/** Forgets every version of `path` in a file cache (a file-change event). */
export function forgetCachedFile(cache: Map<string, unknown>, path: string): void {
  for (const k of [...cache.keys()]) if (k === path || k.startsWith(`${path}\0`)) cache.delete(k);
}

export type { CertAnalysis, LinkedRRset, LoadedLink, RecordLinkResult } from './analysis';

// ---------------------------------------------------------------- helpers

function ownerAt(r: ZoneRecord): Span {
  return r.includeSpan ?? r.ownerToken ?? r.typeToken ?? r;
}

function inRecord(r: ZoneRecord, s: Span | undefined): Span {
  return r.includeSpan ?? s ?? r.typeToken ?? r;
}

function short(hex: string): string {
  return hex.length > 20 ? `${hex.slice(0, 8)}…${hex.slice(-6)}` : hex;
}

function fieldsText(f: { usage: number; selector: number; matchingType: number }): string {
  return `${f.usage} ${f.selector} ${f.matchingType}`;
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** `2 × 3600 s = 2 hours` */
export function twoTtls(ttl: number | undefined): string {
  return ttl === undefined ? 'two TTLs' : `2 × ${ttl} s = ${describeTtl(2 * ttl)}`;
}

/** The combinations to precompute for a linked file: 3 1 1 and 2 1 1, and those the RRset's records use. */
function combos(results: readonly { fields: TlsaFields }[]): string[] {
  const out = new Set<string>(['3 1 1', '2 1 1']);
  for (const { fields: f } of results) {
    if (f.usage <= 3 && f.selector <= 1 && f.matchingType <= 2) out.add(fieldsText(f));
  }
  return [...out];
}

async function summarize(link: LoadedLink, m: KeyMaterial, wanted: string[]): Promise<LinkSummary> {
  const leaf = m.certificates[0];
  const ca = m.certificates[1];
  const assoc: Record<string, string> = {};
  for (const c of wanted) {
    const [u, s, mt] = c.split(' ').map(Number);
    const spec = await recordSpecFor(m, u, s, mt);
    if (!('error' in spec)) assoc[c] = spec.hex;
  }
  const s: LinkSummary = { role: link.role, written: link.written, what: describeMaterial(m), assoc };
  if (link.path !== undefined) s.path = link.path;
  if (m.subject !== undefined) s.subject = m.subject;
  if (leaf) {
    s.sans = leaf.sans;
    s.issuer = leaf.issuer;
    s.notAfter = leaf.notAfter.toISOString();
  }
  if (ca) {
    s.caSubject = ca.subject;
    s.caSelfIssued = ca.selfIssued;
  }
  return s;
}

function diag(code: string, severity: ZoneDiagnostic['severity'], at: Span, message: string, data?: CertFixData): ZoneDiagnostic {
  const d: ZoneDiagnostic = { code, severity, start: at.start, end: at.end, message };
  if (data !== undefined) d.data = data;
  return d;
}

// ---------------------------------------------------------------- the stage

class CertChecker {
  readonly out: ZoneDiagnostic[] = [];
  /** This run's files (also those that could not be stat'ed: not kept across runs). */
  private readonly local = new Map<string, Promise<LoadedFile>>();

  constructor(private readonly io: CertIO, private readonly options: CertCheckOptions, private readonly now: Date) {}

  /** The cache for `path` and its key there: the caller's (by path + size + mtime when the IO can stat) or this run's. */
  private slot(path: string): { cache: Map<string, Promise<LoadedFile>>; key: string } {
    const kept = this.options.fileCache;
    if (!kept || this.local.has(path)) return { cache: this.local, key: path };
    if (!this.io.statFile) return { cache: kept, key: path };
    let stat;
    try {
      stat = this.io.statFile(path);
    } catch {
      return { cache: this.local, key: path }; // not there (yet), refused…: read it (and say why) each run
    }
    const key = fileCacheKey(path, stat);
    if (!kept.has(key)) forgetCachedFile(kept, path);
    return { cache: kept, key };
  }

  private load(path: string): Promise<LoadedFile> {
    const { cache, key } = this.slot(path);
    let p = cache.get(key);
    if (!p) {
      p = (async () => {
        let bytes: Uint8Array;
        const max = this.options.maxBytes ?? DEFAULT_CERT_MAX_BYTES;
        try {
          bytes = this.io.readBytes(path, max);
        } catch (e) {
          return { error: e instanceof Error ? e.message : String(e) };
        }
        const r = await loadKeyMaterial(bytes, { maxBytes: max });
        return r.ok ? { material: r.material } : { error: r.error };
      })();
      cache.set(key, p);
    }
    return p;
  }

  async rrset(l: RRsetLinks): Promise<LinkedRRset> {
    const before = this.out.length;
    const linked = await this.check(l);
    // `disable=` in the linking directive silences what is reported on that directive (checks.ts
    // applyDisableDirectives covers the record after it).
    const d = l.directive;
    const off = new Set(d ? d.items.filter((i) => i.key === 'disable').flatMap((i) => i.value.split(',').map((c) => c.trim().toLowerCase())) : []);
    if (d && off.size > 0) {
      const kept = this.out.slice(before).filter((x) => !(off.has(x.code) && x.start >= d.start && x.end <= d.end));
      this.out.length = before;
      append(this.out, kept);
    }
    return linked;
  }

  private async check(l: RRsetLinks): Promise<LinkedRRset> {
    const set: TlsaRRset = l.rrset;
    const first = set.records[0];
    const smtp = l.port === 25 && l.protocol === 'tcp';
    const ttl = set.records.find((r) => r.ttl !== undefined)?.ttl;
    const links: LoadedLink[] = [];
    for (const link of l.links) {
      const loaded: LoadedLink = { ...link };
      if (link.path === undefined) loaded.error = link.resolveError ?? 'no path';
      else {
        const got = await this.load(link.path);
        if (got.material) loaded.material = got.material;
        else loaded.error = got.error;
      }
      links.push(loaded);
    }
    const results: RecordLinkResult[] = [];
    for (const r of set.records) {
      const f = r.ok ? decodeTlsaWire(r.wire) : undefined;
      if (!f) continue;
      const matches: (RecordMatch | undefined)[] = [];
      for (const link of links) matches.push(link.material ? await matchMaterial(f, link.material) : undefined);
      results.push({ record: r, fields: f, hex: toHex(f.data), matches });
    }
    const wanted = combos(results);
    for (const link of links) if (link.material) link.summary = await summarize(link, link.material, wanted);
    const linked: LinkedRRset = { owner: set.owner, ownerKey: set.ownerKey, host: l.host, smtp, ttl, records: set.records, links, results };
    const timing = this.options.published && rrsetTiming(linked, this.options.published, this.options.soaRefresh);
    if (timing) linked.timing = timing;
    if (this.options.soaRefresh !== undefined) linked.soaRefresh = this.options.soaRefresh;

    // Fix data shared by this RRset's diagnostics (none for records in an $INCLUDEd file: their offsets are in that file).
    const own = set.records.every((r) => r.includeFile === undefined);
    const refs: CertRecordRef[] = own ? results.map((x) => ({
      start: x.record.start, end: x.record.end, usage: x.fields.usage, selector: x.fields.selector, matchingType: x.fields.matchingType, hex: x.hex,
    })) : [];
    const summaries = links.flatMap((k) => (k.summary ? [k.summary] : []));
    const data = (kind: CertFixData['kind'], extra: Partial<CertFixData> = {}): CertFixData | undefined => own ? {
      fix: 'tlsa-cert', kind, owner: set.owner, ttl, records: refs, insertAt: set.records[set.records.length - 1].end, links: summaries,
      ...(timing ? { timing } : {}), ...(linked.soaRefresh !== undefined ? { soaRefresh: linked.soaRefresh } : {}), ...extra,
    } : undefined;
    const linkAt = (link: CertLink): Span => (first.includeFile === undefined && link.at) || ownerAt(first);

    // tlsa-cert-unreadable
    for (const link of links) {
      if (!link.error) continue;
      const where = link.path !== undefined ? `${link.path}: ` : '';
      this.out.push(diag('tlsa-cert-unreadable', 'warning', linkAt(link),
        `cannot use ${describeLink(link, l.host)}: ${where}${link.error}; the records of ${set.owner} are not checked against it`,
        data('unreadable', { role: link.role })));
    }

    const usable = (x: RecordLinkResult) => tlsaUsable(x.fields, smtp);
    // tlsa-cert-mismatch: a loaded link that no usable record matches.
    const currentIndex = links.findIndex((k) => k.role === 'cert' && k.material);
    for (const [i, link] of links.entries()) {
      const m = link.material;
      if (!m) continue;
      if (results.some((x) => usable(x) && x.matches[i]?.matched)) continue;
      // A next key alone (no certificate yet) is covered by DANE-TA records of the current chain, if its certificate comes from the same CA.
      if (link.role === 'next' && m.certificates.length === 0 && currentIndex >= 0 &&
        results.some((x) => usable(x) && x.fields.usage === 2 && x.matches[currentIndex]?.matched)) continue;
      this.out.push(diag('tlsa-cert-mismatch', 'error', linkAt(link), this.mismatchMessage(link, m, l.host, set.owner, ttl, results, i, smtp),
        data('mismatch', { role: link.role })));
    }

    const allLoaded = links.every((k) => k.material);
    const anyMatch = results.some((x) => x.matches.some((m) => m?.matched));
    const chains = links.filter((k) => k.material && k.material.certificates.length > 0);
    for (const [k, x] of results.entries()) {
      const f = x.fields;
      if (f.usage > 3 || f.selector > 1 || f.matchingType > 2) continue;
      if (x.matches.some((m) => m?.matched)) continue;
      const r = x.record;
      const spans = tlsaSpans(r.rdata);
      const at = inRecord(r, spans.data);
      const rec = `\`${fieldsText(f)} ${short(x.hex)}\``;
      if (f.usage === 2 || f.usage === 0) {
        // tlsa-ta-not-in-chain
        if (chains.length === 0) continue;
        const onlyLeaf = chains.every((c) => c.material!.certificates.length === 1);
        const leafToo = chains.some((c) => x.hex === c.summary?.assoc[`3 ${f.selector} ${f.matchingType}`]);
        const files = chains.map((c) => `\`${c.written}\``).join(' and ');
        const why = leafToo
          ? `its data is that of the leaf certificate itself: a DANE-TA record must match a CA certificate of the chain; for the leaf use usage 3 (\`3 ${f.selector} ${f.matchingType}\`)`
          : onlyLeaf
            ? `${files} ${chains.length === 1 ? 'holds' : 'hold'} only the leaf certificate: link the full chain the server sends (leaf first, e.g. fullchain.pem) — the server must send the trust anchor's certificate (RFC 7671 §5.2.2)`
            : `no CA certificate in ${files} has this ${f.selector === 0 ? 'certificate' : 'public key'} digest: the server does not send this trust anchor, so DANE senders cannot match the record (RFC 7671 §5.2.2); publish the \`2 ${f.selector} ${f.matchingType}\` record of the issuing CA in the chain`;
        this.out.push(diag('tlsa-ta-not-in-chain', 'warning', at, `DANE-TA record ${rec} at ${set.owner}: ${why}`, data('ta-not-in-chain', { record: k })));
        continue;
      }
      // tlsa-stale-record: an EE record that matches neither the current nor the next file.
      if (!allLoaded || !anyMatch) continue;
      const hasNext = links.some((l2) => l2.role === 'next');
      const names = links.map((l2) => `\`${l2.written}\``).join(hasNext ? ' nor ' : ' and ');
      const advice = hasNext
        ? 'remove it once the current certificate is live everywhere'
        : 'if it is the next key\'s record, link that key with `next=PATH`; otherwise remove it once the current certificate is live everywhere';
      this.out.push(diag('tlsa-stale-record', 'information', at,
        `${rec} matches neither ${names}${links.length === 1 ? ' (the linked certificate)' : ''}: it is stale; ${advice} (RFC 7671 §8.1)`,
        data('stale', { record: k })));
    }

    // tlsa-single-record: two or more distinct records, but none for after the next change (overlap.ts).
    const overlap = linkedOverlap(linked, ownerAt(first), data('overlap'));
    if (overlap) this.out.push(overlap);
    // tlsa-rotation-too-early: the current certificate matches only records too recently committed (published.ts).
    const cur = links.find((k) => k.role === 'cert' && k.material);
    const early = timing && cur && rotationTooEarly(linked, timing, this.now, linkAt(cur), undefined); // no quick fix: only time helps
    if (early) this.out.push(early);

    // tlsa-cert-expiring: the leaf, and any certificate a record matched, of each linked file.
    const window = (this.options.expiryDays ?? DEFAULT_EXPIRY_DAYS) * DAY;
    const seen = new Set<unknown>();
    for (const [i, link] of links.entries()) {
      const m = link.material;
      if (!m || m.certificates.length === 0) continue;
      const certs = [m.certificates[0], ...results.flatMap((x) => {
        const mm = x.matches[i];
        return mm?.matched && mm.certificate && mm.depth > 0 ? [mm.certificate] : [];
      })];
      for (const c of certs) {
        if (seen.has(c.der)) continue;
        seen.add(c.der);
        const left = c.notAfter.getTime() - this.now.getTime();
        if (left > window) continue;
        const daysLeft = Math.floor(left / DAY);
        const when = left < 0 ? `expired on ${day(c.notAfter)}` : `expires on ${day(c.notAfter)} (${daysLeft === 0 ? 'today' : `in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`})`;
        const which = c === m.certificates[0] ? (link.role === 'next' ? 'the next certificate' : 'the certificate') : 'the CA certificate';
        const keepsKey = results.some((x) => usable(x) && x.fields.usage === 3 && x.fields.selector === 1 && x.matches[i]?.matched);
        const advice = c !== m.certificates[0]
          ? 'records that pin it (usage 2) stop matching once the server sends its successor: publish the new CA\'s record first'
          : keepsKey
            ? `renew it: a renewal that keeps the key needs no DNS change with \`3 1 …\` records; with a new key, publish its record ${twoTtls(ttl)} before deploying it`
            : `renew it, and publish the new certificate's records ${twoTtls(ttl)} before deploying it`;
        this.out.push(diag('tlsa-cert-expiring', 'information', linkAt(link),
          `${which} ${c.subject || '(empty subject)'} in \`${link.written}\` ${when}: ${advice}`, data('expiring', { role: link.role })));
      }
    }
    return linked;
  }

  private mismatchMessage(link: LoadedLink, m: KeyMaterial, host: string, owner: string, ttl: number | undefined,
    results: RecordLinkResult[], i: number, smtp: boolean): string {
    const s = link.summary!;
    const ee = results.find((x) => x.fields.usage === 3 && x.fields.selector <= 1 && x.fields.matchingType <= 2 && s.assoc[fieldsText(x.fields)] !== undefined);
    const key = ee ? fieldsText(ee.fields) : '3 1 1';
    const mine = s.assoc[key] !== undefined ? `its \`${key}\` data is ${short(s.assoc[key])}` : '';
    const listed = results.slice(0, 4).map((x) => `\`${fieldsText(x.fields)} ${short(x.hex)}\``);
    if (results.length > 4) listed.push(`${results.length - 4} more`);
    const holds = results.length === 0 ? 'the RRset has no valid record' : `the records hold ${listed.join(', ')}`;
    const pkix = smtp ? results.find((x) => x.fields.usage < 2 && x.matches[i]?.matched) : undefined;
    const pkixNote = pkix ? ` (\`${fieldsText(pkix.fields)}\` matches it, but SMTP senders ignore PKIX-TA/PKIX-EE records)` : '';
    const file = `${describeLink(link, host)} (${describeMaterial(m)}${m.certificates[0] ? `, expires ${day(m.certificates[0].notAfter)}` : ''})`;
    const who = smtp ? 'DANE senders cannot deliver mail to this host' : 'DANE clients cannot connect';
    const tail = link.role === 'cert'
      ? `${who} while it is in use: update the record from it, or publish its record beside the old one (RFC 7671 §8.1)`
      : `publish its record ${twoTtls(ttl)} before deploying it, or ${who} after the switch (RFC 7671 §8.1)`;
    return `${file} matches none of the records of ${owner}: ${mine ? `${mine}, ` : ''}${holds}${pkixNote}; ${tail}`;
  }
}

/** Certificate diagnostics and what each linked RRset matched. Never throws. */
export async function analyzeCertificates(
  view: { tlsa: readonly ZoneRecord[]; daneDirectives: readonly DaneDirective[] },
  options: CertCheckOptions,
  io: CertIO,
  now: Date,
): Promise<CertAnalysis> {
  const checker = new CertChecker(io, options, now);
  const rrsets: LinkedRRset[] = [];
  let groups: RRsetLinks[];
  try {
    groups = linkRRsets(view, options, io);
  } catch {
    return { diagnostics: [], rrsets: [] };
  }
  for (const g of groups) {
    try {
      rrsets.push(await checker.rrset(g));
    } catch (e) {
      // One RRset's failure (a bug) must not hide the others: say so on the RRset.
      const first = g.rrset.records[0];
      checker.out.push(diag('tlsa-cert-unreadable', 'warning', ownerAt(first),
        `the linked certificates of ${g.rrset.owner} could not be checked (internal error: ${e instanceof Error ? e.message : String(e)})`));
    }
  }
  return { diagnostics: checker.out.sort((a, b) => a.start - b.start), rrsets };
}

/**
 * The certificate diagnostics of a zone (stage 3): `tlsa-cert-mismatch`, `tlsa-stale-record`,
 * `tlsa-cert-unreadable`, `tlsa-ta-not-in-chain`, `tlsa-cert-expiring`, sorted by position.
 * Severities are the rules' defaults; the caller applies overrides and `disable=` comments.
 */
export async function checkCertificates(
  view: { tlsa: readonly ZoneRecord[]; daneDirectives: readonly DaneDirective[] },
  options: CertCheckOptions,
  io: CertIO,
  now: Date,
): Promise<ZoneDiagnostic[]> {
  return (await analyzeCertificates(view, options, io, now)).diagnostics;
}
