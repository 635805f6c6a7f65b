#!/usr/bin/env node
// npm run test:e2e — the extension's test suite (test/e2e/suite) in a real VS Code on this
// machine, with no download from Microsoft: the VS Code server inside code-server (npm registry),
// driven by headless Debian Chromium, then a visible smoke test on code-server's own page with the
// packaged .vsix installed (scripts/e2e/smoke.js), then the same .vsix's web extension in the
// browser's web worker extension host (scripts/e2e/webSmoke.js).
//
//   node scripts/e2e/run.js [--suite-only | --smoke-only | --web-only] [--filter SUBSTRING]
// (the web suite, test/e2e/web/suite.ts, runs in every mode but --smoke-only)
//
// Env: DANE_ZONE_E2E_CACHE (code-server cache, default ~/.cache/dane-zone-e2e), E2E_TIMEOUT_S
// (whole suite, default 300), E2E_KEEP=1 (keep the temp state dir), E2E_VERBOSE=1 (echo the
// server's log). Artifacts (server log, browser console, screenshots): test-artifacts/.
// Exit code: 0 when every case passed; 1 when a case failed or the harness could not run.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const lib = require('./lib');

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
 * Runs the suite inside the extension host; returns { passed, failed, skipped, code }. With
 * `web`: the web suite (test/e2e/web/suite.ts, bundled) in the browser's web worker extension
 * host, the extension forced there by "remote.extensionKind" in the machine settings; its lines
 * come through the page console.
 */
async function runSuite({ web = false } = {}) {
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
  let context;
  let server;
  const counts = { passed: 0, failed: 0, skipped: 0, code: 1, closing: false };

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
    server = lib.startProcess(lib.NODE24, [lib.SERVER_MAIN,
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
    let serverExit;
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
    const webLine = (text) => {
      const m = WEB_LINE.exec(text);
      if (!m) return;
      fs.appendFileSync(suiteLog, `${m[1]}\n`);
    };

    context = await lib.launchBrowser(tmp);
    let resolveExit;
    const exited = new Promise((r) => { resolveExit = r; });
    await context.exposeFunction('codeAutomationExit', (code) => { resolveExit(Number(code)); });
    await context.exposeFunction('codeAutomationLog', (type, args) => {
      fs.appendFileSync(browserLog, `[automation ${type}] ${JSON.stringify(args).slice(0, 2000)}\n`);
    });
    const page = context.pages()[0] || await context.newPage();
    page.on('console', (m) => {
      fs.appendFileSync(browserLog, `[console ${m.type()}] ${m.text()}\n`);
      if (web) webLine(m.text());
    });
    page.on('pageerror', (e) => fs.appendFileSync(browserLog, `[pageerror] ${e.message}\n`));

    const remote = (p) => `vscode-remote://${host}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(lib.ROOT)],
      ['extensionTestsPath', remote(web ? lib.WEB_SUITE : lib.SUITE)],
    ]);
    const url = `http://${host}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(payload)}`;
    const tSuite = Date.now();
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    console.log(`e2e: workbench opened; suite running in the extension host`);

    let timer;
    const timeout = new Promise((r) => { timer = setTimeout(() => r('timeout'), TIMEOUT_S * 1000); });
    const serverDied = new Promise((r) => server.on('exit', () => r('server-exit')));
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
    counts.code = outcome;
    if (!counts.closing) {
      lib.fatal(`the extension host exited with code ${outcome} before the suite reported (did the suite load? see test-artifacts/e2e-server.log, e2e-browser.log)`);
    }
    console.log(`e2e: suite finished with exit code ${outcome} in ${lib.secs(tSuite)} s`);
  });
  return counts;
}

async function main() {
  const t = Date.now();
  let suite = { passed: 0, failed: 0, skipped: 0 };
  let smoke = { passed: 0, failed: 0, skipped: 0 };
  let web = { passed: 0, failed: 0, skipped: 0 };
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
    smoke = await require('./smoke').runSmoke();
  }
  let webSuite = { passed: 0, failed: 0, skipped: 0 };
  if (!smokeOnly) {
    console.log('== the web suite in the browser\'s web worker extension host (the extension\'s "browser" entry)');
    lib.buildWebSuite();
    webSuite = await runSuite({ web: true });
  }
  if (!suiteOnly && !smokeOnly) {
    console.log('== the web extension (package.json "browser") in the web worker extension host, from the packaged .vsix');
    web = await require('./webSmoke').runWebSmoke();
  }
  const passed = suite.passed + smoke.passed + web.passed + webSuite.passed;
  const failed = suite.failed + smoke.failed + web.failed + webSuite.failed;
  const skipped = suite.skipped + smoke.skipped + web.skipped + webSuite.skipped;
  console.log(`e2e: total ${lib.secs(t)} s`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => {
  console.log(`e2e: FAILED: ${e instanceof lib.Fatal ? e.message : e && e.stack || e}`);
  process.exit(1);
});
