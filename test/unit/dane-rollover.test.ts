/**
 * Rollovers with linked certificates (issue 14 items 2 and 5): a second record counts as the
 * overlap only when it matches the linked next key or a CA of the linked chain
 * (tlsa-single-record from the certificate stage, with its rotation-pair fixes); timed rotation
 * with injected first-commit times (tlsa-rotation-too-early, the hover and the rotation comment;
 * the same against a real git repository: test/lsp/rotationGit.test.ts).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseZone } from '../../server/src/core/parser';
import { viewOfParsed } from '../../server/src/core/dane/view';
import { analyzeCertificates, CertCheckOptions } from '../../server/src/core/certs/checks';
import { certHover, certQuickFixes, rotationComment } from '../../server/src/core/certs/actions';
import type { GitPublication } from '../../server/src/core/certs/published';
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
  assert.equal(d.message, `2 distinct usable TLSA records at _25._tcp.mx1.example.com., but no overlap for the next change: \`3 1 1 ${leaf.slice(0, 8)}…${leaf.slice(-6)}\` matches only the current certificate, and the other matches neither the linked next key nor a CA of the linked chain; publish the next key's record, or the issuing CA's \`2 1 1\`, beside it (RFC 7671 §8.1)`);
  // Its fix: the current key + issuing CA pair from the linked chain.
  const fixes = certQuickFixes(text, parseZone(text).records, d, NOW);
  assert.deepEqual(fixes.map((f) => f.title), ['Add a rotation pair: current key + issuing CA (2 1 1 for CN=Test Issuing CA, O=Test), with the steps']);
  const fixed = applyEdits(text, fixes[0].edits);
  assert.ok(fixed.includes(`_25._tcp.mx1 TLSA 2 1 1 ${spki1('int.pem')}`), fixed);
  assert.ok(!(await certStage(fixed)).diagnostics.some((x) => x.code === 'tlsa-single-record'));
});

test('tlsa-single-record with a linked certificate: two records of the current certificate (3 1 1 and 3 0 1) are no overlap either', { skip: opensslMissing }, async () => {
  const leaf = spki1('leaf.pem');
  const cert = opensslMatching(fx!.certDer('leaf.pem'), 1);
  const text = zone('; dane-zone cert=fullchain.pem', `_25._tcp.mx1 TLSA 3 1 1 ${leaf}`, `_25._tcp.mx1 TLSA 3 0 1 ${cert}`);
  const { diagnostics } = await certStage(text);
  assert.deepEqual(diagnostics.map((d) => `${d.code} ${at(text, d)}`), ['tlsa-single-record _25._tcp.mx1']);
  assert.equal(diagnostics[0].message, `2 distinct usable TLSA records at _25._tcp.mx1.example.com., but no overlap for the next change: \`3 1 1 ${leaf.slice(0, 8)}…${leaf.slice(-6)}\` and \`3 0 1 ${cert.slice(0, 8)}…${cert.slice(-6)}\` match only the current certificate; publish the next key's record, or the issuing CA's \`2 1 1\`, beside them (RFC 7671 §8.1)`);
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
  assert.match(ds[1].message, /the other matches neither the linked next key \(`next.key`\) nor a CA of the linked chain/);
  const fixes = certQuickFixes(stale, parseZone(stale).records, ds[1], NOW);
  assert.deepEqual(fixes.map((f) => f.title), [
    'Add a rotation pair: current + next key (3 1 1 for next.key), with the steps',
    'Add a rotation pair: current key + issuing CA (2 1 1 for CN=Test Issuing CA, O=Test), with the steps',
  ]);
});

// ---------------------------------------------------------------- timed rotation (item 5)

const MIN = 60_000;
const T = (iso: string) => Date.parse(iso);
/** TTL 1800 and SOA refresh 3600: a switch waits 2 × 1800 + 3600 s = 2 hours. */
const TIMED = '$ORIGIN example.com.\n$TTL 1800\n; dane-zone dnssec=signed\n@ SOA ns hm 1 3600 900 1209600 300\n@ MX 10 mx1\nmx1 A 192.0.2.1\n';
const OWNER = '_25._tcp.mx1.example.com.';
const published = (entries: [string, number][]): GitPublication => ({ firstCommitted: new Map(entries.map(([k, t]) => [`${OWNER} ${k}`, t])) });

test('tlsa-rotation-too-early: the linked certificate matches only a record first committed less than two TTLs + SOA refresh ago', { skip: opensslMissing }, async () => {
  const leaf = spki1('leaf.pem');
  const old = spki1('rsa.pem');
  const text = TIMED + ['; dane-zone cert=fullchain.pem', `_25._tcp.mx1 TLSA 3 1 1 ${old}`, `_25._tcp.mx1 TLSA 3 1 1 ${leaf}`].join('\n') + '\n';
  const times = published([[`3 1 1 ${old}`, T('2026-10-01T08:00:00Z')], [`3 1 1 ${leaf}`, T('2026-12-02T10:14:00Z')]]);
  const run = async (now: string, pub = times) => (await certStage(text, { published: pub, soaRefresh: 3600 }, new Date(now))).diagnostics.filter((d) => d.code === 'tlsa-rotation-too-early');
  const [d] = await run('2026-12-02T11:00:00Z');
  assert.equal(d.severity, 'warning');
  assert.equal(at(text, d), 'cert=fullchain.pem');
  assert.equal(d.message, `the linked certificate \`fullchain.pem\` matches only \`3 1 1 ${leaf.slice(0, 8)}…${leaf.slice(-6)}\` at ${OWNER}, published 2026-12-02 10:14 UTC, safe after 12:14 UTC ` +
    '(its first git commit + two TTLs 2 × 1800 s + SOA refresh 3600 s = 2 hours): deploy the certificate after that — until then DANE senders that cached the RRset without it cannot deliver (RFC 7671 §8.1)');
  // Two hours later: safe.
  assert.deepEqual(await run('2026-12-02T12:15:00Z'), []);
  // Not committed at all: not published.
  const [u] = await run('2026-12-02T11:00:00Z', published([[`3 1 1 ${old}`, T('2026-10-01T08:00:00Z')]]));
  assert.match(u.message, /matches only `3 1 1 [0-9a-f]{8}…[0-9a-f]{6}` at _25\._tcp\.mx1\.example\.com\., which is in no git commit yet \(not published\): commit and publish it, then wait two TTLs 2 × 1800 s \+ SOA refresh 3600 s = 2 hours before deploying the certificate/);
  // Also matched by a record published long ago (the issuer's 2 1 1): nothing to wait for.
  const withCa = text + `_25._tcp.mx1 TLSA 2 1 1 ${spki1('int.pem')}\n`;
  const caTimes = published([...times.firstCommitted].map(([k, t]) => [k.slice(OWNER.length + 1), t] as [string, number]).concat([[`2 1 1 ${spki1('int.pem')}`, T('2026-01-01T00:00:00Z')]]));
  assert.deepEqual((await certStage(withCa, { published: caTimes, soaRefresh: 3600 }, new Date('2026-12-02T11:00:00Z'))).diagnostics.filter((x) => x.code === 'tlsa-rotation-too-early'), []);
  // Without times (no git): no check.
  assert.deepEqual((await certStage(text, {}, new Date('2026-12-02T11:00:00Z'))).diagnostics.filter((x) => x.code === 'tlsa-rotation-too-early'), []);
});

test('timed rotation: the hover on the next-key record and the rotation comment say from when the switch is safe', { skip: opensslMissing }, async () => {
  const leaf = spki1('leaf.pem');
  const next = keySpki1('next.key');
  const text = TIMED + ['; dane-zone cert=fullchain.pem next=next.key', `_25._tcp.mx1 TLSA 3 1 1 ${leaf}`, `_25._tcp.mx1 TLSA 3 1 1 ${next}`].join('\n') + '\n';
  const times = published([[`3 1 1 ${leaf}`, T('2026-10-01T08:00:00Z')], [`3 1 1 ${next}`, T('2026-12-02T10:14:00Z')]]);
  const analysis = await certStage(text, { published: times, soaRefresh: 3600 }, new Date('2026-12-02T11:00:00Z'));
  assert.deepEqual(analysis.diagnostics, []);
  const records = parseZone(text).records;
  const nextRecord = records.find((r) => r.typeCode === 52 && text.slice(r.start, r.end).includes(next))!;
  const hover = certHover(analysis, nextRecord, new Date('2026-12-02T11:00:00Z'))!;
  assert.match(hover, /\*\*Matches the linked next key\*\*/);
  assert.ok(hover.includes('**Published 2026-12-02 10:14 UTC, safe after 12:14 UTC** (first git commit with this record + two TTLs 2 × 1800 s + SOA refresh 3600 s = 2 hours): the switch to the next key is not safe yet'), hover);
  assert.ok(certHover(analysis, nextRecord, new Date('2026-12-02T13:00:00Z'))!.includes('the switch to the next key is safe now'));
  // Uncommitted: the hover says so.
  const fresh = await certStage(text, { published: published([[`3 1 1 ${leaf}`, T('2026-10-01T08:00:00Z')]]), soaRefresh: 3600 }, new Date('2026-12-02T11:00:00Z'));
  assert.ok(certHover(fresh, nextRecord)!.includes('**Not committed in git yet**: once it is published, the switch to the next key is safe after two TTLs 2 × 1800 s + SOA refresh 3600 s = 2 hours'));

  // The rotation comment: a pair inserted now says when it is safe if published now…
  const single = TIMED + ['; dane-zone cert=fullchain.pem next=next.key', `_25._tcp.mx1 TLSA 3 1 1 ${leaf}`, `_25._tcp.mx1 TLSA 3 1 1 ${spki1('rsa.pem')}`].join('\n') + '\n';
  const sa = await certStage(single, { published: published([[`3 1 1 ${leaf}`, T('2026-10-01T08:00:00Z')]]), soaRefresh: 3600 }, new Date('2026-12-02T11:00:00Z'));
  const overlap = sa.diagnostics.find((d) => d.code === 'tlsa-single-record')!;
  const [pair] = certQuickFixes(single, parseZone(single).records, overlap, new Date('2026-12-02T14:05:00Z'));
  const after = applyEdits(single, pair.edits);
  assert.ok(after.includes(';   2. wait two TTLs + the SOA refresh: 2 × 1800 s + 3600 s = 2 hours, so that every secondary serves the new records and no resolver still holds the old RRset\n;      if committed and published now: published 2026-12-02 14:05 UTC, safe after 16:05 UTC (now + that wait)\n'), after);
  // …and one whose new record is already committed gives that commit's time.
  const lines = rotationComment({ pattern: 'next', records: [{ usage: 3, selector: 1, matchingType: 1, hex: leaf }, { usage: 3, selector: 1, matchingType: 1, hex: next }],
    labels: [], host: 'mx1.example.com', ttl: 1800, soaRefresh: 3600, oldRecord: 'x', date: new Date('2026-12-02T14:05:00Z'), timing: { wait: 7200, published: T('2026-12-02T23:30:00Z') } });
  // Step 2 and the line under it count the same wait (issue 14: it said two TTLs = 1 hour above a safe-after of two TTLs + SOA refresh).
  const step2 = lines.findIndex((l) => l.startsWith('  2. '));
  assert.deepEqual(lines.slice(step2, step2 + 2), [
    '  2. wait two TTLs + the SOA refresh: 2 × 1800 s + 3600 s = 2 hours, so that every secondary serves the new records and no resolver still holds the old RRset',
    '     published 2026-12-02 23:30 UTC, safe after 2026-12-03 01:30 UTC (its first git commit + that wait)',
  ], lines.join('\n'));
});
