import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ApplyWorkspaceEditRequest, CompletionItem, CompletionItemKind, CompletionList, CompletionRequest, DefinitionRequest, ExecuteCommandRequest, DiagnosticSeverity, Hover, HoverRequest, Location, MarkupContent,
  RenameRequest, TextEdit, WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
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

// ---- issue 16/10: completion -----------------------------------------------------------------

const completionCaps = { completion: { completionItem: { snippetSupport: true, labelDetailsSupport: true } } };
const labels = (items: CompletionItem[] | CompletionList | null) => (Array.isArray(items) ? items : items?.items ?? []).map((i) => i.label).sort();

async function complete(c: TestClient, uri: string, text: string, marker = '|'): Promise<CompletionItem[]> {
  const offset = text.indexOf(marker);
  const clean = text.slice(0, offset) + text.slice(offset + marker.length);
  await c.open(uri, clean);
  const before = clean.slice(0, offset).split('\n');
  const r = await c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: before.length - 1, character: before[before.length - 1].length } });
  await c.close(uri);
  return Array.isArray(r) ? r : r?.items ?? [];
}

test('issue 16/10: TLSA usage/selector/matching values carry their mnemonic in labelDetails (shown in the list, not only on the selected item)', async () => {
  const c = await TestClient.start({ textDocument: completionCaps });
  try {
    const head = '$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n';
    const usage = await complete(c, 'file:///zones/c1.zone', `${head}_25._tcp.mx1 TLSA |`);
    const three = usage.find((i) => i.label === '3')!;
    assert.deepEqual(three.labelDetails, { detail: ' DANE-EE' });
    assert.deepEqual(usage.find((i) => i.label === '2')!.labelDetails, { detail: ' DANE-TA' });
    const selector = await complete(c, 'file:///zones/c2.zone', `${head}_25._tcp.mx1 TLSA 3 |`);
    assert.deepEqual(selector.find((i) => i.label === '1')!.labelDetails, { detail: ' SPKI' });
    const matching = await complete(c, 'file:///zones/c3.zone', `${head}_25._tcp.mx1 TLSA 3 1 |`);
    assert.deepEqual(matching.find((i) => i.label === '1')!.labelDetails, { detail: ' SHA2-256' });
    // At the association data nothing is offered (and the extension turns off VS Code's word-based
    // suggestions for dns-zone files: package.json configurationDefaults, checked in the real editor).
    assert.deepEqual(await complete(c, 'file:///zones/c4.zone', `${head}_25._tcp.mx1 TLSA 3 1 1 |`), []);
  } finally {
    await c.stop();
  }
  // A client without labelDetails support gets the mnemonic in `detail` only.
  const old = await TestClient.start({ textDocument: { completion: { completionItem: {} } } });
  try {
    const items = await complete(old, 'file:///zones/c5.zone', '$ORIGIN example.com.\n_25._tcp.mx1 3600 TLSA |');
    const three = items.find((i) => i.label === '3')!;
    assert.equal(three.labelDetails, undefined);
    assert.match(three.detail ?? '', /^DANE-EE/);
  } finally {
    await old.stop();
  }
});

test('issue 16/10: file names after cert=, next= and $INCLUDE, relative to the zone; confined to the workspace when untrusted', async () => {
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(path.join(ws, 'zones', 'inc'), { recursive: true });
  fs.mkdirSync(path.join(ws, 'certs'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'certs', 'mx1.pem'), 'x');
  fs.writeFileSync(path.join(ws, 'certs', 'mx1-next.key'), 'x');
  fs.writeFileSync(path.join(ws, 'certs', 'notes.txt'), 'x');
  fs.writeFileSync(path.join(ws, 'zones', 'inc', 'hosts.zone'), '');
  fs.writeFileSync(path.join(ws, 'zones', 'example.com.zone'), '');
  fs.writeFileSync(path.join(dir, 'outside.pem'), 'x');
  const zoneUri = fileUri(path.join(ws, 'zones', 'example.com.zone'));
  const body = '$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n';
  for (const trusted of [true, false]) {
    const c = await TestClient.start({ textDocument: completionCaps, workspaceFolders: [ws], initializationOptions: { trusted } });
    try {
      const certDir = await complete(c, zoneUri, `${body}; dane-zone cert=../certs/|\n_25._tcp.mx1 TLSA 3 1 1 ${D}\n`);
      assert.deepEqual(labels(certDir), ['mx1-next.key', 'mx1.pem'], 'certificate-like files only');
      const item = certDir.find((i) => i.label === 'mx1.pem')!;
      assert.equal(item.kind, CompletionItemKind.File);
      const edit = item.textEdit as TextEdit;
      assert.equal(edit.newText, 'mx1.pem');
      assert.equal(edit.range.start.character, '; dane-zone cert=../certs/'.length, 'replaces the last path segment');
      const next = await complete(c, zoneUri, `${body}; dane-zone cert=../certs/mx1.pem next=../certs/mx1-|\n`);
      assert.deepEqual(labels(next), ['mx1-next.key']);
      const up = await complete(c, zoneUri, `${body}; dane-zone cert=../|\n`);
      assert.ok(labels(up).includes('certs/') && labels(up).includes('zones/'), `folders: ${labels(up).join(', ')}`);
      assert.equal(up.find((i) => i.label === 'certs/')!.kind, CompletionItemKind.Folder);
      const inc = await complete(c, zoneUri, `${body}$INCLUDE |\n`);
      assert.deepEqual(labels(inc), ['example.com.zone', 'inc/']);
      const inc2 = await complete(c, zoneUri, `${body}$INCLUDE inc/h|\n`);
      assert.deepEqual(labels(inc2), ['hosts.zone']);
      // Outside the workspace: listed only when the workspace is trusted.
      const outside = await complete(c, zoneUri, `${body}; dane-zone cert=../../out|\n`);
      assert.deepEqual(labels(outside), trusted ? ['outside.pem'] : [], `trusted=${trusted}`);
    } finally {
      await c.stop();
    }
  }
});

// ---- issue 16/7: Go to Definition on `_25._tcp`, rename keeps columns and the rollover comment -----

const NAV = [
  '$ORIGIN example.com.',                                        // 0
  '$TTL 3600',                                                   // 1
  '@             SOA   ns1 hostmaster 1 7200 3600 1209600 300',  // 2
  '@             MX    10 mx1',                                  // 3
  'mx1           A     192.0.2.25',                              // 4
  `_25._tcp.mx1  TLSA  3 1 1 ${D}`,                              // 5
  '; DANE rollover 2026-03-14 (dane-zone): current + next key (RFC 7671 §8.1)',
  ';   3. deploy the next key/certificate on mx1.example.com',   // 7
  ';   4. once it is live, replace the old record (3 1 1 8cb0fc6c…) with a 3 1 1 for a new next key (link it with next=), keeping the pair',
  `_25._tcp.mx1  TLSA  3 1 1 ${D.replace('8c', '9d')}`,          // 9
  '; a note about mx1.example.com that is not ours',              // 10
  '',
].join('\n');

function applyEdits(text: string, edits: TextEdit[]): string {
  const doc = TextDocument.create('file:///x', 'dns-zone', 1, text);
  return TextDocument.applyEdits(doc, edits);
}

test('issue 16/7: Go to Definition on `_25._tcp` of a TLSA owner goes to the host and the MX naming it', async () => {
  const uri = 'file:///zones/nav.example.com.zone';
  await client.open(uri, NAV);
  const defs = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 5, character: 2 } })) as Location[];
  const at = defs.map((l) => `${l.range.start.line}:${l.range.start.character}-${l.range.end.character}`).sort();
  const mx = NAV.split('\n')[3].indexOf('mx1');
  assert.deepEqual(at, [`3:${mx}-${mx + 3}`, '4:0-3'], `mx1's A record and the MX target: ${JSON.stringify(defs)}`);
  // On `.mx1` of the same owner: the host (as before).
  const host = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 5, character: 10 } })) as Location[];
  assert.deepEqual(host.map((l) => l.range.start.line), [4]);
  await client.close(uri);
});

test('issue 16/7: rename keeps the columns aligned and updates the host in dane-zone\'s rollover comment', async () => {
  const uri = 'file:///zones/rename.example.com.zone';
  await client.open(uri, NAV);
  const longer = (await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: { line: 4, character: 1 }, newName: 'mail-in' })) as WorkspaceEdit;
  const text = applyEdits(NAV, longer.changes![uri]);
  const lines = text.split('\n');
  assert.equal(lines[4], 'mail-in       A     192.0.2.25');
  assert.equal(lines[5], `_25._tcp.mail-in TLSA  3 1 1 ${D}`, 'as far as the blanks allow: one stays');
  assert.equal(lines[3], '@             MX    10 mail-in');
  assert.equal(lines[7], ';   3. deploy the next key/certificate on mail-in.example.com');
  assert.equal(lines[10], '; a note about mx1.example.com that is not ours', 'other comments are the user\'s');
  const shorter = (await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: { line: 4, character: 1 }, newName: 'mx' })) as WorkspaceEdit;
  const s = applyEdits(NAV, shorter.changes![uri]).split('\n');
  assert.equal(s[4], 'mx            A     192.0.2.25');
  assert.equal(s[5].indexOf('TLSA'), NAV.split('\n')[5].indexOf('TLSA'), `TLSA stays in its column: ${s[5]}`);
  assert.equal(s[9].indexOf('TLSA'), NAV.split('\n')[9].indexOf('TLSA'));
  assert.equal(s[7], ';   3. deploy the next key/certificate on mx.example.com');
  await client.close(uri);
});

// ---- issue 16/4: Insert TLSA Records from a Certificate… (the server's part) ------------------

function openssl(args: string[]): boolean {
  try {
    execFileSync('openssl', args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('issue 16/4: the host under the cursor; 3 1 1 + 2 1 1 from a chain with the cert= link; current + next; records already there skipped', async (t) => {
  const ca = path.join(dir, 'ca');
  fs.mkdirSync(ca, { recursive: true });
  const ok = openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(ca, 'ca.key'), '-out', path.join(ca, 'ca.pem'),
    '-days', '30', '-subj', '/CN=Test CA'])
    && openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(ca, 'leaf.key'), '-out', path.join(ca, 'leaf.csr'), '-subj', '/CN=mx1.example.com'])
    && openssl(['x509', '-req', '-in', path.join(ca, 'leaf.csr'), '-CA', path.join(ca, 'ca.pem'), '-CAkey', path.join(ca, 'ca.key'), '-CAcreateserial', '-out', path.join(ca, 'leaf.pem'), '-days', '30'])
    && openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path.join(ca, 'next.key')]);
  if (!ok) {
    t.skip('openssl is not installed');
    return;
  }
  fs.writeFileSync(path.join(ca, 'chain.pem'), fs.readFileSync(path.join(ca, 'leaf.pem'), 'utf8') + fs.readFileSync(path.join(ca, 'ca.pem'), 'utf8'));
  const b64 = (f: string) => fs.readFileSync(path.join(ca, f)).toString('base64');
  const zone = '$ORIGIN example.com.\n$TTL 3600\n@    SOA ns1 hostmaster 1 7200 3600 1209600 300\n@    MX  10 mx1\nmx1  A   192.0.2.25\nmx2  A   192.0.2.26\n';
  const c = await TestClient.start({ workspace: { applyEdit: true } });
  const applied: WorkspaceEdit[] = [];
  c.connection.onRequest(ApplyWorkspaceEditRequest.type, (p) => { applied.push(p.edit); return { applied: true }; });
  const uri = 'file:///zones/insert.example.com.zone';
  try {
    await c.open(uri, zone);
    await c.diagnostics(uri);
    const hostAt = async (line: number, character: number) =>
      ((await c.connection.sendRequest(ExecuteCommandRequest.type, { command: 'daneZone.server.tlsaHostAt', arguments: [uri, { line, character }] })) as { host?: string }).host;
    assert.equal(await hostAt(3, 12), 'mx1.example.com', 'on the MX record: its target');
    assert.equal(await hostAt(5, 1), 'mx2.example.com', 'on an address record: its owner');
    assert.equal(await hostAt(2, 1), undefined, 'on the SOA: none');

    const insert = (args: unknown[]) => c.connection.sendRequest(ExecuteCommandRequest.type, { command: 'daneZone.server.insertTlsa', arguments: [uri, 'mx1.example.com', ...args] }) as
      Promise<{ applied: boolean; message?: string }>;
    const r = await insert([b64('chain.pem'), { pattern: 'issuer', link: '../ca/chain.pem' }]);
    assert.equal(r.applied, true, JSON.stringify(r));
    const text1 = applyEdits(zone, applied[0].changes![uri] ?? (applied[0].documentChanges![0] as { edits: TextEdit[] }).edits);
    assert.match(text1, /mx1  A   192\.0\.2\.25\n; dane-zone cert=\.\.\/ca\/chain\.pem\n_25\._tcp\.mx1 +TLSA +3 1 1 [0-9a-f]{64}\n_25\._tcp\.mx1 +TLSA +2 1 1 [0-9a-f]{64}\nmx2/, text1);
    // The same again on the edited zone: both records are there, nothing is inserted.
    await c.change(uri, [{ text: text1 }]);
    await c.diagnostics(uri, (_d, p) => p.version === 2, 10_000, 0);
    const again = await insert([b64('chain.pem'), { pattern: 'issuer' }]);
    assert.equal(again.applied, false);
    assert.match(again.message ?? '', /already has 3 1 1 and 2 1 1/);
    // Current + next: the current 3 1 1 is there already, only the next key's record is added, after the RRset.
    const pair = await insert([b64('leaf.pem'), { pattern: 'next', next: b64('next.key') }]);
    assert.equal(pair.applied, true, JSON.stringify(pair));
    const text2 = applyEdits(text1, applied[1].changes![uri] ?? (applied[1].documentChanges![0] as { edits: TextEdit[] }).edits);
    assert.equal((text2.match(/TLSA/g) ?? []).length, 3);
    assert.match(text2, /TLSA +2 1 1 [0-9a-f]{64}\n_25\._tcp\.mx1 +TLSA +3 1 1 [0-9a-f]{64}\nmx2/, text2);
  } finally {
    await c.stop();
  }
});
