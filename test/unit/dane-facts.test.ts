/**
 * The DANE and mail-policy stages' shortcuts give the answers of the general code they skip:
 * the plain TLS-RPT reading (tlsRptParsing.plain) against the full one, the tag test against
 * `trimStart().toLowerCase().startsWith()`, the RRset grouping against a plain map, and related
 * locations made when first read against plain ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkMailPolicies, isMailPolicyOwner } from '../../server/src/core/dane/mtaSts';
import { checkTlsRptRecord, startsWithTag } from '../../server/src/core/dane/mailPolicyRecords';
import { plainTlsRpt, plainTlsRptSpan, plainTlsRptWire, tlsRptParsing } from '../../server/src/core/dane/tlsRptPlain';
import { checkText } from '../../server/src/core/pipeline/run';
import { parseZone } from '../../server/src/core/parser';
import { wireName } from '../../server/src/core/names';
import { groupTlsaRRsets } from '../../server/src/core/dane/view';
import { lazyRelated } from '../../server/src/core/dane/report';
import { HOST_CNAME, HOST_MX, HOST_SMTP_TLSA, HostFacts } from '../../server/src/core/dane/hosts';
import { ZoneRecord } from '../../server/src/core/model';
import { ZoneDiagnostic } from '../../server/src/core/types';

/** A TXT record whose one quoted string is `text` (what spanOf reads for a finding's place). */
function txtRecord(text: string): ZoneRecord {
  const start = 100;
  return {
    owner: '_smtp._tls.example.com.', ownerKey: '_smtp._tls.example.com.', typeCode: 16, classCode: 1, ok: true, start: 60, end: start + text.length + 2,
    rdata: [{ text, start, end: start + text.length + 2, quoted: true }], typeToken: { text: 'TXT', start: 90, end: 93, quoted: false },
  } as unknown as ZoneRecord;
}

function bothRpt(text: string): { plain: readonly ZoneDiagnostic[]; full: readonly ZoneDiagnostic[] } {
  const plain = checkTlsRptRecord(txtRecord(text), text);
  tlsRptParsing.plain = false;
  try {
    return { plain, full: checkTlsRptRecord(txtRecord(text), text) };
  } finally {
    tlsRptParsing.plain = true;
  }
}

test('TLS-RPT: the plain reading finds what the full one finds, on near misses and mutations', () => {
  const ok = 'v=TLSRPTv1; rua=mailto:tlsrpt@dom0.bench.example';
  const cases = [
    ok, 'v=TLSRPTv1; rua=mailto:a@b.c', 'v=TLSRPTv1; rua=mailto:a@b', 'v=TLSRPTv1; rua=mailto:@b.c', 'v=TLSRPTv1; rua=mailto:a@b.c;',
    'v=TLSRPTv1; rua=mailto:a@b.c,mailto:d@e.f', 'v=TLSRPTv1; rua=mailto:a@b.c, https://x.example/r', 'v=TLSRPTv1; rua=mailto:a b@c.d',
    'v=TLSRPTv1; rua=mailto:a@b.c ', 'v=TLSRPTv1; rua=', 'v=TLSRPTv1; rua=https://r.example/', 'v=TLSRPTv1;rua=mailto:a@b.c',
    'v=TLSRPTv1 ; rua=mailto:a@b.c', 'V=TLSRPTv1; rua=mailto:a@b.c', 'v=TLSRPTv1; RUA=mailto:a@b.c', 'v=TLSRPTv1; rua=MAILTO:a@b.c',
    'v=TLSRPTv1; rua=mailto:a@@b.c', 'v=TLSRPTv1; rua=mailto:a@b.c\u00a0', 'v=TLSRPTv1; rua=mailto:a@b.c\t', 'v=TLSRPTv1; rua=mailto:a@b.\u00e9',
    'v=TLSRPTv1; rua=mailto:a@b.c; rua=mailto:d@e.f', 'v=TLSRPTv1; rua=mailto:a@b.c; x=y', 'v=TLSRPTv1; rua=mailto:a=b@c.d', 'v=TLSRPTv1',
    'v=TLSRPTv1; rua=mailto:a\\@b.c', 'v=TLSRPTv1; rua=mailto:a@b.c\u007f',
  ];
  for (const c of cases) {
    const { plain, full } = bothRpt(c);
    assert.deepEqual(plain, full, c);
  }
  // The plain reading is taken (it is not the full one by another name).
  assert.deepEqual(bothRpt(ok).full, []);
  const chars = fc.constantFrom(...'v=TLSRPTv1; rua=mailto:@.,-_ \t\u00a0\u00e9\u0085\u007fxyzAZ09https:/'.split(''));
  fc.assert(fc.property(fc.nat(ok.length), fc.nat(3), fc.array(chars, { maxLength: 3 }), (at, cut, insert) => {
    const text = ok.slice(0, at) + insert.join('') + ok.slice(Math.min(ok.length, at + cut));
    const { plain, full } = bothRpt(text);
    assert.deepEqual(plain, full, JSON.stringify(text));
  }), { numRuns: 1500, seed: 13 });
});

test('TLS-RPT / MTA-STS version tag: startsWithTag is trimStart().toLowerCase().startsWith() on TXT values', () => {
  const latin1 = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
  const near = fc.constantFrom(' ', '\t', '\n', '\u000b', '\f', '\r', '\u00a0', '\u0085', 'v', 'V', '=', 's', 'S', 't', 'T', 'l', 'r', 'p', '1', ';', '\u00d6');
  for (const tag of ['v=STSv1', 'v=TLSRPTv1']) {
    fc.assert(fc.property(fc.array(fc.oneof(latin1, near), { maxLength: 14 }), (cs) => {
      for (const text of [cs.join(''), ' ' + tag + cs.join(''), tag.toUpperCase() + cs.join(''), cs.join('') + tag]) {
        assert.equal(startsWithTag(text, tag), text.trimStart().toLowerCase().startsWith(tag.toLowerCase()), JSON.stringify(text));
      }
    }), { numRuns: 1500, seed: 7 });
  }
});

test('TLSA RRsets: grouped as a plain map of owner, class and type would, runs taken whole', () => {
  const reference = (records: ZoneRecord[]) => {
    const out: ZoneRecord[][] = [];
    const by = new Map<string, ZoneRecord[]>();
    for (const r of records) {
      if (!r.owner || (r.typeCode !== 52 && r.typeCode !== 53)) continue;
      const k = `${r.ownerKey} ${r.classCode} ${r.typeCode}`;
      const l = by.get(k);
      if (l) l.push(r); else { const n = [r]; by.set(k, n); out.push(n); }
    }
    return out;
  };
  const record = fc.record({ o: fc.integer({ min: 0, max: 3 }), t: fc.constantFrom(52, 53, 46, 1), c: fc.constantFrom(1, 3), blank: fc.boolean() });
  fc.assert(fc.property(fc.array(record, { maxLength: 30 }), (spec) => {
    const records = spec.map((s, i) => {
      const owner = s.blank && s.o === 0 ? '' : `_25._tcp.H${s.o}.example.`;
      return { owner, ownerKey: owner.toLowerCase(), typeCode: s.t, classCode: s.c, start: i } as unknown as ZoneRecord;
    });
    const sets = groupTlsaRRsets(records);
    assert.deepEqual(sets.map((s) => s.records.map((r) => r.start)), reference(records).map((l) => l.map((r) => r.start)));
    for (const s of sets) {
      const r = s.records[0];
      assert.deepEqual([s.owner, s.ownerKey, s.classCode, s.typeCode], [r.owner, r.ownerKey, r.classCode, r.typeCode]);
    }
  }), { numRuns: 1000, seed: 5 });
});

test('related locations made when first read: equal to plain ones, copied by spread and JSON, made once, assignable', () => {
  let made = 0;
  const make = () => { made++; return [{ start: 1, end: 2, message: 'a' }, { start: 3, end: 4, message: 'b' }]; };
  const d: ZoneDiagnostic = { code: 'tlsa-unsigned-zone', severity: 'warning', start: 0, end: 1, message: 'm' };
  lazyRelated(d, make);
  assert.equal(made, 0);
  const plain = { code: 'tlsa-unsigned-zone', severity: 'warning', start: 0, end: 1, message: 'm', related: make() };
  made = 0;
  assert.deepEqual({ ...d }, plain);
  assert.equal(made, 1);
  assert.deepEqual(d, plain);
  assert.equal(JSON.stringify(d), JSON.stringify(plain));
  assert.deepEqual(Object.keys(d), Object.keys(plain));
  // Moved in place like a plain property (the editor moves related locations with the edits).
  d.related![0].start += 10;
  assert.equal(d.related![0].start, 11);
  assert.equal(made, 1);
  const e: ZoneDiagnostic = { code: 'x', severity: 'warning', start: 0, end: 1, message: 'm' };
  lazyRelated(e, make);
  e.related = undefined;
  assert.equal(e.related, undefined);
  assert.equal(made, 1);
});

test('host facts of a full DANE run: the bits a map of host keys would hold, past the growth of their table', () => {
  fc.assert(fc.property(fc.array(fc.record({ mx: fc.boolean(), k: fc.integer({ min: 0, max: 150 }) }), { minLength: 100, maxLength: 400 }), (ops) => {
    const facts = new HostFacts();
    const ref = new Map<string, number>();
    // the TLSA pass first, then the MX targets (as startDane does)
    for (const o of ops) if (!o.mx) { facts.markSmtpTlsa(`h${o.k}.`); ref.set(`h${o.k}.`, HOST_SMTP_TLSA); }
    for (const o of ops) {
      if (!o.mx) continue;
      const had = ref.get(`h${o.k}.`) ?? 0;
      assert.equal(facts.markMx(`h${o.k}.`), had);
      ref.set(`h${o.k}.`, had | HOST_MX);
    }
    for (let k = 0; k <= 151; k++) assert.equal(facts.get(`h${k}.`), ref.get(`h${k}.`) ?? 0);
  }), { numRuns: 300, seed: 3 });
});

test('host facts: a CNAME owner is marked exactly when it is a host of the table (its first test, on length and first characters, only passes others on)', () => {
  const name = fc.array(fc.constantFrom(...'ab.-x'.split('')), { maxLength: 6 }).map((a) => a.join('') + '.');
  fc.assert(fc.property(fc.array(name, { maxLength: 60 }), fc.array(name, { maxLength: 60 }), (hosts, cnames) => {
    const facts = new HostFacts();
    const ref = new Map<string, number>();
    // (as startDane: the TLSA hosts from their `_25._tcp.` owners, then the CNAME owners)
    for (const h of hosts) { facts.markSmtpTlsa('_25._tcp.' + h, '_25._tcp.'.length); ref.set(h, HOST_SMTP_TLSA); }
    for (const c of cnames) { facts.markCname(c); if (ref.has(c)) ref.set(c, ref.get(c)! | HOST_CNAME); }
    for (const k of [...hosts, ...cnames]) assert.equal(facts.get(k), ref.get(k) ?? 0, k);
  }), { numRuns: 500, seed: 13 });
});

test('tlsrpt-missing: mail domains read in one pass over the MX records, owners split over the file, as a plain reading finds them', () => {
  // Owners d0..d5: MX records in two places, TLS-RPT at some (and a non-TLS-RPT TXT at one), TLSA at some targets.
  const lines = [
    '$ORIGIN example.com.', '$TTL 300', '@ SOA ns hm 1 2 3 4 5',
    'd0 MX 10 m0', 'd1 MX 10 m1', 'd1 MX 20 m2', 'd2 MX 10 out.example.net.', 'd3 MX 10 m3', 'd4 MX 10 m4', 'd5 MX 10 m5',
    '_smtp._tls.d1 TXT "v=TLSRPTv1; rua=mailto:r@example.com"', '_smtp._tls.d3 TXT "other"',
    '_25._tcp.m0 TLSA 3 1 1 ' + '00'.repeat(32), '_25._tcp.m2 TLSA 3 1 1 ' + '11'.repeat(32), '_25._tcp.m5 TLSA 3 1 1 ' + '22'.repeat(32),
    'd0 MX 20 m5', 'd4 MX 20 m0', 'd1 MX 30 m0', 'd3 MX 30 m2', 'd5 MX 30 m0',
    '_smtp._tls.d5 TXT "v=TLSRPTv1; rua=mailto:r@example.com"',
  ];
  const text = lines.join('\n') + '\n';
  const p = parseZone(text);
  const mx = p.records.filter((r) => r.typeCode === 15);
  const mailTxt = p.records.filter((r) => r.typeCode === 16 && isMailPolicyOwner(r.ownerKey));
  const tlsaHosts = new Set(p.records.filter((r) => r.typeCode === 52).map((r) => r.ownerKey.slice('_25._tcp.'.length)));
  const got = checkMailPolicies({ zoneOrigin: 'example.com.', mx, mailTxt, hasSmtpTlsa: (h) => tlsaHosts.has(h), daneDirectives: [] }, { daneOn: true })
    .filter((d) => d.code === 'tlsrpt-missing').map((d) => `${text.slice(d.start, d.end)} ${d.message.split(':')[0]}`);
  // The plain reading: each MX owner once (its first MX record), without a TLS-RPT record, with some target under TLSA.
  const reporting = new Set(mailTxt.filter((r) => /^v=TLSRPTv1/.test(r.rdata[0].text)).map((r) => r.ownerKey.slice('_smtp._tls.'.length)));
  const expected: string[] = [];
  const seen = new Set<string>();
  for (const m of mx) {
    if (seen.has(m.ownerKey)) continue;
    seen.add(m.ownerKey);
    if (reporting.has(m.ownerKey)) continue;
    const dane = mx.filter((x) => x.ownerKey === m.ownerKey && tlsaHosts.has((wireName(x.wire!, 2) ?? "").toLowerCase()));
    if (dane.length > 0) expected.push(`${m.ownerToken!.text} ${m.owner} publishes DANE for its MX host${dane.length > 1 ? 's' : ''} but has no TLS-RPT record`);
  }
  assert.deepEqual(got, expected);
  assert.deepEqual(got.map((g) => g.split(' ')[0]), ['d0', 'd3', 'd4']);
});

test('TLS-RPT: a plain record told from its wire form is exactly a plain one told from its text', () => {
  const ok = 'v=TLSRPTv1; rua=mailto:tlsrpt@dom0.bench.example';
  const wireOf = (text: string) => Uint8Array.from([text.length, ...Array.from(text, (c) => c.charCodeAt(0))]);
  const same = (text: string) => {
    const want = startsWithTag(text, 'v=TLSRPTv1') && plainTlsRpt(text);
    assert.equal(plainTlsRptWire(wireOf(text)), want, JSON.stringify(text));
    // (read in place inside a larger array, with octets that would pass before and after it)
    const w = wireOf(text), pad = wireOf(ok);
    const d = Uint8Array.from([...pad, ...w, ...pad]);
    assert.equal(plainTlsRptSpan(d, pad.length, w.length), want, JSON.stringify(text));
  };
  for (const t of [ok, 'v=TLSRPTv1; rua=MailTo:a@b.c', 'v=TLSRPTv1; rua=mailto:a@.c', 'v=TLSRPTv1; rua=mailto:a@b.', 'v=TLSRPTv1; rua=mailto:a@b..', 'v=TLSRPTv1; rua=mailto:a@bc', 'v=TLSRPTv1; rua=mailto:a@bcd', 'v=TLSRPTv1; rua=mailto:a@b-c-d',
    'v=TLSRPTv1; rua=mailto:@b.c', 'v=TLSRPTv1; rua=mailto:a@b@c.d', 'v=TLSRPTv1; rua=mailto:', 'v=TLSRPTv1; rua=mailt', 'v=TLSRPTv1; rua=mailto:a@x.b.c', 'v=TLSRPTv1; rua=mailto:a.b@c.d']) same(t);
  const chars = fc.constantFrom(...'v=TLSRPTv1; rua=mailto:@.,-_ \t\u00a0\u00e9\u007fxyzAZ09M'.split(''));
  fc.assert(fc.property(fc.nat(ok.length), fc.nat(3), fc.array(chars, { maxLength: 4 }), (at, cut, insert) => {
    same(ok.slice(0, at) + insert.join('') + ok.slice(Math.min(ok.length, at + cut)));
  }), { numRuns: 3000, seed: 17 });
  // two strings, or a length octet that is not the whole: the text reading
  assert.equal(plainTlsRptWire(Uint8Array.from([...wireOf('v=TLSRPTv1; rua=mailto:a@b.c'), 0])), false);
  assert.equal(plainTlsRptWire(new Uint8Array(0)), false);
});

test('mail policies: the same findings with the plain TLS-RPT readings as without them', () => {
  const txt = ['"v=TLSRPTv1; rua=mailto:r@example.com"', '"v=TLSRPTv1; rua=mailto:r@example.com" ""', '"v=TLSRPTv1; rua=mailto:a@b"', '"v=TLSRPTv1;rua=mailto:r@example.com"',
    '"V=tlsrptv1; rua=mailto:r@example.com"', '"other"', '"v=TLSRPTv1; rua=mailto:r@example.com; x=y"'];
  const lines = ['$ORIGIN example.com.', '$TTL 300', '@ SOA ns hm 1 2 3 4 5'];
  // one owner per shape, then owners with two of them (two plain ones: "a second" record)
  txt.forEach((t, i) => lines.push(`_smtp._tls.d${i} TXT ${t}`));
  txt.forEach((t, i) => lines.push(`_smtp._tls.p${i} TXT ${t}`, `_smtp._tls.p${i} TXT ${txt[(i + 1) % txt.length]}`, `_smtp._tls.p${i} TXT ${txt[0]}`));
  const text = lines.join('\n') + '\n';
  const p = parseZone(text);
  const mailTxt = p.records.filter((r) => r.typeCode === 16 && isMailPolicyOwner(r.ownerKey));
  const run = () => checkMailPolicies({ zoneOrigin: 'example.com.', mx: [], mailTxt, hasSmtpTlsa: () => false, daneDirectives: [] }, { daneOn: true });
  const plain = run();
  tlsRptParsing.plain = false;
  try {
    assert.deepEqual(plain, run());
  } finally {
    tlsRptParsing.plain = true;
  }
  assert.ok(plain.some((d) => /a second `v=TLSRPTv1` record/.test(d.message)));
  // Streamed (the CLI's rows: an owner's one plain record is read from its row), with MX records
  // and TLSA for tlsrpt-missing, owners in capitals and `_mta-sts` owners.
  const zone = [...lines, '; dane-zone dnssec=inline', '_25._tcp.mx TLSA 3 1 1 ' + '00'.repeat(32), ...txt.flatMap((t, i) => [`d${i} MX 10 mx`, `_SMTP._TLS.c${i} TXT ${t}`, `c${i} MX 10 mx`, `_mta-sts.d${i} TXT ${t.replace('TLSRPTv1', 'STSv1')}`]), 'e0 MX 10 mx'].join('\n') + '\n';
  const streamed = checkText(zone, {}).diagnostics;
  tlsRptParsing.plain = false;
  try {
    assert.deepEqual(streamed, checkText(zone, {}).diagnostics);
  } finally {
    tlsRptParsing.plain = true;
  }
  assert.ok(streamed.some((d) => d.code === 'tlsrpt-missing') && streamed.some((d) => d.code === 'tlsrpt-record') && streamed.some((d) => d.code === 'mta-sts-record'));
});
