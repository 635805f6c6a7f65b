/**
 * The parse's line marks (server/src/core/lineMarks.ts): each is a line start with LineIndex's
 * line, whatever the entries hold (parentheses over several lines, comments, quoted strings
 * with a backslash before a line break, `\r\n` and lone `\r`), and the CLI's LineCursor gives
 * LineIndex's positions with them as without them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineCursor } from '../../server/src/cli/lineCursor';
import { ChunkWriter, writeJson, writeText } from '../../server/src/cli/format';
import { LineIndex } from '../../server/src/core/lineIndex';
import { LineMarks, MARK_EVERY } from '../../server/src/core/lineMarks';
import { parseZone } from '../../server/src/core/parser';
import { checkText } from '../../server/src/core/pipeline/run';
import { rng } from '../support/seeded';

/**
 * Zone text of `n` entries of many shapes, with `\n`, `\r\n` or lone `\r` line ends (mixed when
 * `mixed`). `only`: which of the entries that hold line breaks of their own may come (in
 * parentheses, after a backslash in a quoted string, or both), and they come rarely, so that
 * most runs of MARK_EVERY entries have none.
 */
function zoneText(r: () => number, n: number, mixed: boolean, only: 'paren' | 'backslash' | 'both' = 'both'): string {
  const ends = mixed ? ['\n', '\r\n', '\r'] : [['\n', '\r\n', '\r'][Math.floor(r() * 3)]];
  const br = () => ends[Math.floor(r() * ends.length)];
  const paren = only !== 'backslash', backslash = only !== 'paren';
  let t = `$ORIGIN example.com.${br()}$TTL 3600${br()}@ SOA ns1 host ( 1 7200${br()} 3600 1209600 300 )${br()}`;
  for (let i = 0; i < n; i++) {
    const k = Math.floor(r() * 100);
    if (k === 0 && paren) t += `h${i} TXT ( "a"${br()}  "b" ; inside${br()} )`;
    else if (k === 1 && paren) t += `  ( ; only a comment${br()}${br()} )`; // a multi-line entry without a token
    else if (k === 2 && paren) t += `h${i} TXT ( "x"${br()}${br()}"y" )`;
    else if (k === 3 && backslash) t += `h${i} TXT "one\\${br()}two"`; // a backslash before the line break: one entry, two lines
    else if (k === 4 && backslash) t += `h${i} TXT "a\\"b\\\\" "c\\065"`; // backslashes on one line
    else if (k === 5 && backslash) t += `h${i} MX 10 mx\\.${i}`;
    else if (k < 50) t += `h${i} A 192.0.2.${i % 256}`;
    else if (k < 60) t += `h${i} TXT "v=spf1 -all" "x${i}"`;
    else if (k < 66) t += `; comment ${i}`;
    else if (k < 72) t += '';
    else if (k < 76) t += `h${i} TXT "unclosed`;
    else t += `\th${i}  AAAA 2001:db8::${(i % 255).toString(16)} ; c`;
    t += br();
  }
  if (r() < 0.5) t += 'tail A 192.0.2.1';
  return t;
}

const ONLY = ['paren', 'backslash', 'both'] as const;

test('each line mark is a line start, with its line as LineIndex counts it', () => {
  const r = rng(21);
  let marked = 0;
  for (let round = 0; round < 60; round++) {
    const text = zoneText(r, 200 + Math.floor(r() * 800), round % 2 === 0, ONLY[round % 3]);
    const index = new LineIndex(text);
    const marks = new LineMarks();
    parseZone(text, { onRecord: () => undefined }, marks);
    assert.ok(marks.offsets.length >= Math.floor(200 / MARK_EVERY) - 1, `marks ${marks.offsets.length}`);
    for (let m = 0; m < marks.offsets.length; m++) {
      const o = marks.offsetOf(m);
      const line = index.lineAt(o);
      assert.equal(index.lineStart(line), o, `mark ${m} at ${o} is no line start`);
      assert.equal(marks.lineOf(m, text), line, `mark ${m} at ${o}`);
      if (m > 0) assert.ok(o > marks.offsetOf(m - 1));
      marked++;
    }
  }
  assert.ok(marked > 300);
});

test('LineCursor with the parse\'s marks gives LineIndex\'s positions (in order, going back, from the cursor behind it)', () => {
  const r = rng(5);
  for (let round = 0; round < 40; round++) {
    const text = zoneText(r, 300 + Math.floor(r() * 500), round % 2 === 0, ONLY[round % 3]);
    const index = new LineIndex(text);
    const marks = new LineMarks();
    parseZone(text, {}, marks);
    const starts = new LineCursor(text, marks);
    const ends = new LineCursor(text, marks);
    let at = 0;
    for (let i = 0; i < 60; i++) {
      at += Math.floor(r() * text.length / 50);
      const end = at + Math.floor(r() * 200);
      assert.deepEqual(starts.positionAt(at), index.positionAt(at), `@${at}`);
      assert.deepEqual(ends.positionAt(end, starts), index.positionAt(end), `${at}..${end}`);
    }
    const loose = new LineCursor(text, marks);
    for (let i = 0; i < 30; i++) {
      const o = Math.floor(r() * (text.length + 3)) - 1;
      assert.deepEqual(loose.positionAt(o), index.positionAt(o), `loose @${o}`);
    }
  }
});

test('check\'s text and JSON output are the same with the line marks as without them', () => {
  const r = rng(77);
  for (let round = 0; round < 12; round++) {
    // (duplicates, so there are findings all over the text)
    const text = zoneText(r, 400, round % 2 === 0).replace(/^(h\d*[05] A .*)$/gm, '$1\n$1');
    const result = checkText(text, {});
    assert.ok(result.lineMarks && result.lineMarks.offsets.length > 3);
    assert.ok(result.diagnostics.length > 10, `findings ${result.diagnostics.length}`);
    const out = (write: typeof writeText, withMarks: boolean) => {
      let s = '';
      const w = new ChunkWriter((x) => { s += x; });
      write([{ file: 'z', result: { ...result, lineMarks: withMarks ? result.lineMarks : undefined } }], w);
      w.flush();
      return s;
    };
    assert.equal(out(writeText, true), out(writeText, false));
    assert.equal(out(writeJson, true), out(writeJson, false));
  }
});
