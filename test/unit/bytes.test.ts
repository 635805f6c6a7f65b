import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareBytes, describeUnusable, fromBase64, fromHex, sameBytes, toBase64, tlsaUnusable, tlsaUsable, toHex } from '../../server/src/core';

test('hex: lower case out, either case in, odd length or non-hex refused', () => {
  assert.equal(toHex(Uint8Array.of(0, 0xab, 0x0f, 0xff)), '00ab0fff');
  assert.deepEqual(fromHex('00AB0fFF'), Uint8Array.of(0, 0xab, 0x0f, 0xff));
  assert.equal(fromHex('abc'), undefined);
  assert.equal(fromHex('zz'), undefined);
});

test('base64 agrees with Node both ways, and says why bad input is bad', () => {
  for (let n = 0; n < 40; n++) {
    const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
    const text = Buffer.from(b).toString('base64');
    assert.equal(toBase64(b), text);
    assert.deepEqual(fromBase64(text), b);
    assert.deepEqual(fromBase64(Buffer.from(b).toString('base64url'), { url: true }), b);
  }
  assert.deepEqual(fromBase64('QU\nJD'), Uint8Array.of(0x41, 0x42, 0x43));
  assert.match(fromBase64('QU*D') as string, /not a base64 character/);
  assert.match(fromBase64('QQ==QQ') as string, /in the middle/);
  assert.match(fromBase64('QUJDR') as string, /middle of a group/);
  assert.match(fromBase64('a-b_', {}) as string, /not a base64 character/);
});

test('comparison: equality and canonical order', () => {
  assert.ok(sameBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2)));
  assert.ok(!sameBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3)));
  assert.ok(compareBytes(Uint8Array.of(1), Uint8Array.of(1, 0)) < 0);
  assert.ok(compareBytes(Uint8Array.of(2), Uint8Array.of(1, 9)) > 0);
  assert.equal(compareBytes(Uint8Array.of(), Uint8Array.of()), 0);
});

test('tlsaUsable: assigned values, and DANE usages for SMTP', () => {
  assert.ok(tlsaUsable({ usage: 3, selector: 1, matchingType: 1 }, true));
  assert.ok(tlsaUsable({ usage: 1, selector: 1, matchingType: 1 }, false));
  assert.ok(!tlsaUsable({ usage: 1, selector: 1, matchingType: 1 }, true));
  assert.equal(describeUnusable(tlsaUnusable({ usage: 0, selector: 0, matchingType: 0 }, true)!), 'usage 0 (PKIX-TA)');
  assert.equal(describeUnusable(tlsaUnusable({ usage: 255, selector: 1, matchingType: 1 }, false)!), 'private-use usage');
  assert.equal(describeUnusable(tlsaUnusable({ usage: 3, selector: 7, matchingType: 1 }, false)!), 'unassigned selector');
  assert.equal(describeUnusable(tlsaUnusable({ usage: 3, selector: 1, matchingType: 255 }, false)!), 'private-use matching type');
});
