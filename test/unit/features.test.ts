import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseZone } from '../../server/src/core/parser';
import { documentSymbols, rdataSummary, ZoneSymbol } from '../../server/src/core/features/symbols';
import { foldingRanges } from '../../server/src/core/features/folding';
import { LineIndex } from '../../server/src/core/lineIndex';
import { ZoneIO } from '../../server/src/core/types';

/** The text a span covers: expectations read as zone text, not offsets. */
const at = (text: string, s: { start: number; end: number }) => text.slice(s.start, s.end);

/** An outline as indented lines: `name — detail`, children indented by two spaces. */
function outline(symbols: ZoneSymbol[], indent = ''): string[] {
  return symbols.flatMap((s) => [`${indent}${s.kind} ${s.name}${s.detail ? ` — ${s.detail}` : ''}`, ...outline(s.children, indent + '  ')]);
}

function memoryIO(files: Record<string, string>): ZoneIO {
  return {
    readFile(p) {
      if (!(p in files)) throw new Error('no such file');
      return files[p];
    },
    resolvePath: (_from, p) => (p.startsWith('/') ? p : `/zones/${p}`),
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
}

const ZONE = [
  '; example.com',                                          // 0
  '$ORIGIN example.com.',                                   // 1
  '$TTL 3600',                                              // 2
  '@   IN SOA ns1 hostmaster (',                            // 3
  '        2026010101 ; serial',                            // 4
  '        7200 3600 1209600 300 )',                        // 5
  '    IN NS  ns1',                                         // 6
  '    IN MX  10 mail',                                     // 7
  'www IN A   192.0.2.80',                                  // 8
  '    IN TXT "hello world"',                               // 9
  '_25._tcp.mail IN TLSA 3 1 1 ( 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1 )', // 10
  '$INCLUDE hosts.zone',                                    // 11
  'www IN AAAA 2001:db8::80',                               // 12
  '',
].join('\n');

const HOSTS = 'ns1 IN A 192.0.2.53\nmail IN A 192.0.2.25\n';

test('document symbols: owners with their records, directives in file order', () => {
  const parsed = parseZone(ZONE, { io: memoryIO({ '/zones/hosts.zone': HOSTS }), fileName: '/zones/example.com.zone' });
  const symbols = documentSymbols(parsed);
  assert.deepEqual(outline(symbols), [
    'origin $ORIGIN — example.com.',
    'owner example.com. — SOA, NS, MX',
    '  record SOA — ns1 hostmaster 2026010101 7200 3600 1209600 300',
    '  record NS — ns1',
    '  record MX — 10 mail',
    'owner www.example.com. — A, TXT',
    '  record A — 192.0.2.80',
    '  record TXT — "hello world"',
    'owner _25._tcp.mail.example.com. — TLSA',
    '  record TLSA — 3 1 1 8cb0fc6c5275…6a3021f1',
    'include $INCLUDE — hosts.zone (2 records)',
    '  record ns1.example.com. A — 192.0.2.53',
    '  record mail.example.com. A — 192.0.2.25',
    'owner www.example.com. — AAAA',
    '  record AAAA — 2001:db8::80',
  ]);
  const [origin, apex, www] = symbols;
  assert.equal(at(ZONE, origin.span), '$ORIGIN example.com.');
  assert.equal(at(ZONE, origin.selection), '$ORIGIN');
  // The owner spans all its records, including the multi-line SOA; the selection is the owner token.
  assert.equal(at(ZONE, apex.span), ZONE.split('\n').slice(3, 8).join('\n'));
  assert.equal(at(ZONE, apex.selection), '@');
  assert.equal(at(ZONE, apex.children[1].selection), 'NS');
  assert.equal(at(ZONE, www.children[1].span), 'IN TXT "hello world"');
  // Records from the included file point at the $INCLUDE line (their own offsets are in the other file).
  const inc = symbols[4];
  assert.equal(at(ZONE, inc.children[0].span), '$INCLUDE hosts.zone');
  // Selections are always inside their spans.
  const walk = (s: ZoneSymbol) => {
    assert.ok(s.span.start <= s.selection.start && s.selection.end <= s.span.end, s.name);
    assert.ok(s.name.length > 0);
    s.children.forEach(walk);
  };
  symbols.forEach(walk);
});

test('document symbols: invalid owners, $GENERATE and truncation', () => {
  const z = '$TTL 60\n$ORIGIN example.com.\na..b IN A 192.0.2.1\n$GENERATE 1-3 host$ A 192.0.2.$\nx IN A 192.0.2.9\ny IN A 192.0.2.10\n';
  const symbols = documentSymbols(parseZone(z));
  assert.deepEqual(outline(symbols), [
    'origin $ORIGIN — example.com.',
    'owner a..b — A',
    '  record A — 192.0.2.1',
    'generate $GENERATE — 1-3 host$ A 192.0.2.$ (3 records)',
    'owner x.example.com. — A',
    '  record A — 192.0.2.9',
    'owner y.example.com. — A',
    '  record A — 192.0.2.10',
  ]);
  const cut = documentSymbols(parseZone(z), { maxSymbols: 4 });
  assert.equal(cut.length, 4);
  assert.equal(cut[3].kind, 'truncated');
  assert.equal(outline(cut).length <= 5, true);
});

test('rdata summary elides long tokens and caps the length', () => {
  const tok = (text: string, quoted = false) => ({ text, quoted, start: 0, end: 0 });
  assert.equal(rdataSummary([tok('10'), tok('mail')]), '10 mail');
  assert.equal(rdataSummary([tok('a b', true)]), '"a b"');
  assert.equal(rdataSummary([tok('x'.repeat(100))]), 'xxxxxxxxxxxx…xxxxxxxx');
  assert.equal(rdataSummary(Array.from({ length: 50 }, () => tok('abcd')), 20), 'abcd abcd abcd abcd …');
});

test('folding: multi-line records and blocks of whole-line comments', () => {
  const z = [
    '; header line 1',          // 0
    '; header line 2',          // 1
    '   ; header line 3',       // 2
    '',                         // 3
    '; lonely comment',         // 4
    '$TTL 1h',                  // 5
    'a. IN SOA ns. host. (',    // 6
    '  ; inside the record',    // 7
    '  ; still inside',         // 8
    '  1 2 3 4 5 )',            // 9
    'a. IN A 192.0.2.1 ; trailing',  // 10
    '; after a trailing comment',    // 11
    '; block two',              // 12
    'a. IN TXT ( "one"',        // 13
    '  "two" )',                // 14
  ].join('\r\n');
  const parsed = parseZone(z);
  assert.deepEqual(foldingRanges(parsed, new LineIndex(z)), [
    { startLine: 0, endLine: 2, kind: 'comment' },
    { startLine: 6, endLine: 9, kind: 'region' },
    { startLine: 11, endLine: 12, kind: 'comment' },
    { startLine: 13, endLine: 14, kind: 'region' },
  ]);
});

test('folding and symbols on an empty or junk text do not throw', () => {
  for (const z of ['', '\n\n', '(((', '\u0000\u0001\uffff"', ')\n;\n(']) {
    const parsed = parseZone(z);
    assert.ok(Array.isArray(documentSymbols(parsed)));
    assert.ok(Array.isArray(foldingRanges(parsed, new LineIndex(z))));
  }
});

test('line index: LF, CRLF and lone CR line breaks, clamping, round trips', () => {
  const text = 'ab\ncd\r\nef\rgh';
  const idx = new LineIndex(text);
  assert.equal(idx.lineCount, 4);
  assert.deepEqual(idx.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(idx.positionAt(2), { line: 0, character: 2 });
  assert.deepEqual(idx.positionAt(3), { line: 1, character: 0 });
  assert.deepEqual(idx.positionAt(6), { line: 1, character: 2 }); // between \r and \n: end of the line
  assert.deepEqual(idx.positionAt(7), { line: 2, character: 0 });
  assert.deepEqual(idx.positionAt(10), { line: 3, character: 0 });
  assert.deepEqual(idx.positionAt(12), { line: 3, character: 2 });
  assert.deepEqual(idx.positionAt(99), { line: 3, character: 2 });
  assert.deepEqual(idx.positionAt(-5), { line: 0, character: 0 });
  assert.deepEqual(idx.positionAt(Number.NaN), { line: 0, character: 0 });
  for (let o = 0; o <= text.length; o++) {
    if (o === 6) continue; // inside \r\n
    assert.equal(idx.offsetAt(idx.positionAt(o)), o, `offset ${o}`);
  }
  assert.equal(idx.offsetAt({ line: 0, character: 99 }), 2);
  assert.equal(idx.offsetAt({ line: 9, character: 0 }), text.length);
  assert.equal(idx.lineEnd(1), 5);
  assert.equal(idx.lineAt(text.length), 3);

  const crlf = new LineIndex('a\r\nbc\r\n\r\nd');
  assert.equal(crlf.lineCount, 4);
  assert.deepEqual([0, 3, 7, 9].map((o) => crlf.positionAt(o)), [
    { line: 0, character: 0 }, { line: 1, character: 0 }, { line: 2, character: 0 }, { line: 3, character: 0 },
  ]);
  assert.deepEqual(crlf.positionAt(6), { line: 1, character: 2 });
  assert.equal(crlf.lineEnd(1), 5);

  const empty = new LineIndex('');
  assert.equal(empty.lineCount, 1);
  assert.deepEqual(empty.positionAt(0), { line: 0, character: 0 });
  const trailing = new LineIndex('a\n');
  assert.equal(trailing.lineCount, 2);
  assert.deepEqual(trailing.positionAt(2), { line: 1, character: 0 });
});

test('line index agrees with a naive scan on random text', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const alphabet = ['a', 'b', '\n', '\r', '\r\n', ' ', 'é', '😀'];
  let text = '';
  for (let i = 0; i < 2000; i++) text += alphabet[Math.floor(rnd() * alphabet.length)];
  const idx = new LineIndex(text);
  let line = 0;
  let col = 0;
  for (let o = 0; o < text.length; o++) {
    const c = text[o];
    if (!(c === '\n' && text[o - 1] === '\r')) assert.deepEqual(idx.positionAt(o), { line, character: col }, `offset ${o}`);
    if (c === '\n' || (c === '\r' && text[o + 1] !== '\n')) { line++; col = 0; } else col++;
  }
});
