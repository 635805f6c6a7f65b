/**
 * lsp/opening.ts sameDiagnostics (the first publication against the document's own, item by item
 * so no string of a million diagnostics is made) says what comparing JSON.stringify of the two
 * lists says: on seeded lists of diagnostics with fix data, related locations and optional
 * fields, and copies with one thing changed (a position, a message, a value deep in the data, a
 * field added, one left undefined, the order of fields or of the list).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sameDiagnostics } from '../../server/src/lsp/opening';
import { ZoneDiagnostic } from '../../server/src/core/types';
import { rng } from '../support/seeded';

function diagnostics(seed: number, n: number): ZoneDiagnostic[] {
  const r = rng(seed);
  const out: ZoneDiagnostic[] = [];
  for (let i = 0; i < n; i++) {
    const start = Math.floor(r() * 1e6);
    const d: ZoneDiagnostic = { code: r() < 0.5 ? 'syntax' : 'invalid-rdata', severity: r() < 0.8 ? 'error' : 'warning', start, end: start + Math.floor(r() * 40), message: `m${Math.floor(r() * 5)}` };
    if (r() < 0.3) d.data = { kind: 'fix', at: [start, Math.floor(r() * 9)], text: r() < 0.5 ? 'x' : 'y' } as unknown as ZoneDiagnostic['data'];
    if (r() < 0.2) d.related = [{ start: start + 1, end: start + 2, message: 'here' }];
    out.push(d);
  }
  return out;
}

/** A copy of `list` with one change (by kind) at item `i`. */
function changed(list: ZoneDiagnostic[], i: number, kind: number): ZoneDiagnostic[] {
  const out = structuredClone(list);
  const d = out[i] as unknown as Record<string, unknown>;
  switch (kind) {
    case 0: d.start = (d.start as number) + 1; break;
    case 1: d.message = `${d.message as string}!`; break;
    case 2: if (d.data) ((d.data as { at: number[] }).at)[1]++; else d.data = { kind: 'fix' }; break;
    case 3: d.extra = 1; break;
    case 4: d.extra = undefined; break; // (JSON.stringify leaves it out: the same)
    case 5: { const { code, ...rest } = d; out[i] = { ...rest, code } as unknown as ZoneDiagnostic; break; } // (another order of fields: JSON differs)
    case 6: if (i + 1 < out.length) [out[i], out[i + 1]] = [out[i + 1], out[i]]; break;
    case 7: out.pop(); break;
    default: break; // (a copy: the same)
  }
  return out;
}

test('sameDiagnostics says what comparing the lists as JSON says', () => {
  let same = 0;
  let differ = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const list = diagnostics(seed, 1 + (seed % 9) * 7);
    for (let kind = 0; kind <= 8; kind++) {
      const other = changed(list, (seed * 7 + kind) % list.length, kind);
      const truth = JSON.stringify(list) === JSON.stringify(other);
      assert.equal(sameDiagnostics(list, other), truth, `seed ${seed}, change ${kind}`);
      assert.equal(sameDiagnostics(other, list), truth, `seed ${seed}, change ${kind}, the other way`);
      if (truth) same++; else differ++;
    }
    assert.equal(sameDiagnostics(list, list), true);
  }
  assert.ok(same >= 60 && differ >= 150, `same ${same}, differ ${differ}`);
});
