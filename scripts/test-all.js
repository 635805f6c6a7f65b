#!/usr/bin/env node
// The whole test suite, as CI runs it: unit and protocol tests (node's runner), then the
// end-to-end tests in a real VS Code (code-server + headless Chromium). Prints one closing
// line `all: N passed, N failed` that counts both. Usage: node scripts/test-all.js [--no-e2e]
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
/** The real-editor drivers, compiled by `tsc -b` (npm test compiles first) from test/support/e2e/. */
const e2e = path.join(root, 'out', 'test', 'support', 'e2e');

/** Runs a command, echoing its output, and returns [exit code, captured stdout]. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b) => { process.stdout.write(b); out += b; });
    child.on('close', (code) => resolve([code ?? 1, out]));
  });
}

function lastCount(out, re) {
  let m;
  let last;
  const g = new RegExp(re, 'gm');
  while ((m = g.exec(out))) last = m;
  return last;
}

(async () => {
  let passed = 0;
  let failed = 0;
  const [unitCode, unitOut] = await run(process.execPath, [path.join(__dirname, 'run-tests.js')]);
  const p = lastCount(unitOut, '^ℹ pass (\\d+)');
  const f = lastCount(unitOut, '^ℹ fail (\\d+)');
  passed += p ? Number(p[1]) : 0;
  failed += f ? Number(f[1]) : unitCode === 0 ? 0 : 1;
  let e2eCode = 0;
  if (!process.argv.includes('--no-e2e')) {
    console.log('\n== end-to-end tests in a real VS Code (npm run test:e2e)');
    const [code, out] = await run(process.execPath, [path.join(e2e, 'run.js')]);
    e2eCode = code;
    const m = lastCount(out, '^(?:\\w+: )?(\\d+) passed, (\\d+) failed');
    if (m) { passed += Number(m[1]); failed += Number(m[2]); }
    else if (code !== 0) failed += 1;
    console.log('\n== the Settings editor\'s titles (npm run test:settings-ui)');
    const [sCode, sOut] = await run(process.execPath, [path.join(e2e, 'settings.js')]);
    const sm = lastCount(sOut, '^settings-ui: (\\d+) passed, (\\d+) failed');
    if (sm) { passed += Number(sm[1]); failed += Number(sm[2]); }
    else if (sCode !== 0) failed += 1;
    if (sCode !== 0) e2eCode = e2eCode || sCode;
  }
  console.log(`\nall: ${passed} passed, ${failed} failed`);
  process.exit(unitCode !== 0 || e2eCode !== 0 || failed > 0 ? 1 : 0);
})();
