/**
 * Timed rotation (issue 14 item 5, `tlsa-rotation-too-early`): when the zone is in git, the
 * first commit that holds a TLSA record tells when it was published. The core does not run git:
 * the times come in as data (CertCheckOptions.published, made by lsp/gitHistory.ts from the
 * file's committed versions with tlsaRecordKeys below).
 *
 * A record that is in no commit counts as not published yet: the zone is deployed from what is
 * committed, so a record only in the editor cannot be in any resolver's cache.
 */
import { ParseOptions, ZoneRecord } from '../model';
import { parseZone } from '../parser';
import { describeTtl } from '../ttl';
import { Span, ZoneDiagnostic } from '../types';
import { decodeTlsaWire } from '../dane/tlsaRdata';
import { TYPE_TLSA } from '../rrtypes';
import { toHex } from '../bytes';
import type { LinkedRRset } from './analysis';
import type { RRsetTiming } from './fixData';
import { tlsaUsable } from '../dane/tlsaValues';
import { fieldsOf, short } from './edits';

/** When the TLSA records of a zone file were first committed (in their latest unbroken run up to HEAD). */
export interface GitPublication {
  /** Milliseconds since the epoch (the committer date), by tlsaRecordKey. A record not in it is in no commit. */
  firstCommitted: ReadonlyMap<string, number>;
}

/** The key of a TLSA record across versions of a file: absolute owner (lowercase), fields and data. */
export function tlsaRecordKey(ownerKey: string, f: { usage: number; selector: number; matchingType: number }, hex: string): string {
  return `${ownerKey} ${fieldsOf(f)} ${hex.toLowerCase()}`;
}

/**
 * The keys of the TLSA records of one version of a zone file (its own records: no $INCLUDE is
 * read), parsed as a stream (no record kept). Text without "TLSA" is not parsed.
 */
export function tlsaRecordKeysOf(text: string, options: Pick<ParseOptions, 'origin' | 'defaultTtl' | 'fileName'> = {}): Set<string> {
  const out = new Set<string>();
  if (!/tlsa/i.test(text)) return out;
  parseZone(text, {
    origin: options.origin, defaultTtl: options.defaultTtl, fileName: options.fileName,
    onRecord: (r) => {
      if (r.typeCode !== TYPE_TLSA || !r.ok || r.includeFile !== undefined) return;
      const f = decodeTlsaWire(r.wire);
      if (f) out.add(tlsaRecordKey(r.ownerKey, f, toHex(f.data)));
    },
  });
  return out;
}

/** The SOA refresh (seconds) from an SOA record's wire form: after MNAME, RNAME and the serial. */
export function soaRefresh(soa: ZoneRecord | undefined): number | undefined {
  const w = soa?.ok ? soa.wire : undefined;
  if (!w) return undefined;
  let p = 0;
  for (let names = 0; names < 2; names++) {
    while (p < w.length && w[p] !== 0) p += w[p] + 1;
    p++;
  }
  p += 4; // serial
  if (p + 4 > w.length) return undefined;
  return ((w[p] << 24) >>> 0) + (w[p + 1] << 16) + (w[p + 2] << 8) + w[p + 3];
}

/** `2026-12-02 10:14 UTC` */
export function utcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `12:14 UTC` when on the same UTC day as `from`, else the full date. */
function laterMinute(ms: number, from: number): string {
  const full = utcMinute(ms);
  return full.slice(0, 10) === utcMinute(from).slice(0, 10) ? full.slice(11) : full;
}

/** `published 2026-12-02 10:14 UTC, safe after 12:14 UTC` */
export function publishedSafeAfter(published: number, waitSeconds: number): string {
  return `published ${utcMinute(published)}, safe after ${laterMinute(published + waitSeconds * 1000, published)}`;
}

/** The timing of an RRset (undefined without a TTL: nothing to count from). */
export function rrsetTiming(s: LinkedRRset, pub: GitPublication, refresh: number | undefined): RRsetTiming | undefined {
  if (s.ttl === undefined) return undefined;
  const wait = 2 * s.ttl + (refresh ?? 0);
  const waitText = `two TTLs 2 × ${s.ttl} s${refresh !== undefined ? ` + SOA refresh ${refresh} s` : ''} = ${describeTtl(wait)}`;
  const published: Record<string, number | null> = {};
  for (const r of s.results) published[`${fieldsOf(r.fields)} ${r.hex}`] = pub.firstCommitted.get(tlsaRecordKey(s.ownerKey, r.fields, r.hex)) ?? null;
  return { wait, waitText, published };
}

/** When a record of the RRset was first committed: ms, null (in no commit), undefined (not in the RRset). */
export function publishedAt(t: RRsetTiming, r: { usage: number; selector: number; matchingType: number; hex: string }): number | null | undefined {
  return t.published[`${fieldsOf(r)} ${r.hex.toLowerCase()}`];
}

/**
 * tlsa-rotation-too-early: the loaded `cert=` link matches (as the leaf, or a CA of its chain)
 * only records first committed less than `wait` ago, or not committed at all: resolvers may
 * still hold the RRset without them, so deploying that certificate breaks delivery for now.
 */
export function rotationTooEarly(s: LinkedRRset, t: RRsetTiming, now: Date, at: Span, data: unknown): ZoneDiagnostic | undefined {
  const cur = s.links.findIndex((l) => l.role === 'cert' && l.material !== undefined);
  if (cur < 0) return undefined;
  const matching = s.results.filter((r) => r.matches[cur]?.matched && tlsaUsable(r.fields, s.smtp));
  if (matching.length === 0) return undefined; // tlsa-cert-mismatch says it
  const firstAt = (r: typeof matching[number]) => publishedAt(t, { ...r.fields, hex: r.hex }) ?? null;
  const safeAt = (r: typeof matching[number]) => { const p = firstAt(r); return p === null ? Infinity : p + t.wait * 1000; };
  if (matching.some((r) => safeAt(r) <= now.getTime())) return undefined;
  // The record that becomes safe first.
  const r = matching.reduce((a, b) => (safeAt(b) < safeAt(a) ? b : a));
  const rec = `\`${fieldsOf(r.fields)} ${short(r.hex)}\``;
  const link = s.links[cur];
  const p = firstAt(r);
  const when = p === null
    ? 'which is in no git commit yet (not published): commit and publish it, then wait ' + `${t.waitText} before deploying the certificate`
    : `${publishedSafeAfter(p, t.wait)} (its first git commit + ${t.waitText}): deploy the certificate after that`;
  const d: ZoneDiagnostic = {
    code: 'tlsa-rotation-too-early', severity: 'warning', start: at.start, end: at.end,
    message: `the linked certificate \`${link.written}\` matches only ${rec} at ${s.owner}, ${when} — until then DANE senders that cached the RRset without it cannot deliver (RFC 7671 §8.1)`,
  };
  if (data !== undefined) d.data = data;
  return d;
}

/** The hover line on a linked record with a known timing (from when a switch to it is safe). */
export function timingHover(t: RRsetTiming, r: { usage: number; selector: number; matchingType: number; hex: string }, role: 'cert' | 'next', now: Date): string | undefined {
  const p = publishedAt(t, r);
  if (p === undefined) return undefined;
  const what = role === 'next' ? 'the switch to the next key' : 'deploying this certificate';
  if (p === null) return `**Not committed in git yet**: once it is published, ${what} is safe after ${t.waitText}`;
  const safe = p + t.wait * 1000;
  return `**${publishedSafeAfter(p, t.wait).replace(/^p/, 'P')}** (first git commit with this record + ${t.waitText}): ${what} is ${safe <= now.getTime() ? 'safe now' : 'not safe yet'}`;
}
