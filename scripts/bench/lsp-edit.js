#!/usr/bin/env node
// The language server's responsiveness on one large zone (issue 13, the server half): open →
// first and last publication, one-line edits (A and TLSA records) → first and last publication,
// a hover sent right after each edit (while the server analyses), a "Replace All" of many edits
// in one didChange → the next hover and the diagnostics, and the server's peak RSS (VmHWM).
// Settings: diagnosticsDelay 0 (so the debounce is not measured).
//
// Usage: node scripts/bench/lsp-edit.js ZONE [--edits K] [--replace N] [--only A,TLSA,replace]
//        [--open-quiet MS] [--node-arg --cpu-prof ...]
// (make a zone with `node scripts/gen-zone.js 1000000 /tmp/1m.zone`). Run heavy measurements
// under `flock /tmp/dane-bench.lock`. Prints one line per measurement and a JSON summary.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { LspClient } = require('./lsp-client');
const { procMemory } = require('./measure');

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
if (!file) { console.error('usage: node scripts/bench/lsp-edit.js ZONE [--edits K] [--replace N]'); process.exit(2); }
const EDITS = opt('--edits', 6);
const ONLY = (() => { const i = args.indexOf('--only'); return i >= 0 ? args[i + 1].split(',') : ['A', 'TLSA', 'replace']; })();
const NODE_ARGS = args.flatMap((a, i) => (args[i - 1] === '--node-arg' ? [a] : []));
const OPEN_QUIET = opt('--open-quiet', 8000);
const REPLACE = opt('--replace', 1000);
const ROOT = path.resolve(__dirname, '..', '..');
const server = path.join(ROOT, 'out', 'server', 'src', 'lsp', 'server.js');

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[s.length >> 1] : NaN; };
const ms = (x) => `${x.toFixed(0)} ms`;
const cpuMs = (pid) => {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, clock ticks of 10 ms
  } catch { return NaN; }
};

async function main() {
  let text = fs.readFileSync(file, 'utf8');
  const uri = pathToFileURL(path.resolve(file)).href;
  const client = new LspClient(server, { cwd: ROOT, nodeArgs: NODE_ARGS, configuration: (item) => (item && item.section === 'daneZone' ? { diagnosticsDelay: 0 } : null) });
  const pubs = [];
  client.onMessage((m) => {
    if (m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri) pubs.push({ time: m.time, version: m.params.version, count: m.params.diagnostics.length, cpu: cpuMs(client.pid) });
  });
  const wait = async (pred, maxMs = 120_000) => {
    const t0 = performance.now();
    while (!pred()) {
      if (performance.now() - t0 > maxMs || client.exited) throw new Error(`timed out (${client.exitInfo ?? ''}) ${client.stderr.slice(-300)}`);
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  /** The first and the last publication for `version` (last: none for quietMs after it). */
  const publications = async (from, version, quietMs = 400) => {
    await wait(() => pubs.slice(from).some((p) => p.version >= version));
    const first = pubs.slice(from).find((p) => p.version >= version);
    let n = pubs.length;
    let since = performance.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 5));
      if (pubs.length !== n) { n = pubs.length; since = performance.now(); } else if (performance.now() - since >= quietMs) break;
    }
    return { first, last: pubs[pubs.length - 1] };
  };
  const results = {};
  const say = (k, v, note = '') => { results[k] = v; console.log(`${k.padEnd(34)} ${typeof v === 'number' ? ms(v) : v}${note ? `  (${note})` : ''}`); };

  await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } } });
  client.notify('initialized', {});
  let version = 1;
  let cpu0 = cpuMs(client.pid);
  let t0 = performance.now();
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dns-zone', version, text } });
  const open = await publications(0, version, OPEN_QUIET);
  say('open → first diagnostics', open.first.time - t0, `${open.first.count} diagnostics; server CPU ${open.first.cpu - cpu0} ms`);
  say('open → last diagnostics', open.last.time - t0, `${open.last.count} diagnostics; server CPU ${open.last.cpu - cpu0} ms`);

  const lines = text.split('\n');
  const starts = [];
  for (let i = 0, p = 0; i < lines.length; i++) { starts.push(p); p += lines[i].length + 1; }
  const pick = (re, k) => {
    const out = [];
    for (let j = 0; j < k; j++) {
      for (let l = Math.floor(((j + 1) / (k + 1)) * lines.length); l < lines.length; l++) if (re.test(lines[l]) && !out.includes(l)) { out.push(l); break; }
    }
    return out;
  };
  const hoverAt = (line) => client.request('textDocument/hover', { textDocument: { uri }, position: { line, character: 1 } }, 120_000);
  // One-line edits: the last character of an A record's address, of a TLSA record's hex data.
  for (const [kind, re] of [['A', /\tA\t\d+\.\d+\.\d+\.\d+$/], ['TLSA', /\tTLSA\t3 1 1 [0-9a-f]+$/]].filter(([k]) => ONLY.includes(k))) {
    const first = [];
    const last = [];
    const hovers = [];
    const firstCpu = [];
    const lastCpu = [];
    cpu0 = cpuMs(client.pid);
    for (const line of pick(re, EDITS)) {
      const old = lines[line];
      const ch = old[old.length - 1];
      const repl = kind === 'A' ? (ch === '9' ? '8' : String((Number(ch) + 1) % 10)) : (ch === 'f' ? 'e' : 'f');
      version++;
      const from = pubs.length;
      t0 = performance.now();
      const c0 = cpuMs(client.pid);
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: { line, character: old.length - 1 }, end: { line, character: old.length } }, text: repl }] });
      lines[line] = old.slice(0, -1) + repl;
      const h0 = performance.now();
      await hoverAt(line);
      hovers.push(performance.now() - h0);
      const p = await publications(from, version);
      first.push(p.first.time - t0);
      last.push(p.last.time - t0);
      firstCpu.push(p.first.cpu - c0);
      lastCpu.push(p.last.cpu - c0);
    }
    say(`${kind} edit → first publication`, median(first), `median of ${first.length}: ${first.map(ms).join(', ')}; server CPU (with the hover) ${firstCpu.map(ms).join(', ')}`);
    say(`${kind} edit → complete diagnostics`, median(last), `${last.map(ms).join(', ')}; server CPU ${lastCpu.map(ms).join(', ')}`);
    say(`${kind} edit: hover during analysis`, Math.max(...hovers), `max; ${hovers.map(ms).join(', ')}; server CPU ${cpuMs(client.pid) - cpu0} ms for ${first.length} edits`);
  }

  // A "Replace All": REPLACE edits in one didChange, last line first (as VS Code sends them).
  if (ONLY.includes('replace')) {
  const targets = pick(/\tA\t10\.\d+\.\d+\.\d+$/, REPLACE).sort((a, b) => b - a);
  const changes = targets.map((line) => {
    const old = lines[line];
    const at = old.lastIndexOf('\t') + 1;
    lines[line] = `${old.slice(0, at)}192.0.2.77`;
    return { range: { start: { line, character: at }, end: { line, character: old.length } }, text: '192.0.2.77' };
  });
  version++;
  const from = pubs.length;
  cpu0 = cpuMs(client.pid);
  t0 = performance.now();
  client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  await hoverAt(targets[0]);
  say(`replace all (${changes.length}) → hover`, performance.now() - t0);
  const rep = await publications(from, version, 1000);
  say(`replace all → first publication`, rep.first.time - t0);
  say(`replace all → complete diagnostics`, rep.last.time - t0, `server CPU ${cpuMs(client.pid) - cpu0} ms`);
  }

  const mem = procMemory(client.pid);
  say('server peak RSS', `${((mem && mem.peakKB) / 1024).toFixed(0)} MB`);
  results.peakMB = mem && mem.peakKB / 1024;
  await client.close();
  console.log(JSON.stringify(results));
}

main().catch((e) => { console.error(e); process.exit(1); });
