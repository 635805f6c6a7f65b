import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import {
  createProtocolConnection,
  Diagnostic,
  DocumentFormattingRequest,
  DocumentSymbol,
  DocumentSymbolRequest,
  FoldingRange,
  FoldingRangeRequest,
  Hover,
  HoverRequest,
  InitializeRequest,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';
import { fileUri, SERVER_JS, withServer } from './client';

/** Issue 17 against the real server over stdio: big valid zones and hostile input. */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-hostile-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const has = (code: string) => (d: Diagnostic[]) => d.some((x) => x.code === code);

test('two $GENERATE 0-65535 lines: zone-wide checks, hover, symbols, folding and formatting still answer', async () => {
  const text = [
    '$ORIGIN example.', '$TTL 60', '@ SOA ns h ( 1 2 3', '  4 5 )', '@ NS ns', 'ns A 10.0.0.1', // 0-5
    '$GENERATE 0-65535 a$ A 10.0.0.1', '$GENERATE 0-65535 b$ A 10.0.0.2',                    // 6-7
    'a7 CNAME ns', 'z    A     10.0.0.9', '',                                                // 8-9
  ].join('\n');
  await withServer({}, async (c) => {
    const uri = fileUri(path.join(tmp, 'big.zone'));
    await c.open(uri, text);
    const diags = await c.diagnostics(uri, has('cname-and-other-data'), 60_000);
    assert.equal(diags.filter((d) => d.code === 'cname-and-other-data').length >= 1, true);
    const symbols = (await c.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    assert.ok(symbols.some((s) => s.name === 'z.example.'), JSON.stringify(symbols.slice(0, 5)));
    const folds = (await c.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } })) as FoldingRange[];
    assert.deepEqual(folds, [{ startLine: 2, endLine: 3, kind: 'region' }]);
    const h = (await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 8, character: 4 } })) as Hover | null;
    assert.ok(h && /CNAME/.test(JSON.stringify(h.contents)));
    const edits = await c.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } });
    assert.ok(edits && edits.some((e) => e.range.start.line === 9 && /^z +A +10\.0\.0\.9$/.test(e.newText)), JSON.stringify(edits));
  });
});

test('$GENERATE with a width of 1e9 or 100000000: a diagnostic, the server lives on', async () => {
  await withServer({}, async (c) => {
    const uri = fileUri(path.join(tmp, 'wide.zone'));
    await c.open(uri, '$ORIGIN example.\n$TTL 60\n$GENERATE 0-3 h${0,1e9,x} A 10.0.0.1\n$GENERATE 0-65535 h${0,100000000,d} A 10.0.0.1\nx A 999.0.0.1\n');
    const diags = await c.diagnostics(uri, (d) => d.filter((x) => x.code === 'syntax').length === 2 && has('invalid-rdata')(d), 20_000);
    assert.deepEqual(diags.filter((d) => d.code === 'syntax').map((d) => d.range.start.line), [2, 3]);
    const symbols = (await c.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    assert.ok(symbols.length > 0);
  });
});

test('requests before initialize get -32002, a second initialize is refused, unknown methods -32601', async () => {
  const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.listen();
  const code = async (p: Promise<unknown>) => {
    try {
      await p;
      return 'no error';
    } catch (e) {
      return (e as ResponseError<unknown>).code;
    }
  };
  try {
    const uri = fileUri(path.join(tmp, 'early.zone'));
    assert.equal(await code(connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } })), -32002);
    assert.equal(await code(connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })), -32002);
    const init = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
    assert.equal(init.serverInfo?.name, 'dane-zone');
    assert.equal(await code(connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} })), -32600);
    assert.equal(await code(connection.sendRequest('dane/noSuchMethod', {})), -32601);
    // Still serving after all that.
    assert.deepEqual(await connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }), []);
  } finally {
    connection.dispose();
    child.kill();
  }
});
