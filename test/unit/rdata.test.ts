import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex, EX, rd, ok, bad, TLSA_HEX, upperHex, b64hex, expirationHex } from './rdata-fixtures';

/**
 * RDATA of each type from its presentation form: addresses, names, text, SOA, the service and
 * mail types, DANE and DNSSEC digests, keys and signatures; the messages (rdata-fixtures.ts: how
 * a case is written; bitmaps, LOC, APL, SVCB, generic data: rdata-structured.test.ts).
 */

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
