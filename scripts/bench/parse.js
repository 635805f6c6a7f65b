// The parser's own cost, in process: CPU, GC time and heap of parsing one zone file in the
// CLI's streaming mode (CompactRecords handed to `onRecord`) and in the document's mode (the
// chunks of the open document: documentChunks.parseChunks, records kept). Alternates builds
// (each `--out` directory is a compiled `out/`), one fresh process per measurement, and prints
// the median of `--rounds` runs per build and mode.
//
//   node scripts/bench/parse.js ZONE [--out out,/tmp/old/out] [--rounds 3] [--mode stream,document]
//
// Measures CPU time (process.cpuUsage, user+sys: the parallel scavenger's threads count too),
// GC pause time (PerformanceObserver 'gc') and the heap after a forced GC with the records alive.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');

function child(outDir, mode, zone) {
  const { performance, PerformanceObserver } = require('node:perf_hooks');
  const core = (m) => require(path.resolve(outDir, 'server/src/core', m));
  const text = fs.readFileSync(zone, 'utf8');
  let gcMs = 0;
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcMs += e.duration; });
  obs.observe({ entryTypes: ['gc'] });
  let kept;
  let records = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  if (mode === 'stream') {
    const { parseZone } = core('parser');
    const z = parseZone(text, { onRecord: () => { records++; } });
    kept = z.diagnostics;
  } else {
    const { parseChunks } = core('documentChunks');
    const { initialState } = core('parser');
    const options = {};
    const { chunks } = parseChunks(options, text, 0, 0, initialState(options));
    for (const ch of chunks) records += ch.zone.records.length;
    kept = chunks;
  }
  const c1 = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  return new Promise((resolve) => setTimeout(() => {
    obs.disconnect();
    global.gc?.();
    const heap = process.memoryUsage().heapUsed;
    resolve({ cpu: (c1.user + c1.system) / 1000, wall, gc: gcMs, heapMB: heap / 2 ** 20, records, keep: kept ? 1 : 0 });
  }, 200));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    const r = await child(argv[1], argv[2], argv[3]);
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
  const zone = argv.find((a, i) => !a.startsWith('--') && (i === 0 || !argv[i - 1].startsWith('--')));
  if (!zone) { console.error('usage: node scripts/bench/parse.js ZONE [--out out,DIR2] [--rounds 3] [--mode stream,document]'); process.exit(2); }
  const outs = opt('--out', 'out').split(',');
  const modes = opt('--mode', 'stream,document').split(',');
  const rounds = Number(opt('--rounds', '3'));
  const results = {};
  for (let r = 0; r < rounds; r++) {
    for (const mode of modes) {
      for (const out of (r % 2 ? [...outs].reverse() : outs)) {
        const p = spawnSync(process.execPath, ['--expose-gc', __filename, '--child', out, mode, zone], { encoding: 'utf8', maxBuffer: 1 << 20 });
        if (p.status !== 0) { console.error(p.stderr); process.exit(1); }
        const res = JSON.parse(p.stdout.trim().split('\n').pop());
        ((results[mode] ??= {})[out] ??= []).push(res);
        console.log(`${mode.padEnd(8)} ${out.padEnd(28)} cpu ${res.cpu.toFixed(0).padStart(5)} ms  wall ${res.wall.toFixed(0).padStart(5)} ms  gc ${res.gc.toFixed(0).padStart(4)} ms  heap ${res.heapMB.toFixed(0).padStart(4)} MB  records ${res.records}`);
      }
    }
  }
  console.log('\nmedian of', rounds);
  for (const mode of modes) {
    for (const out of outs) {
      const rs = results[mode][out];
      console.log(`${mode.padEnd(8)} ${out.padEnd(28)} cpu ${median(rs.map((x) => x.cpu)).toFixed(0).padStart(5)} ms  wall ${median(rs.map((x) => x.wall)).toFixed(0).padStart(5)} ms  gc ${median(rs.map((x) => x.gc)).toFixed(0).padStart(4)} ms  heap ${median(rs.map((x) => x.heapMB)).toFixed(0).padStart(4)} MB`);
    }
  }
}

main();
