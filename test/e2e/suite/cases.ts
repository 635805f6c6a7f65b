// The real-editor cases: what a user sees in VS Code with the extension installed.
// Adding a case is one call: test('what the user sees', async () => { ... }).
// todo('name', 'why', fn) keeps a case that waits for a feature: it is listed as skipped.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  EXTENSION_ID, LANGUAGE_ID, activateExtension, closeAll, codeActions, codeOf, describe, exampleZones, expectDiagnostic, foldingRanges,
  hoverText, hovers, lineOf, log, openText, openZone, ourDiagnostics, rangeIn, rangeOf, settledDiagnostics, sleep, waitFor,
  waitForDiagnostics, waitForServer, zonePath,
} from './harness';

export interface Case {
  name: string;
  run: () => Promise<void>;
  /** Why the case is skipped for now (a feature not there yet). */
  todo?: string;
}

export const cases: Case[] = [];
const test = (name: string, run: () => Promise<void>) => { cases.push({ name, run }); };
const todo = (name: string, why: string, run: () => Promise<void>) => { cases.push({ name, run, todo: why }); };

const { Error: ERROR, Warning: WARNING } = vscode.DiagnosticSeverity;

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

// ---- hover, completion, inlay hints --------------------------------------------------------------

/** The usage, selector and matching-type ranges of the first `TLSA  3 1 1` record in `doc`. */
function tlsaFields(doc: vscode.TextDocument): { usage: vscode.Range; selector: vscode.Range; matchingType: vscode.Range } {
  const r = rangeOf(doc, 'TLSA  3 1 1');
  const at = (col: number) => new vscode.Range(r.start.translate(0, col), r.start.translate(0, col + 1));
  return { usage: at(6), selector: at(8), matchingType: at(10) };
}

async function completions(doc: vscode.TextDocument, pos: vscode.Position, trigger?: string): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList | undefined>('vscode.executeCompletionItemProvider', doc.uri, pos, trigger);
  return list?.items ?? [];
}

async function inlayHints(doc: vscode.TextDocument, range?: vscode.Range): Promise<vscode.InlayHint[]> {
  const all = range ?? new vscode.Range(0, 0, doc.lineCount, 0);
  return (await vscode.commands.executeCommand<vscode.InlayHint[] | undefined>('vscode.executeInlayHintProvider', doc.uri, all)) ?? [];
}

const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
const markdownOf = (m: string | vscode.MarkdownString | vscode.InlayHintLabelPart[] | undefined) =>
  typeof m === 'string' ? m : m instanceof vscode.MarkdownString ? m.value : '';

test('hover on the TLSA fields of dane.example.net.zone explains each number, with its RFC', async () => {
  const doc = await openZone('dane.example.net.zone');
  await waitForServer(doc);
  const f = tlsaFields(doc);
  const expected: [vscode.Range, RegExp, RegExp][] = [
    [f.usage, /usage 3 — DANE-EE/, /rfc-editor\.org\/rfc\/rfc7671#section-5\.1/],
    [f.selector, /selector 1 — SPKI/, /rfc-editor\.org\/rfc\/rfc6698#section-2\.1\.2/],
    [f.matchingType, /matching type 1 — SHA2-256/, /rfc-editor\.org\/rfc\/rfc6698#section-2\.1\.3/],
  ];
  for (const [range, what, rfc] of expected) {
    const hs = await waitFor(`a hover at ${range.start.line + 1}:${range.start.character + 1}`, () => hovers(doc, range.start), (h) => h.length > 0);
    const text = hoverText(hs);
    assert.match(text, what);
    assert.match(text, rfc);
    const h = hs.find((x) => x.range);
    assert.ok(h?.range?.isEqual(range), `the hover covers exactly the number: ${JSON.stringify(h?.range)}`);
  }
  // The owner: port 25, SMTP, and what the zone says about the host.
  const owner = hoverText(await hovers(doc, rangeOf(doc, '_25._tcp.mx1').start.translate(0, 2)));
  assert.match(owner, /port \*\*25\*\*/);
  assert.match(owner, /SMTP/);
  assert.match(owner, /MX target/);
});

test('completion: TLSA usages with their meanings; the TLSA type as a snippet that gets inlay hints', async () => {
  const zone = await openZone('dane.example.net.zone');
  await waitForServer(zone);
  const f = tlsaFields(zone);
  const items = await waitFor('usage completions', () => completions(zone, f.usage.end), (i) => i.some((x) => labelOf(x) === '3'));
  const three = items.find((x) => labelOf(x) === '3')!;
  assert.equal(three.kind, vscode.CompletionItemKind.Value);
  assert.match(three.detail ?? '', /DANE-EE/);
  assert.match(markdownOf(three.documentation), /DANE-EE/);
  const range = three.range instanceof vscode.Range ? three.range : three.range?.replacing;
  assert.ok(range?.isEqual(f.usage), `3 replaces the usage: ${JSON.stringify(three.range)}`);
  assert.ok(items.some((x) => labelOf(x) === '2' && /DANE-TA/.test(x.detail ?? '')));

  const doc = await openText('$ORIGIN e2e.example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n@ MX 10 mx1\nns1 A 192.0.2.53\nmx1 A 192.0.2.25\n_25._tcp.mx1 TL');
  await waitForServer(doc);
  const end = doc.lineAt(doc.lineCount - 1).range.end;
  const types = await waitFor('type completions', () => completions(doc, end), (i) => i.some((x) => labelOf(x) === 'TLSA'));
  const tlsa = types.find((x) => labelOf(x) === 'TLSA')!;
  assert.equal(tlsa.kind, vscode.CompletionItemKind.TypeParameter);
  assert.ok(tlsa.insertText instanceof vscode.SnippetString, `a snippet: ${JSON.stringify(tlsa.insertText)}`);
  assert.equal(tlsa.insertText.value, 'TLSA ${1:3} ${2:1} ${3:1} ${4:hex}');
  // Accept it as the editor would: the placeholders' defaults go in, and the hint follows.
  const editor = vscode.window.activeTextEditor!;
  const replace = tlsa.range instanceof vscode.Range ? tlsa.range : tlsa.range!.replacing;
  assert.ok(await editor.insertSnippet(tlsa.insertText, replace), 'snippet inserted');
  assert.equal(doc.lineAt(doc.lineCount - 1).text, '_25._tcp.mx1 TLSA 3 1 1 hex');
  const line = doc.lineCount - 1;
  const hints = await waitFor('an inlay hint on the new record', () => inlayHints(doc, doc.lineAt(line).range), (h) => h.length > 0);
  assert.equal(hints[0].label, 'DANE-EE SPKI SHA2-256');
  assert.ok(hints[0].position.isEqual(new vscode.Position(line, '_25._tcp.mx1 TLSA 3 1 1 '.length)), `the hint after the blank: ${JSON.stringify(hints[0].position)}`);
});

test('completion (issue 16/10): TLSA values show their mnemonic in the list; no word-based suggestions in zone files; file names after cert=', async () => {
  const zone = await openZone('dane.example.net.zone');
  await waitForServer(zone);
  const f = tlsaFields(zone);
  const items = await waitFor('usage completions', () => completions(zone, f.usage.end), (i) => i.some((x) => labelOf(x) === '3'));
  const three = items.find((x) => labelOf(x) === '3')!;
  assert.equal(typeof three.label === 'string' ? undefined : three.label.detail, ' DANE-EE', `label details of 3: ${JSON.stringify(three.label)}`);
  assert.equal(vscode.workspace.getConfiguration('editor', { languageId: LANGUAGE_ID }).get('wordBasedSuggestions'), 'off',
    'other zones\' hashes are not offered as words');
  const doc = await openText('$ORIGIN e2e.example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n; dane-zone cert=\n');
  await waitForServer(doc);
  const end = doc.lineAt(3).range.end;
  const files = await waitFor('file-name completions', () => completions(doc, end, '='), (i) => i.length > 0);
  assert.ok(files.some((x) => x.kind === vscode.CompletionItemKind.Folder), `folders offered: ${files.map(labelOf).join(', ')}`);
});

test('inlay hints: DANE-EE SPKI SHA2-256 after each TLSA record; daneZone.inlayHints.enabled turns them off', async () => {
  const doc = await openZone('dane.example.net.zone');
  await waitForServer(doc);
  const f = tlsaFields(doc);
  const hints = await waitFor('inlay hints', () => inlayHints(doc), (h) => h.length > 0);
  assert.equal(hints.length, 4, `one per TLSA record: ${hints.map((h) => `${h.position.line + 1}:${h.position.character + 1}`).join(', ')}`);
  const gap = f.matchingType.end.translate(0, 1);
  const first = hints.find((h) => h.position.isEqual(gap));
  assert.ok(first, `a hint after the blank that follows the matching type at ${gap.line + 1}:${gap.character + 1}`);
  assert.equal(first.label, 'DANE-EE SPKI SHA2-256');
  assert.equal(first.paddingRight, true);
  assert.match(markdownOf(first.tooltip), /DANE-EE/);
  // Only the requested range.
  const one = await inlayHints(doc, doc.lineAt(f.usage.start.line).range);
  assert.deepEqual(one.map((h) => h.position.line), [f.usage.start.line]);

  const config = vscode.workspace.getConfiguration('daneZone');
  assert.equal(config.get('inlayHints.enabled'), true, 'on by default');
  try {
    await config.update('inlayHints.enabled', false, vscode.ConfigurationTarget.Global);
    await waitFor('no inlay hints once disabled', () => inlayHints(doc), (h) => h.length === 0);
  } finally {
    await config.update('inlayHints.enabled', undefined, vscode.ConfigurationTarget.Global);
  }
  await waitFor('inlay hints back', () => inlayHints(doc), (h) => h.length === 4);
});

test('renamed settings (issue 16/12): the old daneZone.dnssec still applies when daneZone.DNSSEC is unset; the new key wins once set', async () => {
  const props = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.configuration.properties as Record<string, { deprecationMessage?: string }>;
  for (const [now, old] of [['DNSSEC', 'dnssec'], ['DNSSECExpiryWarningDays', 'dnssecExpiryWarningDays'], ['TLSAMaxTTL', 'tlsa.maxTtl']]) {
    assert.ok(props[`daneZone.${now}`], `daneZone.${now} contributed`);
    assert.match(props[`daneZone.${old}`]?.deprecationMessage ?? '', new RegExp(`Renamed to daneZone\\.${now}`));
  }
  const doc = await openZone('e2e-dane.zone');
  await waitForDiagnostics(doc, ['tlsa-unsigned-zone']);
  const config = vscode.workspace.getConfiguration('daneZone');
  const unsigned = (ds: vscode.Diagnostic[]) => ds.filter((d) => codeOf(d) === 'tlsa-unsigned-zone');
  try {
    await config.update('dnssec', 'signed', vscode.ConfigurationTarget.Global);
    await waitFor('tlsa-unsigned-zone gone with the old key set to signed', async () => ourDiagnostics(doc), (ds) => unsigned(ds).length === 0);
    await config.update('DNSSEC', 'unsigned', vscode.ConfigurationTarget.Global);
    const back = await waitFor('the new key wins: declared unsigned', async () => ourDiagnostics(doc), (ds) => unsigned(ds).length === 1);
    assert.match(unsigned(back)[0].message, /declared unsigned by the dnssec setting/);
  } finally {
    await config.update('dnssec', undefined, vscode.ConfigurationTarget.Global);
    await config.update('DNSSEC', undefined, vscode.ConfigurationTarget.Global);
  }
});

// ---- DANE diagnostics and code actions ---------------------------------------------------------

const MNEMONIC_FIX = 'Write `DANE-EE SPKI SHA2-256` as `3 1 1` (numbers, which every DNS server reads)';

/**
 * The code actions with an edit: ours. (The editor adds command-only actions of its own to any
 * diagnostic, such as the chat's "Fix" and "Explain".)
 */
async function editActions(doc: vscode.TextDocument, range: vscode.Range, kind: string): Promise<vscode.CodeAction[]> {
  return (await codeActions(doc, range, kind)).filter((a) => a.edit !== undefined);
}

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

export async function afterEach(): Promise<void> {
  await closeAll();
}
