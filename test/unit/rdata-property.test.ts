import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readEntry } from '../../server/src/core/lexer';
import { parseRdata } from '../../server/src/core/rdata';
import { RR_TYPES } from '../../server/src/core/rrtypes';
import { Token } from '../../server/src/core/types';
import { ORIGIN, hex, rd } from './rdata-fixtures';

/** Property tests of parseRdata: never throws, consistent results, text and generic forms agree. */

// ---------------------------------------------------------------------------------------------
// Property tests

const FRAGMENTS = [
  '\\#', '0', '1', '255', '256', '65535', '65536', '4294967296', '-', '.', '@', '..', '\\', '\\0', '\\999', '"', '=', ',',
  'A', 'NS', 'TYPE0', 'TYPE65536', 'a.b', 'xn--', '*', 'ff', 'f', 'AA==', 'A===', '=', '00======', 'N', 'S', 'E', 'W', 'm',
  '1:192.0.2.0/24', '!2:::/0', 'alpn=h2', 'mandatory=alpn', 'port=', 'key65535', 'ipv4hint=1.2.3.4,', 'ech=', 'alpn="a',
  '192.0.2.1', '::1', '::ffff:1.2.3.4', '00-00-5e-00-53-2a', '0000:0000:0000:0000', '20240101000000', '1w2d', 'é', '😀',
  '\u0000', '\t', ' ',
];

const tokenArb = fc.record({
  text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 12 }), fc.stringMatching(/^[0-9a-fA-F]{0,9}$/)),
  quoted: fc.boolean(),
});

const CODES = RR_TYPES.map((t) => t.code);

test('parseRdata never throws and its results are consistent (fuzz)', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.constantFrom(...CODES), fc.integer({ min: 0, max: 65535 })),
      fc.array(tokenArb, { maxLength: 12 }),
      fc.constantFrom('example.', '.', undefined),
      (code, raw, origin) => {
        let pos = 0;
        const tokens: Token[] = raw.map((t) => {
          const start = pos + 1;
          const end = start + t.text.length + (t.quoted ? 2 : 0);
          pos = end;
          return { text: t.text, quoted: t.quoted, start, end };
        });
        const r = parseRdata(code, tokens, origin, pos + 1);
        for (const i of r.issues) {
          assert.ok(!i.message.includes('internal error'), i.message);
          assert.ok(i.start <= i.end && i.start >= 0 && i.end <= pos + 1, `span ${i.start}-${i.end}`);
          assert.ok(['invalid-rdata', 'invalid-name', 'relative-name-no-origin'].includes(i.code), i.code);
        }
        assert.equal(r.wire === undefined, r.issues.length > 0);
        if (r.wire) assert.ok(r.wire.length <= 65535);
      },
    ),
    { numRuns: 20000 },
  );
});

test('text and generic forms give the same wire (A, AAAA, MX)', () => {
  const gen = (code: number, wire: Uint8Array) => {
    const text = `\\# ${wire.length} ${hex(wire)}`;
    const { entry } = readEntry(text, 0, { diagnostics: [] });
    return parseRdata(code, entry.tokens, ORIGIN, entry.end);
  };
  fc.assert(fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (b) => {
    const text = rd(`A ${Array.from(b).join('.')}`).r;
    assert.equal(hex(text.wire!), hex(gen(1, b).wire!));
  }));
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (words) => {
    const text = rd(`AAAA ${words.map((w) => w.toString(16)).join(':')}`).r;
    const b = new Uint8Array(16);
    words.forEach((w, i) => { b[2 * i] = w >> 8; b[2 * i + 1] = w & 0xff; });
    assert.equal(hex(text.wire!), hex(b));
    assert.equal(hex(gen(28, b).wire!), hex(b));
  }));
  fc.assert(fc.property(fc.integer({ min: 0, max: 65535 }), fc.stringMatching(/^[a-z0-9-]{1,20}$/), (pref, label) => {
    const text = rd(`MX ${pref} ${label}`).r;
    assert.equal(hex(gen(15, text.wire!).wire!), hex(text.wire!));
  }));
});
