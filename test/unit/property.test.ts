/**
 * Property tests of the parser's promises: parseZone never throws, whatever the input; every
 * span it returns (diagnostics, records, tokens, comments, folding ranges) lies within the
 * text; streaming mode sees the same records; and parse time grows about linearly with the
 * input. The checks (analyzeZone) must survive the same inputs.
 *
 * Inputs: random strings (any code point, lone surrogates, a zone-syntax alphabet, token
 * soup), random bytes decoded as latin1 and as UTF-8, mutations of a valid zone (insert,
 * delete, replace, duplicate, stray parentheses and quotes), pathological shapes (10,000
 * unclosed `(`, unterminated quotes, huge tokens), and junk megabytes. Speed numbers belong to
 * `npm run bench` (which also times the linear-growth shapes below); here nothing is timed:
 * growth is asserted on the parser's deterministic work count (core/work.ts), which a busy
 * machine cannot disturb.
 *
 * Environment: DANE_ZONE_FC_SEED=random (or a number) changes the fast-check seed;
 * DANE_ZONE_BIG_JUNK_MB sets the size of the one large junk run (default 16; 50 to match the
 * brief's 50 MB).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseZone } from '../../server/src/core/parser';
import { work } from '../../server/src/core/work';
import { analyzeZone } from '../../server/src/core/analysis';
import type { ParseOptions, ParsedZone, ZoneRecord } from '../../server/src/core/model';
import type { Span, ZoneIO } from '../../server/src/core/types';

const seed = process.env.DANE_ZONE_FC_SEED === 'random' ? undefined : Number(process.env.DANE_ZONE_FC_SEED ?? 4242);
const runs = (n: number) => ({ numRuns: n, seed });

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint']);

function spanOk(s: Span, len: number): boolean {
  return Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= len;
}

const show = (text: string) => JSON.stringify(text.length > 300 ? text.slice(0, 300) + '…' : text);

/** Every span of a parse result lies within [0, len]. Returns the first violation, or ''. */
function spanProblems(z: ParsedZone, len: number): string {
  for (const d of z.diagnostics) {
    if (!spanOk(d, len)) return `diagnostic ${d.code} [${d.start}, ${d.end}) outside [0, ${len}]`;
    if (typeof d.code !== 'string' || !d.code || !SEVERITIES.has(d.severity) || typeof d.message !== 'string' || !d.message) {
      return `malformed diagnostic ${JSON.stringify(d)}`;
    }
  }
  for (const r of z.records) {
    const p = recordProblem(r, len);
    if (p) return p;
  }
  for (const c of z.comments) if (!spanOk(c, len)) return `comment [${c.start}, ${c.end}) outside the text`;
  for (const m of z.multiLine) if (!spanOk(m, len)) return `multi-line span [${m.start}, ${m.end}) outside the text`;
  for (const d of z.directives) {
    if (!spanOk(d, len)) return `directive ${d.name} [${d.start}, ${d.end}) outside the text`;
    for (const t of [d.nameToken, ...d.args]) if (!spanOk(t, len)) return `directive token [${t.start}, ${t.end}) outside the text`;
  }
  return '';
}

function recordProblem(r: ZoneRecord, len: number): string {
  if (r.includeFile) return ''; // spans refer to the included file
  if (!spanOk(r, len)) return `record [${r.start}, ${r.end}) outside the text`;
  for (const t of [r.ownerToken, r.ttlToken, r.classToken, r.typeToken, ...r.rdata]) {
    if (t && !spanOk(t, len)) return `token ${JSON.stringify(t.text)} [${t.start}, ${t.end}) outside the text`;
  }
  if (typeof r.owner !== 'string' || typeof r.typeCode !== 'number' || typeof r.ok !== 'boolean') return `malformed record ${r.start}`;
  return '';
}

/** The invariants for one input. Throws an AssertionError naming the input. */
function check(text: string, options: ParseOptions = {}): ParsedZone {
  let z: ParsedZone;
  try {
    z = parseZone(text, options);
  } catch (e) {
    assert.fail(`parseZone threw ${(e as Error).stack}\non input ${show(text)}`);
  }
  const p = spanProblems(z, text.length);
  assert.equal(p, '', `${p}\non input ${show(text)}`);
  // Streaming mode sees the same records and the same diagnostics.
  const streamed: ZoneRecord[] = [];
  const s = parseZone(text, { ...options, onRecord: (r) => streamed.push(r) });
  assert.equal(s.records.length, 0, 'streaming mode must not collect records');
  assert.equal(streamed.length, z.records.length, `streaming saw ${streamed.length} records, batch ${z.records.length}, on ${show(text)}`);
  assert.equal(s.diagnostics.length, z.diagnostics.length, `streaming gave ${s.diagnostics.length} diagnostics, batch ${z.diagnostics.length}, on ${show(text)}`);
  // The checks must survive whatever the parser made of it.
  let a;
  try {
    a = analyzeZone(text, { ...options, now: new Date('2024-01-01T00:00:00Z') });
  } catch (e) {
    assert.fail(`analyzeZone threw ${(e as Error).stack}\non input ${show(text)}`);
  }
  for (const d of a.diagnostics) assert.ok(spanOk(d, text.length), `analyzeZone: ${d.code} [${d.start}, ${d.end}) outside [0, ${text.length}] on ${show(text)}`);
  return z;
}

// ---------------------------------------------------------------- inputs

const VALID = `$ORIGIN example.com.
$TTL 1h
; a valid zone with most of the syntax
@       IN  SOA ns1 hostmaster (
                2024010101 ; serial
                2h 1h 2w 5m )
        IN  NS  ns1
        IN  NS  ns2.example.net.
ns1     300 IN A 192.0.2.1
        IN  AAAA 2001:db8::1
www     IN  CNAME ns1
@       MX  10 mail
mail    A   192.0.2.25
_25._tcp.mail IN TLSA 3 1 1 ( 0123456789abcdef0123456789abcdef
                              0123456789abcdef0123456789abcdef )
_443._tcp.www TLSA 2 0 1 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
@       TXT "v=spf1 -all" "a \\"quoted\\" word" plain\\;text
@       CAA 0 issue "ca.example.net"
_sip._udp SRV 10 60 5060 sip
esc\\.aped\\032name  A 192.0.2.7
x       TYPE65534 \\# 3 abcdef
$GENERATE 1-5 host$ A 198.51.100.$
sub     NS ns.sub
ns.sub  A 192.0.2.53
`;

const ZONE_CHARS = [...'abcdefXYZ019 \t\t\n\n\r;()"\\$@.*-_:/#+=', '\u00e9', '\u20ac', '\ud800', '\udc00', '\u0000', '\u2028', '\ufeff'];
const zoneChars = fc.string({ unit: fc.constantFrom(...ZONE_CHARS), maxLength: 400 });
const WORDS = ['$ORIGIN', '$TTL', '$INCLUDE', '$GENERATE', '$FOO', '@', 'IN', 'CH', 'A', 'AAAA', 'MX', 'TXT', 'TLSA', 'SOA', 'NS',
  'CNAME', 'SRV', 'CAA', 'DS', 'RRSIG', 'NSEC', 'DNSKEY', 'TYPE65535', 'CLASS3', '\\#', '0', '3', '1', '255', '65536', '3600',
  '1h', '99999999999', 'example.com.', 'www', '_25._tcp.mail', '*.', '..', '\\', '\\0', '\\999', '"', '"x y"', '(', ')', ';',
  '192.0.2.1', '2001:db8::1', '::', 'deadbeef', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '1-3', '$', '${1,2,x}'];
const soup = fc
  .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(' ', ' ', '\t', '\n', '\n\t', '\r\n', '')), { maxLength: 80 })
  .map((xs) => xs.map(([w, s]) => w + s).join(''));

type Mutation = { kind: 'insert' | 'delete' | 'replace' | 'dup'; at: number; len: number; chars: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('insert', 'delete', 'replace', 'dup'),
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 40 }),
  chars: fc.string({ unit: fc.constantFrom(...ZONE_CHARS, '(', ')', '"', '"', '\\'), minLength: 1, maxLength: 4 }),
}) as fc.Arbitrary<Mutation>;

function mutate(text: string, ms: Mutation[]): string {
  for (const m of ms) {
    const at = text.length === 0 ? 0 : m.at % (text.length + 1);
    if (m.kind === 'insert') text = text.slice(0, at) + m.chars + text.slice(at);
    else if (m.kind === 'delete') text = text.slice(0, at) + text.slice(at + m.len);
    else if (m.kind === 'replace') text = text.slice(0, at) + m.chars + text.slice(at + m.chars.length);
    else text = text.slice(0, at) + text.slice(at, at + m.len) + text.slice(at);
  }
  return text;
}

// ---------------------------------------------------------------- properties

test('the valid base zone parses without errors (so mutations start from a clean state)', () => {
  const z = check(VALID);
  assert.deepEqual(z.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`), []);
  assert.equal(z.records.length, 22);
});

test('random strings of any code points', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => { check(s); }), runs(300));
});

test('random strings over the zone-file alphabet (with lone surrogates, NUL, BOM)', () => {
  fc.assert(fc.property(zoneChars, (s) => { check(s); }), runs(500));
  fc.assert(fc.property(zoneChars, (s) => { check(s, { origin: 'example.' }); }), runs(200));
});

test('token soup', () => {
  fc.assert(fc.property(soup, (s) => { check(s); }), runs(500));
  fc.assert(fc.property(soup, (s) => { check('$ORIGIN example.\n$TTL 60\n' + s); }), runs(300));
});

test('random bytes decoded as latin1 and as UTF-8', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
    check(Buffer.from(b).toString('latin1'));
    check(Buffer.from(b).toString('utf8'));
  }), runs(300));
});

test('mutations of a valid zone', () => {
  fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (ms) => { check(mutate(VALID, ms)); }), runs(600));
});

test('every prefix and every single-character deletion of the valid zone', () => {
  for (let i = 0; i <= VALID.length; i += 3) check(VALID.slice(0, i));
  for (let i = 0; i < VALID.length; i += 2) check(VALID.slice(0, i) + VALID.slice(i + 1));
});

test('pathological shapes: unbalanced parentheses, unterminated quotes, huge tokens', () => {
  const cases: [string, string][] = [
    ['10,000 unclosed (', 'a IN TXT ' + '('.repeat(10_000)],
    ['10,000 ( on their own lines', '@ IN SOA a b (\n'.repeat(10_000)],
    ['10,000 unmatched )', ')'.repeat(10_000) + '\nwww A 192.0.2.1\n'],
    ['( then the rest of a zone', '$ORIGIN example.\n@ IN SOA a b ( 1 2 3 4 5\n' + 'www A 192.0.2.1\n'.repeat(2000)],
    ['10,000 unterminated quotes', 'x TXT "abc\n'.repeat(10_000)],
    ['a quote then 100 KB', 'x TXT "' + 'a'.repeat(100_000)],
    ['backslash at the end', 'x TXT "abc\\'],
    ['backslash-newline in a string', 'x TXT "abc\\\ndef"\n'],
    ['1 MB token', 'a'.repeat(1 << 20)],
    ['100,000 backslashes', '\\'.repeat(100_001)],
    ['long name of many labels', 'a.'.repeat(5000) + ' A 192.0.2.1\n'],
    ['TXT with 50,000 strings', '@ TXT ' + '"x" '.repeat(50_000) + '\n'],
    ['TLSA with 200 KB of hex', '_443._tcp.www.example. 60 TLSA 3 1 1 ' + 'ab'.repeat(100_000) + '\n'],
    ['only white space and newlines', ' \t\r\n'.repeat(50_000)],
    ['CR only line ends', '$ORIGIN example.\r@ 60 A 192.0.2.1\r www 60 A 192.0.2.2\r'],
    ['NULs', '\u0000'.repeat(10_000)],
    ['$GENERATE with bad templates', '$GENERATE 1-100 ${1,2,x A 10.0.0.$\n$GENERATE 5-1 a A b\n$GENERATE 0-4294967295 h$ A 10.0.0.1\n'],
    ['$INCLUDE without io', '$INCLUDE /etc/passwd\n$INCLUDE\n'],
    ['directives without arguments', '$ORIGIN\n$TTL\n$TTL 1x\n$ORIGIN ..\n'],
    ['many owners with no origin', 'www A 1.2.3.4\n'.repeat(5000)],
  ];
  for (const [name, text] of cases) {
    const w0 = work.steps;
    check(text);
    // check() parses three times (plain, streaming, analyzeZone): a hang or a re-scan shows here.
    const steps = work.steps - w0;
    assert.ok(steps <= 3 * (4 * text.length + 1000), `${name}: ${steps} steps of work for ${text.length} characters`);
  }
});

test('$INCLUDE of broken files through a fake io (spans stay in the including document)', () => {
  const files: Record<string, string> = {
    '/z/a.zone': 'www A 192.0.2.1\n(\nbad!name A 1\n"unterminated\n$INCLUDE b.zone\n',
    '/z/b.zone': '$INCLUDE a.zone\nx TXT "ok"\n', // a cycle
  };
  const io: ZoneIO = {
    readFile: (p) => { if (!(p in files)) throw new Error(`ENOENT: ${p}`); return files[p]; },
    resolvePath: (from, p) => (p.startsWith('/') ? p : path.posix.join(path.posix.dirname(from ?? '/z/main.zone'), p)),
    now: () => new Date('2024-01-01T00:00:00Z'),
  };
  const main = '$ORIGIN example.\n$TTL 60\n$INCLUDE a.zone\n$INCLUDE missing.zone\n$INCLUDE b.zone sub\n';
  check(main, { io, fileName: '/z/main.zone' });
  fc.assert(fc.property(fc.array(mutation, { maxLength: 6 }), fc.array(mutation, { maxLength: 6 }), (m1, m2) => {
    const saved = { ...files };
    files['/z/a.zone'] = mutate(saved['/z/a.zone'], m1);
    try { check(mutate(main, m2), { io, fileName: '/z/main.zone' }); } finally { Object.assign(files, saved); }
  }), runs(200));
});

// ---------------------------------------------------------------- junk megabytes

/** Deterministic junk of `bytes` characters: random bytes (latin1), UTF-8 noise, token soup and zone lines mixed. */
function junk(bytes: number, seedValue: number): string {
  let s = seedValue >>> 0 || 1;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
  const parts: string[] = [];
  let n = 0;
  const lines = VALID.split('\n');
  while (n < bytes) {
    let p: string;
    switch (rnd() % 4) {
      case 0: { const b = Buffer.alloc(64 + (rnd() % 512)); for (let i = 0; i < b.length; i++) b[i] = rnd() & 255; p = b.toString('latin1'); break; }
      case 1: { const b = Buffer.alloc(64 + (rnd() % 512)); for (let i = 0; i < b.length; i++) b[i] = rnd() & 255; p = b.toString('utf8'); break; }
      case 2: { p = ''; for (let i = 0; i < 40; i++) p += WORDS[rnd() % WORDS.length] + [' ', '\t', '\n'][rnd() % 3]; break; }
      default: { p = ''; for (let i = 0; i < 20; i++) p += lines[rnd() % lines.length] + '\n'; }
    }
    parts.push(p);
    n += p.length;
  }
  return parts.join('').slice(0, bytes);
}

test('junk: 1 MB in four flavours', () => {
  for (let k = 1; k <= 4; k++) check(junk(1 << 20, k));
});

test('junk: one large run', () => {
  const mb = Number(process.env.DANE_ZONE_BIG_JUNK_MB ?? 16);
  const text = junk(Math.round(mb * (1 << 20)), 99);
  const w0 = work.steps;
  const z = parseZone(text);
  const steps = work.steps - w0;
  assert.equal(spanProblems(z, text.length), '');
  // Not a speed test: the work count catches a hang or a re-scan (each character is looked at a few times at most).
  assert.ok(steps < 4 * text.length, `${mb} MB of junk took ${steps} steps of work`);
});

// ---------------------------------------------------------------- linear time

function repoRoot(): string {
  let d = __dirname;
  while (!fs.existsSync(path.join(d, 'package.json')) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}

function validZone(records: number): string {
  // The benchmark's generator (deterministic), as a module.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { generateZone } = require(path.join(repoRoot(), 'scripts', 'gen-zone.js')) as {
    generateZone: (n: number, o: { origin?: string; seed?: number }, w: (c: string) => void) => unknown;
  };
  const chunks: string[] = [];
  generateZone(records, { origin: 'bench.example.', seed: 7 }, (c) => chunks.push(c));
  return chunks.join('');
}

/** The parser's work count (core/work.ts) for one parseZone: deterministic, unlike a time. */
function workOf(text: string, options: ParseOptions): number {
  const w0 = work.steps;
  parseZone(text, options);
  return work.steps - w0;
}

/**
 * The ratio work(4n) / work(n) for the shape `make` at n = 5,000: linear gives 4 (plus a
 * constant), quadratic 16; callers accept < 5. The benchmark times the same shapes.
 */
function growth(make: (n: number) => string, options: ParseOptions = {}): { n: number; chars: number; t1: number; t4: number; ratio: number } {
  const n = 5000;
  const small = make(n);
  const t1 = workOf(small, options);
  const t4 = workOf(make(4 * n), options);
  return { n, chars: small.length, t1, t4, ratio: t4 / t1 };
}

const shapes: [string, (n: number) => string, ParseOptions?][] = [
  ['valid generated zone (records)', (n) => validZone(n)],
  ['junk (bytes)', (n) => junk(n, 5)],
  ['unclosed ( (count)', (n) => 'a IN TXT ' + '('.repeat(n)],
  ['( then n lines read as one record', (n) => '@ IN SOA a b (\n' + 'www A 192.0.2.1\n'.repeat(n)],
  ['unterminated quotes (lines)', (n) => 'x TXT "abc\n'.repeat(n)],
  ['one error per line (lines)', (n) => 'bad!name A 1.2.3\n'.repeat(n)],
  ['TXT strings in one record (count)', (n) => '@ 60 TXT ' + '"x" '.repeat(n) + '\n'],
  ['blank-owner records (lines)', (n) => 'a.example. 60 A 192.0.2.1\n' + '  60 A 192.0.2.2\n'.repeat(n)],
  ['records with the same owner, one RRset (lines)', (n) => Array.from({ length: n }, (_, i) => `a.example. 60 TXT "${i}"\n`).join('')],
];

for (const [name, make, options] of shapes) {
  test(`parse time is about linear: ${name}`, () => {
    const g = growth(make, options);
    assert.ok(g.ratio < 5, `${name}: n=${g.n} (${g.chars} chars) took ${g.t1} steps of work, 4n took ${g.t4}: ratio ${g.ratio.toFixed(2)} (linear ≈ 4)`);
  });
}

test('parse time is about linear with an $INCLUDEd file full of errors', () => {
  const files = new Map<string, string>();
  const io: ZoneIO = { readFile: (p) => files.get(p) ?? '', resolvePath: (_f, p) => '/z/' + p, now: () => new Date(0) };
  // Each size gets its own main text, naming its own included file.
  const make = (n: number) => {
    files.set(`/z/inc${n}.zone`, 'bad!name A 1.2.3\n'.repeat(n));
    return `$ORIGIN example.\n$INCLUDE inc${n}.zone\n`;
  };
  const g = growth(make, { io, fileName: '/z/main.zone' });
  assert.ok(g.ratio < 5, `n=${g.n} lines: ${g.t1} steps of work, 4n: ${g.t4}: ratio ${g.ratio.toFixed(2)} (linear ≈ 4)`);
});

test('$GENERATE cannot turn a small file into millions of records', () => {
  // 300 lines (11 KB) that would expand to 19.7 million records without a document-wide cap.
  const text = '$ORIGIN example.\n$TTL 60\n' + Array.from({ length: 300 }, (_, i) => `$GENERATE 0-65535 h${i}-$ A 10.0.0.1`).join('\n') + '\n';
  const LIMIT = 1_000_000;
  let n = 0;
  const t0 = performance.now();
  try {
    parseZone(text, { onRecord: () => { if (++n > LIMIT) throw new Error('stop'); } });
  } catch (e) {
    if ((e as Error).message !== 'stop') throw e;
  }
  assert.ok(n <= LIMIT, `the ${text.length}-character file expanded to more than ${LIMIT} records (${(performance.now() - t0).toFixed(0)} ms before we stopped it)`);
});
