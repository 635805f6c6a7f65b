/**
 * DANE quick fixes and refactorings (server/src/core/dane/fixes.ts): each one is applied to
 * the zone text and the whole result compared; stale diagnostics give no fix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeZone } from '../../server/src/core/analysis';
import { parseZone } from '../../server/src/core/parser';
import { applyEdits } from '../../server/src/core/edits';
import { DaneCodeAction, quickFixes, tlsaRefactors } from '../../server/src/core/dane/fixes';
import { ZoneDiagnostic } from '../../server/src/core/types';
import { SIGNED } from './dane-fixtures';

const D1 = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';
const D2 = '2c20c9a237719fb2c0a678a0e0e0678f7f0178fa76f88802f702801dd88190ee';
const HEAD = SIGNED;
const zone = (...lines: string[]) => HEAD + lines.join('\n') + '\n';

const diagnostics = (text: string, code: string): ZoneDiagnostic[] =>
  analyzeZone(text, { now: new Date('2026-01-01T00:00:00Z') }).diagnostics.filter((d) => d.code === code);

/** The one fix of the first diagnostic of `code`, applied: [title, resulting text]. */
function fixed(text: string, code: string): [string, string] {
  const ds = diagnostics(text, code);
  assert.ok(ds.length > 0, `no ${code}`);
  const fixes = quickFixes(text, ds[0]);
  assert.equal(fixes.length, 1, `${code}: ${JSON.stringify(fixes)}`);
  return [fixes[0].title, applyEdits(text, fixes[0].edits)];
}

function refactor(text: string, title: RegExp, index = -1): string {
  const recs = parseZone(text).records.filter((r) => r.typeCode === 52 || r.typeCode === 53);
  const r = recs.at(index)!;
  const actions: DaneCodeAction[] = tlsaRefactors(text, r);
  const a = actions.find((x) => title.test(x.title));
  assert.ok(a, `no refactor ${title} in ${JSON.stringify(actions.map((x) => x.title))}`);
  return applyEdits(text, a.edits);
}

test('tlsa-mnemonic → numbers: one fix for the whole record, from any of its diagnostics', () => {
  const z = zone(`_25._tcp.mx1 TLSA DANE-EE SPKI SHA2-256 ${D1} ; current key`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`);
  const want = zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1} ; current key`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`);
  const ds = diagnostics(z, 'tlsa-mnemonic');
  assert.equal(ds.length, 3);
  for (const d of ds) {
    const [fix] = quickFixes(z, d);
    assert.equal(fix.title, 'Write `DANE-EE SPKI SHA2-256` as `3 1 1` (numbers, which every DNS server reads)');
    assert.equal(fix.isPreferred, true);
    assert.equal(applyEdits(z, fix.edits), want);
  }
  assert.deepEqual(analyzeZone(want).diagnostics, []);
  const partial = zone(`_25._tcp.mx1 TLSA ( 3\n   spki ; selector\n   sha2-256 ) ${D1}`);
  assert.deepEqual(fixed(partial, 'tlsa-mnemonic'), ['Write `spki sha2-256` as `1 1` (numbers, which every DNS server reads)',
    zone(`_25._tcp.mx1 TLSA ( 3\n   1 ; selector\n   1 ) ${D1}`)]);
});

test('tlsa-owner `_025` → `_25`, also when the label is written with escapes', () => {
  assert.deepEqual(fixed(zone(`_025._tcp.mx1 TLSA 3 1 1 ${D1}`, ` TLSA 3 1 1 ${D2}`), 'tlsa-owner'), [
    'Write the port label as `_25` (clients query `_25`, never `_025`)',
    zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, ` TLSA 3 1 1 ${D2}`),
  ]);
  assert.deepEqual(fixed(zone(`\\0950025._TCP.mx1.example.com. TLSA 3 1 1 ${D1}`), 'tlsa-owner')[1],
    zone(`_25._TCP.mx1.example.com. TLSA 3 1 1 ${D1}`));
});

test('tlsa-smtp-pkix → the DANE usage with the same data (1 → 3, 0 → 2), generic form too', () => {
  const z = zone(`_25._tcp.mx1 TLSA 1 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`);
  assert.deepEqual(fixed(z, 'tlsa-smtp-pkix'), [
    'Change usage 1 (PKIX-EE) to 3 (DANE-EE): same certificate data; SMTP senders ignore PKIX-EE and need no CA for DANE-EE',
    zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`),
  ]);
  const ta = zone(`_25._tcp.mx1 TLSA 0 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`);
  assert.deepEqual(fixed(ta, 'tlsa-smtp-pkix'), [
    'Change usage 0 (PKIX-TA) to 2 (DANE-TA): same CA data; the server must send this CA certificate in its chain',
    zone(`_25._tcp.mx1 TLSA 2 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`),
  ]);
  const generic = zone(`_25._tcp.mx1 TLSA \\# 35 010101 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`);
  assert.equal(fixed(generic, 'tlsa-smtp-pkix')[1], zone(`_25._tcp.mx1 TLSA \\# 35 030101 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`));
  // the same record with usage 3 already there: no fix (it would be a duplicate), only advice
  const twin = zone(`_25._tcp.mx1 TLSA 1 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D1}`);
  assert.deepEqual(quickFixes(twin, diagnostics(twin, 'tlsa-smtp-pkix')[0]), []);
});

test('a stale diagnostic (the text changed under it) or foreign data gives no fix', () => {
  const z = zone(`_25._tcp.mx1 TLSA DANE-EE 1 1 ${D1}`);
  const d = diagnostics(z, 'tlsa-mnemonic')[0];
  assert.deepEqual(quickFixes(z.replace('DANE-EE', 'DANE-TA'), d), []);
  assert.deepEqual(quickFixes(z.slice(0, 10), d), []);
  assert.deepEqual(quickFixes(z, { ...d, data: undefined }), []);
  assert.deepEqual(quickFixes(z, { ...d, data: { fix: 'tlsa-mnemonic', replace: [{ start: 'x' }] } }), []);
  assert.deepEqual(quickFixes(z, { ...d, data: 42 }), []);
  const single = zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`);
  assert.deepEqual(quickFixes(single, diagnostics(single, 'tlsa-single-record')[0]), []); // rotation pairs need certificates
});

test('refactor: RFC 3597 \\# form → presentation form, keeping comments and parentheses', () => {
  assert.equal(refactor(zone(`_25._tcp.mx1 TLSA \\# 35 0301 01 ${D1}`), /presentation form/), zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`));
  assert.equal(refactor(zone(`_25._tcp.mx1 TYPE52 \\# 35 030101${D1}`), /presentation form/), zone(`_25._tcp.mx1 TYPE52 3 1 1 ${D1}`));
  assert.equal(refactor(zone(`_25._tcp.mx1 TLSA \\# 35 ( 030101 ; usage, selector, type\n  ${D1} )`), /presentation form/),
    zone(`_25._tcp.mx1 TLSA 3 1 1 (  ; usage, selector, type\n  ${D1} )`));
  const hash = 'c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6';
  assert.equal(refactor(zone(`${hash}._smimecert TYPE53 \\# 35 03 00 01 ${D1}`), /presentation form/), zone(`${hash}._smimecert TYPE53 3 0 1 ${D1}`));
  // not offered for data that is not TLSA-shaped
  const r = parseZone(zone('_25._tcp.mx1 TLSA \\# 3 030101')).records.at(-1)!;
  assert.deepEqual(tlsaRefactors(zone('_25._tcp.mx1 TLSA \\# 3 030101'), r), []);
});

test('refactor: lowercase and join the association data', () => {
  const up = zone(`_25._tcp.mx1 TLSA 3 1 1 ( ${D1.slice(0, 32).toUpperCase()}\n    ${D1.slice(32)} )`);
  assert.equal(refactor(up, /lowercase/), zone(`_25._tcp.mx1 TLSA 3 1 1 ( ${D1.slice(0, 32)}\n    ${D1.slice(32)} )`));
  assert.equal(refactor(up, /Join/), zone(`_25._tcp.mx1 TLSA 3 1 1 ( ${D1.slice(0, 32).toUpperCase()}${D1.slice(32)} )`));
  // a comment between the pieces: joining would delete it, so it is not offered
  const commented = zone(`_25._tcp.mx1 TLSA 3 1 1 ( ${D1.slice(0, 32)} ; first half\n    ${D1.slice(32)} )`);
  const r = parseZone(commented).records.at(-1)!;
  assert.deepEqual(tlsaRefactors(commented, r).map((a) => a.title), []);
  // nothing to do on a tidy record, nor on other types
  const tidy = zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`);
  assert.deepEqual(parseZone(tidy).records.flatMap((x) => tlsaRefactors(tidy, x)), []);
});
