/**
 * Certificate code actions (server/src/core/certs/actions.ts): each is applied to the zone text
 * and the whole result compared — update a record's data, insert an RRset for an MX host,
 * both rotation patterns with their comment, remove a stale record — plus the hover line.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseZone } from '../../server/src/core/parser';
import { analyzeZone } from '../../server/src/core/analysis';
import { viewOfParsed } from '../../server/src/core/dane/view';
import { applyEdits } from '../../server/src/core/edits';
import { DaneCodeAction } from '../../server/src/core/dane/fixes';
import { analyzeCertificates, CertAnalysis } from '../../server/src/core/certs/checks';
import {
  certHover, certQuickFixes, certRecordActions, insertTlsaRRsetAction, insertTlsaRRsetEdit, removeRecordEdits, rotationComment, updateRecordDataEdits,
} from '../../server/src/core/certs/actions';
import { recordSpecFor } from '../../server/src/core/certs/hash';
import { loadKeyMaterial } from '../../server/src/core/certs/load';
import { makeFixtures, opensslMatching, opensslMissing } from './certs-fixtures';

const fx = opensslMissing ? undefined : makeFixtures();
after(() => fx?.cleanup());

const DATE = new Date('2026-03-14T12:00:00Z');
const NOW = new Date('2026-01-01T00:00:00Z');

const io = () => ({
  resolvePath: (from: string | undefined, p: string) => path.join(fx!.dir, p),
  readBytes: (p: string) => new Uint8Array(fs.readFileSync(p)),
});

async function analyze(text: string): Promise<CertAnalysis> {
  return analyzeCertificates(viewOfParsed(parseZone(text)), { zoneFile: path.join(fx!.dir, 'example.com.zone') }, io(), NOW);
}

/** The quick fixes of the first diagnostic of `code` (optionally on the text `on`). */
async function fixes(text: string, code: string, on?: string): Promise<DaneCodeAction[]> {
  const a = await analyze(text);
  const d = a.diagnostics.find((x) => x.code === code && (on === undefined || text.slice(x.start, x.end) === on));
  assert.ok(d, `no ${code} in ${JSON.stringify(a.diagnostics.map((x) => x.code))}`);
  return certQuickFixes(text, parseZone(text).records, d, DATE);
}

function apply(text: string, actions: DaneCodeAction[], title: RegExp): string {
  const a = actions.find((x) => title.test(x.title));
  assert.ok(a, `no action ${title} in ${JSON.stringify(actions.map((x) => x.title))}`);
  return applyEdits(text, a.edits);
}

const short = (h: string) => `${h.slice(0, 8)}…${h.slice(-6)}`;
const HEAD = [
  '$ORIGIN example.com.',
  '$TTL 3600',
  '; dane-zone dnssec=signed',
  '@             IN SOA  ns hm 1 7200 3600 1209600 300',
  '@             IN MX   10 mx1',
  '@             IN MX   20 mx2',
  'mx1           IN A    192.0.2.1',
  'mx2           IN A    192.0.2.2',
].join('\n') + '\n';

test('update the record data from the linked certificate: one line with its comment; a split, parenthesised record keeps its lines', { skip: opensslMissing }, async () => {
  const leaf = opensslMatching(fx!.certSpki('leaf.pem'), 1);
  const old = opensslMatching(fx!.certSpki('rsa.pem'), 1);
  const text = HEAD + `; dane-zone cert=fullchain.pem\n_25._tcp.mx1  IN TLSA 3 1 1 ${old} ; renewed 2025\nwww           IN A    192.0.2.80\n`;
  const actions = await fixes(text, 'tlsa-cert-mismatch');
  assert.deepEqual(actions.map((a) => a.title), [
    `Update the \`3 1 1 ${short(old)}\` record from \`fullchain.pem\``,
    'Add a `3 1 1` record for `fullchain.pem` beside the others',
    'Add a rotation pair: current key + issuing CA (2 1 1 for CN=Test Issuing CA, O=Test), with the steps',
  ]);
  assert.equal(actions[0].isPreferred, true);
  const updated = apply(text, actions, /^Update/);
  assert.equal(updated, HEAD + `; dane-zone cert=fullchain.pem\n_25._tcp.mx1  IN TLSA 3 1 1 ${leaf} ; renewed 2025\nwww           IN A    192.0.2.80\n`);
  assert.deepEqual((await analyze(updated)).diagnostics, []);
  assert.deepEqual(analyzeZone(updated).diagnostics.map((d) => d.code), ['tlsa-mx-coverage', 'tlsa-single-record', 'tlsrpt-missing']);

  // Uppercase data split over two lines inside parentheses, with a comment between: same pieces, same case.
  const OLD = old.toUpperCase();
  const split = HEAD + `; dane-zone cert=fullchain.pem\n_25._tcp.mx1 3600 IN TLSA ( 3 1 1\n    ${OLD.slice(0, 32)} ; first half\n    ${OLD.slice(32)} )\n`;
  const LEAF = leaf.toUpperCase();
  assert.equal(apply(split, await fixes(split, 'tlsa-cert-mismatch'), /^Update/),
    HEAD + `; dane-zone cert=fullchain.pem\n_25._tcp.mx1 3600 IN TLSA ( 3 1 1\n    ${LEAF.slice(0, 32)} ; first half\n    ${LEAF.slice(32)} )\n`);

  // Full data of another length: the pieces are refilled, leftovers removed.
  const record = parseZone(`x. 300 IN TLSA 3 1 0 ( aabb\n  ccdd\n  eeff )\n`).records[0];
  const t = 'x. 300 IN TLSA 3 1 0 ( aabb\n  ccdd\n  eeff )\n';
  assert.equal(applyEdits(t, updateRecordDataEdits(t, record, '0102030405')!), 'x. 300 IN TLSA 3 1 0 ( 0102\n  0304\n  05 )\n');
  assert.equal(applyEdits(t, updateRecordDataEdits(t, record, '0102')!), 'x. 300 IN TLSA 3 1 0 ( 0102 )\n');
  assert.equal(applyEdits(t, updateRecordDataEdits(t, record, '01020304050607080910')!), 'x. 300 IN TLSA 3 1 0 ( 0102\n  0304\n  050607080910 )\n');
});

test('insert a TLSA RRset for an MX host from a certificate: after the host\'s records, in the file\'s layout, linked', { skip: opensslMissing }, async () => {
  const m = await loadKeyMaterial(fx!.read('ec.pem'));
  assert.ok(m.ok);
  const spec = await recordSpecFor(m.material, 3, 1, 1);
  assert.ok(!('error' in spec));
  const hex = opensslMatching(fx!.certSpki('ec.pem'), 1);
  const text = HEAD + 'www           IN A    192.0.2.80\n';
  const edit = insertTlsaRRsetEdit(text, parseZone(text).records, { host: 'mx2.example.com', specs: [spec], linkPath: 'certs/mx2.pem' });
  assert.equal(applyEdits(text, [edit!]), HEAD.replace('mx2           IN A    192.0.2.2\n',
    `mx2           IN A    192.0.2.2\n; dane-zone cert=certs/mx2.pem\n_25._tcp.mx2  IN TLSA 3 1 1 ${hex}\n`) + 'www           IN A    192.0.2.80\n');

  // Absolute owners and explicit TTLs in the file (tab-separated), another port and more records; no trailing newline.
  const abs = '$TTL 300\nexample.com.\t300\tIN\tMX\t10 mail.example.com.\nmail.example.com.\t300\tIN\tA\t192.0.2.9';
  const two = [spec, { ...spec, matchingType: 2, hex: opensslMatching(fx!.certSpki('ec.pem'), 2) }];
  const e2 = insertTlsaRRsetEdit(abs, parseZone(abs).records, { host: 'mail.example.com.', port: 465, specs: two });
  assert.equal(applyEdits(abs, [e2!]), abs + `\n_465._tcp.mail.example.com.\t300\tIN\tTLSA\t3 1 1 ${hex}\n_465._tcp.mail.example.com.\t300\tIN\tTLSA\t3 1 2 ${two[1].hex}\n`);

  // The file-picker command in one call: bytes in, the action (or why not) out.
  const action = await insertTlsaRRsetAction(text, parseZone(text).records, { host: 'mx2.example.com', bytes: fx!.read('chain3.pem'),
    combos: [{ usage: 3, selector: 1, matchingType: 1 }, { usage: 2, selector: 1, matchingType: 1 }] });
  assert.ok(!('error' in action));
  assert.equal(action.title, 'Insert _25._tcp.mx2.example.com TLSA 3 1 1, 2 1 1 from chain of 3 certificates (leaf CN=mx1.example.com)');
  assert.equal(applyEdits(text, action.edits), HEAD.replace('mx2           IN A    192.0.2.2\n', `mx2           IN A    192.0.2.2\n` +
    `_25._tcp.mx2  IN TLSA 3 1 1 ${opensslMatching(fx!.certSpki('leaf.pem'), 1)}\n_25._tcp.mx2  IN TLSA 2 1 1 ${opensslMatching(fx!.certSpki('int.pem'), 1)}\n`) +
    'www           IN A    192.0.2.80\n');
  assert.deepEqual(await insertTlsaRRsetAction(text, [], { host: 'mx2', bytes: Uint8Array.of(0xff, 0xd8, 0xff) }),
    { error: 'this is a JPEG image, not a certificate or key: link a PEM or DER certificate, public key or CSR' });
  assert.deepEqual(await insertTlsaRRsetAction(text, [], { host: 'mx2', bytes: fx!.read('next.pub'), combos: [{ usage: 2, selector: 1, matchingType: 1 }] }),
    { error: 'usage 2 needs the issuing CA\'s certificate, and the file holds a public key: link the full chain (leaf first, e.g. fullchain.pem)' });
});

test('rotation pair, current + next: both 3 1 1 records with the dated steps and the real wait', { skip: opensslMissing }, async () => {
  const leaf = opensslMatching(fx!.certSpki('leaf.pem'), 1);
  const next = opensslMatching(fx!.keySpki('next.key'), 1);
  const body = `_25._tcp.mx1  IN TLSA 3 1 1 ${leaf}\n`;
  const text = HEAD + '; dane-zone cert=fullchain.pem next=next.key\n' + body + 'www           IN A    192.0.2.80\n';
  const actions = await fixes(text, 'tlsa-cert-mismatch', 'next=next.key');
  assert.deepEqual(actions.map((a) => [a.title, a.isPreferred]), [['Add a rotation pair: current + next key (3 1 1 for next.key), with the steps', true]]);
  assert.equal(apply(text, actions, /current \+ next/), HEAD + '; dane-zone cert=fullchain.pem next=next.key\n' + body + [
    '; DANE rollover 2026-03-14 (dane-zone): current + next key (RFC 7671 §8.1)',
    `;   3 1 1 ${short(leaf)} = current key (fullchain.pem)`,
    `;   3 1 1 ${short(next)} = next key (next.key)`,
    ';   1. publish these records (reload the zone; the SOA serial must grow)',
    ';   2. wait two TTLs: 2 × 3600 s = 2 hours, so that no resolver still holds the old RRset',
    ';   3. deploy the next key/certificate on mx1.example.com',
    `;   4. once it is live, replace the old record (3 1 1 ${short(leaf)}) with a 3 1 1 for a new next key (link it with next=), keeping the pair`,
    `_25._tcp.mx1  IN TLSA 3 1 1 ${next}`,
    'www           IN A    192.0.2.80',
    '',
  ].join('\n'));
  // Applied, the zone has a pair and no certificate diagnostic left.
  const done = apply(text, actions, /current \+ next/);
  assert.deepEqual((await analyze(done)).diagnostics, []);
  assert.ok(!analyzeZone(done).diagnostics.some((d) => d.code === 'tlsa-single-record'));
  // The comment helper on its own, with a 1-day TTL.
  assert.equal(rotationComment({ pattern: 'next', records: [], labels: [], host: 'h', ttl: 86400, oldRecord: 'x', date: DATE })[2],
    '  2. wait two TTLs: 2 × 86400 s = 2 days, so that no resolver still holds the old RRset');
});

test('rotation pair, current + issuer: 3 1 1 for the leaf and 2 1 1 for the issuing CA (not the root); blank owners and TTL reused', { skip: opensslMissing }, async () => {
  const leaf = opensslMatching(fx!.certSpki('leaf.pem'), 1);
  const ca = opensslMatching(fx!.certSpki('int.pem'), 1);
  const text = HEAD + `; dane-zone cert=chain3.pem\n_25._tcp.mx1  1800 IN TLSA 3 1 1 ${leaf}\n`;
  const a = await analyze(text);
  assert.deepEqual(a.diagnostics, []);
  const parsed = parseZone(text);
  const record = parsed.records.find((r) => r.typeCode === 52)!;
  const actions = certRecordActions(text, parsed.records, a, record, DATE);
  assert.deepEqual(actions.map((x) => x.title), ['Add a rotation pair: current key + issuing CA (2 1 1 for CN=Test Issuing CA, O=Test), with the steps']);
  assert.equal(applyEdits(text, actions[0].edits), text + [
    '; DANE rollover 2026-03-14 (dane-zone): current key + issuing CA (RFC 7671 §8.1)',
    `;   3 1 1 ${short(leaf)} = current key (chain3.pem)`,
    `;   2 1 1 ${short(ca)} = issuing CA CN=Test Issuing CA, O=Test`,
    ';   1. publish these records (reload the zone; the SOA serial must grow)',
    ';   2. wait two TTLs: 2 × 1800 s = 1 hour, so that no resolver still holds the old RRset',
    ';   3. deploy the renewed certificate (same CA) on mx1.example.com; the 2 1 1 record keeps matching',
    `;   4. once it is live, replace the old record (3 1 1 ${short(leaf)}) with the renewed certificate's 3 1 1, keeping the 2 1 1`,
    ';   note: a 2 x y record on a CA matches only when the server sends that CA in its chain (deploy the full chain)',
    `_25._tcp.mx1  1800 IN TLSA 2 1 1 ${ca}`,
    '',
  ].join('\n'));
  // Following step 4 (the 3 1 1 replaced by a renewed certificate's, here next.key's) leaves a pair: no
  // tlsa-single-record; removing the 3 1 1 instead, as the old comment said, would leave the 2 1 1 alone.
  const applied = applyEdits(text, actions[0].edits);
  const renewed = applied.replace(`TLSA 3 1 1 ${leaf}`, `TLSA 3 1 1 ${opensslMatching(fx!.keySpki('next.key'), 1)}`);
  assert.ok(!analyzeZone(renewed).diagnostics.some((d) => d.code === 'tlsa-single-record'));
  const removed = applied.replace(`_25._tcp.mx1  1800 IN TLSA 3 1 1 ${leaf}\n`, '');
  assert.ok(analyzeZone(removed).diagnostics.some((d) => d.code === 'tlsa-single-record'));
  // Records written with a blank owner: the new one continues them.
  const blank = HEAD + `; dane-zone cert=fullchain.pem\n_25._tcp.mx1  1800 IN TLSA 3 1 1 ${leaf}\n              1800 IN TLSA 3 1 2 ${opensslMatching(fx!.certSpki('leaf.pem'), 2)}\n`;
  const b = await analyze(blank);
  const bp = parseZone(blank);
  const acts = certRecordActions(blank, bp.records, b, bp.records.find((r) => r.typeCode === 52)!, DATE);
  const out = applyEdits(blank, acts[0].edits);
  assert.ok(out.endsWith(`\n              1800 IN TLSA 2 1 1 ${ca}\n`), out);
  assert.deepEqual((await analyze(out)).diagnostics, []);
});

test('remove a stale record; the next record keeps its owner when it inherited it', { skip: opensslMissing }, async () => {
  const leaf = opensslMatching(fx!.certSpki('leaf.pem'), 1);
  const stale = opensslMatching(fx!.certSpki('rsa.pem'), 1);
  const text = HEAD + `; dane-zone cert=leaf.pem\n_25._tcp.mx1  IN TLSA 3 1 1 ${stale} ; 2024 key\n; the key in use\n              IN TLSA 3 1 1 ${leaf}\nwww           IN A    192.0.2.80\n`;
  const actions = await fixes(text, 'tlsa-stale-record');
  assert.deepEqual(actions.map((a) => [a.title, a.isPreferred]), [[`Remove the stale record \`3 1 1 ${short(stale)}\``, true]]);
  assert.equal(apply(text, actions, /^Remove/),
    HEAD + `; dane-zone cert=leaf.pem\n; the key in use\n_25._tcp.mx1  IN TLSA 3 1 1 ${leaf}\nwww           IN A    192.0.2.80\n`);
  // The last record of the RRset, with an owner: just its line.
  const last = HEAD + `_25._tcp.mx1  IN TLSA 3 1 1 ${leaf}\n_25._tcp.mx1  IN TLSA 3 1 1 ${stale}\nwww IN A 192.0.2.80\n`;
  const p = parseZone(last);
  assert.equal(applyEdits(last, removeRecordEdits(last, p.records, p.records.filter((r) => r.typeCode === 52)[1])!),
    HEAD + `_25._tcp.mx1  IN TLSA 3 1 1 ${leaf}\nwww IN A 192.0.2.80\n`);
  // A stale diagnostic whose text changed gives no fix.
  const a = await analyze(text);
  const d = a.diagnostics.find((x) => x.code === 'tlsa-stale-record')!;
  const edited = text.replace('; 2024 key', '; 2024 key, old');
  assert.deepEqual(certQuickFixes(edited, parseZone(edited).records, d, DATE), []);
});

test('hover: the linked certificate a record matches (subject, SANs, issuer, expiry, file), or none', { skip: opensslMissing }, async () => {
  const leaf = opensslMatching(fx!.certSpki('leaf.pem'), 1);
  const ca = opensslMatching(fx!.certSpki('int.pem'), 1);
  const other = opensslMatching(fx!.certSpki('ec.pem'), 1);
  const text = HEAD + `; dane-zone cert=fullchain.pem next=next.csr\n_25._tcp.mx1  IN TLSA 3 1 1 ${leaf}\n_25._tcp.mx1  IN TLSA 2 1 1 ${ca}\n_25._tcp.mx1  IN TLSA 3 1 1 ${other}\n`;
  const a = await analyze(text);
  const recs = parseZone(text).records.filter((r) => r.typeCode === 52);
  const m = await loadKeyMaterial(fx!.read('fullchain.pem'));
  assert.ok(m.ok);
  const [l, c] = m.material.certificates;
  const file = `\`fullchain.pem\` (${path.join(fx!.dir, 'fullchain.pem')})`;
  assert.equal(certHover(a, recs[0]), `**Matches the linked certificate**: CN=mx1.example.com; SANs mx1.example.com, mail.example.com; issuer CN=Test Issuing CA, O=Test; expires ${l.notAfter.toISOString().slice(0, 10)}; file ${file}`);
  assert.equal(certHover(a, recs[1]), `**Matches the linked certificate** (the CA certificate at depth 1 of the chain): CN=Test Issuing CA, O=Test; issuer CN=Test Root CA, O=Test; expires ${c.notAfter.toISOString().slice(0, 10)}; file ${file}`);
  assert.equal(certHover(a, recs[2]), `**Matches no linked certificate**: not the certificate ${file} (CN=mx1.example.com), nor the next key \`next.csr\` (${path.join(fx!.dir, 'next.csr')}) (CN=mx1.example.com)`);
  assert.equal(certHover(a, parseZone(HEAD).records[0]), undefined);
});
