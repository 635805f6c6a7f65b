#!/usr/bin/env node
// `npm run conformance`: Knot's zone-scanner cases, then BIND's named-checkzone cases (both
// read from ../shared at run time). Exit status 1 when either misses its target.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

let status = 0;
for (const script of ['knot-conformance.js', 'bind-conformance.js']) {
  const r = spawnSync(process.execPath, [path.join(__dirname, script), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) status = r.status === 2 && status === 0 ? 2 : 1;
  console.log('');
}
process.exit(status);
