import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/core/edits';
import { definitions, documentLinks, ownerSymbols, prepareRename, references, rename } from '../../server/src/core/features/navigation';
import { parseZone } from '../../server/src/core/parser';
import { cursor } from '../support/cursor';

/**
 * Navigation: fixtures are zone text with a cursor marker `|`; results are the texts at the
 * returned spans, and for rename the WHOLE resulting zone.
 */

const ZONE = [
  '$ORIGIN example.com.',
  '$TTL 300',
  '@ SOA ns1 hostmaster 1 7200 3600 1209600 300',
  '@ NS ns1',
  '@ NS ns2.example.net.',
  '@ MX 10 mail',
  '@ MX 20 mail.example.com.',
  'ns1 A 192.0.2.53',
  'mail A 192.0.2.25',
  '     AAAA 2001:db8::25',
  '_25._tcp.mail TLSA 3 1 1 2c20c9a237719fb2c0a678a0e0e0678f7f0178fa76f88802f702801dd88190ee',
  '_25._tcp.mail.example.com. TLSA 3 1 1 116543e88f805c107f71cb1e423047c8dfbf216f460a0da1570af8a2e793b8bf',
  'smtp CNAME mail',
  '_submission._tcp SRV 0 1 587 mail',
  '1.2.0.192.in-addr.arpa. PTR mail.example.com.',
  '',
].join('\n');

const at = (text: string, needle: string, delta = 1) => text.indexOf(needle) + delta;
const texts = (text: string, spans: { start: number; end: number }[]) => spans.map((s) => `${text.slice(s.start, s.end)}@${text.slice(0, s.start).split('\n').length}`);

test('definition: MX, CNAME, SRV, NS, PTR targets go to the owner records', () => {
  for (const needle of ['MX 10 mail', 'CNAME mail', '587 mail', 'PTR mail']) {
    const off = at(ZONE, needle, needle.length - 1);
    assert.deepEqual(texts(ZONE, definitions(parseZone(ZONE), off)), ['mail@9'], needle);
  }
  assert.deepEqual(texts(ZONE, definitions(parseZone(ZONE), at(ZONE, 'NS ns1', 4))), ['ns1@8']);
  assert.deepEqual(definitions(parseZone(ZONE), at(ZONE, 'ns2.example.net.', 2)), [], 'outside the zone: no definition');
});

test('definition: the base host of a TLSA owner goes to the host; an owner goes to its TLSA RRsets', () => {
  const { text, offset } = cursor(ZONE.replace('_25._tcp.mail TLSA', '_25._tcp.ma|il TLSA'));
  assert.deepEqual(texts(text, definitions(parseZone(text), offset)), ['mail@9']);
  const { text: t2, offset: o2 } = cursor(ZONE.replace('mail A 192', 'ma|il A 192'));
  assert.deepEqual(texts(t2, definitions(parseZone(t2), o2)), ['_25._tcp.mail@11', '_25._tcp.mail.example.com.@12']);
});

test('references and highlights of a name: owners, RDATA, TLSA hosts, every spelling', () => {
  const { text, offset } = cursor(ZONE.replace('CNAME mail', 'CNAME ma|il'));
  assert.deepEqual(texts(text, references(parseZone(text), offset).map((r) => r.span)),
    ['mail@6', 'mail.example.com.@7', 'mail@9', 'mail@11', 'mail.example.com.@12', 'mail@13', 'mail@14', 'mail.example.com.@15']);
  assert.deepEqual(references(parseZone(text), offset, false).filter((r) => r.definition), []);
});

test('rename updates every in-zone reference, keeping relative and absolute spellings', () => {
  const { text, offset } = cursor(ZONE.replace('mail A 192', 'm|ail A 192'));
  assert.deepEqual(prepareRename(parseZone(text), text, offset), { ok: true, span: { start: offset - 1, end: offset + 3 }, name: 'mail.example.com.', placeholder: 'mail' });
  const r = rename(parseZone(text), text, offset, 'mx');
  assert.ok(r.ok, r.ok ? '' : r.message);
  assert.equal(applyEdits(text, r.edits), ZONE
    .replace('@ MX 10 mail', '@ MX 10 mx')
    .replace('@ MX 20 mail.example.com.', '@ MX 20 mx.example.com.')
    .replace('mail A 192', 'mx A 192')
    .replace('_25._tcp.mail TLSA', '_25._tcp.mx TLSA')
    .replace('_25._tcp.mail.example.com. TLSA', '_25._tcp.mx.example.com. TLSA')
    .replace('CNAME mail', 'CNAME mx')
    .replace('587 mail', '587 mx')
    .replace('PTR mail.example.com.', 'PTR mx.example.com.'));
});

test('rename with escapes and case: the same name however it is spelled', () => {
  const src = '$ORIGIN example.com.\n@ SOA ns h 1 2 3 4 5\nM\\097il A 192.0.2.1\n@ MX 10 MAIL\nx CNAME mail.EXAMPLE.com.\n';
  const offset = src.indexOf('MAIL') + 1;
  const r = rename(parseZone(src), src, offset, 'post\\.box');
  assert.ok(r.ok, r.ok ? '' : r.message);
  assert.equal(applyEdits(src, r.edits), '$ORIGIN example.com.\n@ SOA ns h 1 2 3 4 5\npost\\.box A 192.0.2.1\n@ MX 10 post\\.box\nx CNAME post\\.box.example.com.\n');
});

test('rename keeps absolute spellings absolute under another $ORIGIN', () => {
  const src = '$ORIGIN example.com.\n@ SOA ns h 1 2 3 4 5\nwww A 192.0.2.1\n$ORIGIN sub.example.com.\nalias CNAME www.example.com.\n';
  const r = rename(parseZone(src), src, src.indexOf('www A') + 1, 'web');
  assert.ok(r.ok);
  assert.equal(applyEdits(src, r.edits), src.replace('www A', 'web A').replace('CNAME www.example.com.', 'CNAME web.example.com.'));
});

test('rename is refused outside the zone and at the apex, with a reason', () => {
  const p = parseZone(ZONE);
  const out = prepareRename(p, ZONE, at(ZONE, 'ns2.example.net.'));
  assert.ok(!out.ok && /outside the zone example\.com\./.test(out.message), JSON.stringify(out));
  const apex = prepareRename(p, ZONE, at(ZONE, '@ NS', 0));
  assert.ok(!apex.ok && /apex/.test(apex.message));
  const away = rename(p, ZONE, at(ZONE, 'mail A'), 'mail.example.org.');
  assert.ok(!away.ok && /not below the zone/.test(away.message));
  const bad = rename(p, ZONE, at(ZONE, 'mail A'), 'a..b');
  assert.ok(!bad.ok && /not a domain name/.test(bad.message));
});

test('document links: $INCLUDE and dane-zone cert=/next= paths', () => {
  const src = '$ORIGIN example.com.\n$INCLUDE keys/ksk.zone\n; dane-zone cert=certs/mx.pem next=certs/next.pem\n@ SOA ns h 1 2 3 4 5\n';
  const links = documentLinks(parseZone(src), (p) => '/zones/' + p);
  assert.deepEqual(links.map((l) => [src.slice(l.span.start, l.span.end), l.target]), [
    ['keys/ksk.zone', '/zones/keys/ksk.zone'],
    ['certs/mx.pem', '/zones/certs/mx.pem'],
    ['certs/next.pem', '/zones/certs/next.pem'],
  ]);
});

test('owner symbols: each owner once with its types, filtered by a case-insensitive query', () => {
  const p = parseZone(ZONE);
  assert.deepEqual(ownerSymbols(p, 'MAIL').map((s) => [s.name, s.types.join(' '), ZONE.slice(s.span.start, s.span.end)]), [
    ['mail.example.com.', 'A AAAA', 'mail'],
    ['_25._tcp.mail.example.com.', 'TLSA', '_25._tcp.mail'],
  ]);
  assert.equal(ownerSymbols(p, '').length, 7, '@, ns1, mail, _25._tcp.mail (two spellings), smtp, _submission._tcp, the PTR owner');
  assert.equal(ownerSymbols(p, '', 3).length, 3);
});
