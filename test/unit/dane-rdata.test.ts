/**
 * Per-record TLSA/SMIMEA checks (server/src/core/dane/tlsaRdata.ts through the parser):
 * every code fires on one zone and stays silent on another; spans are asserted as the text
 * they cover ('' = a zero-length span). Generic RFC 3597 forms are checked like the numeric
 * form. Random input never throws (fast-check).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeZone } from '../../server/src/core/analysis';
import { parseZone } from '../../server/src/core/parser';
import { readEntry } from '../../server/src/core/lexer';
import { parseTlsaRdata, tlsaSpans } from '../../server/src/core/dane/tlsaRdata';
import { checkDer } from '../../server/src/core/dane/der';
import { quickFixes, tlsaRefactors } from '../../server/src/core/dane/fixes';
import { ZoneDiagnostic } from '../../server/src/core/types';
import { SIGNED } from './dane-fixtures';

// A self-signed P-256 certificate for mx1.example.com and its SubjectPublicKeyInfo (DER, hex).
const CERT = '3082018a3082012fa00302010202142b1192e6e3e4b9666841f3b98ae54a560f496806300a06082a8648ce3d040302301a3118301606035504030c0f6d78312e6578616d706c652e636f6d301e170d3236313132383233343131385a170d3336313132353233343131385a301a3118301606035504030c0f6d78312e6578616d706c652e636f6d3059301306072a8648ce3d020106082a8648ce3d03010703420004682f976cd352cc850195ac9399b14e53dcf07a9dab7d3140ee464aa3acee38dd8fa7f94fb5ab250615d532622c182e2cf103b37e323dd7a98ba797e347b2913da3533051301d0603551d0e04160414ea561ceffa1c135b6f7d64f271ccbed5ea0b6d63301f0603551d23041830168014ea561ceffa1c135b6f7d64f271ccbed5ea0b6d63300f0603551d130101ff040530030101ff300a06082a8648ce3d0403020349003046022100e1336faea9e12131bb50981ca1c613f2dd7c10bf5b805f19a8d70036ce7bee23022100e1dd3ccce355c054769865aa1cb610fe48fce51419d9ec37ebdea673690bd038';
const SPKI = '3059301306072a8648ce3d020106082a8648ce3d03010703420004682f976cd352cc850195ac9399b14e53dcf07a9dab7d3140ee464aa3acee38dd8fa7f94fb5ab250615d532622c182e2cf103b37e323dd7a98ba797e347b2913d';
const D1 = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';
const D512 = D1 + D1;

/** A signed zone with one MX host, so only the code under test is of interest. */
const HEAD = SIGNED;
const zone = (...lines: string[]) => HEAD + lines.join('\n') + '\n';

const at = (text: string, s: { start: number; end: number }) => text.slice(s.start, s.end);
const all = (text: string, opts = {}) => analyzeZone(text, { now: new Date('2026-01-01T00:00:00Z'), ...opts }).diagnostics;
/** The diagnostics of one code as `severity text`. */
const found = (text: string, code: string, opts = {}) => all(text, opts).filter((d) => d.code === code).map((d) => `${d.severity} ${at(text, d)}`);
const first = (text: string, code: string): ZoneDiagnostic => {
  const d = all(text).find((x) => x.code === code);
  assert.ok(d, `no ${code} in ${text}`);
  return d;
};
const wireOf = (text: string, i = 0) => Buffer.from(parseZone(text).records.filter((r) => r.typeCode === 52 || r.typeCode === 53)[i].wire ?? []).toString('hex');

test('tlsa-field-range: missing, out of range, not a number, quoted, another field\'s acronym, short \\# data', () => {
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 3 1 256 ${D1}`), 'tlsa-field-range'), ['error 256']);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 3 x 1 ${D1}`), 'tlsa-field-range'), ['error x']);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 00000000256 1 1 ${D1}`), 'tlsa-field-range'), ['error 00000000256']);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA "3" 1 1 ${D1}`), 'tlsa-field-range'), ['error "3"']);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA SPKI 1 1 ${D1}`), 'tlsa-field-range'), ['error SPKI']);
  assert.match(first(zone(`_25._tcp.mx1 TLSA SPKI 1 1 ${D1}`), 'tlsa-field-range').message, /acronym of a selector, not of a certificate usage/);
  // missing: a zero-length span right after the last field written
  const z = zone('_25._tcp.mx1 TLSA 3 1 ; comment');
  const d = first(z, 'tlsa-field-range');
  assert.equal(at(z, d), '');
  assert.equal(z.slice(d.start - 3, d.start), '3 1');
  assert.match(d.message, /matching type is missing/);
  assert.deepEqual(found(zone('_25._tcp.mx1 TLSA \\# 2 0301'), 'tlsa-field-range'), ['error \\# 2 0301']);
  assert.equal(first(z, 'tlsa-field-range').severity, 'error');
});

test('tlsa-field-range: leading zeros are legal and give the same wire', () => {
  const z = zone(`_25._tcp.mx1 TLSA 003 01 001 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D512.slice(0, 64).replace('8c', '00')}`);
  assert.deepEqual(found(z, 'tlsa-field-range'), []);
  assert.equal(wireOf(z), '030101' + D1);
});

test('tlsa-mnemonic: each RFC 7218 acronym, case-insensitive, with the number in data', () => {
  const z = zone(`_25._tcp.mx1 TLSA DANE-EE spki Sha2-256 ${D1}`);
  const ds = all(z).filter((d) => d.code === 'tlsa-mnemonic');
  assert.deepEqual(ds.map((d) => `${d.severity} ${at(z, d)} ${(d.data as { value: number }).value}`), ['error DANE-EE 3', 'error spki 1', 'error Sha2-256 1']);
  assert.match(ds[0].message, /RFC 7218 acronym.*write the certificate usage as the number 3/);
  // the other checks still use the value: SHA2-256 with 30 octets
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA PKIX-TA Cert SHA2-256 ${D1.slice(4)}`), 'tlsa-digest-length'), [`error ${D1.slice(4)}`]);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`), 'tlsa-mnemonic'), []);
  // a record with a mnemonic is rejected by Knot: no wire
  assert.equal(parseZone(z).records.at(-1)!.ok, false);
});

test('tlsa-unassigned-value and tlsa-private-value', () => {
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 4 1 1 ${D1}`), 'tlsa-unassigned-value'), ['warning 4']);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 3 2 1 ${D1}`), 'tlsa-unassigned-value'), ['warning 2']);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 3 1 254 ${D1}`), 'tlsa-unassigned-value'), ['warning 254']);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 2 0 2 ${D512}`), 'tlsa-unassigned-value'), []);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 255 255 255 ${D1}`), 'tlsa-private-value'), ['information 255', 'information 255', 'information 255']);
  assert.match(first(zone(`_25._tcp.mx1 TLSA 255 1 1 ${D1}`), 'tlsa-private-value').message, /PrivCert/);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 254 1 1 ${D1}`), 'tlsa-private-value'), []);
  // warnings and notes keep the record valid
  assert.equal(wireOf(zone(`_25._tcp.mx1 TLSA 4 1 1 ${D1}`)), '040101' + D1);
});

test('tlsa-hex: empty, not hex, odd digit count, quoted; split data is legal, even inside an octet', () => {
  const empty = zone('_25._tcp.mx1 TLSA 3 1 1');
  assert.deepEqual(found(empty, 'tlsa-hex'), ['error ']);
  assert.equal(empty.slice(first(empty, 'tlsa-hex').start - 5, first(empty, 'tlsa-hex').start), '3 1 1');
  assert.deepEqual(found(zone('_25._tcp.mx1 TLSA 3 1 1 ( 8cb0 xyz0 )'), 'tlsa-hex'), ['error xyz0']);
  assert.match(first(zone('_25._tcp.mx1 TLSA 3 1 1 jLD8bFJ1BqBT9PFMhGS+u9be3ic40RRo3ZU9fWowIfE='), 'tlsa-hex').message, /looks like base64/);
  assert.deepEqual(found(zone('_25._tcp.mx1 TLSA 3 1 1 ( abc\n  de )'), 'tlsa-hex'), ['error abc\n  de']);
  assert.match(first(zone('_25._tcp.mx1 TLSA 3 1 1 abc'), 'tlsa-hex').message, /odd number of hex digits \(3\)/);
  // RFC 6698 §2.2: a piece may end inside an octet; only the joined digits count (BIND, NSD, PowerDNS)
  assert.deepEqual(found(zone('_25._tcp.mx1 TLSA 3 1 1 abc def'), 'tlsa-hex'), []);
  assert.equal(wireOf(zone('_25._tcp.mx1 TLSA 3 1 1 abc def')), '030101abcdef');
  assert.deepEqual(found(zone('_25._tcp.mx1 TLSA 3 1 1 "abcd"'), 'tlsa-hex'), ['error "abcd"']);
  const split = zone(`_25._tcp.mx1 TLSA 3 1 1 ( ${D1.slice(0, 32)} ; first half\n    ${D1.slice(32).toUpperCase()} )`);
  assert.deepEqual(all(split).filter((d) => d.severity === 'error'), []);
  assert.equal(wireOf(split), '030101' + D1);
});

test('tlsa-digest-length: actual and expected octets in the message, span over all data', () => {
  const z = zone(`_25._tcp.mx1 TLSA 3 1 1 ( ${D1.slice(0, 30)}\n ${D1.slice(30, 60)} )`);
  const d = first(z, 'tlsa-digest-length');
  assert.equal(at(z, d), `${D1.slice(0, 30)}\n ${D1.slice(30, 60)}`);
  assert.match(d.message, /is 30 octets \(60 hex digits\), but matching type 1 \(SHA2-256\) needs 32 octets \(64 hex digits\)/);
  // a semantic error: the record is not ok, but its data is still TLSA (wire kept for duplicates and RRset checks)
  const rec = parseZone(z).records.at(-1)!;
  assert.equal(rec.ok, false);
  assert.equal(Buffer.from(rec.wire!).toString('hex'), '030101' + D1.slice(0, 60));
  assert.match(first(zone(`_25._tcp.mx1 TLSA 3 1 2 ${D1}`), 'tlsa-digest-length').message, /32 octets.*size of a SHA2-256 digest; use matching type 1/);
  assert.match(first(zone(`_25._tcp.mx1 TLSA 3 1 1 ${D512}`), 'tlsa-digest-length').message, /use matching type 2/);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 2 ${D512}`, '_25._tcp.mx1 TLSA 3 1 255 00'), 'tlsa-digest-length'), []);
});

test('tlsa-invalid-der: says what was found; certificates and keys in the right selector pass', () => {
  const msg = (line: string) => first(zone(line), 'tlsa-invalid-der').message;
  assert.match(msg(`_443._tcp.www TLSA 3 0 0 ${SPKI}`), /this is a SubjectPublicKeyInfo, but selector 0 expects a certificate/);
  assert.match(msg(`_443._tcp.www TLSA 3 1 0 ${CERT}`), /this is a certificate, but selector 1 expects a SubjectPublicKeyInfo/);
  assert.match(msg(`_443._tcp.www TLSA 3 1 0 ${D1}`), /32 octets, the size of a SHA2-256 digest.*use matching type 1/);
  assert.match(msg(`_443._tcp.www TLSA 3 1 0 ${SPKI}00`), /1 octet follow the end of the ASN.1 structure/);
  assert.match(msg(`_443._tcp.www TLSA 3 0 0 ${CERT.slice(0, 200)}`), /announces 398 octets but the data has 100/);
  assert.match(msg('_443._tcp.www TLSA 2 0 0 3009020101020102020103'), /this is not a certificate \(.*ASN1 schema/);
  const z = zone(`_443._tcp.www TLSA 3 0 0 ( ${CERT.slice(0, 300)}\n ${CERT.slice(300)} )`);
  assert.deepEqual(found(z, 'tlsa-invalid-der'), []);
  assert.deepEqual(found(zone(`_443._tcp.www TLSA 3 0 0 ${SPKI}`), 'tlsa-invalid-der'), [`error ${SPKI}`]);
  assert.deepEqual(found(zone(`_443._tcp.www TLSA 3 1 0 ${SPKI}`, `_443._tcp.www TLSA 3 255 0 ${D1}`), 'tlsa-invalid-der'), []);
  assert.equal(checkDer(Uint8Array.from(Buffer.from(CERT, 'hex')), 'certificate'), undefined);
});

test('tlsa-full-data: a note on matching type 0 (TLSA only)', () => {
  assert.deepEqual(found(zone(`_443._tcp.www TLSA 3 1 0 ${SPKI}`), 'tlsa-full-data'), ['information 0']);
  assert.match(first(zone(`_443._tcp.www TLSA 3 1 0 ${SPKI}`), 'tlsa-full-data').message, /91 octets here/);
  assert.deepEqual(found(zone(`_443._tcp.www TLSA 3 1 1 ${D1}`), 'tlsa-full-data'), []);
  const hash = 'c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6';
  assert.deepEqual(found(zone(`${hash}._smimecert TYPE53 3 0 0 ${CERT}`), 'tlsa-full-data'), []);
  assert.deepEqual(found(zone(`${hash}._smimecert SMIMEA 3 0 0 ${SPKI}`), 'tlsa-invalid-der'), [`error ${SPKI}`]);
});

test('generic \\# and TYPE52/TYPE53 forms decode and are checked like the numeric form', () => {
  const z = zone(`_25._tcp.mx1 TLSA \\# 35 0301 01${D1}`, `_25._tcp.mx1 TYPE52 3 1 1 ${D1.replace('8c', '9c')}`);
  assert.equal(wireOf(z, 0), '030101' + D1);
  assert.equal(wireOf(z, 1), '030101' + D1.replace('8c', '9c'));
  assert.deepEqual(all(z), []);
  // values: spans are the hex digits of the field
  const u = zone(`_25._tcp.mx1 TYPE52 \\# 35 07 0101${D1}`);
  assert.deepEqual(found(u, 'tlsa-unassigned-value'), ['warning 07']);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA \\# 35 0301ff${D1}`), 'tlsa-private-value'), ['information ff']);
  const bad = zone(`_25._tcp.mx1 TLSA \\# 33 030101 ( ${D1.slice(0, 20)}\n ${D1.slice(20, 60)} )`);
  assert.deepEqual(found(bad, 'tlsa-digest-length'), [`error ${D1.slice(0, 20)}\n ${D1.slice(20, 60)}`]);
  assert.deepEqual(found(zone('_25._tcp.mx1 TLSA \\# 3 030101'), 'tlsa-hex'), ['error ']);
  assert.deepEqual(found(zone(`_443._tcp.www TLSA \\# 94 030000 ${SPKI}`), 'tlsa-invalid-der'), [`error ${SPKI}`]);
  // generic syntax problems stay invalid-rdata
  assert.deepEqual(found(zone('_25._tcp.mx1 TLSA \\# 4 030101'), 'invalid-rdata'), ['error 4']);
  // SMIMEA
  const hash = 'c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6';
  assert.deepEqual(found(zone(`${hash}._smimecert TYPE53 \\# 35 030102${D1}`), 'tlsa-digest-length'), [`error ${D1}`]);
});

test('tlsaSpans maps fields of both forms to their text', () => {
  const line = `x TLSA \\# 35 03 0101${D1.slice(0, 10)} ( ${D1.slice(10)} )`;
  const r = parseZone(line + '\n', { origin: 'example.' }).records[0];
  const s = tlsaSpans(r.rdata);
  assert.deepEqual([s.usage, s.selector, s.matchingType, s.data].map((x) => at(line, x!)), ['03', '01', '01', `${D1.slice(0, 10)} ( ${D1.slice(10)}`]);
  const p = `x TLSA 3 1 1 ( ab\n cd )`;
  const s2 = tlsaSpans(parseZone(p + '\n', { origin: 'example.' }).records[0].rdata);
  assert.deepEqual([s2.usage, s2.selector, s2.matchingType, s2.data].map((x) => at(p, x!)), ['3', '1', '1', 'ab\n cd']);
});

// ---------------------------------------------------------------- bad input never throws

const PIECES = ['3', '1', '0', '2', '255', '256', '003', 'DANE-EE', 'spki', 'SHA2-512', 'PrivCert', '\\#', '35', '0', '4', 'ab', 'abc',
  'zz', D1, SPKI, CERT.slice(0, 120), '"', '"ab"', '(', ')', ';', '\n', ' ', '\t', '\\', '\\0', 'ÿ', '\ud800', '300a', '30', '82ffff'];

function checkNoThrow(text: string): void {
  let ds: ZoneDiagnostic[];
  try {
    ds = all(text);
  } catch (e) {
    assert.fail(`analyzeZone threw ${(e as Error).stack} on ${JSON.stringify(text)}`);
  }
  for (const d of ds) {
    assert.ok(d.start >= 0 && d.start <= d.end && d.end <= text.length, `${d.code} [${d.start}, ${d.end}) outside the text: ${JSON.stringify(text)}`);
    assert.doesNotThrow(() => quickFixes(text, d));
  }
  for (const r of parseZone(text).records) assert.doesNotThrow(() => tlsaRefactors(text, r));
}

test('random TLSA/SMIMEA RDATA (token soup, random bytes as hex, random strings) never throws', () => {
  const soup = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((p) => p.join(' '));
  fc.assert(fc.property(fc.constantFrom('TLSA', 'SMIMEA', 'TYPE52', 'TYPE53'), soup, (type, rdata) => {
    checkNoThrow(zone(`_25._tcp.mx1 ${type} ${rdata}`, `_25._tcp.mx1 ${type} 3 1 1 ${D1}`));
  }), { numRuns: 1500, seed: 4242 });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, lie) => {
    const hex = Buffer.from(bytes).toString('hex');
    checkNoThrow(zone(`_25._tcp.mx1 TLSA \\# ${bytes.length + (lie ? 1 : 0)} ${hex}`));
    checkNoThrow(zone(`_443._tcp.www TLSA 3 ${bytes[0] & 1} 0 ${hex}`));
  }), { numRuns: 1000, seed: 4242 });
  fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => {
    checkNoThrow(zone(`_25._tcp.mx1 TLSA ${s}`));
    const { entry } = readEntry(s, 0, { diagnostics: [] });
    assert.doesNotThrow(() => parseTlsaRdata(52, entry.tokens, 'example.', entry.end));
  }), { numRuns: 1000, seed: 4242 });
});

test('DER checker survives random and mutated DER', () => {
  const cert = Buffer.from(CERT, 'hex');
  fc.assert(fc.property(fc.nat(cert.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(cert.length), (i, v, cut) => {
    const b = Uint8Array.from(cert);
    b[i] = v;
    for (const d of [b, b.subarray(0, cut)]) {
      const r = checkDer(d, 'certificate');
      assert.ok(r === undefined || (typeof r === 'string' && r.length > 10));
      assert.doesNotThrow(() => checkDer(d, 'spki'));
    }
  }), { numRuns: 1000, seed: 4242 });
});
