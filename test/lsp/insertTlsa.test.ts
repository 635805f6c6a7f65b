import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ApplyWorkspaceEditParams,
  ApplyWorkspaceEditRequest,
  CodeAction,
  CodeActionRequest,
  ExecuteCommandRequest,
  ShowMessageNotification,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CLIENT_INSERT_TLSA_COMMAND, INSERT_TLSA_COMMAND } from '../../server/src/lsp/features/insertTlsa';
import { TestClient } from './client';

/**
 * "Insert a TLSA RRset for an MX host from a certificate chosen with a file picker": the code
 * action on an MX record whose host has no TLSA records, and the server command the client's
 * picker calls with the file's bytes. The record data is checked against openssl's pipeline.
 */

let client: TestClient;
const applied: ApplyWorkspaceEditParams[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-insert-'));
let haveOpenssl = true;

before(async () => {
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(dir, 'k.pem'),
      '-out', path.join(dir, 'c.pem'), '-days', '30', '-subj', '/CN=mx1.example.com'], { stdio: 'ignore' });
  } catch {
    haveOpenssl = false;
  }
  client = await TestClient.start({
    settings: { diagnosticsDelay: 0 },
    textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'refactor.rewrite'] } } } },
    workspace: { applyEdit: true, workspaceEdit: { documentChanges: true } },
  });
  client.connection.onRequest(ApplyWorkspaceEditRequest.type, (p) => {
    applied.push(p);
    return { applied: true };
  });
  client.connection.onNotification(ShowMessageNotification.type, () => undefined);
});

after(async () => {
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function editsOf(edit: WorkspaceEdit, uri: string): TextEdit[] {
  if (edit.changes) return edit.changes[uri] ?? [];
  const out: TextEdit[] = [];
  for (const c of edit.documentChanges ?? []) if ('edits' in c && c.textDocument.uri === uri) out.push(...(c.edits as TextEdit[]));
  return out;
}

const ZONE = '$ORIGIN example.com.\n$TTL 3600\n@ SOA ns hm 1 2 3 4 5\n@ MX 10 mx1 ; primary\nmx1 A 192.0.2.25\n';

test('an MX host without TLSA records gets an "insert from a certificate" action; the command inserts 3 1 1 from the file', async (t) => {
  if (!haveOpenssl) return t.skip('openssl not found: install it (.ci/run does) to run this test');
  const uri = `file://${dir}/insert.zone`;
  await client.open(uri, ZONE);
  const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } },
    context: { diagnostics: [] },
  })) as CodeAction[];
  const insert = actions.find((a) => a.command?.command === CLIENT_INSERT_TLSA_COMMAND);
  assert.ok(insert, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(insert.title, 'Insert _25._tcp.mx1.example.com TLSA records from a certificate or key file…');
  assert.deepEqual(insert.command!.arguments, [uri, 'mx1.example.com']);

  const pem = fs.readFileSync(path.join(dir, 'c.pem'));
  applied.length = 0;
  const result = (await client.connection.sendRequest(ExecuteCommandRequest.type, {
    command: INSERT_TLSA_COMMAND, arguments: [uri, 'mx1.example.com', pem.toString('base64')],
  })) as { applied: boolean; title: string };
  assert.equal(result.applied, true, JSON.stringify(result));
  const spkiHash = execFileSync('sh', ['-c', `openssl x509 -in ${path.join(dir, 'c.pem')} -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r`]).toString().split(' ')[0];
  const after = TextDocument.applyEdits(TextDocument.create(uri, 'dns-zone', 1, ZONE), editsOf(applied[0].edit, uri));
  // Everything the user wrote is kept; one TLSA RRset for the host, with openssl's digest.
  const inserted = after.split('\n').filter((l) => !ZONE.split('\n').includes(l));
  assert.ok(after.startsWith(ZONE.trimEnd().split('\n').slice(0, 3).join('\n')), after);
  for (const line of ZONE.split('\n')) assert.ok(after.includes(line), `kept: ${line}`);
  const tlsa = inserted.filter((l) => /\bTLSA\b/.test(l) && !l.trim().startsWith(';'));
  assert.equal(tlsa.length, 1, after);
  assert.match(tlsa[0], new RegExp(`^_25\\._tcp\\.mx1\\s.*TLSA\\s+3 1 1 ${spkiHash}$`));
});

test('a file that is not a certificate gives a clear refusal and no edit', async () => {
  const uri = `file://${dir}/refuse.zone`;
  await client.open(uri, ZONE);
  applied.length = 0;
  const result = (await client.connection.sendRequest(ExecuteCommandRequest.type, {
    command: INSERT_TLSA_COMMAND, arguments: [uri, 'mx1.example.com', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]).toString('base64')],
  })) as { applied: boolean; message: string };
  assert.equal(result.applied, false);
  assert.ok(result.message.length > 10, result.message);
  assert.equal(applied.length, 0);
  const bad = (await client.connection.sendRequest(ExecuteCommandRequest.type, { command: INSERT_TLSA_COMMAND, arguments: [uri] })) as { applied: boolean };
  assert.equal(bad.applied, false);
});
