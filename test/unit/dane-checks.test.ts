/**
 * RRset- and zone-level DANE checks (server/src/core/dane/checks.ts, signed.ts): every code
 * fires on one zone and stays silent on another, RRsets group the way a DNS server groups
 * them, the disable directive, and the order in which signed-zone detection decides.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseZone } from '../../server/src/core/parser';
import { checkDane, DANE_READS } from '../../server/src/core/dane/checks';
import { daneViewOf, groupTlsaRRsets, viewOfParsed } from '../../server/src/core/dane/view';
import { applyDisableDirectives, disabledRanges } from '../../server/src/core/pipeline/finalize';
import { ViewCollector } from '../../server/src/core/pipeline/view';
import { ZoneChecker } from '../../server/src/core/checks/zone';
import { wireName } from '../../server/src/core/names';
import { decideSigned, describeDecision } from '../../server/src/core/dane/signed';
import { ZoneDiagnostic, ZoneIO } from '../../server/src/core/types';
import { D1, D2, daneFinders, SIGNED, zone } from './dane-fixtures';

const E1 = D1 + D2;
const E2 = D2 + D1;

const { at, all, found, first } = daneFinders(new Date('2026-01-01T00:00:00Z'));

test('a good signed zone with a current+next pair per MX host has no DANE diagnostics', () => {
  const z = zone('@ MX 20 mx2', 'mx2 AAAA 2001:db8::25',
    `_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`,
    `_25._tcp.mx2 TLSA 3 1 1 ${D1}`, ` TLSA 2 1 1 ${D2}`,
    `_443._tcp.www TLSA 3 1 1 ${D1}`, `_443._tcp.www TLSA 3 1 2 ${E1}`, 'www A 192.0.2.80');
  assert.deepEqual(all(z).map((d) => `${d.code} ${at(z, d)}`), []);
});

// ---------------------------------------------------------------- owner and protocol

test('tlsa-owner: shape, port label, range, leading zero (with fix data)', () => {
  // not `_port._proto.host` at all: valid DNS no client queries, a warning (tlsa-owner-shape), not an error
  assert.deepEqual(found(zone(`_25.mx1 TLSA 3 1 1 ${D1}`), 'tlsa-owner-shape'), ['warning _25.mx1']);
  assert.deepEqual(found(zone(`mx1 TLSA 3 1 1 ${D1}`), 'tlsa-owner-shape'), ['warning mx1']);
  assert.deepEqual(found(zone(`mx1 TLSA 3 1 1 ${D1}`), 'tlsa-owner'), []);
  assert.match(first(zone(`_25._tcp. TLSA 3 1 1 ${D1}`), 'tlsa-owner-shape').message, /has no host name/);
  assert.deepEqual(found(zone(`_smtp._tcp.mx1 TLSA 3 1 1 ${D1}`), 'tlsa-owner'), ['error _smtp']);
  assert.deepEqual(found(zone(`_70000._tcp.mx1 TLSA 3 1 1 ${D1}`), 'tlsa-owner'), ['error _70000']);
  const z = zone(`_025._tcp.mx1 TLSA 3 1 1 ${D1}`);
  const d = first(z, 'tlsa-owner');
  assert.equal(`${d.severity} ${at(z, d)}`, 'error _025');
  assert.match(d.message, /clients query `_25`/);
  assert.deepEqual(d.data, { fix: 'tlsa-port', port: 25, replace: [{ start: d.start, end: d.end, oldText: '_025', newText: '_25' }] });
  // owner written through $ORIGIN or @: reported on the owner token, no fix
  const o = '$ORIGIN _025._tcp.mx1.example.com.\n$TTL 60\n@ TLSA 3 1 1 ' + D1 + '\n';
  assert.deepEqual(found(o, 'tlsa-owner').concat(first(o, 'tlsa-owner').data === undefined ? ['no data'] : []), ['error @', 'no data']);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_0._udp.mx1 TLSA 3 1 1 ${D1}`, `_65535._sctp.x TLSA 3 1 1 ${D1}`,
    `*._tcp.mx1 TLSA 3 1 1 ${D1}`, `_443.*.mx1 TLSA 3 1 1 ${D1}`), 'tlsa-owner'), []);
  assert.deepEqual(found(zone(`*._tcp.mx1 TLSA 3 1 1 ${D1}`, `_443.*.mx1 TLSA 3 1 1 ${D1}`), 'tlsa-protocol'), []);
});

test('tlsa-owner for SMIMEA: <56 hex>._smimecert.<domain>', () => {
  const hash = 'c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6';
  assert.deepEqual(found(zone(`${hash}._smimecert SMIMEA 3 1 1 ${D1}`), 'tlsa-owner'), []);
  assert.deepEqual(found(zone(`${hash}._smimecert SMIMEA 3 1 1 ${D1}`), 'tlsa-single-record'), []);
  assert.deepEqual(found(zone(`abcd._smimecert SMIMEA 3 1 1 ${D1}`), 'tlsa-owner'), ['error abcd']);
  assert.deepEqual(found(zone(`${hash}._smime SMIMEA 3 1 1 ${D1}`), 'tlsa-owner-shape'), [`warning ${hash}._smime`]);
  assert.deepEqual(found(zone(`${hash}._smimecert SMIMEA 3 1 1 ${D1}`), 'tlsa-protocol'), []);
});

test('tlsa-protocol: only _tcp, _udp, _sctp (any case)', () => {
  assert.deepEqual(found(zone(`_25._tpc.mx1 TLSA 3 1 1 ${D1}`), 'tlsa-protocol'), ['warning _tpc']);
  assert.deepEqual(found(zone(`_25._TCP.mx1 TLSA 3 1 1 ${D1}`, `_53._udp.x TLSA 3 1 1 ${D1}`, `_1._SCTP.x TLSA 3 1 1 ${D1}`), 'tlsa-protocol'), []);
});

// ---------------------------------------------------------------- SMTP

test('tlsa-smtp-pkix: usage 0/1 at _25._tcp, with the DANE equivalent as fix data unless it is already there', () => {
  const z = zone(`_25._tcp.mx1 TLSA 1 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`, `_25._tcp.mx1 TLSA 00 1 1 ${D2}`);
  const ds = all(z).filter((d) => d.code === 'tlsa-smtp-pkix');
  assert.deepEqual(ds.map((d) => `${d.severity} ${at(z, d)}`), ['warning 1', 'warning 00']);
  assert.deepEqual(ds.map((d) => d.data), [
    { fix: 'tlsa-pkix-to-dane', from: 1, to: 3, replace: [{ start: ds[0].start, end: ds[0].end, oldText: '1', newText: '3' }] },
    { fix: 'tlsa-pkix-to-dane', from: 0, to: 2, replace: [{ start: ds[1].start, end: ds[1].end, oldText: '00', newText: '2' }] },
  ]);
  const twin = zone(`_25._tcp.mx1 TLSA 1 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`);
  const t = first(twin, 'tlsa-smtp-pkix');
  assert.equal(t.data, undefined);
  assert.match(t.message, /already has the same record with usage 3 \(DANE-EE\): remove this one/);
  assert.deepEqual(found(zone(`_443._tcp.www TLSA 1 1 1 ${D1}`, `_25._udp.mx1 TLSA 0 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D1}`), 'tlsa-smtp-pkix'), []);
});

test('tlsa-smtp-all-unusable: every record of an SMTP RRset is unusable', () => {
  const z = zone(`_25._tcp.mx1 TLSA 1 1 1 ${D1}`, `_25._tcp.mx1 TLSA 0 0 1 ${D2}`, `_25._tcp.mx1 TLSA 3 1 7 ${D2}`);
  assert.deepEqual(found(z, 'tlsa-smtp-all-unusable'), ['warning _25._tcp.mx1']);
  assert.match(first(z, 'tlsa-smtp-all-unusable').message, /usage 1 \(PKIX-EE\), usage 0 \(PKIX-TA\), unassigned matching type/);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 1 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`), 'tlsa-smtp-all-unusable'), []);
  assert.deepEqual(found(zone(`_443._tcp.www TLSA 1 1 1 ${D1}`), 'tlsa-smtp-all-unusable'), []);
});

// ---------------------------------------------------------------- selectors and digests

test('tlsa-ee-cert-selector: 3 0 x', () => {
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 3 0 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`), 'tlsa-ee-cert-selector'), ['warning 0']);
  assert.match(first(zone(`_25._tcp.mx1 TLSA 3 0 1 ${D1}`), 'tlsa-ee-cert-selector').message, /prefer `3 1 1`/);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 2 0 1 ${D2}`), 'tlsa-ee-cert-selector'), []);
});

test('tlsa-digest-agility: for one usage+selector every key has the same digests', () => {
  const z = zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`, `_25._tcp.mx1 TLSA 3 1 2 ${E1}`);
  assert.deepEqual(found(z, 'tlsa-digest-agility'), ['warning 2']);
  assert.match(first(z, 'tlsa-digest-agility').message, /2 SHA2-256 records but 1 SHA2-512/);
  const ok = zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 2 ${E1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`, `_25._tcp.mx1 TLSA 3 1 2 ${E2}`,
    `_25._tcp.mx1 TLSA 2 1 1 ${D1}`);
  assert.deepEqual(found(ok, 'tlsa-digest-agility'), []);
});

test('tlsa-sha512-only: an RRset with only matching type 2', () => {
  const z = zone(`_25._tcp.mx1 TLSA 3 1 2 ${E1}`, `_25._tcp.mx1 TLSA 3 1 2 ${E2}`);
  assert.deepEqual(found(z, 'tlsa-sha512-only'), ['warning 2']);
  assert.equal(first(z, 'tlsa-sha512-only').start, z.indexOf(`2 ${E1}`));
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 3 1 2 ${E1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D1}`), 'tlsa-sha512-only'), []);
});

test('tlsa-high-ttl: above 3600 by default, configurable; on the TTL token or the type', () => {
  assert.deepEqual(found(zone(`_25._tcp.mx1 7200 TLSA 3 1 1 ${D1}`), 'tlsa-high-ttl'), ['information 7200']);
  assert.deepEqual(found(zone('$TTL 1d', `_25._tcp.mx1 TLSA 3 1 1 ${D1}`), 'tlsa-high-ttl'), ['information TLSA']);
  assert.match(first(zone(`_25._tcp.mx1 7200 TLSA 3 1 1 ${D1}`), 'tlsa-high-ttl').message, /TTL 7200 \(2 hours\) is above 3600 \(1 hour\).*4 hours/);
  assert.deepEqual(found(zone(`_25._tcp.mx1 3600 TLSA 3 1 1 ${D1}`), 'tlsa-high-ttl'), []);
  assert.deepEqual(found(zone(`_25._tcp.mx1 7200 TLSA 3 1 1 ${D1}`), 'tlsa-high-ttl', { tlsaMaxTtl: 86400 }), []);
  assert.deepEqual(found(zone(`_25._tcp.mx1 600 TLSA 3 1 1 ${D1}`), 'tlsa-high-ttl', { tlsaMaxTtl: 300 }), ['information 600']);
});

test('tlsa-cname-owner: the base host is a CNAME in this zone', () => {
  const z = zone('www CNAME web.example.net.', `_443._tcp.www TLSA 3 1 1 ${D1}`);
  assert.deepEqual(found(z, 'tlsa-cname-owner'), ['information _443._tcp.www']);
  assert.match(first(z, 'tlsa-cname-owner').message, /`_443._tcp.web.example.net.`/);
  assert.deepEqual(found(zone('www A 192.0.2.80', `_443._tcp.www TLSA 3 1 1 ${D1}`), 'tlsa-cname-owner'), []);
});

// ---------------------------------------------------------------- DNSSEC, rotation and coverage

test('tlsa-unsigned-zone: warning when unsigned, information when declared inline, nothing when signed', () => {
  const body = `$ORIGIN example.com.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ MX 10 mx1\n_25._tcp.mx1 TLSA 3 1 1 ${D1}\n TLSA 3 1 1 ${D2}\n_443._tcp.www TLSA 3 1 1 ${D1}\n`;
  // once per zone, on the first RRset; the others are related locations
  assert.deepEqual(found(body, 'tlsa-unsigned-zone'), ['warning _25._tcp.mx1']);
  const once = first(body, 'tlsa-unsigned-zone');
  assert.match(once.message, /the file holds no DNSKEY, RRSIG, NSEC, NSEC3 or NSEC3PARAM records/);
  assert.match(once.message, /TLSA records \(at 2 names\)/);
  assert.ok(once.message.length < 300, once.message);
  assert.deepEqual(once.related?.map((r) => `${at(body, r)}: ${r.message}`), ['_443._tcp.www: _443._tcp.www.example.com.: also in the unsigned zone']);
  const inline = '; dane-zone dnssec=inline\n' + body;
  assert.deepEqual(found(inline, 'tlsa-unsigned-zone'), ['information _25._tcp.mx1']);
  assert.match(first(inline, 'tlsa-unsigned-zone').message, /declared inline-signed by the `; dane-zone dnssec=inline` comment/);
  assert.deepEqual(found('; dane-zone dnssec=signed\n' + body, 'tlsa-unsigned-zone'), []);
  assert.deepEqual(found(body + '@ DNSKEY 257 3 13 AAAA\n', 'tlsa-unsigned-zone'), []);
  assert.deepEqual(found(body, 'tlsa-unsigned-zone', { dnssec: 'inline' }).length, 1);
  assert.match(first(body, 'tlsa-unsigned-zone', { dnssec: 'unsigned' }).message, /declared unsigned by the dnssec setting/);
});

test('signed-zone detection: directive, then setting, then records (or a K*.key include), else unsigned', () => {
  const body = `$ORIGIN example.com.\n$TTL 300\n_25._tcp.mx1 TLSA 3 1 1 ${D1}\n`;
  const state = (text: string, dnssec?: 'signed' | 'unsigned' | 'inline') => {
    const p = parseZone(text);
    const d = decideSigned(viewOfParsed(p), dnssec);
    return `${d.state} by ${d.source}`;
  };
  const dnskey = '@ DNSKEY 257 3 13 AAAA\n';
  assert.equal(state(body), 'unsigned by default');
  assert.equal(state(body + dnskey), 'signed by records');
  assert.equal(state(body + '@ RRSIG A 13 2 300 20300101000000 20200101000000 1 example.com. AAAA\n'), 'signed by records');
  assert.equal(state(body + '$INCLUDE keys/Kexample.com.+013+12345.key\n'), 'signed by records');
  assert.equal(state(body + '$INCLUDE keys/example.com.keys\n'), 'unsigned by default');
  assert.equal(state(body + dnskey, 'unsigned'), 'unsigned by setting');
  assert.equal(state(body, 'inline'), 'inline by setting');
  assert.equal(state('; dane-zone dnssec=unsigned\n' + body + dnskey, 'signed'), 'unsigned by directive');
  assert.equal(state('; dane-zone dnssec=INLINE\n' + body, 'unsigned'), 'inline by directive');
  assert.equal(state('; dane-zone dnssec=maybe\n' + body, 'inline'), 'inline by setting'); // an invalid value is ignored
  assert.equal(state('; dane-zone dnssec=inline\n; dane-zone dnssec=signed\n' + body), 'inline by directive'); // the first declaration wins
  const p = parseZone('; dane-zone dnssec=inline\n' + body);
  const d = decideSigned(viewOfParsed(p));
  assert.equal(at('; dane-zone dnssec=inline\n' + body, d.at!), 'dnssec=inline');
  assert.match(describeDecision(decideSigned(viewOfParsed(parseZone(body + dnskey)))), /holds DNSSEC records/);
  // a K*.key include counts even when it cannot be read (no io here)
  const kz = body + '$INCLUDE Kexample.com.+013+12345.key\n';
  assert.deepEqual(found(kz, 'tlsa-unsigned-zone'), []);
  assert.deepEqual(found(kz, 'include-unresolved').length, 1);
});

test('tlsa-single-record: one usable record, with the rotation-pair data', () => {
  const z = zone(`_25._tcp.mx1 600 TLSA 3 1 1 ${D1} ; current`, `_25._tcp.mx1 600 TLSA 1 1 1 ${D2}`);
  const d = first(z, 'tlsa-single-record');
  assert.equal(`${d.severity} ${at(z, d)}`, 'warning _25._tcp.mx1');
  const rec = z.indexOf(`_25._tcp.mx1 600 TLSA 3`);
  const last = z.indexOf(`_25._tcp.mx1 600 TLSA 1`);
  assert.deepEqual(d.data, {
    fix: 'tlsa-rotation-pair', typeName: 'TLSA', owner: '_25._tcp.mx1.example.com.', ttl: 600, usage: 3, selector: 1, matchingType: 1,
    association: D1, record: { start: rec, end: z.indexOf('\n', rec) }, insertAt: z.indexOf('\n', last),
  });
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`), 'tlsa-single-record'), []);
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 2 1 1 ${D2}`), 'tlsa-single-record'), []);
  // no usable record at all: that is tlsa-smtp-all-unusable, not single-record
  assert.deepEqual(found(zone(`_25._tcp.mx1 TLSA 1 1 1 ${D1}`), 'tlsa-single-record'), []);
});

test('tlsa-mx-coverage: in a signed zone, MX targets without _25._tcp TLSA when others have it', () => {
  const z = zone('@ MX 20 mx2', '@ MX 30 mx3', 'sub MX 10 mx2', '@ MX 40 mx.other.net.', 'mx2 A 192.0.2.2', 'mx3 A 192.0.2.3',
    `_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`, `_25._tcp.mx3 TLSA 3 1 1 ${D1}`, `_25._tcp.mx3 TLSA 3 1 1 ${D2}`);
  assert.deepEqual(found(z, 'tlsa-mx-coverage'), ['warning mx2', 'warning mx2']);
  assert.match(first(z, 'tlsa-mx-coverage').message, /mx2.example.com. has no _25._tcp TLSA records, but mx1.example.com. and mx3.example.com. have/);
  const full = zone('@ MX 20 mx2', 'mx2 A 192.0.2.2', `_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`,
    `_25._tcp.MX2 TLSA 3 1 1 ${D1}`, `_25._tcp.mx2 TLSA 3 1 1 ${D2}`, '@ MX 50 mx.other.net.', 'x MX 0 .');
  assert.deepEqual(found(full, 'tlsa-mx-coverage'), []);
  const unsigned = z.replace('; dane-zone dnssec=signed\n', '');
  assert.deepEqual(found(unsigned, 'tlsa-mx-coverage'), []);
  assert.deepEqual(found(unsigned, 'tlsa-mx-coverage', { dnssec: 'inline' }).length, 2);
});

test('tlsa-orphan: _25._tcp.X where X is neither an MX target nor has an address', () => {
  const z = zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, ` TLSA 3 1 1 ${D2}`, `_25._tcp.mx9 TLSA 3 1 1 ${D1}`);
  assert.deepEqual(found(z, 'tlsa-orphan'), ['information _25._tcp.mx9']);
  const ok = zone('mail AAAA 2001:db8::25', `_25._tcp.mail TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D1}`,
    '@ MX 20 relay', `_25._tcp.relay TLSA 3 1 1 ${D1}`, `_443._tcp.nohost TLSA 3 1 1 ${D1}`, `_25._tcp.other.net. TLSA 3 1 1 ${D1}`);
  assert.deepEqual(found(ok, 'tlsa-orphan'), []);
});

// ---------------------------------------------------------------- RRset grouping

test('RRsets group by absolute, case-insensitive owner: $ORIGIN, @, blank owners, escapes, $INCLUDE', () => {
  const files: Record<string, string> = { '/z/more.zone': `_25._tcp.mx1.example.com. TLSA 3 1 1 ${D2}\n` };
  const io: ZoneIO = {
    readFile: (p) => { if (!(p in files)) throw new Error('ENOENT'); return files[p]; },
    resolvePath: (_f, p) => (p.startsWith('/') ? p : `/z/${p}`),
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
  const text = [
    '$ORIGIN example.com.', '$TTL 300', '@ MX 10 mx1',
    `_25._tcp.mx1 TLSA 3 1 1 ${D1}`,
    `  TLSA 3 1 2 ${E1}`,                                  // blank owner
    '$ORIGIN com.',
    `_25._TCP.MX1.Example TLSA 3 1 1 ${D1.replace('8c', '01')}`,   // case
    '$ORIGIN _25._tcp.mx1.example.com.',
    `@ TLSA 3 1 1 ${D1.replace('8c', '02')}`,                // @
    `\\09525.\\_tcp.mx1.example.com. TLSA 3 1 1 ${D1.replace('8c', '03')}`, // \095 = _
    `_25._tcp.mx1.example.com TLSA 3 1 1 ${D1}`,             // no trailing dot: relative, a different name
    `_25._tcp.mx1.example.com. SMIMEA 3 1 1 ${D1}`,           // another type
    '$INCLUDE more.zone',
    `_25._tcp.mx1.example.com. CH TLSA 3 1 1 ${D1}`,          // another class
    '',
  ].join('\n');
  const sets = groupTlsaRRsets(parseZone(text, { io, fileName: '/z/main.zone' }).records);
  assert.deepEqual(sets.map((s) => `${s.owner} ${s.classCode}/${s.typeCode} ${s.records.length}`), [
    '_25._tcp.mx1.example.com. 1/52 6',
    '_25._tcp.mx1.example.com._25._tcp.mx1.example.com. 1/52 1',
    '_25._tcp.mx1.example.com. 1/53 1',
    '_25._tcp.mx1.example.com. 3/52 1',
  ]);
  // the checks see one RRset: no single-record on it (the other sets are single; the CH record is
  // rejected, since a zone holds one class, so it publishes nothing)
  // (the one at `…example.com._25._tcp.mx1.example.com.` is an orphan: no rotation advice on a name no sender queries)
  const ds = all(text, { io, fileName: '/z/main.zone', dnssec: 'signed' }).filter((d) => d.code === 'tlsa-single-record' || d.code === 'tlsa-orphan');
  assert.deepEqual(ds.map((d) => `${d.code} ${at(text, d)}`), ['tlsa-orphan _25._tcp.mx1.example.com']);
});

test('records from an $INCLUDE are reported on the $INCLUDE line', () => {
  const io: ZoneIO = {
    readFile: () => `_25._tcp.mx1 TLSA 1 1 1 ${D1}\n`,
    resolvePath: (_f, p) => `/z/${p}`,
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
  const text = SIGNED + '$INCLUDE tlsa.zone\n';
  assert.deepEqual(found(text, 'tlsa-smtp-pkix', { io }), ['warning $INCLUDE tlsa.zone']);
  assert.equal(first(text, 'tlsa-smtp-pkix', { io }).data, undefined);
  assert.deepEqual(found(text, 'tlsa-smtp-all-unusable', { io }), ['warning $INCLUDE tlsa.zone']);
});

// ---------------------------------------------------------------- the disable directive

test('`; dane-zone disable=CODE[,CODE]` silences those codes on the next record only', () => {
  const z = zone(
    '; dane-zone disable=tlsa-single-record,tlsa-high-ttl',
    `_25._tcp.mx1 7200 TLSA 3 0 1 ${D1}`,
    `_443._tcp.www 7200 TLSA 3 1 1 ${D1}`,
    'www A 192.0.2.80',
  );
  assert.deepEqual(all(z).map((d) => `${d.code} ${at(z, d)}`), [
    'tlsa-ee-cert-selector 0', // not listed: stays
    'tlsa-single-record _443._tcp.www',
    'tlsa-high-ttl 7200',
  ]);
  // blank and comment lines between are fine; a record or a $TTL between ends it
  const gap = zone('; dane-zone disable=tlsa-single-record', '', '; the MX host', `_25._tcp.mx1 TLSA 3 1 1 ${D1}`);
  assert.deepEqual(found(gap, 'tlsa-single-record'), []);
  const between = zone('; dane-zone disable=tlsa-single-record', 'www A 192.0.2.80', `_25._tcp.mx1 TLSA 3 1 1 ${D1}`);
  assert.deepEqual(found(between, 'tlsa-single-record'), ['warning _25._tcp.mx1']);
  const ttl = zone('; dane-zone disable=tlsa-single-record', '$TTL 60', `_25._tcp.mx1 TLSA 3 1 1 ${D1}`);
  assert.deepEqual(found(ttl, 'tlsa-single-record'), ['warning _25._tcp.mx1']);
  // a trailing comment silences its own line, not the next record
  const trailing = zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1} ; dane-zone disable=tlsa-single-record`, `_443._tcp.www TLSA 3 1 1 ${D1}`, 'www A 192.0.2.80');
  assert.deepEqual(found(trailing, 'tlsa-single-record'), ['warning _443._tcp.www']);
  // multi-line records: everything inside the record, parser codes too
  const multi = zone('; dane-zone disable=tlsa-hex', `_25._tcp.mx1 TLSA 3 1 1 (\n  ${D1}\n  xyz )`);
  assert.deepEqual(found(multi, 'tlsa-hex'), []);
  const nested = zone('; dane-zone disable=tlsa-hex', `_25._tcp.mx1 TLSA 3 1 1 (\n  xyz0 ; dane-zone disable=tlsa-orphan\n  )`);
  assert.deepEqual(found(nested, 'tlsa-hex'), []);
  // pure helpers
  const ranges = disabledRanges(z, parseZone(z).daneDirectives);
  assert.deepEqual(ranges.map((r) => [at(z, r), [...r.codes]]), [[`_25._tcp.mx1 7200 TLSA 3 0 1 ${D1}`, ['tlsa-single-record', 'tlsa-high-ttl']]]);
  const diags: ZoneDiagnostic[] = [{ code: 'tlsa-high-ttl', severity: 'information', start: ranges[0].start + 13, end: ranges[0].start + 17, message: 'x' }];
  assert.deepEqual(applyDisableDirectives(z, diags, parseZone(z).daneDirectives), []);
});

// ---------------------------------------------------------------- views

test('the streaming collector gives the same diagnostics as the parsed view', () => {
  const root = path.join(__dirname, '..', '..', '..');
  const texts = fs.readdirSync(path.join(root, 'examples')).map((f) => fs.readFileSync(path.join(root, 'examples', f), 'utf8'));
  texts.push(zone('@ MX 20 mx2', 'mx2 A 192.0.2.2', 'www CNAME web.example.net.', `_443._tcp.www TLSA 3 1 1 ${D1}`,
    `_25._tcp.mx1 TLSA 1 1 1 ${D1}`, `_25._tcp.mx9 TLSA 3 1 2 ${E1}`));
  for (const text of texts) {
    const parsed = parseZone(text);
    const checker = new ZoneChecker();
    const c = new ViewCollector([DANE_READS], (k, t) => checker.hasType(k, t));
    const streamed = parseZone(text, { onRecord: (r) => { checker.add(r); c.add(r); } });
    const a = checkDane(viewOfParsed(parsed), {});
    const b = checkDane(daneViewOf(c.view(streamed)), {});
    assert.deepEqual(b, a);
  }
});

test('wireName decodes names as names.ts writes them', () => {
  const w = Uint8Array.from([3, 0x6d, 0x58, 0x31, 3, 0x61, 0x2e, 0x20, 0]);
  assert.equal(wireName(w, 0), 'mX1.a\\.\\032.');
  assert.equal(wireName(Uint8Array.from([0]), 0), '.');
  assert.equal(wireName(Uint8Array.from([5, 1]), 0), undefined);
});
