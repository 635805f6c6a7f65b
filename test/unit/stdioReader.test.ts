/**
 * The server's stdio message reader (lsp/stdioReader.ts) reads what vscode-jsonrpc's
 * StreamMessageReader reads: the same messages from the same bytes however they are cut into
 * chunks (ASCII and UTF-8 bodies, a UTF-8 character split between chunks, bodies held in one
 * buffer or in pieces), and the same errors (no Content-Length, bad JSON) after which reading
 * goes on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import fc from 'fast-check';
import { Message, StreamMessageReader } from 'vscode-languageserver/node';
import { contentLength, StdioMessageReader, wantsStdio } from '../../server/src/lsp/stdioReader';
import { flushed } from '../../server/src/lsp/diagnostics';
import { lazyTextOf } from '../../server/src/lsp/lazyText';

const seed = Number(process.env.DANE_ZONE_FC_SEED ?? 1313);

const frame = (body: string | Buffer, header?: string) => {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([Buffer.from(header ?? `Content-Length: ${b.length}\r\n\r\n`, 'ascii'), b]);
};

/** What a reader delivers from `wire` cut at `cuts` (messages, and error messages). */
async function read(make: (s: NodeJS.ReadableStream) => { listen(cb: (m: Message) => void): unknown; onError: (l: (e: Error) => void) => unknown }, wire: Buffer, cuts: number[]) {
  const stream = new EventEmitter() as EventEmitter & NodeJS.ReadableStream;
  const reader = make(stream);
  const got: unknown[] = [];
  reader.onError((e) => got.push({ error: e.message.split('\n')[0] }));
  reader.listen((m) => got.push(m));
  let at = 0;
  for (const c of [...cuts.filter((x) => x > 0 && x < wire.length)].sort((a, b) => a - b).concat(wire.length)) {
    if (c > at) stream.emit('data', wire.subarray(at, c));
    at = Math.max(at, c);
  }
  // (StreamMessageReader decodes asynchronously)
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  return got;
}

const messages = [
  { jsonrpc: '2.0', id: 1, method: 'initialize', params: { capabilities: {} } },
  { jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///z.zone', languageId: 'dns-zone', version: 1, text: '$ORIGIN example.\n@ 60 IN TXT "v=spf1 -all"\t; ok\r\nwww A 192.0.2.1\n' } } },
  { jsonrpc: '2.0', method: 'textDocument/didChange', params: { contentChanges: [{ text: 'ünïcödé → 名前 😀 \\"' }] } },
  { jsonrpc: '2.0', id: 2, method: 'textDocument/hover', params: { position: { line: 1, character: 2 } } },
];
const wire = Buffer.concat(messages.map((m) => frame(JSON.stringify(m))));

test('the same messages as StreamMessageReader, whatever the chunks (ASCII and UTF-8 bodies, one buffer or pieces, a didOpen\'s text read lazily or not)', async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.nat({ max: wire.length }), { maxLength: 40 }), fc.boolean(), fc.boolean(), async (cuts, pieces, lazy) => {
    const ours = await read((s) => new StdioMessageReader(s, pieces ? 16 : undefined, undefined, lazy ? 50 : undefined), wire, cuts);
    // (lsp/lazyOpen.ts: the didOpen's text a getter, read here by the comparisons)
    assert.equal(lazyTextOf((ours[1] as typeof messages[1]).params!.textDocument!) !== undefined, lazy);
    assert.deepEqual(ours, messages);
    assert.equal(JSON.stringify(ours), JSON.stringify(messages));
    const theirs = await read((s) => new StreamMessageReader(s), wire, cuts);
    assert.deepEqual(ours, theirs);
  }), { seed, numRuns: 150 });
});

test('one byte at a time, and a UTF-8 character cut between chunks', async () => {
  const cuts = Array.from({ length: wire.length }, (_, i) => i);
  assert.deepEqual(await read((s) => new StdioMessageReader(s), wire, cuts), messages);
  const utf8 = frame(JSON.stringify({ jsonrpc: '2.0', method: 'x', params: '😀' }));
  const inside = utf8.indexOf(Buffer.from('😀')) + 2;
  assert.deepEqual(await read((s) => new StdioMessageReader(s), utf8, [inside]), [{ jsonrpc: '2.0', method: 'x', params: '😀' }]);
});

test('a header without Content-Length and a body that is not JSON are reported, and reading goes on', async () => {
  const ok = { jsonrpc: '2.0', method: 'ok' };
  const bad = Buffer.concat([
    Buffer.from('Content-Type: application/vscode-jsonrpc\r\n\r\n'),
    frame('{"jsonrpc": "2.0", "method": '),
    frame(JSON.stringify(ok)),
    frame(''),
    frame(JSON.stringify(ok), `content-length:${Buffer.byteLength(JSON.stringify(ok))}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n`),
  ]);
  for (const cuts of [[], [3, 50, 51, 90]]) {
    const got = await read((s) => new StdioMessageReader(s), bad, cuts);
    assert.deepEqual(got.map((g) => ('error' in (g as object) ? 'error' : (g as { method: string }).method)), ['error', 'error', 'ok', 'error', 'ok'], JSON.stringify(got));
    assert.match((got[0] as { error: string }).error, /Content-Length/);
  }
});

test('Content-Length parsing and the transport the command line asks for', () => {
  assert.equal(contentLength('Content-Length: 12'), 12);
  assert.equal(contentLength('content-length:7\r\nContent-Type: x'), 7);
  assert.match(String(contentLength('Content-Type: x')), /must provide a Content-Length/);
  assert.match(String(contentLength('Content-Length: x')), /must be a number/);
  assert.match(String(contentLength('nonsense')), /separate key and value/);
  assert.equal(wantsStdio(['--stdio']), true);
  assert.equal(wantsStdio(['lsp', '--stdio']), true);
  assert.equal(wantsStdio(['--node-ipc', '--stdio']), false);
  assert.equal(wantsStdio(['--socket=5000']), false);
  assert.equal(wantsStdio(['--pipe', 'x']), false);
  assert.equal(wantsStdio([]), false);
});

test('stage 2 waits for the first publication to be written, or not at all for one that is never written', async () => {
  let written = false;
  await flushed(new Promise<void>((r) => setTimeout(() => { written = true; r(); }, 5)));
  assert.equal(written, true);
  await flushed(new Promise<void>(() => { /* a client that does not read */ }));
});

/**
 * A child process reading its stdin (a socket pair, as Node and libuv clients make it, or a
 * pipe, as Emacs and Vim do) with the reader given the descriptor: large bodies are read in
 * bursts, interleaved with the stream's own reads; a writer that stops in the middle of a body
 * (the burst goes back to the event loop) and messages right behind a large one.
 */
async function readInChild(shell: boolean, chunks: { data: Buffer; pauseMs?: number }[], lazy = false): Promise<string[]> {
  const reader = path.join(__dirname, '..', '..', 'server', 'src', 'lsp', 'stdioReader.js');
  const script = `const { StdioMessageReader } = require(${JSON.stringify(reader)});
    const { createHash } = require('node:crypto');
    const r = new StdioMessageReader(process.stdin, undefined, 0, ${lazy ? 1000 : undefined});
    const out = (s) => process.stdout.write(s + '\\n');
    r.onError((e) => out('error'));
    r.listen((m) => out(createHash('sha1').update(JSON.stringify(m)).digest('hex')));
    process.stdin.on('end', () => out('burst ' + (r.burstBytes > 0) + ' ' + Error.stackTraceLimit));`;
  const child = shell
    ? spawn('sh', ['-c', `cat | "${process.execPath}" -e "$DZ_SCRIPT"`], { env: { ...process.env, DZ_SCRIPT: script }, stdio: ['pipe', 'pipe', 'inherit'] })
    : spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (d) => { output += d; });
  const exited = new Promise((r) => child.on('exit', r));
  for (const c of chunks) {
    if (!child.stdin!.write(c.data)) await new Promise((r) => child.stdin!.once('drain', r));
    if (c.pauseMs) await new Promise((r) => setTimeout(r, c.pauseMs));
  }
  child.stdin!.end();
  await exited;
  return output.trim().split('\n');
}

test('large bodies read in bursts from a socket pair and from a pipe: the same messages, in order', async () => {
  const big = (n: number, seed: number) => {
    let s = '';
    for (let i = 0; s.length < n; i++) s += `host${(i * seed) % 9973}\t3600\tIN\tTXT\t"v=spf1 é 名 😀 \\\\ ${i}"\n`;
    return { jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: `file:///${seed}.zone`, languageId: 'dns-zone', version: 1, text: s } } };
  };
  const hover = { jsonrpc: '2.0', id: 7, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///1.zone' }, position: { line: 3, character: 9 } } };
  const list = [messages[0], big(3_000_000, 1), hover, big(1_500_000, 7), messages[2], big(2_000_000, 3), hover];
  const frames = list.map((m) => frame(JSON.stringify(m)));
  const sha = (m: unknown) => createHash('sha1').update(JSON.stringify(m)).digest('hex');
  // (and the stack-trace limit the bursts lower while they read is back: Node's default, 10)
  const expected = [...list.map(sha), 'burst true 10'];
  // Written whole, and cut with pauses in the middle of bodies and headers.
  const whole = frames.map((data) => ({ data }));
  const all = Buffer.concat(frames);
  const cut: { data: Buffer; pauseMs?: number }[] = [];
  for (let at = 0, i = 0; at < all.length; i++) {
    const n = [100, 700_000, 37, 1_300_000, 65_536][i % 5];
    cut.push({ data: all.subarray(at, at + n), pauseMs: i % 3 === 0 ? 30 : undefined });
    at += n;
  }
  for (const shell of [false, true]) {
    assert.deepEqual(await readInChild(shell, whole), expected, `whole, ${shell ? 'pipe' : 'socket pair'}`);
    assert.deepEqual(await readInChild(shell, cut), expected, `cut, ${shell ? 'pipe' : 'socket pair'}`);
    // The didOpens' texts read lazily (lsp/lazyOpen.ts), decoded when the message is hashed.
    assert.deepEqual(await readInChild(shell, cut, true), expected, `cut, lazily, ${shell ? 'pipe' : 'socket pair'}`);
  }
});

test('a burst gives the event loop back while the writer stops in the middle of a body', async () => {
  const reader = path.join(__dirname, '..', '..', 'server', 'src', 'lsp', 'stdioReader.js');
  const script = `const { StdioMessageReader } = require(${JSON.stringify(reader)});
    const r = new StdioMessageReader(process.stdin, undefined, 0);
    r.listen((m) => process.stdout.write('message ' + m.params.length + '\\n'));
    setInterval(() => process.stdout.write('tick\\n'), 10).unref();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (d) => { output += d; });
  const wire = frame(JSON.stringify({ jsonrpc: '2.0', method: 'x', params: 'a'.repeat(3_000_000) }));
  const half = 1_500_000;
  await new Promise((r) => child.stdin!.write(wire.subarray(0, half), r));
  await new Promise((r) => setTimeout(r, 300));
  const ticks = output.split('\n').filter((l) => l === 'tick').length;
  assert.ok(ticks >= 5, `the event loop ran during the stall (${ticks} ticks)`);
  child.stdin!.end(wire.subarray(half));
  await new Promise((r) => child.on('exit', r));
  assert.match(output, /message 3000000\n/);
});
