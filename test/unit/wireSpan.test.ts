/**
 * The parser's streamed records keep their wire form as a place in the writer's shared slab
 * (no view object per record), and the zone-wide checker and the zone rules read it there
 * (`wireSpanOf`): the octets, their hashes and the target hashes must be those of the record's
 * own `wire` view, for every record, across slab boundaries, and a read bounded by the record's
 * end must not run into the next record's octets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseZone } from '../../server/src/core/parser';
import { wireLength, wireOffset, wireSpanOf } from '../../server/src/core/pipeline/compactRecord';
import { hash1, hash2 } from '../../server/src/core/checks/ownerChecks';
import { NOT_PLAIN, wireHash2, wireKeyHash } from '../../server/src/core/checks/targetHash';
import { ZoneRecord } from '../../server/src/core/model';
import { getZoneLanguageService } from '../../server/src/core';
import { rng } from '../support/seeded';

/** Records of every fast-path shape and some of the general path, enough to fill several slabs. */
function zoneText(seed: number, n: number): string {
  const r = rng(seed);
  const hex = (k: number) => Array.from({ length: k }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('');
  const lines = ['$ORIGIN example.com.', '$TTL 3600', '@ SOA ns1 host 1 7200 3600 1209600 300', '@ NS ns1'];
  for (let i = 0; i < n; i++) {
    const o = `h${i}`;
    switch (Math.floor(r() * 10)) {
      case 0: lines.push(`${o} A 192.0.2.${i % 256}`); break;
      // an AAAA whose octets hold ':' (0x3a) right after an MX target in the slab
      case 1: lines.push(`${o} MX 10 mx${i}`, `${o} AAAA 3a3a::3a${(i % 255).toString(16)}`); break;
      case 2: lines.push(`${o} TXT "v=spf1 a mx -all" "x=${hex(1 + Math.floor(r() * 300))}"`); break;
      case 3: lines.push(`_25._tcp.${o} TLSA 3 1 1 ${hex(64)}`); break;
      case 4: lines.push(`${o} CNAME Target${i}.Example.NET.`); break;
      // targets written as addresses (target-is-address), and one with a digit first that is a name
      case 5: lines.push(`${o} MX 5 192.0.2.${i % 256}`, `${o} NS 2001:db8::${(i % 255).toString(16)}`, `${o} MX 7 1mx${i}`); break;
      case 6: lines.push(`${o} SRV 0 5 443 srv${i}`); break;
      // the general path (no fast shape): its wire form is a view of its own
      case 7: lines.push(`${o} CAA 0 issue "ca${i}.example"`); break;
      case 8: lines.push(`${o} MX 10 ${'l'.repeat(63)}.${'m'.repeat(60)}${i}`); break;
      default: lines.push(`${o} TYPE65280 \\# 3 0a0b${hex(2)}`);
    }
  }
  return lines.join('\n') + '\n';
}

test('a streamed record\'s wire form read in place is its wire view, octet for octet, with the same hashes', () => {
  for (const seed of [1, 2, 3]) {
    const text = zoneText(seed, 4000);
    let seen = 0, inSlab = 0;
    parseZone(text, {
      onRecord: (r: ZoneRecord) => {
        const span = wireSpanOf(r);
        const off = wireOffset, len = wireLength;
        const view = r.wire;
        if (view === undefined) { assert.equal(span, undefined); return; }
        assert.ok(span !== undefined);
        if (span !== view) inSlab++;
        // (a short message on a mismatch: the octets as hex)
        const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
        if (hex(span.subarray(off, off + len)) !== hex(view)) assert.fail(`record at ${r.start}: ${hex(span.subarray(off, off + len))} != ${hex(view)}`);
        const h = hash1(view), g = hash2();
        assert.equal(hash1(span, off, len), h);
        assert.equal(hash2(), g);
        // every name at each octet: the hash read in place, bounded by the record's end, is the view's
        for (let p = 0; p < view.length; p++) {
          const k = wireKeyHash(view, p), k2 = wireHash2();
          assert.equal(wireKeyHash(span, off + p, off + len), k);
          if (k !== NOT_PLAIN) assert.equal(wireHash2(), k2);
        }
        seen++;
      },
    });
    assert.ok(seen > 4000, `records ${seen}`);
    // most records are read in place (several 64 KiB slabs), some from their own view
    assert.ok(inSlab > seen / 2, `in slab ${inSlab} of ${seen}`);
  }
});

test('a name cut by the record\'s end is not read on into the next record\'s octets', () => {
  const d = Uint8Array.from([3, 0x6d, 0x78, 0x31, 0, 3, 0x6e, 0x73, 0x31, 0]);
  // the whole name, then the same name with its end one octet short of its terminating zero
  assert.notEqual(wireKeyHash(d, 0, 5), NOT_PLAIN);
  assert.equal(wireKeyHash(d, 0, 4), NOT_PLAIN);
  assert.equal(wireKeyHash(d, 0, 3), NOT_PLAIN);
  // hashes over a part of an array are the hashes of that part alone
  assert.equal(hash1(d, 5, 5), hash1(d.slice(5)));
});

test('hash1 and hash2() are FNV-1a and djb2 (seeded with the length) as unsigned 32-bit numbers, past 2^31 too', () => {
  // (the plain way: arithmetic on doubles reduced mod 2^32, no typed-array store)
  const fnv = (d: Uint8Array) => { let h = 0x811c9dc5; for (const b of d) h = Number((BigInt((h ^ b) >>> 0) * 0x01000193n) % 0x100000000n); return h; };
  const djb2 = (d: Uint8Array) => { let h = (5381 ^ d.length) >>> 0; for (const b of d) h = (h * 33 + b) % 0x100000000; return h; };
  const r = rng(7);
  let high = 0;
  for (let n = 0; n < 2000; n++) {
    const d = Uint8Array.from({ length: Math.floor(r() * 40) }, () => Math.floor(r() * 256));
    const pad = Math.floor(r() * 5);
    const inArray = new Uint8Array(pad + d.length + 3);
    inArray.set(d, pad);
    assert.equal(hash1(d), fnv(d));
    assert.equal(hash2(), djb2(d));
    // (read in place within a larger array, after another hash was taken)
    hash1(Uint8Array.of(n & 255, 1, 2));
    assert.equal(hash1(inArray, pad, d.length), fnv(d));
    assert.equal(hash2(), djb2(d));
    if (hash2() >= 2 ** 31) high++;
  }
  assert.ok(high > 500, `hash2 past 2^31 ${high} times`);
});

test('the streamed check and the whole analysis agree on the generated zones (duplicates, addresses as targets, aliases)', () => {
  const core = getZoneLanguageService();
  for (const seed of [4, 5]) {
    // duplicates of some records, so the checker's hashes decide findings
    const base = zoneText(seed, 1500);
    const lines = base.split('\n');
    const text = base + lines.filter((_, i) => i > 4 && i % 7 === 0).join('\n') + '\nh3 CNAME h4\nh9 MX 1 h3\n';
    const options = { origin: 'example.com.', now: new Date('2027-01-01T00:00:00Z') };
    const show = (ds: { start: number; end: number; code: string; message: string }[]) => ds.map((d) => `${d.start}-${d.end} ${d.code} ${d.message}`).sort();
    const whole = show(core.analyzeZone(text, options).diagnostics);
    const streamed = show(core.checkText(text, options).diagnostics);
    assert.deepEqual(streamed, whole);
    for (const code of ['duplicate-record', 'target-is-address', 'target-is-cname']) assert.ok(whole.some((d) => d.includes(` ${code} `)), code);
  }
});
