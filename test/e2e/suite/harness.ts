// Helpers for the real-editor suite: run inside VS Code's extension host (code-server's VS Code
// server via test/support/e2e/run.ts, or desktop VS Code via @vscode/test-electron). Only `vscode`
// and node built-ins: the suite is loaded by the editor, not by a test framework.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const LANGUAGE_ID = 'dns-zone';
export const SOURCE = 'dane-zone';
export const EXTENSION_ID = 'dane-zone.dane-zone';

/** The repo root: the compiled suite lives in out/test/e2e/suite. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

// ---- logging: the extension host's stdout is not always visible, so also append to a file ----
const logFile = process.env.DANE_ZONE_E2E_LOG;
export function log(line: string): void {
  console.log(line);
  if (logFile) fs.appendFileSync(logFile, line + '\n');
}

// ---- waiting ------------------------------------------------------------------------------------
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `get` until `ok` holds; fails with `what` and the last value seen after `timeoutMs`. */
export async function waitFor<T>(what: string, get: () => T | Thenable<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await get();
      if (ok(last)) return last;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > until) {
      const seen = lastError ? `error ${String(lastError)}` : `last ${JSON.stringify(last)?.slice(0, 300)}`;
      throw new assert.AssertionError({ message: `timed out after ${timeoutMs / 1000} s waiting for ${what} (${seen})` });
    }
    await sleep(100);
  }
}

// ---- zone files ---------------------------------------------------------------------------------
/**
 * Finds a zone by file name: in the opened workspace's examples/ then fixtures/ (run.js opens a
 * temp copy of examples/ and test/e2e/fixtures/), else in the repo itself.
 */
export function zonePath(name: string): string {
  const roots = [
    ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    REPO_ROOT,
  ];
  for (const r of roots) {
    for (const sub of ['examples', 'fixtures', path.join('test', 'e2e', 'fixtures')]) {
      const p = path.join(r, sub, name);
      if (fs.existsSync(p)) return p;
    }
  }
  throw new Error(`zone file ${name} not found in examples/ or test/e2e/fixtures/`);
}

/** Every bundled example zone's file name (examples/*.zone, examples/*.signed). */
export function exampleZones(): string[] {
  const dir = path.join(REPO_ROOT, 'examples');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.(zone|signed)$/.test(f)).sort() : [];
}

/** Opens a zone file in an editor, as a user double-clicking it would. */
export async function openZone(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(zonePath(name)));
  await vscode.window.showTextDocument(doc, { preview: false });
  assert.equal(doc.languageId, LANGUAGE_ID, `${name} opened as ${doc.languageId}, not ${LANGUAGE_ID} (no language contributed?)`);
  return doc;
}

/** Opens an untitled dns-zone document with `text` (for cases that need a zone of their own). */
export async function openText(text: string): Promise<vscode.TextDocument> {
  // An untitled document the previous case closed can still be known to the extension host for
  // a moment while VS Code hands its name (Untitled-N) to the next one: openTextDocument then
  // answers with the closed document (a CI run under load formatted the previous case's zone).
  // Ask again until the document holds the text asked for.
  let doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: text });
  for (let i = 0; i < 20 && (doc.isClosed || doc.getText() !== text); i++) {
    await new Promise((r) => setTimeout(r, 250));
    doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: text });
  }
  assert.equal(doc.getText(), text, `openTextDocument answered with ${doc.uri.toString()} holding other text`);
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** Activates the extension (as opening a .zone file does) and returns it. */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this editor`);
  await waitFor(`${EXTENSION_ID} to activate`, () => ext.isActive, (a) => a, 30_000);
  return ext;
}

/**
 * Waits until the language server answers for `doc`: its outline is non-empty (every zone the
 * suite opens has at least one record). The first request after start-up takes longest.
 */
export async function waitForServer(doc: vscode.TextDocument, timeoutMs = 30_000): Promise<vscode.DocumentSymbol[]> {
  return waitFor(`the language server's outline of ${path.basename(doc.fileName)}`, () => symbols(doc), (s) => s.length > 0, timeoutMs);
}

export async function symbols(doc: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
  const r = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>(
    'vscode.executeDocumentSymbolProvider', doc.uri);
  return (r ?? []).filter((s): s is vscode.DocumentSymbol => 'children' in s);
}

export async function foldingRanges(doc: vscode.TextDocument): Promise<vscode.FoldingRange[]> {
  return (await vscode.commands.executeCommand<vscode.FoldingRange[] | undefined>('vscode.executeFoldingRangeProvider', doc.uri)) ?? [];
}

export async function hovers(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover[]> {
  return (await vscode.commands.executeCommand<vscode.Hover[] | undefined>('vscode.executeHoverProvider', doc.uri, pos)) ?? [];
}

export async function codeActions(doc: vscode.TextDocument, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  const r = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[] | undefined>(
    'vscode.executeCodeActionProvider', doc.uri, range, kind);
  return (r ?? []).filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
}

/** The text of every hover at `pos`, joined. */
export function hoverText(hs: vscode.Hover[]): string {
  return hs.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

/** Our diagnostics on `doc` (source dane-zone) right now. */
export function ourDiagnostics(doc: vscode.TextDocument): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === SOURCE);
}

/** The code of a diagnostic as a string ('invalid-rdata'), whether plain or {value, target}. */
export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c ?? '');
}

/** Waits until `doc` has diagnostics with every code in `codes` (other codes may be there too). */
export async function waitForDiagnostics(doc: vscode.TextDocument, codes: string[], timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  return waitFor(`diagnostics ${codes.join(', ')} on ${path.basename(doc.fileName)}`, () => ourDiagnostics(doc),
    (ds) => codes.every((c) => ds.some((d) => codeOf(d) === c)), timeoutMs);
}

/** Waits for the diagnostics to stop changing for `quietMs` (after an edit or an open). */
export async function settledDiagnostics(doc: vscode.TextDocument, quietMs = 1500, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  const until = Date.now() + timeoutMs;
  let last = JSON.stringify(ourDiagnostics(doc).map(describe));
  let since = Date.now();
  while (Date.now() < until) {
    await sleep(100);
    const now = JSON.stringify(ourDiagnostics(doc).map(describe));
    if (now !== last) { last = now; since = Date.now(); }
    else if (Date.now() - since >= quietMs) break;
  }
  return ourDiagnostics(doc);
}

/** One diagnostic the way a test reads it: `7:9-7:20 error invalid-rdata`. */
export function describe(d: vscode.Diagnostic): string {
  const sev = ['error', 'warning', 'information', 'hint'][d.severity];
  const r = d.range;
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${sev} ${codeOf(d)}`;
}

/** The range of the `n`th (0-based) occurrence of `text` in `doc`. */
export function rangeOf(doc: vscode.TextDocument, text: string, n = 0): vscode.Range {
  const all = doc.getText();
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = all.indexOf(text, at + 1);
    if (at < 0) throw new Error(`"${text}" (occurrence ${n}) not found in ${path.basename(doc.fileName)}`);
  }
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + text.length));
}

/** The range of `token` inside the first line that contains `lineText` (e.g. the "(" on the api line). */
export function rangeIn(doc: vscode.TextDocument, lineText: string, token: string): vscode.Range {
  const line = lineOf(doc, lineText);
  const col = doc.lineAt(line).text.indexOf(token, doc.lineAt(line).text.indexOf(lineText));
  if (col < 0) throw new Error(`"${token}" not found on the line with "${lineText}"`);
  return new vscode.Range(line, col, line, col + token.length);
}

/** The 0-based line of the first line containing `text`. */
export function lineOf(doc: vscode.TextDocument, text: string): number {
  return rangeOf(doc, text).start.line;
}

/**
 * Asserts there is a diagnostic `code` with `severity` whose range covers `at` (a range, or the
 * first occurrence of a text) and starts on its line; returns it.
 */
export function expectDiagnostic(ds: vscode.Diagnostic[], doc: vscode.TextDocument, code: string,
  severity: vscode.DiagnosticSeverity, at: string | vscode.Range): vscode.Diagnostic {
  const want = typeof at === 'string' ? rangeOf(doc, at) : at;
  const text = doc.getText(want);
  const withCode = ds.filter((d) => codeOf(d) === code);
  assert.ok(withCode.length > 0, `no ${code} diagnostic; have: ${ds.map(describe).join('; ') || 'none'}`);
  const hit = withCode.find((d) => d.range.intersection(want) !== undefined && !d.range.intersection(want)!.isEmpty)
    ?? withCode.find((d) => d.range.start.line === want.start.line);
  assert.ok(hit, `no ${code} diagnostic on "${text}" (line ${want.start.line + 1}); have: ${withCode.map(describe).join('; ')}`);
  assert.equal(hit.severity, severity, `${code} severity: ${describe(hit)}`);
  assert.ok(hit.range.contains(want), `${code} range ${describe(hit)} does not cover "${text}" at ${want.start.line + 1}:${want.start.character + 1}-${want.end.character + 1}`);
  assert.equal(hit.range.start.line, want.start.line, `${code} starts on another line: ${describe(hit)}`);
  assert.ok(typeof hit.message === 'string' && hit.message.length > 0, `${code} has no message`);
  return hit;
}

/** Closes every editor between cases, discarding unsaved changes (never writes a file). */
export async function closeAll(): Promise<void> {
  for (let i = 0; i < 50 && vscode.window.activeTextEditor; i++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * The code actions with an edit: ours. (The editor adds command-only actions of its own to any
 * diagnostic, such as the chat's "Fix" and "Explain".)
 */
export async function editActions(doc: vscode.TextDocument, range: vscode.Range, kind: string): Promise<vscode.CodeAction[]> {
  return (await codeActions(doc, range, kind)).filter((a) => a.edit !== undefined);
}
