/**
 * The streaming zone-wide checker's per-record facts in chunked columns (issue 13): the report and
 * TTL spans are packed beside each other, and the records whose spans do not fit (an $INCLUDE
 * line, a TTL far from its type) keep them exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FactColumns } from '../../server/src/core/checks/factColumns';
import { ZoneChecker } from '../../server/src/core/checks/zone';
import { checkOwner, factsOf } from '../../server/src/core/checks/ownerChecks';
import { parseZone } from '../../server/src/core/parser';

test('facts read back as pushed, across chunks, packed or not', () => {
  const rows = new FactColumns();
  const spans: number[][] = [];
  for (let i = 0; i < 140000; i++) {
    const start = 100 + 7 * i;
    // most fit; every 97th has a TTL 70,000 octets before it, every 89th a report span of 300 octets, every 83rd a TTL span after it
    const s = i % 97 === 0 ? [start, start + 2, start - 70000 < 0 ? 0 : start - 70000, start - 69990]
      : i % 89 === 0 ? [start, start + 300, start, start + 300]
        : i % 83 === 0 ? [start, start + 1, start + 5, start + 8]
          : [start, start + 1 + (i % 9), start - (i % 300), start - (i % 300) + (i % 11)];
    spans.push(s);
    assert.equal(rows.push((1 << 16) | (i % 60), i - 1, i * 3, i * 5, s[0], s[1], s[2], s[3]), i);
  }
  for (let i = 0; i < 140000; i += 1 + (i % 5)) {
    const s = spans[i];
    assert.equal(rows.typeClass(i), (1 << 16) | (i % 60));
    assert.equal(rows.ttl(i), i - 1);
    assert.equal(rows.h1(i), i * 3);
    assert.equal(rows.h2(i), i * 5);
    assert.equal(rows.next(i), -1);
    assert.deepEqual(rows.at(i), { start: s[0], end: s[1] }, `at ${i}`);
    assert.deepEqual(rows.ttlAt(i), { start: s[2], end: s[3] }, `ttlAt ${i}`);
  }
  rows.setNext(70000, 139999);
  assert.equal(rows.next(70000), 139999);
});

test('the checker reports where the document does, a TTL far before its type included', () => {
  const far = ' '.repeat(70000);
  const text = `$ORIGIN example.\n$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\nns 120 (${far} A 192.0.2.2 )\nns 300 IN A 192.0.2.1\nx TXT "a"\nx TXT "a"\n`;
  const parsed = parseZone(text);
  const checker = new ZoneChecker();
  for (const r of parsed.records) checker.add(r);
  const found = checker.finish(parsed.zoneOrigin);
  // the document's way: the facts of each owner's records made from their tokens
  const expected = ['ns.example.', 'x.example.'].flatMap((o) => checkOwner(o, parsed.records.filter((r) => r.ownerKey === o).map(factsOf), undefined, parsed.zoneOrigin));
  assert.deepEqual(found.map((d) => d.code).sort(), ['duplicate-record', 'duplicate-record', 'rrset-ttl-mismatch', 'rrset-ttl-mismatch']);
  assert.deepEqual(found, expected.sort((a, b) => a.start - b.start));
  const ttl = found.find((d) => d.code === 'rrset-ttl-mismatch')!;
  assert.equal(text.slice(ttl.start, ttl.end), '120');
});

test('owners told quiet while their records are added: the same findings as checkOwner on every owner, owners revisited and large ones included', () => {
  // a small random zone (fixed seed): few owners, few data, so RRsets, duplicates, TTL mismatches
  // and CNAMEs beside other data come up, with the records of an owner spread over the file
  let seed = 7;
  const rnd = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
  const owners = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  const data = ['A 192.0.2.1', 'A 192.0.2.2', 'TXT "x"', 'TXT "y"', 'MX 10 a', 'CNAME b', 'CNAME c',
    'RRSIG A 13 2 300 20300101000000 20200101000000 12345 example. AAAA', 'RRSIG A 13 2 300 20300101000000 20200101000000 12345 example. BBBB'];
  const lines = ['$ORIGIN example.', '$TTL 300', '@ SOA ns h 1 2 3 4 5', '@ NS ns'];
  // owners with one kind of finding each, their records apart: a TTL, a duplicate, a CNAME after other data; none for RRSIGs of two TTLs
  lines.push('ttl 300 A 192.0.2.1', 'dup TXT "a"', 'cn TXT "a"', 'sig 300 RRSIG A 13 2 300 20300101000000 20200101000000 12345 example. AAAA');
  for (let i = 0; i < 400; i++) lines.push(`${owners[rnd(owners.length)]} ${[300, 300, 600][rnd(3)]} ${data[rnd(data.length)]}`);
  lines.push('ttl 600 A 192.0.2.2', 'dup TXT "b"', 'dup TXT "a"', 'cn CNAME a', 'sig 600 RRSIG A 13 2 300 20300101000000 20200101000000 12345 example. BBBB');
  // a large owner (past the checker's limit for telling on the columns), quiet, then with one duplicate at its end
  for (let i = 0; i < 90; i++) lines.push(`big A 192.0.2.${i}`, `quiet A 192.0.2.${i}`);
  lines.push('big A 192.0.2.7');
  const text = lines.join('\n') + '\n';
  const parsed = parseZone(text);
  const checker = new ZoneChecker();
  for (const r of parsed.records) checker.add(r);
  const found = checker.finish(parsed.zoneOrigin);
  const keys = [...new Set(parsed.records.map((r) => r.ownerKey))];
  const expected = keys.flatMap((o) => checkOwner(o, parsed.records.filter((r) => r.ownerKey === o).map(factsOf), undefined, parsed.zoneOrigin));
  assert.ok(found.length > 20);
  for (const code of ['duplicate-record', 'rrset-ttl-mismatch', 'cname-and-other-data']) assert.ok(found.some((d) => d.code === code), code);
  assert.ok(found.some((d) => d.code === 'duplicate-record' && d.message.includes('record at big:')));
  assert.ok(!found.some((d) => /\bquiet\b/.test(d.message)));
  const about = (owner: string) => found.filter((d) => new RegExp(`\\b${owner}\\b`).test(d.message)).map((d) => d.code);
  assert.deepEqual(about('ttl'), ['rrset-ttl-mismatch']);
  assert.deepEqual(about('dup'), ['duplicate-record']);
  assert.deepEqual(about('cn'), ['cname-and-other-data', 'cname-and-other-data']);
  assert.deepEqual(about('sig'), []);
  assert.deepEqual(found, expected.sort((a, b) => a.start - b.start));
});
