#!/usr/bin/env node
// The worst wait of a hover while the language server runs the zone stages (issue 13: "a hover
// sent during analysis waits ≤ 100 ms"): opens ZONE (diagnosticsDelay 0), and from the first
// publication (the parse's) until the server's CPU settles sends hovers one after another (each
// 20 ms after the previous answer), then does the same after an edit of an MX preference (which
// runs the DANE stage in full again). Prints the worst and median waits, how many hovers, and the
// server CPU of each phase.
//
// Usage: node scripts/bench/lsp-hover-probe.js ZONE [--quiet MS] [--node-arg ARG ...]
// Run under `flock /tmp/dane-bench.lock`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { LspClient } = require('./lsp-client');

const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const QUIET = (() => { const i = args.indexOf('--quiet'); return i >= 0 ? Number(args[i + 1]) : 1000; })();
const NODE_ARGS = args.flatMap((a, i) => (args[i - 1] === '--node-arg' ? [a] : []));
if (!file) { console.error('usage: node scripts/bench/lsp-hover-probe.js ZONE [--quiet MS]'); process.exit(2); }
const server = path.join(__dirname, '..', '..', 'out', 'server', 'src', 'lsp', 'server.js');
const cpuMs = (pid) => {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch { return NaN; }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[s.length >> 1] : NaN; };

async function main() {
  const text = fs.readFileSync(file, 'utf8');
  const uri = pathToFileURL(path.resolve(file)).href;
  const client = new LspClient(server, { nodeArgs: NODE_ARGS, configuration: (item) => (item && item.section === 'daneZone' ? { diagnosticsDelay: 0 } : null) });
  let lastPub = 0;
  const pubs = [];
  client.onMessage((m) => {
    if (m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri) { lastPub = performance.now(); pubs.push(m.params.version); }
  });
  await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
  client.notify('initialized', {});
  const lines = text.split('\n');
  const hoverLine = lines.findIndex((l, i) => i > lines.length / 2 && /\tA\t/.test(l));
  /** Hovers one after another until no publication for QUIET ms: their waits. */
  const probe = async (label, version, t0, cpu0) => {
    while (!pubs.includes(version)) await sleep(1);
    const cpuFirst = cpuMs(client.pid);
    const first = performance.now() - t0;
    const waits = [];
    // Until the server's CPU stays flat (under 10% of a core for QUIET ms, the hovers' own cost included).
    const cpuAt = [{ t: performance.now(), cpu: cpuMs(client.pid) }];
    for (;;) {
      const h0 = performance.now();
      await client.request('textDocument/hover', { textDocument: { uri }, position: { line: hoverLine, character: 1 } }, 120_000);
      waits.push(performance.now() - h0);
      await sleep(20);
      const now = { t: performance.now(), cpu: cpuMs(client.pid) };
      cpuAt.push(now);
      const back = cpuAt.filter((x) => now.t - x.t >= QUIET).pop();
      if (back && now.cpu - back.cpu < QUIET / 10) break;
    }
    const settled = lastPub - t0;
    console.log(`${label}: first publication ${first.toFixed(0)} ms (server CPU ${cpuFirst - cpu0} ms), last ${settled.toFixed(0)} ms (server CPU ${cpuMs(client.pid) - cpu0} ms incl. hovers); ` +
      `${waits.length} hovers meanwhile: worst ${Math.max(...waits).toFixed(0)} ms, median ${median(waits).toFixed(0)} ms`);
    return { first, settled, worst: Math.max(...waits), median: median(waits), hovers: waits.length };
  };
  let cpu0 = cpuMs(client.pid);
  let t0 = performance.now();
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dns-zone', version: 1, text } });
  const open = await probe('open', 1, t0, cpu0);
  // An MX preference edited: the DANE stage (and mail-policy) run in full again.
  const mxLine = lines.findIndex((l, i) => i > lines.length / 3 && /\tMX\t\d+ /.test(l));
  const at = lines[mxLine].search(/\tMX\t/) + 4;
  const digit = lines[mxLine][at];
  cpu0 = cpuMs(client.pid);
  t0 = performance.now();
  client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: mxLine, character: at }, end: { line: mxLine, character: at + 1 } }, text: digit === '9' ? '8' : String(Number(digit) + 1) }] });
  const mx = await probe('MX edit', 2, t0, cpu0);
  await client.close();
  console.log(JSON.stringify({ open, mx }));
}

main().catch((e) => { console.error(e); process.exit(1); });
