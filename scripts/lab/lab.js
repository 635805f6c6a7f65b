#!/usr/bin/env node
// The DANE lab on loopback (Knot, Unbound, Postfix) from a shell. The lab itself is typed test
// support: test/support/labDaemons.ts (compiled by `npx tsc -b` to out/test/support/), which
// the live tests import; this file only runs it.
//
// Usage (as root, after `apt-get install knot knot-dnsutils unbound postfix bind9-dnsutils openssl`
// and `npx tsc -b`):
//   node scripts/lab/lab.js up [DIR]    start, print the lab description as JSON
//   node scripts/lab/lab.js down [DIR]  stop the processes recorded for DIR (default: the last lab)
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const compiled = path.join(__dirname, '..', '..', 'out', 'test', 'support', 'labDaemons.js');
if (!fs.existsSync(compiled)) {
  console.error(`lab: ${path.relative(process.cwd(), compiled)} is missing: run \`npx tsc -b\` first`);
  process.exit(2);
}
const { startLab, stopLab } = require(compiled);

const [cmd, dir] = process.argv.slice(2);
(async () => {
  if (cmd === 'up') {
    const lab = await startLab({ dir });
    const { stop, certs, ...rest } = lab;
    void stop;
    console.log(JSON.stringify({ ...rest, certs: { dir: certs.dir, tlsa: certs.tlsa } }, null, 2));
  } else if (cmd === 'down') {
    await stopLab(dir);
  } else {
    console.error('usage: node scripts/lab/lab.js up [DIR] | down [DIR]');
    process.exitCode = 2;
  }
})().catch((e) => { console.error(`lab: ${e.message}`); process.exitCode = 1; });
