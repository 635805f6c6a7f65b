import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseName, nameToWire, isAtOrBelow } from '../../server/src/core/names';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

test('relative names get the origin; @ is the origin', () => {
  assert.equal(parseName('www', 'example.com.').name, 'www.example.com.');
  assert.equal(parseName('@', 'example.com.').name, 'example.com.');
  assert.equal(parseName('a.', undefined).name, 'a.');
  assert.equal(parseName('www', undefined).code, 'relative-name-no-origin');
});

test('escapes normalize and encode to wire', () => {
  const n = parseName('\\000\\0320\\ \\\\\\"\\.\\@\\*.tld.', undefined).name!;
  assert.equal(hex(nameToWire(n)), '09002030205C222E402A03746C6400');
  assert.equal(hex(nameToWire(parseName('ABC.', undefined).name!)), '0341424300');
});

test('limits and bad characters', () => {
  assert.equal(parseName('a'.repeat(64) + '.', undefined).code, 'invalid-name');
  assert.equal(parseName('a'.repeat(63) + '.', undefined).name, 'a'.repeat(63) + '.');
  assert.equal(parseName('a..b', 'x.').code, 'invalid-name');
  assert.equal(parseName('.a', 'x.').code, 'invalid-name');
  assert.equal(parseName('\\1', 'x.').code, 'invalid-name');
  // RFC 1035 §5.1: only the master-file specials need an escape (BIND, NSD, PowerDNS agree)
  assert.equal(parseName('a,b', 'x.').name, 'a\\,b.x.');
  assert.equal(parseName('&', 'x.').name, '\\&.x.');
  assert.equal(parseName('!#%&^[]?', 'x.').error, undefined);
  assert.equal(parseName('a"b', 'x.').code, 'invalid-name');
  assert.equal(parseName('a\x01b', 'x.').code, 'invalid-name');
});

test('isAtOrBelow is label-aware and case-insensitive', () => {
  assert.ok(isAtOrBelow('WWW.Example.COM.', 'example.com.'));
  assert.ok(!isAtOrBelow('badexample.com.', 'example.com.'));
});
