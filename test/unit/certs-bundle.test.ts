/**
 * Large certificate containers (issue 17 item 4): chain ordering is linear (the work is counted,
 * not timed), a file with more certificates than a chain ever has is refused with a clear
 * sentence, and the language server's cache of loaded files is keyed by path + size + mtime.
 * The bundles are made here: small v1 certificates (Ed25519 key, dummy signature, ~140 octets
 * each) in a PKCS#7 SignedData, shuffled with a fixed seed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat } from '../../server/src/core/certs/asn1';
import { ChainWork } from '../../server/src/core/certs/chain';
import { DEFAULT_CERT_MAX_BYTES, loadKeyMaterial, MAX_CERTIFICATES } from '../../server/src/core/certs/load';
import { checkCertificates, LoadedFile } from '../../server/src/core/certs/checks';
import { viewOfParsed } from '../../server/src/core/dane/view';
import { parseZone } from '../../server/src/core/parser';

/** DER encoding of an OID from its dotted form. */
function encodeOid(oid: string): Uint8Array {
  const n = oid.split('.').map(Number);
  const out: number[] = [];
  const arcs = [n[0] * 40 + n[1], ...n.slice(2)];
  for (const a of arcs) {
    const bytes = [a & 0x7f];
    for (let v = Math.floor(a / 128); v > 0; v = Math.floor(v / 128)) bytes.unshift((v & 0x7f) | 0x80);
    out.push(...bytes);
  }
  return encodeTlv(0x06, Uint8Array.from(out));
}

/** One DER TLV from a tag and its content. */
function encodeTlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const head: number[] = [tag];
  if (n < 0x80) head.push(n);
  else {
    const len: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) len.unshift(v & 0xff);
    head.push(0x80 | len.length, ...len);
  }
  const out = new Uint8Array(head.length + n);
  out.set(head, 0);
  out.set(content, head.length);
  return out;
}

const SEQ = 0x30;
const seq = (...parts: Uint8Array[]) => encodeTlv(SEQ, concat(...parts));
const utf8 = (s: string) => new TextEncoder().encode(s);
const name = (cn: string) => seq(encodeTlv(0x31, seq(encodeOid('2.5.4.3'), encodeTlv(0x0c, utf8(cn)))));
const ED25519 = seq(encodeOid('1.3.101.112'));
const time = (s: string) => encodeTlv(0x17, utf8(s));
const SPKI = seq(ED25519, encodeTlv(0x03, concat(Uint8Array.of(0), new Uint8Array(32).fill(7))));

/** A v1 certificate `cn` issued by `issuer` (the signature is not checked by ordering or loading). */
function smallCert(serial: number, cn: string, issuer: string): Uint8Array {
  const tbs = seq(encodeTlv(0x02, Uint8Array.of((serial >> 8) & 0x7f, serial & 0xff)), ED25519, name(issuer),
    seq(time('260101000000Z'), time('360101000000Z')), name(cn), SPKI);
  return seq(tbs, ED25519, encodeTlv(0x03, Uint8Array.of(0, 0)));
}

/** A PKCS#7 SignedData holding `certs` (what `openssl crl2pkcs7 -nocrl` writes). */
function pkcs7(certs: Uint8Array[]): Uint8Array {
  const signed = seq(encodeTlv(0x02, Uint8Array.of(1)), encodeTlv(0x31, new Uint8Array(0)), seq(encodeOid('1.2.840.113549.1.7.1')),
    encodeTlv(0xa0, concat(...certs)), encodeTlv(0x31, new Uint8Array(0)));
  return seq(encodeOid('1.2.840.113549.1.7.2'), encodeTlv(0xa0, signed));
}

/** A chain c0 ← c1 ← … ← c(n-1) (c0 the leaf, the last self-issued), shuffled with a fixed seed. */
function shuffledChain(n: number): Uint8Array[] {
  const certs = Array.from({ length: n }, (_, i) => smallCert(i, `c${i}`, `c${Math.min(i + 1, n - 1)}`));
  let seed = 12345;
  for (let i = n - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [certs[i], certs[j]] = [certs[j], certs[i]];
  }
  return certs;
}

test('a shuffled chain of 1,000 certificates is put in order with linear work', async () => {
  const n = MAX_CERTIFICATES;
  const work: ChainWork = { steps: 0 };
  const r = await loadKeyMaterial(pkcs7(shuffledChain(n)), { work });
  assert.ok(r.ok, !r.ok ? r.error : '');
  const m = r.material;
  assert.equal(m.kind, 'chain');
  assert.equal(m.certificates.length, n);
  assert.deepEqual(m.certificates.map((c) => c.subject), Array.from({ length: n }, (_, i) => `CN=c${i}`));
  assert.deepEqual(m.notes, ['the certificates were put in chain order (leaf first): CN=c0 is the leaf']);
  // The pairwise search did about n²/2 comparisons per step of the walk (n³ in all); this is a few per certificate.
  assert.ok(work.steps <= 10 * n, `${work.steps} steps for ${n} certificates`);
  // Twice the certificates, about twice the work.
  const work2: ChainWork = { steps: 0 };
  const r2 = await loadKeyMaterial(pkcs7(shuffledChain(2 * n)), { work: work2, maxCertificates: 2 * n });
  assert.ok(r2.ok);
  assert.ok(work2.steps <= 2.2 * work.steps, `${work2.steps} vs ${work.steps}`);
});

test('a 1 MiB PKCS#7 bundle of 7,500 certificates is refused with a clear sentence, before the certificates are parsed', async () => {
  const bundle = pkcs7(shuffledChain(7500));
  assert.ok(bundle.length <= DEFAULT_CERT_MAX_BYTES && bundle.length > 1_000_000, `${bundle.length} octets`);
  const work: ChainWork = { steps: 0 };
  assert.deepEqual(await loadKeyMaterial(bundle, { work }), {
    ok: false,
    error: '7500 certificates in one file, more than the 1000 read: link the server\'s own chain (leaf first, e.g. fullchain.pem), not a bundle of CAs',
  });
  assert.equal(work.steps, 0, 'not ordered');
  // The same in PEM.
  const pem = shuffledChain(1001).map((d) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(d).toString('base64')}\n-----END CERTIFICATE-----\n`).join('');
  const r = await loadKeyMaterial(new TextEncoder().encode(pem));
  assert.equal(!r.ok && r.error.split(',')[0], '1001 certificates in one file');
});

test('loaded files are kept by path + size + mtime: a replaced file is read again, an unchanged one is not', async () => {
  const leafOf = (cn: string) => smallCert(1, cn, cn);
  const files = new Map<string, { bytes: Uint8Array; mtimeMs: number }>([['/z/mx1.der', { bytes: leafOf('a'), mtimeMs: 1 }]]);
  const reads: string[] = [];
  const io = {
    resolvePath: (_: string | undefined, p: string) => (p.startsWith('/') ? p : `/z/${p}`),
    statFile(p: string) {
      const f = files.get(p);
      if (!f) throw new Error('no such file');
      return { size: f.bytes.length, mtimeMs: f.mtimeMs };
    },
    readBytes(p: string) {
      reads.push(p);
      const f = files.get(p);
      if (!f) throw new Error('no such file');
      return f.bytes;
    },
  };
  const text = '$ORIGIN example.com.\n@ SOA ns hm 1 2 3 4 5\n; dane-zone cert=mx1.der next=missing.der\n_25._tcp.mx1 3600 TLSA 3 0 0 00\n';
  const fileCache = new Map<string, Promise<LoadedFile>>();
  const run = () => checkCertificates(viewOfParsed(parseZone(text)), { zoneFile: '/z/zone', fileCache }, io, new Date('2027-01-01T00:00:00Z'));
  await run();
  await run();
  // The missing file is tried each run (it may appear); the certificate is read once.
  assert.deepEqual(reads, ['/z/mx1.der', '/z/missing.der', '/z/missing.der']);
  files.set('/z/mx1.der', { bytes: leafOf('b'), mtimeMs: 2 });
  await run();
  assert.deepEqual(reads.slice(3), ['/z/mx1.der', '/z/missing.der']);
  assert.deepEqual([...fileCache.keys()], ['/z/mx1.der\0' + leafOf('b').length + '\x002'], 'only the newest version kept');
});
