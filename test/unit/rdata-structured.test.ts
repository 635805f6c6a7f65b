import { test } from 'node:test';
import { EX, ok, bad, b64hex } from './rdata-fixtures';

/**
 * RDATA of the structured types: type bitmaps and NSEC3 fields, LOC, APL, EUI, ILNP, IPSECKEY
 * gateways, SVCB/HTTPS parameters, RFC 3597 generic data for every type, WKS and HIP.
 */

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
