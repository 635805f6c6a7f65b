import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { addAsyncStages, checkText } from '../../server/src/core/pipeline/run';
import { nsec3Hash, sha1 } from '../../server/src/core/dnssec/crypto';
import { base32hex, canonicalNameWire, canonicalSortKey, keyTag } from '../../server/src/core/dnssec/wire';
import { parseZone } from '../../server/src/core/parser';
import { ZoneDocument } from '../../server/src/core/document';
import { DnssecCache, dnssecRecordOf, validateDnssec } from '../../server/src/core/dnssec/validate';
import { ZoneDiagnostic, ZoneIO } from '../../server/src/core/types';
import { SIGNED } from './dnssec-fixture';

/**
 * DNSSEC validation on inline zone text: a small zone signed once by ldns-signzone (ED25519,
 * NSEC, ZONEMD SHA-384; inception 2024-01-01, expiration 2035-01-01), and edits of it.
 * test/unit/dnssec-signers.test.ts signs zones during the run with three signers.
 */


const NOW = new Date('2025-01-01T00:00:00Z');

function io(now: Date): ZoneIO {
  return { readFile: () => { throw new Error('no files'); }, resolvePath: (_f, p) => p, now: () => now };
}

async function check(text: string, now = NOW, window?: number): Promise<ZoneDiagnostic[]> {
  const result = checkText(text, { io: io(now), rrsigExpiryWindowSeconds: window });
  await addAsyncStages(result, { io: io(now) });
  return result.diagnostics;
}

const DNSSEC = /^(rrsig|nsec|dnssec|ds-|zonemd)/;

/** code@line:text-at-span for the DNSSEC codes. */
async function found(text: string, now = NOW, window?: number): Promise<string[]> {
  const lineOf = (o: number) => text.slice(0, o).split('\n').length;
  return (await check(text, now, window)).filter((d) => DNSSEC.test(d.code)).map((d) => `${d.code}@${lineOf(d.start)}:${text.slice(d.start, d.end)}`);
}

function lineNo(text: string, needle: string): number {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return text.slice(0, i).split('\n').length;
}

function replaceLine(text: string, needle: string, make: (line: string) => string): string {
  return text.split('\n').map((l) => (l.includes(needle) ? make(l) : l)).join('\n');
}

test('SHA-1, NSEC3 hash (RFC 5155 Appendix A), key tag, canonical order (RFC 4034 §6.1)', () => {
  assert.equal(Buffer.from(sha1(new TextEncoder().encode('abc'))).toString('hex'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assert.equal(Buffer.from(sha1(new Uint8Array(100).fill(0x61))).toString('hex'), '7f9000257a4918d7072655ea468540cdcbd42e0c');
  const salt = Uint8Array.from([0xaa, 0xbb, 0xcc, 0xdd]);
  assert.equal(base32hex(nsec3Hash(canonicalNameWire('example.'), salt, 12)), '0p9mhaveqvm6t7vbl5lop2u3t2rp3tom');
  assert.equal(base32hex(nsec3Hash(canonicalNameWire('A.EXAMPLE.'), salt, 12)), '35mthgpgcu1qg68fab165klnsnk3dpvl');
  const dnskey = parseZone(SIGNED, {}).records.find((r) => r.typeCode === 48)!;
  assert.equal(keyTag(dnskey.wire!), 38705);
  const order = ['example.', 'a.example.', 'yljkjljk.a.example.', 'Z.a.example.', 'zABC.a.EXAMPLE.', 'z.example.', '\\001.z.example.', '*.z.example.', '\\200.z.example.'];
  const shuffled = [...order].reverse();
  const sorted = shuffled.sort((a, b) => (canonicalSortKey(canonicalNameWire(a)) < canonicalSortKey(canonicalNameWire(b)) ? -1 : 1));
  assert.deepEqual(sorted, order);
});

test('a zone signed by ldns-signzone validates clean at a time inside its signatures', async () => {
  assert.deepEqual(await found(SIGNED), []);
});

test('an edited record shows rrsig-invalid on its RRset and on the RRSIG', async () => {
  const edited = SIGNED.replace('mx.example.\t3600\tIN\tA\t192.0.2.2', 'mx.example.\t3600\tIN\tA\t192.0.2.9');
  const got = await found(edited);
  const a = lineNo(edited, '192.0.2.9');
  assert.ok(got.includes(`rrsig-invalid@${a}:A`), got.join('\n'));
  assert.ok(got.includes(`rrsig-invalid@${a + 1}:RRSIG`), got.join('\n'));
  assert.ok(got.includes(`zonemd-mismatch@${lineNo(edited, 'ZONEMD\t1 1 1')}:ZONEMD`), got.join('\n'));
  assert.equal(got.length, 3, got.join('\n'));
});

test('a TLSA RRset whose signature fails says so on the TLSA record, with what it means for DANE', async () => {
  const edited = SIGNED.replace('TLSA\t3 1 1 0123', 'TLSA\t3 1 1 ff23');
  const diags = await check(edited);
  const at = edited.indexOf('TLSA\t3 1 1 ff23');
  const d = diags.find((x) => x.code === 'rrsig-invalid' && x.start === at);
  assert.ok(d, JSON.stringify(diags));
  assert.equal(d.severity, 'error');
  assert.match(d.message, /bogus/);
  assert.match(d.message, /re-sign the zone/);
});

test('a removed RRSIG gives rrsig-missing on the RRset; a removed NSEC gives nsec-chain', async () => {
  const noSig = SIGNED.split('\n').filter((l) => !l.includes('RRSIG\tTLSA')).join('\n');
  const got = await found(noSig);
  assert.ok(got.includes(`rrsig-missing@${lineNo(noSig, 'TLSA\t3 1 1')}:TLSA`), got.join('\n'));
  const noNsec = SIGNED.split('\n').filter((l) => !l.startsWith('ns1.example.\t3600\tIN\tNSEC')).join('\n');
  const got2 = await found(noNsec);
  assert.ok(got2.some((x) => x.startsWith(`nsec-chain@${lineNo(noNsec, 'ns1.example.\t3600\tIN\tA')}`)), got2.join('\n'));
});

test('an NSEC bitmap without a type the name has: nsec-chain on that NSEC (and rrsig-missing on the new record)', async () => {
  const text = SIGNED.replace('ns1.example.\t3600\tIN\tA\t192.0.2.1', 'ns1.example.\t3600\tIN\tA\t192.0.2.1\nns1.example.\t3600\tIN\tAAAA\t2001:db8::1');
  const got = await found(text);
  assert.ok(got.includes(`nsec-chain@${lineNo(text, 'ns1.example.\t3600\tIN\tNSEC')}:NSEC`), got.join('\n'));
  assert.ok(got.includes(`rrsig-missing@${lineNo(text, 'IN\tAAAA')}:AAAA`), got.join('\n'));
  const d = (await check(text)).find((x) => x.code === 'nsec-chain')!;
  assert.match(d.message, /does not list AAAA/);
});

test('an RRSIG over a name expanded from a wildcard verifies (Labels < owner labels: canonical owner *.wild)', async () => {
  const sig = SIGNED.split('\n').find((l) => l.startsWith('*.wild.example.\t3600\tIN\tRRSIG\tTXT'))!;
  const expanded = `${SIGNED}\nfoo.wild.example.\t3600\tIN\tTXT\t"wildcard"\n${sig.replace('*.wild', 'foo.wild')}\n`;
  const got = (await found(expanded)).filter((x) => x.startsWith('rrsig'));
  assert.deepEqual(got, []);
  const wrong = `${SIGNED}\nfoo.wild.example.\t3600\tIN\tTXT\t"other"\n${sig.replace('*.wild', 'foo.wild')}\n`;
  assert.ok((await found(wrong)).some((x) => x.startsWith('rrsig-invalid')));
});

test('times: expired, not yet valid, expiring within the window (default 7 days, configurable)', async () => {
  const line = lineNo(SIGNED, 'RRSIG\tSOA');
  const at = (code: string, l = line) => `${code}@${l}:`;
  const expired = await found(SIGNED, new Date('2035-02-01T00:00:00Z'));
  assert.ok(expired.some((x) => x.startsWith(at('rrsig-expired'))), expired.join('\n'));
  const early = await found(SIGNED, new Date('2023-12-31T00:00:00Z'));
  assert.ok(early.some((x) => x.startsWith(at('rrsig-not-yet-valid'))), early.join('\n'));
  const soon = await found(SIGNED, new Date('2034-12-28T00:00:00Z'));
  assert.ok(soon.some((x) => x.startsWith(at('rrsig-expiring'))), soon.join('\n'));
  assert.deepEqual(await found(SIGNED, new Date('2034-12-20T00:00:00Z')), []);
  const wide = await found(SIGNED, new Date('2034-12-20T00:00:00Z'), 30 * 86400);
  assert.ok(wide.some((x) => x.startsWith(at('rrsig-expiring'))), wide.join('\n'));
});

test('a DNSKEY algorithm that signs nothing: dnssec-algorithm-missing on every RRset (and the DNSKEY RRset no longer verifies)', async () => {
  const extra = 'example.\t3600\tIN\tDNSKEY\t256 3 13 ' + Buffer.alloc(64, 7).toString('base64');
  const text = SIGNED.replace('example.\t3600\tIN\tZONEMD', `${extra}\nexample.\t3600\tIN\tZONEMD`);
  const got = await found(text);
  assert.ok(got.includes(`dnssec-algorithm-missing@${lineNo(text, 'IN\tMX')}:MX`), got.join('\n'));
  assert.ok(got.includes(`dnssec-algorithm-missing@${lineNo(text, 'TLSA\t3 1 1')}:TLSA`), got.join('\n'));
  assert.ok(got.some((x) => x.startsWith('rrsig-invalid') && x.endsWith(':DNSKEY')), got.join('\n'));
});

test('an algorithm that cannot be verified is information, not valid and not an error', async () => {
  const dsa = 'example.\t3600\tIN\tDNSKEY\t256 3 3 ' + Buffer.alloc(40, 7).toString('base64');
  const text = SIGNED.replace('example.\t3600\tIN\tZONEMD', `${dsa}\nexample.\t3600\tIN\tZONEMD`);
  const diags = await check(text);
  const info = diags.find((d) => d.code === 'rrsig-invalid' && d.severity === 'information');
  assert.ok(info, JSON.stringify(diags));
  assert.match(info.message, /DSA.*cannot be verified/);
});

test('ZONEMD changed: zonemd-mismatch on the ZONEMD record', async () => {
  const text = replaceLine(SIGNED, 'IN\tZONEMD', (l) => l.replace(/1c0956/, '1c0957'));
  const got = await found(text);
  assert.ok(got.includes(`zonemd-mismatch@${lineNo(text, 'IN\tZONEMD')}:ZONEMD`), got.join('\n'));
});

test('a CDS that matches no DNSKEY: ds-mismatch; the RFC 8078 delete CDS is fine', async () => {
  const cds = 'example.\t3600\tIN\tCDS\t38705 15 2 ' + 'ab'.repeat(32);
  const text = SIGNED + cds + '\n';
  const got = await found(text);
  assert.ok(got.includes(`ds-mismatch@${lineNo(text, 'IN\tCDS')}:CDS`), got.join('\n'));
  const del = SIGNED + 'example.\t3600\tIN\tCDS\t0 0 0 00\n';
  assert.ok(!(await found(del)).some((x) => x.startsWith('ds-mismatch')));
});

test('dane-zone check --now: validation at a given time, exit 1 on a broken signature', () => {
  const main = path.join(__dirname, '..', '..', 'server', 'src', 'cli', 'main.js');
  const run = (args: string[], input: string) => spawnSync(process.execPath, [main, 'check', ...args, '-'], { input, encoding: 'utf8' });
  const ok = run(['--now', '2025-01-01T00:00:00Z'], SIGNED);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  const late = run(['--now', '2035-06-01T00:00:00Z'], SIGNED);
  assert.match(late.stdout, /rrsig-expired/);
  const bad = run(['--now', '2025-01-01T00:00:00Z'], SIGNED.replace('192.0.2.2', '192.0.2.9'));
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /error rrsig-invalid/);
  const soon = run(['--now', '2034-12-28T00:00:00Z'], SIGNED);
  assert.match(soon.stdout, /warning rrsig-expiring/);
  const narrow = run(['--now', '2034-12-28T00:00:00Z', '--expiry-warning-days', '1'], SIGNED);
  assert.doesNotMatch(narrow.stdout, /rrsig-expiring/);
  const usage = run(['--now', 'yesterday'], SIGNED);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /RFC 3339/);
});

test('the editor state (kept between edits, records compared by identity) agrees with a fresh validation after every edit', async () => {
  const doc = new ZoneDocument(SIGNED, { now: NOW });
  const cache = new DnssecCache();
  let text = SIGNED;
  const edits: [string, string][] = [
    ['192.0.2.2', '192.0.2.9'], // RDATA changed
    ['192.0.2.9', '192.0.2.2'], // and back
    ['ns1.example.\t3600\tIN\tNSEC\t*.wild.example. A RRSIG NSEC', ''], // NSEC removed
    ['\n*.wild.example.\t3600\tIN\tTXT', '\nnew.example.\t3600\tIN\tA\t192.0.2.77\n*.wild.example.\t3600\tIN\tTXT'], // a new name
    ['ZONEMD\t1 1 1 1c09', 'ZONEMD\t1 1 1 1c08'], // digest changed
    ['TLSA\t3 1 1 0123', 'TLSA\t3 1 1 4123'], // TLSA changed
    ['ns1.example.\t3600\tIN\tA\t192.0.2.1', 'ns1.example.\t3600\tIN\tNS\tns.other.net.'], // a delegation appears
    ['ns1.example.\t3600\tIN\tNS\tns.other.net.', 'ns1.example.\t3600\tIN\tA\t192.0.2.1'], // and goes
    ['example.\t3600\tIN\tDNSKEY\t256 3 15 qq+z', 'example.\t3600\tIN\tDNSKEY\t256 3 15 qQ+z'], // the key changed
    ['example.\t3600\tIN\tDNSKEY\t256 3 15 qQ+z', 'example.\t3600\tIN\tDNSKEY\t256 3 15 qq+z'], // and back
    ['mx.example.\t3600\tIN\tA', 'mx.example.\t7200\tIN\tA'], // TTL changed
  ];
  const show = (ds: ZoneDiagnostic[]) => ds.map((d) => `${d.code}@${d.start}-${d.end}: ${d.message}`);
  for (const [from, to] of edits) {
    const at = text.indexOf(from);
    assert.ok(at >= 0, from);
    doc.update([{ start: at, end: at + from.length, text: to }]);
    text = text.slice(0, at) + to + text.slice(at + from.length);
    const parsed = doc.parsed;
    const kept = await validateDnssec(parsed.records, { apex: 'example.', cache });
    const fresh = await validateDnssec(parseZone(text, {}).records.map(dnssecRecordOf).filter((r) => r !== undefined), { apex: 'example.' });
    assert.deepEqual(show(kept), show(fresh), `after replacing ${JSON.stringify(from)}`);
  }
  // The last edit (a TTL: the signed data keeps the RRSIG's original TTL) re-parsed the whole small
  // zone (one chunk), yet verified no signature again: every one came from the cache.
  assert.ok(cache.rrsetsChecked > 0);
  assert.equal(cache.verifiedLast, 0);
});

test('two versions validated at once with one cache: the newer waits for the older and checks only what changed', async () => {
  const cache = new DnssecCache();
  const v1 = parseZone(SIGNED, {}).records;
  const v2 = parseZone(SIGNED.replace('192.0.2.2', '192.0.2.9'), {}).records;
  const [r1, r2] = await Promise.all([validateDnssec(v1, { apex: 'example.', cache }), validateDnssec(v2, { apex: 'example.', cache })]);
  assert.deepEqual(r1.map((d) => d.code), []);
  assert.deepEqual([...new Set(r2.map((d) => d.code))].sort(), ['rrsig-invalid', 'zonemd-mismatch']);
  // Only the changed A RRset's signature was verified again (the ZONEMD RRSIG's data did not change).
  assert.equal(cache.verifiedLast, 1);
});
