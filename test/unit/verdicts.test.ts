import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readEntry } from '../../server/src/core/lexer';
import { parseRdata } from '../../server/src/core/rdata';
import { analyzeZone } from '../../server/src/core/analysis';
import { parseTypeMnemonic, typeByName } from '../../server/src/core/rrtypes';

/**
 * Issue 11, first part: no false errors on zones other servers load, every IANA type, and
 * the errors they catch (RDATA too long, class ANY/NONE, meta-types, `${}`, TTLs ≥ 2^31).
 */

const ORIGIN = 'example.';
const EX = '076578616D706C6500';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

function wireOf(text: string): string {
  const { entry } = readEntry(text, 0, { diagnostics: [] });
  const [typeTok, ...rest] = entry.tokens;
  const t = parseTypeMnemonic(typeTok.text);
  assert.ok(t, `type of ${text}`);
  const r = parseRdata(t.code, rest, ORIGIN, entry.end);
  assert.deepEqual(r.issues.map((i) => i.message), [], text);
  return hex(r.wire!);
}

function rejected(text: string): string {
  const { entry } = readEntry(text, 0, { diagnostics: [] });
  const [typeTok, ...rest] = entry.tokens;
  const r = parseRdata(parseTypeMnemonic(typeTok.text)!.code, rest, ORIGIN, entry.end);
  assert.equal(r.wire, undefined, `${text} should be rejected`);
  return r.issues.map((i) => `${i.code} ${text.slice(i.start, i.end)}`).join(' | ');
}

const at = (text: string, d: { start: number; end: number }) => text.slice(d.start, d.end);
const codes = (text: string, opts = {}) =>
  analyzeZone(text, { origin: 'example.', now: new Date('2026-01-01T00:00:00Z'), ...opts }).diagnostics.map((d) => `${d.severity} ${d.code} ${at(text, d)}`);
const HEAD = '$TTL 60\n@ SOA ns hostmaster 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n';

test('every IANA type of the registry is known, with its wire form', () => {
  for (const [name, code] of [['NSAP', 22], ['NSAP-PTR', 23], ['GPOS', 27], ['EID', 31], ['NIMLOC', 32], ['ATMA', 34], ['A6', 38],
    ['SINK', 40], ['NINFO', 56], ['RKEY', 57], ['TALINK', 58], ['DSYNC', 66], ['HHIT', 67], ['BRID', 68], ['UINFO', 100], ['UID', 101],
    ['GID', 102], ['UNSPEC', 103], ['AVC', 258], ['DOA', 259], ['AMTRELAY', 260], ['WALLET', 262], ['CLA', 263], ['IPN', 264], ['TA', 32768]] as const) {
    assert.equal(typeByName(name)?.code, code, name);
  }
  // BIND's test zones (bin/tests/system/checkzone) write these forms
  assert.equal(wireOf('NSAP 0x47.0005.80.005a00.0000.0001.e133.ffffff000161.00'), '47000580005A0000000001E133FFFFFF00016100');
  assert.equal(wireOf('NSAP 0x47.0005.80.005a00.0000....0001.e133.ffffff000162.00'), '47000580005A0000000001E133FFFFFF00016200');
  assert.match(rejected('NSAP 0x'), /^invalid-rdata 0x$/);
  assert.match(rejected('NSAP 0x47000580005a0000000001e133ffffff000161000'), /^invalid-rdata /);
  assert.match(rejected('NSAP 47'), /^invalid-rdata 47$/);
  assert.equal(wireOf('NSAP-PTR .'), '00');
  assert.equal(wireOf('GPOS -22.6882 116.8652 250.0'), '082D32322E36383832083131362E38363532053235302E30');
  assert.equal(wireOf('EID 12 89 AB'), '1289AB');
  assert.equal(wireOf('NIMLOC 12 89 AB'), '1289AB');
  assert.match(rejected('EID'), /^invalid-rdata $/);
  assert.equal(wireOf('ATMA +61200000000'), '01' + Buffer.from('61200000000').toString('hex').toUpperCase());
  assert.equal(wireOf('ATMA 39.246f.00.0e7c9c.0312.0001.0001.000012345678.00'), '00' + '39246F000E7C9C031200010001000012345678'.toUpperCase() + '00');
  // A6 (RFC 2874 §3.1.1): the suffix octets the prefix length leaves, then the prefix name
  assert.equal(wireOf('A6 0 ::1'), '00' + '00'.repeat(15) + '01');
  assert.equal(wireOf('A6 64 ::1:2:3:4 pfx'), '40' + '0001000200030004' + '03706678' + EX);
  assert.equal(wireOf('A6 128 pfx.'), '80' + '0370667800');
  assert.match(rejected('A6 129 ::1'), /^invalid-rdata 129$/);
  assert.match(rejected('A6 64 ::1'), /^invalid-rdata $/);
  assert.equal(wireOf('SINK 8 0 2 l4ik'), '0800029788A4');
  assert.equal(wireOf('NINFO "foo"'), '03666F6F');
  assert.equal(wireOf('RKEY 0 255 1 AQID'), '0000FF01010203');
  assert.equal(wireOf('TALINK . talink1'), '00' + '0774616C696E6B31' + EX);
  assert.equal(wireOf('DSYNC CDS NOTIFY 1000 scanner1'), '003B' + '01' + '03E8' + '087363616E6E657231' + EX);
  assert.equal(wireOf('HHIT abcd'), '69B71D');
  assert.equal(wireOf('BRID abcd'), '69B71D');
  assert.equal(wireOf('AVC foo:bar'), '07666F6F3A626172');
  assert.equal(wireOf('DOA 0 1 2 "" aHR0cHM6Ly93d3cuaXNjLm9yZy8='), '00000000' + '00000001' + '02' + '00' + Buffer.from('https://www.isc.org/').toString('hex').toUpperCase());
  assert.equal(wireOf('DOA 0 1 2 "" -'), '00000000' + '00000001' + '02' + '00');
  // AMTRELAY (RFC 8777 §4.3): precedence, D-bit and type in one octet, then the relay
  assert.equal(wireOf('AMTRELAY 0 0 0 .'), '0000');
  assert.equal(wireOf('AMTRELAY 10 1 1 203.0.113.15'), '0A81CB00710F');
  assert.equal(wireOf('AMTRELAY 10 0 3 amtrelays.example.com.'), '0A03' + '09616D7472656C617973076578616D706C6503636F6D00');
  assert.match(rejected('AMTRELAY 10 0 4 .'), /^invalid-rdata 4$/);
  assert.match(rejected('AMTRELAY 10 2 1 203.0.113.15'), /^invalid-rdata 2$/);
  assert.equal(wireOf('WALLET currency-identifer wallet-identifier'), '1263757272656E63792D6964656E74696665721177616C6C65742D6964656E746966696572');
  assert.equal(wireOf('IPN 18446744073709551615'), 'FFFFFFFFFFFFFFFF');
  assert.match(rejected('IPN 18446744073709551616'), /^invalid-rdata /);
  assert.equal(wireOf('TA 30795 1 1 310D27F4'), '784B0101310D27F4');
  assert.equal(wireOf('UID 1000'), '000003E8');
  // SVCB: every registered SvcParamKey by name, tls-supported-groups included
  assert.equal(wireOf('SVCB 1 . tls-supported-groups=29,23'), '0001' + '00' + '0009' + '0004' + '001D0017');
  assert.match(rejected('SVCB 1 . tls-supported-groups=x25519'), /^invalid-rdata tls-supported-groups=x25519$/);
});

test('RDATA over 65,535 octets is rdata-too-long; class ANY/NONE and meta-types are said so', () => {
  const long = `x TXT ${Array.from({ length: 300 }, () => `"${'a'.repeat(250)}"`).join(' ')}\n`;
  const c = codes(HEAD + long);
  assert.ok(c.some((x) => x.startsWith('error rdata-too-long "')), c.join('\n'));
  assert.deepEqual(codes(HEAD + 'x ANY A 192.0.2.1\n').filter((x) => x.startsWith('error')), ['error syntax ANY']);
  assert.match(analyzeZone(HEAD + 'x NONE A 192.0.2.1\n', { origin: 'example.' }).diagnostics[0].message, /class NONE is for queries and dynamic updates only/);
  for (const meta of ['TKEY', 'TSIG', 'OPT', 'AXFR', 'ANY']) {
    const d = analyzeZone(HEAD + `x IN ${meta} 0\n`, { origin: 'example.' }).diagnostics.find((x) => x.severity === 'error');
    assert.equal(d?.code, 'syntax', meta);
    assert.match(d!.message, /is a meta-type \(RFC 6895 §3\.1\)/, meta);
  }
  assert.deepEqual(codes(HEAD + '$GENERATE 1-2 host${} A 192.0.2.1\n').filter((x) => x.startsWith('error')).map((x) => x.split(' ').slice(0, 2).join(' ')), ['error syntax']);
});

test('TTL 2^31..2^32-1: a ttl-too-large warning, read as 0 (RFC 2181 §8, as BIND)', () => {
  const text = HEAD + 'x 2147483648 A 192.0.2.1\n$TTL 4294967295\ny A 192.0.2.2\n';
  const r = analyzeZone(text, { origin: 'example.' });
  assert.deepEqual(r.diagnostics.map((d) => `${d.severity} ${d.code} ${at(text, d)}`), ['warning ttl-too-large 2147483648', 'warning ttl-too-large 4294967295']);
  assert.deepEqual(r.parsed.records.filter((x) => x.typeCode === 1 && x.owner !== 'ns.example.').map((x) => x.ttl), [0, 0]);
  assert.match(r.diagnostics[0].message, /RFC 2181 §8 reads it as 0/);
  assert.deepEqual(codes(HEAD + 'x 4294967296 A 192.0.2.1\n'), ['error invalid-ttl 4294967296']);
});

test('signed-zone forms other servers load: split base64, unpadded NSEC3 hashes, old RRSIG dates', () => {
  const zone = HEAD + [
    'x DNSKEY 257 3 8 ( AwEA AaAB CD== ) ; split anywhere (RFC 4034 §2.2)',
    'x RRSIG A 8 2 60 00100227180048 20090101000000 1 example. ( AQ ID )',
    'CPNMU NSEC3 1 0 0 - ( CPNMUOJ1E8ABCDEFGHIJKLMNOPQRSTUV A )',
    '_443._tcp.www TLSA 3 1 1 ( 8755CDAA8FE24EF16CC0F2C918063185E433FAAF1415664911D9E30A9 24138C4 )',
  ].join('\n') + '\n';
  assert.deepEqual(codes(zone).filter((x) => x.startsWith('error')), []);
  assert.deepEqual(codes(HEAD + 'CPNMU NSEC3 2 0 0 - CPNMU=== A\n').filter((x) => x.startsWith('error')).map((x) => x.split(' ').slice(0, 2).join(' ')), ['error invalid-rdata']);
});
