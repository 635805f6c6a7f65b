/**
 * The DANE stage in the incremental document re-checks by owner name (issue 13): typing in a
 * TLSA record or an address record re-checks only the RRsets at that name or based on that host,
 * while an MX change, an RRset appearing, or one moving in or out of what senders query runs the
 * stage in full. Every step agrees with a fresh analysis of the same text. The counting hook
 * wraps the stage's full run (`fullSteps`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZoneDocument } from '../../server/src/core/document';
import { analyzeZone, AnalysisOptions } from '../../server/src/core/analysis';
import { incrementalDane } from '../../server/src/core/dane/incremental';
import { ZoneDiagnostic } from '../../server/src/core/types';

const options: AnalysisOptions = { now: new Date('2026-01-01T00:00:00Z') };
const key = (d: ZoneDiagnostic) => `${d.start}-${d.end} ${d.code} ${d.message} ${JSON.stringify(d.related ?? [])}`;
const hex = (i: number) => ((i & 255).toString(16).padStart(2, '0')).repeat(32);

/** 300 mail hosts (more than one chunk of entries), each with an MX, addresses and one TLSA record. */
function zone(signed: string): string {
  const out = ['$ORIGIN example.', '$TTL 300', signed, '@ SOA ns hm 1 2 3 4 5', '@ NS ns', 'ns A 192.0.2.1'];
  for (let i = 0; i < 300; i++) {
    out.push(`d${i} MX 10 mail${i}`, `mail${i} A 10.0.${i >> 8}.${i & 255}`, `_25._tcp.mail${i} TLSA 3 1 1 ${hex(i)}`);
  }
  return out.join('\n') + '\n';
}

function counting<T>(fn: () => T): { result: T; fullRuns: number } {
  // (the document runs the stage in full in slices: fullSteps)
  const original = incrementalDane.fullSteps!;
  let fullRuns = 0;
  incrementalDane.fullSteps = (view, opts, slice) => { fullRuns++; return original(view, opts, slice); };
  try {
    return { result: fn(), fullRuns };
  } finally {
    incrementalDane.fullSteps = original;
  }
}

function agrees(doc: ZoneDocument): void {
  assert.deepEqual(doc.diagnostics().map(key).sort(), analyzeZone(doc.text, options).diagnostics.map(key).sort());
}

for (const signed of ['; dane-zone dnssec=inline', '; dane-zone dnssec=signed']) {
  test(`typing in TLSA and A records re-checks only their names, the same findings as a fresh analysis (${signed})`, () => {
    const doc = new ZoneDocument(zone(signed), options);
    doc.diagnostics();
    const edit = (find: string, replace: string) => {
      const at = doc.text.indexOf(find);
      assert.ok(at >= 0, find);
      return counting(() => { doc.update([{ start: at, end: at + find.length, text: replace }]); agrees(doc); }).fullRuns;
    };
    // The TLSA data of host 150: PKIX-EE at port 25 (tlsa-smtp-pkix), then a bad digest length, then back.
    assert.equal(edit(`TLSA 3 1 1 ${hex(150)}`, `TLSA 1 1 1 ${hex(150)}`), 0);
    assert.ok(doc.diagnostics().some((d) => d.code === 'tlsa-smtp-pkix'));
    assert.equal(edit(`TLSA 1 1 1 ${hex(150)}`, `TLSA 1 1 1 ${hex(150).slice(2)}`), 0);
    assert.equal(edit(`TLSA 1 1 1 ${hex(150).slice(2)}`, `TLSA 3 1 1 ${hex(150)}`), 0);
    // A second record at host 7 (no more tlsa-single-record there).
    assert.equal(edit(`TLSA 3 1 1 ${hex(7)}\n`, `TLSA 3 1 1 ${hex(7)}\n_25._tcp.mail7 TLSA 3 1 1 ${hex(8)}\n`), 0);
    // The address of host 200 (presence unchanged), then host 200 becomes a CNAME (tlsa-cname-owner).
    assert.equal(edit('A 10.0.0.200', 'A 10.0.0.201'), 0);
    assert.equal(edit('A 10.0.0.201', 'CNAME mail201'), 0);
    assert.ok(doc.diagnostics().some((d) => d.code === 'tlsa-cname-owner'));
    // An MX now points elsewhere: the MX targets change, the stage runs in full.
    assert.equal(edit('MX 10 mail100\n', 'MX 10 mail1000\n'), 1);
    // A new TLSA RRset: in full.
    assert.equal(edit('ns A 192.0.2.1\n', 'ns A 192.0.2.1\n_25._tcp.extra TLSA 3 1 1 ' + hex(99) + '\n'), 1);
  });
}

test('several TLSA edits in one update (a Replace All) re-check by name and agree with a fresh analysis', () => {
  const doc = new ZoneDocument(zone('; dane-zone dnssec=inline'), options);
  doc.diagnostics();
  const changes = [290, 200, 120, 10].map((i) => {
    const at = doc.text.indexOf(`TLSA 3 1 1 ${hex(i)}`);
    return { start: at + 5, end: at + 6, text: '2' };
  });
  const { fullRuns } = counting(() => { doc.update(changes); agrees(doc); });
  assert.equal(fullRuns, 0);
  assert.equal(doc.diagnostics().filter((d) => d.code === 'tlsa-single-record').length, 300);
});
