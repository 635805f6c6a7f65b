/**
 * Rollovers with linked certificates (issue 14 items 2 and 5): a second record counts as the
 * overlap only when it matches the linked next key or a CA of the linked chain
 * (tlsa-single-record from the certificate stage, with its rotation-pair fixes).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseZone } from '../../server/src/core/parser';
import { viewOfParsed } from '../../server/src/core/dane/view';
import { analyzeCertificates, CertCheckOptions } from '../../server/src/core/certs/checks';
import { certQuickFixes } from '../../server/src/core/certs/actions';
import { applyEdits } from '../../server/src/core/edits';
import { ZoneDiagnostic } from '../../server/src/core/types';
import { makeFixtures, opensslMatching, opensslMissing } from './certs-fixtures';

const fx = opensslMissing ? undefined : makeFixtures();
after(() => fx?.cleanup());

const NOW = new Date('2026-12-02T14:00:00Z');
const HEAD = '$ORIGIN example.com.\n$TTL 3600\n; dane-zone dnssec=signed\n@ SOA ns hm 1 7200 3600 1209600 300\n@ MX 10 mx1\nmx1 A 192.0.2.1\n';
const zone = (...lines: string[]) => HEAD + lines.join('\n') + '\n';
const at = (text: string, d: ZoneDiagnostic) => text.slice(d.start, d.end);
const spki1 = (cert: string) => opensslMatching(fx!.certSpki(cert), 1);
const keySpki1 = (key: string) => opensslMatching(fx!.keySpki(key), 1);

/** The certificate stage on `text`, as if the zone file were in the fixtures' folder (the files read from disk). */
async function certStage(text: string, options: Omit<CertCheckOptions, 'zoneFile'> = {}, now = NOW) {
  const io = {
    resolvePath: (from: string | undefined, p: string) => path.resolve(path.dirname(from ?? fx!.dir), p),
    readBytes: (p: string) => new Uint8Array(fs.readFileSync(p)),
  };
  return analyzeCertificates(viewOfParsed(parseZone(text)), { zoneFile: path.join(fx!.dir, 'example.com.zone'), ...options }, io, now);
}

test('tlsa-single-record with a linked certificate: a second record that matches neither the next key nor the chain\'s CA is no overlap', { skip: opensslMissing }, async () => {
  const leaf = spki1('leaf.pem');
  const old = spki1('rsa.pem'); // an unrelated (old) key
  const text = zone('; dane-zone cert=fullchain.pem', `_25._tcp.mx1 TLSA 3 1 1 ${leaf}`, `_25._tcp.mx1 TLSA 3 1 1 ${old}`);
  const { diagnostics } = await certStage(text);
  assert.deepEqual(diagnostics.map((d) => `${d.code} ${d.severity} ${at(text, d)}`), [
    'tlsa-single-record warning _25._tcp.mx1',
    `tlsa-stale-record information ${old}`,
  ]);
  const d = diagnostics[0];
  assert.equal(text.slice(0, d.start).split('\n').length, 8, 'on the owner of the RRset\'s first record (line 8)');
  assert.equal(d.message, `2 distinct usable TLSA records at _25._tcp.mx1.example.com., but only \`3 1 1 ${leaf.slice(0, 8)}…${leaf.slice(-6)}\` (the current key) survives the next change: the others match neither the linked next key nor a CA of the linked chain; publish the next key's record, or the issuing CA's \`2 1 1\`, beside it (RFC 7671 §8.1)`);
  // Its fix: the current key + issuing CA pair from the linked chain.
  const fixes = certQuickFixes(text, parseZone(text).records, d, NOW);
  assert.deepEqual(fixes.map((f) => f.title), ['Add a rotation pair: current key + issuing CA (2 1 1 for CN=Test Issuing CA, O=Test), with the steps']);
  const fixed = applyEdits(text, fixes[0].edits);
  assert.ok(fixed.includes(`_25._tcp.mx1 TLSA 2 1 1 ${spki1('int.pem')}`), fixed);
  assert.ok(!(await certStage(fixed)).diagnostics.some((x) => x.code === 'tlsa-single-record'));
});

test('tlsa-single-record with a linked certificate: none when the second record is the issuer\'s 2 1 1 or the linked next key', { skip: opensslMissing }, async () => {
  const leaf = spki1('leaf.pem');
  const issuer = zone('; dane-zone cert=fullchain.pem', `_25._tcp.mx1 TLSA 3 1 1 ${leaf}`, `_25._tcp.mx1 TLSA 2 1 1 ${spki1('int.pem')}`);
  assert.deepEqual((await certStage(issuer)).diagnostics, []);
  const next = zone('; dane-zone cert=fullchain.pem next=next.key', `_25._tcp.mx1 TLSA 3 1 1 ${leaf}`, `_25._tcp.mx1 TLSA 3 1 1 ${keySpki1('next.key')}`);
  assert.deepEqual((await certStage(next)).diagnostics, []);
  // The next key linked, but the second record is an old key: no overlap, and the next key's record is missing.
  const stale = zone('; dane-zone cert=fullchain.pem next=next.key', `_25._tcp.mx1 TLSA 3 1 1 ${leaf}`, `_25._tcp.mx1 TLSA 3 1 1 ${spki1('rsa.pem')}`);
  const ds = (await certStage(stale)).diagnostics;
  assert.deepEqual(ds.map((d) => `${d.code} ${at(stale, d)}`), ['tlsa-cert-mismatch next=next.key', 'tlsa-single-record _25._tcp.mx1', `tlsa-stale-record ${spki1('rsa.pem')}`]);
  assert.match(ds[1].message, /match neither the linked next key \(`next.key`\) nor a CA of the linked chain/);
  const fixes = certQuickFixes(stale, parseZone(stale).records, ds[1], NOW);
  assert.deepEqual(fixes.map((f) => f.title), [
    'Add a rotation pair: current + next key (3 1 1 for next.key), with the steps',
    'Add a rotation pair: current key + issuing CA (2 1 1 for CN=Test Issuing CA, O=Test), with the steps',
  ]);
});
