#!/usr/bin/env node
// Bundles the extension with esbuild into dist/ (what the .vsix ships; no node_modules needed):
//   client/src/extension.ts  → dist/client.js  (the VS Code extension; `vscode` stays external)
//   server/src/lsp/server.ts → dist/server.js  (the language server the client starts over IPC)
//   server/src/cli/main.ts   → dist/cli.js     (the command-line checker)
// All three: platform node, target node20, CommonJS, source maps. An entry point whose source
// does not exist yet is skipped with one warning line.
//
// Usage: node scripts/bundle.js [--minify] [--watch]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const args = new Set(process.argv.slice(2));
const minify = args.has('--minify');
const watch = args.has('--watch');

const entries = [
  { src: 'client/src/extension.ts', out: 'dist/client.js' },
  { src: 'server/src/lsp/server.ts', out: 'dist/server.js' },
  { src: 'server/src/cli/main.ts', out: 'dist/cli.js' },
];

/** Reports each build in one line (and errors in full), also in watch mode. */
const reportPlugin = (out) => ({
  name: 'report',
  setup(build) {
    let t0 = 0;
    build.onStart(() => { t0 = Date.now(); });
    build.onEnd((r) => {
      if (r.errors.length) return; // esbuild prints them
      const size = fs.existsSync(path.join(root, out)) ? fs.statSync(path.join(root, out)).size : 0;
      console.log(`bundle: ${out} (${(size / 1024).toFixed(0)} KiB, ${Date.now() - t0} ms)`);
    });
  },
});

async function main() {
  const present = entries.filter((e) => {
    if (fs.existsSync(path.join(root, e.src))) return true;
    console.warn(`bundle: warning: ${e.src} does not exist yet; ${e.out} not built`);
    return false;
  });
  const contexts = [];
  let failed = false;
  for (const e of present) {
    const options = {
      absWorkingDir: root,
      entryPoints: [e.src],
      outfile: e.out,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      minify,
      external: ['vscode'],
      // vscode-languageserver & co. ship CommonJS under "main"; prefer it over ESM builds.
      mainFields: ['main', 'module'],
      logLevel: 'warning',
      plugins: [reportPlugin(e.out)],
    };
    if (watch) {
      const ctx = await esbuild.context(options);
      await ctx.watch();
      contexts.push(ctx);
    } else {
      try {
        await esbuild.build(options);
      } catch {
        failed = true; // esbuild has printed the errors
      }
    }
  }
  if (watch) console.log('bundle: watching for changes (Ctrl+C to stop)');
  if (failed) process.exit(1);
}

main().catch((err) => {
  console.error(`bundle: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
