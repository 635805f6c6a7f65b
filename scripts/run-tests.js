#!/usr/bin/env node
// Runs every compiled unit and protocol test (out/test/**/*.test.js) with node's built-in
// runner. Usage: node scripts/run-tests.js [substring-filter]
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', 'out', 'test');
const filter = process.argv[2];
const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'e2e') walk(p); }
    else if (e.name.endsWith('.test.js') && (!filter || p.includes(filter))) files.push(p);
  }
})(root);
if (files.length === 0) {
  console.error('no compiled tests found under out/test (run `tsc -b` first)');
  process.exit(1);
}
// --test-force-exit: a file whose tests are done exits even if a handle stays open (a hung
// CI run is worse than a fast one); --test-timeout bounds each test (the live lab's included).
const r = spawnSync(process.execPath, ['--test', '--test-force-exit', '--test-timeout=180000', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
