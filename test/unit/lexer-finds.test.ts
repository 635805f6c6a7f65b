import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EntryScan, scanEntry, setLexerFinds } from '../../server/src/core/lexer';
import { parseZone } from '../../server/src/core/parser';
import { scanAll, Scanned } from './lexer-reference';
import { rng } from '../support/seeded';
import { zone } from '../support/seededZones';

/**
 * The lexer reads quoted strings and comments with `indexOf` (EntryScan.nextStop: the next
 * backslash, line end and U+FFFD remembered per text) instead of a step per character. Every
 * entry of a text must scan exactly as the loop reads it: the same tokens, kinds, spans, comments,
 * diagnostics, `replaced`, next position and work steps, from every entry start, forward and
 * backward (the remembered positions are per text and per position).
 */

/** Scans `text` entry by entry, forward then backward (lexer-reference.ts), with the finds on or off. */
function scanWith(text: string, finds: boolean, s = new EntryScan()): Scanned {
  setLexerFinds(finds);
  try {
    return scanAll(text, scanEntry, s);
  } finally {
    setLexerFinds(true);
  }
}

const PIECES = [
  '"', '"', '"', 'a', 'b c', ' ', '\t', '\\', '\\"', '\\\\', '\n', '\r', '\r\n', ';', '; c', '(', ')', '\uFFFD', 'é', '0',
  'x'.repeat(20), '"plain string"', '"a\\"b"', '"v=spf1 ; ( a"', '\\\n', '"\r"', '" \n',
];

function randomText(seed: number, n: number): string {
  const r = rng(seed);
  let t = '';
  for (let i = 0; i < n; i++) t += PIECES[Math.floor(r() * PIECES.length)];
  return t;
}

const HAND = [
  'a TXT "one" "two"\n', 'a TXT "open\nb A 1.2.3.4\n', 'a TXT "cr\rx"\n', 'a TXT "crlf\r\n"\r\n', 'a TXT "esc\\"q" "\\\\"\n',
  'a TXT "bad \uFFFD" x\n', 'a TXT "late" \uFFFD\n', 'a TXT "a\\\uFFFDb"\n', 'a TXT "end', 'a TXT "end\\', '"', '""', ';',
  '; comment\r', '; comment\rb A 1.1.1.1', '; c\r\n; d\n', 'a A 1.1.1.1 ; note\r\n\tA 2.2.2.2 ; x', 'a TXT ( "x"\n "y" ) ; z\n',
  'a TXT "x" ; "y"\n"z"', '\\"a" TXT "b"\n', 'a TXT "a""b"c\n', 'a TXT "' + 'h'.repeat(300) + '"\n',
];

test('lexer finds: hand-written texts scan as the loop scans them', () => {
  for (const text of HAND) assert.deepEqual(scanWith(text, true), scanWith(text, false), JSON.stringify(text));
  // all of them as one text, and a scan object carried from one text to the next
  const s = new EntryScan();
  for (const text of HAND) assert.deepEqual(scanWith(text + HAND.join(''), true, s), scanWith(text + HAND.join(''), false), JSON.stringify(text));
});

test('lexer finds: random texts of quotes, escapes, line ends and U+FFFD scan as the loop scans them', () => {
  const s = new EntryScan();
  for (let seed = 1; seed <= 400; seed++) {
    const text = randomText(seed, 5 + (seed % 60));
    assert.deepEqual(scanWith(text, true, s), scanWith(text, false), `seed ${seed}: ${JSON.stringify(text)}`);
  }
});

test('lexer finds: seeded zones scan and parse as with the loop', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const text = zone(seed, 600, 0.01, { more: seed % 2 === 0, bare: seed % 3 === 0 });
    assert.deepEqual(scanWith(text, true), scanWith(text, false), `seed ${seed}`);
    setLexerFinds(false);
    const loop = parseZone(text);
    setLexerFinds(true);
    assert.deepEqual(parseZone(text), loop, `seed ${seed}`);
  }
});
