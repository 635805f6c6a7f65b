#!/usr/bin/env node
// Child process of the benchmark: parses FILE with npm dns-zonefile and prints one JSON line
// with the number of records it returned per type. Usage: node dnszonefile-parse.js FILE
'use strict';
const fs = require('node:fs');
const path = require('node:path');

async function main() {
  const file = process.argv[2];
  // dns-zonefile is an ES module; resolve it from the project, whatever the cwd.
  const entry = require.resolve('dns-zonefile', { paths: [path.join(__dirname, '..', '..')] });
  const mod = await import(require('node:url').pathToFileURL(entry).href);
  const zonefile = mod.default || mod;
  const text = fs.readFileSync(file, 'utf8');
  const z = zonefile.parse(text);
  const counts = {};
  let records = 0;
  for (const [k, v] of Object.entries(z)) {
    if (Array.isArray(v)) { counts[k] = v.length; records += v.length; }
    else if (k === 'soa') { counts.soa = 1; records++; }
  }
  process.stdout.write(JSON.stringify({ records, counts }) + '\n');
}

main().catch((e) => { console.error(e && e.stack || String(e)); process.exit(1); });
