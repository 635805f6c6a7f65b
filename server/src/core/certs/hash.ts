/**
 * TLSA certificate association data (RFC 6698 §2.1.2, §2.1.3): selector 0 → the DER
 * certificate, 1 → its DER SubjectPublicKeyInfo; matching type 0 → those octets, 1 → SHA-256,
 * 2 → SHA-512. Hashing goes through WebCrypto (`globalThis.crypto.subtle`), so it is async and
 * runs the same in Node and in a browser.
 */
import { toHex } from './asn1';
import { CertificateInfo, KeyMaterial } from './load';
import { subtleCrypto } from '../webcrypto';

export type AssociationResult = { data: Uint8Array } | { error: string };

/** The WebCrypto digest name of a TLSA matching type (1, 2), or undefined for 0 and unassigned values. */
export function digestAlgorithm(matchingType: number): 'SHA-256' | 'SHA-512' | undefined {
  return matchingType === 1 ? 'SHA-256' : matchingType === 2 ? 'SHA-512' : undefined;
}

/** SHA-256 (matching type 1) or SHA-512 (2) of `data`; the data itself for matching type 0. */
export async function matchingData(matchingType: number, data: Uint8Array): Promise<Uint8Array> {
  if (matchingType === 0) return data;
  const alg = digestAlgorithm(matchingType);
  if (!alg) throw new Error(`matching type ${matchingType} is not assigned`);
  const subtle = subtleCrypto();
  if (!subtle) throw new Error('no WebCrypto in this environment');
  return new Uint8Array(await subtle.digest(alg, data));
}

function isCertificate(x: CertificateInfo | KeyMaterial): x is CertificateInfo {
  return (x as CertificateInfo).der !== undefined;
}

/**
 * The association data of a certificate, or of the leaf / key / CSR of a linked file, for a
 * selector (0, 1) and matching type (0, 1, 2). Selector 0 needs a certificate.
 */
export async function associationData(source: CertificateInfo | KeyMaterial, selector: number, matchingType: number): Promise<AssociationResult> {
  if (selector !== 0 && selector !== 1) return { error: `selector ${selector} is not assigned (0 = full certificate, 1 = public key)` };
  if (digestAlgorithm(matchingType) === undefined && matchingType !== 0) {
    return { error: `matching type ${matchingType} is not assigned (0 = full data, 1 = SHA2-256, 2 = SHA2-512)` };
  }
  let bytes: Uint8Array;
  if (isCertificate(source)) bytes = selector === 0 ? source.der : source.spki;
  else if (selector === 1) bytes = source.spki;
  else if (source.certificates.length > 0) bytes = source.certificates[0].der;
  else {
    const what = source.kind === 'csr' ? 'a certificate request' : source.kind === 'public-key' ? 'a public key' : 'a private key';
    return { error: `selector 0 (the full certificate) needs a certificate, and this file holds ${what}: use selector 1 (the public key), as \`3 1 1\` does` };
  }
  try {
    return { data: await matchingData(matchingType, bytes) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** The association data in lowercase hex, or undefined when it cannot be computed. */
export async function associationHex(source: CertificateInfo | KeyMaterial, selector: number, matchingType: number): Promise<string | undefined> {
  const r = await associationData(source, selector, matchingType);
  return 'data' in r ? toHex(r.data) : undefined;
}

/** Which certificate of a linked file a record of `usage` is made from: the leaf/key for 1 and 3, the issuing CA (chain[1]) for 0 and 2. */
export function subjectForUsage(m: KeyMaterial, usage: number): CertificateInfo | KeyMaterial | { error: string } {
  if (usage === 1 || usage === 3) return m;
  if (usage === 0 || usage === 2) {
    if (m.certificates.length >= 2) return m.certificates[1];
    const has = m.kind === 'certificate' ? 'only the leaf certificate' : m.kind === 'csr' ? 'a certificate request' : `a ${m.kind.replace('-', ' ')}`;
    return { error: `usage ${usage} needs the issuing CA's certificate, and the file holds ${has}: link the full chain (leaf first, e.g. fullchain.pem)` };
  }
  return { error: `usage ${usage} is not assigned (2 = DANE-TA, 3 = DANE-EE)` };
}

/** The TLSA record data (usage, selector, matching type, hex) a linked file gives. */
export interface TlsaRecordSpec {
  usage: number;
  selector: number;
  matchingType: number;
  /** Association data, lowercase hex. */
  hex: string;
}

/** The record data for `usage selector matchingType` from a linked file (usage 2/0 from the issuing CA). */
export async function recordSpecFor(m: KeyMaterial, usage: number, selector: number, matchingType: number): Promise<TlsaRecordSpec | { error: string }> {
  const subject = subjectForUsage(m, usage);
  if ('error' in subject) return subject;
  const r = await associationData(subject, selector, matchingType);
  if ('error' in r) return r;
  return { usage, selector, matchingType, hex: toHex(r.data) };
}
