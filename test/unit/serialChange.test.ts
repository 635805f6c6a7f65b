import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSerialChange, serialGreater } from '../../server/src/core/checks/serialChange';
import { parseZone } from '../../server/src/core/parser';

const Z = (serial: string, extra = '') => `$ORIGIN example.com.\n$TTL 300\n@ SOA ns hm ${serial} 7200 3600 1209600 300\n@ NS ns\nns A 192.0.2.1\n${extra}`;
const check = (now: string, base: string) => checkSerialChange(parseZone(now), parseZone(base), 'HEAD')
  .map((d) => `${d.code}@${now.slice(d.start, d.end)}: ${d.message}`);

test('a changed zone with the same serial is reported on the serial', () => {
  const d = check(Z('2026112801', 'www A 192.0.2.80\n'), Z('2026112801'));
  assert.equal(d.length, 1);
  assert.match(d[0], /^soa-serial-unchanged@2026112801: the zone differs from HEAD but its SOA serial is still 2026112801/);
});

test('a bumped serial, or an unchanged zone, is fine', () => {
  assert.deepEqual(check(Z('2026112802', 'www A 192.0.2.80\n'), Z('2026112801')), []);
  assert.deepEqual(check(Z('2026112801'), Z('2026112801')), []);
  // formatting and comments alone do not change the zone
  assert.deepEqual(check(Z('2026112801').replace('@ NS ns', '@   IN  NS   ns ; name server'), Z('2026112801')), []);
});

test('a change to the SOA timers counts; a serial that went back is reported', () => {
  assert.equal(check(Z('5').replace('7200', '3600 '), Z('5')).length, 1);
  const back = check(Z('4', 'x A 192.0.2.9\n'), Z('5'));
  assert.match(back[0], /went back from 5 \(HEAD\) to 4/);
});

test('RFC 1982 serial arithmetic', () => {
  assert.ok(serialGreater(1, 0xffffffff));
  assert.ok(!serialGreater(0xffffffff, 1));
  assert.ok(serialGreater(2026112802, 2026112801));
});
