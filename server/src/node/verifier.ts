import * as crypto from 'node:crypto';
import type { NativeVerifier } from '../core';

/**
 * DNSSEC signature verification with node:crypto, for `ZoneIO.verifier` (the CLI): the same
 * OpenSSL checks as Node's WebCrypto, without its per-call algorithm normalization and promise
 * layers, which a short run (the root zone's 2,849 signatures) executes before they are
 * compiled: ~40-55 µs of CPU per RSA-2048 signature against ~25-35 here. Asynchronous (libuv's
 * thread pool), so a large signed zone is still verified on several threads.
 */
export const nodeVerifier: NativeVerifier = {
  publicKey(jwk: object): object {
    return crypto.createPublicKey({ key: jwk as crypto.JsonWebKey, format: 'jwk' });
  },
  verify(hash: string | null, key: object, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
    return new Promise((resolve) => {
      try {
        crypto.verify(hash, data, { key: key as crypto.KeyObject, dsaEncoding: 'ieee-p1363' }, signature, (err, ok) => resolve(!err && ok));
      } catch {
        resolve(false);
      }
    });
  },
};
