/**
 * Opening a large document with the worker thread's help (lsp/openHelper.ts, lsp/openWorker.ts,
 * core/documentOpening.ts, lsp/opening.ts): the server publishes, for the version opened, what a
 * server without the worker publishes; the first publication was made with the worker's part
 * (checked by changing a diagnostic of that part on its way: the first publication shows it, the
 * last is right again; the first pass is held until the worker has answered, so the order does
 * not depend on the machine's speed). Both servers run in this process over
 * in-memory streams, the worker as a real thread. Only contents and order are asserted.
 * Without a worker, a large document's first publication comes from the first pass
 * (core/documentOpening.ts FirstPass: checked by holding the document's own parse until it has
 * arrived) and equals what a server that opens it in one parse publishes.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import {
  ConfigurationRequest, createConnection, createProtocolConnection, DidOpenTextDocumentNotification, HoverRequest,
  InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, PublishDiagnosticsParams, StreamMessageReader, StreamMessageWriter,
} from 'vscode-languageserver/node';
import { AnalyzedDocument, fullReparseAnalyzer, incrementalAnalyzer, ZoneAnalyzer } from '../../server/src/lsp/analyzer';
import { startServer } from '../../server/src/lsp/languageServer';
import { nodeServerHost } from '../../server/src/node/serverHost';
import { OpeningHelper } from '../../server/src/lsp/diagnostics';
import { firstPass } from '../../server/src/lsp/opening';
import { WorkerOpeningHelper } from '../../server/src/lsp/openHelper';

/** The incremental analyzer; a sliced open takes no slice before `go()`. */
function watching(go: () => boolean): ZoneAnalyzer {
  return {
    name: 'watching',
    open(text, options, sliced) {
      const d = incrementalAnalyzer.open(text, options, sliced);
      const doc: AnalyzedDocument = {
        update: (edits, t) => d.update(edits, t),
        get parsed() { return d.parsed; },
        syntaxDiagnostics: () => d.syntaxDiagnostics(),
        zoneDiagnostics: () => d.zoneDiagnostics(),
        zoneStep: () => d.zoneStep!(),
        daneDirectives: () => d.daneDirectives!(),
        hasApexType: (t) => d.hasApexType!(t),
        openStep: () => (go() ? d.openStep!() : false),
        get isOpening() { return d.isOpening; },
      };
      return doc;
    },
  };
}

async function server(settings: Record<string, unknown>, analyzer?: ZoneAnalyzer, openingHelper?: OpeningHelper) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startServer({ host: nodeServerHost(), connection: createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), analyzer, openingHelper });
  const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const published: PublishDiagnosticsParams[] = [];
  client.onNotification(PublishDiagnosticsNotification.type, (p) => { published.push(p); });
  client.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => settings));
  client.listen();
  await client.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true } } } });
  await client.sendNotification(InitializedNotification.type, {});
  return { client, published };
}

/** ~45,000 entries (three slices of the open; the worker's part starts in the second), with errors of several kinds and a `disable=` comment. */
function bigZone(): string {
  const lines = ['$ORIGIN big.example.', '$TTL 3600', '@ IN SOA ns1 hostmaster ( 1 7200', '\t3600 1209600 300 )', '\tIN\tNS\tns1', 'ns1 A 192.0.2.1'];
  for (let i = 0; lines.length < 60_000; i++) {
    lines.push(`h${i}\t300\tIN\tA\t10.0.${i & 255}.${(i >> 8) & 255}`, `\tIN\tTXT\t"v=spf1 ; ( a" "x${i}"`, `\tMX\t( 10`, `\t\tmail${i} )`);
    if (i % 997 === 0) lines.push(`bad${i}\tA\t999.1.1.1`, `x${i}\t99999999999\tA\t10.1.1.1`, `q${i} TXT "open`);
    if (i % 1499 === 0) lines.push('; dane-zone disable=invalid-rdata', `off${i} A 10.0.0.\\`);
  }
  return lines.join('\n') + '\n';
}

type Session = Awaited<ReturnType<typeof server>>;

/** Opens `text` in both servers; a type hover in `first` while it opens is answered (it needs no parse). */
async function openBoth(first: Session, other: Session, uri: string, text: string): Promise<void> {
  for (const s of [first, other]) await s.client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dns-zone', version: 1, text } });
  const line = text.split('\n').findIndex((l, n) => n > 20_000 && l.startsWith('h'));
  const hover = await first.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: text.split('\n')[line].indexOf('\tA\t') + 1 } });
  assert.ok(hover, 'a hover during the open is answered');
}

/** The publications once none came for half a second. */
async function settled(s: Session): Promise<PublishDiagnosticsParams[]> {
  for (let quiet = 0; quiet < 20;) {
    const n = s.published.length;
    await new Promise((r) => setTimeout(r, 25));
    quiet = s.published.length === n && n > 0 ? quiet + 1 : 0;
  }
  return s.published;
}

const helper = new WorkerOpeningHelper(0, 0.55, undefined, 0, true); // (the next thread at once after a job: the second open gets one too; whatever the load)
after(() => helper.dispose());

test("a large document opened with the worker thread's help publishes what the server alone publishes, the first publication made with the worker's part", async () => {
  const text = bigZone();
  const uri = 'file:///open/big.zone';
  let arrived = false;
  let tamper = false;
  const counted: OpeningHelper = {
    fraction: helper.fraction,
    wants: (n) => helper.wants(n),
    tail: (t, o) => helper.tail(t, o)?.then((tail) => {
      assert.ok(tail, 'the worker answered with its part');
      arrived = true;
      // (a part changed on its way: then the first publication shows it was used, and the document's parse corrects it)
      assert.ok(tail.diagnostics.length > 0, 'the worker found diagnostics in its part');
      if (tamper) tail.diagnostics[0] = { ...tail.diagnostics[0], message: 'changed on its way' };
      return tail;
    }),
  };
  const held = firstPass.held;
  try {
    for (const settings of [{ diagnosticsDelay: 0 }, { diagnosticsDelay: 0, severity: { 'invalid-ttl': 'hint', 'unterminated-string': 'off' } }]) {
      for (tamper of [false, true]) {
        // (the first pass held until the worker has answered, so the order does not depend on the machine's speed; a bound)
        arrived = false;
        const t0 = Date.now();
        firstPass.held = () => !arrived && Date.now() - t0 < 30_000;
        const helped = await server(settings, undefined, counted);
        const alone = await server(settings);
        // (a hover while the open waits for the worker)
        await openBoth(helped, alone, uri, text);
        const [a, b] = [await settled(helped), await settled(alone)];
        assert.ok(arrived, 'the worker answered');
        assert.ok(a[0].diagnostics.length > 10, `${a[0].diagnostics.length} diagnostics`);
        if (tamper) assert.ok(a[0].diagnostics.some((d) => d.message === 'changed on its way'), "the first publication was made with the worker's part");
        else assert.deepEqual(a[0], b[0], 'the first publication');
        assert.deepEqual(a[a.length - 1], b[b.length - 1], 'the last publication');
      }
    }
  } finally {
    firstPass.held = held;
  }
});

test('a large document opened without a worker publishes first from the first pass, then what a server opening it in one parse publishes', async () => {
  const text = bigZone();
  const uri = 'file:///open/first.zone';
  const minLength = firstPass.minLength;
  firstPass.minLength = 0;
  try {
    for (const settings of [{ diagnosticsDelay: 0 }, { diagnosticsDelay: 0, severity: { 'invalid-ttl': 'hint', 'unterminated-string': 'off' } }]) {
      // (the document's parse held until the first publication has arrived; a bound, so a server that waits for it fails, not hangs)
      let held = 0;
      let published: unknown[] = [];
      const passed = await server(settings, watching(() => ++held > 200_000 || published.length > 0));
      published = passed.published;
      // (the reference: a model that parses the document at once, so no first pass)
      const alone = await server(settings, fullReparseAnalyzer);
      await openBoth(passed, alone, uri, text);
      const [a, b] = [await settled(passed), await settled(alone)];
      assert.ok(held <= 200_000, 'the first publication came before the document was parsed');
      assert.ok(a[0].diagnostics.length > 10, `${a[0].diagnostics.length} diagnostics`);
      assert.deepEqual(a[0], b[0], 'the first publication');
      assert.deepEqual(a[a.length - 1], b[b.length - 1], 'the last publication');
    }
  } finally {
    firstPass.minLength = minLength;
  }
});
