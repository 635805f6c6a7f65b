#!/usr/bin/env node
// Hostile-input benchmark (issue 17): the inputs of the issue with the default budgets, each in
// its own process, with wall time, CPU and peak RSS asserted against bounds; and real timings of
// the shapes whose linear growth the unit tests assert by counting work.
//
// Usage: node scripts/bench/hostile.js [--json FILE]     (also: npm run bench -- --only hostile)
// Exit status 1 when a bound is not met.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const OUT = path.join(__dirname, '..', '..', 'out', 'server', 'src', 'core');

/** Each case runs in a fresh node; `body` is the source of a function (mods) => summary string. */
const CASES = [
  {
    name: '$GENERATE 0-65535 h${0,100000000,d} (editor document)', maxMs: 2_000, maxMB: 300,
    body: `(m) => { const d = new m.document.ZoneDocument('$ORIGIN e.\\n$TTL 1\\n$GENERATE 0-65535 h\${0,100000000,d} A 10.0.0.1\\n'); return d.parsed.records.length + ' records, ' + d.diagnostics().length + ' diagnostic'; }`,
  },
  {
    name: '$INCLUDE fan-out 16^5 (CLI streaming, 1M budget)', maxMs: 30_000, maxMB: 600,
    body: `(m) => { const io = m.fanOut(5, 16); let n = 0; const p = m.parser.parseZone(io.main, { io, fileName: '/z/main.zone', onRecord: () => n++ }); return n + ' records, ' + p.diagnostics.length + ' diagnostics'; }`,
  },
  {
    name: '$INCLUDE fan-out 16^6 (editor document, 1M budget)', maxMs: 60_000, maxMB: 1_800,
    body: `(m) => { const io = m.fanOut(6, 16); const d = new m.document.ZoneDocument(io.main, { io, fileName: '/z/main.zone' }); return d.parsed.records.length + ' records, ' + d.syntaxDiagnostics().length + ' diagnostics'; }`,
  },
  {
    name: '15 × $GENERATE 0-65535 included 4 times (CLI streaming)', maxMs: 30_000, maxMB: 600,
    body: `(m) => { const inc = Array.from({ length: 15 }, (_, i) => '$GENERATE 0-65535 g' + i + '-$ A 10.0.0.1').join('\\n') + '\\n'; const io = m.memoryIO({ '/z/gen.zone': inc }); let n = 0; const p = m.parser.parseZone('$ORIGIN e.\\n$TTL 1\\n' + '$INCLUDE gen.zone\\n'.repeat(4), { io, fileName: '/z/main.zone', onRecord: () => n++ }); return n + ' records, ' + p.diagnostics.length + ' diagnostics'; }`,
  },
  {
    name: 'two $GENERATE 0-65535 (editor document + zone checks + symbols)', maxMs: 20_000, maxMB: 900,
    body: `(m) => { const d = new m.document.ZoneDocument('$ORIGIN e.\\n$TTL 1\\n@ SOA ns h 1 2 3 4 5\\n@ NS ns\\nns A 10.0.0.1\\n$GENERATE 0-65535 a$ A 10.0.0.1\\n$GENERATE 0-65535 b$ A 10.0.0.2\\na7 CNAME ns\\n'); const z = d.zoneDiagnostics().length; const s = m.symbols.documentSymbols(d.parsed).length; return d.parsed.records.length + ' records, ' + z + ' zone diagnostics, ' + s + ' symbols'; }`,
  },
  {
    name: 'a line of 200,000 `)` (editor document)', maxMs: 5_000, maxMB: 400,
    body: `(m) => { const d = new m.document.ZoneDocument(')'.repeat(200000) + '\\n'); return d.diagnostics().length + ' diagnostics'; }`,
  },
];

const PRELUDE = `
const path = require('node:path');
const OUT = ${JSON.stringify(OUT)};
const m = {
  parser: require(path.join(OUT, 'parser.js')),
  document: require(path.join(OUT, 'document.js')),
  symbols: require(path.join(OUT, 'features', 'symbols.js')),
};
m.memoryIO = (files) => ({ readFile: (p) => { if (!(p in files)) throw new Error('no such file'); return files[p]; }, resolvePath: (_f, p) => p.startsWith('/') ? p : '/z/' + p, now: () => new Date(0) });
m.fanOut = (levels, width) => {
  const files = {};
  for (let k = 1; k < levels; k++) files['/z/l' + k + '.zone'] = ('$INCLUDE l' + (k + 1) + '.zone\\n').repeat(width);
  files['/z/l' + levels + '.zone'] = 'x A 10.0.0.1\\n';
  const io = m.memoryIO(files);
  io.main = '$ORIGIN e.\\n$TTL 1\\n' + '$INCLUDE l1.zone\\n'.repeat(width);
  return io;
};
`;

function runCase(c) {
  const src = `${PRELUDE}
const t0 = process.hrtime.bigint(); const c0 = process.cpuUsage();
const summary = (${c.body})(m);
const c1 = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ summary, wallMs: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (c1.user + c1.system) / 1000, peakKB: process.resourceUsage().maxRSS }));`;
  const r = spawnSync(process.execPath, ['--max-old-space-size=4096', '-e', src], { encoding: 'utf8', timeout: 5 * 60_000, maxBuffer: 1 << 20 });
  if (r.status !== 0) return { name: c.name, failed: (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-3).join(' ') };
  const res = JSON.parse(r.stdout);
  const mb = res.peakKB / 1024;
  const ok = res.wallMs <= c.maxMs && mb <= c.maxMB;
  return { name: c.name, ...res, bound: `≤ ${c.maxMs / 1000} s, ≤ ${c.maxMB} MB`, ok, note: `${res.summary}; bound ≤ ${c.maxMs / 1000} s and ≤ ${c.maxMB} MB: ${ok ? 'met' : 'NOT met'}` };
}

/** Real CPU timings of the linear-growth shapes (the unit tests count work instead). */
const SHAPES = [
  ['unterminated quotes (lines)', (n) => 'x TXT "abc\n'.repeat(n)],
  ['unclosed ( (count)', (n) => 'a IN TXT ' + '('.repeat(n)],
  ['( then n lines read as one record', (n) => '@ IN SOA a b (\n' + 'www A 192.0.2.1\n'.repeat(n)],
  ['one error per line (lines)', (n) => 'bad!name A 1.2.3\n'.repeat(n)],
  ['TXT strings in one record (count)', (n) => '@ 60 TXT ' + '"x" '.repeat(n) + '\n'],
  ['backslash-newline lines', (n) => 'x TXT abc\\\ndef\n'.repeat(n)],
  ['CR-only lines', (n) => 'a 60 A 192.0.2.1\r'.repeat(n)],
];

function linearRows() {
  const { parseZone } = require(path.join(OUT, 'parser.js'));
  const cpu = (text) => {
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      const c0 = process.cpuUsage();
      parseZone(text, { origin: 'e.' });
      const c = process.cpuUsage(c0);
      best = Math.min(best, (c.user + c.system) / 1000);
    }
    return best;
  };
  const rows = [];
  for (const [name, make] of SHAPES) {
    cpu(make(2000));
    // Large enough that a parse takes ≥ 50 ms of CPU: small timings are mostly noise.
    let n = 50_000;
    let t1 = cpu(make(n));
    while (t1 < 50 && n < 1_600_000) { n *= 2; t1 = cpu(make(n)); }
    const t4 = cpu(make(4 * n));
    const ratio = t4 / Math.max(t1, 0.01);
    rows.push({ name: `linear: ${name}`, wallMs: t4, cpuMs: t4, ok: ratio < 10, note: `n=${n}: ${t1.toFixed(1)} ms, 4n: ${t4.toFixed(1)} ms of CPU (best of 5): ratio ${ratio.toFixed(1)} (linear ≈ 4, bound < 10): ${ratio < 10 ? 'met' : 'NOT met'}` });
  }
  return rows;
}

function benchHostile(log = () => undefined) {
  if (!fs.existsSync(path.join(OUT, 'parser.js'))) return [{ name: 'hostile', failed: 'run `tsc -b` first' }];
  const rows = [];
  for (const c of CASES) {
    log(c.name);
    rows.push(runCase(c));
  }
  return rows.concat(linearRows());
}

module.exports = { benchHostile };

if (require.main === module) {
  const rows = benchHostile((s) => process.stderr.write(`running ${s} …\n`));
  for (const r of rows) {
    console.log(r.failed ? `FAILED  ${r.name}: ${r.failed}` : `${r.ok ? 'ok    ' : 'NOT OK'}  ${r.name}: ${(r.wallMs / 1000).toFixed(2)} s wall, ${(r.cpuMs / 1000).toFixed(2)} s CPU${r.peakKB ? `, ${(r.peakKB / 1024).toFixed(0)} MB peak RSS` : ''} — ${r.note}`);
  }
  const json = process.argv.indexOf('--json');
  if (json > 0) fs.writeFileSync(process.argv[json + 1], JSON.stringify(rows, null, 2));
  process.exit(rows.every((r) => r.ok && !r.failed) ? 0 : 1);
}
