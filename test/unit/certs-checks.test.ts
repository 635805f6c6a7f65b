/**
 * The certificate stage (server/src/core/certs/checks.ts) on inline zone text, with an in-memory
 * io holding files made by openssl: mismatch, stale, unreadable (missing, truncated, JPEG,
 * encrypted, huge), trust anchor not in chain, expiring; links from the directive and from
 * host settings with `{host}`.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseZone } from '../../server/src/core/parser';
import { viewOfParsed } from '../../server/src/core/dane/view';
import { analyzeCertificates, CertCheckOptions, checkCertificates } from '../../server/src/core/certs/checks';
import { hasCertLinks } from '../../server/src/core/certs/link';
import { CertFixData } from '../../server/src/core/certs/actions';
import { ENCRYPTED_KEY } from '../../server/src/core/certs/load';
import { RULES } from '../../server/src/core/rules';
import { ZoneDiagnostic } from '../../server/src/core/types';
import { makeFixtures, openssl, opensslMatching, opensslMissing } from './certs-fixtures';

const fx = opensslMissing ? undefined : makeFixtures();
after(() => fx?.cleanup());

const ZONE_FILE = '/zones/example.com.zone';
const NOW = new Date('2026-01-01T00:00:00Z');

/** An in-memory io: `files` by absolute path; relative paths resolve against the zone file's folder. */
function memoryIO(files: Record<string, Uint8Array | string>) {
  const reads: string[] = [];
  return {
    reads,
    resolvePath: (from: string | undefined, p: string) => (p.startsWith('/') ? path.posix.normalize(p) : path.posix.join(path.posix.dirname(from ?? '/'), p)),
    readBytes(p: string): Uint8Array {
      reads.push(p);
      const f = files[p];
      if (f === undefined) throw new Error('no such file');
      return typeof f === 'string' ? new TextEncoder().encode(f) : f;
    },
  };
}

const HEAD = '$ORIGIN example.com.\n$TTL 3600\n; dane-zone dnssec=signed\n@ SOA ns hm 1 2 3 4 5\n@ MX 10 mx1\nmx1 A 192.0.2.1\n';
const zone = (...lines: string[]) => HEAD + lines.join('\n') + '\n';

async function run(text: string, files: Record<string, Uint8Array | string>, options: Omit<CertCheckOptions, 'zoneFile'> = {}, now = NOW): Promise<ZoneDiagnostic[]> {
  const parsed = parseZone(text);
  return checkCertificates(viewOfParsed(parsed), { zoneFile: ZONE_FILE, ...options }, memoryIO(files), now);
}

const at = (text: string, d: ZoneDiagnostic) => text.slice(d.start, d.end);
const codes = (ds: ZoneDiagnostic[]) => ds.map((d) => d.code);

const pem = (name: string) => fs.readFileSync(fx!.p(name), 'utf8');
const spki1 = (cert: string) => opensslMatching(fx!.certSpki(cert), 1);

test('a linked certificate that matches: no diagnostics; the file is read once per path', { skip: opensslMissing }, async () => {
  const leaf = spki1('leaf.pem');
  const ca = spki1('int.pem');
  const text = zone('; dane-zone cert=certs/mx1.pem', `_25._tcp.mx1 TLSA 3 1 1 ${leaf}`, `_25._tcp.mx1 TLSA 2 1 1 ${ca}`,
    '; dane-zone cert=certs/mx1.pem', `_465._tcp.mx1 TLSA 3 1 1 ${leaf.toUpperCase()}`);
  const io = memoryIO({ '/zones/certs/mx1.pem': pem('fullchain.pem') });
  const ds = await checkCertificates(viewOfParsed(parseZone(text)), { zoneFile: ZONE_FILE }, io, NOW);
  assert.deepEqual(ds, []);
  assert.deepEqual(io.reads, ['/zones/certs/mx1.pem']);
  // A cache kept across runs (the language server's): the second run reads nothing.
  const fileCache = new Map();
  const io2 = memoryIO({ '/zones/certs/mx1.pem': pem('fullchain.pem') });
  for (let k = 0; k < 2; k++) assert.deepEqual(await checkCertificates(viewOfParsed(parseZone(text)), { zoneFile: ZONE_FILE, fileCache }, io2, NOW), []);
  assert.deepEqual(io2.reads, ['/zones/certs/mx1.pem']);
  assert.equal(hasCertLinks(viewOfParsed(parseZone(text))), true);
  assert.equal(hasCertLinks(viewOfParsed(parseZone(zone(`_25._tcp.mx1 TLSA 3 1 1 ${leaf}`)))), false);
  assert.equal(RULES.get('tlsa-cert-expiring')?.severity, 'information');
});

test('tlsa-cert-mismatch: names the file, the subject and what the records hold; on the cert= item; for the next key too', { skip: opensslMissing }, async () => {
  const old = spki1('rsa.pem');
  const text = zone('; dane-zone cert=certs/mx1.pem next=keys/next.key', `_25._tcp.mx1 IN TLSA 3 1 1 ${old}`);
  const ds = await run(text, { '/zones/certs/mx1.pem': pem('fullchain.pem'), '/zones/keys/next.key': pem('next.key') });
  assert.deepEqual(codes(ds), ['tlsa-cert-mismatch', 'tlsa-cert-mismatch']);
  const [cur, next] = ds;
  assert.equal(at(text, cur), 'cert=certs/mx1.pem');
  assert.equal(cur.severity, 'error');
  const leaf = spki1('leaf.pem');
  const notAfter = new Date(openssl(['x509', '-in', 'leaf.pem', '-noout', '-enddate'], undefined, fx!.dir).toString().replace(/^notAfter=/, '').trim()).toISOString().slice(0, 10);
  assert.equal(cur.message,
    `\`cert=certs/mx1.pem\` (chain of 2 certificates (leaf CN=mx1.example.com), expires ${notAfter}) matches none of the records of _25._tcp.mx1.example.com.: ` +
    `its \`3 1 1\` data is ${leaf.slice(0, 8)}…${leaf.slice(-6)}, the records hold \`3 1 1 ${old.slice(0, 8)}…${old.slice(-6)}\`; ` +
    'DANE senders cannot deliver mail to this host while it is in use: update the record from it, or publish its record beside the old one (RFC 7671 §8.1)');
  assert.equal(at(text, next), 'next=keys/next.key');
  assert.match(next.message, /^`next=keys\/next\.key` \(EC P-256 private key \(its public half\)\) matches none of the records of _25\._tcp\.mx1\.example\.com\.: its `3 1 1` data is [0-9a-f]{8}…[0-9a-f]{6}, the records hold `3 1 1 [0-9a-f]{8}…[0-9a-f]{6}`; publish its record 2 × 3600 s = 2 hours before deploying it, or DANE senders cannot deliver mail to this host after the switch \(RFC 7671 §8\.1\)$/);
  const data = cur.data as CertFixData;
  assert.equal(data.fix, 'tlsa-cert');
  assert.equal(data.kind, 'mismatch');
  assert.equal(data.role, 'cert');
  assert.equal(data.owner, '_25._tcp.mx1.example.com.');
  assert.equal(data.ttl, 3600);
  assert.deepEqual(data.records.map((r) => r.hex), [old]);
  assert.equal(data.links[0].assoc['3 1 1'], leaf);
  assert.equal(data.links[0].assoc['2 1 1'], spki1('int.pem'));
  assert.equal(data.links[1].assoc['3 1 1'], opensslMatching(fx!.keySpki('next.key'), 1));
  assert.deepEqual(JSON.parse(JSON.stringify(data)), data, 'data is JSON-safe');
  // A PKIX-EE record that matches does not count for SMTP.
  const pkix = zone('; dane-zone cert=certs/mx1.pem', `_25._tcp.mx1 TLSA 1 1 1 ${leaf}`);
  const [p] = await run(pkix, { '/zones/certs/mx1.pem': pem('leaf.pem') });
  assert.equal(p.code, 'tlsa-cert-mismatch');
  assert.match(p.message, /\(`1 1 1` matches it, but SMTP senders ignore PKIX-TA\/PKIX-EE records\)/);
  // …but it does on port 443.
  assert.deepEqual(await run(zone('; dane-zone cert=certs/mx1.pem', `_443._tcp.mx1 TLSA 1 1 1 ${leaf}`), { '/zones/certs/mx1.pem': pem('leaf.pem') }), []);
});

test('tlsa-stale-record: a record matching neither the current nor the next file; none when the next key is linked', { skip: opensslMissing }, async () => {
  const leaf = spki1('leaf.pem');
  const next = opensslMatching(fx!.keySpki('next.key'), 1);
  const files = { '/zones/certs/mx1.pem': pem('fullchain.pem'), '/zones/keys/next.csr': pem('next.csr') };
  const text = zone('; dane-zone cert=certs/mx1.pem', `_25._tcp.mx1 TLSA 3 1 1 ${leaf}`, `_25._tcp.mx1 TLSA 3 1 1 ${next} ; next key`);
  const withOverlap = await run(text, files);
  // (a stale record is no overlap either: tlsa-single-record, dane-rollover.test.ts)
  assert.deepEqual(codes(withOverlap), ['tlsa-single-record', 'tlsa-stale-record']);
  const ds = withOverlap.slice(1);
  assert.equal(at(text, ds[0]), next);
  assert.equal(ds[0].severity, 'information');
  assert.equal(ds[0].message, `\`3 1 1 ${next.slice(0, 8)}…${next.slice(-6)}\` matches neither \`certs/mx1.pem\` (the linked certificate): it is stale; ` +
    'if it is the next key\'s record, link that key with `next=PATH`; otherwise remove it once the current certificate is live everywhere (RFC 7671 §8.1)');
  assert.equal((ds[0].data as CertFixData).record, 1);
  // The next key linked (as a CSR): nothing is stale.
  assert.deepEqual(await run(text.replace('cert=certs/mx1.pem', 'cert=certs/mx1.pem next=keys/next.csr'), files), []);
  // A third record is stale for both.
  const third = spki1('ec.pem');
  const three = text.replace('cert=certs/mx1.pem', 'cert=certs/mx1.pem next=keys/next.csr') + `_25._tcp.mx1 TLSA 3 1 1 ${third}\n`;
  const [s] = await run(three, files);
  assert.match(s.message, /matches neither `certs\/mx1\.pem` nor `keys\/next\.csr`: it is stale; remove it once the current certificate is live everywhere/);
});

test('tlsa-cert-unreadable: missing, truncated PEM, JPEG named .pem, encrypted key, 100 MB file, random bytes', { skip: opensslMissing }, async () => {
  const leaf = spki1('leaf.pem');
  const text = zone('; dane-zone cert=certs/mx1.pem next=keys/next.key', `_25._tcp.mx1 TLSA 3 1 1 ${leaf}`);
  const cases: [string, Uint8Array | string | undefined, string][] = [
    ['missing', undefined, 'no such file'],
    ['truncated', pem('leaf.pem').slice(0, 300), 'truncated PEM: `-----BEGIN CERTIFICATE-----` at line 1 has no `-----END CERTIFICATE-----` line (the file is cut short?)'],
    ['jpeg', Uint8Array.from([0xff, 0xd8, 0xff, 0xe1, 0, 0x18, 0x45, 0x78, 0x69, 0x66]), 'this is a JPEG image, not a certificate or key: link a PEM or DER certificate, public key or CSR'],
    ['encrypted', openssl(['pkey', '-in', 'next.key', '-aes256', '-passout', 'pass:x'], undefined, fx!.dir), ENCRYPTED_KEY],
    ['huge', new Uint8Array(100 * 1024 * 1024), 'too large for a certificate or key (100 MiB; the limit is 1.0 MiB)'],
    ['random', Uint8Array.from({ length: 512 }, (_, i) => (i * 151 + 7) & 0xff).map((b, i) => (i === 0 ? 0x8a : b)), 'not a certificate or key: neither PEM text nor DER'],
  ];
  for (const [name, bytes, error] of cases) {
    const files: Record<string, Uint8Array | string> = { '/zones/certs/mx1.pem': pem('leaf.pem') };
    if (bytes !== undefined) files['/zones/keys/next.key'] = bytes;
    const t0 = Date.now();
    const ds = (await run(text, files)).filter((d) => d.code === 'tlsa-cert-unreadable');
    assert.ok(Date.now() - t0 < 2000, `${name}: fast`);
    assert.equal(ds.length, 1, name);
    assert.equal(at(text, ds[0]), 'next=keys/next.key', name);
    assert.equal(ds[0].severity, 'warning');
    assert.equal(ds[0].message, `cannot use \`next=keys/next.key\`: /zones/keys/next.key: ${error}; the records of _25._tcp.mx1.example.com. are not checked against it`, name);
  }
  // An unreadable current certificate: no stale claims (the next key, which no record matches, is still reported).
  const two = text + `_25._tcp.mx1 TLSA 3 1 1 ${spki1('ec.pem')}\n`;
  const ds = await run(two, { '/zones/keys/next.key': pem('next.key') });
  assert.deepEqual(ds.map((d) => [d.code, at(two, d)]), [['tlsa-cert-unreadable', 'cert=certs/mx1.pem'], ['tlsa-cert-mismatch', 'next=keys/next.key']]);
});

test('tlsa-ta-not-in-chain: a 2 x y record whose CA is not in the linked chain; only the leaf linked; the leaf pinned as a TA', { skip: opensslMissing }, async () => {
  const leaf = spki1('leaf.pem');
  const root = spki1('root.pem');
  const text = zone('; dane-zone cert=certs/fullchain.pem', `_25._tcp.mx1 TLSA 3 1 1 ${leaf}`, `_25._tcp.mx1 TLSA 2 1 1 ${root}`);
  const files = { '/zones/certs/fullchain.pem': pem('fullchain.pem'), '/zones/certs/leaf.pem': pem('leaf.pem'), '/zones/certs/chain3.pem': pem('chain3.pem') };
  // (the root's record, not served, is no overlap: tlsa-single-record, dane-rollover.test.ts)
  const [single, d] = await run(text, files);
  assert.equal(single.code, 'tlsa-single-record');
  assert.equal(d.code, 'tlsa-ta-not-in-chain');
  assert.equal(d.severity, 'warning');
  assert.equal(at(text, d), root);
  assert.equal(d.message, `DANE-TA record \`2 1 1 ${root.slice(0, 8)}…${root.slice(-6)}\` at _25._tcp.mx1.example.com.: no CA certificate in \`certs/fullchain.pem\` has this public key digest: ` +
    'the server does not send this trust anchor, so DANE senders cannot match the record (RFC 7671 §5.2.2); publish the `2 1 1` record of the issuing CA in the chain');
  // The root in the linked chain: fine.
  assert.deepEqual(await run(text.replace('fullchain.pem', 'chain3.pem'), files), []);
  const [, onlyLeaf] = await run(text.replace('fullchain.pem', 'leaf.pem'), files);
  assert.match(onlyLeaf.message, /`certs\/leaf\.pem` holds only the leaf certificate: link the full chain the server sends/);
  const [, self] = await run(zone('; dane-zone cert=certs/fullchain.pem', `_25._tcp.mx1 TLSA 3 1 1 ${leaf}`, `_25._tcp.mx1 TLSA 2 1 1 ${leaf}`), files);
  assert.match(self.message, /its data is that of the leaf certificate itself: a DANE-TA record must match a CA certificate of the chain; for the leaf use usage 3 \(`3 1 1`\)$/);
  // A trust anchor given in full (2 0 0) that signed the chain's top certificate matches without being sent.
  const rootDer = fx!.certDer('root.pem').toString('hex');
  assert.deepEqual(await run(zone('; dane-zone cert=certs/fullchain.pem', `_25._tcp.mx1 TLSA 3 1 1 ${leaf}`, `_25._tcp.mx1 TLSA 2 0 0 ${rootDer}`), files), []);
});

test('tlsa-cert-expiring: within 30 days (configurable), already expired; information', { skip: opensslMissing }, async () => {
  const short = spki1('short.pem');
  const text = zone('; dane-zone cert=certs/short.pem', `_25._tcp.mx1 TLSA 3 1 1 ${short}`);
  const files = { '/zones/certs/short.pem': pem('short.pem') };
  const notAfter = new Date(openssl(['x509', '-in', 'short.pem', '-noout', '-enddate'], undefined, fx!.dir).toString().replace(/^notAfter=/, '').trim());
  const now = new Date(notAfter.getTime() - 5.5 * 86_400_000);
  const [d] = await run(text, files, {}, now);
  assert.equal(d.code, 'tlsa-cert-expiring');
  assert.equal(d.severity, 'information');
  assert.equal(at(text, d), 'cert=certs/short.pem');
  assert.equal(d.message, `the certificate CN=mx1.example.com in \`certs/short.pem\` expires on ${notAfter.toISOString().slice(0, 10)} (in 5 days): ` +
    'renew it: a renewal that keeps the key needs no DNS change with `3 1 …` records; with a new key, publish its record 2 × 3600 s = 2 hours before deploying it');
  assert.deepEqual(await run(text, files, { expiryDays: 3 }, now), []);
  const [expired] = await run(text, files, {}, new Date(notAfter.getTime() + 86_400_000));
  assert.match(expired.message, /in `certs\/short\.pem` expired on \d{4}-\d\d-\d\d: renew it/);
  assert.deepEqual(await run(text, files, {}, new Date(notAfter.getTime() - 40 * 86_400_000)), []);
});

test('links from settings: host → path with {host}, *.domain and *, relative to the zone file; the directive wins', { skip: opensslMissing }, async () => {
  const leaf = spki1('leaf.pem');
  const text = zone(`_25._tcp.mx1 TLSA 3 1 1 ${leaf}`, `_25._tcp.mx2 TLSA 3 1 1 ${leaf}`);
  const files = { '/etc/letsencrypt/live/mx1.example.com/fullchain.pem': pem('fullchain.pem') };
  const hosts = { '*': '/etc/letsencrypt/live/{host}/fullchain.pem' };
  const ds = await run(text, files, { hosts });
  assert.deepEqual(codes(ds), ['tlsa-cert-unreadable']);
  assert.equal(at(text, ds[0]), '_25._tcp.mx2');
  assert.equal(ds[0].message, 'cannot use the certificate the settings link to mx2.example.com (`*` → `/etc/letsencrypt/live/mx2.example.com/fullchain.pem`): ' +
    '/etc/letsencrypt/live/mx2.example.com/fullchain.pem: no such file; the records of _25._tcp.mx2.example.com. are not checked against it');
  // An exact host wins over `*`, `*.domain` over `*`; values may name the next key; relative paths follow the zone file.
  const more = await run(text, { ...files, '/zones/mx2.pem': pem('rsa.pem'), '/zones/next.pub': pem('next.pub') },
    { hosts: { ...hosts, 'mx2.example.com': { cert: 'mx2.pem', next: 'next.pub' } } });
  assert.deepEqual(codes(more), ['tlsa-cert-mismatch', 'tlsa-cert-mismatch']);
  assert.ok(more.every((d) => at(text, d) === '_25._tcp.mx2'));
  const wild = await run(text, { '/certs/mx2.example.com.pem': pem('leaf.pem'), '/certs/mx1.example.com.pem': pem('leaf.pem') }, { hosts: { '*.example.com': '/certs/{host}.pem', '*': '/nope' } });
  assert.deepEqual(wild, []);
  // The directive overrides the settings for its RRset.
  const direct = zone('; dane-zone cert=certs/mx1.pem', `_25._tcp.mx1 TLSA 3 1 1 ${leaf}`);
  assert.deepEqual(await run(direct, { '/zones/certs/mx1.pem': pem('leaf.pem') }, { hosts: { '*': '/nope/{host}' } }), []);
});

test('analyzeCertificates: per record, what each link matched', { skip: opensslMissing }, async () => {
  const leaf = spki1('leaf.pem');
  const text = zone('; dane-zone cert=certs/mx1.pem', `_25._tcp.mx1 TLSA 3 1 1 ${leaf}`, `_25._tcp.mx1 TLSA 2 1 1 ${spki1('int.pem')}`);
  const a = await analyzeCertificates(viewOfParsed(parseZone(text)), { zoneFile: ZONE_FILE }, memoryIO({ '/zones/certs/mx1.pem': pem('fullchain.pem') }), NOW);
  assert.equal(a.rrsets.length, 1);
  const set = a.rrsets[0];
  assert.equal(set.host, 'mx1.example.com');
  assert.equal(set.smtp, true);
  assert.deepEqual(set.results.map((r) => r.matches.map((m) => m?.matched && m.depth)), [[0], [1]]);
  assert.equal(set.links[0].summary?.caSubject, 'CN=Test Issuing CA, O=Test');
});
