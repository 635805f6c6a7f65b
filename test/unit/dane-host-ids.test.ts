/**
 * The DANE stage's TLSA host entries (startDane keeps each `_25._tcp.<host>`'s entry in its host
 * table, DaneRun.hostIds, marks the CNAME owners there from the CLI's CNAME rows and the MX targets
 * from their wire form; checkRRset then reads whether the host is an MX target or a CNAME by that
 * entry) against looking each host up by its key (hostIdMemo.on = false: MX targets read as
 * strings, the records at each host asked for): the same findings (tlsa-cname-owner, tlsa-orphan,
 * tlsa-wrong-host, tlsa-mx-coverage and the rest) through the CLI's streaming pipeline, on zones
 * with CNAME hosts, hosts without an address, MX targets in other capitals, TLSA owners in capitals
 * and owners split in two runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../server/src/core/pipeline/run';
import { hostIdMemo } from '../../server/src/core/dane/checks';
import { rng } from '../support/seeded';

const D = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';

function zone(seed: number, signed: boolean): string {
  const r = rng(seed);
  const out = ['$ORIGIN example.com.', '$TTL 3600', '@ SOA ns1 host 1 7200 3600 1209600 300', '@ NS ns1', 'ns1 A 192.0.2.1',
    `; dane-zone dnssec=${signed ? 'inline' : 'unsigned'}`, 'bare A 192.0.2.3'];
  // (in odd seeds MX hosts in the zone, some without TLSA: tlsa-wrong-host, tlsa-mx-coverage; in even
  // ones every MX host is outside: tlsa-orphan)
  if (seed % 2 === 1) out.push('d MX 10 bare');
  const hosts = ['mail', 'MAIL', 'alias', 'noaddr', 'mx', 'Mx', 'www', 'sub.mail', 'x\\.y'];
  for (let i = 0; i < 400; i++) {
    const h = `${hosts[Math.floor(r() * hosts.length)]}${Math.floor(r() * 12)}`;
    const pick = Math.floor(r() * 8);
    out.push([
      `_25._tcp.${h} TLSA 3 1 1 ${D}`, `${h} A 192.0.2.${i % 250}`, `${h} CNAME target.example.net.`, `d${i % 20} MX 10 ${seed % 2 === 1 ? h : 'out.example.net.'}`,
      `_25._tcp.${h.toUpperCase()} TLSA 3 1 2 ${D}${D}`, `_443._tcp.${h} TLSA 3 1 1 ${D}`, `d${i % 20} MX 20 ${seed % 2 === 1 ? h.toLowerCase() : 'out.example.net.'}`, `_25._udp.${h} TLSA 3 1 1 ${D}`,
    ][pick]);
  }
  return out.join('\n') + '\n';
}

const lines = (ds: readonly { code: string; start: number; message: string }[]) => ds.map((d) => `${d.start} ${d.code} ${d.message}`);

test('checkRRset by the host entries startDane kept gives the findings of looking each host up by key (streamed)', () => {
  const seen = new Set<string>();
  for (let seed = 1; seed <= 10; seed++) {
    for (const signed of [true, false]) {
      const text = zone(seed, signed);
      hostIdMemo.on = true;
      const withIds = lines(checkText(text, {}).diagnostics);
      hostIdMemo.on = false;
      try {
        assert.deepEqual(withIds, lines(checkText(text, {}).diagnostics), `seed ${seed} signed ${signed}`);
      } finally {
        hostIdMemo.on = true;
      }
      for (const l of withIds) seen.add(l.split(' ')[1]);
    }
  }
  // (the findings that read the host are there to compare)
  for (const code of ['tlsa-cname-owner', 'tlsa-orphan', 'tlsa-wrong-host']) assert.ok(seen.has(code), `${code} among ${[...seen].join(', ')}`);
});
