import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { applyEdits } from '../../server/src/core/edits';
import { FormatOptions, formatText, formatZone } from '../../server/src/core/features/format';
import { parseZone } from '../../server/src/core/parser';

/**
 * Formatting: whole zone text in, whole text out; and on every example zone, the real root
 * zone (../shared/corpora, skipped when absent) and generated zones: the formatted zone
 * parses to exactly the same records and formatting it again changes nothing.
 */

function repoRoot(): string {
  let d = __dirname;
  while (!fs.existsSync(path.join(d, 'package.json')) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}
const ROOT = repoRoot();

const fmt = (text: string, options: FormatOptions = {}) => formatText(parseZone(text), text, options);

/** owner, ttl, class, type, wire of every record. */
function records(text: string): string[] {
  return parseZone(text).records.map((r) => [r.owner, r.ttl, r.classCode, r.typeCode, r.wire ? Buffer.from(r.wire).toString('hex') : '-'].join(' '));
}

function checkLossless(name: string, text: string): void {
  for (const ownerStyle of ['keep', 'repeat', 'blank'] as const) {
    const once = fmt(text, { ownerStyle });
    assert.deepEqual(records(once), records(text), `${name} (${ownerStyle}): same records after formatting`);
    assert.equal(fmt(once, { ownerStyle }), once, `${name} (${ownerStyle}): formatting is idempotent`);
    const comments = (t: string) => parseZone(t).comments.map((c) => t.slice(c.start, c.end).trimEnd());
    assert.deepEqual(comments(once), comments(text), `${name} (${ownerStyle}): every comment kept`);
    assert.equal(once.split('\n').filter((l) => l.trim() === '').length, text.split('\n').filter((l) => l.trim() === '').length, `${name}: blank lines kept`);
  }
}

const INPUT = [
  '; header comment',
  '$ORIGIN example.com.',
  '$TTL 3600',
  '@ IN SOA ns1 hostmaster ( 2026112801 ; serial',
  '        7200 3600   1209600 300 )   ',
  '   IN   NS ns1',
  '',
  'ns1 300 IN A     192.0.2.53 ; glue',
  'ns1 AAAA 2001:db8::53',
  'mail IN 600 MX 10 ns1',
  '',
].join('\n');

const HEAD_OUT = [
  '; header comment',
  '$ORIGIN example.com.',
  '$TTL 3600',
  '@        IN SOA  ns1 hostmaster ( 2026112801 ; serial',
  '                 7200 3600   1209600 300 )',
];

test('aligns columns, keeps comments and blank lines; ownerStyle keep', () => {
  assert.equal(fmt(INPUT), [
    ...HEAD_OUT,
    '         IN NS   ns1',
    '',
    'ns1  300 IN A    192.0.2.53 ; glue',
    'ns1         AAAA 2001:db8::53',
    'mail 600 IN MX   10 ns1',
    '',
  ].join('\n'));
});

test('ownerStyle repeat writes every owner', () => {
  assert.equal(fmt(INPUT, { ownerStyle: 'repeat' }), [
    ...HEAD_OUT,
    '@        IN NS   ns1',
    '',
    'ns1  300 IN A    192.0.2.53 ; glue',
    'ns1         AAAA 2001:db8::53',
    'mail 600 IN MX   10 ns1',
    '',
  ].join('\n'));
});

test('ownerStyle blank leaves repeated owners blank', () => {
  assert.equal(fmt(INPUT, { ownerStyle: 'blank' }), [
    ...HEAD_OUT,
    '         IN NS   ns1',
    '',
    'ns1  300 IN A    192.0.2.53 ; glue',
    '            AAAA 2001:db8::53',
    'mail 600 IN MX   10 ns1',
    '',
  ].join('\n'));
});

test('repeat after an $ORIGIN change spells the inherited owner so it means the same name', () => {
  const text = '$ORIGIN a.example.\nwww 300 A 192.0.2.1\n$ORIGIN b.example.\n 300 AAAA 2001:db8::1\n';
  assert.equal(fmt(text, { ownerStyle: 'repeat' }),
    '$ORIGIN a.example.\nwww               300 A    192.0.2.1\n$ORIGIN b.example.\nwww.a.example.    300 AAAA 2001:db8::1\n'.replace('www               300', 'www            300').replace('www.a.example.    300', 'www.a.example. 300'));
});

const KEY = 'AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=';

test('long base64 is wrapped in parentheses, and the result is stable', () => {
  const text = `$ORIGIN example.com.\n@ 3600 IN DNSKEY 257 3 8 ${KEY} ; KSK\n`;
  const out = fmt(text);
  const pieces = KEY.match(/.{1,56}/g)!;
  assert.equal(out, [
    '$ORIGIN example.com.',
    '@ 3600 IN DNSKEY 257 3 8 (',
    ...pieces.map((p, k) => '                 ' + p + (k === pieces.length - 1 ? ' ) ; KSK' : '')),
    '',
  ].join('\n'));
  assert.deepEqual(records(out), records(text));
  assert.equal(fmt(out), out);
});

test('TLSA full data (matching type 0) is wrapped; a digest is not', () => {
  const hex = '302a300506032b6570032100' + '3d'.repeat(32); // an Ed25519 SubjectPublicKeyInfo
  const text = `$ORIGIN example.com.\n_443._tcp.www 300 IN TLSA 3 1 0 ${hex}\n_443._tcp.www 300 IN TLSA 3 1 1 ${'cd'.repeat(32)}\n`;
  assert.equal(fmt(text), [
    '$ORIGIN example.com.',
    '_443._tcp.www 300 IN TLSA 3 1 0 (',
    `${' '.repeat(26)}${hex.slice(0, 56)}`,
    `${' '.repeat(26)}${hex.slice(56)} )`,
    `_443._tcp.www 300 IN TLSA 3 1 1 ${'cd'.repeat(32)}`,
    '',
  ].join('\n'));
});

test('range formatting edits only the records in the range, with the document\'s columns', () => {
  const parsed = parseZone(INPUT);
  const start = INPUT.indexOf('ns1 AAAA');
  const edits = formatZone(parsed, INPUT, {}, { start, end: start + 3 });
  assert.equal(applyEdits(INPUT, edits), INPUT.replace('ns1 AAAA 2001:db8::53', 'ns1         AAAA 2001:db8::53'));
});

test('a zone with an unclosed parenthesis is not formatted', () => {
  const text = '$ORIGIN example.com.\n@ IN SOA ns1 h ( 1 2 3 4 5\nwww A 192.0.2.1\n';
  assert.deepEqual(formatZone(parseZone(text), text), []);
});

test('CRLF line ends are kept', () => {
  const text = INPUT.replace(/\n/g, '\r\n');
  const out = fmt(text);
  assert.equal(out, fmt(INPUT).replace(/\n/g, '\r\n'));
});

test('every example zone: same records, idempotent, comments kept', () => {
  const dir = path.join(ROOT, 'examples');
  const names = fs.readdirSync(dir).filter((n) => /\.(zone|signed)$/.test(n));
  assert.ok(names.length >= 3);
  for (const n of names) checkLossless(n, fs.readFileSync(path.join(dir, n), 'utf8'));
});

test('generated zones: same records, idempotent', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { generateZone } = require(path.join(ROOT, 'scripts', 'gen-zone.js')) as { generateZone: (n: number, o: object, w: (s: string) => void) => unknown };
  for (const [n, seed] of [[50, 1], [700, 7], [3000, 42]]) {
    let text = '';
    generateZone(n, { seed, origin: `gen${seed}.example.` }, (s) => { text += s; });
    checkLossless(`generated ${n}/${seed}`, text);
  }
});

test('the real root zone: same records, idempotent', (t) => {
  const file = path.join(ROOT, '..', 'shared', 'corpora', 'root-2023051100.zone');
  if (!fs.existsSync(file)) {
    t.skip(`${file} is absent (the corpora live beside the checkout in ../shared)`);
    return;
  }
  const text = fs.readFileSync(file, 'utf8');
  const once = fmt(text);
  assert.deepEqual(records(once), records(text));
  assert.equal(fmt(once), once);
  assert.ok(once.includes('\n.                                        518400 IN NS     a.root-servers.net.\n'), 'root NS aligned');
});

test('a token continued over an escaped newline is left as written', () => {
  const text = '$ORIGIN example.com.\n@ 300 TXT ( "a\\\n   b" ; c\n   "d" )\n';
  const out = fmt(text);
  assert.equal(out, '$ORIGIN example.com.\n@ 300 TXT ( "a\\\n   b" ; c\n          "d" )\n');
  assert.deepEqual(records(out), records(text));
});

test('the Knot zone-scanner test inputs: same records, same diagnostics, idempotent', (t) => {
  const dir = path.join(ROOT, '..', 'shared', 'conformance', 'knot-zscanner', 'data');
  if (!fs.existsSync(dir)) {
    t.skip(`${dir} is absent (the conformance data lives beside the checkout in ../shared)`);
    return;
  }
  const names = fs.readdirSync(dir).filter((n) => n.endsWith('.in'));
  assert.ok(names.length > 50);
  const diagnostics = (x: string) => parseZone(x).diagnostics.map((d) => `${d.code} ${d.message}`).sort();
  for (const n of names) {
    const text = fs.readFileSync(path.join(dir, n), 'latin1');
    for (const ownerStyle of ['keep', 'repeat', 'blank'] as const) {
      const once = fmt(text, { ownerStyle });
      assert.deepEqual(records(once), records(text), `${n} (${ownerStyle}): same records`);
      assert.deepEqual(diagnostics(once), diagnostics(text), `${n} (${ownerStyle}): same diagnostics`);
      assert.equal(fmt(once, { ownerStyle }), once, `${n} (${ownerStyle}): idempotent`);
    }
  }
});
