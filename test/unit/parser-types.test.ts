import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseZone } from '../../server/src/core/parser';
import { parseTypeMnemonic, RR_TYPES } from '../../server/src/core/rrtypes';
import { ZoneRecord } from '../../server/src/core/model';
import { rng } from '../support/seeded';

/**
 * The parser reads a record's type from its characters (typeCodeAt.ts), through a cache of
 * the mnemonics read last in front of a Map of every mnemonic read: every record's type must be
 * what parseTypeMnemonic says of its text, in any case and any order (slots shared by several
 * mnemonics, unknown words, TYPEnnn, words too long or not ASCII for the packed key).
 */

const WORDS = [
  ...RR_TYPES.map((t) => t.name), 'TYPE1', 'TYPE65534', 'TYPE0', 'TYPE65536', 'FOO', 'AA', 'AAAAA', 'TLSAX', 'ANY', 'IXFR',
  'SÖA', 'A\u0000', 'ABCDEFGH', 'TYPE99999',
];

function variant(word: string, r: () => number): string {
  let out = '';
  for (const ch of word) out += r() < 0.5 ? ch.toLowerCase() : ch.toUpperCase();
  return out;
}

test('every record has the type its mnemonic names, read in random order and case', () => {
  for (const seed of [1, 2, 3]) {
    const r = rng(seed);
    const lines = ['$ORIGIN example.', '$TTL 300'];
    const words: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const w = variant(WORDS[Math.floor(r() * WORDS.length)], r);
      words.push(w);
      lines.push(`h${i} IN ${w} \\# 0`);
    }
    const text = lines.join('\n') + '\n';
    const streamed: ZoneRecord[] = [];
    const { diagnostics } = parseZone(text, { onRecord: (rec) => { streamed.push(rec); } });
    const whole = parseZone(text).records;
    assert.equal(streamed.length, 4000);
    for (let i = 0; i < words.length; i++) {
      const code = parseTypeMnemonic(words[i])?.code ?? 0;
      assert.equal(streamed[i].typeCode, code, words[i]);
      assert.equal(whole[i].typeCode, code, words[i]);
    }
    assert.ok(diagnostics.length > 0);
  }
});
