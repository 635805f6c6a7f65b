/**
 * The analysis pipeline is one: analyzeZone, the streaming CLI (checkText), the incremental
 * document (opened, and brought there by edits) and the language server's `full` analyzer give
 * the same diagnostics on every example zone; and each stage reads only what it declares.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AnalysisOptions, ASYNC_STAGES, getZoneLanguageService, ZONE_STAGES, ZoneDiagnostic, ZoneReads, ZoneRecord, ZoneView } from '../../server/src/core';
import { fullReparseAnalyzer, incrementalAnalyzer } from '../../server/src/lsp/analyzer';
import { createNodeIO } from '../../server/src/node/io';

const core = getZoneLanguageService();
const ROOT = path.resolve(__dirname, '..', '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');

const D1 = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';

/** The example zones, and one that exercises every stage and the finalize step. */
function zones(): { name: string; text: string; file?: string }[] {
  const out: { name: string; text: string; file?: string }[] = fs.readdirSync(EXAMPLES).filter((f) => /\.(zone|signed)$/.test(f)).sort()
    .map((f) => ({ name: f, file: path.join(EXAMPLES, f), text: fs.readFileSync(path.join(EXAMPLES, f), 'utf8') }));
  out.push({
    name: 'inline (disable=, DANE, zone-wide)', text: [
      '$ORIGIN example.com.', '$TTL 3600',
      '@ SOA ns1 host 1 7200 3600 1209600 300', '@ NS ns1', 'ns1 A 192.0.2.1',
      '@ MX 10 mx1', '@ MX 20 mx2', 'mx1 A 192.0.2.2', 'mx2 A 192.0.2.3',
      '; dane-zone disable=tlsa-single-record', `_25._tcp.mx1 TLSA 3 1 1 ${D1}`,
      `_25._tcp.mx3 7200 TLSA 1 1 1 ${D1}`, `_025._tcp.mx2 TLSA 3 0 1 ${D1}`,
      'www CNAME web', 'www A 192.0.2.9', `_443._tcp.www TLSA 3 1 1 ${D1}`, 'dup A 192.0.2.4', 'dup A 192.0.2.4', 'bad A 192.0.2.300',
      'out.example.net. A 192.0.2.5', '',
    ].join('\n'),
  });
  return out;
}

const show = (ds: readonly ZoneDiagnostic[]): string[] =>
  ds.map((d) => `${d.start}-${d.end} ${d.severity} ${d.code}: ${d.message}`).sort();

function optionsFor(file: string | undefined): AnalysisOptions {
  return { fileName: file, io: createNodeIO(), now: new Date('2027-01-01T00:00:00Z'), severity: { 'missing-ttl': 'hint' } };
}

test('analyzeZone, the CLI, the incremental document and the `full` analyzer give the same diagnostics', () => {
  for (const z of zones()) {
    const options = optionsFor(z.file);
    const reference = show(core.analyzeZone(z.text, options).diagnostics);
    assert.ok(reference.length > 0 || !z.name.startsWith('typos'), z.name);
    assert.deepEqual(show(core.checkText(z.text, options).diagnostics), reference, `${z.name}: checkText`);
    const doc = core.openDocument(z.text, options);
    assert.deepEqual(show(doc.diagnostics()), reference, `${z.name}: document`);
    // The same document reached by edits: the text cut in two, then the second half typed back.
    const half = z.text.lastIndexOf('\n', z.text.length >> 1) + 1;
    for (const analyzer of [incrementalAnalyzer, fullReparseAnalyzer]) {
      const model = analyzer.open(z.text.slice(0, half), options);
      model.zoneDiagnostics();
      model.update([{ start: half, end: half, text: z.text.slice(half) }], z.text);
      assert.deepEqual(show([...model.syntaxDiagnostics(), ...model.zoneDiagnostics()]), reference, `${z.name}: ${analyzer.name} analyzer after an edit`);
    }
  }
});

test('`disable=` silences its record in every front end (the finalize step is shared)', () => {
  const z = zones().at(-1)!;
  const options = optionsFor(undefined);
  const codesAt = (ds: readonly ZoneDiagnostic[], line: string, text = z.text) => {
    const at = text.indexOf(line);
    return ds.filter((d) => d.start >= at && d.start < at + line.length).map((d) => d.code);
  };
  const line = `_25._tcp.mx1 TLSA 3 1 1 ${D1}`;
  for (const ds of [core.analyzeZone(z.text, options).diagnostics, core.checkText(z.text, options).diagnostics, fullReparseAnalyzer.open(z.text, options).zoneDiagnostics()]) {
    assert.ok(!codesAt(ds, line).includes('tlsa-single-record'), codesAt(ds, line).join());
  }
  const enabled = z.text.replace('disable=tlsa-single-record', 'nothing=here');
  assert.ok(codesAt(core.analyzeZone(enabled, options).diagnostics, line, enabled).includes('tlsa-single-record'));
});

/** A view that throws on a read its stage did not declare. */
function strictView(view: ZoneView, reads: ZoneReads, stage: string): ZoneView {
  const kept = new Set([...(reads.records ?? []), ...(reads.slim ?? [])]);
  const asked = new Set([...kept, ...(reads.presence ?? [])]);
  const refuse = (what: string) => { throw new Error(`stage ${stage} read ${what} without declaring it`); };
  // Records of a type read only at some owners (`where`): the others are not there.
  const declared = (r: ZoneRecord) => reads.all || (kept.has(r.typeCode) && (reads.where?.[r.typeCode]?.(r.ownerKey) ?? true));
  return {
    zoneOrigin: view.zoneOrigin,
    records: (...types) => (reads.all || types.every((t) => kept.has(t)) ? view.records(...types).filter(declared) : refuse(`records of types ${types}`)),
    allRecords: () => (reads.all ? view.allRecords() : refuse('every record')),
    recordsAt: (k) => view.recordsAt(k).filter(declared),
    hasType: (k, t) => (reads.all || asked.has(t) ? view.hasType(k, t) : refuse(`presence of type ${t}`)),
    get hasDnssecRecords() {
      return reads.all || reads.dnssec ? view.hasDnssecRecords : refuse('DNSSEC presence');
    },
    daneDirectives: view.daneDirectives,
    directives: view.directives,
  };
}

test('each stage reads only what it declares (what the document invalidates by)', async () => {
  for (const z of zones()) {
    const options = optionsFor(z.file);
    const parsed = core.parseZone(z.text, options);
    const view = core.viewOfZone(parsed);
    for (const stage of ZONE_STAGES) {
      assert.deepEqual(show(stage.run(strictView(view, stage.reads, stage.name), options)), show(stage.run(view, options)), `${z.name}: ${stage.name}`);
    }
    for (const stage of ASYNC_STAGES) {
      const strict = strictView(view, stage.reads, stage.name);
      assert.equal(stage.applies(strict, options), stage.applies(view, options), `${z.name}: ${stage.name}`);
    }
  }
});

test('the streaming CLI keeps the TXT records of mail-policy owners only (ZoneReads.where), with the same findings', () => {
  const text = [
    '$ORIGIN example.com.', '$TTL 3600', '@ SOA ns1 h 1 2 3 4 5', '  NS ns1', '  MX 10 mx', '  TXT "v=spf1 -all"',
    'ns1 A 192.0.2.1', 'mx A 192.0.2.2', '_25._tcp.mx TLSA 3 1 1 ' + 'ab'.repeat(32), '  TLSA 3 1 1 ' + 'cd'.repeat(32),
    '_smtp._tls TXT "v=TLSRPTv1; rua=ftp://x"', 'www TXT "hello"', '',
  ].join('\n');
  const options = { origin: 'example.com.' };
  const streamed = core.checkText(text, options);
  assert.deepEqual(streamed.view.records(16).map((r) => r.ownerKey), ['_smtp._tls.example.com.']);
  assert.deepEqual(show(streamed.diagnostics), show(core.analyzeZone(text, options).diagnostics));
  assert.ok(streamed.diagnostics.some((d) => d.code === 'tlsrpt-record'), 'the kept record is checked');
});
