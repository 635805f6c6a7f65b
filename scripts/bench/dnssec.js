// The DNSSEC rows of `npm run bench`: full validation of a signed zone of ~100,000 records by
// `dane-zone check` against `kzonecheck -d on`, and the editor's re-validation after a
// one-record edit (in process: the incremental document + the DNSSEC stage with its cache,
// as the language server runs them).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { runMeasured, which } = require('./measure');

const ROOT = path.join(__dirname, '..', '..');
const ORIGIN = 'signed.example.';
/** Names with one A record each: with RRSIG, NSEC and its RRSIG, 4 records a name. */
const NAMES = 25_000;
const NOW = '2025-01-01T00:00:00Z';
const NOW_UNIX = String(Date.parse(NOW) / 1000);

/** The signed zone (dnssec-signzone, ECDSAP256SHA256, NSEC), made once into the bench cache. */
function signedZone(log) {
  const dir = path.join(os.tmpdir(), 'dane-zone-bench', `signed-${NAMES}-v1`);
  const file = path.join(dir, 'signed.zone');
  if (fs.existsSync(file)) return { file };
  if (!which('dnssec-keygen') || !which('dnssec-signzone')) return { error: 'dnssec-keygen/dnssec-signzone missing (apt package bind9-utils)' };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const lines = [`$ORIGIN ${ORIGIN}`, '$TTL 3600', '@ SOA ns1 hostmaster 1 7200 3600 1209600 3600', '  NS ns1', 'ns1 A 192.0.2.1'];
  for (let i = 0; i < NAMES; i++) lines.push(`h${i} A 10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
  fs.writeFileSync(path.join(dir, 'unsigned.zone'), lines.join('\n') + '\n');
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  };
  log(`signing ${NAMES} names with dnssec-signzone (once) …`);
  run('dnssec-keygen', ['-q', '-a', 'ECDSAP256SHA256', '-K', dir, ORIGIN]);
  run('dnssec-keygen', ['-q', '-a', 'ECDSAP256SHA256', '-f', 'KSK', '-K', dir, ORIGIN]);
  run('dnssec-signzone', ['-q', '-K', dir, '-S', '-o', ORIGIN, '-f', `${file}.tmp`, '-s', '20240101000000', '-e', '20350101000000', path.join(dir, 'unsigned.zone')]);
  fs.renameSync(`${file}.tmp`, file);
  return { file };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

async function repeated(n, run) {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await run());
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return { ...sorted[(sorted.length - 1) >> 1], walls: runs.map((r) => r.wallMs) };
}

/** Re-validation after one-record edits, in process (compiled core + the server's DNSSEC stage). */
async function editLatency(file, edits) {
  const { ZoneDocument } = require(path.join(ROOT, 'out', 'server', 'src', 'core', 'document.js'));
  const { DnssecService } = require(path.join(ROOT, 'out', 'server', 'src', 'lsp', 'dnssec.js'));
  const text = fs.readFileSync(file, 'utf8');
  const doc = new ZoneDocument(text, { now: new Date(NOW) });
  const service = new DnssecService();
  const uri = 'file:///bench/signed.zone';
  let t0 = performance.now();
  const first = await service.run(uri, text, doc.parsed);
  const coldMs = performance.now() - t0;
  if (first.length) throw new Error(`the signed zone does not validate clean: ${first[0].code}: ${first[0].message}`);
  const times = [];
  let current = text;
  let found = [];
  let stats = '';
  for (let k = 0; k < edits; k++) {
    // Change the address of one host in the middle of the zone: its A RRset must come back invalid.
    const i = Math.floor(((k + 1) * NAMES) / (edits + 1));
    const needle = `\nh${i}.${ORIGIN}`;
    const at = current.indexOf(needle);
    const lineEnd = current.indexOf('\n', at + 1);
    const line = current.slice(at + 1, lineEnd);
    const m = /A\s+(\d+\.\d+\.\d+\.)(\d+)\s*$/.exec(line);
    if (!m) throw new Error(`no A record on the line of h${i}: ${line}`);
    const start = at + 1 + m.index + line.slice(m.index).indexOf(m[1]) + m[1].length;
    const change = { start, end: start + m[2].length, text: String((Number(m[2]) + 1) % 256) };
    current = current.slice(0, change.start) + change.text + current.slice(change.end);
    t0 = performance.now();
    doc.update([change]);
    found = await service.run(uri, current, doc.parsed);
    times.push(performance.now() - t0);
    const cache = service.cacheOf(uri);
    stats = `${cache.rrsetsChecked} RRsets re-checked, ${cache.verifiedLast} signatures verified`;
    if (!found.some((d) => d.code === 'rrsig-invalid')) throw new Error('the edited record did not come back rrsig-invalid');
  }
  return { coldMs, editMs: median(times), times, stats, found: found.length };
}

async function benchDnssec(o, log) {
  const rows = [];
  let z;
  try { z = signedZone(log); } catch (e) { return [{ name: 'DNSSEC validation', failed: e.message }]; }
  if (z.error) return [{ name: 'DNSSEC validation', skipped: z.error }];
  const bytes = fs.statSync(z.file).size;
  const records = fs.readFileSync(z.file, 'utf8').split('\n').filter((l) => /^\S+\s+\d+\s+(IN\s+)?[A-Z]/.test(l) || /^\s+\d+\s+[A-Z]/.test(l)).length;
  const kz = which('kzonecheck');
  const result = {};
  if (kz) {
    const r = await repeated(o.repeat, () => runMeasured(kz, ['-o', ORIGIN, '-d', 'on', '-t', NOW_UNIX, z.file], { timeoutMs: o.timeoutS * 1000 }));
    result.kz = r;
    rows.push({ name: 'kzonecheck -d on (signed zone)', wallMs: r.wallMs, cpuMs: r.cpuMs, peakKB: r.peakKB, bytes, note: `exit ${r.code}; ~${records} records; runs ${r.walls.map((w) => (w / 1000).toFixed(2)).join(', ')} s` });
  } else rows.push({ name: 'kzonecheck -d on (signed zone)', skipped: 'kzonecheck missing (apt package knot-dnssecutils)' });
  const bin = path.join(ROOT, 'bin', 'dane-zone.js');
  const r = await repeated(o.repeat, () => runMeasured(process.execPath, [bin, 'check', '--now', NOW, z.file], { cwd: ROOT, timeoutMs: o.timeoutS * 1000 }));
  result.cli = r;
  rows.push({ name: 'dane-zone check (signed zone, full validation)', wallMs: r.wallMs, cpuMs: r.cpuMs, peakKB: r.peakKB, bytes, note: `exit ${r.code}; runs ${r.walls.map((w) => (w / 1000).toFixed(2)).join(', ')} s` });
  try {
    const e = await editLatency(z.file, o.edits);
    result.edit = e;
    rows.push({ name: 'editor: DNSSEC stage, first run (cold)', wallMs: e.coldMs, latency: true, note: 'every signature verified' });
    rows.push({ name: 'editor: one-record edit → re-validated', wallMs: e.editMs, latency: true, note: `median of ${e.times.length} (${e.times.map((t) => t.toFixed(0)).join(', ')} ms), incl. the incremental re-parse; ${e.stats}` });
  } catch (err) {
    rows.push({ name: 'editor: one-record edit → re-validated', failed: err.message });
  }
  return { rows, result };
}

/** Target lines for bench.js's summary. */
function dnssecTargets(res) {
  const t = [];
  if (!res) return t;
  const { kz, cli, edit } = res.result || {};
  if (kz && cli) t.push(['DNSSEC check ≤ 2× kzonecheck -d on', `${cli.wallMs <= 2 * kz.wallMs ? 'met' : 'NOT met'} (${(cli.wallMs / 1000).toFixed(2)} s vs ${(kz.wallMs / 1000).toFixed(2)} s, ${(cli.wallMs / kz.wallMs).toFixed(2)}×)`]);
  if (edit) t.push(['DNSSEC re-validation after an edit < 50 ms', `${edit.editMs < 50 ? 'met' : 'NOT met'} (median ${edit.editMs.toFixed(1)} ms)`]);
  return t;
}

module.exports = { benchDnssec, dnssecTargets };
