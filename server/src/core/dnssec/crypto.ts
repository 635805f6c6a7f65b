import { toBase64 } from '../bytes';
import { NativeVerifier, subtleCrypto, SubtleCryptoLike, WebCryptoKey } from '../webcrypto';

/**
 * DNSSEC cryptography with WebCrypto (globalThis.crypto.subtle, no native addon): public
 * keys from DNSKEY RDATA, RRSIG verification, DS digests. SHA-1 for NSEC3 owner hashes is
 * computed here synchronously (thousands of tiny inputs: an async call each would cost more
 * than the hash).
 *
 * Verifiable algorithms (Node 20 WebCrypto): 5 RSASHA1, 7 RSASHA1-NSEC3-SHA1, 8 RSASHA256,
 * 10 RSASHA512 (RSASSA-PKCS1-v1_5), 13 ECDSAP256SHA256, 14 ECDSAP384SHA384 (ECDSA, r||s
 * signatures as DNSSEC writes them), 15 ED25519, 16 ED448. Others (RSAMD5, DSA, GOST, SM2)
 * cannot be verified: reported as information, never as valid.
 */

type CryptoKey = WebCryptoKey;
type Params = { name: string; [k: string]: unknown };

function subtle(): SubtleCryptoLike {
  const s = subtleCrypto();
  if (!s) throw new Error('WebCrypto (crypto.subtle) is not available');
  return s;
}

interface AlgorithmSpec {
  name: string;
  import: (key: Uint8Array) => Promise<CryptoKey>;
  verify: Params;
  /** For a NativeVerifier: the key as a JWK (throws when malformed), and the hash (null: EdDSA). */
  jwk: (key: Uint8Array) => object;
  hash: string | null;
}

function b64url(d: Uint8Array): string {
  return toBase64(d).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** RFC 3110 §2: exponent length (1 octet, or 0 and 2 octets), exponent, modulus; as a JWK. */
function rsaJwk(key: Uint8Array): { kty: 'RSA'; n: string; e: string } {
  let p = 1;
  let elen = key[0];
  if (elen === 0) {
    elen = (key[1] << 8) | key[2];
    p = 3;
  }
  const e = key.subarray(p, p + elen);
  let n = key.subarray(p + elen);
  while (n.length > 1 && n[0] === 0) n = n.subarray(1);
  if (e.length === 0 || n.length === 0 || p + elen > key.length) throw new Error('malformed RSA public key');
  return { kty: 'RSA', n: b64url(n), e: b64url(e) };
}

function rsa(hash: string) {
  return async (key: Uint8Array): Promise<CryptoKey> =>
    subtle().importKey('jwk', { ...rsaJwk(key), ext: true }, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']);
}

function ecLength(curve: string, size: number, key: Uint8Array): void {
  if (key.length !== 2 * size) throw new Error(`an ${curve} key is ${2 * size} octets, this one ${key.length}`);
}

function ec(curve: string, size: number) {
  return (key: Uint8Array): Promise<CryptoKey> => {
    ecLength(curve, size, key);
    const raw = new Uint8Array(1 + key.length);
    raw[0] = 4;
    raw.set(key, 1);
    return subtle().importKey('raw', raw, { name: 'ECDSA', namedCurve: curve }, false, ['verify']);
  };
}

function ecJwk(curve: string, size: number) {
  return (key: Uint8Array): object => {
    ecLength(curve, size, key);
    return { kty: 'EC', crv: curve, x: b64url(key.subarray(0, size)), y: b64url(key.subarray(size)) };
  };
}

function ed(name: string) {
  return (key: Uint8Array): Promise<CryptoKey> => subtle().importKey('raw', key.slice(), { name }, false, ['verify']);
}

const edJwk = (crv: string) => (key: Uint8Array): object => ({ kty: 'OKP', crv, x: b64url(key) });

const RSA = { name: 'RSASSA-PKCS1-v1_5' };
const ALGORITHMS: Record<number, AlgorithmSpec> = {
  5: { name: 'RSASHA1', import: rsa('SHA-1'), verify: RSA, jwk: rsaJwk, hash: 'sha1' },
  7: { name: 'RSASHA1-NSEC3-SHA1', import: rsa('SHA-1'), verify: RSA, jwk: rsaJwk, hash: 'sha1' },
  8: { name: 'RSASHA256', import: rsa('SHA-256'), verify: RSA, jwk: rsaJwk, hash: 'sha256' },
  10: { name: 'RSASHA512', import: rsa('SHA-512'), verify: RSA, jwk: rsaJwk, hash: 'sha512' },
  13: { name: 'ECDSAP256SHA256', import: ec('P-256', 32), verify: { name: 'ECDSA', hash: 'SHA-256' }, jwk: ecJwk('P-256', 32), hash: 'sha256' },
  14: { name: 'ECDSAP384SHA384', import: ec('P-384', 48), verify: { name: 'ECDSA', hash: 'SHA-384' }, jwk: ecJwk('P-384', 48), hash: 'sha384' },
  15: { name: 'ED25519', import: ed('Ed25519'), verify: { name: 'Ed25519' }, jwk: edJwk('Ed25519'), hash: null },
  16: { name: 'ED448', import: ed('Ed448'), verify: { name: 'Ed448' }, jwk: edJwk('Ed448'), hash: null },
};

/** True when signatures of this DNSSEC algorithm can be verified here. */
export function canVerify(algorithm: number): boolean {
  return algorithm in ALGORITHMS;
}

export const VERIFIABLE_ALGORITHMS: readonly number[] = Object.keys(ALGORITHMS).map(Number);

/** A public key ready to verify with (WebCrypto's, or a NativeVerifier's), or why it cannot be. */
export type PublicKey = { key: CryptoKey | object; algorithm: number } | { error: string };

/** Imports the public key of DNSKEY key material for its algorithm (with `native` when given). Never throws. */
export async function importDnskey(algorithm: number, key: Uint8Array, native?: NativeVerifier): Promise<PublicKey> {
  const spec = ALGORITHMS[algorithm];
  if (!spec) return { error: `algorithm ${algorithm} cannot be verified here` };
  try {
    return { key: native ? native.publicKey(spec.jwk(key)) : await spec.import(key), algorithm };
  } catch (e) {
    return { error: `the public key does not load (${e instanceof Error ? e.message : String(e)})` };
  }
}

/**
 * Verifies a signature over `data` with a key importDnskey made (with the same `native`); false
 * when it does not verify (or cannot be checked). Never throws.
 */
export async function verifySignature(key: CryptoKey | object, algorithm: number, signature: Uint8Array, data: Uint8Array, native?: NativeVerifier): Promise<boolean> {
  const spec = ALGORITHMS[algorithm];
  if (!spec) return false;
  if (native) return native.verify(spec.hash, key, signature, data);
  try {
    return await subtle().verify(spec.verify, key as CryptoKey, signature, data);
  } catch {
    return false;
  }
}

const DIGESTS: Record<number, string> = { 1: 'SHA-1', 2: 'SHA-256', 4: 'SHA-384' };

/** The DS digest (RFC 4034 §5.1.4: owner name wire, lower-cased, then DNSKEY RDATA); undefined for an unknown digest type. */
export async function dsDigest(digestType: number, ownerWire: Uint8Array, dnskeyRdata: Uint8Array): Promise<Uint8Array | undefined> {
  const hash = DIGESTS[digestType];
  if (!hash) return undefined;
  const data = new Uint8Array(ownerWire.length + dnskeyRdata.length);
  data.set(ownerWire);
  data.set(dnskeyRdata, ownerWire.length);
  return new Uint8Array(await subtle().digest(hash, data));
}

export async function digest(hash: 'SHA-384' | 'SHA-512', data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest(hash, data));
}

/** SHA-1 (FIPS 180-4), synchronous; for NSEC3 owner hashes. */
export function sha1(msg: Uint8Array): Uint8Array {
  const ml = msg.length;
  const total = ((ml + 8) >> 6) + 1;
  const w = new Uint32Array(80);
  const blocks = new Uint8Array(total * 64);
  blocks.set(msg);
  blocks[ml] = 0x80;
  const bits = ml * 8;
  const end = total * 64;
  blocks[end - 4] = (bits >>> 24) & 0xff;
  blocks[end - 3] = (bits >>> 16) & 0xff;
  blocks[end - 2] = (bits >>> 8) & 0xff;
  blocks[end - 1] = bits & 0xff;
  blocks[end - 5] = Math.floor(bits / 2 ** 32) & 0xff;
  let h0 = 0x67452301, h1 = 0xefcdab89, h2 = 0x98badcfe, h3 = 0x10325476, h4 = 0xc3d2e1f0;
  for (let b = 0; b < end; b += 64) {
    for (let i = 0; i < 16; i++) {
      const o = b + 4 * i;
      w[i] = (blocks[o] << 24) | (blocks[o + 1] << 16) | (blocks[o + 2] << 8) | blocks[o + 3];
    }
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = h0, bb = h1, c = h2, d = h3, e = h4;
    for (let i = 0; i < 80; i++) {
      let f: number, k: number;
      if (i < 20) { f = (bb & c) | (~bb & d); k = 0x5a827999; }
      else if (i < 40) { f = bb ^ c ^ d; k = 0x6ed9eba1; }
      else if (i < 60) { f = (bb & c) | (bb & d) | (c & d); k = 0x8f1bbcdc; }
      else { f = bb ^ c ^ d; k = 0xca62c1d6; }
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]) | 0;
      e = d;
      d = c;
      c = (bb << 30) | (bb >>> 2);
      bb = a;
      a = t;
    }
    h0 = (h0 + a) | 0; h1 = (h1 + bb) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0; h4 = (h4 + e) | 0;
  }
  const out = new Uint8Array(20);
  [h0, h1, h2, h3, h4].forEach((h, i) => {
    out[4 * i] = h >>> 24; out[4 * i + 1] = (h >>> 16) & 0xff; out[4 * i + 2] = (h >>> 8) & 0xff; out[4 * i + 3] = h & 0xff;
  });
  return out;
}

/** The NSEC3 hash of a lower-cased wire name (RFC 5155 §5): SHA-1 over name||salt, then `iterations` times over hash||salt. */
export function nsec3Hash(nameWire: Uint8Array, salt: Uint8Array, iterations: number): Uint8Array {
  const buf = new Uint8Array(Math.max(nameWire.length, 20) + salt.length);
  buf.set(nameWire);
  buf.set(salt, nameWire.length);
  let h = sha1(buf.subarray(0, nameWire.length + salt.length));
  for (let i = 0; i < iterations; i++) {
    buf.set(h);
    buf.set(salt, 20);
    h = sha1(buf.subarray(0, 20 + salt.length));
  }
  return h;
}

export function algorithmName(algorithm: number): string {
  return ALGORITHMS[algorithm]?.name ?? ({ 1: 'RSAMD5', 3: 'DSA', 6: 'DSA-NSEC3-SHA1', 12: 'ECC-GOST', 17: 'SM2SM3', 23: 'ECC-GOST12' } as Record<number, string>)[algorithm] ?? `algorithm ${algorithm}`;
}
