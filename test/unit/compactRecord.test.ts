/**
 * The streaming CLI keeps the records the zone stages read in a compact form whose tokens are
 * read again from the text on demand (pipeline/compactRecord.ts): they must be exactly the
 * tokens the parser gave, on every entry shape, and the findings (with their fix data) the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { getZoneLanguageService, Token, ZoneRecord } from '../../server/src/core';

const core = getZoneLanguageService();
const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples');
const D1 = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';

const tok = (t: Token | undefined) => (t ? `${t.start}-${t.end}${t.quoted ? 'q' : ''}:${t.text}` : '-');
const shape = (r: ZoneRecord) =>
  `${r.start}-${r.end} ${r.ownerKey} owner=${tok(r.ownerToken)} ttl=${tok(r.ttlToken)} class=${tok(r.classToken)} type=${tok(r.typeToken)} [${r.rdata.map(tok).join(' ')}] ${r.ttl} ${r.ok}`;

const TRICKY = [
  '$ORIGIN example.com.', '$TTL 3600', '@ SOA ns1 host 1 7200 3600 1209600 300', '@ NS ns1', 'ns1 A 192.0.2.1',
  '@ MX 10 mx1', '  MX 20 mx2', '(mx1 A 192.0.2.2)', 'mx2 300 IN A 192.0.2.3',
  `_25._tcp.mx1 IN 300 TLSA ( 3 1 1 ; the key`, `    ${D1.slice(0, 32)}`, `    ${D1.slice(32)} )`,
  `  ( ; a blank owner, opened before the first token`, `   TLSA 1 1 1 ${D1} )`,
  `_25._tcp.mx2 TLSA 3 0 1 ${D1}\r`, 'www CNAME mx1',
  // a TTL token longer than a compact record packs (255): its end is read from the entry
  `mx1 ${'0'.repeat(300)}300 IN MX 30 mx2`, '_smtp._tls TXT "v=TLSRPTv1; " "rua=ftp://bad"', '',
].join('\n');

test('kept records read their tokens again exactly as the parser gave them, with the same findings', () => {
  const texts = [TRICKY, ...fs.readdirSync(EXAMPLES).filter((f) => /\.(zone|signed)$/.test(f)).map((f) => fs.readFileSync(path.join(EXAMPLES, f), 'utf8'))];
  for (const text of texts) {
    const options = { origin: 'example.com.', now: new Date('2027-01-01T00:00:00Z') };
    const whole = core.analyzeZone(text, options);
    const byStart = new Map(whole.parsed.records.map((r) => [`${r.start} ${r.typeCode}`, r]));
    const streamed = core.checkText(text, options);
    const kept = streamed.view.allRecords();
    for (const r of kept) {
      const ref = byStart.get(`${r.start} ${r.typeCode}`);
      assert.ok(ref, `kept record at ${r.start}`);
      const slim = r.rdata.length === 0 && ref.rdata.length > 0;
      assert.equal(shape(r), slim ? shape({ ...ref, rdata: [] }) : shape(ref));
    }
    const show = (ds: typeof whole.diagnostics) => ds.map((d) => JSON.stringify([d.start, d.end, d.code, d.message, d.data ?? null, d.related ?? null])).sort();
    assert.deepEqual(show(streamed.diagnostics), show(whole.diagnostics));
  }
});

test('the tricky zone keeps compact records of each shape, and findings that need their tokens', () => {
  const streamed = core.checkText(TRICKY, { origin: 'example.com.' });
  const types = streamed.view.allRecords().map((r) => r.typeName);
  for (const t of ['TLSA', 'MX', 'CNAME', 'TXT']) assert.ok(types.includes(t), t);
  const codes = streamed.diagnostics.map((d) => d.code);
  for (const c of ['tlsa-smtp-pkix', 'tlsa-ee-cert-selector', 'tlsrpt-record']) assert.ok(codes.includes(c), `${c} in ${codes.join()}`);
  // The fix of tlsa-smtp-pkix replaces the usage token of the record on the continuation line.
  const pkix = streamed.diagnostics.find((d) => d.code === 'tlsa-smtp-pkix')!;
  assert.equal(TRICKY.slice(pkix.start, pkix.end), '1');
});
