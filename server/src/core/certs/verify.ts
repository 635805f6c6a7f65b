/**
 * Certificate signature checks, for trust anchors published in DNS and not sent by the server
 * (`2 0 0` / `2 1 0`, RFC 7671 §5.2.2): the anchor matches when its key signed a certificate of
 * the chain. The check is @peculiar/x509's (`X509Certificate.verify`, on the core's WebCrypto);
 * this module only says beforehand which pairs it can answer for: RSA PKCS#1 v1.5, ECDSA
 * (P-256/384/521) and Ed25519 signatures; anything else answers undefined ("cannot tell"), a key
 * of another type than the signature false. Never throws.
 */
import type { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { CURVES, OID_EC, OID_ED25519, OID_RSA } from './keys';
import { certLib, useWebCrypto } from './lib';
import { CertificateInfo } from './x509';

const SIGNATURES: Readonly<Record<string, 'rsa' | 'ec' | 'ed25519'>> = {
  '1.2.840.113549.1.1.5': 'rsa',
  '1.2.840.113549.1.1.11': 'rsa',
  '1.2.840.113549.1.1.12': 'rsa',
  '1.2.840.113549.1.1.13': 'rsa',
  '1.2.840.10045.4.1': 'ec',
  '1.2.840.10045.4.3.2': 'ec',
  '1.2.840.10045.4.3.3': 'ec',
  '1.2.840.10045.4.3.4': 'ec',
  [OID_ED25519]: 'ed25519',
};

const KEY_OF: Readonly<Record<'rsa' | 'ec' | 'ed25519', string>> = { rsa: OID_RSA, ec: OID_EC, ed25519: OID_ED25519 };

/**
 * True when `issuerSpki`'s key made `cert`'s signature, false when it did not, undefined when
 * that cannot be checked here (unsupported algorithm, no WebCrypto).
 */
export async function signedBy(cert: CertificateInfo, issuerSpki: Uint8Array): Promise<boolean | undefined> {
  if (!useWebCrypto()) return undefined;
  const sig = SIGNATURES[cert.signatureAlgorithm];
  const { AsnConvert, ECParameters, SubjectPublicKeyInfo } = certLib();
  let key: SubjectPublicKeyInfo;
  try {
    key = AsnConvert.parse(issuerSpki, SubjectPublicKeyInfo);
  } catch {
    return undefined;
  }
  if (!sig) return undefined;
  if (key.algorithm.algorithm !== KEY_OF[sig]) return false;
  if (sig === 'ec') {
    let curve: string | undefined;
    try {
      curve = key.algorithm.parameters ? AsnConvert.parse(key.algorithm.parameters, ECParameters).namedCurve : undefined;
    } catch {
      curve = undefined;
    }
    if (!curve || !CURVES[curve]) return undefined;
  }
  try {
    return await cert.x509.verify({ publicKey: issuerSpki, signatureOnly: true });
  } catch {
    return undefined;
  }
}
