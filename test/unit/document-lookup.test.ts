/**
 * The open document's lookups (core/documentOwners.ts, `ParsedZone.lookup`): the records at a
 * name and an MX target's records come from the owner index instead of a scan of every record;
 * they must answer exactly what the scan answers (the fuzz target checks it after every edit via
 * `lookupDisagreement`, test/support/lookups.ts). And the owner index is built in slices after an open: an edit made
 * while it is half built still ends in a fresh analysis's diagnostics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZoneDocument } from '../../server/src/core/document';
import { analyzeZone } from '../../server/src/core/analysis';
import { mxTargetOf, recordsOwnedBy } from '../../server/src/core/features/locate';
import { lookupDisagreement } from '../support/lookups';
import { ZoneDiagnostic } from '../../server/src/core/types';

const ZONE = [
  '$ORIGIN example.com.',
  '@ SOA ns1 host 1 2 3 4 5',
  '  NS ns1',
  '  MX 10 mail',
  '  MX 20 Mail.example.com.',
  '  MX 30 @',
  '  MX 40 mail.other.net.',
  '  MX 50 m\\097il',
  'sub MX 5 mail.example.com.',
  'mail A 192.0.2.1',
  'mail FOO bar',
  'mail TYPE65280 \\# 0',
  '_25._tcp.mail TLSA 3 1 1 ' + 'ab'.repeat(32),
  'ns1 A 192.0.2.53',
].join('\n') + '\n';

test('the document\'s lookups answer what a scan of its records answers, and only for their own version', () => {
  const doc = new ZoneDocument(ZONE);
  const first = doc.parsed;
  assert.equal(lookupDisagreement(first), '');
  // Unknown types are records at their name too; the MX target's records come in file order.
  assert.deepEqual(recordsOwnedBy(first, 'mail.example.com.').map((r) => r.typeCode), [1, 0, 65280]);
  assert.deepEqual(mxTargetOf(first, 'mail.example.com.')?.mx.map((m) => m.preference), ['10', '20', '50', '5']);
  const at = ZONE.indexOf('sub MX');
  doc.update([{ start: at, end: at + 3, text: 'mail' }]);
  // The old parse no longer matches the document: its lookups step aside and it is scanned.
  assert.equal(first.lookup!.recordsAt('mail.example.com.'), undefined);
  assert.equal(recordsOwnedBy(first, 'sub.example.com.').length, 1);
  const second = doc.parsed;
  assert.equal(lookupDisagreement(second), '');
  assert.deepEqual(recordsOwnedBy(second, 'mail.example.com.').map((r) => r.typeCode), [15, 1, 0, 65280]);
});

test('before the owner index is built (right after an open), the lookups scan the chunks not indexed yet instead of finishing the index', () => {
  const lines = [ZONE.trimEnd()];
  for (let i = 0; i < 600; i++) lines.push(i % 2 ? `h${i} MX 10 mail${i % 7 ? '' : '.example.com.'}` : `mail A 192.0.2.${i % 250}`);
  const doc = new ZoneDocument(lines.join('\n') + '\n');
  const index = (doc as unknown as { index: { complete: boolean } }).index;
  assert.equal(index.complete, false);
  assert.equal(lookupDisagreement(doc.parsed), '');
  assert.equal(recordsOwnedBy(doc.parsed, 'mail.example.com.').length, 303);
  assert.equal(index.complete, false, 'the lookups left the index to its slices');
  while (!doc.zoneStep()) { /* the index and the checks */ }
  assert.equal(index.complete, true);
  assert.equal(lookupDisagreement(doc.parsed), '');
});

const key = (d: ZoneDiagnostic) => `${d.start}-${d.end} ${d.code} ${d.message}`;

test('an edit while the owner index is still being built (in slices after the open) ends in a fresh analysis\'s diagnostics', () => {
  const lines = ['$ORIGIN big.example.', '@ SOA ns1 host 1 2 3 4 5', '  NS ns1', 'ns1 A 192.0.2.1'];
  for (let i = 0; i < 9000; i++) lines.push(i % 3 === 0 ? `h${i} MX 10 mx${i}` : i % 3 === 1 ? `h${i - 1} CNAME x` : `_25._tcp.mx${i - 2} TLSA 3 1 1 ${'cd'.repeat(32)}`);
  const text = lines.join('\n') + '\n';
  const doc = new ZoneDocument(text);
  // The syntax diagnostics do not wait for the index.
  assert.deepEqual(doc.syntaxDiagnostics().map(key), analyzeZone(text).parsed.diagnostics.map(key));
  assert.equal(doc.zoneStep(), false); // one slice of the index, far from all of it
  const at = text.indexOf('h6000 CNAME');
  doc.update([{ start: at, end: at + 'h6000 CNAME x'.length, text: 'h6000 A 192.0.2.9' }]);
  const again = text.indexOf('h30 MX');
  doc.update([{ start: again, end: again + 2, text: 'k30' }]);
  const fresh = analyzeZone(doc.text);
  assert.deepEqual(doc.diagnostics().map(key).sort(), fresh.diagnostics.map(key).sort());
  assert.ok(doc.diagnostics().some((d) => d.code === 'cname-and-other-data'), 'the zone-wide checks ran (CNAME and other data at h3, h9, …)');
});

test('a parse handed out after an edit shows current offsets however its lists are read (items are brought up to date when read)', () => {
  const lines = ['$ORIGIN lazy.example.', '@ SOA ns1 host 1 2 3 4 5', '  NS ns1', 'ns1 A 192.0.2.1', '; a comment', '$TTL 300'];
  for (let i = 0; i < 2000; i++) lines.push(`h${i} A 192.0.2.${i % 250}${i % 100 === 0 ? ' ; note' : ''}`, i % 500 === 0 ? `h${i} A 300.0.0.1` : `h${i} TXT "t"`);
  const text = lines.join('\n') + '\n';
  const doc = new ZoneDocument(text);
  doc.diagnostics();
  doc.update([{ start: text.indexOf('ns1 A'), end: text.indexOf('ns1 A'), text: 'x1 A 192.0.2.9\n' }]);
  const fresh = analyzeZone(doc.text).parsed;
  const p = doc.parsed;
  const at = (r: { start: number; end: number } | undefined) => r && `${r.start}-${r.end}`;
  // Single items, by index, far apart (each in its own chunk).
  for (const i of [3900, 5, 2000, p.records.length - 1]) assert.equal(at(p.records[i]), at(fresh.records[i]), `record ${i}`);
  assert.equal(p.records[3000].rdata.map(at).join(), fresh.records[3000].rdata.map(at).join());
  // Whole lists, through iteration, filter and slice.
  assert.deepEqual([...p.comments].map(at), fresh.comments.map(at));
  assert.deepEqual(p.diagnostics.filter(() => true).map(at), fresh.diagnostics.map(at));
  assert.deepEqual(p.directives.slice().map(at), fresh.directives.map(at));
  assert.equal(p.records.length, fresh.records.length);
});
