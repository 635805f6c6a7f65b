import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/core/edits';
import { bumpSerial, nextSerial, serialGreater, serialStyle } from '../../server/src/core/features/serial';
import { parseZone } from '../../server/src/core/parser';

/**
 * SOA serial bumps: whole zone text in, whole zone text out, with a fixed clock
 * (2026-11-29 12:00 UTC). Comments and layout around the serial stay as written.
 */

const NOW = new Date(Date.UTC(2026, 10, 29, 12, 0, 0));
const UNIX_NOW = Math.floor(NOW.getTime() / 1000);

const zone = (serial: string) => [
  '$ORIGIN example.com.',
  '$TTL 3600',
  '@  IN SOA ns1 hostmaster (',
  `      ${serial} ; serial`,
  '      7200 3600 1209600 300 ) ; timers',
  '   IN NS ns1',
  'ns1 IN A 192.0.2.53',
  '',
].join('\n');

function bumped(text: string, now = NOW): string {
  const b = bumpSerial(parseZone(text), now);
  assert.ok(b.ok, b.ok ? '' : b.message);
  return applyEdits(text, [b.edit]);
}

test('date style: an earlier day becomes today 01', () => {
  assert.equal(bumped(zone('2026112801')), zone('2026112901'));
  assert.equal(bumped(zone('2019010100')), zone('2026112901'));
});

test('date style: today already used gets nn+1', () => {
  assert.equal(bumped(zone('2026112901')), zone('2026112902'));
  assert.equal(bumped(zone('2026112941')), zone('2026112942'));
});

test('date style: today 99 moves into tomorrow with a note', () => {
  const b = bumpSerial(parseZone(zone('2026112999')), NOW);
  assert.ok(b.ok);
  assert.equal(b.to, 2026113000);
  assert.match(b.note ?? '', /99 changes/);
});

test('date style: a serial dated in the future only grows by one, and says so', () => {
  const text = zone('2027010105');
  assert.equal(bumped(text), zone('2027010106'));
  const b = bumpSerial(parseZone(text), NOW);
  assert.ok(b.ok);
  assert.equal(b.style, 'date');
  assert.match(b.note ?? '', /in the future/);
});

test('unix time style: becomes now; ahead of the clock only grows by one', () => {
  assert.equal(bumped(zone('1700000000')), zone(String(UNIX_NOW)));
  const ahead = String(UNIX_NOW + 500);
  assert.equal(bumped(zone(ahead)), zone(String(UNIX_NOW + 501)));
  const b = bumpSerial(parseZone(zone(ahead)), NOW);
  assert.ok(b.ok && /ahead of the clock/.test(b.note ?? ''));
});

test('increment style: plus one', () => {
  assert.equal(bumped(zone('1')), zone('2'));
  assert.equal(bumped(zone('41')), zone('42'));
  assert.equal(bumped(zone('999999999')), zone('1000000000'));
});

test('a one-line SOA keeps everything but the serial', () => {
  const text = '$ORIGIN a.example.\n@ 300 IN SOA ns h 7 1 2 3 4 ; keep me\n@ NS ns\n';
  assert.equal(bumped(text), '$ORIGIN a.example.\n@ 300 IN SOA ns h 8 1 2 3 4 ; keep me\n@ NS ns\n');
});

test('wrap-around at 2^32-1 is an increase (RFC 1982) with a note', () => {
  const b = bumpSerial(parseZone(zone('4294967295')), NOW);
  assert.ok(b.ok);
  assert.equal(b.to, 0);
  assert.match(b.note ?? '', /wraps around to 0/);
  assert.equal(applyEdits(zone('4294967295'), [b.edit]), zone('0'));
});

test('serial arithmetic (RFC 1982)', () => {
  assert.ok(serialGreater(2, 1));
  assert.ok(serialGreater(0, 0xffffffff));
  assert.ok(!serialGreater(1, 2));
  assert.ok(!serialGreater(0x80000001, 1), 'exactly 2^31 apart is undefined: not greater');
  assert.ok(serialGreater(0x80000000, 1));
});

test('a jump too large for serial arithmetic is refused with a reason', () => {
  const r = nextSerial(5, NOW, 'unixtime');
  assert.ok(r.ok);
  const far = nextSerial(10, new Date(Date.UTC(2040, 0, 1)), 'unixtime');
  assert.ok(!far.ok);
  assert.match(far.message, /RFC 1982/);
});

test('styles are recognised', () => {
  assert.equal(serialStyle(2026112801), 'date');
  assert.equal(serialStyle(2026133101), 'unixtime', 'month 13 is no date');
  assert.equal(serialStyle(1764400000), 'unixtime');
  assert.equal(serialStyle(2024), 'increment');
});

test('refusals: no SOA, bad serial', () => {
  const none = bumpSerial(parseZone('$ORIGIN a.example.\n@ 300 NS ns\n'), NOW);
  assert.ok(!none.ok && /no SOA/.test(none.message));
  const bad = bumpSerial(parseZone('$ORIGIN a.example.\n@ 300 SOA ns h x1 1 2 3 4\n'), NOW);
  assert.ok(!bad.ok && /not a number/.test(bad.message));
});
