// npm run test:vscode — the same suite as `npm run test:e2e` (test/e2e/suite), in desktop VS Code
// through @vscode/test-electron. That downloads VS Code from Microsoft's update server: fine on a
// developer laptop or public CI, impossible on a machine that reaches only package registries,
// where this says so in one line and exits 1 (use `npm run test:e2e` there).
//
// Env: VSCODE_EXECUTABLE=/path/to/code  use an installed VS Code instead of downloading one
//      VSCODE_VERSION=stable|insiders|1.x.y  which VS Code to download (default stable)
//      DANE_ZONE_E2E_FILTER=substring        run only the matching cases
// Headless Linux needs a display: run under `xvfb-run -a npm run test:vscode`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as lib from './lib';

async function main(): Promise<number> {
  let testElectron: typeof import('@vscode/test-electron');
  try {
    testElectron = require('@vscode/test-electron') as typeof import('@vscode/test-electron');
  } catch {
    lib.fatal('@vscode/test-electron is not installed (npm ci)');
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-vscode-'));
  const ws = path.join(tmp, 'workspace');
  fs.mkdirSync(ws);
  lib.copyZones(ws);
  try {
    let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE;
    if (!vscodeExecutablePath) {
      try {
        vscodeExecutablePath = await testElectron.downloadAndUnzipVSCode({
          version: process.env.VSCODE_VERSION || 'stable',
          cachePath: path.join(lib.CACHE, 'vscode-test'),
          timeout: 20_000,
          reporter: { report() {}, error() {} },
        });
      } catch (e) {
        const why = String((e instanceof Error && e.message) || e).split('\n')[0];
        lib.fatal(`cannot download VS Code (${why}): this machine cannot reach Microsoft's update server; ` +
          'set VSCODE_EXECUTABLE to an installed VS Code, or run `npm run test:e2e` (code-server, no download)');
      }
    }
    lib.buildExtension();
    return await testElectron.runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: lib.ROOT,
      extensionTestsPath: lib.SUITE,
      extensionTestsEnv: process.env.DANE_ZONE_E2E_FILTER ? { DANE_ZONE_E2E_FILTER: process.env.DANE_ZONE_E2E_FILTER } : {},
      launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        '--user-data-dir', path.join(tmp, 'user-data'), '--extensions-dir', path.join(tmp, 'extensions')],
    }).catch((e: unknown) => { if (e instanceof testElectron.TestRunFailedError) return 1; throw e; });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

lib.runMain('test:vscode', main);
