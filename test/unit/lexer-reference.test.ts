import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanEntry } from '../../server/src/core/lexer';
import { rng } from '../support/seeded';
import { zone } from '../support/seededZones';
import { referenceScanEntry, scanAll } from './lexer-reference';

/**
 * scanEntry against the reference (lexer-reference.ts: the lexer before a digest was decoded
 * while scanned and before a plain token's loop passed over the blank that ends it): every
 * entry of a text scans to the same tokens, kinds, spans, comments, diagnostics, `replaced`,
 * next position and work steps, from every entry start.
 */

/** Equal scans, or the first difference (a short message: a diff of whole scans takes too long to print). */
function same(text: string, what: string): void {
  const a = scanAll(text, scanEntry), b = scanAll(text, referenceScanEntry);
  const at = (x: unknown[], y: unknown[]): number => x.findIndex((v, i) => JSON.stringify(v) !== JSON.stringify(y[i]));
  for (const k of ['entries', 'comments', 'diagnostics'] as const) {
    assert.equal(a[k].length, b[k].length, `${what}: ${k}`);
    const i = at(a[k], b[k]);
    if (i >= 0) assert.fail(`${what}: ${k} ${i}: ${JSON.stringify(a[k][i])} instead of ${JSON.stringify(b[k][i])}`);
  }
  assert.equal(a.steps, b.steps, `${what}: work steps`);
}

const D32 = 'e9824f3a62754658f8e5e8193b29107f7f7f663823549dc2a08e807260568d3e';
const PIECES = [
  '"', 'a', 'b c', ' ', '  ', '\t', '\t\t', ' \t', '\\', '\\ ', '\\\t', '\\"', '\\\\', '\n', '\r', '\r\n', ';', '; c', '(', ')', '\uFFFD', 'é',
  '0', '1 ', '3 1 1 ', D32, D32.slice(0, 7), 'x'.repeat(20), '"plain string"', '\\\n', 'TLSA 3 1 1 ', 'h IN A 1.2.3.4 ', 'A ', 'AB',
];

function randomText(r: () => number, n: number): string {
  let t = '';
  for (let i = 0; i < n; i++) t += PIECES[Math.floor(r() * PIECES.length)];
  return t;
}

test('lexer reference: hand-written texts scan as the reference scans them', () => {
  const texts = [
    'a A 1.2.3.4\n', 'a\tA\t1.2.3.4 \n', 'a  A 1 \t \n', 'a A\\ b c\n', 'a TXT x\\\tb\n', 'a A 1 ;c\n', 'a A 1(\n2)\n', 'a\r\n\tA 1\r\n',
    `_25._tcp.m IN TLSA 3 1 1 ${D32}\n`, `\tTLSA 3 1 1 ${D32} \n`, `\tTLSA 3 1 1 ${D32}\t; c\n`, `\tTLSA 3 1 1 ${D32}`, `a DS 1 13 2 ${D32}\\ x\n`,
    'a TXT "x" y \n', 'a TXT y"x" \n', 'tail ', 'tail\t', ' ', '\t\n',
  ];
  for (const text of texts) same(text, JSON.stringify(text));
});

test('lexer reference: random texts scan as the reference scans them', () => {
  const r = rng(2026);
  for (let k = 0; k < 1500; k++) {
    const text = randomText(r, 3 + Math.floor(r() * 50));
    same(text, JSON.stringify(text));
  }
});

test('lexer reference: seeded zones scan as the reference scans them', () => {
  for (let seed = 1; seed <= 8; seed++) {
    const text = zone(seed, 800, 0.02, { more: seed % 2 === 0, bare: seed % 3 === 0 });
    same(text, `seed ${seed}`);
  }
});
