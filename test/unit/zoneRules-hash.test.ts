/**
 * The zone-rules stage looks targets up by key hashes read from the wire form (issue 11: the
 * rules cost next to nothing on a large zone): the hash of a name's wire form is the hash of its
 * key, whatever the case; names with escapes are not hashed (their key is made instead); the
 * streaming collector says which targets may be at a CNAME owner.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseZone } from '../../server/src/core/parser';
import { KEY_OCTET, keyHash, keyHash2, KeyHashSet, NOT_PLAIN, plainOctet, wireKeyAt, wireKeyHash } from '../../server/src/core/checks/targetHash';
import { RulesCollector } from '../../server/src/core/checks/zoneRules';

const records = (text: string) => parseZone('$ORIGIN example.\n$TTL 60\n' + text).records;

test('a name hashed from its wire form hashes as its key; escapes are not hashed', () => {
  const targets = ['mail', 'MAIL.Example.', 'a-b_c.*.x/y.z.', '.', 'xn--bcher-kva.example.', 'a\\.b', 'a\\032b', 'caf\\233'];
  for (const r of records(targets.map((t) => `m MX 10 ${t}\n`).join(''))) {
    const key = wireKeyAt(r.wire!, 2)!;
    const h = wireKeyHash(r.wire!, 2);
    if (/\\/.test(r.rdata[1].text)) { assert.equal(h, NOT_PLAIN, r.rdata[1].text); continue; }
    assert.equal(h, keyHash(key), key);
    // the pair: a set of owner keys finds the target by both hashes
    const set = new KeyHashSet(1);
    set.add(keyHash(key), keyHash2(key));
    assert.ok(set.has(h, keyHash2(key)), key);
    assert.ok(!set.has(h, keyHash2(key) ^ 1), key);
  }
});

test('KEY_OCTET (the wire readers\' table) is plainOctet with uppercase lowered, octet by octet', () => {
  for (let b = 0; b < 256; b++) {
    const old = plainOctet(b) ? (b >= 0x41 && b <= 0x5a ? b | 0x20 : b) : 0;
    assert.equal(KEY_OCTET[b], old, `octet ${b}`);
  }
});

test('wireKeyHash and wireKeyAt agree with the keys of names holding every octet', () => {
  // one label of each octet between two plain ones: NOT_PLAIN and a key by wireName exactly for the others
  for (let b = 1; b < 256; b++) {
    const w = Uint8Array.of(3, 0x61, b, 0x5a, 3, 0x63, 0x6f, 0x6d, 0);
    const key = wireKeyAt(w, 0);
    const h = wireKeyHash(w, 0);
    const lower = b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
    if (plainOctet(b)) {
      assert.equal(key, `a${String.fromCharCode(lower)}z.com.`, `octet ${b}`);
      assert.equal(h, keyHash(key!), `octet ${b}`);
    } else assert.equal(h, NOT_PLAIN, `octet ${b}`);
  }
});

test('the streaming collector names the targets at CNAME owners, and none when there are none', () => {
  const collect = (text: string) => {
    const c = new RulesCollector();
    for (const r of records(text)) c.add(r);
    return c.aliasTargets(c.cnames());
  };
  const zone = 'Alias CNAME host\nhost A 192.0.2.1\n';
  assert.equal(collect(zone + 'd MX 10 host\ns SRV 0 0 25 host\nd2 MX 10 other\n'), undefined);
  // an alias written two ways is one hash pair; an NS target is not the collector's
  assert.equal(collect(zone + 'd MX 10 alias\ns SRV 0 0 25 ALIAS.example.\n')?.size, 1);
  assert.equal(collect('d MX 10 alias\ns SRV 0 0 25 ALIAS.example.\n' + zone)?.size, 1);
  assert.equal(collect(zone + 'sub NS alias\n'), undefined);
  // a target with an escape is not hashed: the stage reads the targets again
  assert.equal(collect(zone + 'd MX 10 a\\.b\n')?.size, 0);
});
