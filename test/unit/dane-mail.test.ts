/**
 * The mail operators' failures (issue 14, issue 16 items 5 and 8): the CA table and the codes
 * built on it (tlsa-ca-retired, tlsa-ca-partial-family, the CA line of the hover),
 * tlsa-wrong-host, tlsa-rrset-size, tlsa-single-record counting distinct records, one
 * tlsa-unsigned-zone per zone with its fix, and no advice on names no sender queries. Each
 * shows the diagnostic, its range, and the text after its quick fix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CA_CERTIFICATES, CA_SOURCES } from '../../server/src/core/dane/caData';
import { CaCertificate, describeCa, issuingFamily, matchCa } from '../../server/src/core/dane/caTable';
import { quickFixes } from '../../server/src/core/dane/fixes';
import { applyEdits } from '../../server/src/core/edits';
import { mailQuickFixes } from '../../server/src/core/dane/mailFixes';
import { hover } from '../../server/src/core/features/hover';
import { parseZone } from '../../server/src/core/parser';
import { D1, D2, daneFinders, zone } from './dane-fixtures';
import type { CertAnalysis } from '../../server/src/core/certs/checks';

const NOW = new Date('2026-12-02T10:00:00Z');
const { at, all, found, first } = daneFinders(NOW);

const ca = (name: string, variant?: string): CaCertificate => {
  const c = CA_CERTIFICATES.find((x) => x.name === name && (variant === undefined || x.variant === variant));
  assert.ok(c, `no ${name} in the table`);
  return c;
};

// ---------------------------------------------------------------- the table

test('CA table: every Let\'s Encrypt intermediate, active, backup, retired and expired, with key type, dates and four digests', () => {
  const names = (status: string) => [...new Set(CA_CERTIFICATES.filter((c) => c.role === 'intermediate' && c.status === status).map((c) => c.name))].sort();
  assert.deepEqual(names('active'), ['YE1', 'YE2', 'YR1', 'YR2']);
  assert.deepEqual(names('backup'), ['YE3', 'YR3']);
  assert.deepEqual(names('retired'), ['E5', 'E6', 'E7', 'E8', 'E9', 'R10', 'R11', 'R12', 'R13', 'R14']);
  assert.deepEqual(names('expired'), ['E1', 'E2', 'R3', 'R4', 'X1', 'X2', 'X3', 'X4']);
  for (const c of CA_CERTIFICATES) {
    assert.match(c.certSha256, /^[0-9a-f]{64}$/);
    assert.match(c.spkiSha256, /^[0-9a-f]{64}$/);
    assert.match(c.certSha512, /^[0-9a-f]{128}$/);
    assert.match(c.spkiSha512, /^[0-9a-f]{128}$/);
    assert.match(c.notAfter, /^\d{4}-\d\d-\d\d$/);
    assert.ok(c.keyFamily === (c.keyType.startsWith('RSA') ? 'RSA' : 'ECDSA'), c.ca);
  }
  // One key, several certificates: E5 signed by X2 and cross-signed by X1 share the SPKI, not the certificate.
  const e5 = CA_CERTIFICATES.filter((c) => c.name === 'E5');
  assert.equal(e5.length, 2);
  assert.equal(e5[0].spkiSha256, e5[1].spkiSha256);
  assert.notEqual(e5[0].certSha256, e5[1].certSha256);
  assert.equal(matchCa(1, 1, e5[0].spkiSha256).length, 2);
  assert.deepEqual(matchCa(0, 1, e5[1].certSha256).map((c) => c.variant), ['cross-signed by ISRG Root X1']);
  assert.deepEqual(matchCa(1, 2, e5[0].spkiSha256), [], 'a SHA-256 value is no SHA-512 match');
  assert.match(CA_SOURCES[0].commit, /^[0-9a-f]{40}$/);
  assert.equal(describeCa(ca('R10'), NOW), "Let's Encrypt R10, RSA, retired, expires 2027-03-12");
  assert.equal(describeCa(ca('R3', 'signed by ISRG Root X1'), NOW), "Let's Encrypt R3, RSA, expired 2025-09-15");
  assert.deepEqual(issuingFamily("Let's Encrypt", 'RSA', NOW).active.map((c) => c.name), ['YR1', 'YR2']);
  // after its notAfter a certificate counts as expired, whatever the page said
  assert.equal(describeCa(ca('YR1'), new Date('2029-01-01')), "Let's Encrypt YR1, RSA, expired 2028-09-02");
});

test('CA table: the generator reads the CA page and its PEMs (and the committed table matches the snapshot, when present)', (t) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const gen = require(path.join(__dirname, '..', '..', '..', 'scripts', 'gen-ca-table.js'));
  const page = [
    '# Root CAs', '* **ISRG Root X1**', '  * Key type: `RSA 4096`', '  * Certificate details (self-signed): [der](/certs/a.der), [pem](/certs/a.pem), [txt](/certs/a.txt)',
    '# Subordinate (Intermediate) CAs', '* **Let\'s Encrypt YR1**', '  * Key type: `RSA 2048`', '  * Certificate details: [pem](/certs/gen-y/int-yr1.pem)',
    '<summary>Backup</summary>', '* **Let\'s Encrypt YR3**', '  * Certificate details: [pem](/certs/gen-y/int-yr3.pem)',
    '<summary>Retired</summary>', '* **Let\'s Encrypt R10**', '  * Certificate details (signed by ISRG Root X1): [pem](/certs/2024/r10.pem)',
    '# Chains', '* **Not a CA**', '  * Certificate details: [pem](/certs/x.pem)',
  ].join('\n');
  assert.deepEqual(gen.parsePage(page).map((c: { ca: string; role: string; status: string; certs: { file: string; variant: string }[] }) =>
    `${c.ca} ${c.role} ${c.status} ${c.certs.map((x) => `${x.file} [${x.variant}]`).join(' ')}`), [
    'ISRG Root X1 root active static/certs/a.pem [self-signed]',
    "Let's Encrypt YR1 intermediate active static/certs/gen-y/int-yr1.pem []",
    "Let's Encrypt YR3 intermediate backup static/certs/gen-y/int-yr3.pem []",
    "Let's Encrypt R10 intermediate retired static/certs/2024/r10.pem [signed by ISRG Root X1]",
  ]);
  const mirror = '/work/.mirror/letsencrypt+website/repo';
  if (!fs.existsSync(mirror)) {
    t.skip('no letsencrypt/website snapshot here: the committed table is not re-derived');
    return;
  }
  const r = spawnSync(process.execPath, [path.join(__dirname, '..', '..', '..', 'scripts', 'gen-ca-table.js'), mirror, CA_SOURCES[0].commit, '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

// ---------------------------------------------------------------- CA codes

test('tlsa-ca-retired: a 2 x y record on an expired (R3) or retired (R10) intermediate, on its data', () => {
  const r3 = ca('R3', 'signed by ISRG Root X1').spkiSha256;
  const z = zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 2 1 1 ${r3}`);
  assert.deepEqual(found(z, 'tlsa-ca-retired'), [`warning ${r3}`]);
  assert.match(first(z, 'tlsa-ca-retired').message, /pins Let's Encrypt R3, which expired on 2025-09-15.*\(YR1 and YR2\)/);
  const r10 = ca('R10').certSha512;
  const z2 = zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 2 0 2 ${r10}`);
  assert.match(first(z2, 'tlsa-ca-retired').message, /`2 0 2` record pins Let's Encrypt R10 \(signed by ISRG Root X1\), which Let's Encrypt no longer issues from/);
  // the same data with usage 3 is not a CA pin; a current intermediate is not retired
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${r3}`), 'tlsa-ca-retired'), []);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 2 1 1 ${ca('YR1').spkiSha256}`), 'tlsa-ca-retired'), []);
});

test('tlsa-ca-partial-family: pins YR1 but not YR2; the fix adds YR2 in the RRset\'s layout', () => {
  const yr1 = ca('YR1').spkiSha256;
  const yr2 = ca('YR2').spkiSha256;
  const z = zone(`_25._tcp.mx1 3600 IN TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 3600 IN TLSA 2 1 1 ${yr1}`, 'www A 192.0.2.80');
  const d = first(z, 'tlsa-ca-partial-family');
  assert.equal(`${d.severity} ${at(z, d)}`, `warning ${yr1}`);
  assert.match(d.message, /pins YR1 but not YR2: Let's Encrypt issues RSA certificates from YR1 and YR2 at random.*backup YR3/);
  const fixes = mailQuickFixes(z, parseZone(z).records, d);
  assert.deepEqual(fixes.map((f) => f.title), ['Add `2 1 1` YR2: pin every intermediate the CA issues from']);
  assert.equal(applyEdits(z, fixes[0].edits), zone(`_25._tcp.mx1 3600 IN TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 3600 IN TLSA 2 1 1 ${yr1}`,
    `_25._tcp.mx1 3600 IN TLSA 2 1 1 ${yr2}`, 'www A 192.0.2.80'));
  assert.deepEqual(found(applyEdits(z, fixes[0].edits), 'tlsa-ca-partial-family'), []);
  // stale: the text changed since
  assert.deepEqual(mailQuickFixes(z.replace('3600 IN TLSA 3', '3600 IN TLSA  3'), parseZone(z.replace('3600 IN TLSA 3', '3600 IN TLSA  3')).records, d), []);
  // ECDSA: YE1 + YE2 pinned is the whole family; an RSA key's family is separate
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 2 1 1 ${ca('YE1').spkiSha256}`, `_25._tcp.mx1 TLSA 2 1 1 ${ca('YE2').spkiSha256}`), 'tlsa-ca-partial-family'), []);
});

test('tlsa-ca-partial-family with a linked certificate: replace the CA records by the server key\'s 3 1 1', () => {
  const yr1 = ca('YR1').spkiSha256;
  const z = zone('; dane-zone cert=mx1.pem', `_25._tcp.mx1 TLSA 2 1 1 ${yr1}`, `_25._tcp.mx1 TLSA 2 1 2 ${ca('YR1').spkiSha512}`, 'www A 192.0.2.80');
  const d = first(z, 'tlsa-ca-partial-family');
  const certs = { diagnostics: [], rrsets: [{ owner: '_25._tcp.mx1.example.com.', ownerKey: '_25._tcp.mx1.example.com.', links: [{ role: 'cert', summary: { role: 'cert', written: 'mx1.pem', what: 'certificate', assoc: { '3 1 1': D2 } } }] }] } as unknown as CertAnalysis;
  const fixes = mailQuickFixes(z, parseZone(z).records, d, certs);
  const replace = fixes.find((f) => f.title.startsWith('Replace'));
  assert.ok(replace, fixes.map((f) => f.title).join('; '));
  assert.equal(replace.title, "Replace the CA records by `3 1 1` of the server's key (mx1.pem): it survives any CA change");
  assert.equal(applyEdits(z, replace.edits), zone('; dane-zone cert=mx1.pem', `_25._tcp.mx1 TLSA 3 1 1 ${D2}`, 'www A 192.0.2.80'));
});

test('hover on 2 x y association data names the CA, or says it matches none known', () => {
  const yr1 = ca('YR1').spkiSha256;
  const z = zone(`_25._tcp.mx1 TLSA 2 1 1 ${yr1}`, `_25._tcp.mx1 TLSA 2 1 1 ${D1}`, `_25._tcp.mx1 TLSA 2 0 1 ${ca('R10').certSha256}`);
  const p = parseZone(z);
  const h = (needle: string) => hover(p, z, z.indexOf(needle) + 3, { now: NOW })?.contents ?? '';
  assert.match(h(yr1), /CA: \*\*Let's Encrypt YR1, RSA, active, expires 2028-09-02\*\* \(matches its public key\)/);
  assert.match(h(D1), /CA: matches none of the CA certificates dane-zone knows/);
  assert.match(h(ca('R10').certSha256), /Let's Encrypt R10, RSA, retired, expires 2027-03-12\*\* \(matches the certificate signed by ISRG Root X1\)/);
  // 3 1 1 data is a server key: no CA line
  const ee = zone(`_25._tcp.mx1 TLSA 3 1 1 ${yr1}`);
  assert.doesNotMatch(hover(parseZone(ee), ee, ee.indexOf(yr1) + 3, { now: NOW })?.contents ?? '', /CA:/);
});

// ---------------------------------------------------------------- names and sizes

test('tlsa-wrong-host: _25._tcp at the domain while the MX host has none; the fix moves it; no rotation or DNSSEC advice there', () => {
  const text = '$ORIGIN example.com.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ MX 10 mx1\nmx1 A 192.0.2.1\n' +
    `_25._tcp TLSA 3 1 1 ${D1}\n_25._tcp.example.com. TLSA 3 1 1 ${D2}\n`;
  const ds = all(text);
  assert.deepEqual(ds.map((d) => `${d.code} ${at(text, d)}`), ['tlsa-wrong-host _25._tcp']);
  const d = ds[0];
  assert.match(d.message, /example.com. is not an MX target of this zone, and MX host mx1.example.com. has no TLSA records.*move the RRset to _25._tcp.mx1.example.com./);
  const fixes = quickFixes(text, d);
  assert.deepEqual(fixes.map((f) => f.title), ['Move the TLSA RRset to _25._tcp.mx1.example.com. (MX host mx1.example.com. has none)']);
  const moved = applyEdits(text, fixes[0].edits);
  assert.equal(moved, text.replace(`_25._tcp TLSA`, '_25._tcp.mx1 TLSA').replace('_25._tcp.example.com. TLSA', '_25._tcp.mx1.example.com. TLSA'));
  // after the move: the ordinary advice for a queried RRset (unsigned zone), no wrong-host
  assert.deepEqual(all(moved).map((d) => d.code), ['tlsa-unsigned-zone']);
  // every MX host has TLSA: no wrong-host (an address owner is fine, a bare name is an orphan)
  const ok = text + `_25._tcp.mx1 TLSA 3 1 1 ${D1}\n_25._tcp.mx1 TLSA 3 1 1 ${D2}\n`;
  assert.deepEqual(found(ok, 'tlsa-wrong-host'), []);
  // another record at the same name: no move offered (it would take that one along)
  const shared = text + '_25._tcp TXT "x"\n';
  assert.deepEqual(quickFixes(shared, first(shared, 'tlsa-wrong-host')), []);
});

test('a never-queried `_025._tcp` RRset gets only the owner error', () => {
  const z = '$ORIGIN example.com.\n$TTL 86400\n@ SOA ns hm 1 2 3 4 5\n@ MX 10 mx1\nmx1 A 192.0.2.1\n' +
    `_025._tcp.mx1 TLSA 1 1 1 ${D1}\n`;
  assert.deepEqual(all(z).map((d) => `${d.code} ${at(z, d)}`), ['tlsa-owner _025']);
});

test('tlsa-rrset-size: more than 12 records, or an answer over 1,232 octets with its RRSIGs', () => {
  const hex = (i: number) => i.toString(16).padStart(2, '0').repeat(32);
  const many = zone(...Array.from({ length: 13 }, (_, i) => `_25._tcp.mx1 TLSA 3 1 1 ${hex(i)}`));
  const d = first(many, 'tlsa-rrset-size');
  assert.equal(`${d.severity} ${at(many, d)}`, 'warning _25._tcp.mx1');
  assert.match(d.message, /13 records at one name: some large receivers' senders stop after 12/);
  assert.doesNotMatch(d.message, /the answer is/); // 13 × 47 octets still fit
  assert.deepEqual(found(zone(...Array.from({ length: 12 }, (_, i) => `_25._tcp.mx1 TLSA 3 1 1 ${hex(i)}`)), 'tlsa-rrset-size'), []);
  // 14 SHA2-512 records: 12 + 26 + 4 + 11 (header, question, OPT) + 14 × (12 + 67) + one assumed ECDSA RRSIG (12 + 18 + 13 + 64) = 1266
  const big = zone(...Array.from({ length: 14 }, (_, i) => `_25._tcp.mx1 TLSA 3 1 2 ${hex(i)}${hex(i)}`));
  assert.match(first(big, 'tlsa-rrset-size').message, /14 records.*; the answer is 1266 octets with one ECDSA P-256 RRSIG \(none in the file\), over the 1232/);
  // RRSIGs from the file: 7 records and two 4096-bit RSA signatures: 53 + 7 × 79 + 2 × (12 + 18 + 13 + 512) = 1716
  const sig = Buffer.alloc(512, 7).toString('base64');
  const signed = zone(...Array.from({ length: 7 }, (_, i) => `_25._tcp.mx1 TLSA 3 1 2 ${hex(i)}${hex(i)}`),
    `_25._tcp.mx1 RRSIG TLSA 8 5 300 20300101000000 20200101000000 1111 example.com. ${sig}`,
    `_25._tcp.mx1 RRSIG TLSA 10 5 300 20300101000000 20200101000000 2222 example.com. ${sig}`);
  const s8 = first(signed, 'tlsa-rrset-size');
  assert.equal(at(signed, s8), '_25._tcp.mx1');
  assert.match(s8.message, /^_25._tcp.mx1.example.com.: the answer is 1716 octets with its 2 RRSIGs, over the 1232 that fit one UDP datagram/);
  assert.deepEqual(found(signed.replace(/^.*RRSIG TLSA 10.*\n/m, ''), 'tlsa-rrset-size'), [], 'one RRSIG: 53 + 553 + 555 = 1161 fits');
});

// ---------------------------------------------------------------- rotation and DNSSEC

test('tlsa-single-record counts distinct records: two copies of one record are one', () => {
  const z = zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D1.toUpperCase()}`);
  const d = first(z, 'tlsa-single-record');
  assert.equal(`${d.severity} ${at(z, d)}`, 'warning _25._tcp.mx1');
  assert.match(d.message, /only one usable TLSA record at _25._tcp.mx1.example.com. \(the others are copies of it\)/);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`), 'tlsa-single-record'), []);
});

test('tlsa-unsigned-zone: one per zone, the other RRsets related; the fix declares the zone inline-signed', () => {
  const text = '$ORIGIN example.com.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ MX 10 mx1\n@ MX 20 mx2\n' +
    `_25._tcp.mx1 TLSA 3 1 1 ${D1}\n_25._tcp.mx1 TLSA 3 1 1 ${D2}\n_25._tcp.mx2 TLSA 3 1 1 ${D1}\n_25._tcp.mx2 TLSA 3 1 1 ${D2}\n`;
  const ds = all(text).filter((d) => d.code === 'tlsa-unsigned-zone');
  assert.deepEqual(ds.map((d) => `${d.severity} ${at(text, d)}`), ['warning _25._tcp.mx1']);
  assert.deepEqual(ds[0].related?.map((r) => at(text, r)), ['_25._tcp.mx2']);
  const fixes = quickFixes(text, ds[0]);
  assert.deepEqual(fixes.map((f) => f.title), ['Declare the zone inline-signed (`; dane-zone dnssec=inline`): the server signs it on load']);
  const fixed = applyEdits(text, fixes[0].edits);
  assert.equal(fixed, '; dane-zone dnssec=inline\n' + text);
  assert.deepEqual(found(fixed, 'tlsa-unsigned-zone'), ['information _25._tcp.mx1']);
  assert.deepEqual(quickFixes(fixed, first(fixed, 'tlsa-unsigned-zone')), [], 'no fix on the information');
  // a `dnssec=unsigned` comment is changed in place; CRLF text gets a CRLF line
  const declared = '; dane-zone dnssec=unsigned\n' + text;
  assert.equal(applyEdits(declared, quickFixes(declared, first(declared, 'tlsa-unsigned-zone'))[0].edits), '; dane-zone dnssec=inline\n' + text);
  const crlf = text.replace(/\n/g, '\r\n');
  assert.equal(applyEdits(crlf, quickFixes(crlf, first(crlf, 'tlsa-unsigned-zone'))[0].edits), '; dane-zone dnssec=inline\r\n' + crlf);
});
