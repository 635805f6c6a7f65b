/**
 * A large didOpen over `--stdio` whose text is decoded when first read (lsp/lazyOpen.ts; the
 * threshold lowered for the test): hovers written right behind it (answered from a decoded
 * start of the text while the first parse has not run: lsp/documents.ts earlyDocument,
 * lsp/features/hover.ts) and the publications say what a server reading the message whole
 * (DANE_ZONE_LAZY_OPEN=off) says, in an encoding where characters and UTF-16 units differ too;
 * also when they are answered from windows of the text that start at their line (lsp/earlyView.ts),
 * and with those off (DANE_ZONE_LAZY_WINDOW=off).
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

/** Hovers at the type, class and TTL of records on lines spread over `lines` (answered early), then 20 others. */
function positionsOf(text: string, lines: string[]): { positions: Position[]; early: number } {
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
  return { positions: [...early, ...later.slice(0, 20)], early: early.length };
}

async function compare(text: string, positions: Position[], early: number, servers: Record<string, Record<string, string>>): Promise<void> {
  for (const encoding of [undefined, 'utf-8']) {
    const whole = await session({ DANE_ZONE_LAZY_OPEN: 'off' }, text, positions, encoding);
    for (const [what, env] of Object.entries(servers)) {
      const lazy = await session(env, text, positions, encoding);
      assert.deepEqual(lazy.hovers, whole.hovers, `hovers (${what}, ${encoding ?? 'utf-16'})`);
      assert.ok(early > 200 && lazy.hovers.slice(0, early).every((h) => h !== null), `${early} answered early (${what})`);
      assert.deepEqual(lazy.published, whole.published);
      assert.doesNotMatch(lazy.stderr, /error/i);
    }
  }
}

test('hovers right behind a didOpen read lazily, and its diagnostics, are those of a server that reads it whole', async () => {
  // (a zone with non-ASCII comments and TXT data, long enough for starts of it to be decoded)
  const lines = zone(7, 30000, 0.01, { more: true }).split('\n').map((l, i) => (i % 41 === 5 ? `${l} ; é 名 😀` : l));
  const text = lines.join('\n') + '\n';
  const { positions, early } = positionsOf(text, lines);
  await compare(text, positions, early, { lazy: { DANE_ZONE_LAZY_OPEN_MIN: '100000' } });
});

test('hovers right behind a didOpen answered from windows of its text are those of a server that reads it whole', async () => {
  // (parentheses at the top only, quotes, comments, non-ASCII text, a backslash 3/4 on: windows until it)
  const lines = ['$ORIGIN example.', '$TTL 3600', '@ IN SOA ns1 hostmaster ( 1 7200', '\t3600 1209600 300 ) ; x', '\tIN\tNS\tns1'];
  for (let i = 0; lines.length < 30000; i++) {
    lines.push([`h${i}\t300\tIN\tA\t10.0.${i & 255}.1`, `\tIN\tAAAA\t2001:db8::${i.toString(16)}`, `t${i}\tTXT\t"v=spf1" "é 名 😀 ${i}" ; c`,
      `; comment ${i}`, `k${i}\t60\tCH\tTLSA\t3 1 1 ${'ab'.repeat(8)}`, `\tMX\t10 mail${i}`][i % 6]);
    if (i === 22000) lines.push('e1 A 10.0.0.\\');
  }
  const text = lines.join('\n') + '\n';
  const { positions, early } = positionsOf(text, lines);
  await compare(text, positions, early, { windows: { DANE_ZONE_LAZY_OPEN_MIN: '100000' }, 'windows off': { DANE_ZONE_LAZY_OPEN_MIN: '100000', DANE_ZONE_LAZY_WINDOW: 'off' } });
});
