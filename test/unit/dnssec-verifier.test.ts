import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { test } from 'node:test';
import { importDnskey, verifySignature } from '../../server/src/core/dnssec/crypto';
import { validateDnssec } from '../../server/src/core/dnssec/validate';
import { parseZone } from '../../server/src/core/parser';
import { nodeVerifier } from '../../server/src/node/verifier';
import { SIGNED } from './dnssec-fixture';

/**
 * The CLI verifies DNSSEC signatures with node:crypto (`ZoneIO.verifier`, node/verifier.ts),
 * the editor and the browser with WebCrypto: both must give the same verdict on every key and
 * signature, good or broken. (dnssec-signers.test.ts compares the two on zones signed by BIND,
 * ldns and Knot, and their broken copies.)
 */

type Case = { alg: number; kind: 'rsa' | 'ec' | 'ed25519' | 'ed448'; hash: string | null; bits?: number; curve?: string; size?: number };

const CASES: Case[] = [
  { alg: 5, kind: 'rsa', hash: 'sha1', bits: 1024 },
  { alg: 7, kind: 'rsa', hash: 'sha1', bits: 2048 },
  { alg: 8, kind: 'rsa', hash: 'sha256', bits: 2048 },
  { alg: 10, kind: 'rsa', hash: 'sha512', bits: 4096 },
  { alg: 13, kind: 'ec', hash: 'sha256', curve: 'P-256', size: 32 },
  { alg: 14, kind: 'ec', hash: 'sha384', curve: 'P-384', size: 48 },
  { alg: 15, kind: 'ed25519', hash: null },
  { alg: 16, kind: 'ed448', hash: null },
];

const b64 = (s: string) => Buffer.from(s, 'base64url');

/** DNSKEY key material (RFC 3110, RFC 6605, RFC 8080) and a signing key. */
function keyPair(c: Case): { material: Uint8Array; privateKey: crypto.KeyObject } {
  const { publicKey, privateKey } = c.kind === 'rsa'
    ? crypto.generateKeyPairSync('rsa', { modulusLength: c.bits!, publicExponent: c.alg === 5 ? 3 : 65537 })
    : c.kind === 'ec' ? crypto.generateKeyPairSync('ec', { namedCurve: c.curve! })
      : c.kind === 'ed25519' ? crypto.generateKeyPairSync('ed25519') : crypto.generateKeyPairSync('ed448');
  const jwk = publicKey.export({ format: 'jwk' });
  let material: Buffer;
  if (c.kind === 'rsa') {
    const e = b64(jwk.e!);
    const n = b64(jwk.n!);
    // Algorithm 7's key with the 3-octet exponent length form (0, then two octets).
    material = c.alg === 7 ? Buffer.concat([Buffer.from([0, 0, e.length]), e, n]) : Buffer.concat([Buffer.from([e.length]), e, n]);
  } else if (c.kind === 'ec') material = Buffer.concat([b64(jwk.x!), b64(jwk.y!)]);
  else material = b64(jwk.x!);
  return { material: new Uint8Array(material), privateKey };
}

async function both(alg: number, material: Uint8Array, signature: Uint8Array, data: Uint8Array): Promise<{ web: string; native: string }> {
  const verdict = async (native?: typeof nodeVerifier) => {
    const pub = await importDnskey(alg, material, native);
    if (!('key' in pub)) return 'no key';
    return String(await verifySignature(pub.key, alg, signature, data, native));
  };
  return { web: await verdict(), native: await verdict(nodeVerifier) };
}

test('node:crypto and WebCrypto agree on good and broken signatures of every algorithm', async () => {
  for (const c of CASES) {
    const { material, privateKey } = keyPair(c);
    const data = crypto.randomBytes(300);
    const signature = new Uint8Array(crypto.sign(c.hash, data, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
    const flipped = signature.slice();
    flipped[flipped.length >> 1] ^= 0x10;
    const otherData = Buffer.from(data);
    otherData[0] ^= 1;
    const variants: [string, Uint8Array, Uint8Array][] = [
      ['good', signature, data],
      ['one bit of the signature', flipped, data],
      ['one bit of the data', signature, otherData],
      ['signature cut short', signature.subarray(0, signature.length - 1), data],
      ['signature one octet longer', Uint8Array.of(...signature, 0), data],
      ['empty signature', new Uint8Array(0), data],
    ];
    for (const [name, sig, d] of variants) {
      const r = await both(c.alg, material, sig, d);
      assert.equal(r.native, r.web, `algorithm ${c.alg}, ${name}: node:crypto ${r.native}, WebCrypto ${r.web}`);
      if (name === 'good') assert.equal(r.web, 'true', `algorithm ${c.alg}: the good signature verifies`);
      else assert.notEqual(r.web, 'true', `algorithm ${c.alg}, ${name}`);
    }
  }
});

test('node:crypto and WebCrypto agree on malformed DNSSEC keys', async () => {
  const rand = (n: number) => new Uint8Array(crypto.randomBytes(n));
  const keys: [number, string, Uint8Array][] = [
    [8, 'empty', new Uint8Array(0)],
    [8, 'exponent length only', Uint8Array.of(3)],
    [8, 'exponent longer than the key', Uint8Array.of(200, 1, 0, 1)],
    [8, 'no modulus', Uint8Array.of(3, 1, 0, 1)],
    [8, 'modulus of zeros', Uint8Array.of(3, 1, 0, 1, 0, 0, 0, 0)],
    [8, 'three-octet length form, cut', Uint8Array.of(0, 0)],
    [8, 'short modulus', Uint8Array.of(1, 3, ...rand(16))],
    [5, 'even exponent', Uint8Array.of(1, 2, ...rand(128))],
    [13, 'one octet short', rand(63)],
    [13, 'not on the curve', rand(64)],
    [13, 'all zeros', new Uint8Array(64)],
    [14, 'a P-256 length', rand(64)],
    [14, 'not on the curve', rand(96)],
    [15, '31 octets', rand(31)],
    [15, '33 octets', rand(33)],
    [15, 'random 32 octets', rand(32)],
    [16, '56 octets', rand(56)],
    [16, 'random 57 octets', rand(57)],
    [3, 'DSA (not verifiable here)', rand(64)],
  ];
  for (const [alg, name, material] of keys) {
    const sig = rand(alg === 16 ? 114 : alg === 14 ? 96 : 64);
    const r = await both(alg, material, sig, rand(100));
    assert.equal(r.native, r.web, `algorithm ${alg}, ${name}: node:crypto ${r.native}, WebCrypto ${r.web}`);
    assert.notEqual(r.web, 'true', `algorithm ${alg}, ${name}`);
  }
});

test('a validation with node:crypto gives the findings of one with WebCrypto', async () => {
  const broken = SIGNED.replace('192.0.2.2', '192.0.2.9').replace(/(RRSIG\tNS 15 1 3600 \S+ \S+ 38705 example\. )5/, '$16');
  assert.notEqual(broken, SIGNED);
  for (const text of [SIGNED, broken]) {
    const records = parseZone(text, {}).records;
    const web = await validateDnssec(records, { apex: 'example.' });
    const native = await validateDnssec(records, { apex: 'example.', native: nodeVerifier });
    assert.deepEqual(native, web);
    if (text === broken) assert.ok(web.filter((d) => d.code === 'rrsig-invalid').length >= 2, JSON.stringify(web));
  }
});
