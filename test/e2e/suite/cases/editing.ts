// Real-editor cases: editing comforts: formatting, SOA serial (command and on save), navigation/rename, the missing-TTL quick fix.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  closeAll, codeOf, editActions, expectDiagnostic, lineOf, openText, openZone, ourDiagnostics, rangeIn, rangeOf, waitFor, waitForDiagnostics, waitForServer,
} from '../harness';
import { WARNING, test } from '../registry';

// ---- editing comforts: formatting, SOA serial, navigation -------------------------------------

const EDIT_ZONE = [
  '$ORIGIN edit.example.',
  '$TTL 3600',
  '@ IN SOA ns1 hostmaster (',
  '    41 ; serial',
  '    7200 3600 1209600 300 )',
  '  IN NS ns1',
  '  IN MX 10 mail',
  'ns1 IN A 192.0.2.53',
  'mail 300 IN A 192.0.2.25 ; mx',
  'www IN CNAME mail',
  '',
].join('\n');

test('Format Document aligns the zone in columns and keeps every comment', async () => {
  const doc = await openText(EDIT_ZONE);
  await waitForServer(doc);
  const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 4, insertSpaces: true });
  assert.ok(edits && edits.length > 0, 'the formatter answers with edits');
  const we = new vscode.WorkspaceEdit();
  we.set(doc.uri, edits);
  assert.ok(await vscode.workspace.applyEdit(we), 'the edits apply');
  assert.equal(doc.getText(), [
    '$ORIGIN edit.example.',
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
  const again = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 4, insertSpaces: true });
  assert.deepEqual(again ?? [], [], 'formatting twice changes nothing');
});

test('"DANE Zone: Bump SOA Serial" bumps the serial of the active zone, nothing else', async () => {
  assert.ok((await vscode.commands.getCommands(true)).includes('daneZone.bumpSerial'), 'command daneZone.bumpSerial is registered');
  const doc = await openText(EDIT_ZONE);
  await waitForServer(doc);
  await vscode.commands.executeCommand('daneZone.bumpSerial');
  await waitFor('the serial to change', () => doc.getText(), (t) => t !== EDIT_ZONE);
  assert.equal(doc.getText(), EDIT_ZONE.replace('    41 ; serial', '    42 ; serial'));
});

test('go to definition from an MX target, and rename of a host updates its references', async () => {
  const doc = await openText(EDIT_ZONE);
  await waitForServer(doc);
  const mx = rangeIn(doc, '  IN MX 10 mail', 'mail').start;
  const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, mx);
  const ranges = defs.map((d) => ('targetRange' in d ? d.targetRange : d.range));
  assert.deepEqual(ranges.map((r) => [r.start.line, doc.getText(r)]), [[lineOf(doc, 'mail 300'), 'mail']]);
  const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, mx, 'smtp');
  assert.ok(edit, 'rename answers with an edit');
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.equal(doc.getText(), EDIT_ZONE.replace('MX 10 mail', 'MX 10 smtp').replace('mail 300', 'smtp 300').replace('CNAME mail', 'CNAME smtp'));
});

test('daneZone.serial.bumpOnSave = on: saving a changed zone bumps its serial', async () => {
  const os = await import('node:os');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-e2e-save-'));
  const file = path.join(dir, 'save.example.zone');
  fs.writeFileSync(file, EDIT_ZONE);
  const config = vscode.workspace.getConfiguration('daneZone');
  await config.update('serial.bumpOnSave', 'on', vscode.ConfigurationTarget.Global);
  try {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    await waitForServer(doc);
    await editor.edit((e) => e.replace(rangeOf(doc, '192.0.2.53'), '192.0.2.54'));
    assert.ok(await doc.save(), 'the document saves');
    const expected = EDIT_ZONE.replace('192.0.2.53', '192.0.2.54').replace('    41 ; serial', '    42 ; serial');
    assert.equal(doc.getText(), expected, 'the serial was bumped by the save');
    assert.equal(fs.readFileSync(file, 'utf8'), expected, 'the bumped text is what was written');
  } finally {
    await config.update('serial.bumpOnSave', undefined, vscode.ConfigurationTarget.Global);
    await closeAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a quick fix for a record without a TTL: `$TTL 3600` at the top (below the header comment); applied, missing-ttl goes', async () => {
  const doc = await openZone('e2e-errors.zone');
  const before = doc.getText();
  const ttl = expectDiagnostic(await waitForDiagnostics(doc, ['missing-ttl']), doc, 'missing-ttl', WARNING, 'SOA');
  const fixes = await editActions(doc, ttl.range, vscode.CodeActionKind.QuickFix.value);
  assert.deepEqual(fixes.map((a) => [a.title, a.isPreferred ?? false]), [
    ['Add `$TTL 3600` at the top of the file (the TTL of every record without one)', true],
    ['Write a TTL (3600) on this record', false],
  ]);
  assert.ok(fixes[0].edit && await vscode.workspace.applyEdit(fixes[0].edit), 'the edit applies');
  const [header, ...rest] = before.split('\n');
  assert.equal(doc.getText(), [header, '$TTL 3600', ...rest].join('\n'));
  await waitFor('missing-ttl to go', () => ourDiagnostics(doc), (d) => !d.some((x) => codeOf(x) === 'missing-ttl'));
});
