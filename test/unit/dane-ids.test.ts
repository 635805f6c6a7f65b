/**
 * The DANE and mail-policy stages keep their facts by owner id in the streaming CLI (the view's
 * OwnerIds: the zone-wide checker's owner groups) and by owner key elsewhere; a full DANE run makes
 * each RRset when it checks it (TlsaRRsets) and sums up the queried ones (QueriedSets). Each is
 * held against the code it replaces: groupTlsaRRsets, a map of host keys, a map of TXT owners,
 * ownerAt, and the whole stages on seeded zones (the CLI's view against a parse's, and the DANE
 * stage against its incremental form, which still groups with groupTlsaRRsets).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getZoneLanguageService, ZoneDiagnostic } from '../../server/src/core';
import { parseZone } from '../../server/src/core/parser';
import { viewOfZone } from '../../server/src/core/pipeline/view';
import { checkDane, decodeTlsaOf } from '../../server/src/core/dane/checks';
import { QueriedSets } from '../../server/src/core/dane/unsignedZone';
import { decodeTlsaWire } from '../../server/src/core/dane/tlsaRdata';
import { atOrBelowTest, wireNameKey } from '../../server/src/core/dane/names';
import { wireLength, wireOffset, wireSpanOf } from '../../server/src/core/pipeline/compactRecord';
import { incrementalDane } from '../../server/src/core/dane/incremental';
import { daneViewOf, groupTlsaRRsets, TlsaRRsets } from '../../server/src/core/dane/view';
import { HOST_MX, HOST_SMTP_TLSA, HostFacts, MX_INSIDE, NOT_PLAIN } from '../../server/src/core/dane/hosts';
import { TxtOwners } from '../../server/src/core/dane/txtOwners';
import { ownerAt, putOwnerSpan } from '../../server/src/core/dane/report';
import { ZoneRecord } from '../../server/src/core/model';
import { TYPE_MX, TYPE_SMIMEA, TYPE_TLSA, TYPE_TXT } from '../../server/src/core/rrtypes';

const core = getZoneLanguageService();

/** Ids for owner keys as a view would give them (first come, first numbered). */
function idsFor(records: readonly ZoneRecord[]): { ids: { get(i: number): number }; idOf: (k: string) => number } {
  const byKey = new Map<string, number>();
  const idOf = (k: string) => byKey.get(k) ?? -1;
  // (numbered out of order, as a hash table's groups are)
  for (const r of records) if (!byKey.has(r.ownerKey)) byKey.set(r.ownerKey, 7 * byKey.size + 3);
  return { ids: { get: (i) => idOf(records[i].ownerKey) }, idOf };
}

test('TLSA RRsets made one at a time: the RRsets groupTlsaRRsets makes, in its order, with owner ids and without', () => {
  const record = fc.record({ o: fc.integer({ min: 0, max: 4 }), t: fc.constantFrom(52, 53, 52, 46), c: fc.constantFrom(1, 1, 3), blank: fc.boolean() });
  fc.assert(fc.property(fc.array(record, { maxLength: 40 }), (spec) => {
    const records = spec.map((s, i) => {
      const owner = s.blank && s.o === 0 ? '' : `_25._tcp.H${s.o}.example.`;
      return { owner, ownerKey: owner.toLowerCase(), typeCode: s.t, classCode: s.c, start: i } as unknown as ZoneRecord;
    });
    const reference = groupTlsaRRsets(records).map((s) => ({ ...s, records: s.records.map((r) => r.start) }));
    for (const ids of [undefined, idsFor(records).ids]) {
      const sets = new TlsaRRsets(records, ids);
      const got = [];
      for (let k = 0; k < sets.count; k++) { const s = sets.rrset(k); got.push({ ...s, records: s.records.map((r) => r.start) }); }
      assert.deepEqual(got, reference);
    }
  }), { numRuns: 1500, seed: 11 });
});

test('host facts from an MX target\'s wire form: the bits and the in-zone test of its key read as a string (wireNameKey, atOrBelowTest)', () => {
  // labels of plain octets in both cases, and of others (escaped dot, space, octet 0xc3, `\\`); names too long, the root, cut short
  const label = fc.oneof(
    fc.stringMatching(/^[a-zA-Z0-9*_/-]{1,6}$/),
    fc.constantFrom('Mail', 'mail', 'MX', 'ex', 'Ex', 'com', 'a.b', 'a b', '\u00e9', 'x\\', 'x'.repeat(63)),
  );
  const name = fc.array(label, { minLength: 0, maxLength: 6 });
  const wireOf = (labels: string[], cut: number) => {
    const out: number[] = [0, 10];
    for (const l of labels) { const b = Buffer.from(l, 'latin1'); out.push(b.length, ...b); }
    out.push(0);
    return Uint8Array.from(out.slice(0, cut > 0 ? Math.max(2, out.length - cut) : out.length));
  };
  const origins = ['ex.com.', 'com.', '.', 'a\\.ex.com.'];
  let hits = 0, inZone = 0;
  // (an MX target is a name of its own, or one of the TLSA hosts in other capitals: pick >= 0)
  fc.assert(fc.property(fc.array(name, { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(name, fc.integer({ min: -3, max: 2 }), fc.integer({ min: -4, max: 11 }), fc.boolean()), { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 3 }),
    (hosts, targets, o) => {
      // (most in the zone: the origin's labels after them)
      const tlsaHosts = hosts.map((h, i) => (i % 4 === 3 ? h : [...h, ...(o === 1 ? ['com'] : o === 0 ? ['ex', 'com'] : [])]));
      const mxs = targets.map(([h, cut, pick, upper]): [string[], number] => {
        const named = pick >= 0 && pick < tlsaHosts.length ? tlsaHosts[pick] : h;
        return [upper ? named.map((l) => l.toUpperCase()) : named, pick >= 0 ? Math.min(cut, 0) : cut];
      });
      const origin = origins[o];
      const wire = new HostFacts(0, origin), ref = new HostFacts();
      const inside = atOrBelowTest(origin);
      for (const h of tlsaHosts) {
        const t = wireNameKey(wireOf(h, 0), 2);
        if (t === undefined) continue;
        wire.markSmtpTlsa('_25._tcp.' + t.key, 9);
        ref.markSmtpTlsa(t.key);
      }
      for (const [h, cut] of mxs) {
        const w = wireOf(h, cut);
        const got = wire.markMxWire(w, 2, w.length);
        const t = wireNameKey(w, 2);
        if (got === NOT_PLAIN) {
          // (every name of plain octets is read from the wire)
          if (t !== undefined && t.name !== '.') assert.ok(!/^[a-zA-Z0-9*_/.-]+$/.test(t.name), t.name);
          if (t !== undefined && t.name !== '.') wire.markMx(t.key);
          if (t !== undefined && t.name !== '.') ref.markMx(t.key);
          continue;
        }
        assert.ok(t !== undefined && t.name !== '.');
        const had = ref.markMx(t!.key);
        assert.equal(got & ~MX_INSIDE, had, t!.key);
        assert.equal((got & MX_INSIDE) !== 0, inside(t!.key), `${t!.key} in ${origin}`);
        if (had & HOST_SMTP_TLSA) hits++;
        if (got & MX_INSIDE) inZone++;
      }
      for (const [h] of mxs) {
        const t = wireNameKey(wireOf(h, 0), 2);
        if (t !== undefined) assert.equal(wire.get(t.key), ref.get(t.key));
      }
    }), { numRuns: 1500, seed: 17 });
  assert.ok(hits > 1000 && inZone > 1000, `${hits} TLSA hosts found, ${inZone} in the zone`);
  assert.equal(HOST_SMTP_TLSA | HOST_MX, 3);
});

test('mail-policy TXT owners by id: the owners, records and reporting marks of the map by owner key (and asked by domain, isReportingDomain)', () => {
  const record = fc.record({ o: fc.integer({ min: 0, max: 5 }), ok: fc.boolean() });
  fc.assert(fc.property(fc.array(record, { maxLength: 30 }), fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 8 }), fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 20 }), (spec, marks, asked) => {
    const txt = spec.map((s, i) => ({ owner: `_smtp._tls.d${s.o}.`, ownerKey: `_smtp._tls.d${s.o}.`, typeCode: TYPE_TXT, ok: s.ok, start: i }) as unknown as ZoneRecord);
    const { ids, idOf } = idsFor(txt);
    const a = new TxtOwners(txt), b = new TxtOwners(txt, ids, idOf);
    txt.forEach((r, i) => { if (r.ok) { a.add(i); b.add(i); } });
    assert.equal(b.count, a.count);
    for (let o = 0; o < a.count; o++) assert.deepEqual(b.records(o).map((r) => r.start), a.records(o).map((r) => r.start));
    const marked = new Set<number>();
    for (const m of marks) if (m < a.count && !marked.has(m)) { marked.add(m); a.reporting(m); b.reporting(m); }
    for (let k = 0; k <= 6; k++) assert.equal(b.isReporting(`_smtp._tls.d${k}.`), a.isReporting(`_smtp._tls.d${k}.`));
    // (the domains asked in about the order marked, with others between: isReportingDomain's guesses)
    const inOrder = [...marked].map((m) => b.records(m)[0].ownerKey.slice('_smtp._tls.'.length));
    const domains = [...inOrder.flatMap((d, i) => (i < asked.length ? [d.slice(1), d, `d${asked[i]}.`] : [d.slice(1), d])), ...asked.map((k) => `d${k}.`), 'x.d1.', '1.', ''];
    for (const d of domains) {
      assert.equal(a.isReportingDomain(d), a.isReporting(`_smtp._tls.${d}`), d);
      assert.equal(b.isReportingDomain(d), a.isReporting(`_smtp._tls.${d}`), d);
    }
  }), { numRuns: 1000, seed: 19 });
});

test('putOwnerSpan: ownerAt\'s span, for compact records (streamed) and records with tokens', () => {
  const text = [
    '$ORIGIN example.com.', '_25._tcp.mx TLSA 3 1 1 00', '  IN TLSA 3 1 1 01', '( _25._tcp.b 300 IN TLSA 3 1 1 02 )',
    `${'x'.repeat(1100)} TLSA 3 1 1 03`, `_25._tcp.c ${'  '.repeat(600)} TLSA 3 1 1 04`, '', ''].join('\n');
  const kept: ZoneRecord[] = [];
  parseZone(text, { onRecord: (r) => { kept.push(r); } });
  const full = parseZone(text, {}).records;
  assert.ok(kept.length === 5 && full.length === 5);
  const spans = new Float64Array(2);
  for (const r of [...kept, ...full]) {
    putOwnerSpan(r, spans, 0);
    const at = ownerAt(r);
    assert.deepEqual([spans[0], spans[1]], [at.start, at.end], `${r.constructor.name} ${r.start}`);
  }
});

const D = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';

/** Lines of a zone around mail hosts 0..3: records of every kind the two stages read, and their near misses. */
function line(kind: number, h: number): string {
  switch (kind) {
    case 0: return `mail${h} A 192.0.2.${h}`;
    case 1: return `d${h} MX 10 mail${h}`;
    case 2: return `d${h} MX 20 out${h}.example.net.`;
    case 3: return `_25._tcp.mail${h} TLSA 3 1 1 ${D}`;
    case 4: return `_25._tcp.mail${h} TLSA 2 0 1 ${D}`;
    case 5: return `_25._tcp.mail${h} CH TLSA 3 1 1 ${D}`;
    case 6: return `_25._tcp.ent${h}.sub TLSA 3 1 1 ${D}`;
    case 7: return `_443._tcp.www${h} TLSA 3 1 1 ${D}`;
    case 8: return `www${h} CNAME d${h}`;
    case 9: return `x._smimecert.d${h} SMIMEA 3 0 1 ${D}`;
    case 10: return `_smtp._tls.d${h} TXT "v=TLSRPTv1; rua=mailto:a@d${h}.example.com"`;
    case 11: return `_smtp._tls.d${h} TXT "v=TLSRPTv1; rua=https://r.example/"`;
    case 12: return `_smtp._tls.d${h} TXT "other"`;
    case 13: return `_mta-sts.d${h} TXT "v=STSv1; id=1"`;
    case 14: return `_25._tcp.mail${h} TLSA 3 1 1 ${D.slice(0, 60)}`;
    case 15: return `@ MX 5 mail${h}`;
    case 16: return `d${h} A 192.0.2.${100 + h}`;
    case 17: return `_25._tcp.MAIL${h} 7200 TLSA 3 1 2 ${D}${D}`;
    default: return `_25._tcp.mx-backup TLSA 3 1 1 ${D}`;
  }
}

/** Each diagnostic with everything it carries (related locations and fix data included), in order. */
const full = (ds: readonly ZoneDiagnostic[]): string[] => ds.map((d) => JSON.stringify(d));
const byStart = (ds: readonly ZoneDiagnostic[]): ZoneDiagnostic[] => [...ds].sort((a, b) => a.start - b.start);

test('seeded zones: the CLI (owner ids, RRsets one at a time) finds what a parse\'s view and the incremental DANE stage find', () => {
  const head = ['', '; dane-zone dnssec=signed', '; dane-zone dnssec=unsigned', '; dane-zone dnssec=inline'];
  let withIds = 0, txtWithIds = 0, unsigned = 0;
  fc.assert(fc.property(fc.constantFrom(...head), fc.array(fc.record({ k: fc.integer({ min: 0, max: 18 }), h: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 40 }), (top, spec) => {
    const text = [top, '$ORIGIN example.com.', '$TTL 3600', '@ SOA ns1 host 1 7200 3600 1209600 300', '@ NS ns1', 'ns1 A 192.0.2.1',
      ...spec.map((s) => line(s.k, s.h)), ''].join('\n');
    const options = { now: new Date('2027-01-01T00:00:00Z') };
    const cli = core.checkText(text, options);
    const tlsa = cli.view.records(TYPE_TLSA, TYPE_SMIMEA);
    if (tlsa.length > 0 && cli.view.ownerIds?.idsOf(tlsa)) withIds++;
    const txt = cli.view.records(TYPE_TXT);
    if (txt.length > 0 && cli.view.ownerIds?.idsOf(txt)) txtWithIds++;
    // (ids only for the types the stages ask them of)
    assert.equal(cli.view.ownerIds?.idsOf(cli.view.records(TYPE_MX)), undefined);
    assert.deepEqual(full(cli.diagnostics), full(byStart(core.analyzeZone(text, options).diagnostics)));
    // The DANE stage alone: made one at a time and summed up, against groupTlsaRRsets and the list of queried RRsets.
    const view = viewOfZone(parseZone(text, {}));
    const dane = checkDane(daneViewOf(view), options);
    const reference = incrementalDane.full(view, options).diagnostics;
    assert.deepEqual(full(dane), full(reference));
    if (dane.some((d) => d.code === 'tlsa-unsigned-zone' && (d.related?.length ?? 0) > 0)) unsigned++;
  }), { numRuns: 400, seed: 23 });
  // The paths compared are taken: the CLI's with owner ids, and tlsa-unsigned-zone with related locations.
  assert.ok(withIds > 100 && txtWithIds > 100, `${withIds} ${txtWithIds}`);
  assert.ok(unsigned > 50, `${unsigned}`);
});

test('QueriedSets: the count, first owner, types in order and related spans of a list of RRsets', () => {
  const text = ['$ORIGIN example.com.', `x._smimecert.d SMIMEA 3 0 1 ${D}`, `_25._tcp.a TLSA 3 1 1 ${D}`, `  TLSA 3 1 2 ${D}${D}`,
    `_25._tcp.b TLSA 3 1 1 ${D}`, `_25._tcp.b TLSA 3 1 2 ${D}${D}`, `( 300 TLSA 3 0 1 ${D} )`, `_25._tcp.c ( 300 TLSA 3 0 1 ${D} )`, ''].join('\n');
  const sets = groupTlsaRRsets(parseZone(text, {}).records);
  const q = QueriedSets.of(sets);
  assert.ok(sets.length >= 4 && sets.some((x) => x.records.length > 1));
  assert.deepEqual([q.count, q.firstOwner, q.types], [sets.length, 'x._smimecert.d.example.com.', ['SMIMEA', 'TLSA']]);
  assert.equal(q.first, sets[0].records[0]);
  const d: ZoneDiagnostic = { code: 'c', severity: 'warning', start: 0, end: 0, message: '' };
  q.relatedOf(d);
  assert.deepEqual(d.related, sets.slice(1).map((s) => ({ ...ownerAt(s.records[0]), message: `${s.owner}: also in the unsigned zone` })).map(({ start, end, message }) => ({ start, end, message })));
});

test('the CLI\'s kept records hold the parse\'s wire forms (copied in place: octet by octet up to 64, by set above, none past 512)', () => {
  const lines = ['$ORIGIN example.com.', '@ SOA ns1 host 1 7200 3600 1209600 300', '@ NS ns1', 'ns1 A 192.0.2.1'];
  // TXT at a mail-policy owner (kept) of every length around the two bounds, TLSA and MX between them
  for (const n of [0, 1, 62, 63, 64, 65, 200, 254, 255]) lines.push(`_smtp._tls.d${n} TXT "${'x'.repeat(n)}"`, `d${n} MX ${n} mail${n}`, `_25._tcp.mail${n} TLSA 3 1 1 ${D}`);
  for (const k of [2, 3]) lines.push(`_mta-sts.big${k} TXT ${Array.from({ length: k }, () => `"${'y'.repeat(255)}"`).join(' ')}`);
  const text = lines.join('\n') + '\n';
  const cli = core.checkText(text, {}).view;
  const parsed = parseZone(text, {}).records;
  for (const t of [TYPE_TXT, TYPE_MX, TYPE_TLSA]) {
    const want = parsed.filter((r) => r.typeCode === t).map((r) => Buffer.from(r.wire!).toString('hex'));
    assert.deepEqual(cli.records(t).map((r) => Buffer.from(r.wire!).toString('hex')), want, `type ${t}`);
  }
  assert.ok(parsed.some((r) => r.wire!.length > 512));
});

test('TLSA fields and MX targets read in place (wireSpanOf) equal those read from the wire view, and a name is not read past its end', () => {
  const lines = ['$ORIGIN example.com.'];
  for (let i = 0; i < 300; i++) {
    lines.push(`d${i} MX ${i} ${['mail', 'MX-', 'a\\.b', 'x\\032y', '@'][i % 5]}${i % 5 === 4 ? '' : i}`);
    lines.push(`_25._tcp.mail${i} TLSA ${i % 4} ${i % 2} ${i % 3} ${D.slice(0, 2 + 2 * (i % 33))}`);
  }
  lines.push('e MX 10 .', '_25._tcp.e TLSA 3 1 1 \\# 3 030101');
  const streamed: ZoneRecord[] = [];
  parseZone(lines.join('\n') + '\n', { onRecord: (r) => { streamed.push(r); } });
  let mx = 0, tlsa = 0;
  for (const r of streamed) {
    // (decodeTlsaOf's fields are a class instance, pipeline/fresh.ts: compared as a plain object)
    if (r.typeCode === TYPE_TLSA) { tlsa++; const f = decodeTlsaOf(r); assert.deepEqual(f && { ...f }, decodeTlsaWire(r.wire)); }
    if (r.typeCode === TYPE_MX && r.wire) {
      mx++;
      const w = wireSpanOf(r)!;
      assert.deepEqual(wireNameKey(w, wireOffset + 2, wireOffset + wireLength), wireNameKey(r.wire, 2), `${r.start}`);
    }
  }
  assert.ok(mx > 290 && tlsa > 290);
  // a name cut by `end` is not read on into what follows in the array (plain and escaped names)
  for (const label of [[3, 0x6d, 0x78, 0x31], [3, 0x6d, 0x20, 0x31]]) {
    const d = Uint8Array.from([...label, 7, ...'example'.split('').map((c) => c.charCodeAt(0)), 0]);
    assert.notEqual(wireNameKey(d, 0), undefined);
    for (let end = 0; end < d.length; end++) assert.equal(wireNameKey(d, 0, end), undefined, `${end}`);
  }
});

test('the CLI\'s recordsAt: the kept records at an owner in file order, owners met again in later runs included', () => {
  const kinds = (o: number) => [`o${o} MX 10 m${o}`, `o${o} A 192.0.2.${o}`, `o${o} CNAME x${o}`, `_25._tcp.o${o} TLSA 3 1 1 ${D}`, `_smtp._tls.o${o} TXT "v=TLSRPTv1; rua=mailto:a@b.c"`, `o${o} TXT "x"`, `O${o} MX 20 n${o}`];
  // (few owners, runs of a few records: owners come back in third and later runs)
  const run = fc.record({ o: fc.integer({ min: 0, max: 2 }), ks: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 4 }) });
  fc.assert(fc.property(fc.array(run, { maxLength: 25 }).map((runs) => runs.flatMap((r) => r.ks.map((k) => ({ o: r.o, k })))), (spec) => {
    const text = ['$ORIGIN example.com.', '@ SOA ns1 host 1 7200 3600 1209600 300', ...spec.map((s) => kinds(s.o)[s.k]), ''].join('\n');
    const view = core.checkText(text, {}).view;
    const kept = new Set(view.allRecords().map((r) => r.start));
    const whole = viewOfZone(parseZone(text, {}));
    for (let o = 0; o <= 6; o++) {
      for (const key of [`o${o}.example.com.`, `_25._tcp.o${o}.example.com.`, `_smtp._tls.o${o}.example.com.`]) {
        assert.deepEqual(view.recordsAt(key).map((r) => r.start), whole.recordsAt(key).filter((r) => kept.has(r.start)).map((r) => r.start), key);
      }
    }
  }), { numRuns: 600, seed: 29 });
});
