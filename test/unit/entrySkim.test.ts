/**
 * entryStartAt (core/entrySkim.ts) finds the start of the entry holding an offset as the lexer's
 * pass over every entry does (lexer.ts scanEntry, read as core/documentEarly.ts reads them): at
 * every offset of seeded random texts dense in what can join lines (parentheses, quotes, comments,
 * backslashes), from the text's start and from any entry start before the offset; undefined when
 * a carriage return lies between.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entryStartAt } from '../../server/src/core/entrySkim';
import { EntryScan, scanEntry } from '../../server/src/core/lexer';
import { rng } from '../support/seeded';


/** The entry starts of `text` as the lexer reads them, from 0. */
function entryStarts(text: string): number[] {
  const s = new EntryScan();
  const sink = { diagnostics: [] };
  const out = [0];
  for (let pos = 0; pos < text.length;) {
    scanEntry(text, pos, sink, s);
    pos = s.next;
    if (pos < text.length) out.push(pos);
  }
  return out;
}

/** The start of the entry holding `offset`: the first whose next start is past it (documentEarly.ts), else the last. */
function holding(starts: number[], offset: number): number {
  let k = 0;
  while (k + 1 < starts.length && starts[k + 1] <= offset) k++;
  return starts[k];
}

const PIECES = ['a', 'bc', ' ', '\t', '\n', '\n', '(', ')', '"', ';', '\\', 'x y', ' "q"', '\\"', '\\(', '\\\n', '"\\\n', ' ; ( "', '\u00e9', 'IN A 10.0.0.1\n'];

function randomText(r: () => number, length: number, pieces = PIECES): string {
  let t = '';
  while (t.length < length) t += pieces[Math.floor(r() * pieces.length)];
  return t;
}

test('the entry holding each offset starts where the lexer says (random texts, from the start and from earlier entry starts)', () => {
  const r = rng(7);
  let checked = 0;
  for (let run = 0; run < 400; run++) {
    const text = randomText(r, 20 + Math.floor(r() * 200));
    const starts = entryStarts(text);
    for (let offset = 0; offset <= text.length; offset++) {
      const want = holding(starts, offset);
      assert.equal(entryStartAt(text, 0, offset), want, `run ${run}, offset ${offset}: ${JSON.stringify(text)}`);
      const earlier = starts.filter((x) => x <= want);
      const from = earlier[Math.floor(r() * earlier.length)];
      assert.equal(entryStartAt(text, from, offset), want, `run ${run}, offset ${offset}, from ${from}: ${JSON.stringify(text)}`);
      checked++;
    }
  }
  assert.ok(checked > 20_000);
});

test('zone-like texts: long runs of plain lines between multi-line records, strings and comments', () => {
  const r = rng(11);
  const lines = ['$ORIGIN example.', '@ SOA ns hm ( 1 2 3', '  4 5 ) ; x'];
  for (let i = 0; i < 3000; i++) {
    const x = r();
    lines.push(x < 0.05 ? `t${i} TXT ( "a ; (" \\( "b\\\n c" ) ; ")"` : x < 0.1 ? `q${i} TXT "unterminated ( ;` : x < 0.2 ? `s${i} TXT "v=spf1 ; a" "x\\"y"` : `h${i} 300 IN A 10.0.${i & 255}.1`);
  }
  const text = lines.join('\n') + '\n';
  const starts = entryStarts(text);
  for (let k = 0; k < 3000; k++) {
    const offset = Math.floor(r() * (text.length + 1));
    assert.equal(entryStartAt(text, 0, offset), holding(starts, offset), `offset ${offset}`);
  }
});

test('a carriage return before the offset: undefined (the lexer decides); after it: found', () => {
  const text = 'a A 10.0.0.1\nb A 10.0.0.2\rc A 10.0.0.3\r\nd A 10.0.0.4\n';
  assert.equal(entryStartAt(text, 0, text.indexOf('c')), undefined);
  assert.equal(entryStartAt(text, 0, text.indexOf('b')), text.indexOf('b'));
  assert.equal(entryStartAt(text, 0, text.indexOf('b') + 3), text.indexOf('b'));
});
