import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  ClientCapabilities,
  CompletionItem,
  CompletionItemKind,
  CompletionList,
  CompletionRequest,
  CompletionTriggerKind,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  Hover,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  InitializeResult,
  InlayHint,
  InlayHintRefreshRequest,
  InlayHintRequest,
  InsertReplaceEdit,
  InsertTextFormat,
  LogMessageNotification,
  MarkupContent,
  MarkupKind,
  Position,
  ProtocolConnection,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { snippetToPlainText } from '../../server/src/lsp/features/completion';
import { sanitizeSettings } from '../../server/src/lsp/settings';
import { SERVER_JS } from './client';

/**
 * Protocol tests of hover, completion and inlay hints against the real server over stdio.
 * These need client capabilities TestClient does not claim (snippets, markdown, inlay hint
 * refresh), so this file starts the server with a small client of its own.
 */

const D = '2c20c9a237719fb2c0a678a0e0e0678f7f0178fa76f88802f702801dd88190ee';
const ZONE = [
  '$ORIGIN dane.example.net.',                       // 0
  '$TTL 3600',                                       // 1
  '@            SOA   ns1 hostmaster 1 7200 3600 1209600 300', // 2
  '@            NS    ns1',                          // 3
  '@            MX    10 mx1',                       // 4
  'ns1          A     192.0.2.53',                   // 5
  'mx1          A     192.0.2.25',                   // 6
  `_25._tcp.mx1 300 TLSA  3 1 1 ${D}`,               // 7
  `_25._tcp.mx1 300 TLSA  2 0 2 ${D}${D}`,           // 8
  '; «ключ» 🔑 comment',                             // 9
  `_25._tcp.mx1 300 TLSA  3 1 1 ${D}`,               // 10
  '',
].join('\n');
const URI = 'file:///zones/dane.example.net.zone';
const doc = TextDocument.create(URI, 'dns-zone', 1, ZONE);

/** The position of the `n`th occurrence of `text` in line `line` (plus `delta` characters). */
function at(line: number, text: string, delta = 0, n = 0): Position {
  const l = ZONE.split('\n')[line];
  let c = -1;
  for (let i = 0; i <= n; i++) c = l.indexOf(text, c + 1);
  assert.ok(c >= 0, `${text} on line ${line}`);
  return { line, character: c + delta };
}

const FULL_CAPS: ClientCapabilities = {
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, inlayHint: { refreshSupport: true } },
  textDocument: {
    hover: { contentFormat: [MarkupKind.Markdown, MarkupKind.PlainText] },
    completion: { completionItem: { snippetSupport: true, documentationFormat: [MarkupKind.Markdown] }, contextSupport: true },
    inlayHint: {},
  },
};

class Client {
  settings: Record<string, unknown>;
  refreshes = 0;
  readonly logs: string[] = [];
  stderr = '';
  init!: InitializeResult;
  private constructor(readonly connection: ProtocolConnection, readonly kill: () => void, settings: Record<string, unknown>) {
    this.settings = settings;
    connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'daneZone' ? this.settings : null)));
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onRequest(InlayHintRefreshRequest.type, () => { this.refreshes++; });
    connection.onNotification(LogMessageNotification.type, (p) => { this.logs.push(p.message); });
    connection.onNotification('textDocument/publishDiagnostics', () => undefined);
    connection.listen();
  }

  static async start(capabilities: ClientCapabilities = FULL_CAPS, settings: Record<string, unknown> = { diagnosticsDelay: 0 }): Promise<Client> {
    const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const c = new Client(connection, () => { if (child.exitCode === null) child.kill(); }, settings);
    child.stderr!.on('data', (d: Buffer) => { c.stderr += d.toString(); });
    c.init = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities });
    await connection.sendNotification(InitializedNotification.type, {});
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'dns-zone', version: 1, text: ZONE } });
    return c;
  }

  hover(position: Position, uri = URI): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async completion(position: Position, triggerCharacter?: string): Promise<CompletionItem[]> {
    const context = triggerCharacter ? { triggerKind: CompletionTriggerKind.TriggerCharacter, triggerCharacter } : { triggerKind: CompletionTriggerKind.Invoked };
    const r: CompletionItem[] | CompletionList | null = await this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: URI }, position, context });
    return Array.isArray(r) ? r : r?.items ?? [];
  }

  async inlayHints(range: { start: Position; end: Position }): Promise<InlayHint[]> {
    return (await this.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri: URI }, range })) ?? [];
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    this.connection.dispose();
  }
}

async function withClient(body: (c: Client) => Promise<void>, capabilities?: ClientCapabilities, settings?: Record<string, unknown>): Promise<void> {
  const c = await Client.start(capabilities, settings);
  try {
    await body(c);
    assert.ok(!c.logs.some((l) => / failed: /.test(l)), `no handler failed: ${c.logs.join('\n')}`);
    await c.stop();
  } finally {
    c.kill();
  }
}

const md = (x: unknown): string => {
  const m = x as MarkupContent;
  assert.equal(m?.kind, MarkupKind.Markdown, JSON.stringify(x));
  return m.value;
};

test('initialize announces hover, completion with its trigger characters, and inlay hints', async () => {
  await withClient(async (c) => {
    const caps = c.init.capabilities;
    assert.equal(caps.hoverProvider, true);
    assert.deepEqual(caps.completionProvider?.triggerCharacters, [' ', '$', '=', ',', '/']);
    assert.ok(caps.inlayHintProvider);
    assert.equal(caps.foldingRangeProvider, true, 'the existing features are still there');
  });
});

test('hover on a TLSA usage field: DANE-EE, an rfc-editor link, the exact range of the token', async () => {
  await withClient(async (c) => {
    for (const delta of [0, 1]) { // on the 3 and just after it
      const h = await c.hover(at(7, ' 3 ', 1 + delta));
      assert.ok(h, 'a hover');
      const value = md(h.contents);
      assert.match(value, /DANE-EE/);
      assert.match(value, /\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc\d+(#section-[\d.]+)?\)/);
      assert.deepEqual(h.range, { start: at(7, ' 3 ', 1), end: at(7, ' 3 ', 2) });
      assert.equal(doc.getText(h.range!), '3');
    }
    // The matching type 2 on the next record: SHA2-512, range on the `2` after `0`.
    const mt = await c.hover(at(8, '0 2', 2));
    assert.match(md(mt!.contents), /SHA2-512/);
    assert.equal(doc.getText(mt!.range!), '2');
    // Past the non-BMP comment line the positions still line up.
    const h10 = await c.hover(at(10, 'TLSA', 1));
    assert.equal(doc.getText(h10!.range!), 'TLSA');
    assert.match(md(h10!.contents), /TLSA/);
  });
});

test('hover: garbage positions, unknown documents and empty places answer null', async () => {
  await withClient(async (c) => {
    assert.equal(await c.hover({ line: 9999, character: 0 }), null);
    assert.equal(await c.hover({ line: 0, character: 0 }, 'file:///not/open.zone'), null);
    const garbage = [{ line: -1, character: -5 }, { line: 1e12, character: 1e12 }, { line: 'x', character: null }, null, 'nope', { line: 2.5, character: Number.MAX_SAFE_INTEGER }];
    for (const g of garbage) {
      const h = await c.hover(g as unknown as Position);
      assert.ok(h === null || typeof md(h.contents) === 'string', JSON.stringify(g));
    }
    // Still alive and answering.
    assert.ok(await c.hover(at(7, ' 3 ', 1)));
  });
});

test('completion at a TLSA usage position offers 3 with its meaning', async () => {
  await withClient(async (c) => {
    // Replace the usage `3` of line 7, cursor after it.
    const items = await c.completion(at(7, ' 3 ', 2));
    const three = items.find((i) => i.label === '3');
    assert.ok(three, `3 offered: ${items.map((i) => i.label).join(', ')}`);
    assert.equal(three.kind, CompletionItemKind.Value);
    assert.match(three.detail ?? '', /DANE-EE/);
    assert.match(md(three.documentation), /DANE-EE/);
    const edit = three.textEdit as TextEdit;
    assert.deepEqual(edit.range, { start: at(7, ' 3 ', 1), end: at(7, ' 3 ', 2) });
    assert.equal(edit.newText, '3');
    // Recommended first: 3 sorts before 2, 0 and 1.
    const sorted = items.filter((i) => i.kind === CompletionItemKind.Value).sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
    assert.equal(sorted[0].label, '3');

    // Typed a space after `TLSA` on a fresh line: values offered (the space trigger).
    const fresh = await c.completion(at(7, 'TLSA', 5), ' ');
    assert.ok(fresh.some((i) => i.label === '3'), fresh.map((i) => i.label).join(', '));
  });
});

test('completion of a type offers TLSA with a snippet; plain text for a client without snippets', async () => {
  // A new last line `_25._tcp.mx1 TL|`: the type being typed, nothing after it.
  const text = `${ZONE}_25._tcp.mx1 TL`;
  const pos = { line: 11, character: '_25._tcp.mx1 TL'.length };
  const open = async (c: Client) => {
    await c.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 2 }, contentChanges: [{ text }] });
  };
  await withClient(async (c) => {
    await open(c);
    const items = await c.completion(pos);
    const tlsa = items.find((i) => i.label === 'TLSA');
    assert.ok(tlsa, 'TLSA offered');
    assert.equal(tlsa.kind, CompletionItemKind.TypeParameter);
    assert.equal(tlsa.insertTextFormat, InsertTextFormat.Snippet);
    const edit = tlsa.textEdit as TextEdit;
    assert.equal(edit.newText, 'TLSA ${1:3} ${2:1} ${3:1} ${4:hex}');
    assert.deepEqual(edit.range, { start: { line: 11, character: 13 }, end: pos });
    assert.equal(tlsa.sortText, '0', 'TLSA first under a _25._tcp owner');
    assert.match(md(tlsa.documentation), /TLSA/);
    assert.ok(items.some((i) => i.label === 'IN' && i.kind === CompletionItemKind.Keyword));
  });
  await withClient(async (c) => {
    await open(c);
    const items = await c.completion(pos);
    const tlsa = items.find((i) => i.label === 'TLSA')!;
    assert.notEqual(tlsa.insertTextFormat, InsertTextFormat.Snippet);
    assert.equal((tlsa.textEdit as TextEdit).newText, 'TLSA 3 1 1 hex');
    assert.equal((tlsa.documentation as MarkupContent).kind, MarkupKind.PlainText);
  }, { textDocument: { completion: { completionItem: { documentationFormat: [MarkupKind.PlainText] } } } });
  // A client with insert/replace support gets both ranges when the word goes on after the cursor.
  await withClient(async (c) => {
    const items = await c.completion(at(7, 'TLSA', 2)); // TL|SA
    const tlsa = items.find((i) => i.label === 'TLSA')!;
    const edit = tlsa.textEdit as InsertReplaceEdit;
    assert.deepEqual(edit.insert, { start: at(7, 'TLSA'), end: at(7, 'TLSA', 2) });
    assert.deepEqual(edit.replace, { start: at(7, 'TLSA'), end: at(7, 'TLSA', 4) });
  }, { textDocument: { completion: { completionItem: { insertReplaceSupport: true } } } });
});

test('completion triggers: not while lining up columns or in a plain comment; garbage → empty', async () => {
  await withClient(async (c) => {
    // `mx1 |         A`: the first space after the owner opens the list, the next ones do not.
    assert.ok((await c.completion(at(6, 'mx1 ', 4), ' ')).length > 0);
    assert.deepEqual(await c.completion(at(6, 'mx1  ', 5), ' '), []);
    // …but asking (Ctrl+Space) there still answers.
    assert.ok((await c.completion(at(6, 'mx1  ', 5))).length > 0);
    // A plain comment: `; |«ключ»`.
    assert.deepEqual(await c.completion(at(9, '; ', 2), ' '), []);
    // Inside the hex of the association data: nothing.
    assert.deepEqual(await c.completion(at(7, D, 10)), []);
    for (const g of [{ line: -3, character: 2 }, { line: 1e9, character: 1e9 }, { line: null, character: 'x' }, undefined]) {
      assert.ok(Array.isArray(await c.completion(g as unknown as Position)));
    }
  });
});

test('inlay hints for a range: DANE-EE SPKI SHA2-256 in the gap after the matching type (issue 16/9: a real space before, padding after), only in the range', async () => {
  await withClient(async (c) => {
    const hints = await c.inlayHints({ start: { line: 7, character: 0 }, end: { line: 9, character: 0 } });
    assert.deepEqual(hints.map((h) => h.label), ['DANE-EE SPKI SHA2-256', 'DANE-TA Cert SHA2-512']);
    const [h] = hints;
    assert.deepEqual(h.position, at(7, '3 1 1', 6));
    assert.equal(h.paddingRight, true);
    assert.equal(h.paddingLeft, undefined);
    assert.equal(h.kind, undefined);
    assert.match(md(h.tooltip), /DANE-EE/);
    // Line 10 only (after the non-BMP comment): one hint, at the right UTF-16 position.
    const last = await c.inlayHints({ start: { line: 10, character: 0 }, end: { line: 11, character: 0 } });
    assert.deepEqual(last.map((x) => [x.label, x.position]), [['DANE-EE SPKI SHA2-256', at(10, '3 1 1', 6)]]);
    // A range without TLSA records, an inverted one and garbage: nothing.
    assert.deepEqual(await c.inlayHints({ start: { line: 0, character: 0 }, end: { line: 6, character: 0 } }), []);
    assert.deepEqual(await c.inlayHints({ start: { line: 9, character: 0 }, end: { line: 7, character: 0 } }), []);
    assert.deepEqual(await c.inlayHints(null as unknown as { start: Position; end: Position }), []);
  });
});

test('inlayHints.enabled: false → no hints; toggling it asks the client to refresh', async () => {
  const range = { start: { line: 0, character: 0 }, end: { line: 12, character: 0 } };
  await withClient(async (c) => {
    assert.deepEqual(await c.inlayHints(range), []);
  }, undefined, { diagnosticsDelay: 0, inlayHints: { enabled: false } });

  await withClient(async (c) => {
    assert.equal((await c.inlayHints(range)).length, 3);
    // A change that does not touch the hints: no refresh.
    c.settings = { diagnosticsDelay: 0, severity: { 'tlsa-single-record': 'off' } };
    await c.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(c.refreshes, 0);
    // Turning them off: the server asks for new hints, and there are none.
    c.settings = { diagnosticsDelay: 0, inlayHints: { enabled: false } };
    await c.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const until = Date.now() + 5000;
    while (c.refreshes === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.equal(c.refreshes, 1);
    assert.deepEqual(await c.inlayHints(range), []);
    // And back on.
    c.settings = { diagnosticsDelay: 0 };
    await c.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    while (c.refreshes === 1 && Date.now() < until + 5000) await new Promise((r) => setTimeout(r, 20));
    assert.equal((await c.inlayHints(range)).length, 3);
  });
});

test('settings: inlayHints.enabled is sanitized like the others', () => {
  assert.equal(sanitizeSettings(undefined).inlayHints.enabled, true);
  assert.equal(sanitizeSettings({ inlayHints: { enabled: false } }).inlayHints.enabled, false);
  assert.equal(sanitizeSettings({ 'inlayHints.enabled': false }).inlayHints.enabled, false);
  const problems: string[] = [];
  assert.equal(sanitizeSettings({ inlayHints: { enabled: 'no' } }, problems).inlayHints.enabled, true);
  assert.equal(sanitizeSettings({ inlayHints: 7 }, problems).inlayHints.enabled, true);
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.ok(problems.every((p) => p.startsWith('daneZone.inlayHints')));
});

test('snippets as plain text for clients without snippet support', () => {
  assert.equal(snippetToPlainText('TLSA ${1:3} ${2:1} ${3:1} ${4:hex}'), 'TLSA 3 1 1 hex');
  assert.equal(snippetToPlainText('\\$GENERATE ${1:1-10} ${2:host\\$} ${3:A}'), '$GENERATE 1-10 host$ A');
  assert.equal(snippetToPlainText('; dane-zone dnssec=${1|signed,unsigned,inline|}'), '; dane-zone dnssec=signed');
  assert.equal(snippetToPlainText('NULL \\\\# ${1:0}$0'), 'NULL \\# 0');
  assert.equal(snippetToPlainText('a ${1:outer ${2:inner}} $TM_FILENAME ${3} b'), 'a outer inner   b');
  assert.equal(snippetToPlainText('50$ ${1:unclosed'), '50$ unclosed');
});
