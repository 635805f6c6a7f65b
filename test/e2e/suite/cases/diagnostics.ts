// Real-editor cases: the language server starts, diagnostics (fixtures, examples, typing, a signed zone, a restart), folding.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  EXTENSION_ID, LANGUAGE_ID, activateExtension, codeOf, describe, exampleZones, expectDiagnostic, foldingRanges, lineOf, log, openText, openZone, rangeIn, rangeOf, settledDiagnostics, waitFor, waitForDiagnostics, waitForServer,
} from '../harness';
import { ERROR, WARNING, test } from '../registry';

// ---- activation and the language server -------------------------------------------------------

test('the suite runs in a real extension host with the extension loaded', async () => {
  assert.match(vscode.version, /^1\.\d+\.\d+/);
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is loaded (development path or installed .vsix)`);
  assert.equal(ext.packageJSON.name, 'dane-zone');
});

test('a .zone file opens as dns-zone and activates the extension', async () => {
  const doc = await openZone('example.com.zone');
  assert.equal(doc.languageId, LANGUAGE_ID);
  await activateExtension();
});

test('the language server starts: outline of example.com.zone', async () => {
  const doc = await openZone('example.com.zone');
  const syms = await waitForServer(doc);
  const names = syms.map((s) => s.name);
  assert.ok(names.includes('$ORIGIN'), `outline has $ORIGIN: ${names.join(', ')}`);
  const apex = syms.find((s) => /^(@|example\.com\.?)$/.test(s.name));
  assert.ok(apex, `outline has the apex owner: ${names.join(', ')}`);
  assert.deepEqual(apex.children.map((c) => c.name), ['SOA', 'NS', 'NS', 'MX', 'TXT', 'CAA']);
  const www = syms.find((s) => /^www(\.example\.com\.?)?$/.test(s.name));
  assert.ok(www, `outline has www: ${names.join(', ')}`);
  assert.deepEqual(www.children.map((c) => c.name), ['A', 'AAAA']);
  // the selection of a record is its type, on the record's line
  const wwwA = www.children[0];
  assert.equal(wwwA.selectionRange.start.line, lineOf(doc, 'www     IN  A'));
  assert.equal(doc.getText(wwwA.selectionRange), 'A');
});

// ---- diagnostics ---------------------------------------------------------------------------------

test('examples/typos.zone: a squiggle on each mistake', async () => {
  const doc = await openZone('typos.zone');
  const ds = await waitForDiagnostics(doc, ['invalid-rdata', 'cname-and-other-data', 'rrset-ttl-mismatch', 'unbalanced-parenthesis']);
  const bad = expectDiagnostic(ds, doc, 'invalid-rdata', ERROR, '192.0.2.300');
  assert.equal(doc.getText(bad.range), '192.0.2.300', `invalid-rdata squiggles exactly the address: ${describe(bad)}`);
  assert.match(bad.message, /192\.0\.2\.300|address|octet|IPv4/i, `invalid-rdata message: ${bad.message}`);
  const paren = expectDiagnostic(ds, doc, 'unbalanced-parenthesis', ERROR, rangeIn(doc, 'api', '('));
  assert.equal(doc.getText(paren.range), '(', `unbalanced-parenthesis squiggles the "(": ${describe(paren)}`);
  const cname = ds.filter((d) => codeOf(d) === 'cname-and-other-data');
  assert.ok(cname.some((d) => [lineOf(doc, 'www      CNAME'), lineOf(doc, 'www      A')].includes(d.range.start.line)),
    `cname-and-other-data on a www line: ${cname.map(describe).join('; ')}`);
  const ttl = ds.filter((d) => codeOf(d) === 'rrset-ttl-mismatch');
  assert.ok(ttl.some((d) => d.severity === WARNING && [lineOf(doc, 'web      AAAA'), lineOf(doc, 'web      600')].includes(d.range.start.line)),
    `rrset-ttl-mismatch warning on a web line: ${ttl.map(describe).join('; ')}`);
  for (const d of ds) assert.ok(d.range.start.line >= 3, `no diagnostic on the header lines: ${describe(d)}`);
});

test('fixture e2e-errors.zone: code, range and severity of syntax, unknown-type, invalid-rdata, missing-ttl', async () => {
  const doc = await openZone('e2e-errors.zone');
  const ds = await waitForDiagnostics(doc, ['missing-ttl', 'invalid-rdata', 'syntax', 'unknown-type']);
  const ttl = expectDiagnostic(ds, doc, 'missing-ttl', WARNING, 'SOA');
  assert.equal(doc.getText(ttl.range), 'SOA', `missing-ttl covers the type: ${describe(ttl)}`);
  expectDiagnostic(ds, doc, 'invalid-rdata', ERROR, '192.0.2.999');
  const syn = expectDiagnostic(ds, doc, 'syntax', ERROR, rangeIn(doc, 'www 3600 300', '300'));
  assert.equal(doc.getText(syn.range), '300', `syntax covers the second TTL: ${describe(syn)}`);
  const unk = expectDiagnostic(ds, doc, 'unknown-type', ERROR, 'BOGUS');
  assert.equal(doc.getText(unk.range), 'BOGUS', `unknown-type covers the type: ${describe(unk)}`);
});

test('the bundled examples open without errors', async () => {
  const names = exampleZones().filter((n) => n !== 'typos.zone');
  assert.ok(names.length > 0, 'examples/*.zone exist');
  for (const name of names) {
    const doc = await openZone(name);
    await waitForServer(doc);
    const ds = await settledDiagnostics(doc, 1000);
    const errors = ds.filter((d) => d.severity === ERROR);
    assert.deepEqual(errors.map(describe), [], `${name} has errors: ${errors.map((d) => `${describe(d)} ${d.message}`).join('; ')}`);
    log(`    ${name}: ${ds.length ? ds.map(describe).join(', ') : 'no diagnostics'}`);
  }
});

test('diagnostics follow typing: a mistake appears, then goes when fixed', async () => {
  const doc = await openText('$ORIGIN live.example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n');
  await waitForServer(doc);
  assert.deepEqual((await settledDiagnostics(doc, 800)).filter((d) => d.severity === ERROR).map(describe), []);
  const editor = vscode.window.activeTextEditor!;
  const at = rangeOf(doc, '192.0.2.1');
  await editor.edit((e) => e.replace(at, '192.0.2.256'));
  const ds = await waitForDiagnostics(doc, ['invalid-rdata']);
  expectDiagnostic(ds, doc, 'invalid-rdata', ERROR, '192.0.2.256');
  await editor.edit((e) => e.replace(rangeOf(doc, '192.0.2.256'), '192.0.2.25'));
  await waitFor('invalid-rdata to go', () => vscode.languages.getDiagnostics(doc.uri), (d) => !d.some((x) => codeOf(x) === 'invalid-rdata'));
});

test('a signed zone: editing a record shows rrsig-invalid on its RRset (re-sign), undoing clears it', async () => {
  const doc = await openZone('example.org.zone.signed');
  await waitForServer(doc);
  assert.deepEqual((await settledDiagnostics(doc, 1000)).filter((d) => d.severity === ERROR).map(describe), []);
  const editor = vscode.window.activeTextEditor!;
  await editor.edit((e) => e.replace(rangeOf(doc, '10 mx1.example.org.'), '10 mx9.example.org.'));
  const ds = await waitForDiagnostics(doc, ['rrsig-invalid']);
  const line = lineOf(doc, '10 mx9.example.org.');
  const col = doc.lineAt(line).text.indexOf('MX');
  const hit = expectDiagnostic(ds, doc, 'rrsig-invalid', ERROR, new vscode.Range(line, col, line, col + 2));
  assert.match(hit.message, /re-sign the zone/);
  await editor.edit((e) => e.replace(rangeOf(doc, '10 mx9.example.org.'), '10 mx1.example.org.'));
  await waitFor('rrsig-invalid to go', () => vscode.languages.getDiagnostics(doc.uri), (d) => !d.some((x) => codeOf(x) === 'rrsig-invalid'));
});

test('"DANE Zone: Restart Language Server" restarts it and the squiggles come back', async () => {
  assert.ok((await vscode.commands.getCommands(true)).includes('daneZone.restartServer'), 'command daneZone.restartServer is registered');
  const doc = await openZone('typos.zone');
  await waitForDiagnostics(doc, ['invalid-rdata']);
  await vscode.commands.executeCommand('daneZone.restartServer');
  await waitForServer(doc);
  const ds = await waitForDiagnostics(doc, ['invalid-rdata']);
  expectDiagnostic(ds, doc, 'invalid-rdata', ERROR, '192.0.2.300');
});

// ---- folding -------------------------------------------------------------------------------------

test('folding: the SOA in parentheses folds in example.com.zone', async () => {
  const doc = await openZone('example.com.zone');
  await waitForServer(doc);
  const start = lineOf(doc, 'SOA   ns1.example.com.');
  const end = lineOf(doc, '300 )');
  const folds = await waitFor('folding ranges', () => foldingRanges(doc), (f) => f.length > 0);
  assert.ok(folds.some((f) => f.start === start && f.end === end),
    `a fold ${start + 1}-${end + 1}; have ${folds.map((f) => `${f.start + 1}-${f.end + 1}`).join(', ')}`);
});
