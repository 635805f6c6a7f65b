/**
 * The parser reads the common owner name in one pass from its positions (names.ts simpleNameAt);
 * wherever it answers, it must give parseName's name exactly, and it must not answer where
 * parseName finds an error. Hand-written near misses (label and name length limits, dots,
 * escapes, `@`, characters outside the plain set) and seeded random tokens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseName, simpleNameAt } from '../../server/src/core/names';

const ORIGINS = [undefined, '.', 'example.com.', 'Bench.EXAMPLE.', `${'o'.repeat(63)}.${'p'.repeat(63)}.${'q'.repeat(63)}.`, 'a\\.b.example.'];

function same(token: string, origin: string | undefined): boolean {
  // embedded in a line, as the parser sees it
  const text = `x\t${token}\tIN A 192.0.2.1`;
  const fast = simpleNameAt(text, 2, 2 + token.length, origin);
  const general = parseName(token, origin);
  if (fast === undefined) return true;
  assert.equal(fast, general.name, `${JSON.stringify(token)} origin ${origin}`);
  return false;
}

test('simpleNameAt agrees with parseName on near misses', () => {
  const tokens = [
    'www', 'www.', 'a.b.c', 'a..b', '.a', '.', '@', '', 'a.', 'A-b_c/d*e', 'x\\.y', 'x\\065', 'ü.example', 'a b', 'a"b', 'a(b',
    'l'.repeat(63), 'l'.repeat(64), `${'l'.repeat(63)}.`, `${'l'.repeat(64)}.`,
    Array(4).fill('l'.repeat(63)).join('.'), Array(4).fill('l'.repeat(62)).join('.') + '.', Array(4).fill('l'.repeat(63)).join('.') + '.',
    Array(3).fill('l'.repeat(63)).join('.') + '.' + 'l'.repeat(61), Array(3).fill('l'.repeat(63)).join('.') + '.' + 'l'.repeat(62),
    'a!b', 'a#b', 'WWW.Example', '-', '_25._tcp.mail', '*.wild', '*',
  ];
  let answered = 0;
  for (const origin of ORIGINS) for (const t of tokens) if (!same(t, origin)) answered++;
  assert.ok(answered > 40, `answered ${answered}`);
  // where parseName finds an error, the fast path does not answer
  for (const origin of ORIGINS) for (const t of tokens) {
    if (parseName(t, origin).name === undefined) assert.equal(simpleNameAt(`x\t${t}\t`, 2, 2 + t.length, origin), undefined, `${t} ${origin}`);
  }
});

test('simpleNameAt agrees with parseName on random tokens', () => {
  let seed = 13;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const alphabet = 'abcXYZ09-_/*..\\@"!é ';
  let answered = 0;
  for (let k = 0; k < 20000; k++) {
    const lengths = [1, 3, 10, 62, 63, 64, 120, 250, 256];
    const n = lengths[rnd(lengths.length)];
    let t = '';
    for (let i = 0; i < n; i++) t += rnd(8) === 0 ? alphabet[rnd(alphabet.length)] : rnd(40) === 0 ? '.' : 'abcd'[rnd(4)];
    if (!same(t, ORIGINS[rnd(ORIGINS.length)])) answered++;
    const r = parseName(t, 'example.com.');
    if (r.name === undefined) assert.equal(simpleNameAt(t, 0, t.length, 'example.com.'), undefined, t);
  }
  assert.ok(answered > 2000, `answered ${answered}`);
});
