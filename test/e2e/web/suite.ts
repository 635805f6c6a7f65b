// The part of the real-editor suite that applies to the web extension, run INSIDE the browser's
// web worker extension host (test/support/e2e/run.ts, the web suite: code-server's VS Code server with
// "remote.extensionKind" web, the suite bundled for the browser by scripts/bundle.js). Only the
// `vscode` API: no Node module, no file system but the workspace's. Each line goes to the console
// (the page relays it to the runner); run() resolves when every case passed.
import * as vscode from 'vscode';

const PREFIX = '[dane-zone web suite]';
const EXTENSION_ID = 'dane-zone.dane-zone';
const log = (line: string) => console.log(`${PREFIX} ${line}`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function check(ok: unknown, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

async function waitFor<T>(what: string, get: () => T | Thenable<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await get();
      if (ok(last)) return last;
    } catch { /* not yet */ }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 300)})`);
    await sleep(100);
  }
}

function fileUri(rel: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  check(folder, 'no workspace folder open');
  return vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
}

async function open(rel: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  await vscode.window.showTextDocument(doc, { preview: false });
  check(doc.languageId === 'dns-zone', `${rel} opened as ${doc.languageId}`);
  return doc;
}

const codeOf = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);
const ours = (doc: vscode.TextDocument) => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'dane-zone');

/** The range of `needle` on the first line holding `line` (both as written in the file). */
function rangeIn(doc: vscode.TextDocument, line: string, needle: string): vscode.Range {
  for (let i = 0; i < doc.lineCount; i++) {
    const t = doc.lineAt(i).text;
    if (!t.includes(line)) continue;
    const c = t.indexOf(needle);
    check(c >= 0, `"${needle}" not on line ${i + 1}`);
    return new vscode.Range(i, c, i, c + needle.length);
  }
  throw new Error(`no line with "${line}" in ${doc.uri.path}`);
}

function expectDiagnostic(doc: vscode.TextDocument, code: string, range: vscode.Range): vscode.Diagnostic {
  const all = ours(doc);
  const d = all.find((x) => codeOf(x) === code && x.range.isEqual(range));
  check(d, `no ${code} at ${range.start.line + 1}:${range.start.character + 1}-${range.end.character + 1}; have ${all.map((x) => `${codeOf(x)}@${x.range.start.line + 1}:${x.range.start.character + 1}`).join(', ')}`);
  return d;
}

const cases: { name: string; run: () => Promise<void> }[] = [];
const test = (name: string, run: () => Promise<void>) => { cases.push({ name, run }); };

test('the suite runs in the web worker extension host (no Node), with the extension active', async () => {
  check(typeof (globalThis as { process?: unknown }).process === 'undefined', 'a Node global `process` exists: this is not the web worker host');
  check(vscode.env.uiKind === vscode.UIKind.Web, `uiKind ${vscode.env.uiKind}`);
  await open('examples/typos.zone');
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  check(ext, `${EXTENSION_ID} is not loaded`);
  await waitFor('the extension to activate', () => ext.isActive, (a) => a);
  check(ext.packageJSON.browser === './dist/web/client.js', `browser entry ${ext.packageJSON.browser}`);
});

test('examples/typos.zone: invalid-rdata with its exact range, from the worker-hosted server', async () => {
  const doc = await open('examples/typos.zone');
  await waitFor('dane-zone diagnostics', () => ours(doc), (d) => d.some((x) => codeOf(x) === 'invalid-rdata'));
  const d = expectDiagnostic(doc, 'invalid-rdata', rangeIn(doc, '192.0.2.300', '192.0.2.300'));
  check(d.severity === vscode.DiagnosticSeverity.Error, `severity ${d.severity}`);
});

test('hover on the TLSA usage of e2e-certs.zone explains DANE-EE', async () => {
  const doc = await open('fixtures/e2e-certs.zone');
  const at = rangeIn(doc, '_25._tcp.mx1', '3 1 1').start;
  const hovers = await waitFor('a hover', () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at), (h) => (h ?? []).length > 0);
  const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  check(/DANE-EE/.test(text), `hover: ${text.slice(0, 300)}`);
});

test('linked certificates read through the workspace file system: tlsa-cert-mismatch on next=', async () => {
  const doc = await open('fixtures/e2e-certs.zone');
  await waitFor('tlsa-cert-mismatch', () => ours(doc), (d) => d.some((x) => codeOf(x) === 'tlsa-cert-mismatch'));
  expectDiagnostic(doc, 'tlsa-cert-mismatch', rangeIn(doc, '; dane-zone cert=certs/mx1.pem next=certs/next.pub', 'next=certs/next.pub'));
  check(!ours(doc).some((x) => codeOf(x) === 'tlsa-cert-unreadable'), 'a linked file was not read');
});

test('quick fix: DANE-EE SPKI SHA2-256 → 3 1 1, applied to the document', async () => {
  const doc = await open('fixtures/e2e-dane.zone');
  await waitFor('tlsa-mnemonic', () => ours(doc), (d) => d.some((x) => codeOf(x) === 'tlsa-mnemonic'));
  const range = expectDiagnostic(doc, 'tlsa-mnemonic', rangeIn(doc, '_25._tcp.mx1   TLSA  DANE-EE SPKI SHA2-256', 'SPKI')).range;
  const actions = await waitFor('a quick fix', () => vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, range, vscode.CodeActionKind.QuickFix.value),
    (a) => (a ?? []).some((x) => x.edit));
  const fix = actions.find((a) => a.edit && a.isPreferred) ?? actions.find((a) => a.edit);
  check(fix?.edit, `no quick fix with an edit: ${actions.map((a) => a.title).join(' | ')}`);
  const line = range.start.line;
  const before = doc.lineAt(line).text;
  check(await vscode.workspace.applyEdit(fix.edit), 'the edit was not applied');
  const after = doc.lineAt(line).text;
  check(after === before.replace('DANE-EE SPKI SHA2-256', '3 1 1'), `line after the fix: "${after}" (was "${before}")`);
  await vscode.commands.executeCommand('workbench.action.files.revert');
});

/** An untitled zone (no file behind it: the worker names it by nothing) with `text`. */
async function openText(text: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'dns-zone', content: text });
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

const EDIT_ZONE = ['$ORIGIN edit.example.', '$TTL 3600', '  IN NS ns1', '  IN MX 10 mail', 'ns1 IN A 192.0.2.53', 'mail 300 IN A 192.0.2.25 ; mx', '_25._tcp.mail IN TLSA 3 1 1 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1', ''].join('\n');

test('inlay hints, completion, formatting and go to definition on an untitled zone', async () => {
  const doc = await openText(EDIT_ZONE);
  const tlsaLine = 6;
  const hints = await waitFor('an inlay hint', () => vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, doc.lineAt(tlsaLine).range), (h) => (h ?? []).length > 0);
  check(hints[0].label === 'DANE-EE SPKI SHA2-256', `inlay hint: ${JSON.stringify(hints[0].label)}`);
  const usage = new vscode.Position(tlsaLine, doc.lineAt(tlsaLine).text.indexOf('3 1 1') + 1);
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, usage);
  const three = list.items.find((x) => (typeof x.label === 'string' ? x.label : x.label.label) === '3');
  check(three && /DANE-EE/.test(three.detail ?? ''), `completion: ${list.items.map((x) => (typeof x.label === 'string' ? x.label : x.label.label)).join(', ')}`);
  const mxTarget = new vscode.Position(3, doc.lineAt(3).text.indexOf('mail') + 1);
  const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, mxTarget);
  const lines = (defs ?? []).map((d) => ('range' in d ? d.range : d.targetRange).start.line);
  check(lines.includes(5), `definition of the MX target on lines ${lines.join(', ')}, not on 6`);
  const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 4, insertSpaces: true });
  check(edits && edits.length > 0, 'no formatting edits');
  const we = new vscode.WorkspaceEdit();
  we.set(doc.uri, edits);
  check(await vscode.workspace.applyEdit(we), 'the formatting edits did not apply');
  const formatted = doc.getText();
  check(formatted !== EDIT_ZONE && /^mail +300 IN A +192\.0\.2\.25 ; mx$/m.test(formatted) && /^ns1 +IN A +192\.0\.2\.53$/m.test(formatted), `formatted:\n${formatted}`);
  const again = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 4, insertSpaces: true });
  check((again ?? []).length === 0, 'formatting twice changes something');
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
});

test('"DANE Zone: Check Deployed MX" answers that the live check needs the desktop extension', async () => {
  await open('fixtures/e2e-certs.zone');
  const message = await vscode.commands.executeCommand<string>('daneZone.checkLive');
  check(typeof message === 'string' && /needs the desktop extension/.test(message), `answer: ${String(message)}`);
});

export async function run(): Promise<void> {
  let passed = 0;
  let failed = 0;
  log(`${cases.length} cases in VS Code ${vscode.version} (${vscode.env.appHost}, web worker extension host)`);
  for (const c of cases) {
    const t = Date.now();
    try {
      await c.run();
      passed++;
      log(`PASS web-suite: ${c.name} (${Date.now() - t} ms)`);
    } catch (e) {
      failed++;
      log(`FAIL web-suite: ${c.name} (${Date.now() - t} ms)`);
      for (const line of (e instanceof Error ? e.message : String(e)).split('\n')) log(`     ${line}`);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
  log(`${passed} passed, ${failed} failed`);
  if (failed > 0 || passed === 0) throw new Error(`${failed} of ${cases.length} web cases failed`);
}
