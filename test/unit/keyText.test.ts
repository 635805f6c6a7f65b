/**
 * Owner keys read as characters (pipeline/keyText.ts): the CLI's columns keep the kept records'
 * keys as characters, not strings, and the DANE and mail-policy stages read them so (host table,
 * prefix and zone tests, the plain RRset's wire length, its owner span). Each reading is held to
 * the string one it replaces: the rows' characters, owner span and owner-is-key against the
 * records made again, HostFacts' text marks against its string marks, and the tests on
 * characters against startsWith / endsWith / atOrBelowTest / wireLengthOf.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ZoneChecker } from '../../server/src/core/checks/zone';
import { parseZone } from '../../server/src/core/parser';
import { ViewCollector } from '../../server/src/core/pipeline/view';
import { ALL_READS } from '../../server/src/core/pipeline/stages';
import { KeyText, textEndsWith, textOf, textStartsWith, textString } from '../../server/src/core/pipeline/keyText';
import { arrayRows } from '../../server/src/core/pipeline/keptColumns';
import { atOrBelowTest, atOrBelowTextTest } from '../../server/src/core/dane/names';
import { HostFacts } from '../../server/src/core/dane/hosts';
import { plainKeyWire } from '../../server/src/core/dane/plainRRsets';
import { ownerAt } from '../../server/src/core/dane/report';
import { wireLengthOf } from '../../server/src/core/names';
import { TYPE_CNAME, TYPE_MX, TYPE_NS, TYPE_TLSA, TYPE_TXT } from '../../server/src/core/rrtypes';
import { rng } from '../support/seeded';

const D = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';

/** Owners of every shape the columns tell apart: capitals (owner not its key), escapes, blank owners, far tokens, $ORIGIN changes, long names. */
function ownersZone(seed: number, n: number): string {
  const r = rng(seed);
  const out = ['$ORIGIN example.com.', '$TTL 3600', '@ SOA ns1 host 1 7200 3600 1209600 300', '@ NS ns1', 'ns1 A 192.0.2.1'];
  for (let i = 0; out.length < n; i++) {
    const h = Math.floor(r() * 30);
    out.push([
      `_25._tcp.mail${h} TLSA 3 1 1 ${D}`, `\tTLSA 3 1 2 ${D}${D}`, `_25._tcp.MAIL${h} TLSA 3 1 1 ${D}`, `_25._tcp.m\\.x${h} TLSA 3 1 1 ${D}`,
      `_25._tcp.m\\065${h} TLSA 3 1 1 ${D}`, `d${h} MX 10 mail${h}`, `\tMX 20 mail${h}`, `_smtp._tls.d${h} TXT "v=TLSRPTv1; rua=mailto:a@d${h}.example.com"`,
      `_mta-sts.D${h} TXT "v=STSv1; id=${i}"`, `www${h} CNAME d${h}`, `_25._tcp.far${h} ${' '.repeat(1100)} TLSA 3 1 1 ${D}`,
      `$ORIGIN o${h % 3}.example.com.`, '$ORIGIN example.com.', `sub${h} NS ns.sub${h}`, `${'l'.repeat(60)}.${'k'.repeat(60)}.x${h} MX 1 .`,
      `( _25._tcp.paren${h} 300 IN TLSA 3 1 1 ${D} )`, `_25._tcp.${'a'.repeat(63)}${h % 2} TLSA 3 1 1 ${D}`,
    ][Math.floor(r() * 17)]);
  }
  return out.join('\n') + '\n';
}

test('rows of the CLI\'s columns: the key\'s characters, whether the owner is its key and the owner span are those of the record made again', () => {
  let lent = 0, spans = 0, notKey = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const text = ownersZone(seed, 400);
    const checker = new ZoneChecker(text.length);
    const collector = new ViewCollector(ALL_READS, (k, t) => checker.hasType(k, t), text, checker);
    const parsed = parseZone(text, { onRecord: (r, entryStart) => { collector.add(r, entryStart, checker.add(r)); } });
    checker.finish(parsed.zoneOrigin);
    const view = collector.view(parsed);
    for (const types of [[TYPE_TLSA], [TYPE_MX], [TYPE_TXT], [TYPE_CNAME], [TYPE_NS], [TYPE_MX, TYPE_NS]]) {
      const rows = view.rows!(...types);
      const records = view.records(...types);
      assert.equal(rows.length, records.length);
      const t = new KeyText();
      const got = new Int32Array(2), want = new Int32Array(2);
      for (let i = 0; i < rows.length; i++) {
        const r = records[i];
        const n = rows.ownerText(i, t);
        if (t.lent) lent++;
        assert.equal(textString(t, 0, n), r.ownerKey, `seed ${seed} ${types} row ${i}`);
        assert.equal(rows.ownerKey(i), r.ownerKey);
        assert.equal(rows.ownerIsKey(i), r.owner === r.ownerKey, r.owner);
        if (r.owner !== r.ownerKey) notKey++;
        if (rows.ownerSpan(i, got, 0)) {
          spans++;
          const at = ownerAt(r);
          want[0] = at.start; want[1] = at.end;
          assert.deepEqual([...got], [...want], `${r.owner}: owner span`);
        }
      }
    }
  }
  assert.ok(lent > 1000 && spans > 1000 && notKey > 50, `${lent} lent, ${spans} spans, ${notKey} owners not their key`);
});

test('rows of records (no columns): the key copied, never lent; no span without the record', () => {
  const records = parseZone('$ORIGIN example.com.\nA.b TXT "x"\n_25._tcp.m TLSA 3 1 1 00\n').records;
  const rows = arrayRows(records);
  const t = new KeyText();
  for (let i = 0; i < rows.length; i++) {
    assert.equal(textString(t, 0, rows.ownerText(i, t)), records[i].ownerKey);
    assert.ok(!t.lent);
    assert.equal(rows.ownerIsKey(i), records[i].owner === records[i].ownerKey);
    assert.equal(rows.ownerSpan(i, new Int32Array(2), 0), false);
  }
});

/** `key` in a KeyText lent from the middle of a larger array (as the columns lend their slabs), or copied into its own. */
function textIn(key: string, lend: boolean): KeyText {
  const t = new KeyText();
  if (!lend) { textOf(key, t); return t; }
  const a = new Uint16Array(key.length + 7).fill(0x2e);
  for (let j = 0; j < key.length; j++) a[3 + j] = key.charCodeAt(j);
  t.lend(a, 3);
  return t;
}

const keyChars = fc.constantFrom('a', 'b', 'M', '.', '\\', '_', '0', '-', '\u00e9', '\u4e00');
const key = fc.array(keyChars, { maxLength: 14 }).map((cs) => cs.join(''));

test('tests on a key\'s characters: startsWith, endsWith, atOrBelowTest, and the plain RRset\'s wire length (wireLengthOf)', () => {
  const origins = ['example.com.', 'com.', '.', 'a\\.b.', 'ab.'];
  fc.assert(fc.property(key, key, fc.boolean(), fc.boolean(), (k, other, lendA, lendB) => {
    const a = textIn(k, lendA), b = textIn(other, lendB);
    for (const p of ['_25._tcp.', '_smtp._tls.', '_mta-sts.', other, k.slice(0, 3)]) assert.equal(textStartsWith(a, k.length, p), k.startsWith(p), `${k} ${p}`);
    assert.equal(textEndsWith(a, k.length, b, other.length), k.endsWith(other));
    for (const z of origins) {
      for (const name of [k, `${k}${z}`, `${k}.${z}`, `${k}\\.${z}`]) assert.equal(atOrBelowTextTest(z)(textIn(name, lendA), name.length), atOrBelowTest(z)(name), `${name} in ${z}`);
    }
    for (const name of [k, `${k}.`, `${k}.example.com.`]) {
      const wire = plainKeyWire(textIn(name, lendA), name.length);
      const plain = name.endsWith('.') && !name.includes('\\');
      assert.equal(wire !== -2, plain, name);
      if (wire >= 0) assert.equal(wire, wireLengthOf(name), name);
    }
  }), { numRuns: 3000, seed: 23 });
  // (labels past 63 or a name past 255 octets: no length from the characters, the record is read)
  const wireOf = (name: string) => plainKeyWire(textIn(name, true), name.length);
  assert.equal(wireOf(`${'a'.repeat(64)}.b.`), -1);
  assert.equal(wireOf(`${'a'.repeat(63)}.b.`), wireLengthOf(`${'a'.repeat(63)}.b.`));
  assert.equal(wireOf('a.'.repeat(128)), -1);
  assert.equal(wireOf('a.'.repeat(127)), 255);
  assert.equal(wireOf('ab.' + 'a.'.repeat(126)), -1);
  assert.equal(wireOf('a..b.'), -1);
  assert.equal(wireOf('.'), -1);
});

test('host facts marked from a key\'s characters (lent or copied) hold what the string marks hold', () => {
  const host = fc.array(fc.constantFrom('a', 'b', 'ab', 'mail', 'x1', '\u00e9'), { minLength: 1, maxLength: 3 }).map((ls) => ls.join('.') + '.');
  fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('smtp', 'cname', 'mx'), host, fc.boolean()), { maxLength: 60 }), (ops) => {
    const byText = new HostFacts(), byString = new HostFacts();
    const entries = new Map<string, [number, number]>();
    for (const [op, h, lend] of ops) {
      if (op === 'smtp') {
        const k = '_25._tcp.' + h;
        const e1 = byText.markSmtpTlsaText(textIn(k, lend), 9, k.length), e2 = byString.markSmtpTlsa(k, 9);
        const had = entries.get(h);
        if (had) assert.deepEqual([e1, e2], had);
        entries.set(h, [e1, e2]);
      } else if (op === 'cname') {
        byText.markCnameText(textIn(h, lend), h.length);
        byString.markCname(h);
      } else assert.equal(byText.markMx(h), byString.markMx(h));
    }
    for (const [, h] of ops) assert.equal(byText.get(h), byString.get(h), h);
    for (const [h, [e1, e2]] of entries) assert.equal(byText.at(e1), byString.at(e2), h);
  }), { numRuns: 1500, seed: 29 });
});
