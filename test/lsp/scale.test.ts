/**
 * The server at scale (issue 13), through the real server over stdio: the
 * `daneZone.maxDiagnostics` cap with its `too-many-diagnostics` summary (errors kept before
 * warnings before information), and many content changes in one didChange (a "Replace All",
 * last first as editors send them) giving the same diagnostics as the same changes sent one by
 * one. No timings are asserted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { withServer } from './client';

/** n hosts with a duplicate record each (warnings), and every 10th with an invalid address (errors). */
function zone(n: number): string {
  const out = ['$ORIGIN example.', '$TTL 300', '@ SOA ns hm 1 2 3 4 5', '@ NS ns', 'ns A 192.0.2.1'];
  for (let i = 0; i < n; i++) {
    out.push(`h${i} A 10.0.0.${i % 250}`, `h${i} A 10.0.0.${i % 250}`);
    if (i % 10 === 0) out.push(`bad${i} A 10.0.0.300`);
  }
  return out.join('\n') + '\n';
}

const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code} ${d.severity}`).sort();

test('above daneZone.maxDiagnostics: errors first, then warnings, and one too-many-diagnostics summary saying how many and which setting', async () => {
  await withServer({ settings: { diagnosticsDelay: 0, maxDiagnostics: 25 } }, async (c) => {
    const uri = 'file:///scale/cap.zone';
    await c.open(uri, zone(100));
    const ds = await c.diagnostics(uri, (d) => d.some((x) => x.code === 'too-many-diagnostics') && d.some((x) => x.code === 'duplicate-record'));
    assert.equal(ds.length, 26);
    const summary = ds.filter((d) => d.code === 'too-many-diagnostics');
    assert.equal(summary.length, 1);
    assert.equal(summary[0].severity, 3);
    assert.deepEqual(summary[0].range.start, { line: 0, character: 0 });
    // 10 errors (invalid addresses) all kept, then 15 of the 100 duplicate-record warnings.
    assert.equal(ds.filter((d) => d.severity === 1).length, 10);
    assert.equal(ds.filter((d) => d.code === 'duplicate-record').length, 15);
    assert.match(String(summary[0].message), /110 diagnostics in this file, 25 shown: 85 more not shown \(85 warnings\)/);
    assert.match(String(summary[0].message), /daneZone\.maxDiagnostics/);
    // Raising the cap shows them all, without a summary.
    await c.changeSettings({ diagnosticsDelay: 0, maxDiagnostics: 1000 });
    const all = await c.diagnostics(uri, (d) => d.length === 110, 10_000, c.published.length);
    assert.ok(!all.some((d) => d.code === 'too-many-diagnostics'));
  });
});

test('many changes in one didChange (last first, as a Replace All sends them) give the same diagnostics as the changes one by one, and as opening the new text', async () => {
  // (1,200 lines: several chunks of the document, several edits in most of them)
  const text = zone(400);
  const lines = text.split('\n');
  const after = [...lines];
  // One of the two `A 10.0.0.x` records of a host with an odd x becomes 192.0.2.x, and one invalid address is fixed.
  const changes: TextDocumentContentChangeEvent[] = [];
  lines.forEach((l, line) => {
    const m = /^(h\d+ A )10\.0\.0\.(\d*[13579])$/.exec(l);
    if (m && line % 2 === 1) {
      changes.push({ range: { start: { line, character: m[1].length }, end: { line, character: l.length } }, text: `192.0.2.${m[2]}` });
      after[line] = `${m[1]}192.0.2.${m[2]}`;
    }
    if (l === 'bad20 A 10.0.0.300') {
      changes.push({ range: { start: { line, character: 15 }, end: { line, character: 18 } }, text: '3' });
      after[line] = 'bad20 A 10.0.0.3';
    }
  });
  assert.ok(changes.length > 50);
  changes.reverse();
  const results: string[][] = [];
  for (const mode of ['batch', 'one by one', 'fresh'] as const) {
    await withServer({ settings: { diagnosticsDelay: 0 } }, async (c) => {
      const uri = `file:///scale/replace-${mode.replace(/ /g, '-')}.zone`;
      await c.open(uri, mode === 'fresh' ? after.join('\n') : text);
      await c.diagnostics(uri, (d) => d.some((x) => x.code === 'duplicate-record'));
      let version = 1;
      if (mode === 'batch') version = await c.change(uri, changes);
      else if (mode === 'one by one') for (const ch of changes) version = await c.change(uri, [ch]);
      await c.diagnostics(uri, (_d, p) => p.version === version, 10_000);
      // The last publication of that version (stage 2 follows stage 1 at once for a zone this small).
      await new Promise((r) => setTimeout(r, 1000));
      const last = c.published.filter((p) => p.uri === uri).pop()!;
      assert.equal(last.version, version);
      results.push(codes(last.diagnostics));
    });
  }
  assert.deepEqual(results[0], results[1]);
  assert.deepEqual(results[0], results[2]);
  // The edits took effect: the fixed address no longer errs, the changed hosts' records differ (rrset TTLs the same, no duplicate there).
  assert.equal(results[0].filter((x) => x.endsWith(' 1')).length, 39);
});

test('a diagnostic naming more than 100 related locations is published with the first 100, the last saying how many more', async () => {
  // An unsigned zone with 150 TLSA RRsets: one tlsa-unsigned-zone naming the other 149.
  const out = ['$ORIGIN example.', '$TTL 300', '@ SOA ns hm 1 2 3 4 5', '@ NS ns', 'ns A 192.0.2.1'];
  for (let i = 0; i < 150; i++) out.push(`d${i} MX 10 mail${i}`, `mail${i} A 192.0.2.2`, `_25._tcp.mail${i} TLSA 3 1 1 ${'ab'.repeat(32)}`);
  await withServer({ settings: { diagnosticsDelay: 0 } }, async (c) => {
    const uri = 'file:///scale/related.zone';
    await c.open(uri, out.join('\n') + '\n');
    const ds = await c.diagnostics(uri, (d) => d.some((x) => x.code === 'tlsa-unsigned-zone'));
    const d = ds.find((x) => x.code === 'tlsa-unsigned-zone')!;
    assert.equal(d.relatedInformation?.length, 100);
    assert.match(d.relatedInformation![99].message, /_25\._tcp\.mail100\.example\.: also in the unsigned zone \(and 49 more locations not shown\)/);
  });
});
