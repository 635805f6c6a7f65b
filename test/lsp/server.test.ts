import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  Diagnostic,
  DocumentSymbol,
  DocumentSymbolRequest,
  FoldingRange,
  FoldingRangeRequest,
  SymbolInformation,
  SymbolKind,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { fileUri, TestClient, withServer } from './client';

/**
 * Protocol tests against the real server process over stdio. Each test starts its own
 * server, so a failure in one cannot leak into another.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-lsp-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const ZONE = [
  '$ORIGIN example.com.',          // 0
  '$TTL 3600',                     // 1
  '@    IN SOA ns1 hostmaster (',  // 2
  '         1 7200 3600 1209600 300 )', // 3
  '     IN NS ns1',                // 4
  'ns1  IN A 192.0.2.53',          // 5
  'www  IN FOO 192.0.2.80',        // 6  unknown-type (syntax stage)
  'mail IN A 192.0.2.25',          // 7
  'mail IN A 192.0.2.25',          // 8  duplicate-record (zone stage)
  '',
].join('\n');

const codes = (d: Diagnostic[]) => d.map((x) => x.code).sort();
const has = (code: string) => (d: Diagnostic[]) => d.some((x) => x.code === code);
const textAt = (doc: TextDocument, d: Diagnostic) => doc.getText(d.range);
const message = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);


test('initialize announces incremental sync, symbols and folding', async () => {
  await withServer({}, async (c) => {
    const caps = c.initializeResult!.capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: TextDocumentSyncKind.Incremental, willSaveWaitUntil: true });
    assert.ok(caps.documentSymbolProvider);
    assert.equal(caps.foldingRangeProvider, true);
    assert.equal(c.initializeResult!.serverInfo?.name, 'dane-zone');
    assert.equal(await c.stop(), 0);
  });
});

test('diagnostics: staged, exact ranges, codes, severities, RFC links; incremental edits update them', async () => {
  await withServer({}, async (c) => {
    const uri = fileUri(path.join(tmp, 'a.zone'));
    let doc = TextDocument.create(uri, 'dns-zone', 1, ZONE);
    await c.open(uri, ZONE);
    const all = await c.diagnostics(uri, has('duplicate-record'));
    assert.deepEqual(codes(all), ['duplicate-record', 'unknown-type']);

    // Stage 1 (the parse) was published before the zone-wide checks.
    const first = c.published.find((p) => p.uri === uri)!;
    assert.deepEqual(codes(first.diagnostics), ['unknown-type']);
    assert.equal(first.version, 1);

    const unknown = all.find((d) => d.code === 'unknown-type')!;
    assert.deepEqual(unknown.range, { start: { line: 6, character: 8 }, end: { line: 6, character: 11 } });
    assert.equal(unknown.severity, 1);
    assert.equal(unknown.source, 'dane-zone');
    assert.equal(unknown.codeDescription?.href, 'https://www.rfc-editor.org/rfc/rfc3597#section-5');
    assert.match(message(unknown), /FOO/);
    const dup = all.find((d) => d.code === 'duplicate-record')!;
    assert.deepEqual(dup.range, { start: { line: 8, character: 8 }, end: { line: 8, character: 9 } });
    assert.equal(dup.severity, 2);
    assert.equal(dup.codeDescription?.href, 'https://www.rfc-editor.org/rfc/rfc2181#section-5');

    // Incremental edit: FOO → A fixes the type.
    let since = c.published.length;
    const fix = [{ range: { start: { line: 6, character: 8 }, end: { line: 6, character: 11 } }, text: 'A' }];
    doc = TextDocument.update(doc, fix, 2);
    const v2 = await c.change(uri, fix);
    const afterFix = await c.diagnostics(uri, (d, p) => p.version === v2 && has('duplicate-record')(d), 10_000, since);
    assert.deepEqual(codes(afterFix), ['duplicate-record']);

    // Two changes in one notification, applied in order: add a bad record at the end, then
    // delete the duplicate line (which the first change did not move).
    since = c.published.length;
    const edits = [
      { range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: 'x IN A 999.1.1.1\n' },
      { range: { start: { line: 8, character: 0 }, end: { line: 9, character: 0 } }, text: '' },
    ];
    for (const e of edits) doc = TextDocument.update(doc, [e], 3);
    const v3 = await c.change(uri, edits);
    const afterEdits = await c.diagnostics(uri, (_d, p) => p.version === v3, 10_000, since);
    await new Promise((r) => setTimeout(r, 100)); // a stage-2 publication would follow at once
    const final = c.published.filter((p) => p.uri === uri && p.version === v3).pop()!.diagnostics;
    assert.deepEqual(codes(final), ['invalid-rdata'], JSON.stringify(afterEdits));
    assert.equal(final[0].range.start.line, 8);
    assert.equal(textAt(doc, final[0]), '999.1.1.1');
    assert.equal(doc.getText().split('\n')[8], 'x IN A 999.1.1.1');

    // Closing clears the document's diagnostics.
    since = c.published.length;
    await c.close(uri);
    await c.diagnostics(uri, (d) => d.length === 0, 5_000, since);
    assert.equal(await c.stop(), 0);
  });
});

test('diagnostics are debounced by daneZone.diagnosticsDelay', async () => {
  await withServer({ settings: { diagnosticsDelay: 300 } }, async (c) => {
    const uri = 'untitled:debounce';
    await c.open(uri, ZONE);
    await c.diagnostics(uri, (d, p) => p.version === 1 && has('duplicate-record')(d)); // both stages of v1
    const since = c.published.length;
    let last = 1;
    for (let i = 0; i < 5; i++) {
      last = await c.change(uri, [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: ';' }]);
    }
    await c.diagnostics(uri, (_d, p) => p.version === last, 5_000, since);
    const versions = new Set(c.published.slice(since).filter((p) => p.uri === uri).map((p) => p.version));
    assert.deepEqual([...versions], [last]);
  });
});

test('document symbols and folding ranges', async () => {
  await withServer({}, async (c) => {
    const uri = fileUri(path.join(tmp, 'symbols.zone'));
    await c.open(uri, ZONE);
    const symbols = (await c.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => [s.name, s.kind]), [
      ['$ORIGIN', SymbolKind.Package],
      ['example.com.', SymbolKind.Namespace],
      ['ns1.example.com.', SymbolKind.Namespace],
      ['www.example.com.', SymbolKind.Namespace],
      ['mail.example.com.', SymbolKind.Namespace],
    ]);
    const apex = symbols[1];
    assert.deepEqual(apex.range, { start: { line: 2, character: 0 }, end: { line: 4, character: 14 } });
    assert.deepEqual(apex.selectionRange, { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } });
    assert.deepEqual(apex.children!.map((s) => [s.name, s.detail]), [['SOA', 'ns1 hostmaster 1 7200 3600 1209600 300'], ['NS', 'ns1']]);
    assert.deepEqual(apex.children![1].selectionRange, { start: { line: 4, character: 8 }, end: { line: 4, character: 10 } });
    assert.equal(symbols[4].children!.length, 2);

    const folds = (await c.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } })) as FoldingRange[];
    assert.deepEqual(folds, [{ startLine: 2, endLine: 3, kind: 'region' }]);

    // Unknown documents answer empty, not with an error.
    assert.deepEqual(await c.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: 'file:///nowhere.zone' } }), []);
  });
});

test('a configuration change re-checks open documents with the new severities', async () => {
  await withServer({ settings: { diagnosticsDelay: 0 } }, async (c) => {
    const uri = fileUri(path.join(tmp, 'config.zone'));
    await c.open(uri, ZONE);
    await c.diagnostics(uri, has('duplicate-record'));
    const requests = c.configurationRequests;
    assert.ok(requests >= 1);

    const since = c.published.length;
    await c.changeSettings({ diagnosticsDelay: 0, severity: { 'duplicate-record': 'off', 'unknown-type': 'hint', 'bogus-code': 'loud' } });
    const d = await c.diagnostics(uri, (x) => x.length > 0 && !has('duplicate-record')(x) && x[0].severity === 4, 10_000, since);
    assert.deepEqual(codes(d), ['unknown-type']);
    assert.ok(c.configurationRequests > requests, 'settings pulled again');
    // Nothing from the zone stage is published afterwards either.
    await new Promise((r) => setTimeout(r, 150));
    for (const p of c.published.slice(since)) assert.ok(!has('duplicate-record')(p.diagnostics));
    assert.ok(c.logs.some((l) => l.includes('bogus-code')), 'invalid setting logged');
  });
});

test('daneZone.dnssec and daneZone.tlsa.maxTtl change what the DANE checks find', async () => {
  const zone = '$ORIGIN d.example.\n$TTL 3600\n@ SOA ns hm 1 2 3 4 5\n@ MX 10 mx\nmx A 192.0.2.1\n' +
    '_25._tcp.mx 7200 TLSA 3 1 1 ' + 'ab'.repeat(32) + '\n_25._tcp.mx 7200 TLSA 3 1 1 ' + 'cd'.repeat(32) + '\n';
  await withServer({ settings: { diagnosticsDelay: 0 } }, async (c) => {
    const uri = fileUri(path.join(tmp, 'dnssec.zone'));
    await c.open(uri, zone);
    const d1 = await c.diagnostics(uri, has('tlsa-unsigned-zone'));
    assert.ok(has('tlsa-high-ttl')(d1));
    const since = c.published.length;
    await c.changeSettings({ diagnosticsDelay: 0, dnssec: 'signed', tlsa: { maxTtl: 86400 } });
    const d2 = await c.diagnostics(uri, (x) => !has('tlsa-unsigned-zone')(x) && !has('tlsa-high-ttl')(x), 10_000, since);
    assert.deepEqual(codes(d2), []);
    // The renamed keys (issue 16/12) win over the old ones: back to unsigned and a 1-hour limit.
    const since3 = c.published.length;
    await c.changeSettings({ diagnosticsDelay: 0, dnssec: 'signed', tlsa: { maxTtl: 86400 }, DNSSEC: 'unsigned', TLSAMaxTTL: 3600 });
    const d3 = await c.diagnostics(uri, (x) => has('tlsa-unsigned-zone')(x) && has('tlsa-high-ttl')(x), 10_000, since3);
    assert.ok(has('tlsa-high-ttl')(d3));
  });
});

test('binary junk and a large document do not kill the server', async () => {
  await withServer({}, async (c) => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    let junk = '';
    for (let i = 0; i < 300_000; i++) junk += String.fromCharCode(rnd() % 3 === 0 ? rnd() & 0xffff : rnd() & 0xff);
    const junkUri = 'untitled:junk';
    await c.open(junkUri, junk);
    const big = 'a.example. 60 IN A 192.0.2.1\n'.repeat(100_000) + '("\\';
    const bigUri = 'untitled:big';
    await c.open(bigUri, big);
    await c.diagnostics(junkUri, () => true, 30_000);
    await c.diagnostics(bigUri, () => true, 30_000);
    // Edits that delete everything and replace with junk at odd places still work.
    await c.change(junkUri, [{ range: { start: { line: 0, character: 5 }, end: { line: 99999, character: 0 } }, text: '\u0000\ud800)(' }]);
    assert.ok(Array.isArray(await c.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: junkUri } })));
    assert.ok(Array.isArray(await c.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: bigUri } })));
    // The server still answers for a normal document.
    const uri = 'untitled:after-junk';
    await c.open(uri, ZONE);
    await c.diagnostics(uri, has('unknown-type'));
    const symbols = await c.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    assert.equal((symbols as DocumentSymbol[]).length, 5);
    assert.equal(c.child.exitCode, null);
    assert.equal(await c.stop(), 0);
  });
});

test('untrusted workspace: $INCLUDE only inside the workspace folders; included problems on the $INCLUDE line', async () => {
  const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
  const outside = fs.mkdtempSync(path.join(tmp, 'outside-'));
  fs.writeFileSync(path.join(ws, 'hosts.zone'), 'ns1 IN A 192.0.2.53\nbad IN A 300.1.1.1\n');
  fs.writeFileSync(path.join(outside, 'secret.zone'), 'x IN A 192.0.2.1\n');
  fs.symlinkSync(path.join(outside, 'secret.zone'), path.join(ws, 'link.zone'));
  const relOutside = path.relative(ws, path.join(outside, 'secret.zone'));
  const text = `$ORIGIN example.com.\n$TTL 60\n$INCLUDE hosts.zone\n$INCLUDE ${relOutside}\n$INCLUDE link.zone\n`;
  const uri = fileUri(path.join(ws, 'main.zone'));

  await withServer({ initializationOptions: { trusted: false }, workspaceFolders: [ws], hierarchicalSymbols: false }, async (c) => {
    await c.open(uri, text);
    const d = await c.diagnostics(uri, (x) => x.length >= 3);
    const byLine = (line: number) => d.filter((x) => x.range.start.line === line);
    // hosts.zone is inside: read, and its bad record is reported on the $INCLUDE line, naming the file.
    const inc = byLine(2);
    assert.deepEqual(inc.map((x) => x.code), ['invalid-rdata']);
    assert.match(message(inc[0]), /hosts\.zone/);
    // Outside the folder, directly or through a symbolic link: refused, with a clear reason.
    for (const line of [3, 4]) {
      const r = byLine(line);
      assert.deepEqual(r.map((x) => x.code), ['include-unresolved'], JSON.stringify(d));
      assert.match(message(r[0]), /not trusted/);
    }
    // A client without hierarchical symbols gets flat SymbolInformation.
    const symbols = (await c.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as SymbolInformation[];
    assert.ok(symbols.some((s) => s.name === '$INCLUDE' && s.location.uri === uri));
    assert.ok(symbols.some((s) => s.containerName === '$INCLUDE' && s.name === 'ns1.example.com. A'));
  });

  // Trusted (the default): the same file reads everything.
  await withServer({ workspaceFolders: [ws] }, async (c) => {
    await c.open(uri, text);
    // secret.zone is now read twice (directly and through the link): the same record twice.
    const d = await c.diagnostics(uri, has('duplicate-record'));
    assert.deepEqual(codes(d), ['duplicate-record', 'invalid-rdata']);
  });
});
