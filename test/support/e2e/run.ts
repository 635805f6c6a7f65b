// npm run test:e2e — the extension's test suite (test/e2e/suite) in a real VS Code on this
// machine, with no download from Microsoft: the VS Code server inside code-server (npm registry),
// driven by headless Debian Chromium, then a visible smoke test on code-server's own page with the
// packaged .vsix installed (smoke.ts), then the same .vsix's web extension in the browser's web
// worker extension host (webSmoke.ts).
//
//   node out/test/support/e2e/run.js [--suite-only | --smoke-only | --web-only] [--filter SUBSTRING]
// (the web suite, test/e2e/web/suite.ts, runs in every mode but --smoke-only)
//
// Env: DANE_ZONE_E2E_CACHE (code-server cache, default ~/.cache/dane-zone-e2e), E2E_TIMEOUT_S
// (whole suite, default 300), E2E_KEEP=1 (keep the temp state dir), E2E_VERBOSE=1 (echo the
// server's log). Artifacts (server log, browser console, screenshots): test-artifacts/.
// Exit code: 0 when every case passed; 1 when a case failed or the harness could not run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import * as lib from './lib';
import { logConsole } from './page';
import { runSmoke } from './smoke';
import { runWebSmoke } from './webSmoke';

const args = process.argv.slice(2);
const suiteOnly = args.includes('--suite-only');
const smokeOnly = args.includes('--smoke-only');
const webOnly = args.includes('--web-only');
const fi = args.indexOf('--filter');
const filter = fi >= 0 ? args[fi + 1] : process.env.DANE_ZONE_E2E_FILTER;
const TIMEOUT_S = Number(process.env.E2E_TIMEOUT_S || 300);

/** The web suite's lines in the page console (the web worker host's console.log), without the console's styling arguments. */
const WEB_LINE = /\[dane-zone web suite\] (.*?)(?: color: \S*)* ?$/;

/**
 * Runs the suite inside the extension host. With `web`: the web suite (test/e2e/web/suite.ts,
 * bundled) in the browser's web worker extension host, the extension forced there by
 * "remote.extensionKind" in the machine settings; its lines come through the page console.
 */
async function runSuite({ web = false } = {}): Promise<lib.Counts> {
  const tmp = lib.makeTemp(web ? 'e2e-web' : 'e2e');
  const ws = lib.makeWorkspace(tmp);
  const suiteLog = path.join(tmp, 'suite.log');
  fs.writeFileSync(suiteLog, '');
  fs.mkdirSync(lib.ARTIFACTS, { recursive: true });
  const serverLog = path.join(lib.ARTIFACTS, web ? 'e2e-web-server.log' : 'e2e-server.log');
  const browserLog = path.join(lib.ARTIFACTS, web ? 'e2e-web-browser.log' : 'e2e-browser.log');
  if (web) {
    fs.mkdirSync(path.join(tmp, 'user-data', 'Machine'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'user-data', 'Machine', 'settings.json'), JSON.stringify({ 'remote.extensionKind': { [lib.EXTENSION_ID]: ['web'] } }));
  }
  fs.writeFileSync(serverLog, '');
  fs.writeFileSync(browserLog, '');
  let context: BrowserContext | undefined;
  const counts = { passed: 0, failed: 0, skipped: 0, closing: false };

  const teardown = async () => {
    if (context) await context.close().catch(() => undefined);
    const { stopped, left } = await lib.killAll();
    console.log(`e2e: teardown: stopped ${stopped} processes (server, extension hosts, language servers)`);
    if (left.length) console.log(`e2e: could not stop pids ${left.join(' ')}`);
    lib.cleanupTemp(tmp);
  };

  await lib.withTeardown(teardown, async () => {
    const port = await lib.freePort();
    const host = `127.0.0.1:${port}`;
    const t = Date.now();
    const server = lib.startProcess(lib.NODE24, [lib.SERVER_MAIN,
      '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms',
      '--enable-smoke-test-driver', '--disable-telemetry', '--disable-workspace-trust',
      '--server-data-dir', path.join(tmp, 'server-data'), '--user-data-dir', path.join(tmp, 'user-data'),
      '--extensions-dir', path.join(tmp, 'extensions'),
    ], {
      env: lib.isolatedEnv(tmp, {
        DANE_ZONE_E2E_LOG: suiteLog,
        ...(filter ? { DANE_ZONE_E2E_FILTER: filter } : {}),
      }),
      logFile: serverLog,
      onLine: process.env.E2E_VERBOSE === '1' ? (l) => console.log(`[server] ${l}`) : undefined,
    });
    let serverExit: number | string | null | undefined;
    server.on('exit', (c, s) => { serverExit = s || c; });
    await lib.waitForHttp(`http://${host}/version`, 60_000, () => serverExit !== undefined);
    console.log(`e2e: VS Code server on http://${host} (pid ${server.pid}, up in ${lib.secs(t)} s)`);

    // Relay the suite's own log (written by the extension host) as it grows.
    let offset = 0;
    const relay = () => {
      const buf = fs.readFileSync(suiteLog);
      if (buf.length <= offset) return;
      const text = buf.subarray(offset).toString();
      const lastNl = text.lastIndexOf('\n');
      if (lastNl < 0) return;
      offset += Buffer.byteLength(text.slice(0, lastNl + 1));
      for (const line of text.slice(0, lastNl).split('\n')) {
        const m = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/.exec(line);
        if (m) { counts.passed = +m[1]; counts.failed = +m[2]; counts.skipped = +(m[3] || 0); counts.closing = true; }
        console.log(line);
      }
    };
    const relayTimer = setInterval(relay, 200);
    const webLine = (text: string) => {
      const m = WEB_LINE.exec(text);
      if (!m) return;
      fs.appendFileSync(suiteLog, `${m[1]}\n`);
    };

    context = await lib.launchBrowser(tmp);
    let resolveExit!: (code: number) => void;
    const exited = new Promise<number>((r) => { resolveExit = r; });
    await context.exposeFunction('codeAutomationExit', (code: unknown) => { resolveExit(Number(code)); });
    await context.exposeFunction('codeAutomationLog', (type: unknown, logArgs: unknown) => {
      fs.appendFileSync(browserLog, `[automation ${String(type)}] ${JSON.stringify(logArgs).slice(0, 2000)}\n`);
    });
    const page = context.pages()[0] || await context.newPage();
    logConsole(page, browserLog);
    if (web) page.on('console', (m) => webLine(m.text()));

    const remote = (p: string) => `vscode-remote://${host}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(lib.ROOT)],
      ['extensionTestsPath', remote(web ? lib.WEB_SUITE : lib.SUITE)],
    ]);
    const url = `http://${host}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(payload)}`;
    const tSuite = Date.now();
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    console.log('e2e: workbench opened; suite running in the extension host');

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), TIMEOUT_S * 1000); });
    const serverDied = new Promise<'server-exit'>((r) => server.on('exit', () => r('server-exit')));
    const outcome = await Promise.race([exited, timeout, serverDied]);
    clearTimeout(timer);
    await new Promise((r) => setTimeout(r, 300));
    relay();
    clearInterval(relayTimer);
    if (outcome === 'timeout') {
      await page.screenshot({ path: path.join(lib.ARTIFACTS, 'e2e-timeout.png') }).catch(() => undefined);
      lib.fatal(`suite did not finish within ${TIMEOUT_S} s (screenshot test-artifacts/e2e-timeout.png, logs test-artifacts/e2e-*.log)`);
    }
    if (outcome === 'server-exit') lib.fatal(`VS Code server exited (${serverExit}) during the suite (test-artifacts/e2e-server.log)`);
    if (!counts.closing) {
      lib.fatal(`the extension host exited with code ${outcome} before the suite reported (did the suite load? see test-artifacts/e2e-server.log, e2e-browser.log)`);
    }
    console.log(`e2e: suite finished with exit code ${outcome} in ${lib.secs(tSuite)} s`);
  });
  return counts;
}

async function main(): Promise<number> {
  const t = Date.now();
  const none = (): lib.Counts => ({ passed: 0, failed: 0, skipped: 0 });
  let suite = none();
  let smoke = none();
  let webSuite = none();
  let web = none();
  lib.ensureInstalled();
  const tb = Date.now();
  lib.buildExtension();
  console.log(`e2e: built suite and extension in ${lib.secs(tb)} s`);
  if (!smokeOnly && !webOnly) {
    console.log('== suite in the extension host (VS Code server from code-server)');
    suite = await runSuite();
  }
  if (!suiteOnly && !webOnly) {
    console.log('== smoke test on the code-server page with the packaged .vsix');
    smoke = await runSmoke();
  }
  if (!smokeOnly) {
    console.log('== the web suite in the browser\'s web worker extension host (the extension\'s "browser" entry)');
    lib.buildWebSuite();
    webSuite = await runSuite({ web: true });
  }
  if (!suiteOnly && !smokeOnly) {
    console.log('== the web extension (package.json "browser") in the web worker extension host, from the packaged .vsix');
    web = await runWebSmoke();
  }
  const parts = [suite, smoke, webSuite, web];
  const total: lib.Counts = {
    passed: parts.reduce((n, c) => n + c.passed, 0),
    failed: parts.reduce((n, c) => n + c.failed, 0),
    skipped: parts.reduce((n, c) => n + c.skipped, 0),
  };
  console.log(`e2e: total ${lib.secs(t)} s`);
  console.log(lib.summary(total));
  return total.failed === 0 && total.passed > 0 ? 0 : 1;
}

lib.runMain('e2e', main);
