/**
 * The zone stages' full runs in the editor's document go in slices (issue 13: the server never
 * blocks for long): with a slice of one item (core/work.ts `slicing`, the tests' knob instead of
 * the clock), each stage yields many times on a small zone, the document answers the same as a
 * fresh analysis, and an edit between two slices drops the run under way: its stage runs again
 * on the new text, and what comes out is the new text's. No timings are asserted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZoneDocument } from '../../server/src/core/document';
import { analyzeZone, AnalysisOptions } from '../../server/src/core/analysis';
import { ZONE_STAGES } from '../../server/src/core/pipeline/stages';
import { IncrementalZoneStage, ZoneStage } from '../../server/src/core/pipeline/stage';
import { ZoneDiagnostic } from '../../server/src/core/types';
import { slicing, Steps } from '../../server/src/core/work';

const options: AnalysisOptions = { now: new Date('2026-01-01T00:00:00Z') };
const key = (d: ZoneDiagnostic) => `${d.start}-${d.end} ${d.code} ${d.message} ${JSON.stringify(d.related ?? [])}`;
const hex = (i: number) => ((i & 255).toString(16).padStart(2, '0')).repeat(32);

/** n mail domains: MX, address, one TLSA record each (tlsa-single-record), TLS-RPT at every other one (tlsrpt-missing), a CNAME target here and there (target-is-cname). */
function mailZone(n: number): string {
  const out = ['$ORIGIN example.', '$TTL 300', '; dane-zone dnssec=inline', '@ SOA ns hm 1 2 3 4 5', '@ NS ns', 'ns A 192.0.2.1'];
  for (let i = 0; i < n; i++) {
    out.push(`d${i} MX 10 mail${i}`, `mail${i} A 10.0.${i >> 8}.${i & 255}`, `_25._tcp.mail${i} TLSA 3 1 1 ${hex(i)}`);
    if (i % 2 === 0) out.push(`_smtp._tls.d${i} TXT "v=TLSRPTv1; rua=mailto:r@d${i}.example"`);
    if (i % 10 === 0) out.push(`d${i} MX 20 alias${i}`, `alias${i} CNAME mail${i}`);
  }
  return out.join('\n') + '\n';
}

interface Probe { started: number; slices: number; finished: number }

/** Counts, per zone stage, the full runs the document starts, the slices they yield and the runs that end. */
function probing<T>(fn: (probes: Map<string, Probe>) => T): T {
  const probes = new Map<string, Probe>();
  const restore: (() => void)[] = [];
  const wrap = <A extends unknown[], R>(name: string, steps: (...a: A) => Steps<R>) => function* (...a: A): Steps<R> {
    const p = probes.get(name)!;
    p.started++;
    const g = steps(...a);
    for (;;) {
      const r = g.next();
      if (r.done) { p.finished++; return r.value; }
      p.slices++;
      yield;
    }
  };
  for (const stage of ZONE_STAGES) {
    probes.set(stage.name, { started: 0, slices: 0, finished: 0 });
    const inc = stage.incremental as IncrementalZoneStage | undefined;
    if (inc?.fullSteps) { const o = inc.fullSteps; inc.fullSteps = wrap(stage.name, o); restore.push(() => { inc.fullSteps = o; }); }
    const s = stage as ZoneStage;
    if (s.steps) { const o = s.steps; s.steps = wrap(stage.name, o); restore.push(() => { s.steps = o; }); }
  }
  const items = slicing.items;
  slicing.items = 1;
  try {
    return fn(probes);
  } finally {
    slicing.items = items;
    for (const r of restore) r();
  }
}

test('each zone stage runs in full in many slices, with the same diagnostics as a fresh analysis', () => {
  const text = mailZone(60);
  probing((probes) => {
    const doc = new ZoneDocument(text, options);
    let steps = 0;
    while (!doc.zoneStep()) steps++;
    for (const [name, p] of probes) {
      assert.equal(p.started, 1, name);
      assert.equal(p.finished, 1, name);
      assert.ok(p.slices >= 20, `${name}: ${p.slices} slices`);
    }
    assert.ok(steps > 60);
    const fresh = analyzeZone(text, options).diagnostics;
    assert.deepEqual(doc.diagnostics().map(key).sort(), fresh.map(key).sort());
    // (the zone shows each stage's findings)
    for (const code of ['tlsa-single-record', 'tlsrpt-missing', 'target-is-cname']) assert.ok(fresh.some((d) => d.code === code), code);
  });
});

test('an edit between two slices of a stage\'s full run drops the run: the stage runs again, on the new text only', () => {
  const text = mailZone(60);
  probing((probes) => {
    const doc = new ZoneDocument(text, options);
    const dane = probes.get('dane')!;
    while (dane.slices < 10) assert.equal(doc.zoneStep(), false);
    assert.equal(dane.finished, 0);
    // An MX record goes (the DANE stage reads MX records: it must run in full again) and a second
    // TLSA record comes (tlsa-single-record goes at mail7), before the run ends.
    const mx = doc.text.indexOf('d5 MX 10 mail5\n');
    doc.update([{ start: mx, end: mx + 'd5 MX 10 mail5\n'.length, text: '' }]);
    const at = doc.text.indexOf('_25._tcp.mail7 TLSA');
    doc.update([{ start: at, end: at, text: `_25._tcp.mail7 TLSA 3 1 1 ${hex(200)}\n` }]);
    while (!doc.zoneStep()) { /* the rest, in slices */ }
    assert.equal(dane.started, 2, 'the run under way was dropped and the stage ran again');
    assert.equal(dane.finished, 1);
    const fresh = analyzeZone(doc.text, options).diagnostics;
    assert.deepEqual(doc.diagnostics().map(key).sort(), fresh.map(key).sort());
    assert.ok(!fresh.some((d) => d.code === 'tlsa-single-record' && doc.text.slice(d.start, d.end).includes('mail7')));
  });
});

test('a record of unknown type at a TLSA owner: the full run in slices sees it as a fresh analysis does (tlsa-wrong-host has no move fix then)', () => {
  const text = ['$ORIGIN example.', '$TTL 300', '; dane-zone dnssec=inline', '@ SOA ns hm 1 2 3 4 5', '@ NS ns', 'ns A 192.0.2.1',
    '@ MX 10 mail', 'mail A 192.0.2.2', 'web A 192.0.2.3', `_25._tcp.web TLSA 3 1 1 ${hex(1)}`, `_25._tcp.web TLSA 3 1 1 ${hex(2)}`, '_25._tcp.web FOO bar'].join('\n') + '\n';
  probing(() => {
    const doc = new ZoneDocument(text, options);
    while (!doc.zoneStep()) { /* in slices */ }
    const withData = (d: ZoneDiagnostic) => `${key(d)} ${JSON.stringify(d.data ?? null)}`;
    const fresh = analyzeZone(text, options).diagnostics;
    const wrong = fresh.find((d) => d.code === 'tlsa-wrong-host');
    assert.ok(wrong, 'tlsa-wrong-host');
    assert.deepEqual(doc.diagnostics().map(withData).sort(), fresh.map(withData).sort());
  });
});

test('a record of unknown type at a TLSA owner: the by-owner re-check after an edit sees it as a fresh analysis does', () => {
  const base = ['$ORIGIN example.', '$TTL 300', '; dane-zone dnssec=inline', '@ SOA ns hm 1 2 3 4 5', '@ NS ns', 'ns A 192.0.2.1',
    '@ MX 10 mail', 'mail A 192.0.2.2', 'web A 192.0.2.3', `_25._tcp.web TLSA 3 1 1 ${hex(1)}`, `_25._tcp.web TLSA 3 1 1 ${hex(2)}`];
  const withData = (d: ZoneDiagnostic) => `${key(d)} ${JSON.stringify(d.data ?? null)}`;
  const settle = (doc: ZoneDocument) => { while (!doc.zoneStep()) { /* by owner */ } };
  const same = (doc: ZoneDocument, what: string) =>
    assert.deepEqual(doc.diagnostics().map(withData).sort(), analyzeZone(doc.text, options).diagnostics.map(withData).sort(), what);
  // An edit to a TLSA record of an owner that also holds a record of unknown type.
  const doc = new ZoneDocument([...base, '_25._tcp.web FOO bar'].join('\n') + '\n', options);
  settle(doc);
  const at = doc.text.indexOf(hex(2));
  doc.update([{ start: at, end: at + 2, text: 'ab' }]);
  settle(doc);
  same(doc, 'TLSA edit at an owner with a record of unknown type');
  // A record of unknown type comes to a TLSA owner, then goes.
  const doc2 = new ZoneDocument(base.join('\n') + '\n', options);
  settle(doc2);
  assert.ok(doc2.diagnostics().some((d) => d.code === 'tlsa-wrong-host' && d.data !== undefined), 'the move fix is offered first');
  doc2.update([{ start: doc2.text.length, end: doc2.text.length, text: '_25._tcp.web FOO bar\n' }]);
  settle(doc2);
  same(doc2, 'a record of unknown type added');
  const foo = doc2.text.indexOf('_25._tcp.web FOO bar\n');
  doc2.update([{ start: foo, end: foo + '_25._tcp.web FOO bar\n'.length, text: '' }]);
  settle(doc2);
  same(doc2, 'and removed');
  // Likewise a record of a type the DANE stage does not otherwise read.
  doc2.update([{ start: doc2.text.length, end: doc2.text.length, text: '_25._tcp.web TXT "x"\n' }]);
  settle(doc2);
  same(doc2, 'a TXT record added');
  assert.ok(doc2.diagnostics().some((d) => d.code === 'tlsa-wrong-host' && d.data === undefined), 'no move fix while the TXT record is there');
});
