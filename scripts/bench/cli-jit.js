// What V8 spends beside our code in one `dane-zone check`: CPU per thread (the main thread, and
// V8's and libuv's threads: concurrent TurboFan and GC), TurboFan's compiles (how many, which
// functions were compiled more than once, the deopts and code invalidations that caused it) and
// the GC pauses. Three runs of the CLI, each with its own V8 flags, the output discarded:
//
//   node scripts/bench/cli-jit.js ZONE [--cli PATH] [--json FILE] [-- more check arguments]
//
// `--cli`: the CLI's entry (default bin/dane-zone.js: dist/cli.js or out/, whichever was built
// last; the bench runs that). The first run is plain (CPU per thread read from /proc at exit,
// Linux only, 10 ms ticks; peak RSS); the second adds --trace-opt --trace-deopt, the third
// --trace-gc (both slow the run down: use their counts, not their times, and compare builds
// on the same machine at the same load). The compile times V8 prints are wall times of a
// background job: at a load above the number of cores they grow with the load. Functions are
// named with their place: file and line, and for a bundle the source file of that line's section.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/** The preload of the plain run: CPU per thread and the process's own usage, as JSON on fd 3's file, at exit. */
const PRELOAD = `
const fs = require('node:fs');
process.on('exit', () => {
  const threads = [];
  try {
    for (const t of fs.readdirSync('/proc/self/task')) {
      const s = fs.readFileSync('/proc/self/task/' + t + '/stat', 'utf8');
      const close = s.lastIndexOf(')');
      const f = s.slice(close + 2).split(' ');
      threads.push({ tid: +t, name: s.slice(s.indexOf('(') + 1, close), ms: (+f[11] + +f[12]) * 10 });
    }
  } catch { /* not Linux */ }
  const u = process.resourceUsage();
  fs.writeFileSync(process.env.CLI_JIT_OUT, JSON.stringify({ pid: process.pid, threads, userMs: u.userCPUTime / 1000, sysMs: u.systemCPUTime / 1000, maxRssKB: u.maxRSS }));
});
`;

function parseArgs(argv) {
  const o = { cli: path.join(ROOT, 'bin', 'dane-zone.js'), json: undefined, zone: undefined, extra: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { o.extra = argv.slice(i + 1); break; }
    if (a === '--cli') o.cli = path.resolve(argv[++i]);
    else if (a === '--json') o.json = argv[++i];
    else if (!o.zone) o.zone = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  if (!o.zone) throw new Error('usage: node scripts/bench/cli-jit.js ZONE [--cli PATH] [--json FILE] [-- check arguments]');
  return o;
}

/** Runs the CLI with `flags`; its stdout (with V8's traces) as a string, or written to /dev/null. */
function runCli(o, flags, { capture, env = {} } = {}) {
  const args = [...flags, o.cli, 'check', ...o.extra, o.zone];
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 30,
    stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe'],
  });
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 1) throw new Error(`the CLI exited with ${r.status}: ${(r.stderr || '').slice(-400)}`);
  return r.stdout || '';
}

function plainRun(o) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-jit-'));
  const pre = path.join(dir, 'preload.js'), out = path.join(dir, 'out.json');
  fs.writeFileSync(pre, PRELOAD);
  try {
    runCli(o, ['-r', pre], { env: { CLI_JIT_OUT: out } });
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    const main = r.threads.find((t) => t.tid === r.pid);
    const others = r.threads.filter((t) => t !== main && t.ms > 0);
    return {
      cpuMs: Math.round(r.userMs + r.sysMs), peakMB: +(r.maxRssKB / 1024).toFixed(1),
      mainMs: main?.ms, otherThreadsMs: others.reduce((a, t) => a + t.ms, 0), threads: others.map((t) => `${t.name}:${t.ms}`),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const bump = (m, k, by = 1) => m.set(k, (m.get(k) ?? 0) + by);
const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]);

/**
 * Where each function is, by its SharedFunctionInfo's address (from --log-code's code-creation
 * events of the same run: the trace prints the tagged pointer, the log the address, one less):
 * `file:line`, and for a bundle the source file of the section it is in (esbuild writes a
 * `// server/src/...` line before each), so that two functions of one name count apart.
 */
function functionPlaces(logFile) {
  const places = new Map();
  const sections = new Map();
  const sectionOf = (file, line) => {
    let list = sections.get(file);
    if (list === undefined) {
      list = [];
      try {
        fs.readFileSync(file, 'utf8').split('\n').forEach((l, i) => { if (/^\/\/ (server|node_modules)\//.test(l)) list.push([i + 1, l.slice(3)]); });
      } catch { /* gone */ }
      sections.set(file, list);
    }
    let found;
    for (const [at, name] of list) { if (at > line) break; found = name; }
    return found;
  };
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('code-creation,JS,')) continue;
    const f = line.split(',');
    const m = / (\/[^ ]*|node:[^ ]*):(\d+):\d+$/.exec(f[6]);
    if (!m) continue;
    const file = m[1], ln = +m[2];
    const section = file.startsWith('node:') ? undefined : sectionOf(file, ln);
    const at = `${path.relative(ROOT, file) || file}:${ln}`;
    places.set(f[7], section ? `${section}, ${at}` : at);
  }
  return places;
}

/** TurboFan's compiles, deopts and invalidated code, from --trace-opt --trace-deopt. */
function jitRun(o) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-jit-'));
  const log = path.join(dir, 'v8.log');
  let text, places;
  try {
    text = runCli(o, ['--trace-opt', '--trace-deopt', '--log-code', `--logfile=${log}`, '--no-logfile-per-isolate'], { capture: true });
    places = functionPlaces(log);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const label = (name, sfi) => {
    const at = places.get('0x' + (BigInt(sfi) - 1n).toString(16));
    return `${name || '(anonymous)'}${at ? ` (${at})` : ''}`;
  };
  const compiles = new Map(), deopts = new Map(), invalidated = new Map();
  let n = 0, osr = 0, ms = 0, osrMs = 0;
  for (const line of text.split('\n')) {
    let m = /^\[completed compiling \S+ <JSFunction ?([^ >]*) ?\(sfi = (\w+)\)> \(target TURBOFAN\)( OSR)? - took ([\d.]+), ([\d.]+), ([\d.]+) ms/.exec(line);
    if (m) {
      const t = +m[4] + +m[5] + +m[6];
      n++; ms += t;
      if (m[3]) { osr++; osrMs += t; }
      bump(compiles, label(m[1], m[2]));
      continue;
    }
    m = /^\[bailout \(kind: ([\w-]+), reason: ([^)]*)\): begin\. deoptimizing \S+ <JSFunction ?([^ >]*) ?\(sfi = (\w+)\)/.exec(line);
    if (m) { bump(deopts, `${label(m[3], m[4])}: ${m[2]} (${m[1]})`); continue; }
    m = /^\[marking dependent code .*\((\w+) <SharedFunctionInfo ?([^>]*)>\) .*reason: ([^\]]*)\]/.exec(line);
    if (m) bump(invalidated, `${label(m[2], m[1])}: ${m[3]}`);
  }
  return {
    compiles: n, osrCompiles: osr, compileWallMs: Math.round(ms), osrWallMs: Math.round(osrMs),
    compiledMoreThanOnce: sorted(compiles).filter(([, c]) => c > 1).map(([f, c]) => `${f} ×${c}`),
    deopts: sorted(deopts).map(([k, c]) => `${k} ×${c}`),
    invalidated: sorted(invalidated).map(([k, c]) => `${k} ×${c}`),
  };
}

/** GC pauses on the main thread, from --trace-gc. */
function gcRun(o) {
  const text = runCli(o, ['--trace-gc'], { capture: true });
  const g = { scavenges: 0, scavengeMs: 0, markCompacts: 0, markCompactMs: 0 };
  for (const line of text.split('\n')) {
    const m = /: (Scavenge|Mark-Compact|Mark-Compact \(reduce\)|Minor Mark-Compact) .*?MB, ([\d.]+) \/ [\d.]+ ms/.exec(line);
    if (!m) continue;
    if (m[1] === 'Scavenge') { g.scavenges++; g.scavengeMs += +m[2]; } else { g.markCompacts++; g.markCompactMs += +m[2]; }
  }
  g.scavengeMs = Math.round(g.scavengeMs);
  g.markCompactMs = Math.round(g.markCompactMs);
  return g;
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const load = os.loadavg()[0].toFixed(2);
  const result = { zone: o.zone, cli: path.relative(ROOT, o.cli) || o.cli, load, plain: plainRun(o), jit: jitRun(o), gc: gcRun(o), loadAfter: os.loadavg()[0].toFixed(2) };
  const p = result.plain, j = result.jit, g = result.gc;
  const list = (xs) => (xs.length ? xs.map((x) => `\n    ${x}`).join('') : ' none');
  console.log(`${result.cli} check ${o.zone} (load ${load} → ${result.loadAfter})
  CPU ${p.cpuMs} ms (main thread ${p.mainMs} ms, other threads ${p.otherThreadsMs} ms: ${p.threads.join(' ')}), peak RSS ${p.peakMB} MB
  TurboFan: ${j.compiles} compiles (${j.osrCompiles} on-stack), ${j.compileWallMs} ms of compile jobs (wall; ${j.osrWallMs} ms on-stack)
  compiled more than once:${list(j.compiledMoreThanOnce)}
  deopts:${list(j.deopts)}
  code invalidated:${list(j.invalidated)}
  GC on the main thread: ${g.scavenges} scavenges ${g.scavengeMs} ms, ${g.markCompacts} mark-compacts ${g.markCompactMs} ms`);
  if (o.json) fs.writeFileSync(o.json, JSON.stringify(result, null, 2) + '\n');
}

main();
