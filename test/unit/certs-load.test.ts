/**
 * What loadKeyMaterial (server/src/core/certs/load.ts) says about files that are not usable:
 * one clear sentence, never an exception, never key material in the message, and fast on
 * huge input.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { associationHex } from '../../server/src/core/certs/hash';
import { ENCRYPTED_KEY, loadKeyMaterial } from '../../server/src/core/certs/load';
import { makeFixtures, openssl, opensslMatching, opensslMissing } from './certs-fixtures';

const fx = opensslMissing ? undefined : makeFixtures();
after(() => fx?.cleanup());

async function error(bytes: Uint8Array | string, maxBytes?: number): Promise<string> {
  const r = await loadKeyMaterial(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes, { maxBytes });
  assert.equal(r.ok, false, 'expected an error');
  return !r.ok ? r.error : '';
}

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01]);

test('not certificates: JPEG, random bytes, text, empty, huge, OpenSSH keys', async () => {
  assert.equal(await error(JPEG), 'this is a JPEG image, not a certificate or key: link a PEM or DER certificate, public key or CSR');
  let seed = 7;
  const random = new Uint8Array(4096).map(() => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff);
  random[0] = 0x9c;
  assert.equal(await error(random), 'not a certificate or key: neither PEM text nor DER');
  random[0] = 0x30; // starts like DER, is not
  assert.match(await error(random), /^the data is cut short|^not DER|octets follow|neither a certificate/);
  assert.equal(await error('hello\nworld\n'), 'a text file without a `-----BEGIN …-----` line: not a PEM certificate or key');
  assert.equal(await error(new Uint8Array(0)), 'the file is empty');
  assert.equal(await error('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@host\n'),
    'an OpenSSH public key, not a TLS one: give the server\'s TLS certificate (or convert with `ssh-keygen -e -m PKCS8 -f FILE`)');
  const t0 = Date.now();
  const huge = new Uint8Array(100 * 1024 * 1024);
  assert.equal(await error(huge), 'too large for a certificate or key (100 MiB; the limit is 1.0 MiB)');
  assert.ok(Date.now() - t0 < 1000, 'refused without reading');
  assert.equal(await error(new Uint8Array(2048).fill(0x41), 1024), 'too large for a certificate or key (2.0 KiB; the limit is 1.0 KiB)');
});

test('broken PEM: truncated, bad base64, mismatched END, cut-short DER', { skip: opensslMissing }, async () => {
  const pem = fs.readFileSync(fx!.p('leaf.pem'), 'utf8');
  assert.equal(await error(pem.slice(0, pem.length >> 1)),
    'truncated PEM: `-----BEGIN CERTIFICATE-----` at line 1 has no `-----END CERTIFICATE-----` line (the file is cut short?)');
  const lines = pem.trimEnd().split('\n');
  const cut = [...lines.slice(0, 6), lines[lines.length - 1]].join('\n') + '\n';
  assert.match(await error(cut), /^the CERTIFICATE block at line 1: the certificate is cut short: its DER structure announces \d+ octets but only 240 are there$/);
  assert.equal(await error(pem.replace(/\n([A-Za-z0-9+/]{10})/, '\n%$1')), 'the CERTIFICATE block at line 1 is not valid base64: `%` is not a base64 character');
  assert.equal(await error(pem.replace('-----END CERTIFICATE-----', '-----END PUBLIC KEY-----')),
    'the `-----BEGIN CERTIFICATE-----` block at line 1 ends with `-----END PUBLIC KEY-----`');
  // A chain whose second certificate is broken is not used half.
  const broken = pem + '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  assert.match(await error(broken), /^the CERTIFICATE block at line \d+: the certificate is cut short/);
});

test('encrypted private keys (PKCS#8 and traditional) are refused with the advice, and nothing of the key is echoed', { skip: opensslMissing }, async () => {
  const f = fx!;
  const enc = openssl(['pkey', '-in', 'rsa.key', '-aes256', '-passout', 'pass:secret'], undefined, f.dir);
  assert.match(enc.toString(), /BEGIN ENCRYPTED PRIVATE KEY/);
  assert.equal(await error(enc), ENCRYPTED_KEY);
  assert.match(ENCRYPTED_KEY, /^encrypted private key: give the certificate or public key instead/);
  const trad = openssl(['rsa', '-in', 'rsa.key', '-aes256', '-passout', 'pass:secret', '-traditional'], undefined, f.dir);
  assert.match(trad.toString(), /Proc-Type: 4,ENCRYPTED/);
  assert.equal(await error(trad), ENCRYPTED_KEY);
  const der = openssl(['pkcs8', '-topk8', '-in', 'ec.key', '-outform', 'DER', '-passout', 'pass:secret', '-v2', 'aes-256-cbc'], undefined, f.dir);
  assert.equal(await error(der), ENCRYPTED_KEY);
  // PKCS#12
  const p12 = openssl(['pkcs12', '-export', '-in', 'leaf.pem', '-inkey', 'leaf.key', '-passout', 'pass:secret'], undefined, f.dir);
  assert.match(await error(p12), /^a PKCS#12 \(\.p12\/\.pfx\) bundle/);
  // Messages never carry key material: not the base64 of the key, not its hex.
  const key = fs.readFileSync(f.p('rsa.key'), 'utf8');
  const body = key.split('\n')[3];
  for (const bad of [key.replace(/\n-----END PRIVATE KEY-----\n$/, '\n'), key.replace(body, body.slice(0, 20) + '*' + body.slice(21))]) {
    const e = await error(bad);
    assert.ok(!e.includes(body.slice(0, 16)) && !/[0-9a-f]{32}/.test(e), e);
  }
});

test('an EC private key without its public point: the point is computed (WebCrypto)', { skip: opensslMissing }, async () => {
  const f = fx!;
  const nopub = openssl(['ec', '-in', 'ec.key', '-no_public'], undefined, f.dir);
  assert.doesNotMatch(openssl(['asn1parse'], nopub).toString(), /cont \[ 1 \]/);
  const r = await loadKeyMaterial(nopub);
  assert.ok(r.ok, !r.ok ? r.error : '');
  assert.equal(await associationHex(r.material, 1, 1), opensslMatching(f.keySpki('ec.key'), 1));
});
