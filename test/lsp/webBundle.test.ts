import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * The Web Worker's bundle itself (dist/web/server.js, built here with `node scripts/bundle.js
 * --web`), run in a worker thread whose Node globals are removed (no process, Buffer,
 * setImmediate, require): what a browser's worker offers, plus WebCrypto. It must start, check a
 * zone, and read a linked certificate through the client's `daneZone/readFile`. (The real browser
 * runs it in the e2e suite: test/support/e2e/webSmoke.ts.)
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BUNDLE = path.join(ROOT, 'dist', 'web', 'server.js');
const FIXTURES = path.join(ROOT, 'test', 'e2e', 'fixtures');
const WS = 'vscode-remote://127.0.0.1:1/ws';

/** The worker's preamble: a `self` that posts to the parent; Node's globals gone; then the bundle. */
const PREAMBLE = `
const { parentPort } = require('node:worker_threads');
const src = require('node:fs').readFileSync(process.env.DANE_ZONE_BUNDLE, 'utf8');
globalThis.self = globalThis;
self.postMessage = (m) => parentPort.postMessage(m);
self.addEventListener = () => undefined;
parentPort.on('message', (data) => self.onmessage && self.onmessage({ data }));
for (const g of ['setImmediate', 'clearImmediate', 'Buffer', 'process', 'global']) delete globalThis[g];
(0, eval)(src);
`;

interface Message { id?: number; method?: string; params?: unknown; result?: unknown; error?: unknown }

test('dist/web/server.js builds within its budget, runs without Node globals, and reads a linked certificate through the client', async (t) => {
  const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle.js'), '--web'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, `bundle --web failed:\n${built.stdout}\n${built.stderr}`);
  assert.match(built.stdout, /dist\/web\/server\.js within its size budget/);

  const worker = new Worker(PREAMBLE, { eval: true, env: { DANE_ZONE_BUNDLE: BUNDLE }, stderr: true });
  t.after(() => worker.terminate());
  const errors: string[] = [];
  worker.on('error', (e) => errors.push(String(e)));
  const pending = new Map<number, (r: Message) => void>();
  const published: { uri: string; diagnostics: { code: string; range: unknown }[] }[] = [];
  const reads: string[] = [];
  let next = 1;
  const send = (m: Message) => worker.postMessage({ jsonrpc: '2.0', ...m });
  const request = (method: string, params: unknown) => new Promise<Message>((resolve) => {
    const id = next++;
    pending.set(id, resolve);
    send({ id, method, params });
  });
  const answer = (m: Message): unknown => {
    const p = m.params as { uri: string; items?: unknown[] };
    switch (m.method) {
      case 'daneZone/readFile': {
        reads.push(p.uri);
        const file = path.join(FIXTURES, p.uri.slice(WS.length));
        const data = fs.readFileSync(file);
        return { base64: data.toString('base64'), size: data.length, mtime: fs.statSync(file).mtimeMs };
      }
      case 'daneZone/stat': {
        const st = fs.statSync(path.join(FIXTURES, p.uri.slice(WS.length)));
        return { size: st.size, mtime: st.mtimeMs, directory: st.isDirectory() };
      }
      case 'workspace/configuration': return (p.items ?? []).map(() => ({}));
      default: return null;
    }
  };
  worker.on('message', (m: Message) => {
    if (m.id !== undefined && m.method === undefined) pending.get(m.id as number)?.(m);
    else if (m.id !== undefined) send({ id: m.id, result: answer(m) });
    else if (m.method === 'textDocument/publishDiagnostics') published.push(m.params as never);
  });

  const init = await request('initialize', {
    processId: null, rootUri: WS, workspaceFolders: [{ uri: WS, name: 'ws' }],
    capabilities: { workspace: { configuration: true } }, initializationOptions: { trusted: true },
  });
  assert.equal((init.result as { serverInfo: { name: string } }).serverInfo.name, 'dane-zone');
  send({ method: 'initialized', params: {} });
  const uri = `${WS}/e2e-certs.zone`;
  const text = fs.readFileSync(path.join(FIXTURES, 'e2e-certs.zone'), 'utf8');
  send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'dns-zone', version: 1, text } } });
  const line = text.split('\n').findIndex((l) => l.includes('next=certs/next.pub'));
  const col = text.split('\n')[line].indexOf('next=certs/next.pub');
  for (const until = Date.now() + 20_000; Date.now() < until;) {
    if (published.some((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'tlsa-cert-mismatch'))) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const last = published.filter((p) => p.uri === uri).pop();
  const mismatch = last?.diagnostics.find((d) => d.code === 'tlsa-cert-mismatch');
  assert.ok(mismatch, `no tlsa-cert-mismatch; published ${JSON.stringify(published.map((p) => p.diagnostics.map((d) => d.code)))}; worker errors ${errors.join(' | ')}`);
  assert.deepEqual(mismatch.range, { start: { line, character: col }, end: { line, character: col + 'next=certs/next.pub'.length } });
  assert.deepEqual(reads.sort(), [`${WS}/certs/mx1.pem`, `${WS}/certs/next.pub`]);
  assert.deepEqual(errors, []);
});
