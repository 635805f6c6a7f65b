/**
 * Does a TLSA record match a certificate chain? (dane-rules.md, "Matching a record against a
 * certificate chain"; RFC 6698 §2.1, RFC 7671 §5.)
 *
 * - usage 3 (DANE-EE) matches the leaf only;
 * - usage 2 (DANE-TA) matches a certificate above the leaf; with full data (`2 0 0`, `2 1 0`) it
 *   also matches a trust anchor the server does not send, when that anchor's key signed a
 *   certificate of the chain;
 * - usages 0/1 (PKIX-TA/PKIX-EE) match like 2/3 but also need PKIX validation, which SMTP does
 *   not do (RFC 7672 §3.1.3): such matches carry `pkix: true`.
 *
 * The depth reported is OpenSSL's: 0 is the leaf; an anchor from DNS given as a certificate
 * sits above the certificate it signed, one given as a public key at the certificate it signed.
 * Checked against OpenSSL's danetest.in vectors (test/unit/certs-match.test.ts).
 */
import { sameBytes } from './asn1';
import { tlsaUnusable } from '../dane/tlsaValues';
import { matchingData } from './hash';
import { CertificateInfo, KeyMaterial, parseCertificate } from './load';
import { signedBy } from './verify';

/** A TLSA record's fields (decodeTlsaWire gives them). */
export interface TlsaAssociation {
  usage: number;
  selector: number;
  matchingType: number;
  data: Uint8Array;
}

export const PKIX_NOTE = 'needs PKIX validation as well; not used by SMTP (RFC 7672 §3.1.3)';

export type RecordMatch =
  | {
    matched: true;
    /** Chain position of the matched certificate (0 = leaf), OpenSSL's match depth. */
    depth: number;
    /** The certificate that matched (undefined for a key-only file or an anchor given as a public key). */
    certificate?: CertificateInfo;
    /** The record is a trust anchor not in the chain, found by its signature. */
    fromDns?: boolean;
    /** Usage 0/1: the match alone is not enough. */
    pkix: boolean;
    note?: string;
  }
  | {
    matched: false;
    /** Why not, in a few words. */
    reason: string;
    /** Unassigned or private-use values: no client uses the record. */
    unusable?: boolean;
  };

// Digests are cached per certificate and buffer: a chain is matched against every record of an RRset.
const cache = new WeakMap<Uint8Array, Map<number, Promise<Uint8Array>>>();

function digestOf(bytes: Uint8Array, matchingType: number): Promise<Uint8Array> {
  let m = cache.get(bytes);
  if (!m) cache.set(bytes, (m = new Map()));
  let p = m.get(matchingType);
  if (!p) m.set(matchingType, (p = matchingData(matchingType, bytes)));
  return p;
}

async function sameAs(rec: TlsaAssociation, bytes: Uint8Array): Promise<boolean> {
  if (rec.matchingType === 0) return sameBytes(rec.data, bytes);
  const expected = rec.matchingType === 1 ? 32 : 64;
  if (rec.data.length !== expected) return false;
  return sameBytes(rec.data, await digestOf(bytes, rec.matchingType));
}

function unusableReason(rec: TlsaAssociation): string | undefined {
  const u = tlsaUnusable(rec, false);
  return u && `${u.field === 'matchingType' ? 'matching type' : u.field} ${u.value} is not one clients use`;
}

function matched(depth: number, rec: TlsaAssociation, certificate?: CertificateInfo, fromDns?: boolean): RecordMatch {
  const pkix = rec.usage < 2;
  const m: RecordMatch = { matched: true, depth, pkix };
  if (certificate) m.certificate = certificate;
  if (fromDns) m.fromDns = true;
  if (pkix) m.note = PKIX_NOTE;
  return m;
}

export interface MatchOptions {
  /**
   * Local trust anchors for PKIX-TA (usage 0): PKIX validation completes the chain with the
   * anchor that signed its top certificate, and a usage 0 record may match that anchor.
   */
  trustStore?: readonly CertificateInfo[];
}

/** The chain completed with the trust-store anchor that signed its top certificate (PKIX chain building). */
async function withAnchor(chain: readonly CertificateInfo[], store: readonly CertificateInfo[]): Promise<readonly CertificateInfo[]> {
  const top = chain[chain.length - 1];
  if (top.selfIssued) return chain;
  for (const a of store) {
    if (sameBytes(a.subjectDer, top.issuerDer) && (await signedBy(top, a.spki))) return [...chain, a];
  }
  return chain;
}

/** Matches one record against a chain (leaf first). */
export async function matchRecord(rec: TlsaAssociation, chain: readonly CertificateInfo[], options: MatchOptions = {}): Promise<RecordMatch> {
  const bad = unusableReason(rec);
  if (bad) return { matched: false, reason: bad, unusable: true };
  if (chain.length === 0) return { matched: false, reason: 'no certificate to match' };
  if (rec.usage === 0 && options.trustStore?.length) chain = await withAnchor(chain, options.trustStore);
  const ee = rec.usage === 3 || rec.usage === 1;
  const from = ee ? 0 : 1;
  const to = ee ? 1 : chain.length;
  for (let i = from; i < to; i++) {
    const c = chain[i];
    if (await sameAs(rec, rec.selector === 0 ? c.der : c.spki)) return matched(i, rec, c);
  }
  if (!ee && rec.matchingType === 0) {
    // A trust anchor published in DNS and not sent by the server: does its key sign the chain?
    if (rec.selector === 0) {
      const ta = parseCertificate(rec.data);
      if (typeof ta !== 'string') {
        for (let i = 0; i < chain.length; i++) {
          if (!sameBytes(chain[i].issuerDer, ta.subjectDer)) continue;
          if (await signedBy(chain[i], ta.spki)) return matched(i + 1, rec, ta, true);
        }
      }
    } else {
      for (let i = 0; i < chain.length; i++) {
        if (await signedBy(chain[i], rec.data)) return matched(i, rec, undefined, true);
      }
    }
  }
  if (!ee && chain.length === 1) return { matched: false, reason: 'the chain holds only the leaf certificate' };
  const what = ee ? 'the leaf certificate' : 'any certificate above the leaf';
  return { matched: false, reason: `the data is not that of ${what}` };
}

export interface ChainMatch {
  /** The smallest depth any record matched at, or -1 when none did (OpenSSL's match depth). */
  depth: number;
  /** One result per record, in order. */
  results: RecordMatch[];
}

/** Matches every record of an RRset against a chain. */
export async function matchChain(records: readonly TlsaAssociation[], chain: readonly CertificateInfo[], options: MatchOptions = {}): Promise<ChainMatch> {
  const results: RecordMatch[] = [];
  let depth = -1;
  for (const r of records) {
    const m = await matchRecord(r, chain, options);
    results.push(m);
    if (m.matched && (depth < 0 || m.depth < depth)) depth = m.depth;
  }
  return { depth, results };
}

/**
 * Matches a record against a linked file: its chain when it holds certificates; for a key, a
 * public key or a CSR only selector 1 records of usage 3 (or 1) can match, at depth 0.
 */
export async function matchMaterial(rec: TlsaAssociation, m: KeyMaterial): Promise<RecordMatch> {
  if (m.certificates.length > 0) return matchRecord(rec, m.certificates);
  const bad = unusableReason(rec);
  if (bad) return { matched: false, reason: bad, unusable: true };
  if (rec.usage === 0 || rec.usage === 2) return { matched: false, reason: 'a key alone is not a CA certificate' };
  if (rec.selector === 0) return { matched: false, reason: 'selector 0 needs a certificate, and the file holds a key' };
  return (await sameAs(rec, m.spki)) ? matched(0, rec) : { matched: false, reason: 'the data is not that of this key' };
}
