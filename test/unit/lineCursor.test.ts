/**
 * The CLI's LineCursor (server/src/cli/lineCursor.ts) gives LineIndex's positions without a
 * line table, and `check`'s writers give the same output with it (diagnostics in file order)
 * as with LineIndex (any order).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineCursor } from '../../server/src/cli/lineCursor';
import { ChunkWriter, writeJson, writeText } from '../../server/src/cli/format';
import { LineIndex } from '../../server/src/core/lineIndex';
import { ZoneDiagnostic } from '../../server/src/core/types';

/** A small deterministic generator (the same texts on every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

const BREAKS = ['\n', '\r\n', '\r', '\n\n', '\r\r\n', '\n\r'];

function randomText(r: () => number, lfOnly: boolean): string {
  let t = '';
  const lines = Math.floor(r() * 40);
  for (let i = 0; i < lines; i++) {
    t += 'abc é\u{1F600}x'.slice(0, Math.floor(r() * 9)).repeat(1 + Math.floor(r() * 3));
    t += lfOnly ? (r() < 0.5 ? '\n' : '\r\n') : BREAKS[Math.floor(r() * BREAKS.length)];
  }
  if (r() < 0.5) t += 'tail';
  return t;
}

test('LineCursor gives LineIndex\'s positions for offsets in order, repeated, out of range and NaN', () => {
  const r = rng(13);
  for (let round = 0; round < 400; round++) {
    const text = randomText(r, round % 3 === 0);
    const index = new LineIndex(text);
    const cursor = new LineCursor(text);
    const offsets: number[] = [];
    for (let i = 0; i < 30; i++) offsets.push(Math.floor(r() * (text.length + 4)) - 2);
    offsets.sort((a, b) => a - b);
    offsets.unshift(NaN);
    offsets.push(text.length, text.length + 10);
    for (const o of offsets) assert.deepEqual(cursor.positionAt(o), index.positionAt(o), `${JSON.stringify(text)} @${o}`);
  }
});

test('LineCursor going back: from the cursor behind it, or from the top', () => {
  const r = rng(7);
  for (let round = 0; round < 200; round++) {
    const text = randomText(r, false);
    const index = new LineIndex(text);
    const starts = new LineCursor(text);
    const ends = new LineCursor(text);
    let at = 0;
    for (let i = 0; i < 20; i++) {
      at += Math.floor(r() * 6);
      const end = at + Math.floor(r() * 30);
      assert.deepEqual(starts.positionAt(at), index.positionAt(at));
      assert.deepEqual(ends.positionAt(end, starts), index.positionAt(end), `${JSON.stringify(text)} ${at}..${end}`);
    }
    // Unsorted offsets, no cursor behind: counted again from the top.
    const loose = new LineCursor(text);
    for (let i = 0; i < 20; i++) {
      const o = Math.floor(r() * (text.length + 1));
      assert.deepEqual(loose.positionAt(o), index.positionAt(o));
    }
  }
});

test('check\'s text and JSON output: the same in file order (LineCursor) as through LineIndex', () => {
  const r = rng(99);
  for (let round = 0; round < 100; round++) {
    const text = randomText(r, round % 2 === 0);
    const ds: ZoneDiagnostic[] = [];
    for (let i = 0; i < 12; i++) {
      const start = Math.floor(r() * (text.length + 1));
      const end = r() < 0.2 ? start : start + Math.floor(r() * 40);
      ds.push({ start, end, severity: 'warning', code: 'x-test', message: `m${i}` });
    }
    ds.sort((a, b) => a.start - b.start);
    const index = new LineIndex(text);
    let tableUsed = 0;
    const report = (diagnostics: ZoneDiagnostic[]) => [{ file: 'z', result: { text, diagnostics, lines: () => { tableUsed++; return index; } } }];
    const out = (write: typeof writeText, diagnostics: ZoneDiagnostic[]) => {
      let s = '';
      const w = new ChunkWriter((x) => { s += x; });
      write(report(diagnostics), w);
      w.flush();
      return s;
    };
    // Expected: every position from LineIndex, written the way writeText does.
    const want = ds.map((d) => {
      const p = index.positionAt(d.start);
      return `z:${p.line + 1}:${p.character + 1}: warning x-test: ${d.message}\n`;
    }).join('');
    const sorted = out(writeText, ds);
    assert.equal(sorted.slice(0, want.length), want);
    assert.equal(tableUsed, 0, 'diagnostics in file order need no line table');
    // Out of order: the line table, and the same lines in that order.
    const reversed = out(writeText, [...ds].reverse());
    if (ds[0].start < ds[ds.length - 1].start) assert.ok(tableUsed > 0);
    assert.deepEqual(reversed.split('\n').slice(0, ds.length).reverse(), sorted.split('\n').slice(0, ds.length));
    const json = JSON.parse(out(writeJson, ds)) as { diagnostics: { range: { start: unknown; end: unknown } }[] }[];
    json[0].diagnostics.forEach((j, i) => {
      assert.deepEqual(j.range.start, index.positionAt(ds[i].start));
      assert.deepEqual(j.range.end, ds[i].end > ds[i].start ? index.positionAt(ds[i].end) : index.positionAt(ds[i].start));
    });
  }
});
