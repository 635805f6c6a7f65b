/**
 * A hover asked before the first parse of an open document (core/documentEarly.ts) answers only
 * where the hover on the whole parse depends on the record's own head tokens (type, class, TTL),
 * and then says exactly what that hover says: checked at every offset of the example zones and
 * of zones with multi-line entries, quotes, comments, directives and blank owners.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { earlyHover } from '../../server/src/core/documentEarly';
import { hover } from '../../server/src/core/features/hover';
import { ZoneDocument } from '../../server/src/core/document';
import { ZoneIO } from '../../server/src/core/types';
import { zone } from '../support/seededZones';

function repoRoot(): string {
  let d = __dirname;
  while (!fs.existsSync(path.join(d, 'package.json')) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}

const io: ZoneIO = {
  readFile: (p) => { if (p === '/z/inc.zone') return 'inc 300 A 192.0.2.7\n  IN TXT "x"\n'; throw new Error('no such file'); },
  resolvePath: (_from, p) => (p.startsWith('/') ? p : '/z/' + p),
  now: () => new Date('2026-01-01T00:00:00Z'),
};
const options = { io, fileName: '/z/main.zone' };
const examples = path.join(repoRoot(), 'examples');
const zones: [string, string][] = [
  ...fs.readdirSync(examples).filter((x) => /\.zone(\.signed)?$/.test(x)).map((f): [string, string] => [f, fs.readFileSync(path.join(examples, f), 'utf8')]),
  ['multi-line entries, quotes, comments, directives', [
    '$ORIGIN example.', '$TTL 1h', '@ IN SOA ns hm ( 1 2 3', '  4 5 ) ; A 300 IN', 'ns 300 IN A 192.0.2.1', '  CH TXT "a ( TXT" ; 60 A', '( x 60',
    ' A 192.0.2.2 )', 'txt TXT "line', 'A 60 IN"', '$INCLUDE inc.zone', '  MX 10 ns', '\tIN 7200 AAAA ::1', 'bad 9999999999 A 192.0.2.3', 'q "TXT" A 192.0.2.4',
    'u TYPE99 \\# 0', 'm MX 10 ns ; dane-zone disable=mx-no-address', 'x 1w2d SMIMEA 3 1 1 ' + 'ab'.repeat(32), 'last IN A 192.0.2.9',
  ].join('\n')],
  ['CR line ends and a record without a line end', '$ORIGIN example.\r@ 300 IN SOA ns hm 1 2 3 4 5\r\n  IN NS ns\rns A 192.0.2.1'],
];

for (const [name, text] of zones) {
  test(`a hover before the first parse says what the hover on the whole parse says, or waits (every offset of ${name})`, () => {
    const parsed = new ZoneDocument(text, options).parsed;
    let answered = 0;
    for (let at = 0; at <= text.length; at++) {
      const early = earlyHover(text, at, options);
      if (early === undefined) continue;
      answered++;
      assert.deepEqual(early, hover(parsed, text, at), `at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 20), at))}|${JSON.stringify(text.slice(at, at + 20))}`);
    }
    assert.ok(answered > 0, 'some type, class or TTL tokens answered early');
  });
}

test('hovers before the parse of a large zone, in any order, read on from the entry starts found before', () => {
  const lines = ['$ORIGIN example.', '$TTL 300', '@ SOA ns hm ( 1 2 3', '  4 5 )'];
  for (let i = 0; i < 12000; i++) lines.push(i % 2 === 1 ? `h${i} 60 IN TXT ( "a"\n  "b" )` : i % 3 === 0 ? `  IN AAAA ::${(i % 65536).toString(16)}` : `h${i} A 10.0.${(i >> 8) & 255}.${i & 255}`);
  const text = lines.join('\n') + '\n';
  const parsed = new ZoneDocument(text, options).parsed;
  const memo = { marks: [0] };
  let answered = 0;
  for (let k = 0; k < 400; k++) {
    const at = Math.floor((((k * 7919) % 400) / 400) * text.length) + (k % 13);
    const early = earlyHover(text, at, options, memo);
    if (early === undefined) continue;
    answered++;
    assert.deepEqual(early, hover(parsed, text, at), `at ${at}`);
  }
  assert.ok(memo.marks.length > 2, `${memo.marks.length} entry starts kept`);
  // Each kept position starts an entry: a line start outside every multi-line entry of the parse.
  for (const m of memo.marks) {
    assert.ok(m === 0 || text[m - 1] === '\n', `${m} is a line start`);
    assert.ok(!parsed.multiLine.some((x) => x.start < m && m < x.end), `${m} is not inside a multi-line entry`);
  }
  assert.ok(answered > 20, `${answered} answered`);
});

/**
 * A large didOpen's text not decoded yet (lsp/lazyOpen.ts): the hover is asked on a decoded
 * start of it that ends just after a line break past the offset's line (`partial`). It says
 * what the hover on the whole text says, or null (the entry runs to the start's end): at every
 * offset before many cuts of the example zones and of seeded zones, with entry starts kept
 * from one ask to the next as the server keeps them.
 */
test('a hover on a start of the text says what the hover on the whole text says, or asks for more (null)', () => {
  const seeded = [1, 2, 3].map((seed): [string, string] => [`seeded ${seed}`, zone(seed, 400, 0.01, { more: seed === 3 })]);
  let answered = 0;
  let more = 0;
  for (const [name, text] of [...zones, ...seeded]) {
    const breaks: number[] = [];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) breaks.push(i);
    const memo = { marks: [0] };
    for (let k = 0; k < breaks.length; k += Math.max(1, Math.floor(breaks.length / 40))) {
      const start = text.slice(0, breaks[k] + 1);
      for (let at = 0; at <= breaks[k]; at += at < breaks[k] - 300 ? 7 : 1) {
        const early = earlyHover(start, at, options, memo, true);
        if (early === null) { more++; continue; }
        if (early !== undefined) answered++;
        assert.deepEqual(early, earlyHover(text, at, options), `${name}, start of ${start.length}, at ${at}`);
      }
    }
  }
  assert.ok(answered > 500 && more > 20, `${answered} answered, ${more} asked for more`);
});
