#!/usr/bin/env node
// The `dane-zone` command: the bundled CLI (dist/cli.js) or the TypeScript output
// (out/server/src/cli/main.js), whichever was built last (a bundle left over from an earlier
// build must not shadow a newer `tsc -b`).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const candidates = [
  path.join(__dirname, '..', 'dist', 'cli.js'),
  path.join(__dirname, '..', 'out', 'server', 'src', 'cli', 'main.js'),
];
const mtime = (p) => { try { return fs.statSync(p).mtimeMs; } catch { return -1; } };
const entry = candidates.filter((p) => mtime(p) >= 0).sort((a, b) => mtime(b) - mtime(a))[0];
if (!entry) {
  process.stderr.write('dane-zone: not built yet: run `npm run build` (or `npx tsc -b`) in the package folder\n');
  process.exit(2);
}
require(entry).main(process.argv.slice(2));
