import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeAction,
  CodeActionRequest,
  CompletionItem,
  CompletionList,
  CompletionRequest,
  SymbolInformation,
  WorkspaceSymbolRequest,
  Diagnostic,
  HoverRequest,
  MarkupContent,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient } from './client';
import { PENDING } from '../../server/src/browser/io';

/**
 * The server as it runs in the Web Worker (the browser host: file names are URIs, files are read
 * by the client through `daneZone/readFile`), driven over stdio in Node. Documents use a scheme
 * that is not file: (as github.dev's vscode-vfs: or code-server's vscode-remote:) to show the
 * server never reads the disk itself: this client answers the reads from test/e2e/fixtures.
 */

const SERVER = path.join(__dirname, '..', 'support', 'browserHostServer.js');
const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'e2e', 'fixtures');
const ROOT = 'vscode-test://ws/fixtures';
const toDisk = (uri: string) => path.join(FIXTURES, decodeURIComponent(uri.slice(ROOT.length + 1)));

/** Starts the browser-host server; answers its file requests from `files` (by name under ROOT), then FIXTURES, and records them. */
async function start(trusted = true, files: Record<string, string> = {}, workspace?: Record<string, unknown>): Promise<{ c: TestClient; asked: string[] }> {
  const c = await TestClient.start({
    args: [SERVER],
    initializationOptions: { trusted },
    workspace,
    textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor.rewrite'] } } }, hover: { contentFormat: ['markdown'] } },
  });
  const asked: string[] = [];
  c.connection.onRequest('daneZone/readFile', (p: { uri: string; maxBytes: number }): unknown => {
    asked.push(`read ${p.uri}`);
    if (!p.uri.startsWith(`${ROOT}/`)) return { error: 'no such file' };
    const own = files[p.uri.slice(ROOT.length + 1)];
    if (own !== undefined) return { base64: Buffer.from(own).toString('base64'), size: Buffer.byteLength(own), mtime: 1 };
    try {
      const data = fs.readFileSync(toDisk(p.uri));
      const st = fs.statSync(toDisk(p.uri));
      return { base64: data.toString('base64'), size: data.length, mtime: st.mtimeMs };
    } catch {
      return { error: 'no such file' };
    }
  });
  c.connection.onRequest('daneZone/stat', (p: { uri: string }): unknown => {
    asked.push(`stat ${p.uri}`);
    const own = files[p.uri.slice(ROOT.length + 1)];
    if (own !== undefined) return { size: Buffer.byteLength(own), mtime: 1, directory: false };
    try {
      const st = fs.statSync(toDisk(p.uri));
      return { size: st.size, mtime: st.mtimeMs, directory: st.isDirectory() };
    } catch {
      return { error: 'no such file' };
    }
  });
  c.connection.onRequest('daneZone/readDirectory', (p: { uri: string }): unknown => {
    asked.push(`list ${p.uri}`);
    try {
      return { entries: fs.readdirSync(toDisk(p.uri), { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() })) };
    } catch {
      return { error: 'no such file' };
    }
  });
  return { c, asked };
}

const codeOf = (d: Diagnostic) => String(d.code);
const messageOf = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
const text = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

function lineOf(src: string, needle: string): number {
  const i = src.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `no line with ${needle}`);
  return i;
}

test('browser host: a linked certificate is read through the client (daneZone/readFile) and gives tlsa-cert-mismatch on next=, never a "being read" diagnostic', async () => {
  const { c, asked } = await start();
  try {
    const uri = `${ROOT}/e2e-certs.zone`;
    const src = text('e2e-certs.zone');
    await c.open(uri, src);
    const ds = await c.diagnostics(uri, (d) => d.some((x) => codeOf(x) === 'tlsa-cert-mismatch'), 20_000);
    const link = lineOf(src, '; dane-zone cert=certs/mx1.pem next=certs/next.pub');
    const mismatch = ds.find((d) => codeOf(d) === 'tlsa-cert-mismatch')!;
    const col = src.split('\n')[link].indexOf('next=certs/next.pub');
    assert.deepEqual(mismatch.range, { start: { line: link, character: col }, end: { line: link, character: col + 'next=certs/next.pub'.length } });
    assert.ok(asked.includes(`read ${ROOT}/certs/mx1.pem`) && asked.includes(`read ${ROOT}/certs/next.pub`), asked.join(', '));
    for (const p of c.published) {
      for (const d of p.diagnostics) assert.ok(!messageOf(d).includes(PENDING) && codeOf(d) !== 'tlsa-cert-unreadable', `published while reading: ${codeOf(d)} ${messageOf(d)}`);
    }
    // The hover on the TLSA record names the linked file's match (the certificate stage's analysis).
    const tlsa = lineOf(src, '_25._tcp.mx1   TLSA');
    const hover = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: tlsa, character: src.split('\n')[tlsa].indexOf('3 1 1') } });
    assert.match((hover?.contents as MarkupContent).value, /DANE-EE/);
  } finally {
    c.kill();
  }
});

test('browser host: zone diagnostics, a hover and a quick fix on a document that is not a file: URI; no live check offered', async () => {
  const { c } = await start();
  try {
    const caps = c.initializeResult!.capabilities;
    assert.ok(!(caps.executeCommandProvider?.commands ?? []).includes('daneZone.checkLive'), 'the live check is not offered by the worker');
    assert.equal(caps.codeLensProvider, undefined, 'no "Check deployed MX" lenses from the worker');
    const uri = `${ROOT}/e2e-dane.zone`;
    const src = text('e2e-dane.zone');
    await c.open(uri, src);
    const ds = await c.diagnostics(uri, (d) => d.some((x) => codeOf(x) === 'tlsa-mnemonic'), 20_000);
    const mnemonic = ds.find((d) => codeOf(d) === 'tlsa-mnemonic')!;
    const res = (await c.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: mnemonic.range, context: { diagnostics: [mnemonic], only: ['quickfix'] },
    })) as CodeAction[];
    const fix = res.find((a) => a.edit);
    assert.ok(fix, `no quick fix for ${messageOf(mnemonic)}`);
    const edit = fix.edit as WorkspaceEdit;
    const edits: TextEdit[] = edit.changes?.[uri] ?? (edit.documentChanges as TextDocumentEdit[] | undefined)?.flatMap((d) => d.edits as TextEdit[]) ?? [];
    const after = TextDocument.applyEdits(TextDocument.create(uri, 'dns-zone', 1, src), edits);
    const line = after.split('\n')[mnemonic.range.start.line];
    assert.match(line, /TLSA\s+3 1 1 /, `line after the fix: ${line}`);
  } finally {
    c.kill();
  }
});

test('browser host: an untrusted workspace reads no file outside its folders', async () => {
  const c = await TestClient.start({ args: [SERVER], initializationOptions: { trusted: false }, workspaceFolders: [] });
  const asked: string[] = [];
  c.connection.onRequest('daneZone/readFile', (p: { uri: string }): unknown => { asked.push(p.uri); return { error: 'no such file' }; });
  try {
    const uri = `${ROOT}/e2e-certs.zone`;
    await c.open(uri, text('e2e-certs.zone'));
    const ds = await c.diagnostics(uri, (d) => d.some((x) => codeOf(x) === 'tlsa-cert-unreadable'), 20_000);
    assert.match(messageOf(ds.find((d) => codeOf(d) === 'tlsa-cert-unreadable')!), /not trusted/);
    assert.deepEqual(asked, []);
  } finally {
    c.kill();
  }
});

test('browser host: an $INCLUDE target is read through the client; the "being read" moment is never published', async () => {
  const main = ['$ORIGIN inc.example.', '$TTL 300', '@ SOA ns hostmaster 1 7200 3600 1209600 300', '@ NS ns', '$INCLUDE hosts.inc', 'www CNAME mail', ''].join('\n');
  const { c, asked } = await start(true, { 'hosts.inc': 'ns A 192.0.2.1\nmail A 192.0.2.2\nwww A 192.0.2.3\n' });
  try {
    const uri = `${ROOT}/main.zone`;
    await c.open(uri, main);
    // The included file's `www A` meets the main file's `www CNAME`: only known once the file was read.
    const ds = await c.diagnostics(uri, (d) => d.some((x) => codeOf(x) === 'cname-and-other-data'), 20_000);
    assert.ok(asked.includes(`read ${ROOT}/hosts.inc`), asked.join(', '));
    assert.deepEqual(ds.filter((d) => codeOf(d) === 'cname-and-other-data').map((d) => d.range.start.line).sort(), [4, 5]);
    for (const p of c.published) for (const d of p.diagnostics) assert.ok(!messageOf(d).includes(PENDING) && codeOf(d) !== 'include-unresolved', `published while reading: ${codeOf(d)} ${messageOf(d)}`);
  } finally {
    c.kill();
  }
});

test('browser host: file names after cert= come from the editor\'s listing of the folder (daneZone/readDirectory)', async () => {
  const { c, asked } = await start();
  try {
    const uri = `${ROOT}/typing.zone`;
    const text = '$ORIGIN e2e-certs.example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n; dane-zone cert=certs/\n';
    await c.open(uri, text);
    const position = { line: 3, character: '; dane-zone cert=certs/'.length };
    let labels: string[] = [];
    // The first request asks the editor for the listing; the names are there once it answered.
    for (let i = 0; i < 50 && !labels.includes('mx1.pem'); i++) {
      const r = (await c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position })) as CompletionList | CompletionItem[] | null;
      labels = (Array.isArray(r) ? r : r?.items ?? []).map((x) => x.label).sort();
      if (!labels.includes('mx1.pem')) await new Promise((res) => setTimeout(res, 100));
    }
    assert.deepEqual(labels, ['mx1.pem', 'next.pub']);
    assert.ok(asked.includes(`list ${ROOT}/certs/`), asked.join(', '));
  } finally {
    c.kill();
  }
});

test('browser host: workspace symbols list and read the folder\'s zone files through the editor', async () => {
  const { c } = await start();
  c.connection.onRequest('workspace/workspaceFolders', () => [{ uri: ROOT, name: 'fixtures' }]);
  try {
    let found: SymbolInformation[] = [];
    // Each round lists a folder or reads files the editor has not answered yet; later rounds see them.
    for (let i = 0; i < 50 && !found.some((x) => x.location.uri === `${ROOT}/e2e-certs.zone`); i++) {
      found = ((await c.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'mx1' })) ?? []) as SymbolInformation[];
      await new Promise((res) => setTimeout(res, 100));
    }
    const certs = found.find((x) => x.location.uri === `${ROOT}/e2e-certs.zone` && /^mx1\./.test(x.name));
    assert.ok(certs, `symbols: ${found.map((x) => `${x.name} ${x.location.uri}`).join(' | ')}`);
    assert.match(certs.containerName ?? '', /e2e-certs\.zone/);
  } finally {
    c.kill();
  }
});

test('browser host: the editor watches a linked file; a replaced certificate gives tlsa-cert-mismatch without an edit of the zone', async () => {
  const files: Record<string, string> = { 'key.pem': fs.readFileSync(path.join(FIXTURES, 'certs', 'mx1.pem'), 'utf8') };
  const { c } = await start(true, files, { didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } });
  try {
    const uri = `${ROOT}/watched.zone`;
    const src = text('e2e-certs.zone').replace('; dane-zone cert=certs/mx1.pem next=certs/next.pub', '; dane-zone cert=key.pem');
    await c.open(uri, src);
    await c.diagnostics(uri, (d) => d.some((x) => codeOf(x) === 'tlsa-single-record'), 20_000);
    let watchers: unknown[] = [];
    for (let i = 0; i < 100 && watchers.length === 0; i++) {
      const r = c.registrations.find((x) => x.method === 'workspace/didChangeWatchedFiles');
      watchers = (r?.registerOptions as { watchers?: unknown[] } | undefined)?.watchers ?? [];
      if (watchers.length === 0) await new Promise((res) => setTimeout(res, 50));
    }
    assert.deepEqual(watchers, [{ globPattern: { baseUri: ROOT, pattern: 'key.pem' } }]);
    assert.ok(!c.published.some((p) => p.uri === uri && p.diagnostics.some((d) => codeOf(d) === 'tlsa-cert-mismatch')), 'the linked certificate matches at first');
    // The certificate is replaced (a renewal with a new key): the editor's watcher says so.
    files['key.pem'] = fs.readFileSync(path.join(FIXTURES, 'certs', 'next.pub'), 'utf8');
    const since = c.published.length;
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: `${ROOT}/key.pem`, type: 2 }] });
    const ds = await c.diagnostics(uri, (d) => d.some((x) => codeOf(x) === 'tlsa-cert-mismatch'), 20_000, since);
    const link = lineOf(src, '; dane-zone cert=key.pem');
    assert.equal(ds.find((d) => codeOf(d) === 'tlsa-cert-mismatch')!.range.start.line, link);
  } finally {
    c.kill();
  }
});
