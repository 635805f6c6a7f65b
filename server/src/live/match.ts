/**
 * Matching TLSA records against the chain an SMTP server presented (dane-rules.md, RFC 7672
 * §3.1): usage 3 (DANE-EE) against the leaf only, no name or date checks; usage 2 (DANE-TA)
 * against a certificate above the leaf (or, for full data `2 0 0` / `2 1 0`, a trust anchor
 * the server does not send that signed the top of the chain), and then the chain from the
 * leaf up to it must verify, the leaf's names must fit the MX host and no certificate on the
 * path may be out of its dates; usages 0 and 1 are not used by SMTP.
 *
 * Certificate parsing, association data, the record-level match and signature checks come
 * from core/certs (parseCertificate, matchingData, matchRecord, signedBy: WebCrypto).
 */
import { CertificateInfo, fromHex, getZoneLanguageService, tlsaUnusable, toHex } from '../core';
import { CertSummary, MatchResult, TlsaData } from './types';

const core = getZoneLanguageService();

export interface PresentedCert {
  der: Uint8Array;
  info?: CertificateInfo;
  error?: string;
}

export function parseChain(ders: readonly Uint8Array[]): PresentedCert[] {
  return ders.map((der) => {
    const info = core.parseCertificate(der);
    return typeof info === 'string' ? { der, error: info } : { der, info };
  });
}

async function sha256Hex(b: Uint8Array): Promise<string> {
  return toHex(await core.matchingData(1, b));
}

export async function summarize(chain: readonly PresentedCert[], now: Date): Promise<CertSummary[]> {
  return Promise.all(chain.map(async (c): Promise<CertSummary> => {
    const sha256 = await sha256Hex(c.der);
    if (!c.info) {
      return { subject: '?', issuer: '?', notBefore: '', notAfter: '', expired: false, notYetValid: false, sha256, spkiSha256: '', error: c.error };
    }
    const i = c.info;
    return {
      subject: i.subject,
      issuer: i.issuer,
      notBefore: i.notBefore.toISOString(),
      notAfter: i.notAfter.toISOString(),
      expired: now.getTime() > i.notAfter.getTime(),
      notYetValid: now.getTime() < i.notBefore.getTime(),
      sha256,
      spkiSha256: await sha256Hex(i.spki),
      sans: i.sans,
      keyAlgorithm: i.keyAlgorithm,
    };
  }));
}

const USAGE = ['PKIX-TA', 'PKIX-EE', 'DANE-TA', 'DANE-EE'];
const WHAT = ['certificate', 'public key'];
const DIGEST = ['full data', 'SHA2-256', 'SHA2-512'];

/** `3 1 1 (DANE-EE, public key, SHA2-256)`-style label. */
export function recordLabel(r: TlsaData): string {
  return `${r.usage} ${r.selector} ${r.matchingType} ${r.data.length > 16 ? r.data.slice(0, 16) + '…' : r.data}`;
}

/** Why a record cannot be used for SMTP, or undefined when it can (RFC 7672 §3.1). */
export function unusableForSmtp(r: Pick<TlsaData, 'usage' | 'selector' | 'matchingType'>): string | undefined {
  const u = tlsaUnusable(r, true);
  if (!u) return undefined;
  if (u.why === 'pkix-for-smtp') return `usage ${r.usage} (${USAGE[r.usage]}) is not used for SMTP: senders treat it as unusable (RFC 7672 §3.1.3)`;
  return `${u.field === 'matchingType' ? 'matching type' : u.field} ${u.value} is not assigned: no sender can use this record`;
}

export interface RecordMatch {
  result: MatchResult;
  depth?: number;
  reason: string;
  taProblems?: string[];
}

export interface MatchContext {
  /** Names the leaf may carry for DANE-TA (the MX host, and the CNAME-expanded TLSA base). */
  names: string[];
  now: Date;
}

async function association(c: PresentedCert, selector: number, mt: number): Promise<string | undefined> {
  const bytes = selector === 0 ? c.der : c.info?.spki;
  if (!bytes) return undefined;
  return toHex(await core.matchingData(mt, bytes));
}

function who(c: PresentedCert | undefined, depth: number): string {
  const s = c?.info?.subject ? ` (${c.info.subject})` : '';
  return depth === 0 ? `the leaf${s}` : `certificate ${depth}${s}`;
}

/** RFC 6125 §6.4: a DNS-ID equal to the name, or a `*.` wildcard standing for its leftmost label. */
export function nameFits(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const n = name.toLowerCase().replace(/\.$/, '');
  if (p === n) return true;
  if (!p.startsWith('*.')) return false;
  const dot = n.indexOf('.');
  return dot > 0 && n.slice(dot + 1) === p.slice(2) && p.slice(2).includes('.');
}

/** RFC 7672 §3.2.2: the leaf must carry one of the reference names (SAN DNS names; the CN only without them). */
function nameProblems(leaf: PresentedCert, names: readonly string[]): string | undefined {
  const info = leaf.info;
  if (!info) return 'the leaf could not be read';
  const dns = info.sans.filter((s) => /^[*a-z0-9_-]/i.test(s) && !s.includes('@') && !s.includes(':') && !/^\d+\.\d+\.\d+\.\d+$/.test(s));
  const ids = dns.length > 0 ? dns : (/CN=([^,]+)/.exec(info.subject)?.[1] ? [/CN=([^,]+)/.exec(info.subject)![1]] : []);
  if (ids.some((id) => names.some((n) => nameFits(id, n)))) return undefined;
  return `the leaf's names (${ids.join(', ') || 'none'}) do not include ${names.join(' or ')}: with DANE-TA the name must match (RFC 7672 §3.2.2)`;
}

function dateProblems(chain: readonly PresentedCert[], upTo: number, now: Date): string[] {
  const out: string[] = [];
  for (let i = 0; i <= upTo && i < chain.length; i++) {
    const info = chain[i].info;
    if (!info) continue;
    if (now.getTime() > info.notAfter.getTime()) out.push(`${who(chain[i], i)} expired on ${info.notAfter.toISOString()}`);
    else if (now.getTime() < info.notBefore.getTime()) out.push(`${who(chain[i], i)} is not valid before ${info.notBefore.toISOString()}`);
  }
  return out;
}

/** Each certificate from the leaf up to `top` must be signed by the next one (signatures that cannot be checked here are let pass). */
async function pathProblems(chain: readonly PresentedCert[], top: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < top && i + 1 < chain.length; i++) {
    const child = chain[i].info;
    const parent = chain[i + 1].info;
    if (!child || !parent || (await core.signedBy(child, parent.spki)) === false) out.push(`${who(chain[i], i)} is not signed by ${who(chain[i + 1], i + 1)}`);
  }
  return out;
}

/** The certificates up to the first one that cannot be read (matching needs parsed certificates). */
function readable(chain: readonly PresentedCert[]): CertificateInfo[] {
  const out: CertificateInfo[] = [];
  for (const c of chain) {
    if (!c.info) break;
    out.push(c.info);
  }
  return out;
}

/**
 * One record against the presented chain (leaf first): core/certs/match.ts decides whether it
 * matches; this adds what SMTP asks on top (usages 0/1 unusable, DANE-TA path, names, dates)
 * and says why in words.
 */
export async function matchRecord(r: TlsaData, chain: readonly PresentedCert[], ctx: MatchContext): Promise<RecordMatch> {
  const why = unusableForSmtp(r);
  if (why) return { result: 'unusable', reason: why };
  if (chain.length === 0) return { result: 'no-match', reason: 'the server presented no certificate' };
  const certs = readable(chain);
  if (certs.length === 0) return { result: 'no-match', reason: `the leaf could not be read: ${chain[0].error}` };
  const what = `${r.matchingType === 0 ? 'the full' : DIGEST[r.matchingType] + ' of the'} ${WHAT[r.selector]}`;
  const m = await core.matchRecord({ usage: r.usage, selector: r.selector, matchingType: r.matchingType, data: fromHex(r.data) ?? new Uint8Array(0) }, certs);
  if (r.usage === 3) {
    if (m.matched) return { result: 'match', depth: 0, reason: `matches ${what} of the leaf (DANE-EE: no name or date checks)` };
    const of = r.matchingType === 0 ? `full ${WHAT[r.selector]}` : `${DIGEST[r.matchingType]} of the ${WHAT[r.selector]}`;
    const got = await association(chain[0], r.selector, r.matchingType);
    const gotText = got === undefined ? 'cannot be computed (the leaf is unreadable)' : r.matchingType === 0 ? 'differs' : `is ${got}`;
    return { result: 'no-match', reason: `does not match the leaf${chain[0].info ? ` (${chain[0].info.subject})` : ''}: the leaf's ${of} ${gotText}` };
  }
  // DANE-TA: a certificate above the leaf, or (full data) an anchor the server does not send.
  if (m.matched) {
    // The highest certificate of the chain that must verify: the matched one, or the one the anchor signed.
    const top = m.fromDns ? (m.certificate ? m.depth - 1 : m.depth) : m.depth;
    const problems = [...(await pathProblems(chain, top)), ...dateProblems(chain, top, ctx.now)];
    const name = nameProblems(chain[0], ctx.names);
    if (name) problems.push(name);
    const matchedWhat = m.fromDns
      ? `names a trust anchor the server does not send, which signed ${who(chain[top], top)}`
      : `matches ${what} of ${who(chain[m.depth], m.depth)}`;
    return {
      result: 'match',
      depth: m.depth,
      reason: `${matchedWhat} (DANE-TA)${problems.length ? `, but ${problems.join('; ')}` : ''}`,
      taProblems: problems,
    };
  }
  if (chain.length === 1) {
    return { result: 'no-match', reason: 'no issuing CA certificate came with the leaf: a DANE-TA record needs the issuing CA in the chain the server sends (RFC 7671 §5.2.2)' };
  }
  return { result: 'no-match', reason: `matches no certificate above the leaf (the server sent ${chain.length - 1}: ${chain.slice(1).map((c) => c.info?.subject ?? '?').join('; ')})` };
}
