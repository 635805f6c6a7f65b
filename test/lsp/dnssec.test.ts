import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Diagnostic } from 'vscode-languageserver/node';
import { TestClient } from './client';
import { SIGNED } from '../unit/dnssec-fixture';

/**
 * The DNSSEC stage in the language server: a signed zone validates in the background; an
 * edited record shows rrsig-invalid on its RRset (and its RRSIG) as soon as the stage has
 * run, without holding up the syntax diagnostics; undoing the edit clears it.
 */

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));

test('a signed zone in the editor: edit a record → rrsig-invalid on it; undo → gone', async () => {
  const c = await TestClient.start({ settings: { diagnosticsDelay: 0 } });
  try {
    const uri = 'file:///tmp/dnssec-signed.zone';
    await c.open(uri, SIGNED);
    const edited = SIGNED.replace('mx.example.\t3600\tIN\tA\t192.0.2.2', 'mx.example.\t3600\tIN\tA\t192.0.2.9');
    const line = lineOf(edited, '192.0.2.9');
    await c.change(uri, [{ text: edited }]);
    const invalid = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'rrsig-invalid');
    const got = await c.diagnostics(uri, (ds, p) => p.version === 2 && invalid(ds).length > 0);
    const lines = invalid(got).map((d) => d.range.start.line).sort((a, b) => a - b);
    assert.deepEqual(lines, [line, line + 1], JSON.stringify(got));
    const onA = invalid(got).find((d) => d.range.start.line === line)!;
    assert.equal(onA.severity, 1);
    assert.match(String(onA.message), /re-sign the zone/);
    assert.ok(got.some((d) => d.code === 'zonemd-mismatch'));
    // Back to the signed data: the stage runs again and the errors go.
    await c.change(uri, [{ text: SIGNED }]);
    const clean = await c.diagnostics(uri, (ds, p) => p.version === 3 && !ds.some((d) => d.code === 'rrsig-invalid' || d.code === 'zonemd-mismatch'));
    assert.deepEqual(clean.filter((d) => /^(rrsig|nsec|zonemd)/.test(String(d.code))), []);
    assert.ok(!c.logs.some((l) => / failed: /.test(l)), c.logs.join('\n'));
    await c.stop();
  } finally {
    c.kill();
  }
});
