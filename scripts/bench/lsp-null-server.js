#!/usr/bin/env node
// The transport's share of a hover's wait, for the benchmark: a language server that reads its
// messages exactly as dane-zone's `--stdio` transport does (lsp/stdioReader.ts: bursts, a large
// didOpen's text decoded only when read, which this server never does) and does nothing else:
// `initialize` says it hovers, every hover is answered null at once, notifications are dropped.
// A hover written right behind a 54 MB didOpen waits here for the didOpen's bytes to cross the
// socket and little more: what any server on this transport waits before it can answer.
// Usage: node scripts/bench/lsp-null-server.js --stdio (run by scripts/bench/lsp.js).
'use strict';
const path = require('node:path');
const out = path.join(__dirname, '..', '..', 'out', 'server', 'src', 'lsp');
const { stdioConnection } = require(path.join(out, 'stdioReader.js'));

const made = stdioConnection();
if (!made) {
  console.error('usage: lsp-null-server.js --stdio');
  process.exit(2);
}
const { connection, shutdownReceived } = made;
connection.onInitialize(() => ({ capabilities: { textDocumentSync: 1, hoverProvider: true } }));
connection.onHover(() => null);
connection.onShutdown(() => shutdownReceived());
connection.listen();
