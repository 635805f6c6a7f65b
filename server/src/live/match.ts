/**
 * Matching TLSA records against the chain an SMTP server presented (dane-rules.md, RFC 7672
 * §3.1): usage 3 (DANE-EE) against the leaf only, no name or date checks; usage 2 (DANE-TA)
 * against a certificate above the leaf (or, for full data `2 0 0` / `2 1 0`, a trust anchor
 * the server does not send that signed the top of the chain), and then the chain from the
 * leaf up to it must verify, the leaf's names must fit the MX host and no certificate on the
 * path may be out of its dates; usages 0 and 1 are not used by SMTP.
 *
 * Certificate parsing and association data come from core/certs (parseCertificate,
 * matchingData); signature checks use node:crypto, which the Node-only live check may.
 */
import * as crypto from 'node:crypto';
import { toHex } from '../core/certs/asn1';
import { matchingData } from '../core/certs/hash';
import { CertificateInfo, parseCertificate } from '../core/certs/load';
import { CertSummary, MatchResult, TlsaData } from './types';

export interface PresentedCert {
  der: Uint8Array;
  info?: CertificateInfo;
  error?: string;
}

export function parseChain(ders: readonly Uint8Array[]): PresentedCert[] {
  return ders.map((der) => {
    const info = parseCertificate(der);
    return typeof info === 'string' ? { der, error: info } : { der, info };
  });
}

async function sha256Hex(b: Uint8Array): Promise<string> {
  return toHex(await matchingData(1, b));
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
  if (r.usage === 0 || r.usage === 1) return `usage ${r.usage} (${USAGE[r.usage]}) is not used for SMTP: senders treat it as unusable (RFC 7672 §3.1.3)`;
  if (r.usage !== 2 && r.usage !== 3) return `usage ${r.usage} is not assigned: no sender can use this record`;
  if (r.selector !== 0 && r.selector !== 1) return `selector ${r.selector} is not assigned: no sender can use this record`;
  if (r.matchingType > 2) return `matching type ${r.matchingType} is not assigned: no sender can use this record`;
  return undefined;
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

function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(2 * i, 2), 16);
  return out;
}

async function association(c: PresentedCert, selector: number, mt: number): Promise<string | undefined> {
  const bytes = selector === 0 ? c.der : c.info?.spki;
  if (!bytes) return undefined;
  return toHex(await matchingData(mt, bytes));
}

function who(c: PresentedCert, depth: number): string {
  const s = c.info?.subject ? ` (${c.info.subject})` : '';
  return depth === 0 ? `the leaf${s}` : `certificate ${depth}${s}`;
}

/** True when `child` is signed by `issuerKey`. */
function signedBy(child: Uint8Array, issuerKey: crypto.KeyObject): boolean {
  try {
    return new crypto.X509Certificate(Buffer.from(child)).verify(issuerKey);
  } catch {
    return false;
  }
}

function keyOf(c: PresentedCert): crypto.KeyObject | undefined {
  try {
    return crypto.createPublicKey({ key: Buffer.from(c.info?.spki ?? c.der), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
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

/** Checks that each certificate from the leaf up to `depth` is signed by the next one (and the last by `anchor`, when given). */
function pathProblems(chain: readonly PresentedCert[], depth: number, anchor?: crypto.KeyObject): string[] {
  const out: string[] = [];
  for (let i = 0; i < depth && i + 1 < chain.length; i++) {
    const key = keyOf(chain[i + 1]);
    if (!key || !signedBy(chain[i].der, key)) out.push(`${who(chain[i], i)} is not signed by ${who(chain[i + 1], i + 1)}`);
  }
  if (anchor) {
    const top = chain[Math.min(depth, chain.length) - 1];
    if (top && !signedBy(top.der, anchor)) out.push(`${who(top, chain.indexOf(top))} is not signed by the trust anchor`);
  }
  return out;
}

/** One record against the presented chain (leaf first). */
export async function matchRecord(r: TlsaData, chain: readonly PresentedCert[], ctx: MatchContext): Promise<RecordMatch> {
  const why = unusableForSmtp(r);
  if (why) return { result: 'unusable', reason: why };
  if (chain.length === 0) return { result: 'no-match', reason: 'the server presented no certificate' };
  const what = `${r.matchingType === 0 ? 'the full' : DIGEST[r.matchingType] + ' of the'} ${WHAT[r.selector]}`;
  const want = r.data.toLowerCase();
  if (r.usage === 3) {
    const got = await association(chain[0], r.selector, r.matchingType);
    if (got === want) return { result: 'match', depth: 0, reason: `matches ${what} of the leaf (DANE-EE: no name or date checks)` };
    const of = r.matchingType === 0 ? `full ${WHAT[r.selector]}` : `${DIGEST[r.matchingType]} of the ${WHAT[r.selector]}`;
    const gotText = got === undefined ? 'cannot be computed (the leaf is unreadable)' : r.matchingType === 0 ? 'differs' : `is ${got}`;
    return { result: 'no-match', reason: `does not match the leaf${chain[0].info ? ` (${chain[0].info.subject})` : ''}: the leaf's ${of} ${gotText}` };
  }
  // DANE-TA: a certificate above the leaf.
  for (let d = 1; d < chain.length; d++) {
    const got = await association(chain[d], r.selector, r.matchingType);
    if (got !== want) continue;
    const problems = [...pathProblems(chain, d), ...dateProblems(chain, d, ctx.now)];
    const name = nameProblems(chain[0], ctx.names);
    if (name) problems.push(name);
    return {
      result: 'match',
      depth: d,
      reason: `matches ${what} of ${who(chain[d], d)} (DANE-TA)${problems.length ? `, but ${problems.join('; ')}` : ''}`,
      taProblems: problems,
    };
  }
  // A trust anchor the server does not send: only full data can name it (dane-rules.md).
  if (r.matchingType === 0) {
    let anchor: crypto.KeyObject | undefined;
    try {
      anchor = r.selector === 0
        ? new crypto.X509Certificate(Buffer.from(fromHex(want))).publicKey
        : crypto.createPublicKey({ key: Buffer.from(fromHex(want)), format: 'der', type: 'spki' });
    } catch {
      anchor = undefined;
    }
    const top = chain.length - 1;
    if (anchor && signedBy(chain[top].der, anchor)) {
      const problems = [...pathProblems(chain, top), ...dateProblems(chain, top, ctx.now)];
      const name = nameProblems(chain[0], ctx.names);
      if (name) problems.push(name);
      return {
        result: 'match',
        depth: chain.length,
        reason: `names a trust anchor the server does not send, which signed ${who(chain[top], top)} (DANE-TA)${problems.length ? `, but ${problems.join('; ')}` : ''}`,
        taProblems: problems,
      };
    }
  }
  if (chain.length === 1) {
    return { result: 'no-match', reason: `the server sent only its leaf certificate: a DANE-TA record needs the issuing CA in the chain the server sends (RFC 7671 §5.2.2)` };
  }
  return { result: 'no-match', reason: `matches no certificate above the leaf (the server sent ${chain.length - 1}: ${chain.slice(1).map((c) => c.info?.subject ?? '?').join('; ')})` };
}
