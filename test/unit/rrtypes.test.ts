import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTypeMnemonic, RR_TYPES, typeByCode, typeByName, typeName } from '../../server/src/core/rrtypes';
import { rfcUrl } from '../../server/src/core/rrtypeSchema';
import { algorithmByName, certTypeByName, className, parseClass } from '../../server/src/core/registries';
import * as table from '../../server/src/core/rrtypes';
import { FIELD_PARSERS, MAY_BE_EMPTY, REST } from '../../server/src/core/rdata/fields';

test('the table has one entry per mnemonic and per code', () => {
  const names = new Set(RR_TYPES.map((t) => t.name));
  const codes = new Set(RR_TYPES.map((t) => t.code));
  assert.equal(names.size, RR_TYPES.length);
  assert.equal(codes.size, RR_TYPES.length);
  for (const t of RR_TYPES) {
    assert.equal(t.name, t.name.toUpperCase(), t.name);
    assert.ok(t.code > 0 && t.code <= 65535, t.name);
    assert.ok(t.description.length > 5, t.name);
    assert.ok(t.rfcs.length > 0 || t.reference, t.name);
  }
});

test('the required types are there with their IANA codes', () => {
  const expected: Record<string, number> = {
    A: 1, NS: 2, CNAME: 5, SOA: 6, MB: 7, MG: 8, MR: 9, PTR: 12, HINFO: 13, MINFO: 14, MX: 15, TXT: 16, RP: 17, AFSDB: 18,
    RT: 21, KEY: 25, AAAA: 28, LOC: 29, SRV: 33, NAPTR: 35, KX: 36, CERT: 37, DNAME: 39, APL: 42, DS: 43, SSHFP: 44,
    IPSECKEY: 45, RRSIG: 46, NSEC: 47, DNSKEY: 48, DHCID: 49, NSEC3: 50, NSEC3PARAM: 51, TLSA: 52, SMIMEA: 53, HIP: 55,
    CDS: 59, CDNSKEY: 60, OPENPGPKEY: 61, CSYNC: 62, ZONEMD: 63, SVCB: 64, HTTPS: 65, SPF: 99, NID: 104, L32: 105,
    L64: 106, LP: 107, EUI48: 108, EUI64: 109, URI: 256, CAA: 257, MD: 3, MF: 4, NULL: 10, WKS: 11, X25: 19, ISDN: 20, NXT: 30,
  };
  for (const [name, code] of Object.entries(expected)) assert.equal(typeByName(name)?.code, code, name);
});

test('exactly the DNSSEC types are flagged', () => {
  const flagged = RR_TYPES.filter((t) => t.dnssec).map((t) => t.name).sort();
  assert.deepEqual(flagged, ['CDNSKEY', 'CDS', 'DNSKEY', 'DS', 'NSEC', 'NSEC3', 'NSEC3PARAM', 'RRSIG']);
});

test('fields: every kind has a parser; only the last field reads to the end; optional fields are trailing', () => {
  for (const t of RR_TYPES) {
    if (t.genericOnly) assert.equal(t.fields.length, 0, t.name);
    else assert.ok(t.fields.length > 0, t.name);
    t.fields.forEach((f, i) => {
      assert.ok(FIELD_PARSERS[f.kind], `${t.name} ${f.name}: ${f.kind}`);
      assert.ok(f.description.length > 3, `${t.name} ${f.name}`);
      if (REST.has(f.kind)) assert.equal(i, t.fields.length - 1, `${t.name}: ${f.name} reads to the end, so it must be last`);
      if (f.optional || MAY_BE_EMPTY.has(f.kind)) {
        for (const g of t.fields.slice(i + 1)) assert.ok(g.optional || MAY_BE_EMPTY.has(g.kind), `${t.name}: ${g.name} after optional ${f.name}`);
      }
    });
  }
  assert.deepEqual(typeByName('MX')!.fields.map((f) => [f.name, f.kind]), [['preference', 'u16'], ['exchange', 'name']]);
  assert.deepEqual(typeByName('TLSA')!.fields.map((f) => f.kind), ['u8', 'u8', 'u8', 'hex']);
  assert.deepEqual(typeByName('SOA')!.fields.map((f) => f.kind), ['name', 'name', 'u32', 'ttl', 'ttl', 'ttl', 'ttl']);
});

test('lookups by name (case-insensitive) and by code', () => {
  assert.equal(typeByName('tlsa')?.code, 52);
  assert.equal(typeByName('Https')?.code, 65);
  assert.equal(typeByName('TYPE52'), undefined);
  assert.equal(typeByName('NOPE'), undefined);
  assert.equal(typeByCode(52)?.name, 'TLSA');
  assert.equal(typeByCode(65280), undefined);
});

test('parseTypeMnemonic accepts mnemonics and RFC 3597 TYPEnnn', () => {
  assert.deepEqual(parseTypeMnemonic('mx'), { code: 15, info: typeByCode(15) });
  assert.equal(parseTypeMnemonic('TYPE1')?.info?.name, 'A');
  assert.equal(parseTypeMnemonic('type52')?.code, 52);
  assert.deepEqual(parseTypeMnemonic('TYPE0'), { code: 0 });
  assert.deepEqual(parseTypeMnemonic('TYPE65535'), { code: 65535 });
  assert.deepEqual(parseTypeMnemonic('TYPE00065'), { code: 65, info: typeByCode(65) });
  for (const bad of ['TYPE65536', 'TYPE', 'TYPE-1', 'TYPE1x', 'TYPE 1', 'TYPE123456', 'XTYPE1', '', 'CLASS1', 'IN']) {
    assert.equal(parseTypeMnemonic(bad), undefined, bad);
  }
});

test('typeName gives the mnemonic or TYPEnnn', () => {
  assert.equal(typeName(52), 'TLSA');
  assert.equal(typeName(65280), 'TYPE65280');
  assert.equal(typeName(0), 'TYPE0');
});

test('parseClass: IN, CS, CH, HS and CLASSnnn', () => {
  assert.equal(parseClass('IN'), 1);
  assert.equal(parseClass('in'), 1);
  assert.equal(parseClass('CS'), 2);
  assert.equal(parseClass('ch'), 3);
  assert.equal(parseClass('HS'), 4);
  assert.equal(parseClass('CLASS1'), 1);
  assert.equal(parseClass('class65535'), 65535);
  for (const bad of ['CLASS65536', 'CLASS', 'NONE', 'ANY', 'A', 'MX', 'IN1', '']) assert.equal(parseClass(bad), undefined, bad);
  assert.equal(className(1), 'IN');
  assert.equal(className(254), 'CLASS254');
});

test('algorithm and certificate-type mnemonics', () => {
  assert.equal(algorithmByName('RSASHA256'), 8);
  assert.equal(algorithmByName('ecdsap256sha256'), 13);
  assert.equal(algorithmByName('ED25519'), 15);
  assert.equal(algorithmByName('DSA-NSEC3-SHA1'), 6);
  assert.equal(algorithmByName('SHA256'), undefined);
  assert.equal(certTypeByName('PKIX'), 1);
  assert.equal(certTypeByName('iacpkix'), 8);
  assert.equal(certTypeByName('OID'), 254);
});

test('RFC links', () => {
  assert.equal(rfcUrl(typeByName('TLSA')!.rfcs[0]), 'https://www.rfc-editor.org/rfc/rfc6698#section-2');
  assert.equal(rfcUrl({ rfc: 2782 }), 'https://www.rfc-editor.org/rfc/rfc2782');
});

test('the TYPE_* constants are the codes of their table entries', () => {
  const constants = Object.entries(table).filter(([k]) => k.startsWith('TYPE_'));
  assert.ok(constants.length >= 15);
  for (const [k, code] of constants) assert.equal(typeByCode(code as number)?.name, k.slice(5), k);
});

test('TLSA and SMIMEA name their own RDATA parser in the table (the parser has no special case)', () => {
  assert.equal(typeByName('TLSA')?.rdataParser, 'tlsa');
  assert.equal(typeByName('SMIMEA')?.rdataParser, 'tlsa');
  assert.equal(RR_TYPES.filter((t) => t.rdataParser).length, 2);
});
