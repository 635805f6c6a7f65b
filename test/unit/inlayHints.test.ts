import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseZone } from '../../server/src/core/parser';
import { inlayHints } from '../../server/src/core/features/inlayHints';
import { ZoneIO } from '../../server/src/core/types';

/**
 * The text with each hint written in at its offset as `«label»`, so expectations read as
 * zone text. `[` and `]` in the fixture mark the range (optional).
 */
function render(marked: string, io?: ZoneIO): string {
  let text = marked;
  let range: { start: number; end: number } | undefined;
  const a = text.indexOf('[');
  if (a >= 0) {
    text = text.slice(0, a) + text.slice(a + 1);
    const b = text.indexOf(']');
    text = text.slice(0, b) + text.slice(b + 1);
    range = { start: a, end: b };
  }
  const parsed = parseZone(text, io ? { io, fileName: '/zones/example.com.zone' } : {});
  const hints = inlayHints(parsed, text, range);
  let out = '';
  let pos = 0;
  for (const h of hints) {
    out += text.slice(pos, h.offset) + `«${h.label}»`;
    pos = h.offset;
  }
  return out + text.slice(pos);
}

const HEAD = '$ORIGIN example.com.\n$TTL 3600\n';
const D = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';

test('acronyms of the three fields after the matching type', () => {
  assert.equal(
    render(`${HEAD}_25._tcp.mx1 IN TLSA 3 1 1 ${D}\n_25._tcp.mx1 IN TLSA 2 0 2 ${D}${D}\n`),
    `${HEAD}_25._tcp.mx1 IN TLSA 3 1 1 «DANE-EE SPKI SHA2-256»${D}\n_25._tcp.mx1 IN TLSA 2 0 2 «DANE-TA Cert SHA2-512»${D}${D}\n`,
  );
  assert.equal(render(`${HEAD}_443._tcp.www IN TLSA 0 0 0 3000\n`), `${HEAD}_443._tcp.www IN TLSA 0 0 0 «PKIX-TA Cert Full»3000\n`);
  assert.equal(render(`${HEAD}_443._tcp.www IN TLSA 1 255 255 ab\n`), `${HEAD}_443._tcp.www IN TLSA 1 255 255 «PKIX-EE PrivSel PrivMatch»ab\n`);
});

test('unknown values as `?`; acronyms written in place of numbers are named', () => {
  assert.equal(render(`${HEAD}_25._tcp.mx1 IN TLSA 7 2 9 ${D}\n`), `${HEAD}_25._tcp.mx1 IN TLSA 7 2 9 «? ? ?»${D}\n`);
  assert.equal(render(`${HEAD}_25._tcp.mx1 IN TLSA 3 x 1 ${D}\n`), `${HEAD}_25._tcp.mx1 IN TLSA 3 x 1 «DANE-EE ? SHA2-256»${D}\n`);
  assert.equal(render(`${HEAD}_25._tcp.mx1 IN TLSA DANE-EE SPKI SHA2-256 ${D}\n`), `${HEAD}_25._tcp.mx1 IN TLSA DANE-EE SPKI SHA2-256 «DANE-EE SPKI SHA2-256»${D}\n`);
});

test('SMIMEA too; parenthesised records; records missing the matching type get none', () => {
  assert.equal(render(`${HEAD}x._smimecert IN SMIMEA 3 0 0 3000\n`), `${HEAD}x._smimecert IN SMIMEA 3 0 0 «DANE-EE Cert Full»3000\n`);
  assert.equal(render(`${HEAD}_25._tcp.mx1 IN TLSA (\n  3 1\n  1 ${D} )\n`), `${HEAD}_25._tcp.mx1 IN TLSA (\n  3 1\n  1 «DANE-EE SPKI SHA2-256»${D} )\n`);
  assert.equal(render(`${HEAD}_25._tcp.mx1 IN TLSA 3 1\n`), `${HEAD}_25._tcp.mx1 IN TLSA 3 1\n`);
  assert.equal(render(`${HEAD}_25._tcp.mx1 IN TLSA \\# 35 030101${D}\n`), `${HEAD}_25._tcp.mx1 IN TLSA \\# 35 030101${D}\n`);
  assert.equal(render(`${HEAD}www IN A 192.0.2.1\nwww IN TXT "3 1 1"\n`), `${HEAD}www IN A 192.0.2.1\nwww IN TXT "3 1 1"\n`);
});

test('the hint sits after the blank that follows the matching type (padded on its right), the tooltip explains each value', () => {
  const text = `${HEAD}_25._tcp.mx1 IN TLSA 3 1 1 ${D}\n`;
  const [h] = inlayHints(parseZone(text), text);
  assert.equal(h.offset, text.indexOf(' 1 1 ') + 5);
  assert.equal(h.pad, 'right');
  // Nothing after the matching type on its line: right after the token, padded on its left.
  const split = `${HEAD}_25._tcp.mx1 IN TLSA ( 3 1 1\n  ${D} )\n`;
  const [s] = inlayHints(parseZone(split), split);
  assert.deepEqual([s.offset, s.pad], [split.indexOf(' 1 1\n') + 4, 'left']);
  assert.equal(h.label, 'DANE-EE SPKI SHA2-256');
  assert.match(h.tooltip!, /certificate usage \*\*3 DANE-EE\*\*: domain-issued/);
  assert.match(h.tooltip!, /selector \*\*1 SPKI\*\*/);
  assert.match(h.tooltip!, /matching type \*\*1 SHA2-256\*\*/);
  const [u] = inlayHints(parseZone(text.replace('3 1 1', '9 1 1')), text.replace('3 1 1', '9 1 1'));
  assert.match(u.tooltip!, /certificate usage \*\*9\*\*: unassigned/);
});

test('only records within the range', () => {
  const lines = [0, 1, 2, 3].map((i) => `_25._tcp.h${i} IN TLSA 3 1 ${i % 2 ? 2 : 1} ${D}\n`);
  const marked = `${HEAD}${lines[0]}[${lines[1]}${lines[2]}]${lines[3]}`;
  assert.equal(
    render(marked),
    `${HEAD}${lines[0]}${lines[1].replace('3 1 2 ', '3 1 2 «DANE-EE SPKI SHA2-512»')}${lines[2].replace('3 1 1 ', '3 1 1 «DANE-EE SPKI SHA2-256»')}${lines[3]}`,
  );
  const text = `${HEAD}${lines.join('')}`;
  assert.deepEqual(inlayHints(parseZone(text), text, { start: text.length, end: text.length }), []);
  assert.deepEqual(inlayHints(parseZone(text), text, { start: 10, end: 5 }), []);
});

test('records from an $INCLUDEd file are skipped (their offsets are in the other file)', () => {
  const io: ZoneIO = {
    readFile: (p) => {
      if (p !== '/zones/tlsa.zone') throw new Error('no such file');
      return `_25._tcp.mx1 IN TLSA 3 1 1 ${D}\n`;
    },
    resolvePath: (_f, p) => `/zones/${p}`,
    now: () => new Date(0),
  };
  const text = `${HEAD}$INCLUDE tlsa.zone\n_25._tcp.mx2 IN TLSA 2 1 1 ${D}\n`;
  assert.equal(render(text, io), `${HEAD}$INCLUDE tlsa.zone\n_25._tcp.mx2 IN TLSA 2 1 1 «DANE-TA SPKI SHA2-256»${D}\n`);
});

test('junk and empty text give nothing; large zones with a small range are fast', () => {
  const junk = Array.from({ length: 2000 }, (_, i) => String.fromCharCode((i * 7919 + 13) % 256)).join('');
  assert.deepEqual(inlayHints(parseZone(''), ''), []);
  assert.doesNotThrow(() => inlayHints(parseZone(junk), junk));
  const body = Array.from({ length: 50000 }, (_, i) => `_25._tcp.h${i} IN TLSA 3 1 1 ${D}\n`).join('');
  const text = HEAD + body;
  const parsed = parseZone(text);
  const t0 = performance.now();
  let n = 0;
  for (let k = 0; k < 2000; k++) {
    const start = parsed.records[(k * 7919) % 50000].start;
    n += inlayHints(parsed, text, { start, end: start + 4000 }).length;
  }
  const ms = performance.now() - t0;
  assert.ok(n > 2000 * 20, `only ${n} hints`);
  assert.ok(ms < 1500, `2000 ranged requests took ${ms.toFixed(0)} ms`);
});
