/**
 * The parser reads a record's type from its token without making a string (a cache keyed by
 * the packed mnemonic: typeCodeAt.ts) and its owner in one pass (names.ts simpleNameAt, the
 * key shared with the previous record's). Both must give what the general readers give: the
 * type code of parseTypeMnemonic on every mnemonic in several cases and orders, with near misses
 * (TYPEnnn, 7 and 8 characters, non-ASCII, unknown words, one character more); and the owner and
 * key of parseName and nameKey on owners of every case, with origins of every case, streamed and
 * whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseZone } from '../../server/src/core/parser';
import { nameKey, parseName } from '../../server/src/core/names';
import { parseTypeMnemonic, RR_TYPES } from '../../server/src/core/rrtypes';
import { ZoneRecord } from '../../server/src/core/model';
import { rng } from '../support/seeded';

const cases = (t: string) => [t, t.toLowerCase(), t.length > 1 ? t[0].toLowerCase() + t.slice(1) : t, [...t].map((c, i) => (i % 2 ? c.toLowerCase() : c)).join('')];

test('the type read from its token is parseTypeMnemonic\'s, for every mnemonic in any case and order', () => {
  const words = [
    ...RR_TYPES.map((t) => t.name), 'TYPE52', 'type1', 'TYPE65535', 'TYPE65536', 'TYPE0', 'TYPE', 'TYPE01',
    'AAAAA', 'TLSAX', 'CDNSKEY', 'CDNSKEX', 'OPENPGPKEY', 'NSEC3PARAM', 'NSEC3PARAN', 'ÄAAA', 'TLSÄ', 'A\u0100', 'MX1', 'X', 'Z9', 'UNKNOWN',
  ];
  // one character more than a mnemonic: the same first characters, another length
  for (const base of ['A', 'MX', 'TXT', 'TLSA', 'AAAA', 'CNAME', 'SMIMEA']) for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-') words.push(base + c);
  const all = words.flatMap(cases);
  const r = rng(7);
  for (let round = 0; round < 3; round++) {
    // the same words in another order each round (what is cached depends on what came before)
    const order = round === 0 ? all : all.map((w) => [r(), w] as const).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
    const text = order.map((w, i) => `h${i} 300 IN ${w} \\# 0`).join('\n') + '\n';
    const types: number[] = [];
    parseZone(text, { origin: 'example.com.', onRecord: (rec: ZoneRecord) => { types.push(rec.typeCode); } });
    const z = parseZone(text, { origin: 'example.com.' });
    // one record per line (a record whose type is not one has type 0, and a diagnostic)
    const expected = order.map((w) => parseTypeMnemonic(w)?.code ?? 0);
    assert.equal(z.records.length, order.length);
    z.records.forEach((x, i) => assert.equal(x.typeCode, expected[i], `${order[i]} (round ${round})`));
    assert.deepEqual(types, z.records.map((x) => x.typeCode));
  }
});

test('an owner read in one pass is parseName\'s, and its key nameKey\'s, in any case and with any origin', () => {
  const r = rng(11);
  const alphabet = 'abcxyzABCXYZ019-_';
  for (const origin of ['example.com.', 'Example.COM.', 'ex-1.example.', '.', 'a.B.']) {
    const owners: string[] = [];
    for (let i = 0; i < 400; i++) {
      const labels = 1 + Math.floor(r() * 3);
      let t = Array.from({ length: labels }, () => Array.from({ length: 1 + Math.floor(r() * 9) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('')).join('.');
      if (r() < 0.2) t += '.';
      owners.push(t);
    }
    // owners followed by blank-owner records, and owners that repeat in another case
    const lines = [`$ORIGIN ${origin}`];
    owners.forEach((o, i) => {
      lines.push(`${o} 300 IN A 192.0.2.1`, ' 300 IN TXT "x"');
      if (i % 5 === 0) lines.push(`${o.toUpperCase()} 300 IN A 192.0.2.2`, `${o.toLowerCase()} 300 IN A 192.0.2.3`);
    });
    const text = lines.join('\n') + '\n';
    for (const stream of [false, true]) {
      const got: ZoneRecord[] = [];
      const z = parseZone(text, stream ? { onRecord: (x: ZoneRecord) => { got.push(x); } } : {});
      const records = stream ? got : z.records;
      let k = 0;
      for (let i = 1; i < lines.length; i++) {
        const line = lines[i];
        const rec = records[k++];
        const token = line.startsWith(' ') ? undefined : line.split(' ')[0];
        if (token !== undefined) {
          const want = parseName(token, origin).name;
          assert.equal(rec.owner, want, `${token} ${origin}`);
        }
        assert.equal(rec.ownerKey, nameKey(rec.owner), `${line} ${origin}`);
      }
      assert.equal(k, records.length);
    }
  }
});
