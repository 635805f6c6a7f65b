// Real-editor cases: hover, completion, inlay hints, and settings that change them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  EXTENSION_ID, LANGUAGE_ID, codeOf, hoverText, hovers, openText, openZone, ourDiagnostics, rangeOf, waitFor, waitForDiagnostics, waitForServer,
} from '../harness';
import { test } from '../registry';

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
