/**
 * A large didOpen over `--stdio` whose text is decoded when first read (lsp/lazyOpen.ts; the
 * threshold lowered for the test): hovers written right behind it (answered from a decoded
 * start of the text while the first parse has not run: lsp/documents.ts earlyDocument,
 * lsp/features/hover.ts) and the publications say what a server reading the message whole
 * (DANE_ZONE_LAZY_OPEN=off) says, in an encoding where characters and UTF-16 units differ too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigurationRequest, HoverRequest, Position } from 'vscode-languageserver/node';
import { TestClient } from '../support/lspClient';
import { zone } from '../support/seededZones';
import { earlyHover } from '../../server/src/core/documentEarly';

const URI = 'file:///lazy/big.zone';

async function session(env: Record<string, string>, text: string, positions: Position[], encoding?: string) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let client: TestClient;
  try {
    client = await TestClient.start(encoding ? { capabilities: { general: { positionEncodings: [encoding] } } } : {});
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
  }
  // The document's settings answered once the hovers are: all are asked before the first parse
  // (which waits for them), as the one the bench writes right behind its didOpen is.
  let answered!: () => void;
  const gate = new Promise<void>((r) => { answered = r; });
  client.connection.onRequest(ConfigurationRequest.type, async (p) => { await gate; return p.items.map(() => null); });
  // (the hovers written right behind the didOpen, before any answer)
  void client.open(URI, text);
  const hovers = await Promise.all(positions.map((position) => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position })));
  answered();
  const published = await client.diagnostics(URI, () => true, 60_000);
  await client.stop();
  return { hovers, published, stderr: client.stderr };
}

test('hovers right behind a didOpen read lazily, and its diagnostics, are those of a server that reads it whole', async () => {
  // (a zone with non-ASCII comments and TXT data, long enough for starts of it to be decoded)
  const lines = zone(7, 30000, 0.01, { more: true }).split('\n').map((l, i) => (i % 41 === 5 ? `${l} ; é 名 😀` : l));
  const text = lines.join('\n') + '\n';
  // Hovers a start of the text can answer (a record's type, class or TTL) first: any other waits
  // for the whole parse, and then those after it are answered from the parse.
  const early: Position[] = [];
  const later: Position[] = [];
  let at = 0;
  for (let line = 0; line < lines.length; at += lines[line].length + 1, line++) {
    if (line % 97 !== 3) continue;
    for (const character of [0, 1, 3, 6, 9, 12, 16, 200]) {
      const offset = at + Math.min(character, lines[line].length);
      (earlyHover(text, offset, { fileName: '/lazy/big.zone' }) ? early : later).push({ line, character });
    }
  }
  const positions = [...early, ...later.slice(0, 20)];
  for (const encoding of [undefined, 'utf-8']) {
    const lazy = await session({ DANE_ZONE_LAZY_OPEN_MIN: '100000' }, text, positions, encoding);
    const whole = await session({ DANE_ZONE_LAZY_OPEN: 'off' }, text, positions, encoding);
    assert.deepEqual(lazy.hovers, whole.hovers, `hovers (${encoding ?? 'utf-16'})`);
    assert.ok(early.length > 200 && lazy.hovers.slice(0, early.length).every((h) => h !== null), `${early.length} answered early`);
    assert.deepEqual(lazy.published, whole.published);
    assert.doesNotMatch(lazy.stderr, /error/i);
  }
});
