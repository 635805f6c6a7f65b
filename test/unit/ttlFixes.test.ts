import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/core/edits';
import { missingTtlFixes } from '../../server/src/core/features/ttlFixes';
import { parseZone } from '../../server/src/core/parser';
import { ZoneDiagnostic } from '../../server/src/core/types';

/**
 * `missing-ttl` quick fixes (features/ttlFixes.ts): each applied to the zone, the whole edited
 * text compared, and the zone parsed again to show the warning gone and every other record's TTL
 * unchanged.
 */

const missing = (text: string): ZoneDiagnostic[] => parseZone(text).diagnostics.filter((d) => d.code === 'missing-ttl');
const fixesFor = (text: string, d: ZoneDiagnostic) => missingTtlFixes(text, parseZone(text), d);
const ttls = (text: string) => parseZone(text).records.map((r) => `${text.slice(r.start, r.end).split(/\s+/)[0] || '(blank)'} ${r.typeName} ${r.ttl}`);

test('a record that inherits the previous record\'s TTL: the TTL is written on it, before its class, and nothing else changes', () => {
  const text = '$ORIGIN example.com.\n@ 600 SOA ns hm 1 7200 3600 1209600 300\nns 300 A 192.0.2.1\nwww IN A 192.0.2.80 ; web\nmail A 192.0.2.25\n';
  const [d, d2] = missing(text);
  assert.equal(text.slice(d.start, d.end), 'A');
  const fixes = fixesFor(text, d);
  assert.deepEqual(fixes.map((f) => [f.title, f.isPreferred]), [['Write the TTL this record inherits from the previous one (300) on it', true]]);
  const after = applyEdits(text, fixes[0].edits);
  assert.equal(after, '$ORIGIN example.com.\n@ 600 SOA ns hm 1 7200 3600 1209600 300\nns 300 A 192.0.2.1\nwww 300 IN A 192.0.2.80 ; web\nmail A 192.0.2.25\n');
  assert.deepEqual(ttls(after), ttls(text));
  assert.equal(missing(after).length, 1, 'the next record keeps its own warning');
  // Without a class, the TTL goes before the type; a blank owner stays blank.
  const second = applyEdits(text, fixesFor(text, d2)[0].edits);
  assert.ok(second.endsWith('\nmail 300 A 192.0.2.25\n'), second);
  const blank = '$ORIGIN example.com.\n@ 600 SOA ns hm 1 7200 3600 1209600 300\n  NS ns\n';
  assert.equal(applyEdits(blank, fixesFor(blank, missing(blank)[0])[0].edits), '$ORIGIN example.com.\n@ 600 SOA ns hm 1 7200 3600 1209600 300\n  600 NS ns\n');
});

test('no TTL known (no record before it has one): `$TTL 3600` above the first entry, below the header comment; or the TTL on the record', () => {
  const text = '; example.com\n$ORIGIN example.com.\n@ SOA ns hm 1 7200 3600 1209600 300\n@ 3600 NS ns\nns 300 A 192.0.2.1\n';
  const [d] = missing(text);
  assert.equal(missing(text).length, 1);
  const fixes = fixesFor(text, d);
  assert.deepEqual(fixes.map((f) => [f.title, f.isPreferred]), [
    ['Add `$TTL 3600` at the top of the file (the TTL of every record without one)', true],
    ['Write a TTL (3600) on this record', undefined],
  ]);
  const top = applyEdits(text, fixes[0].edits);
  assert.equal(top, '; example.com\n$TTL 3600\n$ORIGIN example.com.\n@ SOA ns hm 1 7200 3600 1209600 300\n@ 3600 NS ns\nns 300 A 192.0.2.1\n');
  assert.deepEqual(missing(top), []);
  assert.deepEqual(ttls(top), ['@ SOA 3600', '@ NS 3600', 'ns A 300']);
  const onRecord = applyEdits(text, fixes[1].edits);
  assert.equal(onRecord, '; example.com\n$ORIGIN example.com.\n@ 3600 SOA ns hm 1 7200 3600 1209600 300\n@ 3600 NS ns\nns 300 A 192.0.2.1\n');
  assert.deepEqual(missing(onRecord), []);
  // CRLF files get a CRLF line.
  const crlf = text.replace(/\n/g, '\r\n');
  assert.ok(applyEdits(crlf, fixesFor(crlf, missing(crlf)[0])[0].edits).startsWith('; example.com\r\n$TTL 3600\r\n$ORIGIN'));
});

test('`$TTL` at the top is not offered when a record before the first $TTL inherits a TTL (it would change); the record fix still is', () => {
  const text = '$ORIGIN example.com.\n@ SOA ns hm 1 7200 3600 1209600 300\nns 300 A 192.0.2.1\nwww A 192.0.2.80\n';
  const [first] = missing(text);
  assert.deepEqual(fixesFor(text, first).map((f) => f.title), ['Write a TTL (3600) on this record']);
  // After a $TTL, later records do not count: it is offered.
  const later = '$ORIGIN example.com.\n@ SOA ns hm 1 7200 3600 1209600 300\n$TTL 300\nwww A 192.0.2.80\n';
  assert.deepEqual(fixesFor(later, missing(later)[0]).map((f) => f.title)[0], 'Add `$TTL 3600` at the top of the file (the TTL of every record without one)');
});

test('no fix for another code, for a diagnostic from an included file, or once the record has a TTL (stale diagnostic)', () => {
  const text = '$ORIGIN example.com.\n@ SOA ns hm 1 7200 3600 1209600 300\n';
  const [d] = missing(text);
  assert.deepEqual(fixesFor(text, { ...d, code: 'invalid-ttl' }), []);
  assert.deepEqual(fixesFor(text, { ...d, includedFrom: 'other.zone' }), []);
  const fixed = '$ORIGIN example.com.\n@ 300 SOA ns hm 1 7200 3600 1209600 300\n';
  assert.deepEqual(missingTtlFixes(fixed, parseZone(fixed), { ...d, start: d.start + 4, end: d.end + 4 }), []);
});
