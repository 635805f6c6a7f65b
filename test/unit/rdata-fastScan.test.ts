import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EntryScan, scanEntry } from '../../server/src/core/lexer';
import { parseTypeMnemonic } from '../../server/src/core/rrtypes';
import { scanRdata } from '../../server/src/core/rdata/fastScan';
import { parseRecordRdata } from '../../server/src/core/rdata/hooks';
import { parseZone } from '../../server/src/core/parser';

/**
 * The parser's fast path (rdata/fastScan.ts) reads RDATA straight from the lexer's scan. It may
 * only take records the general path (parseRecordRdata) would accept without a word: for every
 * case it takes, both must give the same wire form and the general path no issue at all. Cases:
 * hand-written near misses, then random mutations of them.
 */

const ORIGIN = 'example.com.';
const D32 = 'e9824f3a62754658f8e5e8193b29107f7f7f663823549dc2a08e807260568d3e';

const CASES = [
  'A 192.0.2.1', 'A 0.0.0.0', 'A 192.0.2.01', 'A 192.0.2', 'A 1.2.3.4.5', 'A 256.1.1.1', 'A "192.0.2.1"', 'A \\#', 'A \\# 4 C0000201',
  'AAAA 2001:db8::1', 'AAAA ::', 'AAAA ::ffff:192.0.2.1', 'AAAA 1:2:3:4:5:6:7:8', 'AAAA 1::2::3', 'AAAA 1:2:3:4:5:6:7', 'AAAA 2001:db8::g',
  'NS ns1', 'NS ns1.example.net.', 'NS @', 'NS a..b', 'NS \\#', 'NS a\\.b', 'NS a\\065b.', 'NS ' + 'x'.repeat(64), 'NS "ns1"', 'NS ns1 ns2',
  'CNAME www', 'CNAME *.example.', 'CNAME -', 'PTR host.', 'DNAME target', 'CNAME caf\u00e9', 'CNAME a\\',
  'MX 10 mail', 'MX 0 .', 'MX 65535 mail.', 'MX 65536 mail', 'MX -1 mail', 'MX 10', 'MX mail 10', 'MX 010 mail', 'MX 10 "mail"',
  'TXT "v=spf1 -all"', 'TXT "a" "b"', 'TXT a b', 'TXT ""', 'TXT "a""b"', 'TXT "a"b', 'TXT "a\\"b"', 'TXT "a\\065"', 'TXT "a\\06"',
  'TXT "a\\256"', 'TXT "tab\there"', 'TXT "\u00e9t\u00e9"', 'TXT "\ud83d\ude00"', 'TXT "' + 'x'.repeat(300) + '"', 'TXT a"b', 'TXT "unclosed',
  'TXT \\# 2 0161', 'TXT "a\\\\"', 'TXT "a\\', 'TXT "\\\u00e9"', 'TXT semi\\;colon',
  `TLSA 3 1 1 ${D32}`, `TLSA 3 1 1 ${D32.slice(0, 31)} ${D32.slice(31)}`, `TLSA 2 0 2 ${D32}${D32}`, `TLSA 3 1 2 ${D32}`,
  `TLSA 4 1 1 ${D32}`, `TLSA 255 1 1 ${D32}`, `TLSA 3 2 1 ${D32}`, `TLSA 3 1 0 ${D32}`, `TLSA 3 1 3 ${D32}`, `TLSA 003 1 1 ${D32}`,
  `TLSA 0003 1 1 ${D32}`, `TLSA DANE-EE 1 1 ${D32}`, `TLSA 3 1 1 ${D32.toUpperCase()}`, `TLSA 3 1 1 ${D32}0`, `TLSA 3 1 1 "${D32}"`,
  `TLSA 3 1 1 ${D32.slice(0, 10)}g${D32.slice(11)}`, 'TLSA 3 1 1', 'TLSA 3 1', `TLSA "3" 1 1 ${D32}`, `SMIMEA 3 0 1 ${D32}`,
  `SMIMEA 3 1 0 ${D32}`, `TLSA \\# 35 030101${D32}`, `TLSA 1 1 1 ${D32}`, `TLSA 0 0 1 ${D32}`,
  // (two digits at a time where the octets are whole: a bad digit first or second, splits odd and even)
  `TLSA 3 1 1 ${D32.slice(0, 11)}g${D32.slice(12)}`, `TLSA 3 1 1 ${D32.slice(0, 63)}x`, `TLSA 3 1 1 ${D32.slice(0, 1)} ${D32.slice(1, 34)} ${D32.slice(34)}`,
  `TLSA 3 1 1 ${D32.slice(0, 2)} ${D32.slice(2, 5)} ${D32.slice(5, 6)} ${D32.slice(6)}`,
  // DS and CDS: numeric fields, the digest split anywhere (odd pieces, an odd total, a bad digit)
  `DS 13162 13 2 ${D32}`, `DS 0 0 0 00`, `DS 65535 255 255 ${D32}`, `DS 65536 13 2 ${D32}`, `DS 1 256 2 ${D32}`, `DS 1 13 256 ${D32}`,
  `DS 012 013 002 ${D32}`, `DS 1 ECDSAP256SHA256 2 ${D32}`, `DS 1 13 2 ${D32.slice(0, 31)} ${D32.slice(31)}`, `DS 1 13 2 ${D32}0`,
  `DS 1 13 2 ${D32.slice(0, 7)}x${D32.slice(8)}`, `DS 1 13 2 "${D32}"`, 'DS 1 13 2', 'DS 1 13', `DS "1" 13 2 ${D32}`, `DS -1 13 2 ${D32}`,
  `DS 1 13 2 ${D32.slice(0, 1)} ${D32.slice(1, 2)} ${D32.slice(2)}`, `DS 1 13 2 a${D32}`, `CDS 1 13 2 ${D32}`, 'CDS 0 0 0 00',
  `DS 1 13 2 ${D32.toUpperCase()} ${D32}`, `DS 1\\3 13 2 ${D32}`, `DS 1 13 2 ${D32.slice(0, 10)}\\${D32.slice(11)}`,
];

const ALPHABET = ['0', '1', '9', 'a', 'f', 'g', 'Z', '.', ':', '-', '\\', '"', ' ', '\t', '@', '*', '\u00e9', '\\0', '\\#', ';', '(', ')'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function mutate(text: string, r: () => number): string {
  const k = Math.floor(r() * text.length);
  const piece = ALPHABET[Math.floor(r() * ALPHABET.length)];
  const op = r();
  if (op < 0.4) return text.slice(0, k) + piece + text.slice(k + 1);
  if (op < 0.8) return text.slice(0, k) + piece + text.slice(k);
  return text.slice(0, k) + text.slice(k + 1);
}

/** Compares the fast path with the general one on one line `TYPE rdata…`; true when the fast path took it. */
function compare(line: string): boolean {
  const s = scanEntry(line, 0, { diagnostics: [] }, new EntryScan());
  if (s.count === 0 || s.quoted(0)) return false;
  const type = parseTypeMnemonic(s.textOf(0));
  if (type === undefined) return false;
  const fast = scanRdata(type.code, s, 1, ORIGIN);
  if (fast === undefined) return false;
  const wire = Buffer.from(fast.buf.subarray(fast.base, fast.pos)).toString('hex');
  const general = parseRecordRdata(type.code, s.tokens(1), ORIGIN, s.end);
  assert.deepEqual(general.issues, [], `${JSON.stringify(line)}: the fast path took it, the general path says ${JSON.stringify(general.issues)}`);
  assert.equal(wire, Buffer.from(general.wire ?? []).toString('hex'), `${JSON.stringify(line)}: wire forms differ`);
  return true;
}

test('the RDATA fast path takes only what the general path accepts silently, with the same wire form', () => {
  let taken = 0;
  let left = 0;
  for (const c of CASES) if (compare(c)) taken++; else left++;
  assert.ok(taken >= 30 && left >= 30, `hand-written cases: ${taken} taken, ${left} left to the general path`);
  const r = rng(13);
  let mutatedTaken = 0;
  for (let i = 0; i < 6000; i++) {
    let line = CASES[Math.floor(r() * CASES.length)];
    const times = 1 + Math.floor(r() * 3);
    for (let k = 0; k < times; k++) line = mutate(line, r);
    if (compare(line)) mutatedTaken++;
  }
  assert.ok(mutatedTaken > 500, `mutations taken by the fast path: ${mutatedTaken}`);
});

test('records read by the fast path: the same wire forms and diagnostics in every parse mode', () => {
  const zone = `$ORIGIN ${ORIGIN}\n$TTL 300\n` + CASES.map((c) => `h ${c}\n`).join('') + '"quoted" TXT "x"\n';
  const whole = parseZone(zone);
  const streamed: { wire?: string; ok: boolean }[] = [];
  const s = parseZone(zone, { onRecord: (r) => { streamed.push({ wire: r.wire && Buffer.from(r.wire).toString('hex'), ok: r.ok }); } });
  assert.deepEqual(s.diagnostics, whole.diagnostics);
  assert.deepEqual(streamed, whole.records.map((r) => ({ wire: r.wire && Buffer.from(r.wire).toString('hex'), ok: r.ok })));
  assert.ok(whole.records.filter((r) => r.wire !== undefined).length > 30);
});
