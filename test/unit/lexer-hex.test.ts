import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EntryScan, PLAIN, scanEntry, setHexDecoding } from '../../server/src/core/lexer';
import { scanRdata } from '../../server/src/core/rdata/fastScan';
import { parseZone } from '../../server/src/core/parser';
import { work } from '../../server/src/core/work';
import { rng } from '../support/seeded';

/**
 * The lexer decodes a digest while it scans it (EntryScan.hexAt: a plain token after a
 * one-character token, from the fifth token on), and the RDATA fast path then copies those
 * octets instead of reading the digits again. Held here to the scan and the fast path without
 * it (setHexDecoding(false)): the same tokens, diagnostics and work steps for every entry, the
 * same wire form (or the same refusal) for every TLSA, SMIMEA, DS and CDS record, and decoded
 * octets that are the token's own whenever they claim to be all of it.
 */

const D32 = 'e9824f3a62754658f8e5e8193b29107f7f7f663823549dc2a08e807260568d3e';
const D64 = D32 + '7386be75d8966b7b82d776bdeb66c7b6dc9e6a32ed35686f2a7692add6470f7c';

const LINES = [
  `TLSA 3 1 1 ${D32}`, `TLSA 3 1 2 ${D64}`, `TLSA 3 1 1 ${D32.toUpperCase()}`, `TLSA 3 1 1 ${D32.slice(0, 31)} ${D32.slice(31)}`,
  `TLSA 3 1 1 ${D32}0`, `TLSA 3 1 1 ${D32.slice(0, 62)}`, `TLSA 3 1 1 ${D32.slice(0, 11)}g${D32.slice(12)}`, `TLSA 3 1 1 ${D32} ; c`,
  `TLSA 3 1 1 ${D32}(`, `TLSA 3 1 1 ( ${D32} )`, `TLSA 3 1 1 ${D32.slice(0, 40)}\\${D32.slice(41)}`, `TLSA 3 1 1 "${D32}"`,
  `TLSA 3 1 2 ${D64}${D64}`, `TLSA 3 1 1 ${D32}\u00e9`, `TLSA 3 1 1 ${D32.slice(0, 20)}\uFFFD${D32.slice(21)}`, `SMIMEA 3 0 1 ${D32}`,
  `DS 13162 13 2 ${D32}`, `DS 1 13 1 ${D32.slice(0, 40)}`, `DS 1 13 4 ${D64.slice(0, 96)}`, `DS 1 13 2 ${D32} ${D32}`, `CDS 1 13 2 ${D32}`,
  `DS 1 13 2 ${D64}${D64}${D32}`, 'DS 1 13 2 0', 'DS 0 0 0 00', `DS 1 13 2 ${D32.slice(0, 7)}x${D32.slice(8)}`,
];
const HEADS = ['', 'h ', 'h 300 ', 'h IN ', 'h 300 IN ', '\t', '\t300 ', '\tIN ', 'h 1 IN '];
const PIECES = ['0', '1', '9', 'a', 'f', 'A', 'F', 'g', 'x', ' ', '\t', '\n', ';', '(', ')', '"', '\\', '\u00e9', '\uFFFD', D32.slice(0, 9), '\r'];

function mutate(text: string, r: () => number): string {
  const k = Math.floor(r() * text.length);
  const piece = PIECES[Math.floor(r() * PIECES.length)];
  const op = r();
  if (op < 0.4) return text.slice(0, k) + piece + text.slice(k + 1);
  if (op < 0.8) return text.slice(0, k) + piece + text.slice(k);
  return text.slice(0, k) + text.slice(k + 1);
}

function snapshot(s: EntryScan): unknown {
  return {
    start: s.start, end: s.end, next: s.next, blank: s.blankOwner, multi: s.multiLine, replaced: s.replaced,
    starts: Array.from(s.starts.subarray(0, s.count)), ends: Array.from(s.ends.subarray(0, s.count)), kinds: Array.from(s.kinds.subarray(0, s.count)),
  };
}

/** Every entry of `text`: its scan, and the fast path's wire form when the entry is a record of a digest type. */
function readAll(text: string, decoding: boolean, s = new EntryScan()): { entries: unknown[]; sink: unknown; steps: number; scanned: number } {
  setHexDecoding(decoding);
  try {
    const sink = { comments: [] as unknown[], diagnostics: [] as unknown[] };
    const entries: unknown[] = [];
    const before = work.steps;
    let scanned = 0;
    for (let pos = 0; pos < text.length; pos = s.next) {
      scanEntry(text, pos, sink as never, s);
      entries.push(snapshot(s));
      if (s.hexAt >= 0) {
        // the decoded octets are the token's own, as far as they go
        const t = s.textOf(s.hexAt);
        assert.equal(s.kinds[s.hexAt], PLAIN);
        const n = s.hexLength;
        assert.equal(Buffer.from(s.hexBytes.subarray(0, n)).toString('hex'), t.slice(0, 2 * n).toLowerCase(), JSON.stringify(t));
        assert.ok(n === s.hexBytes.length || !/^[0-9a-fA-F]{2}$/.test(t.slice(2 * n, 2 * n + 2)), `decoding stopped early in ${JSON.stringify(t)}`);
        if (2 * n === t.length) scanned++;
      }
      for (let i = 0; i < s.count; i++) {
        const type = s.kinds[i] === PLAIN ? { TLSA: 52, SMIMEA: 53, DS: 43, CDS: 59 }[s.textOf(i)] : undefined;
        if (type === undefined) continue;
        const w = scanRdata(type, s, i + 1, 'example.');
        entries.push(w === undefined ? 'general' : Buffer.from(w.buf.subarray(w.base, w.pos)).toString('hex'));
        break;
      }
    }
    return { entries, sink, steps: work.steps - before, scanned };
  } finally {
    setHexDecoding(true);
  }
}

test('lexer hex: digests decoded while scanned: the same scan and the same wire forms as without', () => {
  const s = new EntryScan();
  let scanned = 0;
  let taken = 0;
  const r = rng(52);
  for (let i = 0; i < 4000; i++) {
    let line = HEADS[Math.floor(r() * HEADS.length)] + LINES[Math.floor(r() * LINES.length)];
    const times = Math.floor(r() * 3);
    for (let k = 0; k < times; k++) line = mutate(line, r);
    const text = line + '\n' + LINES[i % LINES.length] + '\n';
    const on = readAll(text, true, s);
    const off = readAll(text, false);
    assert.deepEqual(on.entries, off.entries, JSON.stringify(text));
    assert.deepEqual(on.sink, off.sink, JSON.stringify(text));
    assert.equal(on.steps, off.steps, JSON.stringify(text));
    assert.equal(off.scanned, 0);
    scanned += on.scanned;
    taken += on.entries.filter((e) => typeof e === 'string' && e !== 'general').length;
  }
  // (the decoded path was taken, and often)
  assert.ok(scanned > 3000 && taken > 3000, `${scanned} digests decoded while scanned, ${taken} records taken by the fast path`);
});

test('lexer hex: a zone parses the same with and without', () => {
  const zone = '$ORIGIN example.\n$TTL 300\n' + LINES.map((l, i) => `${HEADS[i % HEADS.length] || 'h '}${l}\n`).join('');
  const strip = (z: ReturnType<typeof parseZone>): unknown => ({ ...z, records: z.records.map((x) => ({ ...x, wire: x.wire && Buffer.from(x.wire).toString('hex') })) });
  setHexDecoding(false);
  const off = strip(parseZone(zone));
  setHexDecoding(true);
  assert.deepEqual(strip(parseZone(zone)), off);
});
