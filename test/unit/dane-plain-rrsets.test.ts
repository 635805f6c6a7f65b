/**
 * The DANE stage's plain RRsets (dane/plainRRsets.ts: the common `_25._tcp` RRset told from its
 * rows, without checkRRset) against checkRRset for every RRset (plainRRsets.on = false): the same
 * findings, related locations and fix data through the CLI's streaming pipeline, on seeded zones
 * with each way an RRset can miss the plain path (a record with an error, another usage, selector
 * or matching type, a TTL above the bound, one key or copies of it, too many or too large records,
 * RRSIGs in the zone (and at the RRset: too large for UDP), a host that is a CNAME or no MX target, an owner in capitals or escaped,
 * another class, an RRset split in two runs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../server/src/core/pipeline/run';
import { plainRRsets } from '../../server/src/core/dane/plainRRsets';
import { rng } from '../support/seeded';

const hex = (r: () => number, octets: number) => Array.from({ length: octets }, () => Math.floor(r() * 256).toString(16).padStart(2, '0')).join('');

function zone(seed: number): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const signed = seed % 3 === 0;
  const out = ['$ORIGIN example.com.', '$TTL 3600', '@ SOA ns1 host 1 7200 3600 1209600 300', '@ NS ns1', 'ns1 A 192.0.2.1',
    `; dane-zone dnssec=${seed % 3 === 1 ? 'unsigned' : 'inline'}`];
  if (signed) out.push(`@ RRSIG SOA 13 2 3600 20300101000000 20200101000000 1 example.com. ${Buffer.from(hex(r, 64), 'hex').toString('base64')}`);
  const later: string[] = [];
  for (let h = 0; h < 60; h++) {
    const host = `m${h}`;
    const shape = r();
    if (shape < 0.8) out.push(`d${h} MX 10 ${r() < 0.1 ? host.toUpperCase() : host}`);
    if (r() < 0.08) out.push(`${host} CNAME elsewhere.example.net.`);
    else out.push(`${host} A 192.0.2.${h}`);
    const owner = pick([`_25._tcp.${host}`, `_25._tcp.${host}`, `_25._tcp.${host}`, `_25._tcp.${host}`, `_25._TCP.${host}`, `_25._tcp.${host}.example.com.`, `_25._tcp.x\\.${host}`]);
    const cls = r() < 0.05 ? 'CH' : 'IN';
    const n = pick([1, 2, 2, 2, 2, 2, 3, 4, 13]);
    const key = hex(r, 32);
    for (let i = 0; i < n; i++) {
      const odd = r();
      const data = odd < 0.1 ? key : hex(r, 32);
      const rdata = odd < 0.94 ? `3 1 1 ${data}` : pick([`3 0 1 ${data}`, `2 1 1 ${data}`, `3 1 2 ${data}${data}`, `1 1 1 ${data}`, `3 1 1 ${data.slice(0, 63)}z`, `3 1 1 00`, `3 1 0 ${hex(r, 400)}`, `3 1 1`]);
      const ttl = r() < 0.05 ? '7200 ' : r() < 0.3 ? '300 ' : '';
      const line = `${owner} ${ttl}${cls} TLSA ${rdata}`;
      // (some records of an RRset later in the file: its records in two runs)
      if (i > 0 && r() < 0.05) later.push(line); else out.push(line);
    }
    // (in a signed zone, some RRsets with their RRSIG: a large one makes the answer too large for UDP)
    if (signed && r() < 0.3) out.push(`${owner} ${cls} RRSIG TLSA 8 5 3600 20300101000000 20200101000000 1 example.com. ${Buffer.from(hex(r, r() < 0.5 ? 512 : 1100), 'hex').toString('base64')}`);
  }
  return [...out, ...later].join('\n') + '\n';
}

const lines = (ds: readonly object[]) => ds.map((d) => JSON.stringify(d));

test('plain TLSA RRsets told from their rows give the findings of checkRRset (streamed)', () => {
  let taken = 0, rrsets = 0;
  const seen = new Set<string>();
  for (let seed = 1; seed <= 24; seed++) {
    const text = zone(seed);
    plainRRsets.taken = 0;
    const plain = lines(checkText(text, {}).diagnostics);
    taken += plainRRsets.taken;
    plainRRsets.on = false;
    plainRRsets.taken = 0;
    try {
      assert.deepEqual(plain, lines(checkText(text, {}).diagnostics), `seed ${seed}`);
    } finally {
      plainRRsets.on = true;
    }
    assert.equal(plainRRsets.taken, 0, 'none taken when off');
    rrsets += 60;
    for (const l of plain) seen.add(JSON.parse(l).code);
  }
  // (both paths ran: most RRsets plain, and the findings that make an RRset miss it are there)
  assert.ok(taken > rrsets / 6 && taken < rrsets, `${taken} of ~${rrsets} RRsets plain`);
  for (const code of ['tlsa-unsigned-zone', 'tlsa-single-record', 'tlsa-high-ttl', 'tlsa-rrset-size', 'tlsa-cname-owner', 'tlsa-ee-cert-selector', 'tlsa-smtp-pkix']) {
    assert.ok(seen.has(code), `${code} among ${[...seen].join(', ')}`);
  }
});
