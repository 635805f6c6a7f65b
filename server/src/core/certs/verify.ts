/**
 * Certificate signature checks with WebCrypto, for trust anchors published in DNS and not sent
 * by the server (`2 0 0` / `2 1 0`, RFC 7671 §5.2.2): the anchor matches when its key signed a
 * certificate of the chain. RSA PKCS#1 v1.5, ECDSA (P-256/384/521) and Ed25519 signatures are
 * verified; anything else answers undefined ("cannot tell"). Never throws.
 */
import { CertificateInfo } from './load';
import { concat, oidOf, readTlv, sequence, TAG_INTEGER, whole } from './asn1';
import { CURVES, OID_EC, OID_ED25519, OID_RSA } from './keys';
import { subtleCrypto } from '../webcrypto';

const SIGNATURES: Readonly<Record<string, { key: 'rsa' | 'ec' | 'ed25519'; hash?: string }>> = {
  '1.2.840.113549.1.1.5': { key: 'rsa', hash: 'SHA-1' },
  '1.2.840.113549.1.1.11': { key: 'rsa', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { key: 'rsa', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { key: 'rsa', hash: 'SHA-512' },
  '1.2.840.10045.4.1': { key: 'ec', hash: 'SHA-1' },
  '1.2.840.10045.4.3.2': { key: 'ec', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { key: 'ec', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { key: 'ec', hash: 'SHA-512' },
  [OID_ED25519]: { key: 'ed25519' },
};

/** ECDSA-Sig-Value (DER SEQUENCE of r, s) → the fixed-size r‖s WebCrypto verifies. */
function ecdsaRaw(sig: Uint8Array, size: number): Uint8Array | undefined {
  const p = sequence(sig, whole(sig));
  if (!p || p.length !== 2 || p.some((t) => t.tag !== TAG_INTEGER)) return undefined;
  const fixed = (i: number): Uint8Array | undefined => {
    let v = sig.subarray(p[i].body, p[i].end);
    while (v.length > size && v[0] === 0) v = v.subarray(1);
    if (v.length > size) return undefined;
    const out = new Uint8Array(size);
    out.set(v, size - v.length);
    return out;
  };
  const r = fixed(0);
  const s = fixed(1);
  return r && s ? concat(r, s) : undefined;
}

/**
 * True when `issuerSpki`'s key made `cert`'s signature, false when it did not, undefined when
 * that cannot be checked here (unsupported algorithm, no WebCrypto).
 */
export async function signedBy(cert: CertificateInfo, issuerSpki: Uint8Array): Promise<boolean | undefined> {
  const subtle = subtleCrypto();
  if (!subtle) return undefined;
  const sigAlg = sequence(cert.signatureAlgorithm, whole(cert.signatureAlgorithm));
  const sig = sigAlg ? SIGNATURES[oidOf(cert.signatureAlgorithm, sigAlg[0]) ?? ''] : undefined;
  const spki = sequence(issuerSpki, whole(issuerSpki));
  const keyAlg = spki ? sequence(issuerSpki, spki[0]) : undefined;
  const keyOid = keyAlg ? oidOf(issuerSpki, keyAlg[0]) : undefined;
  if (!sig || !keyOid) return undefined;
  try {
    if (sig.key === 'rsa') {
      if (keyOid !== OID_RSA) return false;
      const k = await subtle.importKey('spki', issuerSpki, { name: 'RSASSA-PKCS1-v1_5', hash: sig.hash }, false, ['verify']);
      return await subtle.verify({ name: 'RSASSA-PKCS1-v1_5' }, k, cert.signature, cert.tbs);
    }
    if (sig.key === 'ec') {
      if (keyOid !== OID_EC) return false;
      const curveTlv = keyAlg![1] ? readTlv(issuerSpki, keyAlg![1].start) : undefined;
      const curve = curveTlv ? CURVES[oidOf(issuerSpki, curveTlv) ?? ''] : undefined;
      if (!curve) return undefined;
      const raw = ecdsaRaw(cert.signature, curve.bytes);
      if (!raw) return false;
      const k = await subtle.importKey('spki', issuerSpki, { name: 'ECDSA', namedCurve: curve.name }, false, ['verify']);
      return await subtle.verify({ name: 'ECDSA', hash: sig.hash }, k, raw, cert.tbs);
    }
    if (keyOid !== OID_ED25519) return false;
    const k = await subtle.importKey('spki', issuerSpki, { name: 'Ed25519' }, false, ['verify']);
    return await subtle.verify({ name: 'Ed25519' }, k, cert.signature, cert.tbs);
  } catch {
    return undefined;
  }
}
