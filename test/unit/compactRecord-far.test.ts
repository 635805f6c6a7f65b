/**
 * A compact record keeps its start and its head tokens' positions as 10-bit offsets from its
 * entry's start (pipeline/compactRecord.ts); a token further into its entry (a long comment or
 * blank run before it) is kept exactly instead. Such records must read the same ranges and
 * tokens as a fresh parse, streamed, in the document, and after edits that move their chunk.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseZone } from '../../server/src/core/parser';
import { ZoneDocument } from '../../server/src/core/document';
import { analyzeZone } from '../../server/src/core/analysis';
import { CompactRecord } from '../../server/src/core/pipeline/compactRecord';
import { ZoneRecord } from '../../server/src/core/model';
import { Token } from '../../server/src/core/types';

const tok = (t: Token | undefined) => (t ? `${t.start}-${t.end}${t.quoted ? 'q' : ''}:${t.text}` : '-');
const shape = (r: ZoneRecord) =>
  `${r.start}-${r.end} ${r.ownerKey} ${r.typeCode} ${r.ttl} ${r.ok} ${[r.ownerToken, r.ttlToken, r.classToken, r.typeToken].map(tok).join(' ')} [${r.rdata.map(tok).join(' ')}]`;

const far = (n: number) => [
  `near${n} A 192.0.2.${n}`,
  `far${n} ( ; ${'x'.repeat(1100)}`, `  300 IN A 192.0.2.${n} )`,
  `${' '.repeat(1030)}AAAA 2001:db8::${n}`,
  `(${' '.repeat(1020)}paren${n} ${' '.repeat(10)}TXT "t")`,
  `edge${n}${' '.repeat(1018 - String(n).length + (n % 2))}MX 10 near${n}`,
  `  IN ${'0'.repeat(1500)}60 TXT "long TTL"`,
];

function zone(): string {
  const lines = ['$ORIGIN example.com.', '$TTL 3600', '@ SOA ns1 host 1 7200 3600 1209600 300', '  NS ns1', 'ns1 A 192.0.2.1'];
  for (let i = 0; i < 300; i++) lines.push(...far(i));
  return lines.join('\n') + '\n';
}

test('records with head tokens far into their entry: the same ranges and tokens streamed as in a whole parse', () => {
  const text = zone();
  const plain = parseZone(text).records;
  const streamed: ZoneRecord[] = [];
  parseZone(text, { onRecord: (r) => { streamed.push(r); } });
  assert.ok(streamed.every((r) => r instanceof CompactRecord));
  assert.deepEqual(streamed.map(shape), plain.map(shape));
  // the edge case: an MX type token exactly at the largest offset packed, or just past it
  const edge = streamed.filter((r) => r.owner.startsWith('edge'));
  assert.ok(edge.some((r) => r.typeStart - r.start === 1022) && edge.some((r) => r.typeStart - r.start === 1023));
});

test('the document: records far into their entry read a fresh parse\'s ranges after edits before them', () => {
  const options = { now: new Date('2026-06-01T00:00:00Z') };
  const doc = new ZoneDocument(zone(), options);
  assert.deepEqual(doc.parsed.records.map(shape), analyzeZone(doc.text, options).parsed.records.map(shape));
  for (const at of ['ns1 A', 'far100 (', 'edge200 ']) {
    const p = doc.text.indexOf(at);
    doc.update([{ start: p, end: p, text: 'inserted A 192.0.2.77\n' + ' '.repeat(7) }]);
    assert.deepEqual(doc.parsed.records.map(shape), analyzeZone(doc.text, options).parsed.records.map(shape), at);
  }
});

// The record keeps its entry's length in 14 bits (longer: exactly aside), the lengths of its TTL,
// class and type tokens in 4 bits each (15: read from the entry), class and type in one number,
// the owner once when it is its own key, and its frame and origin in one object shared with the
// records before it that have both.
const fullShape = (r: ZoneRecord) => `${shape(r)} ${r.owner} ${r.classCode} ${r.origin}`;
/** A compact record's token ends read without its tokens, as its tokens' ends. */
const ends = (r: ZoneRecord) => {
  const c = r as CompactRecord;
  return `${c.ttlEnd}/${c.ttlToken?.end ?? -1} ${c.classEnd}/${c.classToken?.end ?? -1} ${c.typeEnd}/${c.typeToken?.end ?? -1}`;
};
const strings = (n: number) => Array.from({ length: n }, (_, i) => `"${String(i % 10).repeat(250)}"`).join(' ');

function longZone(cls: string): string {
  const lines = ['$ORIGIN Example.COM.', '$TTL 3600', `@ ${cls} SOA ns1 host 1 7200 3600 1209600 300`, `  ${cls} NS ns1`];
  for (let i = 0; i < 40; i++) {
    // (the origin changes now and then: records share their frame and origin while both stay)
    if (i % 7 === 3) lines.push(`$ORIGIN sub${i}.Example.COM.`);
    lines.push(`Mixed${i} ${'0'.repeat(i % 20)}7 ${cls} A 192.0.2.${i}`);
    lines.push(`lower${i} ${cls} TXT ( ${strings(i % 4 === 0 ? 66 : i % 4 === 2 ? 40 : 2)} )`);
    lines.push(`  ${'1'.repeat(1 + (i % 18))} ${cls} AAAA 2001:db8::${i}`);
  }
  return lines.join('\n') + '\n';
}

for (const cls of ['IN', 'CLASS40000']) {
  test(`long entries, long head tokens, mixed-case owners, class ${cls}: streamed and in the document as in a whole parse`, () => {
    const text = longZone(cls);
    const plain = parseZone(text).records;
    assert.ok(plain.some((r) => r.end - r.start > 16382) && plain.some((r) => r.owner !== r.ownerKey));
    const streamed: ZoneRecord[] = [];
    parseZone(text, { onRecord: (r) => { streamed.push(r); } });
    assert.ok(streamed.every((r) => r instanceof CompactRecord));
    assert.deepEqual(streamed.map(fullShape), plain.map(fullShape));
    for (const r of streamed) assert.equal(ends(r).split(' ').every((x) => x.split('/')[0] === x.split('/')[1]), true, ends(r));
    const options = { now: new Date('2026-06-01T00:00:00Z') };
    const doc = new ZoneDocument(text, options);
    assert.deepEqual(doc.parsed.records.map(fullShape), plain.map(fullShape));
    const p = doc.text.indexOf('lower8 ');
    doc.update([{ start: p, end: p, text: 'inserted A 192.0.2.77\n' }]);
    assert.deepEqual(doc.parsed.records.map(fullShape), analyzeZone(doc.text, options).parsed.records.map(fullShape));
  });
}
