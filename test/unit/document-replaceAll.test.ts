/**
 * A "Replace All" (many edits in one update, last first) on a zone of many chunks: the edits that
 * fall in one chunk re-parse it once (document.ts), and only the records that are not the same
 * record read again are compared for the zone stages (documentDiff.ts). The document must agree
 * with a fresh analysis of the new text, and with the same edits made one by one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZoneDocument } from '../../server/src/core/document';
import { TextChange } from '../../server/src/core/edits';
import { AnalysisOptions } from '../../server/src/core/analysis';
import { diagKey, disagreement } from '../support/agreement';

const options: AnalysisOptions = { now: new Date('2026-01-01T00:00:00Z') };

/** ~4,000 entries (16 chunks): hosts with addresses, mail hosts with MX, TLSA and duplicate records, CNAMEs. */
function zone(): string {
  const out = ['$ORIGIN example.', '$TTL 300', '@ SOA ns hm 1 2 3 4 5', '@ NS ns', 'ns A 192.0.2.1', '@ MX 10 mx0'];
  for (let i = 0; i < 600; i++) {
    out.push(`h${i} A 10.0.${i >> 8}.${i & 255}`, `  AAAA 2001:db8::${i.toString(16)}`, `www.h${i} CNAME h${i}`);
    if (i % 3 === 0) out.push(`h${i} MX 10 mx${i % 40}`, `h${i} TXT "v=spf1 mx -all"`);
    if (i % 40 === 0) out.push(`mx${i % 40} A 192.0.2.${i % 200}`, `_25._tcp.mx${i % 40} TLSA 3 1 1 ${'ab'.repeat(32)}`, `_25._tcp.mx${i % 40} TLSA 3 1 1 ${'cd'.repeat(32)}`);
    if (i % 7 === 0) out.push(`h${i} A 10.0.${i >> 8}.${i & 255}`);
  }
  return out.join('\n') + '\n';
}

/** Edits on lines matching `re`, every `step`-th one, made by `edit` (offsets of the original text), last first. */
function replaceAll(text: string, re: RegExp, step: number, edit: (line: string, at: number) => TextChange | undefined): TextChange[] {
  const out: TextChange[] = [];
  let at = 0;
  let n = 0;
  for (const line of text.split('\n')) {
    if (re.test(line) && n++ % step === 0) {
      const c = edit(line, at);
      if (c) out.push(c);
    }
    at += line.length + 1;
  }
  return out.reverse();
}

function check(name: string, changes: (text: string) => TextChange[]): void {
  test(`a Replace All (${name}) agrees with a fresh analysis and with the same edits one by one`, () => {
    const text = zone();
    const cs = changes(text);
    assert.ok(cs.length > 20, `${cs.length} edits`);
    const batch = new ZoneDocument(text, options);
    batch.diagnostics();
    batch.update(cs);
    assert.equal(disagreement(batch, options), '');
    const single = new ZoneDocument(text, options);
    single.diagnostics();
    for (const c of cs) single.update([c]);
    assert.equal(batch.text, single.text);
    assert.deepEqual(batch.diagnostics().map(diagKey).sort(), single.diagnostics().map(diagKey).sort());
    // And again on the result (the moved results and the re-parsed chunks stay consistent).
    batch.update(changes(batch.text));
    assert.equal(disagreement(batch, options), '');
  });
}

const lastField = (to: (old: string) => string) => (line: string, at: number): TextChange => {
  const f = line.lastIndexOf(' ') + 1;
  return { start: at + f, end: at + line.length, text: to(line.slice(f)) };
};

check('addresses', (text) => replaceAll(text, /^h\d+ A /, 2, lastField((a) => (a.startsWith('10.') ? '192.0.2.77' : '10.9.9.9'))));
check('MX targets', (text) => replaceAll(text, / MX 10 /, 1, lastField((t) => (t === 'mx3' ? 'mx4' : 'mx3'))));
check('TLSA data, making duplicates', (text) => replaceAll(text, / TLSA /, 1, lastField(() => 'ab'.repeat(32))));
check('owners, line breaks and deletions', (text) => replaceAll(text, /^(h\d+|www\.h\d+) /, 3, (line, at) => {
  const sp = line.indexOf(' ');
  if (line.startsWith('www.')) return { start: at, end: at + sp, text: line.slice(4, sp) }; // a CNAME at its target's name
  if (/ A 10\.0\.\d+\.\d*[05]$/.test(line)) return { start: at, end: at + line.length + 1, text: '' }; // the whole line
  return { start: at + sp, end: at + sp, text: '\n ' }; // the rest to the next line, under the previous owner
}));

test('the records an edit re-parsed but did not change stay the same objects, at their new places', () => {
  const text = zone();
  const doc = new ZoneDocument(text, options);
  doc.diagnostics();
  const before = doc.parsed.records.slice();
  const starts = before.map((r) => r.start);
  // A line inserted near the start of the first chunk: every record after it is read again.
  const at = text.indexOf('\nh1 A ') + 1;
  doc.update([{ start: at, end: at, text: 'new A 192.0.2.200\n' }]);
  const after = doc.parsed.records.slice();
  assert.equal(after.length, before.length + 1);
  const k = after.findIndex((r) => r.owner === 'new.example.');
  assert.ok(k > 0);
  for (let i = 0; i < before.length; i++) assert.equal(after[i < k ? i : i + 1], before[i], `record ${i}`);
  for (let i = k; i < before.length; i++) assert.equal(before[i].start, starts[i] + 'new A 192.0.2.200\n'.length);
  assert.equal(after[k + 1].ownerToken?.text, 'h1');
  assert.equal(disagreement(doc, options), '');
});
