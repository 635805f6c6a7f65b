/**
 * The streaming CLI keeps the zone stages' records in columns (pipeline/keptColumns.ts) and makes
 * a record again when a stage asks for it; the DANE and mail-policy stages read the TLSA and MX
 * records as rows without making them. Held against the collector that keeps the records as
 * objects (ViewCollector without the zone-wide checker's index, the path before the columns), on
 * seeded zones: the same records (every field, tokens and wire form), the same rows, the same
 * records at each owner, and the same findings of every zone stage.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZoneChecker } from '../../server/src/core/checks/zone';
import { parseZone } from '../../server/src/core/parser';
import { ZoneRecord } from '../../server/src/core/model';
import { ViewCollector, ZoneView } from '../../server/src/core/pipeline/view';
import { ALL_READS, ZONE_STAGES } from '../../server/src/core/pipeline/stages';
import { CompactRecord } from '../../server/src/core/pipeline/compactRecord';
import { spanLength, spanOffset } from '../../server/src/core/pipeline/keptColumns';
import { TYPE_CNAME, TYPE_MX, TYPE_NS, TYPE_SMIMEA, TYPE_TLSA, TYPE_TXT } from '../../server/src/core/rrtypes';
import { rng } from '../support/seeded';
import { zone } from '../support/seededZones';

const D = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';

/** A zone of mail domains (TLSA, MX, TLS-RPT, CNAME), with the shapes the columns treat apart: upper-case owners, huge TTLs, long wire forms, far tokens, $ORIGIN changes, $GENERATE. */
function mailZone(seed: number, n: number): string {
  const r = rng(seed);
  const out = ['$ORIGIN example.com.', '$TTL 3600', '@ SOA ns1 host 1 7200 3600 1209600 300', '@ NS ns1', 'ns1 A 192.0.2.1', '; dane-zone dnssec=signed'];
  for (let i = 0; out.length < n; i++) {
    const h = Math.floor(r() * 40);
    const pick = Math.floor(r() * 22);
    out.push([
      `d${h} MX 10 mail${h}`, `\tMX 20 backup.example.net.`, `mail${h} A 192.0.2.${h}`, `_25._tcp.mail${h} TLSA 3 1 1 ${D}`,
      `\tTLSA 2 0 1 ${D}`, `_25._tcp.MAIL${h} 300 TLSA 3 1 2 ${D}${D}`, `_smtp._tls.d${h} TXT "v=TLSRPTv1; rua=mailto:a@d${h}.example.com"`,
      `_smtp._tls.D${h} TXT "v=TLSRPTv1;" "rua=https://r.example/"`, `_mta-sts.d${h} TXT "v=STSv1; id=${i}"`, `www${h} CNAME d${h}`,
      `d${h} 3000000000 MX 5 mail${h}`, `_smtp._tls.big${h} TXT ${Array.from({ length: 3 }, () => `"${'y'.repeat(255)}"`).join(' ')}`,
      `_25._tcp.far${h} ${' '.repeat(1100)} TLSA 3 1 1 ${D}`, `$ORIGIN o${h % 3}.example.com.`, '$ORIGIN example.com.',
      `x._smimecert.d${h} SMIMEA 3 0 1 ${D}`, `_25._tcp.d${h} CH TLSA 3 1 1 ${D}`, `$GENERATE 1-2 g${i}-$ MX 10 mail${h}`,
      `sub${h} NS ns.sub${h}`, `_25._tcp.mail${h} TLSA 3 1 1 \\# 3 030101`, `d${h} MX 10 .`, `_25._tcp.bad${h} TLSA 3 1 1 zz`,
    ][pick]);
  }
  return out.join('\n') + '\n';
}

/** The CLI's collector (columns) and one keeping objects, fed the same streamed records. */
function collect(text: string): { cols: ZoneView; objs: ZoneView } {
  const checker = new ZoneChecker(text.length);
  const cols = new ViewCollector(ALL_READS, (k, t) => checker.hasType(k, t), text, checker);
  const objs = new ViewCollector(ALL_READS, (k, t) => checker.hasType(k, t), text);
  const parsed = parseZone(text, { onRecord: (r, entryStart) => { const i = checker.add(r); cols.add(r, entryStart, i); objs.add(r, entryStart, i); } });
  checker.finish(parsed.zoneOrigin);
  return { cols: cols.view(parsed), objs: objs.view(parsed) };
}

const hex = (w: Uint8Array | undefined): string | undefined => (w ? Buffer.from(w).toString('hex') : undefined);
const tok = (t: { text: string; start: number; end: number; quoted: boolean } | undefined) => (t ? [t.text, t.start, t.end, t.quoted] : undefined);

/** Every field a reader may ask of a record. */
function fields(r: ZoneRecord): unknown[] {
  return [r.owner, r.ownerKey, r.ttl, r.classCode, r.typeCode, r.start, r.end, r.ok, r.origin, r.includeFile, hex(r.wire), tok(r.ownerToken),
    tok(r.ttlToken), tok(r.classToken), tok(r.typeToken), r.rdata.map(tok), r instanceof CompactRecord ? r.slim : 'tokens'];
}

const TYPES = [TYPE_TLSA, TYPE_SMIMEA, TYPE_MX, TYPE_TXT, TYPE_CNAME, TYPE_NS];

function compare(text: string, what: string): number {
  const { cols, objs } = collect(text);
  let rows = 0;
  for (const types of [...TYPES.map((t) => [t]), [TYPE_TLSA, TYPE_SMIMEA]]) {
    const a = objs.records(...types), b = cols.records(...types);
    assert.deepEqual(b.map(fields), a.map(fields), `${what}: records(${types})`);
    // rows: the same answers as the records, without making them (and the same object where one was made)
    const rw = cols.rows!(...types);
    assert.equal(rw.length, a.length, `${what}: rows(${types})`);
    for (let i = 0; i < rw.length; i++) {
      const r = a[i];
      const w = rw.wireSpan(i);
      assert.deepEqual([rw.typeCode(i), rw.classCode(i), rw.ok(i), rw.ownerKey(i), rw.hasOwner(i), hex(w?.subarray(spanOffset, spanOffset + spanLength))],
        [r.typeCode, r.classCode, r.ok, r.ownerKey, true, hex(r.wire)], `${what}: row ${i} of ${types}`);
      assert.deepEqual(fields(rw.record(i)), fields(r));
      if (i > 0) assert.equal(rw.ownerId(i) === rw.ownerId(i - 1), r.ownerKey === a[i - 1].ownerKey, `${what}: owner ids ${i}`);
      rows++;
    }
  }
  const keys = new Set(objs.allRecords().map((r) => r.ownerKey));
  for (const k of [...keys, 'nowhere.example.com.']) assert.deepEqual(cols.recordsAt(k).map(fields), objs.recordsAt(k).map(fields), `${what}: recordsAt(${k})`);
  // the same record each time it is asked for (a feature may compare them)
  const list = cols.records(TYPE_MX);
  if (list.length > 0) assert.equal(cols.records(TYPE_MX)[0], list[0]);
  for (const stage of ZONE_STAGES) {
    const options = { now: new Date('2027-01-01T00:00:00Z') };
    assert.deepEqual(stage.run(cols, options).map((d) => JSON.stringify(d)), stage.run(objs, options).map((d) => JSON.stringify(d)), `${what}: ${stage.name}`);
  }
  return rows;
}

test('kept in columns: the records, rows, records by owner and zone-stage findings of the collector that keeps objects (mail zones)', () => {
  let rows = 0;
  for (let seed = 1; seed <= 60; seed++) rows += compare(mailZone(seed, 30 + seed * 3), `mail zone ${seed}`);
  assert.ok(rows > 5000, `${rows}`);
});

test('kept in columns: the same on the seeded zones of many line shapes', () => {
  for (let seed = 1; seed <= 12; seed++) {
    compare(zone(seed, 400), `zone ${seed}`);
    compare(zone(seed + 100, 400, 0.02, { bare: true, more: true }), `zone ${seed} bare, more`);
  }
});
