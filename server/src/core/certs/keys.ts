/**
 * Public keys: naming a SubjectPublicKeyInfo ("RSA 2048-bit", "EC P-256", "Ed25519") and
 * deriving the SubjectPublicKeyInfo of a private key, with the @peculiar ASN.1 schemas
 * (SubjectPublicKeyInfo, RSAPublicKey/RSAPrivateKey, ECPrivateKey/ECParameters,
 * OneAsymmetricKey). Only the public half ever leaves this module: private key octets are
 * parsed where they lie, handed to WebCrypto when the public key must be computed (an Ed25519
 * seed, an EC key without its public point), and the buffers this module builds around them
 * are zeroed afterwards. The schemas load on first use (certs/lib.ts). Nothing here logs or puts key material in a message. No function
 * throws: failures come back as `{ error }`. The `is…` shape tests stay on the TLV reader: they
 * only sort a file's blocks so that each kind gets its own message.
 */
import type { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { concat, sequence, TAG_BIT_STRING, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, Tlv, whole } from './asn1';
import { subtleCrypto } from '../webcrypto';
import { fromBase64 } from '../bytes';
import { certLib } from './lib';

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

/** Bit length of an unsigned big-endian integer (leading zero octets ignored). */
function bitLength(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  return i === b.length ? 0 : (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]));
}

function parse<T>(d: ArrayBuffer | Uint8Array, schema: new () => T): T | undefined {
  try {
    return certLib().AsnConvert.parse(d, schema);
  } catch {
    return undefined;
  }
}

/** The named curve OID of EC algorithm parameters, or undefined (explicit parameters, malformed). */
function curveOf(parameters: ArrayBuffer | null | undefined): string | undefined {
  return parameters ? parse(parameters, certLib().ECParameters)?.namedCurve : undefined;
}

/** A short name of the key in a SubjectPublicKeyInfo: `RSA 2048-bit`, `EC P-256`, `Ed25519`. */
export function describeSpki(spki: Uint8Array): string {
  const { RSAPublicKey, SubjectPublicKeyInfo } = certLib();
  const info = parse(spki, SubjectPublicKeyInfo);
  const oid = info?.algorithm.algorithm;
  switch (oid) {
    case OID_RSA:
    case OID_RSA_PSS: {
      const key = parse(info!.subjectPublicKey, RSAPublicKey);
      const bits = key ? bitLength(new Uint8Array(key.modulus)) : 0;
      return `${oid === OID_RSA_PSS ? 'RSA-PSS' : 'RSA'}${bits ? ` ${bits}-bit` : ''}`;
    }
    case OID_EC: {
      const curve = curveOf(info!.algorithm.parameters);
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

/** A SubjectPublicKeyInfo (DER) from an AlgorithmIdentifier and the public key octets. */
function spkiOf(algorithm: AlgorithmIdentifier, publicKey: ArrayBuffer | Uint8Array): Uint8Array {
  const { AsnConvert, SubjectPublicKeyInfo } = certLib();
  const key = publicKey instanceof ArrayBuffer ? publicKey : new Uint8Array(publicKey as Uint8Array).slice().buffer;
  return new Uint8Array(AsnConvert.serialize(new SubjectPublicKeyInfo({ algorithm, subjectPublicKey: key })));
}

/** rsaEncryption with its NULL parameters, as certificates and OpenSSL write it. */
const rsaAlgorithm = () => new (certLib().AlgorithmIdentifier)({ algorithm: OID_RSA, parameters: Uint8Array.of(0x05, 0).buffer });

/** The SPKI of a PKCS#1 RSAPublicKey (`BEGIN RSA PUBLIC KEY`). */
export function spkiFromRsaPublicKey(d: Uint8Array): KeyResult {
  const key = parse(d, certLib().RSAPublicKey);
  if (!key) return { error: 'not a PKCS#1 RSA public key (SEQUENCE of modulus and exponent)' };
  return { spki: spkiOf(rsaAlgorithm(), d) };
}

/** True when `d` holds a PKCS#1 RSAPrivateKey (version, then eight INTEGERs). */
export function isRsaPrivateKey(d: Uint8Array, t: Tlv | undefined = whole(d)): boolean {
  const ints = sequence(d, t);
  return !!ints && ints.length >= 9 && ints.slice(0, 9).every((x) => x.tag === TAG_INTEGER);
}

/** The public half of a PKCS#1 RSAPrivateKey: SEQUENCE { modulus, publicExponent }. */
function rsaPublicFromPrivate(d: ArrayBuffer | Uint8Array, alg: AlgorithmIdentifier = rsaAlgorithm()): KeyResult {
  const { AsnConvert, RSAPrivateKey, RSAPublicKey } = certLib();
  const key = parse(d, RSAPrivateKey);
  if (!key) return { error: 'not a PKCS#1 RSA private key' };
  const pub = AsnConvert.serialize(new RSAPublicKey({ modulus: key.modulus, publicExponent: key.publicExponent }));
  // The parse copied the private members: zero them.
  for (const b of [key.privateExponent, key.prime1, key.prime2, key.exponent1, key.exponent2, key.coefficient]) new Uint8Array(b).fill(0);
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

function ecAlgorithm(curve: string): AlgorithmIdentifier {
  const { AlgorithmIdentifier, AsnConvert, ECParameters } = certLib();
  return new AlgorithmIdentifier({ algorithm: OID_EC, parameters: AsnConvert.serialize(Object.assign(new ECParameters(), { namedCurve: curve })) });
}

/**
 * The public half of an ECPrivateKey (SEC1 / `BEGIN EC PRIVATE KEY`, or inside PKCS#8).
 * `outerCurve` is the curve OID from a PKCS#8 AlgorithmIdentifier, when there is one.
 */
async function ecPublicFromPrivate(d: ArrayBuffer | Uint8Array, outerCurve: string | undefined): Promise<KeyResult> {
  const { AsnConvert, ECPrivateKey, OneAsymmetricKey } = certLib();
  const key = parse(d, ECPrivateKey);
  if (!key || key.version !== 1) return { error: 'not an EC private key (RFC 5915)' };
  if (key.parameters && !key.parameters.namedCurve) {
    return { error: 'EC keys with explicit curve parameters are not supported: use a named curve (P-256, P-384, P-521)' };
  }
  const curve = outerCurve ?? key.parameters?.namedCurve;
  if (!curve) return { error: 'the EC private key does not name its curve' };
  const alg = ecAlgorithm(curve);
  if (key.publicKey && key.publicKey.byteLength > 0) return { spki: spkiOf(alg, key.publicKey) };
  const named = CURVES[curve];
  if (!named) return { error: `the EC private key has no public point and its curve (${OTHER_CURVES[curve] ?? curve}) is not one WebCrypto knows: give the certificate or public key instead` };
  // WebCrypto imports PKCS#8 only: wrap the ECPrivateKey, derive, then zero the copy.
  const ecDer = new Uint8Array(AsnConvert.serialize(key));
  const pkcs8 = new Uint8Array(AsnConvert.serialize(Object.assign(new OneAsymmetricKey(), { version: 0, privateKeyAlgorithm: alg, privateKey: ecDer.buffer })));
  try {
    const got = await derivePublic(pkcs8, { name: 'ECDSA', namedCurve: named.name }, `EC ${named.name}`);
    if ('error' in got) return got;
    if (!got.y) return { error: 'the EC public key could not be computed' };
    return { spki: spkiOf(alg, concat(Uint8Array.of(4), got.x, got.y)) };
  } finally {
    ecDer.fill(0);
    pkcs8.fill(0);
    new Uint8Array(key.privateKey.buffer).fill(0);
  }
}

const EDWARDS: Readonly<Record<string, string>> = { [OID_ED25519]: 'Ed25519', [OID_ED448]: 'Ed448', [OID_X25519]: 'X25519', [OID_X448]: 'X448' };

/** The SubjectPublicKeyInfo of a PKCS#8 PrivateKeyInfo / OneAsymmetricKey (`BEGIN PRIVATE KEY`). */
export async function spkiFromPkcs8(d: Uint8Array): Promise<KeyResult> {
  const info = parse(d, certLib().OneAsymmetricKey);
  if (!info) return { error: 'not a PKCS#8 private key' };
  const alg = info.privateKeyAlgorithm;
  const oid = alg.algorithm;
  const inner = new Uint8Array(info.privateKey);
  try {
    switch (oid) {
      case OID_RSA:
      case OID_RSA_PSS: {
        const r = rsaPublicFromPrivate(inner, alg);
        return 'error' in r ? { error: 'the RSA key inside the PKCS#8 structure is malformed' } : r;
      }
      case OID_EC: {
        const curve = curveOf(alg.parameters);
        if (!curve) return { error: 'EC keys with explicit curve parameters are not supported: use a named curve (P-256, P-384, P-521)' };
        const r = await ecPublicFromPrivate(inner, curve);
        return 'error' in r && r.error.startsWith('not an EC') ? { error: 'the EC key inside the PKCS#8 structure is malformed' } : r;
      }
      case OID_ED25519:
      case OID_ED448:
      case OID_X25519:
      case OID_X448: {
        const name = EDWARDS[oid];
        // RFC 5958 publicKey [1], when the file carries it.
        if (info.publicKey && info.publicKey.byteLength > 0) return { spki: spkiOf(alg, info.publicKey) };
        const got = await derivePublic(d, { name }, name);
        return 'error' in got ? got : { spki: spkiOf(alg, got.x) };
      }
      case OID_DSA:
        return { error: 'DSA keys are not used with DANE: give the certificate or public key instead' };
      default:
        return { error: `unsupported private key type${oid ? ` (${oid})` : ''}: give the certificate or public key instead` };
    }
  } finally {
    inner.fill(0); // the parse's copy of the private key
  }
}

/** The SubjectPublicKeyInfo of a traditional `BEGIN RSA PRIVATE KEY` (PKCS#1). */
export function spkiFromRsaPrivateKey(d: Uint8Array): KeyResult {
  return rsaPublicFromPrivate(d);
}

/** The SubjectPublicKeyInfo of a traditional `BEGIN EC PRIVATE KEY` (RFC 5915 / SEC1). */
export function spkiFromEcPrivateKey(d: Uint8Array): Promise<KeyResult> {
  return ecPublicFromPrivate(d, undefined);
}

/** True when `d` looks like a SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { OID, ... }, BIT STRING }. */
export function isSpki(d: Uint8Array, t: Tlv | undefined = whole(d)): boolean {
  const p = sequence(d, t);
  if (!p || p.length !== 2 || p[1].tag !== TAG_BIT_STRING) return false;
  const alg = sequence(d, p[0]);
  return !!alg && alg.length >= 1 && alg.length <= 2 && alg[0].tag === TAG_OID;
}
