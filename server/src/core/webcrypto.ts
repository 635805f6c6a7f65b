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
