/**
 * TLSA association data (server/src/core/certs/hash.ts, load.ts) against the openssl pipeline
 * for the same file: every selector × matching type, for RSA, EC P-256 and Ed25519 certificates
 * and for keys (PKCS#8, traditional, public, DER) and CSRs.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { toHex } from '../../server/src/core/certs/asn1';
import { associationData, associationHex, recordSpecFor, subjectForUsage } from '../../server/src/core/certs/hash';
import { describeMaterial, KeyMaterial, loadKeyMaterial } from '../../server/src/core/certs/load';
import { makeFixtures, openssl, opensslMatching, opensslMissing } from './certs-fixtures';

const fx = opensslMissing ? undefined : makeFixtures();
after(() => fx?.cleanup());

async function load(name: string): Promise<KeyMaterial> {
  const r = await loadKeyMaterial(fx!.read(name));
  assert.ok(r.ok, `${name}: ${!r.ok && r.error}`);
  return r.material;
}

async function hexes(m: KeyMaterial, selectors: number[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const s of selectors) for (const mt of [0, 1, 2]) out[`${s} ${mt}`] = (await associationHex(m, s, mt))!;
  return out;
}

function expected(certDer: Buffer | undefined, spki: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  if (certDer) for (const mt of [0, 1, 2]) out[`0 ${mt}`] = opensslMatching(certDer, mt);
  for (const mt of [0, 1, 2]) out[`1 ${mt}`] = opensslMatching(spki, mt);
  return out;
}

test('certificates: selector 0/1 × matching 0/1/2 equal openssl x509 … | openssl dgst, for RSA, EC P-256, Ed25519, PEM and DER', { skip: opensslMissing }, async () => {
  const f = fx!;
  for (const k of ['rsa', 'ec', 'ed']) {
    const want = expected(f.certDer(`${k}.pem`), f.certSpki(`${k}.pem`));
    const pem = await load(`${k}.pem`);
    assert.equal(pem.kind, 'certificate');
    assert.equal(pem.format, 'PEM');
    assert.deepEqual(await hexes(pem, [0, 1]), want, `${k}.pem`);
    fs.writeFileSync(f.p(`${k}.der`), f.certDer(`${k}.pem`));
    const der = await load(`${k}.der`);
    assert.equal(der.format, 'DER');
    assert.deepEqual(await hexes(der, [0, 1]), want, `${k}.der`);
    assert.equal(pem.subject, 'CN=mx1.example.com');
    assert.deepEqual(pem.certificates[0].sans, ['mx1.example.com']);
  }
  assert.match((await load('rsa.pem')).keyAlgorithm, /^RSA 2048-bit$/);
  assert.equal((await load('ec.pem')).keyAlgorithm, 'EC P-256');
  assert.equal((await load('ed.pem')).keyAlgorithm, 'Ed25519');
});

test('keys: PKCS#8, traditional RSA/EC, public keys (PEM, DER, PKCS#1) give the SPKI data of openssl pkey -pubout', { skip: opensslMissing }, async () => {
  const f = fx!;
  const derive = (args: string[], out: string, input?: string) => { fs.writeFileSync(f.p(out), openssl(args, input, f.dir)); return out; };
  for (const k of ['rsa', 'ec', 'ed']) {
    const want = expected(undefined, f.keySpki(`${k}.key`));
    // The certificate's key is the same key.
    assert.deepEqual(want, expected(undefined, f.certSpki(`${k}.pem`)));
    const files = [
      `${k}.key`,
      derive(['pkey', '-in', `${k}.key`, '-outform', 'DER'], `${k}.key.der`),
      derive(['pkey', '-in', `${k}.key`, '-pubout'], `${k}.pub`),
      derive(['pkey', '-in', `${k}.key`, '-pubout', '-outform', 'DER'], `${k}.pub.der`),
    ];
    if (k !== 'ed') files.push(derive(['pkey', '-in', `${k}.key`, '-traditional'], `${k}.trad.key`));
    if (k === 'rsa') files.push(derive(['rsa', '-in', 'rsa.key', '-RSAPublicKey_out'], 'rsa.pkcs1.pub'));
    if (k === 'ec') {
      // `openssl ecparam -genkey` style: EC PARAMETERS before EC PRIVATE KEY.
      fs.writeFileSync(f.p('ec.params.key'), openssl(['ecparam', '-name', 'prime256v1'], undefined, f.dir).toString() + fs.readFileSync(f.p('ec.trad.key'), 'utf8'));
      files.push('ec.params.key');
    }
    for (const file of files) {
      const m = await load(file);
      assert.deepEqual(await hexes(m, [1]), want, file);
      assert.equal(m.kind, /pub/.test(file) ? 'public-key' : 'private-key', file);
      assert.equal(m.certificates.length, 0);
    }
  }
  const trad = fs.readFileSync(f.p('rsa.trad.key'), 'utf8');
  assert.match(trad, /^-----BEGIN RSA PRIVATE KEY-----/);
  assert.match(fs.readFileSync(f.p('ec.trad.key'), 'utf8'), /^-----BEGIN EC PRIVATE KEY-----/);
  assert.match(fs.readFileSync(f.p('rsa.pkcs1.pub'), 'utf8'), /^-----BEGIN RSA PUBLIC KEY-----/);
  assert.equal(describeMaterial(await load('ed.key')), 'Ed25519 private key (its public half)');
});

test('CSRs give the SPKI data of openssl req -pubkey; selector 0 needs a certificate', { skip: opensslMissing }, async () => {
  const f = fx!;
  for (const csr of ['leaf.csr', 'next.csr']) {
    const m = await load(csr);
    assert.equal(m.kind, 'csr');
    assert.equal(m.subject, 'CN=mx1.example.com');
    assert.deepEqual(await hexes(m, [1]), expected(undefined, f.csrSpki(csr)), csr);
    const r = await associationData(m, 0, 1);
    assert.ok('error' in r);
    assert.equal(r.error, 'selector 0 (the full certificate) needs a certificate, and this file holds a certificate request: use selector 1 (the public key), as `3 1 1` does');
  }
  assert.deepEqual(await hexes(await load('leaf.csr'), [1]), expected(undefined, f.keySpki('leaf.key')));
  const key = await load('next.key');
  const r = await associationData(key, 0, 0);
  assert.ok('error' in r && /holds a private key/.test(r.error));
});

test('chains: the leaf for usage 3, the issuing CA (not the root) for usage 2', { skip: opensslMissing }, async () => {
  const f = fx!;
  const chain = await load('chain3.pem');
  assert.equal(chain.kind, 'chain');
  assert.deepEqual(chain.certificates.map((c) => c.subject), ['CN=mx1.example.com', 'CN=Test Issuing CA, O=Test', 'CN=Test Root CA, O=Test']);
  assert.deepEqual(chain.certificates[0].sans, ['mx1.example.com', 'mail.example.com']);
  assert.equal(chain.certificates[1].isCA, true);
  assert.equal(chain.certificates[0].isCA, false);
  assert.equal(chain.certificates[2].selfIssued, true);
  const ee = await recordSpecFor(chain, 3, 1, 1);
  assert.deepEqual(ee, { usage: 3, selector: 1, matchingType: 1, hex: opensslMatching(f.certSpki('leaf.pem'), 1) });
  const ta = await recordSpecFor(chain, 2, 1, 1);
  assert.deepEqual(ta, { usage: 2, selector: 1, matchingType: 1, hex: opensslMatching(f.certSpki('int.pem'), 1) });
  const ta0 = await recordSpecFor(chain, 2, 0, 2);
  assert.deepEqual(ta0, { usage: 2, selector: 0, matchingType: 2, hex: opensslMatching(f.certDer('int.pem'), 2) });
  // A chain given root first is put in order.
  fs.writeFileSync(f.p('reversed.pem'), ['root.pem', 'int.pem', 'leaf.pem'].map((n) => fs.readFileSync(f.p(n), 'utf8')).join(''));
  const rev = await load('reversed.pem');
  assert.deepEqual(rev.certificates.map((c) => c.subject), ['CN=mx1.example.com', 'CN=Test Issuing CA, O=Test', 'CN=Test Root CA, O=Test']);
  assert.deepEqual(rev.notes, ['the certificates were put in chain order (leaf first): CN=mx1.example.com is the leaf']);
  // Only the leaf: no issuer for usage 2.
  const leaf = await load('leaf.pem');
  const none = subjectForUsage(leaf, 2);
  assert.ok('error' in none);
  assert.equal(none.error, 'usage 2 needs the issuing CA\'s certificate, and the file holds only the leaf certificate: link the full chain (leaf first, e.g. fullchain.pem)');
  // A certificate with its private key in one file (haproxy style): the certificate counts, the key is not used.
  fs.writeFileSync(f.p('combined.pem'), fs.readFileSync(f.p('leaf.pem'), 'utf8') + fs.readFileSync(f.p('leaf.key'), 'utf8'));
  const combined = await load('combined.pem');
  assert.equal(combined.kind, 'certificate');
  assert.equal(toHex(combined.spki), f.certSpki('leaf.pem').toString('hex'));
  assert.deepEqual(combined.notes, ['the PRIVATE KEY block at line 1 (private key) was not used'.replace('line 1', `line ${fs.readFileSync(f.p('leaf.pem'), 'utf8').split('\n').length}`)]);
  // PKCS#7 bundle (openssl crl2pkcs7).
  fs.writeFileSync(f.p('chain.p7b'), openssl(['crl2pkcs7', '-nocrl', '-certfile', 'fullchain.pem'], undefined, f.dir));
  const p7 = await load('chain.p7b');
  assert.deepEqual(p7.certificates.map((c) => c.subject), ['CN=mx1.example.com', 'CN=Test Issuing CA, O=Test']);
});
