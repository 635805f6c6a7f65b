/**
 * The open document keeps its records without token objects (pipeline/compactRecord.ts), with
 * offsets relative to their chunk (documentChunks.ts): an edit before a chunk moves the chunk's
 * start, and its records' offsets and tokens are read from it. They must read exactly what a
 * fresh parse of the edited text reads (ranges and texts), stay the same objects (the DNSSEC
 * cache knows unchanged records by identity), and answer hovers as a fresh parse does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZoneDocument } from '../../server/src/core/document';
import { analyzeZone } from '../../server/src/core/analysis';
import { hover } from '../../server/src/core/features/hover';
import { CompactRecord } from '../../server/src/core/pipeline/compactRecord';
import { ENTRIES_PER_CHUNK } from '../../server/src/core/documentChunks';
import { ZoneRecord } from '../../server/src/core/model';
import { Token, ZoneIO } from '../../server/src/core/types';

const D1 = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';
const now = new Date('2026-06-01T00:00:00Z');
const io: ZoneIO = {
  readFile: (p) => { if (p === '/z/inc.zone') return 'inc A 192.0.2.7\n  TXT "included"\n'; throw new Error('no such file'); },
  resolvePath: (_from, p) => (p.startsWith('/') ? p : '/z/' + p),
  now: () => now,
};
const options = { now, io, fileName: '/z/main.zone' };

/** A zone of several chunks, with every shape of entry a compact record must read again. */
function zone(): string {
  const lines = ['$ORIGIN example.com.', '$TTL 3600', '@ SOA ns1 host 1 7200 3600 1209600 300', '  NS ns1', '  MX 10 mx1', 'ns1 A 192.0.2.1'];
  for (let i = 0; i < 3 * ENTRIES_PER_CHUNK; i++) {
    switch (i % 8) {
      case 0: lines.push(`h${i} A 192.0.2.${i % 250}`); break;
      case 1: lines.push(`  AAAA 2001:db8::${i.toString(16)}`); break;
      case 2: lines.push(`(mx${i} 300 IN A 192.0.2.9)`); break;
      case 3: lines.push(`_25._tcp.mx${i - 1} IN 300 TLSA ( 3 1 1 ; the key`, `    ${D1.slice(0, 32)}`, `    ${D1.slice(32)} )`); break;
      case 4: lines.push(`t${i} TXT "v=spf1 -all" "two"\r`); break;
      case 5: lines.push(`m${i} ${'0'.repeat(300)}300 MX 20 mx1`); break;
      case 6: lines.push(`"q${i}" A 192.0.2.3`, `c${i} CNAME h${i - 6}`); break;
      default: lines.push(i === 7 ? '$INCLUDE inc.zone' : '$GENERATE 1-2 g$ A 10.0.0.$', `x${i} BOGUS 1`);
    }
  }
  return lines.join('\n') + '\n';
}

const tok = (t: Token | undefined) => (t ? `${t.start}-${t.end}${t.quoted ? 'q' : ''}:${t.text}` : '-');
const shape = (r: ZoneRecord) =>
  `${r.start}-${r.end} ${r.ownerKey} ${r.typeCode} ${r.ttl} ${r.ok} ${[r.ownerToken, r.ttlToken, r.classToken, r.typeToken].map(tok).join(' ')} [${r.rdata.map(tok).join(' ')}]`;

test('the document keeps compact records for the text\'s own records; $INCLUDE, $GENERATE and quoted owners stay as parsed', () => {
  const doc = new ZoneDocument(zone(), options);
  const records = doc.parsed.records;
  const compact = records.filter((r) => r instanceof CompactRecord);
  assert.ok(compact.length > 2 * ENTRIES_PER_CHUNK, `${compact.length} compact of ${records.length}`);
  for (const r of records) {
    const plain = r.includeFile !== undefined || r.owner.startsWith('g') || r.ownerToken?.quoted;
    assert.equal(r instanceof CompactRecord, !plain, shape(r));
  }
  assert.deepEqual(records.map(shape), analyzeZone(doc.text, options).parsed.records.map(shape));
});

test('after edits before them, compact records read the ranges and texts of a fresh parse, and stay the same objects', () => {
  const doc = new ZoneDocument(zone(), options);
  doc.diagnostics();
  const before = doc.parsed.records;
  const edits = [
    { start: doc.text.indexOf('h8 A'), end: doc.text.indexOf('h8 A'), text: 'inserted A 192.0.2.77\n' },
    { start: doc.text.indexOf('ns1 A'), end: doc.text.indexOf('ns1 A') + 3, text: 'name-server-one' },
    { start: 0, end: 0, text: '; a comment line\n\n' },
  ];
  for (const e of edits) {
    doc.update([e]);
    const fresh = analyzeZone(doc.text, options).parsed.records;
    const mine = doc.parsed.records;
    assert.deepEqual(mine.map(shape), fresh.map(shape));
  }
  // Records of chunks the edits did not re-parse are the objects they were.
  const after = doc.parsed.records;
  const same = after.filter((r) => before.includes(r));
  assert.ok(same.length > ENTRIES_PER_CHUNK, `${same.length} records kept`);
  // Tokens asked for before an edit are the same objects after it, moved.
  const last = [...after].reverse().find((r) => r instanceof CompactRecord && r.typeCode === 52)!;
  const owner = last.ownerToken!;
  const data = last.rdata;
  const was = [owner.start, data[3].start];
  doc.update([{ start: 5, end: 5, text: 'xyz' }]);
  assert.ok(doc.parsed.records.includes(last));
  assert.equal(last.ownerToken, owner);
  assert.equal(last.rdata, data);
  assert.deepEqual([owner.start, data[3].start], was.map((x) => x + 3));
  assert.equal(doc.text.slice(owner.start, owner.end), owner.text);
  for (const t of data) assert.equal(doc.text.slice(t.start, t.end), t.text);
});

test('a compact record\'s tokens are the same objects each time while it is among the recently read (completion compares them)', () => {
  const doc = new ZoneDocument(zone(), options);
  const r = doc.parsed.records.find((x) => x instanceof CompactRecord && x.classToken !== undefined)!;
  assert.equal(r.classToken, r.classToken);
  assert.equal(r.typeToken, r.typeToken);
  assert.equal(r.rdata, r.rdata);
  // Reading every record (as a zone stage does) lets go of the old ones' tokens: they are made again, equal.
  const shown = shape(r);
  for (let k = 0; k < 3; k++) for (const x of doc.parsed.records) void x.rdata;
  assert.equal(shape(r), shown);
});

test('hovers over records after an edit before them answer what a fresh parse answers', () => {
  const doc = new ZoneDocument(zone(), options);
  doc.diagnostics();
  const at = doc.text.indexOf('h16 A');
  doc.update([{ start: at, end: at, text: 'more 600 A 192.0.2.8\n' }]);
  const text = doc.text;
  const fresh = analyzeZone(text, options).parsed;
  const parsed = doc.parsed;
  for (const needle of ['_25._tcp.mx', '3 1 1', 'IN 300', 'MX 20', 'CNAME h', 'AAAA 2001', 'TXT "v=spf1', 'mx1']) {
    for (let from = 0, n = 0; n < 6; n++) {
      const p = text.indexOf(needle, from + 1);
      if (p < 0) break;
      from = p + Math.floor(text.length / 7);
      for (const q of [p, p + 1, p + needle.length - 1]) {
        assert.deepEqual(hover(parsed, text, q, { now }), hover(fresh, text, q, { now }), `${needle} at ${q}`);
      }
    }
  }
});
