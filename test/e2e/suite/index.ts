// Entry point of the real-editor suite. VS Code loads this module as extensionTestsPath and calls
// run() in the extension host, whether launched by @vscode/test-electron (npm run test:vscode) or
// by code-server's VS Code server (npm run test:e2e). run() resolves when every case passed.
// Env: DANE_ZONE_E2E_FILTER=substring runs only the matching cases; DANE_ZONE_E2E_LOG=file
// appends every line to that file (the launchers relay it).
import { afterEach, cases } from './cases';
import * as vscode from 'vscode';
import { log } from './harness';

const CASE_TIMEOUT_MS = Number(process.env.DANE_ZONE_E2E_CASE_TIMEOUT_MS || 60_000);

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export async function run(): Promise<void> {
  const filter = process.env.DANE_ZONE_E2E_FILTER;
  const selected = cases.filter((c) => !filter || c.name.includes(filter));
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const started = Date.now();
  log(`dane-zone e2e suite: ${selected.length} cases in VS Code ${vscode.version}`);
  for (const c of selected) {
    if (c.todo) {
      skipped++;
      log(`SKIP ${c.name} (${c.todo})`);
      continue;
    }
    const t = Date.now();
    try {
      await withTimeout(c.run(), CASE_TIMEOUT_MS, c.name);
      passed++;
      log(`PASS ${c.name} (${Date.now() - t} ms)`);
    } catch (e) {
      failed++;
      const msg = e instanceof Error ? e.message : String(e);
      log(`FAIL ${c.name} (${Date.now() - t} ms)`);
      for (const line of msg.split('\n')) log(`     ${line}`);
    }
    try { await withTimeout(afterEach(), 10_000, 'closing editors'); } catch (e) { log(`     (after ${c.name}: ${String(e)})`); }
  }
  log(`suite time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  if (failed > 0 || passed === 0) throw new Error(`${failed} of ${selected.length} e2e cases failed`);
}
