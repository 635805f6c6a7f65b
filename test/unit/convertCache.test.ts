/**
 * The server's conversion of published diagnostics kept between publications
 * (lsp/convertCache.ts): after random edits of the editor text (line breaks of every kind,
 * `\r` then `\n` typed apart, edits before, inside and after a diagnostic) and diagnostics that
 * stay the same objects at the same offsets, move in place (their related locations too), or
 * are new, every publication equals converting every diagnostic afresh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EditorText } from '../../server/src/lsp/editorText';
import { ConvertedDiagnostics } from '../../server/src/lsp/convertCache';
import { linesOf } from '../../server/src/lsp/documents';
import { toDiagnostic } from '../../server/src/lsp/convert';
import { capRelated, MAX_RELATED } from '../../server/src/lsp/diagnosticCap';
import { ZoneDiagnostic } from '../../server/src/core';

const seed = process.env.DANE_ZONE_FC_SEED === 'random' ? undefined : Number(process.env.DANE_ZONE_FC_SEED ?? 2929);
const URI = 'file:///z.zone';
const chunk = fc.array(fc.constantFrom('\n', '\r', '\r\n', 'a', 'bc', ' ', 'www A 192.0.2.1\n'), { maxLength: 6 }).map((xs) => xs.join(''));
const frac = fc.double({ min: 0, max: 1, noNaN: true });

test('kept conversions equal fresh ones after random edits and moved, kept or new diagnostics', () => {
  fc.assert(fc.property(
    fc.array(chunk, { minLength: 1, maxLength: 60 }),
    fc.array(fc.record({ a: frac, b: frac }), { minLength: 1, maxLength: 12 }),
    fc.array(fc.record({ a: frac, b: frac, text: chunk, whole: fc.nat({ max: 30 }), fate: fc.array(fc.nat({ max: 3 }), { minLength: 12, maxLength: 12 }), shift: fc.integer({ min: -3, max: 3 }) }), { maxLength: 15 }),
    fc.boolean(),
    (parts, spans, steps, utf8) => {
      const doc = new EditorText(URI, 'dns-zone', 1, parts.join(''));
      const lines = linesOf(doc, utf8 ? 'utf-8' : 'utf-16');
      const at = (f: number) => Math.floor(f * (doc.length + 1));
      const make = (s: { a: number; b: number }, n: number): ZoneDiagnostic => {
        const [x, y] = [at(s.a), at(s.b)].sort((p, q) => p - q);
        const d: ZoneDiagnostic = { code: 'tlsa-mx-coverage', severity: n % 2 ? 'warning' : 'error', start: x, end: y, message: `m${n}` };
        if (n % 3 === 0) d.related = Array.from({ length: n === 0 ? MAX_RELATED + 2 : 2 }, (_, k) => ({ start: Math.min(doc.length, x + k), end: Math.min(doc.length, y + k), message: `r${k}` }));
        return d;
      };
      let diags = spans.map(make);
      const conv = new ConvertedDiagnostics();
      const check = () => assert.deepEqual(conv.convert(lines, diags, URI, doc), diags.map((d) => toDiagnostic(lines, capRelated(d), URI)));
      check();
      check(); // (the same again: all kept)
      for (const s of steps) {
        if (s.whole === 0) doc.update([{ text: s.text }], doc.version + 1);
        else doc.replace(at(s.a), at(s.b), s.text);
        diags = diags.map((d, n) => {
          switch (s.fate[n]) {
            case 0: return d; // the same object at the same offsets
            case 1: { // moved in place, as the document moves its results
              const mv = (p: number) => Math.max(0, Math.min(doc.length, p + s.shift));
              d.start = mv(d.start); d.end = Math.max(d.start, mv(d.end));
              for (const r of d.related ?? []) { r.start = mv(r.start); r.end = Math.max(r.start, mv(r.end)); }
              return d;
            }
            case 2: return make({ a: s.a, b: s.b }, n); // new
            default: return { ...d }; // a copy
          }
        });
        check();
      }
    }), { seed, numRuns: 300 });
});

test('a document opened again is another text: nothing kept from the old one counts', () => {
  const conv = new ConvertedDiagnostics();
  const d: ZoneDiagnostic = { code: 'syntax', severity: 'error', start: 4, end: 6, message: 'x' };
  const a = new EditorText(URI, 'dns-zone', 1, 'ab\ncd\nef');
  conv.convert(linesOf(a, 'utf-16'), [d], URI, a);
  const b = new EditorText(URI, 'dns-zone', 1, 'abcd\n\nef');
  const fresh = toDiagnostic(linesOf(b, 'utf-16'), d, URI);
  assert.deepEqual(fresh.range, { start: { line: 0, character: 4 }, end: { line: 2, character: 0 } });
  assert.deepEqual(conv.convert(linesOf(b, 'utf-16'), [d], URI, b), [fresh]);
});

test('a line break typed right after a `\\r` moves the position at it: converted again', () => {
  const doc = new EditorText(URI, 'dns-zone', 1, 'a\rb\nc');
  const lines = linesOf(doc, 'utf-16');
  const d: ZoneDiagnostic = { code: 'syntax', severity: 'error', start: 1, end: 2, message: 'x' };
  const conv = new ConvertedDiagnostics();
  assert.deepEqual(conv.convert(lines, [d], URI, doc)[0].range, { start: { line: 0, character: 1 }, end: { line: 1, character: 0 } });
  doc.replace(2, 2, '\n'); // 'a\r\nb\nc': offset 2 is now inside the line break, at the end of line 0
  assert.deepEqual(conv.convert(lines, [d], URI, doc), [toDiagnostic(lines, d, URI)]);
  assert.deepEqual(conv.convert(lines, [d], URI, doc)[0].range, { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } });
});
