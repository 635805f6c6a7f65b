import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EntryScan, scanEntry, setLexerFinds } from '../../server/src/core/lexer';
import { parseZone } from '../../server/src/core/parser';
import { work } from '../../server/src/core/work';
import { rng } from '../support/seeded';
import { zone } from '../support/seededZones';

/**
 * The lexer reads quoted strings and comments with `indexOf` (EntryScan.nextStop: the next
 * backslash, line end and U+FFFD remembered per text) instead of a step per character. Every
 * entry of a text must scan exactly as the loop reads it: the same tokens, kinds, spans, comments,
 * diagnostics, `replaced`, next position and work steps, from every entry start, forward and
 * backward (the remembered positions are per text and per position).
 */

interface Scanned {
  entries: unknown[];
  comments: unknown[];
  diagnostics: unknown[];
  steps: number;
}

function snapshot(s: EntryScan): unknown {
  return {
    start: s.start, end: s.end, next: s.next, blank: s.blankOwner, multi: s.multiLine, replaced: s.replaced,
    starts: Array.from(s.starts.subarray(0, s.count)), ends: Array.from(s.ends.subarray(0, s.count)),
    kinds: Array.from(s.kinds.subarray(0, s.count)),
  };
}

/** Scans `text` entry by entry from 0, then again from its entry starts in reverse order (one scan object for both). */
function scanAll(text: string, finds: boolean, s = new EntryScan()): Scanned {
  setLexerFinds(finds);
  try {
    const sink = { comments: [] as unknown[], diagnostics: [] as unknown[] };
    const entries: unknown[] = [];
    const starts: number[] = [];
    const before = work.steps;
    for (let pos = 0; pos < text.length;) {
      starts.push(pos);
      scanEntry(text, pos, sink as never, s);
      entries.push(snapshot(s));
      pos = s.next;
    }
    for (let i = starts.length - 1; i >= 0; i -= 3) {
      scanEntry(text, starts[i], sink as never, s);
      entries.push(snapshot(s));
    }
    return { entries, comments: sink.comments, diagnostics: sink.diagnostics, steps: work.steps - before };
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
  for (const text of HAND) assert.deepEqual(scanAll(text, true), scanAll(text, false), JSON.stringify(text));
  // all of them as one text, and a scan object carried from one text to the next
  const s = new EntryScan();
  for (const text of HAND) assert.deepEqual(scanAll(text + HAND.join(''), true, s), scanAll(text + HAND.join(''), false), JSON.stringify(text));
});

test('lexer finds: random texts of quotes, escapes, line ends and U+FFFD scan as the loop scans them', () => {
  const s = new EntryScan();
  for (let seed = 1; seed <= 400; seed++) {
    const text = randomText(seed, 5 + (seed % 60));
    assert.deepEqual(scanAll(text, true, s), scanAll(text, false), `seed ${seed}: ${JSON.stringify(text)}`);
  }
});

test('lexer finds: seeded zones scan and parse as with the loop', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const text = zone(seed, 600, 0.01, { more: seed % 2 === 0, bare: seed % 3 === 0 });
    assert.deepEqual(scanAll(text, true), scanAll(text, false), `seed ${seed}`);
    setLexerFinds(false);
    const loop = parseZone(text);
    setLexerFinds(true);
    assert.deepEqual(parseZone(text), loop, `seed ${seed}`);
  }
});
