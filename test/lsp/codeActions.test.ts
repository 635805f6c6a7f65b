import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  ClientCapabilities,
  CodeAction,
  CodeActionKind,
  CodeActionRequest,
  Command,
  ConfigurationRequest,
  createProtocolConnection,
  Diagnostic,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  InitializeResult,
  LogMessageNotification,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  Range,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentContentChangeEvent,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SERVER_JS } from './client';

/**
 * Protocol tests of textDocument/codeAction against the real server over stdio: the DANE quick
 * fixes read back from the diagnostics' `data`, and the TLSA refactorings. Every action's
 * WorkspaceEdit is applied to the zone text here and the WHOLE resulting text compared.
 * TestClient claims no code action capabilities, so this file has a small client of its own
 * (code action literals, versioned document changes, diagnostics with data).
 */

const D1 = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';
const D2 = '2c20c9a237719fb2c0a678a0e0e0678f7f0178fa76f88802f702801dd88190ee';
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

const CAPS: ClientCapabilities = {
  workspace: { configuration: true, workspaceEdit: { documentChanges: true } },
  textDocument: {
    publishDiagnostics: { dataSupport: true, versionSupport: true, codeDescriptionSupport: true },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: [CodeActionKind.QuickFix, CodeActionKind.Refactor, CodeActionKind.RefactorRewrite] } },
      isPreferredSupport: true,
    },
  },
};

let nextDoc = 0;

class Client {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  stderr = '';
  init!: InitializeResult;
  private readonly versions = new Map<string, number>();
  private waiters: (() => void)[] = [];

  private constructor(readonly connection: ProtocolConnection, readonly kill: () => void) {
    connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'daneZone' ? { diagnosticsDelay: 0 } : null)));
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onNotification(LogMessageNotification.type, (p) => { this.logs.push(p.message); });
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    });
    connection.listen();
  }

  static async start(capabilities: ClientCapabilities = CAPS): Promise<Client> {
    const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const c = new Client(connection, () => { if (child.exitCode === null) child.kill(); });
    child.stderr!.on('data', (d: Buffer) => { c.stderr += d.toString(); });
    c.init = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities });
    await connection.sendNotification(InitializedNotification.type, {});
    return c;
  }

  /** Opens `text` as a new document; returns its uri. */
  async open(text: string): Promise<string> {
    const uri = `file:///zones/code-actions-${++nextDoc}.zone`;
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dns-zone', version: 1, text } });
    return uri;
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = this.versions.get(uri)! + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /** The diagnostics published for `uri` at `version` once they include every code in `codes`. */
  async diagnostics(uri: string, version: number, codes: string[]): Promise<Diagnostic[]> {
    const until = Date.now() + 10_000;
    for (;;) {
      const p = this.published.find((x) => x.uri === uri && x.version === version && codes.every((c) => x.diagnostics.some((d) => d.code === c)));
      if (p) return p.diagnostics;
      if (Date.now() > until) {
        const seen = this.published.filter((x) => x.uri === uri).map((x) => `v${x.version}: ${x.diagnostics.map((d) => d.code).join(',')}`);
        throw new Error(`no ${codes.join(', ')} for ${uri} v${version}; seen ${seen.join(' | ') || 'none'}\n${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const r: (Command | CodeAction)[] | null = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range, context: only ? { diagnostics, only } : { diagnostics },
    });
    assert.ok(Array.isArray(r), `an array: ${JSON.stringify(r)}`);
    for (const a of r) assert.ok(CodeAction.is(a), `a CodeAction literal: ${JSON.stringify(a)}`);
    return r as CodeAction[];
  }

  /** Sends raw (possibly malformed) params. */
  raw(params: unknown): Promise<unknown> {
    return this.connection.sendRequest(CodeActionRequest.method, params);
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    this.connection.dispose();
  }
}

async function withClient(body: (c: Client) => Promise<void>, capabilities?: ClientCapabilities): Promise<void> {
  const c = await Client.start(capabilities);
  try {
    await body(c);
    assert.ok(!c.logs.some((l) => / failed: /.test(l)), `no handler failed: ${c.logs.join('\n')}`);
    await c.stop();
  } finally {
    c.kill();
  }
}

/** Applies `edit` (one versioned TextDocumentEdit for `uri` at `version`) to `text`. */
function applyWorkspaceEdit(text: string, edit: WorkspaceEdit | undefined, uri: string, version: number): string {
  assert.ok(edit, 'the action has an edit');
  assert.equal(edit.changes, undefined, 'documentChanges, not changes');
  assert.equal(edit.documentChanges?.length, 1, JSON.stringify(edit));
  const change = edit.documentChanges[0] as TextDocumentEdit;
  assert.ok(TextDocumentEdit.is(change), `a TextDocumentEdit: ${JSON.stringify(change)}`);
  assert.deepEqual(change.textDocument, { uri, version }, 'versioned for the document it was computed on');
  for (const e of change.edits) assert.ok(TextEdit.is(e), `a plain TextEdit: ${JSON.stringify(e)}`);
  return TextDocument.applyEdits(TextDocument.create(uri, 'dns-zone', version, text), change.edits as TextEdit[]);
}

const summary = (as: CodeAction[]) => as.map((a) => `${a.kind}: ${a.title}`);
const lineRange = (text: string, needle: string): Range => {
  const line = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  return { start: { line, character: 0 }, end: { line, character: text.split('\n')[line].length } };
};

test('initialize announces code actions (quickfix, refactor.rewrite) only to clients that take CodeAction literals', async () => {
  await withClient(async (c) => {
    assert.deepEqual(c.init.capabilities.codeActionProvider, { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] });
  });
  await withClient(async (c) => {
    assert.equal(c.init.capabilities.codeActionProvider, undefined);
    assert.ok(c.init.capabilities.hoverProvider, 'the other features stay');
  }, { textDocument: { publishDiagnostics: { dataSupport: true } } });
});

test('tlsa-mnemonic: one quick fix for the whole record, from any of its three diagnostics; applied gives 3 1 1', async () => {
  await withClient(async (c) => {
    const text = zone(`_25._tcp.mx1 TLSA DANE-EE SPKI SHA2-256 ${D1} ; current key`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`);
    const want = zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1} ; current key`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`);
    const uri = await c.open(text);
    const all = await c.diagnostics(uri, 1, ['tlsa-mnemonic']);
    const mnemonics = all.filter((d) => d.code === 'tlsa-mnemonic');
    assert.equal(mnemonics.length, 3);
    const title = 'Write `DANE-EE SPKI SHA2-256` as `3 1 1` (numbers, which every DNS server reads)';

    // The editor sends the diagnostics on the line: one action, deduplicated, naming all three.
    const actions = await c.codeActions(uri, lineRange(text, 'DANE-EE'), mnemonics);
    assert.deepEqual(summary(actions), [`quickfix: ${title}`]);
    const [fix] = actions;
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics, mnemonics);
    assert.equal(applyWorkspaceEdit(text, fix.edit, uri, 1), want);

    // From any one of them (the cursor on SPKI, say): the same whole-record fix.
    for (const d of mnemonics) {
      const [one, ...rest] = (await c.codeActions(uri, d.range, [d])).filter((a) => a.kind === CodeActionKind.QuickFix);
      assert.deepEqual(rest, []);
      assert.equal(one.title, title);
      assert.deepEqual(one.diagnostics, [d]);
      assert.equal(applyWorkspaceEdit(text, one.edit, uri, 1), want);
    }
  });
});

test('tlsa-owner `_025._tcp` → `_25._tcp`; tlsa-smtp-pkix `1 1 1` at `_25._tcp` → `3 1 1`', async () => {
  await withClient(async (c) => {
    const port = zone(`_025._tcp.mx1 TLSA 3 1 1 ${D1}`, ` TLSA 3 1 1 ${D2}`);
    let uri = await c.open(port);
    let [d] = (await c.diagnostics(uri, 1, ['tlsa-owner'])).filter((x) => x.code === 'tlsa-owner');
    let actions = await c.codeActions(uri, d.range, [d], [CodeActionKind.QuickFix]);
    assert.deepEqual(summary(actions), ['quickfix: Write the port label as `_25` (clients query `_25`, never `_025`)']);
    assert.equal(actions[0].isPreferred, true);
    // The second record has a blank owner (the same one): one edit renames the RRset.
    assert.equal(applyWorkspaceEdit(port, actions[0].edit, uri, 1), zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, ` TLSA 3 1 1 ${D2}`));

    const pkix = zone(`_25._tcp.mx1 TLSA 1 1 1 ${D1} ; issued by the CA`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`);
    uri = await c.open(pkix);
    [d] = (await c.diagnostics(uri, 1, ['tlsa-smtp-pkix'])).filter((x) => x.code === 'tlsa-smtp-pkix');
    assert.deepEqual(d.range, { start: { line: HEAD.length, character: 18 }, end: { line: HEAD.length, character: 19 } });
    actions = (await c.codeActions(uri, d.range, [d])).filter((a) => a.kind === CodeActionKind.QuickFix);
    assert.deepEqual(summary(actions), ['quickfix: Change usage 1 (PKIX-EE) to 3 (DANE-EE): same certificate data; SMTP senders ignore PKIX-EE and need no CA for DANE-EE']);
    assert.deepEqual(actions[0].diagnostics, [d]);
    assert.equal(applyWorkspaceEdit(pkix, actions[0].edit, uri, 1), zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1} ; issued by the CA`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`));
  });
});

test('refactor.rewrite: RFC 3597 `\\# 35 0301 01 …` → presentation form; lowercase; join split data; several records at once', async () => {
  await withClient(async (c) => {
    const generic = zone(`_25._tcp.mx1 TLSA \\# 35 0301 01 ${D1} ; from a zone dump`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`);
    let uri = await c.open(generic);
    // The cursor anywhere in the record (an empty range) is enough.
    const at = lineRange(generic, '\\#').start;
    let actions = await c.codeActions(uri, { start: { line: at.line, character: 20 }, end: { line: at.line, character: 20 } }, []);
    assert.deepEqual(summary(actions), ['refactor.rewrite: Write in presentation form (3 1 1 and hex) instead of RFC 3597 \\# data']);
    assert.equal(actions[0].diagnostics, undefined);
    assert.equal(applyWorkspaceEdit(generic, actions[0].edit, uri, 1), zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1} ; from a zone dump`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`));
    // Not offered where there is no TLSA record.
    assert.deepEqual(await c.codeActions(uri, lineRange(generic, 'mx1 A'), []), []);

    const split = zone(`_25._tcp.mx1 TLSA 3 1 1 ( ${D1.slice(0, 32).toUpperCase()}`, `    ${D1.slice(32)} )`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`);
    uri = await c.open(split);
    actions = await c.codeActions(uri, lineRange(split, '_25._tcp.mx1 TLSA 3 1 1 ('), [], [CodeActionKind.Refactor]);
    assert.deepEqual(summary(actions), [
      'refactor.rewrite: Write the association data in lowercase',
      'refactor.rewrite: Join the association data into one word',
    ]);
    assert.equal(applyWorkspaceEdit(split, actions[0].edit, uri, 1),
      zone(`_25._tcp.mx1 TLSA 3 1 1 ( ${D1.slice(0, 32)}`, `    ${D1.slice(32)} )`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`));
    assert.equal(applyWorkspaceEdit(split, actions[1].edit, uri, 1),
      zone(`_25._tcp.mx1 TLSA 3 1 1 ( ${D1.slice(0, 32).toUpperCase()}${D1.slice(32)} )`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`));

    // A selection over several records: one action per kind of rewrite, for all of them.
    const upper = zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1.toUpperCase()}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2.toUpperCase()}`, 'www A 192.0.2.80');
    uri = await c.open(upper);
    const both = { start: lineRange(upper, D1.toUpperCase()).start, end: lineRange(upper, D2.toUpperCase()).end };
    actions = await c.codeActions(uri, both, []);
    assert.deepEqual(summary(actions), ['refactor.rewrite: Write the association data in lowercase']);
    assert.equal(applyWorkspaceEdit(upper, actions[0].edit, uri, 1), zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`, 'www A 192.0.2.80'));
    const second = lineRange(upper, D2.toUpperCase());
    actions = await c.codeActions(uri, second, []);
    assert.equal(applyWorkspaceEdit(upper, actions[0].edit, uri, 1), zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1.toUpperCase()}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`, 'www A 192.0.2.80'));
  });
});

test('context.only: refactor excludes quick fixes, quickfix excludes refactorings, source gets nothing', async () => {
  await withClient(async (c) => {
    const text = zone(`_025._tcp.mx1 TLSA 3 1 1 ${D1.toUpperCase()}`, ` TLSA 3 1 1 ${D2}`);
    const uri = await c.open(text);
    const ds = (await c.diagnostics(uri, 1, ['tlsa-owner'])).filter((x) => x.code === 'tlsa-owner');
    const range = lineRange(text, D1.toUpperCase());
    const fix = 'quickfix: Write the port label as `_25` (clients query `_25`, never `_025`)';
    const lower = 'refactor.rewrite: Write the association data in lowercase';
    assert.deepEqual(summary(await c.codeActions(uri, range, ds)), [fix, lower]);
    assert.deepEqual(summary(await c.codeActions(uri, range, ds, [CodeActionKind.Refactor])), [lower]);
    assert.deepEqual(summary(await c.codeActions(uri, range, ds, [CodeActionKind.RefactorRewrite])), [lower]);
    assert.deepEqual(summary(await c.codeActions(uri, range, ds, [CodeActionKind.QuickFix])), [fix]);
    assert.deepEqual(summary(await c.codeActions(uri, range, ds, [CodeActionKind.Source, CodeActionKind.RefactorExtract])), []);
    const [both] = (await c.codeActions(uri, range, ds, [CodeActionKind.Refactor]));
    assert.equal(applyWorkspaceEdit(text, both.edit, uri, 1), zone(`_025._tcp.mx1 TLSA 3 1 1 ${D1}`, ` TLSA 3 1 1 ${D2}`));
  });
});

test('stale diagnostics: no edit once the text under them changed; an edit elsewhere gives a fix for the new version', async () => {
  await withClient(async (c) => {
    const text = zone(`_25._tcp.mx1 TLSA DANE-EE SPKI SHA2-256 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`);
    const range = lineRange(text, 'DANE-EE');
    const want = zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`);

    // A line inserted above the record: version 1's diagnostics no longer describe the text.
    let uri = await c.open(text);
    let v1 = (await c.diagnostics(uri, 1, ['tlsa-mnemonic'])).filter((d) => d.code === 'tlsa-mnemonic');
    const comment = '; rotated 2026-05-01\n';
    const v2 = await c.change(uri, [{ range: { start: { line: HEAD.length, character: 0 }, end: { line: HEAD.length, character: 0 } }, text: comment }]);
    assert.equal(v2, 2);
    assert.deepEqual(await c.codeActions(uri, range, v1, [CodeActionKind.QuickFix]), []);
    // The acronyms themselves replaced: nothing to fix either.
    uri = await c.open(text);
    v1 = (await c.diagnostics(uri, 1, ['tlsa-mnemonic'])).filter((d) => d.code === 'tlsa-mnemonic');
    await c.change(uri, [{ range: v1[0].range, text: '3' }]);
    assert.deepEqual(await c.codeActions(uri, range, v1, [CodeActionKind.QuickFix]), []);
    // Fix data that does not match the text (tampered with): nothing.
    const tampered = v1.map((d) => ({ ...d, data: { ...(d.data as object), replace: [{ start: 0, end: 7, oldText: 'DANE-EE', newText: '3' }] } }));
    assert.deepEqual(await c.codeActions(uri, range, tampered, [CodeActionKind.QuickFix]), []);

    // A line appended after the record: the fix still holds, for version 2's text.
    uri = await c.open(text);
    v1 = (await c.diagnostics(uri, 1, ['tlsa-mnemonic'])).filter((d) => d.code === 'tlsa-mnemonic');
    const end = text.split('\n').length - 1;
    await c.change(uri, [{ range: { start: { line: end, character: 0 }, end: { line: end, character: 0 } }, text: 'www A 192.0.2.80\n' }]);
    const [fix] = await c.codeActions(uri, range, v1, [CodeActionKind.QuickFix]);
    assert.ok(fix, 'a fix for version 2');
    assert.equal(applyWorkspaceEdit(text + 'www A 192.0.2.80\n', fix.edit, uri, 2), want + 'www A 192.0.2.80\n');
  });
});

/** The range of `backup` in the `@ MX 20 backup` line. */
const targetRange = (text: string): Range => {
  const { start } = lineRange(text, '@ MX 20 backup');
  return { start: { line: start.line, character: 8 }, end: { line: start.line, character: 14 } };
};

test('target-is-cname: "Point at the alias\'s target" replaces the MX target; after a line is inserted above, the moved finding still fixes', async () => {
  await withClient(async (c) => {
    const text = zone('@ MX 20 backup ; second MX', 'backup CNAME mx1');
    const want = zone('@ MX 20 mx1.example.com. ; second MX', 'backup CNAME mx1');
    const uri = await c.open(text);
    const [d] = (await c.diagnostics(uri, 1, ['target-is-cname'])).filter((x) => x.code === 'target-is-cname');
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range, targetRange(text));
    const actions = await c.codeActions(uri, d.range, [d], [CodeActionKind.QuickFix]);
    assert.deepEqual(summary(actions), ["quickfix: Point at `mx1.example.com.`, the alias's target (RFC 2181 §10.3)"]);
    assert.equal(actions[0].isPreferred, true);
    assert.equal(applyWorkspaceEdit(text, actions[0].edit, uri, 1), want);
    // A comment line above: version 2's finding (moved, not re-checked) gives the same fix one line lower.
    const comment = '; backup MX\n';
    await c.change(uri, [{ range: { start: { line: HEAD.length, character: 0 }, end: { line: HEAD.length, character: 0 } }, text: comment }]);
    const moved = (await c.diagnostics(uri, 2, ['target-is-cname'])).filter((x) => x.code === 'target-is-cname');
    const text2 = text.replace('@ MX 20', comment + '@ MX 20');
    assert.deepEqual(moved.map((x) => x.range), [targetRange(text2)]);
    const [fix] = await c.codeActions(uri, moved[0].range, moved, [CodeActionKind.QuickFix]);
    assert.equal(applyWorkspaceEdit(text2, fix.edit, uri, 2), want.replace('@ MX 20', comment + '@ MX 20'));
  });
});

test('garbage: ranges, contexts, diagnostics of other sources and unknown documents answer [] and the server keeps going', async () => {
  await withClient(async (c) => {
    const text = zone(`_25._tcp.mx1 TLSA DANE-EE SPKI SHA2-256 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`);
    const uri = await c.open(text);
    const ds = await c.diagnostics(uri, 1, ['tlsa-mnemonic']);
    const range = lineRange(text, 'DANE-EE');
    const context = { diagnostics: ds };
    for (const bad of [
      { textDocument: { uri }, range: null, context },
      { textDocument: { uri }, context },
      { textDocument: { uri }, range: { start: { line: 'x', character: 0 }, end: range.end }, context },
      { textDocument: { uri }, range: { start: { line: Infinity, character: 0 }, end: range.end }, context },
      { textDocument: { uri }, range: 7, context },
      { textDocument: { uri: 'file:///zones/not-open.zone' }, range, context },
      { textDocument: {}, range, context },
      { textDocument: { uri: 42 }, range, context },
      {},
    ]) {
      assert.deepEqual(await c.raw(bad), [], JSON.stringify(bad));
    }
    // Malformed diagnostics are skipped, the good one still gives its fix.
    const junk = [null, 5, 'x', {}, { source: 'dane-zone', data: 3 }, { source: 'dane-zone', data: {}, range: null },
      { source: 'dane-zone', data: { fix: 'tlsa-mnemonic', replace: 'no' }, range }, { ...ds[0], source: 'other-linter' }];
    assert.deepEqual(await c.raw({ textDocument: { uri }, range, context: { diagnostics: junk } }), []);
    assert.deepEqual(await c.raw({ textDocument: { uri }, range, context: { diagnostics: 'nope', only: 'quickfix' } }), []);
    const good = await c.raw({ textDocument: { uri }, range, context: { diagnostics: [...junk, ds[0]] } }) as CodeAction[];
    assert.equal(good.length, 1);
    assert.equal(applyWorkspaceEdit(text, good[0].edit, uri, 1), zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`));
  });
});

test('a client without versioned documentChanges gets plain changes', async () => {
  const caps: ClientCapabilities = { ...CAPS, workspace: { configuration: true } };
  await withClient(async (c) => {
    const text = zone(`_025._tcp.mx1 TLSA 3 1 1 ${D1}`, ` TLSA 3 1 1 ${D2}`);
    const uri = await c.open(text);
    const ds = (await c.diagnostics(uri, 1, ['tlsa-owner'])).filter((x) => x.code === 'tlsa-owner');
    const [fix] = await c.codeActions(uri, ds[0].range, ds, [CodeActionKind.QuickFix]);
    assert.equal(fix.edit?.documentChanges, undefined);
    const edits = fix.edit?.changes?.[uri];
    assert.ok(edits);
    assert.equal(TextDocument.applyEdits(TextDocument.create(uri, 'dns-zone', 1, text), edits),
      zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, ` TLSA 3 1 1 ${D2}`));
  }, caps);
});
