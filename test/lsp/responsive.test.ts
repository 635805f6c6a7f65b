/**
 * The server stays responsive while it analyses (issue 13): the zone-wide stage runs in slices
 * and yields to the event loop between them, so a hover sent while it is pending is answered
 * before it ends, and a newer edit ends the older version's run. An injected analyzer makes each
 * slice slow (a busy wait) and counts them; the server runs in this process over in-memory
 * streams. Only the order of events is asserted, no timings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import {
  ConfigurationRequest, createConnection, createProtocolConnection, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification,
  HoverRequest, InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, PublishDiagnosticsParams,
  StreamMessageReader, StreamMessageWriter,
} from 'vscode-languageserver/node';
import { AnalyzedDocument, incrementalAnalyzer, ZoneAnalyzer } from '../../server/src/lsp/analyzer';
import { startServer } from '../../server/src/lsp/languageServer';
import { nodeServerHost } from '../../server/src/node/serverHost';
import { incrementalDane } from '../../server/src/core/dane/incremental';
import { slicing } from '../../server/src/core/work';

const SLOW_STEPS = 40;

function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) { /* a slow slice */ }
}

/** The incremental analyzer, with SLOW_STEPS slow slices of stage 2 after opening and after each update. */
function slowAnalyzer(counter: { steps: number; versionsStarted: number }): ZoneAnalyzer {
  return {
    name: 'slow',
    open(text, options) {
      const d = incrementalAnalyzer.open(text, options);
      let left = SLOW_STEPS;
      counter.versionsStarted++;
      const doc: AnalyzedDocument = {
        update: (edits, t) => { d.update(edits, t); left = SLOW_STEPS; counter.versionsStarted++; },
        get parsed() { return d.parsed; },
        syntaxDiagnostics: () => d.syntaxDiagnostics(),
        zoneDiagnostics: () => d.zoneDiagnostics(),
        daneDirectives: () => d.daneDirectives!(),
        hasApexType: (t) => d.hasApexType!(t),
        zoneStep: () => {
          if (left > 0) { left--; counter.steps++; busy(20); return false; }
          return d.zoneStep!();
        },
      };
      return doc;
    },
  };
}

/** While set, the client holds its answers to workspace/configuration (the server's diagnostics wait for settings). */
let configGate: Promise<void> | undefined;

type Session = { client: ReturnType<typeof createProtocolConnection>; published: PublishDiagnosticsParams[]; counter: { steps: number; versionsStarted: number } };
let shared: Promise<Session> | undefined;

/**
 * One server for the file (closing its input would end this process, as a real server exits
 * when its client goes): each test opens its own document, and the counters start again.
 */
async function session(body: (c: Session['client'], published: PublishDiagnosticsParams[], counter: Session['counter']) => Promise<void>): Promise<void> {
  const s = await (shared ??= start());
  s.published.length = 0;
  s.counter.steps = 0;
  await body(s.client, s.published, s.counter);
}

async function start(): Promise<Session> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const counter = { steps: 0, versionsStarted: 0 };
  const server = startServer({ host: nodeServerHost(), connection: createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), analyzer: slowAnalyzer(counter) });
  const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const published: PublishDiagnosticsParams[] = [];
  client.onNotification(PublishDiagnosticsNotification.type, (p) => { published.push(p); });
  client.onRequest(ConfigurationRequest.type, async (p) => { await configGate; return p.items.map(() => ({ diagnosticsDelay: 0 })); });
  client.listen();
  await client.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } } });
  await client.sendNotification(InitializedNotification.type, {});
  void server;
  return { client, published, counter };
}

const until = async (ok: () => boolean) => { while (!ok()) await new Promise((r) => setTimeout(r, 5)); };
let n = 0;
const nextUri = () => `file:///responsive/example${++n}.zone`;
const text = '$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\nmail A 192.0.2.2\nmail A 192.0.2.2\n';

test('a hover sent while the zone-wide stage runs is answered before that stage publishes', async () => {
  await session(async (client, published, counter) => {
    const uri = nextUri();
    await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dns-zone', version: 1, text } });
    // Stage 1 (syntax) is out; stage 2 (duplicate-record) is under way.
    await until(() => published.length >= 1 && counter.steps >= 1);
    assert.ok(!published.some((p) => p.diagnostics.some((d) => d.code === 'duplicate-record')));
    const hover = await client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 5, character: 6 } });
    const stepsAtHover = counter.steps;
    const hadZone = published.some((p) => p.diagnostics.some((d) => d.code === 'duplicate-record'));
    assert.ok(hover, 'the hover has an answer');
    assert.ok(stepsAtHover < SLOW_STEPS, `the hover came after ${stepsAtHover} of ${SLOW_STEPS} slow slices`);
    assert.equal(hadZone, false, 'the zone-wide diagnostics were not published before the hover was answered');
    await until(() => published.some((p) => p.diagnostics.some((d) => d.code === 'duplicate-record')));
  });
});

test('a hover sent before the first parse: on a type, class or TTL it is answered from its record alone, as after the parse; on an owner it waits for the parse', async () => {
  await session(async (client, published, counter) => {
    let release!: () => void;
    configGate = new Promise((r) => { release = r; });
    try {
      const uri = nextUri();
      const started = counter.versionsStarted;
      await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dns-zone', version: 1, text } });
      // `ns A 192.0.2.1` (line 4): the type, then the owner. `$TTL 300` … `@ SOA`: the class-less SOA's type.
      const at = (line: number, character: number) => client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
      const type = await at(4, 3);
      const soa = await at(2, 3);
      assert.equal(counter.versionsStarted, started, 'no parse yet: the diagnostics wait for the settings');
      assert.match(JSON.stringify(type?.contents), /IPv4/);
      const owner = await at(4, 0);
      assert.ok(owner, 'the owner hover has an answer');
      assert.equal(counter.versionsStarted, started + 1, 'the owner hover waited for the parse');
      release();
      await until(() => published.some((p) => p.diagnostics.some((d) => d.code === 'duplicate-record')));
      assert.deepEqual(await at(4, 3), type);
      assert.deepEqual(await at(2, 3), soa);
    } finally {
      release();
      configGate = undefined;
    }
  });
});

test('an edit while the zone-wide stage runs: the older version\'s zone-wide results are never published, the newer version\'s are', async () => {
  await session(async (client, published, counter) => {
    const uri = nextUri();
    await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dns-zone', version: 1, text } });
    await until(() => counter.steps >= 2);
    assert.ok(counter.steps < SLOW_STEPS, 'version 1 is in its zone-wide stage');
    // Remove the duplicate (the last line) while version 1's stage 2 is under way.
    await client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 6, character: 0 }, end: { line: 7, character: 0 } }, text: '' }] });
    const before = counter.steps;
    await until(() => counter.steps >= before + SLOW_STEPS && published.some((p) => p.version === 2));
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!published.some((p) => p.version === 1 && p.diagnostics.some((d) => d.code === 'duplicate-record')), 'version 1 never got its zone-wide diagnostics');
    const last = published[published.length - 1];
    assert.equal(last.version, 2);
    assert.ok(!last.diagnostics.some((d) => d.code === 'duplicate-record'));
  });
});

/**
 * The DANE stage's full run, wrapped: counts its slices and, while `hold` is set, stays between
 * two of them (the real run's slices continue when it is cleared). With a slice of one item.
 */
function holdingDane<T>(body: (probe: { started: number; slices: number; finished: number; hold: boolean }) => Promise<T>): Promise<T> {
  const original = incrementalDane.fullSteps!;
  const probe = { started: 0, slices: 0, finished: 0, hold: true };
  incrementalDane.fullSteps = function* (view, options, slice) {
    probe.started++;
    const g = original(view, options, slice);
    for (;;) {
      const r = g.next();
      if (r.done) { probe.finished++; return r.value; }
      probe.slices++;
      do yield; while (probe.hold && probe.slices >= 3);
    }
  };
  const items = slicing.items;
  slicing.items = 1;
  return body(probe).finally(() => { incrementalDane.fullSteps = original; slicing.items = items; });
}

/** 40 mail hosts with one TLSA record each (tlsa-single-record, the DANE stage's). */
const daneText = ['$ORIGIN example.', '$TTL 300', '; dane-zone dnssec=inline', '@ SOA ns hm 1 2 3 4 5', '@ NS ns', 'ns A 192.0.2.1',
  ...Array.from({ length: 40 }, (_, i) => `d${i} MX 10 mail${i}\nmail${i} A 10.0.0.${i}\n_25._tcp.mail${i} TLSA 3 1 1 ${'ab'.repeat(32)}`)].join('\n') + '\n';
const hasDane = (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => d.code === 'tlsa-single-record');

test('a hover sent while the DANE stage runs in full is answered between two of its slices, before its diagnostics are published', async () => {
  await holdingDane(async (probe) => {
    await session(async (client, published) => {
      const uri = nextUri();
      await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dns-zone', version: 1, text: daneText } });
      await until(() => probe.slices >= 3);
      const hover = await client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 8, character: 12 } });
      assert.ok(hover, 'the hover has an answer');
      assert.equal(probe.finished, 0, 'the DANE stage was still under way');
      assert.ok(!published.some(hasDane), 'its diagnostics were not published yet');
      probe.hold = false;
      await until(() => published.some(hasDane));
      assert.equal(probe.started, 1);
      assert.ok(probe.slices > 40, `${probe.slices} slices`);
    });
  });
});

test('an edit while the DANE stage runs in full: that run is dropped, and only the new version gets DANE diagnostics', async () => {
  await holdingDane(async (probe) => {
    await session(async (client, published) => {
      const uri = nextUri();
      await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dns-zone', version: 1, text: daneText } });
      await until(() => probe.slices >= 3);
      // A second TLSA record at mail0 (line 8): tlsa-single-record goes there.
      await client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: `_25._tcp.mail0 TLSA 3 1 1 ${'cd'.repeat(32)}\n` }] });
      await until(() => probe.started >= 2);
      probe.hold = false;
      await until(() => published.some((p) => p.version === 2 && hasDane(p)));
      assert.equal(probe.finished, 1, 'version 1\'s run never ended');
      assert.ok(!published.some((p) => p.version === 1 && hasDane(p)), 'no DANE diagnostics were published for version 1');
      const last = published.filter((p) => p.version === 2 && hasDane(p)).pop()!;
      const single = last.diagnostics.filter((d) => d.code === 'tlsa-single-record').map((d) => d.range.start.line);
      assert.equal(single.length, 39);
      assert.ok(!single.includes(8) && !single.includes(9), 'mail0 has two records now');
    });
  });
});
