/**
 * The zone-rules stage in the incremental document re-checks by owner name (issue 11): an edit
 * of a target record, of the address or alias at a target name, or of a DS re-checks only the
 * owners concerned (the records there, and those pointing there), while what the whole-zone
 * rules read (the apex, an SOA, a delegation or DNAME coming or going) runs the stage in full.
 * Every step agrees with a fresh analysis of the same text. The counting hook wraps the stage's
 * full run (`fullSteps`) and counts the owners `update` re-checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZoneDocument } from '../../server/src/core/document';
import { analyzeZone, AnalysisOptions } from '../../server/src/core/analysis';
import { incrementalZoneRules } from '../../server/src/core/checks/zoneRulesStage';
import { ZoneDiagnostic } from '../../server/src/core/types';

const options: AnalysisOptions = { now: new Date('2026-01-01T00:00:00Z') };
const key = (d: ZoneDiagnostic) => `${d.start}-${d.end} ${d.code} ${d.severity} ${d.message} ${JSON.stringify(d.data ?? null)}`;

/** 300 customers (more than one chunk of entries): an MX to their mail host, a delegation with glue, an alias. */
function zone(): string {
  const out = ['$ORIGIN example.', '$TTL 300', '@ SOA ns hm 1 2 3 4 5', '@ NS ns', 'ns A 192.0.2.1'];
  for (let i = 0; i < 300; i++) {
    out.push(`d${i} MX 10 mail${i}`, `mail${i} A 10.0.${i >> 8}.${i & 255}`, `www${i} CNAME d${i}`, `sub${i} NS ns1.sub${i}`, `ns1.sub${i} A 198.51.100.${i & 255}`);
  }
  return out.join('\n') + '\n';
}

interface Counts { fullRuns: number; updates: number; owners: number }

function counting(fn: () => void): Counts {
  const { fullSteps, update } = incrementalZoneRules;
  const c: Counts = { fullRuns: 0, updates: 0, owners: 0 };
  // (the document runs the stage in full in slices: fullSteps)
  incrementalZoneRules.fullSteps = (view, opts, slice) => { c.fullRuns++; return fullSteps!(view, opts, slice); };
  incrementalZoneRules.update = (view, opts, state, keys) => {
    const r = update(view, opts, state, keys);
    if (r) { c.updates++; c.owners += keys.size; }
    return r;
  };
  try {
    fn();
    return c;
  } finally {
    incrementalZoneRules.fullSteps = fullSteps;
    incrementalZoneRules.update = update;
  }
}

function agrees(doc: ZoneDocument): void {
  assert.deepEqual(doc.diagnostics().map(key).sort(), analyzeZone(doc.text, options).diagnostics.map(key).sort());
}

const codes = (doc: ZoneDocument) => doc.diagnostics().filter((d) => d.code !== 'out-of-zone').map((d) => `${d.code} ${doc.text.slice(d.start, d.end)}`).sort();

test('zone rules after edits: only the owners concerned are checked again, the same findings as a fresh analysis', () => {
  const doc = new ZoneDocument(zone(), options);
  assert.deepEqual(codes(doc), []);
  const edit = (find: string, replace: string): Counts => {
    const at = doc.text.indexOf(find);
    assert.ok(at >= 0, find);
    return counting(() => { doc.update([{ start: at, end: at + find.length, text: replace }]); agrees(doc); });
  };
  const byOwner = (c: Counts) => { assert.equal(c.fullRuns, 0); assert.ok(c.updates >= 1); return c; };
  // An address that changes but stays: no fact the stage reads changed, nothing runs.
  assert.deepEqual(edit('mail7 A 10.0.0.7\n', 'mail7 A 10.0.0.77\n'), { fullRuns: 0, updates: 0, owners: 0 });
  // The MX target's name becomes an alias: target-is-cname on d150's MX, with its fix.
  byOwner(edit('mail150 A 10.0.0.150\n', 'mail150 CNAME mail151\n'));
  assert.deepEqual(codes(doc), ['target-is-cname mail150']);
  const fix = doc.diagnostics().find((d) => d.code === 'target-is-cname')!.data as { newText: string };
  assert.equal(fix.newText, 'mail151.example.');
  // The alias now points elsewhere: the fix follows (the owners pointing at mail150 are re-checked).
  byOwner(edit('mail150 CNAME mail151\n', 'mail150 CNAME mail152\n'));
  assert.equal((doc.diagnostics().find((d) => d.code === 'target-is-cname')!.data as { newText: string }).newText, 'mail152.example.');
  // The MX is pointed at the real host: the finding goes.
  byOwner(edit('d150 MX 10 mail150\n', 'd150 MX 10 mail152\n'));
  assert.deepEqual(codes(doc), []);
  // Glue taken away and given back.
  byOwner(edit('ns1.sub20 A 198.51.100.20\n', 'ns1.sub20 TXT "moved"\n'));
  assert.deepEqual(codes(doc), ['glue-missing ns1.sub20', 'occluded-data TXT']);
  byOwner(edit('ns1.sub20 TXT "moved"\n', 'ns1.sub20 A 198.51.100.20\n'));
  assert.deepEqual(codes(doc), []);
  // An NS target of a delegation edited (the delegation stays): by owner.
  byOwner(edit('sub30 NS ns1.sub30\n', 'sub30 NS ns2.sub30\n'));
  assert.deepEqual(codes(doc), ['glue-missing ns2.sub30']);
  // A DS at a name that is no delegation, then at one.
  byOwner(edit('www40 CNAME d40\n', `www40 CNAME d40\nd40 DS 1 13 2 ${'ab'.repeat(32)}\n`));
  assert.ok(codes(doc).includes('ds-placement DS'));
  byOwner(edit('d40 DS 1', 'sub40 DS 1'));
  assert.ok(!codes(doc).includes('ds-placement DS'));
  // A new delegation (what is served below it changes) and an SOA edit run the stage in full.
  assert.equal(edit('www41 CNAME d41\n', 'www41 CNAME d41\nsub500 NS ns1.sub500\n').fullRuns, 1);
  assert.deepEqual(codes(doc).filter((c) => c.startsWith('glue')), ['glue-missing ns1.sub500', 'glue-missing ns2.sub30']);
  assert.equal(edit('@ SOA ns hm 1', '@ SOA ns hm 2').fullRuns, 1);
});

test('a Replace All of MX targets re-checks by owner and agrees with a fresh analysis', () => {
  const doc = new ZoneDocument(zone().replace('mail9 A 10.0.0.9\n', 'mail9 CNAME d9\n'), options);
  doc.diagnostics();
  const changes = [290, 200, 120, 10].map((i) => {
    const at = doc.text.indexOf(`d${i} MX 10 mail${i}\n`);
    return { start: at + `d${i} MX 10 `.length, end: at + `d${i} MX 10 mail${i}`.length, text: 'mail9' };
  });
  const c = counting(() => { doc.update(changes); agrees(doc); });
  assert.equal(c.fullRuns, 0);
  assert.equal(doc.diagnostics().filter((d) => d.code === 'target-is-cname').length, 5);
});
