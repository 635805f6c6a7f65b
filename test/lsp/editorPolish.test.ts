import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DiagnosticSeverity, Hover, HoverRequest, MarkupContent } from 'vscode-languageserver/node';
import { fileUri, TestClient } from './client';

/**
 * Issue 16 (the mail operator's path through the editor), as an LSP client sees it: the
 * severity the editor shows is the one `dane-zone check` prints, and the digest hover.
 */

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'dane-zone.js');
const D = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';
const INLINE = [
  '; dane-zone dnssec=inline',
  '$ORIGIN example.com.',
  '$TTL 3600',
  '@ SOA ns1 hostmaster 1 7200 3600 1209600 300',
  '@ NS ns1',
  '@ MX 10 mx1',
  'ns1 A 192.0.2.53',
  'mx1 A 192.0.2.25',
  `_25._tcp.mx1 TLSA 3 1 1 ${D}`,
  `_25._tcp.mx1 TLSA 3 1 1 ${D.slice(1)}`,
  '',
].join('\n');

let client: TestClient;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-polish-'));

before(async () => {
  client = await TestClient.start({ settings: { diagnosticsDelay: 0, severity: {} } });
});

after(async () => {
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const SEVERITY: Record<string, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

test('issue 16/2: with daneZone.severity {} the editor shows each check\'s own severity, the same as `dane-zone check`', async () => {
  const file = path.join(dir, 'inline.example.com.zone');
  fs.writeFileSync(file, INLINE);
  const uri = fileUri(file);
  await client.open(uri, INLINE);
  const ds = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'tlsa-unsigned-zone'));
  const unsigned = ds.find((x) => x.code === 'tlsa-unsigned-zone')!;
  assert.equal(unsigned.severity, DiagnosticSeverity.Information, 'inline-signed: tlsa-unsigned-zone is information, not the catalog\'s warning');

  // The CLI on the same file: every code the editor shows has the CLI's severity.
  let out: string;
  try {
    out = execFileSync(process.execPath, [BIN, 'check', '--format', 'json', file], { encoding: 'utf8' });
  } catch (e) {
    out = (e as { stdout: string }).stdout; // exit 1: there are errors
  }
  const cli = (JSON.parse(out) as { diagnostics: { code: string; severity: string; range: { start: { line: number } } }[] }[])[0].diagnostics;
  assert.ok(cli.some((d) => d.code === 'tlsa-unsigned-zone' && d.severity === 'information'), `CLI: ${JSON.stringify(cli)}`);
  const settled = await client.diagnostics(uri, (d) => d.length === cli.length);
  const key = (code: unknown, line: number, sev: unknown) => `${String(code)}@${line}:${String(sev)}`;
  assert.deepEqual(
    settled.map((d) => key(d.code, d.range.start.line, d.severity)).sort(),
    cli.map((d) => key(d.code, d.range.start.line, SEVERITY[d.severity])).sort(),
  );

  // A user override still wins.
  await client.changeSettings({ diagnosticsDelay: 0, severity: { 'tlsa-unsigned-zone': 'hint' } });
  const hinted = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'tlsa-unsigned-zone' && x.severity === DiagnosticSeverity.Hint), 10_000, client.published.length);
  assert.ok(hinted.length > 0);
  await client.changeSettings({ diagnosticsDelay: 0, severity: {} });
  await client.close(uri);
});

test('issue 16/11: hover on a 63-digit SHA2-256 digest says it is one digit short of 64, not "not valid hexadecimal"', async () => {
  const uri = 'file:///zones/hover63.example.com.zone';
  await client.open(uri, INLINE);
  const line = INLINE.split('\n').findIndex((l) => l.includes(D.slice(1)) && !l.includes(D));
  const character = INLINE.split('\n')[line].indexOf(D.slice(1)) + 10;
  const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } })) as Hover | null;
  assert.ok(h, 'a hover on the association data');
  const text = typeof h.contents === 'string' ? h.contents : (h.contents as MarkupContent).value;
  assert.match(text, /63 hex digits/);
  assert.match(text, /one digit short of the 64 hex digits SHA2-256/);
  assert.doesNotMatch(text, /not valid hexadecimal|not a hex digit/);
  await client.close(uri);
});
