/**
 * The WebCrypto calls the core makes, typed once: the core builds without DOM and Node types
 * (core/tsconfig.json), and reaches the platform's `globalThis.crypto.subtle` (Node ≥ 19,
 * browsers, VS Code for the web) only through subtleCrypto().
 */

/** An imported key (opaque to the core). */
export interface WebCryptoKey {
  readonly type: string;
}

export interface SubtleCryptoLike {
  digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer>;
  importKey(format: 'spki' | 'pkcs8' | 'raw', key: Uint8Array, algorithm: object, extractable: boolean, usages: string[]): Promise<WebCryptoKey>;
  importKey(format: 'jwk', key: object, algorithm: object, extractable: boolean, usages: string[]): Promise<WebCryptoKey>;
  exportKey(format: 'jwk', key: WebCryptoKey): Promise<{ x?: string; y?: string }>;
  verify(algorithm: object, key: WebCryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}

/** The platform's SubtleCrypto, or undefined where there is none. */
export function subtleCrypto(): SubtleCryptoLike | undefined {
  return (globalThis as { crypto?: { subtle?: SubtleCryptoLike } }).crypto?.subtle;
}

/**
 * A platform's own public-key signature verification, given to the core through
 * `ZoneIO.verifier` (the CLI gives Node's node:crypto: the same OpenSSL checks as its WebCrypto,
 * with much less work per call; the browser has only WebCrypto). DNSSEC validation uses it when
 * given; `test/unit/dnssec-verifier.test.ts` holds it to WebCrypto's results.
 */
export interface NativeVerifier {
  /** A public key from its JWK (RSA, EC or OKP members); throws when it does not load. */
  publicKey(jwk: object): object;
  /**
   * Whether `signature` verifies over `data`: `hash` 'sha1', 'sha256', 'sha384' or 'sha512'
   * (null for EdDSA), an ECDSA signature as r||s. Resolves false on any error; never rejects.
   */
  verify(hash: string | null, key: object, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}
