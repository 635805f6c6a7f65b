/**
 * A large didOpen read with its text decoded later (lsp/lazyOpen.ts) is the message JSON.parse
 * reads from the same body, once its text is read; a decoded start of the text is exactly the
 * text's start up to a line break; a body whose skeleton says one thing and whose whole says
 * another (members after the text, bytes that are not JSON) is reported and its document
 * dropped; other bodies are left to the plain parse. The document store (lsp/documents.ts)
 * gives a hover positions on such a start that are the whole text's, and does not decode the
 * whole text for its version or size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lazyDidOpen } from '../../server/src/lsp/lazyOpen';
import { lazyTextOf } from '../../server/src/lsp/lazyText';
import { DocumentStore } from '../../server/src/lsp/documents';
import { EditorText } from '../../server/src/lsp/editorText';
import { ZoneAnalyzer } from '../../server/src/lsp/analyzer';
import { zone } from '../support/seededZones';

const seed = Number(process.env.DANE_ZONE_FC_SEED ?? 1313);

const didOpen = (text: string, uri = 'file:///z.zone') => ({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'dns-zone', version: 3, text } } });
const bodyOf = (m: unknown) => Buffer.from(JSON.stringify(m), 'utf8');

/** The start JSON.parse gives for the text's literal bytes up to just after the first `\n` escape at or after `minBytes` of them (undefined: none). */
function expectedPrefix(text: string, minBytes: number): { text: string; bytes: number } | undefined {
  const lit = Buffer.from(JSON.stringify(text), 'utf8'); // (the literal the body holds: JSON.stringify's)
  for (let i = 1; i < lit.length - 1;) {
    if (lit[i] !== 0x5c) { i++; continue; }
    const len = lit[i + 1] === 0x75 ? 6 : 2;
    if (lit[i + 1] === 0x6e && i + 2 - 1 >= minBytes) return { text: JSON.parse(lit.subarray(0, i + 2).toString('utf8') + '"'), bytes: i + 1 };
    i += len;
  }
  return undefined;
}

const piece = fc.oneof(
  fc.constantFrom('\n', '\r\n', '\r', '\t', '\\', '\\n', '\\\\n', '"', '\\"', 'é', '名', '😀', '\u0000', '\u001f', '\u2028', ' (', ') ', 'n', 'A 192.0.2.1'),
  fc.string({ maxLength: 12 }),
);
const texts = fc.array(piece, { maxLength: 80 }).map((xs) => xs.join(''));

test('the message JSON.parse reads, once its text is read; starts of the text exactly as decoded', () => {
  fc.assert(fc.property(texts, fc.array(fc.nat({ max: 600 }), { maxLength: 6 }), (text, mins) => {
    const body = bodyOf(didOpen(text));
    const failed: Error[] = [];
    const m = lazyDidOpen(body, (e) => failed.push(e)) as ReturnType<typeof didOpen> | undefined;
    if (text === '') return assert.equal(m, undefined); // (an empty text: parsed whole)
    assert.ok(m, `taken: ${JSON.stringify(text)}`);
    const lazy = lazyTextOf(m.params.textDocument)!;
    assert.ok(lazy && !lazy.decoded);
    assert.ok(lazy.maxLength >= text.length);
    for (const min of mins) assert.deepEqual(lazy.prefix(min), expectedPrefix(text, min), `prefix(${min})`);
    assert.equal(JSON.stringify(m), body.toString('utf8'));
    assert.deepEqual(m, JSON.parse(body.toString('utf8')));
    assert.equal(lazy.decoded, true);
    assert.equal(lazy.prefix(0), undefined);
    assert.deepEqual(failed, []);
  }), { seed, numRuns: 400 });
});

test('other bodies are parsed whole: the text not last, no didOpen, another layout', () => {
  const text = 'a\nb\n';
  const td = { text, uri: 'file:///z', languageId: 'x', version: 1 };
  assert.equal(lazyDidOpen(bodyOf({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: td } }), () => {}), undefined);
  assert.equal(lazyDidOpen(bodyOf({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri: 'u', languageId: 'x', version: 1, text } } }), () => {}), undefined);
  assert.equal(lazyDidOpen(Buffer.from(JSON.stringify(didOpen(text), null, 1)), () => {}), undefined);
  assert.equal(lazyDidOpen(bodyOf({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'u', languageId: 'x', text } } }), () => {}), undefined);
  assert.equal(lazyDidOpen(Buffer.from(bodyOf(didOpen(text)).toString().replace(/}}}$/, '}}} x')), () => {}), undefined);
});

test('a body whose whole is not what its skeleton said: reported when the text is read, its start still exact', () => {
  const cases: [string, string][] = [
    ['a member after the text', JSON.stringify(didOpen('x\ny\nz')).replace(/"}}}$/, '","more":"m"}}}')],
    ['the uri again after the text', JSON.stringify(didOpen('x\ny\nz')).replace(/"}}}$/, '","uri":"file:///other"}}}')],
    ['a raw tab in the text (not JSON)', JSON.stringify(didOpen('x\ny\nz')).replace('\\nz', '\\nz\t')],
  ];
  for (const [what, json] of cases) {
    const body = Buffer.from(json);
    const failed: Error[] = [];
    const m = lazyDidOpen(body, (e) => failed.push(e)) as ReturnType<typeof didOpen>;
    assert.ok(m, what);
    const lazy = lazyTextOf(m.params.textDocument)!;
    assert.deepEqual(lazy.prefix(1), { text: 'x\n', bytes: 3 }, what);
    assert.throws(() => m.params.textDocument.text, what);
    assert.throws(() => lazy.text(), what);
    assert.equal(failed.length, 1, what);
    if (what.startsWith('a raw tab')) assert.throws(() => JSON.parse(json), { message: failed[0].message });
    // The document store drops such a document when it is read.
    const store = new DocumentStore({ analyzer: {} as ZoneAnalyzer, optionsFor: () => ({}) });
    const again = lazyDidOpen(Buffer.from(json), () => {}) as ReturnType<typeof didOpen>;
    const state = store.open(again.params);
    assert.equal(store.get(state.uri), state);
    assert.throws(() => state.document, what);
    assert.equal(store.get(state.uri), undefined, what);
  }
});

test('the document store: positions on a decoded start are the whole text\'s; version and size without decoding', () => {
  for (const s of [1, 2, 3]) {
    const text = zone(s, 40000, 0.01, { more: s === 2 }).replace(/\n/g, s === 3 ? '\r\n' : '\n');
    const full = new EditorText('u', 'dns-zone', 3, text);
    const store = new DocumentStore({ analyzer: {} as ZoneAnalyzer, optionsFor: () => ({}) });
    const m = lazyDidOpen(bodyOf(didOpen(text)), () => {}) as ReturnType<typeof didOpen>;
    const state = store.open(m.params);
    const lazy = lazyTextOf(m.params.textDocument)!;
    assert.equal(state.version, 3);
    assert.equal(state.tooLarge, false);
    assert.equal(state.unparsed, true);
    // A start found too short is followed by a longer one.
    const short = state.earlyDocument(100);
    const longer = state.earlyDocument(100, short.document);
    assert.ok(short.partial && longer.partial && longer.document.length > short.document.length);
    let partial = 0;
    for (let line = 0; line < full.lineCount * 0.8; line += 977) {
      const view = state.earlyDocument(line);
      assert.equal(lazy.decoded, false, `a start only: seed ${s}, line ${line} of ${full.lineCount}`);
      if (!view.partial) continue;
      partial++;
      const doc = view.document;
      assert.ok(doc.lineCount > line + 2);
      assert.equal(full.getText().startsWith(doc.getText()), true);
      for (let l = Math.max(0, line - 2); l <= line + 1; l++) {
        for (const character of [0, 1, 5, 40, 1000]) {
          const off = doc.offsetAt({ line: l, character });
          assert.equal(off, full.offsetAt({ line: l, character }), `line ${l}:${character}`);
          assert.deepEqual(doc.positionAt(off), full.positionAt(off));
        }
      }
    }
    assert.ok(partial > 10, `${partial} starts`);
    // Past the last lines: the whole text.
    assert.deepEqual(state.earlyDocument(full.lineCount), { document: state.document, partial: false });
    assert.equal(state.document.getText(), text);
    assert.equal(lazy.decoded, true);
    assert.deepEqual(state.earlyDocument(5), { document: state.document, partial: false });
  }
});

/**
 * Where line `line` of `text` starts in its literal's bytes (`\n` breaks only) and the last
 * parenthesis before it, when the literal before it holds no `\\`, `\r` or `\u` escape (lineStart's contract).
 */
function expectedLineStart(text: string, line: number): { bytes: number; lastParen: number } | undefined {
  let off = 0;
  for (let l = 0; l < line; l++) {
    const k = text.indexOf('\n', off);
    if (k < 0) return undefined;
    off = k + 1;
  }
  const before = text.slice(0, off);
  const lit = JSON.stringify(before).slice(1, -1);
  for (let i = 0; i < lit.length; i++) if (lit[i] === '\\' && 'ru\\'.includes(lit[++i])) return undefined;
  const paren = Math.max(before.lastIndexOf('('), before.lastIndexOf(')'));
  return { bytes: Buffer.byteLength(lit), lastParen: paren < 0 ? -1 : Buffer.byteLength(JSON.stringify(before.slice(0, paren)).slice(1, -1)) };
}

test('line starts counted in the bytes, and windows of the text from them, as the decoded text says', () => {
  fc.assert(fc.property(texts, fc.array(fc.nat({ max: 600 }), { maxLength: 4 }), fc.nat(), (text, mins, order) => {
    const m = lazyDidOpen(bodyOf(didOpen(text)), () => {}) as ReturnType<typeof didOpen> | undefined;
    if (!m) return;
    const lazy = lazyTextOf(m.params.textDocument)!;
    const count = text.split('\n').length;
    const lines = Array.from({ length: count + 2 }, (_, i) => (i * (order | 1) + order) % (count + 2));
    for (const line of lines) {
      const at = lazy.lineStart(line);
      assert.deepEqual(at, expectedLineStart(text, line), `line ${line} of ${JSON.stringify(text)}`);
      if (!at) continue;
      const off = text.split('\n').slice(0, line).join('\n').length + (line > 0 ? 1 : 0);
      for (const min of mins) {
        const e = expectedPrefix(text.slice(off), min);
        assert.deepEqual(lazy.slice(at.bytes, min), e && { text: e.text, bytes: e.bytes + at.bytes }, `slice(${at.bytes}, ${min})`);
      }
    }
  }), { seed, numRuns: 300 });
  // Escapes JSON.stringify does not write: `\/` passes, `\u` stops the count.
  const body = Buffer.from('{"method":"textDocument/didOpen","params":{"textDocument":{"uri":"u","languageId":"x","version":1,"text":"a\\/b\\n(c\\n\\u0041\\nd\\ne"}}}');
  const lazy = lazyTextOf((lazyDidOpen(body, () => {}) as ReturnType<typeof didOpen>).params.textDocument)!;
  assert.deepEqual([0, 1, 2, 3, 4].map((l) => lazy.lineStart(l)), [{ bytes: 0, lastParen: -1 }, { bytes: 6, lastParen: -1 }, { bytes: 10, lastParen: 6 }, undefined, undefined]);
  assert.deepEqual(lazy.slice(6, 1), { text: '(c\n', bytes: 10 });
});

test('line starts in a long text: remembered every 4,096 lines, in any order; none after a byte not counted', () => {
  const lines = Array.from({ length: 13000 }, (_, i) => (i % 7 === 0 ? `h${i}\tA ( 10.0.0.${i & 255} )` : `h${i}\tTXT "é ${i}"`));
  for (const bad of [undefined, 9000, 4096, 4095]) {
    const text = (bad === undefined ? lines : [...lines.slice(0, bad), 'x\\y', ...lines.slice(bad)]).join('\n') + '\n';
    const order = [12999, 4095, 4096, 4097, 0, 8191, 8192, 9001, 8999, 13001, 13000, 13002, 1, 9000, 12288, 5000];
    for (const first of [order, [...order].reverse()]) {
      const lazy = lazyTextOf((lazyDidOpen(bodyOf(didOpen(text)), () => {}) as ReturnType<typeof didOpen>).params.textDocument)!;
      for (const line of first) assert.deepEqual(lazy.lineStart(line), expectedLineStart(text, line), `bad ${bad}, line ${line}`);
    }
  }
});
