/**
 * A hover right behind a large didOpen answered from a window of the text that starts at its line
 * (lsp/earlyView.ts EarlyWindows, lsp/lazyOpen.ts lineStart/slice): the same hover and range as
 * from the whole text, at every line of zones with multi-line entries, parentheses and line ends
 * hidden in quotes and comments, backslashes, carriage returns and non-ASCII text, in UTF-16 and
 * UTF-8 positions; windows are given where the line is known to start an entry, and only there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Position } from 'vscode-languageserver/node';
import { earlyHover } from '../../server/src/core/documentEarly';
import { lazyDidOpen } from '../../server/src/lsp/lazyOpen';
import { DocumentState, DocumentStore, linesOf } from '../../server/src/lsp/documents';
import { EditorText } from '../../server/src/lsp/editorText';
import { ShiftedLines } from '../../server/src/lsp/earlyView';
import { ZoneAnalyzer } from '../../server/src/lsp/analyzer';
import { offsetOf, toRange } from '../../server/src/lsp/convert';
import { PositionEncoding } from '../../server/src/lsp/positionEncoding';
import { Lines } from '../../server/src/core';
import { rng } from '../support/seeded';

const OPTIONS = { fileName: '/z/big.zone' };

/** What features/hover.ts answers before the first parse (the same loop), and whether a window answered. */
function hoverOf(state: DocumentState, position: Position, encoding: PositionEncoding, memo: { marks: number[] }): { answer: unknown; window: boolean } {
  for (let view = state.earlyView(position.line); ; view = state.earlyView(position.line, view.document)) {
    const inner = linesOf(view.document, encoding);
    const lines: Lines = view.firstLine === undefined ? inner : new ShiftedLines(inner, view.firstLine);
    const offset = offsetOf(lines, position);
    if (offset === undefined) return { answer: undefined, window: false };
    const h = earlyHover(view.document.getText(), offset, OPTIONS, view.firstLine === undefined ? memo : { marks: [0] }, view.partial);
    if (h === null) continue;
    const answer = h && h.contents ? { contents: h.contents, range: toRange(lines, { start: h.start, end: h.end }) } : undefined;
    return { answer, window: view.firstLine !== undefined };
  }
}

/** The same hover on the whole text. */
function wholeHover(doc: EditorText, position: Position, encoding: PositionEncoding, memo: { marks: number[] }): unknown {
  const lines = linesOf(doc, encoding);
  const offset = offsetOf(lines, position)!;
  const h = earlyHover(doc.getText(), offset, OPTIONS, memo);
  return h && h.contents ? { contents: h.contents, range: toRange(lines, { start: h.start, end: h.end }) } : undefined;
}

function lazyState(text: string): DocumentState {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///z/big.zone', languageId: 'dns-zone', version: 1, text } } }));
  const m = lazyDidOpen(body, () => { throw new Error('unreadable'); }) as unknown as { params: { textDocument: { uri: string; languageId: string; version: number; text: string } } };
  return new DocumentStore({ analyzer: {} as ZoneAnalyzer, optionsFor: () => ({}) }).open(m.params);
}

/** Zone lines, from plain records to entries that run over lines (parentheses, quotes hiding them, comments). */
function zoneLines(seed: number, n: number, tricky: boolean): string[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const out = ['$ORIGIN example.', '$TTL 3600', '@ IN SOA ns1 hostmaster (', '\t2024010101 7200 3600', '\t1209600 300 ) ; min', '\tIN\tNS\tns1'];
  for (let i = 0; out.length < n; i++) {
    out.push(pick([
      `h${i}\t300\tIN\tA\t10.0.${i & 255}.1`,
      `\tIN\tAAAA\t2001:db8::${i.toString(16)}`,
      `t${i}\tTXT\t"v=spf1 a" "é 名 😀 ${i}"`,
      `c${i} 60 CH TXT "x ; y"`,
      `; comment ${i} "`,
      '',
      `k${i}\tTLSA\t3 1 1 ${'ab'.repeat(8)}`,
      `\tMX\t10 mail${i}`,
      `x${i}\t99999999999\tA\t10.1.1.1`,
      `"q${i}"\tA\t10.6.6.6`,
      ...(tricky ? [
        `m${i}\tIN\tMX\t( 10`, `\tmail${i} )`,
        `p${i} 60 IN TXT ( "a"`, `\t"b ; )" ) ; c`,
        `s${i} 60 TXT "a ( b" ; )`,
        `o${i} A 10.0.0.1 ; ( open`, `\tA\t10.0.0.2`,
        `q${i} TXT "unterminated (`, `\tA\t10.0.0.3`,
      ] : []),
    ]));
  }
  return out;
}

function check(text: string, what: string, expectWindows: (line: number) => boolean | undefined, step = 1): void {
  const whole = new EditorText('file:///z/big.zone', 'dns-zone', 1, text);
  const lineCount = whole.lineCount;
  for (const encoding of ['utf-16', 'utf-8'] as PositionEncoding[]) {
    const state = lazyState(text);
    const memo = { marks: [0] };
    const wholeMemo = { marks: [0] };
    let windows = 0;
    for (let line = 0; line < lineCount + 2; line += step) {
      const length = line < lineCount ? whole.lineStart(line + 1 < lineCount ? line + 1 : line) - whole.lineStart(line) : 0;
      for (const character of [0, 1, 3, 5, 7, 9, 12, 16, 20, 200].filter((c) => c <= length + 1)) {
        const position = { line, character };
        const got = hoverOf(state, position, encoding, memo);
        assert.deepEqual(got.answer, wholeHover(whole, position, encoding, wholeMemo), `${what} ${encoding} ${line}:${character}`);
        if (got.window) windows++;
        const expected = expectWindows(line);
        if (expected !== undefined && got.answer !== undefined) assert.equal(got.window, expected, `${what}: a window at ${line}:${character}?`);
      }
    }
    assert.ok(windows > 0 || !/windows/.test(what), `${what}: ${windows} hovers from windows`);
  }
}

test('hovers from windows of the text are the whole text\'s: parentheses at the top only', () => {
  for (const seed of [1, 2]) {
    const lines = zoneLines(seed, 9000, false);
    // (7/9 on, a backslash that continues a string on the next line, or a carriage return alone, which ends a line
    // too: no window after it; the lines the first decoded start holds (64 KiB, ~2,800 lines) are answered from it;
    // the line after, 7,007, is hovered at both steps)
    const cut = 7005;
    lines.splice(cut, 0, ...(seed === 1 ? ['e1 A 10.0.0.\\', 'f1 TXT "a\\', 'b" A'] : ['c1 A 10.0.0.3', 'a1 A 10.0.0.1\rb1 A 10.0.0.2']));
    const text = lines.join('\n') + '\n';
    check(text, `windows seed ${seed}`, (line) => (line > 3500 && line < cut - 1 ? true : line > cut ? false : undefined), seed === 1 ? 7 : 13);
  }
});

test('hovers from windows are the whole text\'s: entries over lines everywhere, CRLF, a text without a final line break', () => {
  for (const seed of [3, 4, 5]) {
    const lines = zoneLines(seed, 2500, true);
    check(lines.join('\n') + '\n', `windows tricky ${seed}`, () => undefined, seed === 3 ? 1 : 2);
  }
  check(zoneLines(6, 5000, false).join('\r\n') + '\r\n', 'crlf', (line) => (line > 3500 ? false : undefined), 11);
  check(zoneLines(7, 1200, false).join('\n'), 'windows no final line break', () => undefined, 2);
});

test('shifted lines: the window\'s positions as the whole text\'s', () => {
  const inner = linesOf(new EditorText('u', 'x', 1, 'ab\ncd\n'), 'utf-16');
  const lines = new ShiftedLines(inner, 10);
  assert.equal(lines.lineCount, 13);
  assert.deepEqual(lines.positionAt(4), { line: 11, character: 1 });
  assert.equal(lines.offsetAt({ line: 11, character: 1 }), 4);
  assert.equal(lines.lineStart(11), 3);
  assert.equal(lines.lineEnd(11), 5);
  assert.equal(lines.lineAt(4), 11);
  assert.equal(lines.text, 'ab\ncd\n');
});
