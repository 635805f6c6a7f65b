// The language-server rows of `npm run bench`: one session against the real server over stdio
// (scripts/bench/lsp-client.js), as an editor drives it.
//
//   open → first diagnostics   didOpen of the whole file until the first publishDiagnostics
//   open → complete            until no publication for 15 s (the last one's time)
//   edit → first publication   didChange of one line (an A record's last octet) until the first
//                              publication for that version
//   edit → complete            until no publication for 1 s after it (the last one's time)
//   hover during analysis      a hover sent right after the didOpen / each didChange (the
//                              server is analysing): time to its answer
//   server peak memory         the server's VmHWM at the end of the session
//   server CPU                 user + system time of the server for the open (from /proc)
//   hover behind the didOpen   (hoverProbes) more opens, each with the hover written right behind
//                              the didOpen, alternating with a server that only reads its messages
//                              (scripts/bench/lsp-null-server.js): the transport's share of the wait
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { LspClient } = require('./lsp-client');
const { procMemory, procCpuMs } = require('./measure');

const ROOT = path.join(__dirname, '..', '..');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const lastLine = (s) => (s || '').trim().split('\n').filter(Boolean).pop() || '';
const short = (s, n = 110) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/** Offsets of the line starts of `text`. */
function lineStarts(text) {
  const starts = [0];
  let i = -1;
  while ((i = text.indexOf('\n', i + 1)) >= 0) starts.push(i + 1);
  return starts;
}

/**
 * Picks `k` A-record lines spread over the document and returns one-line edits for them:
 * the last octet of the address changes (the zone stays valid, the record set changes), and
 * where a hover goes (the record's type, `A`).
 */
function planEdits(text, k) {
  const starts = lineStarts(text);
  const edits = [];
  for (let j = 0; j < k; j++) {
    let line = Math.floor(((j + 1) / (k + 1)) * (starts.length - 1));
    for (; line < starts.length - 1; line++) {
      const s = text.slice(starts[line], starts[line + 1] - 1);
      const m = /^(.*\tA\t\d+\.\d+\.\d+\.)(\d+)$/.exec(s);
      if (m && !edits.some((e) => e.line === line)) {
        edits.push({ line, old: s, text: m[1] + String((Number(m[2]) + 101) % 256), hoverAt: s.lastIndexOf('\tA\t') + 1 });
        break;
      }
    }
  }
  return { edits, starts };
}

/**
 * One session: open the document, wait for its diagnostics, then make `edits` one-line edits.
 * `settings` answers workspace/configuration for the `daneZone` section (undefined: the
 * server's defaults). Resolves the measurements, or { failed }.
 */
async function lspSession(file, { edits: nEdits = 7, timeoutS = 300, settings } = {}) {
  const server = path.join(ROOT, 'out', 'server', 'src', 'lsp', 'server.js');
  if (!fs.existsSync(server)) return { skipped: 'out/server/src/lsp/server.js not found (not built)' };
  let text = fs.readFileSync(file, 'utf8');
  const uri = pathToFileURL(file).href;
  const client = new LspClient(server, {
    cwd: ROOT,
    configuration: (item) => (settings && item && item.section === 'daneZone' ? settings : null),
  });
  const pubs = []; // { time, version, count }
  const notes = new Set();
  client.onMessage((m) => {
    if (m.method === 'textDocument/publishDiagnostics' && m.params && m.params.uri === uri) {
      pubs.push({ time: m.time, version: m.params.version, count: (m.params.diagnostics || []).length });
    } else if (m.method === '$bad-header' || m.method === '$bad-json') notes.add(`server wrote non-LSP output on stdout (${m.method})`);
  });
  /** Waits for a publication after index `from` (for `version` when the server sends versions). */
  const waitPub = (from, version, timeoutMs) => new Promise((resolve) => {
    const t0 = performance.now();
    const tick = () => {
      for (let i = from; i < pubs.length; i++) {
        if (version === undefined || pubs[i].version === undefined || pubs[i].version >= version) return resolve({ pub: pubs[i] });
      }
      if (client.exited) return resolve({ error: `server ended (${client.exitInfo}): ${short(lastLine(client.stderr))}` });
      if (performance.now() - t0 > timeoutMs) return resolve({ error: `no diagnostics within ${(timeoutMs / 1000).toFixed(0)} s` });
      setTimeout(tick, 1);
    };
    tick();
  });
  /** Waits until no publication arrives for quietMs (bounded by maxMs); returns the last one. */
  const settle = async (quietMs, maxMs) => {
    const t0 = performance.now();
    let n = pubs.length;
    let since = performance.now();
    while (performance.now() - t0 < maxMs && !client.exited) {
      await new Promise((r) => setTimeout(r, 5));
      if (pubs.length !== n) { n = pubs.length; since = performance.now(); }
      else if (performance.now() - since >= quietMs) break;
    }
    return pubs[pubs.length - 1];
  };
  /** A hover sent now: resolves the time to its answer (the request is on the wire before this returns). */
  const hover = (line, character) => {
    const t0 = performance.now();
    return client.request('textDocument/hover', { textDocument: { uri }, position: { line, character } }, timeoutS * 1000)
      .then(() => performance.now() - t0, (e) => { notes.add(`hover: ${e.message}`); return NaN; });
  };
  const res = { hovers: [], firstPub: [], complete: [] };
  try {
    const init = await client.request('initialize', {
      processId: process.pid,
      clientInfo: { name: 'dane-zone-bench' },
      rootUri: null,
      workspaceFolders: null,
      capabilities: {
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: false },
          publishDiagnostics: { versionSupport: true, relatedInformation: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
        workspace: { configuration: true },
      },
      initializationOptions: {},
    }, 30_000);
    client.notify('initialized', {});
    const sync = init && init.capabilities && init.capabilities.textDocumentSync;
    const changeKind = typeof sync === 'number' ? sync : sync && typeof sync.change === 'number' ? sync.change : 1;
    const incremental = changeKind === 2;
    res.sync = incremental ? 'incremental' : 'full';
    const { edits, starts } = planEdits(text, nEdits);

    // Open the whole document: time to its first diagnostics; a hover sent right after it.
    let version = 1;
    const cpu0 = procCpuMs(client.pid);
    const t0 = performance.now();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dns-zone', version, text } });
    const openHover = edits.length ? hover(edits[0].line, edits[0].hoverAt) : undefined;
    const first = await waitPub(0, version, timeoutS * 1000);
    if (first.error) throw new Error(`open: ${first.error}`);
    res.openMs = first.pub.time - t0;
    res.openCount = first.pub.count;
    const settled = await settle(15_000, timeoutS * 1000);
    res.openCompleteMs = settled.time - t0;
    res.openCompleteCount = settled.count;
    const cpu1 = procCpuMs(client.pid);
    if (Number.isFinite(cpu0) && Number.isFinite(cpu1)) res.openCpuMs = cpu1 - cpu0;
    if (openHover) res.hovers.push({ after: 'open', ms: await openHover });
    const m0 = procMemory(client.pid);
    res.openPeakKB = m0 && m0.peakKB;

    // One-line edits: a hover right after each, then the publications for its version.
    for (const e of edits) {
      version++;
      let change;
      if (incremental) change = { range: { start: { line: e.line, character: 0 }, end: { line: e.line, character: e.old.length } }, text: e.text };
      const s = starts[e.line];
      text = text.slice(0, s) + e.text + text.slice(s + e.old.length);
      if (!incremental) change = { text };
      const delta = e.text.length - e.old.length;
      if (delta) for (let i = e.line + 1; i < starts.length; i++) starts[i] += delta;
      const from = pubs.length;
      const ts = performance.now();
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      const h = hover(e.line, e.hoverAt);
      const p = await waitPub(from, version, 60_000);
      if (p.error) throw new Error(`edit ${res.firstPub.length + 1}: ${p.error}`);
      res.firstPub.push(p.pub.time - ts);
      const last = await settle(1000, 60_000);
      res.complete.push(last.time - ts);
      res.hovers.push({ after: 'edit', ms: await h });
    }
    const mem = procMemory(client.pid);
    res.peakKB = mem && mem.peakKB;
  } catch (e) {
    res.failed = `${e.message}${client.stderr ? ` | stderr: ${short(lastLine(client.stderr), 80)}` : ''}`;
  } finally {
    await client.close(3000);
  }
  if (notes.size) res.notes = [...notes];
  return res;
}

/**
 * The hover written right behind a large didOpen, `rounds` opens of `file` each, alternating
 * dane-zone's server and a server that only reads (the same transport, no work: how long the
 * didOpen's bytes take to cross the socket, which a hover behind them waits for on any server).
 * Each open: initialize, 300 ms (the server's start settles), didOpen + the hover, its answer, close.
 * The hover goes where lspSession's open hover goes (the first of planEdits(text, edits)).
 * Resolves { dane: [ms], transport: [ms], line } (NaN for a hover that failed; failed: the last failure).
 */
async function hoverProbes(file, { rounds = 5, edits: nEdits = 7, timeoutS = 300 } = {}) {
  const servers = {
    dane: path.join(ROOT, 'out', 'server', 'src', 'lsp', 'server.js'),
    transport: path.join(__dirname, 'lsp-null-server.js'),
  };
  if (!fs.existsSync(servers.dane)) return { skipped: 'out/server/src/lsp/server.js not found (not built)' };
  const text = fs.readFileSync(file, 'utf8');
  const uri = pathToFileURL(file).href;
  const { edits } = planEdits(text, nEdits); // (the first: where lspSession's hover behind the didOpen goes)
  if (!edits.length) return { skipped: 'no A record to hover on' };
  const at = { line: edits[0].line, character: edits[0].hoverAt };
  const res = { dane: [], transport: [], line: at.line };
  for (let i = 0; i < rounds; i++) {
    for (const side of ['dane', 'transport']) {
      const client = new LspClient(servers[side], { cwd: ROOT, configuration: (item) => (item && item.section === 'daneZone' ? { diagnosticsDelay: 0 } : null) });
      try {
        await client.request('initialize', { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: { textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } }, workspace: { configuration: true } } }, timeoutS * 1000);
        client.notify('initialized', {});
        await new Promise((r) => setTimeout(r, 300));
        client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dns-zone', version: 1, text } });
        const t0 = performance.now();
        await client.request('textDocument/hover', { textDocument: { uri }, position: at }, timeoutS * 1000);
        res[side].push(performance.now() - t0);
      } catch (e) {
        res[side].push(NaN);
        res.failed = `${side}: ${e.message}`;
      } finally {
        await client.close(3000);
      }
    }
  }
  return res;
}

module.exports = { lspSession, hoverProbes, planEdits, lineStarts, median };
