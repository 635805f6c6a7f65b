import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Diagnostic, DocumentDiagnosticReport, DocumentDiagnosticRequest, Hover, HoverRequest, MarkupContent } from 'vscode-languageserver/node';

const DocumentDiagnosticRefresh = 'workspace/diagnostic/refresh';
import { TestClient } from './client';

/**
 * Issue 18 item 4: what clients other than VS Code send differently — position encodings
 * (UTF-8/UTF-16/UTF-32 as negotiated), settings without workspace/configuration (by
 * initializationOptions, Helix's `{ daneZone }` form, or didChangeConfiguration pushes), pull
 * diagnostics instead of push.
 */

const D = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';
const LAST = 'www TXT "grüße 🔑" (';
const ZONE = [
  '$ORIGIN example.com.',
  '@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300',
  '@ NS ns1.example.net.', // out of zone: no glue needed (glue-missing)
  '@ MX 10 mx1',
  'mx1 A 192.0.2.25',
  `_25._tcp.mx1 TLSA 3 1 1 ${D} ; «ключ» 🔑`,
  LAST, // 6: unbalanced-parenthesis at the "(", after 2-, 3- and 4-byte characters
  '',
].join('\n');
const URI = 'file:///zones/clients.example.com.zone';
const paren = LAST.indexOf('(');
const columns = {
  'utf-16': paren,
  'utf-8': Buffer.byteLength(LAST.slice(0, paren)),
  'utf-32': [...LAST.slice(0, paren)].length,
};

const parenDiag = (ds: Diagnostic[]) => ds.find((d) => d.code === 'unbalanced-parenthesis');

async function encodingCase(capabilities: Record<string, unknown>, enc: 'utf-8' | 'utf-16' | 'utf-32', check: (c: TestClient) => void): Promise<void> {
  const c = await TestClient.start({ capabilities });
  try {
    check(c);
    await c.open(URI, ZONE);
    const ds = await c.diagnostics(URI, (d) => !!parenDiag(d));
    assert.deepEqual(parenDiag(ds)!.range.start, { line: 6, character: columns[enc] }, `the "(" in ${enc} units`);
    // Hover on the usage `3` of the TLSA line (ASCII before it): same column in every encoding.
    const h = (await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 5, character: 18 } })) as Hover;
    assert.match((h.contents as MarkupContent).value, /DANE-EE/);
    // An edit in the client's units: delete the "(" (a misread column would miss it).
    const v = await c.change(URI, [{ range: { start: { line: 6, character: columns[enc] }, end: { line: 6, character: columns[enc] + 1 } }, text: '' }]);
    await c.diagnostics(URI, (d, p) => p.version === v && !parenDiag(d), 10_000, 0);
    // And back, inserting after the key emoji's surrogate pair (a position inside it would split it).
    const v2 = await c.change(URI, [{ range: { start: { line: 6, character: columns[enc] }, end: { line: 6, character: columns[enc] } }, text: '(' }]);
    const back = await c.diagnostics(URI, (d, p) => p.version === v2 && !!parenDiag(d), 10_000, 0);
    assert.deepEqual(parenDiag(back)!.range.start, { line: 6, character: columns[enc] });
  } finally {
    await c.stop();
  }
}

test('position encoding: UTF-8 when the client lists it first (general.positionEncodings); diagnostics, hover and edits in bytes', async () => {
  await encodingCase({ general: { positionEncodings: ['utf-8', 'utf-16'] } }, 'utf-8', (c) => {
    assert.equal(c.initializeResult!.capabilities.positionEncoding, 'utf-8');
  });
});

test('position encoding: UTF-32 through clangd\'s offsetEncoding, answered the same way', async () => {
  await encodingCase({ offsetEncoding: ['utf-32', 'utf-16'] }, 'utf-32', (c) => {
    assert.equal((c.initializeResult as unknown as { offsetEncoding?: string }).offsetEncoding, 'utf-32');
    assert.equal(c.initializeResult!.capabilities.positionEncoding, undefined);
  });
});

test('position encoding: UTF-16 when the client names none, or prefers it', async () => {
  await encodingCase({}, 'utf-16', (c) => {
    assert.equal(c.initializeResult!.capabilities.positionEncoding, undefined);
  });
  await encodingCase({ general: { positionEncodings: ['utf-16', 'utf-8'] } }, 'utf-16', (c) => {
    assert.equal(c.initializeResult!.capabilities.positionEncoding, 'utf-16');
  });
});

const NO_TTL = ZONE.replace('@ 3600 SOA', '@ SOA');
const hasMissingTtl = (d: Diagnostic[]) => d.some((x) => x.code === 'missing-ttl');

test('settings without workspace/configuration: initializationOptions.settings, then didChangeConfiguration pushes', async () => {
  const c = await TestClient.start({
    workspace: { configuration: false, didChangeConfiguration: { dynamicRegistration: false } },
    initializationOptions: { settings: { diagnosticsDelay: 0, severity: { 'missing-ttl': 'off' } } },
  });
  try {
    await c.open(URI, NO_TTL);
    const ds = await c.diagnostics(URI, (d) => !!parenDiag(d));
    assert.ok(!hasMissingTtl(ds), 'missing-ttl off from initializationOptions');
    assert.equal(c.configurationRequests, 0, 'never asks a client that cannot answer');
    // Pushed settings (Vim's ALE, Neovim's on_init, Emacs eglot): they replace the initial ones.
    await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: { daneZone: { diagnosticsDelay: 0, severity: { 'missing-ttl': 'error' } } } });
    const after = await c.diagnostics(URI, (d) => d.some((x) => x.code === 'missing-ttl' && x.severity === 1), 10_000, c.published.length);
    assert.ok(after.length > 0);
  } finally {
    await c.stop();
  }
});

test('settings in Helix\'s form (initializationOptions { daneZone }); a client with workspace/configuration is asked', async () => {
  const helix = await TestClient.start({
    workspace: { configuration: false },
    initializationOptions: { daneZone: { diagnosticsDelay: 0, severity: { 'missing-ttl': 'off' } } },
  });
  try {
    await helix.open(URI, NO_TTL);
    assert.ok(!hasMissingTtl(await helix.diagnostics(URI, (d) => !!parenDiag(d))));
  } finally {
    await helix.stop();
  }
  const pulled = await TestClient.start({ settings: { diagnosticsDelay: 0, severity: { 'missing-ttl': 'off' } } });
  try {
    await pulled.open(URI, NO_TTL);
    assert.ok(!hasMissingTtl(await pulled.diagnostics(URI, (d) => !!parenDiag(d))));
    assert.ok(pulled.configurationRequests > 0, 'workspace/configuration asked');
  } finally {
    await pulled.stop();
  }
});

test('pull diagnostics on request (initializationOptions.diagnosticMode "pull"): complete results, unchanged, refresh; nothing pushed', async () => {
  const c = await TestClient.start({
    initializationOptions: { diagnosticMode: 'pull' },
    settings: { diagnosticsDelay: 0, severity: { 'missing-ttl': 'off' } },
    textDocument: { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
    workspace: { diagnostics: { refreshSupport: true } },
  });
  let refreshes = 0;
  c.connection.onRequest(DocumentDiagnosticRefresh, () => { refreshes++; return null; });
  try {
    assert.deepEqual(c.initializeResult!.capabilities.diagnosticProvider, { interFileDependencies: false, workspaceDiagnostics: false });
    await c.open(URI, ZONE);
    const pull = (previousResultId?: string) =>
      c.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: URI }, previousResultId }) as Promise<DocumentDiagnosticReport>;
    const first = await pull();
    assert.equal(first.kind, 'full');
    const codes = (r: DocumentDiagnosticReport) => (r.kind === 'full' ? r.items.map((d) => String(d.code)).sort() : []);
    // All stages in one answer: the parse's and the zone-wide checks'.
    assert.deepEqual(codes(first), ['tlsa-single-record', 'tlsa-unsigned-zone', 'unbalanced-parenthesis']);
    const again = await pull(first.resultId);
    assert.deepEqual(again, { kind: 'unchanged', resultId: first.resultId });
    // An edit: the client is asked to pull again, and the new result lacks the fixed problem.
    await c.change(URI, [{ range: { start: { line: 6, character: paren }, end: { line: 6, character: paren + 1 } }, text: '' }]);
    const next = await pull(first.resultId);
    assert.equal(next.kind, 'full');
    assert.deepEqual(codes(next), ['tlsa-single-record', 'tlsa-unsigned-zone']);
    for (let i = 0; i < 50 && refreshes === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(refreshes > 0, 'workspace/diagnostic/refresh after the change');
    assert.equal(c.published.filter((p) => p.uri === URI).length, 0, 'no publishDiagnostics in pull mode');
  } finally {
    await c.stop();
  }
  // Without the opt-in, the same client gets pushed diagnostics and no diagnosticProvider.
  const push = await TestClient.start({ textDocument: { diagnostic: {} } });
  try {
    assert.equal(push.initializeResult!.capabilities.diagnosticProvider, undefined);
    await push.open(URI, ZONE);
    await push.diagnostics(URI, (d) => !!parenDiag(d));
  } finally {
    await push.stop();
  }
});
