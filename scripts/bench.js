#!/usr/bin/env node
// Benchmark: dane-zone against npm dns-zonefile and Knot's kzonecheck on a generated zone, plus
// the language server's edit latency. Prints one side-by-side table and the targets.
//
// Usage: node scripts/bench.js [--records N] [--edits K] [--repeat R] [--timeout SECONDS]
//                              [--only LIST] [--no-install] [--json FILE]
//   --records N    zone size (default 1,000,000; cached in $TMPDIR/dane-zone-bench)
//   --edits K      one-line edits sent to the language server (default 7; the median is reported)
//   --repeat R     runs of the CLI and of kzonecheck (default 3; the median is reported;
//                  dns-zonefile, at ~10-25 s a run, runs once)
//   --timeout S    limit for each tool run and for the server's first diagnostics (default 300)
//   --only LIST    comma-separated subset of: cli,dnszonefile,kzonecheck,lsp,dnssec,hostile
//                  (dnssec: a signed zone of ~100,000 records, its own file: check vs kzonecheck -d on, editor re-validation)
//                  (hostile: issue 17's inputs, time and memory bounds; scripts/bench/hostile.js)
//   --no-install   do not apt-get install knot / time when missing
//   --json FILE    also write the measurements as JSON
//
// Numbers on shared machines are noisy: compare ratios taken in one run (this script's table),
// not absolute times across runs.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const { generateZone } = require('./gen-zone');
const { ensureCommand, gnuTimePath, procMemory, runMeasured, isRoot } = require('./bench/measure');
const { LspClient } = require('./bench/lsp-client');
const { benchDnssec, dnssecTargets } = require('./bench/dnssec');

const ROOT = path.join(__dirname, '..');
const ORIGIN = 'bench.example.';
const TOOLS = ['cli', 'dnszonefile', 'kzonecheck', 'lsp', 'dnssec', 'hostile'];

function parseArgs(argv) {
  const o = { records: 1_000_000, edits: 7, repeat: 3, timeoutS: 300, only: new Set(TOOLS), install: true, json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--records') o.records = Number(val());
    else if (a === '--edits') o.edits = Number(val());
    else if (a === '--repeat') o.repeat = Number(val());
    else if (a === '--timeout') o.timeoutS = Number(val());
    else if (a === '--only') o.only = new Set(val().split(',').map((s) => s.trim()).filter(Boolean));
    else if (a === '--no-install') o.install = false;
    else if (a === '--json') o.json = val();
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  if (!Number.isInteger(o.records) || o.records < 1) usage('--records must be a positive integer');
  if (!Number.isInteger(o.edits) || o.edits < 1) usage('--edits must be a positive integer');
  if (!Number.isInteger(o.repeat) || o.repeat < 1) usage('--repeat must be a positive integer');
  if (!(o.timeoutS > 0)) usage('--timeout must be positive');
  for (const t of o.only) if (!TOOLS.includes(t)) usage(`--only: unknown tool ${t} (one of ${TOOLS.join(', ')})`);
  return o;
}

function usage(msg) {
  if (msg) console.error(`bench: ${msg}`);
  console.error('usage: node scripts/bench.js [--records N] [--edits K] [--repeat R] [--timeout S] [--only cli,dnszonefile,kzonecheck,lsp,dnssec] [--no-install] [--json FILE]');
  process.exit(msg ? 2 : 0);
}

/** The zone file for N records, generated once per generator version into a cache dir. */
function zoneFile(n) {
  const dir = path.join(os.tmpdir(), 'dane-zone-bench');
  fs.mkdirSync(dir, { recursive: true });
  const genHash = crypto.createHash('sha256').update(fs.readFileSync(path.join(__dirname, 'gen-zone.js'))).digest('hex').slice(0, 10);
  const file = path.join(dir, `zone-${n}-${genHash}.zone`);
  if (fs.existsSync(file)) return { file, cached: true };
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try { generateZone(n, { origin: ORIGIN, seed: 1 }, (chunk) => fs.writeSync(fd, chunk)); } finally { fs.closeSync(fd); }
  fs.renameSync(tmp, file);
  return { file, cached: false };
}

const MB = 1e6;
const fmtS = (ms) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) + ' s' : 'n/a');
const fmtMs = (ms) => (Number.isFinite(ms) ? ms.toFixed(1) + ' ms' : 'n/a');
const fmtRate = (bytes, ms) => (Number.isFinite(ms) && ms > 0 ? (bytes / MB / (ms / 1000)).toFixed(1) : 'n/a');
const fmtMem = (kb) => (Number.isFinite(kb) ? (kb / 1024).toFixed(0) + ' MB' : 'n/a');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const lastLine = (s) => (s || '').trim().split('\n').filter(Boolean).pop() || '';
const short = (s, n = 110) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/**
 * Runs a measurement `n` times (stopping at the first failure): the run with the median wall
 * time, with the highest peak RSS of all runs and a note of how many runs there were.
 */
async function runRepeated(n, run) {
  const runs = [];
  for (let i = 0; i < n; i++) {
    const r = await run();
    runs.push(r);
    if (!outcome(r).ok) return r;
  }
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const med = sorted[(sorted.length - 1) >> 1];
  const peaks = runs.map((r) => r.peakKB).filter(Number.isFinite);
  return { ...med, peakKB: peaks.length ? Math.max(...peaks) : undefined, runs: runs.length, walls: runs.map((r) => r.wallMs) };
}

/** A run counts when it finished in time and was not killed; a non-zero exit is reported as a note. */
function outcome(r) {
  if (r.timedOut) return { ok: false, note: 'TIMED OUT (killed)' };
  if (r.signal) return { ok: false, note: `killed by ${r.signal}: ${short(lastLine(r.stderr))}` };
  if (r.code === null || r.code === undefined) return { ok: false, note: `did not run: ${short(lastLine(r.stderr))}` };
  return { ok: true, note: '' };
}

const medianNote = (r) => (r.runs > 1 ? `median of ${r.runs} runs (${r.walls.map((w) => (w / 1000).toFixed(2)).join(', ')} s); ` : '');

/** dane-zone's CLI needs a build; a bundled dist/cli.js is refreshed when the bundler exists. */
function prepareCli(log) {
  const bin = path.join(ROOT, 'bin', 'dane-zone.js');
  if (!fs.existsSync(bin)) return { error: 'bin/dane-zone.js not found (the CLI is not written yet)' };
  const bundler = path.join(ROOT, 'scripts', 'bundle.js');
  if (fs.existsSync(bundler) && /dist[\\/]+cli/.test(fs.readFileSync(bin, 'utf8'))) {
    const r = spawnSync(process.execPath, [bundler], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) log(`scripts/bundle.js failed (${short(lastLine(r.stderr || r.stdout || ''))}); using whatever bin/dane-zone.js loads`);
  }
  return { bin };
}

async function benchCli(file, bytes, o, log) {
  const p = prepareCli(log);
  if (p.error) return { name: 'dane-zone check (CLI)', skipped: p.error };
  const outFile = path.join(os.tmpdir(), 'dane-zone-bench', `cli-output-${process.pid}.txt`);
  const r = await runRepeated(o.repeat, () => runMeasured(process.execPath, [p.bin, 'check', file], { cwd: ROOT, timeoutMs: o.timeoutS * 1000, stdoutFile: outFile }));
  const res = outcome(r);
  let out = '';
  try { out = fs.readFileSync(outFile, 'utf8'); fs.unlinkSync(outFile); } catch { /* none */ }
  const lines = out.split('\n').filter(Boolean);
  const note = res.ok ? `${medianNote(r)}exit ${r.code}; ${lines.length} output lines; last: ${short(lastLine(out) || lastLine(r.stderr), 70)}` : res.note;
  return { name: 'dane-zone check (CLI)', wallMs: res.ok ? r.wallMs : NaN, cpuMs: r.cpuMs, peakKB: r.peakKB, bytes, note, code: r.code, outputLines: lines.length, outputHead: lines.slice(0, 5) };
}

async function benchDnsZonefile(file, bytes, o) {
  let version = '?';
  try { version = require(path.join(ROOT, 'node_modules', 'dns-zonefile', 'package.json')).version; } catch {
    return { name: 'npm dns-zonefile parse', skipped: 'dns-zonefile is not installed (npm ci)' };
  }
  const outFile = path.join(os.tmpdir(), 'dane-zone-bench', `dzf-output-${process.pid}.txt`);
  const r = await runMeasured(process.execPath, [path.join(__dirname, 'bench', 'dnszonefile-parse.js'), file], { cwd: ROOT, timeoutMs: o.timeoutS * 1000, stdoutFile: outFile });
  const res = outcome(r);
  let note = res.note;
  try {
    const j = JSON.parse(fs.readFileSync(outFile, 'utf8'));
    note = `${j.records} of ${o.records} records returned (${Object.entries(j.counts).map(([k, v]) => `${k} ${v}`).join(', ')})`;
  } catch { if (res.ok) note = `exit ${r.code}: ${short(lastLine(r.stderr))}`; }
  try { fs.unlinkSync(outFile); } catch { /* none */ }
  return { name: `npm dns-zonefile ${version} parse`, wallMs: res.ok && r.code === 0 ? r.wallMs : NaN, cpuMs: r.cpuMs, peakKB: r.peakKB, bytes, note };
}

async function benchKzonecheck(file, bytes, o, log) {
  const kz = ensureCommand('kzonecheck', ['knot-dnssecutils', 'knot'], { install: o.install, log });
  if (!kz) return { name: 'kzonecheck (Knot)', skipped: 'kzonecheck missing' };
  const v = spawnSync(kz, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const version = (/(\d+\.\d+(\.\d+)?)/.exec((v.stdout || '') + (v.stderr || '')) || [])[1] || '?';
  const outFile = path.join(os.tmpdir(), 'dane-zone-bench', `kzc-output-${process.pid}.txt`);
  const r = await runRepeated(o.repeat, () => runMeasured(kz, ['-o', ORIGIN, file], { timeoutMs: o.timeoutS * 1000, stdoutFile: outFile }));
  const res = outcome(r);
  let out = '';
  try { out = fs.readFileSync(outFile, 'utf8'); fs.unlinkSync(outFile); } catch { /* none */ }
  const note = res.ok ? `${medianNote(r)}exit ${r.code}; ${short(lastLine(out) || lastLine(r.stderr) || 'no output', 80)}` : res.note;
  return { name: `kzonecheck (Knot ${version})`, wallMs: res.ok ? r.wallMs : NaN, cpuMs: r.cpuMs, peakKB: r.peakKB, bytes, note, code: r.code };
}

/** Offsets of the line starts of `text`. */
function lineStarts(text) {
  const starts = [0];
  let i = -1;
  while ((i = text.indexOf('\n', i + 1)) >= 0) starts.push(i + 1);
  return starts;
}

/**
 * Picks `k` A-record lines spread over the document and returns one-line edits for them:
 * the last octet of the address changes (the zone stays valid, the record set changes).
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
        edits.push({ line, old: s, text: m[1] + String((Number(m[2]) + 101) % 256) });
        break;
      }
    }
  }
  return { edits, starts };
}

/**
 * One language-server session: open the document, wait for its diagnostics, then make one-line
 * edits. `settings` answers workspace/configuration for the `daneZone` section (undefined: the
 * server's defaults). Returns table rows (the open row only when `withOpen`).
 */
async function benchLspSession(file, bytes, o, { settings, label, withOpen }) {
  const name = `dane-zone LSP${label ? ` (${label})` : ''}`;
  const server = path.join(ROOT, 'out', 'server', 'src', 'lsp', 'server.js');
  if (!fs.existsSync(server)) return [{ name: `${name}: open → diagnostics`, skipped: 'out/server/src/lsp/server.js not found (server not written or not built)' }];
  let text = fs.readFileSync(file, 'utf8');
  const uri = pathToFileURL(file).href;
  const client = new LspClient(server, {
    cwd: ROOT,
    configuration: (item) => (settings && item && item.section === 'daneZone' ? settings : null),
  });
  const rows = [];
  const pubs = []; // { time, version, count }
  let notes = [];
  client.onMessage((m) => {
    if (m.method === 'textDocument/publishDiagnostics' && m.params && m.params.uri === uri) {
      pubs.push({ time: m.time, version: m.params.version, count: (m.params.diagnostics || []).length });
    } else if (m.method === '$bad-header' || m.method === '$bad-json') notes.push(`server wrote non-LSP output on stdout (${m.method})`);
  });
  /** Waits for a publication after index `from` (for `version` when the server sends versions). */
  const waitPub = (from, version, timeoutMs) => new Promise((resolve) => {
    const t0 = performance.now();
    const tick = () => {
      for (let i = from; i < pubs.length; i++) {
        if (version === undefined || pubs[i].version === undefined || pubs[i].version >= version) return resolve({ pub: pubs[i], index: i });
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
        },
        workspace: { configuration: true },
      },
      initializationOptions: {},
    }, 30_000);
    client.notify('initialized', {});
    const sync = init && init.capabilities && init.capabilities.textDocumentSync;
    const changeKind = typeof sync === 'number' ? sync : sync && typeof sync.change === 'number' ? sync.change : 1;
    const incremental = changeKind === 2;

    // Open the whole document; time to its first diagnostics.
    let version = 1;
    const t0 = performance.now();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dns-zone', version, text } });
    const first = await waitPub(0, version, o.timeoutS * 1000);
    if (first.error) throw new Error(`open: ${first.error}`);
    const openMs = first.pub.time - t0;
    const settled = await settle(5000, o.timeoutS * 1000);
    const settledMs = settled.time - t0;
    const memOpen = procMemory(client.pid);
    const staged = settled !== first.pub ? `; last publication (${settled.count} diagnostics) after ${fmtS(settledMs)}` : '';
    if (withOpen) rows.push({ name: `${name}: open → first diagnostics`, wallMs: openMs, bytes, peakKB: memOpen && memOpen.peakKB, note: `${first.pub.count} diagnostics${staged}; ${incremental ? 'incremental' : 'full'} sync` });

    // One-line edits; latency to the next publishDiagnostics.
    const { edits, starts } = planEdits(text, o.edits);
    const lat = [];
    const lastLat = [];
    for (const e of edits) {
      version++;
      let change;
      if (incremental) {
        change = { range: { start: { line: e.line, character: 0 }, end: { line: e.line, character: e.old.length } }, text: e.text };
      }
      const s = starts[e.line];
      text = text.slice(0, s) + e.text + text.slice(s + e.old.length);
      if (!incremental) change = { text };
      // Later line starts move when the new line is longer or shorter.
      const delta = e.text.length - e.old.length;
      if (delta) for (let i = e.line + 1; i < starts.length; i++) starts[i] += delta;
      const from = pubs.length;
      const ts = performance.now();
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      const p = await waitPub(from, version, 30_000);
      if (p.error) throw new Error(`edit ${lat.length + 1}: ${p.error}`);
      lat.push(p.pub.time - ts);
      const last = await settle(1000, 30_000);
      lastLat.push(last.time - ts);
    }
    const mem = procMemory(client.pid);
    const med = median(lat);
    const medLast = median(lastLat);
    rows.push({
      name: `${name}: one-line edit → diagnostics`,
      wallMs: med, latency: true, peakKB: mem && mem.peakKB,
      note: `median of ${lat.length} edits (min ${fmtMs(Math.min(...lat))}, max ${fmtMs(Math.max(...lat))})` +
        (Math.abs(medLast - med) > 1 ? `; last publication per edit: median ${fmtMs(medLast)}` : ''),
      latencies: lat, lastLatencies: lastLat,
    });
  } catch (e) {
    rows.push({ name: `${name}`, failed: `${e.message}${client.stderr ? ` | stderr: ${short(lastLine(client.stderr), 80)}` : ''}` });
  } finally {
    await client.close(3000);
  }
  if (notes.length && rows.length) rows[rows.length - 1].note = [rows[rows.length - 1].note, ...new Set(notes)].filter(Boolean).join('; ');
  return rows;
}

/** Two sessions: the server's default settings (its debounce included), then diagnosticsDelay 0. */
async function benchLsp(file, bytes, o) {
  const rows = await benchLspSession(file, bytes, o, { withOpen: true, label: 'default settings' });
  if (rows.some((r) => r.failed || r.skipped)) return rows;
  rows.push(...await benchLspSession(file, bytes, o, { settings: { diagnosticsDelay: 0 }, label: 'diagnosticsDelay 0' }));
  return rows;
}

function printTable(rows) {
  const head = ['tool', 'wall', 'MB/s', 'CPU', 'peak RSS', 'result'];
  const body = rows.map((r) => {
    if (r.skipped) return [r.name, '-', '-', '-', '-', `skipped: ${r.skipped}`];
    if (r.failed) return [r.name, '-', '-', '-', '-', `FAILED: ${r.failed}`];
    return [r.name, r.latency ? fmtMs(r.wallMs) : fmtS(r.wallMs), r.latency || r.bytes === undefined ? '-' : fmtRate(r.bytes, r.wallMs),
      Number.isFinite(r.cpuMs) ? fmtS(r.cpuMs) : '-', fmtMem(r.peakKB), r.note || ''];
  });
  const num = (i) => i >= 1 && i <= 4;
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => (num(i) ? c.padStart(w[i]) : c.padEnd(w[i]))).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + w.map((x, i) => (num(i) ? '-'.repeat(x + 1) + ':' : '-'.repeat(x + 2))).join('|') + '|');
  for (const b of body) console.log(line(b));
}

function targets(res) {
  const rate = (r) => (r && Number.isFinite(r.wallMs) && !r.skipped && !r.failed ? r.bytes / MB / (r.wallMs / 1000) : undefined);
  const cli = rate(res.cli);
  const kz = rate(res.kzonecheck);
  const dzf = rate(res.dnszonefile);
  const editRows = (res.lsp || []).filter((r) => r.latency);
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  const t = [];
  const unknown = (why) => `unknown (${why})`;
  t.push(['CLI throughput ≥ kzonecheck', cli === undefined ? unknown('no CLI result') : kz === undefined ? unknown('no kzonecheck result') : `${verdict(cli >= kz)} (${cli.toFixed(1)} vs ${kz.toFixed(1)} MB/s, ${(cli / kz).toFixed(2)}×)`]);
  t.push(['CLI throughput ≥ 10× dns-zonefile', cli === undefined ? unknown('no CLI result') : dzf === undefined ? unknown('no dns-zonefile result') : `${verdict(cli >= 10 * dzf)} (${(cli / dzf).toFixed(1)}×)`]);
  const cliKB = res.cli && res.cli.peakKB;
  const kzKB = res.kzonecheck && res.kzonecheck.peakKB;
  t.push(['CLI peak RSS ≤ kzonecheck', !Number.isFinite(cliKB) || cli === undefined ? unknown('no CLI result') : !Number.isFinite(kzKB) ? unknown('no kzonecheck result') : `${verdict(cliKB <= kzKB)} (${fmtMem(cliKB)} vs ${fmtMem(kzKB)})`]);
  if (editRows.length === 0) t.push(['LSP edit → diagnostics < 50 ms', unknown('no LSP result')]);
  const hostile = (res.hostile || []).filter((r) => !r.skipped);
  if (hostile.length) t.push(['hostile inputs within their time/memory bounds', `${verdict(hostile.every((r) => r.ok && !r.failed))} (${hostile.filter((r) => r.ok && !r.failed).length}/${hostile.length})`]);
  for (const r of editRows) {
    const which = /\(([^)]*)\)/.exec(r.name);
    const complete = median(r.lastLatencies || []);
    const also = Number.isFinite(complete) && Math.abs(complete - r.wallMs) > 1 ? `; the last publication per edit, median ${fmtMs(complete)}, would ${complete < 50 ? '' : 'not '}meet it` : '';
    t.push([`LSP edit → diagnostics < 50 ms${which ? ` (${which[1]})` : ''}`, `${verdict(r.wallMs < 50)} (next publication: median ${fmtMs(r.wallMs)}${also})`]);
  }
  console.log('\nTargets:');
  const w = Math.max(...t.map((x) => x[0].length));
  for (const [k, v] of t) console.log(`  ${k.padEnd(w)}  ${v}`);
  return t;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const log = (s) => console.log(s);
  const started = Date.now();
  const { file, cached } = zoneFile(o.records);
  const bytes = fs.statSync(file).size;
  const cpu = (os.cpus()[0] || {}).model || '?';
  console.log(`dane-zone benchmark: ${o.records.toLocaleString('en')} records, ${(bytes / MB).toFixed(1)} MB (${bytes} bytes), ${cached ? 'cached' : 'generated'}: ${file}`);
  console.log(`machine: ${os.cpus().length} × ${cpu.trim()}, node ${process.version}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`);
  if (!gnuTimePath() && o.install && isRoot() && ensureCommand('time', 'time', { log })) gnuTimePath(true);
  const tp = gnuTimePath();
  console.log(`peak RSS measured with ${tp ? `${tp} -v` : 'polling /proc/PID/status (VmHWM) every 10 ms'}; LSP rows: the server's VmHWM after the step`);
  console.log(`CPU = user + system time of the process (from time -v): less disturbed than wall time when the machine is shared; load average now ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);

  const res = {};
  const rows = [];
  const step = async (key, fn) => {
    if (!o.only.has(key)) return;
    process.stdout.write(`running ${key} … `);
    const t0 = Date.now();
    let r;
    try { r = await fn(); } catch (e) { r = { name: key, failed: e && e.message || String(e) }; }
    console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
    res[key] = r;
    rows.push(...(Array.isArray(r) ? r : [r]));
  };
  await step('kzonecheck', () => benchKzonecheck(file, bytes, o, (s) => console.log(`\n  ${s}`)));
  await step('cli', () => benchCli(file, bytes, o, (s) => console.log(`\n  ${s}`)));
  await step('dnszonefile', () => benchDnsZonefile(file, bytes, o));
  await step('lsp', () => benchLsp(file, bytes, o));
  let dnssec;
  await step('dnssec', async () => {
    const r = await benchDnssec(o, (s) => console.log(`\n  ${s}`));
    if (Array.isArray(r)) return r;
    dnssec = r;
    return r.rows;
  });
  // Issue 17's hostile inputs with the default budgets: time and memory bounds (scripts/bench/hostile.js).
  await step('hostile', () => require('./bench/hostile').benchHostile());

  console.log('');
  printTable(rows);
  const t = targets(res);
  for (const [k, v] of dnssecTargets(dnssec)) console.log(`  ${k}  ${v}`), t.push([k, v]);
  console.log(`\n(total ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (o.json) {
    fs.writeFileSync(o.json, JSON.stringify({ records: o.records, bytes, file, machine: { cpu, cpus: os.cpus().length, node: process.version }, rows, targets: Object.fromEntries(t) }, null, 2));
  }
}

main().then(() => process.exit(0), (e) => { console.error(e && e.stack || String(e)); process.exit(1); });
