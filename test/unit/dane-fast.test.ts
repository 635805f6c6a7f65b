/**
 * The DANE stages' fast paths give the answers of the paths they shortcut: the TLSA RDATA
 * reader's one-pass path for plain digest records (against the full path, tlsaParsing.plain =
 * false), and dane/names.ts against names.ts on plain, escaped, capitalised and odd names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readEntry } from '../../server/src/core/lexer';
import { parseTlsaRdata, tlsaParsing } from '../../server/src/core/dane/tlsaRdata';
import { atOrBelowTest, headLabels, labelsOf, parentName, wireLength, wireNameKey } from '../../server/src/core/dane/names';
import { isAtOrBelow, nameKey, nameLabels, nameToWire, wireLengthOf, wireName } from '../../server/src/core/names';

const D256 = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';

function both(rdata: string): { fast: unknown; full: unknown } {
  const { entry } = readEntry(rdata, 0, { diagnostics: [] });
  const run = () => JSON.parse(JSON.stringify(parseTlsaRdata(52, entry.tokens, 'example.', entry.end), (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)));
  const fast = run();
  tlsaParsing.plain = false;
  try {
    return { fast, full: run() };
  } finally {
    tlsaParsing.plain = true;
  }
}

test('TLSA RDATA: the one-pass path reads plain digest records as the full path does, and leaves every other record to it', () => {
  const cases = [
    `3 1 1 ${D256}`, `2 0 1 ${D256}`, `0 1 2 ${D256}${D256}`, `03 001 1 ${D256}`, `3 1 1 ${D256.toUpperCase()}`,
    `3 1 1 ${D256.slice(0, 7)} ${D256.slice(7, 40)} ${D256.slice(40)}`, // split inside an octet (RFC 6698 §2.2)
    `3 1 1 ${D256.slice(2)}`, `3 1 1 ${D256}00`, `3 1 2 ${D256}`, `3 1 0 ${D256}`, `4 1 1 ${D256}`, `3 2 1 ${D256}`,
    `255 1 1 ${D256}`, `3 255 1 ${D256}`, `3 1 255 ${D256}`, `256 1 1 ${D256}`, `0003 1 1 ${D256}`,
    `DANE-EE 1 1 ${D256}`, `"3" 1 1 ${D256}`, `3 1 1 "${D256}"`, `3 1 1 ${D256.slice(0, 62)}zz`, `3 1 1`, `3 1`, '',
    `3 1 1 ${D256.slice(0, 63)}`, `-3 1 1 ${D256}`, `3 1 1 ${D256.slice(0, 32)} ( ${D256.slice(32)} )`,
  ];
  for (const c of cases) {
    const { fast, full } = both(c);
    assert.deepEqual(fast, full, c);
  }
  const wire = both(`3 1 1 ${D256.slice(0, 7)} ${D256.slice(7)}`).fast as { wire: string; issues: unknown[] };
  assert.equal(wire.wire, `030101${D256}`);
  assert.deepEqual(wire.issues, []);
  const field = fc.constantFrom('0', '1', '2', '3', '4', '01', '003', '255', '256', 'x', 'DANE-EE', '"1"', '-1');
  fc.assert(fc.property(field, field, field, fc.array(fc.constantFrom(...'0123456789abcdefABCDEFg"'.split('')), { maxLength: 140 }), fc.array(fc.nat(140), { maxLength: 4 }), (u, s, m, digits, cuts) => {
    let hex = digits.join('');
    if (digits.length === 0) hex = D256;
    const at = [...new Set(cuts.map((c) => c % (hex.length + 1)))].sort((a, b) => a - b);
    const parts: string[] = [];
    let from = 0;
    for (const c of at) { if (c > from) parts.push(hex.slice(from, c)); from = c; }
    parts.push(hex.slice(from));
    const { fast, full } = both(`${u} ${s} ${m} ${parts.filter((p) => p).join(' ')}`);
    assert.deepEqual(fast, full);
  }), { numRuns: 1500, seed: 1313 });
});

test('dane/names.ts answers as names.ts: wire names and keys, zone membership, labels, parent names, wire lengths', () => {
  const names = [
    '.', 'example.', 'Mail.Example.COM.', 'mx-backup.bench.example.', '_25._tcp.mail0.dom1.bench.example.', '*.example.',
    'a\\.b.example.', 'a\\032b.example.', 'x\\\\y.example.', 'under_score/slash.example.', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}.`,
    'example.com.evil.', 'aexample.', 'b.a\\.example.', 'É.example.', '_25._tcp.', '_25.', 'a..b.',
  ];
  for (const n of names) {
    const wire = nameToWire(n);
    const padded = new Uint8Array(wire.length + 2);
    padded.set(wire, 2);
    for (const [d, p] of [[wire, 0], [padded, 2]] as const) {
      const expected = wireName(d, p);
      const got = wireNameKey(d, p);
      assert.equal(got?.name, expected, n);
      assert.equal(got?.key, expected === undefined ? undefined : nameKey(expected), n);
    }
    assert.deepEqual(labelsOf(n), nameLabels(n), n);
    for (const k of [1, 2, 3, 9]) assert.deepEqual(headLabels(n, k), nameLabels(n).slice(0, k), `${n} ${k}`);
    for (const k of [0, 1, 2, 3]) {
      const labels = nameLabels(n).slice(k);
      assert.equal(parentName(n, k), labels.length ? labels.join('.') + '.' : '.', `${n} ${k}`);
    }
    assert.equal(wireLength(n), wireLengthOf(n), n);
    for (const zone of ['.', 'example.', 'EXAMPLE.', 'a.example.', 'bench.example.', 'example.com.']) {
      assert.equal(atOrBelowTest(zone)(nameKey(n)), isAtOrBelow(n, zone), `${n} in ${zone}`);
    }
  }
  // Truncated and compressed wire forms give undefined, as wireName does.
  for (const d of [Uint8Array.of(3, 0x61, 0x62), Uint8Array.of(0xc0, 12), Uint8Array.of(1, 0x61), new Uint8Array(0)]) {
    assert.equal(wireNameKey(d, 0), undefined);
    assert.equal(wireName(d, 0), undefined);
  }
});
