/**
 * The live check from the language server (`workspace/executeCommand daneZone.checkLive`),
 * against the real lab (test/support/labDaemons.ts: Knot signs, Unbound validates, Postfix offers
 * STARTTLS on loopback; started and stopped by test/live/helpers.ts). If the lab cannot start,
 * the lab tests here fail with the reason (they do not pass silently); the tests that need no
 * network run anyway.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CancellationTokenSource,
  CodeAction,
  CodeActionRequest,
  CodeLens,
  CodeLensRequest,
  Diagnostic,
  ExecuteCommandRequest,
  ResponseError,
} from 'vscode-languageserver/node';
import { fileUri, TestClient } from './client';
import { Lab, labModule } from '../live/helpers';

let lab: Lab | undefined;
let labError: unknown;
let tmp: string;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-lsp-live-'));
  try {
    lab = await labModule().startLab();
  } catch (e) {
    labError = e;
  }
});

after(async () => {
  await lab?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function needLab(): Lab {
  if (!lab) assert.fail(`the DANE lab could not start: ${labError instanceof Error ? labError.message : String(labError)}`);
  return lab;
}

const FAST = { timeoutMs: 30_000 };
let n = 0;

async function withServer(body: (c: TestClient) => Promise<void>, options: { trusted?: boolean; resolver?: string } = {}): Promise<void> {
  const c = await TestClient.start({
    settings: { diagnosticsDelay: 0, ...(options.resolver ? { live: { resolver: options.resolver } } : {}) },
    initializationOptions: options.trusted === false ? { trusted: false } : undefined,
    workspaceFolders: [tmp],
    window: { workDoneProgress: true },
    textDocument: { codeLens: {}, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor'] } } } },
  });
  try {
    await body(c);
    assert.ok(!c.logs.some((l) => !l.startsWith('[show]') && / failed: /.test(l)), `no handler failed: ${c.logs.join('\n')}`);
    await c.stop();
  } finally {
    c.kill();
  }
}

async function open(c: TestClient, text: string): Promise<string> {
  const uri = fileUri(path.join(tmp, `live-${++n}.zone`));
  await c.open(uri, text);
  await c.diagnostics(uri);
  return uri;
}

function run(c: TestClient, args: unknown[]): Promise<unknown> {
  return c.connection.sendRequest(ExecuteCommandRequest.type, { command: 'daneZone.checkLive', arguments: args });
}

const live = (ds: Diagnostic[]) => ds.filter((d) => d.source === 'dane-live');
const resolverOf = (l: Lab) => `${l.resolver.host}:${l.resolver.port}`;

test('initialize: daneZone.checkLive beside the serial command in one executeCommandProvider; a code lens provider', async () => {
  await withServer(async (c) => {
    const caps = c.initializeResult!.capabilities;
    assert.ok(caps.executeCommandProvider?.commands.includes('daneZone.checkLive'), JSON.stringify(caps.executeCommandProvider));
    assert.ok(caps.executeCommandProvider?.commands.includes('daneZone.server.bumpSerial'), 'the other feature\'s command is kept');
    assert.deepEqual(caps.codeLensProvider, { resolveProvider: false });
  });
});

test('code lenses "Check deployed MX" on the MX RRset and on each _25._tcp TLSA RRset, invoking daneZone.checkLive', async () => {
  await withServer(async (c) => {
    const text = [
      '$ORIGIN example.com.', '$TTL 300', '@ SOA ns hostmaster 1 7200 3600 1209600 300', '@ NS ns',
      '@ MX 10 mx1', '@ MX 20 mx2', 'mx1 A 192.0.2.25', 'mx2 A 192.0.2.26',
      '_25._tcp.mx1 TLSA 3 1 1 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1',
      '_25._tcp.mx1 TLSA 2 1 1 2c20c9a237719fb2c0a678a0e0e0678f7f0178fa76f88802f702801dd88190ee',
      '_25._tcp.mx2 TLSA 3 1 1 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1',
      '_443._tcp.www TLSA 3 1 1 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1', '',
    ].join('\n');
    const uri = await open(c, text);
    const lenses = (await c.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments]), [
      [4, 'Check deployed MX', 'daneZone.checkLive', [uri]],
      [8, 'Check deployed MX (mx1.example.com)', 'daneZone.checkLive', [uri, 'mx1.example.com', { port: 25 }]],
      [10, 'Check deployed MX (mx2.example.com)', 'daneZone.checkLive', [uri, 'mx2.example.com', { port: 25 }]],
    ]);
  });
});

test('untrusted workspace: daneZone.checkLive is refused with a clear message, and no lens offers it', async () => {
  await withServer(async (c) => {
    const uri = await open(c, '$ORIGIN good.test.\n@ 300 SOA ns h 1 2 3 4 5\n@ 300 MX 10 mx1\nmx1 300 A 127.0.0.25\n');
    await assert.rejects(run(c, [uri]), (e: unknown) => {
      assert.ok(e instanceof ResponseError, String(e));
      assert.match(e.message, /live check does not run in an untrusted workspace .* Trust the workspace/);
      return true;
    });
    assert.deepEqual(await c.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), []);
    assert.ok(!c.published.some((p) => live(p.diagnostics).length > 0));
  }, { trusted: false });
});

test('bad arguments: a document that is not open, a zone without origin', async () => {
  await withServer(async (c) => {
    await assert.rejects(run(c, ['file:///nowhere.zone']), /not an open zone file/);
    await assert.rejects(run(c, []), /give the zone file's URI/);
    const uri = fileUri(path.join(tmp, 'no-origin.txt'));
    await c.open(uri, 'mx1 300 IN A 192.0.2.1\n');
    await c.diagnostics(uri);
    await assert.rejects(run(c, [uri]), /no origin/);
  });
});

test('lab: the zone as published → the text report (pass) with work-done progress, and no dane-live diagnostics', async () => {
  const l = needLab();
  await withServer(async (c) => {
    const progress: { kind: string; message?: string; cancellable?: boolean }[] = [];
    c.connection.onRequest('window/workDoneProgress/create', () => null);
    c.connection.onNotification('$/progress', (p: { value: { kind: string; message?: string; cancellable?: boolean } }) => { progress.push(p.value); });
    const uri = await open(c, l.zones['good.test']);
    const report = await run(c, [uri, undefined, FAST]);
    assert.equal(typeof report, 'string');
    assert.match(report as string, /^Live DANE check of good\.test, port 25, resolver 127\.0\.0\.30:53\nPASS: every host and address checks out/);
    assert.match(report as string, /^PASS  mx1\.good\.test \(MX 10\): DANE in effect; 2 addresses \(ECDSA certificates\) authenticated$/m);
    assert.doesNotMatch(report as string, /drift/i);
    // A cancellable progress whose message follows the steps (not one "asking …" line throughout).
    assert.equal(progress[0].kind, 'begin');
    assert.equal(progress[0].cancellable, true);
    assert.equal(progress[progress.length - 1].kind, 'end');
    const messages = progress.filter((p) => p.kind === 'report').map((p) => p.message ?? '');
    for (const re of [/^looking up the addresses and TLSA records of mx1\.good\.test$/, /^connecting to mx1\.good\.test \(127\.0\.0\.25\) port 25, up to \d+(\.\d)? s$/,
      /^waiting up to \d+(\.\d)? s for the greeting of mx1\.good\.test \(127\.0\.0\.25\)$/, /^TLS handshake with mx1\.good\.test \(127\.0\.0\.25\) \(asking for its RSA certificate\)/,
      /^asking every name server of the zones directly/]) {
      assert.ok(messages.some((m) => re.test(m)), `${re}: ${messages.join(' | ')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
    const last = c.published.filter((p) => p.uri === uri).pop()!;
    assert.deepEqual(live(last.diagnostics), []);
  }, { resolver: resolverOf(l) });
});

test('lab: a zone file that differs from what is published → live-drift (source dane-live) on the records concerned, until the text changes', async () => {
  const l = needLab();
  await withServer(async (c) => {
    const edited = l.zones['good.test'].replace(/_25\._tcp\.mx1 IN TLSA 2 1 1 [0-9a-f]+/, `_25._tcp.mx1 IN TLSA 3 1 1 ${l.certs.tlsa.other311}`);
    assert.notEqual(edited, l.zones['good.test']);
    const uri = await open(c, edited);
    const report = (await run(c, [uri, undefined, FAST])) as string;
    assert.match(report, /drift in the file, not published: 2 1 1|drift/);
    const ds = await c.diagnostics(uri, (d) => live(d).length > 0);
    const drift = live(ds).filter((d) => d.code === 'live-drift');
    assert.ok(drift.length >= 2, JSON.stringify(ds));
    const lines = edited.split('\n');
    const onNext = drift.find((d) => lines[d.range.start.line].includes(l.certs.tlsa.other311));
    assert.ok(onNext, `on the record that is not published: ${JSON.stringify(drift)}`);
    assert.match(onNext.message as string, /published TLSA differs from this file: this record is not published/);
    assert.equal(onNext.codeDescription?.href, 'https://www.rfc-editor.org/rfc/rfc7671#section-8.1');
    assert.equal(onNext.severity, 2, 'live-drift is a warning');
    // The file's own diagnostics stay, with their own source.
    assert.ok(ds.filter((d) => d.source !== 'dane-live').every((d) => d.source === 'dane-zone'));
    // A keystroke: the live results no longer apply.
    await c.change(uri, [{ text: edited + '; edited\n' }]);
    await c.diagnostics(uri, (d, p) => p.version === 2 && live(d).length === 0);
  }, { resolver: resolverOf(l) });
});

test('lab: the TLSA lens target (a mail host, no MX of its own) is checked as its own host', async () => {
  const l = needLab();
  await withServer(async (c) => {
    const uri = await open(c, l.zones['good.test']);
    const report = (await run(c, [uri, 'mx1.good.test', { port: 25, ...FAST }])) as string;
    assert.match(report, /^Live DANE check of mx1\.good\.test, port 25/);
    assert.match(report, /checked as its own mail host/);
  }, { resolver: resolverOf(l) });
});

test('cancellation: a check that waits on a silent resolver stops when the client cancels the request', async () => {
  // A resolver that reads every question and never answers.
  const silent = dgram.createSocket('udp4');
  silent.on('message', () => undefined);
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  const port = silent.address().port;
  after(() => silent.close());
  await withServer(async (c) => {
    const uri = await open(c, '$ORIGIN silent.test.\n@ 300 SOA ns h 1 2 3 4 5\n@ 300 MX 10 mx1\nmx1 300 A 127.0.0.25\n');
    const source = new CancellationTokenSource();
    const started = Date.now();
    const pending = c.connection.sendRequest(ExecuteCommandRequest.type, { command: 'daneZone.checkLive', arguments: [uri] }, source.token);
    setTimeout(() => source.cancel(), 300);
    await assert.rejects(pending, /cancelled/i);
    assert.ok(Date.now() - started < 5000, `stopped promptly (${Date.now() - started} ms)`);
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(!c.published.some((p) => live(p.diagnostics).length > 0));
  }, { resolver: `127.0.0.1:${port}` });
});

test('a resolver that refuses: the user is told in plain words (window/showMessage), not with a raw recvmsg error', async () => {
  // A UDP port nothing listens on: the resolver "refuses" (ICMP port unreachable → ECONNREFUSED).
  const free = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => free.bind(0, '127.0.0.1', resolve));
  const port = free.address().port;
  await new Promise<void>((resolve) => free.close(() => resolve()));
  await withServer(async (c) => {
    const shown: { type: number; message: string }[] = [];
    c.connection.onNotification('window/showMessage', (p: { type: number; message: string }) => { shown.push(p); });
    const uri = await open(c, '$ORIGIN refused.test.\n@ 300 SOA ns h 1 2 3 4 5\n@ 300 MX 10 mx1\nmx1 300 A 127.0.0.25\n');
    // The client's own progress token (as the VS Code client sends it, for its notification with Cancel).
    const progress: { token: unknown; kind: string; message?: string }[] = [];
    c.connection.onNotification('$/progress', (p: { token: unknown; value: { kind: string; message?: string } }) => { progress.push({ token: p.token, ...p.value }); });
    const report = (await c.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'daneZone.checkLive', arguments: [uri, undefined, { timeoutMs: 10_000 }], workDoneToken: 'client-token-1',
    })) as string;
    assert.deepEqual([...new Set(progress.map((p) => p.token))], ['client-token-1'], 'progress on the client\'s token, none created by the server');
    assert.equal(progress[0].kind, 'begin');
    assert.ok(progress.some((p) => p.kind === 'report' && /^asking 127\.0\.0\.1:\d+ for the MX records of refused\.test$/.test(p.message ?? '')), JSON.stringify(progress));
    assert.equal(progress[progress.length - 1].kind, 'end');
    assert.match(report, /^COULD NOT CHECK: see the errors below/m);
    assert.doesNotMatch(report, /recvmsg|ECONNREFUSED/);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.equal(shown[0].type, 2, 'a warning');
    assert.match(shown[0].message, new RegExp(`^DANE Zone: could not check the deployed MX of refused\\.test: the MX lookup of refused\\.test failed: 127\\.0\\.0\\.1:${port}: nothing answers DNS there \\(connection refused\\): is the resolver address right, and is the resolver running\\?\\. The resolver asked was 127\\.0\\.0\\.1:${port} \\(daneZone\\.live\\.resolver\\): set daneZone\\.live\\.resolver to a validating resolver`));
    assert.doesNotMatch(shown[0].message, /recvmsg|ECONNREFUSED/);
  }, { resolver: `127.0.0.1:${port}` });
});

test('lab: live-cert-mismatch shows the presented key and offers the quick fix that publishes it (3 1 1); stale live diagnostics go at the next run\'s start', async () => {
  const l = needLab();
  await withServer(async (c) => {
    const uri = await open(c, l.zones['nomatch.test']);
    await run(c, [uri, undefined, FAST]);
    const ds = await c.diagnostics(uri, (d) => live(d).some((x) => x.code === 'live-cert-mismatch'));
    const mism = live(ds).filter((d) => d.code === 'live-cert-mismatch');
    assert.ok(mism.length >= 1);
    assert.equal(mism[0].message, `mx (127.0.0.25) presents a certificate that matches no record at _25._tcp.mx; its key is \`3 1 1 ${l.certs.tlsa.leaf311}\``);
    const actions = (await c.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: mism[0].range, context: { diagnostics: [mism[0]], only: ['quickfix'] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.title.startsWith('Publish the presented key'));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(fix!.title, `Publish the presented key: _25._tcp.mx TLSA 3 1 1 ${l.certs.tlsa.leaf311.slice(0, 16)}…`);
    const edits = fix!.edit!.documentChanges ? (fix!.edit!.documentChanges[0] as { edits: { range: unknown; newText: string }[] }).edits : fix!.edit!.changes![uri];
    const after = applyEdits(l.zones['nomatch.test'], edits as never);
    assert.ok(after.includes(`\n_25._tcp.mx IN TLSA 3 1 1 ${l.certs.tlsa.leaf311}\n`), after);
    assert.ok(after.includes(l.zones['nomatch.test'].trimEnd().split('\n')[5]), 'nothing the user wrote is removed');
    // A second run against a silent resolver, cancelled: the old squiggles are gone at its start.
    c.settings = { ...c.settings, live: { resolver: '127.0.0.1:9' } };
    const source = new CancellationTokenSource();
    const pending = c.connection.sendRequest(ExecuteCommandRequest.type, { command: 'daneZone.checkLive', arguments: [uri, undefined, FAST] }, source.token);
    await c.diagnostics(uri, (d) => live(d).length === 0);
    source.cancel();
    await pending.catch(() => undefined);
  }, { resolver: resolverOf(l) });
});

test('lab: the editor command gives the verdict and dane-live diagnostics for each new case (key types, two addresses, name servers out of sync, missing DS, address drift)', async () => {
  const l = needLab();
  await withServer(async (c) => {
    const cases: { zone: string; text?: string; verdict: RegExp; codes: string[]; message?: RegExp }[] = [
      { zone: 'multi.test', verdict: /^FAIL  mx\.multi\.test \(MX 10\): mx\.multi\.test \(127\.0\.0\.26\) presents an RSA certificate/m, codes: ['live-cert-mismatch'], message: /presents an RSA certificate that matches no record at _25\._tcp\.mx; its key is `3 1 1 [0-9a-f]{64}`/ },
      { zone: 'twoaddr.test', verdict: /^FAIL  mx\.twoaddr\.test \(MX 10\): mx\.twoaddr\.test \(127\.0\.0\.27\)/m, codes: ['live-cert-mismatch'], message: /^mx \(127\.0\.0\.27\) presents a certificate/ },
      { zone: 'split.test', verdict: /^FAIL  mx\.split\.test \(MX 10\): ns2\.split\.test \(127\.0\.0\.21\) still serves serial 1/m, codes: ['live-ns-stale'], message: /^name server ns2\.split\.test \(127\.0\.0\.21\) still serves serial 1 of split\.test \(others serve 2\) with the old TLSA/ },
      { zone: 'nods.parent.test', verdict: /^FAIL  mx\.nods\.parent\.test \(MX 10\): insecure/m, codes: ['live-tlsa-insecure'], message: /Why: nods\.parent\.test is signed .* but its parent parent\.test has no DS record for it/ },
      { zone: 'badds.parent.test', verdict: /^FAIL  mx\.badds\.parent\.test/m, codes: ['live-tlsa-bogus'], message: /Why: the DS at parent\.test for badds\.parent\.test .* matches none/ },
      { zone: 'good.test', text: l.zones['good.test'].replace('mx1 IN A 127.0.0.25', 'mx1 IN A 127.0.0.26'), verdict: /^FAIL  mx1\.good\.test \(MX 10\): the published addresses of mx1\.good\.test differ/m, codes: ['live-address-drift'], message: /^the world does not see this address: mx1 resolves to 127\.0\.0\.25/ },
      { zone: 'cname.test', verdict: /^PASS  mail\.cname\.test \(MX 10\)/m, codes: [] },
      { zone: 'ok.parent.test', verdict: /^PASS  mx\.ok\.parent\.test \(MX 10\): DANE in effect/m, codes: [] },
    ];
    for (const k of cases) {
      const text = k.text ?? l.zones[k.zone];
      const uri = await open(c, text);
      const report = (await run(c, [uri, undefined, FAST])) as string;
      assert.match(report, k.verdict, `${k.zone}:\n${report}`);
      await new Promise((r) => setTimeout(r, 150));
      const last = c.published.filter((p) => p.uri === uri).pop()!;
      const got = live(last.diagnostics);
      assert.deepEqual([...new Set(got.map((d) => d.code))], k.codes, `${k.zone}: ${JSON.stringify(got)}`);
      if (k.message) assert.ok(got.some((d) => k.message!.test(String(d.message))), `${k.zone}: ${got.map((d) => d.message).join('\n')}`);
    }
  }, { resolver: resolverOf(l) });
});

test('lab: the bogus report names the cause once (not the resolver\'s EDE four times) and no AAAA that does not exist', async () => {
  const l = needLab();
  await withServer(async (c) => {
    const uri = await open(c, l.zones['bogus.test']);
    const report = (await run(c, [uri, undefined, FAST])) as string;
    assert.ok((report.match(/EDE \d+/g) ?? []).length <= 1, report);
    assert.doesNotMatch(report, /the AAAA records of mx\.bogus\.test fail/);
    assert.match(report, /the address records of mx\.bogus\.test \(A 127\.0\.0\.25; the proof that mx\.bogus\.test has no AAAA records\) fail DNSSEC validation/);
    // The record sources are said in words, not [both].
    assert.doesNotMatch(report, /\[both\]/);
    assert.match(report, /\[published and in the file\]/);
  }, { resolver: resolverOf(l) });
});

function applyEdits(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const lines = text.split('\n');
  const off = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, x) => n + x.length + 1, 0) + p.character;
  return [...edits].sort((a, b) => off(b.range.start) - off(a.range.start)).reduce((t, e) => t.slice(0, off(e.range.start)) + e.newText + t.slice(off(e.range.end)), text);
}
