// Real-editor cases: DANE diagnostics and their code actions (quick fixes, refactorings), the CA hover.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  codeOf, describe, editActions, expectDiagnostic, hoverText, hovers, lineOf, openText, openZone, ourDiagnostics, rangeIn, rangeOf, waitFor, waitForDiagnostics, waitForServer,
} from '../harness';
import { ERROR, WARNING, test } from '../registry';

// ---- DANE diagnostics and code actions ---------------------------------------------------------

const MNEMONIC_FIX = 'Write `DANE-EE SPKI SHA2-256` as `3 1 1` (numbers, which every DNS server reads)';

test('fixture e2e-dane.zone: tlsa-mnemonic on each acronym, tlsa-single-record on the owners, one tlsa-unsigned-zone', async () => {
  const doc = await openZone('e2e-dane.zone');
  const ds = await waitForDiagnostics(doc, ['tlsa-mnemonic', 'tlsa-single-record', 'tlsa-unsigned-zone']);
  for (const acronym of ['DANE-EE', 'SPKI', 'SHA2-256']) {
    const d = expectDiagnostic(ds, doc, 'tlsa-mnemonic', ERROR, rangeIn(doc, '_25._tcp.mx1   TLSA  DANE-EE', acronym));
    assert.equal(doc.getText(d.range), acronym, `tlsa-mnemonic covers exactly the acronym: ${describe(d)}`);
    assert.match(d.message, /RFC 7218 acronym/);
  }
  // The RRset at _443._tcp.www has one record; the one at _25._tcp.mx1 has one usable record
  // (the acronym record is not readable by DNS servers), reported on that record's owner.
  const single443 = expectDiagnostic(ds, doc, 'tlsa-single-record', WARNING, rangeIn(doc, '_443._tcp.www  TLSA', '_443._tcp.www'));
  assert.equal(doc.getText(single443.range), '_443._tcp.www', describe(single443));
  const single25 = expectDiagnostic(ds, doc, 'tlsa-single-record', WARNING, rangeIn(doc, '_25._tcp.mx1   TLSA  3 1 1', '_25._tcp.mx1'));
  assert.equal(doc.getText(single25.range), '_25._tcp.mx1', describe(single25));
  const unsigned = ds.filter((d) => codeOf(d) === 'tlsa-unsigned-zone');
  const mx1 = rangeIn(doc, '_25._tcp.mx1   TLSA  DANE-EE', '_25._tcp.mx1');
  const www = rangeIn(doc, '_443._tcp.www  TLSA', '_443._tcp.www');
  // One per zone, on the first RRset; the other RRset is a related location.
  assert.deepEqual(unsigned.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.severity]),
    [[mx1.start.line, 0, mx1.end.character, WARNING]], `one tlsa-unsigned-zone warning per zone: ${unsigned.map(describe).join('; ')}`);
  assert.match(unsigned[0].message, /not DNSSEC-signed/);
  assert.deepEqual(unsigned[0].relatedInformation?.map((r) => [r.location.uri.toString(), r.location.range.start.line, doc.getText(r.location.range)]),
    [[doc.uri.toString(), www.start.line, '_443._tcp.www']]);
  // Nothing else about TLSA in this file.
  assert.deepEqual(ds.filter((d) => codeOf(d).startsWith('tlsa-')).map(describe).sort(), [
    `${mx1.start.line + 1}:1-${mx1.start.line + 1}:${mx1.end.character + 1} warning tlsa-unsigned-zone`,
    `${single25.range.start.line + 1}:1-${single25.range.start.line + 1}:13 warning tlsa-single-record`,
    `${www.start.line + 1}:1-${www.start.line + 1}:14 warning tlsa-single-record`,
    ...['DANE-EE', 'SPKI', 'SHA2-256'].map((a) => rangeIn(doc, '_25._tcp.mx1   TLSA  DANE-EE', a))
      .map((r) => `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} error tlsa-mnemonic`),
  ].sort());
});

test('quick fix: DANE-EE SPKI SHA2-256 → 3 1 1 from the lightbulb on an acronym, applied to the document', async () => {
  const doc = await openZone('e2e-dane.zone');
  const before = doc.getText();
  const ds = await waitForDiagnostics(doc, ['tlsa-mnemonic']);
  const spki = expectDiagnostic(ds, doc, 'tlsa-mnemonic', ERROR, rangeIn(doc, '_25._tcp.mx1   TLSA  DANE-EE', 'SPKI'));
  const actions = await waitFor('a quick fix for tlsa-mnemonic', () => editActions(doc, spki.range, vscode.CodeActionKind.QuickFix.value),
    (a) => a.length > 0);
  assert.deepEqual(actions.map((a) => a.title), [MNEMONIC_FIX]);
  const fix = actions[0];
  assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
  assert.equal(fix.isPreferred, true);
  // (vscode.executeCodeActionProvider does not hand back an action's diagnostics; the protocol tests check them.)
  assert.ok(fix.edit, 'the quick fix carries a WorkspaceEdit');
  assert.deepEqual(fix.edit.entries().map(([uri, edits]) => [uri.toString(), edits.length]), [[doc.uri.toString(), 3]], 'one edit per acronym, in this document');
  // No refactoring is offered for this record (its data is already one lowercase word).
  assert.deepEqual((await editActions(doc, spki.range, vscode.CodeActionKind.RefactorRewrite.value)).map((a) => a.title), []);

  assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit applies');
  const key = /SHA2-256 ([0-9a-f]{64}) ; current key/.exec(before)![1];
  const expected = before.replace(`_25._tcp.mx1   TLSA  DANE-EE SPKI SHA2-256 ${key} ; current key\n`, `_25._tcp.mx1   TLSA  3 1 1 ${key} ; current key\n`);
  assert.notEqual(expected, before);
  assert.equal(doc.getText(), expected, 'only the three acronyms changed: the comment, spacing and the other lines stay');
  // The squiggles follow: no acronym left, and the RRset at _25._tcp.mx1 now has two usable records.
  const after = await waitFor('tlsa-mnemonic and the _25._tcp.mx1 tlsa-single-record to go', () => ourDiagnostics(doc),
    (d) => !d.some((x) => codeOf(x) === 'tlsa-mnemonic') && d.filter((x) => codeOf(x) === 'tlsa-single-record').length === 1);
  expectDiagnostic(after, doc, 'tlsa-single-record', WARNING, rangeIn(doc, '_443._tcp.www  TLSA', '_443._tcp.www'));
  // Nothing left to fix on that line (but the zone-wide tlsa-unsigned-zone on its owner, with its own fix).
  const line = doc.lineAt(lineOf(doc, '; current key')).range;
  assert.deepEqual((await editActions(doc, line, vscode.CodeActionKind.QuickFix.value)).map((a) => a.title),
    ['Declare the zone inline-signed (`; dane-zone dnssec=inline`): the server signs it on load']);
});

test('hover on 2 1 1 data names the CA it pins (fixture e2e-mail.zone: Let\'s Encrypt YR1)', async () => {
  const doc = await openZone('e2e-mail.zone');
  await waitForServer(doc);
  const data = rangeIn(doc, '_25._tcp       TLSA  2 1 1', '2e8307068b6db620');
  const hs = await waitFor('a hover on the 2 1 1 data', () => hovers(doc, data.start.translate(0, 4)), (h) => /CA:/.test(hoverText(h)));
  assert.match(hoverText(hs), /CA: \*\*Let's Encrypt YR1, RSA, active, expires 2028-09-02\*\* \(matches its public key\)/);
  const other = rangeIn(doc, '_25._tcp       TLSA  3 1 1', '8cb0fc6c');
  assert.doesNotMatch(hoverText(await hovers(doc, other.start.translate(0, 4))), /CA:/, 'a 3 1 1 record names no CA');
});

test('tlsa-wrong-host: the quick fix moves the RRset to _25._tcp.<MX host>', async () => {
  const doc = await openZone('e2e-mail.zone');
  const before = doc.getText();
  const ds = await waitForDiagnostics(doc, ['tlsa-wrong-host']);
  const owner = rangeIn(doc, '_25._tcp       TLSA  3 1 1', '_25._tcp');
  const d = expectDiagnostic(ds, doc, 'tlsa-wrong-host', WARNING, owner);
  assert.match(d.message, /MX host mx1.e2e-mail.example. has no TLSA records/);
  assert.ok(!ds.some((x) => codeOf(x) === 'tlsa-unsigned-zone' || codeOf(x) === 'tlsa-single-record'), 'no DNSSEC or rotation advice on a name no sender queries');
  const actions = await waitFor('the move quick fix', () => editActions(doc, d.range, vscode.CodeActionKind.QuickFix.value), (a) => a.length > 0);
  assert.deepEqual(actions.map((a) => a.title), ['Move the TLSA RRset to _25._tcp.mx1.e2e-mail.example. (MX host mx1.e2e-mail.example. has none)']);
  assert.ok(await vscode.workspace.applyEdit(actions[0].edit!), 'the edit applies');
  assert.equal(doc.getText(), before.replace(/^_25\._tcp       TLSA/gm, '_25._tcp.mx1       TLSA'));
  // The squiggle goes; the RRset, now where senders look, gets the CA family warning (YR1 without YR2).
  const after = await waitFor('tlsa-wrong-host to go', () => ourDiagnostics(doc), (x) => !x.some((y) => codeOf(y) === 'tlsa-wrong-host') && x.some((y) => codeOf(y) === 'tlsa-ca-partial-family'));
  expectDiagnostic(after, doc, 'tlsa-ca-partial-family', WARNING, rangeIn(doc, '_25._tcp.mx1       TLSA  2 1 1', '2e8307068b6db620e4a39d068b5dee5d6ef5788cbb2c0b6d23ead84fcc17178c'));
});

test('refactor: an RFC 3597 \\# TLSA record rewritten in presentation form', async () => {
  const hex = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';
  const head = '$ORIGIN e2e.example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n@ MX 10 mx1\nns1 A 192.0.2.53\nmx1 A 192.0.2.25\n';
  const doc = await openText(`${head}_25._tcp.mx1 TLSA \\# 35 0301 01 ${hex} ; from a dump\n`);
  await waitForServer(doc);
  const cursor = rangeOf(doc, '\\# 35').start;
  const actions = await waitFor('a refactoring of the \\# record', () => editActions(doc, new vscode.Range(cursor, cursor), vscode.CodeActionKind.RefactorRewrite.value),
    (a) => a.length > 0);
  assert.deepEqual(actions.map((a) => a.title), ['Write in presentation form (3 1 1 and hex) instead of RFC 3597 \\# data']);
  assert.equal(actions[0].kind?.value, vscode.CodeActionKind.RefactorRewrite.value);
  assert.ok(await vscode.workspace.applyEdit(actions[0].edit!));
  assert.equal(doc.getText(), `${head}_25._tcp.mx1 TLSA 3 1 1 ${hex} ; from a dump\n`);
});
