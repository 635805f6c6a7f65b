/**
 * The server's carried zone-stage results moved through a Replace All (lsp/documents.ts
 * moveThrough: edits each ending at or before the previous one's start, moved with one binary
 * search per position) agree with moving them through the same edits one by one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { moveThrough } from '../../server/src/lsp/documents';
import { ZoneDiagnostic } from '../../server/src/core';

const seed = Number(process.env.DANE_ZONE_FC_SEED ?? 777);
const span = fc.tuple(fc.nat({ max: 500 }), fc.nat({ max: 30 })).map(([s, n]) => ({ start: s, end: s + n }));
const diag = fc.record({ at: span, related: fc.option(fc.array(span, { maxLength: 4 }), { nil: undefined }) })
  .map(({ at, related }): ZoneDiagnostic => ({ code: 'x', severity: 'warning', message: 'm', ...at, related: related?.map((r) => ({ ...r, message: 'r' })) }));

test('a Replace All moves the carried diagnostics as the same edits one by one do', () => {
  fc.assert(fc.property(fc.array(diag, { maxLength: 20 }), fc.array(fc.record({ at: fc.nat({ max: 520 }), del: fc.nat({ max: 6 }), ins: fc.nat({ max: 6 }) }), { minLength: 2, maxLength: 12 }), (diags, raw) => {
    // Apart and last first: each ends at or before the previous one's start.
    const edits = [];
    let limit = 600;
    for (const e of [...raw].sort((a, b) => b.at - a.at)) {
      const start = Math.min(limit, e.at);
      const end = Math.min(limit, start + e.del);
      edits.push({ start, end, text: 'y'.repeat(e.ins) });
      limit = start;
    }
    let one = diags;
    for (const e of edits) one = moveThrough(one, [e]);
    assert.deepEqual(moveThrough(diags, edits), one);
  }), { seed, numRuns: 300 });
});
