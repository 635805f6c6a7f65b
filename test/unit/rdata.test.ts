import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readEntry } from '../../server/src/core/lexer';
import { parseRdata, RdataResult } from '../../server/src/core/rdata';
import { parseTypeMnemonic, RR_TYPES } from '../../server/src/core/rrtypes';
import { Token } from '../../server/src/core/types';

/**
 * Each case is the text of a record from its type on (`MX 10 mail`), tokenized by the real
 * lexer, with origin `example.`. Valid cases give the exact wire hex; invalid ones the issue
 * code and the text of the span it marks ('' = a zero-length span at the end of the record).
 */

const ORIGIN = 'example.';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const EX = '076578616D706C6500'; // example.

/** `origin` null: no origin known. */
function rd(text: string, origin: string | null = ORIGIN): { r: RdataResult; end: number } {
  const { entry } = readEntry(text, 0, { diagnostics: [] });
  const [typeTok, ...rest] = entry.tokens;
  const t = parseTypeMnemonic(typeTok.text);
  assert.ok(t, `type of ${text}`);
  return { r: parseRdata(t.code, rest, origin ?? undefined, entry.end), end: entry.end };
}

function ok(text: string, wire: string, origin?: string | null): void {
  const { r } = rd(text, origin);
  assert.deepEqual(r.issues.map((i) => i.message), [], text);
  assert.equal(hex(r.wire!), wire, text);
}

function bad(text: string, code: string, span: string, origin?: string | null): RdataResult {
  const { r, end } = rd(text, origin);
  assert.equal(r.wire, undefined, `${text} should be rejected`);
  assert.ok(r.issues.length > 0, text);
  const i = r.issues[0];
  assert.equal(i.code, code, `${text}: ${i.message}`);
  assert.equal(text.slice(i.start, i.end), span, `${text}: span of "${i.message}"`);
  if (span === '') assert.equal(i.start, end, `${text}: a missing field is reported at the end of the record`);
  assert.ok(i.message.length > 10, text);
  return r;
}

const TLSA_HEX = '8755CDAA8FE24EF16CC0F2C918063185E433FAAF1415664911D9E30A924138C4';

const upperHex = (s: string) => Buffer.from(s).toString('hex').toUpperCase();
const b64hex = (s: string) => Buffer.from(s, 'base64').toString('hex').toUpperCase();

test('A and AAAA', () => {
  ok('A 192.0.2.1', 'C0000201');
  ok('A 0.0.0.0', '00000000');
  ok('A 255.255.255.255', 'FFFFFFFF');
  ok('AAAA 2001:db8::1', '20010DB8000000000000000000000001');
  ok('AAAA ::', '0'.repeat(32));
  ok('AAAA ::ffff:192.0.2.1', '00000000000000000000FFFFC0000201');
  ok('AAAA 1:2:3:4:5:6:7::', '00010002000300040005000600070000');
  ok('aaaa FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF', 'F'.repeat(32));
  bad('A 192.0.2.256', 'invalid-rdata', '192.0.2.256');
  bad('A 192.0.2', 'invalid-rdata', '192.0.2');
  bad('A 192.0.2.01', 'invalid-rdata', '192.0.2.01');
  bad('A 1.2.3.x', 'invalid-rdata', '1.2.3.x');
  bad('A', 'invalid-rdata', '');
  bad('A 192.0.2.1 192.0.2.2', 'invalid-rdata', '192.0.2.2');
  bad('A "192.0.2.1"', 'invalid-rdata', '"192.0.2.1"');
  bad('AAAA 2001:db8::g', 'invalid-rdata', '2001:db8::g');
  bad('AAAA 1::2::3', 'invalid-rdata', '1::2::3');
  bad('AAAA 0::FFFFF', 'invalid-rdata', '0::FFFFF');
  bad('AAAA 1:2:3:4:5:6:7', 'invalid-rdata', '1:2:3:4:5:6:7');
  bad('AAAA 1:2:3:4:5:6:7:8::', 'invalid-rdata', '1:2:3:4:5:6:7:8::');
  bad('AAAA 192.0.2.1', 'invalid-rdata', '192.0.2.1');
});

test('single-name types keep case and complete relative names', () => {
  ok('NS ns1', '036E7331' + EX);
  ok('NS @', EX);
  ok('NS .', '00');
  ok('NS Ns1.Example.', '034E7331074578616D706C6500');
  ok('CNAME a\\.b.example.', '03612E62' + EX);
  ok('CNAME \\065\\.x.', '03412E7800');
  ok('PTR host.', '04686F737400');
  ok('DNAME target', '06746172676574' + EX);
  for (const t of ['MB', 'MG', 'MR', 'MD', 'MF']) ok(`${t} mbox`, '046D626F78' + EX);
  ok('NS *.x', '012A0178' + EX);
  ok('NS _a_.-b-c-./d/.', '035F615F052D622D632D032F642F00');
  bad('NS a..b', 'invalid-name', 'a..b');
  // RFC 1035 §5.1: only the master-file specials need an escape; `,` `!` `@` are ordinary (BIND, NSD, PowerDNS)
  ok('NS a,b', '03612C62' + EX);
  ok('NS !#%&^[]?', '08212325265E5B5D3F' + EX);
  bad('NS \\1', 'invalid-name', '\\1');
  bad('NS ' + 'a'.repeat(64) + '.', 'invalid-name', 'a'.repeat(64) + '.');
  ok('NS @@', '024040' + EX);
  bad('NS relative', 'relative-name-no-origin', 'relative', null);
  bad('NS @', 'relative-name-no-origin', '@', null);
  ok('NS absolute.', '086162736F6C75746500', null);
  bad('NS "ns1."', 'invalid-rdata', '"ns1."');
  bad('NS', 'invalid-rdata', '');
  bad('NS . x', 'invalid-rdata', 'x');
  bad('CNAME a b c', 'invalid-rdata', 'b c');
  // the 255-octet limit counts the origin
  const long = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');
  ok(`NS ${long}.`, '3F' + '61'.repeat(63) + '3F' + '62'.repeat(63) + '3F' + '63'.repeat(63) + '3D' + '64'.repeat(61) + '00');
  bad(`NS ${long}`, 'invalid-name', long);
});

test('MX and its look-alikes', () => {
  ok('MX 10 mail', '000A046D61696C' + EX);
  ok('MX 0 .', '000000');
  ok('MX 65535 @', 'FFFF' + EX);
  ok('MX 010 mail.', '000A046D61696C00');
  ok('AFSDB 1 afs', '000103616673' + EX);
  ok('RT 10 relay', '000A0572656C6179' + EX);
  ok('KX 10 kx', '000A026B78' + EX);
  ok('LP 10 l64', '000A036C3634' + EX);
  const r = bad('MX 70000 mail', 'invalid-rdata', '70000');
  assert.equal(r.issues[0].message, 'preference `70000` is out of range 0..65535');
  bad('MX -1 mail', 'invalid-rdata', '-1');
  bad('MX ten mail', 'invalid-rdata', 'ten');
  bad('MX 1h mail', 'invalid-rdata', '1h');
  const m = bad('MX 10', 'invalid-rdata', '');
  assert.match(m.issues[0].message, /^the exchange is missing \(a domain name\): MX data is preference, exchange$/);
  bad('MX', 'invalid-rdata', '');
  ok('MX 10 mail$', '000A056D61696C24' + EX);
  bad('MX 10 mail\x01', 'invalid-name', 'mail\x01');
  bad('MX 0 @ x', 'invalid-rdata', 'x');
});

test('TXT and other character-strings', () => {
  ok('TXT "hello world"', '0B68656C6C6F20776F726C64');
  ok('TXT a "b c" \\065', '0161036220630141');
  ok('TXT ""', '00');
  ok('TXT "" "" ""', '000000');
  ok('TXT "\\"quoted\\" \\\\ \\;"', '0C2271756F74656422205C203B');
  ok('TXT first \\# "\\#"', '0566697273740123' + '0123');
  ok('TXT "caf\\195\\169"', '05636166C3A9');
  ok('TXT "café"', '05636166C3A9');
  ok('TXT "tab\there"', '087461620968657265');
  ok('TXT ( "one"\n "two" )', '036F6E650374776F');
  ok('SPF "v=spf1 -all"', '0B763D73706631202D616C6C');
  ok('RESINFO qnamemin exterr=15-17', '08716E616D656D696E0C6578746572723D31352D3137');
  // like Knot, a string longer than 255 octets becomes several character-strings
  ok(`TXT "${'a'.repeat(300)}"`, 'FF' + '61'.repeat(255) + '2D' + '61'.repeat(45));
  ok(`TXT "${'a'.repeat(255)}"`, 'FF' + '61'.repeat(255));
  // raw UTF-8 is kept whole when splitting (escaped octets split anywhere, like Knot)
  ok(`TXT "${'a'.repeat(254)}é"`, 'FE' + '61'.repeat(254) + '02C3A9');
  ok(`TXT "${'a'.repeat(254)}\\195\\169"`, 'FF' + '61'.repeat(254) + 'C3' + '01A9');
  bad('TXT "\\256"', 'invalid-rdata', '"\\256"');
  bad('TXT \\01', 'invalid-rdata', '\\01');
  bad('TXT', 'invalid-rdata', '');
  bad('TXT "a"b', 'invalid-rdata', 'b');
  bad('TXT a"b', 'invalid-rdata', 'a"b');
  bad('TXT "bell\u0007"', 'invalid-rdata', '"bell\u0007"');
  ok('HINFO "PC" "Linux"', '025043054C696E7578');
  ok('HINFO a b', '01610162');
  bad('HINFO "PC"', 'invalid-rdata', '');
  bad('HINFO "" "" ""', 'invalid-rdata', '""');
  bad(`HINFO "${'x'.repeat(256)}" ""`, 'invalid-rdata', `"${'x'.repeat(256)}"`);
  ok('X25 311061700956', '0C333131303631373030393536');
  ok('ISDN 150862028003217 004', '0F31353038363230323830303332313703303034');
  ok('ISDN 150862028003217', '0F313530383632303238303033323137');
});

test('SOA: the serial is a number, the timers take units', () => {
  ok('SOA ns1 hostmaster 2024010101 1h 15m 1w 1d',
    '036E7331' + EX + '0A686F73746D6173746572' + EX + '78A3F175' + '00000E10' + '00000384' + '00093A80' + '00015180');
  ok('SOA . . 4294967295 4294967295 0 0 1w2d3h4m5s', '0000' + 'FFFFFFFF' + 'FFFFFFFF' + '00000000' + '00000000' + '000C08A5');
  ok('SOA ns1 host (\n 1 ; serial\n 2 3 4 5 )', '036E7331' + EX + '04686F7374' + EX + '0000000100000002000000030000000400000005');
  bad('SOA ns host 1h 0 0 0 0', 'invalid-rdata', '1h');
  bad('SOA ns host 0 1h30 0 0 0', 'invalid-rdata', '1h30');
  bad('SOA ns host 0 0 0 0 4294967296', 'invalid-rdata', '4294967296');
  bad('SOA ns host 0 0 0 0', 'invalid-rdata', '');
  bad('SOA ns host 0 0 0 0 0 x', 'invalid-rdata', 'x');
  bad('SOA ns host 0 0 0 x 0', 'invalid-rdata', 'x');
});

test('SRV, NAPTR, URI, CAA, RP, MINFO, PX', () => {
  ok('SRV 10 60 5060 sip', '000A003C13C403736970' + EX);
  ok('SRV 0 0 0 .', '00000000000000');
  bad('SRV 0 0 65536 @', 'invalid-rdata', '65536');
  bad('SRV 0 0 0', 'invalid-rdata', '');
  ok('NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp', '0064000A0153075349502B443255' + '00' + '045F736970045F756470' + EX);
  bad('NAPTR 65536 0 "" "" "" @', 'invalid-rdata', '65536');
  ok('URI 10 1 "https://example.com/"', '000A0001' + upperHex('https://example.com/'));
  ok('URI 0 0 ""', '00000000');
  ok(`URI 0 0 ${'x'.repeat(300)}`, '00000000' + '78'.repeat(300));
  bad('URI 0 0 a a', 'invalid-rdata', 'a');
  ok('CAA 0 issue "letsencrypt.org"', '0005697373756' + '56C657473656E63727970742E6F7267');
  ok('CAA 128 iodef "mailto:a@b"', '8005696F646566' + '6D61696C746F3A614062');
  bad('CAA 256 issue "x"', 'invalid-rdata', '256');
  bad('CAA 0 issue', 'invalid-rdata', '');
  ok('RP mbox txt', '046D626F78' + EX + '03747874' + EX);
  ok('MINFO . .', '0000');
  bad('RP mbox', 'invalid-rdata', '');
  ok('PX 10 net2.it. PRMD-net2.ADMD-p400.C-it.',
    '000A046E65743202697400' + '09' + upperHex('PRMD-net2') + '09' + upperHex('ADMD-p400') + '04432D697400');
});

test('DANE and DNSSEC digests: TLSA, SMIMEA, SSHFP, DS, CDS, ZONEMD', () => {
  ok(`TLSA 3 1 1 ${TLSA_HEX}`, '030101' + TLSA_HEX);
  ok(`TLSA 3 1 1 ${TLSA_HEX.toLowerCase()}`, '030101' + TLSA_HEX);
  ok('TLSA 3 1 1 (\n 0102\n 0304 )', '03010101020304');
  ok('TLSA 255 255 255 00', 'FFFFFF00');
  ok('TLSA 0 0 0 00', '00000000');
  ok('TLSA 003 1 1 00', '03010100');
  ok('SMIMEA 3 0 0 00', '03000000');
  ok('SSHFP 4 2 0102', '04020102');
  bad('TLSA 256 0 0 00', 'invalid-rdata', '256');
  bad('TLSA 3 1 1', 'invalid-rdata', '');
  bad('TLSA 3 1 1 0x', 'invalid-rdata', '0x');
  bad('TLSA 3 1 1 012', 'invalid-rdata', '012');
  bad('TLSA 3 1 1 01 0', 'invalid-rdata', '01 0');
  // RFC 6698 §2.2: white space may split the data anywhere, even inside an octet
  ok('TLSA 3 1 1 0 1 02', '0301010102');
  ok('DS 1 8 2 0 102', '0001080201' + '02');
  bad('TLSA DANE-EE SPKI SHA2-256 00', 'invalid-rdata', 'DANE-EE');
  bad('TLSA 3 1 1 "00"', 'invalid-rdata', '"00"');
  bad('TLSA 3 1', 'invalid-rdata', '');
  ok('DS 60485 RSASHA256 2 0102', 'EC4508020102');
  ok('DS 60485 8 2 01 02', 'EC4508020102');
  ok('DS 0 rsasha256 0 00', '0000080000');
  ok('CDS 0 0 0 00', '0000000000');
  ok('ZONEMD 2018031500 1 1 FEBE', '7848B78C0101FEBE');
  bad('DS 0 0 0 0', 'invalid-rdata', '0');
  bad('DS 0 0 0 XX', 'invalid-rdata', 'XX');
  bad('DS 0 FOO 0 00', 'invalid-rdata', 'FOO');
  bad('DS 0 256 0 00', 'invalid-rdata', '256');
  bad('DS 0 0 0', 'invalid-rdata', '');
});

test('keys, signatures and base64: DNSKEY, CDNSKEY, KEY, RRSIG, CERT, DHCID, OPENPGPKEY', () => {
  ok('DNSKEY 257 3 13 AQID', '0101030D010203');
  ok('DNSKEY 257 3 ECDSAP256SHA256 AQID BA==', '0101030D01020304');
  ok('CDNSKEY 0 3 0 AA==', '0000030000');
  ok('KEY 256 3 5 Zm9v YmE=', '01000305666F6F6261');
  ok('DNSKEY 0 0 0 Zm8=', '00000000666F');
  // RFC 4034 §2.2: the pieces are joined; only the joined value must be valid base64
  ok('DNSKEY 0 0 0 AA ==', '0000000000');
  ok('DNSKEY 0 0 0 A Q I D', '00000000010203');
  bad('DNSKEY 0 0 0 AA==AA==', 'invalid-rdata', 'AA==AA==');
  ok('RRSIG A 13 2 3600 20240201000000 20240101000000 12345 example. AQID',
    '00010D0200000E1065BADF00659200803039' + EX + '010203');
  ok('RRSIG TYPE65535 255 255 4294967295 4294967295 4294967295 65535 . AA==', 'FF'.repeat(18) + '0000');
  ok('RRSIG NSEC3PARAM 8 0 0 0 0 0 . AA==', '003308' + '00'.repeat(17));
  ok('RRSIG A 0 0 0 22251231235959 0 0 . AA==', '0001000000000000' + expirationHex('22251231235959') + '0000000000000000');
  ok('CERT PKIX 0 0 AA==', '000100000000');
  ok('CERT 65535 65535 255 AA==', 'FFFFFFFFFF00');
  ok('CERT URI 0 PRIVATEOID AA==', '00FD0000FE00');
  const dhcid = 'AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=';
  ok(`DHCID ${dhcid}`, b64hex(dhcid));
  ok('OPENPGPKEY AA==', '00');
  bad('DNSKEY 0 0 0 A===', 'invalid-rdata', 'A===');
  bad('DNSKEY 0 0 0 ABC', 'invalid-rdata', 'ABC');
  bad('DNSKEY 0 0 0 A*==', 'invalid-rdata', 'A*==');
  bad('DNSKEY 0 0 0', 'invalid-rdata', '');
  bad('DNSKEY 65536 0 0 AA==', 'invalid-rdata', '65536');
  // RFC 4034 §3.1.5: any date maps into 32 bits by serial-number arithmetic (BIND loads year 0010)
  ok('RRSIG A 0 0 0 22260101000000 0 0 . AA==', '0001000000000000' + expirationHex('22260101000000') + '0000000000000000');
  ok('RRSIG A 0 0 0 00100227180048 0 0 . AA==', '0001000000000000' + expirationHex('00100227180048') + '0000000000000000');
  ok('RRSIG A 0 0 0 20161231235960 0 0 . AA==', '0001000000000000' + expirationHex('20170101000000') + '0000000000000000');
  bad('RRSIG A 0 0 0 20230229000000 0 0 . AA==', 'invalid-rdata', '20230229000000');
  bad('RRSIG A 0 0 0 222601010000000 0 0 . AA==', 'invalid-rdata', '222601010000000');
  bad('RRSIG A 0 0 0 9294967296 0 0 . AA==', 'invalid-rdata', '9294967296');
  bad('RRSIG A 0 0 0 2226010100000x 0 0 . AA==', 'invalid-rdata', '2226010100000x');
  bad('RRSIG X 0 0 0 0 0 0 . AA==', 'invalid-rdata', 'X');
  bad('RRSIG A 0 0 0 0 0 0 a\x7f AA==', 'invalid-name', 'a\x7f');
  bad('RRSIG A 0 0 0 0 0 0 .', 'invalid-rdata', '');
  bad('CERT X 0 0 AA==', 'invalid-rdata', 'X');
  bad('DHCID =', 'invalid-rdata', '=');
});

/** Seconds since 1970 of a YYYYMMDDHHmmSS time, modulo 2^32 (RFC 4034 §3.1.5 serial arithmetic). */
function expirationHex(t: string): string {
  const d = new Date(0);
  d.setUTCFullYear(+t.slice(0, 4), +t.slice(4, 6) - 1, +t.slice(6, 8));
  d.setUTCHours(+t.slice(8, 10), +t.slice(10, 12), +t.slice(12, 14));
  const v = (d.getTime() / 1000) % 2 ** 32;
  return (v < 0 ? v + 2 ** 32 : v).toString(16).toUpperCase().padStart(8, '0');
}

test('type bitmaps (NSEC, NSEC3, CSYNC, NXT), NSEC3 salt and hash', () => {
  ok('NSEC host.example. A NS SOA RRSIG NSEC DNSKEY', '04686F7374' + EX + '000762000000000380');
  ok('NSEC .', '00');
  ok('NSEC . TYPE0 TYPE256 TYPE512 TYPE32768', '00' + '000180' + '010180' + '020180' + '800180');
  ok('NSEC . a ns A', '00' + '000160');
  // RFC 5155 §3.3: the next hashed owner is unpadded base32hex
  ok('NSEC3 2 1 0 - CPNMUOJ1', '0201000000' + '05666F6F6261');
  ok('NSEC3 2 0 10 AABB CPNMUOJ1E8 A', '0200000A02AABB' + '06666F6F626172' + '000140');
  ok('NSEC3 0 0 0 - 00', '0000000000' + '0100');
  ok('NSEC3 0 0 0 - CPNMU', '0000000000' + '03666F6F');
  ok('NSEC3 1 0 0 - ' + '0'.repeat(32), '0100000000' + '14' + '00'.repeat(20));
  bad('NSEC3 0 0 0 - 00======', 'invalid-rdata', '00======');
  bad('NSEC3 0 0 0 - CPNMU===', 'invalid-rdata', 'CPNMU===');
  bad('NSEC3 0 0 0 - 123', 'invalid-rdata', '123');
  // BIND: a SHA-1 hash (algorithm 1) is 20 octets
  bad('NSEC3 1 0 0 - IMQ912BREQP1POLAH3RMONG', 'invalid-rdata', 'IMQ912BREQP1POLAH3RMONG');
  ok('NSEC3PARAM 1 0 0 -', '0100000000');
  ok('NSEC3PARAM 1 0 10 AABBCCDD', '0100000A04AABBCCDD');
  ok('CSYNC 66 3 A NS AAAA', '000000420003000460000008');
  ok('CSYNC 0 0', '000000000000');
  ok('NXT next A NS SOA', '046E657874' + EX + '62');
  bad('NSEC . X', 'invalid-rdata', 'X');
  bad('NSEC . TYPE65536', 'invalid-rdata', 'TYPE65536');
  bad('NSEC3 0 0 0 - 1=======', 'invalid-rdata', '1=======');
  bad('NSEC3 0 0 0 - CPNMUOJ1 E8======', 'invalid-rdata', 'E8======');
  bad('NSEC3 0 0 0 0 00', 'invalid-rdata', '0');
  bad('NSEC3 0 0 0 -', 'invalid-rdata', '');
  bad('NSEC3PARAM 0 0 0 00 00', 'invalid-rdata', '00');
  bad('NSEC3PARAM 0 0 0', 'invalid-rdata', '');
  bad('CSYNC 4294967296 0', 'invalid-rdata', '4294967296');
  bad('NXT next TYPE128', 'invalid-rdata', 'TYPE128');
});

test('LOC (RFC 1876)', () => {
  ok('LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m', '000016138B3CF018810CBCE0009895B8');
  ok('LOC 1 N 1 E 0', '00121613' + '8036EE80' + '8036EE80' + '00989680');
  ok('LOC 0 S 0 W 0 1', '00121613' + '80000000' + '80000000' + '00989680');
  ok('LOC 90 59 59.999 S 180 59 59.999 W 42849672.95m 90000000.00m 90000000.00m 90000000.00m',
    '00999999' + (2 ** 31 - (90 * 3600000 + 59 * 60000 + 59999)).toString(16).toUpperCase().padStart(8, '0') +
    (2 ** 31 - (180 * 3600000 + 59 * 60000 + 59999)).toString(16).toUpperCase() + 'FFFFFFFF');
  bad('LOC 91 0 0 N 0 0 0 E 0', 'invalid-rdata', '91');
  bad('LOC 0 60 0 N 0 0 0 E 0', 'invalid-rdata', '60');
  bad('LOC 0 0 60 N 0 0 0 E 0', 'invalid-rdata', '60');
  bad('LOC 0 0 0 N 181 0 0 E 0', 'invalid-rdata', '181');
  bad('LOC 1 N 1 E', 'invalid-rdata', '');
  bad('LOC 1 x 1 E 0', 'invalid-rdata', 'x');
  bad('LOC 0 0 0 N 0 0 0 E 42849672.96', 'invalid-rdata', '42849672.96');
  bad('LOC 0 0 0 N 0 0 0 E -100000.01', 'invalid-rdata', '-100000.01');
  bad('LOC 0 0 0 N 0 0 0 E 0 90000001', 'invalid-rdata', '90000001');
  bad('LOC 0 0 0 N 0 0 0 E 0 0 0 0 x', 'invalid-rdata', 'x');
});

test('APL (RFC 3123 example), EUI48/EUI64, ILNP', () => {
  ok('APL 1:192.168.32.0/21 !1:192.168.38.0/28', '00011503C0A82000011C83C0A826');
  ok('APL', '');
  ok('APL 2:2001:db8::/32', '0002200420010DB8');
  bad('APL 2:0.0.0.0/32', 'invalid-rdata', '2:0.0.0.0/32');
  bad('APL 1:0.0.0.0/33', 'invalid-rdata', '1:0.0.0.0/33');
  bad('APL 3:0.0.0.0/0', 'invalid-rdata', '3:0.0.0.0/0');
  bad('APL 1:0.0.0.0/', 'invalid-rdata', '1:0.0.0.0/');
  ok('EUI48 00-00-5e-00-53-2a', '00005E00532A');
  ok('EUI64 00-00-5e-ef-10-00-00-2a', '00005EEF1000002A');
  bad('EUI48 00-00-5e-00-53', 'invalid-rdata', '00-00-5e-00-53');
  bad('EUI48 00:00-5e-00-53-2a', 'invalid-rdata', '00:00-5e-00-53-2a');
  bad('EUI64 00-00-00-x0-00-00-00-00', 'invalid-rdata', '00-00-00-x0-00-00-00-00');
  ok('NID 10 0014:4fff:ff20:ee64', '000A00144FFFFF20EE64');
  ok('L64 10 2001:0DB8:1140:1000', '000A20010DB811401000');
  ok('L32 10 10.1.2.0', '000A0A010200');
  bad('L64 0 0000:0000:0000', 'invalid-rdata', '0000:0000:0000');
  bad('L32 0 0.0.0.0.0', 'invalid-rdata', '0.0.0.0.0');
});

test('IPSECKEY gateways (RFC 4025)', () => {
  const key = 'AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==';
  ok(`IPSECKEY 10 1 2 192.0.2.38 ${key}`, '0A0102C0000226' + b64hex(key));
  ok(`IPSECKEY 10 0 2 . ${key}`, '0A0002' + b64hex(key));
  ok(`IPSECKEY 10 3 2 mygateway.example.com. ${key}`, '0A0302' + '096D7967617465776179076578616D706C6503636F6D00' + b64hex(key));
  ok('IPSECKEY 10 2 0 2001:db8::1', '0A0200' + '20010DB8000000000000000000000001');
  bad('IPSECKEY 0 4 0 .', 'invalid-rdata', '4');
  bad('IPSECKEY 0 0 0 . AA==', 'invalid-rdata', 'AA==');
  bad('IPSECKEY 0 1 0 ::1', 'invalid-rdata', '::1');
  bad('IPSECKEY 0 0 1 .', 'invalid-rdata', '');
  bad('IPSECKEY 0 0 0 x', 'invalid-rdata', 'x');
  bad('IPSECKEY 0 3 0 a..b', 'invalid-name', 'a..b');
  bad('IPSECKEY 0 0', 'invalid-rdata', '');
});

test('SVCB and HTTPS parameters (RFC 9460)', () => {
  ok('SVCB 0 svc', '0000' + '03737663' + EX);
  ok('SVCB 1 . alpn=h2,h3 port=443', '000100' + '00010006026832026833' + '0003000201BB');
  ok('HTTPS 1 . ipv4hint=192.0.2.1,192.0.2.2 mandatory=ipv4hint', '000100' + '000000020004' + '00040008C0000201C0000202');
  ok('SVCB 1 . mandatory="alpn" alpn=h2', '000100' + '000000020001' + '0001000302' + '6832');
  ok('SVCB 1 . alpn=h2 no-default-alpn ohttp', '000100' + '0001000302683200020000' + '00080000');
  ok('SVCB 1 . ech=AA== ipv6hint=::1 dohpath=/q{?dns}',
    '000100' + '0005000100' + '00060010' + '0'.repeat(30) + '01' + '000700082F717B3F646E737D');
  ok('SVCB 1 . key65535="a" key1000=b port=4 key7 mandatory=key7,port',
    '00010000000004000300070003000200040007000003E8000162FFFF000161');
  ok('SVCB 16 foo.example.org. alpn=f\\\\\\092oo\\092,bar,h2',
    '001003666F6F076578616D706C65036F7267000001000C08665C6F6F2C626172026832');
  ok('SVCB 16 foo.example.org. alpn="f\\\\\\\\oo\\\\,bar,h2"',
    '001003666F6F076578616D706C65036F7267000001000C08665C6F6F2C626172026832');
  ok('SVCB 1 . key667="hello\\210qoo"', '000100' + '029B0009' + '68656C6C6FD2716F6F');
  // a quoted value with a space is split by the lexer and joined again
  ok('SVCB 1 . alpn="h2 h3"', '000100' + '0001000605' + '6832206833');
  bad('SVCB 1 . bogus', 'invalid-rdata', 'bogus');
  bad('SVCB 1 . PORT=1', 'invalid-rdata', 'PORT=1');
  bad('SVCB 1 . alpn=h2 alpn=h3', 'invalid-rdata', 'alpn=h3');
  bad('SVCB 1 . mandatory=port', 'invalid-rdata', 'mandatory=port');
  bad('SVCB 1 . mandatory=mandatory', 'invalid-rdata', 'mandatory=mandatory');
  bad('SVCB 1 . port=65536', 'invalid-rdata', 'port=65536');
  bad('SVCB 1 . port', 'invalid-rdata', 'port');
  bad('SVCB 1 . no-default-alpn=h1', 'invalid-rdata', 'no-default-alpn=h1');
  bad('SVCB 1 . alpn=a,,b', 'invalid-rdata', 'alpn=a,,b');
  bad('SVCB 1 . alpn=a\\\\b', 'invalid-rdata', 'alpn=a\\\\b');
  bad('SVCB 1 . ipv4hint=1.2.3', 'invalid-rdata', 'ipv4hint=1.2.3');
  bad('SVCB 1 . ipv6hint=::1,,::2', 'invalid-rdata', 'ipv6hint=::1,,::2');
  bad('SVCB 1 . ech=W', 'invalid-rdata', 'ech=W');
  bad('SVCB 1 . key123=abc key123=def', 'invalid-rdata', 'key123=def');
  bad('SVCB 1 . "alpn=h2"', 'invalid-rdata', '"alpn=h2"');
  bad('SVCB 1 . alpn="h2', 'invalid-rdata', 'alpn="h2');
  bad('SVCB 65536 .', 'invalid-rdata', '65536');
  bad('SVCB 1', 'invalid-rdata', '');
});

test('RFC 3597 generic data works for every type', () => {
  ok('A \\# 4 C0000201', 'C0000201');
  ok('A \\# 4 C000 0201', 'C0000201');
  ok('TYPE1 \\# 4 C0000201', 'C0000201');
  ok('TYPE1 192.0.2.1', 'C0000201');
  ok('MX \\# 3 0001 00', '000100');
  ok('TXT \\# 2 01 5C', '015C');
  ok('TLSA \\# 4 00000000', '00000000');
  ok('SOA \\# 22 00 00 0000000000000000000000000000000000000000', '0000' + '00'.repeat(20));
  ok('NULL \\# 3 010203', '010203');
  ok('NULL \\# 0', '');
  ok('APL \\# 0', '');
  ok('TYPE65534 \\# 2 abcd', 'ABCD');
  ok('type65534 \\# 0', '');
  ok('TYPE0 \\# 0', '');
  ok('TYPE65534 ( \\#\n 5\n 0102 03\n 04 05 )', '0102030405');
  bad('A \\# 0', 'invalid-rdata', '\\# 0');
  bad('A \\# 3 000000', 'invalid-rdata', '\\# 3 000000');
  bad('TLSA \\# 0', 'invalid-rdata', '\\# 0');
  bad('TLSA \\# 3 000000', 'invalid-rdata', '\\# 3 000000');
  bad('TLSA \\# 4 000000', 'invalid-rdata', '4');
  bad('TXT \\# 1 0000', 'invalid-rdata', '1');
  bad('TXT \\# x 00', 'invalid-rdata', 'x');
  bad('TXT \\# 65536 00', 'invalid-rdata', '65536');
  bad('TXT \\# 2 0g0g', 'invalid-rdata', '0g0g');
  bad('TXT \\# 1 0 0', 'invalid-rdata', '0');
  bad('TXT \\#', 'invalid-rdata', '');
  bad('TYPE65534 \\# 2', 'invalid-rdata', '');
  bad('TYPE65534 1 2', 'invalid-rdata', '1 2');
  bad('TYPE65534', 'invalid-rdata', '');
  bad('NULL 01', 'invalid-rdata', '01');
  bad('MX \\# 3 0001 C0', 'invalid-rdata', '\\# 3 0001 C0');
  bad('NSEC \\# 3 00 0000', 'invalid-rdata', '\\# 3 00 0000');
  bad('SVCB \\# 7 0001 00 0003 0001', 'invalid-rdata', '\\# 7 0001 00 0003 0001');
});

test('WKS and HIP', () => {
  ok('WKS 192.0.2.1 tcp 25 80', 'C000020106' + '0000004000000000000080');
  ok('WKS 192.0.2.1 udp domain', 'C000020111' + '00000000000004');
  ok('WKS 192.0.2.1 6', 'C000020106');
  bad('WKS 192.0.2.1 tcp nosuchservice', 'invalid-rdata', 'nosuchservice');
  bad('WKS 192.0.2.1 sctp 1', 'invalid-rdata', 'sctp');
  const pk = 'AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy87UOoJTwkUs7lBu+Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7kwzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D';
  ok(`HIP ( 2 200100107B1A74DF365639CC39F1D578\n ${pk}\n rvs.example.com. )`,
    '10020084' + '200100107B1A74DF365639CC39F1D578' + b64hex(pk) + '03727673076578616D706C6503636F6D00');
  ok(`HIP 2 2001 ${pk}`, '02020084' + '2001' + b64hex(pk));
  bad('HIP 2 200g AA==', 'invalid-rdata', '200g');
  bad('HIP 2 2001', 'invalid-rdata', '');
});

test('messages name the field and say what to do', () => {
  const msg = (text: string) => rd(text).r.issues[0].message;
  assert.equal(msg('A 300.1.1.1'), 'address `300.1.1.1` is not an IPv4 address (four decimal octets 0..255, like 192.0.2.1)');
  assert.equal(msg('TLSA 3 1 1'), 'the association data is missing (hexadecimal): TLSA data is usage, selector, matching type, association data');
  assert.equal(msg('SRV 0 0 0 a b'), 'unexpected `b`: SRV data is priority, weight, port, target; remove the extra text');
  assert.match(msg('TLSA \\# 4 000000'), /announces 4 octets but the hex data has 3/);
  assert.match(msg('DS 0 0 0 abc'), /^digest `abc` has an odd number of hex digits \(3\)/);
  assert.match(msg('NS a..b'), /^name server: empty label/);
  assert.match(msg('TYPE65534 00'), /RFC 3597 form/);
});

test('unknown types and the shared empty issue list', () => {
  const r = rd('A 192.0.2.1').r;
  assert.equal(r.issues.length, 0);
  assert.ok(Object.isFrozen(r.issues));
  // a result's wire is its own copy
  const a = rd('A 192.0.2.1').r.wire!;
  const b = rd('NS ns1').r.wire!;
  assert.equal(hex(a), 'C0000201');
  assert.equal(hex(b), '036E7331' + EX);
});

// ---------------------------------------------------------------------------------------------
// Property tests

const FRAGMENTS = [
  '\\#', '0', '1', '255', '256', '65535', '65536', '4294967296', '-', '.', '@', '..', '\\', '\\0', '\\999', '"', '=', ',',
  'A', 'NS', 'TYPE0', 'TYPE65536', 'a.b', 'xn--', '*', 'ff', 'f', 'AA==', 'A===', '=', '00======', 'N', 'S', 'E', 'W', 'm',
  '1:192.0.2.0/24', '!2:::/0', 'alpn=h2', 'mandatory=alpn', 'port=', 'key65535', 'ipv4hint=1.2.3.4,', 'ech=', 'alpn="a',
  '192.0.2.1', '::1', '::ffff:1.2.3.4', '00-00-5e-00-53-2a', '0000:0000:0000:0000', '20240101000000', '1w2d', 'é', '😀',
  '\u0000', '\t', ' ',
];

const tokenArb = fc.record({
  text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 12 }), fc.stringMatching(/^[0-9a-fA-F]{0,9}$/)),
  quoted: fc.boolean(),
});

const CODES = RR_TYPES.map((t) => t.code);

test('parseRdata never throws and its results are consistent (fuzz)', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.constantFrom(...CODES), fc.integer({ min: 0, max: 65535 })),
      fc.array(tokenArb, { maxLength: 12 }),
      fc.constantFrom('example.', '.', undefined),
      (code, raw, origin) => {
        let pos = 0;
        const tokens: Token[] = raw.map((t) => {
          const start = pos + 1;
          const end = start + t.text.length + (t.quoted ? 2 : 0);
          pos = end;
          return { text: t.text, quoted: t.quoted, start, end };
        });
        const r = parseRdata(code, tokens, origin, pos + 1);
        for (const i of r.issues) {
          assert.ok(!i.message.includes('internal error'), i.message);
          assert.ok(i.start <= i.end && i.start >= 0 && i.end <= pos + 1, `span ${i.start}-${i.end}`);
          assert.ok(['invalid-rdata', 'invalid-name', 'relative-name-no-origin'].includes(i.code), i.code);
        }
        assert.equal(r.wire === undefined, r.issues.length > 0);
        if (r.wire) assert.ok(r.wire.length <= 65535);
      },
    ),
    { numRuns: 20000 },
  );
});

test('text and generic forms give the same wire (A, AAAA, MX)', () => {
  const gen = (code: number, wire: Uint8Array) => {
    const text = `\\# ${wire.length} ${hex(wire)}`;
    const { entry } = readEntry(text, 0, { diagnostics: [] });
    return parseRdata(code, entry.tokens, ORIGIN, entry.end);
  };
  fc.assert(fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (b) => {
    const text = rd(`A ${Array.from(b).join('.')}`).r;
    assert.equal(hex(text.wire!), hex(gen(1, b).wire!));
  }));
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (words) => {
    const text = rd(`AAAA ${words.map((w) => w.toString(16)).join(':')}`).r;
    const b = new Uint8Array(16);
    words.forEach((w, i) => { b[2 * i] = w >> 8; b[2 * i + 1] = w & 0xff; });
    assert.equal(hex(text.wire!), hex(b));
    assert.equal(hex(gen(28, b).wire!), hex(b));
  }));
  fc.assert(fc.property(fc.integer({ min: 0, max: 65535 }), fc.stringMatching(/^[a-z0-9-]{1,20}$/), (pref, label) => {
    const text = rd(`MX ${pref} ${label}`).r;
    assert.equal(hex(gen(15, text.wire!).wire!), hex(text.wire!));
  }));
});
