/**
 * Public keys: naming a SubjectPublicKeyInfo ("RSA 2048-bit", "EC P-256", "Ed25519") and
 * deriving the SubjectPublicKeyInfo of a private key. Only the public half ever leaves this
 * module: private key octets are read where they lie, handed to WebCrypto when the public key
 * must be computed (an Ed25519 seed, an EC key without its public point), and the buffers this
 * module builds around them are zeroed afterwards. Nothing here logs or puts key material in a
 * message. No function throws: failures come back as `{ error }`.
 */
import {
  bitStringBytes, bytesOf, concat, contentOf, encodeOid, encodeTlv, integerBits, oidOf, readTlv, sequence,
  TAG_BIT_STRING, TAG_INTEGER, TAG_NULL, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE, Tlv, whole,
} from './asn1';
import { subtleCrypto } from '../webcrypto';
import { fromBase64 } from '../bytes';

export const OID_RSA = '1.2.840.113549.1.1.1';
export const OID_RSA_PSS = '1.2.840.113549.1.1.10';
export const OID_EC = '1.2.840.10045.2.1';
export const OID_ED25519 = '1.3.101.112';
export const OID_ED448 = '1.3.101.113';
export const OID_X25519 = '1.3.101.110';
export const OID_X448 = '1.3.101.111';
export const OID_DSA = '1.2.840.10040.4.1';

/** Named curves WebCrypto knows, by OID. */
export const CURVES: Readonly<Record<string, { name: 'P-256' | 'P-384' | 'P-521'; bytes: number }>> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', bytes: 32 },
  '1.3.132.0.34': { name: 'P-384', bytes: 48 },
  '1.3.132.0.35': { name: 'P-521', bytes: 66 },
};

const OTHER_CURVES: Readonly<Record<string, string>> = {
  '1.3.132.0.10': 'secp256k1',
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.3.36.3.3.2.8.1.1.11': 'brainpoolP384r1',
  '1.3.36.3.3.2.8.1.1.13': 'brainpoolP512r1',
};

export type KeyResult = { spki: Uint8Array } | { error: string };

/** A short name of the key in a SubjectPublicKeyInfo: `RSA 2048-bit`, `EC P-256`, `Ed25519`. */
export function describeSpki(spki: Uint8Array): string {
  const parts = sequence(spki, whole(spki));
  const alg = parts && sequence(spki, parts[0]);
  const oid = alg ? oidOf(spki, alg[0]) : undefined;
  switch (oid) {
    case OID_RSA:
    case OID_RSA_PSS: {
      const key = bitStringBytes(spki, parts![1]);
      const ints = key ? sequence(key, whole(key)) : undefined;
      const bits = ints && ints[0]?.tag === TAG_INTEGER ? integerBits(key!, ints[0]) : undefined;
      return `${oid === OID_RSA_PSS ? 'RSA-PSS' : 'RSA'}${bits ? ` ${bits}-bit` : ''}`;
    }
    case OID_EC: {
      const curve = alg && alg[1] ? oidOf(spki, alg[1]) : undefined;
      return `EC ${curve ? CURVES[curve]?.name ?? OTHER_CURVES[curve] ?? curve : '(explicit curve)'}`;
    }
    case OID_ED25519: return 'Ed25519';
    case OID_ED448: return 'Ed448';
    case OID_X25519: return 'X25519';
    case OID_X448: return 'X448';
    case OID_DSA: return 'DSA';
    case undefined: return 'unknown key type';
    default: return `key type ${oid}`;
  }
}

/** A SubjectPublicKeyInfo from the raw AlgorithmIdentifier and the public key octets. */
function spkiOf(algorithmIdentifier: Uint8Array, publicKey: Uint8Array): Uint8Array {
  return encodeTlv(TAG_SEQUENCE, concat(algorithmIdentifier, encodeTlv(TAG_BIT_STRING, concat(Uint8Array.of(0), publicKey))));
}

const RSA_ALG = encodeTlv(TAG_SEQUENCE, concat(encodeOid(OID_RSA), Uint8Array.of(TAG_NULL, 0)));

/** The SPKI of a PKCS#1 RSAPublicKey (`BEGIN RSA PUBLIC KEY`). */
export function spkiFromRsaPublicKey(d: Uint8Array): KeyResult {
  const ints = sequence(d, whole(d));
  if (!ints || ints.length !== 2 || ints.some((t) => t.tag !== TAG_INTEGER)) return { error: 'not a PKCS#1 RSA public key (SEQUENCE of modulus and exponent)' };
  return { spki: spkiOf(RSA_ALG, d) };
}

/** True when `d` holds a PKCS#1 RSAPrivateKey (version, then eight INTEGERs). */
export function isRsaPrivateKey(d: Uint8Array, t: Tlv | undefined = whole(d)): boolean {
  const ints = sequence(d, t);
  return !!ints && ints.length >= 9 && ints.slice(0, 9).every((x) => x.tag === TAG_INTEGER);
}

/** The public half of a PKCS#1 RSAPrivateKey: SEQUENCE { modulus, publicExponent }. */
function rsaPublicFromPrivate(d: Uint8Array, t: Tlv, alg: Uint8Array = RSA_ALG): KeyResult {
  const ints = sequence(d, t);
  if (!ints || !isRsaPrivateKey(d, t)) return { error: 'not a PKCS#1 RSA private key' };
  const pub = encodeTlv(TAG_SEQUENCE, concat(bytesOf(d, ints[1]), bytesOf(d, ints[2])));
  return { spki: spkiOf(alg, pub) };
}

/** True when `d` holds an RFC 5915 ECPrivateKey: SEQUENCE { 1, OCTET STRING, [0]?, [1]? }. */
export function isEcPrivateKey(d: Uint8Array, t: Tlv | undefined = whole(d)): boolean {
  const p = sequence(d, t);
  return !!p && p.length >= 2 && p.length <= 4 && p[0].tag === TAG_INTEGER && p[0].end - p[0].body === 1 && d[p[0].body] === 1 &&
    p[1].tag === TAG_OCTET_STRING && p.slice(2).every((x) => x.tag === 0xa0 || x.tag === 0xa1);
}

function base64UrlBytes(s: string | undefined): Uint8Array | undefined {
  const b = typeof s === 'string' && !s.includes('=') ? fromBase64(s, { url: true }) : undefined;
  return typeof b === 'string' ? undefined : b;
}

/**
 * The public key of a PKCS#8 private key, computed by WebCrypto (import, then read the public
 * members of its JWK export). `pkcs8` is zeroed by the caller.
 */
async function derivePublic(pkcs8: Uint8Array, alg: { name: string; namedCurve?: string }, what: string): Promise<{ x: Uint8Array; y?: Uint8Array } | { error: string }> {
  const s = subtleCrypto();
  const cannot = `the public key of this ${what} private key cannot be computed here`;
  if (!s) return { error: `${cannot} (no WebCrypto): give the certificate or public key instead` };
  try {
    const usages = alg.name === 'X25519' || alg.name === 'X448' ? ['deriveBits'] : ['sign'];
    const key = await s.importKey('pkcs8', pkcs8, alg, true, usages);
    const jwk = await s.exportKey('jwk', key);
    const x = base64UrlBytes(jwk.x);
    const y = jwk.y === undefined ? undefined : base64UrlBytes(jwk.y);
    if (!x || (jwk.y !== undefined && !y)) return { error: `${cannot}: give the certificate or public key instead` };
    return { x, y };
  } catch {
    // The WebCrypto message may quote the key; say only what failed.
    return { error: `${cannot} (WebCrypto refused the key): give the certificate or public key instead` };
  }
}

function ecAlgorithm(curveOid: Uint8Array): Uint8Array {
  return encodeTlv(TAG_SEQUENCE, concat(encodeOid(OID_EC), curveOid));
}

/**
 * The public half of an ECPrivateKey (SEC1 / `BEGIN EC PRIVATE KEY`, or inside PKCS#8).
 * `outerCurve` is the curve OID TLV from a PKCS#8 AlgorithmIdentifier, when there is one.
 */
async function ecPublicFromPrivate(d: Uint8Array, t: Tlv, outerCurve: Uint8Array | undefined): Promise<KeyResult> {
  const p = sequence(d, t);
  if (!p || !isEcPrivateKey(d, t)) return { error: 'not an EC private key (RFC 5915)' };
  let curve = outerCurve;
  let pub: Uint8Array | undefined;
  for (const x of p.slice(2)) {
    const inner = readTlv(d, x.body, x.end);
    if (!inner || inner.end !== x.end) return { error: 'the EC private key is malformed' };
    if (x.tag === 0xa0) {
      if (inner.tag !== TAG_OID) return { error: 'EC keys with explicit curve parameters are not supported: use a named curve (P-256, P-384, P-521)' };
      curve ??= bytesOf(d, inner);
    } else if (x.tag === 0xa1) {
      pub = bitStringBytes(d, inner);
    }
  }
  if (!curve) return { error: 'the EC private key does not name its curve' };
  const curveOid = oidOf(curve, readTlv(curve, 0));
  const alg = ecAlgorithm(curve);
  if (pub && pub.length > 0) return { spki: spkiOf(alg, pub) };
  const named = curveOid ? CURVES[curveOid] : undefined;
  if (!named) return { error: `the EC private key has no public point and its curve (${curveOid ? OTHER_CURVES[curveOid] ?? curveOid : 'unknown'}) is not one WebCrypto knows: give the certificate or public key instead` };
  // WebCrypto imports PKCS#8 only: wrap the ECPrivateKey, derive, then zero the copy.
  const pkcs8 = encodeTlv(TAG_SEQUENCE, concat(Uint8Array.of(TAG_INTEGER, 1, 0), alg, encodeTlv(TAG_OCTET_STRING, bytesOf(d, t))));
  try {
    const got = await derivePublic(pkcs8, { name: 'ECDSA', namedCurve: named.name }, `EC ${named.name}`);
    if ('error' in got) return got;
    if (!got.y) return { error: 'the EC public key could not be computed' };
    return { spki: spkiOf(alg, concat(Uint8Array.of(4), got.x, got.y)) };
  } finally {
    pkcs8.fill(0);
  }
}

const EDWARDS: Readonly<Record<string, string>> = { [OID_ED25519]: 'Ed25519', [OID_ED448]: 'Ed448', [OID_X25519]: 'X25519', [OID_X448]: 'X448' };

/** The SubjectPublicKeyInfo of a PKCS#8 PrivateKeyInfo / OneAsymmetricKey (`BEGIN PRIVATE KEY`). */
export async function spkiFromPkcs8(d: Uint8Array): Promise<KeyResult> {
  const p = sequence(d, whole(d));
  if (!p || p.length < 3 || p[0].tag !== TAG_INTEGER || p[1].tag !== TAG_SEQUENCE || p[2].tag !== TAG_OCTET_STRING) {
    return { error: 'not a PKCS#8 private key' };
  }
  const algParts = sequence(d, p[1]);
  const oid = algParts ? oidOf(d, algParts[0]) : undefined;
  const alg = bytesOf(d, p[1]);
  const inner = readTlv(d, p[2].body, p[2].end);
  // RFC 5958 publicKey [1] IMPLICIT BIT STRING, when the file carries it.
  const publicField = p.slice(3).find((x) => x.tag === 0x81 || x.tag === 0xa1);
  switch (oid) {
    case OID_RSA:
    case OID_RSA_PSS:
      if (!inner || inner.end !== p[2].end) return { error: 'the RSA key inside the PKCS#8 structure is malformed' };
      return rsaPublicFromPrivate(d, inner, alg);
    case OID_EC: {
      if (!inner || inner.end !== p[2].end) return { error: 'the EC key inside the PKCS#8 structure is malformed' };
      const curveTlv = algParts && algParts[1]?.tag === TAG_OID ? bytesOf(d, algParts[1]) : undefined;
      if (!curveTlv) return { error: 'EC keys with explicit curve parameters are not supported: use a named curve (P-256, P-384, P-521)' };
      return ecPublicFromPrivate(d, inner, curveTlv);
    }
    case OID_ED25519:
    case OID_ED448:
    case OID_X25519:
    case OID_X448: {
      const name = EDWARDS[oid];
      if (publicField) {
        const bits = publicField.tag === 0x81 ? contentOf(d, publicField) : undefined;
        if (bits && bits.length > 1 && bits[0] === 0) return { spki: spkiOf(alg, bits.subarray(1)) };
      }
      const got = await derivePublic(d, { name }, name);
      return 'error' in got ? got : { spki: spkiOf(alg, got.x) };
    }
    case OID_DSA:
      return { error: 'DSA keys are not used with DANE: give the certificate or public key instead' };
    default:
      return { error: `unsupported private key type${oid ? ` (${oid})` : ''}: give the certificate or public key instead` };
  }
}

/** The SubjectPublicKeyInfo of a traditional `BEGIN RSA PRIVATE KEY` (PKCS#1). */
export function spkiFromRsaPrivateKey(d: Uint8Array): KeyResult {
  const t = whole(d);
  if (!t) return { error: 'not a PKCS#1 RSA private key' };
  return rsaPublicFromPrivate(d, t);
}

/** The SubjectPublicKeyInfo of a traditional `BEGIN EC PRIVATE KEY` (RFC 5915 / SEC1). */
export function spkiFromEcPrivateKey(d: Uint8Array): Promise<KeyResult> {
  const t = whole(d);
  if (!t) return Promise.resolve({ error: 'not an EC private key (RFC 5915)' });
  return ecPublicFromPrivate(d, t, undefined);
}

/** True when `d` looks like a SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { OID, ... }, BIT STRING }. */
export function isSpki(d: Uint8Array, t: Tlv | undefined = whole(d)): boolean {
  const p = sequence(d, t);
  if (!p || p.length !== 2 || p[1].tag !== TAG_BIT_STRING) return false;
  const alg = sequence(d, p[0]);
  return !!alg && alg.length >= 1 && alg.length <= 2 && alg[0].tag === TAG_OID;
}
