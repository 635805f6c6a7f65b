/**
 * The server's text of an open document (server/src/lsp/editorText.ts, pieces with their own
 * line starts) against vscode-languageserver-textdocument's TextDocument: the same text, line
 * count, positionAt and offsetAt after random edits (line breaks of every kind, edits across
 * pieces, whole replacements).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { EditorText } from '../../server/src/lsp/editorText';

const seed = process.env.DANE_ZONE_FC_SEED === 'random' ? undefined : Number(process.env.DANE_ZONE_FC_SEED ?? 4242);

function agree(ours: EditorText, theirs: TextDocument, probes: number[]): void {
  const text = theirs.getText();
  assert.equal(ours.getText(), text);
  assert.equal(ours.length, text.length);
  assert.equal(ours.lineCount, theirs.lineCount);
  for (const f of probes) {
    const off = Math.floor(f * (text.length + 2)) - 1;
    assert.deepEqual(ours.positionAt(off), theirs.positionAt(off), `positionAt(${off})`);
    const pos = theirs.positionAt(off);
    for (const p of [pos, { line: pos.line, character: pos.character + 3 }, { line: pos.line + 1, character: 0 }, { line: pos.line, character: 1e9 }, { line: -1, character: 2 }, { line: theirs.lineCount + 2, character: 0 }]) {
      assert.equal(ours.offsetAt(p), theirs.offsetAt(p), `offsetAt(${JSON.stringify(p)})`);
    }
  }
}

const PIECES = ['\n', '\r', '\r\n', 'a', 'bc', ' ', 'x'.repeat(40), 'line\nline\r\nline\rline\n'];
/** Only `\n` line breaks (most zone files): the line starts are found by another path. */
const LF_PIECES = ['\n', 'a', 'bc', ' ', 'x'.repeat(40), 'line\nline\n'];

for (const [name, pieces] of [['line breaks of every kind', PIECES], ['only \\n line breaks', LF_PIECES]] as const) {
  const chunk = fc.array(fc.constantFrom(...pieces), { maxLength: 8 }).map((xs) => xs.join(''));
  test(`EditorText agrees with TextDocument after random edits (small pieces: every edit crosses some; ${name})`, () => {
    fc.assert(fc.property(fc.array(chunk, { minLength: 1, maxLength: 400 }), fc.array(fc.record({ a: fc.double({ min: 0, max: 1, noNaN: true }), b: fc.double({ min: 0, max: 1, noNaN: true }), text: chunk, whole: fc.boolean() }), { maxLength: 25 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }), (parts, edits, probes) => {
      const initial = parts.join('');
      // Pieces of 16K characters: blow the initial text up past a few of them.
      const big = initial.length > 0 ? initial.repeat(Math.ceil(40_000 / initial.length)).slice(0, 40_000 + parts.length) : '';
      const ours = new EditorText('u', 'zone', 1, big);
      let theirs = TextDocument.create('u', 'zone', 1, big);
      agree(ours, theirs, probes);
      let version = 1;
      for (const e of edits) {
        version++;
        const len = theirs.getText().length;
        const change = e.whole && e.a < 0.05
          ? { text: e.text }
          : { range: { start: theirs.positionAt(Math.floor(e.a * len)), end: theirs.positionAt(Math.floor(e.b * len)) }, text: e.text };
        ours.update([change], version);
        theirs = TextDocument.update(theirs, [change], version);
        agree(ours, theirs, probes);
      }
    }), { seed, numRuns: 40 });
  });
}

test('EditorText: empty text, a lone CR at the end, a CR joined by an LF typed after it', () => {
  const ours = new EditorText('u', 'zone', 1, '');
  let theirs = TextDocument.create('u', 'zone', 1, '');
  agree(ours, theirs, [0, 0.5, 1]);
  for (const [i, text] of [[0, 'a\r'], [2, '\n'], [3, 'b\r'], [1, ''], [0, '\r\n\r']] as const) {
    const p = theirs.positionAt(i);
    const change = { range: { start: p, end: p }, text };
    ours.update([change], 2);
    theirs = TextDocument.update(theirs, [change], 2);
    agree(ours, theirs, [0, 0.3, 0.6, 1]);
  }
});

test('EditorText opened (or replaced whole) answers positions before its line starts are all made: pieces are made as far as asked', () => {
  const chunk = fc.array(fc.constantFrom(...PIECES, ...LF_PIECES), { maxLength: 8 }).map((xs) => xs.join(''));
  fc.assert(fc.property(fc.array(chunk, { minLength: 1, maxLength: 200 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }), fc.boolean(), (parts, probes, replaced) => {
    const initial = parts.join('');
    const big = initial.length > 0 ? initial.repeat(Math.ceil(100_000 / initial.length)).slice(0, 100_000 + parts.length) : '';
    const ours = new EditorText('u', 'zone', 1, replaced ? 'x\ny' : big);
    if (replaced) ours.update([{ text: big }], 2);
    const theirs = TextDocument.create('u', 'zone', 1, big);
    ours.buildSome(parts.length % 4); // (some pieces made ahead, as while a large zone opens)
    // Positions and offsets in the probes' order (not from the start), then the line count.
    for (const f of probes) {
      const off = Math.floor(f * (big.length + 2)) - 1;
      const pos = theirs.positionAt(off);
      if (f < 0.5) {
        assert.deepEqual(ours.positionAt(off), pos, `positionAt(${off})`);
        assert.equal(ours.offsetAt(pos), theirs.offsetAt(pos));
      } else {
        for (const p of [{ line: pos.line + 1, character: 0 }, { line: pos.line, character: 1e9 }, pos]) assert.equal(ours.offsetAt(p), theirs.offsetAt(p), `offsetAt(${JSON.stringify(p)})`);
      }
    }
    assert.equal(ours.offsetAt({ line: theirs.lineCount + 2, character: 0 }), big.length);
    assert.equal(ours.lineCount, theirs.lineCount);
  }), { seed, numRuns: 60 });
});

test('EditorText opened: the lines starting at and around each piece boundary, each asked first', () => {
  const lines: string[] = [];
  for (let i = 0, size = 0; size < 300_000; i++) {
    lines.push(i % 7 === 0 ? '' : `line ${i} ${'y'.repeat(i % 53)}${i % 11 === 0 ? '\r' : ''}`);
    size += lines[lines.length - 1].length + 1;
  }
  const text = lines.join('\n');
  const theirs = TextDocument.create('u', 'zone', 1, text);
  let asked = 0;
  for (let line = 0; line < theirs.lineCount; line++) {
    const start = theirs.offsetAt({ line, character: 0 });
    if (start % 16_384 > 300) continue; // (lines near a multiple of the piece size: the pieces end at the line break after one)
    for (const p of [{ line, character: 0 }, { line, character: 5 }, { line: line - 1, character: 1e9 }]) {
      assert.equal(new EditorText('u', 'zone', 1, text).offsetAt(p), theirs.offsetAt(p), `offsetAt(${JSON.stringify(p)})`);
    }
    assert.deepEqual(new EditorText('u', 'zone', 1, text).positionAt(start), theirs.positionAt(start));
    asked++;
  }
  assert.ok(asked > 50, `${asked} lines asked`);
});
