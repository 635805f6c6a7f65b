// Real-editor cases: linked certificates (rotation pairs), inserting TLSA records from a certificate, the live check.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  codeActions, codeOf, editActions, expectDiagnostic, lineOf, openText, openZone, ourDiagnostics, rangeIn, sleep, waitFor, waitForDiagnostics, waitForServer, zonePath,
} from '../harness';
import { ERROR, test } from '../registry';

// ---- linked certificates (fixtures/e2e-certs.zone + fixtures/certs/) ----------------------------

test('linked certificates: tlsa-cert-mismatch on next=, and the quick fix adds the rotation pair with its dated steps', async () => {
  const doc = await openZone('e2e-certs.zone');
  const before = doc.getText();
  // Stage 3 (the certificate files are read and hashed) comes after the zone checks.
  const ds = await waitForDiagnostics(doc, ['tlsa-cert-mismatch']);
  const next = expectDiagnostic(ds, doc, 'tlsa-cert-mismatch', ERROR, rangeIn(doc, '; dane-zone cert=certs/mx1.pem next=certs/next.pub', 'next=certs/next.pub'));
  assert.match(next.message, /`next=certs\/next\.pub` \(EC P-256 public key\) matches none of the records/);
  const actions = await waitFor('the rotation pair quick fix', () => editActions(doc, next.range, vscode.CodeActionKind.QuickFix.value), (a) => a.length > 0);
  assert.deepEqual(actions.map((a) => a.title), ['Add a rotation pair: current + next key (3 1 1 for certs/next.pub), with the steps']);
  assert.equal(actions[0].isPreferred, true);
  assert.ok(actions[0].edit && await vscode.workspace.applyEdit(actions[0].edit), 'the edit applies');
  const rrset = '_25._tcp.mx1   TLSA  3 1 1 827abd64959615201188ca24fd07ad4aac422d4c5abd2f3eb5f2b60666c453d6\n';
  const [head, tail] = before.split(rrset);
  assert.equal(tail, 'www            A     192.0.2.80\n');
  const text = doc.getText();
  assert.ok(text.startsWith(head + rrset) && text.endsWith(tail), text);
  const inserted = text.slice((head + rrset).length, text.length - tail.length);
  assert.match(inserted, new RegExp([
    '; DANE rollover \\d{4}-\\d{2}-\\d{2} \\(dane-zone\\): current \\+ next key \\(RFC 7671 §8\\.1\\)',
    ';   3 1 1 827abd64…c453d6 = current key \\(certs/mx1\\.pem\\)',
    ';   3 1 1 3d50e015…4fea19 = next key \\(certs/next\\.pub\\)',
    ';   1\\. publish these records \\(reload the zone; the SOA serial must grow\\)',
    ';   2\\. wait two TTLs \\+ the SOA refresh: 2 × 3600 s \\+ 7200 s = 4 hours, so that every secondary serves the new records and no resolver still holds the old RRset',
    ';   3\\. deploy the next key/certificate on mx1\\.e2e-certs\\.example',
    ';   4\\. once it is live, replace the old record \\(3 1 1 827abd64…c453d6\\) with a 3 1 1 for a new next key \\(link it with next=\\), keeping the pair',
    '_25\\._tcp\\.mx1   TLSA  3 1 1 3d50e015235743d0f60f5b10ab5a1c297f00b11211412e585838b058554fea19',
    '',
  ].join('\n') + '$'));
  assert.match(inserted, new RegExp(`rollover ${new Date().toISOString().slice(0, 4)}-`), 'dated today');
  // Both keys are published now: the mismatch goes.
  await waitFor('tlsa-cert-mismatch to go', () => ourDiagnostics(doc), (d) => !d.some((x) => codeOf(x) === 'tlsa-cert-mismatch'));
});

test('quick fix "Add a rotation pair … from a file…" (issue 16/8) on an unlinked single TLSA record: next key from files, with the link; the warning goes', async () => {
  const certs = path.dirname(zonePath('certs/mx1.pem'));
  const file = path.join(path.dirname(certs), 'e2e-rotation.zone');
  const text = '$ORIGIN rot.example.\n$TTL 3600\n; dane-zone dnssec=signed\n@   SOA ns hm 1 2 3 4 5\n@   MX  10 mx1\nmx1 A   192.0.2.25\n' +
    '_25._tcp.mx1 TLSA 3 1 1 827abd64959615201188ca24fd07ad4aac422d4c5abd2f3eb5f2b60666c453d6\n';
  fs.writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  const ds = await waitForDiagnostics(doc, ['tlsa-single-record']);
  const single = ds.find((d) => codeOf(d) === 'tlsa-single-record')!;
  const fix = (await codeActions(doc, single.range, vscode.CodeActionKind.QuickFix.value)).find((a) => a.command?.command === 'daneZone.addRotationPairFromFile');
  assert.ok(fix, 'offered in the lightbulb');
  assert.equal(fix.title, 'Add a rotation pair for _25._tcp.mx1.rot.example from a file… (next key or issuing CA)');
  // The pick (next key) and the two file pickers are answered by passing them, as a dialog can't be clicked here.
  const result = await vscode.commands.executeCommand<{ applied?: boolean; message?: string }>(fix.command!.command, ...(fix.command!.arguments ?? []),
    'next', vscode.Uri.file(path.join(certs, 'mx1.pem')), vscode.Uri.file(path.join(certs, 'next.pub')));
  assert.equal(result?.applied, true, JSON.stringify(result));
  const after = await waitFor('the inserted pair', async () => doc.getText(), (t) => t !== text);
  assert.equal(after, text + '; dane-zone cert=certs/mx1.pem next=certs/next.pub\n' +
    '_25._tcp.mx1 TLSA 3 1 1 3d50e015235743d0f60f5b10ab5a1c297f00b11211412e585838b058554fea19\n');
  await waitFor('tlsa-single-record to go', () => ourDiagnostics(doc), (d) => !d.some((x) => codeOf(x) === 'tlsa-single-record'));
  await vscode.commands.executeCommand('workbench.action.files.revert');
});

test('"Insert TLSA Records from a Certificate" puts the 3 1 1 record of the chosen file after the host\'s records', async () => {
  const text = '$ORIGIN ins.example.\n$TTL 3600\n@   SOA ns hm 1 2 3 4 5\n@   MX  10 mx1 ; primary\nmx1 A   192.0.2.25\n';
  const doc = await openText(text);
  await waitForServer(doc);
  assert.ok((await vscode.commands.getCommands(true)).includes('daneZone.insertTlsaFromCertificate'), 'the client command is registered');
  const cert = vscode.Uri.file(zonePath('certs/mx1.pem'));
  // The file picker is skipped by passing the file, as a code action's command can't be clicked here.
  const result = await vscode.commands.executeCommand<{ applied?: boolean; message?: string }>('daneZone.insertTlsaFromCertificate', doc.uri.toString(), 'mx1.ins.example', cert);
  assert.equal(result?.applied, true, JSON.stringify(result));
  const after = await waitFor('the inserted TLSA record', async () => doc.getText(), (t) => /TLSA/.test(t));
  for (const line of text.split('\n')) assert.ok(after.includes(line), `kept: ${line}`);
  assert.match(after, /\n_25\._tcp\.mx1\s+(\d+\s+)?(IN\s+)?TLSA\s+3 1 1 827abd64959615201188ca24fd07ad4aac422d4c5abd2f3eb5f2b60666c453d6\n/, after);
});

test('"Insert TLSA Records from a Certificate…" (issue 16/4): host prefilled from the MX line, current + next with the cert=/next= link, records already there skipped', async () => {
  const certs = path.dirname(zonePath('certs/mx1.pem'));
  const file = path.join(path.dirname(certs), 'e2e-insert.zone');
  fs.writeFileSync(file, '$ORIGIN ins2.example.\n$TTL 3600\n@   SOA ns hm 1 2 3 4 5\n@   MX  10 mx1\nmx1 A   192.0.2.25\n');
  const doc = await vscode.workspace.openTextDocument(file);
  const editor = await vscode.window.showTextDocument(doc);
  await waitForServer(doc);
  editor.selection = new vscode.Selection(3, 12, 3, 12); // on `mx1` of the MX record
  const run = async () => {
    // The host prompt opens prefilled: accept it as a user pressing Enter would.
    let done = false;
    const pending = vscode.commands.executeCommand<{ applied?: boolean; message?: string }>('daneZone.insertTlsaFromCertificate', undefined, undefined,
      vscode.Uri.file(path.join(certs, 'mx1.pem')), 'next', vscode.Uri.file(path.join(certs, 'next.pub'))).then((r) => { done = true; return r; });
    for (let i = 0; i < 40 && !done; i++) {
      await sleep(250);
      if (!done) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    return pending;
  };
  const result = await run();
  assert.equal(result?.applied, true, JSON.stringify(result));
  const after = await waitFor('the inserted records', async () => doc.getText(), (t) => /TLSA/.test(t));
  assert.match(after, /\nmx1 A   192\.0\.2\.25\n; dane-zone cert=certs\/mx1\.pem next=certs\/next\.pub\n_25\._tcp\.mx1 +(\d+ +)?(IN +)?TLSA +3 1 1 827abd64959615201188ca24fd07ad4aac422d4c5abd2f3eb5f2b60666c453d6\n_25\._tcp\.mx1 +(\d+ +)?(IN +)?TLSA +3 1 1 [0-9a-f]{64}\n/, after);
  // Again: both records are there already, nothing is inserted twice (no duplicate-record).
  const again = await run();
  assert.equal(again?.applied, false);
  assert.match(again?.message ?? '', /already has/);
  assert.equal((doc.getText().match(/TLSA/g) ?? []).length, 2);
  await vscode.commands.executeCommand('workbench.action.files.revert');
});

test('"DANE Zone: Check Deployed MX" is a command, offered by code lenses on the MX RRset and the _25._tcp TLSA RRset', async () => {
  const doc = await openZone('e2e-certs.zone');
  await waitForServer(doc);
  assert.ok((await vscode.commands.getCommands(true)).includes('daneZone.checkLive'), 'command daneZone.checkLive is registered');
  const lenses = await waitFor('the code lenses', async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [],
    (l) => l.length >= 2);
  assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command]), [
    [lineOf(doc, '@              MX    10 mx1'), 'Check deployed MX', 'daneZone.checkLive'],
    [lineOf(doc, '_25._tcp.mx1   TLSA'), 'Check deployed MX (mx1.e2e-certs.example)', 'daneZone.checkLive'],
  ]);
});

test('"DANE Zone: Check Deployed MX" on the active zone returns the server\'s report, through daneZone.live.resolver', async () => {
  const doc = await openZone('e2e-certs.zone');
  await waitForServer(doc);
  const config = vscode.workspace.getConfiguration('daneZone', doc.uri);
  // A loopback port with nothing behind it: the check ends at once with "could not check" (no network used).
  await config.update('live.resolver', '127.0.0.1:9', vscode.ConfigurationTarget.Workspace);
  try {
    const report = await waitFor('the report through the configured resolver',
      async () => String(await vscode.commands.executeCommand('daneZone.checkLive')), (r) => r.includes('resolver 127.0.0.1:9'));
    assert.match(report, /^Live DANE check of e2e-certs\.example, port 25, resolver 127\.0\.0\.1:9/);
    assert.match(report, /COULD NOT CHECK/);
  } finally {
    await config.update('live.resolver', undefined, vscode.ConfigurationTarget.Workspace);
  }
});
