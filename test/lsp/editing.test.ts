import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApplyWorkspaceEditParams,
  ApplyWorkspaceEditRequest,
  DefinitionRequest,
  DocumentFormattingRequest,
  DocumentHighlightRequest,
  DocumentLinkRequest,
  DocumentRangeFormattingRequest,
  ExecuteCommandRequest,
  Location,
  ReferencesRequest,
  RenameRequest,
  ShowMessageRequest,
  WorkspaceFoldersRequest,
  WorkspaceSymbolRequest,
  TextDocumentSaveReason,
  TextEdit,
  WillSaveTextDocumentWaitUntilRequest,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineIndex } from '../../server/src/core/lineIndex';
import { parseZone } from '../../server/src/core/parser';
import { VersionAnalysis } from '../../server/src/lsp/documents';
import { SERVER_BUMP_COMMAND, serialCodeActions } from '../../server/src/lsp/features/serial';
import { TestClient } from './client';

/**
 * Protocol tests of the editing comforts against the real server over stdio: formatting,
 * SOA serial bumps (workspace/executeCommand → workspace/applyEdit, willSaveWaitUntil) and
 * navigation (definition, references, highlights, rename, links). Edits are applied to the
 * zone text here and the WHOLE resulting text compared. Serials are in increment style or
 * dated in the future, so no result depends on today's date.
 */

let client: TestClient;
const applied: ApplyWorkspaceEditParams[] = [];
const shown: string[] = [];
let doc = 0;
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-ws-'));

before(async () => {
  fs.mkdirSync(path.join(folder, 'zones'));
  fs.writeFileSync(path.join(folder, 'zones', 'shop.example.zone'), '$ORIGIN shop.example.\n$TTL 300\n@ SOA ns h 1 2 3 4 5\nmail A 192.0.2.1\n_25._tcp.mail TLSA 3 1 1 ' + 'ab'.repeat(32) + '\n');
  fs.writeFileSync(path.join(folder, 'README.md'), 'mail is not a zone\n');
  client = await TestClient.start({ settings: { diagnosticsDelay: 0 }, workspaceFolders: [folder] });
  client.connection.onRequest(WorkspaceFoldersRequest.type, () => [{ uri: pathToFileURL(folder).href, name: 'ws' }]);
  client.connection.onRequest(ApplyWorkspaceEditRequest.type, (p) => {
    applied.push(p);
    return { applied: true };
  });
  client.connection.onRequest(ShowMessageRequest.type, (p) => {
    shown.push(p.message);
    return p.actions?.[0] ?? null;
  });
});

after(async () => {
  await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

async function open(text: string): Promise<string> {
  const uri = `file:///tmp/dane-zone-editing-${process.pid}-${doc++}.zone`;
  await client.open(uri, text);
  return uri;
}

const apply = (text: string, edits: TextEdit[] | null) => TextDocument.applyEdits(TextDocument.create('x:', 'dns-zone', 1, text), edits ?? []);

function editsOf(edit: WorkspaceEdit, uri: string): TextEdit[] {
  if (edit.changes) return edit.changes[uri] ?? [];
  const out: TextEdit[] = [];
  for (const c of edit.documentChanges ?? []) if ('edits' in c && c.textDocument.uri === uri) out.push(...(c.edits as TextEdit[]));
  return out;
}

const ZONE = (serial: string) => [
  '$ORIGIN example.com.',
  '$TTL 3600',
  '@ IN SOA ns1 hostmaster (',
  `    ${serial} ; serial`,
  '    7200 3600 1209600 300 )',
  '  IN NS ns1',
  '  IN MX 10 mail',
  'ns1 IN A 192.0.2.53',
  'mail 300 IN A 192.0.2.25 ; mx',
  'www IN CNAME mail',
  '',
].join('\n');

test('the server offers formatting, navigation, the serial command and willSaveWaitUntil', () => {
  const caps = client.initializeResult!.capabilities;
  assert.equal(caps.documentFormattingProvider, true);
  assert.equal(caps.documentRangeFormattingProvider, true);
  assert.equal(caps.definitionProvider, true);
  assert.equal(caps.referencesProvider, true);
  assert.equal(caps.documentHighlightProvider, true);
  assert.ok(caps.renameProvider);
  assert.ok(caps.documentLinkProvider);
  assert.ok(caps.executeCommandProvider?.commands.includes(SERVER_BUMP_COMMAND), 'the bump command is offered');
  assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2, willSaveWaitUntil: true });
  assert.ok(caps.workspaceSymbolProvider);
});

test('textDocument/formatting aligns the zone, keeping comments', async () => {
  const text = ZONE('41');
  const uri = await open(text);
  const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } });
  assert.equal(apply(text, edits), [
    '$ORIGIN example.com.',
    '$TTL 3600',
    '@        IN SOA   ns1 hostmaster (',
    '                  41 ; serial',
    '                  7200 3600 1209600 300 )',
    '         IN NS    ns1',
    '         IN MX    10 mail',
    'ns1      IN A     192.0.2.53',
    'mail 300 IN A     192.0.2.25 ; mx',
    'www      IN CNAME mail',
    '',
  ].join('\n'));
});

test('textDocument/rangeFormatting edits only the selected record', async () => {
  const text = ZONE('41');
  const uri = await open(text);
  const edits = await client.connection.sendRequest(DocumentRangeFormattingRequest.type, {
    textDocument: { uri }, range: { start: { line: 9, character: 0 }, end: { line: 9, character: 3 } }, options: { tabSize: 4, insertSpaces: true },
  });
  assert.equal(apply(text, edits), text.replace('www IN CNAME mail', 'www      IN CNAME mail'));
});

test('daneZone.format.ownerStyle = repeat writes every owner', async () => {
  await client.changeSettings({ diagnosticsDelay: 0, format: { ownerStyle: 'repeat' } });
  try {
    const text = ZONE('41');
    const uri = await open(text);
    const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } });
    const out = apply(text, edits);
    assert.ok(out.includes('\n@        IN NS    ns1\n@        IN MX    10 mail\n'), out);
  } finally {
    await client.changeSettings({ diagnosticsDelay: 0 });
  }
});

test('the bump command applies a WorkspaceEdit through workspace/applyEdit', async () => {
  const text = ZONE('41');
  const uri = await open(text);
  applied.length = 0;
  const result = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: SERVER_BUMP_COMMAND, arguments: [uri] });
  assert.deepEqual(result, { applied: true, serial: 42 });
  assert.equal(applied.length, 1);
  assert.equal(applied[0].label, 'Bump SOA serial to 42');
  assert.equal(apply(text, editsOf(applied[0].edit, uri)), ZONE('42'));
});

test('a serial dated in the future grows by one, and the command says why', async () => {
  const text = ZONE('2099010105');
  const uri = await open(text);
  applied.length = 0;
  const result = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: SERVER_BUMP_COMMAND, arguments: [{ uri }] }) as { applied: boolean; serial: number; message: string };
  assert.equal(result.applied, true);
  assert.equal(result.serial, 2099010106);
  assert.match(result.message, /in the future/);
  assert.equal(apply(text, editsOf(applied[0].edit, uri)), ZONE('2099010106'));
});

test('the bump command refuses a zone without SOA, saying so', async () => {
  const uri = await open('$ORIGIN example.com.\n@ 300 NS ns1\n');
  applied.length = 0;
  const result = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: SERVER_BUMP_COMMAND, arguments: [uri] }) as { applied: boolean; message: string };
  assert.equal(result.applied, false);
  assert.match(result.message, /no SOA/);
  assert.equal(applied.length, 0);
});

test('willSaveWaitUntil bumps the serial only with bumpOnSave = on, once per change', async () => {
  const text = ZONE('7');
  const uri = await open(text);
  const save = () => client.connection.sendRequest(WillSaveTextDocumentWaitUntilRequest.type, { textDocument: { uri }, reason: TextDocumentSaveReason.Manual });
  assert.deepEqual(await save(), [], 'off by default');
  await client.changeSettings({ diagnosticsDelay: 0, serial: { bumpOnSave: 'on' } });
  try {
    const edits = await save();
    assert.equal(apply(text, edits), ZONE('8'));
    // The client applies the edit and saves; saving the unchanged text again does not bump.
    await client.change(uri, [{ text: ZONE('8') }]);
    assert.deepEqual(await save(), []);
    await client.change(uri, [{ text: ZONE('8').replace('192.0.2.53', '192.0.2.54') }]);
    assert.equal(apply(ZONE('8').replace('192.0.2.53', '192.0.2.54'), await save()), ZONE('9').replace('192.0.2.53', '192.0.2.54'));
  } finally {
    await client.changeSettings({ diagnosticsDelay: 0 });
  }
});

test('willSaveWaitUntil with bumpOnSave = ask asks first (window/showMessageRequest)', async () => {
  const text = ZONE('100');
  const uri = await open(text);
  await client.changeSettings({ diagnosticsDelay: 0, serial: { bumpOnSave: 'ask' } });
  try {
    shown.length = 0;
    const edits = await client.connection.sendRequest(WillSaveTextDocumentWaitUntilRequest.type, { textDocument: { uri }, reason: TextDocumentSaveReason.Manual });
    assert.deepEqual(shown, ['DANE Zone: bump the SOA serial to 101 before saving?']);
    assert.equal(apply(text, edits), ZONE('101'));
  } finally {
    await client.changeSettings({ diagnosticsDelay: 0 });
  }
});

test('definition, references and highlights of a name', async () => {
  const text = ZONE('1');
  const uri = await open(text);
  const pos = { line: 9, character: 15 }; // www IN CNAME m|ail
  const defs = await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: pos }) as Location[];
  assert.deepEqual(defs.map((d) => d.range), [{ start: { line: 8, character: 0 }, end: { line: 8, character: 4 } }]);
  const refs = await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: pos, context: { includeDeclaration: true } });
  assert.deepEqual(refs!.map((r) => r.range.start.line), [6, 8, 9]);
  const hl = await client.connection.sendRequest(DocumentHighlightRequest.type, { textDocument: { uri }, position: pos });
  assert.deepEqual(hl!.map((h) => [h.range.start.line, h.kind]), [[6, 2], [8, 3], [9, 2]]);
});

test('rename updates every reference; a name outside the zone is refused with a reason', async () => {
  const text = ZONE('1').replace('www IN CNAME mail', 'www IN CNAME mail.example.com.\nalias IN CNAME ns2.example.net.');
  const uri = await open(text);
  const edit = await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: { line: 8, character: 1 }, newName: 'smtp' });
  assert.equal(apply(text, editsOf(edit!, uri)), text.replace('MX 10 mail', 'MX 10 smtp').replace('mail 300', 'smtp 300').replace('CNAME mail.example.com.', 'CNAME smtp.example.com.'));
  await assert.rejects(
    client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: { line: 10, character: 17 }, newName: 'x' }),
    /outside the zone example\.com\./,
  );
});

test('document links for $INCLUDE and dane-zone cert= paths', async () => {
  const text = '$ORIGIN example.com.\n$INCLUDE keys.zone\n; dane-zone cert=certs/mx.pem\n@ 300 SOA ns h 1 2 3 4 5\n';
  const uri = await open(text);
  const links = await client.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri } });
  assert.deepEqual(links!.map((l) => [l.range.start.line, l.range.start.character, l.range.end.character, l.target]), [
    [1, 9, 18, 'file:///tmp/keys.zone'],
    [2, 17, 29, 'file:///tmp/certs/mx.pem'],
  ]);
});

test('the "Bump SOA serial" code action on the SOA record (fixed clock), none elsewhere', () => {
  const text = ZONE('2026112801');
  const a = { version: 3, text, lines: new LineIndex(text), parsed: parseZone(text) } as unknown as VersionAnalysis;
  const uri = 'file:///tmp/a.zone';
  const now = new Date(Date.UTC(2026, 10, 29, 9, 30));
  const caps = { workspace: { workspaceEdit: { documentChanges: true } } };
  const onSoa = serialCodeActions(a, { textDocument: { uri }, range: { start: { line: 3, character: 6 }, end: { line: 3, character: 6 } }, context: { diagnostics: [] } }, caps, now);
  assert.deepEqual(onSoa.map((x) => [x.title, x.kind]), [['Bump SOA serial to 2026112901', 'refactor.rewrite']]);
  assert.equal(apply(text, editsOf(onSoa[0].edit!, uri)), ZONE('2026112901'));
  assert.deepEqual((onSoa[0].edit!.documentChanges![0] as { textDocument: { version: number } }).textDocument.version, 3);
  const elsewhere = serialCodeActions(a, { textDocument: { uri }, range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, context: { diagnostics: [] } }, caps, now);
  assert.deepEqual(elsewhere, []);
  const quickFixOnly = serialCodeActions(a, { textDocument: { uri }, range: { start: { line: 3, character: 6 }, end: { line: 3, character: 6 } }, context: { diagnostics: [], only: ['quickfix'] } }, caps, now);
  assert.deepEqual(quickFixOnly, []);
});

test('workspace symbols: owner names from open zones and the zone files of the workspace', async () => {
  const uri = await open(ZONE('1'));
  const syms = await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'MAIL' });
  const found = (syms as { name: string; location: { uri: string; range: { start: { line: number } } }; containerName?: string }[])
    .map((s) => [s.name, s.location.uri === uri ? 'open' : path.basename(new URL(s.location.uri).pathname), s.location.range.start.line, s.containerName]);
  assert.deepEqual(found.filter((f) => f[1] === 'open' || f[1] === 'shop.example.zone').sort(), [
    ['_25._tcp.mail.shop.example.', 'shop.example.zone', 4, 'TLSA — shop.example.zone'],
    ['mail.example.com.', 'open', 8, `A — ${path.basename(new URL(uri).pathname)}`],
    ['mail.shop.example.', 'shop.example.zone', 3, 'A — shop.example.zone'],
  ]);
});
