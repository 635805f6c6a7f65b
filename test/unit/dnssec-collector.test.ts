import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addAsyncStages, checkText, hasAsyncWork } from '../../server/src/core/pipeline/run';
import { validateDnssec } from '../../server/src/core/dnssec/validate';
import { parseZone } from '../../server/src/core/parser';
import { ZoneIO } from '../../server/src/core/types';
import { SIGNED } from './dnssec-fixture';

/**
 * The CLI's DNSSEC collector (dnssec/stage.ts) keeps records only once the zone turns out
 * signed: it stops keeping them after 4,096 records without a DNSSEC record, and a zone whose
 * first DNSSEC record comes later is read a second time. Around that limit, the streamed
 * validation must give what a validation of the whole parse gives.
 */

const io: ZoneIO = { readFile: () => { throw new Error('no files'); }, resolvePath: (_f, p) => p, now: () => new Date('2025-01-01T00:00:00Z') };

/** The SOA, `unsigned` unsigned A records, then the rest of the signed fixture. */
function zone(unsigned: number): string {
  const lines = SIGNED.split('\n');
  const filler: string[] = [];
  for (let i = 0; i < unsigned; i++) filler.push(`h${i}.example.\t3600\tIN\tA\t192.0.2.${i % 250}`);
  return [lines[0], ...filler, ...lines.slice(1)].join('\n');
}

test('the streamed DNSSEC validation agrees with a whole-parse validation around the 4,096 unsigned records the collector keeps', async () => {
  for (const n of [0, 1, 4094, 4095, 4096, 4097, 4098, 5000]) {
    const text = zone(n);
    const result = checkText(text, { io });
    assert.ok(hasAsyncWork(result, { io }), `${n}: the DNSSEC stage applies`);
    const before = new Set(result.diagnostics);
    await addAsyncStages(result, { io });
    const streamed = result.diagnostics.filter((d) => !before.has(d));
    const whole = await validateDnssec(parseZone(text, {}).records, { apex: 'example.' });
    assert.deepEqual(streamed, whole, `${n} unsigned records first`);
    // The filler is not signed: each of its RRsets is reported.
    assert.equal(whole.filter((d) => d.code === 'rrsig-missing').length, n, `${n}`);
  }
});

test('an unsigned zone longer than the collector keeps has no DNSSEC stage', () => {
  const text = zone(5000).split('\n').filter((l) => !/\t(RRSIG|NSEC|DNSKEY)\t/.test(l)).join('\n');
  assert.equal(hasAsyncWork(checkText(text, { io }), { io }), false);
});
