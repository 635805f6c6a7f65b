import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseZone } from '../../server/src/core/parser';
import { completion, ZoneCompletion } from '../../server/src/core/features/completion';
import { cursor } from '../support/cursor';

/** A zone with one `|` cursor marker → the completion items there, sorted as an editor would. */
function completeAt(marked: string): { items: ZoneCompletion[]; text: string; offset: number } {
  const { text, offset } = cursor(marked);
  const items = completion(parseZone(text), text, offset);
  items.sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label) || a.label.localeCompare(b.label));
  return { items, text, offset };
}

const labels = (marked: string) => completeAt(marked).items.map((i) => i.label);

function item(marked: string, label: string): ZoneCompletion {
  const found = completeAt(marked).items.find((i) => i.label === label);
  assert.ok(found, `no item ${label} in: ${labels(marked).join(', ')}`);
  return found;
}

/** The text an item replaces. */
function replaced(marked: string, label: string): string {
  const { text } = completeAt(marked);
  const i = item(marked, label);
  assert.ok(i.replaceStart !== undefined && i.replaceEnd !== undefined);
  return text.slice(i.replaceStart, i.replaceEnd);
}

const HEAD = '$ORIGIN example.com.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n';
const D256 = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';
const MAIL = [
  HEAD,
  '@ IN MX 10 mx1\n',
  '@ IN MX 20 mx2\n',
  '@ IN MX 30 mx.example.net.\n',
  'mx1 IN A 192.0.2.1\n',
  'mx2 IN A 192.0.2.2\n',
  `_25._tcp.mx2 IN TLSA 3 1 1 ${D256}\n`,
].join('');

// ---- TLSA field values ------------------------------------------------------------------

test('usage position: values with their acronyms, 3 first, presets for the whole record', () => {
  const marked = `${MAIL}_25._tcp.mx1 IN TLSA |\n`;
  const ls = labels(marked);
  assert.equal(ls[0], '3');
  assert.deepEqual(ls.filter((l) => /^\d+$/.test(l)), ['3', '2', '0', '1', '255']);
  assert.ok(ls.includes('3 1 1') && ls.includes('2 1 1'));
  const three = item(marked, '3');
  assert.match(three.detail!, /^DANE-EE — domain-issued certificate \(recommended\)$/);
  assert.match(three.documentation!, /DANE-EE[\s\S]*For SMTP/);
  assert.match(item(marked, '0').detail!, /PKIX-TA .*\(unusable for SMTP\)/);
  assert.equal(item(marked, '3 1 1').insertText, '3 1 1 ${1:hex}');
  assert.equal(item(marked, '3 1 1').isSnippet, true);
  assert.equal(item(marked, '3').kind, 'value');
});

test('selector and matching-type positions: 1 first', () => {
  assert.deepEqual(labels(`${MAIL}_25._tcp.mx1 IN TLSA 3 |\n`), ['1', '0', '255']);
  assert.match(item(`${MAIL}_25._tcp.mx1 IN TLSA 3 |\n`, '1').detail!, /^SPKI/);
  assert.deepEqual(labels(`${MAIL}_25._tcp.mx1 IN TLSA 3 1 |\n`), ['1', '2', '0', '255']);
  assert.match(item(`${MAIL}_25._tcp.mx1 IN TLSA 3 1 |\n`, '2').detail!, /^SHA2-512/);
});

test('typing over a value replaces that token', () => {
  const marked = `${MAIL}_25._tcp.mx1 IN TLSA 3 1 2| ${D256}\n`;
  assert.deepEqual(labels(marked), ['1', '2', '0', '255']);
  assert.equal(replaced(marked, '1'), '2');
  // at the usage with data after it: no whole-record presets
  assert.ok(!labels(`${MAIL}_25._tcp.mx1 IN TLSA 3| 1 1 ${D256}\n`).includes('3 1 1'));
});

test('no values at the association data; SMIMEA gets the same values without SMTP notes', () => {
  assert.deepEqual(labels(`${MAIL}_25._tcp.mx1 IN TLSA 3 1 1 |\n`), []);
  const sm = item(`${MAIL}abc._smimecert IN SMIMEA |\n`, '0');
  assert.ok(!sm.detail!.includes('SMTP'));
  assert.ok(!sm.documentation!.includes('For SMTP'));
});

test('values inside a parenthesised record on a later line', () => {
  assert.deepEqual(labels(`${MAIL}_25._tcp.mx1 IN TLSA (\n  3\n  |\n)\n`), ['1', '0', '255']);
});

// ---- record types and classes -----------------------------------------------------------

test('after the owner: types with field snippets and classes, IN first', () => {
  const marked = `${MAIL}www |\n`;
  const ls = labels(marked);
  assert.ok(ls.includes('IN') && ls.includes('CH'));
  assert.equal(ls[0], 'IN');
  assert.equal(item(marked, 'TLSA').insertText, 'TLSA ${1:3} ${2:1} ${3:1} ${4:hex}');
  assert.equal(item(marked, 'MX').insertText, 'MX ${1:preference} ${2:exchange}');
  assert.equal(item(marked, 'SOA').insertText, 'SOA ${1:primary server} ${2:responsible mailbox} ${3:serial} ${4:refresh} ${5:retry} ${6:expire} ${7:minimum}');
  assert.equal(item(marked, 'TLSA').kind, 'type');
  assert.match(item(marked, 'TLSA').documentation!, /TLSA <usage> <selector> <matching type> <association data>/);
  assert.equal(item(marked, 'MX').detail, 'Mail exchange');
});

test('after the class: types only; a TLSA owner puts TLSA first', () => {
  const ls = labels(`${MAIL}_25._tcp.mx1 IN |\n`);
  assert.equal(ls[0], 'TLSA');
  assert.ok(!ls.includes('IN'));
  assert.equal(labels(`${MAIL}abc._smimecert IN |\n`)[0], 'SMIMEA');
  const www = labels(`${MAIL}www 300 IN |\n`);
  assert.ok(www.indexOf('A') < www.indexOf('HINFO') && www.indexOf('HINFO') < www.indexOf('MD'), 'common types, then the rest, obsolete last');
});

test('typing a type replaces it; no field snippet when the record already has data', () => {
  const marked = `${MAIL}www IN TL|\n`;
  assert.equal(replaced(marked, 'TLSA'), 'TL');
  assert.equal(item(marked, 'TLSA').isSnippet, true);
  const editing = `${MAIL}www IN AA| 2001:db8::1\n`;
  assert.equal(replaced(editing, 'AAAA'), 'AA');
  assert.equal(item(editing, 'AAAA').insertText, undefined);
  // before an existing type: a class, not another type
  assert.deepEqual(labels(`${MAIL}www | A 192.0.2.1\n`), ['IN', 'CS', 'CH', 'HS']);
  assert.deepEqual(labels(`${MAIL}www | IN A 192.0.2.1\n`), []);
});

test('a line that starts with white space: types and classes', () => {
  const ls = labels(`${MAIL}    |\n`);
  assert.ok(ls.includes('IN') && ls.includes('TLSA') && ls.includes('A'));
  assert.ok(labels(`${MAIL}www IN A 192.0.2.1\n    IN TL|\n`).includes('TLSA'));
  // the previous owner applies: after a TLSA owner, TLSA comes first
  assert.equal(labels(`${MAIL}_25._tcp.mx1 IN TLSA 3 1 1 ${D256}\n    |\n`)[0], 'TLSA');
});

// ---- the start of a line -------------------------------------------------------------------

test('line start: TLSA owners for in-zone MX hosts without TLSA first, then directives', () => {
  const marked = `${MAIL}|\n`;
  const { items } = completeAt(marked);
  const ls = items.map((i) => i.label);
  assert.equal(ls[0], '_25._tcp.mx1');
  assert.ok(ls.indexOf('_25._tcp.mx2') > 0, 'mx2 already has TLSA: offered later');
  assert.ok(!ls.some((l) => l.includes('mx.example.net')), 'out-of-zone MX targets are not offered');
  const mx1 = item(marked, '_25._tcp.mx1');
  assert.equal(mx1.kind, 'name');
  assert.match(mx1.detail!, /MX host mx1 — no TLSA yet/);
  assert.equal(mx1.insertText, '_25._tcp.mx1 IN TLSA ${1:3} ${2:1} ${3:1} ${4:hex}');
  assert.match(item(marked, '_25._tcp.mx2').detail!, /already has 1 TLSA record/);
  for (const d of ['$ORIGIN', '$TTL', '$INCLUDE', '$GENERATE']) assert.ok(ls.includes(d), d);
  assert.equal(item(marked, '$TTL').insertText, '\\$TTL ${1:3600}');
  assert.match(item(marked, '$ORIGIN').documentation!, /Sets the origin/);
  assert.match(item(marked, '; dane-zone dnssec=').insertText!, /dnssec=\$\{1\|signed,unsigned,inline\|\}/);
  assert.ok(!labels(`; dane-zone dnssec=signed\n${MAIL}|\n`).includes('; dane-zone dnssec='), 'already declared');
});

test('TLSA owners are relative to the origin in force; absolute outside it', () => {
  const ls = labels(`${MAIL}$ORIGIN sub.example.com.\n|\n`);
  assert.ok(ls.includes('_25._tcp.mx1.example.com.'), ls.join(', '));
  const noOrigin = '@ 3600 IN SOA ns1.example.org. h.example.org. 1 2 3 4 5\n';
  assert.ok(labels(`$ORIGIN example.org.\n${noOrigin}@ IN MX 10 mail\n|\n`).includes('_25._tcp.mail'));
});

test('TLSA owners for SRV targets (RFC 7673)', () => {
  const marked = `${MAIL}_submission._tcp IN SRV 0 1 587 mx1\n|\n`;
  const i = item(marked, '_587._tcp.mx1');
  assert.match(i.detail!, /SRV target mx1 port 587/);
});

test('typing an owner: TLSA owners replace the word; directives only after `$`', () => {
  const marked = `${MAIL}_25|\n`;
  assert.equal(replaced(marked, '_25._tcp.mx1'), '_25');
  assert.ok(!labels(marked).includes('$TTL'));
  const dir = `${MAIL}$TT|\n`;
  assert.deepEqual(labels(dir), ['$ORIGIN', '$TTL', '$INCLUDE', '$GENERATE']);
  assert.equal(replaced(dir, '$TTL'), '$TT');
  // an owner in front of an existing record: just the name
  assert.equal(item(`${MAIL}_25._tcp.m| IN TLSA 3 1 1 ${D256}\n`, '_25._tcp.mx1').insertText, undefined);
});

// ---- other fields --------------------------------------------------------------------------

test('name fields offer this zone\'s hosts; algorithms and types where the field wants them', () => {
  const ls = labels(`${MAIL}@ IN MX 40 |\n`);
  assert.ok(ls.includes('mx1') && ls.includes('mx2'));
  const alg = item(`${MAIL}@ IN DS 12345 |\n`, '13');
  assert.equal(alg.detail, 'ECDSAP256SHA256');
  assert.ok(labels(`${MAIL}@ IN RRSIG |\n`).includes('TLSA'));
  assert.deepEqual(labels(`${MAIL}www IN A |\n`), []);
});

// ---- comments -----------------------------------------------------------------------------

test('in a comment: nothing, except `; dane-zone` keys and values', () => {
  assert.deepEqual(labels(`${MAIL}; just a com|ment\n`), []);
  assert.deepEqual(labels(`${MAIL}www IN A 192.0.2.1 ; x|\n`), []);
  assert.deepEqual(labels(`${MAIL}; dane-zone |\n`), ['dnssec=', 'disable=', 'cert=', 'mta-sts=', 'next=']);
  assert.deepEqual(labels(`${MAIL}; dane-zone dnssec=|\n`), ['inline', 'signed', 'unsigned']);
  const dis = `${MAIL}; dane-zone disable=tlsa-orphan,tl|\n`;
  assert.ok(labels(dis).includes('tlsa-single-record'));
  assert.equal(replaced(dis, 'tlsa-single-record'), 'tl');
  assert.deepEqual(labels(`${MAIL}; dane-z|\n`), ['; dane-zone']);
  assert.deepEqual(labels(`${MAIL}www IN A 192.0.2.1 ; dane-z|\n`), [], 'not in a trailing comment');
});

// ---- robustness ------------------------------------------------------------------------------

test('any offset in any text: no throw, replace ranges inside the text', () => {
  const junk = Array.from({ length: 600 }, (_, i) => String.fromCharCode((i * 7919 + 13) % 256)).join('');
  const texts = [
    '',
    junk,
    `${MAIL}_25._tcp.mx1 IN TLSA 3 1 1 ( ${D256}\n; comment\n`,
    `${HEAD}_25._tcp.mx1 IN TLSA\n_25._tcp IN TLSA 3\n  IN TLSA x y z "q"\n@ IN MX\n$ORIGIN\n$TTL\n$INCLUDE\n; dane-zone\n; dane-zone =\n`,
    `\t\t\n ( ) \n"unterminated\n\\# 3 ab\n@ IN TYPE52 \\# 3 030101\n_25._tcp.x. IN TLSA 3 1 1 \\# 2\n`,
  ];
  for (const text of texts) {
    const parsed = parseZone(text);
    for (const o of [-5, NaN, Infinity, text.length + 10]) assert.doesNotThrow(() => completion(parsed, text, o));
    for (let o = 0; o <= text.length; o++) {
      for (const i of completion(parsed, text, o)) {
        assert.ok(i.label.length > 0);
        if (i.replaceStart !== undefined) {
          assert.ok(i.replaceStart <= o && o <= i.replaceEnd!, `${i.label}: range ${i.replaceStart}-${i.replaceEnd} misses ${o}`);
          assert.ok(i.replaceStart >= 0 && i.replaceEnd! <= text.length);
        }
      }
    }
  }
});
