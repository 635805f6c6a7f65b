/**
 * The zone-rules stage on the CLI's rows (checks/zoneRules.ts rowRules: the NS and DS records
 * read as rows, a record made only for a finding) against the same stage making every NS and DS
 * record (rulesOnRows.on = false): the same findings, fix data included, through the CLI's
 * streaming pipeline, on seeded zones with delegations with and without glue, sibling glue, NS
 * targets at CNAMEs, below a DNAME or written as addresses, NS records below a delegation, DS at
 * the apex, at a delegation and elsewhere, names in capitals and with escapes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../server/src/core/pipeline/run';
import { rulesOnRows } from '../../server/src/core/checks/zoneRules';
import { rng } from '../support/seeded';

const DS = '12345 13 2 ' + 'ab'.repeat(32);

function zone(seed: number): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const out = ['$ORIGIN example.com.', '$TTL 3600', '@ SOA ns1 host 1 7200 3600 1209600 300', '@ NS ns1', 'ns1 A 192.0.2.1', 'alias CNAME ns1', 'dn DNAME other.example.net.'];
  if (seed % 2 === 0) out.push(`@ NS ${pick(['alias', 'x.dn', 'nohost', '192.0.2.9', 'ns1'])}`, `@ DS ${DS}`);
  for (let d = 0; d < 80; d++) {
    const sub = r() < 0.1 ? `Sub${d}` : `sub${d}`;
    const kind = r();
    const target = kind < 0.6 ? `ns1.${sub}` : pick([`ns2.sub${(d + 1) % 80}`, 'alias', 'x.dn', 'nohost', `ns\\.x.${sub}`, '192.0.2.7', 'ns.other.example.net.', `deep.ns1.${sub}`, 'ns1']);
    out.push(`${sub} NS ${target}`, `${sub} NS ns2.${sub}`);
    if (r() < 0.85) out.push(`ns1.${sub} A 192.0.2.${d % 250}`);
    if (r() < 0.7) out.push(`ns2.${sub} AAAA 2001:db8::${d}`);
    if (r() < 0.3) out.push(`${pick([sub, `x.${sub}`, `dn${d}`, 'ns1'])} DS ${DS}`);
    if (r() < 0.05) out.push(`in.${sub} NS ns1.${sub}`);
    if (r() < 0.1) out.push(`mail${d} MX 10 ${pick(['alias', 'ns1', `ns1.${sub}`])}`);
  }
  return out.join('\n') + '\n';
}

const lines = (ds: readonly object[]) => ds.map((d) => JSON.stringify(d));

test('zone rules on the CLI\'s rows give the findings of the stage that makes every NS and DS record (streamed)', () => {
  const seen = new Set<string>();
  for (let seed = 1; seed <= 16; seed++) {
    const text = zone(seed);
    const rows = lines(checkText(text, {}).diagnostics);
    rulesOnRows.on = false;
    try {
      assert.deepEqual(rows, lines(checkText(text, {}).diagnostics), `seed ${seed}`);
    } finally {
      rulesOnRows.on = true;
    }
    for (const l of rows) seen.add(JSON.parse(l).code);
  }
  for (const code of ['glue-missing', 'ns-target-cname', 'ns-below-dname', 'ds-placement', 'target-is-address', 'target-is-cname']) assert.ok(seen.has(code), `${code} among ${[...seen].join(', ')}`);
});
