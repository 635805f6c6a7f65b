#!/usr/bin/env node
// Benchmark (issue 13): dane-zone against Knot's kzonecheck (and npm dns-zonefile) on a generated
// hosting-provider zone of 1,000,000 records and on the real root zone, the language server's
// latencies on both, a signed zone (DNSSEC validation), and the hostile inputs. Prints the
// issue's table side by side with the goal column, then every measurement, and writes JSON.
//
// Usage: node scripts/bench.js [--records N] [--edits K] [--repeat R] [--timeout SECONDS]
//                              [--only LIST] [--no-install] [--json FILE]
//   --records N    generated zone size (default 1,000,000; cached in $TMPDIR/dane-zone-bench)
//   --edits K      one-line edits sent to the language server (default 7; medians reported)
//   --repeat R     runs of the CLI and of kzonecheck (default 3; the median run is reported;
//                  dns-zonefile, at ~10-25 s a run, runs once)
//   --timeout S    limit for each tool run and for the server's first diagnostics (default 300)
//   --only LIST    comma-separated subset of: cli,kzonecheck,floor,dnszonefile,lsp,root,dnssec,hostile
//                  (floor: scripts/bench/floor.js, how little CPU a JavaScript program takes on
//                  the generated zone, as a scanner alone and as the least checker that reports
//                  what `dane-zone check` reports on it; root: the IANA root zone from ../shared/corpora, CLI + kzonecheck + LSP;
//                  dnssec: a signed zone of ~100,000 records, scripts/bench/dnssec.js;
//                  hostile: issue 17's inputs, scripts/bench/hostile.js)
//   --no-install   do not apt-get install knot-dnssecutils / time when missing
//   --json FILE    where the measurements go as JSON (default bench-results.json in the
//                  checkout, git-ignored; the path is printed)
//
// CPU = user + system time of the process (GNU time -v for the CLI and kzonecheck, /proc for the
// language server): on a shared machine it is steadier than wall time, so the throughput goal
// is judged on CPU time (wall time is shown beside it). Run it alone:
//   flock /tmp/dane-bench.lock npm run bench
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { parseArgs } = require('node:util');
const { spawnSync } = require('node:child_process');
const { generateZone, prng } = require('./gen-zone');
const { ensureCommand, gnuTimePath, runMeasured, isRoot } = require('./bench/measure');
const { lspSession, hoverProbes, median } = require('./bench/lsp');
const { benchDnssec, dnssecTargets } = require('./bench/dnssec');

const ROOT = path.join(__dirname, '..');
const ORIGIN = 'bench.example.';
const TOOLS = ['cli', 'kzonecheck', 'floor', 'dnszonefile', 'lsp', 'root', 'dnssec', 'hostile'];
const ROOT_ZONE = path.join(ROOT, '..', 'shared', 'corpora', 'root-2023051100.zone');
/** The root zone's signatures are valid on its serial's day; both checkers check as at then. */
const ROOT_NOW = '2023-05-11T12:00:00Z';
const USAGE = 'usage: node scripts/bench.js [--records N] [--edits K] [--repeat R] [--timeout S] [--only cli,kzonecheck,floor,dnszonefile,lsp,root,dnssec,hostile] [--no-install] [--json FILE]';

function usage(msg) {
  if (msg) console.error(`bench: ${msg}`);
  console.error(USAGE);
  process.exit(msg ? 2 : 0);
}

function options(argv) {
  let v;
  try {
    v = parseArgs({
      args: argv,
      strict: true,
      options: {
        records: { type: 'string', default: '1000000' },
        edits: { type: 'string', default: '7' },
        repeat: { type: 'string', default: '3' },
        timeout: { type: 'string', default: '300' },
        only: { type: 'string', default: TOOLS.join(',') },
        'no-install': { type: 'boolean', default: false },
        json: { type: 'string', default: path.join(ROOT, 'bench-results.json') },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    usage(e.message);
  }
  if (v.help) usage();
  const int = (name) => {
    const n = Number(v[name]);
    if (!Number.isInteger(n) || n < 1) usage(`--${name} must be a positive integer`);
    return n;
  };
  const o = { records: int('records'), edits: int('edits'), repeat: int('repeat'), timeoutS: Number(v.timeout), install: !v['no-install'], json: path.resolve(v.json) };
  if (!(o.timeoutS > 0)) usage('--timeout must be positive');
  o.only = new Set(v.only.split(',').map((s) => s.trim()).filter(Boolean));
  for (const t of o.only) if (!TOOLS.includes(t)) usage(`--only: unknown tool ${t} (one of ${TOOLS.join(', ')})`);
  return o;
}

/** The zone file for N records, generated once per generator version into a cache dir. */
function zoneFile(n) {
  const dir = path.join(os.tmpdir(), 'dane-zone-bench');
  fs.mkdirSync(dir, { recursive: true });
  // (keyed by the generator's code, so the cache follows what the zone holds)
  const genHash = crypto.createHash('sha256').update(generateZone.toString() + prng.toString()).digest('hex').slice(0, 10);
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
const fmtMs = (ms) => (Number.isFinite(ms) ? (ms < 1000 ? ms.toFixed(1) + ' ms' : fmtS(ms)) : 'n/a');
const fmtRate = (bytes, ms) => (Number.isFinite(ms) && ms > 0 ? (bytes / MB / (ms / 1000)).toFixed(1) : 'n/a');
const fmtMem = (kb) => (Number.isFinite(kb) ? (kb / 1024).toFixed(0) + ' MB' : 'n/a');
const lastLine = (s) => (s || '').trim().split('\n').filter(Boolean).pop() || '';
const short = (s, n = 110) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/** A run counts when it finished in time and was not killed; a non-zero exit is reported as a note. */
function outcome(r) {
  if (r.timedOut) return { ok: false, note: 'TIMED OUT (killed)' };
  if (r.signal) return { ok: false, note: `killed by ${r.signal}: ${short(lastLine(r.stderr))}` };
  if (r.code === null || r.code === undefined) return { ok: false, note: `did not run: ${short(lastLine(r.stderr))}` };
  return { ok: true, note: '' };
}

/**
 * Runs a measurement `n` times (stopping at the first failure): the run with the median CPU time
 * (wall time when CPU is unknown), the highest peak RSS of all runs, and every run's times.
 */
async function runRepeated(n, run) {
  const runs = [];
  for (let i = 0; i < n; i++) {
    const r = await run();
    runs.push(r);
    if (!outcome(r).ok) return { ...r, runs: runs.length, walls: runs.map((x) => x.wallMs), cpus: runs.map((x) => x.cpuMs) };
  }
  const key = (r) => (Number.isFinite(r.cpuMs) ? r.cpuMs : r.wallMs);
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  const med = sorted[(sorted.length - 1) >> 1];
  const peaks = runs.map((r) => r.peakKB).filter(Number.isFinite);
  return { ...med, peakKB: peaks.length ? Math.max(...peaks) : undefined, runs: runs.length, walls: runs.map((r) => r.wallMs), cpus: runs.map((r) => r.cpuMs) };
}

const runsNote = (r) => (r.runs > 1 ? `median of ${r.runs} runs (wall ${r.walls.map((w) => (w / 1000).toFixed(2)).join(', ')} s; CPU ${r.cpus.map((w) => (w / 1000).toFixed(2)).join(', ')} s); ` : '');

/** dane-zone's CLI needs a build; a bundled dist/cli.js is refreshed when the bundler exists. */
function prepareCli(log) {
  const bin = path.join(ROOT, 'bin', 'dane-zone.js');
  if (!fs.existsSync(bin)) return { error: 'bin/dane-zone.js not found' };
  const bundler = path.join(ROOT, 'scripts', 'bundle.js');
  if (fs.existsSync(bundler) && /dist[\\/]+cli/.test(fs.readFileSync(bin, 'utf8'))) {
    const r = spawnSync(process.execPath, [bundler], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) log(`scripts/bundle.js failed (${short(lastLine(r.stderr || r.stdout || ''))}); using whatever bin/dane-zone.js loads`);
  }
  return { bin };
}

/** Counts the CLI's diagnostics per code from its text output. */
function codeCounts(lines) {
  const counts = {};
  for (const l of lines) {
    const m = /^[^:]*:\d+:\d+: \w+ ([\w-]+):/.exec(l);
    if (m) counts[m[1]] = (counts[m[1]] || 0) + 1;
  }
  return counts;
}

async function benchCli(name, file, bytes, o, log, extraArgs = []) {
  const p = prepareCli(log);
  if (p.error) return { name, skipped: p.error };
  const outFile = path.join(os.tmpdir(), 'dane-zone-bench', `cli-output-${process.pid}.txt`);
  const r = await runRepeated(o.repeat, () => runMeasured(process.execPath, [p.bin, 'check', ...extraArgs, file], { cwd: ROOT, timeoutMs: o.timeoutS * 1000, stdoutFile: outFile }));
  const res = outcome(r);
  let out = '';
  try { out = fs.readFileSync(outFile, 'utf8'); fs.unlinkSync(outFile); } catch { /* none */ }
  const lines = out.split('\n').filter(Boolean);
  const counts = codeCounts(lines);
  const diagnostics = Object.values(counts).reduce((a, b) => a + b, 0);
  const byCode = Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
  const note = res.ok ? `${runsNote(r)}exit ${r.code}; ${diagnostics} diagnostics${byCode ? ` (${short(byCode, 120)})` : ''}` : res.note;
  return { name, wallMs: res.ok ? r.wallMs : NaN, cpuMs: r.cpuMs, peakKB: r.peakKB, bytes, note, code: r.code, diagnostics, counts, walls: r.walls, cpus: r.cpus };
}

async function benchKzonecheck(name, file, bytes, o, log, args) {
  const kz = ensureCommand('kzonecheck', ['knot-dnssecutils', 'knot'], { install: o.install, log });
  if (!kz) return { name, skipped: 'kzonecheck missing (Debian package knot-dnssecutils)' };
  const v = spawnSync(kz, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const version = (/(\d+\.\d+(\.\d+)?)/.exec((v.stdout || '') + (v.stderr || '')) || [])[1] || '?';
  const outFile = path.join(os.tmpdir(), 'dane-zone-bench', `kzc-output-${process.pid}.txt`);
  const r = await runRepeated(o.repeat, () => runMeasured(kz, [...args, file], { timeoutMs: o.timeoutS * 1000, stdoutFile: outFile }));
  const res = outcome(r);
  let out = '';
  try { out = fs.readFileSync(outFile, 'utf8'); fs.unlinkSync(outFile); } catch { /* none */ }
  const note = res.ok ? `${runsNote(r)}exit ${r.code}; ${short(lastLine(out) || lastLine(r.stderr) || 'no output', 80)}` : res.note;
  return { name: `${name} (Knot ${version} ${args.join(' ')})`, wallMs: res.ok ? r.wallMs : NaN, cpuMs: r.cpuMs, peakKB: r.peakKB, bytes, note, code: r.code, walls: r.walls, cpus: r.cpus };
}

/**
 * scripts/bench/floor.js on the generated zone, `repeat` runs each: the scanner alone, and the
 * least checker of that zone (its findings by code compared with dane-zone's, `cliCounts`).
 */
async function benchFloor(file, bytes, o, cliCounts) {
  const rows = [];
  for (const [name, extra] of [['JavaScript floor: scanner alone', []], ['JavaScript floor: least checker', ['--checks']]]) {
    const r = await runRepeated(o.repeat, () => runMeasured(process.execPath, [path.join(__dirname, 'bench', 'floor.js'), file, ...extra], { cwd: ROOT, timeoutMs: o.timeoutS * 1000 }));
    const res = outcome(r);
    let note = res.note;
    if (res.ok) {
      const m = /findings: (\{.*\})/.exec(r.stderr || '');
      const found = m ? JSON.parse(m[1]) : undefined;
      const same = found && cliCounts && JSON.stringify(Object.entries(found).sort()) === JSON.stringify(Object.entries(cliCounts).sort());
      const byCode = found ? Object.entries(found).map(([k, v]) => `${k} ${v}`).join(', ') : '?';
      note = `${runsNote(r)}exit ${r.code}` + (extra.length ? `; ${byCode}${cliCounts ? (same ? ': the same counts as dane-zone check' : ': NOT the counts of dane-zone check') : ''}` : '');
    }
    rows.push({ name, wallMs: res.ok && r.code === 0 ? r.wallMs : NaN, cpuMs: r.cpuMs, peakKB: r.peakKB, bytes, note, walls: r.walls, cpus: r.cpus });
  }
  return rows;
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

/** The LSP rows of one file (diagnosticsDelay 0, as in the issue's table); `probes`: that many more opens for the hover behind the didOpen (hoverProbes). */
async function benchLsp(label, file, o, settings = {}, probes = 0) {
  const r = await lspSession(file, { edits: o.edits, timeoutS: o.timeoutS, settings: { diagnosticsDelay: 0, ...settings } });
  if (r.skipped) return { lsp: r, rows: [{ name: `dane-zone LSP (${label})`, skipped: r.skipped }] };
  const rows = [];
  if (r.failed) rows.push({ name: `dane-zone LSP (${label})`, failed: r.failed });
  if (Number.isFinite(r.openMs)) {
    rows.push({ name: `LSP ${label}: open → first diagnostics`, wallMs: r.openMs, latency: true, cpuMs: r.openCpuMs, peakKB: r.openPeakKB, note: `${r.openCount} diagnostics; ${r.sync} sync; CPU = server's until the last publication` });
    rows.push({ name: `LSP ${label}: open → complete`, wallMs: r.openCompleteMs, latency: true, note: `last publication: ${r.openCompleteCount} diagnostics` });
  }
  const range = (xs) => (xs.length ? `median of ${xs.length} (${xs.map((x) => fmtMs(x)).join(', ')})` : '');
  if (r.firstPub.length) rows.push({ name: `LSP ${label}: edit → first publication`, wallMs: median(r.firstPub), latency: true, note: range(r.firstPub) });
  if (r.complete.length) rows.push({ name: `LSP ${label}: edit → complete`, wallMs: median(r.complete), latency: true, note: range(r.complete) });
  const hov = r.hovers.map((h) => h.ms).filter(Number.isFinite);
  if (hov.length) rows.push({ name: `LSP ${label}: hover during analysis (worst)`, wallMs: Math.max(...hov), latency: true, note: `sent right after the open and each edit: ${r.hovers.map((h) => `${h.after} ${fmtMs(h.ms)}`).join(', ')}` });
  if (Number.isFinite(r.peakKB)) rows.push({ name: `LSP ${label}: server peak memory`, peakKB: r.peakKB, latency: true, note: 'VmHWM at the end of the session' });
  if (r.notes && rows.length) rows[rows.length - 1].note += `; ${r.notes.join('; ')}`;
  if (probes) {
    // The hover behind the didOpen again, over more opens, beside a server that only reads.
    const p = await hoverProbes(file, { rounds: probes, edits: o.edits, timeoutS: o.timeoutS });
    r.probes = p;
    if (p.skipped) rows.push({ name: `LSP ${label}: hover behind the didOpen`, skipped: p.skipped });
    else {
      const list = (xs) => xs.map((x) => fmtMs(x)).join(', ');
      const d = p.dane.filter(Number.isFinite), n = p.transport.filter(Number.isFinite);
      rows.push({ name: `LSP ${label}: hover behind the didOpen (${probes} opens)`, wallMs: median(d), latency: true,
        note: `median; line ${p.line + 1}; dane-zone ${list(p.dane)}; a server that only reads (transport alone) ${list(p.transport)}, median ${fmtMs(median(n))}${p.failed ? `; FAILED: ${p.failed}` : ''}` });
    }
  }
  return { lsp: r, rows };
}

/** The issue's table for one zone: [what, dane-zone, kzonecheck, goal, verdict]. */
function goalTable(cli, kz, lsp) {
  const ok = (r) => r && !r.skipped && !r.failed && Number.isFinite(r.wallMs);
  const t = [];
  const verdict = (met) => (met === undefined ? 'unknown' : met ? 'met' : 'NOT met');
  const rate = (r, ms) => (ok(r) && Number.isFinite(ms) ? r.bytes / MB / (ms / 1000) : undefined);
  const cw = rate(cli, cli && cli.wallMs), kw = rate(kz, kz && kz.wallMs);
  const cc = rate(cli, cli && cli.cpuMs), kc = rate(kz, kz && kz.cpuMs);
  const both = (a, b) => (a === undefined || b === undefined ? undefined : a / b);
  const f1 = (x) => (x === undefined ? 'n/a' : x.toFixed(1));
  t.push(['check: throughput (CPU time)', cc === undefined ? 'n/a' : `${f1(cc)} MB/s`, kc === undefined ? 'n/a' : `${f1(kc)} MB/s`, '≥ 2× kzonecheck',
    both(cc, kc) === undefined ? 'unknown' : `${verdict(cc >= 2 * kc)} (${both(cc, kc).toFixed(2)}×)`]);
  t.push(['check: throughput (wall time)', cw === undefined ? 'n/a' : `${f1(cw)} MB/s`, kw === undefined ? 'n/a' : `${f1(kw)} MB/s`, '(≥ 2× kzonecheck)',
    both(cw, kw) === undefined ? 'unknown' : `${(both(cw, kw)).toFixed(2)}× (noisy: shared machine)`]);
  const cm = ok(cli) ? cli.peakKB : undefined, km = ok(kz) ? kz.peakKB : undefined;
  t.push(['check: peak RSS', fmtMem(cm), fmtMem(km), '≤ kzonecheck', cm === undefined || km === undefined ? 'unknown' : verdict(cm <= km)]);
  if (lsp) {
    const r = lsp;
    const hov = (r.hovers || []).map((h) => h.ms).filter(Number.isFinite);
    const line = (what, v, goal, met, fmt = fmtMs) => t.push([what, Number.isFinite(v) ? fmt(v) : 'n/a', '', goal, Number.isFinite(v) ? verdict(met(v)) : 'unknown']);
    line('LSP: open → first diagnostics', r.openMs, '≤ 1.5 s', (v) => v <= 1500);
    line('LSP: one-line edit → first publication (delay 0)', median(r.firstPub || []), '≤ 50 ms', (v) => v <= 50);
    line('LSP: one-line edit → complete diagnostics', median(r.complete || []), '≤ 150 ms', (v) => v <= 150);
    line('LSP: a hover sent during analysis waits (worst)', hov.length ? Math.max(...hov) : NaN, '≤ 100 ms', (v) => v <= 100);
    const p = r.probes;
    if (p && !p.skipped) {
      // (the same hover over more opens: how often it is met, and what the transport alone takes)
      const d = p.dane.filter(Number.isFinite), n = p.transport.filter(Number.isFinite);
      const under = d.filter((v) => v <= 100).length;
      t.push([`LSP: that hover behind the didOpen, ${p.dane.length} more opens: median (worst)`, d.length ? `${fmtMs(median(d))} (${fmtMs(Math.max(...d))})` : 'n/a', '', '≤ 100 ms',
        d.length ? `met in ${under} of ${p.dane.length}; transport alone ${fmtMs(median(n))} (${fmtMs(Math.max(...n))})` : 'unknown']);
    }
    line('LSP: server peak memory', r.peakKB, '≤ 1 GB', (v) => v <= 1024 * 1024, fmtMem);
  }
  return t;
}

/** What the JavaScript floors say about the CPU goal: each one's CPU against kzonecheck's. */
function floorNotes(floor, kz) {
  if (!Array.isArray(floor)) return [];
  const kc = kz && !kz.skipped && Number.isFinite(kz.cpuMs) ? kz.cpuMs : undefined;
  return floor.filter((r) => Number.isFinite(r.cpuMs) && Number.isFinite(r.wallMs)).map((r) =>
    `  ${r.name} (scripts/bench/floor.js, not dane-zone): ${fmtS(r.cpuMs)} CPU` +
    (kc ? `, ${(kc / r.cpuMs).toFixed(2)}× kzonecheck's throughput (the goal for dane-zone: 2×, at most ${fmtS(kc / 2)})` : ''));
}

function printGrid(head, body, numeric = () => false) {
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  const line = (cells) => '| ' + cells.map((c, i) => (numeric(i) ? String(c).padStart(w[i]) : String(c).padEnd(w[i]))).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + w.map((x, i) => (numeric(i) ? '-'.repeat(x + 1) + ':' : '-'.repeat(x + 2))).join('|') + '|');
  for (const b of body) console.log(line(b));
}

function printRows(rows) {
  const body = rows.map((r) => {
    if (r.skipped) return [r.name, '-', '-', '-', '-', `skipped: ${r.skipped}`];
    if (r.failed) return [r.name, '-', '-', '-', '-', `FAILED: ${r.failed}`];
    return [r.name, r.latency ? fmtMs(r.wallMs) : fmtS(r.wallMs), r.latency || r.bytes === undefined ? '-' : fmtRate(r.bytes, r.wallMs),
      Number.isFinite(r.cpuMs) ? fmtS(r.cpuMs) : '-', fmtMem(r.peakKB), r.note || ''];
  });
  printGrid(['measurement', 'wall', 'MB/s', 'CPU', 'peak RSS', 'result'], body, (i) => i >= 1 && i <= 4);
}

async function main() {
  const o = options(process.argv.slice(2));
  const log = (s) => console.log(`\n  ${s}`);
  const started = Date.now();
  const { file, cached } = zoneFile(o.records);
  const bytes = fs.statSync(file).size;
  const cpu = ((os.cpus()[0] || {}).model || '?').trim();
  console.log(`dane-zone benchmark, ${new Date().toISOString()}`);
  console.log(`generated zone: ${o.records.toLocaleString('en')} records, ${(bytes / MB).toFixed(1)} MB, ${cached ? 'cached' : 'generated'}: ${file}`);
  console.log(`machine: ${os.cpus().length} × ${cpu}, node ${process.version}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM; load average now ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  if (!gnuTimePath() && o.install && isRoot() && ensureCommand('time', 'time', { log })) gnuTimePath(true);
  const tp = gnuTimePath();
  console.log(`CLI/kzonecheck: peak RSS and CPU (user + system) from ${tp ? `${tp} -v` : 'polling /proc (no CPU time: install GNU time)'}; LSP: the server's VmHWM and /proc CPU\n`);

  const res = {};
  const rows = [];
  const step = async (key, label, fn) => {
    if (!o.only.has(key)) return undefined;
    process.stdout.write(`running ${label} … `);
    const t0 = Date.now();
    let r;
    try { r = await fn(); } catch (e) { r = { name: label, failed: (e && e.message) || String(e) }; }
    console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
    res[label] = r;
    const list = Array.isArray(r) ? r : r && r.rows ? r.rows : [r];
    rows.push(...list);
    return r;
  };
  const kz = await step('kzonecheck', 'kzonecheck', () => benchKzonecheck('kzonecheck', file, bytes, o, log, ['-o', ORIGIN]));
  const cli = await step('cli', 'dane-zone check', () => benchCli('dane-zone check', file, bytes, o, log));
  const floor = await step('floor', 'JavaScript floors', () => benchFloor(file, bytes, o, cli && cli.counts));
  await step('dnszonefile', 'dns-zonefile', () => benchDnsZonefile(file, bytes, o));
  const lsp = await step('lsp', 'language server', () => benchLsp(`${(o.records / 1e6).toLocaleString('en')}M records`, file, o, {}, 5));

  let rootTable;
  if (o.only.has('root')) {
    if (!fs.existsSync(ROOT_ZONE)) {
      console.log(`root zone: skipped: ${ROOT_ZONE} is absent (the corpora live beside the checkout in ../shared)`);
      rows.push({ name: 'root zone', skipped: `${ROOT_ZONE} is absent` });
    } else {
      const rb = fs.statSync(ROOT_ZONE).size;
      const t = String(Date.parse(ROOT_NOW) / 1000);
      const rkz = await step('root', 'kzonecheck on the root zone', () => benchKzonecheck('kzonecheck root zone', ROOT_ZONE, rb, o, log, ['-o', '.', '-t', t]));
      const rcli = await step('root', 'dane-zone check on the root zone', () => benchCli('dane-zone check root zone', ROOT_ZONE, rb, o, log, ['--now', ROOT_NOW]));
      const rlsp = await step('root', 'language server on the root zone', () => benchLsp('root zone', ROOT_ZONE, o));
      rootTable = goalTable(rcli, rkz, rlsp && rlsp.lsp);
    }
  }
  let dnssec;
  await step('dnssec', 'signed zone (DNSSEC)', async () => {
    const r = await benchDnssec(o, log);
    if (Array.isArray(r)) return r;
    dnssec = r;
    return r.rows;
  });
  await step('hostile', 'hostile inputs', () => require('./bench/hostile').benchHostile());

  const head = ['', 'dane-zone', 'kzonecheck', 'goal', 'verdict'];
  const mainTable = goalTable(cli, kz, lsp && lsp.lsp);
  console.log(`\n${o.records.toLocaleString('en')} records (${(bytes / MB).toFixed(1)} MB), generated hosting-provider zone:`);
  printGrid(head, mainTable);
  const floorLines = floorNotes(floor, kz);
  for (const l of floorLines) console.log(l);
  if (rootTable) {
    console.log(`\nIANA root zone (${path.basename(ROOT_ZONE)}, signed, checked as at ${ROOT_NOW}):`);
    printGrid(head, rootTable);
  }
  const more = dnssecTargets(dnssec);
  if (more.length) {
    console.log('\nsigned zone:');
    for (const [k, v] of more) console.log(`  ${k}  ${v}`);
  }
  console.log('\nall measurements:');
  printRows(rows);
  console.log(`\n(total ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  const json = {
    date: new Date().toISOString(),
    machine: { cpu, cpus: os.cpus().length, node: process.version, loadavg: os.loadavg() },
    zone: { records: o.records, bytes, file },
    table: mainTable.map(([what, dane, kzc, goal, verdict]) => ({ what, dane, kzonecheck: kzc, goal, verdict })),
    floor: floorLines,
    rootTable: rootTable && rootTable.map(([what, dane, kzc, goal, verdict]) => ({ what, dane, kzonecheck: kzc, goal, verdict })),
    dnssec: Object.fromEntries(more),
    rows,
  };
  fs.writeFileSync(o.json, JSON.stringify(json, null, 2));
  console.log(`JSON: ${o.json}`);
}

main().then(() => process.exit(0), (e) => { console.error((e && e.stack) || String(e)); process.exit(1); });
