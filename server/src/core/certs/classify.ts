/**
 * What one DER structure or PEM block of a linked file is: a certificate, a public key, a
 * certificate request, a private key (its public half derived later, its octets zeroed), or an
 * error that says what it is and what to give instead. The outer shape is checked here (ASN.1
 * TLVs, no parse) so that each kind of file gets its own sentence; the parse itself is the
 * library's (x509.ts) or keys.ts'.
 */
import {
  bytesOf, children, oidOf, readTlv, sequence, TAG_BIT_STRING, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE, Tlv, whole,
} from './asn1';
import { isEcPrivateKey, isRsaPrivateKey, isSpki, KeyResult, spkiFromEcPrivateKey, spkiFromPkcs8, spkiFromRsaPrivateKey, spkiFromRsaPublicKey } from './keys';
import { fromBase64 } from '../bytes';
import { PemBlock } from './pem';
import { cutShort, parseCsr } from './x509';

export const ENCRYPTED_KEY = 'encrypted private key: give the certificate or public key instead (`openssl pkey -in KEY -pubout` writes the public key)';

/** True when `d` has the outer shape of a certificate: SEQUENCE { tbs SEQUENCE (≥ 6 fields), AlgorithmIdentifier, BIT STRING }. */
function looksLikeCertificate(d: Uint8Array, t: Tlv | undefined): boolean {
  const p = sequence(d, t);
  if (!p || p.length !== 3 || p[1].tag !== TAG_SEQUENCE || p[2].tag !== TAG_BIT_STRING) return false;
  const tbs = sequence(d, p[0]);
  return !!tbs && tbs.length >= 6;
}

const OID_PKCS7_SIGNED = '1.2.840.113549.1.7.2';

/** The certificates of a PKCS#7 SignedData bundle (`.p7b`), or undefined when `d` is not one. */
function pkcs7Certificates(d: Uint8Array, t: Tlv | undefined): Uint8Array[] | undefined {
  const p = sequence(d, t);
  if (!p || p.length !== 2 || oidOf(d, p[0]) !== OID_PKCS7_SIGNED || p[1].tag !== 0xa0) return undefined;
  const sd = sequence(d, readTlv(d, p[1].body, p[1].end));
  const certs = sd?.find((x) => x.tag === 0xa0);
  if (!certs) return [];
  return (children(d, certs) ?? []).map((c) => bytesOf(d, c));
}

function isPkcs12(d: Uint8Array, t: Tlv | undefined): boolean {
  const p = sequence(d, t);
  if (!p || p.length < 2 || p[0].tag !== TAG_INTEGER || p[0].end - p[0].body !== 1 || d[p[0].body] !== 3) return false;
  const ci = sequence(d, p[1]);
  return !!ci && (oidOf(d, ci[0]) ?? '').startsWith('1.2.840.113549.1.7.');
}

/** EncryptedPrivateKeyInfo: SEQUENCE { AlgorithmIdentifier (PBES2/PBE…), OCTET STRING }. */
function isEncryptedPkcs8(d: Uint8Array, t: Tlv | undefined): boolean {
  const p = sequence(d, t);
  if (!p || p.length !== 2 || p[1].tag !== TAG_OCTET_STRING) return false;
  const alg = sequence(d, p[0]);
  const oid = alg ? oidOf(d, alg[0]) ?? '' : '';
  return oid.startsWith('1.2.840.113549.1.5.') || oid.startsWith('1.2.840.113549.1.12.1.');
}

function isPkcs8(d: Uint8Array, t: Tlv | undefined): boolean {
  const p = sequence(d, t);
  return !!p && p.length >= 3 && p[0].tag === TAG_INTEGER && p[1].tag === TAG_SEQUENCE && p[2].tag === TAG_OCTET_STRING &&
    (sequence(d, p[1])?.[0]?.tag === TAG_OID);
}

// ---------------------------------------------------------------- items

/** One thing found in the file, before the choice of what the file "is". */
export type Item =
  | { kind: 'certificate'; der: Uint8Array; where: string }
  | { kind: 'public-key'; spki: Uint8Array; where: string }
  | { kind: 'csr'; spki: Uint8Array; subject: string; where: string }
  | { kind: 'private-key'; derive: () => Promise<KeyResult> | KeyResult; where: string; wipe?: Uint8Array }
  | { kind: 'error'; error: string; category: 'certificate' | 'public-key' | 'csr' | 'private-key' | 'other'; where: string };

/** Classifies one DER structure (a whole DER file, or a PEM block whose label said nothing precise). */
export function classifyDer(d: Uint8Array, where: string, owned: boolean): Item[] {
  const t = whole(d);
  if (!t) {
    const short = cutShort(d, 'data');
    return [{ kind: 'error', category: 'other', where, error: short ?? 'not DER (no complete ASN.1 structure)' }];
  }
  if (looksLikeCertificate(d, t)) return [{ kind: 'certificate', der: d, where }];
  const csr = parseCsr(d, t);
  if (csr) return [{ kind: 'csr', ...csr, where }];
  if (isSpki(d, t)) return [{ kind: 'public-key', spki: d, where }];
  if (isEncryptedPkcs8(d, t)) return [{ kind: 'error', category: 'private-key', where, error: ENCRYPTED_KEY }];
  if (isPkcs8(d, t)) return [{ kind: 'private-key', derive: () => spkiFromPkcs8(d), where, wipe: owned ? d : undefined }];
  if (isRsaPrivateKey(d, t)) return [{ kind: 'private-key', derive: () => spkiFromRsaPrivateKey(d), where, wipe: owned ? d : undefined }];
  if (isEcPrivateKey(d, t)) return [{ kind: 'private-key', derive: () => spkiFromEcPrivateKey(d), where, wipe: owned ? d : undefined }];
  const p7 = pkcs7Certificates(d, t);
  if (p7) {
    if (p7.length === 0) return [{ kind: 'error', category: 'certificate', where, error: 'a PKCS#7 bundle without certificates' }];
    return p7.map((der, k) => ({ kind: 'certificate' as const, der, where: `${where}, certificate ${k + 1}` }));
  }
  if (isPkcs12(d, t)) {
    return [{ kind: 'error', category: 'other', where,
      error: 'a PKCS#12 (.p12/.pfx) bundle, usually password-protected: export the certificate chain with `openssl pkcs12 -in FILE -nokeys -out fullchain.pem` and link that' }];
  }
  const ints = sequence(d, t);
  if (ints && ints.length === 2 && ints.every((x) => x.tag === TAG_INTEGER)) {
    const r = spkiFromRsaPublicKey(d);
    if ('spki' in r) return [{ kind: 'public-key', spki: r.spki, where }];
  }
  return [{ kind: 'error', category: 'other', where, error: 'a DER structure that is neither a certificate, a public or private key, nor a certificate request' }];
}

/** The items of one PEM block, by its label. */
export function pemItems(b: PemBlock): Item[] {
  const where = `the ${b.label} block at line ${b.line}`;
  const label = b.label.toUpperCase();
  const category = (): Exclude<Item, { kind: 'error' }>['kind'] | 'other' =>
    /CERTIFICATE REQUEST/.test(label) ? 'csr' : /CERTIFICATE|PKCS7/.test(label) ? 'certificate'
      : /PRIVATE KEY/.test(label) ? 'private-key' : /PUBLIC KEY/.test(label) ? 'public-key' : 'other';
  const err = (error: string): Item[] => [{ kind: 'error', category: category(), where, error }];
  if (/ENCRYPTED/.test(label) || /ENCRYPTED/i.test(b.headers['proc-type'] ?? '')) return err(ENCRYPTED_KEY);
  if (label === 'EC PARAMETERS' || label === 'DH PARAMETERS' || label === 'X509 CRL') return [];
  if (label === 'OPENSSH PRIVATE KEY') {
    return err('an OpenSSH private key, not a TLS key: give the TLS certificate or its public key instead');
  }
  const raw = fromBase64(b.base64);
  if (typeof raw === 'string') return err(`${where} is not valid base64: ${raw}`);
  if (raw.length === 0) return err(`${where} is empty`);
  const t = whole(raw);
  const short = t ? undefined : cutShort(raw, b.label.toLowerCase());
  if (short) return err(`${where}: ${short}`);
  switch (label) {
    case 'CERTIFICATE':
    case 'X509 CERTIFICATE':
      return looksLikeCertificate(raw, t) ? [{ kind: 'certificate', der: raw, where }] : err(`${where} does not hold a certificate`);
    case 'TRUSTED CERTIFICATE': {
      // OpenSSL's trusted form: the certificate followed by its trust settings.
      const c = readTlv(raw, 0);
      const der = c ? raw.subarray(0, c.end) : raw;
      return looksLikeCertificate(der, c) ? [{ kind: 'certificate', der, where }] : err(`${where} does not hold a certificate`);
    }
    case 'PUBLIC KEY':
      return isSpki(raw, t) ? [{ kind: 'public-key', spki: raw, where }] : err(`${where} does not hold a SubjectPublicKeyInfo`);
    case 'RSA PUBLIC KEY': {
      const r = spkiFromRsaPublicKey(raw);
      return 'spki' in r ? [{ kind: 'public-key', spki: r.spki, where }] : err(`${where}: ${r.error}`);
    }
    case 'CERTIFICATE REQUEST':
    case 'NEW CERTIFICATE REQUEST': {
      const csr = parseCsr(raw, t);
      return csr ? [{ kind: 'csr', ...csr, where }] : err(`${where} does not hold a PKCS#10 certificate request`);
    }
    case 'PRIVATE KEY':
      if (isEncryptedPkcs8(raw, t)) return err(ENCRYPTED_KEY);
      return [{ kind: 'private-key', derive: () => spkiFromPkcs8(raw), where, wipe: raw }];
    case 'RSA PRIVATE KEY':
      return [{ kind: 'private-key', derive: () => spkiFromRsaPrivateKey(raw), where, wipe: raw }];
    case 'EC PRIVATE KEY':
      return [{ kind: 'private-key', derive: () => spkiFromEcPrivateKey(raw), where, wipe: raw }];
    case 'DSA PRIVATE KEY':
      raw.fill(0);
      return err('DSA keys are not used with DANE: give the certificate or public key instead');
    case 'PKCS7':
    case 'PKCS #7 SIGNED DATA':
      return classifyDer(raw, where, false);
    default:
      if (/PRIVATE KEY/.test(label)) raw.fill(0);
      return /PRIVATE KEY/.test(label)
        ? err(`unsupported private key type (\`${b.label}\`): give the certificate or public key instead`)
        : classifyDer(raw, where, false).map((it) => (it.kind === 'error' ? { ...it, error: `${where}: ${it.error}` } : it));
  }
}
