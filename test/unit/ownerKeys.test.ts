/**
 * The zone-wide checker keeps owner names as octets in slabs, found by a 32-bit hash (issue 13:
 * no string or Map entry per owner on a million-record zone). Two names with the same hash stay
 * two owners; names that are not ASCII are kept as strings; the zone test reads the octets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Column, knownSuffix, OwnerKeys, stringHash, suffixHash } from '../../server/src/core/checks/ownerKeys';
import { ZoneChecker } from '../../server/src/core/checks/zone';
import { keyAtOrBelow } from '../../server/src/core/checks/zoneRulesCommon';
import { KeyHashSet } from '../../server/src/core/checks/targetHash';
import { analyzeZone, checkText } from '../../server/src/core/pipeline/run';
import { parseZone } from '../../server/src/core/parser';
import { rng } from '../support/seeded';

// Found by a birthday search: two names whose FNV-1a hashes are equal.
const SAME_HASH = ['h84337.example.', 'h1340180.example.'];

test('names with the same hash are two owners; each is found as itself', () => {
  assert.equal(stringHash(SAME_HASH[0]), stringHash(SAME_HASH[1]));
  const keys = new OwnerKeys();
  const a = keys.add(SAME_HASH[0]);
  assert.equal(keys.find(SAME_HASH[1]), -1);
  const b = keys.add(SAME_HASH[1]);
  assert.notEqual(a, b);
  assert.equal(keys.find(SAME_HASH[0]), a);
  assert.equal(keys.find(SAME_HASH[1]), b);
  assert.equal(keys.key(a), SAME_HASH[0]);
  assert.equal(keys.key(b), SAME_HASH[1]);
});

test('many keys (the table and the slabs grow), keys that are not ASCII, the zone test on octets', () => {
  const keys = new OwnerKeys();
  const names: string[] = [];
  for (let i = 0; i < 20000; i++) names.push(i % 1000 === 7 ? `caf\u00e9${i}.example.` : `host-${i}.sub${i % 7}.example.`);
  names.push('example.', 'x\\.example.', 'a.x\\.example.', '.', 'notexample.', 'b.' + 'x'.repeat(240) + '.example.');
  for (const n of names) assert.equal(keys.add(n), keys.size - 1);
  names.forEach((n, i) => {
    assert.equal(keys.find(n), i, n);
    assert.equal(keys.key(i), n);
    for (const zone of ['example.', 'sub3.example.', 'x\\.example.', '.', 'e.', 'xample.']) assert.equal(keys.atOrBelow(i, zone), keyAtOrBelow(n, zone), `${n} in ${zone}`);
  });
  assert.equal(keys.find('host-20000.sub0.example.'), -1);
});

test('maybeBelow: true for every key at or below a name hashed (or with a backslash), false for most others', () => {
  const keys = new OwnerKeys();
  const cuts = ['sub1.example.', 'deep.sub2.example.', 'x\\.y.example.'];
  const hashes = new Set(cuts.map(suffixHash));
  const typed = new KeyHashSet(cuts.length);
  for (const c of cuts) typed.add(suffixHash(c), 0);
  const names = ['example.', 'sub1.example.', 'a.sub1.example.', 'b.a.sub1.example.', 'asub1.example.', 'sub2.example.', 'deep.sub2.example.',
    'x.deep.sub2.example.', 'notdeep.sub2.example.', 'x\\.y.example.', 'z.x\\.y.example.', 'y.example.', 'other.', 'caf\u00e9.sub1.example.'];
  let falses = 0;
  for (const n of names) {
    const id = keys.add(n);
    const below = cuts.some((c) => keyAtOrBelow(n, c));
    const got = keys.maybeBelow(id, hashes);
    // the typed set the checker uses gives the same answers
    assert.equal(keys.maybeBelow(id, typed), got, n);
    if (below) assert.ok(got, n);
    if (!got) falses++;
    if (!n.includes('\\') && !/[^\x00-\x7f]/.test(n)) assert.equal(got, below, n);
    // the apex's suffixes looked up once: the same answers for the keys at or below it
    for (const apex of ['example.', 'sub2.example.']) if (keyAtOrBelow(n, apex)) assert.equal(keys.maybeBelow(id, hashes, knownSuffix(apex, hashes)), got, `${n} (${apex})`);
  }
  assert.equal(falses, 6); // example., asub1, sub2, notdeep.sub2, y.example., other.
});

test('a chunked column reads back what was set across chunks', () => {
  const c = new Column((n) => new Int32Array(n));
  for (let i = 0; i < 50000; i += 3) c.set(i, i - 25000);
  for (let i = 0; i < 50000; i += 3) assert.equal(c.get(i), i - 25000);
});

test('the checker keeps colliding owners apart: no false duplicate or CNAME finding', () => {
  const text = `$ORIGIN example.\n$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n${SAME_HASH[0]} CNAME ns\n${SAME_HASH[1]} A 192.0.2.9\n${SAME_HASH[1]} TXT "x"\n${SAME_HASH[0]} CNAME ns\nOut.Example.NET. A 192.0.2.2\nDup A 192.0.2.3\ndup A 192.0.2.3\n`;
  const codes = (ds: { code: string }[]) => ds.map((d) => d.code).sort();
  const checker = new ZoneChecker();
  const parsed = parseZone(text);
  for (const r of parsed.records) checker.add(r);
  const found = checker.finish(parsed.zoneOrigin);
  // out-of-zone (named as written); duplicates: the second CNAME, and `dup` (`Dup` and `dup` are one
  // owner); no cname-and-other-data, which the two names taken for one would give
  assert.deepEqual(codes(found), ['duplicate-record', 'duplicate-record', 'out-of-zone']);
  assert.match(found.find((d) => d.code === 'out-of-zone')!.message, /^Out\.Example\.NET\. is not in the zone/);
  assert.deepEqual(checker.hasType(SAME_HASH[0], 5), true);
  assert.deepEqual(checker.hasType(SAME_HASH[1], 5), false);
  assert.deepEqual(checkText(text, {}).diagnostics, analyzeZone(text, {}).diagnostics);
});

test('keys below the suffix (the apex) are held without it: the same answers as keys held whole', () => {
  const whole = new OwnerKeys();
  const short = new OwnerKeys();
  const names = ['before.example.', 'example.'];
  for (const n of names) { whole.add(n); short.add(n); }
  short.useSuffix('example.');
  short.useSuffix('other.'); // set once: ignored
  names.push(...SAME_HASH, 'example.', 'a.example.', 'b.a.example.', 'xexample.', 'x\\.example.', 'a\\\\.example.', 'caf\u00e9.example.', 'example.net.',
    'a.example.net.', '.', 'sub1.example.', 'deep.sub2.example.', 'x.deep.sub2.example.', 'y\\046z.example.', 'Z.example.');
  for (let i = 0; i < 3000; i++) names.push(`h${i}.sub${i % 3}.example.`);
  const cuts = ['sub1.example.', 'deep.sub2.example.', 'example.net.'];
  const hashes = new Set(cuts.map(suffixHash));
  const ids = names.map((n) => [whole.find(n) >= 0 ? whole.find(n) : whole.add(n), short.find(n) >= 0 ? short.find(n) : short.add(n)]);
  names.forEach((n, k) => {
    const [w, s] = ids[k];
    assert.equal(w, s, n);
    assert.equal(short.find(n), s, n);
    assert.equal(short.key(s), n);
    for (const zone of ['example.', 'sub2.example.', 'net.', 'example.net.', '.', 'e.']) assert.equal(short.atOrBelow(s, zone), keyAtOrBelow(n, zone), `${n} in ${zone}`);
    assert.equal(short.maybeBelow(s, hashes), whole.maybeBelow(w, hashes), n);
    for (const apex of ['example.', 'sub2.example.']) {
      if (keyAtOrBelow(n, apex)) assert.equal(short.maybeBelow(s, hashes, knownSuffix(apex, hashes)), whole.maybeBelow(w, hashes, knownSuffix(apex, hashes)), `${n} (${apex})`);
    }
  });
  // (the pair collides held short too: the octets before the suffix already have one FNV state)
  assert.equal(short.hash(SAME_HASH[0]), short.hash(SAME_HASH[1]));
  assert.notEqual(short.find(SAME_HASH[0]), short.find(SAME_HASH[1]));
  assert.equal(short.find('example.example.'), -1);
  assert.equal(short.find('h1.sub1.example.net.'), -1);
});

test('more keys than a slot has bits for their ids: the table is made again with wider ids, every key still found', () => {
  // 4 bits for an id (14 keys) instead of 24 (16M), to get there with few keys
  const keys = new OwnerKeys(0, 4);
  keys.add('example.');
  keys.useSuffix('example.');
  const names = [...SAME_HASH, 'caf\u00e9.example.', 'x\\.example.'];
  for (let i = 0; i < 3000; i++) names.push(`n${i}.example.`, `n${i}.other.`);
  for (const n of names) assert.equal(keys.intern(n), keys.size - 1, n);
  names.forEach((n, i) => {
    assert.equal(keys.find(n), i + 1, n);
    assert.equal(keys.intern(n), i + 1);
    assert.equal(keys.fresh, false);
    assert.equal(keys.key(i + 1), n);
  });
  assert.equal(keys.find('n3000.example.'), -1);
});

test('interning agrees with a map of every key: ids, fresh, find, key, through growth, the suffix and wider ids', () => {
  // (the table's bit per taken slot must follow the slots through every rebuild: a probe stops at a
  // slot whose bit is clear, so a bit lost or left set finds a key as absent, or a key as another)
  for (const seed of [1, 2, 3, 4]) {
    const random = rng(seed);
    const keys = new OwnerKeys(seed === 1 ? 0 : 200, seed === 4 ? 6 : 24);
    const model = new Map<string, number>();
    const made: string[] = [];
    const name = (): string => {
      const r = random();
      if (r < 0.05) return SAME_HASH[Math.floor(random() * 2)];
      if (r < 0.08) return `caf\u00e9${Math.floor(random() * 50)}.example.`;
      if (r < 0.11) return `x\\.${Math.floor(random() * 50)}.example.`;
      if (r < 0.4 && made.length > 0) return made[Math.floor(random() * made.length)];
      const zone = random() < 0.8 ? 'example.' : 'example.net.';
      return `h${Math.floor(random() * 1e6)}.s${Math.floor(random() * 5)}.${zone}`;
    };
    for (let i = 0; i < 6000; i++) {
      if (i === 700) keys.useSuffix('example.');
      const n = name();
      const known = model.get(n);
      assert.equal(keys.find(n), known ?? -1, n);
      const id = keys.intern(n);
      assert.equal(keys.fresh, known === undefined, n);
      assert.equal(id, known ?? model.size, n);
      if (known === undefined) { model.set(n, id); made.push(n); }
    }
    assert.equal(keys.size, model.size);
    for (const [n, id] of model) {
      assert.equal(keys.find(n), id, n);
      assert.equal(keys.key(id), n);
    }
    for (let i = 0; i < 500; i++) assert.equal(keys.find(`absent${i}.s${i % 5}.example.`), -1);
  }
});

test('a column reads 0 past what was set (chunks not made yet), and what was set, as an array would', () => {
  const c = new Column((n) => new Int32Array(n));
  const model: number[] = [];
  const random = rng(7);
  assert.equal(c.get(0), 0);
  assert.equal(c.get(1 << 20), 0);
  for (let k = 0; k < 5000; k++) {
    const i = Math.floor(random() * 200000);
    const v = (Math.floor(random() * 2 ** 32) | 0);
    c.set(i, v);
    model[i] = v;
    const j = Math.floor(random() * 400000);
    assert.equal(c.get(j), model[j] ?? 0, `${j}`);
  }
  model.forEach((v, i) => assert.equal(c.get(i), v));
});

test('the warm-up table (OwnerKeys.warm, run at the first table) leaves nothing in the tables made after it', () => {
  const k = new OwnerKeys(0);
  assert.equal(k.size, 0);
  assert.equal(k.find('w0.warm.'), -1);
  assert.equal(k.find('slab0.warm.'), -1);
  assert.equal(k.intern('w1.warm.'), 0);
  assert.equal(k.fresh, true);
  assert.equal(k.key(0), 'w1.warm.');
  // (no suffix carried over: a key below warm. is held whole)
  assert.equal(k.intern('a.warm.'), 1);
  assert.equal(k.key(1), 'a.warm.');
  assert.equal(k.hash('a.warm.'), stringHash('a.warm.'));
});
