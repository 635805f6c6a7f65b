#!/usr/bin/env node
// The `dane-zone` command: the bundled CLI (dist/cli.js) when the package was built with the
// bundler, else the TypeScript output (out/server/src/cli/main.js).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const candidates = [
  path.join(__dirname, '..', 'dist', 'cli.js'),
  path.join(__dirname, '..', 'out', 'server', 'src', 'cli', 'main.js'),
];
const entry = candidates.find((p) => fs.existsSync(p));
if (!entry) {
  process.stderr.write('dane-zone: not built yet: run `npm run build` (or `npx tsc -b`) in the package folder\n');
  process.exit(2);
}
require(entry).main(process.argv.slice(2));
