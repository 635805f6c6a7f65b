// Running external commands for the benchmark: wall time, peak RSS, a hard timeout, and
// installing a missing Debian package. Never hangs: every child is killed (its whole process
// group) when its time is up.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** Absolute path of an executable on PATH, or undefined. */
function which(cmd) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch { /* not here */ }
  }
  return undefined;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Makes sure `cmd` exists, installing it with apt-get when we are root: `pkgs` lists Debian
 * packages to try in order (kzonecheck moved from `knot` to `knot-dnssecutils` in Debian 12).
 * Returns the command's path, or undefined after printing one line that says why not.
 */
function ensureCommand(cmd, pkgs, { install = true, log = console.log, timeoutMs = 300_000 } = {}) {
  pkgs = Array.isArray(pkgs) ? pkgs : [pkgs];
  const find = () => which(cmd) || ['/usr/bin', '/usr/sbin', '/bin', '/sbin'].map((d) => path.join(d, cmd)).find((p) => fs.existsSync(p));
  const found = find();
  if (found) return found;
  if (!install || !isRoot() || !which('apt-get')) {
    log(`${cmd}: missing (install the Debian package \`${pkgs.join('` or `')}\`); skipped`);
    return undefined;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => spawnSync('apt-get', args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, encoding: 'utf8' });
  const install1 = (pkg) => apt(['install', '-y', '--no-install-recommends', pkg]);
  log(`${cmd}: missing; installing it with apt-get (${pkgs.join(', ')}) …`);
  let last;
  for (let attempt = 0; attempt < 2 && !find(); attempt++) {
    // A fresh machine may have no package lists yet: update once and retry.
    if (attempt === 1) apt(['update']);
    for (const pkg of pkgs) {
      last = install1(pkg);
      if (find()) break;
    }
  }
  const now = find();
  if (!now) {
    const err = last && ((last.error && last.error.message) ||
      ((last.stderr || '') + (last.stdout || '')).split('\n').filter((l) => /^E:/.test(l)).pop() || `exit ${last.status}`);
    log(`${cmd}: missing, and apt-get could not install it (${err}); skipped`);
  }
  return now;
}

let gnuTime; // path of GNU time that understands -v -o, false when there is none
function gnuTimePath(refresh = false) {
  if (gnuTime !== undefined && !refresh) return gnuTime;
  gnuTime = false;
  for (const p of ['/usr/bin/time', which('time')]) {
    if (!p || !fs.existsSync(p)) continue;
    const out = path.join(os.tmpdir(), `dz-time-probe-${process.pid}.txt`);
    const r = spawnSync(p, ['-o', out, '-v', 'true'], { stdio: 'ignore', timeout: 10_000 });
    let ok = false;
    try { ok = r.status === 0 && /Maximum resident set size/.test(fs.readFileSync(out, 'utf8')); } catch { /* no file */ }
    try { fs.unlinkSync(out); } catch { /* none */ }
    if (ok) { gnuTime = p; break; }
  }
  return gnuTime;
}

/** Peak RSS (VmHWM) and current RSS of a live process, in KiB, from /proc; undefined when unreadable. */
function procMemory(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(s);
    const rss = /VmRSS:\s+(\d+) kB/.exec(s);
    return { peakKB: hwm ? Number(hwm[1]) : undefined, rssKB: rss ? Number(rss[1]) : undefined };
  } catch {
    return undefined;
  }
}

/** User + system CPU time of a live process so far, in ms (from /proc/PID/stat); NaN when unreadable. */
function procCpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name
    return ((Number(f[11]) + Number(f[12])) * 1000) / clockTicks();
  } catch {
    return NaN;
  }
}

let ticks;
function clockTicks() {
  if (ticks === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    ticks = Number((r.stdout || '').trim()) || 100;
  }
  return ticks;
}

function killGroup(child, signal = 'SIGKILL') {
  try { process.kill(-child.pid, signal); } catch { try { child.kill(signal); } catch { /* gone */ } }
}

/**
 * Runs `cmd args` to completion (or until timeoutMs), measuring wall time and peak RSS.
 * Peak RSS comes from GNU `time -v` when available, else from polling /proc/PID/status.
 * stdout goes to `stdoutFile` (default: discarded); the last 4 KB of stderr are kept.
 * Resolves { wallMs, cpuMs (user + system, from time -v only), peakKB, code, signal, timedOut,
 * stderr, rssMethod }.
 */
function runMeasured(cmd, args, { timeoutMs = 300_000, cwd, stdoutFile, env } = {}) {
  return new Promise((resolve) => {
    const tp = gnuTimePath();
    const timeOut = tp ? path.join(os.tmpdir(), `dz-time-${process.pid}-${Date.now()}.txt`) : undefined;
    const [file, argv] = tp ? [tp, ['-o', timeOut, '-v', cmd, ...args]] : [cmd, args];
    const outFd = stdoutFile ? fs.openSync(stdoutFile, 'w') : 'ignore';
    const t0 = process.hrtime.bigint();
    let child;
    try {
      child = spawn(file, argv, { cwd, env: env || process.env, detached: true, stdio: ['ignore', outFd, 'pipe'] });
    } catch (e) {
      if (typeof outFd === 'number') fs.closeSync(outFd);
      resolve({ wallMs: NaN, code: null, signal: null, timedOut: false, stderr: String(e), rssMethod: 'none' });
      return;
    }
    let stderr = '';
    child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4096); });
    let polledKB;
    const poll = tp ? undefined : setInterval(() => {
      const m = procMemory(child.pid);
      if (m && m.peakKB !== undefined) polledKB = Math.max(polledKB || 0, m.peakKB);
    }, 10);
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; killGroup(child); }, timeoutMs);
    let done = false;
    const finish = (code, signal) => {
      if (done) return;
      done = true;
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      if (typeof outFd === 'number') fs.closeSync(outFd);
      let peakKB = polledKB;
      let cpuMs;
      if (timeOut) {
        try {
          const t = fs.readFileSync(timeOut, 'utf8');
          const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(t);
          if (m) peakKB = Number(m[1]);
          const u = /User time \(seconds\): ([\d.]+)/.exec(t);
          const sy = /System time \(seconds\): ([\d.]+)/.exec(t);
          if (u && sy) cpuMs = (Number(u[1]) + Number(sy[1])) * 1000;
          const st = /Exit status: (\d+)/.exec(t);
          if (st) code = Number(st[1]);
          const sig = /Command terminated by signal (\d+)/.exec(t);
          if (sig) signal = `signal ${sig[1]}`;
          fs.unlinkSync(timeOut);
        } catch { /* time did not write: killed */ }
      }
      resolve({ wallMs, cpuMs, peakKB, code, signal, timedOut, stderr, rssMethod: tp ? 'time -v' : '/proc polling' });
    };
    child.on('error', (e) => { stderr += String(e); finish(null, null); });
    child.on('exit', (code, signal) => finish(code, signal));
  });
}

module.exports = { which, isRoot, ensureCommand, gnuTimePath, procMemory, procCpuMs, runMeasured, killGroup };
