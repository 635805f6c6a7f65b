import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeAction,
  CodeActionKind,
  CodeActionRequest,
  Diagnostic,
  DidChangeWatchedFilesNotification,
  DidChangeWatchedFilesRegistrationOptions,
  FileChangeType,
  Hover,
  HoverRequest,
  MarkupContent,
  Range,
  RelativePattern,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileUri, TestClient } from './client';
import { Fixtures, makeFixtures, opensslMatching, opensslMissing } from '../unit/certs-fixtures';

/**
 * The certificate stage in the language server (stage 3 of the diagnostics): certificates and
 * keys made by openssl in a temp folder, zone files beside them linking them with
 * `; dane-zone cert=… next=…` or through the `daneZone.certificates.hosts` setting. Every
 * code action's edit is applied here and the WHOLE resulting text compared.
 */

const skip = opensslMissing;
let fx: Fixtures;
let leaf311: string; // 3 1 1 of leaf.pem (its SPKI)
let int211: string; // 2 1 1 of the issuing CA int.pem
let next311: string; // 3 1 1 of next.key
const WRONG = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';
const TODAY = () => new Date().toISOString().slice(0, 10);

before(() => {
  if (skip) return;
  fx = makeFixtures();
  leaf311 = opensslMatching(fx.certSpki('leaf.pem'), 1);
  int211 = opensslMatching(fx.certSpki('int.pem'), 1);
  next311 = opensslMatching(fx.keySpki('next.key'), 1);
});

after(() => fx?.cleanup());

const HEAD = [
  '$ORIGIN example.com.',
  '$TTL 300',
  '; dane-zone dnssec=signed',
  '@ SOA ns hostmaster 1 7200 3600 1209600 300',
  '@ NS ns',
  '@ MX 10 mx1',
  'ns A 192.0.2.53',
  'mx1 A 192.0.2.25',
];
const zone = (...lines: string[]) => [...HEAD, ...lines, ''].join('\n');

const CODE_ACTIONS = {
  codeAction: {
    codeActionLiteralSupport: { codeActionKind: { valueSet: [CodeActionKind.QuickFix, CodeActionKind.Refactor, CodeActionKind.RefactorRewrite] } },
    isPreferredSupport: true,
  },
  hover: { contentFormat: ['markdown', 'plaintext'] },
};

let nextDoc = 0;

async function withServer(body: (c: TestClient) => Promise<void>, options: { settings?: Record<string, unknown>; trusted?: boolean; folders?: string[]; workspace?: Record<string, unknown> } = {}): Promise<void> {
  const c = await TestClient.start({
    settings: { diagnosticsDelay: 0, ...options.settings },
    initializationOptions: options.trusted === false ? { trusted: false } : undefined,
    workspaceFolders: options.folders,
    textDocument: CODE_ACTIONS,
    workspace: { workspaceEdit: { documentChanges: true }, ...options.workspace },
  });
  try {
    await body(c);
    assert.ok(!c.logs.some((l) => / failed: /.test(l)), `no handler failed: ${c.logs.join('\n')}`);
    await c.stop();
  } finally {
    c.kill();
  }
}

/** Writes nothing: opens `text` as a zone file in `dir` (the fixtures' folder by default), so relative links resolve there. */
async function open(c: TestClient, text: string, dir = fx.dir): Promise<string> {
  const uri = fileUri(path.join(dir, `certs-${++nextDoc}.zone`));
  await c.open(uri, text);
  return uri;
}

const hasCodes = (codes: string[]) => (d: Diagnostic[]) => codes.every((code) => d.some((x) => x.code === code));

function applyEdit(text: string, edit: WorkspaceEdit | undefined, uri: string): string {
  assert.ok(edit?.documentChanges?.length === 1, JSON.stringify(edit));
  const change = edit.documentChanges[0] as TextDocumentEdit;
  assert.equal(change.textDocument.uri, uri);
  return TextDocument.applyEdits(TextDocument.create(uri, 'dns-zone', 1, text), change.edits as TextEdit[]);
}

async function actions(c: TestClient, uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const r = await c.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: only ? { diagnostics, only } : { diagnostics } });
  assert.ok(Array.isArray(r));
  return r as CodeAction[];
}

const lineOf = (text: string, needle: string) => {
  const line = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  return line;
};
const lineRange = (text: string, needle: string): Range => {
  const line = lineOf(text, needle);
  return { start: { line, character: 0 }, end: { line, character: text.split('\n')[line].length } };
};
const short = (hex: string) => `${hex.slice(0, 8)}…${hex.slice(-6)}`;

test('stage 3: a TLSA record that no longer matches its linked certificate → tlsa-cert-mismatch (source dane-zone, with data); the quick fix rewrites the record', { skip }, async () => {
  await withServer(async (c) => {
    const text = zone('; dane-zone cert=leaf.pem', `_25._tcp.mx1 TLSA 3 1 1 ${WRONG}`);
    const uri = await open(c, text);
    const diags = await c.diagnostics(uri, hasCodes(['tlsa-cert-mismatch']));
    const d = diags.find((x) => x.code === 'tlsa-cert-mismatch')!;
    assert.equal(d.source, 'dane-zone');
    assert.equal(d.range.start.line, lineOf(text, 'cert=leaf.pem'), 'on the cert= item of the directive');
    assert.match(d.message as string, /leaf\.pem/);
    assert.ok(d.data, 'carries its fix data');
    const fixes = await actions(c, uri, d.range, [d], [CodeActionKind.QuickFix]);
    const update = fixes.find((a) => a.title.startsWith('Update the `3 1 1 '));
    assert.ok(update, fixes.map((a) => a.title).join('\n'));
    assert.equal(update.isPreferred, true);
    assert.equal(applyEdit(text, update.edit, uri), zone('; dane-zone cert=leaf.pem', `_25._tcp.mx1 TLSA 3 1 1 ${leaf311}`));
    const beside = fixes.find((a) => a.title.startsWith('Add a `3 1 1` record for `leaf.pem`'));
    assert.ok(beside, fixes.map((a) => a.title).join('\n'));
    assert.equal(applyEdit(text, beside.edit, uri), zone('; dane-zone cert=leaf.pem', `_25._tcp.mx1 TLSA 3 1 1 ${WRONG}`, `_25._tcp.mx1 TLSA 3 1 1 ${leaf311}`));

    // Once fixed, the certificate diagnostics go.
    const fixed = applyEdit(text, update.edit, uri);
    await c.change(uri, [{ text: fixed }]);
    await c.diagnostics(uri, (ds, p) => p.version === 2 && !ds.some((x) => String(x.code).startsWith('tlsa-cert')));
  });
});

test('next key linked but not published → quick fix "rotation pair: current + next", whole text with the dated comment and the steps', { skip }, async () => {
  await withServer(async (c) => {
    const text = zone('; dane-zone cert=fullchain.pem next=next.key', `_25._tcp.mx1 3600 TLSA 3 1 1 ${leaf311}`, 'www A 192.0.2.80');
    const uri = await open(c, text);
    const diags = await c.diagnostics(uri, hasCodes(['tlsa-cert-mismatch']));
    const d = diags.find((x) => x.code === 'tlsa-cert-mismatch')!;
    assert.match(d.message as string, /next\.key/);
    const fixes = await actions(c, uri, d.range, [d], [CodeActionKind.QuickFix]);
    assert.deepEqual(fixes.map((a) => a.title), ['Add a rotation pair: current + next key (3 1 1 for next.key), with the steps']);
    assert.equal(fixes[0].isPreferred, true);
    assert.equal(applyEdit(text, fixes[0].edit, uri), zone(
      '; dane-zone cert=fullchain.pem next=next.key',
      `_25._tcp.mx1 3600 TLSA 3 1 1 ${leaf311}`,
      `; DANE rollover ${TODAY()} (dane-zone): current + next key (RFC 7671 §8.1)`,
      `;   3 1 1 ${short(leaf311)} = current key (fullchain.pem)`,
      `;   3 1 1 ${short(next311)} = next key (next.key)`,
      ';   1. publish these records (reload the zone; the SOA serial must grow)',
      ';   2. wait two TTLs + the SOA refresh: 2 × 3600 s + 7200 s = 4 hours, so that every secondary serves the new records and no resolver still holds the old RRset',
      ';   3. deploy the next key/certificate on mx1.example.com',
      `;   4. once it is live, replace the old record (3 1 1 ${short(leaf311)}) with a 3 1 1 for a new next key (link it with next=), keeping the pair`,
      `_25._tcp.mx1 3600 TLSA 3 1 1 ${next311}`,
      'www A 192.0.2.80',
    ));
  });
});

test('refactorings on a linked, matching TLSA record: rotation pair current key + issuing CA (whole text); hover on the data names the certificate', { skip }, async () => {
  await withServer(async (c) => {
    const text = zone('; dane-zone cert=fullchain.pem', `_25._tcp.mx1 TLSA 3 1 1 ${leaf311}`);
    const uri = await open(c, text);
    // Wait for stage 3: no certificate diagnostic here, so wait for the analysis through the hover.
    const line = lineOf(text, '_25._tcp.mx1 TLSA');
    const character = text.split('\n')[line].indexOf(leaf311) + 4;
    let hover: Hover | null = null;
    for (let i = 0; i < 100; i++) {
      hover = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
      if (hover && (hover.contents as MarkupContent).value.includes('Matches')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(value, /\*\*Matches the linked certificate\*\*: CN=mx1\.example\.com; SANs mx1\.example\.com, mail\.example\.com; issuer CN=Test Issuing CA, O=Test; expires \d{4}-\d\d-\d\d; file `fullchain\.pem`/, value);

    const refactors = await actions(c, uri, lineRange(text, '_25._tcp.mx1 TLSA'), [], [CodeActionKind.RefactorRewrite]);
    const pair = refactors.find((a) => a.title.startsWith('Add a rotation pair: current key + issuing CA'));
    assert.ok(pair, refactors.map((a) => a.title).join('\n'));
    assert.equal(pair.kind, CodeActionKind.RefactorRewrite);
    assert.equal(pair.title, 'Add a rotation pair: current key + issuing CA (2 1 1 for CN=Test Issuing CA, O=Test), with the steps');
    assert.equal(applyEdit(text, pair.edit, uri), zone(
      '; dane-zone cert=fullchain.pem',
      `_25._tcp.mx1 TLSA 3 1 1 ${leaf311}`,
      `; DANE rollover ${TODAY()} (dane-zone): current key + issuing CA (RFC 7671 §8.1)`,
      `;   3 1 1 ${short(leaf311)} = current key (fullchain.pem)`,
      `;   2 1 1 ${short(int211)} = issuing CA CN=Test Issuing CA, O=Test`,
      ';   1. publish these records (reload the zone; the SOA serial must grow)',
      ';   2. wait two TTLs + the SOA refresh: 2 × 300 s + 7200 s = 2 hours 10 minutes, so that every secondary serves the new records and no resolver still holds the old RRset',
      ';   3. deploy the renewed certificate (same CA) on mx1.example.com; the 2 1 1 record keeps matching',
      `;   4. once it is live, replace the old record (3 1 1 ${short(leaf311)}) with the renewed certificate's 3 1 1, keeping the 2 1 1`,
      ';   note: a 2 x y record on a CA matches only when the server sends that CA in its chain (deploy the full chain)',
      `_25._tcp.mx1 TLSA 2 1 1 ${int211}`,
    ));
  });
});

test('settings: certificates.hosts links by host with {host}; expiryDays sets the expiry window', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(fx.dir, 'hosts-'));
  fs.mkdirSync(path.join(dir, 'mx1.example.com'));
  fs.copyFileSync(fx.p('short.pem'), path.join(dir, 'mx1.example.com', 'cert.pem'));
  // short.pem is self-signed with next.key, valid ten days.
  const text = zone(`_25._tcp.mx1 TLSA 3 1 1 ${next311}`);
  await withServer(async (c) => {
    const uri = await open(c, text, dir);
    const diags = await c.diagnostics(uri, hasCodes(['tlsa-cert-expiring']));
    const d = diags.find((x) => x.code === 'tlsa-cert-expiring')!;
    assert.match(d.message as string, /mx1\.example\.com\/cert\.pem/);
    assert.ok(!diags.some((x) => x.code === 'tlsa-cert-mismatch'), 'the record matches');
    // Five days: not expiring yet (the certificate has ten).
    const since = c.published.length;
    await c.changeSettings({ diagnosticsDelay: 0, certificates: { hosts: { '*.example.com': '{host}/cert.pem' }, expiryDays: 5 } });
    await c.diagnostics(uri, () => true, 10_000, since);
    await new Promise((r) => setTimeout(r, 500)); // stage 3 runs (and finds nothing to add)
    const last = c.published.filter((p) => p.uri === uri).pop()!;
    assert.ok(!last.diagnostics.some((x) => x.code === 'tlsa-cert-expiring'), JSON.stringify(last.diagnostics));
  }, { settings: { certificates: { hosts: { '*.example.com': '{host}/cert.pem' } } } });
});

test('untrusted workspace: a linked certificate outside the workspace folders is not read (tlsa-cert-unreadable)', { skip }, async () => {
  const ws = fs.mkdtempSync(path.join(fx.dir, 'ws-'));
  const text = zone(`; dane-zone cert=${fx.p('leaf.pem')}`, `_25._tcp.mx1 TLSA 3 1 1 ${leaf311}`);
  await withServer(async (c) => {
    const uri = await open(c, text, ws);
    const diags = await c.diagnostics(uri, hasCodes(['tlsa-cert-unreadable']));
    assert.ok(!diags.some((x) => x.code === 'tlsa-cert-mismatch'));
  }, { trusted: false, folders: [ws] });
  // Trusted: read, and it matches.
  await withServer(async (c) => {
    const uri = await open(c, text, ws);
    let hover: Hover | null = null;
    const line = lineOf(text, '_25._tcp.mx1 TLSA');
    for (let i = 0; i < 100; i++) {
      hover = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: text.split('\n')[line].length - 2 } });
      if (hover && (hover.contents as MarkupContent).value.includes('Matches the linked')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match((hover?.contents as MarkupContent).value, /Matches the linked certificate/);
    assert.ok(!c.published.some((p) => p.uri === uri && p.diagnostics.some((x) => x.code === 'tlsa-cert-unreadable')));
  }, { folders: [ws] });
});

test('a zone without links never runs the certificate stage (no file read, nothing remembered for hovers)', { skip }, async () => {
  await withServer(async (c) => {
    const text = zone(`_25._tcp.mx1 TLSA 3 1 1 ${WRONG}`);
    const uri = await open(c, text);
    await c.diagnostics(uri);
    const line = lineOf(text, '_25._tcp.mx1 TLSA');
    await new Promise((r) => setTimeout(r, 200));
    const hover = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: text.split('\n')[line].length - 2 } });
    assert.ok(!(hover?.contents as MarkupContent | undefined)?.value.includes('linked'), JSON.stringify(hover));
    assert.ok(!c.published.some((p) => p.diagnostics.some((x) => String(x.code).startsWith('tlsa-cert'))));
  });
});

test('typing does not make the certificate squiggles blink: every publish of the next version keeps them, moved over the edit', { skip }, async () => {
  await withServer(async (c) => {
    const text = zone('; dane-zone cert=leaf.pem', `_25._tcp.mx1 TLSA 3 1 1 ${WRONG}`);
    const uri = await open(c, text);
    const first = (await c.diagnostics(uri, hasCodes(['tlsa-cert-mismatch']))).find((d) => d.code === 'tlsa-cert-mismatch')!;
    const since = c.published.length;
    // A line inserted above: the diagnostic moves one line down at once, before stage 3 runs again.
    await c.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '; a comment\n' }]);
    const third = await c.diagnostics(uri, (ds, p) => p.version === 2 && ds.some((d) => d.code === 'tlsa-cert-mismatch' && d.data !== undefined), 10_000, since);
    await new Promise((r) => setTimeout(r, 300));
    const v2 = c.published.slice(since).filter((p) => p.uri === uri && p.version === 2);
    assert.ok(v2.length >= 1, 'published for version 2');
    for (const p of v2) {
      const d = p.diagnostics.find((x) => x.code === 'tlsa-cert-mismatch');
      assert.ok(d, `every publish of version 2 has it: ${JSON.stringify(p.diagnostics.map((x) => x.code))}`);
      assert.equal(d.range.start.line, first.range.start.line + 1);
      assert.equal(d.range.start.character, first.range.start.character);
    }
    assert.ok(third);
    // An edit on the linked record itself drops it until stage 3 says again.
    const since2 = c.published.length;
    const line = lineOf(text, '_25._tcp.mx1 TLSA') + 1;
    await c.change(uri, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: ' ' }]);
    await c.diagnostics(uri, (ds, p) => p.version === 3 && ds.some((d) => d.code === 'tlsa-cert-mismatch'), 10_000, since2);
  });
});

test('a stale record (matches neither the current nor the next key) → tlsa-stale-record, and the quick fix removes it', { skip }, async () => {
  await withServer(async (c) => {
    const text = zone('; dane-zone cert=fullchain.pem next=next.key', `_25._tcp.mx1 TLSA 3 1 1 ${leaf311}`, `_25._tcp.mx1 TLSA 3 1 1 ${next311}`, `_25._tcp.mx1 TLSA 3 1 1 ${WRONG} ; old`);
    const uri = await open(c, text);
    const diags = await c.diagnostics(uri, hasCodes(['tlsa-stale-record']));
    const d = diags.find((x) => x.code === 'tlsa-stale-record')!;
    assert.equal(d.range.start.line, lineOf(text, '; old'));
    assert.ok(!diags.some((x) => x.code === 'tlsa-cert-mismatch'), 'both keys are published');
    const fixes = await actions(c, uri, d.range, [d], [CodeActionKind.QuickFix]);
    assert.deepEqual(fixes.map((a) => a.title), [`Remove the stale record \`3 1 1 ${short(WRONG)}\``]);
    assert.equal(applyEdit(text, fixes[0].edit, uri), zone('; dane-zone cert=fullchain.pem next=next.key', `_25._tcp.mx1 TLSA 3 1 1 ${leaf311}`, `_25._tcp.mx1 TLSA 3 1 1 ${next311}`));
  });
});

// ---------------------------------------------------------------- a renewed certificate on disk (issue 16 item 1)
// The linked file is replaced and the zone not edited: the mismatch appears. With a client that
// watches files (dynamic registration of workspace/didChangeWatchedFiles, as VS Code does) the
// server registers a watcher per linked path and re-runs the certificate stage on the client's
// notification; with a client that has none, the server watches the files itself.

const certCodes = (d: Diagnostic[]) => d.map((x) => String(x.code)).filter((c) => c.startsWith('tlsa-cert') || c === 'tlsa-stale-record');
const settled = (d: Diagnostic[]) => !d.some((x) => x.code === 'tlsa-cert-mismatch');

/** The server's last registration of file watchers, once it names `file`. */
async function waitRegistered(c: TestClient, file: string): Promise<DidChangeWatchedFilesRegistrationOptions> {
  for (let i = 0; i < 200; i++) {
    const r = [...c.registrations].reverse().find((x) => x.method === DidChangeWatchedFilesNotification.method);
    const opts = r?.registerOptions as DidChangeWatchedFilesRegistrationOptions | undefined;
    if (opts?.watchers.some((w) => typeof w.globPattern !== 'string' && (w.globPattern as RelativePattern).pattern === path.basename(file))) return opts;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`no file watcher registered for ${file}: ${JSON.stringify(c.registrations)}`);
}

test('client file watchers: the server registers the linked file; replacing it brings tlsa-cert-mismatch without an edit of the zone', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(fx.dir, 'watch-'));
  const cert = path.join(dir, 'mx1.pem');
  fs.copyFileSync(fx.p('fullchain.pem'), cert);
  const text = zone('; dane-zone cert=mx1.pem', `_25._tcp.mx1 TLSA 3 1 1 ${leaf311}`, `_25._tcp.mx1 TLSA 2 1 1 ${int211}`);
  await withServer(async (c) => {
    const uri = fileUri(path.join(dir, 'mx1.zone'));
    await c.open(uri, text);
    const opts = await waitRegistered(c, cert);
    // One watcher, for that file in its folder (glob characters of the name escaped).
    assert.deepEqual(opts.watchers, [{ globPattern: { baseUri: fileUri(dir), pattern: 'mx1.pem' } }]);
    assert.deepEqual(certCodes(await c.diagnostics(uri, settled)), []);
    // The certificate is renewed with a new key: the file is replaced, the zone stays as it is.
    const since = c.published.length;
    fs.writeFileSync(cert, fs.readFileSync(fx.p('ec.pem')));
    await c.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: fileUri(cert), type: FileChangeType.Changed }] });
    const after = await c.diagnostics(uri, (d) => d.some((x) => x.code === 'tlsa-cert-mismatch'), 10_000, since);
    const mismatch = after.find((x) => x.code === 'tlsa-cert-mismatch')!;
    assert.match(String(mismatch.message), /mx1\.pem/);
    assert.equal(text.split('\n')[mismatch.range.start.line], '; dane-zone cert=mx1.pem', 'on the cert= link');
    // A change to a file no document links does nothing.
    const n = c.published.length;
    await c.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: fileUri(path.join(dir, 'other.pem')), type: FileChangeType.Changed }] });
    // Putting the old certificate back clears it again.
    fs.copyFileSync(fx.p('fullchain.pem'), cert);
    await c.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: fileUri(cert), type: FileChangeType.Changed }] });
    assert.deepEqual(certCodes(await c.diagnostics(uri, settled, 10_000, n)), []);
    // Closing the zone drops the watcher.
    await c.close(uri);
    for (let i = 0; i < 200 && c.unregistrations.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    assert.deepEqual(c.unregistrations.map((u) => u.method), [DidChangeWatchedFilesNotification.method]);
  }, { workspace: { didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } } });
});

test('no client file watchers: the server watches the file linked through daneZone.certificates.hosts itself', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(fx.dir, 'poll-'));
  fs.mkdirSync(path.join(dir, 'mx1.example.com'));
  const cert = path.join(dir, 'mx1.example.com', 'cert.pem');
  fs.copyFileSync(fx.p('fullchain.pem'), cert);
  const text = zone(`_25._tcp.mx1 TLSA 3 1 1 ${leaf311}`, `_25._tcp.mx1 TLSA 2 1 1 ${int211}`);
  const hosts = { 'mx1.example.com': path.join(dir, '{host}', 'cert.pem') };
  await withServer(async (c) => {
    const uri = fileUri(path.join(dir, 'mx1.zone'));
    await c.open(uri, text);
    assert.deepEqual(certCodes(await c.diagnostics(uri, settled)), []);
    // Replaced at once, possibly between the certificate stage's read and the start of the watch:
    // the watch's first look (a re-check of the linking documents) catches that too.
    const since = c.published.length;
    // Replaced by rename, as certbot and most deploy scripts do.
    fs.writeFileSync(cert + '.new', fs.readFileSync(fx.p('ec.pem')));
    fs.renameSync(cert + '.new', cert);
    const after = await c.diagnostics(uri, (d) => d.some((x) => x.code === 'tlsa-cert-mismatch'), 15_000, since);
    assert.ok(after.some((x) => x.code === 'tlsa-cert-mismatch'));
    assert.equal(c.registrations.filter((r) => r.method === DidChangeWatchedFilesNotification.method).length, 0, 'nothing registered with a client that cannot watch');
  }, { settings: { certificates: { hosts } } });
});
